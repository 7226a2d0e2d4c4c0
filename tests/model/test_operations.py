"""The compound commands on the Junhe example: the events, what they leave, refusals.

Each command is run on Junhe street (``examples/junhe.json``, judged a fortnight later)
and checked for the exact events it applies, the findings it leaves (none that the
change itself causes beyond the posts it vacates, the posts still to fill and the zones
left unclaimed, which its result lists), a refusal on bad input that leaves the state as
it was, and a replay and a JSON round trip of the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gridgov
from gridgov.errors import (
    DuplicateIdError,
    GridGovError,
    HierarchyError,
    InvalidValueError,
    NotEmptyError,
    StateError,
    UnknownReferenceError,
)
from gridgov.io import dumps, load, loads
from gridgov.model import (
    Attachment,
    Change,
    Jurisdiction,
    MemberAttached,
    MemberDeregistered,
    MemberDetached,
    MemberRegistered,
    MemberTransferred,
    Organization,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationReparented,
    Post,
    PostAssigned,
    PostVacated,
    Registration,
    Role,
    ZoneReleased,
    operations,
)
from gridgov.model.enums import RegistrationKind

JUNHE = Path(__file__).resolve().parents[2] / "examples" / "junhe.json"
DAY = dt.date(2021, 12, 6)


@pytest.fixture
def j() -> Jurisdiction:
    j = load(JUNHE)
    j.set_as_of(DAY)
    assert gridgov.validate(j).diagnostics == ()
    return j


def codes(j: Jurisdiction) -> list[tuple[str, str]]:
    return sorted((d.code, d.ids[0]) for d in gridgov.validate(j))


def after(j: Jurisdiction, change: Change) -> None:
    """What every applied change keeps: replay and a JSON round trip give the state."""
    assert Jurisdiction.replay(j.log) == j
    again = loads(dumps(j))
    assert again == j
    for org in j.graph:  # the history survives the document, tenure for tenure
        assert again.tenures(org) == j.tenures(org)
        assert sorted(again.post_history(org), key=repr) == sorted(j.post_history(org), key=repr)
    # what the change says it vacated is gone, what it left unclaimed has no claimant
    assert all(p.key not in j.posts for p in change.vacated)
    assert all(j.claimants(zone) == [] for zone in change.unclaimed)


def refused(j: Jurisdiction, command: Callable[[], Any], error: type[GridGovError]) -> GridGovError:
    """`command` raises `error` and changes nothing at all."""
    before, version, log = j.copy(), j.version, list(j.log)
    history = {org: j.post_history(org) for org in j.graph}
    with pytest.raises(error) as info:
        command()
    assert j == before
    assert (j.version, list(j.log)) == (version, log)
    assert {org: j.post_history(org) for org in j.graph} == history
    return info.value


# -- relocate_member ----------------------------------------------------------------------------


def test_a_group_leader_moves_to_another_community(j: Jurisdiction) -> None:
    leader = j.posts_in("G1", Role.GROUP_LEADER)[0]
    change = j.relocate_member("P10", "G6", date="2021-12-06")
    assert list(change.events) == [
        ZoneReleased("P10", "Z1"),
        PostVacated("G1", Role.GROUP_LEADER, "P10", DAY),
        MemberDeregistered("P10", RegistrationKind.RESIDENCE, DAY),
        MemberRegistered(Registration("P10", "C2", DAY)),
        MemberTransferred("P10", "G6", DAY),
    ]
    assert change.vacated == (leader,)
    assert change.needs == change.unclaimed == ()  # Z1 keeps its other claimant
    assert (j.filed_in("P10"), j.registrations["P10"].community) == ("G6", "C2")
    # the only finding is the post it vacated
    assert codes(j) == [("GG307", "G1")]
    after(j, change)
    j.appoint("G1", "group_leader", "P12", since=DAY)
    assert codes(j) == []
    assert j.holders("G1", "group_leader", on="2021-12-05") == ["P10"]
    assert j.holders("G1", "group_leader", on=DAY) == ["P12"]


def test_a_committee_member_who_moves_leaves_the_committee(j: Jurisdiction) -> None:
    """By hand, a transfer keeps the committee post in the old branch (GG210 says so);
    relocating vacates it and lists it."""
    by_hand = j.copy()
    by_hand.transfer_member("P9", "G5")
    assert ("GG210", "B1") in codes(by_hand)
    committee = next(p for p in j.posts_held("P9") if p.role is Role.COMMITTEE_MEMBER)
    change = j.relocate_member("P9", "G5", date=DAY)
    assert [type(e) for e in change.events] == [
        PostVacated,
        MemberDeregistered,
        MemberRegistered,
        MemberTransferred,
    ]
    assert change.vacated == (committee,)
    assert codes(j) == []  # B1 keeps 7 full members and a committee of 3
    after(j, change)


def test_a_cadre_keeps_the_posts_served_concurrently_and_the_work_unit_registration(
    j: Jurisdiction,
) -> None:
    """P3 lives in Shima (C2) and serves Qinghu (C1) as B1's first secretary, grid leader
    and commander, registered there by his work unit too: he moves to Qinghu."""
    posts = j.posts_held("P3")
    work = j.work_registrations["P3"]
    change = j.relocate_member("P3", "G1", date=DAY)
    assert list(change.events) == [
        ZoneReleased("P3", "Z14"),
        MemberDeregistered("P3", RegistrationKind.RESIDENCE, DAY),
        MemberRegistered(Registration("P3", "C1", DAY)),
        MemberTransferred("P3", "G1", DAY),
    ]
    assert change.vacated == ()
    assert j.posts_held("P3") == posts
    assert j.work_registrations["P3"] == work
    assert codes(j) == []
    after(j, change)


def test_the_last_claimant_leaving_lists_the_zone(j: Jurisdiction) -> None:
    j.relocate_member("P10", "G6", date=DAY)
    change = j.relocate_member("P12", "G2", date=DAY)
    assert change.unclaimed == ("Z1",)
    assert codes(j) == [("GG307", "G1"), ("GG308", "Z1")]  # P10's post, and the zone
    after(j, change)


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("P10", "G1"), StateError, "org"),  # already there
        (("P10", "B4"), HierarchyError, "org"),  # not the filing level
        (("P10", "T1"), HierarchyError, "org"),  # a team: members are attached to it
        (("P10", "G99"), UnknownReferenceError, "org"),
        (("P99", "G6"), UnknownReferenceError, "person"),
        ((None, "G6"), InvalidValueError, "person"),
    ],
)
def test_relocate_refuses_bad_input(
    j: Jurisdiction, args: tuple[Any, ...], error: type[GridGovError], field: str
) -> None:
    exc = refused(j, lambda: j.relocate_member(*args, date=DAY), error)
    assert getattr(exc, "field", None) == field


def test_relocate_refuses_a_bad_date_before_anything(j: Jurisdiction) -> None:
    exc = refused(j, lambda: j.relocate_member("P10", "G6", date="2021-13-01"), InvalidValueError)
    assert exc.field == "date"


# -- replace_holder -----------------------------------------------------------------------------


def test_a_first_secretary_hands_over_both_posts(j: Jurisdiction) -> None:
    first, leader = (
        j.posts_in("B1", Role.FIRST_SECRETARY)[0],
        next(p for p in j.posts_in("B1", Role.GRID_LEADER) if p.holder == "P3"),
    )
    change = j.replace_holder("B1", "first_secretary", "P3", "P2", date=DAY)
    assert list(change.events) == [
        PostVacated("B1", Role.FIRST_SECRETARY, "P3", DAY),
        PostAssigned(Post("B1", Role.FIRST_SECRETARY, "P2", appointed_by="S1", since=DAY)),
        PostVacated("B1", Role.GRID_LEADER, "P3", DAY),
        PostAssigned(Post("B1", Role.GRID_LEADER, "P2", since=DAY)),
    ]
    assert change.vacated == (first, leader)
    assert codes(j) == []  # no state in between: the batch is one
    after(j, change)
    assert [(p.holder, p.since, p.until) for p in j.post_history("B1", "first_secretary")] == [
        ("P3", dt.date(2021, 11, 22), DAY),
        ("P2", DAY, None),
    ]
    assert j.holders("B1", "first_secretary", on="2021-11-22") == ["P3"]
    assert j.holders("B1", "first_secretary", on="2021-11-21") == []
    assert j.holders("B1", "grid_leader", on=DAY) == ["P17", "P2"]


def test_outside_the_practice_only_the_named_post_changes_hands(j: Jurisdiction) -> None:
    j.set_policy(first_secretary_practice=False)
    change = j.replace_holder("B1", "first_secretary", "P3", "P2", date=DAY)
    assert [type(e) for e in change.events] == [PostVacated, PostAssigned]
    assert {p.holder for p in j.posts_in("B1", Role.GRID_LEADER)} == {"P3", "P17"}
    assert codes(j) == []
    after(j, change)


def test_a_secretary_keeps_their_duty_through_a_replacement(j: Jurisdiction) -> None:
    change = j.replace_holder("B1", "committee_member", "P14", "P10", date=DAY)
    (new,) = [e.post for e in change.events if isinstance(e, PostAssigned)]
    assert new.duty is not None
    assert new.duty == change.vacated[0].duty
    assert codes(j) == []
    after(j, change)


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("B1", "first_secretary", "P4", "P2"), StateError, "old"),  # P4 holds none there
        (("B1", "grid_leader", "P3", "P17"), StateError, "new"),  # P17 holds it already
        (("B1", "secretary", "P8", "P8"), StateError, "new"),
        (("B1", "chairman", "P8", "P9"), InvalidValueError, "role"),
        (("B9", "secretary", "P8", "P9"), UnknownReferenceError, "org"),
        (("B1", "secretary", "P8", "P99"), UnknownReferenceError, "new"),
    ],
)
def test_replace_refuses_bad_input(
    j: Jurisdiction, args: tuple[Any, ...], error: type[GridGovError], field: str
) -> None:
    exc = refused(j, lambda: j.replace_holder(*args, date=DAY), error)
    assert getattr(exc, "field", None) == field


def test_replace_refuses_a_hand_over_before_the_tenure_began(j: Jurisdiction) -> None:
    exc = refused(
        j,
        lambda: j.replace_holder("B1", "first_secretary", "P3", "P2", date="2021-11-01"),
        StateError,
    )
    assert (exc.field, exc.value) == ("date", "2021-11-01")


# -- split_org and merge_orgs -----------------------------------------------------------------------


def test_a_branch_is_split(j: Jurisdiction) -> None:
    committee = list(j.posts_in("B1", Role.COMMITTEE_MEMBER))
    change = j.split_org("B1", ["G2"], id="B6", name="清湖第一经济社第二网格党支部", date=DAY)
    assert list(change.events) == [
        OrganizationFounded(
            Organization(
                "B6", "branch", "清湖第一经济社第二网格党支部", "C1", kind="grid", formed=DAY
            )
        ),
        OrganizationReparented("G2", "B6"),
        # P14 and P15 are B6's now; B1 keeps 4 full members, too few for a committee
        PostVacated("B1", Role.COMMITTEE_MEMBER, "P14", DAY),
        PostVacated("B1", Role.COMMITTEE_MEMBER, "P15", DAY),
        PostVacated("B1", Role.COMMITTEE_MEMBER, "P9", DAY),
    ]
    assert {p.holder for p in change.vacated} == {p.holder for p in committee}
    assert [(org, role.value) for org, role in change.needs] == [
        ("B6", "secretary"),
        ("B6", "first_secretary"),
        ("B6", "grid_leader"),
        ("B6", "grid_leader"),
    ]
    assert j.members("B6") == ["P13", "P14", "P15", "P16"]
    # the findings are the posts the new branch still needs
    assert codes(j) == [("GG206", "B6"), ("GG301", "B6"), ("GG304", "B6")]
    after(j, change)
    j.appoint("B6", "secretary", "P13", since=DAY)
    j.appoint("B6", "first_secretary", "P4", appointed_by="S1", since=DAY)
    j.appoint("B6", "grid_leader", "P4", since=DAY)
    j.appoint("B6", "grid_leader", "P13", since=DAY)
    assert codes(j) == []


def test_a_split_that_leaves_a_committee_short_lists_it(j: Jurisdiction) -> None:
    """B4 has 8 full members and a committee of 3; with a lower threshold, moving G6
    away leaves it at or over the threshold with a committee of 2."""
    j.set_policy(committee_threshold=4)
    change = j.split_org("B4", ["G6"], id="B6", name="石马二十社第二网格党支部", date=DAY)
    assert ("B4", Role.COMMITTEE_MEMBER) in change.needs
    missing = sum(1 for org, role in change.needs if org == "B4")
    assert missing == 3 - len({p.holder for p in j.posts_in("B4") if p.role.elected})
    assert ("GG203", "B4") in codes(j)
    after(j, change)


def test_two_branches_are_merged(j: Jurisdiction) -> None:
    posts = j.posts_in("B3")
    change = j.merge_orgs("B2", "B3", date=DAY)
    assert list(change.events) == [
        *(PostVacated("B3", p.role, p.holder, DAY) for p in posts),
        OrganizationReparented("G4", "B2"),
        OrganizationDissolved("B3"),
    ]
    assert change.vacated == tuple(posts)
    # 8 full members now: B2 needs a committee beside its secretary
    assert change.needs == (("B2", Role.COMMITTEE_MEMBER),) * 2
    assert codes(j) == [("GG203", "B2")]
    after(j, change)
    j.appoint("B2", "committee_member", "P24", since=DAY, duty="organization")
    j.appoint("B2", "committee_member", "P25", since=DAY, duty="propaganda")
    assert codes(j) == []


def test_a_merger_takes_the_attached_members_of_a_team(j: Jurisdiction) -> None:
    j.found_org("T2", "branch", "清湖联社党员突击队", parent="C1", kind="commando_team")
    j.attach_member("P11", "T2", date=DAY)
    j.attach_member("P12", "T2", date=DAY)
    change = j.merge_orgs("T1", "T2", date=DAY)
    assert list(change.events) == [
        MemberDetached("P11", "T2", DAY),
        MemberDetached("P12", "T2", DAY),
        MemberAttached(Attachment("P12", "T1", DAY)),  # P11 is in T1 already
        OrganizationDissolved("T2"),
    ]
    assert set(j.attached("T1")) == {"P11", "P16", "P21", "P26", "P12"}
    after(j, change)


@pytest.mark.parametrize(
    ("command", "error", "field"),
    [
        (lambda j: j.split_org("B4", ["G1"], id="B8", name="x"), HierarchyError, "children"),
        (lambda j: j.split_org("S1", ["C1"], id="S2", name="x"), HierarchyError, "org"),
        (lambda j: j.split_org("B1", [], id="B8", name="x"), InvalidValueError, "children"),
        (
            lambda j: j.split_org("B1", ["G2", "G2"], id="B8", name="x"),
            InvalidValueError,
            "children",
        ),
        (lambda j: j.split_org("B1", "G2", id="B8", name="x"), InvalidValueError, "children"),
        (lambda j: j.split_org("B1", {"G2": 1}, id="B8", name="x"), InvalidValueError, "children"),
        (lambda j: j.split_org("B1", [["G2"]], id="B8", name="x"), InvalidValueError, "children"),
        (lambda j: j.split_org("B1", ["G2"], id="P3", name="x"), DuplicateIdError, "id"),
        (lambda j: j.split_org("B1", ["G2"], id="B8", name=5), InvalidValueError, "name"),
        (lambda j: j.merge_orgs("B1", "B4"), HierarchyError, "absorbed"),  # other community
        (lambda j: j.merge_orgs("B1", "B1"), StateError, "absorbed"),
        (lambda j: j.merge_orgs("B1", "T1"), StateError, "absorbed"),  # a team, a branch
        (lambda j: j.merge_orgs("T1", "B2"), StateError, "absorbed"),
        (lambda j: j.merge_orgs("C2", "C9"), UnknownReferenceError, "absorbed"),
    ],
)
def test_split_and_merge_refuse_bad_input(
    j: Jurisdiction, command: Callable[[Jurisdiction], Any], error: type[GridGovError], field: str
) -> None:
    exc = refused(j, lambda: command(j), error)
    assert getattr(exc, "field", None) == field


# -- attachments and dissolving -----------------------------------------------------------------


def test_a_temporary_branch_is_formed_and_dissolved(j: Jurisdiction) -> None:
    filings = dict(j.filings)
    j.found_org(
        "B7",
        "branch",
        "疫情防控临时党支部",
        parent="C1",
        kind="temporary",
        formed=DAY,
        ends="2022-06-06",
    )
    for member in ("P8", "P13", "P19"):
        assert j.attach_member(member, "B7", date=DAY) == MemberAttached(
            Attachment(member, "B7", DAY)
        )
    j.appoint("B7", "secretary", "P13", since=DAY)
    assert dict(j.filings) == filings  # serving in addition to the grid filing
    assert j.members("B7") == ["P8", "P13", "P19"]
    assert codes(j) == []
    v = j.version
    j.dissolve_org("B7", date="2022-06-06")
    end = dt.date(2022, 6, 6)
    assert list(j.log[v - j.log_start :]) == [
        PostVacated("B7", Role.SECRETARY, "P13", end),
        MemberDetached("P8", "B7", end),
        MemberDetached("P13", "B7", end),
        MemberDetached("P19", "B7", end),
        OrganizationDissolved("B7"),
    ]
    assert dict(j.filings) == filings
    assert not j.attachments_of("P8")
    assert Jurisdiction.replay(j.log) == j


def test_dissolving_refuses_an_organization_with_members_filed_and_changes_nothing(
    j: Jurisdiction,
) -> None:
    exc = refused(j, lambda: j.dissolve_org("G1", date=DAY), NotEmptyError)
    assert "filed member" in str(exc)


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("P8", "G1"), HierarchyError, "attachment.org"),  # a grid group takes none
        (("P8", "T1"), None, None),
        (("P11", "T1"), StateError, "attachment.org"),  # attached already
        (("P99", "T1"), UnknownReferenceError, "attachment.person"),
        (("P8", "X9"), UnknownReferenceError, "attachment.org"),
    ],
)
def test_attach_refuses_bad_input(
    j: Jurisdiction, args: tuple[str, str], error: type[GridGovError] | None, field: str | None
) -> None:
    if error is None:
        j.attach_member(*args, date=DAY)
        assert args[0] in j.attached(args[1])
        return
    exc = refused(j, lambda: j.attach_member(*args, date=DAY), error)
    assert getattr(exc, "field", None) == field


@pytest.mark.parametrize(
    ("args", "error", "field"),
    [
        (("P99", "T1"), UnknownReferenceError, "person"),
        (("P8", "X9"), UnknownReferenceError, "org"),
        (("P8", "T1"), StateError, "org"),  # not attached
    ],
)
def test_detach_refuses_bad_input(
    j: Jurisdiction, args: tuple[str, str], error: type[GridGovError], field: str
) -> None:
    exc = refused(j, lambda: j.detach_member(*args, date=DAY), error)
    assert getattr(exc, "field", None) == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"events": "OrganizationFounded"}, "events"),
        ({"events": ["OrganizationFounded"]}, "events[0]"),
        ({"events": (), "vacated": [("B1", "secretary", "P1")]}, "vacated[0]"),
        ({"events": (), "needs": [("B1",)]}, "needs[0]"),
        ({"events": (), "needs": [("B1", "chair")]}, "needs[0]"),
        ({"events": (), "unclaimed": "Z1"}, "unclaimed"),
    ],
)
def test_a_change_holds_only_what_it_says(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Change(**kwargs)
    assert info.value.field == field
    assert Change([], needs=[["B1", "secretary"]]).needs == (("B1", Role.SECRETARY),)


# -- the plan and the command are the same change ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("relocate_member", ("P10", "G6"), {"date": DAY}),
        ("replace_holder", ("B1", "first_secretary", "P3", "P2"), {"date": DAY}),
        ("split_org", ("B1", ["G2"]), {"id": "B6", "name": "分", "date": DAY}),
        ("merge_orgs", ("B2", "B3"), {"date": DAY}),
    ],
)
def test_planning_changes_nothing_and_the_command_applies_the_plan(
    j: Jurisdiction, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    before = j.copy()
    plan = getattr(operations, name)(j, *args, **kwargs)
    assert j == before
    assert j.version == before.version
    validator = gridgov.Validator(before)
    assert validator.apply_all(plan.events) == len(plan.events)
    assert validator.report() == gridgov.validate(before)  # incremental, as full
    assert getattr(j, name)(*args, **kwargs) == plan
    assert j == before
    assert list(j.log) == list(before.log)


def test_the_filing_of_an_attached_member_is_their_grid(j: Jurisdiction) -> None:
    """An attached member counts in the team, not as filed there."""
    assert j.filed_in("P11") == "G1"
    assert "P11" in j.members("T1")
    assert "P11" in j.members("B1")
    assert j.filings["P11"].org == "G1"
