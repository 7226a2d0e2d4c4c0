"""The Redis Streams bus passes the shared suite; what is particular to Redis."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from gridgov.adapters.messaging import MessageBus
from gridgov.adapters.messaging.consumer import Consumer, MemoryTracker
from gridgov.adapters.messaging.redis import RedisBus
from gridgov.adapters.messaging.suite import MessageBusTestCase, envelopes
from gridgov.adapters.storage.memory import MemoryEventStore
from gridgov.adapters.storage.suite import sealed
from gridgov.errors import BusError
from gridgov.model import MemberUnfiled


class TestRedisBus(MessageBusTestCase):
    @pytest.fixture(autouse=True)
    def _server(self, redis_bus_url: str) -> None:
        self.url = redis_bus_url

    def create_bus(self) -> MessageBus:
        return RedisBus(self.url)

    def publish_raw(self, bus: MessageBus, position: int, fields: Mapping[str, str]) -> None:
        assert isinstance(bus, RedisBus)
        bus.client.xadd(bus.stream_key, dict(fields), id=f"{position}-0")  # type: ignore[arg-type]


del MessageBusTestCase


@pytest.fixture
def bus(redis_bus_url: str) -> Iterator[RedisBus]:
    b = RedisBus(redis_bus_url)
    yield b
    b.close()


def test_keys_live_under_the_prefix(bus: RedisBus, redis_bus_url: str) -> None:
    bus.publish(envelopes("S1", range(1, 3)))
    prefix = redis_bus_url.rsplit("prefix=", 1)[1]
    assert bus.stream_key == f"{prefix}events"
    assert bus.client.xlen(bus.stream_key) == 2
    assert [e[0] for e in bus.client.xrange(bus.stream_key)] == [b"1-0", b"2-0"]


def test_an_entry_deleted_while_pending_is_acknowledged_and_found_in_the_store(
    bus: RedisBus,
) -> None:
    store = MemoryEventStore()
    stored = store.append(
        "S1", sealed([MemberUnfiled("P1"), MemberUnfiled("P2")]), expected_version=0
    )
    bus.create_group("g")
    bus.publish(stored)
    bus.read("g", "c1")
    bus.client.xdel(bus.stream_key, "1-0")
    pending = bus.read("g", "c1", pending=True)
    assert [(d.entry_id, d.deleted) for d in pending] == [("1-0", True), ("2-0", False)]
    applied: list[int] = []
    consumer = Consumer(
        bus, "g", "c1", lambda e, conn: applied.append(e.version), MemoryTracker(),
        store=store, block=0,
    )  # fmt: skip
    progress = consumer.poll()
    assert (progress.applied, progress.repaired) == (2, 1)
    assert applied == [1, 2]
    assert bus.pending("g") == 0


def test_an_unreachable_server_is_one_bus_error() -> None:
    bus = RedisBus("redis://:secret@127.0.0.1:1/0")
    with pytest.raises(BusError) as info:
        bus.last_published()
    text = str(info.value)
    assert text.startswith("redis://:***@127.0.0.1:1/0: cannot reach Redis")
    assert "secret" not in text


def test_publishing_an_older_position_after_trimming_is_still_skipped(bus: RedisBus) -> None:
    bus.create_group("g")
    bus.publish(envelopes("S1", range(1, 4)))
    for d in bus.read("g", "c"):
        bus.ack("g", [d.entry_id])
    assert bus.trim() == 3
    assert bus.client.xlen(bus.stream_key) == 0
    assert bus.publish(envelopes("S1", range(1, 4))) == 0
    assert bus.last_published() == 3
