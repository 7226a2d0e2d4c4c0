"""The relay: publish what the store holds past the last position the bus has.

The writer never writes twice (to the store, then to the bus): it appends to the store,
which is the truth, and the relay feeds the bus from the store's positions. The bus
knows the last position it carries (each entry's id is its position), so the relay
needs no cursor of its own: after a crash between an append and its publish, the next
:meth:`Relay.publish` sends what was missed, and two relays publishing at once send
nothing twice (a position already published is skipped).

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import seal
>>> from gridgov.model import MemberUnfiled
>>> from gridgov.adapters.storage.memory import MemoryEventStore
>>> from gridgov.adapters.messaging.memory import MemoryBus
>>> store, bus = MemoryEventStore(), MemoryBus()
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> _ = store.append("S1", [seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=at)],
...                  expected_version=0)
>>> relay = Relay(store, bus)
>>> relay.publish(), relay.publish(), bus.last_published()
(1, 0, 1)
"""

from __future__ import annotations

from gridgov.adapters.messaging import MessageBus, check_count
from gridgov.adapters.storage import EventStore
from gridgov.errors import InvalidValueError

__all__ = ["Relay"]


class Relay:
    """Feeds a bus from a store, by position.

    Parameters
    ----------
    store : EventStore
        Where the events are.
    bus : MessageBus
        Where they go.
    batch : int
        Events read from the store and published per round trip.

    Examples
    --------
    >>> from gridgov.adapters.storage.memory import MemoryEventStore
    >>> from gridgov.adapters.messaging.memory import MemoryBus
    >>> Relay(MemoryEventStore(), MemoryBus()).lag()
    0
    """

    def __init__(self, store: EventStore, bus: MessageBus, *, batch: int = 1000) -> None:
        if not isinstance(store, EventStore):
            raise InvalidValueError("store", store, "must be an EventStore")
        if not isinstance(bus, MessageBus):
            raise InvalidValueError("bus", bus, "must be a MessageBus")
        self.store = store
        self.bus = bus
        self.batch = check_count(batch, "batch")

    def publish(self) -> int:
        """Publish every event past the bus's last position; return how many were new.

        Raises
        ------
        BusError
            If the bus does not answer (what was published so far stays published).
        StoreError
            If the store does not answer.
        """
        last = self.bus.last_published()
        sent = 0
        while True:
            batch = self.store.read_all(after=last, limit=self.batch)
            if not batch:
                return sent
            sent += self.bus.publish(batch)
            last = batch[-1].position

    def lag(self) -> int:
        """The store's last position minus the bus's: how far publishing is behind.

        Positions may have gaps, so this is an upper bound of the events to publish.
        """
        return max(0, self.store.position() - self.bus.last_published())
