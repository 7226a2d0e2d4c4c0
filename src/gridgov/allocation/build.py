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

from gridgov.allocation import _checks
from gridgov.allocation.generate import (
    CADRE_COMMUNITY,
    CADRE_DISTRICT,
    CADRE_STREET_SECRETARY,
    CATEGORY_BITS,
    District,
)
from gridgov.allocation.grids import Grids
from gridgov.allocation.naming import Names
from gridgov.allocation.plan import Allocation, Layout, layout_for
from gridgov.allocation.posts import COMMITTEE_DUTIES
from gridgov.allocation.zones import Zones
from gridgov.model.enums import Category, OrgKind, Role
from gridgov.model.events import (
    AsOfSet,
    CooperativeAdded,
    Event,
    HouseholdAdded,
    HouseholdAssigned,
    MemberAttached,
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
    Attachment,
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
    "Names",
    "branch_ids",
    "build_jurisdiction",
    "community_ids",
    "events_for",
    "group_ids",
    "household_ids",
    "member_ids",
    "root_id",
    "street_ids",
    "team_ids",
    "zone_ids",
]


def street_ids(district: District, names: Names) -> list[str]:
    """Return the id of every street (or town), minted as ``street`` records.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> d = generate(spec_for(None, communities=2, members=6, households=6))
    >>> street_ids(d, Names())
    ['S1']
    """
    layout = layout_for(district.spec)
    root = root_id(district, names)
    if layout.district is None:
        return [root]
    count = len(district.street_names)
    return names.ids("street", layout.street, range(count), [root] * count)


def root_id(district: District, names: Names) -> str:
    """Return the id of the root organization (the district, or the only street or town).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> root_id(generate(spec_for(None, communities=2, members=6, households=6)), Names())
    'S1'
    """
    layout = layout_for(district.spec)
    if layout.district is not None:
        return names.id("root", layout.district, 0)
    return names.id("street", layout.street, 0)


def community_ids(district: District, names: Names) -> list[str]:
    """Return the id of every community, in community order.

    Parameters
    ----------
    district : District
        The district whose communities to name.
    names : Names
        The ids minted so far (new ones are minted).

    Returns
    -------
    list of str
        One id per community (``C1, C2, ...`` with the built-in ids).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> community_ids(generate(spec_for(None, communities=2, members=6, households=6)), Names())
    ['C1', 'C2']
    """
    layout = layout_for(district.spec)
    streets = street_ids(district, names)
    parents = [streets[int(s)] for s in district.community_street.tolist()]
    return names.ids("community", layout.community, range(len(district.community_names)), parents)


def household_ids(district: District, names: Names) -> list[str]:
    """Return the id of every household, in household order (``H1, ...`` built in).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> household_ids(generate(spec_for(None, communities=1, members=3, households=3)), Names())
    ['H1', 'H2', 'H3']
    """
    return names.ids("household", "household", range(district.n_households))


def member_ids(district: District, names: Names) -> list[str]:
    """Return the person id of every member, in member order (by their lasting key).

    Returns
    -------
    list of str
        One id per member; a member keeps their id through churn.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> member_ids(generate(spec_for(None, communities=1, members=3, households=3)), Names())
    ['P1', 'P2', 'P3']
    """
    return names.ids("member", "person", district.member_key.tolist())


def branch_ids(layout: Layout, grids: Grids, names: Names, communities: list[str]) -> list[str]:
    """Return the id of the organization of every branch (by its lasting key).

    In the three-level scheme a grid is both branch and group, so its posts sit on the
    group: the branch ids are the group ids.

    Parameters
    ----------
    layout : Layout
        The layout of the jurisdiction (:func:`~gridgov.allocation.plan.layout_for`).
    grids : Grids
        The branches to name.
    names : Names
        The ids minted so far.
    communities : list of str
        The community ids (the parents).

    Returns
    -------
    list of str
        One id per branch, in branch order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> g = r.allocation.grids
    >>> branch_ids(layout_for(r.spec), g, r.names, community_ids(r.district, r.names))
    ['B1', 'B2']
    """
    parents = [communities[c] for c in grids.branch_community.tolist()]
    if layout.branch is None:
        return names.ids("group", layout.group, grids.branch_key.tolist(), parents)
    return names.ids("branch", layout.branch, grids.branch_key.tolist(), parents)


