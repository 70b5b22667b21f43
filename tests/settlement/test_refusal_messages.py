"""Refusals on the settlement pages and the service-backed admin forms speak to the user in
the translated message only; the error code (for support) goes to the log, not the page."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(coordinator_admin_client, reference):
    return coordinator_admin_client


def test_a_refused_claims_issue_shows_the_message_without_its_code(coordinator, caplog):
    today = timezone.localdate()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"  # not ended yet: refused
    with caplog.at_level(logging.INFO, logger="settlement.views"):
        response = coordinator.post(reverse("settlement:claims-issue"), {"quarter": quarter})
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Quarter {quarter} has not ended yet" in message
    assert "period_not_ended" not in message and "[" not in message
    assert "period_not_ended" in caplog.text  # ... but in the log


def test_a_refused_admin_add_shows_the_translated_message_without_its_code(coordinator):
    url = reverse("admin:settlement_settlementtariff_add")
    assert (
        coordinator.post(url, {"amount": "110.00", "valid_from": "2030-01-01"}).status_code == 302
    )
    response = coordinator.post(url, {"amount": "90.00", "valid_from": "2030-01-01"})
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.non_field_errors()
    assert "range_overlap" not in response.content.decode() and "[" not in error
    assert error and error in response.content.decode()
