"""The command's output on a terminal and elsewhere: rich there, plain text otherwise.

On a terminal, tables are drawn as rich tables, rule pages rendered from their Markdown
and long steps get a rich progress bar. Anywhere else (a pipe, a file, a test capturing
the output) the same content is plain text with no escape codes, and no progress bar at
all, so that what a script reads does not depend on the width of a window.

"A terminal" is what rich decides for the stream: a tty, or the environment's
``TTY_COMPATIBLE=1`` / ``FORCE_COLOR`` (``TTY_COMPATIBLE=0`` forces plain text).
``NO_COLOR`` keeps the layout and drops the colours. rich is used only here, in the
face: the library itself stays free of it.

Examples
--------
>>> import io
>>> stream = io.StringIO()
>>> is_terminal(stream)
False
>>> print_table(["code", "count"], [("GG202", "887")], stream=stream)
>>> print(stream.getvalue(), end="")
code   count
GG202  887
>>> print(markdown_to_text("# GG301\\n\\n**Severity:** error, `first_secretary`"))
GG301
=====
<BLANKLINE>
Severity: error, first_secretary
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported when output is drawn, not when the command starts
    from rich.console import Console
    from rich.progress import Progress

__all__ = [
    "StageBar",
    "console",
    "is_terminal",
    "markdown_to_text",
    "plain_table",
    "print_markdown",
    "print_table",
]


def console(stream: IO[str] | None = None, *, terminal: bool | None = None) -> Console:
    """A rich console writing to `stream` (default: stdout as it is now).

    `terminal` forces the decision (``None``: rich's own, see the module's notes).
    """
    from rich.console import Console

    return Console(
        file=stream if stream is not None else sys.stdout,
        force_terminal=terminal,
        highlight=False,
        emoji=False,
        markup=False,
    )


def is_terminal(stream: IO[str] | None = None) -> bool:
    """Whether `stream` (default: stdout) is a terminal, as rich decides it."""
    return console(stream).is_terminal


def plain_table(
    headers: Sequence[str] | None, rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    """Rows as plain text: columns padded to their widest cell, two spaces apart.

    The last column is not padded (no trailing spaces); columns whose index is in
    `right` are aligned to the right.

    Examples
    --------
    >>> print(plain_table(["n", "code"], [("887", "GG202"), ("3", "GG101")], right=[0]))
      n  code
    887  GG202
      3  GG101
    """
    table = [list(headers)] if headers else []
    table += [list(r) for r in rows]
    if not table:
        return ""
    columns = max(len(r) for r in table)
    widths = [max((len(r[i]) for r in table if i < len(r)), default=0) for i in range(columns)]
    lines = []
    for row in table:
        cells = []
        for i, cell in enumerate(row):
            last = i == len(row) - 1
            if i in right:
                cells.append(cell.rjust(widths[i]))
            else:
                cells.append(cell if last else cell.ljust(widths[i]))
        lines.append("  ".join(cells))
    return "\n".join(lines)


def print_table(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    *,
    stream: IO[str] | None = None,
    right: Sequence[int] = (),
    title: str | None = None,
    terminal: bool | None = None,
) -> None:
    """Print a table: a rich table on a terminal, :func:`plain_table` elsewhere.

    Parameters
    ----------
    headers : sequence of str or None
        The column headings (``None``: none).
    rows : sequence of sequences of str
        The cells, already formatted.
    stream : text stream, optional
        Where to print (default: stdout).
    right : sequence of int
        The columns aligned to the right (numbers).
    title : str, optional
        A title above the table (printed as its own line in plain text).
    terminal : bool, optional
        Force the terminal or the plain rendering.
    """
    out = console(stream, terminal=terminal)
    if not out.is_terminal:
        target = stream if stream is not None else sys.stdout
        text = plain_table(headers, rows, right=right)
        target.write((f"{title}\n" if title else "") + (f"{text}\n" if text else ""))
        return
    from rich.table import Table

    columns = max([len(headers or ())] + [len(r) for r in rows])
    table = Table(
        title=title,
        show_header=bool(headers),
        title_justify="left",
        header_style="bold",
        box=None if not headers else _box(),
    )
    for i in range(columns):
        table.add_column(
            headers[i] if headers and i < len(headers) else "",
            justify="right" if i in right else "left",
            overflow="fold",
        )
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _box() -> Any:
    from rich import box

    return box.SIMPLE_HEAD


def markdown_to_text(text: str) -> str:
    """Markdown as readable plain text: no ``#``, ``**`` or backticks.

    Headings become their text, underlined (``=`` for the first level, ``-`` below);
    emphasis and code marks are dropped, a link keeps its address in parentheses, list
    items start with ``-`` (or their number), fenced code is indented by four spaces,
    and the line breaks of the source are kept.

    Examples
    --------
    >>> print(markdown_to_text("## Fix\\nAppoint a [secretary](GG206.md).\\n\\n- one\\n- two"))
    Fix
    ---
    Appoint a secretary (GG206.md).
    <BLANKLINE>
    - one
    - two
    """
    from markdown_it import MarkdownIt

    out: list[str] = []
    prefix: list[str] = []  # list markers and quote marks of the open blocks
    numbers: list[int | None] = []
    pending_marker: str | None = None
    heading: str | None = None
    for token in MarkdownIt("commonmark").parse(text):
        kind = token.type
        if kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            numbers.append(None if kind == "bullet_list_open" else int(start or 1))
            if out and out[-1] != "" and not prefix:
                out.append("")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            if not numbers:
                out.append("")
        elif kind == "list_item_open":
            number = numbers[-1] if numbers else None
            if number is None:
                pending_marker = "- "
            else:
                pending_marker = f"{number}. "
                numbers[-1] = number + 1
            prefix.append(" " * len(pending_marker))
        elif kind == "list_item_close":
            prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("> ")
        elif kind == "blockquote_close":
            prefix.pop()
            out.append("")
        elif kind == "inline":
            body = _inline(token.children or [])
            lines = body.split("\n")
            if heading is not None:
                rule = "=" if heading == "h1" else "-"
                lines.append(rule * max(len(line) for line in lines))
            indent = "".join(prefix)
            for n, line in enumerate(lines):
                if n == 0 and pending_marker is not None:
                    out.append(indent[: -len(pending_marker)] + pending_marker + line)
                    pending_marker = None
                else:
                    out.append(indent + line)
        elif kind in ("paragraph_close", "heading_close") and not numbers:
            out.append("")
        elif kind in ("fence", "code_block"):
            indent = "".join(prefix) + "    "
            out.extend(indent + line for line in token.content.rstrip("\n").split("\n"))
            if not numbers:
                out.append("")
        elif kind == "hr":
            out.extend(["-" * 20, ""])
        if kind == "heading_close" and not numbers:
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _inline(children: Sequence[Any]) -> str:
    parts: list[str] = []
    links: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append("\n")
        elif kind == "link_open":
            links.append(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            href = links.pop() if links else ""
            if href:
                parts.append(f" ({href})")
        elif kind == "image":
            parts.append(child.content or str(child.attrGet("alt") or ""))
    return "".join(parts)


def print_markdown(
    text: str, *, stream: IO[str] | None = None, terminal: bool | None = None
) -> None:
    """Print Markdown: rendered by rich on a terminal, :func:`markdown_to_text` elsewhere."""
    out = console(stream, terminal=terminal)
    if out.is_terminal:
        from rich.markdown import Markdown

        out.print(Markdown(text, code_theme="ansi_dark", hyperlinks=False))
    else:
        target = stream if stream is not None else sys.stdout
        target.write(markdown_to_text(text) + "\n")


class StageBar:
    """A rich progress bar over the stages of a long step, on `stream` (default: stderr).

    Call it as a progress callback, ``bar(stage, index, total)``, and ``bar("done",
    total, total)`` at the end (which also closes it); :meth:`close` ends it early. It
    draws nothing unless `stream` is a terminal (or `enabled` forces it).
    """

    def __init__(self, stream: IO[str] | None = None, *, enabled: bool | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self._stream) if enabled is None else enabled
        self._forced = enabled
        self._progress: Progress | None = None
        self._task: Any = None

    def __call__(self, stage: str, index: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description:<14}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console(self._stream, terminal=self._forced),
                transient=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(stage, total=max(total, 1))
        label = "done" if stage == "done" else f"{stage}..."
        self._progress.update(self._task, description=label, completed=index, total=max(total, 1))
        if stage == "done":
            self.close()

    def close(self) -> None:
        """Stop drawing (the bar stays on the screen as it is)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
