"""Benchmark the compound commands against the primitive events they apply, and history.

On the simulated Liwan district (``simulate("liwan")``, about 460,000 events) it prints:

- for each compound command (``relocate_member``, ``replace_holder``, ``split_org``,
  ``merge_orgs``) on random targets (random members to random groups of any community,
  random posts to random members, random branches split and random sibling branches
  merged): the median time of the command, planned and applied through a
  :class:`~gridgov.rules.Validator` (incremental validation included), against the same
  events applied one by one through a second validator on a copy that is in the same
  state, measured in the same process; the ratio is the command's overhead (the issue
  asks for at most 2x);
- ``post_history`` and ``holders(on=)`` on a sample of organizations before and after
  the log has grown by many changes elsewhere: the ratio should stay near 1 (the history
  is kept per organization, not read from the log);
- the peak resident memory of the process, from the kernel (``ru_maxrss``).

    python benchmarks/bench_operations.py                 # liwan
    python benchmarks/bench_operations.py --preset junhe  # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from typing import Any


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1e3


def _targets(j: Any, rng: random.Random, op: str) -> tuple[Any, ...] | None:
    """Random arguments for `op` in the current state of `j`, or None to draw again."""
    graph, scheme = j.graph, j.scheme
    if op == "relocate_member":
        person = rng.choice(list(j.filings))
        group = rng.choice(graph.at_level(scheme.filing_level))
        if j.graph.org(group).kind is not None and j.graph.org(group).kind.is_team:
            return None
        return None if group == j.filed_in(person) else (person, group)
    if op == "replace_holder":
        post = rng.choice(list(j.posts.values()))
        new = rng.choice(list(j.filings))
        held = {(p.org, p.role) for p in j.posts_held(new)}
        return None if (post.org, post.role) in held else (post.org, post.role, post.holder, new)
    branches = [
        b
        for b in graph.at_level(scheme.branch_level or scheme.filing_level)
        if graph.org(b).kind is None or not graph.org(b).kind.is_team
    ]
    if op == "split_org":
        branch = rng.choice(branches)
        groups = graph.children(branch)
        return (branch, groups[: len(groups) // 2]) if len(groups) >= 2 else None
    branch = rng.choice(branches)
    siblings = [b for b in graph.children(graph.parent(branch)) if b != branch and b in branches]
    return (rng.choice(siblings), branch) if siblings else None


def compound_vs_primitive(j: Any, op: str, n: int, seed: int) -> dict[str, float]:
    from gridgov.errors import GridGovError
    from gridgov.model import operations
    from gridgov.rules import Validator

    rng = random.Random(seed)
    day = dt.date(2022, 1, 2)
    ours = j.copy()
    mirror = j.copy()
    v, w = Validator(ours), Validator(mirror)
    compound: list[float] = []
    primitive: list[float] = []
    events = 0
    made = 0
    tries = 0
    while len(compound) < n and tries < 100 * n:
        tries += 1
        args = _targets(ours, rng, op)
        if args is None:
            continue
        kwargs: dict[str, Any] = {"date": day}
        if op == "split_org":
            made += 1
            kwargs.update(id=f"BX{made}", name=f"分{made}")
        t0 = time.perf_counter()
        try:
            change = getattr(operations, op)(ours, *args, **kwargs)
            v.apply_all(change.events)
        except GridGovError:
            continue
        compound.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for event in change.events:
            w.apply(event)
        primitive.append(time.perf_counter() - t0)
        events += len(change.events)
    assert ours == mirror
    assert v.report() == w.report()
    if not compound:
        return {
            "compound_ms": 0.0,
            "primitive_ms": 0.0,
            "ratio": float("nan"),
            "events_per_change": 0,
        }
    n = len(compound)
    return {
        "compound_ms": _median_ms(compound),
        "primitive_ms": _median_ms(primitive),
        "ratio": statistics.median(compound) / statistics.median(primitive),
        "events_per_change": events / n,
    }


def history_cost(j: Any, grow: int, seed: int) -> dict[str, float]:
    """post_history and holders on the same organizations, before and after the log grows."""
    from gridgov.errors import GridGovError
    from gridgov.model import Role

    rng = random.Random(seed)
    branches = j.graph.at_level(j.scheme.branch_level or j.scheme.filing_level)
    sample = rng.sample(branches, min(200, len(branches)))
    for org in sample:  # give each sampled organization a past tenure of its secretary
        (secretary,) = j.posts_in(org, Role.SECRETARY)[:1] or [None]
        members = [p for p in j.members(org) if p != getattr(secretary, "holder", None)]
        if secretary is not None and members:
            j.replace_holder(org, "secretary", secretary.holder, members[0], date="2021-12-01")

    def query() -> float:
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for org in sample:
                j.post_history(org)
                j.holders(org, "secretary", on="2021-11-30")
            best = min(best, time.perf_counter() - t0)
        return best / len(sample)

    before, log_before = query(), j.version
    sampled = set(sample)
    pool = [p for p in j.posts.values() if p.org not in sampled]
    people = list(j.filings)
    changed = 0
    while changed < grow:  # the log grows by changes to other organizations
        i = rng.randrange(len(pool))
        post = pool[i]
        try:
            change = j.replace_holder(
                post.org, post.role, post.holder, rng.choice(people), date="2021-12-15"
            )
        except GridGovError:
            continue
        pool[i] = next(e.post for e in change.events if getattr(e, "post", None) is not None)
        changed += 1
    after = query()
    return {
        "query_us_before": before * 1e6,
        "query_us_after": after * 1e6,
        "ratio": after / before,
        "log_before": log_before,
        "log_after": j.version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="liwan")
    parser.add_argument("--changes", type=int, default=60, help="changes per command")
    parser.add_argument("--grow", type=int, default=20000, help="changes that grow the log")
    args = parser.parse_args(argv)

    from gridgov.allocation import simulate

    t0 = time.perf_counter()
    j = simulate(args.preset, validate=False).jurisdiction
    print(f"{args.preset}: {j.version:,} events, built in {time.perf_counter() - t0:.1f} s")
    print(f"{'command':<16} {'compound':>10} {'primitive':>10} {'ratio':>6} {'events':>7}")
    for i, op in enumerate(("relocate_member", "replace_holder", "split_org", "merge_orgs")):
        r = compound_vs_primitive(j, op, args.changes, seed=i)
        print(
            f"{op:<16} {r['compound_ms']:>8.3f}ms {r['primitive_ms']:>8.3f}ms "
            f"{r['ratio']:>6.2f} {r['events_per_change']:>7.1f}"
        )
    h = history_cost(j, args.grow, seed=9)
    print(
        f"post_history + holders per organization: {h['query_us_before']:.1f} us at "
        f"{h['log_before']:,} events, {h['query_us_after']:.1f} us at {h['log_after']:,} "
        f"events (ratio {h['ratio']:.2f})"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
