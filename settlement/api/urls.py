"""Settlement API routes (mounted under /api/v1/)."""

from django.urls import path, re_path

from settlement.api import views

urlpatterns = [
    path("settlement/statements/", views.StatementList.as_view(), name="settlement-statements"),
    path(
        "settlement/statements/<int:pk>/",
        views.StatementDetail.as_view(),
        name="settlement-statement",
    ),
    path(
        "settlement/statements/<int:pk>/lines/",
        views.StatementLineList.as_view(),
        name="settlement-statement-lines",
    ),
    path(
        "settlement/statements/<int:pk>/payments/",
        views.PaymentCreate.as_view(),
        name="settlement-payment-create",
    ),
    path("settlement/lines/", views.LineList.as_view(), name="settlement-lines"),
    path("settlement/payments/", views.PaymentList.as_view(), name="settlement-payments"),
    re_path(
        r"^settlement/periods/(?P<label>[0-9]{4}-(?:[0-9]{2}|Q[1-4]))/issue/$",
        views.PeriodIssue.as_view(),
        name="settlement-period-issue",
    ),
]
