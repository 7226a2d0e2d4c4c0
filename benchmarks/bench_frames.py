"""Benchmark ``gridgov.frames`` and ``gridgov.churn`` on a simulated district.

Run by hand::

    python benchmarks/bench_frames.py                 # liwan: frames; nansha: churn
    python benchmarks/bench_frames.py --preset junhe --churn-preset junhe   # quick

It prints

- the time of :func:`gridgov.frames` on the preset's jurisdiction (best of five) and
  the time of building the same typed DataFrames from plain Python lists already in
  hand, one per column (the baseline: the lists are the columns
  :func:`gridgov.tables._columns` read, each made a plain ``list``; the same typed
  conversion, :func:`gridgov.tables._build`; best of five, interleaved with frames; the cyclic garbage
  collector paused as frames pauses it), their ratio (the target: within 2x), and how
  long frames spends reading the jurisdiction; and, for comparison, the same tables
  built from plain lists of rows (one tuple per record) and typed column by column
  afterwards, the way a notebook often does it;
- the sampled peak resident memory (every 5 ms, from ``/proc/self/statm``) while the
  frames are made, above what the process held before;
- the time of :func:`gridgov.churn` (30 % influx in derive mode, and 5 % of each move
  in given mode) on a mid-size preset, with what it did.

The figures are measurements of this machine, printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import gridgov
from gridgov import tables
from gridgov.allocation import simulate

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident() -> int:
    """The resident memory of this process, in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:
        return 0


class Sampler:
    """Samples the resident memory every `interval` seconds on a thread; keeps the peak."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident())
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self.start = resident()
        self.peak = self.start
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, resident())


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(n):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


def bench_frames(preset: str) -> None:
    start = time.perf_counter()
    r = simulate(preset)
    j = r.jurisdiction
    assert j is not None
    print(f"simulate({preset!r}): {time.perf_counter() - start:.1f} s, RSS {mib(resident())}")
    levels = tuple(j.scheme.levels)
    rows = {name: len(next(iter(cols.values()))) for name, cols in tables._columns(j).items()}
    print("rows:", ", ".join(f"{k} {v:,}" for k, v in rows.items()))

    columns = tables._columns(j)
    lists = {
        name: {c: list(v) if not isinstance(v, list) else v for c, v in cols.items()}
        for name, cols in columns.items()
    }

    def baseline() -> Any:
        gc.disable()
        try:
            return tables._build(pd, np, lists, levels)
        finally:
            gc.enable()

    types = tables._types(levels)
    records = {name: list(zip(*cols.values(), strict=True)) for name, cols in lists.items()}

    def from_records() -> dict[str, Any]:
        """The same tables from plain lists of rows, typed column by column afterwards."""
        gc.disable()
        try:
            out = {}
            for name, rows in records.items():
                df = pd.DataFrame(rows, columns=list(types[name]))
                for column, kind in types[name].items():
                    if isinstance(kind, tuple):
                        df[column] = pd.Categorical(df[column], categories=list(kind))
                    elif kind == "date":
                        df[column] = pd.to_datetime(df[column]).astype("datetime64[ns]")
                    elif kind in ("int", "float", "bool"):
                        df[column] = df[column].astype(
                            {"int": "int64", "float": "float64", "bool": "bool"}[kind]
                        )
                out[name] = df
            return out
        finally:
            gc.enable()

    # interleaved, best of five each: the machine's load falls on all alike
    t_records = float("inf")
    t_frames = t_read = t_plain = float("inf")
    with Sampler() as mem:
        f = gridgov.frames(j)
    for _ in range(5):
        t, f = best_of(1, lambda: gridgov.frames(j))
        t_frames = min(t_frames, t)
        t, plain = best_of(1, baseline)
        t_plain = min(t_plain, t)
        t, _ = best_of(1, lambda: tables._columns(j))
        t_read = min(t_read, t)
        t, _ = best_of(1, from_records)
        t_records = min(t_records, t)
    for name in f:
        pd.testing.assert_frame_equal(f[name], plain[name])  # the same DataFrames
    rebuilt = from_records()
    differ = []
    for name in f:
        try:
            pd.testing.assert_frame_equal(f[name], rebuilt[name], check_dtype=False)
        except AssertionError:
            differ.append(name)
    print(f"gridgov.frames:                      {t_frames:7.3f} s")
    print(f"  reading the jurisdiction (lists):  {t_read:7.3f} s")
    print(f"DataFrames from plain lists (base):  {t_plain:7.3f} s")
    print(f"ratio frames / baseline:             {t_frames / t_plain:7.2f}x  (target: within 2x)")
    print(
        f"DataFrames from plain lists of rows: {t_records:7.3f} s  (ratio {t_frames / t_records:.2f}x)"
    )
    print(
        f"sampled peak RSS during frames:      {mib(mem.peak)} ({mib(mem.peak - mem.start)} above before)"
    )

    gc.collect()


def bench_churn(preset: str) -> None:
    for label, mode, rate in [
        ("30% influx, derive mode", "derive", {"join": 0.3}),
        ("5% leave/move/join, given mode", "given", 0.05),
    ]:
        r = simulate(preset, mode=mode)
        j = r.jurisdiction
        assert j is not None
        with Sampler() as mem:
            start = time.perf_counter()
            out = gridgov.churn(j, rate=rate, seed=1, mode=mode)
            seconds = time.perf_counter() - start
        rep = out.report
        print(
            f"churn {preset} ({label}): {seconds:.2f} s, {len(out.events):,} events, "
            f"{rep.moves:,} moves, {rep.branches_formed} branches and {rep.groups_formed} "
            f"groups formed, {rep.over_cap} over the cap after, peak RSS {mib(mem.peak)}"
        )
        start = time.perf_counter()
        errors = [d for d in gridgov.validate(j).diagnostics if d.severity.value == "error"]
        print(
            f"  validate after: {time.perf_counter() - start:.2f} s, {len(errors)} error findings"
        )

        gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="liwan", help="preset for frames (default liwan)")
    parser.add_argument(
        "--churn-preset", default="nansha", help="preset for churn (default nansha)"
    )
    args = parser.parse_args()
    bench_frames(args.preset)
    bench_churn(args.churn_preset)


if __name__ == "__main__":
    main()
