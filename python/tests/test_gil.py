"""The computation (and reading JSON) releases the interpreter: another Python thread runs
meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import mecenat
from conftest import synthetic_scenario


def big_scenario(n: int) -> mecenat.Scenario:
    return synthetic_scenario(n, employees=100)


def ticks_during(work: Callable[[], Any]) -> tuple[int, float]:
    """How many times the main thread ran a Python loop while `work` ran in another."""
    started = threading.Event()
    done = threading.Event()
    elapsed: list[float] = []

    def run() -> None:
        started.set()
        t0 = time.perf_counter()
        work()
        elapsed.append(time.perf_counter() - t0)
        done.set()

    t = threading.Thread(target=run)
    t.start()
    started.wait()
    ticks = 0
    while not done.is_set():
        ticks += 1
    t.join()
    return ticks, elapsed[0]


def test_compute_releases_the_interpreter() -> None:
    s = big_scenario(100_000)
    ticks, seconds = ticks_during(lambda: mecenat.compute(s))
    assert seconds > 0.02
    # Holding the interpreter, the main thread would run only in the 5 ms switch
    # intervals before the call: a few thousand ticks at most. Released, it runs all along.
    assert ticks > 20_000 * seconds / 0.1, (ticks, seconds)


def test_reading_json_releases_the_interpreter() -> None:
    rows = ",".join(
        '{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}'
        for _ in range(200_000))
    text = '{"time_entries": [' + rows + "]}"
    ticks, seconds = ticks_during(lambda: mecenat.Scenario.from_json(text))
    assert ticks > 20_000 * seconds / 0.1, (ticks, seconds)
