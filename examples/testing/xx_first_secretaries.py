"""A host's plugin: the rule XX301, and how to break it for gridgov's testing kit.

A street cadre serves as the first secretary of a few grid branches at most; a host
that wants a limit declares the rule XX301 ``first-secretary-load``, and, next to it,
its *breaking mutation*: how to turn a clean jurisdiction into one that breaks it, so
that ``gridgov.testing.strategies.jurisdictions(breaking="XX301")`` can generate such
jurisdictions. The plugin answers two hooks: ``gridgov_rules`` and ``gridgov_breaking``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import gridgov
from gridgov.rules import RuleSet
from gridgov.rules.breaking import Breaking, Chooser, add_unit, cadre

MAX_BRANCHES = 5
"""The most grid branches one street cadre may be first secretary of."""

rules = RuleSet()


@rules.check(
    "XX301",
    "first-secretary-load",
    "E",
    "a street cadre is the first secretary of too many grid branches",
    subject="person",
    reads=("posts",),
    hint="share the grid branches among more street cadres",
)
def first_secretary_load(ctx: Any, subjects: Iterable[str]) -> Iterator[Any]:
    """A street cadre is first secretary of at most five grid branches."""
    j = ctx.jurisdiction
    for person in subjects:
        branches = [p.org for p in j.posts_held(person) if p.role == "first_secretary"]
        if len(branches) > MAX_BRANCHES:
            yield ctx.diagnostic(
                "XX301",
                f"{person!r} is the first secretary of {len(branches)} grid branches",
                (person, *branches),
            )


@rules.breaking("XX301", needs=("branch", "practice"))
def break_first_secretary_load(j: Any, choose: Chooser) -> None:
    """Grows clean grid branches until the street cadre leads one too many."""
    leader = cadre(j)
    held = sum(p.role == "first_secretary" for p in j.posts_held(leader))
    for _ in range(MAX_BRANCHES + 1 - held):
        add_unit(j)  # a clean branch: its first secretary is the street cadre


@gridgov.hookimpl
def gridgov_rules() -> list[Any]:
    """Contribute XX301."""
    return rules.rules


@gridgov.hookimpl
def gridgov_breaking(code: str) -> Breaking | None:
    """Say how to break XX301 (and nothing about other codes)."""
    return {b.code: b for b in rules.breakings}.get(code)
