"""The shared mechanisms of ``core``, each written once and used by every app."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction

from core.calendar import (
    desk_holiday_proposals,
    is_working_day,
    working_day_on_or_after,
    working_days_from,
)
from core.downloads import file_response
from core.errors import CoreError, all_error_codes
from core.exceptions import Conflict, ValidationFailed
from core.models import ImmutableError
from core.tasks import enqueue_on_commit
from counter.models import Tariff
from counter.services.fees import tariff_create
from tests import factories as f


def test_good_friday_and_liberation_day_are_no_working_days_but_no_automatic_closures():
    good_friday, liberation = dt.date(2027, 3, 26), dt.date(2027, 5, 5)
    assert not is_working_day(good_friday) and not is_working_day(liberation)
    assert not is_working_day(dt.date(2027, 3, 29))  # Easter Monday
    assert working_day_on_or_after(good_friday) == dt.date(2027, 3, 30)
    proposed = {day for day, _name in desk_holiday_proposals(2027)}
    assert good_friday not in proposed and liberation not in proposed
    assert dt.date(2027, 3, 29) in proposed and dt.date(2027, 4, 27) in proposed


def test_working_days_skip_weekends_holidays_and_a_desks_closures():
    closed = {dt.date(2027, 1, 5)}
    assert working_days_from(dt.date(2027, 1, 1), 3, closed_days=closed) == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 6),
        dt.date(2027, 1, 7),
    ]


def test_download_keeps_a_non_ascii_file_name_and_is_not_cached():
    response = file_response("a;b\n", filename="afrekening-’s-Hertogenbosch.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''afrekening-%E2%80%99s-Hertogenbosch.csv" in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert response.getvalue() == b"a;b\n"
    inline = file_response(b"%PDF", filename="ticket.pdf", download=False)
    assert inline["Content-Disposition"].startswith("inline;")


@pytest.mark.django_db(transaction=True)
def test_a_task_is_queued_only_when_the_transaction_commits():
    with mock.patch("django_q.tasks.async_task") as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit("counter.tasks.invoice_email_task", 1, task_name="invoice-1")
            raise RuntimeError("rolled back")
        assert queued.call_count == 0
        with transaction.atomic():
            enqueue_on_commit("counter.tasks.invoice_email_task", 2, task_name="invoice-2")
            assert queued.call_count == 0
        queued.assert_called_once_with("counter.tasks.invoice_email_task", 2, task_name="invoice-2")


def test_immutable_rows_refuse_save_delete_and_bulk_changes(reference):
    service = f.service("welcome")
    tariff = tariff_create(
        service=service, amount=Decimal("60.00"), valid_from=dt.date(2040, 1, 1), actor=None
    )
    tariff.amount = Decimal("61.00")
    tariff.save()  # nobody was charged yet: still correctable
    with mock.patch.object(Tariff, "is_frozen", return_value=True):
        tariff.amount = Decimal("62.00")
        with pytest.raises(ImmutableError):
            tariff.save()
        tariff.valid_to = dt.date(2040, 12, 31)
        tariff.save(update_fields=["valid_to"])  # ending a used tariff is allowed
        with pytest.raises(ImmutableError):
            tariff.delete()
    with pytest.raises(ImmutableError):
        Tariff.objects.filter(pk=tariff.pk).update(amount=Decimal("1.00"))
    assert Tariff.objects.filter(pk=tariff.pk).update(valid_to=dt.date(2040, 6, 30)) == 1


def test_effective_ranges_supersede_the_open_one_and_refuse_overlaps(reference):
    service = f.service("welcome")
    first = tariff_create(
        service=service, amount=Decimal("50.00"), valid_from=dt.date(2041, 1, 1), actor=None
    )
    with pytest.raises(Conflict) as exc:
        tariff_create(
            service=service, amount=Decimal("55.00"), valid_from=dt.date(2041, 6, 1), actor=None
        )
    assert exc.value.code == CoreError.RANGE_OVERLAP
    second = tariff_create(
        service=service,
        amount=Decimal("55.00"),
        valid_from=dt.date(2041, 6, 1),
        actor=None,
        supersede=True,
    )
    first.refresh_from_db()
    assert first.valid_to == dt.date(2041, 5, 31) and second.valid_to is None
    with pytest.raises(ValidationFailed) as exc:
        tariff_create(
            service=service,
            amount=Decimal("1.00"),
            valid_from=dt.date(2042, 2, 1),
            valid_to=dt.date(2042, 1, 1),
            actor=None,
        )
    assert exc.value.code == CoreError.RANGE_INVALID


def test_the_error_catalogue_lists_every_app():
    catalogues = all_error_codes()
    assert "busy" in catalogues["core"] and "range_overlap" in catalogues["core"]
