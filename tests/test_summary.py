"""The jurisdiction summary behind ``gridgov show``."""

from __future__ import annotations

import json

import pytest

from gridgov.model import Jurisdiction, Scheme
from gridgov.summary import OrgLine, Summary, summarize


def test_counts(five_level: Jurisdiction) -> None:
    s = summarize(five_level)
    assert isinstance(s, Summary)
    assert s.scheme == "five-level"
    assert s.as_of == "2021-11-22"
    assert s.root == "S1"
    assert s.levels == {"street": 1, "community": 2, "branch": 2, "group": 3, "zone": 3}
    assert (s.people, s.members, s.full_members, s.probationary_members) == (6, 5, 4, 1)
    assert (s.filed, s.registered) == (3, 2)
    assert (s.households, s.households_in_zones) == (4, 3)
    assert (s.zones, s.zones_claimed, s.claims) == (3, 3, 3)
    assert s.posts == {"grid_leader": 2, "group_leader": 2, "first_secretary": 1, "secretary": 1}


def test_zones_claimed_counts_distinct_zones(five_level: Jurisdiction) -> None:
    five_level.claim_zone("P3", "Z1")
    five_level.release_zone("P5", "Z2")
    s = summarize(five_level)
    assert (s.zones_claimed, s.claims) == (2, 3)


def test_top_of_the_tree_is_breadth_first_and_parent_first(five_level: Jurisdiction) -> None:
    s = summarize(five_level, top=6)
    # breadth first picks S1, C1, C2, B1, B2, G1; listed with each parent before its children
    assert [line.id for line in s.top] == ["S1", "C1", "B1", "G1", "C2", "B2"]
    assert [line.depth for line in s.top] == [0, 1, 2, 3, 1, 2]
    assert s.top[0] == OrgLine("S1", "均禾街党工委", "street", 0, 3)
    assert {line.id: line.members for line in s.top} == {
        "S1": 3,
        "C1": 3,
        "B1": 3,
        "G1": 2,
        "C2": 0,
        "B2": 0,
    }


@pytest.mark.parametrize("top", [0, -3])
def test_no_top(five_level: Jurisdiction, top: int) -> None:
    s = summarize(five_level, top=top)
    assert s.top == ()
    assert "top of the tree" not in s.to_text()


def test_top_larger_than_the_tree(five_level: Jurisdiction) -> None:
    s = summarize(five_level, top=100)
    assert len(s.top) == 11
    assert {line.id for line in s.top} == set(five_level.organizations)


def test_to_text(five_level: Jurisdiction) -> None:
    lines = summarize(five_level, top=3).to_text().splitlines()
    assert lines[0] == "five-level jurisdiction, root S1 均禾街党工委, as of 2021-11-22"
    assert lines[1] == "organizations per level:"
    assert lines[2].split() == ["street", "1"]
    assert lines[6].split() == ["zone", "3"]
    assert lines[7] == "people: 6 (5 Party members: 4 full, 1 probationary)"
    # the Party members who are not filed in a grid are counted, so the two figures agree
    assert lines[8] == (
        "members filed: 3 of 5 (2 not filed in a grid: cadres, teams); registered at residence: 2"
    )
    assert lines[9] == "zones claimed: 3 of 3 (3 claims); households in zones: 3 of 4"
    assert lines[10] == ("posts: 6 (grid_leader 2, group_leader 2, first_secretary 1, secretary 1)")
    assert lines[11] == "top of the tree (members filed under each):"
    hidden = len(five_level.graph.children("C1"))
    assert lines[12:] == [
        "  S1 均禾街党工委 [street] 3",
        "    C1 清湖联社党委 [community] 3",
        f"      … {hidden} more",  # the tree is cut: C1's children are not listed
        "    C2 石马社区党委 [community] 0",
        *(
            [f"      … {len(five_level.graph.children('C2'))} more"]
            * bool(five_level.graph.children("C2"))
        ),
    ]


def test_more_counts_the_children_left_out(five_level: Jurisdiction) -> None:
    s = summarize(five_level, top=3)
    listed = {line.id for line in s.top}
    for line in s.top:
        left_out = [c for c in five_level.graph.children(line.id) if c not in listed]
        assert line.hidden == len(left_out)
    assert s.more == len(five_level.organizations) - len(s.top)
    assert all(line.hidden == 0 for line in summarize(five_level, top=100).top)
    assert "more" not in summarize(five_level, top=100).to_text().split("top of the tree")[1]


def test_no_top_keeps_the_root_in_the_header(five_level: Jurisdiction) -> None:
    s = summarize(five_level, top=0)
    assert s.top == ()
    assert s.to_text().splitlines()[0] == (
        "five-level jurisdiction, root S1 均禾街党工委, as of 2021-11-22"
    )
    assert s.root_name == "均禾街党工委"


def test_to_dict_is_json_ready(three_level: Jurisdiction) -> None:
    data = summarize(three_level, top=2).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["scheme"] == "three-level"
    assert data["levels"] == {"community": 1, "grid": 2, "member_household": 3}
    assert data["top"] == [
        {"id": "V1", "name": "爱国社区党委", "level": "community", "depth": 0, "members": 3}
        | {"hidden": 1},
        {"id": "GR1", "name": "第一经济社网格", "level": "grid", "depth": 1, "members": 2}
        | {"hidden": len(three_level.graph.children("GR1"))},
    ]
    assert data["as_of"] is None
    assert data["posts"] == {"secretary": 1}


def test_empty_and_inline() -> None:
    s = summarize(Jurisdiction())
    assert s.root is None
    assert s.top == ()
    assert s.posts == {}
    text = s.to_text()
    assert text.splitlines()[0] == "five-level jurisdiction"
    assert "posts: 0 (none)" in text
    inline = Jurisdiction(Scheme(["town", "village"], filing_level="village", zone_level="village"))
    assert summarize(inline).scheme == "inline"
    # the text says what the scheme is, not the jargon "inline"
    assert (
        summarize(inline).to_text().splitlines()[0] == "jurisdiction of 2 levels (town > village)"
    )


def test_large_numbers_use_separators() -> None:
    j = Jurisdiction()
    j.found_org("S1", "street", "S")
    for i in range(1200):
        j.add_person(f"P{i}", "x", status="full")
    text = summarize(j).to_text()
    assert "people: 1,200 (1,200 Party members: 1,200 full, 0 probationary)" in text
