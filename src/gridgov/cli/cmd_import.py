"""``gridgov import FILE``: keep a jurisdiction document in an event store, or read a
members roster (CSV or Excel) into a jurisdiction.

A JSON document becomes a stream of the store (``--store URL`` before the command). A
roster (``--format csv|xlsx``, default: from FILE's suffix) is imported into the store's
jurisdiction (``--stream``), or with ``--into DOC --out FILE`` into a document, written
anew: new ids are added, known ones amended, all or nothing. Every bad cell is reported
on a line of its own naming its row and column (exit status 2, nothing imported).
"""

from __future__ import annotations

import argparse
import sys

from gridgov.cli import EXIT_ERROR, one_line
from gridgov.cli._store import open_store, root_of, stream_of
from gridgov.errors import InvalidValueError
from gridgov.io import load, save
from gridgov.rosters import ImportOutcome, RosterError, import_members, read_table
from gridgov.service import Service

NAME = "import"
HELP = "store a jurisdiction document (--store URL), or import a members roster (csv, xlsx)"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov import``."""
    parser.add_argument(
        "file", metavar="FILE", help="a gridgov JSON document, or a members roster (.csv, .xlsx)"
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv", "xlsx"),
        help="json (a document) or csv, xlsx (a members roster); default: from FILE's suffix",
    )
    parser.add_argument(
        "--stream",
        metavar="ID",
        help="the stream to store it as, or to import the roster into (default: the id of "
        "its root organization; for a roster, the store's only stream)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="if the stream exists, append the events that turn it into the document",
    )
    parser.add_argument(
        "--into",
        metavar="DOC",
        help="for a roster: import into this JSON document instead of the store (needs --out)",
    )
    parser.add_argument("--out", metavar="FILE", help="with --into: where to write the result")
    parser.add_argument("--actor", metavar="NAME", help="who makes the change (recorded)")


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    name = args.file.lower()
    for suffix in ("csv", "xlsx"):
        if name.endswith(f".{suffix}"):
            return suffix
    return "json"


def run(args: argparse.Namespace) -> int:
    """Store the document, or import the roster."""
    fmt = _format(args)
    if fmt != "json":
        return _roster(args, fmt)
    for option, value in (("--into", args.into), ("--out", args.out)):
        if value is not None:
            raise InvalidValueError(option, value, "is for a roster (--format csv or xlsx)")
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


def _roster(args: argparse.Namespace, fmt: str) -> int:
    try:
        return _import_roster(args, fmt)
    except RosterError as exc:
        where = f"{exc.source or args.file}: "
        for problem in exc.problems:  # every bad row, one line each
            print(f"gridgov: error: {where}{one_line(str(problem))}", file=sys.stderr)
        if len(exc.problems) > 1:
            print(f"gridgov: error: {args.file}: nothing imported", file=sys.stderr)
        return EXIT_ERROR


def _import_roster(args: argparse.Namespace, fmt: str) -> int:
    if args.replace:
        raise InvalidValueError("--replace", True, "is for a JSON document, not a roster")
    if (args.into is None) != (args.out is None):
        raise InvalidValueError(
            "--into" if args.into is None else "--out",
            None,
            "--into DOC and --out FILE go together",
        )
    roster = read_table(args.file, format=fmt, table="members")
    if args.into is not None:
        if args.stream is not None:
            raise InvalidValueError("--stream", args.stream, "reads the store; not with --into")
        j = load(args.into)
        outcome = import_members(j, roster)
        save(j, args.out)
        print(f"imported {args.file} into {args.into}: {outcome}; wrote {args.out}")
        return 0
    with Service(open_store(args), actor=args.actor) as service:
        stream = stream_of(service.store, args.stream)
        out = service.execute(stream, lambda j: import_members(j, roster))
        result = out.result
        assert isinstance(result, ImportOutcome)
        print(
            f"imported {args.file} into stream {stream!r} of {service.store.url}: {result} "
            f"(version {out.version})"
        )
    return 0
