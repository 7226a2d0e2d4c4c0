"""The jurisdiction aggregate: every event's apply, every structural error, atomicity.

Every rejection is checked with the ``rejected`` fixture (see ``conftest.py``): exactly
the expected :class:`~gridgov.errors.GridGovError` subclass, a message naming the field
and the bad value, and a jurisdiction left exactly as it was (document, version, log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from gridgov.errors import (
    DuplicateIdError,
    GridGovError,
    HierarchyError,
    IntegrityError,
    InvalidValueError,
    NotEmptyError,
    PolicyError,
    StateError,
    UnknownReferenceError,
)
from gridgov.io import dump
from gridgov.model import BUILTIN_EVENTS as _HANDLERS
from gridgov.model import (
    EVENT_TYPES,
    THREE_LEVEL,
    AsOfSet,
    Attachment,
    Claim,
    Cooperative,
    CooperativeAdded,
    CooperativeAmended,
    Event,
    Filing,
    Household,
    HouseholdAdded,
    HouseholdAmended,
    HouseholdAssigned,
    Jurisdiction,
    MemberAttached,
    MemberDeregistered,
    MemberDetached,
    MemberFiled,
    MemberRegistered,
    MemberTransferred,
    MemberUnfiled,
    Organization,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationRenamed,
    OrganizationReparented,
    OrgKind,
    PartyMembership,
    Person,
    PersonAdded,
    PersonAmended,
    PersonRemoved,
    Policy,
    PolicyChanged,
    Post,
    PostAssigned,
    PostVacated,
    Registration,
    Role,
    Scheme,
    SchemeSet,
    SequentialIds,
    Taken,
    ZoneClaimed,
    ZoneReleased,
)

D = dt.date
Rejected = Callable[..., Any]

# -- every event type applies ---------------------------------------------------------------
#
# Each case takes the five-level fixture, applies one event of its type and checks the
# effect; the parametrized test around it checks what every apply shares (returned
# event, log, version, replay).


def _scheme_set(j: Jurisdiction) -> Event:
    # runs on an empty jurisdiction: the scheme cannot change once organizations exist
    j.add_person("P1", "甲")
    event = SchemeSet(THREE_LEVEL)
    assert j.apply(event) is event
    assert j.scheme is THREE_LEVEL
    assert j.graph.counts() == {"community": 0, "grid": 0, "member_household": 0}
    j.found_org("V1", "community", "村")
    assert j.graph.roots() == ["V1"]
    return event


def _policy_changed(j: Jurisdiction) -> Event:
    event = PolicyChanged(Policy(max_branch_members=60))
    j.apply(event)
    assert j.policy.max_branch_members == 60
    assert j.policy.overrides() == {"max_branch_members": 60}
    return event


def _as_of_set(j: Jurisdiction) -> Event:
    event = AsOfSet(D(2022, 1, 1))
    j.apply(event)
    assert dump(j)["as_of"] == "2022-01-01"
    j.apply(AsOfSet(None))
    assert "as_of" not in dump(j)
    assert j.as_of is None
    return event


def _org_founded(j: Jurisdiction) -> Event:
    org = Organization(
        "B3", "branch", "临时党支部", parent="C2", kind="temporary", ends=D(2020, 6, 1)
    )
    event = OrganizationFounded(org)
    j.apply(event)
    assert j.organizations["B3"] == org
    assert j.graph.children("C2") == ["B2", "B3"]
    assert j.graph.at_level("branch") == ["B1", "B2", "B3"]
    return event


def _org_amended(j: Jurisdiction) -> Event:
    new = attrs.evolve(j.organizations["B2"], kind="joint", units=("U1", "U2"), cooperative="EC1")
    event = OrganizationAmended(new)
    j.apply(event)
    assert j.organizations["B2"] == new
    assert j.graph.org("B2").units == ("U1", "U2")
    assert j.graph.parent("B2") == "C2"
    return event


def _org_renamed(j: Jurisdiction) -> Event:
    event = OrganizationRenamed("G3", "石马第一党小组")
    j.apply(event)
    assert j.organizations["G3"].name == "石马第一党小组"
    assert j.organizations["G3"].parent == "B2"
    return event


def _org_reparented(j: Jurisdiction) -> Event:
    event = OrganizationReparented("G2", "B2")
    j.apply(event)
    assert j.organizations["G2"].parent == "B2"
    assert j.graph.parent("G2") == "B2"
    assert j.graph.children("B1") == ["G1"]
    assert j.members("B2") == ["P4"]
    assert j.members("B1") == ["P5", "P3"]
    return event


def _org_dissolved(j: Jurisdiction) -> Event:
    event = OrganizationDissolved("G3")
    j.apply(event)
    assert "G3" not in j.organizations
    assert "G3" not in j.graph
    assert j.graph.children("B2") == []
    assert j.graph.counts()["group"] == 2
    return event


def _household_added(j: Jurisdiction) -> Event:
    hh = Household("H5", building="9栋", location=(1.5, -2.0))
    event = HouseholdAdded(hh)
    j.apply(event)
    assert j.households["H5"] == hh
    assert "H5" not in j.zone_of_household
    return event


def _household_amended(j: Jurisdiction) -> Event:
    zone = j.zone_of_household["H1"]
    hh = Household("H1", building="1栋", party_household="member")
    event = HouseholdAmended(hh)
    j.apply(event)
    assert j.households["H1"] == hh
    assert j.zone_of_household["H1"] == zone  # its zone stays
    return event


def _household_assigned(j: Jurisdiction) -> Event:
    event = HouseholdAssigned("H1", "Z2")  # move between zones
    j.apply(event)
    assert j.zone_of_household["H1"] == "Z2"
    assert j.households_in("Z1") == ["H2"]
    assert j.households_in("Z2") == ["H1"]
    j.apply(HouseholdAssigned("H4", "Z2"))  # into a zone
    assert j.households_in("Z2") == ["H1", "H4"]
    j.apply(HouseholdAssigned("H1", None))  # out of its zone
    assert "H1" not in j.zone_of_household
    assert j.households_in("Z2") == ["H4"]
    return event


def _person_added(j: Jurisdiction) -> Event:
    person = Person("P7", "新党员", party=PartyMembership("probationary"), household="H4")
    event = PersonAdded(person)
    j.apply(event)
    assert j.people["P7"] == person
    return event


def _person_amended(j: Jurisdiction) -> Event:
    new = Person("P4", "陈转正", party=PartyMembership("full", categories=["employed"]))
    event = PersonAmended(new)
    j.apply(event)
    assert j.people["P4"] == new
    assert j.people["P4"].is_full_member
    assert j.filed_in("P4") == "G2"  # relations stay
    return event


def _person_removed(j: Jurisdiction) -> Event:
    event = PersonRemoved("P6")
    j.apply(event)
    assert "P6" not in j.people
    return event


def _coop_added(j: Jurisdiction) -> Event:
    coop = Cooperative("EC2", "石马经济社", community="C2", head="P6")
    event = CooperativeAdded(coop)
    j.apply(event)
    assert j.cooperatives["EC2"] == coop
    return event


def _coop_amended(j: Jurisdiction) -> Event:
    coop = Cooperative("EC1", "清湖第一经济社(新)", community="C1", head="P6")
    event = CooperativeAmended(coop)
    j.apply(event)
    assert j.cooperatives["EC1"] == coop
    assert j.cooperatives["EC1"].branch_secretary is None
    return event


def _registered(j: Jurisdiction) -> Event:
    event = MemberRegistered(Registration("P6", "C2", D(2021, 10, 1)))
    j.apply(event)
    assert j.registrations["P6"].community == "C2"
    assert j.registered_in("C2") == ["P6"]
    return event


def _deregistered(j: Jurisdiction) -> Event:
    event = MemberDeregistered("P5")
    j.apply(event)
    assert "P5" not in j.registrations
    assert j.registered_in("C1") == ["P3"]
    return event


def _filed(j: Jurisdiction) -> Event:
    event = MemberFiled(Filing("P6", "G3", D(2021, 10, 2)))
    j.apply(event)
    assert j.filed_in("P6") == "G3"
    assert j.filings["P6"].date == D(2021, 10, 2)
    assert j.members("C2") == ["P6"]
    return event


def _unfiled(j: Jurisdiction) -> Event:
    event = MemberUnfiled("P3")
    j.apply(event)
    assert j.filed_in("P3") is None
    assert j.members("G1") == ["P5"]
    return event


def _transferred(j: Jurisdiction) -> Event:
    event = MemberTransferred("P5", "G2", D(2022, 3, 1))
    j.apply(event)
    assert j.filings["P5"] == Filing("P5", "G2", D(2022, 3, 1))
    assert j.graph.direct_members("G1") == ["P3"]
    assert j.graph.direct_members("G2") == ["P4", "P5"]
    return event


def _claimed(j: Jurisdiction) -> Event:
    event = ZoneClaimed(Claim("P3", "Z1", D(2021, 10, 3)))
    j.apply(event)
    assert j.claims["P3", "Z1"].date == D(2021, 10, 3)
    assert j.claimants("Z1") == ["P5", "P3"]
    assert j.zones_claimed_by("P3") == ["Z1"]
    return event


def _released(j: Jurisdiction) -> Event:
    event = ZoneReleased("P5", "Z1")
    j.apply(event)
    assert ("P5", "Z1") not in j.claims
    assert j.zones_claimed_by("P5") == ["Z2"]
    assert j.claimants("Z1") == []
    return event


def _post_assigned(j: Jurisdiction) -> Event:
    post = Post("B1", "committee_member", "P5", duty="propaganda", since=D(2021, 9, 1))
    event = PostAssigned(post)
    j.apply(event)
    assert j.posts["B1", Role.COMMITTEE_MEMBER, "P5"] == post
    assert j.posts_in("B1", "committee_member") == [post]
    assert post in j.posts_held("P5")
    return event


def _post_vacated(j: Jurisdiction) -> Event:
    event = PostVacated("B1", "grid_leader", "P2", dt.date(2021, 12, 1))
    j.apply(event)
    assert ("B1", Role.GRID_LEADER, "P2") not in j.posts
    assert [p.holder for p in j.posts_in("B1", Role.GRID_LEADER)] == ["P1"]
    assert j.posts_held("P2") == []
    [past] = j.tenures("B1")
    assert (past.holder, past.role, past.until) == ("P2", Role.GRID_LEADER, dt.date(2021, 12, 1))
    assert j.post_history("B1", "grid_leader") == [past, *j.posts_in("B1", "grid_leader")]
    return event


def _temporary(j: Jurisdiction) -> None:
    j.found_org("T1", "branch", "防疫临时党支部", parent="C1", kind="temporary", ends="2020-06-30")


def _attached(j: Jurisdiction) -> Event:
    _temporary(j)
    event = MemberAttached(Attachment("P5", "T1", dt.date(2020, 2, 1)))
    j.apply(event)
    assert j.attached("T1") == ["P5"]
    assert j.attachments_of("P5") == ["T1"]
    assert j.members("T1") == ["P5"]
    assert j.filed_in("P5") == "G1"  # the grid filing stays
    assert "P5" in j.members("C1")
    return event


def _detached(j: Jurisdiction) -> Event:
    _attached(j)
    event = MemberDetached("P5", "T1", dt.date(2020, 6, 30))
    j.apply(event)
    assert j.attached("T1") == []
    assert j.members("T1") == []
    assert j.filed_in("P5") == "G1"
    return event


APPLY_CASES: dict[type[Event], Callable[[Jurisdiction], Event]] = {
    SchemeSet: _scheme_set,
    PolicyChanged: _policy_changed,
    AsOfSet: _as_of_set,
    OrganizationFounded: _org_founded,
    OrganizationAmended: _org_amended,
    OrganizationRenamed: _org_renamed,
    OrganizationReparented: _org_reparented,
    OrganizationDissolved: _org_dissolved,
    HouseholdAdded: _household_added,
    HouseholdAmended: _household_amended,
    HouseholdAssigned: _household_assigned,
    PersonAdded: _person_added,
    PersonAmended: _person_amended,
    PersonRemoved: _person_removed,
    CooperativeAdded: _coop_added,
    CooperativeAmended: _coop_amended,
    MemberRegistered: _registered,
    MemberDeregistered: _deregistered,
    MemberFiled: _filed,
    MemberUnfiled: _unfiled,
    MemberTransferred: _transferred,
    ZoneClaimed: _claimed,
    ZoneReleased: _released,
    PostAssigned: _post_assigned,
    PostVacated: _post_vacated,
    MemberAttached: _attached,
    MemberDetached: _detached,
}


def test_every_event_type_has_a_handler_and_an_apply_test() -> None:
    assert set(EVENT_TYPES.values()) == set(_HANDLERS)
    assert set(APPLY_CASES) == set(_HANDLERS)
    assert all(name == cls.__name__ for name, cls in EVENT_TYPES.items())


@pytest.mark.parametrize("event_type", list(APPLY_CASES), ids=lambda t: t.__name__)
def test_apply(five_level: Jurisdiction, event_type: type[Event]) -> None:
    j = Jurisdiction() if event_type is SchemeSet else five_level
    before = dump(j)
    event = APPLY_CASES[event_type](j)
    assert type(event) is event_type
    assert event in list(j.log)
    assert j.version == len(j.log)
    assert dump(j) != before
    replayed = Jurisdiction.replay(j.log)
    assert replayed == j
    assert dump(replayed) == dump(j)


def test_apply_returns_the_event_and_appends_it(five_level: Jurisdiction) -> None:
    version = five_level.version
    event = OrganizationRenamed("B2", "新名")
    assert five_level.apply(event) is event
    assert five_level.log[-1] is event
    assert five_level.version == version + 1


# -- every structural error is rejected and changes nothing -----------------------------------


def _org(id: str, level: str, parent: str | None = None, **kw: Any) -> OrganizationFounded:
    return OrganizationFounded(Organization(id, level, "x", parent=parent, **kw))


def _nothing(j: Jurisdiction) -> None:
    return None


# (id, event type, setup, action, error, field, value, fragments)
REJECT_CASES: list[
    tuple[
        str,
        type[Event] | None,
        Callable[[Jurisdiction], object],
        Callable[[Jurisdiction], object],
        type[GridGovError],
        str,
        object,
        tuple[str, ...],
    ]
] = [
    # -- scheme
    (
        "scheme-after-orgs",
        SchemeSet,
        _nothing,
        lambda j: j.apply(SchemeSet(THREE_LEVEL)),
        StateError,
        "scheme",
        "three-level",
        ("organizations exist",),
    ),
    (
        "inline-scheme-after-orgs",
        SchemeSet,
        _nothing,
        lambda j: j.apply(SchemeSet(Scheme(["a", "b"], filing_level="a", zone_level="b"))),
        StateError,
        "scheme",
        ["a", "b"],
        (),
    ),
    # -- policy and as-of: values are checked before any event exists
    (
        "policy-unknown-setting",
        PolicyChanged,
        _nothing,
        lambda j: j.set_policy(max_branch_size=60),
        PolicyError,
        "policy.max_branch_size",
        60,
        (),
    ),
    (
        "policy-negative",
        PolicyChanged,
        _nothing,
        lambda j: j.set_policy(max_branch_members=-5),
        PolicyError,
        "policy.max_branch_members",
        -5,
        (),
    ),
    (
        "as-of-datetime",
        AsOfSet,
        _nothing,
        lambda j: j.set_as_of(dt.datetime(2022, 1, 1, 12)),
        InvalidValueError,
        "as_of",
        dt.datetime(2022, 1, 1, 12),
        (),
    ),
    (
        "as-of-not-a-date",
        AsOfSet,
        _nothing,
        lambda j: j.apply(AsOfSet("2022-13-01")),  # type: ignore[arg-type]
        InvalidValueError,
        "as_of",
        "2022-13-01",
        (),
    ),
    # -- founding
    (
        "found-duplicate-org-id",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("B1", "branch", "C2")),
        DuplicateIdError,
        "org.id",
        "B1",
        ("an organization",),
    ),
    (
        "found-id-of-a-person",
        OrganizationFounded,
        _nothing,
        lambda j: j.found_org("P1", "branch", "x", parent="C2"),
        DuplicateIdError,
        "org.id",
        "P1",
        ("a person",),
    ),
    (
        "found-id-of-a-household",
        OrganizationFounded,
        _nothing,
        lambda j: j.found_org("H4", "branch", "x", parent="C2"),
        DuplicateIdError,
        "org.id",
        "H4",
        ("a household",),
    ),
    (
        "found-id-of-a-cooperative",
        OrganizationFounded,
        _nothing,
        lambda j: j.found_org("EC1", "branch", "x", parent="C2"),
        DuplicateIdError,
        "org.id",
        "EC1",
        ("a cooperative",),
    ),
    (
        "found-unknown-level",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "town", "S1")),
        HierarchyError,
        "org.level",
        "town",
        ("street", "zone"),
    ),
    (
        "found-unknown-parent",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "branch", "C9")),
        UnknownReferenceError,
        "org.parent",
        "C9",
        ("unknown organization",),
    ),
    (
        "found-own-id-as-parent",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "branch", "X1")),
        HierarchyError,
        "org.parent",
        "X1",
        ("cannot be its own parent",),
    ),
    (
        "found-parent-two-levels-up",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "group", "C1")),
        HierarchyError,
        "org.parent",
        "C1",
        ("'community'", "'branch'"),
    ),
    (
        "found-parent-at-same-level",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "group", "G1")),
        HierarchyError,
        "org.parent",
        "G1",
        ("'group'",),
    ),
    (
        "found-parent-below",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "community", "B1")),
        HierarchyError,
        "org.parent",
        "B1",
        ("'street'",),
    ),
    (
        "found-without-parent",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "community")),
        HierarchyError,
        "org.parent",
        None,
        ("'community'", "'street'"),
    ),
    (
        "found-second-root",
        OrganizationFounded,
        _nothing,
        lambda j: j.found_org("S2", "street", "第二街道"),
        HierarchyError,
        "org.id",
        "S2",
        ("second root", "'S1'"),
    ),
    (
        "found-root-with-parent",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("S2", "street", "S1")),
        HierarchyError,
        "org.parent",
        "S1",
        ("has no parent",),
    ),
    (
        "found-unknown-cooperative",
        OrganizationFounded,
        _nothing,
        lambda j: j.apply(_org("X1", "branch", "C2", cooperative="EC9")),
        UnknownReferenceError,
        "org.cooperative",
        "EC9",
        ("cooperative",),
    ),
    (
        "found-bad-kind",
        OrganizationFounded,
        _nothing,
        lambda j: j.found_org("X1", "branch", "x", parent="C2", kind="club"),
        InvalidValueError,
        "kind",
        "club",
        (),
    ),
    # -- amending
    (
        "amend-unknown-org",
        OrganizationAmended,
        _nothing,
        lambda j: j.apply(OrganizationAmended(Organization("X9", "branch", "x", parent="C1"))),
        UnknownReferenceError,
        "org.id",
        "X9",
        (),
    ),
    (
        "amend-changes-level",
        OrganizationAmended,
        _nothing,
        lambda j: j.apply(OrganizationAmended(attrs.evolve(j.organizations["B2"], level="group"))),
        StateError,
        "org.level",
        "group",
        ("'B2'", "'branch'"),
    ),
    (
        "amend-changes-parent",
        OrganizationAmended,
        _nothing,
        lambda j: j.apply(OrganizationAmended(attrs.evolve(j.organizations["B2"], parent="C1"))),
        StateError,
        "org.parent",
        "C1",
        ("'B2'", "'C2'"),
    ),
    (
        "amend-org-unknown-cooperative",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("B2", cooperative="EC9"),
        UnknownReferenceError,
        "org.cooperative",
        "EC9",
        (),
    ),
    (
        "amend-org-command-unknown-org",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("X9", name="x"),
        UnknownReferenceError,
        "org",
        "X9",
        (),
    ),
    (
        "amend-org-command-parent",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("B2", parent="C1"),
        InvalidValueError,
        "parent",
        "C1",
        (),
    ),
    (
        "amend-org-command-unknown-field",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("B2", colour="red"),
        InvalidValueError,
        "colour",
        "red",
        ("Organization",),
    ),
    (
        "amend-org-command-bad-value",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("B2", formed="1 January 2021"),
        InvalidValueError,
        "formed",
        "1 January 2021",
        (),
    ),
    # -- renaming
    (
        "rename-unknown-org",
        OrganizationRenamed,
        _nothing,
        lambda j: j.rename_org("X9", "x"),
        UnknownReferenceError,
        "org",
        "X9",
        (),
    ),
    (
        "rename-to-non-text",
        OrganizationRenamed,
        _nothing,
        lambda j: j.rename_org("B1", 5),  # type: ignore[arg-type]
        InvalidValueError,
        "name",
        5,
        (),
    ),
    # -- moving
    (
        "move-unknown-org",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("X9", "C1"),
        UnknownReferenceError,
        "org",
        "X9",
        (),
    ),
    (
        "move-unknown-parent",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("B1", "C9"),
        UnknownReferenceError,
        "parent",
        "C9",
        (),
    ),
    (
        "move-to-same-parent",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("B1", "C1"),
        StateError,
        "parent",
        "C1",
        ("'B1'", "already"),
    ),
    (
        "move-under-wrong-level",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("G1", "C2"),
        HierarchyError,
        "parent",
        "C2",
        ("'community'", "'branch'"),
    ),
    (
        "move-under-itself",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("B1", "B1"),
        HierarchyError,
        "parent",
        "B1",
        ("own parent",),
    ),
    (
        "move-under-own-descendant",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("B1", "G1"),
        HierarchyError,
        "parent",
        "G1",
        (),
    ),
    (
        "move-to-no-parent",
        OrganizationReparented,
        _nothing,
        lambda j: j.apply(OrganizationReparented("B1", None)),
        HierarchyError,
        "parent",
        None,
        ("'branch'", "needs a parent"),
    ),
    (
        "move-root-under-an-org",
        OrganizationReparented,
        _nothing,
        lambda j: j.move_org("S1", "C1"),
        HierarchyError,
        "parent",
        "C1",
        ("has no parent",),
    ),
    (
        "move-root-to-no-parent",
        OrganizationReparented,
        _nothing,
        lambda j: j.apply(OrganizationReparented("S1", None)),
        StateError,
        "parent",
        None,
        ("'S1'", "already"),
    ),
    # -- dissolving
    (
        "dissolve-unknown-org",
        OrganizationDissolved,
        _nothing,
        lambda j: j.dissolve_org("X9"),
        UnknownReferenceError,
        "org",
        "X9",
        (),
    ),
    (
        "dissolve-with-children",
        OrganizationDissolved,
        _nothing,
        lambda j: j.dissolve_org("C2"),
        NotEmptyError,
        "org",
        "C2",
        ("1 child organization",),
    ),
    (
        "dissolve-with-filed-members",
        OrganizationDissolved,
        lambda j: j.file_member("P6", "G3"),
        lambda j: j.dissolve_org("G3"),
        NotEmptyError,
        "org",
        "G3",
        ("1 filed member",),
    ),
    (
        "dissolve-with-households",
        OrganizationDissolved,
        lambda j: (j.found_org("Z4", "zone", "x", parent="G3"), j.assign_household("H4", "Z4")),
        lambda j: j.dissolve_org("Z4"),
        NotEmptyError,
        "org",
        "Z4",
        ("1 household",),
    ),
    (
        "dissolve-with-claims",
        OrganizationDissolved,
        _nothing,
        lambda j: j.dissolve_org("Z2"),
        NotEmptyError,
        "org",
        "Z2",
        ("1 claim",),
    ),
    (
        "dissolve-with-everything",
        OrganizationDissolved,
        _nothing,
        lambda j: j.apply(OrganizationDissolved("G1")),  # the event: posts block it too
        NotEmptyError,
        "org",
        "G1",
        ("2 child organizations", "2 filed members", "1 post"),
    ),
    (
        "dissolve-with-posts",
        OrganizationDissolved,
        lambda j: j.appoint("G3", "group_leader", "P6"),
        lambda j: j.apply(OrganizationDissolved("G3")),  # dissolve_org vacates them first
        NotEmptyError,
        "org",
        "G3",
        ("1 post",),
    ),
    (
        "dissolve-with-registrations",
        OrganizationDissolved,
        lambda j: (j.found_org("C3", "community", "x", parent="S1"), j.register("P6", "C3")),
        lambda j: j.dissolve_org("C3"),
        NotEmptyError,
        "org",
        "C3",
        ("1 registration",),
    ),
    (
        "dissolve-appointer",
        OrganizationDissolved,
        lambda j: (
            j.found_org("C3", "community", "x", parent="S1"),
            j.appoint("B2", "first_secretary", "P1", appointed_by="C3"),
        ),
        lambda j: j.dissolve_org("C3"),
        NotEmptyError,
        "org",
        "C3",
        ("posts it appointed",),
    ),
    (
        "dissolve-with-cooperatives",
        OrganizationDissolved,
        lambda j: (
            j.found_org("C3", "community", "x", parent="S1"),
            j.add_cooperative("EC2", "x", community="C3"),
        ),
        lambda j: j.dissolve_org("C3"),
        NotEmptyError,
        "org",
        "C3",
        ("cooperatives in it",),
    ),
    # -- households
    (
        "household-duplicate-id",
        HouseholdAdded,
        _nothing,
        lambda j: j.add_household("H1"),
        DuplicateIdError,
        "household.id",
        "H1",
        ("a household",),
    ),
    (
        "household-id-of-an-org",
        HouseholdAdded,
        _nothing,
        lambda j: j.apply(HouseholdAdded(Household("Z1"))),
        DuplicateIdError,
        "household.id",
        "Z1",
        ("an organization",),
    ),
    (
        "household-bad-location",
        HouseholdAdded,
        _nothing,
        lambda j: j.add_household("H9", location=(1.0, float("inf"))),
        InvalidValueError,
        "location",
        (1.0, float("inf")),
        ("finite",),
    ),
    (
        "assign-unknown-household",
        HouseholdAssigned,
        _nothing,
        lambda j: j.assign_household("H9", "Z1"),
        UnknownReferenceError,
        "household",
        "H9",
        (),
    ),
    (
        "assign-unknown-zone",
        HouseholdAssigned,
        _nothing,
        lambda j: j.assign_household("H4", "Z9"),
        UnknownReferenceError,
        "zone",
        "Z9",
        (),
    ),
    (
        "assign-to-non-zone",
        HouseholdAssigned,
        _nothing,
        lambda j: j.assign_household("H4", "G1"),
        HierarchyError,
        "zone",
        "G1",
        ("'group'", "'zone'"),
    ),
    (
        "assign-to-current-zone",
        HouseholdAssigned,
        _nothing,
        lambda j: j.assign_household("H1", "Z1"),
        StateError,
        "zone",
        "Z1",
        ("'H1'", "already"),
    ),
    (
        "take-out-household-in-no-zone",
        HouseholdAssigned,
        _nothing,
        lambda j: j.assign_household("H4", None),
        StateError,
        "zone",
        None,
        ("'H4'", "no zone"),
    ),
    # -- people
    (
        "person-duplicate-id",
        PersonAdded,
        _nothing,
        lambda j: j.add_person("P1", "x"),
        DuplicateIdError,
        "person.id",
        "P1",
        ("a person",),
    ),
    (
        "person-id-of-a-cooperative",
        PersonAdded,
        _nothing,
        lambda j: j.add_person("EC1", "x"),
        DuplicateIdError,
        "person.id",
        "EC1",
        ("a cooperative",),
    ),
    (
        "person-unknown-household",
        PersonAdded,
        _nothing,
        lambda j: j.add_person("P7", "x", household="H9"),
        UnknownReferenceError,
        "person.household",
        "H9",
        ("household",),
    ),
    (
        "person-categories-without-status",
        PersonAdded,
        _nothing,
        lambda j: j.add_person("P7", "x", categories=["sunk"]),
        InvalidValueError,
        "status",
        None,
        ("need a Party member status",),
    ),
    (
        "person-bad-status",
        PersonAdded,
        _nothing,
        lambda j: j.add_person("P7", "x", status="honorary"),
        InvalidValueError,
        "status",
        "honorary",
        (),
    ),
    (
        "amend-unknown-person",
        PersonAmended,
        _nothing,
        lambda j: j.apply(PersonAmended(Person("P9", "x"))),
        UnknownReferenceError,
        "person.id",
        "P9",
        (),
    ),
    (
        "amend-person-unknown-household",
        PersonAmended,
        _nothing,
        lambda j: j.amend_person("P1", household="H9"),
        UnknownReferenceError,
        "person.household",
        "H9",
        (),
    ),
    (
        "amend-person-command-unknown-person",
        PersonAmended,
        _nothing,
        lambda j: j.amend_person("P9", name="x"),
        UnknownReferenceError,
        "person",
        "P9",
        (),
    ),
    (
        "amend-person-command-id",
        PersonAmended,
        _nothing,
        lambda j: j.amend_person("P1", id="P9"),
        InvalidValueError,
        "id",
        "P9",
        (),
    ),
    (
        "amend-person-command-unknown-field",
        PersonAmended,
        _nothing,
        lambda j: j.amend_person("P1", status="full"),
        InvalidValueError,
        "status",
        "full",
        ("Person",),
    ),
    (
        "remove-unknown-person",
        PersonRemoved,
        _nothing,
        lambda j: j.remove_person("P9"),
        UnknownReferenceError,
        "person",
        "P9",
        (),
    ),
    (
        "remove-person-with-everything",
        PersonRemoved,
        _nothing,
        lambda j: j.remove_person("P5"),
        NotEmptyError,
        "person",
        "P5",
        ("a registration", "a filing", "zone claims", "posts"),
    ),
    (
        "remove-person-registered",
        PersonRemoved,
        lambda j: j.register("P6", "C2"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("a registration",),
    ),
    (
        "remove-person-filed",
        PersonRemoved,
        lambda j: j.file_member("P6", "G3"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("a filing",),
    ),
    (
        "remove-person-claiming",
        PersonRemoved,
        lambda j: j.claim_zone("P6", "Z3"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("zone claims",),
    ),
    (
        "remove-person-holding-a-post",
        PersonRemoved,
        lambda j: j.appoint("B2", "secretary", "P6"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("posts",),
    ),
    (
        "remove-cooperative-head",
        PersonRemoved,
        lambda j: j.add_cooperative("EC2", "x", head="P6"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("a cooperative role",),
    ),
    (
        "remove-cooperative-branch-secretary",
        PersonRemoved,
        lambda j: j.add_cooperative("EC2", "x", branch_secretary="P6"),
        lambda j: j.remove_person("P6"),
        NotEmptyError,
        "person",
        "P6",
        ("a cooperative role",),
    ),
    # -- cooperatives
    (
        "cooperative-duplicate-id",
        CooperativeAdded,
        _nothing,
        lambda j: j.add_cooperative("EC1", "x"),
        DuplicateIdError,
        "cooperative.id",
        "EC1",
        ("a cooperative",),
    ),
    (
        "cooperative-id-of-an-org",
        CooperativeAdded,
        _nothing,
        lambda j: j.add_cooperative("B1", "x"),
        DuplicateIdError,
        "cooperative.id",
        "B1",
        ("an organization",),
    ),
    (
        "cooperative-unknown-community",
        CooperativeAdded,
        _nothing,
        lambda j: j.add_cooperative("EC2", "x", community="C9"),
        UnknownReferenceError,
        "cooperative.community",
        "C9",
        (),
    ),
    (
        "cooperative-unknown-head",
        CooperativeAdded,
        _nothing,
        lambda j: j.add_cooperative("EC2", "x", head="P9"),
        UnknownReferenceError,
        "cooperative.head",
        "P9",
        ("person",),
    ),
    (
        "cooperative-unknown-branch-secretary",
        CooperativeAdded,
        _nothing,
        lambda j: j.add_cooperative("EC2", "x", branch_secretary="P9"),
        UnknownReferenceError,
        "cooperative.branch_secretary",
        "P9",
        (),
    ),
    (
        "amend-unknown-cooperative",
        CooperativeAmended,
        _nothing,
        lambda j: j.apply(CooperativeAmended(Cooperative("EC9", "x"))),
        UnknownReferenceError,
        "cooperative.id",
        "EC9",
        (),
    ),
    (
        "amend-cooperative-unknown-head",
        CooperativeAmended,
        _nothing,
        lambda j: j.amend_cooperative("EC1", head="P9"),
        UnknownReferenceError,
        "cooperative.head",
        "P9",
        (),
    ),
    (
        "amend-cooperative-command-unknown",
        CooperativeAmended,
        _nothing,
        lambda j: j.amend_cooperative("EC9", name="x"),
        UnknownReferenceError,
        "cooperative",
        "EC9",
        (),
    ),
    (
        "amend-cooperative-command-id",
        CooperativeAmended,
        _nothing,
        lambda j: j.amend_cooperative("EC1", id="EC2"),
        InvalidValueError,
        "id",
        "EC2",
        (),
    ),
    (
        "amend-cooperative-command-unknown-field",
        CooperativeAmended,
        _nothing,
        lambda j: j.amend_cooperative("EC1", grid="B1"),
        InvalidValueError,
        "grid",
        "B1",
        ("Cooperative",),
    ),
    (
        "amend-to-a-team-with-filings",
        OrganizationAmended,
        _nothing,
        lambda j: j.amend_org("G1", kind="volunteer_team"),
        StateError,
        "org.kind",
        "volunteer_team",
        ("filed",),
    ),
    (
        "amend-away-from-attachments",
        OrganizationAmended,
        lambda j: (
            j.found_org("T1", "branch", "临时", parent="C1", kind="temporary"),
            j.attach_member("P5", "T1"),
        ),
        lambda j: j.amend_org("T1", kind="grid"),
        StateError,
        "org.kind",
        "grid",
        ("attached",),
    ),
    (
        "amend-unknown-household",
        HouseholdAmended,
        _nothing,
        lambda j: j.apply(HouseholdAmended(Household("H9"))),
        UnknownReferenceError,
        "household.id",
        "H9",
        (),
    ),
    (
        "amend-household-command-unknown",
        HouseholdAmended,
        _nothing,
        lambda j: j.amend_household("H9", building="x"),
        UnknownReferenceError,
        "household",
        "H9",
        (),
    ),
    (
        "amend-household-command-id",
        HouseholdAmended,
        _nothing,
        lambda j: j.amend_household("H1", id="H2"),
        InvalidValueError,
        "id",
        "H2",
        (),
    ),
    (
        "amend-household-command-bad-plaque",
        HouseholdAmended,
        _nothing,
        lambda j: j.amend_household("H1", party_household="gold"),
        InvalidValueError,
        "party_household",
        "gold",
        (),
    ),
    # -- registration
    (
        "register-unknown-person",
        MemberRegistered,
        _nothing,
        lambda j: j.register("P9", "C1"),
        UnknownReferenceError,
        "registration.person",
        "P9",
        (),
    ),
    (
        "register-unknown-community",
        MemberRegistered,
        _nothing,
        lambda j: j.register("P6", "C9"),
        UnknownReferenceError,
        "registration.community",
        "C9",
        (),
    ),
    (
        "register-twice",
        MemberRegistered,
        _nothing,
        lambda j: j.register("P5", "C2"),
        StateError,
        "registration.person",
        "P5",
        ("already registered", "'C1'"),
    ),
    (
        "deregister-unregistered",
        MemberDeregistered,
        _nothing,
        lambda j: j.deregister("P6"),
        StateError,
        "person",
        "P6",
        ("not registered",),
    ),
    # -- filing
    (
        "file-unknown-person",
        MemberFiled,
        _nothing,
        lambda j: j.file_member("P9", "G1"),
        UnknownReferenceError,
        "filing.person",
        "P9",
        (),
    ),
    (
        "file-into-unknown-org",
        MemberFiled,
        _nothing,
        lambda j: j.file_member("P6", "G9"),
        UnknownReferenceError,
        "filing.org",
        "G9",
        (),
    ),
    (
        "file-outside-filing-level",
        MemberFiled,
        _nothing,
        lambda j: j.file_member("P6", "B1"),
        HierarchyError,
        "filing.org",
        "B1",
        ("'branch'", "'group'"),
    ),
    (
        "file-into-zone",
        MemberFiled,
        _nothing,
        lambda j: j.file_member("P6", "Z1"),
        HierarchyError,
        "filing.org",
        "Z1",
        ("'zone'",),
    ),
    (
        "file-twice",
        MemberFiled,
        _nothing,
        lambda j: j.file_member("P5", "G2"),
        StateError,
        "filing.person",
        "P5",
        ("already filed", "'G1'"),
    ),
    (
        "unfile-unfiled",
        MemberUnfiled,
        _nothing,
        lambda j: j.unfile_member("P6"),
        StateError,
        "person",
        "P6",
        ("not filed",),
    ),
    (
        "transfer-unfiled",
        MemberTransferred,
        _nothing,
        lambda j: j.transfer_member("P6", "G1"),
        StateError,
        "person",
        "P6",
        ("not filed",),
    ),
    (
        "transfer-to-unknown-org",
        MemberTransferred,
        _nothing,
        lambda j: j.transfer_member("P5", "G9"),
        UnknownReferenceError,
        "org",
        "G9",
        (),
    ),
    (
        "transfer-outside-filing-level",
        MemberTransferred,
        _nothing,
        lambda j: j.transfer_member("P5", "Z1"),
        HierarchyError,
        "org",
        "Z1",
        ("'zone'", "'group'"),
    ),
    (
        "transfer-to-same-org",
        MemberTransferred,
        _nothing,
        lambda j: j.transfer_member("P5", "G1"),
        StateError,
        "org",
        "G1",
        ("already filed",),
    ),
    # -- claims
    (
        "claim-by-unknown-person",
        ZoneClaimed,
        _nothing,
        lambda j: j.claim_zone("P9", "Z1"),
        UnknownReferenceError,
        "claim.person",
        "P9",
        (),
    ),
    (
        "claim-unknown-zone",
        ZoneClaimed,
        _nothing,
        lambda j: j.claim_zone("P6", "Z9"),
        UnknownReferenceError,
        "claim.zone",
        "Z9",
        (),
    ),
    (
        "claim-non-zone",
        ZoneClaimed,
        _nothing,
        lambda j: j.claim_zone("P6", "G1"),
        HierarchyError,
        "claim.zone",
        "G1",
        ("'group'", "'zone'"),
    ),
    (
        "claim-twice",
        ZoneClaimed,
        _nothing,
        lambda j: j.claim_zone("P5", "Z1"),
        StateError,
        "claim.zone",
        "Z1",
        ("'P5'", "already claims"),
    ),
    (
        "release-unclaimed",
        ZoneReleased,
        _nothing,
        lambda j: j.release_zone("P5", "Z3"),
        StateError,
        "zone",
        "Z3",
        ("'P5'", "does not claim"),
    ),
    # -- posts
    (
        "post-in-unknown-org",
        PostAssigned,
        _nothing,
        lambda j: j.appoint("X9", "secretary", "P6"),
        UnknownReferenceError,
        "post.org",
        "X9",
        (),
    ),
    (
        "post-for-unknown-person",
        PostAssigned,
        _nothing,
        lambda j: j.appoint("B2", "secretary", "P9"),
        UnknownReferenceError,
        "post.holder",
        "P9",
        (),
    ),
    (
        "post-appointed-by-unknown-org",
        PostAssigned,
        _nothing,
        lambda j: j.appoint("B2", "first_secretary", "P1", appointed_by="S9"),
        UnknownReferenceError,
        "post.appointed_by",
        "S9",
        (),
    ),
    (
        "post-held-twice",
        PostAssigned,
        _nothing,
        lambda j: j.appoint("B1", "secretary", "P3"),
        StateError,
        "post.holder",
        "P3",
        ("secretary", "'B1'"),
    ),
    (
        "post-bad-role",
        PostAssigned,
        _nothing,
        lambda j: j.appoint("B2", "chairman", "P6"),
        InvalidValueError,
        "role",
        "chairman",
        (),
    ),
    (
        "vacate-post-not-held",
        PostVacated,
        _nothing,
        lambda j: j.vacate("B1", "secretary", "P5"),
        StateError,
        "holder",
        "P5",
        ("secretary", "'B1'"),
    ),
    (
        "attach-to-a-grid-branch",
        MemberAttached,
        _nothing,
        lambda j: j.attach_member("P6", "B1"),
        HierarchyError,
        "attachment.org",
        "B1",
        ("grid organization", "file the member")[:1],
    ),
    (
        "attach-twice",
        MemberAttached,
        lambda j: (_temporary(j), j.attach_member("P6", "T1")),
        lambda j: j.attach_member("P6", "T1"),
        StateError,
        "attachment.org",
        "T1",
        ("already attached",),
    ),
    (
        "attach-unknown-person",
        MemberAttached,
        _temporary,
        lambda j: j.attach_member("P9", "T1"),
        UnknownReferenceError,
        "attachment.person",
        "P9",
        (),
    ),
    (
        "detach-not-attached",
        MemberDetached,
        _temporary,
        lambda j: j.detach_member("P6", "T1"),
        StateError,
        "org",
        "T1",
        ("not attached",),
    ),
    (
        "vacate-before-since",
        PostVacated,
        lambda j: j.appoint("B2", "secretary", "P6", since="2021-06-01"),
        lambda j: j.vacate("B2", "secretary", "P6", until="2021-05-01"),
        StateError,
        "until",
        "2021-05-01",
        ("before taking it on 2021-06-01",),
    ),
    (
        "file-into-a-team",
        MemberFiled,
        lambda j: j.found_org("V1", "group", "党员志愿队", parent="B2", kind="volunteer_team"),
        lambda j: j.file_member("P6", "V1"),
        HierarchyError,
        "filing.org",
        "V1",
        ("service team", "attached"),
    ),
    (
        "dissolve-with-work-registration",
        OrganizationDissolved,
        lambda j: (
            j.found_org("C3", "community", "C3", parent="S1"),
            j.register("P6", "C3", kind="work_unit"),
        ),
        lambda j: j.apply(OrganizationDissolved("C3")),
        NotEmptyError,
        "org",
        "C3",
        ("work-unit registration",),
    ),
    # -- not an event at all
    (
        "apply-non-event",
        None,
        _nothing,
        lambda j: j.apply("OrganizationFounded"),  # type: ignore[arg-type]
        InvalidValueError,
        "event",
        "OrganizationFounded",
        ("not a gridgov event",),
    ),
    (
        "apply-base-event",
        None,
        _nothing,
        lambda j: j.apply(Event()),
        InvalidValueError,
        "event",
        Event(),
        (),
    ),
]


def test_every_event_type_has_a_rejection_test() -> None:
    assert {case[1] for case in REJECT_CASES} - {None} == set(_HANDLERS)
    assert len({case[0] for case in REJECT_CASES}) == len(REJECT_CASES)


@pytest.mark.parametrize(
    ("setup", "action", "error", "field", "value", "fragments"),
    [case[2:] for case in REJECT_CASES],
    ids=[case[0] for case in REJECT_CASES],
)
def test_rejected(
    five_level: Jurisdiction,
    rejected: Rejected,
    setup: Callable[[Jurisdiction], object],
    action: Callable[[Jurisdiction], object],
    error: type[GridGovError],
    field: str,
    value: object,
    fragments: tuple[str, ...],
) -> None:
    setup(five_level)
    with rejected(five_level, error, field, value, *fragments):
        action(five_level)


def test_errors_are_integrity_errors() -> None:
    for cls in (DuplicateIdError, HierarchyError, StateError, NotEmptyError, UnknownReferenceError):
        assert issubclass(cls, IntegrityError)
        assert issubclass(cls, GridGovError)
    assert issubclass(NotEmptyError, StateError)


def test_three_level_structure_errors(three_level: Jurisdiction, rejected: Rejected) -> None:
    with rejected(three_level, HierarchyError, "filing.org", "M1", "'grid'"):
        three_level.file_member("P1", "M1")
    with rejected(three_level, HierarchyError, "org.parent", "V1", "'grid'"):
        three_level.found_org("M9", "member_household", "x", parent="V1")
    with rejected(three_level, HierarchyError, "org.level", "zone"):
        three_level.found_org("Z1", "zone", "x", parent="GR1")
    with rejected(three_level, HierarchyError, "claim.zone", "GR1", "'member_household'"):
        three_level.claim_zone("P1", "GR1")
    with rejected(three_level, HierarchyError, "org.id", "V2", "second root"):
        three_level.found_org("V2", "community", "x")


# -- apply_all and replay -------------------------------------------------------------------


def test_apply_all_applies_everything(five_level: Jurisdiction) -> None:
    events = [
        OrganizationFounded(Organization("Z4", "zone", "x", parent="G3")),
        HouseholdAssigned("H4", "Z4"),
        MemberFiled(Filing("P6", "G3")),
    ]
    assert five_level.apply_all(events) == 3
    assert list(five_level.log)[-3:] == events
    assert five_level.households_in("Z4") == ["H4"]
    assert five_level.apply_all([]) == 0


@pytest.mark.parametrize("bad_at", [0, 1, 3])
def test_apply_all_failure_restores_state(five_level: Jurisdiction, bad_at: int) -> None:
    good: list[Event] = [
        OrganizationFounded(Organization("Z4", "zone", "x", parent="G3")),
        HouseholdAssigned("H4", "Z4"),
        MemberFiled(Filing("P6", "G3")),
        ZoneClaimed(Claim("P6", "Z4")),
    ]
    bad = MemberFiled(Filing("P5", "G3"))  # P5 is filed already
    events = [*good[:bad_at], bad, *good[bad_at:]]
    before = dump(five_level)
    version = five_level.version
    log = list(five_level.log)
    with pytest.raises(StateError) as info:
        five_level.apply_all(events)
    assert info.value.index == bad_at  # type: ignore[attr-defined]
    assert dump(five_level) == before
    assert five_level.version == version
    assert len(five_level.log) == version
    assert list(five_level.log) == log
    assert Jurisdiction.replay(five_level.log) == five_level
    assert "Z4" not in five_level.organizations
    assert five_level.filed_in("P6") is None
    # the restored jurisdiction goes on working
    five_level.file_member("P6", "G3")
    assert five_level.graph.members("C2") == ["P6"]


def test_apply_all_failure_restores_views_taken_before(five_level: Jurisdiction) -> None:
    log, graph, people, orgs = (
        five_level.log,
        five_level.graph,
        five_level.people,
        five_level.organizations,
    )
    version = len(log)
    with pytest.raises(DuplicateIdError):
        five_level.apply_all(
            [
                PersonAdded(Person("P7", "x")),
                OrganizationFounded(Organization("Z4", "zone", "x", parent="G3")),
                MemberFiled(Filing("P6", "G3")),
                PersonAdded(Person("P7", "again")),
            ]
        )
    assert len(log) == version
    assert "P7" not in people
    assert "Z4" not in orgs
    assert "Z4" not in graph
    assert graph.children("G3") == []
    assert graph.members("C2") == []
    assert Jurisdiction.replay(log) == five_level


def test_apply_all_restores_on_a_non_event(five_level: Jurisdiction) -> None:
    before = dump(five_level)
    with pytest.raises(InvalidValueError) as info:
        five_level.apply_all([OrganizationRenamed("B2", "y"), object()])  # type: ignore[list-item]
    assert info.value.index == 1  # type: ignore[attr-defined]
    assert dump(five_level) == before
    assert five_level.organizations["B2"].name == "石马网格党支部"


def test_apply_all_keeps_the_id_factory(five_level: Jurisdiction) -> None:
    ids = five_level._ids
    with pytest.raises(GridGovError):
        five_level.apply_all([OrganizationRenamed("B2", "y"), OrganizationRenamed("X9", "y")])
    assert five_level._ids is ids
    made = five_level.found_org(None, "group", "x", parent="B2").org.id
    assert made.startswith("G")
    assert made not in ("G1", "G2", "G3")


def test_replay_failure_names_the_position(five_level: Jurisdiction) -> None:
    events = [*five_level.log, OrganizationDissolved("S1")]
    with pytest.raises(NotEmptyError) as info:
        Jurisdiction.replay(events)
    assert info.value.index == len(events) - 1  # type: ignore[attr-defined]


def test_replay_and_copy(five_level: Jurisdiction) -> None:
    replayed = Jurisdiction.replay(five_level.log)
    assert replayed == five_level
    assert replayed.version == five_level.version
    assert list(replayed.log) == list(five_level.log)
    copy = five_level.copy()
    assert copy == five_level
    copy.rename_org("B2", "改名")
    assert copy != five_level
    assert five_level.organizations["B2"].name == "石马网格党支部"


# -- equality, views, ids -----------------------------------------------------------------------


def test_equality_is_by_state_not_history() -> None:
    a = Jurisdiction()
    a.found_org("S1", "street", "S")
    a.add_person("P1", "x")
    b = Jurisdiction()
    b.add_person("P1", "y")
    b.found_org("S1", "street", "S")
    assert a != b
    b.amend_person("P1", name="x")
    assert a == b
    assert a.version != b.version
    assert a != "not a jurisdiction"
    assert (a == object()) is False
    with pytest.raises(TypeError):
        hash(a)


def test_equality_sees_every_part(make_five_level: Callable[[], Jurisdiction]) -> None:
    base = make_five_level()
    changes: list[Callable[[Jurisdiction], object]] = [
        lambda j: j.set_policy(max_branch_members=40),
        lambda j: j.set_as_of(None),
        lambda j: j.rename_org("G3", "x"),
        lambda j: j.amend_person("P6", name="x"),
        lambda j: j.add_household("H9"),
        lambda j: j.assign_household("H4", "Z2"),
        lambda j: j.amend_cooperative("EC1", name="x"),
        lambda j: j.register("P6", "C2"),
        lambda j: j.file_member("P6", "G3"),
        lambda j: j.claim_zone("P6", "Z3"),
        lambda j: j.appoint("G3", "group_leader", "P6"),
    ]
    for change in changes:
        other = make_five_level()
        change(other)
        assert other != base


def test_read_only_views(five_level: Jurisdiction) -> None:
    log = five_level.log
    assert len(log) == five_level.version
    assert isinstance(log[-1], AsOfSet)
    assert isinstance(log[0:2], tuple)
    assert len(log[0:2]) == 2
    assert "event log" in repr(log)
    assert not hasattr(log, "append")
    for view in (
        five_level.people,
        five_level.households,
        five_level.cooperatives,
        five_level.registrations,
        five_level.filings,
        five_level.claims,
        five_level.posts,
        five_level.zone_of_household,
    ):
        with pytest.raises(TypeError):
            view["X"] = None  # type: ignore[index]
    orgs = five_level.organizations
    assert list(orgs)[:2] == ["S1", "C1"]
    assert len(orgs) == 11
    assert "B1" in orgs
    assert "P1" not in orgs
    with pytest.raises(KeyError):
        orgs["P1"]
    with pytest.raises(TypeError):
        orgs["X"] = None  # type: ignore[index]


def test_queries(five_level: Jurisdiction) -> None:
    j = five_level
    assert j.filed_in("P5") == "G1"
    assert j.filed_in("P6") is None
    assert j.households_in("Z1") == ["H1", "H2"]
    assert j.households_in("Z2") == []
    with pytest.raises(UnknownReferenceError):
        j.households_in("Z9")
    assert j.zones_claimed_by("P5") == ["Z1", "Z2"]
    assert j.zones_claimed_by("P6") == []
    assert j.claimants("Z3") == ["P4"]
    assert j.registered_in("C1") == ["P5", "P3"]
    assert j.registered_in("C2") == []
    assert [p.role for p in j.posts_in("B1")] == [
        Role.FIRST_SECRETARY,
        Role.GRID_LEADER,
        Role.GRID_LEADER,
        Role.SECRETARY,
    ]
    assert [p.holder for p in j.posts_in("B1", "grid_leader")] == ["P1", "P2"]
    assert j.posts_in("C2") == []
    assert {p.org for p in j.posts_held("P1")} == {"B1"}
    assert j.log == list(j.log)
    assert j.log == tuple(j.log)
    assert j.log != j.log[:-1]
    assert j.posts["B1", Role.FIRST_SECRETARY, "P1"].appointed_by == "S1"
    assert j.zone_of_household == {"H1": "Z1", "H2": "Z1", "H3": "Z3"}
    assert j.as_of == D(2021, 11, 22)
    assert "five-level" in repr(j)
    assert "version=" in repr(j)


@pytest.mark.parametrize(
    ("query", "arg", "field"),
    [
        ("filed_in", "nobody", "person"),
        ("zones_claimed_by", "nobody", "person"),
        ("posts_held", "nobody", "person"),
        ("claimants", "Z9", "zone"),
        ("households_in", "Z9", "zone"),
        ("registered_in", "C9", "community"),
        ("posts_in", "B9", "org"),
        ("members", "B9", "org"),
    ],
)
def test_queries_refuse_unknown_ids(
    five_level: Jurisdiction, query: str, arg: str, field: str
) -> None:
    with pytest.raises(UnknownReferenceError) as info:
        getattr(five_level, query)(arg)
    assert str(info.value).startswith(f"{field}: ")
    assert repr(arg) in str(info.value)


def test_query_refuses_an_unknown_role(five_level: Jurisdiction) -> None:
    with pytest.raises(InvalidValueError, match=r"role: .*'boss'"):
        five_level.posts_in("B1", "boss")
    with pytest.raises(InvalidValueError, match=r"category: .*'bogus'"):
        five_level.people["P5"].has_category("bogus")


def test_sequential_ids() -> None:
    ids = SequentialIds()
    none = Taken(lambda i: False)
    assert ids("street", None, none) == "S1"
    assert ids("branch", "C1", Taken(lambda i: i in {"B1", "B2"})) == "B3"
    assert ids("cooperative", None, none) == "EC1"
    assert ids("ward", None, none) == "O1"  # a level the scheme of prefixes does not know


def test_sequential_ids_consume_nothing_until_used() -> None:
    taken: set[str] = set()
    t = Taken(taken.__contains__)
    ids = SequentialIds()
    assert ids("person", None, t) == ids("person", None, t) == "P1"
    taken.add("P1")
    assert ids("person", None, t) == "P2"


def test_a_refused_command_consumes_no_id() -> None:
    j = Jurisdiction()
    with pytest.raises(UnknownReferenceError):
        j.found_org(None, "community", "C", parent="S9")
    assert j.found_org(None, "street", "S").org.id == "S1"
    assert j.found_org(None, "community", "C", parent="S1").org.id == "C1"


def test_commands_without_ids_use_the_factory() -> None:
    j = Jurisdiction()
    j.add_person("S1", "a person whose id looks like a street's")
    assert j.found_org(None, "street", "S").org.id == "S2"
    assert j.add_person(None, "x").person.id == "P1"
    assert j.add_household().household.id == "H1"
    assert j.add_cooperative(None, "x").cooperative.id == "EC1"
    assert j.found_org(None, "community", "C", parent="S2").org.id == "C1"


def test_custom_id_factory() -> None:
    made: list[str] = []

    def ids(kind: str, parent: str | None, taken: Callable[[str], bool]) -> str:
        new = f"{kind}-{len(made)}"
        assert not taken(new)
        made.append(new)
        return new

    j = Jurisdiction(ids=ids)
    assert j.found_org(None, "street", "S").org.id == "street-0"
    assert j.add_person(None, "x").person.id == "person-1"
    assert Jurisdiction.replay(j.log) == j


def test_inline_scheme_is_recorded() -> None:
    scheme = Scheme(["town", "village"], filing_level="village", zone_level="village")
    j = Jurisdiction(scheme)
    assert j.scheme == scheme
    assert j.log[0] == SchemeSet(scheme)
    assert Jurisdiction().version == 0  # the default scheme records nothing
    j.found_org("T1", "town", "镇")
    j.found_org("V1", "village", "村", parent="T1")
    j.add_person("P1", "x", status="full")
    j.file_member("P1", "V1")
    j.claim_zone("P1", "V1")
    assert Jurisdiction.replay(j.log) == j


def test_amend_org_command_keeps_identity(five_level: Jurisdiction) -> None:
    event = five_level.amend_org("B2", kind=OrgKind.FUNCTIONAL, term_start=D(2022, 1, 1))
    assert event.org.kind is OrgKind.FUNCTIONAL
    assert five_level.organizations["B2"].parent == "C2"
    assert five_level.organizations["B2"].term_start == D(2022, 1, 1)


def test_person_membership_changes(five_level: Jurisdiction) -> None:
    five_level.amend_person("P2", party=PartyMembership("probationary"))
    assert five_level.people["P2"].is_member
    five_level.amend_person("P2", party=None)
    assert not five_level.people["P2"].is_member


# -- registrations name a community; copies own their ids -------------------------------------


@pytest.mark.parametrize("org", ["S1", "B1", "G1", "Z1"])
def test_registration_outside_the_community_level_is_refused(five_level, rejected, org):
    person = next(p for p in five_level.people if p not in five_level.registrations)
    with rejected(five_level, HierarchyError, "registration.community", org, "community"):
        five_level.register(person, org)


def test_registration_in_a_scheme_without_communities_is_at_the_top():
    from gridgov.model import Scheme

    j = Jurisdiction(Scheme(["town", "grid", "home"], filing_level="grid", zone_level="home"))
    j.found_org("T1", "town", "town")
    j.found_org("R1", "grid", "grid", parent="T1")
    j.add_person("P1", "x", status="full")
    j.register("P1", "T1")
    assert j.registrations["P1"].community == "T1"
    j.deregister("P1")
    with pytest.raises(HierarchyError, match="members register at level 'town'"):
        j.register("P1", "R1")


def test_copy_has_its_own_id_counters(five_level):
    twin = five_level.copy()
    made = twin.add_person(None, "new").person.id
    assert five_level.add_person(None, "new").person.id == made
