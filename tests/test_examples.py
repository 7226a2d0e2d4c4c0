"""The example documents in ``examples/``: they load, round-trip, and are clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridgov.io import dump, dumps, load, parse
from gridgov.model import OrgKind, PartyHousehold, Role
from gridgov.rules import validate
from gridgov.summary import summarize

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

EXPECTED: dict[str, dict[str, Any]] = {
    # 均禾街 (Guangzhou, Baiyun): five levels, merged cooperative grid branches, first
    # secretaries from the street, dual grid leaders; a community grid action team of
    # sunk members; the cadre grid leader as commander of a testing point; a cadre's
    # second registration where he serves (双报到).
    "junhe.json": {
        "scheme": "five-level",
        "as_of": "2021-11-22",
        "root": "S1",
        "levels": {"street": 1, "community": 2, "branch": 5, "group": 7, "zone": 14},
        "teams": 1,
        "attached": 4,
        "people": 42,
        "members": 37,
        "full_members": 35,
        "probationary_members": 2,
        "filed": 31,
        "registered": 31,
        "registered_at_work_units": 1,
        "households": 42,
        "households_in_zones": 42,
        "party_households": 0,
        "zones": 14,
        "zones_claimed": 14,
        "claims": 20,
        "posts": {
            "grid_leader": 10,
            "secretary": 8,
            "group_leader": 7,
            "committee_member": 5,
            "first_secretary": 5,
            "deputy_secretary": 2,
            "grid_worker": 2,
            "commander": 1,
            "service_team_captain": 1,
        },
    },
    # 西樵镇爱国社区 (Foshan, Nanhai): three levels, community - cooperative grid - member
    # household; without-post and employed members all filed (全部"入格"); the members'
    # households carry the Party plaque (党员户挂牌).
    "xiqiao-aiguo.json": {
        "scheme": "three-level",
        "as_of": "2021-01-25",
        "root": "C1",
        "levels": {"community": 1, "grid": 5, "member_household": 13},
        "teams": 0,
        "attached": 0,
        "people": 35,
        "members": 32,
        "full_members": 30,
        "probationary_members": 2,
        "filed": 32,
        "registered": 7,
        "registered_at_work_units": 0,
        "households": 52,
        "households_in_zones": 52,
        "party_households": 13,
        "zones": 13,
        "zones_claimed": 13,
        "claims": 19,
        "posts": {"secretary": 6, "group_leader": 5, "committee_member": 3, "deputy_secretary": 1},
    },
}


def _raw(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_example_loads_and_round_trips(name: str) -> None:
    path = EXAMPLES / name
    j = load(path)
    assert dump(j) == _raw(name)
    # written in canonical form, exactly as gridgov.io.save writes it
    assert path.read_text("utf-8") == dumps(j) + "\n"
    assert load(dump(j)) == j


@pytest.mark.parametrize("name", list(EXPECTED))
def test_example_counts(name: str) -> None:
    summary = summarize(load(EXAMPLES / name)).to_dict()
    expected = EXPECTED[name]
    assert {key: summary[key] for key in expected} == expected


@pytest.mark.parametrize("name", list(EXPECTED))
def test_example_is_clean_under_every_rule(name: str) -> None:
    j = load(EXAMPLES / name)
    assert [str(d) for d in validate(j)] == []
    # the tolerant reading of the document sees the same (it also checks GG312 as written)
    assert [str(d) for d in validate(parse(_raw(name)))] == []


def test_junhe_shows_the_junhe_practice() -> None:
    j = load(EXAMPLES / "junhe.json")
    branches = [o for o in j.organizations.values() if o.level == "branch" and not o.kind.is_team]
    merged = [(b, j.cooperatives[b.cooperative]) for b in branches if b.cooperative is not None]
    assert all(b.kind is OrgKind.GRID for b in branches)
    assert 0 < len(merged) < len(branches)  # merged cooperative grids and a residential one
    for b, coop in merged:
        assert [p.holder for p in j.posts_in(b.id, Role.SECRETARY)] == [coop.branch_secretary]
        leaders = {p.holder for p in j.posts_in(b.id, Role.GRID_LEADER)}
        (first,) = j.posts_in(b.id, Role.FIRST_SECRETARY)
        assert leaders == {first.holder, coop.head}
    assert any(not j.people[c.head].is_member for c in j.cooperatives.values() if c.head)
    for b in branches:
        (first,) = j.posts_in(b.id, Role.FIRST_SECRETARY)
        assert first.appointed_by == "S1"
        assert first.holder not in j.members(b.id)  # serving concurrently, not a member
    committees = [b for b in branches if j.posts_in(b.id, Role.COMMITTEE_MEMBER)]
    assert committees
    for b in committees:
        full = [p for p in j.members(b.id) if j.people[p].is_full_member]
        assert len(full) >= j.policy.committee_threshold


def test_junhe_shows_its_action_team_commander_and_dual_registration() -> None:
    j = load(EXAMPLES / "junhe.json")
    (team,) = [o for o in j.organizations.values() if o.kind is not None and o.kind.is_team]
    assert (team.kind, team.level, team.parent) == (OrgKind.VOLUNTEER_TEAM, "branch", "C1")
    sunk = {p for p in j.attached(team.id) if j.people[p].has_category("sunk")}
    assert sunk == set(j.attached(team.id))  # sunk members (下沉党员)
    (captain,) = j.posts_in(team.id, Role.SERVICE_TEAM_CAPTAIN)
    assert captain.holder in j.attached(team.id)
    for p in j.attached(team.id):  # their grid filing stays where they live
        assert j.filed_in(p) is not None
        assert j.filed_in(p) != team.id
    (commander,) = [p for p in j.posts.values() if p.role is Role.COMMANDER]
    assert commander.holder in {p.holder for p in j.posts_in(commander.org, Role.GRID_LEADER)}
    assert j.people[commander.holder].has_category("street_cadre")
    (cadre,) = j.work_registrations
    assert j.registrations[cadre].community != j.work_registrations[cadre].community
    assert cadre in j.registered_in("C1", "work_unit")


def test_xiqiao_plaques_hang_on_the_members_households() -> None:
    j = load(EXAMPLES / "xiqiao-aiguo.json")
    plaques = {h for h, hh in j.households.items() if hh.party_household is not None}
    homes = {p.household for p in j.people.values() if p.party is not None and p.household}
    assert plaques == homes
    assert {j.households[h].party_household for h in plaques} == {PartyHousehold.MEMBER}


def test_xiqiao_files_every_member() -> None:
    j = load(EXAMPLES / "xiqiao-aiguo.json")
    members = {pid for pid, p in j.people.items() if p.is_member}
    assert set(j.filings) == members
    categories = {c for p in j.people.values() if p.party is not None for c in p.party.categories}
    assert {"without_post", "employed"} <= categories
    assert all(o.cooperative for o in j.organizations.values() if o.level == "grid")
