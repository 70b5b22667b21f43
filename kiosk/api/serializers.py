"""Explicit input and output shapes of the queue API (no personal data in any output)."""

from rest_framework import serializers


class CheckInInput(serializers.Serializer):
    location = serializers.SlugField(help_text="Slug of the kiosk's location.")
    token = serializers.CharField(required=False, allow_blank=True, max_length=200)
    booking_code = serializers.CharField(required=False, allow_blank=True, max_length=20)

    def validate(self, attrs):
        if not (attrs.get("token") or attrs.get("booking_code")):
            raise serializers.ValidationError("Give the scanned token or the booking code.")
        return attrs


class WalkInInput(serializers.Serializer):
    location = serializers.SlugField()
    services = serializers.ListField(
        child=serializers.SlugField(), min_length=1, max_length=10, help_text="Service codes."
    )
    language = serializers.CharField(required=False, default="en", max_length=7)
    price_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Reception staff: the client was told the price of the paid services and "
        "agrees to pay it. Without it a paid walk-in is refused (price_not_confirmed).",
    )


class CallInput(serializers.Serializer):
    code = serializers.CharField(max_length=8, help_text="The number to call, e.g. A007.")


class FinishInput(serializers.Serializer):
    completed = serializers.BooleanField(
        required=False, default=True, help_text="False: the leg could not be completed."
    )


class UndoInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TicketOutput(serializers.Serializer):
    code = serializers.CharField()
    prefix = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    walk_in = serializers.BooleanField(source="is_walk_in")
    service = serializers.SerializerMethodField()
    leg_position = serializers.SerializerMethodField()
    leg = serializers.IntegerField(
        source="leg_id", allow_null=True, help_text="The leg's id (to record its outcome)."
    )
    counter = serializers.SerializerMethodField()
    location = serializers.CharField(source="location.slug")
    service_date = serializers.DateField()
    issued_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True)

    def get_service(self, ticket) -> str:
        return ticket.leg.service.localized_name() if ticket.leg_id else ""

    def get_leg_position(self, ticket) -> int | None:
        return ticket.leg.position if ticket.leg_id else None

    def get_counter(self, ticket) -> str | None:
        return ticket.counter.name if ticket.counter_id else None


class CheckInOutput(serializers.Serializer):
    created = serializers.BooleanField(help_text="False when this was a repeated scan.")
    late = serializers.BooleanField(
        help_text="True: arrived too late; the number (state `late`) waits for the reception."
    )
    ticket = TicketOutput()


class GroupInput(serializers.Serializer):
    location = serializers.SlugField(help_text="Slug of the kiosk's location.")
    reference = serializers.CharField(
        max_length=20, help_text="The group booking's reference (not a worker's booking code)."
    )


class GroupCheckInInput(GroupInput):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=500,
        help_text="Ids of the members who are present (from kiosk/group/members).",
    )


class GroupMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    initials = serializers.CharField(help_text='Initials only, e.g. "M. K.".')


class GroupMembersOutput(serializers.Serializer):
    members = GroupMemberOutput(many=True)


class GroupCheckInLineOutput(serializers.Serializer):
    id = serializers.IntegerField(source="appointment.pk")
    initials = serializers.CharField()
    created = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()
    ticket = TicketOutput(source="result.ticket", allow_null=True, default=None)
    error = serializers.CharField()

    def get_created(self, line) -> bool:
        return bool(line.result and line.result.created)

    def get_late(self, line) -> bool:
        return bool(line.result and line.result.late)


class GroupCheckInOutput(serializers.Serializer):
    lines = GroupCheckInLineOutput(many=True)


class DisplayCallOutput(serializers.Serializer):
    code = serializers.CharField()
    counter = serializers.CharField()
    state = serializers.CharField()
    called_at = serializers.DateTimeField(allow_null=True)


class DisplayOutput(serializers.Serializer):
    location = serializers.CharField()
    now = serializers.DateTimeField()
    calls = DisplayCallOutput(many=True)
    waiting = serializers.DictField(child=serializers.IntegerField())
    last_call_id = serializers.IntegerField()
