"""The URL map: every route of the resolver x every role -> the expected status.

The walker (tests/security/urlmap.py) loads the demo data, adds users of another tenant
(a receptionist and an officer of another desk, another employer, another municipality) and
requests every route with realistic arguments that point at the *home* tenant's records (the
demo receptionist's desk, the demo employer's group and worker, the demo municipality's
statement). "device" is an anonymous visitor carrying the cookie of a kiosk paired to the
home desk. A POST-only route is walked with an empty POST whose effects are rolled back.

RULES holds, per route name, the method and the status per role in the order of ``ROLES``:

    anonymous device coordinator receptionist officer employer municipality
    other_receptionist other_officer other_employer other_municipality handler other_handler

"handler" is a case handler of the organisation the home report is assigned to (the demo's
intervention team), "other_handler" one of another organisation (the labour inspectorate).
Every report route (advice:report*) is 404 for employers, desk staff, municipalities and
the other organisation's handler: nothing tells them a report exists.

A route missing from RULES (a new route) fails the test, and so does a rule for a route that
no longer exists. Read a changed row as a change of policy. 400/409 mean "allowed, but the
empty request is refused by the service"; 404 is "outside your scope" (never 403, which would
reveal the record); 403 is "your role may never use this API"; 302 for anonymous is the login
redirect. The admin is summarised as one route (its own permission system).
"""

import json
import os
from pathlib import Path

import pytest

from tests.security import urlmap

pytestmark = pytest.mark.django_db

ROLES = urlmap.ROLES

# Routes anyone may open without logging in: the home and login pages, the language switch,
# the kiosk pairing page, the kiosk and display pages of a desk (checking in and walk-ins
# there need a paired device: 403 without one), the display feed (numbers and counter names only)
# and the employer's calendar feed (its unguessable token is the credential).
PUBLIC = {
    "home",
    "core:healthz",
    "core:readyz",
    "set_language",
    "login",
    "logout",
    "display",
    "kiosk-check-in",
    "kiosk-walk-in",
    "kiosk-group-members",
    "kiosk-group-check-in",
    "scheduling:employer-feed",
    "kiosk:index",
    "kiosk:pair",
    "kiosk:kiosk",
    "kiosk:group",
    "kiosk:walk-in",
    "kiosk:display",
    "kiosk:display-feed",
    "report:public-report",
    "report:public-status",
    "report:public-report-lang",
    "report:public-status-lang",
}

