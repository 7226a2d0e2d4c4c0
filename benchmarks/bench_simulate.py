"""Benchmark ``gridgov simulate``: time and peak memory per stage, and ratios.

Run by hand::

    python benchmarks/bench_simulate.py --preset liwan
    python benchmarks/bench_simulate.py --preset city --no-ratios
    python benchmarks/bench_simulate.py --preset nansha --flow   # global networkx flow too

CI runs only the smallest size (``--smallest``: the Junhe preset, with the networkx
flow cross-check). For each preset it prints

- the time and peak resident memory of every stage of :func:`gridgov.allocation.simulate`
  (generate, grids, filing, zones, posts, events, build, validate), against the budget
  where there is one (Liwan: 5 s and 1 GiB end to end; city: 120 s and 8 GiB);
- ratios measured in the same process: simulate against building a plain networkx
  graph of the same nodes and edges (organizations, filed members, tree and filing
  edges); the greedy zone heuristic against the exact per-group assignment (time and
  objective), and, with ``--flow``, against one global networkx min-cost flow;
- churn: members moved and filings changed per moved member.

The figures are measurements of this machine, printed, never asserted; ``--check``
exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from typing import Any

import networkx as nx

from gridgov.allocation import simulate
from gridgov.allocation.zones import assign_zones
from gridgov.cli._stages import StageMeter, format_bytes

BUDGETS = {"liwan": (5.0, 1 << 30), "city": (120.0, 8 << 30)}
"""Seconds and bytes, end to end, per preset."""


def plain_graph_seconds(result: Any) -> float:
    """Time building a networkx DiGraph of the same organizations, members and edges
    (best of three, so that one garbage collection does not swing the ratio)."""
    j = result.jurisdiction
    orgs = [(o.id, o.parent) for o in j.organizations.values()]
    filings = [(f.person, f.org) for f in j.filings.values()]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        g: nx.DiGraph[str] = nx.DiGraph()
        g.add_nodes_from(o for o, _ in orgs)
        g.add_edges_from((p, o) for o, p in orgs if p is not None)
        g.add_edges_from((org, person) for person, org in filings)
        best = min(best, time.perf_counter() - start)
        del g
    return best


def zone_methods(result: Any, *, flow: bool) -> dict[str, dict[str, float]]:
    """Time and objective of each zone assignment method on the same district."""
    d, a = result.district, result.allocation
    out: dict[str, dict[str, float]] = {}
    for method in ("exact", "greedy", *(("flow",) if flow else ())):
        start = time.perf_counter()
        done = assign_zones(d, a.zones, a.member_group, method=method, policy=result.policy)
        out[method] = {"seconds": time.perf_counter() - start, "objective": done.objective}
    optimum = out["exact"]["objective"]
    for figures in out.values():
        figures["gap"] = figures["objective"] / optimum - 1 if optimum else 0.0
    return out


def bench(preset: str, *, mode: str, seed: int, ratios: bool, flow: bool) -> dict[str, Any]:
    """Simulate `preset` once, measured, and compute the ratios."""
    gc.collect()
    meter = StageMeter()
    result = simulate(preset, mode=mode, seed=seed, progress=meter)
    out: dict[str, Any] = {
        "preset": preset,
        "mode": mode,
        "members": result.report.members,
        "stages": meter.to_list(),
        "seconds": meter.total_seconds,
        "peak_bytes": meter.peak_bytes,
        "findings": result.report.findings,
    }
    if ratios:
        plain = plain_graph_seconds(result)
        out["plain_graph_seconds"] = plain
        out["simulate_vs_plain_graph"] = meter.total_seconds / plain if plain else None
        out["zones"] = zone_methods(result, flow=flow)
        start = time.perf_counter()
        churned = result.churn(seed=seed + 1)
        out["churn"] = {**churned.report.to_dict(), "seconds": time.perf_counter() - start}
    budget = BUDGETS.get(preset)
    if budget is not None:
        out["budget"] = {"seconds": budget[0], "bytes": budget[1]}
        out["within_budget"] = meter.total_seconds <= budget[0] and meter.peak_bytes <= budget[1]
    return out


def report(figures: dict[str, Any]) -> str:
    """Format the figures of one preset for people."""
    lines = [f"== {figures['preset']} ({figures['mode']} mode, {figures['members']:,} members)"]
    lines.append(f"{'stage':<10} {'time':>9} {'peak memory':>12}")
    for s in figures["stages"]:
        lines.append(f"{s['stage']:<10} {s['seconds']:>7.2f} s {format_bytes(s['peak_bytes']):>12}")
    lines.append(
        f"{'total':<10} {figures['seconds']:>7.2f} s {format_bytes(figures['peak_bytes']):>12}"
    )
    if "budget" in figures:
        b = figures["budget"]
        verdict = "within" if figures["within_budget"] else "OVER"
        lines.append(f"budget: {b['seconds']:.0f} s and {format_bytes(b['bytes'])}: {verdict}")
    lines.append(f"rule findings: {figures['findings']}")
    if "zones" in figures:
        lines.append(
            f"simulate / plain networkx graph of the same nodes and edges: "
            f"{figures['simulate_vs_plain_graph']:.1f}x "
            f"(graph {figures['plain_graph_seconds']:.3f} s)"
        )
        exact = figures["zones"]["exact"]
        for method, z in figures["zones"].items():
            lines.append(
                f"zones {method:<6} {z['seconds']:>7.3f} s  objective {z['objective']:>12,.0f}  "
                f"gap {z['gap']:+.3%}  time vs exact {z['seconds'] / exact['seconds']:.2f}x"
            )
        c = figures["churn"]
        lines.append(
            f"churn: {c['moved']:,} moved (in {c['moved_in']}, out {c['moved_out']}, house "
            f"{c['moved_house']}), {c['filings_changed']:,} filings changed = "
            f"{c['changes_per_moved']:.3f} per moved member ({c['forced_transfers']} forced), "
            f"{c['seconds']:.2f} s"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", action="append", help="preset(s) to run (default: liwan)")
    parser.add_argument("--smallest", action="store_true", help="CI: the smallest size only")
    parser.add_argument("--mode", choices=("given", "derive"), default="given")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flow", action="store_true", help="also time the networkx flow")
    parser.add_argument("--no-ratios", action="store_true", help="stages only (e.g. city)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    args = parser.parse_args(argv)
    presets = ["junhe"] if args.smallest else (args.preset or ["liwan"])
    results = [
        bench(
            p,
            mode=args.mode,
            seed=args.seed,
            ratios=not args.no_ratios,
            flow=args.flow or args.smallest,
        )
        for p in presets
    ]
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print("\n\n".join(report(r) for r in results))
    over = [r["preset"] for r in results if r.get("within_budget") is False]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
