"""A consumer service: applies the host's events from Redis to a table of its own, exactly once.

    python examples/service/consumer.py --bus redis://127.0.0.1:6379/0 \\
        --store sqlite:///host.db --db sqlite:///consumer.db --until-idle

It keeps ``members_by_group`` (person, group) up to date from the filing events. Each
event's effect and the record of the last version applied to its stream are written in
one transaction of the consumer's database, so an event delivered again (after a crash
between the effect and the acknowledgement, or claimed from a dead worker) is skipped,
and a gap is filled from the host's store. Run several workers under different
``--name``s: they share the group ``members-view`` and take over each other's entries
after ``--claim-idle`` seconds.
"""

from __future__ import annotations

import argparse
from typing import Any

import sqlalchemy as sa

from gridgov.adapters.messaging.consumer import Consumer
from gridgov.adapters.storage.sql import SQLEventStore
from gridgov.envelope import Envelope
from gridgov.model import MemberFiled, MemberTransferred, MemberUnfiled
from gridgov.plugins import event_store, message_bus

MEMBERS = sa.Table(
    "members_by_group",
    sa.MetaData(),
    sa.Column("stream", sa.String(200), primary_key=True),
    sa.Column("person", sa.String(200), primary_key=True),
    sa.Column("org", sa.String(200), nullable=False),
)


def effect(envelope: Envelope, conn: Any) -> None:
    """Keep ``members_by_group`` in step with one event (in the tracker's transaction)."""
    event = envelope.event()
    key = (MEMBERS.c.stream == envelope.stream,)
    if isinstance(event, MemberFiled):
        values = {"stream": envelope.stream, "person": event.filing.person}
        conn.execute(sa.insert(MEMBERS).values(**values, org=event.filing.org))
    elif isinstance(event, MemberTransferred):
        where = (*key, MEMBERS.c.person == event.person)
        conn.execute(sa.update(MEMBERS).where(*where).values(org=event.org))
        print(f"{envelope.stream} v{envelope.version}: {event.person} moved to {event.org}")
    elif isinstance(event, MemberUnfiled):
        conn.execute(sa.delete(MEMBERS).where(*key, MEMBERS.c.person == event.person))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bus", required=True, help="the message bus URL")
    parser.add_argument("--store", help="the host's event store, to fill gaps from")
    parser.add_argument("--db", default="sqlite:///consumer.db", help="this consumer's database")
    parser.add_argument("--name", default="worker-1", help="this worker's fixed name")
    parser.add_argument("--claim-idle", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is left")
    args = parser.parse_args()
    own = SQLEventStore(args.db)
    MEMBERS.create(own.engine, checkfirst=True)
    consumer = Consumer(
        message_bus(args.bus),
        "members-view",
        args.name,
        effect,
        own.tracker("members-view"),
        store=event_store(args.store) if args.store else None,
        claim_idle=args.claim_idle,
    )
    try:
        progress = consumer.run(until_idle=args.until_idle)
    except KeyboardInterrupt:
        return
    with own.engine.connect() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(MEMBERS)).scalar()
    print(
        f"applied {progress.applied} events ({progress.duplicates} duplicates skipped, "
        f"{progress.repaired} read from the store); {rows} members in the view"
    )


if __name__ == "__main__":
    main()
