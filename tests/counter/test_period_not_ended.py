"""Invoice and settlement statement runs refuse a period that has not ended (issue 14):
the current or a future month, in the service, on the page and in the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import Conflict
from counter.models import Invoice
from counter.services.invoices import invoice_run
from settlement.models import Statement
from settlement.services.issue import settlement_period_issue
from settlement.services.periods import period_ensure
from tests import factories as f
from tests.counter.test_invoices import closed_visit

pytestmark = pytest.mark.django_db


def _next_month(day: dt.date) -> tuple[int, int]:
    return day.year + day.month // 12, day.month % 12 + 1


def test_invoice_run_refuses_current_and_future_month(desk, officer, today_start):
    closed_visit(desk, officer, today_start, f.employer(), "PO-1")
    today = timezone.localdate()
    for year, month in [(today.year, today.month), _next_month(today)]:
        with pytest.raises(Conflict) as exc:
            invoice_run(year=year, month=month)
        assert exc.value.code == "period_not_ended"
        assert "has not ended" in str(exc.value.message)
    assert not Invoice.objects.exists()
    # From the first day of the next month on, the month can be invoiced.
    year, month = _next_month(today)
    issued = invoice_run(year=today.year, month=today.month, today=dt.date(year, month, 1))
    assert len(issued) == 1


def test_invoice_page_refuses_current_month_with_translated_error(
    desk, officer, coordinator, client, today_start
):
    closed_visit(desk, officer, today_start, f.employer(), "PO-1")
    client.force_login(coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("counter:invoices"),
        {"year": today.year, "month": today.month},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    page = response.getvalue().decode()
    assert response.status_code == 400
    assert "is nog niet afgelopen" in page
    assert f'value="{today.month}"' in page  # what was typed stays
    assert not Invoice.objects.exists()


def test_settlement_period_not_ended_refused_on_page_and_api(desk, coordinator, client):
    period = period_ensure(timezone.localdate())
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=period, actor=None)
    assert exc.value.code == "period_not_ended"
    client.force_login(coordinator)
    response = client.post(reverse("settlement:period-issue", args=[period.label]), follow=True)
    assert "has not ended yet" in response.getvalue().decode()
    api = client.post(reverse("settlement-period-issue", args=[period.label]))
    assert api.status_code == 409 and api.json()["code"] == "period_not_ended"
    assert not Statement.objects.exists()
