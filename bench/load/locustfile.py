"""A desk day's traffic for locust (driven by bench/load/run.py; not run by `make bench`).

Employers (API tokens) booking groups and downloading tickets, kiosks (paired devices)
checking in today's booked visits and issuing walk-in numbers, counters (officers logged in
with a session, as the console is) calling next / starting / recording the outcome (which
finishes the leg), planners (token) searching availability, municipalities (token) reading
statements. Every request is written to LOAD_OUT (JSON lines) when locust quits; the
run stops itself after LOAD_MAX_REQUESTS requests.

How many users of each class and how they pace comes from LOAD_PLAN (bench/load/profiles.py,
chosen by run.py's --profile): ``deskday`` paces every user at a fixed interval (one action
per interval, started at a random offset so the users do not all start together; the
officers each have a counter of their own, the kiosks one per desk), ``stress`` waits the old
0.3-1.5 s think times after each action.
"""

import datetime as dt
import json
import os
import random
import time
import uuid

import gevent
from locust import HttpUser, between, constant_pacing, events, task

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"]))
PLAN = json.load(open(os.environ["LOAD_PLAN"]))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
RECORDS: list = []
BOOKED: list = []  # (group reference, workers sent) of every booking answered 201
from locustfile_expected import EXPECTED  # noqa: E402,F401 - the table run.py reads too
from requests.adapters import HTTPAdapter  # noqa: E402


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a loopback address of the user's own (127.0.0.x): nginx limits logins
    and kiosks per client address, and each counter's PC and each kiosk has its own."""

    def __init__(self, address: str, **kw):
        self.address = address
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kw)


@events.request.add_listener
def _record(
    request_type, name, response_time, response_length, response=None, exception=None, **kw
):
    status = getattr(response, "status_code", 0) if response is not None else 0
    retry_after = bool(response is not None and response.headers.get("Retry-After"))
    # The wall-clock end of the request: run.py tells the log-in burst from the steady state.
    RECORDS.append((name, round(response_time, 2), status, retry_after, time.time()))
    if len(RECORDS) == MAX_REQUESTS and _runner[0] is not None:
        gevent.spawn(_runner[0].quit)


_runner = [None]


@events.init.add_listener
def _init(environment, **kw):
    _runner[0] = environment.runner


@events.quitting.add_listener
def _dump(environment, **kw):
    with open(os.environ["LOAD_OUT"], "w") as out:
        for record in RECORDS:
            out.write(json.dumps(record) + "\n")
    with open(os.environ["LOAD_OUT"] + ".bookings", "w") as out:
        for reference, workers in BOOKED:
            out.write(json.dumps([reference, workers]) + "\n")


# A completed outcome with the facts every kind of leg asks for (the ones that do not apply
# to a service are ignored): registration date, health-insurance intake result.
RECORD = {
    "outcome": "completed",
    "registration_date": dt.date.today().isoformat(),
    "insurance_result": "signed_up",
}


LOGIN_SPREAD_S = 20


class Paced(HttpUser):
    """A user whose count, pacing and action mix come from the plan's class ``plan_class``."""

    abstract = True
    plan_class = ""
    _seats = 0  # users of the class started so far (deskday: each takes the next seat)

    def on_start(self):
        cls = type(self)
        self.seat = cls._seats
        cls._seats += 1
        interval = PLAN["classes"][self.plan_class].get("interval_s")
        if interval and isinstance(self, Session):
            # deskday: officers log in over the first LOGIN_SPREAD_S, not all at once (a log-in
            # is a password hash; a desk's officers arrive over the morning).
            gevent.sleep(random.uniform(0, min(interval, LOGIN_SPREAD_S)))
        self.setup()
        if interval:  # deskday: the first action at a random point of the first interval
            gevent.sleep(random.uniform(0, interval))

    def setup(self):
        """Log in, take a token or a device (before the pacing starts)."""

    def own_address(self, first: int):
        """deskday: this user connects from 127.0.0.(first + seat)."""
        if "interval_s" in PLAN["classes"][self.plan_class]:
            adapter = SourceAddressAdapter(f"127.0.0.{first + self.seat}")
            self.client.mount("http://", adapter)

    def action(self) -> str:
        weights = PLAN["classes"][self.plan_class]["weights"]
        return random.choices(list(weights), weights=list(weights.values()))[0]


class Session(Paced):
    abstract = True
    role = ""

    def setup(self):
        self.own_address(20)  # a workstation per officer
        self.login = login = self.login_name()
        for _attempt in range(10):  # a 503 (drill) or 429: wait as told, then log in again
            self.client.get("/accounts/login/", name="login")
            res = self.client.post(
                "/accounts/login/",
                data={
                    "username": login,
                    "password": FIXTURE["password"],
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
                headers={"Referer": f"{self.host}/accounts/login/"},
                name="login",
            )
            if self.client.cookies.get("sessionid"):
                break
            gevent.sleep(float(res.headers.get("Retry-After") or 5))
        self.client.headers.update(
            {
                "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}/",
                "Accept-Language": "en",
            }
        )

    def login_name(self) -> str:
        return random.choice(FIXTURE["logins"][self.role])


class TokenUser(Paced):
    """An API client with a token (``Authorization: Bearer bmip_...``); no session, no CSRF."""

    abstract = True
    tokens = ""

    def setup(self):
        token = random.choice(FIXTURE[self.tokens])
        self.client.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "en"})


