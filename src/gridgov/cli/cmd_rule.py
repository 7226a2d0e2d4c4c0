"""``gridgov rule CODE``: explain one rule."""

from __future__ import annotations

import argparse
import sys

from gridgov import plugins
from gridgov.rules.docs import render_rule

NAME = "rule"
HELP = "explain a rule: what it checks, why it matters, an example and the fix"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov rule``."""
    parser.add_argument("code", metavar="CODE", help="a rule code, e.g. GG301")


def run(args: argparse.Namespace) -> int:
    """Print the rule's page."""
    sys.stdout.write(render_rule(plugins.registry()[args.code.strip().upper()]))
    return 0
