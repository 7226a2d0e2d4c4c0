"""District specs: the presets' figures, validation of parameters, overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from gridgov.allocation.presets import PRESETS, CommunitySpec, DistrictSpec, spec_for
from gridgov.errors import InvalidValueError


def test_presets_carry_the_sources_figures() -> None:
    liwan = PRESETS["liwan"]
    assert (liwan.members, liwan.branches, liwan.groups, liwan.zones) == (57546, 925, 1754, 20000)
    assert liwan.service_teams == 921
    assert PRESETS["nansha"].members == 10758
    assert PRESETS["junhe"].branches == PRESETS["junhe"].cooperatives == 51
    xiqiao = PRESETS["xiqiao"]
    assert xiqiao.scheme == "three-level"
    assert xiqiao.communities == 33
    assert xiqiao.featured is not None
    assert xiqiao.featured.households == 742
    assert dict(xiqiao.featured.category_counts) == {"without_post": 110, "employed": 54}
    city = PRESETS["city"]
    assert city.members == 20 * liwan.members
    assert city.branches == 20 * liwan.branches


def test_every_preset_cites_its_sources() -> None:
    for spec in PRESETS.values():
        assert spec.sources, spec.name


def test_overrides_replace_fields() -> None:
    spec = spec_for("junhe", members=500)
    assert spec.members == 500
    assert spec.branches == 51
    assert PRESETS["junhe"].members == 2000  # the preset itself is unchanged


def test_custom_district_from_defaults() -> None:
    spec = spec_for(None, streets=2, communities=4, members=120, households=800)
    assert spec.name == "custom"
    assert (spec.streets, spec.communities) == (2, 4)


def test_category_mix_accepts_mapping_and_pairs() -> None:
    a = spec_for(None, categories={"employed": 1, "retired": 3})
    b = spec_for(None, categories=[("retired", 3), ("employed", 1)])
    assert a.categories == b.categories
    assert a.category_mix == {"employed": 1.0, "retired": 3.0}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"members": 0}, "members"),
        ({"members": 5, "communities": 4}, "members"),
        ({"members": 500, "households": 400}, "households"),
        ({"streets": 3, "communities": 2, "members": 30}, "communities"),
        ({"scheme": "nine-level"}, "scheme"),
        ({"grids": "hexagons"}, "grids"),
        ({"grids": "cooperative"}, "cooperatives"),
        ({"grids": "cooperative", "cooperatives": 8, "branches": 9}, "branches"),
        ({"categories": {"street_cadre": 1.0}}, "categories"),
        ({"categories": {"employed": -1.0}}, "categories"),
        ({"categories": {}}, "categories"),
        ({"probationary": 1.5}, "probationary"),
        ({"branches": 2}, "branches"),
        ({"branches": 8, "groups": 4}, "groups"),
        ({"scheme": "three-level", "streets": 2, "communities": 4}, "streets"),
        ({"as_of": "2021-01-01"}, "as_of"),
        ({"households_per_building": 0.5}, "households_per_building"),
    ],
)
def test_bad_parameters_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        spec_for(None, **changes)
    assert info.value.field == field


def test_unknown_preset() -> None:
    with pytest.raises(InvalidValueError, match="unknown preset"):
        spec_for("atlantis")


def test_featured_community_must_fit() -> None:
    featured = CommunitySpec("爱国社区", 742, {"without_post": 110, "employed": 54})
    with pytest.raises(InvalidValueError, match="featured"):
        DistrictSpec(communities=2, members=100, households=800, featured=featured)
    spec = DistrictSpec(communities=2, members=200, households=1000, featured=featured)
    assert spec.featured is featured


def test_targets_list_the_given_counts() -> None:
    assert PRESETS["liwan"].targets == {
        "members": 57546,
        "branches": 925,
        "groups": 1754,
        "zones": 20000,
        "service_teams": 921,
    }
    assert spec_for(None).targets == {"members": 400}
    assert isinstance(PRESETS["liwan"].as_of, dt.date)
