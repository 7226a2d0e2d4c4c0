"""Benchmark the testing kit's strategies: the time of 100 examples of each.

Each strategy runs under ``@given`` with ``max_examples=100`` (no shrinking, no example
database, no deadline, generation only: the test body does nothing but count), so the
figure is what a test suite pays to draw 100 examples. As a baseline measured in the
same process, 100 examples of a trivial strategy (``st.integers()``) and the time of
100 plain ``make_jurisdiction()`` calls (the same clean jurisdiction built without
Hypothesis) give the ratios. Then the bounded state machine run (15 examples x 15
steps) and the peak resident memory of the process (``ru_maxrss``).

    python benchmarks/bench_testing.py
    python benchmarks/bench_testing.py --examples 20   # a quick run
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from gridgov.rules.breaking import minimal_jurisdiction
from gridgov.testing import (
    JurisdictionMachine,
    any_events,
    documents,
    events,
    jurisdictions,
    make_jurisdiction,
    policies,
    schemes,
)


def _time(strategy: st.SearchStrategy[Any], n: int) -> tuple[float, int]:
    drawn = 0

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal drawn
        drawn += 1

    start = time.perf_counter()
    run()
    return time.perf_counter() - start, drawn


def _strategies() -> dict[str, Callable[[], st.SearchStrategy[Any]]]:
    base = minimal_jurisdiction()
    return {
        "baseline st.integers()": st.integers,
        "policies()": policies,
        "schemes()": schemes,
        "jurisdictions()": jurisdictions,
        "jurisdictions(max_branches=10)": lambda: jurisdictions(max_branches=10),
        "jurisdictions(valid=False)": lambda: jurisdictions(valid=False),
        "jurisdictions(breaking='GG301')": lambda: jurisdictions(breaking="GG301"),
        "jurisdictions(breaking='GG203')": lambda: jurisdictions(breaking="GG203"),
        "documents()": documents,
        "documents(valid=False)": lambda: documents(valid=False),
        "documents(breaking='GG105')": lambda: documents(breaking="GG105"),
        "events(minimal)": lambda: events(base),
        "any_events()": any_events,
        "any_events(minimal)": lambda: any_events(base),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per strategy")
    args = parser.parse_args(argv)
    n = args.examples
    start = time.perf_counter()
    for _ in range(n):
        make_jurisdiction()
    plain = time.perf_counter() - start
    print(f"{n} x make_jurisdiction() without Hypothesis: {plain:.3f} s")
    baseline = None
    print(f"{'strategy':<36} {'examples':>8} {'seconds':>8} {'x baseline':>10}")
    for name, make in _strategies().items():
        seconds, drawn = _time(make(), n)
        baseline = seconds if baseline is None else baseline
        print(f"{name:<36} {drawn:>8} {seconds:>8.3f} {seconds / baseline:>10.1f}")
    start = time.perf_counter()
    run_state_machine_as_test(
        JurisdictionMachine,
        settings=settings(max_examples=15, stateful_step_count=15, deadline=None, database=None),
    )
    print(f"JurisdictionMachine, 15 examples x 15 steps: {time.perf_counter() - start:.3f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
