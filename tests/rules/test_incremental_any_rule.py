"""Incremental validation equals full validation for any rule that declares what it reads.

The built-in rules are joined by test rules that each read one kind of state: XX201
households (against a contributed setting, ``xx_min``), XX202 cooperatives and their
heads, XX203 people's categories, XX204 registrations and the names of the community's
chain, XX208 a community's registrations against the filings of its subtree, XX205 the
tree against a policy threshold; XX206 declares no ``reads`` and reads the whole
jurisdiction; XX207 is about the jurisdiction as a whole.

A Hypothesis state machine throws random events of every built-in type at a
:class:`~gridgov.rules.Validator`: one at a time, in batches that may be refused half
way, inside atomic blocks that are committed or undone, and straight at the
jurisdiction behind the validator's back (then maybe cutting the log and setting the
version back). After every step the validator's report equals a full validation with
the same registry; a refused event or batch leaves the jurisdiction and the report as
they were.

The test rules are sensitive to what they read: for each of them,
:func:`test_a_narrow_touch_leaves_a_test_rule_stale` shows an event after which a
validator that re-checked too little would report something else than a full
validation. (Breaking the engine so, e.g. dropping the old zone from what
``HouseholdAssigned`` touches, makes the machine fail.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

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

import gridgov
from gridgov.errors import GridGovError
from gridgov.io import dump, load
from gridgov.model import (
    BUILTIN_EVENTS,
    FIVE_LEVEL,
    THREE_LEVEL,
    AsOfSet,
    Attachment,
    Category,
    Change,
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
    Setting,
    Touch,
    ZoneClaimed,
    ZoneReleased,
    operations,
)
from gridgov.rules import Registry, Rule, Validator, builtin_registry, validate
from gridgov.rules.context import Context
from gridgov.rules.diagnostics import Diagnostic

CATALOGUE = {"xx_min": Setting("xx_min", 2, minimum=0)}
"""The setting the test rules contribute (households a zone needs, at least)."""

# -- the test rules -------------------------------------------------------------------------------


def zone_households(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """A zone answers for fewer households than the contributed setting ``xx_min``."""
    least = ctx.policy.get("xx_min")
    j = ctx.j
    for zone in subjects:
        n = len(j.households_in(zone))
        if n < least:
            name = j.organizations[zone].name
            yield ctx.diagnostic(
                "XX201", f"zone {zone!r} ({name}) has {n} households, fewer than {least}", (zone,)
            )


def cooperative_head(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """An organization drawn on a cooperative whose head is missing or not a Party member."""
    j = ctx.j
    for org in subjects:
        cid = j.organizations[org].cooperative
        if cid is None:
            continue
        coop = j.cooperatives[cid]
        if coop.head is None:
            yield ctx.diagnostic("XX202", f"{org!r} is drawn on {coop.name} with no head", (org,))
        elif not ctx.is_member(coop.head):
            head = j.people[coop.head]
            yield ctx.diagnostic(
                "XX202",
                f"{org!r} is drawn on {coop.name}, whose head {head.name} is not a member",
                (org, coop.head),
            )


def mobile_without_household(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """A mobile member (category ``mobile``) lives in no known household."""
    people = ctx.j.people
    for pid in subjects:
        person = people[pid]
        if person.has_category(Category.MOBILE) and person.household is None:
            yield ctx.diagnostic("XX203", f"mobile member {person.name} has no household", (pid,))


def registered_in_test(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """A person is registered in a community that, or an ancestor of which, says ``test``."""
    j = ctx.j
    for pid in subjects:
        reg = j.registrations.get(pid)
        if reg is None:
            continue
        names = [j.organizations[org].name for org in ctx.chain(reg.community)]
        if any("test" in name for name in names):
            yield ctx.diagnostic(
                "XX204", f"{pid!r} is registered under {'/'.join(names)}", (pid, reg.community)
            )


def community_registrations(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """The people registered in a community are not the people filed in its subtree."""
    j = ctx.j
    for org in subjects:
        registered, filed = set(j.registered_in(org)), set(ctx.members(org))
        if registered != filed:
            yield ctx.diagnostic(
                "XX208",
                f"in {org!r}, registered only: {sorted(registered - filed)}, "
                f"filed only: {sorted(filed - registered)}",
                (org,),
            )


def large_subtree(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """An organization has more descendants than the policy's ``committee_threshold``."""
    limit = ctx.policy.committee_threshold
    graph = ctx.j.graph
    for org in subjects:
        n = len(graph.subtree(org)) - 1
        if n > limit:
            yield ctx.diagnostic("XX205", f"{org!r} has {n} descendants, over {limit}", (org,))


