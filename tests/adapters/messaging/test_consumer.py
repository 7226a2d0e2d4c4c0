"""The consumer's trackers: the record of what was applied, kept with the effect."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gridgov.adapters.messaging.consumer import (
    APPLIED,
    DUPLICATE,
    GAP,
    Consumer,
    GapError,
    MemoryTracker,
    Progress,
    Tracker,
)
from gridgov.adapters.messaging.memory import MemoryBus
from gridgov.adapters.storage.sql import SQLEventStore, SQLTracker
from gridgov.envelope import Envelope
from gridgov.errors import InvalidValueError

AT = dt.datetime(2021, 11, 22, tzinfo=dt.UTC)


def env(stream: str, version: int) -> Envelope:
    return Envelope(
        stream, version, version, f"{stream}-{version}", "MemberUnfiled", 1, AT, None, "{}"
    )


@pytest.fixture(params=["memory", "sqlite"])
def tracker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tracker]:
    if request.param == "memory":
        yield MemoryTracker()
        return
    store = SQLEventStore(f"sqlite:///{tmp_path / 'consumer.db'}")
    yield store.tracker("projections")
    store.close()


def test_applied_duplicate_and_gap(tracker: Tracker) -> None:
    seen: list[int] = []

    def effect(e: Envelope, conn: Any) -> None:
        seen.append(e.version)

    assert tracker.last("S1") == 0
    assert tracker.apply(env("S1", 1), effect) == APPLIED
    assert tracker.apply(env("S1", 1), effect) == DUPLICATE
    assert tracker.apply(env("S1", 3), effect) == GAP
    assert tracker.apply(env("S1", 2), effect) == APPLIED
    assert tracker.apply(env("S2", 1), effect) == APPLIED
    assert seen == [1, 2, 1]
    assert (tracker.last("S1"), tracker.last("S2")) == (2, 1)


def test_an_effect_that_raises_records_nothing(tracker: Tracker) -> None:
    def boom(e: Envelope, conn: Any) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        tracker.apply(env("S1", 1), boom)
    assert tracker.last("S1") == 0
    assert tracker.apply(env("S1", 1), lambda e, c: None) == APPLIED


def test_the_sql_effect_runs_in_the_trackers_transaction(tmp_path: Path) -> None:
    store = SQLEventStore(f"sqlite:///{tmp_path / 'consumer.db'}")
    table = sa.Table("members", sa.MetaData(), sa.Column("version", sa.Integer()))
    table.create(store.engine)
    tracker = store.tracker("projections")

    def half_done(e: Envelope, conn: Any) -> None:
        conn.execute(sa.insert(table).values(version=e.version))
        raise RuntimeError("failed after writing")

    with pytest.raises(RuntimeError):
        tracker.apply(env("S1", 1), half_done)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    assert tracker.last("S1") == 0
    assert isinstance(tracker, SQLTracker)
    assert tracker.consumer == "projections"
    assert store.tracker("search").last("S1") == 0  # each consumer its own record
    store.close()


def test_two_workers_applying_the_same_event_on_postgres_apply_it_once(
    postgres_store_url: str,
) -> None:
    store, other = SQLEventStore(postgres_store_url), SQLEventStore(postgres_store_url)
    a, b = store.tracker("projections"), other.tracker("projections")
    a.apply(env("S1", 1), lambda e, c: None)  # the record exists: the row lock decides
    barrier = threading.Barrier(2)
    applied: list[str] = []
    answers: list[str] = []

    def work(t: SQLTracker, name: str) -> None:
        barrier.wait()

        def effect(e: Envelope, conn: Any) -> None:
            applied.append(name)
            conn.execute(sa.select(sa.func.pg_sleep(0.1)))

        answers.append(t.apply(env("S1", 2), effect))

    threads = [threading.Thread(target=work, args=(t, n)) for t, n in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [APPLIED, DUPLICATE]
    assert len(applied) == 1
    other.close()
    store.drop()
    store.close()


def test_consumer_arguments_are_checked() -> None:
    bus = MemoryBus()
    with pytest.raises(InvalidValueError):
        Consumer("bus", "g", "c", lambda e, c: None, MemoryTracker())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Consumer(bus, "g", "c", "effect", MemoryTracker())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Consumer(bus, "g", "c", lambda e, c: None, {})  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Consumer(bus, "g", "", lambda e, c: None, MemoryTracker())
    with pytest.raises(InvalidValueError):
        Consumer(bus, "g", "c", lambda e, c: None, MemoryTracker(), max_deliveries=0)
    with pytest.raises(InvalidValueError):
        Consumer(bus, "g", "c", lambda e, c: None, MemoryTracker(), block=-1)


def test_progress_adds_up() -> None:
    total = Progress(applied=2, repaired=1, errors=("a",)) + Progress(duplicates=3, failed=1)
    assert (total.applied, total.duplicates, total.failed, total.errors) == (2, 3, 1, ("a",))
    assert total.handled == 2 - 1 + 3 + 1


def test_a_gap_error_names_the_stream() -> None:
    assert "stream 'S1': version 7 arrived after version 3" in str(GapError("S1", 3, 7))
