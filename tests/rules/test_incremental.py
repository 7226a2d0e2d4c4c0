"""Incremental validation equals full validation, after every event.

The testing kit's state machine (:class:`gridgov.testing.JurisdictionMachine`) applies
random operations and events through :meth:`Validator.apply` (found, amend, dissolve
and re-parent organizations; add and amend people and cooperatives; register, file,
transfer, claim, post; change the policy and the as-of date) and checks after each
step that ``validator.report() == validate(j)``. Events the jurisdiction refuses must
leave both the jurisdiction and the report unchanged.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    rule,
    run_state_machine_as_test,
)

from gridgov.errors import GridGovError
from gridgov.io import load, parse
from gridgov.model import (
    THREE_LEVEL,
    AsOfSet,
    Cooperative,
    CooperativeAmended,
    Event,
    Filing,
    Jurisdiction,
    MemberDeregistered,
    MemberFiled,
    MemberTransferred,
    MemberUnfiled,
    Organization,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationReparented,
    OrgKind,
    PartyMembership,
    Person,
    PersonAmended,
    Policy,
    PolicyChanged,
    Post,
    PostAssigned,
    PostVacated,
    Role,
)
from gridgov.rules import Validator, validate
from gridgov.testing import JurisdictionMachine, jurisdictions

DATES = st.dates(dt.date(2014, 1, 1), dt.date(2026, 12, 31))

CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "policy-override": {"policy": {"max_zones_per_member": 1, "committee_threshold": 4}},
    "selection": {"select": ["GG2", "GG3"], "ignore": ["GG207"], "severity": {"GG202": "E"}},
}


def _three_level() -> Jurisdiction:
    j = Jurisdiction(THREE_LEVEL)
    j.add_person("P1", "甲", status="full")
    j.add_person("P2", "乙", status="probationary")
    j.found_org("V1", "community", "爱国社区党委")
    j.found_org("GR1", "grid", "第一经济社网格", parent="V1")
    j.found_org("M1", "member_household", "甲户", parent="GR1")
    j.register("P1", "V1")
    j.file_member("P1", "GR1")
    j.claim_zone("P1", "M1")
    j.appoint("V1", "secretary", "P1")
    return j


def make_machine(base: dict[str, Any], options: dict[str, Any]) -> type[JurisdictionMachine]:
    """The testing kit's machine, starting from `base`, another start or a generated one.

    :class:`~gridgov.testing.JurisdictionMachine` drives the everyday operations, any
    other command, policy switches and random (mostly illegal) events and batches, and
    checks after each step that incremental validation equals a full one (with
    `options`), and that a refused change leaves the jurisdiction and the report as
    they were.
    """
    starts = st.sampled_from(["base", "three-level", "empty"]).map(
        lambda start: (
            load(base)
            if start == "base"
            else Jurisdiction()
            if start == "empty"
            else _three_level()
        )
    )

    class IncrementalEqualsFull(JurisdictionMachine):
        start_with = st.one_of(starts, jurisdictions(max_branches=2, max_members=4))
        validator_options = MappingProxyType(options)

        @rule(as_of=st.none() | DATES)
        def set_as_of(self, as_of: dt.date | None) -> None:
            self.apply_events([AsOfSet(as_of)])

    return IncrementalEqualsFull


@pytest.mark.parametrize("config", CONFIGS)
def test_incremental_equals_full(kit: Any, config: str) -> None:
    machine = make_machine(kit.base(), CONFIGS[config])
    run_state_machine_as_test(machine, settings=settings(stateful_step_count=30))


# -- explicit sequences ----------------------------------------------------------------------------


def test_each_step_of_a_story_matches_a_full_validation(kit: Any) -> None:
    j = load(kit.base())
    v = Validator(j)
    story: list[tuple[Event, dict[str, int]]] = [
        (MemberUnfiled("P9"), {"GG204": 1, "GG309": 1}),  # B1 drops to 6 full members
        (MemberFiled(Filing("P9", "G1")), {}),
        (MemberTransferred("P7", "G1"), {"GG307": 1, "GG308": 1}),  # G2's leader and claimant
        (MemberTransferred("P7", "G2"), {}),
        (
            PersonAmended(Person("P4", "组织委员", party=PartyMembership("probationary"))),
            {"GG205": 1, "GG204": 1},
        ),
        (PersonAmended(Person("P4", "组织委员", party=PartyMembership("full"))), {}),
        (
            CooperativeAmended(
                Cooperative(
                    "EC1", "清湖第一经济社", community="C1", head="P6", branch_secretary="P3"
                )
            ),
            {"GG305": 1},
        ),
        (PostVacated("B1", Role.GRID_LEADER, "P2"), {"GG304": 1, "GG305": 1}),
        (PostAssigned(Post("B1", Role.GRID_LEADER, "P6")), {}),
        (
            OrganizationAmended(
                Organization(
                    "B1", "branch", "清湖第一经济社网格党支部", "C1", kind=OrgKind.TEMPORARY
                )
            ),
            {"GG209": 1},
        ),
        (
            OrganizationAmended(
                Organization(
                    "B1",
                    "branch",
                    "清湖第一经济社网格党支部",
                    "C1",
                    kind=OrgKind.TEMPORARY,
                    ends=dt.date(2021, 11, 22),
                )
            ),
            {},
        ),
        (AsOfSet(dt.date(2021, 11, 23)), {"GG209": 1}),
        (PolicyChanged(Policy(max_zones_per_member=0)), {"GG209": 1, "GG311": 2}),
        (AsOfSet(None), {"GG311": 2}),
    ]
    for event, codes in story:
        v.apply(event)
        assert v.report() == validate(j), event
        assert v.report().count_by_code() == codes, event


def test_a_refused_event_changes_nothing(kit: Any) -> None:
    j = load(kit.base())
    v = Validator(j)
    v.apply(MemberUnfiled("P9"))
    before, version = v.report(), j.version
    for event in (
        MemberFiled(Filing("P9", "B1")),  # wrong level
        MemberFiled(Filing("P8", "G1")),  # filed already
        OrganizationDissolved("G2"),  # not empty
        PostAssigned(Post("B1", Role.SECRETARY, "P99")),  # nobody
        OrganizationReparented("G2", "C1"),  # wrong level
    ):
        with pytest.raises(GridGovError):
            v.apply(event)
        assert j.version == version
        assert v.report() == before


def test_apply_all_and_refresh(kit: Any) -> None:
    j = load(kit.base())
    v = Validator(j)
    n = v.apply_all([MemberUnfiled("P8"), MemberUnfiled("P9"), MemberDeregistered("P9")])
    assert n == 3
    assert v.report().count_by_code() == {"GG204": 1, "GG309": 1}
    v.refresh()
    assert v.report() == validate(j)
    assert v.jurisdiction is j


def test_a_document_validator_keeps_its_structural_findings(kit: Any) -> None:
    doc = kit.base()
    kit.add(doc, "people", {"id": "P3", "name": "重名"})
    v = Validator(parse(doc))
    assert v.report().count_by_code() == {"GG105": 1}
    v.apply(MemberUnfiled("P9"))
    assert v.report().count_by_code() == {"GG105": 1, "GG204": 1, "GG309": 1}
    # paths are known for the records read from the document
    assert v.report().by_code("GG309")[0].path == "registrations[6]"
    v.apply(MemberFiled(Filing("P9", "G2")))
    assert v.report().count_by_code() == {"GG105": 1}


def test_validator_follows_its_options(kit: Any) -> None:
    j = load(kit.base())
    v = Validator(j, policy={"max_zones_per_member": 0}, select=["GG3"], severity={"GG311": "I"})
    assert [(d.code, d.severity.value) for d in v.report()] == [("GG311", "info")] * 2
    v.apply(PolicyChanged(Policy(max_zones_per_member=5, committee_threshold=8)))
    # the per-call override still beats the jurisdiction's new policy
    assert v.policy.max_zones_per_member == 0
    assert v.policy.committee_threshold == 8
    assert v.report() == validate(
        j, policy={"max_zones_per_member": 0}, select=["GG3"], severity={"GG311": "I"}
    )
