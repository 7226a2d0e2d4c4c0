"""``gridgov show FILE``: the tree summary of a document."""

from __future__ import annotations

import argparse
import json
import sys

from gridgov.io import load
from gridgov.summary import summarize

NAME = "show"
HELP = "print a summary of a jurisdiction document: counts per level, members, posts, the top of the tree"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov show``."""
    parser.add_argument("file", metavar="FILE", help="a gridgov JSON document")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--top", type=int, default=12, metavar="N", help="organizations of the tree to list"
    )


def run(args: argparse.Namespace) -> int:
    """Load the document and print its summary."""
    summary = summarize(load(args.file), top=max(args.top, 0))
    if args.format == "json":
        data = {"file": args.file, **summary.to_dict()}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{args.file}: {summary.to_text()}")
    return 0
