"""The in-memory bus passes the shared suite; its clock decides idle times."""

from __future__ import annotations

from collections.abc import Mapping

from gridgov.adapters.messaging import MessageBus
from gridgov.adapters.messaging.memory import MemoryBus
from gridgov.adapters.messaging.suite import MessageBusTestCase, envelopes


class TestMemoryBus(MessageBusTestCase):
    def create_bus(self) -> MessageBus:
        return MemoryBus()

    def publish_raw(self, bus: MessageBus, position: int, fields: Mapping[str, str]) -> None:
        assert isinstance(bus, MemoryBus)
        bus._positions.append(position)
        bus._fields[position] = dict(fields)
        bus._last = position


del MessageBusTestCase


def test_idle_time_follows_the_clock() -> None:
    now = [100.0]
    bus = MemoryBus(clock=lambda: now[0])
    bus.create_group("g")
    bus.publish(envelopes("S1", range(1, 3)))
    bus.read("g", "dead")
    now[0] += 29
    assert bus.claim("g", "c2", min_idle=30) == []
    now[0] += 2
    assert [d.entry_id for d in bus.claim("g", "c2", min_idle=30)] == ["1-0", "2-0"]


def test_entries_keep_their_wire_form() -> None:
    bus = MemoryBus()
    bus.publish(envelopes("S1", range(1, 2)))
    (entry,) = bus.entries()
    assert entry["envelope"] == "1"
    assert entry["stream"] == "S1"
    assert entry["position"] == "1"
