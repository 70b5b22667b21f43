from django.urls import path, re_path

from counter import settlement_views as views

PERIOD = r"(?P<label>[0-9]{4}-(?:[0-9]{2}|Q[1-4]))"

urlpatterns = [
    path("settlement/", views.settlement_index, name="settlement"),
    path("settlement/ageing/", views.ageing_view, name="settlement-ageing"),
    path("settlement/cost-split/", views.cost_split_view, name="settlement-cost-split"),
    path("settlement/statements/<int:pk>/", views.statement_detail, name="settlement-statement"),
    re_path(
        r"^settlement/statements/(?P<pk>[0-9]+)/(?P<fmt>pdf|csv)$",
        views.statement_download,
        name="settlement-statement-download",
    ),
    path(
        "settlement/statements/<int:pk>/payments/",
        views.payment_create,
        name="settlement-payment-create",
    ),
    re_path(rf"^settlement/periods/{PERIOD}/$", views.period_detail, name="settlement-period"),
    re_path(
        rf"^settlement/periods/{PERIOD}/issue/$", views.period_issue, name="settlement-period-issue"
    ),
    re_path(
        rf"^settlement/periods/{PERIOD}/netting/$", views.netting_view, name="settlement-netting"
    ),
    re_path(
        rf"^settlement/periods/{PERIOD}/draft/(?P<cbs_code>GM[0-9]{{4}})/$",
        views.statement_draft_view,
        name="settlement-draft",
    ),
]
