"""Serializer fields shared by every API."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.dates import DATE_MAX, DATE_MIN


class DateParamField(serializers.DateField):
    """A date between ``core.dates.DATE_MIN`` and ``DATE_MAX`` (an impossible date such as
    2026-02-30 is already refused by ``DateField``): 400, never an overflow later on."""

    default_error_messages = {
        "out_of_range": _("Give a date between {min} and {max}."),
    }

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            self.fail("out_of_range", min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
        return day


class DateTimeListField(serializers.ListField):
    """A list of aware datetimes, written as ``DateTimeField`` writes each one (ISO 8601 in
    the current time zone, ``Z`` for UTC) at a fraction of the cost: availability answers
    carry hundreds of start times, and a field per item was most of the serializer's time.
    For output serializers (``to_internal_value`` is ``ListField``'s)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.DateTimeField())
        super().__init__(**kwargs)

    def to_representation(self, data):
        tz = timezone.get_current_timezone()
        out = []
        for value in data:
            text = value.astimezone(tz).isoformat()
            out.append(text[:-6] + "Z" if text.endswith("+00:00") else text)
        return out
