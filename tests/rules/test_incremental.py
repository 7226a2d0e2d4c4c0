"""Incremental validation equals full validation, after every event.

A Hypothesis state machine applies random events through :meth:`Validator.apply` (found,
amend, dissolve and re-parent organizations; add and amend people and cooperatives;
register, file, transfer, claim, post; change the policy and the as-of date) and checks
after each step that ``validator.report() == validate(j)``. Events the jurisdiction
refuses must leave both the jurisdiction and the report unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from attrs import evolve
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from gridgov.errors import GridGovError
from gridgov.io import load, parse
from gridgov.model import (
    THREE_LEVEL,
    AsOfSet,
    Category,
    Claim,
    Cooperative,
    CooperativeAdded,
    CooperativeAmended,
    Event,
    Filing,
    Household,
    HouseholdAdded,
    HouseholdAssigned,
    Jurisdiction,
    MemberDeregistered,
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
    ZoneClaimed,
    ZoneReleased,
)
from gridgov.rules import Validator, validate

NEW_ORGS = ("N1", "N2", "N3", "N4", "N5")
NEW_PEOPLE = ("Q1", "Q2", "Q3", "Q4")
NEW_COOPS = ("EC1", "EC2", "EC3")
STRAY = ("X9", "P1", "S1")  # a missing id, and ids of other kinds
DATES = st.dates(dt.date(2014, 1, 1), dt.date(2026, 12, 31))
CATEGORIES = st.frozensets(st.sampled_from(list(Category)), max_size=3)
PARTY = st.one_of(
    st.none(),
    st.builds(PartyMembership, st.sampled_from(["full", "full", "probationary"]), CATEGORIES),
)

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


def make_machine(base: dict[str, Any], options: dict[str, Any]) -> type[RuleBasedStateMachine]:
    """A state machine over a jurisdiction starting from `base` (or another start)."""

    class IncrementalEqualsFull(RuleBasedStateMachine):
        j: Jurisdiction
        v: Validator

        @initialize(start=st.sampled_from(["base", "three-level", "empty"]))
        def start(self, start: str) -> None:
            if start == "base":
                self.j = load(base)
            elif start == "empty":
                self.j = Jurisdiction()
            else:
                self.j = _three_level()
            self.v = Validator(self.j, **options)

        # -- drawing ids: mostly existing ones, sometimes new or wrong ones --------------------

        def _org(self, data: st.DataObject, level: str | None = None) -> str:
            orgs = [
                o for o in self.j.organizations if level is None or self.j.graph.level(o) == level
            ]
            if orgs and data.draw(st.integers(0, 5)) != 5:
                return data.draw(st.sampled_from(orgs))
            return data.draw(st.sampled_from(NEW_ORGS + STRAY))

        def _person(self, data: st.DataObject, *, free: str | None = None) -> str:
            """A person: mostly an existing one (with no `free` record of that kind, if
            given: ``registration``, ``filing``; or ``filed``), sometimes a new or a
            wrong id."""
            people = list(self.j.people)
            if free == "registration":
                people = [p for p in people if p not in self.j.registrations] or people
            elif free == "filing":
                people = [p for p in people if p not in self.j.filings] or people
            elif free == "filed":  # the opposite: someone filed
                people = list(self.j.filings) or people
            if people and data.draw(st.integers(0, 5)) != 5:
                return data.draw(st.sampled_from(people))
            return data.draw(st.sampled_from(NEW_PEOPLE + STRAY))

        def _level(self, data: st.DataObject) -> str:
            """A level, mostly one where an organization can be founded now."""
            levels = self.j.scheme.levels
            graph = self.j.graph
            open_levels = [
                lvl
                for i, lvl in enumerate(levels)
                if (graph.at_level(levels[i - 1]) if i else not graph.roots())
            ]
            if open_levels and data.draw(st.integers(0, 4)) != 4:
                return data.draw(st.sampled_from(open_levels))
            return data.draw(st.sampled_from(levels))

        def _apply(self, event: Event) -> None:
            before = self.v.report()
            version = self.j.version
            try:
                self.v.apply(event)
            except GridGovError:
                assert self.j.version == version, "a refused event changed the jurisdiction"
                assert self.v.report() == before, "a refused event changed the findings"

        # -- organizations ----------------------------------------------------------------------

        @rule(data=st.data())
        def found_org(self, data: st.DataObject) -> None:
            level = self._level(data)
            parent_level = self.j.scheme.parent_level(level)
            parent = None if parent_level is None else self._org(data, parent_level)
            org = Organization(
                data.draw(st.sampled_from(NEW_ORGS)),
                level,
                "新组织",
                parent,
                kind=data.draw(st.none() | st.sampled_from(list(OrgKind))),
                cooperative=data.draw(st.none() | st.sampled_from(NEW_COOPS)),
                term_start=data.draw(st.none() | DATES),
                ends=data.draw(st.none() | DATES),
                units=data.draw(st.lists(st.sampled_from("ABCDEFG"), max_size=7)),
            )
            self._apply(OrganizationFounded(org))

        @rule(data=st.data())
        def amend_org(self, data: st.DataObject) -> None:
            oid = self._org(data)
            current = self.j.organizations.get(oid) or Organization(oid, "branch", "x")
            changes = data.draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "kind": st.none() | st.sampled_from(list(OrgKind)),
                        "term_start": st.none() | DATES,
                        "ends": st.none() | DATES,
                        "cooperative": st.none() | st.sampled_from(NEW_COOPS),
                        "units": st.lists(st.sampled_from("ABCDEFG"), max_size=7).map(tuple),
                    },
                )
            )
            self._apply(OrganizationAmended(evolve(current, **changes)))

        @rule(data=st.data())
        def rename_org(self, data: st.DataObject) -> None:
            self._apply(
                OrganizationRenamed(self._org(data), data.draw(st.sampled_from(["甲", "test"])))
            )

        @rule(data=st.data())
        def reparent_org(self, data: st.DataObject) -> None:
            oid = self._org(data)
            level = self.j.graph.level(oid) if oid in self.j.graph else self._level(data)
            parent_level = self.j.scheme.parent_level(level)
            parent = self._org(data, parent_level) if parent_level else self._org(data)
            self._apply(OrganizationReparented(oid, parent))

        @rule(data=st.data())
        def dissolve_org(self, data: st.DataObject) -> None:
            # prefer leaves, so that dissolutions succeed now and then
            leaves = [o for o in self.j.organizations if not self.j.graph.children(o)]
            if leaves and data.draw(st.booleans()):
                oid = data.draw(st.sampled_from(leaves))
                for post in list(self.j.posts_in(oid)):
                    self._apply(PostVacated(post.org, post.role, post.holder))
                for pid in list(self.j.graph.direct_members(oid)):
                    self._apply(MemberUnfiled(pid))
                for pid in self.j.claimants(oid):
                    self._apply(ZoneReleased(pid, oid))
            else:
                oid = self._org(data)
            self._apply(OrganizationDissolved(oid))

        # -- people and cooperatives ------------------------------------------------------------

        @rule(data=st.data())
        def add_person(self, data: st.DataObject) -> None:
            pid = data.draw(st.sampled_from((*NEW_PEOPLE, "P3")))
            self._apply(PersonAdded(Person(pid, "新人", party=data.draw(PARTY))))

        @rule(data=st.data())
        def amend_person(self, data: st.DataObject) -> None:
            pid = self._person(data)
            self._apply(PersonAmended(Person(pid, "改名", party=data.draw(PARTY))))

        @rule(data=st.data())
        def remove_person(self, data: st.DataObject) -> None:
            self._apply(PersonRemoved(self._person(data)))

        @rule(data=st.data())
        def add_or_amend_cooperative(self, data: st.DataObject) -> None:
            cid = data.draw(st.sampled_from(NEW_COOPS))
            coop = Cooperative(
                cid,
                "经济社",
                community=data.draw(st.none() | st.just(self._org(data))),
                head=data.draw(st.none() | st.just(self._person(data))),
                branch_secretary=data.draw(st.none() | st.just(self._person(data))),
            )
            event = (
                CooperativeAmended(coop) if cid in self.j.cooperatives else CooperativeAdded(coop)
            )
            self._apply(event)

        @rule(data=st.data())
        def household(self, data: st.DataObject) -> None:
            hid = data.draw(st.sampled_from(["H1", "H2", "H8", "H9"]))
            if hid not in self.j.households:
                self._apply(HouseholdAdded(Household(hid)))
            zone = data.draw(st.none() | st.just(self._org(data, self.j.scheme.zone_level)))
            self._apply(HouseholdAssigned(hid, zone))

        # -- registration, filing, claims ---------------------------------------------------------

        @rule(data=st.data())
        def register(self, data: st.DataObject) -> None:
            community = self._org(data, self.j.scheme.levels[min(1, len(self.j.scheme.levels) - 1)])
            person = self._person(data, free="registration")
            self._apply(MemberRegistered(Registration(person, community)))

        @rule(data=st.data())
        def deregister(self, data: st.DataObject) -> None:
            self._apply(MemberDeregistered(self._person(data)))

        @rule(data=st.data())
        def file(self, data: st.DataObject) -> None:
            org = self._org(data, self.j.scheme.filing_level)
            self._apply(MemberFiled(Filing(self._person(data, free="filing"), org)))

        @rule(data=st.data())
        def unfile(self, data: st.DataObject) -> None:
            self._apply(MemberUnfiled(self._person(data, free="filed")))

        @rule(data=st.data())
        def transfer(self, data: st.DataObject) -> None:
            org = self._org(data, self.j.scheme.filing_level)
            self._apply(MemberTransferred(self._person(data, free="filed"), org))

        @rule(data=st.data())
        def claim(self, data: st.DataObject) -> None:
            zone = self._org(data, self.j.scheme.zone_level)
            self._apply(ZoneClaimed(Claim(self._person(data), zone)))

        @rule(data=st.data())
        def release(self, data: st.DataObject) -> None:
            claims = list(self.j.claims)
            if claims and data.draw(st.booleans()):
                pid, zone = data.draw(st.sampled_from(claims))
            else:
                pid, zone = self._person(data), self._org(data)
            self._apply(ZoneReleased(pid, zone))

        # -- posts ------------------------------------------------------------------------------

        @rule(data=st.data())
        def assign_post(self, data: st.DataObject) -> None:
            role = data.draw(st.sampled_from(list(Role)))
            appointer = data.draw(st.none() | st.just(self._org(data)))
            post = Post(self._org(data), role, self._person(data), appointed_by=appointer)
            self._apply(PostAssigned(post))

        @rule(data=st.data())
        def vacate_post(self, data: st.DataObject) -> None:
            posts = list(self.j.posts)
            if posts and data.draw(st.booleans()):
                org, role, holder = data.draw(st.sampled_from(posts))
            else:
                org, role, holder = self._org(data), Role.SECRETARY, self._person(data)
            self._apply(PostVacated(org, role, holder))

        # -- the jurisdiction as a whole ----------------------------------------------------------

        @rule(
            changes=st.fixed_dictionaries(
                {},
                optional={
                    "min_branch_full_members": st.integers(0, 8),
                    "max_branch_members": st.integers(1, 10),
                    "general_branch_max_members": st.integers(1, 10),
                    "committee_threshold": st.integers(1, 9),
                    "max_deputy_secretaries": st.integers(0, 2),
                    "joint_branch_max_units": st.integers(1, 7),
                    "term_years_community": st.integers(1, 8),
                    "term_years_other": st.integers(1, 8),
                    "max_zones_per_member": st.integers(0, 3),
                },
            )
        )
        def set_policy(self, changes: dict[str, int]) -> None:
            self._apply(PolicyChanged(Policy().replace(**changes)))

        @rule(as_of=st.none() | DATES)
        def set_as_of(self, as_of: dt.date | None) -> None:
            self._apply(AsOfSet(as_of))

        @invariant()
        def incremental_equals_full(self) -> None:
            assert self.v.report() == validate(self.j, **options)

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
