"""Event stores: the one recorder interface every backend implements.

An :class:`EventStore` keeps the events of many jurisdictions, one *stream* each (the
stream is the jurisdiction's id). It is append-only: :meth:`EventStore.append` adds a
batch of sealed events (:class:`~gridgov.envelope.NewEvent`) at the end of a stream,
all or none, and refuses with :class:`~gridgov.errors.ConcurrencyError` when the stream
is not at the version the writer expected (optimistic concurrency). Each stored event
gets its version within the stream (1, 2, 3, ... without gaps) and a *position* in the
whole store that increases in commit order, so that a reader following positions
(:meth:`EventStore.read_all`, the relay that publishes) never skips an event that
commits late. Snapshots (:class:`Snapshot`) let a jurisdiction be opened without
replaying its whole stream.

Backends, one module each, all passing the same test suite
(``tests/adapters/storage/base.py``):

- :mod:`gridgov.adapters.storage.memory`: ``memory://``, in the process (tests,
  notebooks);
- :mod:`gridgov.adapters.storage.sql`: SQLite (``sqlite:///gridgov.db``, the embedded
  default) and PostgreSQL (``postgresql+psycopg://...``) through SQLAlchemy Core.

A store is opened from its URL through the ``gridgov_event_store`` hook
(:func:`gridgov.plugins.event_store`), so a host's plugin can add a backend.

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import seal
>>> from gridgov.model import Organization, OrganizationFounded
>>> from gridgov.plugins import event_store
>>> store = event_store("memory://")
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> new = seal(OrganizationFounded(Organization("S1", "street", "S")), event_id="e-1",
...            recorded_at=at)
>>> [(e.stream, e.version, e.position) for e in store.append("S1", [new], expected_version=0)]
[('S1', 1, 1)]
>>> store.append("S1", [new], expected_version=0)
Traceback (most recent call last):
...
gridgov.errors.ConcurrencyError: expected_version: expected version 0 of stream 'S1', found version 1
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from attrs import Attribute, field, frozen

from gridgov.envelope import Envelope, NewEvent
from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_ID_LENGTH, MAX_VERSION, check_id_text, check_int, check_length

__all__ = [
    "PAGE",
    "EventStore",
    "Snapshot",
    "check_append",
    "check_read",
    "check_stream",
    "stored_envelopes",
]

PAGE = 10_000
"""Events read per query when a store is read page by page (:meth:`EventStore.iter_stream`)."""


def check_stream(stream: object) -> str:
    """Return `stream` if it is a stream name (a jurisdiction id), else raise.

    Raises
    ------
    InvalidValueError
        If it is not an id: a non-empty string of at most 200 characters, without control
        characters or lone surrogates (which no database column holds).

    Examples
    --------
    >>> check_stream("S1")
    'S1'
    >>> check_stream("")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: stream: must be a non-empty string of at most 200 characters (got '')
    """
    if type(stream) is str and 0 < len(stream) <= MAX_ID_LENGTH and stream.isprintable():
        return stream  # the common case, fast
    return check_id_text("stream", stream, max_length=MAX_ID_LENGTH)


def check_append(
    stream: object, events: object, expected_version: object
) -> tuple[str, list[NewEvent]]:
    """Check the arguments of :meth:`EventStore.append`; return the stream and the events.

    Raises
    ------
    InvalidValueError
        Naming the bad argument.

    Examples
    --------
    >>> check_append("S1", [], -1)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: expected_version: must be None or an integer from 0 to 9223372036854775807 (got -1)
    """
    name = check_stream(stream)
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Sequence):
        raise InvalidValueError("events", events, "must be a sequence of NewEvent")
    check_length("events", len(events))
    batch = list(events)
    for i, e in enumerate(batch):
        if not isinstance(e, NewEvent):
            raise InvalidValueError(
                f"events[{i}]", e, "must be a NewEvent (see gridgov.envelope.seal)"
            )
    if expected_version is not None and (
        isinstance(expected_version, bool)
        or not isinstance(expected_version, int)
        or not 0 <= expected_version <= MAX_VERSION
    ):
        raise InvalidValueError(
            "expected_version",
            expected_version,
            f"must be None or an integer from 0 to {MAX_VERSION}",
        )
    return name, batch


def stored_envelopes(
    stream: str, events: Sequence[NewEvent], *, version: int, position: int
) -> list[Envelope]:
    """The envelopes of `events` appended to `stream` after `version`, from after `position`.

    For a store's ``append``, once it has checked its arguments (:func:`check_append`):
    the envelopes are built without checking each value again.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> new = [NewEvent(f"e-{i}", "MemberUnfiled", 1, at, None, "{}") for i in (1, 2)]
    >>> [(e.version, e.position) for e in stored_envelopes("S1", new, version=4, position=9)]
    [(5, 10), (6, 11)]
    """
    unchecked = Envelope.unchecked
    return [
        unchecked(
            stream,
            version + i,
            position + i,
            e.event_id,
            e.topic,
            e.schema_version,
            e.recorded_at,
            e.actor,
            e.payload,
        )
        for i, e in enumerate(events, start=1)
    ]


def _check_stream_field(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_stream(value)


def _check_version(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_int(attribute.name, value, 0, MAX_VERSION)


def _check_document(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidValueError(attribute.name, value, "must be a document (a mapping)")


def _check_recorded_at(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, dt.datetime) or value.utcoffset() is None):
        raise InvalidValueError(attribute.name, value, "must be None or a timezone-aware datetime")


@frozen
class Snapshot:
    """A jurisdiction's state at a version of its stream: a document.

    Parameters
    ----------
    stream : str
        The jurisdiction's id.
    version : int
        The version of the stream the document stands at.
    document : mapping
        The jurisdiction as a document (:func:`gridgov.io.dump`).
    recorded_at : datetime.datetime, optional
        When it was taken (aware).

    Raises
    ------
    InvalidValueError
        Naming the field that is not a stream name, a version, a mapping or an aware
        datetime.

    Examples
    --------
    >>> from gridgov import Jurisdiction, dump
    >>> Snapshot("S1", 0, dump(Jurisdiction())).document["gridgov"]
    '1'
    """

    stream: str = field(validator=_check_stream_field)
    version: int = field(validator=_check_version)
    document: Mapping[str, Any] = field(validator=_check_document)
    recorded_at: dt.datetime | None = field(default=None, validator=_check_recorded_at)


class EventStore(ABC):
    """The recorder interface: an append-only store of event streams, with snapshots.

    Implementations are thread-safe: one store object may serve many threads. Every
    method raises :class:`~gridgov.errors.StoreError` for what the backend reports (a
    server that does not answer, a locked database), and
    :class:`~gridgov.errors.InvalidValueError` for a bad argument.

    Examples
    --------
    >>> from gridgov.plugins import event_store
    >>> with event_store("memory://") as store:
    ...     store.version("S1"), store.position(), store.streams()
    (0, 0, {})
    """

    @property
    @abstractmethod
    def url(self) -> str:
        """The store's URL (a password in it is hidden)."""

    @abstractmethod
    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int | None,
        connection: object | None = None,
    ) -> list[Envelope]:
        """Append `events` to `stream`, all or none; return their envelopes.

        Parameters
        ----------
        stream : str
            The jurisdiction's id.
        events : sequence of NewEvent
            The sealed events, oldest first (:func:`gridgov.envelope.seal`).
        expected_version : int or None
            The version the writer read the stream at (0 for a new stream): the events
            get versions ``expected_version + 1, ...``. ``None`` appends at whatever
            version the stream is at.
        connection : object, optional
            A connection of the host's that holds a transaction (a SQLAlchemy
            ``Connection`` for the SQL store): the append joins it, and is committed or
            rolled back with it. Backends without transactions refuse one.

        Returns
        -------
        list of Envelope
            The stored events with their versions and positions.

        Raises
        ------
        ConcurrencyError
            If the stream is not at `expected_version`; nothing is written.
        """

    @abstractmethod
    def read(
        self, stream: str, *, after: int = 0, upto: int | None = None, limit: int | None = None
    ) -> list[Envelope]:
        """Return the events of `stream` with ``after < version <= upto``, oldest first.

        Parameters
        ----------
        stream : str
            The jurisdiction's id.
        after : int
            Start after this version (0: from the first).
        upto : int, optional
            Stop at this version (default: the last).
        limit : int, optional
            At most this many events.
        """

    @abstractmethod
    def read_all(self, *, after: int = 0, limit: int | None = None) -> list[Envelope]:
        """Return the events of every stream past position `after`, in position order.

        What the relay publishes from: positions follow commit order, so a reader that
        goes on from the last position it saw misses nothing.
        """

    @abstractmethod
    def version(self, stream: str) -> int:
        """Return the version `stream` is at (0 if it has no events)."""

    @abstractmethod
    def position(self) -> int:
        """Return the position of the last event stored (0 if none)."""

    @abstractmethod
    def streams(self) -> dict[str, int]:
        """Return every stream with its version, in order of name."""

    @abstractmethod
    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep `snapshot`; a snapshot already kept at the same stream and version is replaced.

        Raises
        ------
        InvalidValueError
            If the stream is not at least at the snapshot's version.
        """

    @abstractmethod
    def snapshot(self, stream: str, *, upto: int | None = None) -> Snapshot | None:
        """Return the latest snapshot of `stream` (at or before version `upto`), or ``None``."""

    def close(self) -> None:  # noqa: B027 - a store without connections has nothing to do
        """Release the store's connections (the store can be opened again from its URL)."""

    def iter_stream(
        self, stream: str, *, after: int = 0, upto: int | None = None, page: int = PAGE
    ) -> Iterator[Envelope]:
        """Yield the events of `stream` past `after` (up to `upto`), read `page` at a time.

        The arguments are checked when it is called, before anything is read.

        Raises
        ------
        InvalidValueError
            Naming the bad argument.

        Examples
        --------
        >>> from gridgov.plugins import event_store
        >>> list(event_store("memory://").iter_stream("S1"))
        []
        """
        check_stream(stream)
        check_read(after, upto, page, "page")
        return self._stream_pages(stream, after, upto, page)

    def _stream_pages(
        self, stream: str, after: int, upto: int | None, page: int
    ) -> Iterator[Envelope]:
        while True:
            if upto is not None and after >= upto:
                return
            batch = self.read(stream, after=after, upto=upto, limit=page)
            yield from batch
            if len(batch) < page:
                return
            after = batch[-1].version

    def iter_all(self, *, after: int = 0, page: int = PAGE) -> Iterator[Envelope]:
        """Yield the events of every stream past position `after`, read `page` at a time.

        The arguments are checked when it is called, before anything is read.

        Raises
        ------
        InvalidValueError
            Naming the bad argument.

        Examples
        --------
        >>> from gridgov.plugins import event_store
        >>> list(event_store("memory://").iter_all())
        []
        """
        check_read(after, None, page, "page")
        return self._all_pages(after, page)

    def _all_pages(self, after: int, page: int) -> Iterator[Envelope]:
        while True:
            batch = self.read_all(after=after, limit=page)
            yield from batch
            if len(batch) < page:
                return
            after = batch[-1].position

    def __enter__(self) -> EventStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def check_read(after: object, upto: object, limit: object, limit_name: str = "limit") -> None:
    """Check the arguments of :meth:`EventStore.read`: integers up to ``MAX_VERSION``.

    ``MAX_VERSION`` is :data:`gridgov.limits.MAX_VERSION`, what a database column holds;
    `limit_name` names the limit in the message (``page`` for
    :meth:`EventStore.iter_stream`, where it is required).

    Raises
    ------
    InvalidValueError
        Naming the bad argument.

    Examples
    --------
    >>> check_read(0, None, 0)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: limit: must be None or an integer from 1 to 9223372036854775807 (got 0)
    """
    for name, value, optional, low in (
        ("after", after, False, 0),
        ("upto", upto, True, 0),
        (limit_name, limit, limit_name == "limit", 1),
    ):
        if optional and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_VERSION:
            what = f"an integer from {low} to {MAX_VERSION}"
            raise InvalidValueError(
                name, value, f"must be None or {what}" if optional else f"must be {what}"
            )
