"""A desk day's traffic for locust (driven by bench/load/run.py; not run by `make bench`).

Users, logged in with a session (API tokens are not on main yet): employers booking groups
through the API and downloading tickets, kiosks issuing numbers with their paired device,
counters calling next / starting / finishing, planners searching availability, municipalities
reading statements. Every request is written to LOAD_OUT (JSON lines) when locust quits; the
run stops itself after LOAD_MAX_REQUESTS requests.
"""

import datetime as dt
import json
import os
import random
import uuid

import gevent
from locust import HttpUser, between, events, task

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"]))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
RECORDS: list = []
from locustfile_expected import EXPECTED  # noqa: E402,F401 - the table run.py reads too


@events.request.add_listener
def _record(
    request_type, name, response_time, response_length, response=None, exception=None, **kw
):
    status = getattr(response, "status_code", 0) if response is not None else 0
    RECORDS.append((name, round(response_time, 2), status))
    if len(RECORDS) == MAX_REQUESTS and _runner[0] is not None:
        gevent.spawn(_runner[0].quit)


_runner = [None]


@events.init.add_listener
def _init(environment, **kw):
    _runner[0] = environment.runner


@events.quitting.add_listener
def _dump(environment, **kw):
    with open(os.environ["LOAD_OUT"], "w") as out:
        for name, ms, status in RECORDS:
            out.write(json.dumps([name, ms, status]) + "\n")


class Session(HttpUser):
    abstract = True
    wait_time = between(0.3, 1.5)
    role = ""

    def on_start(self):
        self.login = login = random.choice(FIXTURE["logins"][self.role])
        self.client.get("/accounts/login/", name="login")
        self.client.post(
            "/accounts/login/",
            data={
                "username": login,
                "password": FIXTURE["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        self.client.headers.update(
            {
                "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}/",
                "Accept-Language": "en",
            }
        )


class Employer(Session):
    fixed_count = 5
    role = "employer"

    def on_start(self):
        super().on_start()
        self.codes = []

    @task(3)
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
            self.codes += [w["booking_code"] for w in res.json().get("workers", [])]

    @task(2)
    def ticket(self):
        if self.codes:
            code = random.choice(self.codes)
            self.client.get(f"/api/v1/appointments/{code}/ticket.pdf", name="ticket_pdf")


class Planner(Session):
    fixed_count = 2
    role = "coordinator"

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
    fixed_count = 8
    role = "officer"

    def on_start(self):
        super().on_start()
        self.counter = random.choice(FIXTURE["counters"][FIXTURE["officer_desk"][self.login]])

    @task
    def serve_next(self):
        res = self.client.post(f"/api/v1/counters/{self.counter}/call-next", name="call_next")
        if res.status_code != 200:
            return
        self.client.post(f"/api/v1/counters/{self.counter}/start", name="start")
        self.client.post(
            f"/api/v1/counters/{self.counter}/finish", json={"completed": False}, name="finish"
        )


class Kiosk(HttpUser):
    fixed_count = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        device = random.choice(FIXTURE["devices"])
        self.location = device["location"]
        self.client.headers.update({"X-Kiosk-Device": device["secret"], "Accept-Language": "en"})

    @task
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


class Municipality(Session):
    fixed_count = 2
    role = "municipality"

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
