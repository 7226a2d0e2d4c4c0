"""Stage timing and memory for long commands: a progress callback with a meter and a bar.

:class:`StageMeter` is what ``gridgov simulate`` (and ``benchmarks/``) pass as the
``progress`` callback of :func:`gridgov.allocation.simulate`: each call closes the
previous stage, recording its wall time and its peak memory, and optionally advances a
rich progress bar (:class:`~gridgov.cli._console.StageBar`, drawn only on a terminal).
The measuring lives here, in the face, so that the algorithms stay free of clocks.

Peak memory is the process's peak resident set size during the stage, sampled: a
background thread reads the resident size (``/proc/self/statm``) every few
milliseconds while a stage runs and keeps the highest. Nothing is reset, so what other
tools read (``/usr/bin/time -v``, the kernel's high-water mark) stays true. Where the
resident size cannot be read, the peak since the process started stands in.

Examples
--------
>>> meter = StageMeter()
>>> meter("first", 0, 2)
>>> meter("second", 1, 2)
>>> meter("done", 2, 2)
>>> [s.name for s in meter.stages]
['first', 'second']
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from collections.abc import Sequence
from typing import TextIO

from attrs import frozen

from gridgov.cli._console import StageBar, plain_table

__all__ = ["StageMeter", "StageTiming", "format_bytes"]

_STATM = "/proc/self/statm"
_INTERVAL = 0.005  # seconds between samples


@frozen
class StageTiming:
    """One stage: its name, wall-clock seconds, and peak resident memory in bytes."""

    name: str
    seconds: float
    peak_bytes: int


def format_bytes(n: int) -> str:
    """Format a byte count for people.

    Examples
    --------
    >>> format_bytes(3 * 1024**3 // 2)
    '1.5 GiB'
    >>> format_bytes(2048)
    '2.0 KiB'
    """
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover - unreachable


def _resident() -> int | None:
    """The resident set size now, in bytes (``None`` where it cannot be read)."""
    try:
        with open(_STATM, "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * _PAGE


try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
    _PAGE = 4096


class _Sampler:
    """Samples the resident size in a background thread; keeps the peak since a mark."""

    def __init__(self) -> None:
        self.peak = _resident() or 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gridgov-memory", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(_INTERVAL):
            now = _resident()
            if now is not None and now > self.peak:
                self.peak = now

    def take(self) -> int:
        """Return the peak since the last take (the current size included); start anew."""
        now = _resident() or 0
        peak = max(self.peak, now)
        self.peak = now
        return peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _peak_so_far() -> int:
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


class StageMeter:
    """A progress callback that measures each stage and can draw a progress bar.

    Parameters
    ----------
    bar : bool or None
        Draw a progress bar on `stream`: ``None`` when `stream` is a terminal, ``True``
        always (rich's terminal output), ``False`` never.
    stream : file, optional
        Where the bar goes (default: ``sys.stderr``).
    after : sequence of str, optional
        Stages the caller runs after the simulation (``write``): the bar counts them in
        its total, and the simulation's ``done`` waits for them (see :meth:`then`).
    """

    def __init__(
        self, *, bar: bool | None = False, stream: TextIO | None = None, after: Sequence[str] = ()
    ) -> None:
        self._after = list(after)
        self._base = 0
        self.stages: list[StageTiming] = []
        self._bar = StageBar(stream, enabled=bar) if bar is not False else None
        self._current: str | None = None
        self._started = 0.0
        self._sampler: _Sampler | None = _Sampler() if _resident() is not None else None

    def then(self, stage: str) -> None:
        """Start `stage`, one of the ``after`` stages; ``then("done")`` ends the run."""
        total = self._base + len(self._after)
        if stage == "done":
            self._after = []
            self(stage, total, total)
            return
        index = self._base + self._after.index(stage)
        self._record(stage, index, total)

    def __call__(self, stage: str, index: int, total: int) -> None:
        if self._after and stage == "done":  # the caller's own stages follow
            self._base = total
            self._record(None, index, total)
            return
        self._record(stage, index, total + len(self._after))

    def _record(self, stage: str | None, index: int, total: int) -> None:
        now = time.perf_counter()
        sampler = self._sampler
        peak = sampler.take() if sampler is not None else None
        if self._current is not None:
            self.stages.append(
                StageTiming(self._current, now - self._started, peak or _peak_so_far())
            )
        self._current = None if stage in (None, "done") else stage
        if stage == "done" and sampler is not None:
            sampler.stop()
            self._sampler = None
        self._started = time.perf_counter()
        if self._bar is not None and stage is not None:
            self._bar(stage, index, total)

    def close(self) -> None:
        """Stop the bar early (an error ended the run): the terminal is left tidy."""
        if self._bar is not None:
            self._bar.close()

    @property
    def total_seconds(self) -> float:
        """The time of all stages measured so far."""
        return sum(s.seconds for s in self.stages)

    @property
    def peak_bytes(self) -> int:
        """The highest peak of all stages measured so far."""
        return max((s.peak_bytes for s in self.stages), default=0)

    def to_text(self) -> str:
        """Return a table of the stages: time and peak memory."""
        return plain_table(["stage", "time", "peak memory"], self.rows(), right=[1, 2])

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows of :meth:`to_text` (stage, time, peak memory), the total last."""
        rows = [(s.name, f"{s.seconds:.2f} s", format_bytes(s.peak_bytes)) for s in self.stages]
        rows.append(("total", f"{self.total_seconds:.2f} s", format_bytes(self.peak_bytes)))
        return rows

    def to_list(self) -> list[dict[str, object]]:
        """Return the stages as JSON-ready data."""
        return [
            {"stage": s.name, "seconds": round(s.seconds, 4), "peak_bytes": s.peak_bytes}
            for s in self.stages
        ]
