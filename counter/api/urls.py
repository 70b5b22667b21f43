"""counter API routes (mounted under /api/v1/)."""

from django.urls import path

from counter.api import views

urlpatterns = [
    path(
        "counter/legs/<int:leg_id>/record/",
        views.LegRecordCreate.as_view(),
        name="counter-leg-record",
    ),
    path("counter/records/<int:pk>/", views.RecordDetail.as_view(), name="counter-record"),
    path("counter/records/<int:pk>/void/", views.RecordVoid.as_view(), name="counter-record-void"),
    path(
        "counter/records/<int:pk>/bsn/", views.RecordBsnReveal.as_view(), name="counter-record-bsn"
    ),
    path(
        "counter/visits/<int:appointment_id>/fees/",
        views.VisitFeeAdd.as_view(),
        name="counter-visit-fee",
    ),
    path(
        "counter/visits/<int:appointment_id>/close/",
        views.VisitClose.as_view(),
        name="counter-visit-close",
    ),
    path("counter/fees/<int:pk>/credit/", views.FeeLineCredit.as_view(), name="counter-fee-credit"),
    path(
        "counter/funded-services/<int:pk>/void/",
        views.FundedServiceVoid.as_view(),
        name="counter-funded-service-void",
    ),
    path("counter/invoices/", views.InvoiceList.as_view(), name="counter-invoices"),
    path("counter/invoices/<int:pk>/", views.InvoiceDetail.as_view(), name="counter-invoice"),
    path("counter/invoices/<int:pk>/pdf/", views.InvoicePdf.as_view(), name="counter-invoice-pdf"),
    path("counter/invoices/<int:pk>/csv/", views.InvoiceCsv.as_view(), name="counter-invoice-csv"),
    path(
        "counter/invoices/<int:pk>/xlsx/", views.InvoiceXlsx.as_view(), name="counter-invoice-xlsx"
    ),
]
