"""Settlement pages, mounted at ``/counter/settlement/`` (the paths users know from when
settlement was part of the counter app)."""

from django.urls import path, re_path

from settlement import views

app_name = "settlement"

PERIOD = r"(?P<label>[0-9]{4}-(?:[0-9]{2}|Q[1-4]))"

urlpatterns = [
    path("", views.settlement_index, name="index"),
    path("ageing/", views.ageing_view, name="ageing"),
    path("cost-split/", views.cost_split_view, name="cost-split"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    re_path(
        r"^statements/(?P<pk>[0-9]+)/(?P<fmt>pdf|csv|xlsx)$",
        views.statement_download,
        name="statement-download",
    ),
    path("statements/<int:pk>/payments/", views.payment_create, name="payment-create"),
    path("claims/", views.claims_index, name="claims"),
    path("claims/issue/", views.claims_issue, name="claims-issue"),
    re_path(
        r"^claims/(?P<pk>[0-9]+)/(?P<fmt>pdf|csv|xlsx)$",
        views.claim_download,
        name="claim-download",
    ),
    re_path(rf"^periods/{PERIOD}/$", views.period_detail, name="period"),
    re_path(rf"^periods/{PERIOD}/issue/$", views.period_issue, name="period-issue"),
    re_path(rf"^periods/{PERIOD}/netting/$", views.netting_view, name="netting"),
    re_path(
        rf"^periods/{PERIOD}/draft/(?P<cbs_code>GM[0-9]{{4}})/$",
        views.statement_draft_view,
        name="draft",
    ),
]
