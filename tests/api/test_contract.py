"""Contract test: schemathesis generates requests from the committed docs/openapi.yaml and
sends them to the app in-process (WSGI, the test database), as a coordinator and as an
employer, each authenticated with an API token (``Authorization: Bearer``), as a machine
client would be. Every answer must be documented: no server error, no undocumented status, no
response that breaks its schema. Bounded: a few examples per operation.

The demo data is loaded first, and half of the valid examples of an operation with path
parameters point at real records (the demo employer's group and workers, a counter, an
invoice, a statement...): random identifiers alone only ever meet 404. Then a stateful run
chains operations along the links schemathesis infers from the schema (a group's
``reference`` from the list into its detail, cancel, workers...)."""

import collections
import io
import time
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.roles import Role
from core.tokens import api_token_create
from counter.models import FeeLine, Invoice, ServiceRecord
from scheduling.models import Counter, GroupBooking
from settlement.models import Statement

pytestmark = [pytest.mark.django_db, pytest.mark.contract]

# Examples per operation and generation mode: valid data, then data the schema forbids.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
CHECKS = {
    "server_error": not_a_server_error,
    "undocumented_status": status_code_conformance,
    "response_schema_violation": response_schema_conformance,
    "content_type": content_type_conformance,
}
SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
BASE_URL = "http://localhost"
# Stateful run: scenarios (chains of linked calls) and the longest chain.
STATEFUL_SCENARIOS = 40
STATEFUL_STEPS = 6


def _token_headers(user) -> dict:
    """Headers of a machine client acting as ``user``: its API token, English answers."""
    _token, key = api_token_create(user=user, name="contract test")
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def _known_records(employer) -> dict:
    """Path parameters that name real records of the demo data, per path parameter name; ``id``
    depends on the path (an invoice, a record, a fee line or a statement)."""
    group = (
        GroupBooking.objects.filter(employer=employer, appointments__isnull=False)
        .order_by("pk")
        .first()
    )
    appointment = group.appointments.order_by("start").first()
    record = ServiceRecord.objects.order_by("pk").first()
    statement = Statement.objects.order_by("pk").first()
    fee = FeeLine.objects.filter(payer_employer=employer).order_by("pk").first()
    invoice = Invoice.objects.filter(employer=employer).order_by("pk").first()
    ids = {
        "/api/v1/counter/invoices/": invoice,
        "/api/v1/counter/records/": record,
        "/api/v1/counter/fees/": fee,
        "/api/v1/settlement/statements/": statement,
    }
    return {
        "reference": group.reference,
        "booking_code": appointment.booking_code,
        "code": appointment.booking_code,
        "counter_id": Counter.objects.filter(location=appointment.location).first().pk,
        "leg_id": appointment.legs.order_by("pk").first().pk,
        "appointment_id": appointment.pk,
        "location": appointment.location.slug,
        "label": statement.period.label if statement else "2025-Q1",
        "id": {prefix: row.pk for prefix, row in ids.items() if row is not None},
    }


def _point_at_records(case, known) -> None:
    """Replace the case's path parameters by real records' identifiers."""
    for name in list(case.path_parameters or {}):
        value = known.get(name)
        if isinstance(value, dict):
            value = next((pk for prefix, pk in value.items() if case.path.startswith(prefix)), None)
        if value is not None:
            case.path_parameters[name] = value


def _check(case, response, headers, report):
    report["requests"] += 1
    report["statuses"][response.status_code] += 1
    if response.status_code != 404:
        report["reached"].add(case.operation.label)
    for kind, check in CHECKS.items():
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - failure groups
            report["failures"][kind].append(
                f"{case.operation.label} -> {response.status_code}: {str(exc)[:400]}"
            )


def _exercise(operation, mode, app, headers, known, report):
    examples = {"count": 0}

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        examples["count"] += 1
        if mode == GenerationMode.POSITIVE and examples["count"] % 2:
            _point_at_records(case, known)
        response = case.call(app=app, headers=headers, base_url=BASE_URL)
        _check(case, response, headers, report)

    try:
        exercise()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (e.g. no parameters, no body).
        assert mode == GenerationMode.NEGATIVE


def _stateful(schema, app, headers, report):
    """Chains of calls along the links schemathesis infers (dependency analysis), bounded."""
    machine = schema.as_state_machine()
    report["links"] = schema.statistic.transitions.selected

    class Workflow(machine):
        def get_call_kwargs(self, case):
            return {"app": app, "headers": headers, "base_url": BASE_URL}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            report["stateful_requests"] += 1
            _check(case, response, headers, report)

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


@pytest.fixture
def keep_connection():
    """Like Django's test client: the in-process requests must not close the test database
    connection at their end."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _run(user, employer, report):
    schema = schemathesis.openapi.from_path(SCHEMA)
    app = WSGIHandler()
    headers = _token_headers(user)
    known = _known_records(employer)
    for result in schema.get_all_operations():
        report["operations"] += 1
        for mode in MAX_EXAMPLES:
            _exercise(result.ok(), mode, app, headers, known, report)
    _stateful(schemathesis.openapi.from_path(SCHEMA), app, headers, report)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EMPLOYER])
def test_api_keeps_its_contract(reference, keep_connection, role):
    call_command("seed_demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username=str(role))  # the demo user of that role
    employer = get_user_model().objects.get(username="employer").bmip_profile.employer
    report = {
        "operations": 0,
        "requests": 0,
        "stateful_requests": 0,
        "statuses": collections.Counter(),
        "reached": set(),
        "failures": collections.defaultdict(list),
    }
    started = time.monotonic()
    _run(user, employer, report)
    summary = {kind: len(found) for kind, found in report["failures"].items()}
    print(  # noqa: T201 - the counts the issue asks for (pytest -s shows them)
        f"\n[contract:{role}] operations={report['operations']} "
        f"(answered other than 404: {len(report['reached'])}) requests={report['requests']} "
        f"(stateful {report['stateful_requests']}, links {report.get('links')}) "
        f"statuses={dict(sorted(report['statuses'].items()))} failures={summary or 0} "
        f"seconds={time.monotonic() - started:.0f}"
    )
    details = [line for found in report["failures"].values() for line in found[:5]]
    assert not details, "\n".join(details)
