"""The ``gridgov`` command: a thin face over the library.

Each subcommand lives in its own module ``gridgov.cli.cmd_<name>`` exposing ``NAME``,
``HELP``, ``configure(parser)`` and ``run(args) -> int``; :func:`main` finds them, so
adding a command means adding a module. A command does its work through library calls
and only formats the result.

Errors: a :class:`~gridgov.errors.GridGovError` (or a bad option) becomes one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from gridgov._version import __version__
from gridgov.errors import GridGovError, GridGovWarning

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "main", "one_line"]

EXIT_OK = 0
"""Success."""
EXIT_FINDINGS = 1
"""The command ran and found something (e.g. rule findings at or above --fail-on)."""
EXIT_ERROR = 2
"""The input could not be read or the options are wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def _commands() -> list[ModuleType]:
    import gridgov.cli as package

    names = sorted(
        info.name for info in pkgutil.iter_modules(package.__path__) if info.name.startswith("cmd_")
    )
    return [importlib.import_module(f"gridgov.cli.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``gridgov`` command."""
    parser = _Parser(
        prog="gridgov",
        description="Grid-based Party organization governance: inspect, validate and "
        "simulate jurisdictions, keep them in an event store.",
    )
    parser.add_argument("--version", action="version", version=f"gridgov {__version__}")
    parser.add_argument(
        "--store",
        metavar="URL",
        default=os.environ.get("GRIDGOV_STORE") or None,
        help="the event store the jurisdictions are kept in: sqlite:///FILE, "
        "postgresql+psycopg://USER@HOST/DB, memory:// (default: $GRIDGOV_STORE; a command "
        "that needs a store and is given none uses sqlite:///gridgov.db)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _commands():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gridgov`` command with `argv` (default: ``sys.argv[1:]``); return its status.

    Examples
    --------
    >>> main(["--version"])
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if getattr(args, "_run", None) is None:
            parser.print_usage(sys.stderr)
            print("gridgov: error: a command is required", file=sys.stderr)
            return EXIT_ERROR
        with _own_process():
            status: int = args._run(args)
        return status
    except _UsageError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_ERROR
    except GridGovError as exc:
        print(f"gridgov: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gridgov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # writing --out, say: a missing directory, no permission
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"gridgov: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR


def one_line(text: str) -> str:
    """`text` on one line: runs of whitespace, newlines included, become one space.

    Examples
    --------
    >>> one_line("a  b")
    'a b'
    """
    return " ".join(text.split())


@contextmanager
def _own_process() -> Iterator[None]:
    """What the command may do because the process is its own.

    The cyclic garbage collector is paused while the command runs: reading, building and
    writing a district make millions of small objects, none of them cyclic garbage, and
    the collector's passes over them cost about a third of the time. gridgov's warnings
    (a plugin that cannot be loaded, say) are printed on one line each.
    """
    enabled = gc.isenabled()
    previous = warnings.showwarning

    def show(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(category, type) and issubclass(category, GridGovWarning):
            print(f"gridgov: warning: {one_line(str(message))}", file=sys.stderr)
        else:  # pragma: no cover - another library's warning
            previous(message, category, *args, **kwargs)

    gc.disable()
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = previous
        if enabled:
            gc.enable()
