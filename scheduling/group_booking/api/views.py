"""Group-booking API: thin views. Input serializer -> roster validator -> service -> output."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound, ValidationFailed
from core.idempotency import idempotent_response
from core.roles import is_coordinator, user_employer
from core.uploads import upload_size_check
from scheduling.errors import SchedulingError
from scheduling.group_booking import services as svc
from scheduling.group_booking.api.serializers import (
    GroupBookingCreateInputSerializer,
    GroupBookingListOutputSerializer,
    GroupBookingOutputSerializer,
    GroupBookingUploadInputSerializer,
    ReasonInputSerializer,
    RescheduleWorkerInputSerializer,
    WorkerInputSerializer,
    WorkerOutputSerializer,
)
from scheduling.group_booking.roster import roster_parse_upload, roster_validate_rows
from scheduling.models import BusVisit, Employer, Location, Region
from scheduling.policies import IsGroupBookingParty
from scheduling.selectors.scope import group_booking_for_user, group_bookings_for_user

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A repeated request with the same key returns the first result.",
)


def acting_employer(user, data) -> Employer:
    employer = user_employer(user)
    if employer is not None:
        return employer
    if is_coordinator(user) and data.get("employer"):
        return get_object_or_404(Employer, pk=data["employer"])
    if is_coordinator(user):
        raise ValidationFailed(
            _("Choose the employer to book for."), code=SchedulingError.EMPLOYER_REQUIRED
        )
    raise NotFound()


def target_kwargs(data) -> dict:
    out = {
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "po_reference": data.get("po_reference", ""),
        "confirm": data.get("confirm", False),
        "fair_share_override_reason": data.get("fair_share_override_reason", ""),
    }
    lookups = (("location", Location), ("region", Region), ("bus_visit", BusVisit))
    for name, model in lookups:
        out[name] = None
        if data.get(name) is not None:
            obj = model.objects.filter(pk=data[name]).first()
            if obj is None:
                raise ValidationFailed(
                    _("Unknown %(field)s.") % {"field": name}, code=f"unknown_{name}"
                )
            out[name] = obj
    return out


def _created(group) -> Response:
    return Response(GroupBookingOutputSerializer(group).data, status=status.HTTP_201_CREATED)


# GET: the user's group bookings, newest first, a page at a time like every API list
# (core.api.pagination: limit/offset, 50 by default; issue 19); POST: book a group.
class GroupBookingListCreateApi(generics.ListAPIView):
    permission_classes = [IsGroupBookingParty]
    serializer_class = GroupBookingListOutputSerializer

    def get_queryset(self):
        return group_bookings_for_user(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        request=GroupBookingCreateInputSerializer,
        responses={201: GroupBookingOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request):
        def handler():
            serializer = GroupBookingCreateInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            employer = acting_employer(request.user, data)
            workers = roster_validate_rows(list(data["workers"]), first_row=1)
            group = svc.group_booking_create(
                employer=employer, actor=request.user, workers=workers, **target_kwargs(data)
            )
            return _created(group)

        return idempotent_response(request, scope="group_booking.create", handler=handler)


class GroupBookingUploadApi(APIView):
    permission_classes = [IsGroupBookingParty]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": GroupBookingUploadInputSerializer},
        responses={201: GroupBookingOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request):
        upload_size_check(request)  # before request.data parses the body

        def handler():
            serializer = GroupBookingUploadInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            employer = acting_employer(request.user, data)
            upload = data["file"]
            workers = roster_parse_upload(name=upload.name, content=upload.read())
            group = svc.group_booking_create(
                employer=employer, actor=request.user, workers=workers, **target_kwargs(data)
            )
            return _created(group)

        return idempotent_response(request, scope="group_booking.upload", handler=handler)


class GroupBookingDetailApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(responses=GroupBookingOutputSerializer)
    def get(self, request, reference):
        group = group_booking_for_user(request.user, reference)
        return Response(GroupBookingOutputSerializer(group).data)


class GroupBookingConfirmApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(request=None, responses=GroupBookingOutputSerializer)
    def post(self, request, reference):
        group = group_booking_for_user(request.user, reference)
        group = svc.group_booking_confirm(group_booking=group, actor=request.user)
        return Response(GroupBookingOutputSerializer(group).data)


class GroupBookingCancelApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(request=ReasonInputSerializer, responses=GroupBookingOutputSerializer)
    def post(self, request, reference):
        group = group_booking_for_user(request.user, reference)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = svc.group_booking_cancel(
            group_booking=group,
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(GroupBookingOutputSerializer(group).data)


class GroupBookingWorkerAddApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(
        request=WorkerInputSerializer,
        responses={201: WorkerOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, reference):
        group = group_booking_for_user(request.user, reference)

        def handler():
            serializer = WorkerInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            (worker,) = roster_validate_rows([serializer.validated_data], first_row=1)
            appointment = svc.group_booking_worker_add(
                group_booking=group, worker=worker, actor=request.user
            )
            return Response(WorkerOutputSerializer(appointment).data, status=201)

        return idempotent_response(request, scope=f"group_booking.add:{group.pk}", handler=handler)


class GroupBookingWorkerCancelApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(request=ReasonInputSerializer, responses=WorkerOutputSerializer)
    def post(self, request, reference, booking_code):
        group = group_booking_for_user(request.user, reference)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = svc.group_booking_worker_cancel(
            group_booking=group,
            booking_code=booking_code,
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(WorkerOutputSerializer(appointment).data)


class GroupBookingWorkerReplaceApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(
        request=WorkerInputSerializer,
        responses={201: WorkerOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, reference, booking_code):
        group = group_booking_for_user(request.user, reference)

        def handler():
            serializer = WorkerInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            (worker,) = roster_validate_rows([serializer.validated_data], first_row=1)
            appointment = svc.group_booking_worker_replace(
                group_booking=group, booking_code=booking_code, worker=worker, actor=request.user
            )
            return Response(WorkerOutputSerializer(appointment).data, status=201)

        return idempotent_response(
            request, scope=f"group_booking.replace:{group.pk}:{booking_code}", handler=handler
        )


class GroupBookingWorkerRescheduleApi(APIView):
    permission_classes = [IsGroupBookingParty]

    @extend_schema(request=RescheduleWorkerInputSerializer, responses=WorkerOutputSerializer)
    def post(self, request, reference, booking_code):
        group = group_booking_for_user(request.user, reference)
        serializer = RescheduleWorkerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = svc.group_booking_worker_reschedule(
            group_booking=group,
            booking_code=booking_code,
            start=serializer.validated_data["start"],
            actor=request.user,
        )
        return Response(WorkerOutputSerializer(appointment).data)
