"""Benchmark storage and messaging: the liwan simulation's event log in SQLite, PostgreSQL, Redis.

Prints, for the event log of ``gridgov.simulate(preset="liwan")`` (about 458 k events):

- sealing the events (the envelope's encoder) and decoding them back;
- the anchor, measured in the same run: a plain SQLAlchemy ``executemany`` of 50 k rows
  in one transaction, on SQLite (WAL) and on PostgreSQL;
- appending the whole log through the event store, in batches of 10 000, 1 000 and one
  transaction for everything; the first 20 000 events in batches of 100, and the first
  2 000 one by one (each batch is one transaction with its concurrency check);
- reading it back (every position, page by page) and decoding it;
- opening the jurisdiction: a full replay of the stream versus the latest snapshot
  (taken at the end of the log); then the median time of one change through the
  service (a member transferred: incremental validation, append, commit);
- Redis Streams: the relay publishing from the store, and a consumer applying each
  event (a no-op effect with the in-memory tracker) and acknowledging it, on the first
  ``--redis-events`` events (100 000 by default: Redis is shared, so the run keeps its
  footprint small and deletes its keys after).

Timings on a shared 2-core machine are noisy (10-30 % from run to run); the anchor is
measured in the same run so that the ratios mean something.

    python benchmarks/bench_storage.py
    python benchmarks/bench_storage.py --preset junhe          # a quick run
    python benchmarks/bench_storage.py --no-postgres --no-redis
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

POSTGRES = os.environ.get(
    "GRIDGOV_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS = os.environ.get("GRIDGOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>10,.0f}/s" if seconds > 0 and n > 1 else "            "


def line(what: str, n: int, seconds: float) -> None:
    print(f"  {what:<52} {n:>8,}  {seconds:8.2f} s  {rate(n, seconds)}")


def anchor(url: str, rows: int) -> float:
    """A plain SQLAlchemy executemany of `rows` rows in one transaction (no gridgov)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _wal(dbapi: Any, record: Any) -> None:
            dbapi.execute("PRAGMA journal_mode=WAL")

    md = sa.MetaData()
    table = sa.Table(
        f"anchor_{secrets.token_hex(4)}",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stream", sa.String(200)),
        sa.Column("version", sa.BigInteger),
        sa.Column("payload", sa.Text),
    )
    md.create_all(engine)
    data = [
        {"stream": "S1", "version": i, "payload": f'{{"person":"P{i}","org":"G1"}}'}
        for i in range(1, rows + 1)
    ]
    try:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(sa.insert(table), data)
        return time.perf_counter() - t0
    finally:
        md.drop_all(engine)
        engine.dispose()


def append_in_batches(store: Any, stream: str, sealed: Sequence[Any], batch: int) -> float:
    t0 = time.perf_counter()
    version = 0
    for i in range(0, len(sealed), batch):
        chunk = sealed[i : i + batch]
        store.append(stream, chunk, expected_version=version)
        version += len(chunk)
    return time.perf_counter() - t0


def bench_store(name: str, make: Callable[[str], Any], sealed: Sequence[Any], j: Any) -> Any:
    """Append, read and open on one backend; return the store holding stream ``liwan``."""
    from gridgov.io import dump
    from gridgov.plugins import event_types
    from gridgov.service import Service

    n = len(sealed)
    print(f"\n{name}")
    for batch, size in ((1, 2_000), (100, 20_000)):
        small = sealed[: min(n, size)]
        store = make(f"b{batch}_")
        seconds = append_in_batches(store, "S1", small, batch)
        line(f"append {len(small):,} events, batches of {batch}", len(small), seconds)
        store.drop()
        store.close()
    for batch in (10_000, 1_000):
        store = make(f"b{batch}_")
        seconds = append_in_batches(store, "S1", sealed, batch)
        line(f"append the log, batches of {batch:,}", n, seconds)
        store.drop()
        store.close()
    store = make("all_")
    seconds = append_in_batches(store, "liwan", sealed, n)
    line("append the log in one transaction", n, seconds)
    seconds, envelopes = timed(lambda: list(store.iter_all()))
    line("read every position (pages of 10,000)", len(envelopes), seconds)
    types = event_types()
    seconds, _ = timed(lambda: [e.event(event_types=types) for e in envelopes])
    line("decode the events", len(envelopes), seconds)
    envelopes.clear()
    service = Service(store)
    seconds, replayed = timed(lambda: service.load("liwan", snapshots=False))
    line("open: full replay (read, decode, apply)", n, seconds)
    assert replayed == j
    from gridgov.adapters.storage import Snapshot

    seconds, _ = timed(lambda: store.save_snapshot(Snapshot("liwan", n, dump(j))))
    line("save a snapshot at the last version", 1, seconds)
    seconds, from_snapshot = timed(lambda: service.load("liwan"))
    line("open: from the snapshot", 1, seconds)
    assert from_snapshot == j
    median = execute_transfers(service, "liwan", 100)
    print(f"  {'execute one transfer (validate, append, commit), median':<52} {median:8.2f} ms")
    return store