def shared_name(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """A person shares their name with someone else (reads the whole jurisdiction)."""
    j = ctx.j
    counts: dict[str, int] = {}
    for person in j.people.values():
        counts[person.name] = counts.get(person.name, 0) + 1
    posts = len(j.posts)
    for pid in subjects:
        name = j.people[pid].name
        if counts[name] > 1:
            yield ctx.diagnostic(
                "XX206",
                f"{pid!r} shares the name {name} with {counts[name] - 1} others ({posts} posts)",
                (pid,),
            )


def unzoned_households(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """At least ``xx_min`` households are in no zone."""
    j = ctx.j
    loose = sorted(h for h in j.households if h not in j.zone_of_household)
    if loose and len(loose) >= ctx.policy.get("xx_min"):
        yield ctx.diagnostic("XX207", f"{len(loose)} households are in no zone", tuple(loose))


def _zone_level(scheme: Scheme) -> tuple[str, ...]:
    return (scheme.zone_level,)


def _registration_level(scheme: Scheme) -> tuple[str, ...]:
    return ("community",) if "community" in scheme.levels else (scheme.top,)


TEST_RULES = (
    Rule(
        "XX201",
        "zone-households",
        "W",
        "a zone has too few households",
        zone_households,
        levels=_zone_level,
        reads=("households", "organizations", "policy"),
    ),
    Rule(
        "XX202",
        "cooperative-head-member",
        "W",
        "an organization's cooperative head is not a member",
        cooperative_head,
        reads=("cooperatives", "people", "organizations"),
    ),
    Rule(
        "XX203",
        "mobile-household",
        "I",
        "a mobile member has no household",
        mobile_without_household,
        subject="person",
        reads=("people",),
    ),
    Rule(
        "XX204",
        "registered-in-test",
        "W",
        "a person is registered in a test community",
        registered_in_test,
        subject="person",
        reads=("registrations", "organizations"),
    ),
    Rule(
        "XX208",
        "community-registrations",
        "I",
        "a community's registered members are not its members (filed or attached)",
        community_registrations,
        levels=_registration_level,
        reads=("registrations", "filings", "attachments", "organizations"),
    ),
    Rule(
        "XX205",
        "large-subtree",
        "I",
        "an organization has many descendants",
        large_subtree,
        reads=("organizations", "policy"),
    ),
    Rule(
        "XX206",
        "shared-name",
        "I",
        "a person shares a name",
        shared_name,
        subject="person",
    ),
    Rule(
        "XX207",
        "unzoned-households",
        "W",
        "households are in no zone",
        unzoned_households,
        subject="jurisdiction",
        reads=("households", "policy"),
    ),
)


def make_registry(rules: Iterable[Rule] = TEST_RULES) -> Registry:
    """The built-in rules plus `rules`."""
    registry = builtin_registry()
    for r in rules:
        registry.register(r)
    return registry


REGISTRY = make_registry()


def full(j: Jurisdiction, registry: Registry = REGISTRY) -> gridgov.Report:
    """A full validation with the test registry and catalogue."""
    return validate(j, registry=registry, catalogue=CATALOGUE)


def new_jurisdiction(scheme: Scheme | None = None) -> Jurisdiction:
    """An empty jurisdiction whose policy knows the contributed setting."""
    return Jurisdiction(scheme, policy=Policy(catalogue=CATALOGUE))


def with_catalogue(j: Jurisdiction) -> Jurisdiction:
    """`j` rebuilt from its log on a policy that knows the contributed setting."""
    return Jurisdiction.replay(j.log, policy=Policy(catalogue=CATALOGUE))


def three_level() -> Jurisdiction:
    j = new_jurisdiction(THREE_LEVEL)
    j.add_household("H1")
    j.add_person("P1", "甲", status="full", categories=["mobile"])
    j.add_person("P2", "乙", status="probationary", household="H1")
    j.add_cooperative("EC1", "经济社", head="P2")
    j.found_org("V1", "community", "test社区")
    j.found_org("GR1", "grid", "第一经济社网格", parent="V1", cooperative="EC1")
    j.found_org("M1", "member_household", "甲户", parent="GR1")
    j.assign_household("H1", "M1")
    j.register("P1", "V1")
    j.file_member("P1", "GR1")
    j.claim_zone("P1", "M1")
    j.appoint("V1", "secretary", "P1")
    return j


# -- the state machine ----------------------------------------------------------------------------

NEW_ORGS = ("N1", "N2", "N3", "N4", "N5", "N6")
NEW_PEOPLE = ("Q1", "Q2", "Q3", "Q4")
HOUSEHOLDS = ("H1", "H2", "H4", "H8", "H9")
NEW_COOPS = ("EC1", "EC2", "EC3")
STRAY = ("X9", "P1", "S1", "H1")  # a missing id, and ids of other kinds
PERSON_NAMES = ("甲", "乙", "丙")  # few, so that names are shared
ORG_NAMES = ("新组织", "test", "测试test社区")
SCHEMES = (
    FIVE_LEVEL,
    THREE_LEVEL,
    Scheme(["town", "village"], filing_level="village", zone_level="village", name="tv"),
)
DATES = st.dates(dt.date(2014, 1, 1), dt.date(2026, 12, 31))
CATEGORIES = st.frozensets(
    st.sampled_from([Category.MOBILE, Category.MOBILE, Category.SUNK, Category.RETIRED]),
    max_size=2,
)
PARTY = st.one_of(
    st.none(),
    st.builds(PartyMembership, st.sampled_from(["full", "full", "probationary"]), CATEGORIES),
)
EXTENSIONS = st.one_of(st.just({}), st.fixed_dictionaries({"x-ward": st.integers(1, 3)}))

Events = list[Event]


def registration_level(j: Jurisdiction) -> str:
    """The level members register at (and cooperatives belong to)."""
    return _registration_level(j.scheme)[0]


class _AbandonedError(Exception):
    """Raised to leave an atomic block without committing it."""


class IncrementalAnyRule(RuleBasedStateMachine):
    """Random events, applied in every way there is, against one validator."""

    PRODUCES: ClassVar[dict[str, frozenset[type[Event]]]] = {
        "found_org": frozenset({OrganizationFounded}),
        "amend_org": frozenset({OrganizationAmended}),
        "rename_org": frozenset({OrganizationRenamed}),
        "reparent_org": frozenset({OrganizationReparented}),
        "dissolve_org": frozenset(
            {
                OrganizationDissolved,
                PostVacated,
                MemberUnfiled,
                ZoneReleased,
                HouseholdAssigned,
                MemberDeregistered,
                MemberDetached,
                CooperativeAmended,
            }
        ),
        "add_household": frozenset({HouseholdAdded}),
        "amend_household": frozenset({HouseholdAmended}),
        "assign_household": frozenset({HouseholdAssigned}),
        "add_person": frozenset({PersonAdded}),
        "amend_person": frozenset({PersonAmended}),
        "remove_person": frozenset({PersonRemoved}),
        "cooperative": frozenset({CooperativeAdded, CooperativeAmended}),
        "register": frozenset({MemberRegistered}),
        "deregister": frozenset({MemberDeregistered}),
        "file": frozenset({MemberFiled}),
        "unfile": frozenset({MemberUnfiled}),
        "transfer": frozenset({MemberTransferred}),
        "claim": frozenset({ZoneClaimed}),
        "release": frozenset({ZoneReleased}),
        "assign_post": frozenset({PostAssigned}),
        "vacate_post": frozenset({PostVacated}),
        "attach": frozenset({MemberAttached, OrganizationFounded}),
        "detach": frozenset({MemberDetached}),
        "set_policy": frozenset({PolicyChanged}),
        "set_as_of": frozenset({AsOfSet}),
        "set_scheme": frozenset({SchemeSet}),
    }
    """What each maker produces (checked against BUILTIN_EVENTS, and while it runs)."""

    starts: ClassVar[dict[str, Callable[[], Jurisdiction]]] = {}
    pinned_start: ClassVar[str | None] = None
    accepted: ClassVar[set[type[Event]]]
    refused: ClassVar[set[type[Event]]]
    compounds_applied: ClassVar[set[str]]
    compounds_refused: ClassVar[set[str]]

    j: Jurisdiction
    v: Validator

    @initialize(
        start=st.sampled_from(["empty", "street", "five-level", "three-level"]),
        scheme=st.sampled_from(SCHEMES),
    )
    def start(self, start: str, scheme: Scheme) -> None:
        start = self.pinned_start or start
        if start == "three-level":
            self.j = three_level()
        elif start == "empty":
            self.j = new_jurisdiction()
        else:
            self.j = with_catalogue(self.starts[start]())
        self.v = Validator(self.j, registry=REGISTRY, catalogue=CATALOGUE)
        # whether the log still holds every event since the empty jurisdiction: the
        # version alone cannot say, since a host may forget the log down to version 0
        self.log_whole = self.j.version == len(self.j.log) == 0
        if start == "empty":  # the scheme can be set while there are no organizations
            self._through_validator([SchemeSet(scheme)])

    # -- drawing ids: mostly existing ones, sometimes new or wrong ones ------------------------

    def _org(self, data: st.DataObject, level: str | None = None) -> str:
        graph = self.j.graph
        orgs = [o for o in graph if level is None or graph.level(o) == level]
        if orgs and data.draw(st.integers(0, 5)) != 5:
            return data.draw(st.sampled_from(orgs))
        return data.draw(st.sampled_from(NEW_ORGS + STRAY))

    def _person(self, data: st.DataObject, among: Iterable[str] | None = None) -> str:
        people = list(self.j.people if among is None else among) or list(self.j.people)
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

    def _coop(self, data: st.DataObject) -> str | None:
        known = list(self.j.cooperatives)
        return data.draw(st.none() | st.sampled_from(known or list(NEW_COOPS)) | st.just("EC9"))

    # -- the makers: each draws the events of one kind of change -----------------------------

    def make_found_org(self, data: st.DataObject) -> Events:
        level = self._level(data)
        parent_level = self.j.scheme.parent_level(level)
        parent = None if parent_level is None else self._org(data, parent_level)
        org = Organization(
            data.draw(st.sampled_from(NEW_ORGS)),
            level,
            data.draw(st.sampled_from(ORG_NAMES)),
            parent,
            kind=data.draw(st.none() | st.sampled_from(list(OrgKind))),
            cooperative=self._coop(data),
            term_start=data.draw(st.none() | DATES),
            units=data.draw(st.lists(st.sampled_from("ABCDEFG"), max_size=7)),
            extensions=data.draw(EXTENSIONS),
        )
        return [OrganizationFounded(org)]

    def make_amend_org(self, data: st.DataObject) -> Events:
        oid = self._org(data)
        current = self.j.organizations.get(oid) or Organization(oid, "branch", "x")
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": st.sampled_from(ORG_NAMES),
                    "kind": st.none() | st.sampled_from(list(OrgKind)),
                    "term_start": st.none() | DATES,
                    "ends": st.none() | DATES,
                    "units": st.lists(st.sampled_from("ABCDEFG"), max_size=7).map(tuple),
                    "extensions": EXTENSIONS,
                },
            )
        )
        if data.draw(st.booleans()):
            changes["cooperative"] = self._coop(data)
        return [OrganizationAmended(evolve(current, **changes))]

    def make_rename_org(self, data: st.DataObject) -> Events:
        # communities (where members register) and the root, often
        level = data.draw(st.sampled_from([None, registration_level(self.j), self.j.scheme.top]))
        return [OrganizationRenamed(self._org(data, level), data.draw(st.sampled_from(ORG_NAMES)))]

    def make_reparent_org(self, data: st.DataObject) -> Events:
        graph, scheme = self.j.graph, self.j.scheme
        moves = []
        for org in graph:
            current = graph.parent(org)
            above = scheme.parent_level(graph.level(org))
            if current is not None and above is not None:
                moves.extend((org, p) for p in graph.at_level(above) if p != current)
        if moves and data.draw(st.integers(0, 3)) != 3:
            return [OrganizationReparented(*data.draw(st.sampled_from(moves)))]
        parent = data.draw(st.none() | st.just(self._org(data)))
        return [OrganizationReparented(self._org(data), parent)]

    def make_dissolve_org(self, data: st.DataObject) -> Events:
        """Empty a leaf and dissolve it, in one batch (that skips a step now and then)."""
        j = self.j
        leaves = [o for o in j.graph if not j.graph.children(o)]
        if not leaves or not data.draw(st.integers(0, 4)):
            return [OrganizationDissolved(self._org(data))]
        oid = data.draw(st.sampled_from(leaves))
        steps: list[Events] = [
            [
                PostVacated(p.org, p.role, p.holder)
                for p in j.posts.values()
                if oid in (p.org, p.appointed_by)
            ],
            [MemberUnfiled(p) for p in j.graph.direct_members(oid)],
            [ZoneReleased(p, oid) for p in j.claimants(oid)],
            [HouseholdAssigned(h, None) for h in j.households_in(oid)],
            [MemberDeregistered(p) for p in j.registered_in(oid)],
            [MemberDeregistered(p, "work_unit") for p in j.registered_in(oid, "work_unit")],
            [MemberDetached(p, oid) for p in j.attached(oid)],
            [
                CooperativeAmended(evolve(c, community=None))
                for c in j.cooperatives.values()
                if c.community == oid
            ],
        ]
        skip = data.draw(st.none() | st.integers(0, len(steps) - 1))
        events = [e for i, step in enumerate(steps) if i != skip for e in step]
        return [*events, OrganizationDissolved(oid)]

    def make_add_household(self, data: st.DataObject) -> Events:
        household = Household(
            data.draw(st.sampled_from(HOUSEHOLDS)),
            building=data.draw(st.none() | st.just("3栋")),
            extensions=data.draw(EXTENSIONS),
        )
        return [HouseholdAdded(household)]

    def make_amend_household(self, data: st.DataObject) -> Events:
        known = list(self.j.households)
        hid = data.draw(st.sampled_from(known or list(HOUSEHOLDS)))
        current = self.j.households.get(hid, Household(hid))
        plaque = data.draw(st.sampled_from([None, "member", "central"]))
        return [HouseholdAmended(evolve(current, party_household=plaque))]

    def make_assign_household(self, data: st.DataObject) -> Events:
        known = list(self.j.households)
        hid = data.draw(st.sampled_from(known or list(HOUSEHOLDS)))
        zone = data.draw(st.none() | st.just(self._org(data, self.j.scheme.zone_level)))
        return [HouseholdAssigned(hid, zone)]

    def _household(self, data: st.DataObject) -> str | None:
        known = list(self.j.households)
        return data.draw(st.none() | st.sampled_from(known or ["H9"]))

    def make_add_person(self, data: st.DataObject) -> Events:
        pid = data.draw(st.sampled_from((*NEW_PEOPLE, "P3")))
        person = Person(
            pid,
            data.draw(st.sampled_from(PERSON_NAMES)),
            party=data.draw(PARTY),
            household=self._household(data),
            extensions=data.draw(EXTENSIONS),
        )
        return [PersonAdded(person)]

    def make_amend_person(self, data: st.DataObject) -> Events:
        pid = self._person(data)
        current = self.j.people.get(pid) or Person(pid, "无名")
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={"name": st.sampled_from(PERSON_NAMES), "party": PARTY},
            )
        )
        if data.draw(st.booleans()):
            changes["household"] = self._household(data)
        return [PersonAmended(evolve(current, **changes))]

    def make_remove_person(self, data: st.DataObject) -> Events:
        j = self.j
        free = [p for p in j.people if not j.attached_orgs(p) and p not in j.registrations]
        return [PersonRemoved(self._person(data, free))]

    def make_cooperative(self, data: st.DataObject) -> Events:
        known = list(self.j.cooperatives)
        cid = data.draw(
            st.sampled_from(known)
            if known and data.draw(st.booleans())
            else st.sampled_from(NEW_COOPS)
        )
        community_level = registration_level(self.j)
        coop = Cooperative(
            cid,
            data.draw(st.sampled_from(["经济社", "联社"])),
            community=data.draw(st.none() | st.just(self._org(data, community_level))),
            head=data.draw(st.none() | st.just(self._person(data))),
            branch_secretary=data.draw(st.none() | st.just(self._person(data))),
        )
        if cid in known and data.draw(st.integers(0, 5)):
            return [CooperativeAmended(coop)]
        return [CooperativeAdded(coop)]

    def make_register(self, data: st.DataObject) -> Events:
        community = self._org(data, registration_level(self.j))
        free = [p for p in self.j.people if p not in self.j.registrations]
        return [MemberRegistered(Registration(self._person(data, free), community))]

    def make_deregister(self, data: st.DataObject) -> Events:
        return [MemberDeregistered(self._person(data, self.j.registrations))]

    def make_file(self, data: st.DataObject) -> Events:
        org = self._org(data, self.j.scheme.filing_level)
        free = [p for p in self.j.people if p not in self.j.filings]
        # now and then someone already filed: a refusal (GG107's), whatever else is drawn
        among = free if data.draw(st.integers(0, 5)) else (list(self.j.filings) or free)
        return [MemberFiled(Filing(self._person(data, among), org))]

    def make_unfile(self, data: st.DataObject) -> Events:
        return [MemberUnfiled(self._person(data, self.j.filings))]

    def make_transfer(self, data: st.DataObject) -> Events:
        org = self._org(data, self.j.scheme.filing_level)
        return [MemberTransferred(self._person(data, self.j.filings), org)]

    def make_claim(self, data: st.DataObject) -> Events:
        zone = self._org(data, self.j.scheme.zone_level)
        return [ZoneClaimed(Claim(self._person(data), zone))]

    def make_release(self, data: st.DataObject) -> Events:
        claims = list(self.j.claims)
        if claims and data.draw(st.booleans()):
            pid, zone = data.draw(st.sampled_from(claims))
        else:
            pid, zone = self._person(data), self._org(data)
        return [ZoneReleased(pid, zone)]

    def make_assign_post(self, data: st.DataObject) -> Events:
        role = data.draw(st.sampled_from(list(Role)))
        appointer = data.draw(st.none() | st.just(self._org(data)))
        return [PostAssigned(Post(self._org(data), role, self._person(data), appointer))]

    def make_vacate_post(self, data: st.DataObject) -> Events:
        posts = list(self.j.posts)
        if posts and data.draw(st.booleans()):
            org, role, holder = data.draw(st.sampled_from(posts))
        else:
            org, role, holder = self._org(data), Role.SECRETARY, self._person(data)
        return [PostVacated(org, role, holder)]

    def make_attach(self, data: st.DataObject) -> Events:
        """Attach a member, founding a temporary organization to attach to now and then."""
        j = self.j
        graph = j.graph
        attachable = [o for o in graph if graph.org(o).kind and graph.org(o).kind.attachable]  # type: ignore[union-attr]
        found: Events = []
        top = [o for o in graph if graph.level(o) == j.scheme.levels[0]]
        if (not attachable or data.draw(st.integers(0, 3)) == 0) and top:
            level = j.scheme.levels[1]
            parent = data.draw(
                st.sampled_from([o for o in graph if graph.level(o) == j.scheme.levels[0]])
            )
            oid = data.draw(st.sampled_from(NEW_ORGS))
            kind = data.draw(st.sampled_from([k for k in OrgKind if k.attachable]))
            found = [OrganizationFounded(Organization(oid, level, "临时", parent, kind=kind))]
            attachable = [oid]
        org = data.draw(st.sampled_from(attachable)) if attachable else self._org(data)
        if data.draw(st.integers(0, 5)) == 5:
            org = self._org(data)  # now and then somewhere members are not attached
        return [*found, MemberAttached(Attachment(self._person(data), org))]

    def make_detach(self, data: st.DataObject) -> Events:
        attachments = list(self.j.attachments)
        if attachments and data.draw(st.booleans()):
            pid, org = data.draw(st.sampled_from(attachments))
            return [MemberDetached(pid, org)]
        return [MemberDetached(self._person(data), self._org(data))]

    def make_set_policy(self, data: st.DataObject) -> Events:
        changes = data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "xx_min": st.integers(0, 4),
                    "committee_threshold": st.integers(1, 9),
                    "max_branch_members": st.integers(1, 10),
                    "max_zones_per_member": st.integers(0, 3),
                    "min_branch_full_members": st.integers(0, 5),
                },
            )
        )
        base = self.j.policy if data.draw(st.booleans()) else Policy(catalogue=CATALOGUE)
        return [PolicyChanged(base.with_catalogue(CATALOGUE).replace(**changes))]

    def make_set_as_of(self, data: st.DataObject) -> Events:
        return [AsOfSet(data.draw(st.none() | DATES))]

    def make_set_scheme(self, data: st.DataObject) -> Events:
        return [SchemeSet(data.draw(st.sampled_from(SCHEMES)))]

    def _make(self, data: st.DataObject) -> Events:
        name = data.draw(st.sampled_from(sorted(self.PRODUCES)))
        events: Events = getattr(self, f"make_{name}")(data)
        produced = {type(e) for e in events}
        assert produced <= self.PRODUCES[name], (name, produced)
        return events

    # -- applying --------------------------------------------------------------------------------

    def _unchanged(self, before: Jurisdiction, report: gridgov.Report | None) -> None:
        j = self.j
        assert j == before, "a refused change changed the jurisdiction"
        assert j.version == before.version
        assert list(j.log) == list(before.log)
        assert dump(j) == dump(before)
        if report is not None:
            assert self.v.report() == report, "a refused change changed the findings"

    def _through_validator(self, events: Events) -> None:
        report, before = self.v.report(), self.j.copy()
        refused_at: int | None = None
        try:
            if len(events) == 1:
                assert self.v.apply(events[0]) is events[0]
            else:
                assert self.v.apply_all(events) == len(events)
        except GridGovError as exc:
            refused_at = getattr(exc, "index", 0)
        if refused_at is not None:
            self._record(events, accepted=False)
            assert 0 <= refused_at < len(events)
            self._unchanged(before, report)
        else:
            self._record(events, accepted=True)
            assert self.j.version == before.version + len(events)
            assert list(self.j.log[-len(events) :]) == events

    def _record(self, events: Events, *, accepted: bool) -> None:
        (self.accepted if accepted else self.refused).update(type(e) for e in events)

    @rule(data=st.data())
    def one_change(self, data: st.DataObject) -> None:
        self._through_validator(self._make(data))

    @rule(data=st.data(), n=st.integers(2, 4))
    def batch(self, data: st.DataObject, n: int) -> None:
        events = [e for _ in range(n) for e in self._make(data)]
        self._through_validator(events)

    @rule(data=st.data(), batch=st.booleans(), forget=st.none() | st.integers(0, 2))
    def behind_the_back(self, data: st.DataObject, batch: bool, forget: int | None) -> None:
        """Change the jurisdiction directly: the validator must notice.

        Then, maybe, the host drops the log and says which version the state stands at
        (`forget` versions back): the version is no proof that nothing changed.
        """
        events = self._make(data)
        before = self.j.copy()
        try:
            if batch or len(events) > 1:
                self.j.apply_all(events)
            else:
                self.j.apply(events[0])
        except GridGovError:
            self._record(events, accepted=False)
            self._unchanged(before, None)
        else:
            self._record(events, accepted=True)
        if forget is not None:
            self.log_whole = False
            self.j.forget_log(version=max(0, self.j.version - forget))
            assert len(self.j.log) == 0
            assert self.j.log_start == self.j.version

    @rule(data=st.data(), n=st.integers(1, 3), commit=st.booleans(), then_direct=st.integers(0, 3))
    def block(self, data: st.DataObject, n: int, commit: bool, then_direct: int) -> None:
        """Events applied through the validator inside an atomic block, committed or undone.

        After an undone block, before the validator is asked anything, a few events
        straight to the jurisdiction: its version may come back to what the validator
        last saw.
        """
        before = self.j.copy()
        with contextlib.suppress(_AbandonedError), self.j.atomic():
            for _ in range(n):
                events = self._make(data)
                try:
                    self.v.apply_all(events)
                except GridGovError:
                    self._record(events, accepted=False)
                else:
                    if commit:
                        self._record(events, accepted=True)
            if not commit:
                raise _AbandonedError
        if commit:
            return
        self._unchanged(before, None)
        for _ in range(then_direct):
            with contextlib.suppress(GridGovError):
                self.j.apply_all(self._make(data))

    # -- compound commands -----------------------------------------------------------------------

    def _plan(self, data: st.DataObject, op: str) -> tuple[Callable[[], Change], Callable[[], Any]]:
        """Draw the arguments of compound command `op`: its plan, and the command itself."""
        j = self.j
        scheme = j.scheme
        when = data.draw(st.none() | DATES)
        if op == "relocate_member":
            person = self._person(data, j.filings)
            org = self._org(data, scheme.filing_level)
            args: tuple[Any, ...] = (person, org)
        elif op == "replace_holder":
            posts = list(j.posts.values())
            if posts and data.draw(st.integers(0, 4)):
                post = data.draw(st.sampled_from(posts))
                org, role, old = post.org, post.role, post.holder
            else:
                org, role, old = self._org(data), Role.SECRETARY, self._person(data)
            args = (org, role, old, self._person(data))
        elif op == "split_org":
            graph = j.graph
            parents = [o for o in graph if graph.children(o) and graph.parent(o) is not None]
            org = data.draw(st.sampled_from(parents)) if parents else self._org(data)
            children = graph.children(org) if org in graph else []
            picked = (
                data.draw(st.lists(st.sampled_from(children), unique=True, max_size=3))
                if children
                else [self._org(data)]
            )
            new = data.draw(st.sampled_from(NEW_ORGS))
            return (
                lambda: operations.split_org(j, org, picked, id=new, name="分", date=when),
                lambda: j.split_org(org, picked, id=new, name="分", date=when),
            )
        else:
            graph = j.graph
            pairs = [
                (a, b)
                for a in graph
                for b in graph
                if a != b
                and graph.parent(a) == graph.parent(b)
                and graph.level(a) == graph.level(b)
            ]
            a, b = (
                data.draw(st.sampled_from(pairs)) if pairs else (self._org(data), self._org(data))
            )
            args = (a, b)
        plan = getattr(operations, op)
        command = getattr(j, op)
        return (lambda: plan(j, *args, date=when)), (lambda: command(*args, date=when))

    @rule(
        data=st.data(),
        op=st.sampled_from(["relocate_member", "replace_holder", "split_org", "merge_orgs"]),
        through=st.booleans(),
    )
    def compound(self, data: st.DataObject, op: str, through: bool) -> None:
        """A compound command, planned from the state and applied as one batch.

        Through the validator (its events, incrementally validated) or as the
        jurisdiction's own command; a refused plan or batch changes nothing, and what an
        applied change says it vacated and left unclaimed is so.
        """
        plan, command = self._plan(data, op)
        report, before = self.v.report(), self.j.copy()
        try:
            change = plan()
        except GridGovError:
            with pytest.raises(GridGovError):
                command()
            self._unchanged(before, report)
            self.compounds_refused.add(op)
            return
        events = list(change.events)
        try:  # a plan is made from the state, but applying it checks every event again
            if through:
                assert self.v.apply_all(events) == len(events)
            else:
                assert command() == change
        except GridGovError:
            self._unchanged(before, report)
            self.compounds_refused.add(op)
            return
        assert list(self.j.log[len(self.j.log) - len(events) :]) == events
        self.compounds_applied.add(op)
        j = self.j
        for post in change.vacated:  # what it says it vacated is gone
            assert post.key not in j.posts
        for zone in change.unclaimed:
            assert zone not in j.graph or j.claimants(zone) == []
        for org, role in change.needs:
            held = list(j.posts_in(org, role)) if org in j.graph else []
            assert role is Role.COMMITTEE_MEMBER or held == []

    @invariant()
    def history_agrees_with_the_log(self) -> None:
        """post_history and holders(on=) equal a fold of the log (while it is whole)."""
        j = self.j
        if not self.log_whole:
            return
        assert j.log_start == 0
        current: dict[tuple[str, Role, str], Post] = {}
        past: dict[str, list[Post]] = {}
        for e in j.log:
            if isinstance(e, PostAssigned):
                current[e.post.key] = e.post
            elif isinstance(e, PostVacated):
                post = current.pop((e.org, e.role, e.holder))
                past.setdefault(e.org, []).append(evolve(post, until=e.until))
            elif isinstance(e, OrganizationDissolved):
                past.pop(e.org, None)
            elif isinstance(e, PersonRemoved):
                past = {o: [p for p in t if p.holder != e.person] for o, t in past.items()}
        assert current == dict(j.posts)
        for org in j.graph:
            history = [*past.get(org, []), *(p for k, p in current.items() if k[0] == org)]
            assert sorted(j.post_history(org), key=repr) == sorted(history, key=repr)
            assert j.tenures(org) == past.get(org, [])
            held = [(p, True) for p in past.get(org, []) if p.until is not None]
            held += [(p, False) for k, p in current.items() if k[0] == org]
            days = {d for p in history for d in (p.since, p.until) if d is not None}
            for day in days:
                for role in {p.role for p in history}:
                    expected = {
                        p.holder
                        for p, ended in held
                        if p.role is role
                        and (p.since is None or p.since <= day)
                        and (not ended or day < p.until)  # type: ignore[operator]
                    }
                    assert set(j.holders(org, role, on=day)) == expected

    @invariant()
    def incremental_equals_full(self) -> None:
        assert self.v.jurisdiction is self.j
        assert self.v.report() == full(self.j)


