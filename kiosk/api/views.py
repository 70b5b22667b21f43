"""RPC-style queue endpoints for kiosks, counters and the display. Thin: input serializer ->
service -> output serializer; domain errors go through the shared exception handler."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound, ValidationFailed
from core.idempotency import idempotent_response
from kiosk.access import can_issue_walk_ins, counter_for_user
from kiosk.api.serializers import (
    CallInput,
    CheckInInput,
    CheckInOutput,
    DisplayOutput,
    FinishInput,
    GroupCheckInInput,
    GroupCheckInOutput,
    GroupInput,
    GroupMembersOutput,
    TicketOutput,
    UndoInput,
    WalkInInput,
)
from kiosk.api.throttles import KIOSK_THROTTLES
from kiosk.errors import KioskError
from kiosk.models import QueueTicket
from kiosk.selectors import display_board
from kiosk.services import calls
from kiosk.services.devices import device_require
from kiosk.services.tickets import (
    group_members_here_today,
    kiosk_check_in,
    kiosk_group_check_in,
    member_initials,
    walk_in_issue,
)
from scheduling.errors import SchedulingError
from scheduling.models import Location, ServiceType


def _location(slug: str) -> Location:
    return get_object_or_404(Location, slug=slug, is_active=True)


def _known(ticket, *, location: Location | None = None, counter=None):
    """The output serializer names the ticket's location and counter: hand it the rows the
    view already loaded (the same ones, by id) instead of reading them again."""
    if ticket is None:
        return ticket
    if counter is not None:
        location = counter.location
        if ticket.counter_id == counter.pk:
            ticket.counter = counter
    if location is not None and ticket.location_id == location.pk:
        ticket.location = location
    return ticket


class CheckInView(APIView):
    """Check in a booked visit by its scanned QR token or booking code. A repeated scan
    returns the same number (200) and changes nothing; a new number gives 201."""

    permission_classes = [AllowAny]  # the paired kiosk device is the credential
    throttle_classes = KIOSK_THROTTLES

    @extend_schema(request=CheckInInput, responses={200: CheckInOutput, 201: CheckInOutput})
    def post(self, request):
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location(data.validated_data["location"])
        device = device_require(request, location)

        def handle():
            result = kiosk_check_in(
                location=location,
                token=data.validated_data.get("token", ""),
                booking_code=data.validated_data.get("booking_code", ""),
                actor=request.user,
            )
            ticket = _known(result.ticket, location=location)
            body = CheckInOutput(
                {"created": result.created, "late": result.late, "ticket": ticket}
            ).data
            return Response(body, status=201 if result.created else 200)

        # Each device has its own key namespace.
        return idempotent_response(request, scope=f"kiosk.check_in:{device.pk}", handler=handle)


class GroupMembersView(APIView):
    """The members of a group booking booked here today, by the group's reference (a worker's
    booking code is refused): ids and initials only, no names and no times."""

    permission_classes = [AllowAny]  # the paired kiosk device is the credential

    @extend_schema(request=GroupInput, responses={200: GroupMembersOutput})
    def post(self, request):
        data = GroupInput(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location(data.validated_data["location"])
        device_require(request, location)
        _group, members = group_members_here_today(
            reference=data.validated_data["reference"], location=location
        )
        body = {"members": [{"id": m.pk, "initials": member_initials(m)} for m in members]}
        return Response(GroupMembersOutput(body).data)


class GroupCheckInView(APIView):
    """Check in the members of a group who are present (each gets a number; a member already
    checked in keeps theirs). Lines carry initials only."""

    permission_classes = [AllowAny]  # the paired kiosk device is the credential

    @extend_schema(request=GroupCheckInInput, responses={200: GroupCheckInOutput})
    def post(self, request):
        data = GroupCheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location(data.validated_data["location"])
        device = device_require(request, location)

        def handle():
            lines = kiosk_group_check_in(
                location=location,
                reference=data.validated_data["reference"],
                present_ids=data.validated_data["present"],
                actor=request.user,
            )
            return Response(GroupCheckInOutput({"lines": lines}).data)

        return idempotent_response(
            request, scope=f"kiosk.group_check_in:{device.pk}", handler=handle
        )


class WalkInView(APIView):
    """A walk-in number for chosen services (reception staff of the location; or a paired
    kiosk of the location when it allows kiosk walk-ins). Daily caps per service apply."""

    permission_classes = [AllowAny]
    throttle_classes = KIOSK_THROTTLES

    @extend_schema(request=WalkInInput, responses={201: TicketOutput})
    def post(self, request):
        data = WalkInInput(data=request.data)
        data.is_valid(raise_exception=True)
        location = _location(data.validated_data["location"])
        staff = can_issue_walk_ins(request.user, location)
        device = None if staff else device_require(request, location)

        def handle():
            codes = data.validated_data["services"]
            services = list(ServiceType.objects.filter(code__in=codes, is_active=True))
            if len(services) != len(set(codes)):
                raise ValidationFailed(_("Unknown service."), code=SchedulingError.UNKNOWN_SERVICE)
            ticket = walk_in_issue(
                location=location,
                services=services,
                actor=request.user,
                language=data.validated_data["language"],
                via_kiosk=not staff,
                price_confirmed=data.validated_data["price_confirmed"],
            )
            ticket = _known(ticket, location=location)
            return Response(TicketOutput(ticket).data, status=status.HTTP_201_CREATED)

        namespace = f"device{device.pk}" if device else "staff"
        return idempotent_response(request, scope=f"kiosk.walk_in:{namespace}", handler=handle)


class CounterActionView(APIView):
    """Base for POST /counters/{id}/<action>: officers of the counter's location."""

    action_name = ""
    input_serializer = None

    def run(self, counter, request, data):
        raise NotImplementedError

    def post(self, request, counter_id: int):
        counter = counter_for_user(request.user, counter_id)

        def handle():
            data = {}
            if self.input_serializer is not None:
                ser = self.input_serializer(data=request.data)
                ser.is_valid(raise_exception=True)
                data = ser.validated_data
            ticket = _known(self.run(counter, request, data), counter=counter)
            return Response(TicketOutput(ticket).data)

        return idempotent_response(
            request, scope=f"counter.{counter.pk}.{self.action_name}", handler=handle
        )


