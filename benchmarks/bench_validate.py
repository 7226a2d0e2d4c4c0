"""Benchmark the rule engine on a liwan-sized jurisdiction.

Prints: the time to build the jurisdiction, full validation time (best of N) and its
peak memory (tracemalloc), and incremental re-validation of a single filing change
(median of M), with the ratio full / incremental measured in the same process.

    python benchmarks/bench_validate.py            # liwan size
    python benchmarks/bench_validate.py --scale 0.05 --repeat 2   # a quick run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import _synthetic

from gridgov import MemberTransferred
from gridgov.rules import Validator, validate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of liwan size")
    parser.add_argument("--repeat", type=int, default=5, help="full validations to time")
    parser.add_argument("--changes", type=int, default=200, help="incremental changes to time")
    args = parser.parse_args(argv)
    sizes = {k: max(1, round(v * args.scale)) for k, v in _synthetic.LIWAN.items()}
    sizes["communities"] = max(1, min(sizes["communities"], sizes["branches"]))

    t0 = time.perf_counter()
    j = _synthetic.build(**sizes)
    build = time.perf_counter() - t0
    counts = j.graph.counts()
    print(f"jurisdiction: {len(j.people):,} people, {counts}")
    print(f"build (replay of {j.version:,} events): {build:.2f} s")

    full = []
    report = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        report = validate(j)
        full.append(time.perf_counter() - t0)
    assert report is not None
    tracemalloc.start()
    validate(j)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(full)
    print(
        f"full validation: best {best * 1000:.0f} ms of {args.repeat}, peak {peak / 2**20:.1f} MiB"
    )
    print(f"  findings: {report.count_by_code()}")

    validator = Validator(j)
    person = next(p for p in j.people if j.filed_in(p) is not None)
    home = j.filed_in(person)
    other = next(g for g in j.graph.at_level(j.scheme.filing_level) if g != home)
    times = []
    for i in range(args.changes):
        event = MemberTransferred(person, other if i % 2 == 0 else home)
        t0 = time.perf_counter()
        validator.apply(event)
        times.append(time.perf_counter() - t0)
    incremental = statistics.median(times)
    agrees = validator.report() == validate(j)
    print(
        f"incremental re-validation of one filing change: median {incremental * 1e3:.2f} ms "
        f"of {args.changes} (includes applying the event)"
    )
    print(f"ratio full / incremental: {best / incremental:.0f}x; incremental == full: {agrees}")


if __name__ == "__main__":
    main()