def make_machine(starts: dict[str, Callable[[], Jurisdiction]]) -> type[IncrementalAnyRule]:
    """The machine, with the builders of its starting jurisdictions and fresh records."""

    class Machine(IncrementalAnyRule):
        pass

    Machine.starts = starts
    Machine.accepted = set()
    Machine.refused = set()
    Machine.compounds_applied = set()
    Machine.compounds_refused = set()
    return Machine


@pytest.fixture
def machine(kit: Any, make_five_level: Callable[[], Jurisdiction]) -> type[IncrementalAnyRule]:
    return make_machine({"street": lambda: load(kit.base()), "five-level": make_five_level})


def test_incremental_equals_full_for_any_rule(machine: type[IncrementalAnyRule]) -> None:
    examples = 2 * settings.default.max_examples  # 60 by default; more in gridgov-thorough
    run_state_machine_as_test(
        machine, settings=settings(max_examples=examples, stateful_step_count=40)
    )


def test_the_machine_makes_every_built_in_event_type(machine: type[IncrementalAnyRule]) -> None:
    makers = {name.removeprefix("make_") for name in dir(machine) if name.startswith("make_")}
    assert makers == set(machine.PRODUCES)
    assert set().union(*machine.PRODUCES.values()) == set(BUILTIN_EVENTS)
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=40, stateful_step_count=50, derandomize=True, database=None),
    )
    machine.pinned_start = "empty"  # a scheme is set only while there are no organizations
    run_state_machine_as_test(
        machine,
        settings=settings(max_examples=5, stateful_step_count=20, derandomize=True, database=None),
    )
    assert machine.accepted == set(BUILTIN_EVENTS), set(BUILTIN_EVENTS) - machine.accepted
    assert machine.refused == set(BUILTIN_EVENTS), set(BUILTIN_EVENTS) - machine.refused
    compounds = {"relocate_member", "replace_holder", "split_org", "merge_orgs"}
    assert machine.compounds_applied == compounds
    assert machine.compounds_refused == compounds


