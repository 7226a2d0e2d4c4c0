"""Zones: drawing, and the assignment of claimants (exact, greedy, networkx flow)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.allocation.filing import file_members
from gridgov.allocation.generate import District, generate
from gridgov.allocation.grids import Grids, draw_grids
from gridgov.allocation.presets import PRESETS, spec_for
from gridgov.allocation.zones import LOAD_PENALTY, assign_zones, claim_cost, draw_zones
from gridgov.errors import InvalidValueError
from gridgov.model import Policy


def _small(seed: int, **kw: object) -> tuple[District, Grids]:
    spec = spec_for(None, **{"communities": 2, "members": 80, "households": 400, **kw})
    d = generate(spec, seed)
    return d, draw_grids(d, mode="derive")


@settings(max_examples=15)
@given(seed=st.integers(0, 2**16), zones=st.integers(2, 40))
def test_exact_matches_the_networkx_min_cost_flow(seed: int, zones: int) -> None:
    d, g = _small(seed, zones=zones)
    z = draw_zones(d, g, mode="given")
    filed = file_members(d, g)
    exact = assign_zones(d, z, filed, method="exact")
    flow = assign_zones(d, z, filed, method="flow")
    assert exact.objective == flow.objective  # the same optimum: within 1 %, trivially
    assert claim_cost(d, z, flow.claimant) == flow.objective
    greedy = assign_zones(d, z, filed, method="greedy", reference=True)
    assert greedy.optimum == exact.objective
    assert greedy.objective >= exact.objective
    assert greedy.gap is not None
    assert greedy.gap >= 0


@given(seed=st.integers(0, 2**16))
def test_assignments_respect_groups_and_caps(seed: int) -> None:
    d, g = _small(seed, zones=60)
    z = draw_zones(d, g, mode="given")
    filed = file_members(d, g)
    for method in ("exact", "greedy"):
        a = assign_zones(d, z, filed, method=method)
        assert (a.claimant >= 0).all()
        assert np.array_equal(filed[a.claimant], z.zone_group)
        assert np.bincount(a.claimant).max() <= 3
        assert claim_cost(d, z, a.claimant) == a.objective


def test_cap_from_policy() -> None:
    d, g = _small(0, zones=70)
    z = draw_zones(d, g, mode="given", policy=Policy(max_zones_per_member=1))
    a = assign_zones(d, z, file_members(d, g), policy=Policy(max_zones_per_member=1))
    assert np.bincount(a.claimant).max() == 1


def test_zones_never_outnumber_what_members_can_claim() -> None:
    d, g = _small(1, zones=400)
    z = draw_zones(d, g, mode="given")
    per_group = np.bincount(z.zone_group, minlength=g.n_groups)
    assert (per_group <= 3 * g.group_members(d)).all()


def test_zones_partition_each_group_into_runs() -> None:
    d, g = _small(2, zones=50)
    z = draw_zones(d, g, mode="given")
    assert z.n_zones == 50
    # every household in exactly one zone, zones inside one group
    assert (z.household_zone >= 0).all()
    assert np.array_equal(z.zone_group[z.household_zone], g.household_group)
    sizes = np.bincount(z.household_zone)
    assert sizes.min() >= 1


def test_liwan_zone_count_is_reproduced() -> None:
    d = generate(PRESETS["liwan"], seed=0)
    g = draw_grids(d, mode="given")
    assert draw_zones(d, g, mode="given").n_zones == 20000


def test_member_household_zones_are_centred_on_member_households() -> None:
    d = generate(
        spec_for(
            "xiqiao", communities=2, members=200, households=900, cooperatives=6, featured=None
        ),
        seed=0,
    )
    g = draw_grids(d)
    z = draw_zones(d, g)
    member_households = np.unique(d.member_household)
    assert z.n_zones == len(member_households)
    a = assign_zones(d, z, file_members(d, g))
    # each zone is claimed by someone living in it
    assert np.array_equal(z.household_zone[d.member_household[a.claimant]], np.arange(z.n_zones))


def test_load_penalty_spreads_zones() -> None:
    d, g = _small(3, zones=60)
    z = draw_zones(d, g, mode="given")
    a = assign_zones(d, z, file_members(d, g))
    load = np.bincount(a.claimant)
    assert load[load > 0].mean() < 1.5
    assert LOAD_PENALTY > 0


def test_unknown_method() -> None:
    d, g = _small(0)
    with pytest.raises(InvalidValueError, match="method"):
        assign_zones(d, draw_zones(d, g), file_members(d, g), method="magic")


def test_zero_cap_is_refused() -> None:
    d, g = _small(0)
    with pytest.raises(InvalidValueError, match="max_zones_per_member"):
        draw_zones(d, g, policy=Policy(max_zones_per_member=0))
