"""``gridgov export [FILE]``: write a jurisdiction as a JSON document, or one of its tables
(members roster, posts ledger, organization chart, households) as CSV or Excel.

The jurisdiction is FILE (a JSON document) when given, else the event store's
(``--store URL`` before the command). ``--format`` defaults to the suffix of ``--out``
(``.csv``, ``.xlsx``), else CSV when a table option is given, else JSON. A pseudonymised export uses the key in
``$GRIDGOV_PSEUDONYM_KEY`` when it is set (the same pseudonyms in every export under that
key), else a random one; the mapping back to the real ids is written only to
``--mapping FILE``.
"""

from __future__ import annotations

import argparse
import os
import sys

from gridgov.cli._store import add_stream_option, open_store, stream_of
from gridgov.errors import InvalidValueError
from gridgov.io import dumps, load, save
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.rosters import TABLES, Pseudonymiser, export_table, table, to_csv
from gridgov.service import Service

NAME = "export"
HELP = "write a jurisdiction (FILE, or the store's) as JSON, or a table of it as CSV or xlsx"

KEY_VARIABLE = "GRIDGOV_PSEUDONYM_KEY"


def _version(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a version (an integer >= 0), got {text!r}")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov export``."""
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a gridgov JSON document (default: the jurisdiction of the store)",
    )
    add_stream_option(parser)
    parser.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    parser.add_argument(
        "--version",
        type=_version,
        metavar="N",
        dest="at_version",
        help="the stored jurisdiction as it was at version N (default: the latest)",
    )
    parser.add_argument(
        "--format",
        choices=("json", "csv", "xlsx"),
        help="json (the document), csv or xlsx (a table); default: from --out's suffix, else json",
    )
    parser.add_argument(
        "--table",
        choices=TABLES,
        help="for csv and xlsx: members (roster), posts (ledger 台账), orgs (chart), "
        "households (default: members)",
    )
    parser.add_argument(
        "--headers", choices=("en", "zh"), help="for csv and xlsx: header language (default: en)"
    )
    parser.add_argument(
        "--scope", metavar="ORG", help="for csv and xlsx: only ORG's subtree (e.g. one branch)"
    )
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help=f"replace person ids, names and household ids by pseudonyms (keyed by ${KEY_VARIABLE})",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        help="with --pseudonymise: also write the pseudonyms' real ids and names to FILE",
    )
    parser.add_argument(
        "--no-bom",
        action="store_true",
        help="for csv: plain UTF-8, without the byte-order mark Excel needs",
    )


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    out = (args.out or "").lower()
    for suffix in ("csv", "xlsx"):
        if out.endswith(f".{suffix}"):
            return suffix
    if args.out is None and (args.table or args.headers or args.scope or args.pseudonymise):
        return "csv"  # a table asked for, to standard output
    return "json"


def _check(args: argparse.Namespace, fmt: str) -> None:
    if fmt == "json":
        for option, value in (
            ("--table", args.table),
            ("--headers", args.headers),
            ("--scope", args.scope),
            ("--pseudonymise", args.pseudonymise or None),
            ("--mapping", args.mapping),
            ("--no-bom", args.no_bom or None),
        ):
            if value is not None:
                raise InvalidValueError(option, value, "needs --format csv or xlsx")
    if args.mapping is not None and not args.pseudonymise:
        raise InvalidValueError("--mapping", args.mapping, "needs --pseudonymise")
    if fmt == "xlsx" and not args.out:
        raise InvalidValueError("--out", None, "is needed for xlsx (a workbook is not text)")
    if fmt == "xlsx" and args.no_bom:
        raise InvalidValueError("--no-bom", True, "is for csv only")
    if args.file is not None:
        for option, value in (("--stream", args.stream), ("--version", args.at_version)):
            if value is not None:
                raise InvalidValueError(option, value, "reads the store; not with FILE")


def _key() -> bytes | bool:
    key = os.environ.get(KEY_VARIABLE)
    return key.encode("utf-8") if key else True


def _write(j: Jurisdiction, args: argparse.Namespace, fmt: str, what: str) -> None:
    if fmt == "json":
        if args.out:
            save(j, args.out)
            print(f"wrote {args.out}: {what} at version {j.version}")
        else:
            sys.stdout.write(dumps(j) + "\n")
        return
    name = args.table or "members"
    headers = args.headers or "en"
    key: bytes | bool = _key() if args.pseudonymise else False
    if args.out:
        t = export_table(
            j,
            args.out,
            name,
            format=fmt,
            headers=headers,
            scope=args.scope,
            pseudonymise=key,
            mapping=args.mapping,
            bom=not args.no_bom,
        )
        scope = f" of {args.scope}" if args.scope else ""
        extra = f"; mapping in {args.mapping}" if args.mapping else ""
        print(f"wrote {args.out}: {name} table{scope}, {len(t.rows):,} rows{extra}")
        return
    alias = None
    if key is not False:
        alias = Pseudonymiser(None if key is True else key)
    t = table(j, name, scope=args.scope, pseudonymise=alias)
    if args.mapping and alias is not None:
        alias.write_mapping(args.mapping)
    sys.stdout.write(to_csv(t, headers=headers, bom=False))


def run(args: argparse.Namespace) -> int:
    """Read the jurisdiction (FILE or the store) and write it, or one of its tables."""
    fmt = _format(args)
    _check(args, fmt)
    if args.file is not None:
        _write(load(args.file), args, fmt, args.file)
        return 0
    with Service(open_store(args)) as service:
        stream = stream_of(service.store, args.stream)
        j = service.load(stream, version=args.at_version)
        _write(j, args, fmt, f"stream {stream!r}")
    return 0