# -- the test rules are sensitive to what they read ---------------------------------------------


def _street(make_five_level: Callable[[], Jurisdiction]) -> Jurisdiction:
    j = with_catalogue(make_five_level())
    j.rename_org("C1", "test社区")  # P3 and P5 are registered there
    j.add_person("P7", "甲", status="full", categories=["mobile"], household="H4")
    j.add_person("P8", "甲")
    return j


NARROW: dict[str, tuple[str, Callable[[Jurisdiction], Event]]] = {
    # code: (what the event changes, the event)
    "XX201": ("a household leaves Z1", lambda j: HouseholdAssigned("H2", None)),
    "XX202": (
        "the head of B1's cooperative becomes a member",
        lambda j: PersonAmended(evolve(j.people["P2"], party=PartyMembership("full"))),
    ),
    "XX203": (
        "a mobile member leaves their household",
        lambda j: PersonAmended(evolve(j.people["P7"], household=None)),
    ),
    "XX204": (
        "the community P3 is registered in is renamed",
        lambda j: OrganizationRenamed("C1", "C"),
    ),
    "XX208": (
        "someone registers in C2, where nobody is filed",
        lambda j: MemberRegistered(Registration("P2", "C2")),
    ),
    "XX205": (
        "S1 gets its 11th descendant",
        lambda j: OrganizationFounded(Organization("Z4", "zone", "Z", parent="G3")),
    ),
    "XX207": ("a household goes into no zone", lambda j: HouseholdAssigned("H3", None)),
}


