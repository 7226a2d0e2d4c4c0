"""Everyday changes as one operation: each a batch of ordinary events, planned then applied.

A street office's weekly changes take several events in the right order: a member who
moves house leaves their zones and the posts they can no longer hold, reports to the
new community and is re-filed. The functions here plan such a change from the current
state and return it as a :class:`Change` (its events, the posts it vacates and the posts
a new organization still needs) without applying anything;
:class:`~gridgov.model.Jurisdiction`'s commands of the same names plan and apply them
all or none. To validate a change incrementally, plan it and give its events to a
validator::

    change = operations.relocate_member(j, "P5", "G7", date="2024-03-01")
    validator.apply_all(change.events)

The events are the ordinary ones (``ZoneReleased``, ``PostVacated``,
``MemberTransferred``, ...), so a log, a store or a bus sees nothing new.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
...     _ = j.found_org(o, lvl, o, parent=p)
>>> _ = j.add_person("P1", "李四", status="full")
>>> _ = j.file_member("P1", "G1")
>>> _ = j.appoint("G1", "group_leader", "P1")
>>> change = relocate_member(j, "P1", "G2", date="2024-03-01")
>>> [e.topic for e in change.events], [p.org for p in change.vacated]
(['PostVacated', 'MemberTransferred'], ['G1'])
>>> j.filed_in("P1")  # planned, not applied
'G1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from gridgov.errors import DuplicateIdError, HierarchyError, InvalidValueError, StateError
from gridgov.limits import check_id_text, check_ids, check_length
from gridgov.model.enums import OrgKind, RegistrationKind, Role
from gridgov.model.events import (
    CooperativeAmended,
    Event,
    HouseholdAssigned,
    MemberAttached,
    MemberDeregistered,
    MemberDetached,
    MemberFiled,
    MemberRegistered,
    MemberTransferred,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationReparented,
    PostAssigned,
    PostVacated,
    ZoneReleased,
)
from gridgov.model.values import (
    Attachment,
    Filing,
    Organization,
    Post,
    Registration,
    to_date,
    to_role,
)

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

__all__ = ["Change", "merge_orgs", "relocate_member", "replace_holder", "split_org"]

_LEADS = frozenset(
    {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER, Role.GROUP_LEADER}
)
"""The posts a member holds as a member of the organization: elected posts and group leader."""


def _items(field_name: str, value: object, what: str) -> tuple[object, ...]:
    """The items of `value`, a list or tuple (not a string, a mapping or a set)."""
    if not isinstance(value, list | tuple):
        raise InvalidValueError(field_name, value, f"must be a list of {what}")
    check_length(field_name, len(value))
    return tuple(value)


def _events(value: object) -> tuple[Event, ...]:
    items = _items("events", value, "events")
    for i, e in enumerate(items):
        if not isinstance(e, Event):
            raise InvalidValueError(f"events[{i}]", e, "must be an Event")
    return items  # type: ignore[return-value]


def _posts(value: object) -> tuple[Post, ...]:
    items = _items("vacated", value, "posts")
    for i, p in enumerate(items):
        if not isinstance(p, Post):
            raise InvalidValueError(f"vacated[{i}]", p, "must be a Post")
    return items  # type: ignore[return-value]


def _needs_of(value: object) -> tuple[tuple[str, Role], ...]:
    out = []
    for i, need in enumerate(_items("needs", value, "(org, role) pairs")):
        if not isinstance(need, list | tuple) or len(need) != 2:
            raise InvalidValueError(f"needs[{i}]", need, "must be a pair (org, role)")
        try:
            role = to_role(need[1])
        except InvalidValueError as exc:
            raise InvalidValueError(f"needs[{i}]", need[1], exc.reason) from None
        out.append((check_id_text(f"needs[{i}]", need[0]), role))
    return tuple(out)


def _zones(value: object) -> tuple[str, ...]:
    return check_ids("unclaimed", value)


@frozen
class Change:
    """A change planned as one batch: its events, what it vacates, what remains to fill.

    Attributes
    ----------
    events : tuple of Event
        The events, in the order they apply.
    vacated : tuple of Post
        The posts the change vacates (as they were), so the caller can appoint successors.
    needs : tuple of (str, Role)
        The posts still to fill after the change: ``(org, role)``, a role repeated once
        per holder wanted (a new organization's posts; committee members a branch now
        needs).
    unclaimed : tuple of str
        The zones the change released that nobody else claims, for a member of their
        group to claim.

    Examples
    --------
    >>> Change((), needs=(("B9", "secretary"),)).needs
    (('B9', 'secretary'),)
    >>> Change(["OrganizationFounded"])
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: events[0]: must be an Event (got 'OrganizationFounded')
    """

    events: tuple[Event, ...] = field(converter=_events)
    vacated: tuple[Post, ...] = field(default=(), converter=_posts)
    needs: tuple[tuple[str, Role], ...] = field(default=(), converter=_needs_of)
    unclaimed: tuple[str, ...] = field(default=(), converter=_zones)


def _day(date: dt.date | str | None) -> dt.date | None:
    return None if date is None else to_date(date, "date")


def _org(j: Jurisdiction, field_name: str, org: object) -> str:
    if not isinstance(org, str):
        raise InvalidValueError(field_name, org, "must be an organization id (a string)")
    if org not in j.graph:
        from gridgov.errors import UnknownReferenceError

        raise UnknownReferenceError(field_name, org, "organization")
    return org


def _person(j: Jurisdiction, field_name: str, person: object) -> str:
    if not isinstance(person, str):
        raise InvalidValueError(field_name, person, "must be a person id (a string)")
    if person not in j.people:
        from gridgov.errors import UnknownReferenceError

        raise UnknownReferenceError(field_name, person, "person")
    return person


def relocate_member(
    j: Jurisdiction, person: str, org: str, *, date: dt.date | str | None = None
) -> Change:
    """Plan the move of `person` to a new home in `org`, possibly in another community.

    The member releases the zones outside the new group, leaves the posts they can no
    longer hold (the elected posts and group leader of the organizations they leave:
    concurrent posts such as first secretary stay), moves their residence registration
    to the new community (a work-unit registration stays) and is re-filed into `org`.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction (not changed).
    person : str
        The member who moves.
    org : str
        Their new group (an organization at the filing level).
    date : datetime.date or str, optional
        When they move: the day the posts end, the new registration and filing start.

    Returns
    -------
    Change
        The events; ``vacated`` lists the posts they left, to appoint successors, and
        ``unclaimed`` the zones they released that nobody else claims.

    Raises
    ------
    UnknownReferenceError
        If `person` or `org` is unknown.
    HierarchyError
        If `org` is not at the filing level, or is a service team.
    StateError
        If `person` is already filed in `org`.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
    ...                   ("C2", "community", "S1"), ("B1", "branch", "C1"),
    ...                   ("B2", "branch", "C2"), ("G1", "group", "B1"), ("G2", "group", "B2")]:
    ...     _ = j.found_org(o, lvl, o, parent=p)
    >>> _ = j.add_person("P1", "李四", status="full")
    >>> _ = j.register("P1", "C1")
    >>> _ = j.file_member("P1", "G1")
    >>> _ = j.appoint("B1", "secretary", "P1")
    >>> [e.topic for e in relocate_member(j, "P1", "G2").events]
    ['PostVacated', 'MemberDeregistered', 'MemberRegistered', 'MemberTransferred']
    """
    person = _person(j, "person", person)
    org = _org(j, "org", org)
    day = _day(date)
    graph, scheme = j.graph, j.scheme
    if graph.level(org) != scheme.filing_level:
        raise HierarchyError(
            "org",
            org,
            f"{org!r} is at level {graph.level(org)!r}; members are filed at level "
            f"{scheme.filing_level!r}",
            code="GG106",
        )
    kind = graph.org(org).kind
    if kind is not None and kind.is_team:
        raise HierarchyError(
            "org", org, f"{org!r} is a service team: members are attached to it, not filed"
        )
    filed = j.filed_in(person)
    if filed == org:
        raise StateError("org", org, f"{person!r} is already filed in {org!r}")
    staying = set(graph.chain(org))
    left = [o for o in graph.chain(filed) if o not in staying] if filed is not None else []
    events: list[Event] = []
    unclaimed: list[str] = []
    for zone in j.zones_claimed_by(person):
        if j.graph.ancestor_at(zone, scheme.filing_level) != org:
            events.append(ZoneReleased(person, zone))
            if j.claimants(zone) == [person]:
                unclaimed.append(zone)
    vacated: list[Post] = []
    for post in j.posts_held(person):
        if post.org in left and post.role in _LEADS:
            vacated.append(post)
            events.append(PostVacated(post.org, post.role, person, day))
    community = j.graph.ancestor_at(org, j.scheme.registration_level)
    current = j.registrations.get(person)
    if current is not None and community is not None and current.community != community:
        events.append(MemberDeregistered(person, RegistrationKind.RESIDENCE, day))
        events.append(MemberRegistered(Registration(person, community, day)))
    if filed is None:
        events.append(MemberFiled(Filing(person, org, day)))
    else:
        events.append(MemberTransferred(person, org, day))
    return Change(events, vacated, unclaimed=unclaimed)


def replace_holder(
    j: Jurisdiction,
    org: str,
    role: Role | str,
    old: str,
    new: str,
    *,
    date: dt.date | str | None = None,
) -> Change:
    """Plan the hand-over of the post `role` in `org` from `old` to `new`.

    The new holder takes the post as it was (appointed by the same organization, with
    the same duty) from `date`. A first secretary who is also a grid leader of `org`
    hands over both posts together while the first-secretary practice is in force
    (the policy's ``first_secretary_practice``).

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction (not changed).
    org : str
        The organization.
    role : Role or str
        The post.
    old, new : str
        The holder who leaves and the one who takes over.
    date : datetime.date or str, optional
        The day of the hand-over (the old tenure's ``until``, the new one's ``since``).

    Returns
    -------
    Change
        ``vacated`` lists the posts handed over, as they were.

    Raises
    ------
    UnknownReferenceError
        If `org`, `old` or `new` is unknown.
    StateError
        If `old` does not hold the post, or `new` holds it already.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> _ = j.add_person("P1", "甲", status="full")
    >>> _ = j.add_person("P2", "乙", status="full")
    >>> _ = j.appoint("S1", "secretary", "P1")
    >>> [e.topic for e in replace_holder(j, "S1", "secretary", "P1", "P2").events]
    ['PostVacated', 'PostAssigned']
    """
    org = _org(j, "org", org)
    wanted = to_role(role)
    old = _person(j, "old", old)
    new = _person(j, "new", new)
    day = _day(date)
    if old == new:
        raise StateError("new", new, f"{new!r} already holds {wanted.value} in {org!r}")
    roles = [wanted]
    held = {p.role: p for p in j.posts_held(old) if p.org == org}
    if wanted not in held:
        raise StateError("old", old, f"{old!r} holds no {wanted.value} post in {org!r}")
    if (
        wanted is Role.FIRST_SECRETARY
        and Role.GRID_LEADER in held
        and bool(j.policy.get("first_secretary_practice"))
    ):
        roles.append(Role.GRID_LEADER)
    new_holds = {p.role for p in j.posts_held(new) if p.org == org}
    events: list[Event] = []
    vacated: list[Post] = []
    for r in roles:
        if r in new_holds:
            raise StateError("new", new, f"{new!r} already holds {r.value} in {org!r}")
        post = held[r]
        if day is not None and post.since is not None and day < post.since:
            raise StateError(
                "date",
                day.isoformat(),
                f"{old!r} took on {r.value} of {org!r} on {post.since.isoformat()}: "
                f"the hand-over cannot come before",
            )
        vacated.append(post)
        events.append(PostVacated(org, r, old, day))
        events.append(
            PostAssigned(
                Post(org, r, new, appointed_by=post.appointed_by, since=day, duty=post.duty)
            )
        )
    return Change(events, vacated)


def _needs(j: Jurisdiction, org: Organization, full_members: int) -> list[tuple[str, Role]]:
    """The posts a new organization of `org`'s level and kind needs."""
    scheme, policy = j.scheme, j.policy
    if org.kind is not None and org.kind.is_team:
        return [(org.id, Role.SERVICE_TEAM_CAPTAIN)]
    needs: list[tuple[str, Role]] = []
    if scheme.is_above_filing(org.level):
        needs.append((org.id, Role.SECRETARY))
    if org.level == scheme.filing_level:
        needs.append((org.id, Role.GROUP_LEADER))
    if org.level == scheme.branch_level:
        if full_members >= policy.committee_threshold:
            needs.extend([(org.id, Role.COMMITTEE_MEMBER)] * (policy.committee_min_size - 1))
        if org.kind in (None, OrgKind.GRID) and bool(policy.get("first_secretary_practice")):
            needs.append((org.id, Role.FIRST_SECRETARY))
            needs.extend([(org.id, Role.GRID_LEADER)] * 2)
    return needs


def split_org(
    j: Jurisdiction,
    org: str,
    children: Sequence[str],
    *,
    id: str,
    name: str,
    date: dt.date | str | None = None,
) -> Change:
    """Plan the split of `org`: a new sibling `id` at the same level takes `children`.

    The members filed under the children go with them. For a community split, the
    residence registrations of the members who move go to the new community. Elected
    posts of `org` held by members who are now the new organization's are vacated, and
    so are the committee member posts of a branch left under ``committee_threshold``
    full members (it elects no committee). The result lists the posts the new
    organization still needs, and committee members `org` needs if its committee became
    too small.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction (not changed).
    org : str
        The organization split.
    children : sequence of str
        Its children that go to the new organization (groups of a branch, branches of a
        community).
    id : str
        The new organization's id.
    name : str
        Its name.
    date : datetime.date or str, optional
        When: the new organization's ``formed``, the day vacated posts end.

    Returns
    -------
    Change
        ``needs`` lists the posts of the new organization still to fill (and
        committee members of `org`, if its committee is now too small).

    Raises
    ------
    UnknownReferenceError
        If `org` or a child is unknown.
    HierarchyError
        If `org` is the root, or a child is not a child of `org`.
    InvalidValueError
        If `children` is empty or names a child twice, or `id` or `name` is malformed.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
    ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
    ...     _ = j.found_org(o, lvl, o, parent=p)
    >>> change = split_org(j, "B1", ["G2"], id="B2", name="第二网格党支部")
    >>> [e.topic for e in change.events], [r.value for _, r in change.needs]
    (['OrganizationFounded', 'OrganizationReparented'], ['secretary', 'first_secretary', 'grid_leader', 'grid_leader'])
    """
    org = _org(j, "org", org)
    day = _day(date)
    if isinstance(children, str | bytes | bytearray | Mapping) or not isinstance(
        children, Iterable
    ):
        raise InvalidValueError("children", children, "must be a list of organization ids")
    moving = list(children)
    if not moving:
        raise InvalidValueError("children", moving, "must name at least one child")
    for child in moving:
        _org(j, "children", child)
    if len(set(moving)) != len(moving):
        raise InvalidValueError("children", moving, "names a child twice")
    graph = j.graph
    for child in moving:
        if graph.parent(child) != org:
            raise HierarchyError("children", child, f"{child!r} is not a child of {org!r}")
    current = graph.org(org)
    parent = current.parent
    if parent is None:
        raise HierarchyError("org", org, f"{org!r} is the root: it cannot be split")
    new = Organization(id, current.level, name, parent, kind=current.kind, formed=day)
    if j.is_taken(id):
        raise DuplicateIdError("id", id, "another record")
    events: list[Event] = [OrganizationFounded(new)]
    events.extend(OrganizationReparented(child, id) for child in moving)
    movers: dict[str, None] = {}
    for child in moving:
        movers.update(dict.fromkeys(j.members(child)))
    if current.level == j.scheme.registration_level:
        for person in movers:
            reg = j.registrations.get(person)
            if reg is not None and reg.community == org:
                events.append(MemberDeregistered(person, RegistrationKind.RESIDENCE, day))
                events.append(MemberRegistered(Registration(person, id, day)))
    vacated: list[Post] = []
    staying = set(j.members(org)) - set(movers)
    for post in j.posts_in(org):
        if post.role in _LEADS and post.holder in movers and post.holder not in staying:
            vacated.append(post)
            events.append(PostVacated(org, post.role, post.holder, day))
    people = j.people
    full = sum(1 for p in movers if people[p].is_full_member)
    left, wanted = _committee_after(j, org, staying, vacated)
    vacated.extend(left)
    events.extend(PostVacated(org, p.role, p.holder, day) for p in left)
    return Change(events, vacated, [*_needs(j, new, full), *wanted])


def _committee_after(
    j: Jurisdiction, org: str, members: set[str], vacated: Sequence[Post]
) -> tuple[list[Post], list[tuple[str, Role]]]:
    """The committee posts of branch `org` to vacate, and those to fill, once its members
    are `members` and `vacated` are gone.

    Under ``committee_threshold`` full members a branch has no committee (GG204), so its
    committee members' posts go; at or over it, a committee smaller than
    ``committee_min_size`` (GG203) needs members.
    """
    if j.graph.level(org) != j.scheme.branch_level:
        return [], []
    kind = j.graph.org(org).kind
    if kind is not None and kind.is_team:
        return [], []
    policy, people = j.policy, j.people
    gone = {p.key for p in vacated}
    posts = [p for p in j.posts_in(org) if p.key not in gone]
    full = sum(1 for p in members if people[p].is_full_member)
    if full < policy.committee_threshold:
        return [p for p in posts if p.role is Role.COMMITTEE_MEMBER], []
    committee = {p.holder for p in posts if p.role.elected}
    missing = max(policy.committee_min_size - len(committee), 0)
    return [], [(org, Role.COMMITTEE_MEMBER)] * missing


def merge_orgs(
    j: Jurisdiction, keep: str, absorbed: str, *, date: dt.date | str | None = None
) -> Change:
    """Plan the merger of `absorbed` into `keep`, a sibling at the same level.

    `absorbed`'s posts are vacated (and listed); its children, households, filed and
    attached members, registrations and cooperatives go to `keep`; claims on it (a zone)
    are released; then it is dissolved. If the merged branch reaches
    ``committee_threshold`` full members with a committee under ``committee_min_size``,
    ``needs`` lists the committee members it needs.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction (not changed).
    keep, absorbed : str
        The organization that remains and the one merged into it.
    date : datetime.date or str, optional
        When: the day the posts end and the moves take effect.

    Returns
    -------
    Change
        ``vacated`` lists `absorbed`'s posts, as they were.

    Raises
    ------
    UnknownReferenceError
        If either is unknown.
    HierarchyError
        If they are not siblings (same parent, same level).
    StateError
        If they are the same, one is a service team and the other not, `absorbed`
        appointed posts, or `keep` cannot take `absorbed`'s attached members (it is a
        grid organization).

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
    ...                   ("B1", "branch", "C1"), ("B2", "branch", "C1"), ("G2", "group", "B2")]:
    ...     _ = j.found_org(o, lvl, o, parent=p)
    >>> [e.topic for e in merge_orgs(j, "B1", "B2").events]
    ['OrganizationReparented', 'OrganizationDissolved']
    """
    keep = _org(j, "keep", keep)
    absorbed = _org(j, "absorbed", absorbed)
    day = _day(date)
    if keep == absorbed:
        raise StateError("absorbed", absorbed, f"{absorbed!r} cannot be merged into itself")
    graph = j.graph
    k, a = graph.org(keep), graph.org(absorbed)
    if k.level != a.level or k.parent != a.parent:
        raise HierarchyError(
            "absorbed",
            absorbed,
            f"{absorbed!r} and {keep!r} are not siblings (same parent, same level)",
        )
    if bool(k.kind is not None and k.kind.is_team) != bool(a.kind is not None and a.kind.is_team):
        raise StateError(
            "absorbed",
            absorbed,
            f"{absorbed!r} and {keep!r} cannot be merged: a service team merges only with another",
        )
    if any(p.appointed_by == absorbed for p in j.posts.values()):
        raise StateError(
            "absorbed", absorbed, f"{absorbed!r} appointed posts: reappoint them first"
        )
    events: list[Event] = []
    vacated = j.posts_in(absorbed)
    events.extend(PostVacated(absorbed, p.role, p.holder, day) for p in vacated)
    events.extend(ZoneReleased(person, absorbed) for person in j.claimants(absorbed))
    events.extend(HouseholdAssigned(h, keep) for h in j.households_in(absorbed))
    events.extend(OrganizationReparented(child, keep) for child in graph.children(absorbed))
    events.extend(MemberTransferred(p, keep, day) for p in graph.direct_members(absorbed))
    for kind in RegistrationKind:
        for person in j.registered_in(absorbed, kind):
            events.append(MemberDeregistered(person, kind, day))
            events.append(MemberRegistered(Registration(person, keep, day, kind=kind)))
    if k.kind is not None and k.kind.is_team and graph.direct_members(absorbed):
        raise StateError(
            "keep", keep, f"{keep!r} is a service team: it cannot take {absorbed!r}'s filed members"
        )
    attached = j.attached(absorbed)
    if attached and (k.kind is None or not k.kind.attachable):
        raise StateError("keep", keep, f"{keep!r} cannot take the members attached to {absorbed!r}")
    already = set(j.attached(keep))
    for person in attached:
        events.append(MemberDetached(person, absorbed, day))
        if person not in already:
            events.append(MemberAttached(Attachment(person, keep, day)))
    for coop in j.cooperatives.values():
        if coop.community == absorbed:
            events.append(CooperativeAmended(evolve(coop, community=keep)))
    events.append(OrganizationDissolved(absorbed))
    _, wanted = _committee_after(j, keep, {*j.members(keep), *j.members(absorbed)}, ())
    return Change(events, vacated, wanted)
