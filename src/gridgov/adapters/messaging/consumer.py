"""Consumers: at least once on the wire, exactly once in effect.

A bus delivers an entry at least once: a consumer that dies after its effect and before
its acknowledgement gets the entry again (or another consumer of its group claims it).
A :class:`Consumer` makes the *effect* happen exactly once by keeping, per stream, the
last version it applied, in the same transaction as the effect (a :class:`Tracker`):

- a version at or below the last applied is a duplicate: acknowledged and skipped;
- the next version (last + 1) is applied, and the record moves on with it;
- a version more than one above is a gap (an entry trimmed, dead-lettered or published
  before the group existed): the missing versions are read from the store, applied in
  order, then the entry.

Each round (:meth:`Consumer.poll`) the consumer first re-reads its own pending entries
(on start, and after a failure), then takes over the entries other consumers of its
group left idle longer than ``claim_idle`` (a consumer that died), then reads new
ones. An entry delivered more than ``max_deliveries`` times, or one that cannot be
decoded, goes to the dead-letter log.

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import Envelope
>>> from gridgov.adapters.messaging.memory import MemoryBus
>>> bus = MemoryBus()
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> envs = [Envelope("S1", v, v, f"e-{v}", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
...         for v in (1, 2)]
>>> seen = []
>>> consumer = Consumer(bus, "projections", "worker-1",
...                     lambda env, conn: seen.append(env.version), MemoryTracker())
>>> _ = bus.publish(envs)
>>> consumer.poll().applied, seen
(2, [1, 2])
>>> _ = bus.publish(envs)  # published again: nothing new on the bus, nothing applied twice
>>> consumer.poll().applied, seen
(0, [1, 2])
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from gridgov.adapters.messaging import Delivery, MessageBus, check_count, check_name
from gridgov.envelope import Envelope
from gridgov.errors import GridGovError, InvalidValueError

if TYPE_CHECKING:
    from gridgov.adapters.storage import EventStore

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "GAP",
    "Consumer",
    "Effect",
    "GapError",
    "MemoryTracker",
    "Progress",
    "Tracker",
]

logger = logging.getLogger(__name__)

APPLIED = "applied"
""":meth:`Tracker.apply`'s answer: the effect ran and the version is recorded."""
DUPLICATE = "duplicate"
""":meth:`Tracker.apply`'s answer: the version was applied before; nothing ran."""
GAP = "gap"
""":meth:`Tracker.apply`'s answer: versions before this one are missing; nothing ran."""

Effect = Callable[[Envelope, Any], object]
"""A consumer's effect: ``effect(envelope, connection)``, the connection of the tracker's
transaction (a SQLAlchemy ``Connection`` for :class:`~gridgov.adapters.storage.sql.SQLTracker`,
``None`` for :class:`MemoryTracker`)."""


class GapError(GridGovError):
    """Versions of a stream are missing and there is no store to read them from.

    Examples
    --------
    >>> str(GapError("S1", 3, 7))
    "stream 'S1': version 7 arrived after version 3; give the consumer a store to read the missing ones from"
    """

    def __init__(self, stream: str, last: int, version: int) -> None:
        self.stream = stream
        self.last = last
        self.version = version
        super().__init__(
            f"stream {stream!r}: version {version} arrived after version {last}; give the "
            "consumer a store to read the missing ones from"
        )


class Tracker(ABC):
    """What a consumer last applied per stream, recorded atomically with its effect.

    Examples
    --------
    >>> MemoryTracker().last("S1")
    0
    """

    @abstractmethod
    def last(self, stream: str) -> int:
        """Return the last version of `stream` applied (0 if none)."""

    @abstractmethod
    def apply(self, envelope: Envelope, effect: Effect) -> str:
        """Run `effect` for `envelope` and record its version, in one transaction.

        Returns
        -------
        str
            :data:`APPLIED`, :data:`DUPLICATE` (the version is at or below the last
            applied: nothing ran) or :data:`GAP` (it is more than one above: nothing ran).

        Raises
        ------
        Exception
            Whatever the effect raises; then nothing is recorded.
        """


