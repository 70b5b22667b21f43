"""core.api.fields.DateTimeListField writes exactly what DateTimeField writes, item by item."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework import serializers

from core.api.fields import DateTimeListField

AMS = ZoneInfo("Europe/Amsterdam")


def test_same_text_as_datetime_field_in_winter_summer_and_utc():
    values = [
        dt.datetime(2027, 1, 11, 9, 0, tzinfo=AMS),
        dt.datetime(2027, 7, 12, 16, 45, tzinfo=AMS),
        dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC),  # the night the clocks go forward
    ]
    for zone in (AMS, dt.UTC):
        with timezone.override(zone):
            expected = [serializers.DateTimeField().to_representation(v) for v in values]
            assert DateTimeListField().to_representation(values) == expected
    with timezone.override(dt.UTC):
        assert DateTimeListField().to_representation(values[:1]) == ["2027-01-11T08:00:00Z"]
