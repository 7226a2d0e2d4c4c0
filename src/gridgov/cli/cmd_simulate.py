"""``gridgov simulate``: generate a calibrated district, allocate its members, report.

Runs :func:`gridgov.allocation.simulate` with a rich progress bar over its stages (on a
terminal, unless ``--quiet``), then prints the summary table (counts per level, members
per branch, zones claimed, posts filled, the zone objective and its gap, rule findings
by code) and the time and peak memory of each stage. ``--out`` writes the jurisdiction
as a document that ``gridgov validate`` and ``gridgov show`` read.

numpy and scipy are imported only when the command runs (the ``simulate`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gridgov._files import check_path, check_writable
from gridgov.cli import EXIT_FINDINGS, EXIT_OK, ensure_ascii
from gridgov.cli._console import is_terminal, print_table
from gridgov.cli._stages import StageMeter
from gridgov.errors import FileError

NAME = "simulate"
HELP = "simulate a calibrated district: file its members into grids, draw zones, propose posts"

_PRESETS = ("junhe", "nansha", "xiqiao", "liwan", "city")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def _mix(text: str) -> dict[str, float]:
    """``employed=0.4,retired=0.3`` → ``{"employed": 0.4, "retired": 0.3}``."""
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, sep, weight = part.partition("=")
        try:
            # a category named twice adds up, as in the library's category mix
            mix[name.strip()] = mix.get(name.strip(), 0.0) + float(weight)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise argparse.ArgumentTypeError(
                f"expected CATEGORY=WEIGHT[,CATEGORY=WEIGHT...], got {text!r}"
            )
    return mix


def _check_out(path: str) -> None:
    """Refuse an ``--out`` that cannot be written before spending time on the simulation."""
    try:
        check_writable(check_path("--out", path))
    except FileError as exc:
        raise FileError(f"--out {exc.path}", exc.reason) from None


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov simulate``."""
    parser.add_argument(
        "--preset",
        choices=_PRESETS,
        help="a district calibrated on the sources (default: a custom district)",
    )
    parser.add_argument(
        "--mode",
        choices=("given", "derive"),
        default="given",
        help="given: the branch, group and zone counts the sources report; derive: the "
        "fewest branches and groups the policy allows (default: given)",
    )
    parser.add_argument("--seed", type=_seed, default=0, metavar="N", help="random seed (0)")
    parser.add_argument(
        "--method",
        choices=("exact", "greedy", "flow"),
        default="exact",
        help="zone assignment: exact per group (default), greedy (gap reported), or one "
        "networkx min-cost flow (slow; small districts)",
    )
    for name in ("streets", "communities", "households", "members"):
        parser.add_argument(
            f"--{name}", type=_positive, metavar="N", help=f"override the number of {name}"
        )
    parser.add_argument(
        "--categories",
        type=_mix,
        metavar="MIX",
        help="the members' category mix, e.g. employed=0.42,retired=0.33,without_post=0.1 "
        "(weights, normalised; default: the preset's)",
    )
    parser.add_argument("--out", metavar="FILE", help="write the jurisdiction as a document")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip the rule check of the result"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Simulate, optionally write the document, print the report."""
    from gridgov.allocation import simulate
    from gridgov.io import save

    overrides: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("streets", "communities", "households", "members", "categories")
        if getattr(args, name) is not None
    }
    if args.out:
        _check_out(args.out)
    # a rich progress bar on stderr when it is a terminal (none with --quiet)
    meter = StageMeter(bar=False if args.quiet else None, after=("write",) if args.out else ())
    try:
        result = simulate(
            args.preset,
            mode=args.mode,
            seed=args.seed,
            method=args.method,
            validate=not args.no_validate,
            progress=meter,
            **overrides,
        )
        if args.out:
            meter.then("write")
            assert result.jurisdiction is not None
            save(result.jurisdiction, args.out, indent=None)
            meter.then("done")
    finally:
        meter.close()
    report = result.report
    errors = len(result.validation.errors) if result.validation is not None else 0
    if args.format == "json":
        data = {"report": report.to_dict(), "stages": meter.to_list(), "out": args.out}
        json.dump(data, sys.stdout, ensure_ascii=ensure_ascii(), indent=2)
        sys.stdout.write("\n")
    elif is_terminal():
        print_table(["", report.title], report.table())
        print_table(["stage", "time", "peak memory"], meter.rows(), right=[1, 2])
        if args.out:
            print(f"wrote {args.out}")
    else:
        print(report.to_text())
        print()
        print(meter.to_text())
        if args.out:
            print(f"\nwrote {args.out}")
    return EXIT_FINDINGS if errors else EXIT_OK