RULES = {
    "admin": "GET  302 302 200 302 302 302 302 302 302 302 302 302 302",
    "home": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    # Liveness and readiness for the load balancer (core.health); no qcluster in the tests.
    "core:healthz": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "core:readyz": "GET  503 503 503 503 503 503 503 503 503 503 503 503 503",
    "set_language": "GET  302 302 302 302 302 302 302 302 302 302 302 302 302",
    "login": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "logout": "POST 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "api-group-bookings": "GET  403 403 200 403 403 200 403 403 403 200 403 403 403",
    "api-group-booking-upload": "POST 403 403 415 403 403 415 403 403 403 415 403 403 403",
    "api-group-booking": "GET  403 403 200 403 403 200 403 403 403 404 403 403 403",
    "api-group-booking-confirm": "POST 403 403 200 403 403 200 403 403 403 404 403 403 403",
    "api-group-booking-cancel": "POST 403 403 409 403 403 409 403 403 403 404 403 403 403",
    "api-group-booking-worker-add": "POST 403 403 400 403 403 400 403 403 403 404 403 403 403",
    "api-group-booking-worker-cancel": "POST 403 403 409 403 403 409 403 403 403 404 403 403 403",
    "api-group-booking-worker-replace": "POST 403 403 400 403 403 400 403 403 403 404 403 403 403",
    "api-group-booking-worker-reschedule": "POST 403 403 400 403 403 400 403 403 403 404 403 403 403",
    "api-availability": "GET  403 403 400 400 400 403 403 400 400 403 403 403 403",
    "api-package": "GET  403 403 400 400 400 400 403 400 400 400 403 403 403",
    "api-appointment-book": "POST 403 403 400 400 400 403 403 400 400 403 403 403 403",
    "api-appointment-detail": "GET  403 403 200 200 200 200 403 404 404 404 403 403 403",
    "api-appointment-cancel": "POST 403 403 200 200 200 403 403 404 404 403 403 403 403",
    "api-appointment-reschedule": "POST 403 403 400 400 400 403 403 404 404 403 403 403 403",
    "api-appointment-ticket": "GET  403 403 200 200 200 200 404 404 404 404 404 404 404",
    "kiosk-check-in": "POST 400 400 400 400 400 400 400 400 400 400 400 400 400",
    "kiosk-walk-in": "POST 400 400 400 400 400 400 400 400 400 400 400 400 400",
    "kiosk-group-members": "POST 400 400 400 400 400 400 400 400 400 400 400 400 400",
    "kiosk-group-check-in": "POST 400 400 400 400 400 400 400 400 400 400 400 400 400",
    "counter-call-next": "POST 403 403 200 404 200 404 404 404 404 404 404 404 404",
    "counter-call": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-recall": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "counter-no-show": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "counter-undo": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "counter-start": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "counter-finish": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "display": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "counter-leg-record": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-record": "GET  403 403 200 404 200 404 404 404 404 404 404 404 404",
    "counter-record-void": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-record-bsn": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-visit-fee": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-visit-close": "POST 403 403 409 404 409 404 404 404 404 404 404 404 404",
    "counter-fee-credit": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-funded-service-void": "POST 403 403 400 404 400 404 404 404 404 404 404 404 404",
    "counter-invoices": "GET  403 403 200 403 403 200 403 403 403 200 403 403 403",
    "counter-invoice": "GET  403 403 200 403 403 200 403 403 403 404 403 403 403",
    "counter-invoice-pdf": "GET  403 403 200 403 403 200 403 403 403 404 403 403 403",
    "counter-invoice-csv": "GET  403 403 200 403 403 200 403 403 403 404 403 403 403",
    "counter-invoice-xlsx": "GET  403 403 200 403 403 200 403 403 403 404 403 403 403",
    "settlement-statements": "GET  403 403 200 404 404 404 200 404 404 404 200 404 404",
    "settlement-statement": "GET  403 403 200 404 404 404 200 404 404 404 404 404 404",
    "settlement-statement-lines": "GET  403 403 200 404 404 404 200 404 404 404 404 404 404",
    "settlement-payment-create": "POST 403 403 400 404 404 404 404 404 404 404 404 404 404",
    "settlement-lines": "GET  403 403 200 404 404 404 200 404 404 404 200 404 404",
    "settlement-payments": "GET  403 403 200 404 404 404 200 404 404 404 200 404 404",
    "settlement-period-issue": "POST 403 403 409 404 404 404 404 404 404 404 404 404 404",
    "api-schema": "GET  403 403 200 200 200 200 200 200 200 200 200 200 200",
    "api-docs": "GET  302 302 200 200 200 200 200 200 200 200 200 200 200",
    "api-redoc": "GET  302 302 200 200 200 200 200 200 200 200 200 200 200",
    "scheduling:planner": "GET  302 302 200 200 200 403 403 200 200 403 403 403 403",
    "scheduling:capacity": "GET  302 302 200 403 403 403 403 403 403 403 403 403 403",
    "scheduling:book": "GET  302 302 200 200 200 403 403 200 200 403 403 403 403",
    "scheduling:portal": "GET  302 302 200 404 404 200 404 404 404 200 404 404 404",
    "scheduling:portal-group-new": "GET  302 302 404 404 404 200 404 404 404 200 404 404 404",
    "scheduling:portal-group": "GET  302 302 200 404 404 200 404 404 404 404 404 404 404",
    "scheduling:portal-group-confirm": "POST 302 302 302 404 404 302 404 404 404 404 404 404 404",
    "scheduling:portal-group-cancel": "POST 302 302 302 404 404 302 404 404 404 404 404 404 404",
    "scheduling:portal-worker-add": "POST 302 302 302 404 404 302 404 404 404 404 404 404 404",
    "scheduling:portal-worker-cancel": "GET  302 302 200 404 404 200 404 404 404 404 404 404 404",
    "scheduling:group-ics": "GET  302 302 200 404 404 200 404 404 404 404 404 404 404",
    "scheduling:appointment-ics": "GET  302 302 200 200 200 200 404 404 404 404 404 404 404",
    "scheduling:feed-regenerate": "POST 302 302 404 404 404 302 404 404 404 302 404 404 404",
    # The waitlist (issue 16): an employer's own entries and offers; coordinators read the
    # line per desk; another employer's entry or offer link is a 404.
    "scheduling:portal-waitlist": "GET  302 302 200 404 404 200 404 404 404 200 404 404 404",
    "scheduling:portal-waitlist-join": "GET  302 302 404 404 404 200 404 404 404 200 404 404 404",
    "scheduling:portal-waitlist-withdraw": "POST 302 302 404 404 404 302 404 404 404 404 404 404 404",
    "scheduling:portal-waitlist-offer": "GET  302 302 404 404 404 200 404 404 404 404 404 404 404",
    "scheduling:portal-waitlist-decline": "POST 302 302 404 404 404 302 404 404 404 404 404 404 404",
    "scheduling:roster-template": "GET  302 302 200 404 404 200 404 404 404 200 404 404 404",
    "scheduling:employer-feed": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "scheduling:appointment-detail": "GET  302 302 200 200 200 200 404 404 404 404 404 404 404",
    "scheduling:appointment-ticket": "GET  302 302 200 200 200 200 404 404 404 404 404 404 404",
    "scheduling:group-tickets": "GET  302 302 200 200 200 200 404 404 404 404 404 404 404",
    "scheduling:group-tickets-status": "GET  302 302 200 200 200 200 404 404 404 404 404 404 404",
    "scheduling:group-tickets-download": "GET  302 302 404 404 404 404 404 404 404 404 404 404 404",
    "kiosk:index": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "kiosk:pair": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "kiosk:reception": "GET  302 302 200 200 404 404 404 200 404 404 404 404 404",
    "kiosk:reception-lists": "GET  302 302 200 200 404 404 404 200 404 404 404 404 404",
    "kiosk:reception-walk-in": "POST 302 302 400 400 404 404 404 400 404 404 404 404 404",
    "kiosk:reception-late": "POST 302 302 400 400 404 404 404 400 404 404 404 404 404",
    "kiosk:reception-slip": "GET  302 302 200 200 404 404 404 404 404 404 404 404 404",
    "kiosk:board": "GET  302 302 200 403 403 403 403 403 403 403 403 403 403",
    "kiosk:board-feed": "GET  302 302 200 403 403 403 403 403 403 403 403 403 403",
    "kiosk:officer": "GET  302 302 200 404 200 404 404 404 200 404 404 404 404",
    "kiosk:officer-counter": "GET  302 302 200 404 200 404 404 404 404 404 404 404 404",
    "kiosk:officer-waiting": "GET  302 302 200 404 200 404 404 404 404 404 404 404 404",
    "kiosk:officer-action": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "kiosk:kiosk": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "kiosk:group": "POST 403 400 403 403 403 403 403 403 403 403 403 403 403",
    "kiosk:walk-in": "POST 403 400 403 403 403 403 403 403 403 403 403 403 403",
    # An extra kiosk page (KIOSK_PAGE_HOOKS; the report form of the advice app): a paired
    # kiosk of the desk only, whoever is logged in on the browser.
    "kiosk:more": "GET  403 200 403 403 403 403 403 403 403 403 403 403 403",
    "kiosk:display": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "kiosk:display-feed": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "counter:visits": "GET  302 302 200 403 200 403 403 403 200 403 403 403 403",
    "counter:visit": "GET  302 302 200 404 200 404 404 404 404 404 404 404 404",
    "counter:visit-fee-add": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:visit-close": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:leg-record": "POST 302 302 400 404 400 404 404 404 404 404 404 404 404",
    "counter:record-void": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:record-bsn": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:fee-credit": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:funded-service-void": "POST 302 302 302 404 302 404 404 404 404 404 404 404 404",
    "counter:tariffs": "GET  302 302 200 403 403 403 403 403 403 403 403 403 403",
    "counter:invoices": "GET  302 302 200 403 403 200 403 403 403 200 403 403 403",
    "counter:invoice-download": "GET  302 302 200 403 403 200 403 403 403 404 403 403 403",
    "settlement:index": "GET  302 302 200 404 404 404 200 404 404 404 200 404 404",
    "settlement:ageing": "GET  302 302 200 404 404 404 200 404 404 404 200 404 404",
    "settlement:cost-split": "GET  302 302 200 404 404 404 404 404 404 404 404 404 404",
    "settlement:statement": "GET  302 302 200 404 404 404 200 404 404 404 404 404 404",
    "settlement:statement-download": "GET  302 302 200 404 404 404 200 404 404 404 404 404 404",
    "settlement:payment-create": "POST 302 302 302 404 404 404 404 404 404 404 404 404 404",
    "settlement:period": "GET  302 302 200 404 404 404 404 404 404 404 404 404 404",
    "settlement:period-issue": "POST 302 302 302 404 404 404 404 404 404 404 404 404 404",
    "settlement:netting": "GET  302 302 200 404 404 404 404 404 404 404 404 404 404",
    "settlement:draft": "GET  302 302 302 404 404 404 302 404 404 404 404 404 404",
    "settlement:claims": "GET  302 302 200 404 404 404 200 404 404 404 200 404 404",
    "settlement:claims-issue": "POST 302 302 302 404 404 404 404 404 404 404 404 404 404",
    "settlement:claim-download": "GET  302 302 404 404 404 404 404 404 404 404 404 404 404",
    "core:statistics": "GET  302 302 200 403 403 403 200 403 403 403 200 403 403",
    "core:statistics-download": "GET  302 302 200 403 403 403 200 403 403 403 200 403 403",
    "core:tokens": "GET  302 302 200 403 403 200 200 403 403 200 200 403 403",
    "core:token-revoke": "GET  302 302 404 403 403 200 404 403 403 404 404 403 403",
    "api-activity-registrations": "GET  403 403 200 200 200 200 403 200 200 200 403 403 403",
    "api-activity-registration": "GET  403 403 200 200 200 200 403 404 404 404 403 403 403",
    # The report-point API (read-only, issue 17): like the case pages, 404 for everyone who may
    # not read reports (nothing tells them reports exist), the other organisation's case 404.
    "api-reports": "GET  403 403 200 404 404 404 404 404 404 404 404 200 200",
    "api-report": "GET  403 403 200 404 404 404 404 404 404 404 404 200 404",
    "activities:index": "GET  302 302 200 200 200 200 403 200 200 200 403 403 403",
    "activities:session": "GET  302 302 200 200 200 200 403 404 404 200 403 403 403",
    "activities:door": "GET  302 302 200 200 200 404 404 404 404 404 404 404 404",
    "activities:no-shows": "POST 302 302 302 302 302 404 404 404 404 404 404 404 404",
    "activities:registration": "GET  302 302 200 200 200 200 403 404 404 404 403 403 403",
    "activities:registration-ics": "GET  302 302 200 200 200 200 403 404 404 404 403 403 403",
    "activities:receipt": "GET  302 302 404 404 404 404 403 404 404 404 403 403 403",
    "activities:receipt-issue": "POST 302 302 302 302 302 404 403 404 404 404 403 403 403",
    "activities:registration-cancel": "POST 302 302 302 302 302 302 403 404 404 404 403 403 403",
    "activities:participant-cancel": "POST 302 302 302 302 302 302 403 404 404 404 403 403 403",
    # The advice app (issue 17): the advice log and report taking at the counter (officers,
    # coordinators), the case pages (the handling organisation's handlers, coordinators; 404 for
    # everyone else) and the public report point (anyone, no login).
    "advice:log": "GET  302 302 200 404 200 404 404 404 200 404 404 404 404",
    "advice:visit-advice": "GET  302 302 200 404 200 404 404 404 404 404 404 404 404",
    "advice:reports": "GET  302 302 200 404 404 404 404 404 404 404 404 200 200",
    "advice:report-new": "GET  302 302 200 404 200 404 404 404 200 404 404 404 404",
    "advice:report": "GET  302 302 200 404 404 404 404 404 404 404 404 200 404",
    "advice:report-status": "POST 302 302 400 404 404 404 404 404 404 404 404 400 404",
    "advice:report-assign": "POST 302 302 400 404 404 404 404 404 404 404 404 400 404",
    "advice:report-note": "POST 302 302 400 404 404 404 404 404 404 404 404 400 404",
    "advice:report-attachment": "GET  302 302 200 404 404 404 404 404 404 404 404 200 404",
    "report:public-report": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "report:public-status": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "report:public-report-lang": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
    "report:public-status-lang": "GET  200 200 200 200 200 200 200 200 200 200 200 200 200",
}


