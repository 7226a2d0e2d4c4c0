"""At least once on the wire, exactly once in effect: processes killed at the worst moments.

Each test runs hosts and consumers as separate processes (``delivery_worker.py``), kills
one with SIGKILL between an effect and its acknowledgement (or between an append and
its publish), restarts, and counts every effect: each event is applied exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gridgov.adapters.messaging.redis import RedisBus
from gridgov.adapters.storage.sql import SQLEventStore
from gridgov.service import Service

WORKER = Path(__file__).with_name("delivery_worker.py")


def worker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def killed(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == -signal.SIGKILL


def effects_table(store: SQLEventStore) -> sa.Table:
    """The workers' table of effects (as ``delivery_worker.effects_table`` makes it)."""
    events = store.tables["events"]
    return sa.Table(
        events.name.removesuffix("events") + "effects",
        sa.MetaData(schema=events.schema),
        sa.Column("stream", sa.String(200)),
        sa.Column("version", sa.Integer()),
    )


def effects_of(url: str) -> list[tuple[str, int]]:
    """Every effect applied, one row each (a duplicate would show twice)."""
    store = SQLEventStore(url)
    table = effects_table(store)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(table.c.stream, table.c.version).order_by(table.c.version)
            )
            return [(r[0], int(r[1])) for r in rows]
    finally:
        store.close()


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'host.db'}"


@pytest.fixture
def bus(redis_bus_url: str) -> Iterator[RedisBus]:
    b = RedisBus(redis_bus_url)
    yield b
    b.close()


def publish_changes(store_url: str, bus: RedisBus, n: int) -> None:
    with Service(store_url, bus) as service:
        for i in range(1, n + 1):
            service.execute("S1", lambda j, i=i: j.add_person(f"P{i}", f"成员{i}"))


def test_a_crash_between_append_and_publish_is_repaired(
    store_url: str, bus: RedisBus, redis_bus_url: str, tmp_path: Path
) -> None:
    first = worker("host", store_url, redis_bus_url, "1", "--kill-before-publish")
    assert killed(first), first.stderr
    store = SQLEventStore(store_url)
    assert store.version("S1") == 1  # stored ...
    assert bus.last_published() == 0  # ... and never published
    second = worker("host", store_url, redis_bus_url, "3")
    assert second.returncode == 0, second.stderr
    assert bus.last_published() == store.position()  # the lost publish went out too
    effects = f"sqlite:///{tmp_path / 'effects.db'}"
    run = worker("consume", store_url, redis_bus_url, effects, "w1")
    assert run.returncode == 0, run.stderr
    assert effects_of(effects) == [("S1", v) for v in range(1, 5)]
    store.close()


def test_a_consumer_killed_before_acknowledging_applies_nothing_twice(
    store_url: str, bus: RedisBus, redis_bus_url: str, tmp_path: Path
) -> None:
    publish_changes(store_url, bus, 10)
    effects = f"sqlite:///{tmp_path / 'effects.db'}"
    dead = worker("consume", store_url, redis_bus_url, effects, "w1", "--kill-after-effect", "4")
    assert killed(dead), dead.stderr
    assert effects_of(effects) == [("S1", v) for v in range(1, 5)]
    assert bus.pending("projections") == 10  # delivered to w1, none acknowledged
    again = worker("consume", store_url, redis_bus_url, effects, "w1")  # same name
    assert again.returncode == 0, again.stderr
    applied, duplicates, _, failed = map(int, again.stdout.split())
    assert (applied, duplicates, failed) == (6, 4, 0)
    assert effects_of(effects) == [("S1", v) for v in range(1, 11)]
    assert bus.pending("projections") == 0


def test_another_consumer_claims_the_dead_ones_entries_exactly_once(
    store_url: str, bus: RedisBus, redis_bus_url: str, postgres_store_url: str
) -> None:
    publish_changes(store_url, bus, 8)
    effects = postgres_store_url  # the tracker and the effects in PostgreSQL this time
    dead = worker("consume", store_url, redis_bus_url, effects, "w1", "--kill-after-effect", "3")
    assert killed(dead), dead.stderr
    other = worker("consume", store_url, redis_bus_url, effects, "w2", "--claim-idle", "0")
    assert other.returncode == 0, other.stderr
    applied, duplicates, _, _ = map(int, other.stdout.split())
    assert (applied, duplicates) == (5, 3)
    assert effects_of(effects) == [("S1", v) for v in range(1, 9)]
    assert bus.pending("projections") == 0
    cleanup = SQLEventStore(effects)
    effects_table(cleanup).drop(cleanup.engine)
    cleanup.drop()
    cleanup.close()
