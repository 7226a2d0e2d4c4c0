"""The jurisdiction aggregate: one street's (or village's) organizations, people and posts.

A :class:`Jurisdiction` is **mutable with atomic apply**. :meth:`Jurisdiction.apply`
checks an event completely against the current state before it changes anything: an
event that would break structural integrity (an unknown id, an id used twice, a parent
not exactly one level up, a filing outside the filing level, a cycle, a member filed
twice) raises a specific :class:`~gridgov.errors.IntegrityError` and leaves the
jurisdiction exactly as it was. Accepted events are appended to :attr:`Jurisdiction.log`;
:attr:`Jurisdiction.version` counts them; :meth:`Jurisdiction.replay` folds a log into an
equal jurisdiction.

Why mutable: a district holds up to a million members, and copying that state for every
event is far too costly; incremental validation also wants one stable object to watch.

Rule violations that are not structural (a branch with two members, a zone nobody
claims, a probationary secretary) are allowed: the state is data, and
:mod:`gridgov.rules` reports on it.

Examples
--------
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "均禾街党工委")
>>> _ = j.found_org("C1", "community", "清湖联社党委", parent="S1")
>>> _ = j.found_org("B1", "branch", "清湖第一经济社网格党支部", parent="C1")
>>> _ = j.found_org("G1", "group", "第一党小组", parent="B1")
>>> _ = j.add_person("P5", "李四", status="full", categories=["residence_registered"])
>>> _ = j.register("P5", "C1")
>>> _ = j.file_member("P5", "G1")
>>> j.members("B1"), j.version
(['P5'], 7)
>>> j.file_member("P5", "B1")
Traceback (most recent call last):
...
gridgov.errors.HierarchyError: filing.org: 'B1' is at level 'branch'; members are filed at level 'group'
>>> j.version
7
>>> Jurisdiction.replay(j.log) == j
True
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol, TypeVar, overload

from attrs import AttrsInstance, evolve, fields

from gridgov.errors import (
    DuplicateIdError,
    HierarchyError,
    InvalidValueError,
    NotEmptyError,
    StateError,
    UnknownReferenceError,
)
from gridgov.model.enums import Category, Duty, MemberStatus, OrgKind, Role
from gridgov.model.events import (
    AsOfSet,
    CooperativeAdded,
    CooperativeAmended,
    Event,
    HouseholdAdded,
    HouseholdAssigned,
    MemberDeregistered,
    MemberFiled,
    MemberRegistered,
    MemberTransferred,
    MemberUnfiled,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationRenamed,
    OrganizationReparented,
    PersonAdded,
    PersonAmended,
    PersonRemoved,
    PolicyChanged,
    PostAssigned,
    PostVacated,
    SchemeSet,
    ZoneClaimed,
    ZoneReleased,
)
from gridgov.model.graph import OrgGraph
from gridgov.model.policy import Policy
from gridgov.model.scheme import FIVE_LEVEL, Scheme
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
    _to_role,
)

__all__ = ["IdFactory", "Jurisdiction", "SequentialIds"]

PostKey = tuple[str, Role, str]
_E = TypeVar("_E", bound=Event)


class IdFactory(Protocol):
    """Makes new ids for the convenience commands when no id is given.

    Called with the kind of thing (``"organization"``, ``"person"``, ``"household"``,
    ``"cooperative"``) and a predicate telling whether an id is taken; returns a new id.
    A host plugs its own id system in by passing one to :class:`Jurisdiction`.

    Parameters
    ----------
    kind : str
        What the id is for.
    taken : callable
        ``taken(id)`` is true when `id` is already used in the jurisdiction.

    Returns
    -------
    str
        An id that is not taken.

    Examples
    --------
    >>> from itertools import count
    >>> def gz_ids(kind, taken):
    ...     return next(f"GZ{n}" for n in count(1) if not taken(f"GZ{n}"))
    >>> j = Jurisdiction(ids=gz_ids)
    >>> j.found_org(None, "street", "S").org.id, j.add_person(None, "A").person.id
    ('GZ1', 'GZ2')
    """

    def __call__(self, kind: str, taken: Callable[[str], bool]) -> str: ...


class SequentialIds:
    """The default :class:`IdFactory`: ``O1, O2, ...``, ``P1, ...``, ``H1, ...``, ``EC1, ...``.

    Skips ids already taken. Deterministic: the same calls give the same ids.

    Examples
    --------
    >>> ids = SequentialIds()
    >>> ids("person", lambda i: i == "P1"), ids("person", lambda i: False)
    ('P2', 'P3')
    """

    PREFIXES: Mapping[str, str] = MappingProxyType(
        {"organization": "O", "person": "P", "household": "H", "cooperative": "EC"}
    )

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, kind: str, taken: Callable[[str], bool]) -> str:
        prefix = self.PREFIXES.get(kind, kind[:1].upper() or "X")
        n = self._next.get(kind, 1)
        while taken(f"{prefix}{n}"):
            n += 1
        self._next[kind] = n + 1
        return f"{prefix}{n}"


class _LogView(Sequence[Event]):
    """A read-only view of the event log (no copy)."""

    __slots__ = ("_events",)

    def __init__(self, events: list[Event]) -> None:
        self._events = events

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        if isinstance(index, slice):
            return tuple(self._events[index])
        return self._events[index]

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _LogView):
            return self._events == other._events
        if isinstance(other, list | tuple):
            return self._events == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<event log of {len(self._events)} events>"


class Jurisdiction:
    """One jurisdiction: its scheme, policy, organizations, people, filings and posts.

    Parameters
    ----------
    scheme : Scheme, optional
        The levels (default: the five-level scheme). Recorded as a first
        :class:`~gridgov.model.events.SchemeSet` event when it is not the default.
    ids : IdFactory, optional
        Makes ids for convenience commands called without one (default
        :class:`SequentialIds`).

    Notes
    -----
    Two jurisdictions are equal when their states are equal (scheme, policy, as-of date,
    organizations, people, households, cooperatives, registrations, filings, claims,
    posts), whatever their logs. Mappings returned by the properties are read-only views.

    Examples
    --------
    >>> j = Jurisdiction(Scheme.preset("three-level"))
    >>> j.scheme.filing_level, j.version
    ('grid', 1)
    >>> _ = j.found_org("V1", "community", "七星村党委")
    >>> j
    <Jurisdiction three-level community=1, grid=0, member_household=0, people=0, version=2>
    >>> j == Jurisdiction(Scheme.preset("three-level"))
    False
    """

    def __init__(self, scheme: Scheme | None = None, *, ids: IdFactory | None = None) -> None:
        self._ids: IdFactory = ids if ids is not None else SequentialIds()
        self._reset(FIVE_LEVEL)
        if scheme is not None and scheme != FIVE_LEVEL:
            self.apply(SchemeSet(scheme))

    def _reset(self, scheme: Scheme) -> None:
        self._scheme = scheme
        self._policy = Policy()
        self._as_of: dt.date | None = None
        self._graph = OrgGraph(scheme)
        self._people: dict[str, Person] = {}
        self._households: dict[str, Household] = {}
        self._zone_of: dict[str, str] = {}
        self._households_in: dict[str, dict[str, None]] = {}
        self._coops: dict[str, Cooperative] = {}
        self._registrations: dict[str, Registration] = {}
        self._registered_in: dict[str, dict[str, None]] = {}
        self._filings: dict[str, Filing] = {}
        self._claims: dict[tuple[str, str], Claim] = {}
        self._claims_by_person: dict[str, dict[str, None]] = {}
        self._claims_by_zone: dict[str, dict[str, None]] = {}
        self._posts: dict[PostKey, Post] = {}
        self._posts_by_org: dict[str, dict[PostKey, None]] = {}
        self._posts_by_holder: dict[str, dict[PostKey, None]] = {}
        self._log: list[Event] = []

    # -- events ----------------------------------------------------------------------------

    def apply(self, event: Event) -> Event:
        """Check `event` against the current state, apply it and append it to the log.

        Parameters
        ----------
        event : Event
            Any event of :mod:`gridgov.model.events`.

        Returns
        -------
        Event
            The event, as applied.

        Raises
        ------
        IntegrityError
            (a subclass of it) if the event would break structural integrity; the
            jurisdiction is then exactly as it was.
        InvalidValueError
            If `event` is not a gridgov event.

        Examples
        --------
        >>> from gridgov.model import OrganizationFounded, Organization
        >>> j = Jurisdiction()
        >>> _ = j.apply(OrganizationFounded(Organization("S1", "street", "S")))
        >>> j.apply(OrganizationFounded(Organization("S1", "street", "S")))
        Traceback (most recent call last):
        ...
        gridgov.errors.DuplicateIdError: org.id: id 'S1' is already used by an organization
        """
        handler = _HANDLERS.get(type(event))
        if handler is None:
            raise InvalidValueError("event", event, "not a gridgov event")
        handler(self, event)
        self._log.append(event)
        return event

    def apply_all(self, events: Iterable[Event]) -> int:
        """Apply `events` in order, all or none.

        Parameters
        ----------
        events : iterable of Event
            The events, oldest first.

        Returns
        -------
        int
            The number of events applied.

        Raises
        ------
        IntegrityError
            If any event is rejected; the jurisdiction is then restored to the state it
            had before the call (by replaying its own log), and the error names the
            event's position in `events` in its ``index`` attribute.

        Examples
        --------
        >>> from gridgov.model import Organization, OrganizationDissolved, OrganizationFounded
        >>> j = Jurisdiction()
        >>> j.apply_all([OrganizationFounded(Organization("S1", "street", "S")),
        ...              OrganizationFounded(Organization("C1", "community", "C", parent="S1"))])
        2
        >>> try:
        ...     j.apply_all([OrganizationDissolved("C1"), OrganizationDissolved("C9")])
        ... except UnknownReferenceError as exc:
        ...     print(exc.index, j.version, "C1" in j.graph)
        1 2 True
        """
        _require_iterable("events", events)
        start = len(self._log)
        applied = 0
        try:
            for event in events:
                self.apply(event)
                applied += 1
        except Exception as exc:
            if len(self._log) > start:
                self._restore(start)
            exc.index = applied  # type: ignore[attr-defined]
            raise
        return applied

    def _restore(self, version: int) -> None:
        # Restore in place: the containers behind the views handed out (``log``,
        # ``people``, ``graph``, ...) stay the same objects, so a view taken before the
        # failed call shows the restored state, not the rejected events.
        fresh = Jurisdiction.replay(self._log[:version])
        for name, value in fresh.__dict__.items():
            if name == "_ids":
                continue
            current = self.__dict__.get(name)
            if isinstance(current, dict) and isinstance(value, dict):
                current.clear()
                current.update(value)
            elif isinstance(current, list) and isinstance(value, list):
                current[:] = value
            elif isinstance(current, OrgGraph) and isinstance(value, OrgGraph):
                for slot in OrgGraph.__slots__:
                    setattr(current, slot, getattr(value, slot))
            else:
                self.__dict__[name] = value

    @classmethod
    def replay(cls, events: Iterable[Event], *, ids: IdFactory | None = None) -> Jurisdiction:
        """Fold `events` into a new jurisdiction.

        Parameters
        ----------
        events : iterable of Event
            The events, oldest first (e.g. another jurisdiction's :attr:`log`).
        ids : IdFactory, optional
            The id factory of the new jurisdiction.

        Returns
        -------
        Jurisdiction

        Raises
        ------
        IntegrityError
            If an event is rejected (its position is in the error's ``index``).

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> Jurisdiction.replay(j.log).graph.counts()["street"]
        1
        """
        j = cls(ids=ids)
        j.apply_all(events)
        return j

    def copy(self) -> Jurisdiction:
        """Return an equal, independent jurisdiction with the same log.

        The copy gets a deep copy of the id factory, so ids made in one do not advance
        the other's counters.

        Returns
        -------
        Jurisdiction

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org(None, "street", "S")
        >>> k = j.copy()
        >>> k == j, k.log == j.log
        (True, True)
        >>> _ = k.found_org(None, "community", "C", parent="O1")
        >>> "O2" in j.graph, j.found_org(None, "community", "C", parent="O1").org.id
        (False, 'O2')
        """
        return Jurisdiction.replay(self._log, ids=copy.deepcopy(self._ids))

    # -- reading ---------------------------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        """The scheme of levels."""
        return self._scheme

    @property
    def policy(self) -> Policy:
        """The policy the rules check against."""
        return self._policy

    @property
    def as_of(self) -> dt.date | None:
        """The date the state is judged at, if set."""
        return self._as_of

    @property
    def version(self) -> int:
        """The number of events applied."""
        return len(self._log)

    @property
    def log(self) -> Sequence[Event]:
        """The events applied, oldest first (a read-only view)."""
        return _LogView(self._log)

    @property
    def graph(self) -> OrgGraph:
        """The organization tree and its filings index."""
        return self._graph

    @property
    def organizations(self) -> Mapping[str, Organization]:
        """Organizations by id, in founding order."""
        return _OrgView(self._graph)

    @property
    def people(self) -> Mapping[str, Person]:
        """People by id."""
        return MappingProxyType(self._people)

    @property
    def households(self) -> Mapping[str, Household]:
        """Households by id."""
        return MappingProxyType(self._households)

    @property
    def cooperatives(self) -> Mapping[str, Cooperative]:
        """Economic cooperatives by id."""
        return MappingProxyType(self._coops)

    @property
    def registrations(self) -> Mapping[str, Registration]:
        """Residence registrations by person id."""
        return MappingProxyType(self._registrations)

    @property
    def filings(self) -> Mapping[str, Filing]:
        """Filings by person id."""
        return MappingProxyType(self._filings)

    @property
    def claims(self) -> Mapping[tuple[str, str], Claim]:
        """Zone claims by ``(person, zone)``."""
        return MappingProxyType(self._claims)

    @property
    def posts(self) -> Mapping[PostKey, Post]:
        """Posts by ``(org, role, holder)``."""
        return MappingProxyType(self._posts)

    @property
    def zone_of_household(self) -> Mapping[str, str]:
        """The zone of each household that is in one."""
        return MappingProxyType(self._zone_of)

    def members(self, org: str) -> list[str]:
        """Return the ids of the people filed anywhere in the subtree of `org`.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            See :meth:`OrgGraph.members <gridgov.model.OrgGraph.members>`.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "G1")
        >>> j.members("C1"), j.members("G1")
        (['P1'], ['P1'])
        """
        return self._graph.members(org)

    def filed_in(self, person: str) -> str | None:
        """Return the id of the organization `person` is filed in, or ``None``.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        str or None
            ``None`` when `person` is filed nowhere.

        Raises
        ------
        InvalidValueError
            If `person` is not a string.
        UnknownReferenceError
            If `person` is not a known person.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> j.filed_in("P1") is None
        True
        >>> _ = j.file_member("P1", "W2")
        >>> j.filed_in("P1")
        'W2'
        """
        self._query_person("person", person)
        filing = self._filings.get(person)
        return None if filing is None else filing.org

    def households_in(self, zone: str) -> list[str]:
        """Return the ids of the households in `zone`.

        Parameters
        ----------
        zone : str
            An organization id (at the zone level, or the list is empty).

        Returns
        -------
        list of str
            In the order they were put in.

        Raises
        ------
        UnknownReferenceError
            If `zone` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_household("H1")
        >>> _ = j.assign_household("H1", "Z1")
        >>> j.households_in("Z1"), j.zone_of_household["H1"]
        (['H1'], 'Z1')
        """
        self._query_org("zone", zone)
        return list(self._households_in.get(zone, ()))

    def zones_claimed_by(self, person: str) -> list[str]:
        """Return the ids of the zones `person` claims.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        list of str
            In claiming order.

        Raises
        ------
        InvalidValueError
            If `person` is not a string.
        UnknownReferenceError
            If `person` is not a known person.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> j.zones_claimed_by("P1")
        ['Z1']
        """
        self._query_person("person", person)
        return list(self._claims_by_person.get(person, ()))

    def claimants(self, zone: str) -> list[str]:
        """Return the ids of the people claiming `zone`.

        Parameters
        ----------
        zone : str
            A zone id.

        Returns
        -------
        list of str
            In claiming order.

        Raises
        ------
        InvalidValueError
            If `zone` is not a string.
        UnknownReferenceError
            If `zone` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> j.claimants("Z1")
        ['P1']
        """
        self._query_org("zone", zone)
        return list(self._claims_by_zone.get(zone, ()))

    def registered_in(self, community: str) -> list[str]:
        """Return the ids of the people registered at `community`.

        Parameters
        ----------
        community : str
            An organization id.

        Returns
        -------
        list of str
            In registration order.

        Raises
        ------
        InvalidValueError
            If `community` is not a string.
        UnknownReferenceError
            If `community` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.register("P1", "V1")
        >>> j.registered_in("V1"), j.registrations["P1"].community
        (['P1'], 'V1')
        """
        self._query_org("community", community)
        return list(self._registered_in.get(community, ()))

    def posts_in(self, org: str, role: Role | str | None = None) -> list[Post]:
        """Return the posts of `org` (only those of `role` if given).

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str, optional
            Keep only the posts of this role.

        Returns
        -------
        list of Post
            In appointment order.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        InvalidValueError
            If `role` is not a role.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.appoint("B1", "secretary", "P1")
        >>> _ = j.appoint("B1", "committee_member", "P1", duty="organization")
        >>> [p.role.value for p in j.posts_in("B1")], len(j.posts_in("B1", "secretary"))
        (['secretary', 'committee_member'], 1)
        """
        self._query_org("org", org)
        posts = self._posts
        keys = self._posts_by_org.get(org, ())
        if role is None:
            return [posts[k] for k in keys]
        wanted = _to_role(role)
        return [posts[k] for k in keys if k[1] == wanted]

    def posts_held(self, person: str) -> list[Post]:
        """Return the posts `person` holds.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        list of Post
            In appointment order.

        Raises
        ------
        InvalidValueError
            If `person` is not a string.
        UnknownReferenceError
            If `person` is not a known person.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.appoint("B1", "secretary", "P1")
        >>> _ = j.appoint("G1", "group_leader", "P1")
        >>> [(p.org, p.role.value) for p in j.posts_held("P1")]
        [('B1', 'secretary'), ('G1', 'group_leader')]
        """
        posts = self._posts
        self._query_person("person", person)
        return [posts[k] for k in self._posts_by_holder.get(person, ())]

    def _state(self) -> tuple[Any, ...]:
        return (
            self._scheme,
            self._policy,
            self._as_of,
            self._graph._state(),
            self._people,
            self._households,
            self._zone_of,
            self._coops,
            self._registrations,
            self._filings,
            self._claims,
            self._posts,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Jurisdiction):
            return NotImplemented
        return self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{lvl}={n}" for lvl, n in self._graph.counts().items())
        return (
            f"<Jurisdiction {self._scheme.name or 'inline'} {counts}, "
            f"people={len(self._people)}, version={self.version}>"
        )

    # -- convenience commands --------------------------------------------------------------

    def _new_id(self, kind: str, given: str | None) -> str:
        if given is not None:
            return given
        return self._ids(kind, lambda i: self._owner(i) is not None)

    def found_org(
        self,
        id: str | None,
        level: str,
        name: str,
        parent: str | None = None,
        *,
        kind: OrgKind | str | None = None,
        cooperative: str | None = None,
        formed: dt.date | None = None,
        term_start: dt.date | None = None,
        ends: dt.date | None = None,
        units: Iterable[str] = (),
    ) -> OrganizationFounded:
        """Found an organization (``id=None``: the id factory makes one).

        Parameters
        ----------
        id : str or None
            Its id, or ``None`` to have the id factory make one.
        level, name : str
            Its level (one of the scheme's) and name.
        parent : str, optional
            Id of its parent, exactly one level up; ``None`` for the root.
        kind, cooperative, formed, term_start, ends, units
            As for :class:`~gridgov.model.Organization`.

        Returns
        -------
        OrganizationFounded
            The applied event; its ``org.id`` is the new organization's id.

        Raises
        ------
        DuplicateIdError, UnknownReferenceError, HierarchyError, InvalidValueError

        Examples
        --------
        >>> j = Jurisdiction()
        >>> j.found_org(None, "street", "南沙街道党工委").org.id
        'O1'
        >>> j.found_org("B1", "branch", "x", parent="O1")
        Traceback (most recent call last):
        ...
        gridgov.errors.HierarchyError: org.parent: 'O1' is at level 'street'; a 'branch' needs a parent at level 'community'
        """
        org = Organization(
            self._new_id("organization", id),
            level,
            name,
            parent,
            kind=kind,
            cooperative=cooperative,
            formed=formed,
            term_start=term_start,
            ends=ends,
            units=units,
        )
        event = OrganizationFounded(org)
        self.apply(event)
        return event

    def amend_org(self, org: str, **changes: Any) -> OrganizationAmended:
        """Change attributes of `org` other than id, level and parent.

        Parameters
        ----------
        org : str
            An organization id.
        **changes : object
            New values by attribute name (``name``, ``kind``, ``cooperative``, ...).

        Returns
        -------
        OrganizationAmended
            The applied event; its ``org`` is the amended record.

        Raises
        ------
        UnknownReferenceError
            If `org` or the new cooperative is unknown.
        InvalidValueError
            If a name is not an attribute of Organization, or is ``id``, ``level`` or
            ``parent`` (use :meth:`move_org` to change the parent).

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.amend_org("S1", term_start=dt.date(2021, 9, 1)).org.term_start
        datetime.date(2021, 9, 1)
        """
        for key in ("id", "level", "parent"):
            if key in changes:
                raise InvalidValueError(key, changes[key], "cannot be changed by amend_org")
        current = self._graph.org(org)
        _check_changes(current, changes)
        event = OrganizationAmended(evolve(current, **changes))
        self.apply(event)
        return event

    def rename_org(self, org: str, name: str) -> OrganizationRenamed:
        """Give `org` a new name.

        Parameters
        ----------
        org : str
            An organization id.
        name : str
            The new name.

        Returns
        -------
        OrganizationRenamed
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        InvalidValueError
            If `name` is not a string.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "南沙街道党工委")
        >>> _ = j.rename_org("S1", "南沙街道党委")
        >>> j.graph.org("S1").name
        '南沙街道党委'
        """
        return self._do(OrganizationRenamed(org, name))

    def move_org(self, org: str, parent: str) -> OrganizationReparented:
        """Move `org` under `parent` (one level above it).

        Parameters
        ----------
        org : str
            An organization id.
        parent : str
            Its new parent's id.

        Returns
        -------
        OrganizationReparented
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` or `parent` is not a known organization.
        HierarchyError
            If `parent` is not exactly one level above `org`.
        StateError
            If `org` is already under `parent`.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.move_org("Z1", "W2")
        >>> j.graph.children("W1"), j.graph.children("W2")
        ([], ['Z1'])
        """
        return self._do(OrganizationReparented(org, parent))

    def dissolve_org(self, org: str) -> OrganizationDissolved:
        """Dissolve an empty organization.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        OrganizationDissolved
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        NotEmptyError
            If it still has children, filed members, households, claims, posts,
            registrations, posts it appointed or cooperatives.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.dissolve_org("Z1")
        >>> "Z1" in j.graph
        False
        >>> j.dissolve_org("V1")
        Traceback (most recent call last):
        ...
        gridgov.errors.NotEmptyError: org: 'V1' still has 2 child organizations
        """
        return self._do(OrganizationDissolved(org))

    def add_household(
        self,
        id: str | None = None,
        *,
        building: str | None = None,
        address: str | None = None,
        location: tuple[float, float] | None = None,
    ) -> HouseholdAdded:
        """Add a household.

        Parameters
        ----------
        id : str, optional
            Its id (``None``: the id factory makes one).
        building, address : str, optional
            Where it is.
        location : tuple of float, optional
            A point ``(x, y)``.

        Returns
        -------
        HouseholdAdded
            The applied event; its ``household.id`` is the new id.

        Raises
        ------
        DuplicateIdError
            If the id is already used.
        InvalidValueError
            If a value is malformed.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> j.add_household(building="3栋", location=(12, 40)).household
        Household(id='H1', building='3栋', address=None, location=(12.0, 40.0))
        """
        hh = Household(
            self._new_id("household", id), building=building, address=address, location=location
        )
        return self._do(HouseholdAdded(hh))

    def assign_household(self, household: str, zone: str | None) -> HouseholdAssigned:
        """Put `household` into `zone` (or take it out of its zone with ``None``).

        Parameters
        ----------
        household : str
            A household id.
        zone : str or None
            An organization at the zone level; ``None`` to take it out.

        Returns
        -------
        HouseholdAssigned
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the household or zone is unknown.
        HierarchyError
            If `zone` is not at the zone level.
        StateError
            If the household is already there (or in no zone, for ``None``).

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_household("H1")
        >>> _ = j.assign_household("H1", "Z1")
        >>> _ = j.assign_household("H1", None)
        >>> j.households_in("Z1"), "H1" in j.zone_of_household
        ([], False)
        """
        return self._do(HouseholdAssigned(household, zone))

    def add_person(
        self,
        id: str | None,
        name: str,
        *,
        status: MemberStatus | str | None = None,
        categories: Iterable[Category | str] = (),
        affiliation: str | None = None,
        joined: dt.date | None = None,
        household: str | None = None,
    ) -> PersonAdded:
        """Add a person: a Party member when `status` is given, a non-member otherwise.

        Parameters
        ----------
        id : str or None
            Their id, or ``None`` to have the id factory make one.
        name : str
            Their name.
        status : MemberStatus or str, optional
            ``full`` or ``probationary``; ``None`` for a non-member.
        categories, affiliation, joined
            As for :class:`~gridgov.model.PartyMembership` (members only).
        household : str, optional
            Id of the household they live in.

        Returns
        -------
        PersonAdded
            The applied event; its ``person.id`` is the new id.

        Raises
        ------
        DuplicateIdError, UnknownReferenceError, InvalidValueError
            If the id is used, the household unknown, or membership details are given
            without a `status`.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> j.add_person("P1", "邹波", status="full", categories=["street_cadre"]).person.is_member
        True
        """
        party = None
        if status is not None:
            party = PartyMembership(
                status,
                categories,
                affiliation=affiliation,
                joined=joined,
            )
        elif categories or affiliation is not None or joined is not None:
            raise InvalidValueError(
                "status", None, "categories, affiliation and joined need a Party member status"
            )
        person = Person(self._new_id("person", id), name, party=party, household=household)
        return self._do(PersonAdded(person))

    def amend_person(self, person: str, **changes: Any) -> PersonAmended:
        """Change attributes of `person` (``name``, ``party``, ``household``).

        Parameters
        ----------
        person : str
            A person id.
        **changes : object
            New values by attribute name.

        Returns
        -------
        PersonAmended
            The applied event; its ``person`` is the amended record.

        Raises
        ------
        UnknownReferenceError
            If `person` or the new household is unknown.
        InvalidValueError
            If a name is not an attribute of Person, or is ``id``.

        Examples
        --------
        >>> from gridgov.model import PartyMembership
        >>> j = Jurisdiction()
        >>> _ = j.add_person("P1", "李四", status="probationary")
        >>> j.amend_person("P1", party=PartyMembership("full")).person.is_full_member
        True
        """
        if "id" in changes:
            raise InvalidValueError("id", changes["id"], "cannot be changed by amend_person")
        current = self._people.get(_require_id("person", person))
        if current is None:
            raise UnknownReferenceError("person", person, "person")
        _check_changes(current, changes)
        return self._do(PersonAmended(evolve(current, **changes)))

    def remove_person(self, person: str) -> PersonRemoved:
        """Remove a person who holds no registration, filing, claim or post.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        PersonRemoved
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `person` is unknown.
        NotEmptyError
            If the person still has a registration, filing, claim, post or
            cooperative role.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> j.remove_person("P1")
        Traceback (most recent call last):
        ...
        gridgov.errors.NotEmptyError: person: 'P1' still has a filing
        >>> _ = j.unfile_member("P1")
        >>> _ = j.remove_person("P1")
        >>> "P1" in j.people
        False
        """
        return self._do(PersonRemoved(person))

    def add_cooperative(
        self,
        id: str | None,
        name: str,
        *,
        community: str | None = None,
        head: str | None = None,
        branch_secretary: str | None = None,
    ) -> CooperativeAdded:
        """Add an economic cooperative.

        Parameters
        ----------
        id : str or None
            Its id (``None``: the id factory makes one).
        name : str
            Its name.
        community : str, optional
            Id of the community organization it belongs to.
        head, branch_secretary : str, optional
            Ids of its head and branch secretary.

        Returns
        -------
        CooperativeAdded
            The applied event; its ``cooperative.id`` is the new id.

        Raises
        ------
        DuplicateIdError
            If the id is already used.
        UnknownReferenceError
            If the community, head or secretary is unknown.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.add_cooperative(None, "七星第一经济社", community="V1").cooperative.id
        'EC1'
        >>> _ = j.amend_org("W1", cooperative="EC1")
        >>> j.graph.org("W1").cooperative
        'EC1'
        """
        coop = Cooperative(
            self._new_id("cooperative", id),
            name,
            community=community,
            head=head,
            branch_secretary=branch_secretary,
        )
        return self._do(CooperativeAdded(coop))

    def amend_cooperative(self, cooperative: str, **changes: Any) -> CooperativeAmended:
        """Change attributes of a cooperative other than its id.

        Parameters
        ----------
        cooperative : str
            A cooperative id.
        **changes : object
            New values by attribute name.

        Returns
        -------
        CooperativeAmended
            The applied event; its ``cooperative`` is the new record.

        Raises
        ------
        UnknownReferenceError
            If the cooperative, or a person or community named, is unknown.
        InvalidValueError
            If a name is not an attribute of Cooperative, or is ``id``.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.add_cooperative("EC1", "清湖第一经济社")
        >>> _ = j.add_person("P1", "某社长")
        >>> j.amend_cooperative("EC1", head="P1").cooperative.head
        'P1'
        """
        if "id" in changes:
            raise InvalidValueError("id", changes["id"], "cannot be changed by amend_cooperative")
        current = self._coops.get(_require_id("cooperative", cooperative))
        if current is None:
            raise UnknownReferenceError("cooperative", cooperative, "cooperative")
        _check_changes(current, changes)
        return self._do(CooperativeAmended(evolve(current, **changes)))

    def register(
        self, person: str, community: str, date: dt.date | None = None
    ) -> MemberRegistered:
        """Register `person` at their residence `community` (居住地报到).

        Parameters
        ----------
        person : str
            A person id.
        community : str
            An organization at the community level (else the top level).
        date : datetime.date, optional
            When the member reported.

        Returns
        -------
        MemberRegistered
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or community is unknown.
        HierarchyError
            If `community` is at the wrong level.
        StateError
            If the person is already registered.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> j.register("P1", "C1", dt.date(2023, 4, 1)).registration.date
        datetime.date(2023, 4, 1)
        >>> j.register("P1", "C1")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: registration.person: 'P1' is already registered at 'C1'
        """
        return self._do(MemberRegistered(Registration(person, community, date)))

    def deregister(self, person: str) -> MemberDeregistered:
        """Withdraw the residence registration of `person`.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        MemberDeregistered
            The applied event.

        Raises
        ------
        StateError
            If the person is not registered.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.register("P1", "V1")
        >>> _ = j.deregister("P1")
        >>> j.registered_in("V1"), "P1" in j.registrations
        ([], False)
        """
        return self._do(MemberDeregistered(person))

    def file_member(self, person: str, org: str, date: dt.date | None = None) -> MemberFiled:
        """File `person` into `org`, an organization at the filing level (入格).

        Parameters
        ----------
        person : str
            A person id.
        org : str
            An organization at the filing level.
        date : datetime.date, optional
            When the member was filed.

        Returns
        -------
        MemberFiled
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or organization is unknown.
        HierarchyError
            If `org` is not at the filing level.
        StateError
            If the person is filed already (use :meth:`transfer_member`).

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> j.members("V1")
        ['P1']
        >>> j.file_member("P1", "W2")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: filing.person: 'P1' is already filed in 'W1'; transfer instead
        """
        return self._do(MemberFiled(Filing(person, org, date)))

    def unfile_member(self, person: str) -> MemberUnfiled:
        """Withdraw the filing of `person`.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        MemberUnfiled
            The applied event.

        Raises
        ------
        StateError
            If the person is not filed.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> _ = j.unfile_member("P1")
        >>> j.filed_in("P1") is None, j.members("W1")
        (True, [])
        """
        return self._do(MemberUnfiled(person))

    def transfer_member(
        self, person: str, org: str, date: dt.date | None = None
    ) -> MemberTransferred:
        """Re-file `person` into another organization at the filing level.

        Parameters
        ----------
        person : str
            A filed person's id.
        org : str
            Another organization at the filing level.
        date : datetime.date, optional
            When the member was re-filed.

        Returns
        -------
        MemberTransferred
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` is unknown.
        HierarchyError
            If `org` is not at the filing level.
        StateError
            If the person is not filed, or already filed in `org`.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> _ = j.transfer_member("P1", "W2")
        >>> j.filed_in("P1"), j.members("W1")
        ('W2', [])
        """
        return self._do(MemberTransferred(person, org, date))

    def claim_zone(self, person: str, zone: str, date: dt.date | None = None) -> ZoneClaimed:
        """Have `person` claim `zone` (认领责任区).

        Parameters
        ----------
        person : str
            A person id.
        zone : str
            An organization at the zone level.
        date : datetime.date, optional
            When the zone was claimed.

        Returns
        -------
        ZoneClaimed
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or zone is unknown.
        HierarchyError
            If `zone` is not at the zone level.
        StateError
            If the person already claims `zone`.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> j.claimants("Z1")
        ['P1']
        >>> j.claim_zone("P1", "W1")
        Traceback (most recent call last):
        ...
        gridgov.errors.HierarchyError: claim.zone: 'W1' is at level 'grid'; members claim zones at level 'member_household'
        """
        return self._do(ZoneClaimed(Claim(person, zone, date)))

    def release_zone(self, person: str, zone: str) -> ZoneReleased:
        """Have `person` give up their claim on `zone`.

        Parameters
        ----------
        person : str
            A person id.
        zone : str
            A zone id.

        Returns
        -------
        ZoneReleased
            The applied event.

        Raises
        ------
        StateError
            If `person` does not claim `zone`.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> _ = j.release_zone("P1", "Z1")
        >>> j.zones_claimed_by("P1"), j.claims
        ([], mappingproxy({}))
        """
        return self._do(ZoneReleased(person, zone))

    def appoint(
        self,
        org: str,
        role: Role | str,
        holder: str,
        *,
        appointed_by: str | None = None,
        since: dt.date | None = None,
        duty: Duty | str | None = None,
    ) -> PostAssigned:
        """Give `holder` the post `role` in `org`.

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str
            The post.
        holder : str
            The holder's id.
        appointed_by, since, duty
            As for :class:`~gridgov.model.Post`.

        Returns
        -------
        PostAssigned
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the organization, holder or appointing organization is unknown.
        StateError
            If `holder` already holds `role` in `org`.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "A", status="full")
        >>> j.appoint("S1", "secretary", "P1").post.role
        <Role.SECRETARY: 'secretary'>
        """
        post = Post(
            org,
            role,
            holder,
            appointed_by=appointed_by,
            since=since,
            duty=duty,
        )
        return self._do(PostAssigned(post))

    def vacate(self, org: str, role: Role | str, holder: str) -> PostVacated:
        """Have `holder` leave the post `role` in `org`.

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str
            The post.
        holder : str
            The holder's id.

        Returns
        -------
        PostVacated
            The applied event.

        Raises
        ------
        StateError
            If `holder` holds no such post.
        InvalidValueError
            If `role` is not a role name.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.appoint("B1", "secretary", "P1")
        >>> _ = j.vacate("B1", "secretary", "P1")
        >>> j.posts_in("B1")
        []
        >>> j.vacate("B1", "secretary", "P1")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: holder: 'P1' holds no secretary post in 'B1'
        """
        return self._do(PostVacated(org, role, holder))

    def set_policy(self, policy: Policy | None = None, **changes: Any) -> PolicyChanged:
        """Replace the policy, or change some of its settings.

        Parameters
        ----------
        policy : Policy, optional
            The new policy (default: the current one).
        **changes : int
            Settings to change in it.

        Returns
        -------
        PolicyChanged
            The applied event.

        Raises
        ------
        PolicyError
            If a setting is unknown or its value invalid.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> j.set_policy(max_branch_members=60).policy.max_branch_members
        60
        """
        base = policy if policy is not None else self._policy
        return self._do(PolicyChanged(base.replace(**changes) if changes else base))

    def set_as_of(self, as_of: dt.date | None) -> AsOfSet:
        """Set the date the state is judged at.

        Parameters
        ----------
        as_of : datetime.date or None
            The date; ``None`` clears it.

        Returns
        -------
        AsOfSet
            The applied event.

        Raises
        ------
        InvalidValueError
            If `as_of` is not a :class:`datetime.date` or ``None``.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.set_as_of(dt.date(2024, 6, 30))
        >>> j.as_of
        datetime.date(2024, 6, 30)
        >>> j.set_as_of("2024-06-30")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: as_of: must be a datetime.date (got '2024-06-30')
        """
        return self._do(AsOfSet(as_of))

    def _do(self, event: _E) -> _E:
        self.apply(event)
        return event

    # -- checks shared by the handlers -----------------------------------------------------

    def _owner(self, id: str) -> str | None:
        if id in self._graph:
            return "an organization"
        if id in self._people:
            return "a person"
        if id in self._households:
            return "a household"
        if id in self._coops:
            return "a cooperative"
        return None

    def _registration_level(self) -> str:
        # Members report to their residence community (or village): the "community" level
        # when the scheme has one, else its top level.
        scheme = self._scheme
        return "community" if "community" in scheme.levels else scheme.top

    def _check_new_id(self, field: str, id: str) -> None:
        owner = self._owner(id)
        if owner is not None:
            raise DuplicateIdError(field, id, owner)

    # Event fields are ids already (the events check them when built); the queries take
    # whatever a caller passes, so they check its type first.

    def _check_org(self, field: str, org: str) -> None:
        if org not in self._graph:
            raise UnknownReferenceError(field, org, "organization")

    def _check_person(self, field: str, person: str) -> None:
        if person not in self._people:
            raise UnknownReferenceError(field, person, "person")

    def _query_org(self, field: str, org: str) -> None:
        self._check_org(field, _require_id(field, org))

    def _query_person(self, field: str, person: str) -> None:
        self._check_person(field, _require_id(field, person))

    def _check_at_level(self, field: str, org: str, level: str, what: str) -> None:
        actual = self._graph._level_of(org)
        if actual is None:
            raise UnknownReferenceError(field, org, "organization")
        if actual != level:
            raise HierarchyError(
                field, org, f"{org!r} is at level {actual!r}; {what} at level {level!r}"
            )

    def _check_parent(self, field: str, org: Organization) -> None:
        scheme = self._scheme
        if org.level not in scheme:
            raise HierarchyError(
                "org.level", org.level, f"{org.level!r} is not a level of {list(scheme.levels)}"
            )
        expected = scheme.parent_level(org.level)
        if org.parent is None:
            if expected is not None:
                raise HierarchyError(
                    field, None, f"a {org.level!r} needs a parent at level {expected!r}"
                )
            roots = [r for r in self._graph.roots() if r != org.id]
            if roots:
                raise HierarchyError(
                    "org.id",
                    org.id,
                    f"{org.id!r} would be a second root; the jurisdiction already has "
                    f"the root {roots[0]!r}",
                )
            return
        if org.parent == org.id:
            raise HierarchyError(field, org.parent, f"{org.id!r} cannot be its own parent")
        self._check_org(field, org.parent)
        actual = self._graph.level(org.parent)
        if actual != expected:
            wanted = (
                f"needs a parent at level {expected!r}"
                if expected
                else "is at the top level and has no parent"
            )
            raise HierarchyError(
                field,
                org.parent,
                f"{org.parent!r} is at level {actual!r}; a {org.level!r} {wanted}",
            )
        if org.id in self._graph and org.id in self._graph.chain(org.parent):
            raise HierarchyError(
                field, org.parent, f"moving {org.id!r} under {org.parent!r} makes a cycle"
            )

    def _check_org_refs(self, org: Organization) -> None:
        if org.cooperative is not None and org.cooperative not in self._coops:
            raise UnknownReferenceError("org.cooperative", org.cooperative, "cooperative")

    def _check_person_refs(self, person: Person) -> None:
        if person.household is not None and person.household not in self._households:
            raise UnknownReferenceError("person.household", person.household, "household")

    def _check_coop_refs(self, coop: Cooperative) -> None:
        if coop.community is not None:
            self._check_at_level(
                "cooperative.community",
                coop.community,
                self._registration_level(),
                "cooperatives belong",
            )
        if coop.head is not None:
            self._check_person("cooperative.head", coop.head)
        if coop.branch_secretary is not None:
            self._check_person("cooperative.branch_secretary", coop.branch_secretary)

    # -- handlers: each checks everything first, then changes the state ---------------------

    def _on_scheme_set(self, e: SchemeSet) -> None:
        if len(self._graph):
            shown = e.scheme.name if e.scheme.name is not None else list(e.scheme.levels)
            raise StateError(
                "scheme",
                shown,
                f"cannot change to {shown!r}: the scheme cannot change once organizations exist",
            )
        self._scheme = e.scheme
        self._graph = OrgGraph(e.scheme)

    def _on_policy_changed(self, e: PolicyChanged) -> None:
        self._policy = e.policy

    def _on_as_of_set(self, e: AsOfSet) -> None:
        self._as_of = e.as_of

    def _on_org_founded(self, e: OrganizationFounded) -> None:
        org = e.org
        self._check_new_id("org.id", org.id)
        self._check_parent("org.parent", org)
        self._check_org_refs(org)
        self._graph._add(org)

    def _on_org_amended(self, e: OrganizationAmended) -> None:
        org = e.org
        self._check_org("org.id", org.id)
        current = self._graph.org(org.id)
        for attr in ("level", "parent"):
            if getattr(org, attr) != getattr(current, attr):
                raise StateError(
                    f"org.{attr}",
                    getattr(org, attr),
                    f"an amendment cannot change the {attr} of {org.id!r} "
                    f"from {getattr(current, attr)!r} to {getattr(org, attr)!r}",
                )
        self._check_org_refs(org)
        self._graph._replace(org)

    def _on_org_renamed(self, e: OrganizationRenamed) -> None:
        self._check_org("org", e.org)
        self._graph._replace(evolve(self._graph.org(e.org), name=e.name))

    def _on_org_reparented(self, e: OrganizationReparented) -> None:
        self._check_org("org", e.org)
        current = self._graph.org(e.org)
        if e.parent == current.parent:
            where = "at the top level" if e.parent is None else f"under {e.parent!r}"
            raise StateError("parent", e.parent, f"{e.org!r} is already {where}")
        moved = evolve(current, parent=e.parent)
        self._check_parent("parent", moved)
        self._graph._move(moved, current.parent)

    def _on_org_dissolved(self, e: OrganizationDissolved) -> None:
        org = e.org
        self._check_org("org", org)
        g = self._graph
        blockers = []
        children, filed = g.children(org), g.direct_members(org)
        if children:
            blockers.append(_count(len(children), "child organization"))
        if filed:
            blockers.append(_count(len(filed), "filed member"))
        if self._households_in.get(org):
            blockers.append(_count(len(self._households_in[org]), "household"))
        if self._claims_by_zone.get(org):
            blockers.append(_count(len(self._claims_by_zone[org]), "claim"))
        if self._posts_by_org.get(org):
            blockers.append(_count(len(self._posts_by_org[org]), "post"))
        if self._registered_in.get(org):
            blockers.append(_count(len(self._registered_in[org]), "registration"))
        if any(p.appointed_by == org for p in self._posts.values()):
            blockers.append("posts it appointed")
        if any(c.community == org for c in self._coops.values()):
            blockers.append("cooperatives in it")
        if blockers:
            raise NotEmptyError("org", org, f"{org!r} still has {', '.join(blockers)}")
        g._remove(org)

    def _on_household_added(self, e: HouseholdAdded) -> None:
        self._check_new_id("household.id", e.household.id)
        self._households[e.household.id] = e.household

    def _on_household_assigned(self, e: HouseholdAssigned) -> None:
        hh = e.household
        if hh not in self._households:
            raise UnknownReferenceError("household", hh, "household")
        current = self._zone_of.get(hh)
        if e.zone is None:
            if current is None:
                raise StateError("zone", None, f"household {hh!r} is in no zone")
            del self._households_in[current][hh]
            del self._zone_of[hh]
            return
        self._check_at_level("zone", e.zone, self._scheme.zone_level, "households are put in zones")
        if current == e.zone:
            raise StateError("zone", e.zone, f"household {hh!r} is already in {e.zone!r}")
        if current is not None:
            del self._households_in[current][hh]
        self._zone_of[hh] = e.zone
        self._households_in.setdefault(e.zone, {})[hh] = None

    def _on_person_added(self, e: PersonAdded) -> None:
        self._check_new_id("person.id", e.person.id)
        self._check_person_refs(e.person)
        self._people[e.person.id] = e.person

    def _on_person_amended(self, e: PersonAmended) -> None:
        self._check_person("person.id", e.person.id)
        self._check_person_refs(e.person)
        self._people[e.person.id] = e.person

    def _on_person_removed(self, e: PersonRemoved) -> None:
        pid = e.person
        self._check_person("person", pid)
        blockers = []
        if pid in self._registrations:
            blockers.append("a registration")
        if pid in self._filings:
            blockers.append("a filing")
        if self._claims_by_person.get(pid):
            blockers.append("zone claims")
        if self._posts_by_holder.get(pid):
            blockers.append("posts")
        if any(pid in (c.head, c.branch_secretary) for c in self._coops.values()):
            blockers.append("a cooperative role")
        if blockers:
            raise NotEmptyError("person", pid, f"{pid!r} still has {', '.join(blockers)}")
        del self._people[pid]

    def _on_coop_added(self, e: CooperativeAdded) -> None:
        self._check_new_id("cooperative.id", e.cooperative.id)
        self._check_coop_refs(e.cooperative)
        self._coops[e.cooperative.id] = e.cooperative

    def _on_coop_amended(self, e: CooperativeAmended) -> None:
        if e.cooperative.id not in self._coops:
            raise UnknownReferenceError("cooperative.id", e.cooperative.id, "cooperative")
        self._check_coop_refs(e.cooperative)
        self._coops[e.cooperative.id] = e.cooperative

    def _on_registered(self, e: MemberRegistered) -> None:
        r = e.registration
        self._check_person("registration.person", r.person)
        self._check_at_level(
            "registration.community", r.community, self._registration_level(), "members register"
        )
        current = self._registrations.get(r.person)
        if current is not None:
            raise StateError(
                "registration.person",
                r.person,
                f"{r.person!r} is already registered at {current.community!r}",
            )
        self._registrations[r.person] = r
        self._registered_in.setdefault(r.community, {})[r.person] = None

    def _on_deregistered(self, e: MemberDeregistered) -> None:
        r = self._registrations.get(e.person)
        if r is None:
            raise StateError("person", e.person, f"{e.person!r} is not registered")
        del self._registrations[e.person]
        del self._registered_in[r.community][e.person]

    def _on_filed(self, e: MemberFiled) -> None:
        f = e.filing
        self._check_person("filing.person", f.person)
        self._check_at_level("filing.org", f.org, self._scheme.filing_level, "members are filed")
        current = self._filings.get(f.person)
        if current is not None:
            raise StateError(
                "filing.person",
                f.person,
                f"{f.person!r} is already filed in {current.org!r}; transfer instead",
            )
        self._filings[f.person] = f
        self._graph._file(f.person, f.org)

    def _on_unfiled(self, e: MemberUnfiled) -> None:
        f = self._filings.get(e.person)
        if f is None:
            raise StateError("person", e.person, f"{e.person!r} is not filed")
        del self._filings[e.person]
        self._graph._unfile(e.person, f.org)

    def _on_transferred(self, e: MemberTransferred) -> None:
        f = self._filings.get(e.person)
        if f is None:
            raise StateError("person", e.person, f"{e.person!r} is not filed; file instead")
        self._check_at_level("org", e.org, self._scheme.filing_level, "members are filed")
        if f.org == e.org:
            raise StateError("org", e.org, f"{e.person!r} is already filed in {e.org!r}")
        self._graph._unfile(e.person, f.org)
        self._filings[e.person] = Filing(e.person, e.org, e.date)
        self._graph._file(e.person, e.org)

    def _on_claimed(self, e: ZoneClaimed) -> None:
        c = e.claim
        self._check_person("claim.person", c.person)
        self._check_at_level("claim.zone", c.zone, self._scheme.zone_level, "members claim zones")
        if (c.person, c.zone) in self._claims:
            raise StateError("claim.zone", c.zone, f"{c.person!r} already claims {c.zone!r}")
        self._claims[c.person, c.zone] = c
        self._claims_by_person.setdefault(c.person, {})[c.zone] = None
        self._claims_by_zone.setdefault(c.zone, {})[c.person] = None

    def _on_released(self, e: ZoneReleased) -> None:
        if (e.person, e.zone) not in self._claims:
            raise StateError("zone", e.zone, f"{e.person!r} does not claim {e.zone!r}")
        del self._claims[e.person, e.zone]
        del self._claims_by_person[e.person][e.zone]
        del self._claims_by_zone[e.zone][e.person]

    def _on_post_assigned(self, e: PostAssigned) -> None:
        p = e.post
        self._check_org("post.org", p.org)
        self._check_person("post.holder", p.holder)
        if p.appointed_by is not None:
            self._check_org("post.appointed_by", p.appointed_by)
        if p.key in self._posts:
            raise StateError(
                "post.holder", p.holder, f"{p.holder!r} already holds {p.role.value} in {p.org!r}"
            )
        self._posts[p.key] = p
        self._posts_by_org.setdefault(p.org, {})[p.key] = None
        self._posts_by_holder.setdefault(p.holder, {})[p.key] = None

    def _on_post_vacated(self, e: PostVacated) -> None:
        key = (e.org, e.role, e.holder)
        if key not in self._posts:
            raise StateError(
                "holder", e.holder, f"{e.holder!r} holds no {e.role.value} post in {e.org!r}"
            )
        del self._posts[key]
        del self._posts_by_org[e.org][key]
        del self._posts_by_holder[e.holder][key]


def _require_id(field: str, value: object) -> str:
    """Return `value` if it can be an id; else raise ``InvalidValueError`` naming `field`."""
    if not isinstance(value, str):
        raise InvalidValueError(field, value, "must be an id (a string)")
    return value


def _require_iterable(field: str, value: object) -> None:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError(field, value, "must be an iterable of events")


def _count(n: int, noun: str) -> str:
    """``_count(1, "post")`` is ``'1 post'``; ``_count(2, "post")`` is ``'2 posts'``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_changes(current: AttrsInstance, changes: Mapping[str, Any]) -> None:
    """Name an unknown field of an amendment instead of letting ``evolve`` raise ``TypeError``."""
    known = {a.name for a in fields(type(current))}
    for key, value in changes.items():
        if key not in known:
            raise InvalidValueError(
                key, value, f"not a field of {type(current).__name__}; fields are {sorted(known)}"
            )


