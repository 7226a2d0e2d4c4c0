"""Churn: moves, re-allocation with the fewest changes, and the delta events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.allocation import simulate
from gridgov.allocation.churn import churn
from gridgov.errors import InvalidValueError
from gridgov.model import Jurisdiction, Policy
from gridgov.model.diff import events_between as delta_events
from gridgov.rules import Report

Charter = Callable[[Jurisdiction], list[str]]
Errors = Callable[[Jurisdiction | Report], list[str]]

shares = st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.1])


@st.composite
def districts(draw: st.DrawFn) -> dict[str, Any]:
    communities = draw(st.integers(1, 4))
    members = draw(st.integers(30 * communities, 400))
    kw: dict[str, Any] = {
        "streets": 1,
        "communities": communities,
        "members": members,
        "households": draw(st.integers(max(members, 100 * communities), 1500)),
    }
    if draw(st.booleans()):
        kw["grids"] = "cooperative"
        kw["cooperatives"] = draw(st.integers(communities, 3 * communities))
    return kw


@settings(max_examples=20)
@given(
    kw=districts(),
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["given", "derive"]),
    move_in=shares,
    move_out=shares,
    move_house=shares,
)
def test_reallocation_changes_few_filings_and_keeps_the_rules(
    kw: dict[str, Any],
    seed: int,
    mode: str,
    move_in: float,
    move_out: float,
    move_house: float,
    charter: Charter,
    errors: Errors,
) -> None:
    before = simulate(None, mode=mode, seed=seed, **kw)
    result = churn(before, move_in=move_in, move_out=move_out, move_house=move_house, seed=seed + 1)
    report = result.report
    after = result.after.jurisdiction
    assert after is not None
    assert errors(after) == []
    assert charter(after) == []
    # every moved member changes one filing at most, plus the transfers that capacity
    # forces (at least the members over a branch's cap must go; the ripple moves few more)
    assert report.filings_changed - report.forced_transfers <= report.moved
    if report.moved >= 10:
        assert report.changes_per_moved <= 1.5
    # the delta events turn the old jurisdiction into the new one
    assert before.jurisdiction is not None
    j = before.jurisdiction.copy()
    j.apply_all(result.events)
    assert j == after


def test_members_who_did_not_move_keep_their_group() -> None:
    # branches far from the cap: nothing forces a member who stayed to change group
    before = simulate(
        None,
        communities=3,
        members=600,
        households=2400,
        seed=1,
        branches=15,
        policy=Policy(max_branch_members=200),
    )
    result = churn(before, move_in=0.02, move_out=0.02, move_house=0.02, seed=2)
    assert result.report.forced_transfers == 0
    assert result.report.filings_changed <= result.report.moved
    old = before.jurisdiction
    new = result.after.jurisdiction
    assert old is not None
    assert new is not None
    moved = {e.person.id for e in result.events if type(e).__name__ == "PersonAmended"}
    for pid, filing in new.filings.items():
        if pid in old.filings and pid not in moved:
            assert old.filings[pid].org == filing.org


def test_capacity_forces_the_fewest_transfers() -> None:
    before = simulate(None, communities=2, members=600, households=2400, mode="derive", seed=4)
    result = churn(before, move_in=0.1, move_out=0.0, move_house=0.0, seed=5)
    assert result.after.report.branches_over_cap == 0 or result.after.report.notes
    assert result.report.changes_per_moved <= 1.2


@pytest.mark.parametrize("mode", ["given", "derive"])
def test_changes_per_moved_member_average_at_most_1_2(mode: str) -> None:
    """The issue's guarantee, pooled over runs of three shapes of district (Junhe's
    cooperative grids, Xiqiao's three levels, residential custom districts); each run must
    also stay within it on its own, these districts being large enough to average out."""
    moved = changed = 0
    runs = [("junhe", s) for s in range(4)] + [("xiqiao", s) for s in range(2)]
    for preset, seed in runs + [(None, s) for s in range(3, 9)]:
        kw = {} if preset else {"communities": 4, "members": 1200, "households": 5000}
        result = simulate(preset, mode=mode, seed=seed, build=False, **kw).churn(seed=seed + 7)
        moved += result.report.moved
        changed += result.report.filings_changed
        assert result.report.changes_per_moved <= 1.2, (preset, seed)
    assert changed / moved <= 1.2


def test_churn_from_the_result() -> None:
    before = simulate("junhe", seed=3)
    result = before.churn(seed=4)
    assert result.report.moved == 140
    assert result.report.changes_per_moved <= 1.2
    data = result.report.to_dict()
    assert data["moved"] == 140
    assert 0 < data["changes_per_moved"] <= 1.2


def test_churn_without_a_built_jurisdiction() -> None:
    before = simulate(None, communities=2, members=100, households=400, build=False)
    result = churn(before, seed=1)
    assert result.events == ()
    assert result.after.jurisdiction is None
    assert result.after.district.n_members == 100


def test_newcomers_get_new_ids() -> None:
    before = simulate(None, communities=2, members=100, households=400)
    result = churn(before, move_in=0.1, move_out=0.1, move_house=0.0, seed=1)
    keys = result.after.district.member_key
    assert len(np.unique(keys)) == len(keys)
    assert keys.max() >= 100


def test_delta_events_between_simple_jurisdictions() -> None:
    a = Jurisdiction()
    a.found_org("S1", "street", "S")
    a.found_org("C1", "community", "C", parent="S1")
    a.found_org("B1", "branch", "B", parent="C1")
    a.found_org("G1", "group", "G", parent="B1")
    a.add_person("P1", "x", status="full")
    a.register("P1", "C1")
    a.file_member("P1", "G1")
    b = a.copy()
    b.found_org("G2", "group", "G2", parent="B1")
    b.transfer_member("P1", "G2")
    b.appoint("G2", "group_leader", "P1")
    events = delta_events(a, b)
    a.apply_all(events)
    assert a == b
    assert delta_events(a, b) == []


@pytest.mark.parametrize(
    "kw", [{"move_in": 1.5}, {"move_out": -0.1}, {"move_out": 0.6, "move_house": 0.5}]
)
def test_bad_shares(kw: dict[str, float]) -> None:
    before = simulate(None, communities=1, members=10, households=30, build=False)
    with pytest.raises(InvalidValueError):
        churn(before, **kw)
