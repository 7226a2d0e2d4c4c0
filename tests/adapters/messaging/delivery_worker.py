"""A host or a consumer process for the delivery tests, killed on purpose with SIGKILL.

    python delivery_worker.py host STORE BUS N [--kill-before-publish]
    python delivery_worker.py consume STORE BUS EFFECTS NAME [--kill-after-effect K]
                                      [--claim-idle SECONDS]

``host`` makes N changes to stream S1 through the service (adding people P1..PN after
the stream's current version); with ``--kill-before-publish`` it dies in its first
publish, after the append. ``consume`` runs consumer NAME of group ``projections``
until a round finds nothing: each event's effect is a row of ``effects`` in the
EFFECTS database, written with the tracker's record in one transaction; with
``--kill-after-effect K`` it dies after the K-th effect is committed and before any
acknowledgement.
"""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from gridgov.adapters.messaging.consumer import APPLIED, Consumer, Effect, Tracker
from gridgov.adapters.messaging.redis import RedisBus
from gridgov.adapters.storage.sql import SQLEventStore
from gridgov.envelope import Envelope
from gridgov.service import Service


def effects_table(store: SQLEventStore) -> sa.Table:
    """The consumer's own table, next to the store's tables (same schema and prefix)."""
    events = store.tables["events"]
    return sa.Table(
        events.name.removesuffix("events") + "effects",
        sa.MetaData(schema=events.schema),
        sa.Column("stream", sa.String(200)),
        sa.Column("version", sa.Integer()),
        sa.Column("event_id", sa.String(200)),
        sa.Column("consumer", sa.String(200)),
    )


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class DyingBus(RedisBus):
    """Dies in its first publish: after the append, before anything reaches Redis."""

    def publish(self, envelopes: Sequence[Envelope]) -> int:
        die()
        return 0  # pragma: no cover


class DyingTracker(Tracker):
    """Dies after the K-th effect is committed, before the consumer acknowledges it."""

    def __init__(self, inner: Tracker, after: int) -> None:
        self.inner, self.after, self.applied = inner, after, 0

    def last(self, stream: str) -> int:
        return self.inner.last(stream)

    def apply(self, envelope: Envelope, effect: Effect) -> str:
        status = self.inner.apply(envelope, effect)
        if status == APPLIED:
            self.applied += 1
            if self.applied == self.after:
                die()
        return status


def host(args: argparse.Namespace) -> None:
    bus = DyingBus(args.bus) if args.kill_before_publish else RedisBus(args.bus)
    service = Service(args.store, bus)
    start = service.open("S1").version
    for i in range(start + 1, start + args.n + 1):
        service.execute("S1", lambda j, i=i: j.add_person(f"P{i}", f"成员{i}", status="full"))
    service.close()


def consume(args: argparse.Namespace) -> None:
    store = SQLEventStore(args.store)
    effects_db = SQLEventStore(args.effects)
    table = effects_table(effects_db)
    with effects_db.transaction():  # creates the store's tables (and schema) if missing
        pass
    table.metadata.create_all(effects_db.engine)
    tracker: Tracker = effects_db.tracker("projections")
    if args.kill_after_effect:
        tracker = DyingTracker(tracker, args.kill_after_effect)

    def effect(envelope: Envelope, conn: Any) -> None:
        conn.execute(
            sa.insert(table).values(
                stream=envelope.stream,
                version=envelope.version,
                event_id=envelope.event_id,
                consumer=args.name,
            )
        )

    consumer = Consumer(
        RedisBus(args.bus),
        "projections",
        args.name,
        effect,
        tracker,
        store=store,
        claim_idle=args.claim_idle,
        block=0.2,
    )
    progress = consumer.run(until_idle=True)
    print(progress.applied, progress.duplicates, progress.repaired, progress.failed)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="role", required=True)
    h = sub.add_parser("host")
    h.add_argument("store")
    h.add_argument("bus")
    h.add_argument("n", type=int)
    h.add_argument("--kill-before-publish", action="store_true")
    c = sub.add_parser("consume")
    c.add_argument("store")
    c.add_argument("bus")
    c.add_argument("effects")
    c.add_argument("name")
    c.add_argument("--kill-after-effect", type=int, default=0)
    c.add_argument("--claim-idle", type=float, default=60.0)
    args = parser.parse_args()
    host(args) if args.role == "host" else consume(args)


if __name__ == "__main__":
    main()
