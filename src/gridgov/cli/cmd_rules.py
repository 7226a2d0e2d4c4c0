"""``gridgov rules``: list every rule with its code, severity and summary."""

from __future__ import annotations

import argparse
import json
import sys

from gridgov import plugins
from gridgov.cli import ensure_ascii
from gridgov.cli._console import is_terminal, print_table
from gridgov.rules.docs import render_index, render_table

NAME = "rules"
HELP = "list every rule: code, default severity, name and summary"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov rules``."""
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="output format"
    )


def run(args: argparse.Namespace) -> int:
    """Print the rule list."""
    registry = plugins.registry()
    if args.format == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary}
            for r in registry.values()
        ]
        json.dump(data, sys.stdout, ensure_ascii=ensure_ascii(), indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(render_index(registry))
    elif is_terminal():
        rows = [(r.code, r.severity.letter, r.name, r.summary) for r in registry.values()]
        print_table(["code", "severity", "name", "summary"], rows)
    else:
        print(render_table(registry.values()))
    return 0
