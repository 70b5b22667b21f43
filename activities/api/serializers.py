"""Output serializers of the activities API (read-only; no logic here)."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Participant, Registration, Session


def _aware(day: dt.date, time: dt.time) -> str:
    return serializers.DateTimeField().to_representation(
        timezone.make_aware(dt.datetime.combine(day, time))
    )


class SessionOut(serializers.ModelSerializer):
    """Start and end as aware datetimes (Europe/Amsterdam), like the rest of the API."""

    activity = serializers.CharField(source="activity.title")
    activity_kind = serializers.CharField(source="activity.kind")
    place = serializers.CharField()
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "activity", "activity_kind", "date", "starts_at", "ends_at", "place"]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, session: Session) -> str:
        return _aware(session.date, session.start_time)

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, session: Session) -> str:
        return _aware(session.date, session.end_time)


class ParticipantOut(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = [
            "id",
            "kind",
            "first_name",
            "last_name",
            "fee",
            "attendance",
            "checked_in_at",
            "cancelled_at",
        ]


class RegistrationOut(serializers.ModelSerializer):
    session = SessionOut()
    participants = ParticipantOut(many=True)

    class Meta:
        model = Registration
        fields = [
            "reference",
            "state",
            "payer",
            "po_reference",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "session",
            "participants",
        ]
