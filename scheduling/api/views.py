"""Scheduling API: thin views over the availability selector and the booking services."""

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound
from core.idempotency import idempotent_response
from core.roles import is_coordinator, user_location
from scheduling.api import serializers as s
from scheduling.errors import SchedulingError
from scheduling.models import (
    Appointment,
    BusVisit,
    Leg,
    Location,
    Municipality,
    Region,
)
from scheduling.policies import IsDeskStaff, IsDeskStaffOrEmployer, client_for_user
from scheduling.selectors.availability import availability_search
from scheduling.selectors.scope import appointments_for_user
from scheduling.services.booking import (
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from scheduling.services.clients import client_create
from scheduling.services.package import ClientFacts, package_propose, services_resolve

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {code, detail, errors}"),
    404: OpenApiResponse(description="Not found (or out of your scope)"),
    409: OpenApiResponse(description="slot_taken / busy / not_cancellable"),
}


def _location_in_scope(user, slug: str) -> Location:
    """A location the user may book at; others are 'not found' (no existence leak)."""
    location = Location.objects.filter(slug=slug, is_active=True).first()
    own = user_location(user)
    if location is None or not (is_coordinator(user) or (own and own.pk == location.pk)):
        raise NotFound(_("No such location."), code=SchedulingError.LOCATION_NOT_FOUND)
    return location


def _bus_visit(location: Location, pk) -> BusVisit | None:
    if pk is None:
        return None
    visit = BusVisit.objects.filter(pk=pk, location=location).first()
    if visit is None:
        raise NotFound(_("No such bus visit."), code=SchedulingError.BUS_VISIT_NOT_FOUND)
    return visit


def _appointment(user, booking_code: str) -> Appointment:
    qs = (
        appointments_for_user(user)
        .select_related("bus_visit")
        .prefetch_related(
            Prefetch("legs", queryset=Leg.objects.select_related("service", "counter"))
        )
    )
    return get_object_or_404(qs, booking_code=booking_code.upper())


def _out(appointment: Appointment, user, code=status.HTTP_200_OK) -> Response:
    return Response(s.AppointmentOutput(_appointment(user, appointment.booking_code)).data, code)


class AvailabilityView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(
        parameters=[s.AvailabilityQuery],
        responses={200: s.AvailabilityDayOutput(many=True), **ERRORS},
    )
    def get(self, request):
        query = s.AvailabilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        locations = None
        if data.get("location"):
            location = Location.objects.filter(slug=data["location"], is_active=True).first()
            if location is None:
                raise NotFound(_("No such location."), code=SchedulingError.LOCATION_NOT_FOUND)
            locations = [location]
        region = None
        if data.get("region") is not None:
            region = Region.objects.filter(pk=data["region"]).first()
            if region is None:
                raise NotFound(_("No such region."), code=SchedulingError.REGION_NOT_FOUND)
        days = availability_search(
            services=services_resolve(data["services"]),
            locations=locations,
            region=region,
            date_from=data["date_from"],
            date_to=data["date_to"],
            group_size=data["group_size"],
            interpreter_needed=data["interpreter_needed"],
        )
        return Response(s.AvailabilityDayOutput(days, many=True).data)


class PackageView(APIView):
    permission_classes = [IsDeskStaffOrEmployer]

    @extend_schema(parameters=[s.PackageQuery], responses={200: s.ServiceOutput(many=True)})
    def get(self, request):
        query = s.PackageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        facts = ClientFacts(**query.validated_data)
        return Response(s.ServiceOutput(package_propose(client=facts), many=True).data)


class AppointmentBookView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(request=s.BookInput, responses={201: s.AppointmentOutput, **ERRORS})
    def post(self, request):
        return idempotent_response(
            request, scope="appointment_book", handler=lambda: self._book(request)
        )

    def _book(self, request):
        body = s.BookInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        location = _location_in_scope(request.user, data["location"])
        visit = _bus_visit(location, data.get("bus_visit"))
        with transaction.atomic():
            if "client" in data:
                facts = dict(data["client"])
                residence = Municipality.objects.filter(
                    cbs_code=facts.pop("municipality_of_residence")
                ).first()
                if residence is None:
                    raise NotFound(
                        _("No such municipality."), code=SchedulingError.MUNICIPALITY_NOT_FOUND
                    )
                client = client_create(
                    actor=request.user, municipality_of_residence=residence, **facts
                )
            else:
                client = client_for_user(request.user, data["client_id"])
            services = (
                services_resolve(data["services"])
                if data.get("services")
                else package_propose(client=client)
            )
            appointment = appointment_book(
                client=client,
                location=location,
                start=data["start"],
                services=services,
                actor=request.user,
                bus_visit=visit,
            )
        return _out(appointment, request.user, status.HTTP_201_CREATED)


class AppointmentDetailView(APIView):
    permission_classes = [IsDeskStaffOrEmployer]

    @extend_schema(responses={200: s.AppointmentOutput, 404: ERRORS[404]})
    def get(self, request, booking_code: str):
        return Response(s.AppointmentOutput(_appointment(request.user, booking_code)).data)


class AppointmentCancelView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(request=s.CancelInput, responses={200: s.AppointmentOutput, **ERRORS})
    def post(self, request, booking_code: str):
        def handler():
            appointment = _appointment(request.user, booking_code)
            body = s.CancelInput(data=request.data)
            body.is_valid(raise_exception=True)
            appointment_cancel(
                appointment=appointment,
                actor=request.user,
                reason=body.validated_data.get("reason", ""),
            )
            return _out(appointment, request.user)

        return idempotent_response(
            request, scope=f"appointment_cancel:{booking_code}", handler=handler
        )


class AppointmentRescheduleView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(request=s.RescheduleInput, responses={200: s.AppointmentOutput, **ERRORS})
    def post(self, request, booking_code: str):
        def handler():
            appointment = _appointment(request.user, booking_code)
            body = s.RescheduleInput(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            location = (
                _location_in_scope(request.user, data["location"]) if data.get("location") else None
            )
            visit = _bus_visit(location or appointment.location, data.get("bus_visit"))
            appointment_reschedule(
                appointment=appointment,
                start=data["start"],
                actor=request.user,
                location=location,
                bus_visit=visit,
            )
            return _out(appointment, request.user)

        return idempotent_response(
            request, scope=f"appointment_reschedule:{booking_code}", handler=handler
        )
