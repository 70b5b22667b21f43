"""core.idempotency: a new key costs one lookup before the handler; a repeat replays the first
response; an expired record is deleted and never replayed."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.response import Response

from core.idempotency import IDEMPOTENCY_HOURS, idempotent_response
from core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def _request(key="k-1", data=None):
    return SimpleNamespace(
        META={"HTTP_IDEMPOTENCY_KEY": key}, user=AnonymousUser(), data=data or {"a": 1}
    )


class Handler:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return Response({"n": self.calls}, status=201)


def test_new_key_looks_up_once_before_the_handler(django_assert_num_queries):
    handler = Handler()
    # One SELECT, then the handler's savepoint, the INSERT of the record, the release.
    with django_assert_num_queries(4) as ctx:
        response = idempotent_response(_request(), scope="t", handler=handler)
    assert response.status_code == 201
    assert [q["sql"].split()[0] for q in ctx.captured_queries[:1]] == ["SELECT"]
    assert IdempotencyRecord.objects.count() == 1


def test_repeat_replays_with_one_query(django_assert_num_queries):
    handler = Handler()
    idempotent_response(_request(), scope="t", handler=handler)
    with django_assert_num_queries(1):
        again = idempotent_response(_request(), scope="t", handler=handler)
    assert handler.calls == 1
    assert again.data == {"n": 1}
    assert again["Idempotent-Replayed"] == "true"


def test_expired_record_is_deleted_and_the_key_starts_afresh():
    handler = Handler()
    idempotent_response(_request(), scope="t", handler=handler)
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=IDEMPOTENCY_HOURS, minutes=1)
    )
    # A different body would be refused (409) if the old record were still replayed.
    response = idempotent_response(_request(data={"a": 2}), scope="t", handler=handler)
    assert response.status_code == 201
    assert response.data == {"n": 2}
    assert handler.calls == 2
    record = IdempotencyRecord.objects.get()
    assert record.created_at > timezone.now() - dt.timedelta(minutes=5)
