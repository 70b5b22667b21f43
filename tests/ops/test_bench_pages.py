"""bench/pages.py times the two history sizes interleaved: on a machine that slows down while
the routes are timed (a shared machine does, by 1.5-2x within minutes), a page that costs the
same at both sizes shows a growth near 1.0; timed one size after the other it "grew"."""

import importlib.util
import sys
from pathlib import Path

import pytest

_bench = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def pages():
    sys.path.append(str(_bench))  # the script imports its sibling _common
    try:
        spec = importlib.util.spec_from_file_location("bench_pages", _bench / "pages.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(_bench))


class _Machine:
    """Slows down by 2 % with every request it serves."""

    def __init__(self):
        self.speed = 1.0

    def serve(self, cost_ms):
        self.speed *= 1.02
        return cost_ms * self.speed


class _FakeSize:
    def __init__(self, machine, costs):
        self.machine, self.costs, self.routes = machine, costs, list(costs)
        self.asked = []

    def ask(self, route):
        self.asked.append(route)
        ms = self.machine.serve(self.costs[route])
        return {
            "role": "r",
            "url": "/",
            "ms": ms,
            "cpu_ms": ms,
            "queries": 3,
            "kb": 1.0,
            "items": 2,
        }


def test_a_page_that_costs_the_same_at_both_sizes_does_not_grow(pages, monkeypatch):
    monkeypatch.setattr(pages, "REPS", 15)
    machine = _Machine()
    costs = {"fixed": 10.0, "history": 10.0}
    sizes = {1: _FakeSize(machine, costs), 5: _FakeSize(machine, {**costs, "history": 20.0})}
    results = pages.interleave(sizes)
    fixed = results[5]["fixed"]["median_ms"] / results[1]["fixed"]["median_ms"]
    history = results[5]["history"]["median_ms"] / results[1]["history"]["median_ms"]
    assert 0.97 < fixed < 1.03  # one size after the other: 1.02 ** 16 = 1.37
    assert 1.9 < history < 2.1  # a page that does cost more with history still shows it
    # Each route: a warm-up and REPS timed requests at each size, none of them counted twice.
    assert sizes[1].asked.count("fixed") == sizes[5].asked.count("fixed") == 16
    assert results[1]["fixed"]["queries"] == 3 and results[5]["history"]["items"] == 2


def test_a_route_that_fails_at_one_size_is_left_out_at_both(pages, monkeypatch, capsys):
    monkeypatch.setattr(pages, "REPS", 3)
    machine = _Machine()
    broken = _FakeSize(machine, {"ok": 5.0, "broken": 5.0})
    real_ask = broken.ask
    broken.ask = lambda route: {"error": "boom"} if route == "broken" else real_ask(route)
    results = pages.interleave({1: _FakeSize(machine, {"ok": 5.0, "broken": 5.0}), 5: broken})
    assert set(results[1]) == set(results[5]) == {"ok"}
    assert "boom" in capsys.readouterr().err