class _OrgView(Mapping[str, Organization]):
    __slots__ = ("_graph",)

    def __init__(self, graph: OrgGraph) -> None:
        self._graph = graph

    def __getitem__(self, key: str) -> Organization:
        if key not in self._graph:
            raise KeyError(key)
        return self._graph.org(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._graph)

    def __len__(self) -> int:
        return len(self._graph)


_HANDLERS: dict[type[Event], Callable[[Jurisdiction, Any], None]] = {
    SchemeSet: Jurisdiction._on_scheme_set,
    PolicyChanged: Jurisdiction._on_policy_changed,
    AsOfSet: Jurisdiction._on_as_of_set,
    OrganizationFounded: Jurisdiction._on_org_founded,
    OrganizationAmended: Jurisdiction._on_org_amended,
    OrganizationRenamed: Jurisdiction._on_org_renamed,
    OrganizationReparented: Jurisdiction._on_org_reparented,
    OrganizationDissolved: Jurisdiction._on_org_dissolved,
    HouseholdAdded: Jurisdiction._on_household_added,
    HouseholdAssigned: Jurisdiction._on_household_assigned,
    PersonAdded: Jurisdiction._on_person_added,
    PersonAmended: Jurisdiction._on_person_amended,
    PersonRemoved: Jurisdiction._on_person_removed,
    CooperativeAdded: Jurisdiction._on_coop_added,
    CooperativeAmended: Jurisdiction._on_coop_amended,
    MemberRegistered: Jurisdiction._on_registered,
    MemberDeregistered: Jurisdiction._on_deregistered,
    MemberFiled: Jurisdiction._on_filed,
    MemberUnfiled: Jurisdiction._on_unfiled,
    MemberTransferred: Jurisdiction._on_transferred,
    ZoneClaimed: Jurisdiction._on_claimed,
    ZoneReleased: Jurisdiction._on_released,
    PostAssigned: Jurisdiction._on_post_assigned,
    PostVacated: Jurisdiction._on_post_vacated,
}
