"""``gridgov --store URL import FILE``: keep a jurisdiction document in an event store."""

from __future__ import annotations

import argparse

from gridgov.cli._store import open_store, root_of
from gridgov.errors import InvalidValueError
from gridgov.io import load
from gridgov.service import Service

NAME = "import"
HELP = "store a jurisdiction document as a stream of events (--store URL, before the command)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov import``."""
    parser.add_argument("file", metavar="FILE", help="a gridgov JSON document")
    parser.add_argument(
        "--stream",
        metavar="ID",
        help="the stream to store it as (default: the id of its root organization)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="if the stream exists, append the events that turn it into the document",
    )
    parser.add_argument("--actor", metavar="NAME", help="who makes the change (recorded)")


def run(args: argparse.Namespace) -> int:
    """Load the document and append its events to the store."""
    j = load(args.file)
    stream = args.stream or root_of(j)
    if stream is None:
        raise InvalidValueError(
            "--stream", None, f"{args.file} has no single root organization; name the stream"
        )
    with Service(open_store(args), actor=args.actor) as service:
        out = service.import_jurisdiction(stream, j, replace=args.replace)
        n = len(out.envelopes)
        verb = "imported" if out.before == 0 else "replaced"
        what = f"{n} event{'s' * (n != 1)}" if n else "no change"
        print(
            f"{verb} {args.file} as stream {stream!r} of {service.store.url}: {what} "
            f"(version {out.version})"
        )
    return 0
