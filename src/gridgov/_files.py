"""Files by name: checked paths, bounded reading, writing, and one error for what goes wrong.

What opens a file (the readers and writers of :mod:`gridgov.io`,
:func:`gridgov.config.load_settings`, the ``gridgov`` command's ``--out``) goes through
here, so that every file-system problem is a :class:`~gridgov.errors.FileError` naming
the file and the reason in words, and no source (a device such as ``/dev/zero``, a FIFO,
a pipe) can be read past its limit: reading stops one chunk after it, whatever ``stat``
says.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from gridgov.errors import DocumentError, FileError, InvalidValueError, Problem, short_repr
from gridgov.limits import check_int

CHUNK = 1 << 20
"""Files are read in chunks of this many bytes (1 MiB)."""

MAX_LIMIT = 1 << 40
"""The largest ``max_bytes`` a caller may ask for (1 TiB)."""


def check_path(field: str, value: object) -> str:
    """Return `value` (a ``str`` or :class:`os.PathLike`) as a path string.

    Raises
    ------
    InvalidValueError
        If `value` is not a path (bytes paths included), naming `field`.
    FileError
        If the path is empty or holds a NUL character (no file can be named so).
    """
    if not isinstance(value, str | os.PathLike):
        raise InvalidValueError(field, value, "must be a path (a str or os.PathLike)")
    try:
        path = os.fspath(value)
    except TypeError:
        raise InvalidValueError(field, value, "must be a path (a str or os.PathLike)") from None
    if not isinstance(path, str):
        raise InvalidValueError(field, value, "must be a path of text, not bytes")
    if not path:
        raise FileError("''", "the path is empty")
    if "\x00" in path:
        raise FileError(display(path), "the path holds a NUL character; no file is named so")
    try:
        os.fsencode(path)
    except UnicodeError:
        raise FileError(
            display(path), "the path holds characters the file system cannot encode"
        ) from None
    return path


def check_limit(field: str, value: object) -> int:
    """Return `value` if it is a size limit in bytes (0 to :data:`MAX_LIMIT`)."""
    return check_int(field, value, 0, MAX_LIMIT)


def display(path: str) -> str:
    """`path` as it is shown in messages: itself, or shortened when it is long or holds
    characters a terminal would act on."""
    if len(path) <= 4096 and path.isprintable():
        return path
    return short_repr(path)


def _reason(exc: OSError, path: str, writing: bool) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is not a folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        if writing:
            parent = str(Path(path).parent)
            return f"the folder {display(parent)!r} does not exist"
        return "no such file"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    verb = "write" if writing else "read"
    return f"cannot {verb}: {exc.strerror or type(exc).__name__}"


def file_error(path: str, exc: OSError, *, writing: bool = False) -> FileError:
    """The :class:`~gridgov.errors.FileError` that stands for `exc` on `path`."""
    return FileError(display(path), _reason(exc, path, writing))


def too_large(path: str | None, limit: int, size: int | None = None) -> DocumentError:
    """The error of a document over its size limit."""
    if size is None:
        text = f"document is over the limit of {limit} bytes"
    else:
        text = f"document is {size} bytes, over the limit of {limit}"
    return DocumentError([Problem("", text)], None if path is None else display(path))


def read_bytes(
    path: str, limit: int, *, check_head: Callable[[bytearray], bool] | None = None
) -> bytearray:
    """Read the file at `path`, refusing it once it is over `limit` bytes.

    Reads in chunks and stops as soon as `limit` is passed, so a device, a FIFO or a
    pipe costs at most `limit` plus one chunk; a regular file larger than `limit` is
    refused before it is read. `check_head` (if given) sees the bytes read so far after
    each chunk until it returns true (it has seen enough), and may raise to refuse the
    file early.

    Raises
    ------
    FileError
        If the file cannot be opened or read.
    DocumentError
        If it is over `limit`, or `check_head` refuses it.
    """
    try:
        with open(path, "rb", buffering=0) as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):  # pragma: no cover - open() refuses it first
                raise FileError(display(path), "is a directory, not a file")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise too_large(path, limit, info.st_size)
            buf = bytearray()
            head = check_head
            while True:
                chunk = f.read(min(CHUNK, limit + 1 - len(buf)))
                if not chunk:
                    break
                buf += chunk
                if head is not None and head(buf):
                    head = None
                if len(buf) > limit:
                    raise too_large(path, limit)
    except DocumentError:
        raise
    except OSError as exc:
        raise file_error(path, exc) from None
    return buf


def write_bytes(path: str, data: bytes) -> None:
    """Write `data` to the file at `path` (replaced if it exists).

    Raises
    ------
    FileError
        If the file cannot be written: a missing folder, a directory, no permission, a
        full disk, ...
    """
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        raise file_error(path, exc, writing=True) from None


def check_writable(path: str) -> None:
    """Refuse an output path that cannot be written, before any work is spent on it.

    Raises
    ------
    FileError
        If `path` is a directory, its folder does not exist, or it cannot be written.
    """
    target = Path(path)
    try:
        if target.is_dir():
            raise FileError(display(path), "is a directory, not a file")
        parent = target.parent
        if not parent.is_dir():
            raise FileError(display(path), f"the folder {display(str(parent))!r} does not exist")
        writable = os.access(parent, os.W_OK) and (
            not target.exists() or os.access(target, os.W_OK)
        )
    except OSError as error:  # a name too long, a loop of links, ...
        raise FileError(display(path), _reason(error, path, writing=True)) from None
    if not writable:
        raise FileError(display(path), "permission denied")
