"""bench/load/profiles.py: the desk-day load is derived from its stated numbers in one place
(a reader can check the arithmetic), and the stress profile keeps the old think times."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[2] / "bench" / "load" / "profiles.py"
_spec = importlib.util.spec_from_file_location("load_profiles", _path)
profiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profiles)


def test_deskday_rates_follow_from_the_model():
    plan = profiles.plan_for("deskday")
    assert plan["derived"]["visits_per_day"] == 2200  # 550,000 / 250 working days
    assert plan["derived"]["visits_per_hour_peak"] == 825.0  # 275 an hour x 3
    officer = plan["classes"]["officer"]
    assert officer["users"] == 20  # one per counter
    # Two legs per visit at the peak: 825 x 2 / 3600 calls a second over 20 counters.
    assert abs(officer["interval_s"] - 20 / (825 * 2 / 3600)) < 0.01
    assert plan["users"] == 34
    assert 1 < plan["intended_requests_per_s"] < 5  # "a few requests per second"


def test_doubling_the_volume_doubles_the_visit_load():
    model = {**profiles.DESKDAY, "volume_factor": 20}
    doubled, single = profiles.plan_for_model(model), profiles.plan_for("deskday")
    for cls, action in [("officer", "serve"), ("employer", "book"), ("kiosk", "check_in")]:
        assert (
            abs(
                doubled["classes"][cls]["actions_per_s"][action]
                - 2 * single["classes"][cls]["actions_per_s"][action]
            )
            < 0.001
        )
    # Everything but the municipalities' statement polling grows with the volume.
    assert 1.9 < doubled["intended_requests_per_s"] / single["intended_requests_per_s"] < 2
    assert doubled["users"] == single["users"]


def test_stress_keeps_the_old_think_times():
    plan = profiles.plan_for("stress")
    assert plan["users"] == 20
    assert plan["classes"]["officer"]["wait_s"] == [0.3, 1.5]
    assert "interval_s" not in plan["classes"]["officer"]