def group_ids(layout: Layout, grids: Grids, names: Names, branches: list[str]) -> list[str]:
    """Return the id of every group (by its lasting key), in group order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> layout = layout_for(r.spec)
    >>> bids = branch_ids(layout, r.allocation.grids, r.names, community_ids(r.district, r.names))
    >>> group_ids(layout, r.allocation.grids, r.names, bids)
    ['G1', 'G2', 'G3']
    """
    if layout.branch is None:  # three-level: a grid is branch and group at once
        return [branches[b] for b in grids.group_branch.tolist()]
    parents = [branches[b] for b in grids.group_branch.tolist()]
    return names.ids("group", layout.group, grids.group_key.tolist(), parents)


def zone_ids(layout: Layout, zones: Zones, names: Names, groups: list[str]) -> list[str]:
    """Return the id of every zone (by its lasting key), in zone order.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> layout = layout_for(r.spec)
    >>> bids = branch_ids(layout, r.allocation.grids, r.names, community_ids(r.district, r.names))
    >>> gids = group_ids(layout, r.allocation.grids, r.names, bids)
    >>> zone_ids(layout, r.allocation.zones, r.names, gids)[:3]
    ['Z1', 'Z2', 'Z3']
    """
    parents = [groups[g] for g in zones.zone_group.tolist()]
    return names.ids("zone", layout.zone, zones.zone_key.tolist(), parents)


def team_ids(
    layout: Layout,
    grids: Grids,
    names: Names,
    branches: list[str],
    communities: list[str],
    teamed: list[int],
) -> dict[int, str]:
    """Return the id of the service team of each branch in `teamed`, by branch index.

    A team is an organization at the filing level under its branch (under the community
    in the three-level scheme, whose grids are the filing level), keyed by its branch's
    lasting key: it keeps its id while the branch lasts.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=120, households=500, service_teams=1)
    >>> [o.name for o in r.jurisdiction.organizations.values() if o.kind == "service_team"]
    ['罗永社区第1网格党支部党群服务队']
    """
    if layout.branch is not None:
        parents = [branches[b] for b in teamed]
    else:
        parents = [communities[int(grids.branch_community[b])] for b in teamed]
    keys = [int(grids.branch_key[b]) for b in teamed]
    return dict(zip(teamed, names.ids("team", layout.group, keys, parents), strict=True))


