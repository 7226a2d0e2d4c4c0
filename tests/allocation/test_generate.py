"""The synthetic district: sizes, determinism, calibration, realistic categories."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gridgov.allocation.generate import (
    CADRE_COMMUNITY,
    CADRE_STREET,
    CADRE_STREET_SECRETARY,
    apportion,
    generate,
    grouped_apportion,
)
from gridgov.allocation.presets import PRESETS, PRIMARY_CATEGORIES, spec_for
from gridgov.model import Category


def test_sizes_match_the_spec() -> None:
    spec = spec_for(None, streets=2, communities=5, members=300, households=1400)
    d = generate(spec, seed=3)
    assert d.n_members == 300
    assert d.n_households == 1400
    assert len(d.street_names) == 2
    assert len(d.community_names) == 5
    assert set(d.community_street.tolist()) == {0, 1}


@given(seed=st.integers(0, 2**20))
def test_same_seed_same_district(seed: int) -> None:
    spec = spec_for(None, communities=3, members=90, households=400)
    a, b = generate(spec, seed), generate(spec, seed)
    for name in ("member_household", "member_full", "member_category", "household_xy"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.names == b.names


def test_different_seeds_differ() -> None:
    spec = spec_for(None, communities=3, members=90, households=400)
    assert not np.array_equal(generate(spec, 1).household_xy, generate(spec, 2).household_xy)


def test_members_live_in_households_of_their_community() -> None:
    d = generate(PRESETS["junhe"], seed=0)
    assert np.array_equal(d.member_community, d.household_community[d.member_household])
    per_household = np.bincount(d.member_household)
    assert per_household.max() <= 4
    # most member households hold one member
    occupied = per_household[per_household > 0]
    assert (occupied == 1).mean() > 0.8


def test_households_sit_in_buildings_and_compounds() -> None:
    d = generate(spec_for(None, communities=2, members=100, households=600), seed=0)
    assert np.array_equal(d.household_compound, d.building_compound[d.household_building])
    distance = np.hypot(*(d.household_xy - d.building_xy[d.household_building]).T)
    assert distance.max() < 5  # a household stands at its building


def test_xiqiao_features_aiguo() -> None:
    d = generate(PRESETS["xiqiao"], seed=0)
    assert d.community_names[0] == "爱国社区"
    in_aiguo = d.member_community == 0
    counts = np.bincount(d.member_category[in_aiguo], minlength=len(PRIMARY_CATEGORIES))
    assert counts[PRIMARY_CATEGORIES.index(Category.WITHOUT_POST)] == 110
    assert counts[PRIMARY_CATEGORIES.index(Category.EMPLOYED)] == 54
    assert int((d.household_community == 0).sum()) == 742


def test_categories_follow_the_mix() -> None:
    d = generate(PRESETS["nansha"], seed=0)
    share = np.bincount(d.member_category, minlength=len(PRIMARY_CATEGORIES)) / d.n_members
    mix = dict(PRESETS["nansha"].categories)
    total = sum(mix.values())
    for i, category in enumerate(PRIMARY_CATEGORIES):
        assert abs(share[i] - mix.get(category, 0.0) / total) < 0.02


def test_every_community_has_full_members() -> None:
    d = generate(spec_for(None, communities=6, members=18, households=60, probationary=0.9), 0)
    full = np.bincount(d.member_community[d.member_full], minlength=6)
    assert (full >= 3).all()


def test_cadres_cover_streets_and_communities() -> None:
    d = generate(spec_for(None, streets=2, communities=4, members=200, households=800), 0)
    for s in range(2):
        in_street = d.cadre_street == s
        assert ((d.cadre_kind == CADRE_STREET_SECRETARY) & in_street).sum() == 1
        assert ((d.cadre_kind == CADRE_STREET) & in_street).sum() >= 2
    assert (d.cadre_kind == CADRE_COMMUNITY).sum() == 4


def test_cooperative_districts_have_one_head_per_cooperative() -> None:
    d = generate(PRESETS["junhe"], seed=0)
    assert len(d.head_household) == len(d.compound_names) == 51
    assert np.array_equal(d.household_compound[d.head_household], np.arange(51))


@given(
    total=st.integers(0, 500),
    weights=st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=20),
)
def test_apportion_adds_up(total: int, weights: list[float]) -> None:
    parts = apportion(total, np.array(weights))
    assert parts.sum() == total
    assert (parts >= 0).all()


def test_grouped_apportion_respects_minimum() -> None:
    out = grouped_apportion(np.array([5, 3]), np.array([0, 0, 1, 1, 1]), np.ones(5), minimum=1)
    assert out.tolist()[:2] in ([3, 2], [2, 3])
    assert out[2:].tolist() == [1, 1, 1]
