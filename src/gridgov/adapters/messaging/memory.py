"""The in-memory message bus: ``memory://``, Redis Streams' semantics in the process.

One log of entries whose ids are store positions, consumer groups with their pending
lists (consumer, delivery count, last delivery time), claiming by idle time, a
dead-letter log and trimming below every group's acknowledged point: the same test
suite runs on it and on :mod:`gridgov.adapters.messaging.redis`. Entries are kept in
their wire form (:func:`gridgov.envelope.encode`) and decoded on delivery. Idle times
follow a clock that a test may replace.

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import Envelope
>>> bus = MemoryBus()
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> bus.create_group("g")
>>> bus.publish([Envelope("S1", 1, 3, "e-3", "MemberUnfiled", 1, at, None, '{"person":"P1"}')])
1
>>> [(d.entry_id, d.deliveries) for d in bus.read("g", "c1")]
[('3-0', 1)]
>>> [(d.entry_id, d.deliveries) for d in bus.read("g", "c1", pending=True)]
[('3-0', 2)]
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from attrs import define, field

from gridgov.adapters.messaging import (
    DeadLetter,
    Delivery,
    MessageBus,
    check_count,
    check_delivery,
    check_entry_id,
    check_entry_ids,
    check_envelopes,
    check_flag,
    check_name,
    check_reason,
    check_seconds,
    entry_id,
    position_of,
)
from gridgov.envelope import Envelope, decode, encode
from gridgov.errors import GridGovError, InvalidValueError

__all__ = ["MemoryBus"]


@define
class _Pending:
    consumer: str
    delivered_at: float
    deliveries: int


@define
class _Group:
    last_delivered: int = 0
    pel: dict[int, _Pending] = field(factory=dict)


class MemoryBus(MessageBus):
    """A message bus in the process's memory.

    Parameters
    ----------
    name : str, optional
        A label shown in its URL (``memory://NAME``).
    clock : callable, optional
        Returns the current time in seconds, for idle times (default
        :func:`time.monotonic`).

    Examples
    --------
    >>> MemoryBus("test").url
    'memory://test'
    """

    def __init__(self, name: str = "", *, clock: Callable[[], float] = time.monotonic) -> None:
        if not callable(clock):
            raise InvalidValueError("clock", clock, "must be callable")
        self._name = name
        self._clock = clock
        self._cond = threading.Condition()
        self._positions: list[int] = []
        self._fields: dict[int, dict[str, str]] = {}
        self._last = 0
        self._groups: dict[str, _Group] = {}
        self._dead: list[DeadLetter] = []

    @property
    def url(self) -> str:
        return f"memory://{self._name}"

    def publish(self, envelopes: Sequence[Envelope]) -> int:
        batch = check_envelopes(envelopes)
        added = 0
        with self._cond:
            for env in batch:
                if env.position <= self._last:
                    continue
                self._positions.append(env.position)
                self._fields[env.position] = encode(env)
                self._last = env.position
                added += 1
            if added:
                self._cond.notify_all()
        return added

    def last_published(self) -> int:
        with self._cond:
            return self._last

    def create_group(self, group: str) -> None:
        check_name("group", group)
        with self._cond:
            self._groups.setdefault(group, _Group())

    def _group(self, group: str) -> _Group:
        check_name("group", group)
        found = self._groups.get(group)
        if found is None:
            raise InvalidValueError("group", group, "no such consumer group; create it first")
        return found

    def _delivery(self, position: int, deliveries: int) -> Delivery:
        fields = self._fields.get(position)
        if fields is None:
            return Delivery(
                entry_id(position), None, deliveries, {}, "no longer on the bus", deleted=True
            )
        try:
            env = decode(fields)
        except GridGovError as exc:
            return Delivery(entry_id(position), None, deliveries, dict(fields), str(exc))
        return Delivery(entry_id(position), env, deliveries, dict(fields))

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
        check_name("group", group)
        check_name("consumer", consumer)
        check_flag("pending", pending)
        check_entry_id("after", after)
        check_count(count)
        wait = None if block is None else check_seconds("block", block)
        with self._cond:
            g = self._group(group)
            now = self._clock()
            if pending:
                start = position_of(after)
                mine = sorted(p for p, e in g.pel.items() if e.consumer == consumer and p > start)
                out = []
                for p in mine[:count]:
                    entry = g.pel[p]
                    entry.deliveries += 1
                    entry.delivered_at = now
                    out.append(self._delivery(p, entry.deliveries))
                return out
            if wait and not self._new(g):
                self._cond.wait_for(lambda: bool(self._new(g)), timeout=wait)
            out = []
            for p in self._new(g)[:count]:
                g.pel[p] = _Pending(consumer, self._clock(), 1)
                g.last_delivered = p
                out.append(self._delivery(p, 1))
            return out

    def _new(self, g: _Group) -> list[int]:
        i = bisect.bisect_right(self._positions, g.last_delivered)
        return self._positions[i:]

    def claim(
        self, group: str, consumer: str, *, min_idle: float, count: int = 100
    ) -> list[Delivery]:
        check_name("group", group)
        check_name("consumer", consumer)
        idle = check_seconds("min_idle", min_idle)
        check_count(count)
        with self._cond:
            g = self._group(group)
            now = self._clock()
            out = []
            for p in sorted(g.pel):
                entry = g.pel[p]
                if now - entry.delivered_at < idle:
                    continue
                if p not in self._fields:  # gone from the log: dropped from the pending list
                    del g.pel[p]
                    continue
                entry.consumer = consumer
                entry.deliveries += 1
                entry.delivered_at = now
                out.append(self._delivery(p, entry.deliveries))
            return out

    def ack(self, group: str, entry_ids: Sequence[str]) -> int:
        check_name("group", group)
        ids = check_entry_ids(entry_ids)
        with self._cond:
            g = self._group(group)
            done = 0
            for e in ids:
                if g.pel.pop(position_of(e), None) is not None:
                    done += 1
            return done

    def pending(self, group: str) -> int:
        with self._cond:
            return len(self._group(group).pel)

    def groups(self) -> dict[str, int]:
        with self._cond:
            return {name: len(g.pel) for name, g in sorted(self._groups.items())}

    def dead_letter(self, group: str, delivery: Delivery, reason: str) -> None:
        check_name("group", group)
        check_delivery(delivery)
        reason = check_reason(reason)
        with self._cond:
            self._group(group)
            self._dead.append(
                DeadLetter(
                    entry_id(len(self._dead) + 1),
                    delivery.entry_id,
                    group,
                    delivery.deliveries,
                    reason,
                    dict(delivery.fields),
                )
            )
        self.ack(group, [delivery.entry_id])

    def dead_letters(self, *, count: int | None = None) -> list[DeadLetter]:
        if count is not None:
            check_count(count)
        with self._cond:
            return list(self._dead if count is None else self._dead[:count])

    def trim(self) -> int:
        with self._cond:
            if not self._groups:
                return 0
            point = min(
                min(g.pel) if g.pel else g.last_delivered + 1 for g in self._groups.values()
            )
            i = bisect.bisect_left(self._positions, point)
            for p in self._positions[:i]:
                del self._fields[p]
            del self._positions[:i]
            return i

    def entries(self) -> list[Mapping[str, str]]:
        """The entries on the bus, oldest first, in their wire form (for tests and tools).

        Examples
        --------
        >>> MemoryBus().entries()
        []
        """
        with self._cond:
            return [dict(self._fields[p]) for p in self._positions]
