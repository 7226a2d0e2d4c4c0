"""``gridgov rule CODE``: explain one rule.

The page is Markdown (the same as ``docs/reference/rules/CODE.md``): rendered on a
terminal, plain readable text when piped; ``--format markdown`` prints the Markdown
itself.
"""

from __future__ import annotations

import argparse
import sys

from gridgov import plugins
from gridgov.cli._console import print_markdown
from gridgov.rules.docs import render_rule

NAME = "rule"
HELP = "explain a rule: what it checks, why it matters, an example and the fix"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov rule``."""
    parser.add_argument("code", metavar="CODE", help="a rule code, e.g. GG301")
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text: rendered on a terminal, plain when piped (default); markdown: the page's "
        "Markdown source",
    )


def run(args: argparse.Namespace) -> int:
    """Print the rule's page."""
    page = render_rule(plugins.registry()[args.code.strip().upper()])
    if args.format == "markdown":
        sys.stdout.write(page)
    else:
        print_markdown(page)
    return 0
