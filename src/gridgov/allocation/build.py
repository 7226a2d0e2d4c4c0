"""From arrays to a jurisdiction: emit the event list once, fold it in one pass.

:func:`events_for` turns a district and its allocation into the domain events that
build it, in an order that satisfies every reference: scheme, policy, as-of date;
organizations down to the communities; households; people; cooperatives; branches,
groups and zones; households into zones; registrations, filings, claims, posts.
:func:`build_jurisdiction` folds them with :meth:`Jurisdiction.apply_all
<gridgov.model.Jurisdiction.apply_all>`, which checks each one, so a structurally broken
allocation raises rather than builds.

Value objects that repeat are shared (a member's :class:`~gridgov.model.PartyMembership`
is one object per status, categories and affiliation; building names are one string
per building), which keeps a city-size district's memory down.

Examples
--------
>>> from gridgov.allocation.simulate import simulate
>>> r = simulate(None, communities=2, members=60, households=300, build=False)
>>> events = events_for(r.district, r.allocation, policy=r.policy)
>>> j = build_jurisdiction(events)
>>> len(j.filings) == r.district.n_members
True
"""

from __future__ import annotations

import numpy as np

from gridgov.allocation.generate import (
    CADRE_COMMUNITY,
    CADRE_DISTRICT,
    CADRE_STREET_SECRETARY,
    CATEGORY_BITS,
    District,
)
from gridgov.allocation.grids import Grids
from gridgov.allocation.plan import Allocation, Layout, layout_for
from gridgov.allocation.posts import COMMITTEE_DUTIES
from gridgov.allocation.zones import Zones
from gridgov.io import _paused_gc as paused_gc
from gridgov.model.enums import Category, OrgKind, Role
from gridgov.model.events import (
    AsOfSet,
    CooperativeAdded,
    Event,
    HouseholdAdded,
    HouseholdAssigned,
    MemberFiled,
    MemberRegistered,
    OrganizationFounded,
    PersonAdded,
    PolicyChanged,
    PostAssigned,
    SchemeSet,
    ZoneClaimed,
)
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.model.scheme import FIVE_LEVEL
from gridgov.model.values import (
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    PartyMembership,
    Person,
    Post,
    Registration,
)

__all__ = [
    "branch_ids",
    "build_jurisdiction",
    "community_ids",
    "events_for",
    "group_ids",
    "household_ids",
    "member_ids",
    "zone_ids",
]


def community_ids(district: District) -> list[str]:
    """Return the id of every community (``C<index + 1>``).

    Parameters
    ----------
    district : District
        The district whose communities to name.

    Returns
    -------
    list of str
        One id per community, in community order.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> community_ids(generate(spec_for(None, communities=2, members=6, households=6)))
    ['C1', 'C2']
    """
    return [f"C{c + 1}" for c in range(len(district.community_names))]


def household_ids(district: District) -> list[str]:
    """Return the id of every household (``H<index + 1>``).

    Parameters
    ----------
    district : District
        The district whose households to name.

    Returns
    -------
    list of str
        One id per household, in household order.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> household_ids(generate(spec_for(None, communities=1, members=3, households=3)))
    ['H1', 'H2', 'H3']
    """
    return [f"H{h + 1}" for h in range(district.n_households)]


def member_ids(district: District) -> list[str]:
    """Return the person id of every member (``P<key + 1>``).

    Parameters
    ----------
    district : District
        The district whose members to name.

    Returns
    -------
    list of str
        One id per member, in member order; a member keeps their id through churn.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> member_ids(generate(spec_for(None, communities=1, members=3, households=3)))
    ['P1', 'P2', 'P3']
    """
    return [f"P{k + 1}" for k in district.member_key.tolist()]


def branch_ids(layout: Layout, grids: Grids) -> list[str]:
    """Return the id of the organization of every branch (``B<key + 1>``; grids ``G``).

    In the three-level scheme a grid is both branch and group, so its posts sit on the
    group (``G<key + 1>``).

    Parameters
    ----------
    layout : Layout
        The layout of the jurisdiction (:func:`~gridgov.allocation.plan.layout_for`).
    grids : Grids
        The branches to name.

    Returns
    -------
    list of str
        One id per branch, in branch order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> g = r.allocation.grids
    >>> branch_ids(layout_for(r.spec), g)
    ['B1', 'B2']
    >>> from gridgov.allocation.presets import spec_for
    >>> branch_ids(layout_for(spec_for("xiqiao")), g)  # three-level: grids are groups
    ['G1', 'G2']
    """
    return [layout.branch_id(k) for k in grids.branch_key.tolist()]