def events_for(
    district: District,
    allocation: Allocation,
    *,
    policy: Policy | None = None,
    names: Names | None = None,
) -> list[Event]:
    """Return the events that build the jurisdiction of `district` as `allocation` says.

    Parameters
    ----------
    district : District
    allocation : Allocation
    policy : Policy, optional
        Recorded in the jurisdiction when it is not the default.
    names : Names, optional
        The ids of the district's records (default: new ones, minted through the id
        hook); pass the simulation's own to keep its ids.

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
    >>> [type(e).__name__ for e in events[:2]]  # the first-secretary practice is Junhe's
    ['PolicyChanged', 'AsOfSet']
    """
    _checks.instance("district", district, District)
    _checks.instance("allocation", allocation, Allocation)._fits(district)
    if names is not None:
        _checks.instance("names", names, Names)
    return _events(
        district,
        allocation,
        district.spec.default_policy() if policy is None else _checks.policy(policy),
        layout_for(district.spec),
        Names() if names is None else names,
    )


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

    >>> type(events[2]).__name__
    'OrganizationFounded'
    >>> build_jurisdiction(events[:2] + events[3:])
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: org.parent: unknown organization 'S1'
    """
    return Jurisdiction.replay(events)


def _events(
    district: District, a: Allocation, policy: Policy, layout: Layout, names: Names
) -> list[Event]:
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
    root = root_id(district, names)
    streets = street_ids(district, names)
    if layout.district is not None:
        ev.append(OrganizationFounded(Organization(root, layout.district, f"{spec.title}委")))
        for s, name in enumerate(district.street_names):
            ev.append(
                OrganizationFounded(Organization(streets[s], layout.street, f"{name}党工委", root))
            )
    else:
        suffix = "党委" if layout.street == "town" else "党工委"
        ev.append(OrganizationFounded(Organization(root, layout.street, f"{spec.title}{suffix}")))
    cids = community_ids(district, names)
    for c, name in enumerate(district.community_names):
        parent = streets[int(district.community_street[c])]
        ev.append(
            OrganizationFounded(Organization(cids[c], layout.community, f"{name}党委", parent))
        )

    # -- households and people ----------------------------------------------------------------
    hids = household_ids(district, names)
    bnames = district.building_names
    xy = district.household_xy.tolist()
    ev.extend(
        HouseholdAdded(Household(hid, building=bnames[b], location=(p[0], p[1])))
        for hid, b, p in zip(hids, district.household_building.tolist(), xy, strict=True)
    )
    person_names = district.names
    pid = member_ids(district, names)
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
        PersonAdded(Person(p, person_names[n], party=memberships[(f, fl, af)], household=hids[h]))
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
    cadre_ids = names.ids("cadre", "person", range(len(district.cadre_kind)))
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
            where = root if kind == CADRE_DISTRICT else streets[s]
            cats = (
                [Category.ORGAN]
                if kind == CADRE_DISTRICT
                else [Category.STREET_CADRE, Category.ORGAN]
            )
            party = cadre_party.setdefault(
                (kind, s), PartyMembership("full", cats, affiliation=f"EXT-{where}-organ")
            )
        ev.append(
            PersonAdded(
                Person(cadre_ids[i], person_names[int(district.cadre_name[i])], party=party)
            )
        )
    head_ids = names.ids("head", "person", range(len(district.head_household)))
    ev.extend(
        PersonAdded(Person(head_ids[k], person_names[n], household=hids[h]))
        for k, (n, h) in enumerate(
            zip(district.head_name.tolist(), district.head_household.tolist(), strict=True)
        )
    )

    # -- cooperatives ---------------------------------------------------------------------------
    coop_ids = (
        names.ids(
            "cooperative",
            "cooperative",
            range(len(district.compound_names)),
            [cids[int(c)] for c in district.compound_community.tolist()],
        )
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
    bids = branch_ids(layout, g, names, cids)
    branch_kind = OrgKind.FUNCTIONAL if spec.branch_kind == "functional" else OrgKind.GRID
    comm_of_branch = g.branch_community.tolist()
    local_b = g.branch_ordinal.tolist()
    cnames = district.community_names
    branch_names: list[str] = []
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
        branch_names.append(name)
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
                    kind=OrgKind.JOINT if joint else branch_kind,
                    cooperative=coop_ids[coop] if coop >= 0 else None,
                    formed=spec.formed,
                    term_start=spec.formed,
                    units=units,
                )
            )
        )
    gids = group_ids(layout, g, names, bids)
    if layout.branch is not None:
        local_g = g.group_ordinal.tolist()
        ev.extend(
            OrganizationFounded(Organization(gids[i], layout.group, f"第{n}党小组", bids[b]))
            for i, (b, n) in enumerate(zip(g.group_branch.tolist(), local_g, strict=True))
        )
    teamed = np.flatnonzero(posts.branch_captain >= 0).tolist()
    tids = team_ids(layout, g, names, bids, cids, teamed)
    ev.extend(
        OrganizationFounded(
            Organization(
                tids[b],
                layout.group,
                f"{branch_names[b]}党群服务队",
                bids[b] if layout.branch is not None else cids[comm_of_branch[b]],
                kind=OrgKind.SERVICE_TEAM,
                formed=spec.formed,
            )
        )
        for b in teamed
    )
    zids = zone_ids(layout, zones, names, gids)
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
    ev.extend(
        MemberAttached(Attachment(pid[m], tids[b], date=spec.formed))
        for b in teamed
        for m in (int(posts.branch_captain[b]), *posts.branch_team[b].tolist())
        if m >= 0
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
            ev.append(PostAssigned(Post(streets[s], Role.SECRETARY, cadre_ids[i])))
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
        fs = int(posts.branch_first_secretary[b])
        if fs >= 0:  # Junhe's practice: a first secretary and dual grid leaders
            first = cadre_ids[fs]
            street = streets[int(district.community_street[g.branch_community[b]])]
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
            ev.append(PostAssigned(Post(tids[b], Role.SERVICE_TEAM_CAPTAIN, pid[captain])))
    ev.extend(
        PostAssigned(Post(gids[i], Role.GROUP_LEADER, pid[m]))
        for i, m in enumerate(posts.group_leader.tolist())
        if m >= 0
    )
    return ev
