"""API: the ticket PDF of one visit, permission-checked like every other read."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from core.exceptions import NotFound
from scheduling.selectors.scope import appointments_for_user
from scheduling.tickets.pdf import TicketFormat
from scheduling.tickets.services import ticket_pdf_for_appointment
from scheduling.tickets.views import pdf_response

ErrorSerializer = inline_serializer(
    name="TicketError",
    fields={
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
    },
)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AppointmentTicketPdfView(APIView):
    """GET /api/v1/appointments/{code}/ticket.pdf"""

    renderer_classes = [PDFRenderer, JSONRenderer]

    @extend_schema(
        operation_id="appointment_ticket_pdf",
        summary="Ticket PDF of one appointment",
        description=(
            "The printable ticket (QR code, time, place, documents to bring) in the client's "
            "language. 404 when the appointment is unknown or outside your scope; 409 with "
            "code `appointment_cancelled` for a cancelled appointment."
        ),
        parameters=[
            OpenApiParameter(
                "paper",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(TicketFormat.ALL),
                description="a4 (default) or receipt (80 mm kiosk printer).",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (400, "application/json"): ErrorSerializer,
            (404, "application/json"): ErrorSerializer,
            (409, "application/json"): ErrorSerializer,
        },
        tags=["tickets"],
    )
    def get(self, request, code: str):
        appointment = appointments_for_user(request.user).filter(booking_code=code.upper()).first()
        if appointment is None:
            raise NotFound()
        pdf = ticket_pdf_for_appointment(
            appointment=appointment, fmt=request.query_params.get("paper"), actor=request.user
        )
        return pdf_response(pdf, f"ticket-{appointment.booking_code}.pdf")

    def handle_exception(self, exc):
        # Errors are JSON ({"code", "detail"}) even when the client asked for a PDF.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
