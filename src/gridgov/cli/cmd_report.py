"""``gridgov report [FILE] --out report.html``: the one-page HTML report of a jurisdiction.

The page is self-contained (no network): see :mod:`gridgov.reporting`. The jurisdiction
is FILE (a JSON document) when given, else the event store's (``--store URL`` before the
command).
"""

from __future__ import annotations

import argparse

from gridgov.cli._store import add_stream_option, open_store, stream_of
from gridgov.errors import InvalidValueError
from gridgov.io import load
from gridgov.reporting import LANGUAGES, write_report
from gridgov.service import Service

NAME = "report"
HELP = "write a one-page HTML report of a jurisdiction (FILE, or the store's)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov report``."""
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a gridgov JSON document (default: the jurisdiction of the store)",
    )
    add_stream_option(parser)
    parser.add_argument("--out", metavar="FILE", required=True, help="the HTML file to write")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the labels' language (default: en)"
    )
    parser.add_argument(
        "--community",
        metavar="ID",
        help="the community to map (default: the one with the most located households)",
    )
    parser.add_argument("--title", metavar="TEXT", help="the heading (default: the root's name)")


def run(args: argparse.Namespace) -> int:
    """Read the jurisdiction and write its report."""
    if args.file is not None:
        if args.stream is not None:
            raise InvalidValueError("--stream", args.stream, "reads the store; not with FILE")
        j = load(args.file)
    else:
        with Service(open_store(args)) as service:
            j = service.load(stream_of(service.store, args.stream))
    write_report(j, args.out, lang=args.lang, community=args.community, title=args.title)
    print(f"wrote {args.out}: report of {args.file or 'the store'} ({args.lang})")
    return 0
