"""Benchmark the one-page report and the roster exports on the liwan preset.

Prints, for ``gridgov.allocation.simulate("liwan")`` (about 57,500 members, 925 branches):
the time and sampled peak resident memory (above the level before the step) of

- the report (:func:`gridgov.reporting.render_report`) with the validation it runs, and
  with findings given (the rendering alone), and its size;
- each roster table (:func:`gridgov.rosters.table`) and its CSV and xlsx writing (xlsx
  only with ``--out``); the members roster read back and imported unchanged;
- baselines measured in the same process: writing the JSON document
  (:func:`gridgov.io.dumps`), and writing the members table's cells with a bare
  :func:`csv.writer` from plain lists; the ratios against them.

    python benchmarks/bench_report.py               # liwan
    python benchmarks/bench_report.py --preset junhe --out /tmp/bench   # a quick run
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridgov.allocation import simulate
from gridgov.io import dumps
from gridgov.reporting import render_report
from gridgov.rosters import from_csv, import_members, table, to_csv, write_table
from gridgov.validation import validate

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class Sampler:
    """The peak resident memory, sampled every 5 ms, and how far above the start it went.

    Memory freed by an earlier step is reused without growing the resident set, so the
    rise can be 0 for a step that allocates less than what was freed before it."""

    def __init__(self) -> None:
        self.base = rss()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss())

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())

    @property
    def above(self) -> float:
        return (self.peak - self.base) / 2**20


def measure(label: str, fn: Callable[[], Any], repeat: int = 1) -> tuple[Any, float]:
    best = float("inf")
    out = None
    peak = 0.0
    top = 0
    for _ in range(repeat):
        with Sampler() as s:
            t0 = time.perf_counter()
            out = fn()
            best = min(best, time.perf_counter() - t0)
        peak = max(peak, s.above)
        top = max(top, s.peak)
    print(f"{label:<44} {best:8.3f} s   peak +{peak:6.1f} MiB (resident {top / 2**20:5.0f} MiB)")
    return out, best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", default="liwan")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", default=None, help="folder for the files written")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    r = simulate(args.preset, validate=False)
    j = r.jurisdiction
    print(
        f"{args.preset}: {len(j.people):,} people, {j.graph.counts()} "
        f"(simulated in {time.perf_counter() - t0:.1f} s, resident {rss() / 2**20:.0f} MiB)"
    )

    doc, t_json = measure("baseline: gridgov.io.dumps (JSON document)", lambda: dumps(j))
    print(f"  document: {len(doc) / 2**20:.1f} MiB")
    del doc
    report, _t_validate = measure("validate", lambda: validate(j))
    print(f"  findings: {report.count_by_code()}")
    page, t_report = measure(
        "render_report (validation included)", lambda: render_report(j), args.repeat
    )
    _, t_render = measure(
        "render_report (findings given)", lambda: render_report(j, report=report), args.repeat
    )
    print(f"  page: {len(page.encode()) / 2**20:.2f} MiB")
    if out is not None:
        (out / f"{args.preset}-report.html").write_text(page, encoding="utf-8")
        (out / f"{args.preset}-report-zh.html").write_text(
            render_report(j, report=report, lang="zh"), encoding="utf-8"
        )
    print(
        f"  report / document dump: {t_report / t_json:.2f}x; rendering alone {t_render / t_json:.2f}x"
    )

    for name in ("members", "posts", "orgs", "households"):
        t, t_table = measure(f"table {name!r} ({name})", lambda name=name: table(j, name))
        _, t_csv = measure(f"  to_csv ({len(t.rows):,} rows)", lambda t=t: to_csv(t, headers="zh"))
        if out is not None:
            _, _t_xlsx = measure(
                "  write_table xlsx", lambda t=t, name=name: write_table(t, out / f"{name}.xlsx")
            )
        if name == "members":
            plain = [list(row) for row in t.rows]

            def bare(plain: list[list[str]] = plain) -> str:
                buf = io.StringIO()
                csv.writer(buf).writerows(plain)
                return buf.getvalue()

            _, t_bare = measure("  baseline: csv.writer of plain lists", bare)
            print(f"  members table + CSV / bare csv.writer: {(t_table + t_csv) / t_bare:.1f}x")
            text = to_csv(t)
            back, _ = measure(
                "  from_csv (reading the roster back)", lambda text=text: from_csv(text)
            )
            outcome, _ = measure(
                "  import_members, unchanged (no event)",
                lambda back=back: import_members(j, back),
            )
            print(f"  {outcome}")


if __name__ == "__main__":
    main()