def group_ids(grids: Grids) -> list[str]:
    """Return the id of every group (``G<key + 1>``).

    Parameters
    ----------
    grids : Grids
        The groups to name.

    Returns
    -------
    list of str
        One id per group, in group order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> group_ids(r.allocation.grids)
    ['G1', 'G2', 'G3']
    """
    return [f"G{k + 1}" for k in grids.group_key.tolist()]


def zone_ids(zones: Zones) -> list[str]:
    """Return the id of every zone (``Z<key + 1>``).

    Parameters
    ----------
    zones : Zones
        The zones to name.

    Returns
    -------
    list of str
        One id per zone, in zone order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> ids = zone_ids(r.allocation.zones)
    >>> len(ids) == r.allocation.zones.n_zones, ids[:3]
    (True, ['Z1', 'Z2', 'Z3'])
    """
    return [f"Z{k + 1}" for k in zones.zone_key.tolist()]


def events_for(
    district: District, allocation: Allocation, *, policy: Policy | None = None
) -> list[Event]:
    """Return the events that build the jurisdiction of `district` as `allocation` says.

    Parameters
    ----------
    district : District
    allocation : Allocation
    policy : Policy, optional
        Recorded in the jurisdiction when it is not the default.

    Returns
    -------
    list of Event
        Scheme, policy and as-of date; organizations down to the communities;
        households and people; cooperatives; branches, groups and zones; households into
        zones; registrations, filings, claims and posts, in that order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> from gridgov.model.events import MemberFiled
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> events = events_for(r.district, r.allocation)
    >>> sum(isinstance(e, MemberFiled) for e in events)
    60
    >>> type(events[0]).__name__
    'AsOfSet'
    """
    with paused_gc():
        return _events(district, allocation, policy or Policy(), layout_for(district.spec))


def build_jurisdiction(events: list[Event]) -> Jurisdiction:
    """Fold `events` into a new jurisdiction in one pass (each event checked).

    Parameters
    ----------
    events : list of Event
        The events to apply in order, as :func:`events_for` returns them.

    Returns
    -------
    Jurisdiction
        A new jurisdiction holding what the events built.

    Raises
    ------
    IntegrityError
        If an event breaks structural integrity (a bug in the allocation), e.g.
        :class:`~gridgov.errors.UnknownReferenceError` for a dangling reference.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> events = events_for(r.district, r.allocation)
    >>> j = build_jurisdiction(events)
    >>> len(j.filings), len(j.claims) == r.allocation.zones.n_zones
    (60, True)

    Without the street committee (the root) its communities cannot be founded:

    >>> type(events[1]).__name__
    'OrganizationFounded'
    >>> build_jurisdiction(events[:1] + events[2:])
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: org.parent: unknown organization 'S1'
    """
    with paused_gc():
        return Jurisdiction.replay(events)


