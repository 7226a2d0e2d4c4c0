"""Benchmark the core: validation (full and incremental), refused batches, simulate end to end.

Prints, for a liwan-sized synthetic jurisdiction (``_synthetic.py``):

- full validation (best of N) and incremental re-validation after random transfers of
  random members between random groups (median; the report checked equal to a full
  validation at the end);
- the cost of a refused batch (a transfer, then an event that is refused) on a
  jurisdiction of about 1 k events and on one of 400 k+ events, and their ratio: a
  rollback should cost the batch, not the log;
- ``gridgov simulate --preset liwan --out FILE`` end to end (median of runs, as a
  subprocess, with its peak memory from the kernel).

``--baseline SRC`` measures the same again with another gridgov source tree (e.g. a
``git worktree`` of an earlier commit) in the same run, and prints both side by side.

    python benchmarks/bench_core.py                    # this tree
    python benchmarks/bench_core.py --baseline ../old/src
    python benchmarks/bench_core.py --scale 0.05 --runs 1   # a quick run
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(scale: float, changes: int, repeat: int) -> dict[str, float]:
    """The in-process figures, with whatever gridgov is importable."""
    sys.path.insert(0, str(HERE))
    import _synthetic

    from gridgov import MemberTransferred, OrganizationDissolved
    from gridgov.rules import Validator, validate

    sizes = {k: max(1, round(v * scale)) for k, v in _synthetic.LIWAN.items()}
    sizes["communities"] = max(1, min(sizes["communities"], sizes["branches"]))
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    j = _synthetic.build(**sizes)
    out["build_s"] = time.perf_counter() - t0
    out["events"] = j.version
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        validate(j)
        best = min(best, time.perf_counter() - t0)
    out["full_s"] = best

    validator = Validator(j)
    rng = random.Random(0)
    people = list(j.filings)
    groups = j.graph.at_level(j.scheme.filing_level)
    times = []
    while len(times) < changes:
        person = rng.choice(people)
        group = rng.choice(groups)
        if group == j.filed_in(person):
            continue
        t0 = time.perf_counter()
        validator.apply(MemberTransferred(person, group))
        times.append(time.perf_counter() - t0)
    out["incremental_ms"] = statistics.median(times) * 1e3
    out["incremental_equals_full"] = float(validator.report() == validate(j))

    def refused(jurisdiction: object, n: int = 30) -> float:
        members = list(jurisdiction.filings)  # type: ignore[attr-defined]
        targets = jurisdiction.graph.at_level(jurisdiction.scheme.filing_level)  # type: ignore[attr-defined]
        r = random.Random(1)
        costs = []
        for _ in range(n):
            person = r.choice(members)
            home = jurisdiction.filed_in(person)  # type: ignore[attr-defined]
            group = r.choice([g for g in targets[:64] if g != home])
            batch = [MemberTransferred(person, group), OrganizationDissolved("NOWHERE")]
            t0 = time.perf_counter()
            with contextlib.suppress(Exception):
                jurisdiction.apply_all(batch)  # type: ignore[attr-defined]
            costs.append(time.perf_counter() - t0)
        return statistics.median(costs)

    out["refused_big_ms"] = refused(j) * 1e3
    small = _synthetic.build(communities=1, branches=3, groups=6, zones=60, members=150)
    out["small_events"] = small.version
    out["refused_small_ms"] = refused(small) * 1e3
    return out


def simulate_cli(src: str | None, runs: int) -> dict[str, float]:
    """``gridgov simulate --preset liwan --out FILE`` in subprocesses: median time, peak memory."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "liwan.json")
        for _ in range(runs):
            code = (
                "import resource, subprocess, sys, time\n"
                "t = time.perf_counter()\n"
                "subprocess.run([sys.executable, '-m', 'gridgov', 'simulate', '--preset', "
                f"'liwan', '--out', {str(out)!r}], check=True, capture_output=True)\n"
                "print(time.perf_counter() - t, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            )
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            seconds, kib = done.stdout.split()
            times.append(float(seconds))
            peaks.append(int(kib) * 1024)
    return {
        "simulate_liwan_s": statistics.median(times),
        "simulate_liwan_peak_mib": max(peaks) / 2**20,
    }


def run_tree(src: str | None, args: argparse.Namespace) -> dict[str, float]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    code = (
        f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import bench_core; "
        f"print(json.dumps(bench_core.measure({args.scale}, {args.changes}, {args.repeat})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    if args.runs:
        figures.update(simulate_cli(src, args.runs))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of liwan size")
    parser.add_argument("--repeat", type=int, default=5, help="full validations (best of)")
    parser.add_argument("--changes", type=int, default=300, help="incremental transfers")
    parser.add_argument("--runs", type=int, default=3, help="simulate runs (0: skip)")
    parser.add_argument("--baseline", metavar="SRC", help="another gridgov source tree")
    args = parser.parse_args(argv)
    trees = {"this tree": None}
    if args.baseline:
        trees = {"baseline": args.baseline, "this tree": None}
    results = {name: run_tree(src, args) for name, src in trees.items()}
    rows = [
        ("jurisdiction events", "events", "{:,.0f}"),
        ("build (replay)", "build_s", "{:.2f} s"),
        ("full validation (best)", "full_s", "{:.3f} s"),
        ("incremental, random transfer (median)", "incremental_ms", "{:.3f} ms"),
        ("incremental == full", "incremental_equals_full", "{:.0f}"),
        ("refused 2-event batch, big jurisdiction", "refused_big_ms", "{:.3f} ms"),
        ("refused 2-event batch, 1 k-event jurisdiction", "refused_small_ms", "{:.3f} ms"),
        ("simulate --preset liwan --out (median)", "simulate_liwan_s", "{:.2f} s"),
        ("simulate peak memory", "simulate_liwan_peak_mib", "{:.0f} MiB"),
    ]
    names = list(results)
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  " + "  ".join(f"{n:>14}" for n in names))
    for label, key, fmt in rows:
        cells = [fmt.format(results[n][key]) if key in results[n] else "-" for n in names]
        print(f"{label:<{width}}  " + "  ".join(f"{c:>14}" for c in cells))
    for name in names:
        r = results[name]
        print(
            f"{name}: full / incremental {r['full_s'] / (r['incremental_ms'] / 1e3):,.0f}x; "
            f"refused batch big / small {r['refused_big_ms'] / r['refused_small_ms']:.2f}"
        )


if __name__ == "__main__":
    main()