def _counter_view(name, doc, func, serializer=None):
    def run(self, counter, request, data):
        return func(counter, request, data)

    # A function of its own per action: extend_schema annotates the function it is given,
    # and the base class's post is shared by all seven actions.
    def post(self, request, counter_id: int):
        return CounterActionView.post(self, request, counter_id)

    post = extend_schema(request=serializer, responses={200: TicketOutput})(post)
    return type(
        f"Counter{name.title().replace('-', '')}View",
        (CounterActionView,),
        {
            "action_name": name,
            "input_serializer": serializer,
            "run": run,
            "post": post,
            "__doc__": doc,
        },
    )


def _call_given(counter, request, data):
    ticket = QueueTicket.objects.filter(
        location=counter.location,
        code=data["code"].strip().upper(),
        service_date=timezone.localdate(),
    ).first()
    if ticket is None:
        raise NotFound(_("No such number at this location today."), code=KioskError.TICKET_NOT_HERE)
    return calls.ticket_call(counter=counter, ticket=ticket, actor=request.user)


CallNextView = _counter_view(
    "call-next",
    "Call the next person this counter may serve (booked visits due first, then the longest "
    "wait). 404 queue_empty when nobody waits.",
    lambda c, r, d: calls.ticket_call_next(counter=c, actor=r.user),
)
CallView = _counter_view("call", "Call a given waiting number.", _call_given, CallInput)
RecallView = _counter_view(
    "recall",
    "Call the current number again.",
    lambda c, r, d: calls.ticket_recall(counter=c, actor=r.user),
)
NoShowView = _counter_view(
    "no-show",
    "The called person did not come.",
    lambda c, r, d: calls.ticket_mark_no_show(counter=c, actor=r.user),
)
StartView = _counter_view(
    "start",
    "The called person is at the counter.",
    lambda c, r, d: calls.ticket_start(counter=c, actor=r.user),
)
FinishView = _counter_view(
    "finish",
    "Finish the leg; with a next leg the same number waits again for it.",
    lambda c, r, d: calls.ticket_finish(counter=c, actor=r.user, completed=d["completed"]),
    FinishInput,
)
UndoView = _counter_view(
    "undo",
    "Take back this counter's last call, start, finish or no-show (audited).",
    lambda c, r, d: calls.counter_undo(counter=c, actor=r.user, reason=d.get("reason", "")),
    UndoInput,
)


class DisplayView(APIView):
    """What the public display shows: numbers and counter names, never a person."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: DisplayOutput})
    def get(self, request, location: str):
        return Response(DisplayOutput(display_board(location=_location(location))).data)
