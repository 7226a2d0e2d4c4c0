"""The SQL event store on SQLite passes the shared suite; SQLite's own behaviour."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gridgov.adapters.storage import EventStore
from gridgov.adapters.storage.sql import SCHEMA_VERSION, SQLEventStore
from gridgov.adapters.storage.suite import EventStoreTestCase, sealed
from gridgov.errors import ConcurrencyError, InvalidValueError, StoreError
from gridgov.model import MemberUnfiled


class TestSQLiteEventStore(EventStoreTestCase):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.url = f"sqlite:///{tmp_path / 'gridgov.db'}"

    def create_store(self) -> EventStore:
        return SQLEventStore(self.url)

    def other_store(self, store: EventStore) -> EventStore:
        return SQLEventStore(self.url)


class TestInMemorySQLite(EventStoreTestCase):
    """``sqlite://``: one in-memory database shared by the threads of the process."""

    def create_store(self) -> EventStore:
        return SQLEventStore("sqlite://")


del EventStoreTestCase


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "gridgov.db"


@pytest.fixture
def store(db: Path) -> Iterator[SQLEventStore]:
    s = SQLEventStore(f"sqlite:///{db}")
    yield s
    s.close()


def test_reading_a_missing_file_creates_nothing(db: Path, store: SQLEventStore) -> None:
    assert store.streams() == {}
    assert store.read("S1") == []
    assert store.snapshot("S1") is None
    assert store.version("S1") == 0
    assert store.position() == 0
    assert not db.exists()


def test_the_schema_is_created_on_first_write_in_wal_mode_and_versioned(
    db: Path, store: SQLEventStore
) -> None:
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        assert {"gridgov_events", "gridgov_snapshots", "gridgov_tracking", "gridgov_meta"} <= tables
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        version = conn.execute("select value from gridgov_meta where key='schema_version'")
        assert version.fetchone()[0] == str(SCHEMA_VERSION)


def test_a_schema_newer_than_this_gridgov_is_refused(db: Path, store: SQLEventStore) -> None:
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    with sqlite3.connect(db) as conn:
        conn.execute("update gridgov_meta set value='99' where key='schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer than this gridgov"):
        SQLEventStore(f"sqlite:///{db}").read("S1")


def test_a_prefix_keeps_two_stores_apart_in_one_file(db: Path) -> None:
    a = SQLEventStore(f"sqlite:///{db}?prefix=a_")
    b = SQLEventStore(f"sqlite:///{db}", prefix="b_")
    a.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    assert b.streams() == {}
    assert a.streams() == {"S1": 1}
    assert a.url == f"sqlite:///{db}"
    with pytest.raises(InvalidValueError, match="prefix"):
        SQLEventStore(f"sqlite:///{db}", prefix="bad-prefix")
    with pytest.raises(InvalidValueError, match="SQLite has no schemas"):
        SQLEventStore(f"sqlite:///{db}", schema="gridgov")


def test_an_append_joins_the_hosts_transaction(store: SQLEventStore) -> None:
    with store.transaction() as conn:
        store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0, connection=conn)
        assert store.version("S1") == 0  # another connection sees what is committed
    assert store.version("S1") == 1

    def host_work() -> None:
        with store.transaction() as conn:
            store.append("S1", sealed([MemberUnfiled("P2")], tag="x"), expected_version=1,
                         connection=conn)  # fmt: skip
            raise RuntimeError("the host's own work failed")

    with pytest.raises(RuntimeError):
        host_work()
    assert store.version("S1") == 1  # rolled back with the host's transaction


def test_a_conflict_in_the_hosts_transaction_leaves_it_usable(store: SQLEventStore) -> None:
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    with store.transaction() as conn:
        with pytest.raises(ConcurrencyError):
            store.append("S1", sealed([MemberUnfiled("P2")], tag="x"), expected_version=0,
                         connection=conn)  # fmt: skip
        store.append("S1", sealed([MemberUnfiled("P2")], tag="y"), expected_version=1,
                     connection=conn)  # fmt: skip
    assert [e.event_id for e in store.read("S1")] == ["e-1", "y-1"]


def test_a_connection_must_hold_a_transaction(store: SQLEventStore) -> None:
    with store.engine.connect() as conn, pytest.raises(InvalidValueError, match="no transaction"):
        store.append("S1", [], expected_version=0, connection=conn)
    with pytest.raises(InvalidValueError, match="SQLAlchemy Connection"):
        store.append("S1", [], expected_version=0, connection="conn")


def test_a_locked_database_is_a_store_error(db: Path) -> None:
    store = SQLEventStore(f"sqlite:///{db}", busy_timeout=0.05)
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    try:
        with pytest.raises(StoreError, match="database is locked"):
            store.append("S1", sealed([MemberUnfiled("P2")], tag="x"), expected_version=1)
    finally:
        holder.execute("rollback")
        holder.close()
    assert store.version("S1") == 1


def test_writes_begin_immediate_so_a_waiting_writer_succeeds(db: Path) -> None:
    # a deferred read-then-write transaction would fail at once with "database is
    # locked" in WAL mode; BEGIN IMMEDIATE waits for the other writer instead
    a, b = SQLEventStore(f"sqlite:///{db}"), SQLEventStore(f"sqlite:///{db}")
    a.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    with a.transaction() as conn:
        a.append("S1", sealed([MemberUnfiled("P2")], tag="a"), expected_version=1, connection=conn)
        import threading

        result: list[object] = []
        t = threading.Thread(
            target=lambda: result.append(
                b.append("S2", sealed([MemberUnfiled("P3")], tag="b"), expected_version=0)
            )
        )
        t.start()
        t.join(0.2)
        assert t.is_alive()  # waiting for the write lock, not failed
    t.join()
    assert result
    assert b.streams() == {"S1": 2, "S2": 1}


def test_bad_urls_are_store_errors() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        SQLEventStore("not a url")
    with pytest.raises(StoreError, match="mysql dialect is not supported"):
        SQLEventStore("mysql://u:secret@h/db")


def test_a_hosts_engine_is_used_as_it_is(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'host.db'}")
    store = SQLEventStore(engine)
    store.append("S1", sealed([MemberUnfiled("P1")]), expected_version=0)
    store.close()  # not disposed: the host's engine
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from gridgov_events")).scalar() == 1