def _events(district: District, a: Allocation, policy: Policy, layout: Layout) -> list[Event]:
    spec = district.spec
    g = a.grids
    posts = a.posts
    zones = a.zones
    ev: list[Event] = []
    if layout.scheme != FIVE_LEVEL:
        ev.append(SchemeSet(layout.scheme))
    if policy != Policy():
        ev.append(PolicyChanged(policy))
    ev.append(AsOfSet(spec.as_of))

    # -- committees down to the communities -------------------------------------------------
    root = layout.root_id
    street_ids = [layout.street_id(s) for s in range(len(district.street_names))]
    if layout.district is not None:
        ev.append(OrganizationFounded(Organization(root, layout.district, f"{spec.title}委")))
        for s, name in enumerate(district.street_names):
            ev.append(
                OrganizationFounded(
                    Organization(street_ids[s], layout.street, f"{name}党工委", root)
                )
            )
    else:
        suffix = "党委" if layout.street == "town" else "党工委"
        ev.append(OrganizationFounded(Organization(root, layout.street, f"{spec.title}{suffix}")))
    cids = community_ids(district)
    for c, name in enumerate(district.community_names):
        parent = street_ids[int(district.community_street[c])]
        ev.append(
            OrganizationFounded(Organization(cids[c], layout.community, f"{name}党委", parent))
        )

    # -- households and people ----------------------------------------------------------------
    hids = household_ids(district)
    bnames = district.building_names
    xy = district.household_xy.tolist()
    ev.extend(
        HouseholdAdded(Household(hid, building=bnames[b], location=(p[0], p[1])))
        for hid, b, p in zip(hids, district.household_building.tolist(), xy, strict=True)
    )
    names = district.names
    pid = member_ids(district)
    memberships: dict[tuple[bool, int, int], PartyMembership] = {}
    affiliations = district.affiliations
    for key in set(
        zip(
            district.member_full.tolist(),
            district.member_flags.tolist(),
            district.member_affiliation.tolist(),
            strict=True,
        )
    ):
        full, flags, aff = key
        memberships[key] = PartyMembership(
            "full" if full else "probationary",
            [c for i, c in enumerate(CATEGORY_BITS) if flags >> i & 1],
            affiliation=affiliations[aff] if aff >= 0 else None,
        )
    ev.extend(
        PersonAdded(Person(p, names[n], party=memberships[(f, fl, af)], household=hids[h]))
        for p, n, f, fl, af, h in zip(
            pid,
            district.member_name.tolist(),
            district.member_full.tolist(),
            district.member_flags.tolist(),
            district.member_affiliation.tolist(),
            district.member_household.tolist(),
            strict=True,
        )
    )
    cadre_ids = [f"K{i + 1}" for i in range(len(district.cadre_kind))]
    cadre_party: dict[tuple[int, int], PartyMembership] = {}
    for i, (kind, s, c) in enumerate(
        zip(
            district.cadre_kind.tolist(),
            district.cadre_street.tolist(),
            district.cadre_community.tolist(),
            strict=True,
        )
    ):
        if kind == CADRE_COMMUNITY:
            party = PartyMembership("full", [Category.EMPLOYED], affiliation=cids[c])
        else:
            where = root if kind == CADRE_DISTRICT else street_ids[s]
            cats = (
                [Category.ORGAN]
                if kind == CADRE_DISTRICT
                else [Category.STREET_CADRE, Category.ORGAN]
            )
            party = cadre_party.setdefault(
                (kind, s), PartyMembership("full", cats, affiliation=f"EXT-{where}-organ")
            )
        ev.append(
            PersonAdded(Person(cadre_ids[i], names[int(district.cadre_name[i])], party=party))
        )
    head_ids = [f"N{k + 1}" for k in range(len(district.head_household))]
    ev.extend(
        PersonAdded(Person(head_ids[k], names[n], household=hids[h]))
        for k, (n, h) in enumerate(
            zip(district.head_name.tolist(), district.head_household.tolist(), strict=True)
        )
    )

    # -- cooperatives ---------------------------------------------------------------------------
    coop_ids = (
        [f"EC{k + 1}" for k in range(len(district.compound_names))]
        if district.is_cooperative
        else []
    )
    if coop_ids:
        secretary_of_coop = np.full(len(coop_ids), -1, dtype=np.int64)
        linked = g.branch_cooperative >= 0
        secretary_of_coop[g.branch_cooperative[linked]] = posts.branch_secretary[linked]
        for k, cid in enumerate(coop_ids):
            sec = int(secretary_of_coop[k])
            ev.append(
                CooperativeAdded(
                    Cooperative(
                        cid,
                        district.compound_names[k],
                        community=cids[int(district.compound_community[k])],
                        head=head_ids[k],
                        branch_secretary=pid[sec] if sec >= 0 else None,
                    )
                )
            )

    # -- branches, groups, zones -------------------------------------------------------------------
    bids = branch_ids(layout, g)
    comm_of_branch = g.branch_community.tolist()
    local_b = g.branch_ordinal.tolist()
    cnames = district.community_names
    for b in range(g.n_branches):
        coop = int(g.branch_cooperative[b])
        joint = bool(g.branch_joint[b])
        c = comm_of_branch[b]
        if coop >= 0 and not joint:
            name = district.compound_names[coop] + ("网格党支部" if layout.branch else "网格")
        elif joint:
            name = f"{cnames[c]}第{local_b[b]}联合党支部"
        else:
            name = f"{cnames[c]}第{local_b[b]}网格党支部"
        units = tuple(
            (coop_ids[u] if coop_ids else district.compound_names[u]) for u in g.branch_units[b]
        )
        ev.append(
            OrganizationFounded(
                Organization(
                    bids[b],
                    layout.branch or layout.group,
                    name,
                    cids[c],
                    kind=OrgKind.JOINT if joint else OrgKind.GRID,
                    cooperative=coop_ids[coop] if coop >= 0 else None,
                    formed=spec.formed,
                    term_start=spec.formed,
                    units=units,
                )
            )
        )
    gids = group_ids(g)
    if layout.branch is not None:
        local_g = g.group_ordinal.tolist()
        ev.extend(
            OrganizationFounded(Organization(gids[i], layout.group, f"第{n}党小组", bids[b]))
            for i, (b, n) in enumerate(zip(g.group_branch.tolist(), local_g, strict=True))
        )
    zids = zone_ids(zones)
    zone_word = "党员户" if layout.branch is None else "责任区"
    ev.extend(
        OrganizationFounded(Organization(zids[z], layout.zone, bnames[bld] + zone_word, gids[grp]))
        for z, (grp, bld) in enumerate(
            zip(
                zones.zone_group.tolist(),
                district.household_building[zones.zone_household].tolist(),
                strict=True,
            )
        )
    )
    ev.extend(
        HouseholdAssigned(hids[h], zids[z]) for h, z in enumerate(zones.household_zone.tolist())
    )

    # -- registrations, filings, claims -----------------------------------------------------------
    ev.extend(
        MemberRegistered(Registration(p, cids[c]))
        for p, c in zip(pid, district.member_community.tolist(), strict=True)
    )
    ev.extend(
        MemberFiled(Filing(p, gids[grp]))
        for p, grp in zip(pid, a.member_group.tolist(), strict=True)
    )
    ev.extend(
        ZoneClaimed(Claim(pid[m], zids[z])) for z, m in enumerate(a.assignment.claimant.tolist())
    )

    # -- posts ---------------------------------------------------------------------------------------
    for i, (kind, s, c) in enumerate(
        zip(
            district.cadre_kind.tolist(),
            district.cadre_street.tolist(),
            district.cadre_community.tolist(),
            strict=True,
        )
    ):
        if kind == CADRE_DISTRICT:
            ev.append(PostAssigned(Post(root, Role.SECRETARY, cadre_ids[i])))
        elif kind == CADRE_STREET_SECRETARY:
            ev.append(PostAssigned(Post(street_ids[s], Role.SECRETARY, cadre_ids[i])))
        elif kind == CADRE_COMMUNITY:
            ev.append(PostAssigned(Post(cids[c], Role.SECRETARY, cadre_ids[i])))
    for b in range(g.n_branches):
        org = bids[b]
        sec = int(posts.branch_secretary[b])
        if sec >= 0:
            ev.append(PostAssigned(Post(org, Role.SECRETARY, pid[sec])))
        # the first committee members take the organization, propaganda and discipline
        # duties; a larger committee's other members have none
        for k, m in enumerate(posts.branch_committee[b].tolist()):
            if m >= 0:
                duty = COMMITTEE_DUTIES[k] if k < len(COMMITTEE_DUTIES) else None
                ev.append(PostAssigned(Post(org, Role.COMMITTEE_MEMBER, pid[m], duty=duty)))
        first = cadre_ids[int(posts.branch_first_secretary[b])]
        street = street_ids[int(district.community_street[g.branch_community[b]])]
        ev.append(
            PostAssigned(
                Post(org, Role.FIRST_SECRETARY, first, appointed_by=street, since=spec.formed)
            )
        )
        ev.append(PostAssigned(Post(org, Role.GRID_LEADER, first)))
        head = int(posts.branch_head_leader[b])
        second = head_ids[head] if head >= 0 else (pid[sec] if sec >= 0 else None)
        if second is not None:
            ev.append(PostAssigned(Post(org, Role.GRID_LEADER, second)))
        captain = int(posts.branch_captain[b])
        if captain >= 0:
            ev.append(PostAssigned(Post(org, Role.SERVICE_TEAM_CAPTAIN, pid[captain])))
    ev.extend(
        PostAssigned(Post(gids[i], Role.GROUP_LEADER, pid[m]))
        for i, m in enumerate(posts.group_leader.tolist())
        if m >= 0
    )
    return ev
