"""The load test's two traffic profiles, computed in one place (bench/load/run.py prints them).

``deskday`` (the default): a desk day's peak hour at ten times Noord-Brabant's volume, every
rate derived from the numbers in ``DESKDAY`` below; each locust user paces itself
(``constant_pacing``) so that its class as a whole makes the model's requests per second.
``stress``: the old think times (0.3-1.5 s, kiosks 0.5-2 s, whatever the server answers), far
beyond a desk day: it shows where this machine saturates, not what a desk day costs.

A step's rate is what the whole class makes (``rate_per_s``); a user of the class starts one
iteration every ``interval_s`` seconds (its class's users share the rate). One iteration of a
class is one of its actions, chosen by ``weights``: an employer books a group or downloads a
ticket, a kiosk checks a booked visit in or issues a walk-in number, an officer calls the next
number (and, when someone was waiting, starts and records the leg: three requests), a planner
searches availability, a municipality lists its statements and opens one (two requests).
"""

# The desk-day model. Change a number here and every rate below follows.
DESKDAY = {
    "newcomers_per_year": 55_000,  # Noord-Brabant (issue 15)
    "volume_factor": 10,  # planned for ten times that
    "working_days_per_year": 250,  # 52 weeks x 5 days, less ~10 public holidays
    "opening_hours_per_day": 8,  # 09:00-17:00
    "peak_hour_factor": 3,  # the busiest hour carries 3x the day's average hour
    "booked_share": 0.9,  # visits booked ahead (the kiosk checks them in); the rest walk in
    "group_size": 2,  # workers per group booking (the load books 1-3)
    "searches_per_booking": 3,  # availability searches per group booked
    "tickets_per_worker": 1,  # ticket PDFs downloaded per worker booked
    "legs_per_visit": 2,  # counter legs per visit (e.g. registration + health insurance)
    "statement_reads_per_hour": 60,  # municipal integrations polling their statements
    "counters": 20,  # officers, one per counter (5 desks x 4)
    "kiosks": 5,  # one per desk
    "employers": 5,
    "planners": 2,
    "municipalities": 2,
}

# The old think times: (users, min wait s, max wait s, weights).
STRESS = {
    "employer": (5, 0.3, 1.5, {"book": 3, "ticket": 2}),
    "planner": (2, 0.3, 1.5, {"search": 1}),
    "officer": (8, 0.3, 1.5, {"serve": 1}),
    "kiosk": (3, 0.5, 2.0, {"check_in": 2, "walk_in": 1}),
    "municipality": (2, 0.3, 1.5, {"statements": 1}),
}
# Requests one iteration of each action makes (a municipality: the list and one statement's
# lines). An officer's serve is a call-next, plus a start and a record when someone was
# waiting: at most as many as the kiosks check in and let walk in (``_requests_per_s``).
REQUESTS_PER_ACTION = {
    "book": 1, "ticket": 1, "search": 1, "serve": 1, "check_in": 1, "walk_in": 1,
    "statements": 2,
}  # fmt: skip


def deskday_plan(model: dict = DESKDAY) -> dict:
    """Per-class users, pacing and intended rates of the desk-day peak hour."""
    visits_per_day = (
        model["newcomers_per_year"] * model["volume_factor"] / model["working_days_per_year"]
    )
    peak_visits_per_s = (
        visits_per_day / model["opening_hours_per_day"] * model["peak_hour_factor"] / 3600
    )
    booked = peak_visits_per_s * model["booked_share"]
    walk_ins = peak_visits_per_s - booked
    groups = booked / model["group_size"]
    rates = {  # actions per second of the whole class
        "employer": {"book": groups, "ticket": booked * model["tickets_per_worker"]},
        "planner": {"search": groups * model["searches_per_booking"]},
        "kiosk": {"check_in": booked, "walk_in": walk_ins},
        "officer": {"serve": peak_visits_per_s * model["legs_per_visit"]},
        "municipality": {"statements": model["statement_reads_per_hour"] / 3600},
    }
    users = {
        "employer": model["employers"],
        "planner": model["planners"],
        "kiosk": model["kiosks"],
        "officer": model["counters"],
        "municipality": model["municipalities"],
    }
    classes = {}
    for name, actions in rates.items():
        total = sum(actions.values())
        classes[name] = {
            "users": users[name],
            "interval_s": round(users[name] / total, 2),
            "weights": {a: round(r / total, 4) for a, r in actions.items()},
            "actions_per_s": {a: round(r, 4) for a, r in actions.items()},
        }
    derived = {
        "visits_per_day": round(visits_per_day),
        "visits_per_hour_average": round(visits_per_day / model["opening_hours_per_day"], 1),
        "visits_per_hour_peak": round(peak_visits_per_s * 3600, 1),
    }
    return {"profile": "deskday", "model": model, "derived": derived, "classes": classes}


def stress_plan() -> dict:
    """The old think times; the rate is the ceiling at zero server latency (users / mean wait)."""
    classes = {}
    for name, (users, low, high, weights) in STRESS.items():
        total = sum(weights.values())
        per_s = users / ((low + high) / 2)
        classes[name] = {
            "users": users,
            "wait_s": [low, high],
            "weights": {a: round(w / total, 4) for a, w in weights.items()},
            "actions_per_s": {a: round(per_s * w / total, 4) for a, w in weights.items()},
        }
    return {"profile": "stress", "classes": classes}


def plan_for(profile: str) -> dict:
    plan = {"deskday": deskday_plan, "stress": stress_plan}[profile]()
    return {**plan, **totals(plan["classes"])}


def plan_for_model(model: dict) -> dict:
    """The desk-day plan for other numbers (what-if: another volume, more counters)."""
    plan = deskday_plan(model)
    return {**plan, **totals(plan["classes"])}


def totals(classes: dict) -> dict:
    return {
        "intended_requests_per_s": round(_requests_per_s(classes), 2),
        "users": sum(cls["users"] for cls in classes.values()),
    }


def _requests_per_s(classes: dict) -> float:
    rates = {a: r for cls in classes.values() for a, r in cls["actions_per_s"].items()}
    served = min(rates["serve"], rates["check_in"] + rates["walk_in"])  # start + record each
    return sum(r * REQUESTS_PER_ACTION[a] for a, r in rates.items()) + 2 * served
