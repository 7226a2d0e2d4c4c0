"""The application service: open a jurisdiction from a store, change it, validate, append, publish.

A host runs gridgov inside a service: its jurisdictions are kept in an event store
(:mod:`gridgov.adapters.storage`), every change is published on a message bus
(:mod:`gridgov.adapters.messaging`). :class:`Service` does it in one step:

1. **open** the jurisdiction from the store: the latest snapshot and the events after
   it (kept in memory afterwards, caught up with what other writers appended each time);
2. **run** the change: a batch of events, or a command (a function of the jurisdiction
   that applies what it decides, e.g. ``lambda j: j.transfer_member("P5", "G2")``);
3. **validate** incrementally: the rules whose reads the events write are re-checked on
   what the events touch; with ``refuse="error"`` a change that brings a new error is
   refused (:class:`~gridgov.errors.ValidationError`);
4. **append** the events to the store with the version the change was decided on: a
   write that conflicts with another writer's raises
   :class:`~gridgov.errors.ConcurrencyError` and writes nothing;
5. **publish**: the relay sends the bus what the store holds past the bus's last
   position (a bus that does not answer is a :class:`~gridgov.errors.DeliveryWarning`;
   the next publish sends it).

Steps 2-4 are all or nothing: a refused, invalid or conflicting change leaves the
store, the in-memory jurisdiction and its findings as they were.
:meth:`Service.execute_with_retry` re-runs a command on the caught-up jurisdiction
after a conflict. The recorded-at time comes from the service's clock (a callable,
the system clock by default, so that a test can pass a fixed one) and the actor from
the call: the pure core never reads a clock.

Examples
--------
>>> import datetime as dt
>>> import gridgov
>>> clock = lambda: dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
>>> service = Service("memory://", "memory://", clock=clock, actor="admin")
>>> out = service.execute("S1", lambda j: j.found_org("S1", "street", "均禾街党工委"))
>>> out.version, [str(d) for d in out.introduced]
(1, ["GG206 [E] 'S1' has no secretary (S1)"])
>>> env = service.store.read("S1")[0]
>>> env.topic, env.recorded_at.isoformat(), env.actor, service.bus.last_published()
('OrganizationFounded', '2024-03-01T08:00:00+00:00', 'admin', 1)
>>> service.execute("S1", lambda j: j.found_org("C1", "community", "C", parent="S1"),
...                 expected_version=0)
Traceback (most recent call last):
...
gridgov.errors.ConcurrencyError: expected_version: expected version 0 of stream 'S1', found version 1
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import Attribute, define, field, frozen

from gridgov import plugins
from gridgov.adapters.messaging import MessageBus
from gridgov.adapters.messaging.relay import Relay
from gridgov.adapters.storage import EventStore, Snapshot, check_stream
from gridgov.envelope import Envelope, seal
from gridgov.errors import (
    BusError,
    ConcurrencyError,
    DeliveryWarning,
    IntegrityError,
    InvalidValueError,
    StoreError,
    ValidationError,
)
from gridgov.io import dump, parse
from gridgov.limits import MAX_ID_LENGTH, MAX_VERSION, check_flag, check_id_text, check_int
from gridgov.model.diff import events_between
from gridgov.model.document import build
from gridgov.model.events import Event
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.rules.diagnostics import Diagnostic, Report, Severity
from gridgov.validation import Validator

if TYPE_CHECKING:
    from gridgov.plugins import GridGovPluginManager

__all__ = [
    "DEFAULT_STORE_URL",
    "STORE_ENV",
    "Change",
    "Outcome",
    "Service",
    "default_store_url",
    "new_event_id",
    "system_clock",
]

DEFAULT_STORE_URL = "sqlite:///gridgov.db"
"""The store used wherever one is needed and none is named: a SQLite file in the current folder."""

STORE_ENV = "GRIDGOV_STORE"
"""The environment variable naming the store URL (the ``--store`` option's default)."""

Change = Event | Iterable[Event] | Callable[[Jurisdiction], object]
"""What :meth:`Service.execute` runs: an event, events, or a command ``f(jurisdiction)``."""


def default_store_url() -> str:
    """The store URL to use when none is given: ``$GRIDGOV_STORE``, else :data:`DEFAULT_STORE_URL`.

    Examples
    --------
    >>> import os
    >>> default_store_url() == (os.environ.get("GRIDGOV_STORE") or "sqlite:///gridgov.db")
    True
    """
    return os.environ.get(STORE_ENV) or DEFAULT_STORE_URL


def system_clock() -> dt.datetime:
    """The current time in UTC: the service's default clock.

    Examples
    --------
    >>> system_clock().tzinfo
    datetime.timezone.utc
    """
    return dt.datetime.now(dt.UTC)


def new_event_id() -> str:
    """A new event id: a random UUID, the service's default.

    Examples
    --------
    >>> len(new_event_id())
    36
    """
    return str(uuid.uuid4())


_T = TypeVar("_T")


def _instance(name: str, value: object, cls: type) -> None:
    if not isinstance(value, cls):
        raise InvalidValueError(name, value, f"must be a {cls.__name__}")


def _items(name: str, value: object, cls: type[_T]) -> tuple[_T, ...]:
    """`value`, a list or tuple of `cls`, as a tuple."""
    if not isinstance(value, list | tuple):
        raise InvalidValueError(name, value, f"must be a tuple of {cls.__name__}")
    for i, item in enumerate(value):
        _instance(f"{name}[{i}]", item, cls)
    return tuple(value)


def _outcome_stream(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_stream(value)


def _outcome_version(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_int(attribute.name, value, 0, MAX_VERSION)


def _outcome_report(instance: object, attribute: Attribute[Any], value: object) -> None:
    _instance(attribute.name, value, Report)


def _outcome_published(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidValueError(attribute.name, value, "must be True, False or None")


def _envelopes(value: object) -> tuple[Envelope, ...]:
    return _items("envelopes", value, Envelope)


def _introduced(value: object) -> tuple[Diagnostic, ...]:
    return _items("introduced", value, Diagnostic)


@frozen
class Outcome:
    """What :meth:`Service.execute` did.

    Parameters
    ----------
    stream : str
        The jurisdiction's id.
    version : int
        The stream's version after the change.
    envelopes : tuple of Envelope
        The events stored (empty if the change applied nothing).
    report : Report
        The jurisdiction's findings after the change.
    introduced : tuple of Diagnostic
        The findings the change brought (not there before it).
    published : bool or None
        Whether the events reached the bus (``None``: no bus, or the change joined a
        host's transaction and is published once it commits).
    result : object
        What the command returned (``None`` for events).

    Raises
    ------
    InvalidValueError
        Naming the field that is not what it says above.

    Examples
    --------
    >>> from gridgov.rules import Report
    >>> Outcome("S1", 0, (), Report(()), (), None).before
    0
    """

    stream: str = field(validator=_outcome_stream)
    version: int = field(validator=_outcome_version)
    envelopes: tuple[Envelope, ...] = field(converter=_envelopes)
    report: Report = field(validator=_outcome_report)
    introduced: tuple[Diagnostic, ...] = field(converter=_introduced)
    published: bool | None = field(validator=_outcome_published)
    result: object = None

    @property
    def before(self) -> int:
        """The stream's version before the change."""
        return self.version - len(self.envelopes)


@define
class _Session:
    """A jurisdiction the service keeps open, and what it knows of it."""

    jurisdiction: Jurisdiction
    validator: Validator
    stored: int  # the version known to be in the store
    snapshot_version: int  # the version of the latest snapshot taken or read
    unconfirmed: tuple[int, str] | None = None  # appended in a host's transaction
    report: Report | None = None  # the findings at `report_version`, kept between changes
    report_version: int = -1

    def findings(self, stream: str) -> Report:
        """The current report, computed again only when the jurisdiction moved."""
        version = self.jurisdiction.version
        if self.report is None or self.report_version != version:
            self.report = self.validator.report(stream)
            self.report_version = version
        return self.report


def _check_actor(actor: object) -> str:
    """Who makes a change: an id any store can hold (no control character or surrogate)."""
    return check_id_text("actor", actor, max_length=MAX_ID_LENGTH)


def _check_version(name: str, value: object) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VERSION
    ):
        raise InvalidValueError(name, value, f"must be None or an integer from 0 to {MAX_VERSION}")


def _open(
    opener: Callable[[str, GridGovPluginManager | None], _T],
    url: str,
    pm: GridGovPluginManager | None,
    field: str,
) -> _T:
    """Open `url` with `opener`; a URL at fault is named by the service's argument."""
    try:
        return opener(url, pm)
    except (StoreError, BusError) as exc:
        if exc.field != "url":
            raise
        raise type(exc)(exc.url, exc.reason, field=field) from None


class _Undo(Exception):  # noqa: N818 - not an error: unwinds the dry run of a command
    pass


class Service:
    """Opens jurisdictions from a store, runs changes, validates, appends and publishes.

    Parameters
    ----------
    store : EventStore or str, optional
        The event store, or its URL (default: :func:`default_store_url`).
    bus : MessageBus or str, optional
        The message bus, or its URL; without one nothing is published.
    clock : callable
        Returns the time to record (an aware datetime; default :func:`system_clock`).
    actor : str, optional
        Who makes the changes, when a call does not say.
    event_ids : callable
        Returns a new event id (default :func:`new_event_id`).
    ids : IdFactory, optional
        The id factory of the jurisdictions opened (default: the plugins'
        ``gridgov_make_id``, :func:`gridgov.plugins.id_factory`).
    snapshot_every : int, optional
        Take a snapshot after a change once this many events have been stored since
        the last one (default: only when :meth:`snapshot` is called).
    select, ignore, severity
        Rule selection and severity overrides of the validation, as in
        :class:`gridgov.Validator`.
    refuse : Severity or str, optional
        Refuse a change that brings a new finding at or above this severity
        (``"error"``); default: report findings, refuse nothing.
    plugin_manager : GridGovPluginManager, optional
        The plugins (default: the process's).

    Notes
    -----
    A service is thread-safe: one lock serialises its calls. Two services (or two
    processes) may write to the same store: the store's concurrency check keeps them
    apart, and each catches up with the other's events before its next change.

    Examples
    --------
    >>> service = Service("memory://")
    >>> service.open("S1").version, service.store.url
    (0, 'memory://')
    """

    def __init__(
        self,
        store: EventStore | str | None = None,
        bus: MessageBus | str | None = None,
        *,
        clock: Callable[[], dt.datetime] = system_clock,
        actor: str | None = None,
        event_ids: Callable[[], str] = new_event_id,
        ids: IdFactory | None = None,
        snapshot_every: int | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        severity: Mapping[str, Severity | str] | None = None,
        refuse: Severity | str | None = None,
        plugin_manager: GridGovPluginManager | None = None,
    ) -> None:
        # every argument is checked before a store or a bus is opened from its URL
        if plugin_manager is not None and not isinstance(
            plugin_manager, plugins.GridGovPluginManager
        ):
            raise InvalidValueError(
                "plugin_manager", plugin_manager, "must be a GridGovPluginManager or None"
            )
        self._pm = plugin_manager
        if store is None:
            store = default_store_url()
        if not isinstance(store, EventStore | str):
            raise InvalidValueError("store", store, "must be an EventStore or a store URL")
        if bus is not None and not isinstance(bus, MessageBus | str):
            raise InvalidValueError("bus", bus, "must be a MessageBus, a bus URL or None")
        for name, fn in (("clock", clock), ("event_ids", event_ids)):
            if not callable(fn):
                raise InvalidValueError(name, fn, "must be callable")
        if ids is not None and not callable(ids):
            raise InvalidValueError("ids", ids, "must be an id factory (a callable) or None")
        if actor is not None:
            _check_actor(actor)
        if snapshot_every is not None and (
            isinstance(snapshot_every, bool)
            or not isinstance(snapshot_every, int)
            or snapshot_every < 1
        ):
            raise InvalidValueError("snapshot_every", snapshot_every, "must be None or >= 1")
        self._options: dict[str, Any] = {
            "select": select,
            "ignore": ignore,
            "severity": severity,
        }
        self._refuse = None if refuse is None else Severity.parse(refuse, "refuse")
        Validator(Jurisdiction(), **self._validator_options())  # bad options: fail now
        opened = isinstance(store, str)
        if isinstance(store, str):
            store = _open(plugins.event_store, store, plugin_manager, "store")
        if isinstance(bus, str):
            try:
                bus = _open(plugins.message_bus, bus, plugin_manager, "bus")
            except BaseException:
                if opened:  # the service opened it: nobody else will close it
                    store.close()
                raise
        self.store: EventStore = store
        self.bus: MessageBus | None = bus
        self.clock = clock
        self.actor = actor
        self.event_ids = event_ids
        self.snapshot_every = snapshot_every
        self._ids = ids
        self._relay = None if bus is None else Relay(store, bus)
        self._lock = threading.RLock()
        self._sessions: dict[str, _Session] = {}

    # -- opening ---------------------------------------------------------------------------

    def _validator_options(self) -> dict[str, Any]:
        options = dict(self._options)
        if self._pm is not None:
            options["registry"] = plugins.registry(self._pm)
        return options

    def _id_factory(self) -> IdFactory:
        return self._ids if self._ids is not None else plugins.id_factory(self._pm)

    def _now(self) -> dt.datetime:
        now = self.clock()
        if not isinstance(now, dt.datetime) or now.utcoffset() is None:
            raise InvalidValueError("clock", now, "must return a timezone-aware datetime")
        return now

    def _restore(
        self, stream: str, *, upto: int | None, snapshots: bool
    ) -> tuple[Jurisdiction, int]:
        store = self.store
        types = plugins.event_types(self._pm)
        policy = plugins.default_policy(self._pm)
        snap = store.snapshot(stream, upto=upto) if snapshots else None
        start = 0 if snap is None else snap.version
        envelopes = store.iter_stream(stream, after=start, upto=upto)
        done = start

        def events() -> Iterable[Event]:
            nonlocal done
            for env in envelopes:
                yield env.event(event_types=types)
                done = env.version

        try:
            if snap is None:
                j = Jurisdiction.replay(events(), ids=self._id_factory(), policy=policy)
            else:
                j = build(
                    parse(snap.document),
                    ids=self._id_factory(),
                    policy=policy,
                    version=snap.version,
                    source=f"snapshot {stream}@{snap.version}",
                )
                for event in events():
                    j.apply(event)
        except IntegrityError as exc:
            raise StoreError(
                store.url,
                f"stream {stream!r}: the event at version {done + 1} does not apply: {exc}",
            ) from exc
        return j, start

    def load(
        self, stream: str, *, version: int | None = None, snapshots: bool = True
    ) -> Jurisdiction:
        """Return a new jurisdiction rebuilt from the store, independent of the service.

        Parameters
        ----------
        stream : str
            The jurisdiction's id.
        version : int, optional
            Rebuild it as it was at this version (default: the latest).
        snapshots : bool
            Start from the latest snapshot at or before the version (default); ``False``
            replays every event.

        Returns
        -------
        Jurisdiction
            At the stream's version; its log holds the events after the snapshot it
            started from (:attr:`~gridgov.model.Jurisdiction.log_start`). A stream with
            no events gives an empty jurisdiction at version 0.

        Raises
        ------
        StoreError
            If the store does not answer, or a stored event no longer applies.

        Examples
        --------
        >>> service = Service("memory://")
        >>> _ = service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
        >>> _ = service.execute("S1", lambda j: j.rename_org("S1", "均禾街党工委"))
        >>> service.load("S1", version=1).organizations["S1"].name
        'S'
        """
        check_stream(stream)
        _check_version("version", version)
        check_flag("snapshots", snapshots)
        j, _ = self._restore(stream, upto=version, snapshots=snapshots)
        if version is not None and j.version < version:
            raise InvalidValueError(
                "version", version, f"stream {stream!r} is only at version {j.version}"
            )
        return j

    def _session(self, stream: str) -> _Session:
        check_stream(stream)
        s = self._sessions.get(stream)
        if s is not None and s.unconfirmed is not None:
            version, event_id = s.unconfirmed
            found = self.store.read(stream, after=version - 1, upto=version)
            if found and found[0].event_id == event_id:  # the host's transaction committed
                s.unconfirmed = None
                s.stored = version
            else:  # rolled back, or not committed yet: start again from the store
                s = None
        if s is not None and s.jurisdiction.version != s.stored:
            s = None  # changed behind the service's back: start again from the store
        if s is None:
            j, snap_version = self._restore(stream, upto=None, snapshots=True)
            j.forget_log()
            validator = Validator(j, **self._validator_options())
            s = self._sessions[stream] = _Session(j, validator, j.version, snap_version)
            return s
        tail = [e.event(event_types=plugins.event_types(self._pm)) for e in self._tail(stream, s)]
        if tail:
            s.validator.apply_all(tail)
            s.jurisdiction.forget_log()
            s.stored = s.jurisdiction.version
        return s

    def _tail(self, stream: str, s: _Session) -> list[Envelope]:
        return list(self.store.iter_stream(stream, after=s.stored))

    def open(self, stream: str) -> Jurisdiction:
        """Return the service's jurisdiction `stream`, caught up with the store.

        The service keeps it for the next changes: read it, and change it through
        :meth:`execute` (a change applied to it directly is noticed, and the
        jurisdiction is opened again from the store).

        Examples
        --------
        >>> service = Service("memory://")
        >>> _ = service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
        >>> service.open("S1").version
        1
        """
        with self._lock:
            return self._session(stream).jurisdiction

    def report(self, stream: str) -> Report:
        """Return the current findings of jurisdiction `stream` (kept up to date incrementally).

        Examples
        --------
        >>> service = Service("memory://")
        >>> _ = service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
        >>> service.report("S1").count_by_code()
        {'GG206': 1}
        """
        with self._lock:
            return self._session(stream).findings(stream)

    def forget(self, stream: str | None = None) -> None:
        """Drop the jurisdiction `stream` (every one, by default) from the service's memory.

        Examples
        --------
        >>> Service("memory://").forget()
        """
        if stream is not None:
            check_stream(stream)
        with self._lock:
            if stream is None:
                self._sessions.clear()
            else:
                self._sessions.pop(stream, None)

    # -- changing --------------------------------------------------------------------------

    def _events_of(self, j: Jurisdiction, change: Change) -> tuple[list[Event], object]:
        if isinstance(change, Event):
            return [change], None
        if callable(change):
            start = len(j.log)
            result: object = None
            events: list[Event] = []
            try:
                with j.atomic():  # a dry run: learn the command's events, then undo them
                    result = change(j)
                    events = list(j.log[start:])
                    raise _Undo
            except _Undo:
                pass
            return events, result
        if isinstance(change, str | bytes | Mapping) or not isinstance(change, Iterable):
            raise InvalidValueError(
                "change", change, "must be an event, events, or a command f(jurisdiction)"
            )
        events = list(change)
        for i, e in enumerate(events):
            if not isinstance(e, Event):
                raise InvalidValueError(f"change[{i}]", e, "not a gridgov event")
        return events, None

    def execute(
        self,
        stream: str,
        change: Change,
        *,
        expected_version: int | None = None,
        actor: str | None = None,
        connection: object | None = None,
    ) -> Outcome:
        """Run `change` on jurisdiction `stream`, validate, append it to the store, publish.

        Parameters
        ----------
        stream : str
            The jurisdiction's id (a new stream starts empty).
        change : Event, iterable of Event, or callable
            The events to apply, in order, or a command: ``change(jurisdiction)`` applies
            what it decides (its return value is the outcome's ``result``).
        expected_version : int, optional
            The version the caller decided the change on (e.g. the one it showed a
            user); refused if the stream has moved on since.
        actor : str, optional
            Who makes the change (default: the service's `actor`).
        connection : object, optional
            A transaction of the host's to join (a SQLAlchemy ``Connection`` for the SQL
            store): the events are stored when it commits. Publish after committing
            (:meth:`publish`).

        Returns
        -------
        Outcome

        Raises
        ------
        IntegrityError
            If an event breaks structural integrity (nothing is stored).
        ValidationError
            If the service refuses new findings of the change's severity (nothing is
            stored).
        ConcurrencyError
            If the stream is not at `expected_version`, or another writer appended
            first (nothing is stored; the next call catches up).
        StoreError
            If the store does not answer (nothing is stored).

        Examples
        --------
        >>> from gridgov.model import Organization, OrganizationFounded
        >>> service = Service("memory://")
        >>> out = service.execute("S1", [OrganizationFounded(Organization("S1", "street", "S"))],
        ...                       actor="admin")
        >>> out.before, out.version, out.envelopes[0].actor, out.published
        (0, 1, 'admin', None)
        """
        actor = self.actor if actor is None else _check_actor(actor)
        _check_version("expected_version", expected_version)
        with self._lock:
            s = self._session(stream)
            j, validator = s.jurisdiction, s.validator
            base = j.version
            if expected_version is not None and expected_version != base:
                raise ConcurrencyError(expected_version, base, stream=stream)
            events, result = self._events_of(j, change)
            before = s.findings(stream)
            if not events:
                return Outcome(stream, base, (), before, (), None, result)
            known = set(before.diagnostics)
            try:
                with j.atomic():
                    validator.apply_all(events)
                    report = validator.report(stream)
                    introduced = tuple(d for d in report if d not in known)
                    if self._refuse is not None:
                        rank = self._refuse.rank
                        bad = [d for d in introduced if d.severity.rank >= rank]
                        if bad:
                            raise ValidationError(bad)
                    now = self._now()
                    sealed = [
                        seal(e, event_id=self.event_ids(), recorded_at=now, actor=actor)
                        for e in events
                    ]
                    stored = self.store.append(
                        stream, sealed, expected_version=base, connection=connection
                    )
            except BaseException:
                j.forget_log()
                raise
            j.forget_log()
            s.report, s.report_version = report, j.version
            if connection is not None:
                s.unconfirmed = (j.version, stored[-1].event_id)
                return Outcome(stream, j.version, tuple(stored), report, introduced, None, result)
            s.stored = j.version
            if (
                self.snapshot_every is not None
                and j.version - s.snapshot_version >= self.snapshot_every
            ):
                self._snapshot(stream, s)
            published = self._publish_quietly()
            return Outcome(stream, j.version, tuple(stored), report, introduced, published, result)

    def execute_with_retry(
        self,
        stream: str,
        change: Change,
        *,
        attempts: int = 3,
        actor: str | None = None,
    ) -> Outcome:
        """:meth:`execute`, run again on the caught-up jurisdiction after a conflict.

        A command (a callable) decides again on the state that includes the other
        writer's events; events are applied again as they are, and refused if they no
        longer fit.

        Parameters
        ----------
        attempts : int
            How many times to try in all.

        Raises
        ------
        ConcurrencyError
            If every attempt conflicted.

        Examples
        --------
        >>> service = Service("memory://")
        >>> service.execute_with_retry("S1", lambda j: j.found_org(None, "street", "S")).version
        1
        """
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise InvalidValueError("attempts", attempts, "must be an integer >= 1")
        for attempt in range(1, attempts + 1):
            try:
                return self.execute(stream, change, actor=actor)
            except ConcurrencyError:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def import_jurisdiction(
        self,
        stream: str,
        jurisdiction: Jurisdiction,
        *,
        replace: bool = False,
        actor: str | None = None,
    ) -> Outcome:
        """Store `jurisdiction` as stream `stream` (``gridgov import``).

        A new stream gets the jurisdiction's events (one per record, as
        :func:`gridgov.load` builds it). With `replace`, an existing stream gets the
        events that turn its jurisdiction into this one (the log stays append-only, and
        consumers see the changes); without it, an existing stream is refused.

        Raises
        ------
        InvalidValueError
            If the stream exists and `replace` is false, or its scheme differs.
        ConcurrencyError
            If another writer appended meanwhile.

        Examples
        --------
        >>> import gridgov
        >>> service = Service("memory://")
        >>> j = gridgov.Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> service.import_jurisdiction("S1", j).version
        1
        >>> service.import_jurisdiction("S1", j)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: stream: 'S1' already holds 1 events; replace it (--replace, replace=True) to append the changes that turn it into this jurisdiction (got 'S1')
        """
        check_stream(stream)
        if not isinstance(jurisdiction, Jurisdiction):
            raise InvalidValueError("jurisdiction", jurisdiction, "must be a Jurisdiction")
        check_flag("replace", replace)
        if actor is not None:
            _check_actor(actor)
        with self._lock:
            current = self.store.version(check_stream(stream))
            if current == 0:
                source = jurisdiction
                if source.log_start != 0:  # a cut log: rebuild the events from its state
                    source = build(parse(dump(source)), policy=plugins.default_policy(self._pm))
                self._sessions.pop(stream, None)
                now = self._now()
                actor = self.actor if actor is None else actor
                sealed = [
                    seal(e, event_id=self.event_ids(), recorded_at=now, actor=actor)
                    for e in source.log
                ]
                stored = self.store.append(stream, sealed, expected_version=0)
                published = self._publish_quietly()
                return Outcome(
                    stream, len(stored), tuple(stored), Report((), stream), (), published
                )
            if not replace:
                raise InvalidValueError(
                    "stream",
                    stream,
                    f"{stream!r} already holds {current} events; replace it (--replace, "
                    "replace=True) to append the changes that turn it into this jurisdiction",
                )
            old = self._session(stream).jurisdiction
            if old.scheme != jurisdiction.scheme:
                raise InvalidValueError(
                    "scheme",
                    jurisdiction.scheme.name,
                    f"stream {stream!r} has the scheme {old.scheme.name!r}; a scheme cannot "
                    "change once organizations exist",
                )
            changes = events_between(
                old, jurisdiction, event_types=plugins.event_types(self._pm).values()
            )
            return self.execute(stream, changes, expected_version=old.version, actor=actor)

    # -- snapshots and publishing ----------------------------------------------------------

    def _snapshot(self, stream: str, s: _Session) -> Snapshot:
        j = s.jurisdiction
        snap = Snapshot(stream, j.version, dump(j), self._now())
        self.store.save_snapshot(snap)
        s.snapshot_version = j.version
        return snap

    def snapshot(self, stream: str) -> Snapshot:
        """Take a snapshot of jurisdiction `stream` at its current version and store it.

        Opening the jurisdiction then starts from it instead of replaying every event.

        Examples
        --------
        >>> service = Service("memory://")
        >>> _ = service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
        >>> service.snapshot("S1").version, service.store.snapshot("S1").version
        (1, 1)
        """
        with self._lock:
            return self._snapshot(stream, self._session(stream))

    def publish(self) -> int:
        """Publish what the store holds past the bus's last position; return how many.

        Raises
        ------
        BusError
            If the bus does not answer.
        InvalidValueError
            If the service has no bus.

        Examples
        --------
        >>> service = Service("memory://", "memory://")
        >>> service.publish()
        0
        """
        if self._relay is None:
            raise InvalidValueError("bus", None, "the service has no message bus")
        return self._relay.publish()

    def _publish_quietly(self) -> bool | None:
        if self._relay is None:
            return None
        try:
            self._relay.publish()
        except (BusError, StoreError) as exc:
            warnings.warn(
                DeliveryWarning(
                    f"the change is stored; publishing it failed ({exc}); the next publish sends it"
                ),
                stacklevel=3,
            )
            return False
        return True

    def close(self) -> None:
        """Close the store and the bus.

        Examples
        --------
        >>> Service("memory://").close()
        """
        with self._lock:
            self._sessions.clear()
            self.store.close()
            if self.bus is not None:
                self.bus.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        bus = "" if self.bus is None else f" -> {self.bus.url}"
        return f"<Service {self.store.url}{bus}>"
