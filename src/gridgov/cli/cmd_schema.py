"""``gridgov schema``: print the JSON Schema of the document format."""

from __future__ import annotations

import argparse
import json
import sys

from gridgov.cli import ensure_ascii
from gridgov.io import json_schema

NAME = "schema"
HELP = "print the JSON Schema of the gridgov document format"


def configure(parser: argparse.ArgumentParser) -> None:
    """``gridgov schema`` takes no options."""


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    json.dump(json_schema(), sys.stdout, ensure_ascii=ensure_ascii(), indent=2)
    sys.stdout.write("\n")
    return 0
