"""Contract test: schemathesis generates requests from the committed docs/openapi.yaml and
sends them to the app in-process (WSGI, the test database), as a coordinator and as an
employer. Every answer must be documented: no server error, no undocumented status, no
response that breaks its schema. Bounded: a few examples per operation."""

import collections
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
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
from tests import factories

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


def _session(user) -> tuple[dict, dict]:
    """Headers and cookies of a logged-in browser client of the API: the session cookie plus
    a matching CSRF cookie and header (DRF's session authentication checks CSRF on writes)."""
    client = Client()
    client.force_login(user)
    csrf = "contracttestcsrfsecret0123456789"  # 32 characters, as Django's own secrets
    # schemathesis sets the cookies for the host "localhost": the calls go there.
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: csrf,
    }
    return {"X-CSRFToken": csrf, "Accept-Language": "en"}, cookies


def _exercise(operation, mode, app, headers, cookies, report):
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
        response = case.call(app=app, headers=headers, cookies=cookies, base_url="http://localhost")
        report["requests"] += 1
        report["statuses"][response.status_code] += 1
        for kind, check in CHECKS.items():
            try:
                case.validate_response(response, checks=[check], headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - failure groups
                report["failures"][kind].append(
                    f"{operation.label} -> {response.status_code}: {str(exc)[:400]}"
                )

    try:
        exercise()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (e.g. no parameters, no body).
        assert mode == GenerationMode.NEGATIVE


@pytest.fixture
def keep_connection():
    """Like Django's test client: the in-process requests must not close the test database
    connection at their end."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _run(user, report):
    schema = schemathesis.openapi.from_path(SCHEMA)
    app = WSGIHandler()
    headers, cookies = _session(user)
    for result in schema.get_all_operations():
        report["operations"] += 1
        for mode in MAX_EXAMPLES:
            _exercise(result.ok(), mode, app, headers, cookies, report)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EMPLOYER])
def test_api_keeps_its_contract(reference, keep_connection, role):
    desk = factories.location(slug="breda")
    tie = {"employer": factories.employer()} if role == Role.EMPLOYER else {}
    user = factories.user(role, **tie)
    assert desk.pk
    report = {
        "operations": 0,
        "requests": 0,
        "statuses": collections.Counter(),
        "failures": collections.defaultdict(list),
    }
    _run(user, report)
    summary = {kind: len(found) for kind, found in report["failures"].items()}
    print(  # noqa: T201 - the counts the issue asks for (pytest -s shows them)
        f"\n[contract:{role}] operations={report['operations']} requests={report['requests']} "
        f"statuses={dict(report['statuses'])} failures={summary or 0}"
    )
    details = [line for found in report["failures"].values() for line in found[:5]]
    assert not details, "\n".join(details)
