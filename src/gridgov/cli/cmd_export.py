"""``gridgov --store URL export``: write a stored jurisdiction as a JSON document."""

from __future__ import annotations

import argparse
import sys

from gridgov.cli._store import add_stream_option, open_store, stream_of
from gridgov.io import dumps, save
from gridgov.service import Service

NAME = "export"
HELP = "write a jurisdiction of the event store (--store URL) as a JSON document"


def _version(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a version (an integer >= 0), got {text!r}")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov export``."""
    add_stream_option(parser)
    parser.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    parser.add_argument(
        "--version",
        type=_version,
        metavar="N",
        dest="at_version",
        help="the jurisdiction as it was at version N (default: the latest)",
    )


def run(args: argparse.Namespace) -> int:
    """Rebuild the jurisdiction from the store and write it."""
    with Service(open_store(args)) as service:
        stream = stream_of(service.store, args.stream)
        j = service.load(stream, version=args.at_version)
        if args.out:
            save(j, args.out)
            print(f"wrote {args.out}: stream {stream!r} at version {j.version}")
        else:
            sys.stdout.write(dumps(j) + "\n")
    return 0
