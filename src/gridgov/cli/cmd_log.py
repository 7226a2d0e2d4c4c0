"""``gridgov --store URL log``: the stored events with their positions, versions and times."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from itertools import islice

from gridgov.cli._store import open_store
from gridgov.envelope import Envelope, to_dict

NAME = "log"
HELP = (
    "list the events of the event store (--store URL): position, stream, version, time, actor, type"
)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov log``."""
    parser.add_argument(
        "--stream", metavar="ID", help="only this stream's events (default: every stream's)"
    )
    parser.add_argument(
        "--after",
        type=_count,
        default=0,
        metavar="N",
        help="start after version N of --stream, or after position N without it",
    )
    parser.add_argument("--limit", type=_count, metavar="N", help="at most N events")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per event; json: an array of envelopes with their payloads",
    )


def _line(env: Envelope) -> str:
    actor = env.actor if env.actor is not None else "-"
    return (
        f"{env.position:>8}  {env.stream}  v{env.version}  "
        f"{env.recorded_at.isoformat(timespec='seconds')}  {actor}  {env.topic}"
    )


def run(args: argparse.Namespace) -> int:
    """Print the events, oldest first."""
    with open_store(args) as store:
        events: Iterator[Envelope]
        if args.stream is not None:
            events = store.iter_stream(args.stream, after=args.after)
        else:
            events = store.iter_all(after=args.after)
        if args.limit is not None:
            events = islice(events, args.limit)
        out = sys.stdout
        if args.format == "json":
            out.write("[")
            for i, env in enumerate(events):
                out.write(",\n " if i else "\n ")
                out.write(json.dumps(to_dict(env), ensure_ascii=False))
            out.write("\n]\n")
        else:
            for env in events:
                out.write(_line(env) + "\n")
    return 0
