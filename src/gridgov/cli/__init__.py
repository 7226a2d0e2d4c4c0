"""The ``gridgov`` command: a thin face over the library.

Each subcommand lives in its own module ``gridgov.cli.cmd_<name>`` exposing ``NAME``,
``HELP``, ``configure(parser)`` and ``run(args) -> int``; :func:`main` finds them, so
adding a command means adding a module. A command does its work through library calls
and only formats the result.

Errors: a :class:`~gridgov.errors.GridGovError` (or a bad option) becomes one line on
stderr starting with :data:`PREFIX` (``gridgov: error: ``; a subcommand's bad option
names the subcommand after it) and exit status 2, never a traceback. On a terminal,
tables, rule pages and progress bars are drawn with rich; piped, the output is plain
text (see :mod:`gridgov.cli._console`). Output never fails because of its
characters: what the terminal's encoding cannot show is written as a backslash escape
(JSON output is ASCII-escaped there, so it stays valid JSON). An internal error, should
one remain, is one line asking for a report and exit status 70 (``EX_SOFTWARE``); set
``GRIDGOV_TRACEBACK=1`` to see its traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from types import ModuleType
from typing import IO, Any

from gridgov._version import __version__
from gridgov.errors import GridGovError, GridGovWarning, InvalidValueError, short_repr

__all__ = [
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "PREFIX",
    "ensure_ascii",
    "main",
    "one_line",
]

EXIT_OK = 0
"""Success."""
EXIT_FINDINGS = 1
"""The command ran and found something (e.g. rule findings at or above --fail-on)."""
EXIT_ERROR = 2
"""The input could not be read or the options are wrong."""
EXIT_INTERNAL = 70
"""An internal error: a bug in gridgov or a plugin, to be reported (``EX_SOFTWARE``)."""

_CORE_PACKAGES = frozenset({"attrs", "cattrs", "networkx", "orjson", "pluggy", "rich"})
"""The core install's packages: one missing means the install is incomplete, not a bug."""

REPORT_URL = "https://example.invalid/gridgov/issues"
"""Where to report an internal error."""


PREFIX = "gridgov: error: "
"""The start of every error line the command writes, whatever failed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # one prefix for every error: a subcommand's usage error names the command after it
        command = self.prog.removeprefix("gridgov").strip()
        where = f"{command}: " if command else ""
        raise _UsageError(f"{PREFIX}{where}{message} (see '{self.prog} --help')")


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

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the command's name.

    Returns
    -------
    int
        :data:`EXIT_OK`, :data:`EXIT_FINDINGS`, :data:`EXIT_ERROR` (bad input or
        options), :data:`EXIT_INTERNAL` (a bug: please report it), or 130 (interrupted).

    Examples
    --------
    >>> main(["--version"])
    Traceback (most recent call last):
    ...
    SystemExit: 0
    >>> main(["validate", "no/such/file.json"])  # the error is on stderr, one line
    2
    """
    if argv is not None and (
        isinstance(argv, str | bytes)
        or not isinstance(argv, Sequence)
        or not all(isinstance(a, str) for a in argv)
    ):
        raise InvalidValueError("argv", argv, "must be a sequence of strings")
    with _tolerant_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if getattr(args, "_run", None) is None:
            parser.print_usage(sys.stderr)
            print(f"{PREFIX}a command is required (see 'gridgov --help')", file=sys.stderr)
            return EXIT_ERROR
        with _own_process():
            status: int = args._run(args)
        return status
    except _UsageError as exc:
        print(f"{exc}", file=sys.stderr)
        return EXIT_ERROR
    except GridGovError as exc:
        print(f"{PREFIX}{one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gridgov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except MemoryError:
        print(
            f"{PREFIX}out of memory (a smaller --max-bytes limit refuses such input early)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except OSError as exc:  # writing the output, say: a full disk
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{PREFIX}{where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: one line asking for a report, never a traceback
        missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
        if missing is not None and missing.partition(".")[0] in _CORE_PACKAGES:
            print(  # not a bug: an install missing a core dependency
                f"{PREFIX}the package {missing.partition('.')[0]!r}, which gridgov needs, is"
                " not installed: install gridgov again (in a source checkout: pip install -e .)",
                file=sys.stderr,
            )
            return EXIT_ERROR
        if os.environ.get("GRIDGOV_TRACEBACK"):
            traceback.print_exc(file=sys.stderr)
        text = _describe(exc)
        print(
            f"gridgov: internal error: {type(exc).__name__}{': ' if text else ''}{text} "
            f"(please report it at {REPORT_URL} with the command that caused it; "
            "GRIDGOV_TRACEBACK=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _describe(exc: BaseException) -> str:
    """An exception's message on one short printable line (empty if it cannot be shown)."""
    try:
        text = one_line(str(exc))
    except Exception:  # a message that cannot even be made (a 5,000-digit key, say)
        return ""
    if not text.isprintable():
        text = short_repr(text)[1:-1]
    return text if len(text) <= 300 else text[:297] + "..."


@contextmanager
def _tolerant_output() -> Iterator[None]:
    """Write what the terminal's encoding cannot show as backslash escapes, not an error."""
    streams: list[tuple[Any, str | None]] = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        errors = getattr(stream, "errors", None)
        if reconfigure is not None and errors == "strict":
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that refuses
                continue
            streams.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in streams:
            with suppress(ValueError, OSError):  # closed meanwhile
                stream.reconfigure(errors=errors)


def ensure_ascii(stream: IO[str] | None = None) -> bool:
    """Whether JSON written to `stream` (default: stdout) must escape non-ASCII characters.

    True unless the stream's encoding is a Unicode one (UTF-8, UTF-16, UTF-32), so that
    the JSON output stays valid on an ASCII-only terminal.

    Examples
    --------
    >>> import io
    >>> ensure_ascii(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    True
    >>> ensure_ascii(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    False
    """
    if stream is not None and not callable(getattr(stream, "write", None)):
        raise InvalidValueError("stream", stream, "must be a text stream or None")
    target = sys.stdout if stream is None else stream
    encoding = (getattr(target, "encoding", None) or "").lower().replace("_", "-")
    return not encoding.startswith(("utf-8", "utf8", "utf-16", "utf-32"))


_UNITS = {
    "": 1,
    "k": 1 << 10,
    "kib": 1 << 10,
    "m": 1 << 20,
    "mib": 1 << 20,
    "g": 1 << 30,
    "gib": 1 << 30,
}


def _byte_size(text: str) -> int:
    """Parse a size for ``--max-bytes``: a number of bytes, or with ``K``, ``M``, ``G`` (KiB...).

    Examples
    --------
    >>> _byte_size("1048576"), _byte_size("64M"), _byte_size("1GiB")
    (1048576, 67108864, 1073741824)
    """
    body = text.strip().lower()
    number = body.rstrip("kmgib")
    unit = body[len(number) :]
    if not number.isdigit() or len(number) > 15 or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"expected a size such as 1000000 or 64M, got {text!r}")
    return int(number) * _UNITS[unit]


def one_line(text: str) -> str:
    """`text` on one line: runs of whitespace, newlines included, become one space.

    Examples
    --------
    >>> one_line("a  b")
    'a b'
    """
    if not isinstance(text, str):
        raise InvalidValueError("text", text, "must be a string")
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