class Employer(TokenUser):
    plan_class = "employer"
    tokens = "tokens"

    def setup(self):
        self.codes = []
        super().setup()

    @task
    def act(self):
        if self.action() == "book" or not self.codes:
            self.book_group()
        else:
            self.ticket()

    def book_group(self):
        start = dt.date.fromisoformat(FIXTURE["book_from"]) + dt.timedelta(
            days=random.randint(0, 20)
        )
        workers = [
            {
                "first_name": random.choice(["Piotr", "Ana", "Ivan", "Olena", "Marius"]),
                "last_name": f"Load{uuid.uuid4().hex[:8]}",
                "birth_date": f"19{random.randint(70, 99)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}",
                "nationality": random.choice(["PL", "RO", "BG", "LT"]),
                "expected_stay_months": random.choice([6, 9, 12, 24]),
                "municipality_of_residence": random.choice(FIXTURE["municipalities"]),
            }
            for _ in range(random.randint(1, 3))
        ]
        body = {
            "location": random.choice(FIXTURE["desks"]),
            "date_from": start.isoformat(),
            "date_to": (start + dt.timedelta(days=4)).isoformat(),
            "po_reference": f"PO-{uuid.uuid4().hex[:6]}",
            "confirm": True,
            "workers": workers,
        }
        res = self.client.post(
            "/api/v1/group-bookings/",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="booking",
        )
        if res.status_code == 201:
            body = res.json()
            self.codes += [w["booking_code"] for w in body.get("workers", [])]
            BOOKED.append((body.get("reference"), len(workers)))

    def ticket(self):
        code = random.choice(self.codes)
        self.client.get(f"/api/v1/appointments/{code}/ticket.pdf", name="ticket_pdf")


class Planner(TokenUser):
    plan_class = "planner"
    tokens = "planner_tokens"

    @task
    def availability(self):
        start = dt.date.fromisoformat(FIXTURE["book_from"]) + dt.timedelta(
            days=random.randint(0, 20)
        )
        self.client.get(
            "/api/v1/availability/",
            params={
                "services": random.choice(["brp,welcome", "zvw", "rni,formhelp", "brp"]),
                "date_from": start.isoformat(),
                "date_to": (start + dt.timedelta(days=4)).isoformat(),
                "location": random.choice(FIXTURE["desk_slugs"]),
            },
            name="availability",
        )


class Counter(Session):
    plan_class = "officer"
    role = "officer"

    def login_name(self) -> str:
        if "interval_s" in PLAN["classes"]["officer"]:  # deskday: an officer per counter
            self.counter, login = FIXTURE["officer_seats"][
                self.seat % len(FIXTURE["officer_seats"])
            ]
            return login
        return super().login_name()

    def setup(self):
        super().setup()
        if "interval_s" not in PLAN["classes"]["officer"]:  # stress: counters may be shared
            self.counter = random.choice(FIXTURE["counters"][FIXTURE["officer_desk"][self.login]])

    @task
    def serve_next(self):
        res = self.client.post(f"/api/v1/counters/{self.counter}/call-next", name="call_next")
        if res.status_code == 409:
            # The counter still has a number (a request lost in a drill, or a 409 on finish):
            # the console shows it; finish it and go on.
            self.client.post(
                f"/api/v1/counters/{self.counter}/finish", json={"completed": False},
                name="finish",
            )  # fmt: skip
            return
        if res.status_code != 200:
            return
        leg = res.json().get("leg")
        self.client.post(f"/api/v1/counters/{self.counter}/start", name="start")
        # Recording the outcome finishes the leg (a BRP/RNI leg cannot finish without it).
        self.client.post(
            f"/api/v1/counter/legs/{leg}/record/", json=RECORD, name="record",
        )  # fmt: skip


class Kiosk(Paced):
    plan_class = "kiosk"

    def setup(self):
        self.own_address(100)  # a kiosk device per desk, each with its own address
        if "interval_s" in PLAN["classes"]["kiosk"]:  # deskday: one per desk
            device = FIXTURE["devices"][self.seat % len(FIXTURE["devices"])]
        else:
            device = random.choice(FIXTURE["devices"])
        self.location = device["location"]
        self.client.headers.update({"X-Kiosk-Device": device["secret"], "Accept-Language": "en"})

    @task
    def act(self):
        if self.action() == "check_in":
            self.check_in()
        else:
            self.walk_in()

    def check_in(self):
        codes = FIXTURE["check_in_codes"].get(self.location) or []
        if not codes:
            return
        self.client.post(
            "/api/v1/kiosk/check-in",
            json={"location": self.location, "booking_code": random.choice(codes)},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="kiosk_check_in",
        )

    def walk_in(self):
        self.client.post(
            "/api/v1/kiosk/walk-in",
            json={
                "location": self.location,
                "services": [random.choice(FIXTURE["walk_in_services"])],
                "language": "en",
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="kiosk_walk_in",
        )


class Municipality(TokenUser):
    plan_class = "municipality"
    tokens = "municipality_tokens"

    @task
    def statements(self):
        res = self.client.get("/api/v1/settlement/statements/", name="statements")
        if res.status_code == 200:
            results = res.json().get("results", [])
            if results:
                pk = random.choice(results)["id"]
                self.client.get(
                    f"/api/v1/settlement/statements/{pk}/lines/", name="statement_lines"
                )


def _apply_plan():
    """Each class's user count and pacing from the plan."""
    for cls in (Employer, Planner, Counter, Kiosk, Municipality):
        entry = PLAN["classes"][cls.plan_class]
        cls.fixed_count = entry["users"]
        if "interval_s" in entry:
            cls.wait_time = constant_pacing(entry["interval_s"])
        else:
            cls.wait_time = between(*entry["wait_s"])


_apply_plan()
