from django.urls import path

from counter import views

app_name = "counter"

urlpatterns = [
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/fees/", views.visit_fee_add, name="visit-fee-add"),
    path("visits/<int:pk>/close/", views.visit_close_view, name="visit-close"),
    path("legs/<int:leg_id>/record/", views.leg_record, name="leg-record"),
    path("records/<int:pk>/void/", views.record_void, name="record-void"),
    path("records/<int:pk>/bsn/", views.record_bsn, name="record-bsn"),
    path("fees/<int:pk>/credit/", views.fee_credit, name="fee-credit"),
    path(
        "funded-services/<int:pk>/void/",
        views.funded_service_void_view,
        name="funded-service-void",
    ),
    path("tariffs/", views.tariffs, name="tariffs"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:pk>/<str:fmt>/", views.invoice_download, name="invoice-download"),
]
