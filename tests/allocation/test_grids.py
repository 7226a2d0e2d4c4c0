"""Grids: the chunking primitive, the Hilbert order, branches and groups in both modes."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.allocation.generate import generate
from gridgov.allocation.grids import _join_small_pieces, chunk, draw_grids, hilbert_index
from gridgov.allocation.presets import PRESETS, spec_for
from gridgov.errors import InvalidValueError
from gridgov.model import Policy


@st.composite
def segments(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = draw(st.lists(st.integers(1, 30), min_size=1, max_size=6))
    weights = [draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)) for n in sizes]
    weights = [w if any(w) else [1, *w[1:]] for w in weights]
    ks = [draw(st.integers(1, sum(1 for x in w if x > 0))) for w in weights]
    segment = np.repeat(np.arange(len(sizes)), sizes)
    return segment, np.concatenate([np.array(w) for w in weights]), np.array(ks)


@given(segments())
def test_chunks_are_runs_with_positive_weight_and_balanced(
    case: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    segment, weight, k = case
    label = chunk(segment, weight, k)
    for s in range(len(k)):
        lab = label[segment == s]
        w = weight[segment == s]
        assert (np.diff(lab) >= 0).all()  # runs along the order
        assert lab.min() == 0
        assert lab.max() == k[s] - 1
        per = np.bincount(lab, weights=w, minlength=k[s])
        assert (per > 0).all()  # every chunk has a positive-weight unit
        ideal = w.sum() / k[s]
        assert (np.abs(per - ideal) <= 2 * w.max()).all()


def test_chunk_rejects_too_many_chunks() -> None:
    with pytest.raises(ValueError, match="between 1"):
        chunk(np.array([0, 0]), np.array([1, 0]), np.array([2]))


def test_hilbert_index_is_a_bijection_on_a_grid() -> None:
    xs, ys = np.meshgrid(np.arange(8.0), np.arange(8.0))
    xy = np.stack([xs.ravel(), ys.ravel()], axis=1)
    d = hilbert_index(xy, bits=3)
    assert sorted(d.tolist()) == list(range(64))
    # consecutive positions are neighbours on the plane
    path = xy[np.argsort(d)]
    steps = np.abs(np.diff(path, axis=0)).sum(axis=1)
    assert (steps == 1).all()


def test_given_mode_reproduces_liwan_counts() -> None:
    d = generate(PRESETS["liwan"], seed=0)
    g = draw_grids(d, mode="given")
    assert g.n_branches == 925
    assert g.n_groups == 1754
    sizes = g.branch_members(d)
    assert sizes.sum() == 57546
    assert sizes.max() - sizes.min() < 40  # balanced within each community's share


@pytest.mark.parametrize("preset", ["junhe", "nansha"])
def test_derive_mode_keeps_branches_under_the_cap(preset: str) -> None:
    d = generate(PRESETS[preset], seed=1)
    g = draw_grids(d, mode="derive")
    assert g.branch_members(d).max() <= 50
    full = np.bincount(
        g.household_branch[d.member_household[d.member_full]], minlength=g.n_branches
    )
    assert ((full >= 3) | g.branch_joint).all()


def test_derive_mode_uses_few_branches() -> None:
    d = generate(spec_for(None, communities=2, members=400, households=1500), seed=0)
    g = draw_grids(d, mode="derive")
    per_community = np.bincount(d.member_community, minlength=2)
    fewest = np.ceil(per_community / 50).sum()
    assert fewest <= g.n_branches <= fewest + 2


def _greedy_cut(d: Any, g: Any, cap: int) -> int:
    """Branches of a fill-to-the-cap cut of each community along the grids' own order."""
    w = np.bincount(d.member_household, minlength=d.n_households)[g.order]
    comm = d.household_community[g.order]
    n, prev, size = 0, -1, 0
    for wi, ci in zip(w.tolist(), comm.tolist(), strict=True):
        if ci != prev:
            n, prev, size = n + 1, ci, 0
        elif wi and size + wi > cap:
            n, size = n + 1, 0
        size += wi
    return n


@settings(max_examples=25)
@given(
    communities=st.integers(1, 4),
    members=st.integers(60, 600),
    cap=st.integers(20, 60),
    seed=st.integers(0, 2**16),
)
def test_derive_mode_is_within_one_branch_a_community_of_a_greedy_cut(
    communities: int, members: int, cap: int, seed: int
) -> None:
    d = generate(
        spec_for(None, communities=communities, members=members, households=3 * members),
        seed=seed,
    )
    g = draw_grids(d, mode="derive", policy=Policy(max_branch_members=cap))
    assert g.branch_members(d).max() <= cap
    per_community = np.bincount(d.member_community, minlength=communities)
    assert g.n_branches >= np.ceil(per_community / cap).sum()
    assert g.n_branches <= _greedy_cut(d, g, cap) + communities


