"""Explicit input and output serializers of the scheduling API (no logic here)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import DateParamField, DateTimeListField
from scheduling.models import Appointment, Leg


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


class AvailabilityQuery(serializers.Serializer):
    services = serializers.CharField(help_text=_("Service codes in visit order, comma-separated."))
    date_from = DateParamField()
    date_to = DateParamField()
    location = serializers.CharField(
        required=False, help_text=_("Location slug; default: every desk and the bus.")
    )
    region = serializers.IntegerField(required=False)
    group_size = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100)
    interpreter_needed = serializers.BooleanField(required=False, default=False)

    def validate_services(self, value):
        codes = _codes(value)
        if not codes:
            raise serializers.ValidationError(_("Give at least one service code."))
        return codes


class PlaceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class BusVisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    site_name = serializers.CharField()
    address = serializers.CharField()
    date = serializers.DateField()


class AvailabilityDayOutput(serializers.Serializer):
    location = PlaceOutput()
    bus_visit = BusVisitOutput(allow_null=True)
    date = serializers.DateField()
    starts = DateTimeListField()


class PackageQuery(serializers.Serializer):
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$")
    expected_stay_months = serializers.IntegerField(min_value=0, max_value=600)
    temporary_protection = serializers.BooleanField(required=False, default=False)
    works_under_dutch_social_security = serializers.BooleanField(required=False, default=True)
    self_employed = serializers.BooleanField(required=False, default=False)


class ServiceOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="localized_name")
    kind = serializers.CharField()
    category = serializers.CharField()
    duration_minutes = serializers.IntegerField()


class ClientInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = DateParamField()
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$")
    language = serializers.CharField(max_length=7, required=False, default="en")
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    expected_stay_months = serializers.IntegerField(min_value=0, max_value=600)
    temporary_protection = serializers.BooleanField(required=False, default=False)
    works_under_dutch_social_security = serializers.BooleanField(required=False, default=True)
    self_employed = serializers.BooleanField(required=False, default=False)
    municipality_of_residence = serializers.RegexField(
        r"^GM\d{4}$", help_text=_("CBS code, e.g. GM0855.")
    )
    # No default in the schema ("" is not an e-mail address): absent means blank.
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def validate(self, attrs):
        return {"email": "", "phone": "", **attrs}


class BookInput(serializers.Serializer):
    client = ClientInput(required=False)
    client_id = serializers.IntegerField(required=False)
    location = serializers.CharField(help_text=_("Location slug."))
    bus_visit = serializers.IntegerField(required=False, allow_null=True)
    start = serializers.DateTimeField()
    services = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Service codes; omitted: the proposed package for the client."),
    )

    def validate(self, attrs):
        if ("client" in attrs) == ("client_id" in attrs):
            raise serializers.ValidationError(_("Give either client or client_id."))
        return attrs


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RescheduleInput(serializers.Serializer):
    start = serializers.DateTimeField()
    location = serializers.CharField(required=False, help_text=_("Location slug."))
    bus_visit = serializers.IntegerField(required=False, allow_null=True)


class LegOutput(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.localized_name")
    counter = serializers.CharField(source="counter.name", allow_null=True, default=None)

    class Meta:
        model = Leg
        fields = ["position", "service", "service_name", "counter", "start", "end", "state"]


class AppointmentClientOutput(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    language = serializers.CharField()
    interpreter_needed = serializers.BooleanField()


class AppointmentOutput(serializers.ModelSerializer):
    location = PlaceOutput()
    bus_visit = BusVisitOutput(allow_null=True)
    client = AppointmentClientOutput()
    legs = LegOutput(many=True)

    class Meta:
        model = Appointment
        fields = [
            "booking_code",
            "status",
            "source",
            "location",
            "bus_visit",
            "client",
            "start",
            "end",
            "sequence",
            "legs",
        ]