@pytest.fixture
def observed(client, settings, tmp_path, working_day_office_hours):
    # The demo's day (visits in progress, a group that has started) depends on the time of
    # day and on the desks being open: just after midnight the first group had not started
    # and its cancel answered 200 instead of 409; on a Saturday there is no visit today.
    settings.MEDIA_ROOT = str(tmp_path)  # the report's attachment (urlmap.world) goes here
    return urlmap.observe(client, urlmap.world())


def test_every_route_has_a_rule_and_every_role_gets_its_status(observed):
    if os.environ.get("URLMAP_DUMP"):  # to review a policy change: dump what the roles get
        Path(os.environ["URLMAP_DUMP"]).write_text(json.dumps(observed, indent=1))
    missing = sorted(set(observed) - set(RULES))
    stale = sorted(set(RULES) - set(observed))
    assert missing == [], f"routes without a rule in RULES: {missing}"
    assert stale == [], f"rules for routes that no longer exist: {stale}"
    differences = []
    for name, row in observed.items():
        method, *statuses = RULES[name].split()
        expected = dict(zip(ROLES, (int(s) for s in statuses), strict=True))
        if row["method"] != method:
            differences.append((name, "method", method, row["method"]))
        for role in ROLES:
            if row[role] != expected[role]:
                differences.append((name, role, expected[role], row[role], row["url"]))
    assert differences == []
    pairs = len(observed) * len(ROLES)
    print(f"URL map: {len(observed)} routes x {len(ROLES)} roles = {pairs} pairs")  # noqa: T201
    assert pairs >= 1100


