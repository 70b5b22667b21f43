"""Explicit input and output serializers of the group-booking API. No rules live here: the
roster validator and the group-booking services decide."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import DateParamField
from scheduling.group_booking.selectors import group_booking_members
from scheduling.models import Appointment, GroupBooking, Leg


class WorkerInputSerializer(serializers.Serializer):
    """One worker; the same columns as the roster file (docs/roster.md). Validation (per row,
    per field) is done by the roster validator so files and JSON give the same errors."""

    # The fields document the columns (and the OpenAPI schema); their values are checked by
    # the roster's row form (``RosterRowForm`` through ``roster_validate_rows``), like a file
    # row or a worker typed in the portal. Here only the shape is checked: an object of plain
    # values.

    first_name = serializers.CharField(allow_blank=True, max_length=200)
    last_name = serializers.CharField(allow_blank=True, max_length=200)
    birth_date = serializers.CharField(allow_blank=True, max_length=20, help_text="YYYY-MM-DD")
    nationality = serializers.CharField(allow_blank=True, max_length=10, help_text="ISO-2, e.g. PL")
    expected_stay_months = serializers.CharField(allow_blank=True, max_length=10)
    municipality_of_residence = serializers.CharField(
        allow_blank=True, max_length=100, help_text="CBS code (GM0826) or name"
    )
    language = serializers.CharField(required=False, allow_blank=True, max_length=10)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    temporary_protection = serializers.BooleanField(required=False, default=False)
    works_under_dutch_social_security = serializers.BooleanField(required=False, default=True)
    self_employed = serializers.BooleanField(required=False, default=False)

    def to_internal_value(self, data) -> dict:
        if not isinstance(data, Mapping) or not all(
            _is_plain(data.get(name)) for name in self.fields
        ):
            super().to_internal_value(data)  # raises DRF's usual error for a wrong shape
        return {name: data[name] for name in self.fields if name in data}


def _is_plain(value) -> bool:
    return value is None or isinstance(value, str | int | float)


class TargetInputSerializer(serializers.Serializer):
    location = serializers.IntegerField(required=False, help_text=_("Desk id"))
    region = serializers.IntegerField(required=False, help_text=_("Region id"))
    bus_visit = serializers.IntegerField(required=False, help_text=_("Bus visit id"))
    date_from = DateParamField(required=False)
    date_to = DateParamField(required=False)
    po_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    confirm = serializers.BooleanField(
        required=False, default=False, help_text=_("Book at once instead of holding the plan.")
    )
    employer = serializers.IntegerField(
        required=False, help_text=_("Coordinators only: the employer to book for.")
    )
    fair_share_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("Coordinators only: why this booking may exceed the employer's fair share."),
    )


class GroupBookingCreateInputSerializer(TargetInputSerializer):
    workers = WorkerInputSerializer(many=True)


class GroupBookingUploadInputSerializer(TargetInputSerializer):
    file = serializers.FileField(help_text=_("Roster as .csv or .xlsx (docs/roster.md)"))


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class RescheduleWorkerInputSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text=_("New start (with time zone)."))


class GroupLegOutputSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    counter = serializers.CharField(source="counter.name", allow_null=True)

    class Meta:
        model = Leg
        fields = ["position", "service", "counter", "start", "end", "state"]


class WorkerOutputSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="client.first_name")
    last_name = serializers.CharField(source="client.last_name")
    location = serializers.CharField(source="location.name")
    legs = GroupLegOutputSerializer(many=True)

    class Meta:
        model = Appointment
        fields = [
            "booking_code",
            "first_name",
            "last_name",
            "status",
            "start",
            "end",
            "location",
            "bus_visit",
            "sequence",
            "legs",
        ]


class GroupBookingOutputSerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name")
    location = serializers.CharField(source="location.name", allow_null=True)
    workers = serializers.SerializerMethodField()

    class Meta:
        model = GroupBooking
        fields = [
            "reference",
            "status",
            "employer",
            "po_reference",
            "location",
            "region",
            "bus_visit",
            "date_from",
            "date_to",
            "hold_expires_at",
            "created_at",
            "workers",
        ]

    @extend_schema_field(WorkerOutputSerializer(many=True))
    def get_workers(self, obj):
        return WorkerOutputSerializer(group_booking_members(obj), many=True).data


class GroupBookingListOutputSerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name")
    location = serializers.CharField(source="location.name", allow_null=True)

    class Meta:
        model = GroupBooking
        fields = [
            "reference",
            "status",
            "employer",
            "po_reference",
            "location",
            "date_from",
            "date_to",
            "hold_expires_at",
            "created_at",
        ]
