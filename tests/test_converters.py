"""The cattrs converter: canonical unstructuring, strict structuring, events by type tag."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from gridgov.converters import (
    problems_of,
    structure,
    structure_event,
    structure_scheme,
    try_structure,
    unstructure,
    unstructure_event,
    unstructure_scheme,
)
from gridgov.errors import DocumentError, InvalidValueError
from gridgov.model import (
    EVENT_TYPES,
    FIVE_LEVEL,
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
    Scheme,
    SchemeSet,
    ZoneClaimed,
    ZoneReleased,
)

D = dt.date
INLINE = Scheme(
    ["town", "village", "cooperative"], filing_level="village", zone_level="cooperative"
)

SAMPLE_EVENTS: dict[type[Event], list[Event]] = {
    SchemeSet: [SchemeSet(FIVE_LEVEL), SchemeSet(THREE_LEVEL), SchemeSet(INLINE)],
    PolicyChanged: [PolicyChanged(Policy()), PolicyChanged(Policy(committee_threshold=9))],
    AsOfSet: [AsOfSet(D(2021, 11, 22)), AsOfSet(None)],
    OrganizationFounded: [
        OrganizationFounded(Organization("S1", "street", "均禾街党工委")),
        OrganizationFounded(
            Organization(
                "B1",
                "branch",
                "联合党支部",
                parent="C1",
                kind="joint",
                cooperative="EC1",
                formed=D(2021, 9, 1),
                term_start=D(2021, 9, 2),
                ends=D(2022, 3, 1),
                units=("U1", "单位二"),
            )
        ),
    ],
    OrganizationAmended: [OrganizationAmended(Organization("B1", "branch", "n", kind="general"))],
    OrganizationRenamed: [OrganizationRenamed("B1", "新名字"), OrganizationRenamed("B1", "")],
    OrganizationReparented: [
        OrganizationReparented("G1", "B2"),
        OrganizationReparented("G1", None),
    ],
    OrganizationDissolved: [OrganizationDissolved("G1")],
    HouseholdAdded: [
        HouseholdAdded(Household("H1")),
        HouseholdAdded(Household("H2", building="1栋", address="路1号", location=(-1.5, 1e-9))),
    ],
    HouseholdAssigned: [HouseholdAssigned("H1", "Z1"), HouseholdAssigned("H1", None)],
    PersonAdded: [
        PersonAdded(Person("P2", "某社长")),
        PersonAdded(
            Person(
                "P1",
                "邹波",
                party=PartyMembership(
                    "full",
                    categories={"street_cadre", "sunk"},
                    affiliation="EXT-1",
                    joined=D(1990, 7, 1),
                ),
                household="H1",
            )
        ),
    ],
    HouseholdAmended: [HouseholdAmended(Household("H1", party_household="central"))],
    PersonAmended: [PersonAmended(Person("P4", "x", party=PartyMembership("probationary")))],
    PersonRemoved: [PersonRemoved("P4")],
    CooperativeAdded: [
        CooperativeAdded(Cooperative("EC1", "社", community="C1", head="P2", branch_secretary="P3"))
    ],
    CooperativeAmended: [CooperativeAmended(Cooperative("EC1", "社"))],
    MemberRegistered: [
        MemberRegistered(Registration("P5", "C1")),
        MemberRegistered(Registration("P5", "C1", D(2021, 9, 10))),
    ],
    MemberDeregistered: [MemberDeregistered("P5")],
    MemberFiled: [MemberFiled(Filing("P5", "G1", D(2021, 9, 12)))],
    MemberUnfiled: [MemberUnfiled("P5")],
    MemberTransferred: [
        MemberTransferred("P5", "G2"),
        MemberTransferred("P5", "G2", D(2022, 1, 1)),
    ],
    ZoneClaimed: [ZoneClaimed(Claim("P5", "Z1")), ZoneClaimed(Claim("P5", "Z1", D(2021, 1, 1)))],
    ZoneReleased: [ZoneReleased("P5", "Z1")],
    PostAssigned: [
        PostAssigned(Post("B1", "first_secretary", "P1", appointed_by="S1", since=D(2021, 11, 22))),
        PostAssigned(Post("B1", "committee_member", "P3", duty="discipline")),
    ],
    PostVacated: [
        PostVacated("B1", "grid_leader", "P2"),
        PostVacated("B1", "secretary", "P3", D(2022, 1, 1)),
    ],
    MemberAttached: [
        MemberAttached(Attachment("P5", "T1")),
        MemberAttached(Attachment("P5", "T1", D(2020, 2, 1), extensions={"x-team": "东头"})),
    ],
    MemberDetached: [MemberDetached("P5", "T1"), MemberDetached("P5", "T1", D(2020, 6, 30))],
}


def test_samples_cover_every_event_type() -> None:
    assert set(SAMPLE_EVENTS) == set(EVENT_TYPES.values())


@pytest.mark.parametrize(
    "event",
    [e for events in SAMPLE_EVENTS.values() for e in events],
    ids=lambda e: type(e).__name__,
)
def test_event_round_trip(event: Event) -> None:
    data = unstructure_event(event)
    assert data["type"] == type(event).__name__
    assert next(iter(data)) == "type"
    text = json.dumps(data, ensure_ascii=False)  # JSON-ready
    back = structure_event(json.loads(text))
    assert back == event
    assert type(back) is type(event)
    assert unstructure_event(back) == data


def test_event_shapes() -> None:
    assert unstructure_event(SchemeSet(THREE_LEVEL)) == {
        "type": "SchemeSet",
        "scheme": "three-level",
    }
    assert unstructure_event(PolicyChanged(Policy(max_branch_members=60))) == {
        "type": "PolicyChanged",
        "policy": {"max_branch_members": 60},
    }
    assert unstructure_event(AsOfSet(None)) == {"type": "AsOfSet", "as_of": None}
    assert unstructure_event(PostVacated("B1", "secretary", "P3")) == {
        "type": "PostVacated",
        "schema_version": 2,
        "org": "B1",
        "role": "secretary",
        "holder": "P3",
    }
    # a version-1 payload (written before vacating had a date) reads as version 2
    old = {"type": "PostVacated", "org": "B1", "role": "secretary", "holder": "P3"}
    assert structure_event(old) == PostVacated("B1", "secretary", "P3")
    assert unstructure_event(MemberTransferred("P5", "G2")) == {
        "type": "MemberTransferred",
        "person": "P5",
        "org": "G2",
    }


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ({"type": "Nope"}, "type", "unknown event type 'Nope'"),
        ({}, "type", "unknown event type None"),
        ({"type": 3}, "type", "unknown event type 3"),
        ({"type": "MemberUnfiled"}, "MemberUnfiled.person", "is required"),
        ({"type": "MemberUnfiled", "person": 5}, "MemberUnfiled.person", "must be a string"),
        ({"type": "MemberUnfiled", "person": "P1", "extra": 1}, "MemberUnfiled", "unknown key"),
        ({"type": "AsOfSet", "as_of": "22/11/2021"}, "AsOfSet.as_of", "YYYY-MM-DD"),
        (
            {"type": "PostVacated", "org": "B1", "role": "boss", "holder": "P1"},
            "PostVacated.role",
            "boss",
        ),
        (
            {"type": "PolicyChanged", "policy": {"quorum": 3}},
            "PolicyChanged.policy.quorum",
            "unknown policy",
        ),
        ({"type": "SchemeSet", "scheme": "nine-level"}, "SchemeSet.scheme", "unknown scheme"),
        (
            {"type": "MemberFiled", "filing": {"person": "P1", "org": ""}},
            "MemberFiled.filing.org",
            "non-empty",
        ),
    ],
)
def test_structure_event_errors(data: dict[str, Any], path: str, fragment: str) -> None:
    with pytest.raises(DocumentError) as info:
        structure_event(data)
    paths = [p.path for p in info.value.problems]
    assert path in paths
    assert any(fragment in p.message for p in info.value.problems), info.value.problems


def test_structure_event_needs_an_object() -> None:
    with pytest.raises(DocumentError, match="an event must be an object"):
        structure_event(["MemberUnfiled"])  # type: ignore[arg-type]


def test_unstructure_values_omits_defaults() -> None:
    assert unstructure(Organization("S1", "street", "S")) == {
        "id": "S1",
        "level": "street",
        "name": "S",
    }
    assert unstructure(
        Organization("T1", "branch", "T", parent="C1", kind="temporary", ends=D(2020, 6, 30))
    ) == {
        "id": "T1",
        "level": "branch",
        "name": "T",
        "parent": "C1",
        "kind": "temporary",
        "ends": "2020-06-30",
    }
    assert unstructure(Organization("J1", "branch", "J", units=("A", "B")))["units"] == ["A", "B"]
    assert unstructure(Person("P1", "x", party=PartyMembership("full"))) == {
        "id": "P1",
        "name": "x",
        "party": {"status": "full"},
    }
    assert unstructure(PartyMembership("full", ["sunk", "employed", "organ"]))["categories"] == [
        "employed",
        "organ",
        "sunk",
    ]
    assert unstructure(Household("H1", location=(1, 2))) == {"id": "H1", "location": [1.0, 2.0]}
    assert unstructure(Post("G1", "committee_member", "P1", duty="organization")) == {
        "org": "G1",
        "role": "committee_member",
        "holder": "P1",
        "duty": "organization",
    }


def test_schemes() -> None:
    assert unstructure_scheme(FIVE_LEVEL) == "five-level"
    assert unstructure(THREE_LEVEL) == "three-level"
    assert unstructure_scheme(INLINE) == {
        "levels": ["town", "village", "cooperative"],
        "filing_level": "village",
        "zone_level": "cooperative",
    }
    named = Scheme(
        ["a", "b"], filing_level="a", zone_level="b", branch_level="a", name="five-level"
    )
    data = unstructure_scheme(named)
    assert data == {
        "name": "five-level",
        "levels": ["a", "b"],
        "filing_level": "a",
        "zone_level": "b",
        "branch_level": "a",
    }
    assert structure_scheme(data) == named
    assert structure_scheme("five-level") is FIVE_LEVEL
    assert structure_scheme(unstructure_scheme(INLINE)) == INLINE


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (5, "scheme"),
        (["five-level"], "scheme"),
        ({"levels": ["a", "b"], "filing_level": "a"}, "scheme.zone_level"),
        ({"levels": "ab", "filing_level": "a", "zone_level": "b"}, "scheme.levels"),
        ({"levels": ["a", 1], "filing_level": "a", "zone_level": "a"}, "scheme.levels"),
        ({"levels": ["a", "b"], "filing_level": 1, "zone_level": "b"}, "scheme.filing_level"),
        (
            {"levels": ["a", "b"], "filing_level": "a", "zone_level": "b", "branch_level": 2},
            "scheme.branch_level",
        ),
        ({"levels": ["a", "b"], "filing_level": "a", "zone_level": "b", "x": 1}, "scheme"),
        ({"levels": ["a"], "filing_level": "a", "zone_level": "a"}, "scheme.levels"),
    ],
)
def test_structure_scheme_errors(value: object, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        structure_scheme(value)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("data", "cls", "expected"),
    [
        ({"person": "P1", "org": 7}, Filing, [("f.org", "must be a string (got 7)")]),
        ({"person": "P1"}, Filing, [("f.org", "is required")]),
        ({"person": "P1", "org": "G1", "dates": 1}, Filing, [("f", "unknown key dates")]),
        (
            {"person": "P1", "org": "G1", "date": "2021-02-30"},
            Filing,
            [("f.date", "is not a valid date (got '2021-02-30')")],
        ),
        (
            {"person": "P1", "org": "G1", "date": 20210101},
            Filing,
            [("f.date", "must be a date written YYYY-MM-DD (got 20210101)")],
        ),
        (
            {"id": "H1", "location": [1, True]},
            Household,
            [("f.location", "must be a number (got True)")],
        ),
        (
            {"id": "H1", "location": [1, 2, 3]},
            Household,
            [("f.location", "must be a pair of numbers [x, y] (got [1, 2, 3])")],
        ),
        (
            {"id": "P1", "name": "x", "party": {"status": "full", "categories": "sunk"}},
            Person,
            [("f.party.categories", "must be a list of categories (got 'sunk')")],
        ),
        (
            {"id": "P1", "name": "x", "party": "full"},
            Person,
            [("f.party", "must be an object")],
        ),
        (
            {"id": "O1", "level": "branch", "name": "x", "units": [1]},
            Organization,
            [("f.units", "must be a string (got 1)")],
        ),
    ],
)
def test_try_structure_problems(
    data: dict[str, Any], cls: type, expected: list[tuple[str, str]]
) -> None:
    value, problems = try_structure(data, cls, "f")
    assert value is None
    assert [tuple(p) for p in problems] == expected


def test_try_structure_collects_every_problem() -> None:
    value, problems = try_structure({"org": 1, "role": "boss", "holder": None}, Post, "posts[3]")
    assert value is None
    assert {p.path for p in problems} == {"posts[3].org", "posts[3].role", "posts[3].holder"}


def test_try_structure_success() -> None:
    value, problems = try_structure(
        {"id": "P1", "name": "x", "party": {"status": "full", "categories": ["sunk"]}}, Person, "p"
    )
    assert problems == []
    assert value == Person("P1", "x", party=PartyMembership("full", {"sunk"}))


def test_structure_is_strict() -> None:
    with pytest.raises(DocumentError) as info:
        structure({"id": 1, "name": "x"}, Person, "people[0]")
    assert [p.path for p in info.value.problems] == ["people[0].id"]
    with pytest.raises(DocumentError, match="must be an object"):
        structure(["P1"], Person, "people[0]")
    assert structure({"id": "P1", "name": "x"}, Person) == Person("P1", "x")


def test_problems_of_other_exceptions() -> None:
    assert [tuple(p) for p in problems_of(RuntimeError("boom"), "x")] == [("x", "boom")]
    exc = InvalidValueError("status", "nope", "must be one of full, probationary")
    assert [tuple(p) for p in problems_of(exc, "people[0].party")] == [
        ("people[0].party.status", "must be one of full, probationary (got 'nope')")
    ]


def test_long_values_are_shortened_in_problems() -> None:
    _, problems = try_structure({"person": "P1", "org": "G1", "date": "x" * 100}, Filing, "f")
    assert len(problems) == 1
    assert "..." in problems[0].message  # shortened as short_repr does, in the middle
    assert len(problems[0].message) < 140
