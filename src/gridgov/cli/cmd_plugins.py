"""``gridgov plugins``: list the plugins loaded, where they come from and their hooks."""

from __future__ import annotations

import argparse
import json
import sys

from gridgov import plugins
from gridgov.cli import ensure_ascii

NAME = "plugins"
HELP = "list the plugins loaded (built-in and from the 'gridgov' entry points) and their hooks"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gridgov plugins``."""
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def hooks_of(row: dict[str, object]) -> list[str]:
    """The hook names of a row of the listing."""
    hooks = row["hooks"]
    return [str(h) for h in hooks] if isinstance(hooks, list) else []


def run(args: argparse.Namespace) -> int:
    """Print one line per plugin: name, source, hooks."""
    pm = plugins.plugin_manager()
    rows: list[dict[str, object]] = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:  # blocked
            continue
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())
        rows.append({"name": name, "source": pm.sources.get(name, repr(plugin)), "hooks": hooks})
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=ensure_ascii(), indent=2)
        sys.stdout.write("\n")
        return 0
    name_width = max((len(str(r["name"])) for r in rows), default=4)
    source_width = max((len(str(r["source"])) for r in rows), default=6)
    for r in rows:
        name, source = str(r["name"]), str(r["source"])
        print(f"{name.ljust(name_width)}  {source.ljust(source_width)}  {', '.join(hooks_of(r))}")
    return 0