def _narrow_touches(monkeypatch: pytest.MonkeyPatch, event: Event) -> None:
    """Make `event`'s type touch nothing (too little for any rule that reads what it writes)."""

    def touches(self: Event, state: Any) -> Touch:
        return Touch()

    monkeypatch.setattr(type(event), "touches", touches)


@pytest.mark.parametrize("code", sorted(NARROW))
def test_a_narrow_touch_leaves_a_test_rule_stale(
    make_five_level: Callable[[], Jurisdiction], monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    j = _street(make_five_level)
    registry = make_registry([r for r in TEST_RULES if r.code == code])
    v = Validator(j, registry=registry, catalogue=CATALOGUE, select=[code])
    before = v.report()
    what, make = NARROW[code]
    event = make(j)
    probe = j.copy()
    probe.apply(event)
    after = validate(probe, registry=registry, catalogue=CATALOGUE, select=[code])
    assert after != before, f"{what}: the rule finds the same"
    if code == "XX207":  # a jurisdiction rule is re-run whatever the event touches
        narrow = evolve(registry[code], reads=("claims",))
        registry = make_registry([narrow])
        v = Validator(j, registry=registry, catalogue=CATALOGUE, select=[code])
    else:
        _narrow_touches(monkeypatch, event)
    v.apply(event)
    assert v.report() == before != after, f"{what}: a validator re-checking too little is caught"
    monkeypatch.undo()
    assert full(j, registry).by_code(code) == after.by_code(code)


def test_a_rule_without_reads_is_re_run_on_everyone(
    make_five_level: Callable[[], Jurisdiction],
) -> None:
    """Renaming P8 ends P7's shared name: only a rule re-run on everyone sees it."""
    shared = next(r for r in TEST_RULES if r.code == "XX206")
    assert shared.reads is None
    narrow = evolve(shared, reads=("people",))  # what it would wrongly declare
    results = {}
    for declared in (shared, narrow):
        registry = make_registry([declared])
        j = _street(make_five_level)
        v = Validator(j, registry=registry, catalogue=CATALOGUE, select=["XX206"])
        assert [d.ids for d in v.report()] == [("P7",), ("P8",)]
        v.apply(PersonAmended(evolve(j.people["P8"], name="乙")))
        results[declared.reads] = (
            v.report(),
            validate(j, registry=registry, catalogue=CATALOGUE, select=["XX206"]),
        )
    incremental, whole = results[None]
    assert incremental == whole
    assert [d.ids for d in whole] == []
    incremental, whole = results[("people",)]
    assert [d.ids for d in incremental] == [("P7",)] != [d.ids for d in whole], "stale"
