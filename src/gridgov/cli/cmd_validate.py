"""``gridgov validate FILE...``: check documents (or a stored jurisdiction) against the rules.

Without FILE, the jurisdiction of the event store is checked: ``gridgov --store URL
validate [--stream ID]`` (the store defaults to ``$GRIDGOV_STORE``, else
``sqlite:///gridgov.db``). ``--statistics`` prints one line per code with its count
instead of each finding. A file that cannot be read is one error line naming it; when
no file could be read, no summary line follows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

from gridgov import plugins
from gridgov.cli import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    PREFIX,
    _byte_size,
    ensure_ascii,
    one_line,
)
from gridgov.cli._console import StageBar, print_table
from gridgov.cli._store import add_stream_option, open_store, stream_of
from gridgov.config import Settings, load_settings
from gridgov.converters import unstructure
from gridgov.errors import DocumentError, GridGovError, InvalidValueError
from gridgov.io import MAX_DOCUMENT_BYTES, parse, read
from gridgov.model import Jurisdiction
from gridgov.rules import Diagnostic, Report, Severity
from gridgov.validation import Validator

NAME = "validate"
HELP = "check jurisdiction documents against the charter rules (GG101-GG313) and plugins' rules"


def _codes(text: str) -> list[str]:
    return [c for c in (part.strip() for part in text.split(",")) if c]


def _severity_override(text: str) -> tuple[str, str]:
    code, sep, level = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected CODE=SEVERITY, got {text!r}")
    return code.strip().upper(), level.strip()


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov validate``."""
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="gridgov JSON documents (none: the jurisdiction of the event store, --store URL)",
    )
    add_stream_option(parser)
    parser.add_argument(
        "--select",
        type=_codes,
        action="append",
        metavar="CODES",
        help="codes or prefixes to check, comma-separated (default: all)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        action="append",
        metavar="CODES",
        help="codes or prefixes to skip, comma-separated",
    )
    parser.add_argument(
        "--severity",
        type=_severity_override,
        action="append",
        metavar="CODE=LEVEL",
        help="override a rule's severity, e.g. GG202=error",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="TOML settings: a gridgov.toml, or a pyproject.toml with [tool.gridgov]",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format"
    )
    parser.add_argument(
        "--max-bytes",
        type=_byte_size,
        default=MAX_DOCUMENT_BYTES,
        metavar="SIZE",
        help="refuse a document larger than this, e.g. 64M (default: 1G)",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="instead of each finding, one line per code: its count, code, severity, name "
        "and summary, most frequent first",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="exit 1 when a finding at or above this severity is found (default: error)",
    )


def _flat(groups: list[list[str]] | None) -> list[str] | None:
    return None if groups is None else [c for group in groups for c in group]


def _options(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """The validation options: settings file first, then the command line."""
    select = _flat(args.select) or (list(settings.select) if settings.select else None)
    return {
        "policy": dict(settings.policy) or None,
        "select": select,
        "ignore": [*(settings.ignore or ()), *(_flat(args.ignore) or ())],
        "severity": {**settings.severity, **dict(args.severity or ())},
    }


def _text(d: Diagnostic, path: str) -> str:
    return f"{path}: {d}"


def _github(d: Diagnostic, path: str) -> str:
    kind = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
    message = d.message.replace("%", "%25").replace("\n", "%0A")
    title = f"{d.code} at {d.path}" if d.path else d.code
    title = title.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::{kind} file={path},title={title}::{message}"


def _reports(
    args: argparse.Namespace, options: dict[str, Any]
) -> Iterator[tuple[str, Report | None]]:
    """``(label, report)`` for each file (``None``: unreadable, reported), or for the store."""
    if not args.files:
        from gridgov.service import Service

        with Service(open_store(args)) as service:
            stream = stream_of(service.store, args.stream)
            yield stream, Validator(service.load(stream), **options).report(stream)
        return
    for path in args.files:
        bar = StageBar()
        try:
            bar("read", 0, 3)
            data = read(path, max_bytes=args.max_bytes)
            bar("parse", 1, 3)
            document = parse(data, source=path)
            del data
        except DocumentError as exc:
            bar.close()
            # a document that does not fit the format is not validated: every problem
            # is one line, with its JSON path (exit status 2)
            for problem in exc.problems or ("invalid document",):
                print(f"{PREFIX}{path}: {one_line(str(problem))}", file=sys.stderr)
            yield path, None
            continue
        except GridGovError as exc:
            bar.close()
            print(f"{PREFIX}{one_line(str(exc))}", file=sys.stderr)
            yield path, None
            continue
        bar("check", 2, 3)
        report = Validator(document, **options).report(path)
        bar("done", 3, 3)
        yield path, report


def _statistics(counts: Counter[str], severities: dict[str, Severity]) -> list[dict[str, Any]]:
    """One record per code: count, code, severity, name, summary; most frequent first."""
    registry = plugins.registry()
    out = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = registry.get(code)
        out.append(
            {
                "count": n,
                "code": code,
                "severity": severities[code].value,
                "name": rule.name if rule is not None else "",
                "summary": rule.summary if rule is not None else "",
            }
        )
    return out


def _print_statistics(stats: list[dict[str, Any]]) -> None:
    rows = [
        (
            f"{s['count']:,}",
            s["code"],
            f"[{Severity.parse(s['severity']).letter}]",
            s["name"],
            s["summary"],
        )
        for s in stats
    ]
    if rows:
        print_table(None, rows, right=[0])


def run(args: argparse.Namespace) -> int:
    """Validate each file (or the stored jurisdiction); print the findings; return the status."""
    settings = load_settings(args.policy) if args.policy else Settings()
    for name in settings.block_plugins:
        plugins.block(name)
    fail_rank = Severity.parse(args.fail_on).rank
    failed = False
    unreadable = 0
    records: list[dict[str, Any]] = []
    totals = {s.value: 0 for s in Severity}
    options = _options(settings, args)
    if args.statistics and args.format == "github":
        raise InvalidValueError(
            "--statistics", args.format, "works with --format text or json, not github"
        )
    Validator(Jurisdiction(), **options)  # wrong options: one error (exit 2) before any file
    counts: Counter[str] = Counter()
    severities: dict[str, Severity] = {}
    for path, report in _reports(args, options):
        if report is None:
            unreadable += 1
            continue
        for d in report:
            failed |= d.severity.rank >= fail_rank
            totals[d.severity.value] += 1
            if args.statistics:
                counts[d.code] += 1
                severities.setdefault(d.code, d.severity)
            elif args.format == "json":
                records.append({"file": path, **unstructure(d)})
            elif args.format == "github":
                print(_github(d, path))
            else:
                print(_text(d, path))
    stats = _statistics(counts, severities) if args.statistics else []
    files = len(args.files) - unreadable
    if args.format == "json":
        json.dump(
            stats if args.statistics else records, sys.stdout, ensure_ascii=ensure_ascii(), indent=2
        )
        sys.stdout.write("\n")
    elif args.format == "text" and (files or not args.files):
        # nothing read at all: the error lines on stderr say it, no summary of nothing
        if args.statistics:
            _print_statistics(stats)
        found = [f"{n:,} {s}{'s' * (n != 1)}" for s, n in totals.items() if n]
        skipped = f" ({unreadable} unreadable)" if unreadable else ""
        what = f"{files} file{'s' * (files != 1)}{skipped}" if args.files else "1 jurisdiction"
        print(f"checked {what}: {', '.join(found) if found else 'no findings'}")
    if unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK
