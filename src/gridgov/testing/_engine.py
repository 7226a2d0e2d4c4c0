"""The engines behind the strategies: legal commands, and events of any shape.

Each *legal command* looks at the current jurisdiction, draws arguments that are valid
in it (or does nothing when there are none) and calls an everyday command, so any
exception one raises is a bug. :func:`gridgov.testing.strategies.events` records what a
run of them applies; ``jurisdictions(valid=False)`` is what such a run from an empty
jurisdiction leaves. :func:`random_event` makes an event about ids that mostly exist,
often illegal in the current state; :data:`EVENT_STRATEGIES` makes events of any shape,
one strategy per event type.

Draws shrink toward the first option of every choice: fewer steps, the first
organization, no optional value.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import hypothesis.strategies as st

from gridgov.limits import MAX_COORDINATE
from gridgov.model import (
    FIVE_LEVEL,
    THREE_LEVEL,
    AsOfSet,
    Attachment,
    Category,
    Claim,
    Cooperative,
    CooperativeAdded,
    CooperativeAmended,
    Duty,
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
    MemberStatus,
    MemberTransferred,
    MemberUnfiled,
    Organization,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationRenamed,
    OrganizationReparented,
    OrgKind,
    PartyHousehold,
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
    RegistrationKind,
    Role,
    Scheme,
    SchemeSet,
    ZoneClaimed,
    ZoneReleased,
)

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

SCHEMES = [
    FIVE_LEVEL,
    THREE_LEVEL,
    Scheme(["town", "village", "plot"], filing_level="village", zone_level="plot", name="xiqiao"),
    Scheme(["town", "village"], filing_level="village", zone_level="village"),
]

# Ids from a small pool, with zero padding and a non-ASCII digit so that natural order
# ties (P2, P02, P٠2) occur.
ID_PARTS = st.tuples(
    st.sampled_from(["S", "C", "B", "G", "Z", "P", "H", "EC", "O"]),
    st.sampled_from(["", "0", "٠"]),
    st.integers(0, 12),
)
IDS = ID_PARTS.map(lambda t: f"{t[0]}{t[1]}{t[2]}")
TEXT = st.text(max_size=6)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
OPT_DATES = st.none() | DATES
FLOATS = st.floats(-MAX_COORDINATE, MAX_COORDINATE)  # the bounds of a coordinate
LOCATIONS = st.none() | st.tuples(FLOATS, FLOATS)
KINDS = st.none() | st.sampled_from(list(OrgKind))
ROLES = st.sampled_from(list(Role))
UNITS = st.lists(IDS, max_size=2).map(tuple)
MEMBERSHIPS = st.builds(
    PartyMembership,
    status=st.sampled_from(list(MemberStatus)),
    categories=st.frozensets(st.sampled_from(list(Category)), max_size=3),
    affiliation=st.none() | IDS,
    joined=OPT_DATES,
)
POLICIES = st.builds(
    Policy,
    max_branch_members=st.integers(1, 100),
    committee_threshold=st.integers(1, 20),
    max_zones_per_member=st.integers(0, 10),
    term_years_other=st.integers(1, 10),
)

OPT_STATUSES = st.none() | st.sampled_from(list(MemberStatus))
CATEGORY_SETS = st.sets(st.sampled_from(list(Category)), max_size=3)
OPT_IDS = st.none() | IDS
OPT_TEXT = st.none() | TEXT
OPT_DUTIES = st.none() | st.sampled_from(list(Duty))
OPT_MEMBERSHIPS = st.none() | MEMBERSHIPS
OPT_POLICIES = POLICIES | st.just(Policy())


# -- legal commands ------------------------------------------------------------------------------


@functools.cache
def _index(n: int) -> st.SearchStrategy[int]:
    # Strategies are cached: building fresh ones on every draw costs far more than drawing.
    return st.integers(0, n - 1)


BOOLS = st.booleans()


def _pick(draw: Draw, items: Any) -> Any:
    """One of `items`, or ``None`` when there are none."""
    items = list(items)
    return items[draw(_index(len(items)))] if items else None


def _optional(draw: Draw, items: Any) -> Any:
    """One of `items` or ``None``."""
    return _pick(draw, [None, *items])


def _taken(j: Jurisdiction, id: str) -> bool:
    return id in j.organizations or id in j.people or id in j.households or id in j.cooperatives


def _new_id(draw: Draw, j: Jurisdiction) -> str | None:
    """A fresh explicit id, or ``None`` to let the id factory make one."""
    id = draw(OPT_IDS)
    return None if id is None or _taken(j, id) else id


def found_org(j: Jurisdiction, draw: Draw) -> None:
    scheme = j.scheme
    feasible = []
    for level in scheme.levels:
        above = scheme.parent_level(level)
        if (above is None and not j.graph.roots()) or (above and j.graph.at_level(above)):
            feasible.append(level)
    level = _pick(draw, feasible)
    if level is None:
        return
    above = scheme.parent_level(level)
    parent = _pick(draw, j.graph.at_level(above)) if above else None
    j.found_org(
        _new_id(draw, j),
        level,
        draw(TEXT),
        parent,
        kind=draw(KINDS),
        cooperative=_optional(draw, j.cooperatives),
        formed=draw(OPT_DATES),
        term_start=draw(OPT_DATES),
        ends=draw(OPT_DATES),
        units=draw(UNITS),
    )


def amend_org(j: Jurisdiction, draw: Draw) -> None:
    org = _pick(draw, j.organizations)
    if org is None:
        return
    graph = j.graph

    def kind() -> OrgKind | None:
        """A kind the organization can take now: no team while members are filed in
        it, and one that takes attachments while members are attached to it."""
        allowed = [
            k
            for k in [None, *OrgKind]
            if not (k is not None and k.is_team and graph.direct_members(org))
            and not (j.attached(org) and (k is None or not k.attachable))
        ]
        return _pick(draw, allowed) if allowed else graph.org(org).kind

    fields: dict[str, Callable[[], Any]] = {
        "name": lambda: draw(TEXT),
        "kind": kind,
        "cooperative": lambda: _optional(draw, j.cooperatives),
        "formed": lambda: draw(OPT_DATES),
        "term_start": lambda: draw(OPT_DATES),
        "ends": lambda: draw(OPT_DATES),
        "units": lambda: draw(UNITS),
    }
    j.amend_org(org, **{k: make() for k, make in fields.items() if draw(BOOLS)})


def rename_org(j: Jurisdiction, draw: Draw) -> None:
    org = _pick(draw, j.organizations)
    if org is not None:
        j.rename_org(org, draw(TEXT))


def move_org(j: Jurisdiction, draw: Draw) -> None:
    moves: list[tuple[str, str]] = []
    for org in j.organizations:
        current = j.graph.parent(org)
        if current is None:
            continue
        above = j.scheme.parent_level(j.graph.level(org))
        assert above is not None
        moves.extend((org, p) for p in j.graph.at_level(above) if p != current)
    move = _pick(draw, moves)
    if move is not None:
        j.move_org(*move)


def _dissolvable(j: Jurisdiction, org: str) -> bool:
    return not (
        j.graph.children(org)
        or j.graph.direct_members(org)
        or j.households_in(org)
        or j.claimants(org)
        or j.posts_in(org)
        or j.registered_in(org)
        or j.registered_in(org, "work_unit")
        or any(p.appointed_by == org for p in j.posts.values())
        or any(c.community == org for c in j.cooperatives.values())
    )


def dissolve_org(j: Jurisdiction, draw: Draw) -> None:
    org = _pick(draw, [o for o in j.organizations if _dissolvable(j, o)])
    if org is not None:
        j.dissolve_org(org)


def add_household(j: Jurisdiction, draw: Draw) -> None:
    j.add_household(
        _new_id(draw, j),
        building=draw(OPT_TEXT),
        address=draw(OPT_TEXT),
        location=draw(LOCATIONS),
    )


def assign_household(j: Jurisdiction, draw: Draw) -> None:
    hh = _pick(draw, j.households)
    if hh is None:
        return
    current = j.zone_of_household.get(hh)
    options: list[str | None] = [z for z in j.graph.at_level(j.scheme.zone_level) if z != current]
    if current is not None:
        options.append(None)
    if options:
        j.assign_household(hh, _pick(draw, options))


def add_person(j: Jurisdiction, draw: Draw) -> None:
    status = draw(OPT_STATUSES)
    extra: dict[str, Any] = {}
    if status is not None:
        extra = {
            "categories": draw(CATEGORY_SETS),
            "affiliation": draw(OPT_IDS),
            "joined": draw(OPT_DATES),
        }
    j.add_person(
        _new_id(draw, j),
        draw(TEXT),
        status=status,
        household=_optional(draw, j.households),
        **extra,
    )


def amend_person(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, j.people)
    if person is None:
        return
    fields: dict[str, Callable[[], Any]] = {
        "name": lambda: draw(TEXT),
        "party": lambda: draw(OPT_MEMBERSHIPS),
        "household": lambda: _optional(draw, j.households),
    }
    j.amend_person(person, **{k: make() for k, make in fields.items() if draw(BOOLS)})


def _removable(j: Jurisdiction, person: str) -> bool:
    return not (
        person in j.registrations
        or person in j.work_registrations
        or j.attachments_of(person)
        or person in j.filings
        or j.zones_claimed_by(person)
        or j.posts_held(person)
        or any(person in (c.head, c.branch_secretary) for c in j.cooperatives.values())
    )


def remove_person(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, [p for p in j.people if _removable(j, p)])
    if person is not None:
        j.remove_person(person)


def add_cooperative(j: Jurisdiction, draw: Draw) -> None:
    j.add_cooperative(
        _new_id(draw, j),
        draw(TEXT),
        community=_optional(draw, _communities(j)),
        head=_optional(draw, j.people),
        branch_secretary=_optional(draw, j.people),
    )


def _communities(j: Jurisdiction) -> list[str]:
    """The organizations a cooperative or a registration may name: the community level."""
    level = j.scheme.registration_level
    return list(j.graph.at_level(level))


def amend_cooperative(j: Jurisdiction, draw: Draw) -> None:
    coop = _pick(draw, j.cooperatives)
    if coop is None:
        return
    j.amend_cooperative(
        coop,
        name=draw(TEXT),
        community=_optional(draw, _communities(j)),
        head=_optional(draw, j.people),
    )


def register(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, [p for p in j.people if p not in j.registrations])
    org = _pick(draw, _communities(j))
    if person is not None and org is not None:
        j.register(person, org, draw(OPT_DATES))


def deregister(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, j.registrations)
    if person is not None:
        j.deregister(person)


def _fileable(j: Jurisdiction) -> list[str]:
    """Organizations at the filing level members may be filed into (not service teams)."""
    graph = j.graph
    return [
        o
        for o in graph.at_level(j.scheme.filing_level)
        if graph.org(o).kind is None or not graph.org(o).kind.is_team  # type: ignore[union-attr]
    ]


def file_member(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, [p for p in j.people if p not in j.filings])
    org = _pick(draw, _fileable(j))
    if person is not None and org is not None:
        j.file_member(person, org, draw(OPT_DATES))


def unfile_member(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, j.filings)
    if person is not None:
        j.unfile_member(person)


def transfer_member(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, j.filings)
    if person is None:
        return
    org = _pick(draw, [o for o in _fileable(j) if o != j.filed_in(person)])
    if org is not None:
        j.transfer_member(person, org, draw(OPT_DATES))


def claim_zone(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, j.people)
    if person is None:
        return
    zone = _pick(
        draw,
        [z for z in j.graph.at_level(j.scheme.zone_level) if (person, z) not in j.claims],
    )
    if zone is not None:
        j.claim_zone(person, zone, draw(OPT_DATES))


def release_zone(j: Jurisdiction, draw: Draw) -> None:
    claim = _pick(draw, j.claims)
    if claim is not None:
        j.release_zone(*claim)


def appoint(j: Jurisdiction, draw: Draw) -> None:
    org = _pick(draw, j.organizations)
    holder = _pick(draw, j.people)
    if org is None or holder is None:
        return
    role = draw(ROLES)
    if (org, role, holder) in j.posts:
        return
    j.appoint(
        org,
        role,
        holder,
        appointed_by=_optional(draw, j.organizations),
        since=draw(OPT_DATES),
        duty=draw(OPT_DUTIES),
    )


def vacate(j: Jurisdiction, draw: Draw) -> None:
    key = _pick(draw, j.posts)
    if key is not None:
        since = j.posts[key].since
        until = draw(OPT_DATES)
        if since is not None and until is not None and until < since:
            until = since
        j.vacate(*key, until=until)


def register_work_unit(j: Jurisdiction, draw: Draw) -> None:
    person = _pick(draw, [p for p in j.people if p not in j.work_registrations])
    org = _pick(draw, _communities(j))
    if person is not None and org is not None:
        j.register(person, org, draw(OPT_DATES), kind="work_unit")


def _attachable(j: Jurisdiction) -> list[str]:
    graph = j.graph
    return [o for o in graph if graph.org(o).kind is not None and graph.org(o).kind.attachable]  # type: ignore[union-attr]


def attach_member(j: Jurisdiction, draw: Draw) -> None:
    org = _pick(draw, _attachable(j))
    if org is None:
        return
    person = _pick(draw, [p for p in j.people if (p, org) not in j.attachments])
    if person is not None:
        j.attach_member(person, org, date=draw(OPT_DATES))


def detach_member(j: Jurisdiction, draw: Draw) -> None:
    key = _pick(draw, j.attachments)
    if key is not None:
        j.detach_member(*key)


def set_policy(j: Jurisdiction, draw: Draw) -> None:
    j.set_policy(draw(OPT_POLICIES))


def set_as_of(j: Jurisdiction, draw: Draw) -> None:
    j.set_as_of(draw(OPT_DATES))


def found_path(j: Jurisdiction, draw: Draw) -> None:
    """Found one organization per level below a random one, down to the leaf level."""
    start = _pick(draw, j.organizations)
    if start is None:
        if j.graph.roots():
            return
        start = j.found_org(_new_id(draw, j), j.scheme.top, draw(TEXT)).org.id
    level = j.graph.level(start)
    while (below := j.scheme.child_level(level)) is not None:
        start = j.found_org(_new_id(draw, j), below, draw(TEXT), start).org.id
        level = below


def add_filed_member(j: Jurisdiction, draw: Draw) -> None:
    """Add a member, file them at the filing level and have them claim a zone under it."""
    org = _pick(draw, _fileable(j))
    if org is None:
        return
    status = draw(st.sampled_from(list(MemberStatus)))
    person = j.add_person(_new_id(draw, j), draw(TEXT), status=status).person.id
    j.file_member(person, org)
    zones = [z for z in j.graph.subtree(org) if j.graph.level(z) == j.scheme.zone_level]
    zone = _pick(draw, zones)
    if zone is not None:
        j.claim_zone(person, zone)


COMMANDS: list[Callable[[Jurisdiction, Draw], None]] = [
    found_path,
    add_filed_member,
    found_org,
    amend_org,
    rename_org,
    move_org,
    dissolve_org,
    add_household,
    assign_household,
    add_person,
    amend_person,
    remove_person,
    add_cooperative,
    amend_cooperative,
    register,
    deregister,
    file_member,
    unfile_member,
    transfer_member,
    claim_zone,
    release_zone,
    appoint,
    vacate,
    register_work_unit,
    attach_member,
    detach_member,
    set_policy,
    set_as_of,
]
# the builders come more often, so that histories grow a tree worth querying
WEIGHTED = [*COMMANDS, found_path, found_org, found_org, add_filed_member, add_filed_member]


# -- events of any shape, not only the logged ones -----------------------------------------------

ORGS = st.builds(
    Organization,
    id=IDS,
    level=st.sampled_from(["street", "zone", "town", "层"]),
    name=TEXT,
    parent=st.none() | IDS,
    kind=KINDS,
    cooperative=st.none() | IDS,
    formed=OPT_DATES,
    term_start=OPT_DATES,
    ends=OPT_DATES,
    units=UNITS,
)
PEOPLE = st.builds(
    Person, id=IDS, name=TEXT, party=st.none() | MEMBERSHIPS, household=st.none() | IDS
)
HOUSEHOLDS = st.builds(
    Household,
    id=IDS,
    building=st.none() | TEXT,
    address=st.none() | TEXT,
    location=LOCATIONS,
    party_household=st.none() | st.sampled_from(list(PartyHousehold)),
)
COOPS = st.builds(
    Cooperative,
    id=IDS,
    name=TEXT,
    community=st.none() | IDS,
    head=st.none() | IDS,
    branch_secretary=st.none() | IDS,
)
POSTS = st.builds(
    Post,
    org=IDS,
    role=ROLES,
    holder=IDS,
    appointed_by=st.none() | IDS,
    since=OPT_DATES,
    duty=st.none() | st.sampled_from(list(Duty)),
)
KIND_OF_REGISTRATION = st.sampled_from(list(RegistrationKind))
EVENT_STRATEGIES: dict[type[Event], st.SearchStrategy[Event]] = {
    SchemeSet: st.builds(SchemeSet, st.sampled_from(SCHEMES)),
    PolicyChanged: st.builds(PolicyChanged, POLICIES),
    AsOfSet: st.builds(AsOfSet, OPT_DATES),
    OrganizationFounded: st.builds(OrganizationFounded, ORGS),
    OrganizationAmended: st.builds(OrganizationAmended, ORGS),
    OrganizationRenamed: st.builds(OrganizationRenamed, IDS, TEXT),
    OrganizationReparented: st.builds(OrganizationReparented, IDS, st.none() | IDS),
    OrganizationDissolved: st.builds(OrganizationDissolved, IDS),
    HouseholdAdded: st.builds(HouseholdAdded, HOUSEHOLDS),
    HouseholdAmended: st.builds(HouseholdAmended, HOUSEHOLDS),
    HouseholdAssigned: st.builds(HouseholdAssigned, IDS, st.none() | IDS),
    PersonAdded: st.builds(PersonAdded, PEOPLE),
    PersonAmended: st.builds(PersonAmended, PEOPLE),
    PersonRemoved: st.builds(PersonRemoved, IDS),
    CooperativeAdded: st.builds(CooperativeAdded, COOPS),
    CooperativeAmended: st.builds(CooperativeAmended, COOPS),
    MemberRegistered: st.builds(
        MemberRegistered, st.builds(Registration, IDS, IDS, OPT_DATES, kind=KIND_OF_REGISTRATION)
    ),
    MemberDeregistered: st.builds(MemberDeregistered, IDS, KIND_OF_REGISTRATION, OPT_DATES),
    MemberFiled: st.builds(MemberFiled, st.builds(Filing, IDS, IDS, OPT_DATES)),
    MemberUnfiled: st.builds(MemberUnfiled, IDS, OPT_DATES),
    MemberTransferred: st.builds(MemberTransferred, IDS, IDS, OPT_DATES),
    ZoneClaimed: st.builds(ZoneClaimed, st.builds(Claim, IDS, IDS, OPT_DATES)),
    ZoneReleased: st.builds(ZoneReleased, IDS, IDS),
    PostAssigned: st.builds(PostAssigned, POSTS),
    PostVacated: st.builds(PostVacated, IDS, ROLES, IDS, OPT_DATES),
    MemberAttached: st.builds(MemberAttached, st.builds(Attachment, IDS, IDS, OPT_DATES)),
    MemberDetached: st.builds(MemberDetached, IDS, IDS, OPT_DATES),
}
EVENTS = st.one_of(*EVENT_STRATEGIES.values())


def _random_event(draw: Draw, j: Jurisdiction) -> Event:
    """An event mostly about ids that exist, often illegal in the current state."""
    known = [*j.organizations, *j.people, *j.households, *j.cooperatives, "ghost"]

    def ref() -> str:
        return str(_pick(draw, known))

    def opt() -> str | None:
        return None if draw(BOOLS) else ref()

    def new() -> str:
        return ref() if draw(BOOLS) else str(draw(IDS))

    def org(id: str) -> Organization:
        level = _pick(draw, [*j.scheme.levels, "nowhere"])
        return Organization(id, level, draw(TEXT), parent=opt())

    makers: list[Callable[[], Event]] = [
        lambda: SchemeSet(_pick(draw, SCHEMES)),
        lambda: OrganizationFounded(org(new())),
        lambda: OrganizationAmended(org(ref())),
        lambda: OrganizationReparented(ref(), opt()),
        lambda: OrganizationDissolved(ref()),
        lambda: HouseholdAdded(Household(new())),
        lambda: HouseholdAmended(
            Household(
                ref(), party_household=draw(st.none() | st.sampled_from(list(PartyHousehold)))
            )
        ),
        lambda: HouseholdAssigned(ref(), opt()),
        lambda: PersonAdded(Person(new(), draw(TEXT), household=opt())),
        lambda: PersonAmended(Person(ref(), draw(TEXT), household=opt())),
        lambda: PersonRemoved(ref()),
        lambda: CooperativeAdded(Cooperative(new(), draw(TEXT), opt(), opt(), opt())),
        lambda: CooperativeAmended(Cooperative(ref(), draw(TEXT), opt(), opt(), opt())),
        lambda: MemberRegistered(Registration(ref(), ref())),
        lambda: MemberDeregistered(ref()),
        lambda: MemberFiled(Filing(ref(), ref())),
        lambda: MemberUnfiled(ref()),
        lambda: MemberTransferred(ref(), ref()),
        lambda: ZoneClaimed(Claim(ref(), ref())),
        lambda: ZoneReleased(ref(), ref()),
        lambda: MemberAttached(Attachment(ref(), ref(), draw(OPT_DATES))),
        lambda: MemberDetached(ref(), ref()),
        lambda: PostAssigned(Post(ref(), draw(ROLES), ref(), appointed_by=opt())),
        lambda: PostVacated(ref(), draw(ROLES), ref()),
    ]
    return _pick(draw, makers)()  # type: ignore[no-any-return]
