"""Value objects and enums: construction, validation, conversion, immutability."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest

from gridgov.errors import GridGovError, InvalidValueError, short_repr
from gridgov.model import (
    Category,
    Claim,
    Cooperative,
    Duty,
    Filing,
    Household,
    Level,
    MemberStatus,
    Organization,
    OrgKind,
    PartyHousehold,
    PartyMembership,
    Person,
    Post,
    Registration,
    RegistrationKind,
    Role,
)
from gridgov.model.values import MAX_ID_LENGTH


def _invalid(info: pytest.ExceptionInfo[InvalidValueError], field: str, value: object) -> None:
    exc = info.value
    assert type(exc) is InvalidValueError
    assert isinstance(exc, GridGovError)
    assert isinstance(exc, ValueError)
    assert exc.field == field
    assert exc.value == value or (exc.value is value)
    message = str(exc)
    assert message.startswith(f"{field}: ")
    assert message.endswith(f"(got {short_repr(value)})")
    assert len(message) < 300, "a long value is shortened in the message"


class TestEnums:
    def test_str_enums_compare_to_their_document_names(self) -> None:
        assert Role.SECRETARY == "secretary"  # type: ignore[comparison-overlap]
        assert Level.MEMBER_HOUSEHOLD == "member_household"  # type: ignore[comparison-overlap]
        assert OrgKind("temporary") is OrgKind.TEMPORARY
        assert MemberStatus("probationary") is MemberStatus.PROBATIONARY
        assert Duty("discipline") is Duty.DISCIPLINE

    def test_design_vocabulary_is_complete(self) -> None:
        assert {m.value for m in OrgKind} == {
            "grid",
            "functional",
            "temporary",
            "joint",
            "general",
            "committee",
            "volunteer_team",
            "commando_team",
            "service_team",
        }
        assert {m.value for m in OrgKind if m.is_team} == {
            "volunteer_team",
            "commando_team",
            "service_team",
        }
        assert {m.value for m in PartyHousehold} == {"member", "central"}
        assert {m.value for m in RegistrationKind} == {"residence", "work_unit"}
        assert {m.value for m in Category} == {
            "residence_registered",
            "sunk",
            "organ",
            "village",
            "employed",
            "without_post",
            "street_cadre",
            "retired",
            "mobile",
        }
        assert {m.value for m in Role} == {
            "secretary",
            "deputy_secretary",
            "committee_member",
            "group_leader",
            "first_secretary",
            "grid_leader",
            "grid_worker",
            "service_team_captain",
            "commander",
            "service_specialist",
        }
        assert {m.value for m in Duty} == {"organization", "propaganda", "discipline"}

    @pytest.mark.parametrize("role", list(Role))
    def test_only_secretary_deputy_and_committee_member_are_elected(self, role: Role) -> None:
        expected = role in {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER}
        assert role.elected is expected


class TestOrganization:
    def test_minimal_and_full(self) -> None:
        org = Organization("B1", "branch", "清湖第一经济社网格党支部")
        assert (org.parent, org.kind, org.cooperative, org.units) == (None, None, None, ())
        full = Organization(
            "B2",
            "branch",
            "联合党支部",
            parent="C1",
            kind="joint",
            cooperative="EC1",
            formed=dt.date(2020, 1, 1),
            term_start=dt.date(2020, 1, 2),
            ends=dt.date(2021, 1, 1),
            units=["U1", "单位二"],
        )
        assert full.kind is OrgKind.JOINT
        assert full.units == ("U1", "单位二")

    def test_id_length_limit(self) -> None:
        assert Organization("x" * MAX_ID_LENGTH, "branch", "n").id == "x" * MAX_ID_LENGTH
        with pytest.raises(InvalidValueError) as info:
            Organization("x" * (MAX_ID_LENGTH + 1), "branch", "n")
        _invalid(info, "id", "x" * (MAX_ID_LENGTH + 1))

    @pytest.mark.parametrize(
        ("kwargs", "field", "value"),
        [
            ({"id": ""}, "id", ""),
            ({"id": 7}, "id", 7),
            ({"id": None}, "id", None),
            ({"level": ""}, "level", ""),
            ({"name": 3}, "name", 3),
            ({"parent": ""}, "parent", ""),
            ({"parent": 1}, "parent", 1),
            ({"kind": "club"}, "kind", "club"),
            ({"cooperative": ""}, "cooperative", ""),
            ({"formed": "2021-9-1"}, "formed", "2021-9-1"),
            ({"formed": dt.date(1899, 12, 31)}, "formed", dt.date(1899, 12, 31)),
            ({"term_start": dt.datetime(2021, 9, 1)}, "term_start", dt.datetime(2021, 9, 1)),
            ({"ends": 20210901}, "ends", 20210901),
            ({"units": "U1"}, "units", "U1"),
            ({"units": ["U1", ""]}, "units", ""),
            ({"units": ["U1", 2]}, "units", 2),
        ],
    )
    def test_invalid_fields_are_named(
        self, kwargs: dict[str, object], field: str, value: object
    ) -> None:
        args: dict[str, object] = {"id": "B1", "level": "branch", "name": "n", **kwargs}
        with pytest.raises(InvalidValueError) as info:
            Organization(**args)  # type: ignore[arg-type]
        _invalid(info, field, value)

    def test_kind_error_lists_the_allowed_kinds(self) -> None:
        with pytest.raises(InvalidValueError, match="grid, functional, temporary"):
            Organization("B1", "branch", "n", kind="club")

    def test_frozen_and_evolve_revalidates(self) -> None:
        org = Organization("B1", "branch", "n")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            org.name = "m"  # type: ignore[misc]
        assert attrs.evolve(org, name="m").name == "m"
        assert org.name == "n"
        with pytest.raises(InvalidValueError):
            attrs.evolve(org, parent="")

    def test_equality_and_hash_by_value(self) -> None:
        a = Organization("B1", "branch", "n", units=["U1"])
        b = Organization("B1", "branch", "n", units=("U1",))
        assert a == b
        assert hash(a) == hash(b)
        assert a != attrs.evolve(a, kind="grid")


class TestPeople:
    def test_membership(self) -> None:
        party = PartyMembership("full", categories=["street_cadre", "sunk"], affiliation="EXT-1")
        p = Person("P1", "邹波", party=party)
        assert p.is_member
        assert p.is_full_member
        assert party.is_full
        assert party.categories == frozenset({Category.STREET_CADRE, Category.SUNK})
        assert p.has_category("street_cadre")
        assert p.has_category(Category.SUNK)
        assert not p.has_category(Category.RETIRED)

    def test_probationary_and_non_member(self) -> None:
        p = Person("P4", "陈", party=PartyMembership(MemberStatus.PROBATIONARY))
        assert p.is_member
        assert not p.is_full_member
        assert not p.party.is_full  # type: ignore[union-attr]
        head = Person("P2", "社长")
        assert not head.is_member
        assert not head.is_full_member
        assert not head.has_category("street_cadre")

    @pytest.mark.parametrize(
        ("kwargs", "field", "value"),
        [
            ({"status": "expelled"}, "status", "expelled"),
            ({"status": "full", "categories": "sunk"}, "categories", "sunk"),
            ({"status": "full", "categories": ["sunk", "boss"]}, "categories", "boss"),
            ({"status": "full", "affiliation": ""}, "affiliation", ""),
            ({"status": "full", "joined": "1999"}, "joined", "1999"),
        ],
    )
    def test_invalid_membership(self, kwargs: dict[str, object], field: str, value: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            PartyMembership(**kwargs)  # type: ignore[arg-type]
        _invalid(info, field, value)

    @pytest.mark.parametrize(
        ("kwargs", "field", "value"),
        [
            ({"id": ""}, "id", ""),
            ({"name": None}, "name", None),
            ({"party": "full"}, "party", "full"),
            ({"household": 5}, "household", 5),
        ],
    )
    def test_invalid_person(self, kwargs: dict[str, object], field: str, value: object) -> None:
        args: dict[str, object] = {"id": "P1", "name": "n", **kwargs}
        with pytest.raises(InvalidValueError) as info:
            Person(**args)  # type: ignore[arg-type]
        _invalid(info, field, value)


class TestHouseholdAndCooperative:
    def test_location_is_a_float_pair(self) -> None:
        h = Household("H1", building="1栋", address="路1号", location=[1, 2])
        assert h.location == (1.0, 2.0)
        assert all(isinstance(c, float) for c in h.location)
        assert Household("H2").location is None

    @pytest.mark.parametrize(
        "location", [(1.0,), (1.0, 2.0, 3.0), ("a", 1.0), 5, (math.inf, 0.0), (0.0, math.nan)]
    )
    def test_bad_location(self, location: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            Household("H1", location=location)
        assert info.value.field == "location"
        assert str(info.value).startswith("location: ")

    @pytest.mark.parametrize(("field", "value"), [("building", 1), ("address", b"x"), ("id", "")])
    def test_bad_household_fields(self, field: str, value: object) -> None:
        args: dict[str, object] = {"id": "H1", field: value}
        with pytest.raises(InvalidValueError) as info:
            Household(**args)  # type: ignore[arg-type]
        _invalid(info, field, value)

    @pytest.mark.parametrize("field", ["id", "community", "head", "branch_secretary"])
    def test_bad_cooperative_ids(self, field: str) -> None:
        args: dict[str, object] = {"id": "EC1", "name": "社", field: ""}
        with pytest.raises(InvalidValueError) as info:
            Cooperative(**args)  # type: ignore[arg-type]
        _invalid(info, field, "")
        c = Cooperative("EC1", "社", community="C1", head="P2", branch_secretary="P3")
        assert (c.community, c.head, c.branch_secretary) == ("C1", "P2", "P3")


class TestRelations:
    def test_registration_filing_claim(self) -> None:
        d = dt.date(2021, 9, 10)
        assert Registration("P5", "C1", d).date == d
        assert Filing("P5", "G1").date is None
        assert Claim("P5", "Z1", d) == Claim("P5", "Z1", d)

    @pytest.mark.parametrize("cls", [Registration, Filing, Claim])
    def test_relation_checks(self, cls: type) -> None:
        with pytest.raises(InvalidValueError) as info:
            cls("", "X1")
        _invalid(info, "person", "")
        with pytest.raises(InvalidValueError) as info:
            cls("P1", "X1", 20210101)
        _invalid(info, "date", 20210101)
        assert cls("P1", "X1", "2021-01-01").date == dt.date(2021, 1, 1)

    def test_post(self) -> None:
        post = Post("B1", "committee_member", "P3", duty="propaganda", appointed_by="S1")
        assert post.role is Role.COMMITTEE_MEMBER
        assert post.duty is Duty.PROPAGANDA
        assert post.key == ("B1", Role.COMMITTEE_MEMBER, "P3")

    @pytest.mark.parametrize(
        ("kwargs", "field", "value"),
        [
            ({"role": "boss"}, "role", "boss"),
            ({"duty": "cooking"}, "duty", "cooking"),
            ({"holder": ""}, "holder", ""),
            ({"appointed_by": ""}, "appointed_by", ""),
            ({"since": dt.datetime(2021, 1, 1, 8)}, "since", dt.datetime(2021, 1, 1, 8)),
        ],
    )
    def test_invalid_post(self, kwargs: dict[str, object], field: str, value: object) -> None:
        args: dict[str, object] = {"org": "B1", "role": "secretary", "holder": "P1", **kwargs}
        with pytest.raises(InvalidValueError) as info:
            Post(**args)  # type: ignore[arg-type]
        _invalid(info, field, value)
