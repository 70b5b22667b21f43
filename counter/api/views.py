"""Counter API: thin RPC-style views over the services, row-scoped (out of scope -> 404)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.downloads import file_response
from core.exports import XLSX_CONTENT_TYPE
from counter import selectors
from counter.api import serializers as s
from counter.models import FeeLine
from counter.policies import InvoiceReaders
from counter.services.fees import fee_line_add, fee_line_credit, visit_close
from counter.services.financing import funded_service_void
from counter.services.invoices import invoice_csv, invoice_pdf, invoice_xlsx
from counter.services.records import (
    service_record_bsn_reveal,
    service_record_create,
    service_record_void,
)


class LegRecordCreate(APIView):
    @extend_schema(
        request=s.RecordCreateIn, responses={201: s.RecordOut}, operation_id="leg_record_create"
    )
    def post(self, request, leg_id: int):
        leg = get_object_or_404(selectors.legs_for_officer(request.user), pk=leg_id)
        data = s.RecordCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        record = service_record_create(leg=leg, actor=request.user, **data.validated_data)
        return Response(s.RecordOut(record).data, status=status.HTTP_201_CREATED)


class RecordDetail(generics.RetrieveAPIView):
    serializer_class = s.RecordOut

    def get_queryset(self):
        return selectors.records_for_officer(self.request.user)


class RecordVoid(APIView):
    @extend_schema(request=s.ReasonIn, responses={200: s.RecordOut}, operation_id="record_void")
    def post(self, request, pk: int):
        record = get_object_or_404(selectors.records_for_officer(request.user), pk=pk)
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        record = service_record_void(record=record, actor=request.user, **data.validated_data)
        return Response(s.RecordOut(record).data)


class RecordBsnReveal(APIView):
    """The stored BSN of a record: POST with a reason (every view is logged)."""

    @extend_schema(request=s.ReasonIn, responses={200: s.BsnOut}, operation_id="record_bsn_reveal")
    def post(self, request, pk: int):
        record = get_object_or_404(selectors.records_for_officer(request.user), pk=pk)
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        bsn = service_record_bsn_reveal(record=record, actor=request.user, **data.validated_data)
        return Response({"bsn": bsn}, headers={"Cache-Control": "no-store"})


class VisitFeeAdd(APIView):
    @extend_schema(
        request=s.FeeAddIn,
        responses={
            201: PolymorphicProxySerializer(
                component_name="FeeAddOut",
                serializers=[s.FeeLineOut, s.FundedServiceOut],
                resource_type_field_name=None,
            )
        },
        operation_id="visit_fee_add",
    )
    def post(self, request, appointment_id: int):
        appointment = get_object_or_404(
            selectors.visits_for_officer(request.user), pk=appointment_id
        )
        data = s.FeeAddIn(data=request.data)
        data.is_valid(raise_exception=True)
        line = fee_line_add(appointment=appointment, actor=request.user, **data.validated_data)
        if not isinstance(line, FeeLine):  # a government financing variant: no fee line
            funded = {"id": None, "appointment": appointment.pk, "funded_service": line.pk}
            return Response(s.FundedServiceOut(funded).data, status=status.HTTP_201_CREATED)
        return Response(s.FeeLineOut(line).data, status=status.HTTP_201_CREATED)


class FeeLineCredit(APIView):
    @extend_schema(
        request=s.ReasonIn, responses={201: s.FeeLineOut}, operation_id="fee_line_credit"
    )
    def post(self, request, pk: int):
        line = get_object_or_404(selectors.fee_lines_for_officer(request.user), pk=pk)
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        credit = fee_line_credit(line=line, actor=request.user, **data.validated_data)
        return Response(s.FeeLineOut(credit).data, status=status.HTTP_201_CREATED)


class FundedServiceVoid(APIView):
    """Void an extra service the government parties pay (``funded_service`` of the fee
    answer): settlement credits its claim lines; the extra service may then be taken again."""

    @extend_schema(
        request=s.ReasonIn,
        responses={200: s.FundedServiceDetailOut},
        operation_id="funded_service_void",
    )
    def post(self, request, pk: int):
        funded = get_object_or_404(selectors.funded_services_for_officer(request.user), pk=pk)
        data = s.ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        funded = funded_service_void(funded=funded, actor=request.user, **data.validated_data)
        return Response(s.FundedServiceDetailOut(funded).data)


class VisitClose(APIView):
    @extend_schema(request=None, responses={201: s.VisitClosureOut}, operation_id="visit_close")
    def post(self, request, appointment_id: int):
        appointment = get_object_or_404(
            selectors.visits_for_officer(request.user), pk=appointment_id
        )
        closure = visit_close(appointment=appointment, actor=request.user)
        return Response(s.VisitClosureOut(closure).data, status=status.HTTP_201_CREATED)


class InvoiceList(generics.ListAPIView):
    permission_classes = [InvoiceReaders]

    serializer_class = s.InvoiceOut

    def get_queryset(self):
        return selectors.invoices_for_user(self.request.user)


class InvoiceDetail(generics.RetrieveAPIView):
    permission_classes = [InvoiceReaders]

    serializer_class = s.InvoiceDetailOut

    def get_queryset(self):
        return selectors.invoices_for_user(self.request.user).prefetch_related(
            "lines__client", "lines__service"
        )


class InvoicePdf(APIView):
    permission_classes = [InvoiceReaders]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="invoice_pdf"
    )
    def get(self, request, pk: int):
        invoice = get_object_or_404(selectors.invoices_for_user(request.user), pk=pk)
        return file_response(invoice_pdf(invoice), filename=f"invoice-{invoice.number}.pdf")


class InvoiceCsv(APIView):
    permission_classes = [InvoiceReaders]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY}, operation_id="invoice_csv")
    def get(self, request, pk: int):
        invoice = get_object_or_404(selectors.invoices_for_user(request.user), pk=pk)
        return file_response(invoice_csv(invoice), filename=f"invoice-{invoice.number}.csv")


class InvoiceXlsx(APIView):
    permission_classes = [InvoiceReaders]

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}, operation_id="invoice_xlsx"
    )
    def get(self, request, pk: int):
        invoice = get_object_or_404(selectors.invoices_for_user(request.user), pk=pk)
        return file_response(invoice_xlsx(invoice), filename=f"invoice-{invoice.number}.xlsx")
