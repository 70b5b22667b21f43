"""counter API routes (mounted under /api/v1/)."""

from django.urls import path, re_path

from counter.api import settlement

urlpatterns = [
    path(
        "settlement/statements/", settlement.StatementList.as_view(), name="settlement-statements"
    ),
    path(
        "settlement/statements/<int:pk>/",
        settlement.StatementDetail.as_view(),
        name="settlement-statement",
    ),
    path(
        "settlement/statements/<int:pk>/lines/",
        settlement.StatementLineList.as_view(),
        name="settlement-statement-lines",
    ),
    path(
        "settlement/statements/<int:pk>/payments/",
        settlement.PaymentCreate.as_view(),
        name="settlement-payment-create",
    ),
    path("settlement/lines/", settlement.LineList.as_view(), name="settlement-lines"),
    path("settlement/payments/", settlement.PaymentList.as_view(), name="settlement-payments"),
    re_path(
        r"^settlement/periods/(?P<label>[0-9]{4}-(?:[0-9]{2}|Q[1-4]))/issue/$",
        settlement.PeriodIssue.as_view(),
        name="settlement-period-issue",
    ),
]
