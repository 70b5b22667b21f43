"""A receipt for participants who pay themselves: issued by desk staff once the registration is
paid (numbered, immutable, issued once), downloadable as PDF by the desk's staff."""

from decimal import Decimal

import pytest

from activities.constants import ActivityPayer
from activities.models import Receipt
from activities.services.receipts import receipt_issue
from activities.services.registration import participant_cancel, registration_create
from core.exceptions import DomainError
from tests import factories
from tests.activities.conftest import child, make_session, people

pytestmark = pytest.mark.django_db


def _self_paid(session):
    return registration_create(
        session=session,
        participants=people(1) + [child()],
        actor=None,
        payer=ActivityPayer.PARTICIPANT,
    )


def test_receipt_issued_once_numbered_with_the_fees(reference):
    session = make_session(payer=ActivityPayer.PARTICIPANT)
    registration = _self_paid(session)
    receipt = receipt_issue(registration=registration, actor=None)
    assert receipt.total == Decimal("35.00")  # adult 25 + child 10
    assert receipt.number.endswith("-R00001")
    assert receipt_issue(registration=registration, actor=None).pk == receipt.pk
    second = receipt_issue(registration=_self_paid(session), actor=None)
    assert second.number.endswith("-R00002")


def test_no_receipt_for_employer_paid_or_cancelled(reference):
    session = make_session()
    employer = factories.employer()
    paid_by_employer = registration_create(
        session=session, participants=people(1), actor=None, employer=employer
    )
    with pytest.raises(DomainError) as exc:
        receipt_issue(registration=paid_by_employer, actor=None)
    assert exc.value.code == "receipt_not_possible"
    own = make_session(payer=ActivityPayer.PARTICIPANT)
    registration = registration_create(
        session=own, participants=people(1), actor=None, payer=ActivityPayer.PARTICIPANT
    )
    participant_cancel(participant=registration.participants.get(), actor=None)
    with pytest.raises(DomainError):
        receipt_issue(registration=registration, actor=None)
    assert not Receipt.objects.exists()


def test_desk_staff_issue_and_download_the_pdf_others_not(client, reference):
    session = make_session(payer=ActivityPayer.PARTICIPANT)
    registration = _self_paid(session)
    base = f"/activities/registrations/{registration.reference}/receipt"
    client.force_login(factories.user("receptionist", location=session.location))
    assert client.get(f"{base}.pdf").status_code == 404  # not issued yet
    page = client.post(f"{base}/", follow=True)
    assert page.status_code == 200
    response = client.get(f"{base}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert Receipt.objects.get().number in response["Content-Disposition"]
    other_desk = factories.location(slug="other-desk", counters={"A": ["brp"]})
    client.force_login(factories.user("receptionist", location=other_desk))
    assert client.get(f"{base}.pdf").status_code == 404
    assert client.post(f"{base}/").status_code == 404
