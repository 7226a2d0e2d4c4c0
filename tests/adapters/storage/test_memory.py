"""The in-memory event store passes the shared suite."""

from __future__ import annotations

import pytest

from gridgov.adapters.storage import EventStore
from gridgov.adapters.storage.memory import MemoryEventStore
from gridgov.adapters.storage.suite import EventStoreTestCase, sealed
from gridgov.errors import InvalidValueError
from gridgov.model import MemberUnfiled


class TestMemoryEventStore(EventStoreTestCase):
    def create_store(self) -> EventStore:
        return MemoryEventStore()


def test_the_memory_store_has_no_transactions_to_join() -> None:
    store = MemoryEventStore()
    with pytest.raises(InvalidValueError, match="connection"):
        store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0, connection=object())
    assert store.position() == 0


def test_a_snapshot_read_back_is_a_copy() -> None:
    from gridgov.adapters.storage import Snapshot

    store = MemoryEventStore()
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    document = {"gridgov": "1", "organizations": []}
    store.save_snapshot(Snapshot("S1", 1, document))
    document["organizations"].append("changed")
    snap = store.snapshot("S1")
    assert snap is not None
    assert snap.document == {"gridgov": "1", "organizations": []}


del EventStoreTestCase
