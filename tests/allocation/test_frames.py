"""gridgov.frames: typed tables of any jurisdiction, always those of its current state.

On a hand-built jurisdiction (every column checked against the records), on the loaded
Junhe example and on a simulation; after edits the tables equal those computed afresh
from a replay of the log; the column types are fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import gridgov
from gridgov import Jurisdiction, frames, tables
from gridgov.allocation import simulate
from gridgov.errors import InvalidValueError, MissingDependencyError
from gridgov.tables import (
    FILING_COLUMNS,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    ORGANIZATION_COLUMNS,
    POST_COLUMNS,
    ZONE_COLUMNS,
    Frames,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CATEGORICAL = {
    "organizations": ["level", "kind"],
    "members": ["status"],
    "posts": ["level", "role", "duty"],
    "households": ["party_household"],
}
DATES = {
    "organizations": ["formed", "ends"],
    "members": ["joined", "registered", "filed"],
    "posts": ["since", "until"],
    "filings": ["date"],
}
INTS = {
    "organizations": [
        "children",
        "filed",
        "members",
        "full_members",
        "posts_filled",
        "households",
    ],
    "members": ["zones_claimed", "posts_held"],
    "zones": ["households", "claimants"],
    "households": ["residents", "members"],
}
COLUMNS = {
    "organizations": ORGANIZATION_COLUMNS,
    "members": MEMBER_COLUMNS,
    "posts": POST_COLUMNS,
    "zones": ZONE_COLUMNS,
    "households": HOUSEHOLD_COLUMNS,
    "filings": FILING_COLUMNS,
}


def hand_built() -> Jurisdiction:
    j = Jurisdiction()
    for o, lvl, p in [
        ("S1", "street", None),
        ("C1", "community", "S1"),
        ("B1", "branch", "C1"),
        ("B2", "branch", "C1"),
        ("G1", "group", "B1"),
        ("G2", "group", "B2"),
        ("Z1", "zone", "G1"),
        ("Z2", "zone", "G2"),
    ]:
        j.found_org(o, lvl, f"{o} 名", parent=p, formed="2020-01-01" if o == "B1" else None)
    j.add_household("H1", location=(0.0, 0.0))
    j.add_household("H2", location=(10.0, 0.0), party_household="central")
    j.add_household("H3")
    j.assign_household("H1", "Z1")
    j.assign_household("H2", "Z1")
    j.assign_household("H3", "Z2")
    j.add_person(
        "P1", "街道干部", status="full", categories=["street_cadre", "organ"], joined="1999-07-01"
    )
    j.add_person("P2", "甲", status="full", categories=["retired", "sunk"], household="H1")
    j.add_person("P3", "乙", status="probationary", household="H2", affiliation="EXT-U1")
    j.add_person("P4", "丙", status="full", household="H3")
    j.add_person("P5", "居民", household="H3")  # not a Party member
    for p in ("P2", "P3"):
        j.register(p, "C1", date="2021-05-01")
        j.file_member(p, "G1", date="2021-05-02")
    j.register("P4", "C1")
    j.file_member("P4", "G2")
    j.claim_zone("P2", "Z1")
    j.claim_zone("P4", "Z2")
    j.appoint("B1", "secretary", "P2", since="2021-06-01")
    j.vacate("B1", "secretary", "P2", until="2023-06-01")
    j.appoint("B1", "secretary", "P2", since="2023-06-01")
    j.appoint("G1", "group_leader", "P3")
    j.appoint("B1", "first_secretary", "P1", appointed_by="S1")
    return j


def test_every_table_and_column_of_a_hand_built_jurisdiction() -> None:
    f = frames(hand_built())
    assert isinstance(f, Frames)
    assert list(f) == list(COLUMNS)
    for name, columns in COLUMNS.items():
        assert list(f[name].columns) == list(columns), name

    orgs = f.organizations.set_index("id")
    assert orgs.loc["S1", "members"] == 3
    assert orgs.loc["B1", "members"] == 2
    assert orgs.loc["B1", "full_members"] == 1
    assert orgs.loc["G1", "filed"] == 2
    assert orgs.loc["B1", "filed"] == 0
    assert orgs.loc["C1", "children"] == 2
    assert orgs.loc["B1", "posts_filled"] == 2  # secretary, first secretary
    assert orgs.loc["Z1", "households"] == 2
    assert orgs.loc["B1", "formed"] == pd.Timestamp("2020-01-01")
    assert pd.isna(orgs.loc["B2", "formed"])

    members = f.members.set_index("id")
    assert list(members.index) == ["P1", "P2", "P3", "P4"]  # P5 is no Party member
    cadre = members.loc["P1"]  # a first secretary, serving concurrently: no filing
    assert cadre["categories"] == ("organ", "street_cadre")
    assert cadre["category_street_cadre"]
    assert not cadre["category_retired"]
    assert pd.isna(cadre["filing"])
    assert cadre["posts"] == ("first_secretary@B1",)
    assert cadre["joined"] == pd.Timestamp("1999-07-01")
    p2 = members.loc["P2"]
    assert p2["status"] == "full"
    assert p2["category_retired"]
    assert p2["category_sunk"]
    assert (p2["registration"], p2["filing"], p2["branch"], p2["community"]) == (
        "C1",
        "G1",
        "B1",
        "C1",
    )
    assert p2["registered"] == pd.Timestamp("2021-05-01")
    assert p2["filed"] == pd.Timestamp("2021-05-02")
    assert p2["zones"] == ("Z1",)
    assert p2["zones_claimed"] == 1
    assert p2["posts"] == ("secretary@B1",)
    assert (p2["x"], p2["y"]) == (0.0, 0.0)
    assert members.loc["P3", "status"] == "probationary"
    assert members.loc["P3", "affiliation"] == "EXT-U1"

    posts = f.posts
    history = posts[(posts.org == "B1") & (posts.role == "secretary")]
    assert history.current.tolist() == [False, True]
    assert history.since.tolist() == [pd.Timestamp("2021-06-01"), pd.Timestamp("2023-06-01")]
    assert history.until.iloc[0] == pd.Timestamp("2023-06-01")
    assert pd.isna(history.until.iloc[1])
    first = posts[posts.role == "first_secretary"].iloc[0]
    assert (first.holder, first.appointed_by, first.level) == ("P1", "S1", "branch")
    assert len(posts) == 4

    zones = f.zones.set_index("id")
    assert zones.loc["Z1", "households"] == 2
    assert zones.loc["Z1", "claimants"] == 1
    assert zones.loc["Z1", "claimant"] == "P2"
    assert zones.loc["Z1", "group"] == "G1"
    assert zones.loc["Z1", "branch"] == "B1"
    assert (zones.loc["Z1", "x"], zones.loc["Z1", "y"]) == (5.0, 0.0)
    assert pd.isna(zones.loc["Z2", "x"])  # no household with a location

    households = f.households.set_index("id")
    assert households.loc["H2", "party_household"] == "central"
    assert households.loc["H3", "residents"] == 2
    assert households.loc["H3", "members"] == 1
    assert households.loc["H1", "zone"] == "Z1"
    assert f.filings.person.tolist() == ["P2", "P3", "P4"]
    assert f.filings.branch.tolist() == ["B1", "B1", "B2"]


def check_types(f: Frames, scheme: gridgov.Scheme) -> None:
    for name, columns in CATEGORICAL.items():
        for column in columns:
            assert isinstance(f[name][column].dtype, pd.CategoricalDtype), (name, column)
    assert list(f.organizations.level.cat.categories) == list(scheme.levels)
    assert list(f.posts.role.cat.categories) == [r.value for r in gridgov.Role]
    assert list(f.members.status.cat.categories) == ["full", "probationary"]
    for name, columns in DATES.items():
        for column in columns:
            assert str(f[name][column].dtype) == "datetime64[ns]", (name, column)
    for name, columns in INTS.items():
        for column in columns:
            assert str(f[name][column].dtype) == "int64", (name, column)
    for column in ("x", "y"):
        for name in ("members", "zones", "households"):
            assert str(f[name][column].dtype) == "float64"
    for c in gridgov.Category:
        assert str(f.members[f"category_{c.value}"].dtype) == "bool"
    assert str(f.posts.current.dtype) == "bool"
    # ids, names and other text: pandas' string type, even where no value is present
    string = "str" if int(pd.__version__.split(".")[0]) >= 3 else "object"
    for name, kinds in tables._types(tuple(scheme.levels)).items():
        for column, kind in kinds.items():
            if kind == "str":
                assert str(f[name][column].dtype) == string, (name, column)


def test_types_are_fixed_even_for_an_empty_jurisdiction() -> None:
    j = Jurisdiction()
    f = frames(j)
    assert all(len(table) == 0 for table in f.values())
    check_types(f, j.scheme)
    check_types(frames(hand_built()), j.scheme)


def assert_frames_equal(a: Frames, b: Frames) -> None:
    for name in a:
        assert_frame_equal(a[name], b[name], obj=name)


def test_the_loaded_example() -> None:
    j = gridgov.load(EXAMPLES / "junhe.json")
    f = frames(j)
    check_types(f, j.scheme)
    assert len(f.organizations) == len(j.organizations)
    assert len(f.filings) == len(j.filings)
    assert set(f.members.id) == {p.id for p in j.people.values() if p.is_member}
    assert len(f.posts[f.posts.current]) == len(j.posts)
    counts = f.organizations.level.value_counts()
    for level, n in j.graph.counts().items():
        assert counts[level] == n
    # every first secretary appears among the members, filed or not
    first = set(f.posts.holder[f.posts.role == "first_secretary"])
    assert first <= set(f.members.id)
    assert f.members.set_index("id").loc[sorted(first), "category_street_cadre"].all()
    for org in j.graph.at_level("branch"):
        row = f.organizations.set_index("id").loc[org]
        assert row["members"] == j.graph.member_count(org)
        assert row["posts_filled"] == len(j.posts_in(org))


def test_frames_follow_edits_and_equal_frames_computed_afresh() -> None:
    j = gridgov.load(EXAMPLES / "junhe.json")
    before = frames(j)
    person = before.filings.person[0]
    old_group = before.filings.org[0]
    new_group = next(g for g in j.graph.at_level("group") if g != old_group)
    j.transfer_member(person, new_group)
    j.add_person("P999", "新人", status="probationary", household="H1")
    j.register("P999", j.registrations[person].community)
    j.file_member("P999", new_group)
    zone = j.zone_of_household["H1"]
    j.claim_zone("P999", zone)
    after = frames(j)
    assert after.filings.set_index("person").loc[person, "org"] == new_group
    assert after.members.set_index("id").loc[person, "filing"] == new_group
    assert after.members.set_index("id").loc["P999", "zones"] == (zone,)
    assert (
        after.organizations.set_index("id").loc[new_group, "filed"]
        == before.organizations.set_index("id").loc[new_group, "filed"] + 2
    )
    assert_frames_equal(after, frames(Jurisdiction.replay(j.log)))
    assert_frames_equal(after, frames(j.copy()))


def test_a_simulation_and_its_to_frames() -> None:
    r = simulate("junhe", seed=0)
    j = r.jurisdiction
    assert j is not None
    f = r.to_frames()
    check_types(f, j.scheme)
    assert_frames_equal(f, frames(j))
    assert len(f.filings) == r.report.members
    unfiled = f.members[f.members.filing.isna()]  # cadres serving concurrently
    assert len(unfiled) == len(f.members) - r.report.members > 0
    first = set(f.posts.holder[f.posts.role == "first_secretary"])
    assert first
    assert first <= set(unfiled.id)
    assert unfiled.set_index("id").loc[sorted(first), "category_street_cadre"].all()
    assert (f.organizations.level == "branch").sum() == r.report.levels["branch"]
    assert f.zones.claimants.min() >= 1
    # after an edit on the result's jurisdiction, to_frames shows it in every table
    person, group = f.filings.person[0], f.filings.org[0]
    other = next(g for g in j.graph.children(j.graph.parent(group)) if g != group)
    j.transfer_member(person, other)
    g = r.to_frames()
    assert g.filings.set_index("person").loc[person, "org"] == other
    assert g.members.set_index("id").loc[person, "filing"] == other
    assert_frames_equal(g, frames(Jurisdiction.replay(j.log)))


def test_frames_refuses_what_is_not_a_jurisdiction() -> None:
    with pytest.raises(InvalidValueError) as info:
        frames(simulate(None, communities=1, members=10, households=30))  # type: ignore[arg-type]
    assert info.value.field == "j"


def test_frames_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"gridgov\[notebook\]"):
        frames(Jurisdiction())


def test_frames_is_a_read_only_mapping() -> None:
    f = frames(hand_built())
    assert f["members"] is f.members
    assert len(f) == 6
    with pytest.raises(KeyError):
        f["people"]
    assert "members=4" in repr(f)


def test_the_column_lists_match_the_column_types() -> None:
    types = tables._types(("street",))
    for name, columns in COLUMNS.items():
        assert tuple(types[name]) == columns, name


def test_a_three_level_document_plots_and_churns(errors: Any) -> None:
    """Xiqiao's three-level grid: zones are member households, there is no branch level."""
    j = gridgov.load(EXAMPLES / "xiqiao-aiguo.json")
    f = frames(j)
    check_types(f, j.scheme)
    assert list(f.organizations.level.cat.categories) == ["community", "grid", "member_household"]
    assert len(f.zones) == j.graph.counts()["member_household"]
    assert f.members.branch.isna().all()  # no branch level
    assert set(f.members.filing.dropna()) <= set(j.graph.at_level("grid"))
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = gridgov.plot(j, font=None)
        FigureCanvasAgg(fig).draw()
    bars, grid_map = fig.axes
    assert bars.get_title() == "members per grid: 5 grids"
    assert not bars.texts  # grids are not branches: no cap to count against
    assert grid_map.get_title().startswith("community C1: 5 grids")
    gridgov.churn(j, rate=0.1, seed=2)
    assert errors(j) == []
    assert_frames_equal(frames(j), frames(Jurisdiction.replay(j.log)))
