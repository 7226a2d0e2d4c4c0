"""The SQL event store on PostgreSQL passes the shared suite; PostgreSQL's own behaviour."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from gridgov.adapters.storage import EventStore
from gridgov.adapters.storage.sql import SQLEventStore
from gridgov.adapters.storage.suite import EventStoreTestCase, sealed
from gridgov.errors import ConcurrencyError, StoreError
from gridgov.model import MemberUnfiled


class TestPostgresEventStore(EventStoreTestCase):
    @pytest.fixture(autouse=True)
    def _server(self, postgres_store_url: str) -> Iterator[None]:
        self.url = postgres_store_url
        yield
        cleanup = SQLEventStore(self.url)
        cleanup.drop()
        cleanup.close()

    def create_store(self) -> EventStore:
        return SQLEventStore(self.url)

    def other_store(self, store: EventStore) -> EventStore:
        return SQLEventStore(self.url)


del EventStoreTestCase


@pytest.fixture
def store(postgres_store_url: str) -> Iterator[SQLEventStore]:
    s = SQLEventStore(postgres_store_url)
    yield s
    s.drop()
    s.close()


def test_positions_follow_commit_order(postgres_store_url: str, store: SQLEventStore) -> None:
    """An append that starts while another's transaction is open waits for it to commit,
    so a reader following positions never sees a later position before an earlier one."""
    other = SQLEventStore(postgres_store_url)
    store.append("S0", sealed([MemberUnfiled("P0")], tag="z"), expected_version=0)
    late: list[int] = []
    with store.transaction() as conn:
        (first,) = store.append(
            "S1", sealed([MemberUnfiled("P1")], tag="a"), expected_version=0, connection=conn
        )
        t = threading.Thread(
            target=lambda: late.extend(
                e.position
                for e in other.append(
                    "S2", sealed([MemberUnfiled("P2")], tag="b"), expected_version=0
                )
            )
        )
        t.start()
        t.join(0.3)
        assert t.is_alive(), "the second append did not wait for the first to commit"
        assert [e.stream for e in other.read_all()] == ["S0"]
    t.join()
    assert late[0] > first.position
    assert [e.stream for e in other.read_all()] == ["S0", "S1", "S2"]
    other.close()


def test_a_conflict_in_the_hosts_transaction_leaves_it_usable(store: SQLEventStore) -> None:
    """The append runs in a savepoint: a conflict does not abort the host's transaction."""
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    with store.transaction() as conn:
        with pytest.raises(ConcurrencyError):
            store.append("S1", sealed([MemberUnfiled("P2")], tag="x"), expected_version=0,
                         connection=conn)  # fmt: skip
        assert conn.execute(sa.select(sa.literal(1))).scalar() == 1  # still usable
        store.append("S1", sealed([MemberUnfiled("P2")], tag="y"), expected_version=1,
                     connection=conn)  # fmt: skip
    assert [e.event_id for e in store.read("S1")] == ["e-1", "y-1"]


def test_the_tables_go_to_their_own_schema(postgres_store_url: str, store: SQLEventStore) -> None:
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    schema = store.tables["events"].schema
    assert schema is not None
    assert schema.startswith("gridgov_test_")
    names = sa.inspect(store.engine).get_table_names(schema=schema)
    assert store.tables["events"].name in names


def test_an_unreachable_server_is_one_store_error() -> None:
    store = SQLEventStore("postgresql+psycopg://gridgov:secret@127.0.0.1:1/test")
    with pytest.raises(StoreError) as info:
        store.version("S1")
    text = str(info.value)
    assert text.startswith("postgresql+psycopg://gridgov:***@127.0.0.1:1/test: ")
    assert "secret" not in text
    assert "\n" not in text
