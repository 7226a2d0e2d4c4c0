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

The jurisdiction is an aggregate others build on: :attr:`~Jurisdiction.version` counts
the events since the stream began (a jurisdiction restored from a snapshot starts at the
snapshot's version), ``apply(event, expected_version=N)`` is optimistic concurrency, and
:meth:`~Jurisdiction.subscribe` tells listeners about every committed event. A batch
(:meth:`~Jurisdiction.apply_all`, :meth:`~Jurisdiction.atomic`) is all or none; a refused
batch is undone at a cost proportional to the batch.

The module is the facade; the parts are in modules of their own: :mod:`.state` (the
records and indexes), :mod:`.integrity` (the checks), :mod:`.events` (each event's
check-and-apply), :mod:`.commands` (the convenience commands), :mod:`.ids`.

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
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import MappingProxyType
from typing import TypeVar, overload

from gridgov.errors import (
    ConcurrencyError,
    InvalidValueError,
    ListenerWarning,
    UnknownReferenceError,
)
from gridgov.model.commands import Commands, require_id
from gridgov.model.enums import RegistrationKind, Role
from gridgov.model.events import Event, PolicyChanged, SchemeSet, Touch
from gridgov.model.graph import OrgGraph
from gridgov.model.ids import IdFactory, SequentialIds, Taken
from gridgov.model.policy import Policy
from gridgov.model.scheme import FIVE_LEVEL, Scheme
from gridgov.model.state import PostKey, State
from gridgov.model.values import (
    Attachment,
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    Person,
    Post,
    Registration,
    to_date,
    to_registration_kind,
    to_role,
)

__all__ = ["Jurisdiction", "Listener"]

_E = TypeVar("_E", bound=Event)

Listener = Callable[[Event], object]
"""A listener given to :meth:`Jurisdiction.subscribe`: called with each committed event."""


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


class _Batch:
    """An open :meth:`Jurisdiction.atomic` block: where to roll back to, what to announce."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        self.events: list[Event] = []


class Jurisdiction(Commands):
    """One jurisdiction: its scheme, policy, organizations, people, filings and posts.

    Parameters
    ----------
    scheme : Scheme, optional
        The levels (default: the five-level scheme). Recorded as a first
        :class:`~gridgov.model.events.SchemeSet` event when it is not the default.
    policy : Policy, optional
        The policy to start from; recorded as a :class:`~gridgov.model.events.PolicyChanged`
        event when it differs from the default. Pass one with a catalogue
        (:func:`gridgov.plugins.default_policy`) to accept the settings plugins contribute.
    ids : IdFactory, optional
        Makes ids for convenience commands called without one (default
        :class:`~gridgov.model.ids.SequentialIds`).

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

    def __init__(
        self,
        scheme: Scheme | None = None,
        *,
        policy: Policy | None = None,
        ids: IdFactory | None = None,
    ) -> None:
        if ids is not None and not callable(ids):
            raise InvalidValueError("ids", ids, "must be an id factory: ids(kind, parent, taken)")
        if scheme is not None and not isinstance(scheme, Scheme):
            raise InvalidValueError("scheme", scheme, "must be a Scheme")
        if policy is not None and not isinstance(policy, Policy):
            raise InvalidValueError("policy", policy, "must be a Policy")
        self._ids: IdFactory = ids if ids is not None else SequentialIds()
        self._state = State(FIVE_LEVEL, Policy() if policy is None else policy)
        self._log: list[Event] = []
        self._version = 0
        # counts changes of state, rollbacks included, and never goes back: the version
        # does (an undone block), so observers (a Validator) tell states apart by this
        self._revision = 0
        self._listeners: list[Listener] = []
        self._batch: _Batch | None = None
        state = self._state
        self._taken = Taken(state.is_taken)
        if scheme is not None and scheme != FIVE_LEVEL:
            self.apply(SchemeSet(scheme))
        if policy is not None and policy != Policy():
            state.policy = Policy()
            self.apply(PolicyChanged(policy))

    # -- events ----------------------------------------------------------------------------

    def _expect(self, expected_version: int | None) -> None:
        if expected_version is None:
            return
        _check_version(expected_version)
        if expected_version != self._version:
            raise ConcurrencyError(expected_version, self._version)

    def apply(self, event: _E, *, expected_version: int | None = None) -> _E:
        """Check `event` against the current state, apply it and append it to the log.

        Parameters
        ----------
        event : Event
            Any event (a subclass of :class:`~gridgov.model.events.Event`, built-in or
            a plugin's).
        expected_version : int, optional
            Refuse the event unless the jurisdiction is at this version.

        Returns
        -------
        Event
            The event, as applied.

        Raises
        ------
        IntegrityError
            (a subclass of it) if the event would break structural integrity; the
            jurisdiction is then exactly as it was.
        ConcurrencyError
            If `expected_version` is given and the jurisdiction is at another version.
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
        >>> j.apply(OrganizationFounded(Organization("C1", "community", "C", "S1")),
        ...         expected_version=0)
        Traceback (most recent call last):
        ...
        gridgov.errors.ConcurrencyError: expected_version: expected version 0, found version 1
        """
        self._expect(expected_version)
        if not isinstance(event, Event):
            raise InvalidValueError("event", event, "not a gridgov event")
        state = self._state
        batch = self._batch
        if batch is None:
            state.undo = []
            try:
                event.apply_to(state)
            except BaseException:
                state.rollback(0)  # nothing, unless an event changed the state and raised
                raise
            finally:
                state.undo = None
        else:
            mark = len(state.undo)  # type: ignore[arg-type]
            try:
                event.apply_to(state)
            except BaseException:
                state.rollback(mark)
                raise
        self._log.append(event)
        self._version += 1
        self._revision += 1
        if batch is None:
            self._notify((event,))
        else:
            batch.events.append(event)
        return event

    def apply_all(self, events: Iterable[Event], *, expected_version: int | None = None) -> int:
        """Apply `events` in order, all or none.

        Parameters
        ----------
        events : iterable of Event
            The events, oldest first.
        expected_version : int, optional
            Refuse the batch unless the jurisdiction is at this version before it.

        Returns
        -------
        int
            The number of events applied.

        Raises
        ------
        IntegrityError
            If any event is rejected; the jurisdiction is then restored to the state it
            had before the call (at a cost proportional to the batch), and the error
            names the event's position in `events` in its ``index`` attribute.
        ConcurrencyError
            If `expected_version` is given and the jurisdiction is at another version.

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
        applied = 0
        with self.atomic(expected_version=expected_version):
            try:
                for event in events:
                    if not isinstance(event, Event):
                        raise InvalidValueError(f"events[{applied}]", event, "not a gridgov event")
                    self.apply(event)
                    applied += 1
            except Exception as exc:
                exc.index = applied  # type: ignore[attr-defined]
                raise
        return applied

    def atomic(
        self, *, expected_version: int | None = None
    ) -> AbstractContextManager[Jurisdiction]:
        """A block whose events are applied all or none.

        Events applied inside the block (with :meth:`apply`, the commands, or a
        :class:`~gridgov.rules.Validator`) are undone if the block raises, at a cost
        proportional to what the block did; listeners hear of them only when the
        outermost block ends without an error. A block inside another is a savepoint:
        its own events are undone when it raises, the outer block goes on.

        Parameters
        ----------
        expected_version : int, optional
            Refuse to start unless the jurisdiction is at this version.

        Raises
        ------
        ConcurrencyError
            If `expected_version` is given and the jurisdiction is at another version.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> try:
        ...     with j.atomic():
        ...         _ = j.found_org("C1", "community", "C", parent="S1")
        ...         _ = j.found_org("C2", "community", "C", parent="S9")
        ... except UnknownReferenceError:
        ...     pass
        >>> sorted(j.organizations), j.version
        (['S1'], 1)
        """
        if expected_version is not None:
            _check_version(expected_version)  # now: the version is compared on entering
        return self._atomic(expected_version)

    @contextmanager
    def _atomic(self, expected_version: int | None) -> Iterator[Jurisdiction]:
        self._expect(expected_version)
        state = self._state
        outer = self._batch
        if outer is not None:  # a savepoint inside the open batch
            mark, length, version, announced = (
                len(state.undo),  # type: ignore[arg-type]
                len(self._log),
                self._version,
                len(outer.events),
            )
            try:
                yield self
            except BaseException:
                state.rollback(mark)
                if len(self._log) > length:
                    self._revision += 1
                del self._log[length:]
                self._version = version
                del outer.events[announced:]
                raise
            return
        batch = self._batch = _Batch()
        length, version = len(self._log), self._version
        state.undo = []
        try:
            yield self
        except BaseException:
            state.rollback(0)
            if len(self._log) > length:
                self._revision += 1
            del self._log[length:]
            self._version = version
            raise
        finally:
            state.undo = None
            self._batch = None
        self._notify(batch.events)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` for every event once it is committed.

        After :meth:`apply`, or after a whole batch (:meth:`apply_all`, :meth:`atomic`)
        has succeeded, once per event in order; never for a refused event or any event
        of a refused batch. A listener that raises does not undo anything: the error
        becomes a :class:`~gridgov.errors.ListenerWarning` and the other listeners are
        still called.

        Parameters
        ----------
        listener : callable
            Called with each committed event.

        Returns
        -------
        callable
            Call it (no arguments) to unsubscribe; calling it twice does nothing.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> seen = []
        >>> stop = j.subscribe(lambda e: seen.append(type(e).__name__))
        >>> _ = j.found_org("S1", "street", "S")
        >>> stop()
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> seen
        ['OrganizationFounded']
        """
        if not callable(listener):
            raise InvalidValueError("listener", listener, "must be callable")
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, events: Sequence[Event]) -> None:
        if not self._listeners or not events:
            return
        listeners = list(self._listeners)
        for event in events:
            for listener in listeners:
                try:
                    listener(event)
                except Exception as exc:
                    warnings.warn(
                        ListenerWarning(
                            f"listener {listener!r} raised {type(exc).__name__}: {exc} "
                            f"(on {type(event).__name__}; the event stays applied)"
                        ),
                        stacklevel=3,
                    )

    def forget_log(self, *, version: int | None = None) -> None:
        """Drop the in-memory log; the version keeps counting (from `version` if given).

        For a host that keeps the events elsewhere (an event store): a long-lived
        jurisdiction need not hold them all, and one rebuilt from a snapshot taken at
        version N continues from N (``forget_log(version=N)``).

        Parameters
        ----------
        version : int, optional
            The stream version the current state stands at.

        Raises
        ------
        StateError
            Inside an :meth:`atomic` block.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.forget_log(version=41)
        >>> j.version, len(j.log)
        (41, 0)
        """
        if self._batch is not None:
            from gridgov.errors import StateError

            raise StateError("log", None, "cannot forget the log inside an atomic block")
        if version is not None:
            if isinstance(version, bool) or not isinstance(version, int) or version < 0:
                raise InvalidValueError("version", version, "must be a non-negative integer")
            self._version = version
        self._log.clear()

    @classmethod
    def replay(
        cls,
        events: Iterable[Event],
        *,
        ids: IdFactory | None = None,
        policy: Policy | None = None,
    ) -> Jurisdiction:
        """Fold `events` into a new jurisdiction.

        Parameters
        ----------
        events : iterable of Event
            The events, oldest first (e.g. another jurisdiction's :attr:`log`).
        ids : IdFactory, optional
            The id factory of the new jurisdiction.
        policy : Policy, optional
            The policy the new jurisdiction starts from (its catalogue is kept).

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
        _require_iterable("events", events)
        j = cls(ids=ids)
        if policy is not None:
            if not isinstance(policy, Policy):
                raise InvalidValueError("policy", policy, "must be a Policy")
            j._state.policy = policy
        # A new jurisdiction that nobody else sees yet: no journal, no listeners; on a
        # refused event the caller gets the error and never the half-built jurisdiction.
        state, log = j._state, j._log
        n = 0
        try:
            for event in events:
                if not isinstance(event, Event):
                    raise InvalidValueError(f"events[{n}]", event, "not a gridgov event")
                event.apply_to(state)
                log.append(event)
                n += 1
        except Exception as exc:
            exc.index = n  # type: ignore[attr-defined]
            raise
        j._version = n
        return j

    def copy(self) -> Jurisdiction:
        """Return an equal, independent jurisdiction with the same log and version.

        The copy gets a deep copy of the id factory and no listeners.

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
        >>> _ = k.found_org(None, "community", "C", parent="S1")
        >>> "C1" in j.graph, j.found_org(None, "community", "C", parent="S1").org.id
        (False, 'C1')
        """
        new = Jurisdiction(ids=copy.deepcopy(self._ids))
        new._state = state = self._state.copy()
        new._taken = Taken(state.is_taken)
        new._log = list(self._log)
        new._version = self._version
        return new

    # -- reading ---------------------------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        """The scheme of levels."""
        return self._state.scheme

    @property
    def policy(self) -> Policy:
        """The policy the rules check against."""
        return self._state.policy

    @property
    def as_of(self) -> dt.date | None:
        """The date the state is judged at, if set."""
        return self._state.as_of

    @property
    def version(self) -> int:
        """The number of events applied since the stream began.

        Independent of the in-memory :attr:`log`: a jurisdiction restored from a snapshot
        taken at version N starts at N with an empty log (see :meth:`forget_log`).
        """
        return self._version

    @property
    def revision(self) -> int:
        """A count of the changes of state, rollbacks included, that never goes back.

        :attr:`version` goes back when a block is undone; an observer that caches what
        it computed from a state (a :class:`~gridgov.rules.Validator`) tells states apart
        by this instead.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> before = j.revision
        >>> try:
        ...     with j.atomic():
        ...         _ = j.found_org("S1", "street", "S")
        ...         raise RuntimeError
        ... except RuntimeError:
        ...     pass
        >>> j.version, j.revision > before
        (0, True)
        """
        return self._revision

    @property
    def log_start(self) -> int:
        """The version before the first event of :attr:`log` (0 unless the log was cut).

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.forget_log()
        >>> j.version, j.log_start, len(j.log)
        (1, 1, 0)
        """
        return self._version - len(self._log)

    @property
    def log(self) -> Sequence[Event]:
        """The events applied, oldest first (a read-only view)."""
        return _LogView(self._log)

    @property
    def graph(self) -> OrgGraph:
        """The organization tree and its filings index."""
        return self._state.graph

    @property
    def organizations(self) -> Mapping[str, Organization]:
        """Organizations by id, in founding order."""
        return _OrgView(self._state.graph)

    @property
    def people(self) -> Mapping[str, Person]:
        """People by id."""
        return MappingProxyType(self._state.people)

    @property
    def households(self) -> Mapping[str, Household]:
        """Households by id."""
        return MappingProxyType(self._state.households)

    @property
    def cooperatives(self) -> Mapping[str, Cooperative]:
        """Economic cooperatives by id."""
        return MappingProxyType(self._state.coops)

    @property
    def registrations(self) -> Mapping[str, Registration]:
        """Residence registrations by person id."""
        return MappingProxyType(self._state.registrations)

    @property
    def work_registrations(self) -> Mapping[str, Registration]:
        """Work-unit registrations (双报到) by person id."""
        return MappingProxyType(self._state.work_registrations)

    @property
    def attachments(self) -> Mapping[tuple[str, str], Attachment]:
        """Attachments by ``(person, org)``: members serving beyond their grid filing."""
        return MappingProxyType(self._state.attachments)

    @property
    def filings(self) -> Mapping[str, Filing]:
        """Filings by person id."""
        return MappingProxyType(self._state.filings)

    @property
    def claims(self) -> Mapping[tuple[str, str], Claim]:
        """Zone claims by ``(person, zone)``."""
        return MappingProxyType(self._state.claims)

    @property
    def posts(self) -> Mapping[PostKey, Post]:
        """Posts by ``(org, role, holder)``."""
        return MappingProxyType(self._state.posts)

    @property
    def zone_of_household(self) -> Mapping[str, str]:
        """The zone of each household that is in one."""
        return MappingProxyType(self._state.zone_of)

    def members(self, org: str) -> list[str]:
        """Return the members of `org`: filed anywhere in its subtree, or attached to it.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            The people filed in the subtree (see :meth:`OrgGraph.members
            <gridgov.model.OrgGraph.members>`), then those attached to an organization of
            the subtree (:meth:`attach_member`) and not filed there, each once.

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
        self._query_org("org", org)
        return self._state.members(org)

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
        filing = self._state.filings.get(person)
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
        return list(self._state.households_in.get(zone, ()))

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
        return list(self._state.claims_by_person.get(person, ()))

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
        return list(self._state.claims_by_zone.get(zone, ()))

    def registered_in(
        self, community: str, kind: RegistrationKind | str = RegistrationKind.RESIDENCE
    ) -> list[str]:
        """Return the ids of the people registered at `community`.

        Parameters
        ----------
        community : str
            An organization id.
        kind : RegistrationKind or str
            ``residence`` (the default) or ``work_unit``.

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
        index = (
            self._state.registered_in
            if to_registration_kind(kind) is RegistrationKind.RESIDENCE
            else self._state.work_registered_in
        )
        return list(index.get(community, ()))

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
        posts = self._state.posts
        keys = self._state.posts_by_org.get(org, ())
        if role is None:
            return [posts[k] for k in keys]
        wanted = to_role(role)
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
        posts = self._state.posts
        self._query_person("person", person)
        return [posts[k] for k in self._state.posts_by_holder.get(person, ())]

    def attached(self, org: str) -> list[str]:
        """Return the ids of the people attached to `org` itself, in attaching order.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> _ = j.found_org("T1", "branch", "临时党支部", parent="C1", kind="temporary")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.attach_member("P1", "T1")
        >>> j.attached("T1"), j.members("T1"), j.attachments_of("P1")
        (['P1'], ['P1'], ['T1'])
        """
        self._query_org("org", org)
        return list(self._state.attached_by_org.get(org, ()))

    def attachments_of(self, person: str) -> list[str]:
        """Return the organizations `person` is attached to, in attaching order.

        Raises
        ------
        UnknownReferenceError
            If `person` is not a known person.

        Examples
        --------
        >>> Jurisdiction().attachments_of("P1")
        Traceback (most recent call last):
        ...
        gridgov.errors.UnknownReferenceError: person: unknown person 'P1'
        """
        self._query_person("person", person)
        return list(self._state.attached_by_person.get(person, ()))

    def post_history(self, org: str, role: Role | str | None = None) -> list[Post]:
        """Return every tenure of a post in `org`: past ones, then those held now.

        A past tenure is a :class:`~gridgov.model.Post` whose ``until`` is the day its
        holder left (``None`` if they left on a day not recorded). Kept per organization,
        so the cost does not depend on the length of the log.

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str, optional
            Only the tenures of this role.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "甲", status="full")
        >>> _ = j.add_person("P2", "乙", status="full")
        >>> _ = j.appoint("S1", "secretary", "P1", since="2016-03-01")
        >>> _ = j.vacate("S1", "secretary", "P1", until="2021-03-01")
        >>> _ = j.appoint("S1", "secretary", "P2", since="2021-03-01")
        >>> [(p.holder, str(p.since), str(p.until)) for p in j.post_history("S1")]
        [('P1', '2016-03-01', '2021-03-01'), ('P2', '2021-03-01', 'None')]
        """
        self._query_org("org", org)
        wanted = None if role is None else to_role(role)
        out = [p for p in self._state.tenures.get(org, ()) if wanted is None or p.role is wanted]
        out.extend(self.posts_in(org, wanted))
        return out

    def tenures(self, org: str) -> list[Post]:
        """Return the past tenures of posts in `org`, in the order they ended.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "甲", status="full")
        >>> _ = j.appoint("S1", "secretary", "P1")
        >>> _ = j.vacate("S1", "secretary", "P1", until="2021-03-01")
        >>> [(p.holder, str(p.until)) for p in j.tenures("S1")]
        [('P1', '2021-03-01')]
        """
        self._query_org("org", org)
        return list(self._state.tenures.get(org, ()))

    def holders(self, org: str, role: Role | str, on: dt.date | str) -> list[str]:
        """Return who held `role` in `org` on the day `on` (who held it then).

        A tenure counts from its ``since`` (inclusive; none: from the start) to its
        ``until`` (exclusive; none for a post still held). A past tenure left on a day not
        recorded answers for no day.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        InvalidValueError
            If `role` or `on` is malformed.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "甲", status="full")
        >>> _ = j.add_person("P2", "乙", status="full")
        >>> _ = j.appoint("S1", "secretary", "P1", since="2016-03-01")
        >>> _ = j.replace_holder("S1", "secretary", "P1", "P2", date="2021-03-01")
        >>> j.holders("S1", "secretary", on="2020-01-01"), j.holders("S1", "secretary", on="2021-03-01")
        (['P1'], ['P2'])
        """
        self._query_org("org", org)
        day = to_date(on, "on")
        wanted = to_role(role)
        out: dict[str, None] = {}
        for post in self._state.tenures.get(org, ()):
            if post.role is wanted and post.until is not None and post.held_on(day):
                out[post.holder] = None
        for post in self.posts_in(org, wanted):
            if post.held_on(day):
                out[post.holder] = None
        return list(out)

    def is_taken(self, id: str) -> bool:
        """Return whether `id` names a record: an organization, person, household or
        cooperative (they share one namespace).

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.is_taken("S1"), j.is_taken("S2")
        (True, False)
        """
        return bool(self._taken(require_id("id", id)))

    def residents(self, household: str) -> list[str]:
        """Return the ids of the people who live in `household` (``person.household``).

        Raises
        ------
        UnknownReferenceError
            If `household` is not a known household.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.add_household("H1")
        >>> _ = j.add_person("P1", "李四", household="H1")
        >>> j.residents("H1")
        ['P1']
        """
        if require_id("household", household) not in self._state.households:
            raise UnknownReferenceError("household", household, "household")
        return list(self._state.residents.get(household, ()))

    def organizations_on(self, cooperative: str) -> list[str]:
        """Return the ids of the organizations drawn on `cooperative`.

        Raises
        ------
        UnknownReferenceError
            If `cooperative` is not a known cooperative.

        Examples
        --------
        >>> j = Jurisdiction()
        >>> _ = j.add_cooperative("EC1", "清湖第一经济社")
        >>> _ = j.found_org("S1", "street", "S", cooperative="EC1")
        >>> j.organizations_on("EC1")
        ['S1']
        """
        if require_id("cooperative", cooperative) not in self._state.coops:
            raise UnknownReferenceError("cooperative", cooperative, "cooperative")
        return list(self._state.coop_orgs.get(cooperative, ()))

    def attached_orgs(self, person: str) -> set[str]:
        """Return the organizations the records of `person` attach to.

        Their filing's organization, the organizations where they hold posts, the zones
        they claim, their registration's community, and the organizations drawn on a
        cooperative they head or are branch secretary of.

        Raises
        ------
        UnknownReferenceError
            If `person` is not a known person.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("W1", "grid", "W", parent="V1")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> _ = j.appoint("V1", "secretary", "P1")
        >>> sorted(j.attached_orgs("P1"))
        ['V1', 'W1']
        """
        self._query_person("person", person)
        return self._state.orgs_of_person(person)

    def people_attached(self, org: str) -> set[str]:
        """Return the people whose records attach to the subtree of `org`.

        Filed there, holding posts there, claiming zones there or registered there.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("W1", "grid", "W", parent="V1")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> j.people_attached("V1"), j.people_attached("W1")
        ({'P1'}, {'P1'})
        """
        self._query_org("org", org)
        return self._state.people_in_subtree(org)

    def touches(self, event: Event) -> Touch:
        """Return what `event` touches, read in the current state (see :class:`Touch`).

        Incremental validation asks before and after applying the event.

        Raises
        ------
        InvalidValueError
            If `event` is not a gridgov event.

        Examples
        --------
        >>> from gridgov.model import MemberTransferred
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("W1", "grid", "W", parent="V1")
        >>> _ = j.found_org("W2", "grid", "W", parent="V1")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> sorted(j.touches(MemberTransferred("P1", "W2")).anchors)
        ['W1', 'W2']
        """
        if not isinstance(event, Event):
            raise InvalidValueError("event", event, "not a gridgov event")
        return event.touches(self._state)

    def _attached_to(self, org: str) -> list[str]:
        return list(self._state.attached_by_org.get(org, ()))

    def _posts_of(self, org: str) -> list[Post]:
        return self.posts_in(org) if org in self._state.graph else []

    def _query_org(self, field: str, org: str) -> None:
        if require_id(field, org) not in self._state.graph:
            raise UnknownReferenceError(field, org, "organization")

    def _query_person(self, field: str, person: str) -> None:
        if require_id(field, person) not in self._state.people:
            raise UnknownReferenceError(field, person, "person")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Jurisdiction):
            return NotImplemented
        return self._state.key() == other._state.key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        state = self._state
        counts = ", ".join(f"{lvl}={n}" for lvl, n in state.graph.counts().items())
        return (
            f"<Jurisdiction {state.scheme.name or 'inline'} {counts}, "
            f"people={len(state.people)}, version={self._version}>"
        )


def _check_version(expected_version: object) -> None:
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise InvalidValueError("expected_version", expected_version, "must be an integer")


def _require_iterable(field: str, value: object) -> None:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError(field, value, "must be an iterable of events")


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
