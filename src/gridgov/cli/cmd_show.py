"""``gridgov show FILE``: the tree summary of a document (or of a stored jurisdiction).

Without FILE, the jurisdiction of the event store is summarised: ``gridgov --store URL
show [--stream ID]``.
"""

from __future__ import annotations

import argparse
import json
import sys

from gridgov.cli import _byte_size, ensure_ascii
from gridgov.cli._console import StageBar
from gridgov.cli._store import add_stream_option, open_store, stream_of
from gridgov.io import MAX_DOCUMENT_BYTES, load
from gridgov.summary import summarize

NAME = "show"
HELP = "print a summary of a jurisdiction document (or of the event store's): counts per level, members, posts, the top of the tree"


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov show``."""
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a gridgov JSON document (none: the jurisdiction of the event store, --store URL)",
    )
    add_stream_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--top",
        type=_count,
        default=12,
        metavar="N",
        help="organizations of the tree to list, breadth first (default 12; 0: none); "
        "'… N more' stands for the children left out",
    )
    parser.add_argument(
        "--max-bytes",
        type=_byte_size,
        default=MAX_DOCUMENT_BYTES,
        metavar="SIZE",
        help="refuse a document larger than this, e.g. 64M (default: 1G)",
    )


def run(args: argparse.Namespace) -> int:
    """Load the document (or the stored jurisdiction) and print its summary."""
    if args.file is not None:
        bar = StageBar()  # reading a large document takes seconds: a bar on a terminal
        try:
            j = load(args.file, max_bytes=args.max_bytes, progress=bar)
        finally:
            bar.close()
        label, key = args.file, "file"
    else:
        from gridgov.service import Service

        with Service(open_store(args)) as service:
            label = stream_of(service.store, args.stream)
            key, j = "stream", service.load(label)
    summary = summarize(j, top=args.top)
    if args.format == "json":
        data = {key: label, **summary.to_dict()}
        json.dump(data, sys.stdout, ensure_ascii=ensure_ascii(), indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{label}: {summary.to_text()}")
    return 0