def test_custom_cap_from_policy() -> None:
    d = generate(spec_for(None, communities=2, members=400, households=1500), seed=0)
    g = draw_grids(d, mode="derive", policy=Policy(max_branch_members=30))
    assert g.branch_members(d).max() <= 30


def test_territories_partition_the_households() -> None:
    d = generate(spec_for(None, communities=3, members=200, households=900), seed=2)
    g = draw_grids(d, mode="derive")
    assert sorted(g.order.tolist()) == list(range(d.n_households))
    assert (g.household_group >= 0).all()
    # a branch lies within one community
    community = d.household_community
    branch = g.household_branch
    for b in range(g.n_branches):
        assert len(np.unique(community[branch == b])) == 1
    assert (g.group_members(d) > 0).all()


def test_cooperative_grids_are_drawn_on_cooperatives() -> None:
    d = generate(PRESETS["junhe"], seed=0)
    g = draw_grids(d, mode="given")
    assert g.n_branches == 51
    assert sorted(g.branch_cooperative.tolist()) == list(range(51))
    coop_of_household = d.household_compound
    for b in range(g.n_branches):
        assert set(coop_of_household[g.household_branch == b].tolist()) == {
            int(g.branch_cooperative[b])
        }


def test_small_cooperatives_form_joint_branches() -> None:
    spec = spec_for(
        None, communities=2, members=60, households=600, grids="cooperative", cooperatives=12
    )
    d = generate(spec, seed=4)
    g = draw_grids(d, mode="derive")
    full = np.bincount(
        g.household_branch[d.member_household[d.member_full]], minlength=g.n_branches
    )
    assert ((full >= 3) | g.branch_joint).all()
    for b in np.flatnonzero(g.branch_joint).tolist():
        assert 2 <= len(g.branch_units[b]) <= 5


def test_unknown_mode() -> None:
    d = generate(spec_for(None, communities=1, members=10, households=20))
    with pytest.raises(InvalidValueError, match="mode"):
        draw_grids(d, mode="guess")


def _brute_force_runs(
    members: list[int],
    full: list[int],
    unit: list[int],
    need: int,
    units: int | None,
    cap: int | None,
) -> int:
    """The most runs over every way to cut the pieces (-1 if no cut meets the limits)."""
    m = len(members)
    best = -1
    for mask in range(1 << (m - 1)):
        cuts = [0, *(i + 1 for i in range(m - 1) if mask >> i & 1), m]
        ok = True
        for a, b in itertools.pairwise(cuts):
            size = sum(members[a:b])
            covered = {unit[p] for p in range(a, b) if members[p] > 0}
            joined = b - a > 1
            if (
                sum(full[a:b]) < need
                or (joined and cap is not None and size > cap)
                or (joined and units is not None and len(covered) > units)
            ):
                ok = False
                break
        if ok:
            best = max(best, len(cuts) - 1)
    return best


@given(
    pieces=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6), st.booleans()), min_size=1, max_size=9
    ),
    need=st.integers(1, 4),
    units=st.integers(1, 4),
    cap=st.integers(4, 15),
)
def test_joining_small_pieces_makes_the_most_branches_the_limits_allow(
    pieces: list[tuple[int, int, bool]], need: int, units: int, cap: int
) -> None:
    """Exact against brute force; where no cut meets every limit, the cap gives way
    first, then the unit limit; pieces of one cooperative (same unit) are consecutive."""
    members = [m for m, _, _ in pieces]
    full = [min(f, m) for m, f, _ in pieces]
    unit = list(itertools.accumulate((0 if same else 1 for _, _, same in pieces), initial=0))[1:]
    runs = _join_small_pieces(
        np.zeros(len(pieces), dtype=np.int64),
        np.array(unit),
        np.array(members),
        np.array(full),
        need=need,
        max_units=units,
        cap=cap,
    )
    order = list(range(len(pieces)))
    assert [p for run in runs for p in run] == order, "consecutive runs covering every piece"
    for limits in ((units, cap), (units, None), (None, None)):
        best = _brute_force_runs(members, full, unit, need, *limits)
        if best >= 0:
            break
    if best < 0:
        assert len(runs) == 1, "too few full members in all: one branch, for the rules"
        return
    assert len(runs) == best
    kept_units, kept_cap = limits
    for run in runs:
        assert sum(full[p] for p in run) >= need
        if len(run) > 1 and kept_cap is not None:
            assert sum(members[p] for p in run) <= kept_cap
        if len(run) > 1 and kept_units is not None:
            assert len({unit[p] for p in run if members[p] > 0}) <= kept_units