def execute_transfers(service: Any, stream: str, n: int) -> float:
    """The median time of `n` changes (a member transferred to a random group), in ms."""
    import random
    import statistics

    from gridgov.model import MemberTransferred

    j = service.open(stream)
    rng = random.Random(0)
    people, groups = list(j.filings), j.graph.at_level(j.scheme.filing_level)
    times: list[float] = []
    while len(times) < n:
        person, group = rng.choice(people), rng.choice(groups)
        if j.filed_in(person) == group:
            continue
        t0 = time.perf_counter()
        service.execute(stream, MemberTransferred(person, group))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def bench_redis(store: Any, url: str, events: int) -> None:
    from gridgov.adapters.messaging.consumer import Consumer, MemoryTracker
    from gridgov.adapters.messaging.redis import RedisBus
    from gridgov.adapters.messaging.relay import Relay
    from gridgov.adapters.storage.memory import MemoryEventStore

    print(f"\nRedis Streams ({url})")
    subset = MemoryEventStore()
    subset.append(
        "liwan",
        _new_events(store.iter_stream("liwan", upto=events)),
        expected_version=0,
    )
    bus = RedisBus(url, prefix=f"gridgov-bench:{os.getpid()}:")
    bus.drop()
    try:
        relay = Relay(subset, bus, batch=1000)
        seconds, published = timed(relay.publish)
        line("publish (relay from the store, batches of 1,000)", published, seconds)
        for batch in (100, 1000):
            group = f"bench{batch}"
            consumer = Consumer(
                bus,
                group,
                "w1",
                lambda env, conn: None,
                MemoryTracker(),
                batch=batch,
                block=0,
            )
            seconds, progress = timed(lambda c=consumer: c.run(until_idle=True))
            assert progress.applied == published, progress
            line(f"consume + acknowledge, reads of {batch:,}", progress.applied, seconds)
        seconds, dropped = timed(bus.trim)
        line("trim below every group's acknowledged point (XTRIM)", dropped, seconds)
    finally:
        bus.drop()
        bus.close()


def _new_events(envelopes: Any) -> list[Any]:
    from gridgov.envelope import NewEvent

    return [
        NewEvent(e.event_id, e.topic, e.schema_version, e.recorded_at, e.actor, e.payload)
        for e in envelopes
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="liwan", help="the simulation preset (default liwan)")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL URL")
    parser.add_argument("--redis", default=REDIS, help="Redis URL")
    parser.add_argument("--redis-events", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args(argv)

    import datetime as dt

    import gridgov
    from gridgov.adapters.storage.sql import SQLEventStore
    from gridgov.envelope import seal

    print(f"gridgov {gridgov.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    seconds, result = timed(lambda: gridgov.simulate(preset=args.preset))
    j = result.jurisdiction
    log = list(j.log)
    n = len(log)
    print(f"simulate {args.preset}: {n:,} events in {seconds:.1f} s")
    at = dt.datetime.now(dt.UTC)
    seconds, sealed = timed(
        lambda: [
            seal(e, event_id=f"e{i}", recorded_at=at, actor="bench") for i, e in enumerate(log)
        ]
    )
    print()
    line("seal (encode) the events", n, seconds)

    with tempfile.TemporaryDirectory() as tmp:
        print("\nanchor: a plain SQLAlchemy executemany, one transaction")
        line("SQLite (WAL)", 50_000, anchor(f"sqlite:///{Path(tmp, 'anchor.db')}", 50_000))
        if not args.no_postgres:
            line("PostgreSQL", 50_000, anchor(args.postgres, 50_000))

        def sqlite(prefix: str) -> SQLEventStore:
            return SQLEventStore(f"sqlite:///{Path(tmp, prefix + 'gridgov.db')}")

        store = bench_store("SQLite (WAL, BEGIN IMMEDIATE)", sqlite, sealed, j)
        if not args.no_postgres:
            schema = f"gridgov_bench_{os.getpid()}"

            def postgres(prefix: str) -> SQLEventStore:
                sep = "&" if "?" in args.postgres else "?"
                return SQLEventStore(f"{args.postgres}{sep}schema={schema}&prefix={prefix}")

            pg = bench_store("PostgreSQL (advisory lock per append)", postgres, sealed, j)
            import sqlalchemy as sa

            with pg.engine.begin() as conn:
                conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
            pg.close()
        if not args.no_redis:
            bench_redis(store, args.redis, min(args.redis_events, n))
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
