"""Message buses: the interface every backend implements, shaped like Redis Streams.

The store is the truth; a bus is a transport. A :class:`MessageBus` carries envelopes
(:class:`~gridgov.envelope.Envelope`) in one log per host, in the store's position order.
It is fed by the :class:`~gridgov.adapters.messaging.relay.Relay`, which publishes what
the store holds past the last position the bus has: nothing is written twice (to the
store, then to the bus) by the writer, so a crash between the append and the publish
is repaired by the next publish. Each entry's id is its store position, so publishing
the same position twice is a no-op.

Consumers read through *groups* (one per consuming service) under fixed names (one per
worker): an entry read stays *pending* for its consumer until it is acknowledged; a
consumer that restarts re-reads its own pending entries first, and one that dies has
its entries claimed by another once they have been idle long enough. An entry
delivered more than a set number of times goes to a dead-letter log. The
:class:`~gridgov.adapters.messaging.consumer.Consumer` builds exactly-once effects on
this at-least-once delivery.

Backends, one module each, all passing the same test suite
(``tests/adapters/messaging/base.py``):

- :mod:`gridgov.adapters.messaging.memory`: ``memory://``, in the process;
- :mod:`gridgov.adapters.messaging.redis`: Redis Streams (``redis://``, the ``redis``
  extra), on what Redis 7.0 offers.

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import Envelope
>>> from gridgov.plugins import message_bus
>>> bus = message_bus("memory://")
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> env = Envelope("S1", 1, 1, "e-1", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
>>> bus.create_group("projections")
>>> bus.publish([env]), bus.publish([env]), bus.last_published()
(1, 0, 1)
>>> [d.envelope.version for d in bus.read("projections", "worker-1")]
[1]
>>> bus.ack("projections", ["1-0"]), bus.pending("projections")
(1, 0)
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from types import TracebackType

from attrs import frozen

from gridgov.envelope import Envelope
from gridgov.errors import InvalidValueError
from gridgov.limits import (
    MAX_ID_LENGTH,
    MAX_SECONDS,
    check_flag,
    check_id_text,
    check_length,
    check_number,
)

__all__ = [
    "DeadLetter",
    "Delivery",
    "MessageBus",
    "check_count",
    "check_delivery",
    "check_entry_id",
    "check_entry_ids",
    "check_envelopes",
    "check_flag",
    "check_name",
    "check_reason",
    "check_seconds",
    "entry_id",
    "position_of",
]

_ENTRY_ID = re.compile(r"[0-9]{1,20}(-[0-9]{1,20})?")


def entry_id(position: int) -> str:
    """The id of the entry that carries the event at store `position`: ``"<position>-0"``.

    Examples
    --------
    >>> entry_id(42)
    '42-0'
    """
    return f"{position}-0"


def position_of(entry: str) -> int:
    """The store position an entry id stands for (its first part).

    Examples
    --------
    >>> position_of("42-0"), position_of("0-0")
    (42, 0)
    """
    return int(entry.partition("-")[0])


def check_name(what: str, value: object) -> str:
    """Return `value` if it is a group or consumer name, else raise.

    Raises
    ------
    InvalidValueError
        If it is not a non-empty string of at most 200 characters, or holds a control
        character or a lone surrogate (no backend could store it).

    Examples
    --------
    >>> check_name("group", "")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: group: must be a non-empty string of at most 200 characters (got '')
    """
    return check_id_text(what, value, max_length=MAX_ID_LENGTH)


def check_entry_id(what: str, value: object) -> str:
    """Return `value` if it is an entry id (``"<position>-<n>"``, or ``"<position>"``).

    Raises
    ------
    InvalidValueError
        If it is not.

    Examples
    --------
    >>> check_entry_id("after", "42-0")
    '42-0'
    >>> check_entry_id("after", "last")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: after: must be an entry id such as '42-0' (got 'last')
    """
    if not isinstance(value, str) or not _ENTRY_ID.fullmatch(value):
        raise InvalidValueError(what, value, "must be an entry id such as '42-0'")
    return value


def check_entry_ids(value: object) -> list[str]:
    """Check the argument of :meth:`MessageBus.ack`: a sequence of entry ids.

    Raises
    ------
    InvalidValueError
        If it is not a list or tuple of entry ids (see :func:`check_entry_id`).

    Examples
    --------
    >>> check_entry_ids(("1-0", "2-0"))
    ['1-0', '2-0']
    >>> check_entry_ids("1-0")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: entry_ids: must be a sequence of entry ids (got '1-0')
    """
    if not isinstance(value, list | tuple):
        raise InvalidValueError("entry_ids", value, "must be a sequence of entry ids")
    check_length("entry_ids", len(value))
    return [check_entry_id(f"entry_ids[{i}]", e) for i, e in enumerate(value)]


def check_seconds(what: str, value: object) -> float:
    """Return `value`, a time in seconds (0 to :data:`~gridgov.limits.MAX_SECONDS`), as a float.

    Examples
    --------
    >>> check_seconds("block", 2)
    2.0
    >>> check_seconds("min_idle", -1)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: min_idle: must be a number of seconds >= 0 (got -1)
    """
    seconds = check_number(what, value, MAX_SECONDS)
    if seconds < 0:
        raise InvalidValueError(what, value, "must be a number of seconds >= 0")
    return seconds


def check_delivery(value: object) -> Delivery:
    """Return `value` if it is a :class:`Delivery` (what :meth:`MessageBus.read` returns).

    Examples
    --------
    >>> check_delivery("7-0")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: delivery: must be a Delivery (got '7-0')
    """
    if not isinstance(value, Delivery):
        raise InvalidValueError("delivery", value, "must be a Delivery")
    return value


def check_reason(value: object) -> str:
    """Return `value`, the reason an entry is dead-lettered, as text any backend can store.

    Any string is taken (it is often an exception's message); a lone surrogate in it,
    which no UTF-8 store can hold, is written as its escape (a backslash, ``ud800``).

    Examples
    --------
    >>> check_reason("KeyError: 'P9'")
    "KeyError: 'P9'"
    >>> check_reason("bad \\ud800")
    'bad \\\\ud800'
    >>> check_reason(None)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: reason: must be a string (got None)
    """
    if not isinstance(value, str):
        raise InvalidValueError("reason", value, "must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


@frozen
class Delivery:
    """One entry delivered to a consumer.

    Parameters
    ----------
    entry_id : str
        The entry's id on the bus (``"<position>-0"``): what to acknowledge.
    envelope : Envelope or None
        The event; ``None`` when the entry could not be decoded, or no longer exists
        (trimmed while pending).
    deliveries : int
        How many times the entry has been delivered to the group, this time included.
    fields : mapping of str to str
        The entry's fields as carried (for the dead-letter log).
    problem : str or None
        Why `envelope` is ``None``.
    deleted : bool
        The entry was pending but is no longer on the bus (trimmed or deleted): there is
        nothing to apply; the consumer acknowledges it (and finds the event in the store
        if a later version of its stream comes).

    Examples
    --------
    >>> Delivery("7-0", None, 1, {}, "no longer on the bus", deleted=True).deleted
    True
    """

    entry_id: str
    envelope: Envelope | None
    deliveries: int
    fields: Mapping[str, str]
    problem: str | None = None
    deleted: bool = False


@frozen
class DeadLetter:
    """An entry moved to the dead-letter log, with why.

    Parameters
    ----------
    entry_id : str
        Its id in the dead-letter log.
    original_id : str
        Its id on the bus.
    group : str
        The group that gave up on it.
    deliveries : int
        How many times it had been delivered.
    reason : str
        The last error.
    fields : mapping of str to str
        The entry's fields.

    Examples
    --------
    >>> DeadLetter("1-0", "7-0", "projections", 6, "boom", {}).original_id
    '7-0'
    """

    entry_id: str
    original_id: str
    group: str
    deliveries: int
    reason: str
    fields: Mapping[str, str]


class MessageBus(ABC):
    """The bus interface: one log of envelopes per host, consumer groups, a dead-letter log.

    Methods raise :class:`~gridgov.errors.BusError` for what the backend reports (a
    server that does not answer) and :class:`~gridgov.errors.InvalidValueError` for a
    bad argument.

    Examples
    --------
    >>> from gridgov.plugins import message_bus
    >>> with message_bus("memory://") as bus:
    ...     bus.last_published(), bus.groups()
    (0, {})
    """

    @property
    @abstractmethod
    def url(self) -> str:
        """The bus's URL (a password in it is hidden)."""

    @abstractmethod
    def publish(self, envelopes: Sequence[Envelope]) -> int:
        """Add `envelopes` (in position order) to the log; return how many were new.

        An envelope at or below the last published position is skipped: publishing is
        idempotent, so a relay that crashed after publishing and before it knew it can
        publish again.
        """

    @abstractmethod
    def last_published(self) -> int:
        """Return the store position of the last envelope published (0 if none)."""

    @abstractmethod
    def create_group(self, group: str) -> None:
        """Create consumer group `group` (if it does not exist), reading from the log's start."""

    @abstractmethod
    def read(
        self,
        group: str,
        consumer: str,
        *,
        pending: bool = False,
        after: str = "0",
        count: int = 100,
        block: float | None = None,
    ) -> list[Delivery]:
        """Deliver entries to `consumer` of `group`.

        Parameters
        ----------
        group, consumer : str
            The group and the consumer's fixed name.
        pending : bool
            Re-read this consumer's own pending entries (ids after `after`) instead of
            new ones; their delivery counts go up.
        after : str
            With `pending`, the entry id to start after (``"0"``: from the first).
        count : int
            At most this many entries.
        block : float, optional
            Without `pending`, wait up to this many seconds for a new entry (default:
            do not wait).
        """

    @abstractmethod
    def claim(
        self, group: str, consumer: str, *, min_idle: float, count: int = 100
    ) -> list[Delivery]:
        """Take over the entries of `group` pending longer than `min_idle` seconds.

        Follows the scan over the whole pending list (``XAUTOCLAIM``'s cursor, until it
        returns ``0-0``); the entries become `consumer`'s, their delivery counts go up.
        At most `count` entries are claimed per step of the scan.
        """

    @abstractmethod
    def ack(self, group: str, entry_ids: Sequence[str]) -> int:
        """Acknowledge entries of `group`; return how many were pending."""

    @abstractmethod
    def pending(self, group: str) -> int:
        """Return how many entries of `group` are delivered and not acknowledged."""

    @abstractmethod
    def groups(self) -> dict[str, int]:
        """Return every group with its count of pending entries."""

    @abstractmethod
    def dead_letter(self, group: str, delivery: Delivery, reason: str) -> None:
        """Copy `delivery` to the dead-letter log with `reason`, then acknowledge it."""

    @abstractmethod
    def dead_letters(self, *, count: int | None = None) -> list[DeadLetter]:
        """Return the entries of the dead-letter log, oldest first."""

    @abstractmethod
    def trim(self) -> int:
        """Drop the entries every group has acknowledged; return how many were dropped.

        Trimming ignores pending entries, so only entries below every group's
        acknowledged point go (the smallest pending id, or the last delivered one); with
        no group, nothing goes.
        """

    def close(self) -> None:  # noqa: B027 - a bus without connections has nothing to do
        """Release the bus's connections."""

    def __enter__(self) -> MessageBus:
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


def check_envelopes(envelopes: object) -> list[Envelope]:
    """Check the argument of :meth:`MessageBus.publish`: envelopes in increasing position.

    Raises
    ------
    InvalidValueError
        If it is not a sequence of envelopes in increasing position order.

    Examples
    --------
    >>> check_envelopes("S1")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: envelopes: must be a sequence of Envelope (got 'S1')
    """
    if isinstance(envelopes, str | bytes | Mapping) or not isinstance(envelopes, Sequence):
        raise InvalidValueError("envelopes", envelopes, "must be a sequence of Envelope")
    out = list(envelopes)
    last = 0
    for i, env in enumerate(out):
        if not isinstance(env, Envelope):
            raise InvalidValueError(f"envelopes[{i}]", env, "must be an Envelope")
        if env.position <= last:
            raise InvalidValueError(
                f"envelopes[{i}].position", env.position, "positions must increase"
            )
        last = env.position
    return out


def check_count(value: object, name: str = "count") -> int:
    """Return `value` if it is a count (an integer >= 1), else raise.

    Examples
    --------
    >>> check_count(0)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: count: must be an integer >= 1 (got 0)
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(name, value, "must be an integer >= 1")
    return value