class MemoryTracker(Tracker):
    """A tracker in the process's memory (its effects should be in memory too).

    Examples
    --------
    >>> import datetime as dt
    >>> from gridgov.envelope import Envelope
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> env = Envelope("S1", 2, 5, "e-5", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
    >>> MemoryTracker().apply(env, lambda e, conn: None)
    'gap'
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, int] = {}

    def last(self, stream: str) -> int:
        with self._lock:
            return self._last.get(stream, 0)

    def apply(self, envelope: Envelope, effect: Effect) -> str:
        if not isinstance(envelope, Envelope):
            raise InvalidValueError("envelope", envelope, "must be an Envelope")
        with self._lock:
            last = self._last.get(envelope.stream, 0)
            if envelope.version <= last:
                return DUPLICATE
            if envelope.version > last + 1:
                return GAP
            effect(envelope, None)
            self._last[envelope.stream] = envelope.version
            return APPLIED

    def versions(self) -> Mapping[str, int]:
        """The last version applied, by stream."""
        with self._lock:
            return dict(self._last)


@frozen
class Progress:
    """What a round of a consumer did.

    Parameters
    ----------
    applied : int
        Events whose effect ran (those read from the store to fill a gap included).
    duplicates : int
        Entries already applied: acknowledged and skipped.
    repaired : int
        Events read from the store to fill gaps.
    dead : int
        Entries moved to the dead-letter log.
    failed : int
        Entries whose effect raised (left pending, tried again).
    errors : tuple of str
        ``"<entry id>: <error>"`` for each failure.

    Examples
    --------
    >>> (Progress(applied=2) + Progress(applied=1, duplicates=1)).applied
    3
    """

    applied: int = 0
    duplicates: int = 0
    repaired: int = 0
    dead: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()

    def __add__(self, other: Progress) -> Progress:
        return Progress(
            self.applied + other.applied,
            self.duplicates + other.duplicates,
            self.repaired + other.repaired,
            self.dead + other.dead,
            self.failed + other.failed,
            self.errors + other.errors,
        )

    @property
    def handled(self) -> int:
        """Entries handled in any way."""
        return self.applied - self.repaired + self.duplicates + self.dead + self.failed


class Consumer:
    """A named consumer of a group that applies each event's effect exactly once.

    Parameters
    ----------
    bus : MessageBus
        The bus.
    group : str
        The consumer group: one per consuming service (the group is created if missing).
    name : str
        This consumer's fixed name within the group (``worker-1``): after a restart it
        finds its own pending entries under it.
    effect : callable
        ``effect(envelope, connection)``: what consuming an event does (see
        :data:`Effect`).
    tracker : Tracker
        Where the last applied version per stream is kept, with the effect.
    store : EventStore, optional
        The event store, to read the events of a gap from (without one a gap is an
        error: the entry stays pending and is eventually dead-lettered).
    max_deliveries : int
        An entry delivered more times than this goes to the dead-letter log.
    claim_idle : float
        Take over other consumers' entries pending longer than this, in seconds.
    batch : int
        Entries read per request.
    block : float
        How long a round waits for new entries, in seconds (0: do not wait).

    Examples
    --------
    >>> from gridgov.adapters.messaging.memory import MemoryBus
    >>> c = Consumer(MemoryBus(), "projections", "worker-1", lambda e, conn: None,
    ...              MemoryTracker(), block=0)
    >>> c.poll()
    Progress(applied=0, duplicates=0, repaired=0, dead=0, failed=0, errors=())
    """

    def __init__(
        self,
        bus: MessageBus,
        group: str,
        name: str,
        effect: Effect,
        tracker: Tracker,
        *,
        store: EventStore | None = None,
        max_deliveries: int = 5,
        claim_idle: float = 60.0,
        batch: int = 100,
        block: float = 1.0,
    ) -> None:
        if not isinstance(bus, MessageBus):
            raise InvalidValueError("bus", bus, "must be a MessageBus")
        if not callable(effect):
            raise InvalidValueError("effect", effect, "must be callable: effect(envelope, conn)")
        if not isinstance(tracker, Tracker):
            raise InvalidValueError("tracker", tracker, "must be a Tracker")
        check_count(max_deliveries, "max_deliveries")
        check_count(batch, "batch")
        for what, value in (("claim_idle", claim_idle), ("block", block)):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidValueError(what, value, "must be a number of seconds >= 0")
        self.bus = bus
        self.group = check_name("group", group)
        self.name = check_name("name", name)
        self.effect = effect
        self.tracker = tracker
        self.store = store
        self.max_deliveries = max_deliveries
        self.claim_idle = float(claim_idle)
        self.batch = batch
        self.block = float(block)
        self._recover = True  # re-read the own pending entries first
        self._errors: dict[str, str] = {}
        bus.create_group(group)

    def poll(self) -> Progress:
        """One round: own pending entries (on start, after a failure), idle claims, new ones.

        Returns
        -------
        Progress
        """
        progress = Progress()
        recover, self._recover = self._recover, False
        if recover:
            after = "0"
            while True:
                got = self.bus.read(
                    self.group, self.name, pending=True, after=after, count=self.batch
                )
                if not got:
                    break
                progress += self._handle(got)
                after = got[-1].entry_id
        progress += self._handle(
            self.bus.claim(self.group, self.name, min_idle=self.claim_idle, count=self.batch)
        )
        block = self.block if self.block > 0 else None
        progress += self._handle(
            self.bus.read(self.group, self.name, count=self.batch, block=block)
        )
        if progress.failed:
            self._recover = True
        return progress

    def run(self, *, stop: Callable[[], bool] | None = None, until_idle: bool = False) -> Progress:
        """Poll until `stop()` is true (or, with `until_idle`, until a round finds nothing).

        Returns
        -------
        Progress
            The sum of the rounds.

        Examples
        --------
        >>> from gridgov.adapters.messaging.memory import MemoryBus
        >>> c = Consumer(MemoryBus(), "g", "c1", lambda e, conn: None, MemoryTracker(),
        ...              block=0)
        >>> c.run(until_idle=True).handled
        0
        """
        total = Progress()
        while stop is None or not stop():
            round_ = self.poll()
            total += round_
            if until_idle and round_.handled == 0:
                break
            if round_.failed and not round_.applied:
                time.sleep(min(self.block, 0.1))  # do not spin on an effect that keeps failing
        return total

    def _handle(self, deliveries: Sequence[Delivery]) -> Progress:
        if not deliveries:
            return Progress()
        done: list[str] = []
        applied = duplicates = repaired = dead = failed = 0
        errors: list[str] = []
        for d in deliveries:
            if d.deleted:  # trimmed while pending: the store has it if it matters
                done.append(d.entry_id)
                continue
            if d.envelope is None:
                self.bus.dead_letter(self.group, d, d.problem or "cannot be decoded")
                dead += 1
                continue
            if d.deliveries > self.max_deliveries:
                reason = self._errors.pop(d.entry_id, f"delivered {d.deliveries} times")
                self.bus.dead_letter(self.group, d, reason)
                dead += 1
                continue
            try:
                status, filled = self._apply(d.envelope)
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}"
                self._errors[d.entry_id] = text
                errors.append(f"{d.entry_id}: {text}")
                failed += 1
                logger.warning(
                    "gridgov consumer %s/%s: %s (stream %r version %d) failed: %s",
                    self.group,
                    self.name,
                    d.entry_id,
                    d.envelope.stream,
                    d.envelope.version,
                    text,
                )
                continue
            self._errors.pop(d.entry_id, None)
            done.append(d.entry_id)
            repaired += filled
            applied += filled
            if status == APPLIED:
                applied += 1
            else:
                duplicates += 1
        if done:
            self.bus.ack(self.group, done)
        return Progress(applied, duplicates, repaired, dead, failed, tuple(errors))

    def _apply(self, envelope: Envelope) -> tuple[str, int]:
        tracker = self.tracker
        status = tracker.apply(envelope, self.effect)
        if status != GAP:
            return status, 0
        last = tracker.last(envelope.stream)
        if self.store is None:
            raise GapError(envelope.stream, last, envelope.version)
        filled = 0
        for missing in self.store.iter_stream(
            envelope.stream, after=last, upto=envelope.version - 1
        ):
            got = tracker.apply(missing, self.effect)
            if got == GAP:  # pragma: no cover - the store has no gaps in a stream
                raise GapError(envelope.stream, tracker.last(envelope.stream), missing.version)
            filled += got == APPLIED
        status = tracker.apply(envelope, self.effect)
        if status == GAP:
            raise GapError(envelope.stream, tracker.last(envelope.stream), envelope.version)
        return status, filled

    def __repr__(self) -> str:
        return f"<Consumer {self.group}/{self.name} on {self.bus.url}>"