def test_the_rules_keep_strangers_out():
    """Whatever the table says, these hold: nobody outside the public routes gets a success
    without logging in, and a user of another tenant never succeeds on a route that names one
    of the home tenant's records (a group, a worker, a counter, a record, a statement...)."""
    strangers = [r for r in ROLES if r.startswith("other_")]
    # An activity session is an offering open to every employer, not a tenant's record; a
    # statistics table key names no record either.
    not_records = {"fmt", "slug", "location", "label", "token", "action", "key", "session_id"}
    for pattern, name, _callback in urlmap.routes():
        _method, *statuses = RULES[name].split()
        by_role = dict(zip(ROLES, (int(s) for s in statuses), strict=True))
        if name not in PUBLIC:
            assert by_role["anonymous"] in (302, 401, 403, 404, 405), name
        params = {m.group(1) or m.group(2) for m in urlmap.PARAM.finditer(pattern)}
        if name in PUBLIC or not params - not_records:
            continue
        for role in strangers:
            assert not 200 <= by_role[role] < 400, (name, role)


def test_no_report_route_lets_in_employers_desk_staff_or_another_organisation():
    """Reporter protection (issue 17): every report route answers 404 to every employer user,
    every receptionist and a handler of another organisation (their own list excepted, which
    never shows this organisation's cases: tests/advice/test_cases.py); reading a case is for the
    handling organisation and coordinators only (an officer only takes new reports)."""
    always_out = ["employer", "other_employer", "receptionist", "other_receptionist"]
    always_out += ["other_handler"]
    readers_only = always_out + ["officer", "other_officer", "municipality", "other_municipality"]
    report_routes = [name for name in RULES if name.startswith(("advice:report", "api-report"))]
    assert len(report_routes) >= 8
    for name in report_routes:
        _method, *statuses = RULES[name].split()
        by_role = dict(zip(ROLES, (int(s) for s in statuses), strict=True))
        outsiders = always_out if name == "advice:report-new" else readers_only
        if name in ("advice:reports", "api-reports"):  # the other handler's own list
            outsiders = [role for role in outsiders if role != "other_handler"]
        for role in outsiders:
            assert by_role[role] == 404, (name, role)
