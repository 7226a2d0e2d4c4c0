"""The bounds on every value gridgov accepts, in one place.

Every number, date, string and collection gridgov takes in, from a document, a settings
file or the arguments of a call, is checked against the limits below, and refused with
an :class:`~gridgov.errors.InvalidValueError` (a :class:`~gridgov.errors.DocumentError`
when it comes from a document) naming the field. The limits are far above anything a
real jurisdiction needs; what they keep out is the value that would crash, hang or
exhaust a process: an integer of a million digits, a nesting a thousand levels deep, a
lone surrogate that cannot be written out, a date whose term of office runs past the
calendar, an indent of a billion spaces.

The document format reference (``docs/reference/document-format.md``) lists, field by
field, which limit applies.

This module imports nothing from gridgov but its errors: every layer may use it.

Examples
--------
>>> check_int("top", 12, 0, MAX_ITEMS)
12
>>> check_int("top", 10**5000, 0, MAX_ITEMS)
Traceback (most recent call last):
...
gridgov.errors.InvalidValueError: top: must be an integer from 0 to 10000000 (got an integer of 5001 digits)
>>> check_text("name", "清湖第一经济社网格党支部")
'清湖第一经济社网格党支部'
>>> check_text("name", "\\ud800")
Traceback (most recent call last):
...
gridgov.errors.InvalidValueError: name: must be valid Unicode text: it holds a lone surrogate (got '\\ud800')
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from numbers import Real

from gridgov.errors import InvalidValueError

__all__ = [
    "MAX_COORDINATE",
    "MAX_COUNT",
    "MAX_DATE",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_EXTENSION_INTEGER",
    "MAX_ID_LENGTH",
    "MAX_INDENT",
    "MAX_ITEMS",
    "MAX_LEVELS",
    "MAX_PROBLEMS",
    "MAX_SECONDS",
    "MAX_SETTING",
    "MAX_SETTINGS_BYTES",
    "MAX_TEXT_LENGTH",
    "MAX_VERSION",
    "MAX_YEARS",
    "MEMORY_FACTOR",
    "MIN_DATE",
    "check_flag",
    "check_id_text",
    "check_ids",
    "check_int",
    "check_length",
    "check_number",
    "check_text",
]

# -- strings ----------------------------------------------------------------------------------

MAX_ID_LENGTH = 200
"""The longest id (of a record, a level, a unit, a setting's value) in characters."""

MAX_TEXT_LENGTH = 10_000
"""The longest text (a name, an address, a building, a string in extension data)."""

# -- numbers and dates ------------------------------------------------------------------------

MAX_SETTING = 1_000_000_000
"""The largest magnitude of a number in a policy, unless its declaration says less."""

MAX_COUNT = 1_000_000
"""The largest count a built-in policy setting may name (members, units, zones, ...)."""

MAX_YEARS = 100
"""The longest term of office, in years (``term_years_*``)."""

MAX_COORDINATE = 1e9
"""The largest magnitude of a household's coordinate (a point ``(x, y)``)."""

MAX_EXTENSION_INTEGER = 2**63 - 1
"""Numbers in extension data (``x-`` keys) lie within ±2**63: a 64-bit integer.

The JSON reader reads a larger integer as an approximate float; refusing every number
of that size means none is silently rounded."""

MAX_VERSION = 2**63 - 1
"""The largest version, position, schema version or read limit of stored events: a
64-bit integer, what a database column holds."""

MAX_SECONDS = 1e9
"""The longest wait or idle time given to a message bus, in seconds (about 31 years)."""

MIN_DATE = dt.date(1900, 1, 1)
"""The earliest date gridgov accepts."""

MAX_DATE = dt.date(2199, 12, 31)
"""The latest date gridgov accepts (a term of up to :data:`MAX_YEARS` from it stays a
date)."""

# -- structure ---------------------------------------------------------------------------------

MAX_LEVELS = 32
"""The most levels a scheme may have."""

MAX_DEPTH = 32
"""The deepest nesting of extension data (``x-`` values), counting its lists and objects.

The JSON reader itself refuses text nested more than 1024 levels deep."""

MAX_ITEMS = 10_000_000
"""The longest list in a document (records of a section, households of a zone, units)."""

MAX_DOCUMENT_BYTES = 1 << 30
"""The largest document read by default (1 GiB); ``max_bytes`` changes it per call."""

MAX_SETTINGS_BYTES = 1 << 20
"""The largest settings file (TOML) read (1 MiB)."""

MAX_PROBLEMS = 1000
"""At most this many problems are collected for one :class:`~gridgov.errors.DocumentError`;
collecting stops there."""

MAX_INDENT = 16
"""The widest indent :func:`gridgov.dumps` and :func:`gridgov.save` write."""

MEMORY_FACTOR = 30
"""Reading a document costs at most about this many times its size in memory.

The worst cases are documents of tiny objects (``[{}, {}, ...]``: three bytes of text
become a Python dict; 1.6 M bare households in one zone); the example documents and
simulated districts cost 10 to 15 times their size once loaded. ``max_bytes`` bounds the
size, hence the memory."""

# -- checks ------------------------------------------------------------------------------------

_BAD_ID = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _arguments(field: object, limit: object, name: str) -> None:
    """The helpers' own arguments: a field name, and a limit that is a size."""
    if not isinstance(field, str):
        raise InvalidValueError("field", field, "must be the name of a field (a string)")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidValueError(name, limit, "must be an integer >= 0")


def _text_problem(value: str, pattern: re.Pattern[str]) -> str | None:
    """What is wrong with the characters of `value`, or ``None``."""
    if value.isprintable():  # the common case, in C: no control or surrogate character
        return None
    bad = pattern.search(value)
    if bad is None:
        return None
    if _SURROGATE.match(bad.group()):
        return "must be valid Unicode text: it holds a lone surrogate"
    return f"must not hold control characters (U+{ord(bad.group()):04X})"


def check_text(field: str, value: object, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Return `value` if it is text gridgov accepts; raise otherwise.

    Text is a string of at most `max_length` characters of valid Unicode: no lone
    surrogate (``"\\ud800"``), which no UTF-8 file can hold. Unlike an id (see
    :func:`check_id_text`), text may hold control characters.

    Parameters
    ----------
    field : str
        Where the value was given, for the message.
    value : object
        The value.
    max_length : int
        The longest accepted.

    Returns
    -------
    str

    Raises
    ------
    InvalidValueError
        Naming `field`.

    Examples
    --------
    >>> check_text("address", "荔湾区\\n3栋")
    '荔湾区\\n3栋'
    >>> check_text("name", "x" * 10_001)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: name: must be at most 10000 characters (got 'xxxxxxxxxx...xxxxxxxxxx')
    """
    _arguments(field, max_length, "max_length")
    if not isinstance(value, str):
        raise InvalidValueError(field, value, "must be a string")
    if len(value) > max_length:
        raise InvalidValueError(field, value, f"must be at most {max_length} characters")
    problem = _text_problem(value, _SURROGATE)
    if problem is not None:
        raise InvalidValueError(field, value, problem)
    return value


def check_id_text(field: str, value: object, *, max_length: int = MAX_ID_LENGTH) -> str:
    """Return `value` if it can be an id (or a level, unit or setting name); raise otherwise.

    An id is a non-empty string of at most `max_length` characters, valid Unicode and
    without control characters (line and paragraph separators included).

    Raises
    ------
    InvalidValueError
        Naming `field`.

    Examples
    --------
    >>> check_id_text("org", "B1")
    'B1'
    >>> check_id_text("org", "B\\n1")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: org: must not hold control characters (U+000A) (got 'B\\n1')
    """
    _arguments(field, max_length, "max_length")
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidValueError(
            field, value, f"must be a non-empty string of at most {max_length} characters"
        )
    problem = _text_problem(value, _BAD_ID)
    if problem is not None:
        raise InvalidValueError(field, value, problem)
    return value


def check_flag(field: str, value: object) -> bool:
    """Return `value` if it is ``True`` or ``False``; raise otherwise (``1`` is not a flag).

    Examples
    --------
    >>> check_flag("pending", True)
    True
    >>> check_flag("pending", 1)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: pending: must be True or False (got 1)
    """
    if not isinstance(field, str):
        raise InvalidValueError("field", field, "must be the name of a field (a string)")
    if not isinstance(value, bool):
        raise InvalidValueError(field, value, "must be True or False")
    return value


def check_int(field: str, value: object, low: int, high: int) -> int:
    """Return `value` as an ``int`` if it is an integer from `low` to `high`; raise otherwise.

    Any integer type is accepted (numpy's included); ``True`` and ``False`` are not.

    Raises
    ------
    InvalidValueError
        Naming `field` and the range.

    Examples
    --------
    >>> check_int("indent", 2, 0, MAX_INDENT)
    2
    >>> check_int("indent", True, 0, MAX_INDENT)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: indent: must be an integer from 0 to 16 (got True)
    """
    if not isinstance(field, str):
        raise InvalidValueError("field", field, "must be the name of a field (a string)")
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, int) or abs(bound) > 2**64:
            raise InvalidValueError(name, bound, "must be an integer within ±2**64")
    reason = f"must be an integer from {low} to {high}"
    if isinstance(value, bool):
        raise InvalidValueError(field, value, reason)
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidValueError(field, value, reason) from None
    if not low <= number <= high:
        raise InvalidValueError(field, value, reason)
    return int(number)


def check_number(field: str, value: object, limit: float) -> float:
    """Return `value` as a ``float`` if it is a finite real number within ±`limit`.

    Raises
    ------
    InvalidValueError
        Naming `field`: not a number (``True`` and strings are not one), not finite, or
        too large (an integer too large for a float included).

    Examples
    --------
    >>> check_number("location", 12, MAX_COORDINATE)
    12.0
    >>> check_number("location", 10**400, MAX_COORDINATE)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: location: must be a finite number within ±1e+09 (got an integer of 401 digits)
    """
    if (
        type(value) is float
        and type(field) is str
        and type(limit) is float
        and -limit <= value <= limit  # the common case, fast (NaN fails the comparison)
    ):
        return value
    if not isinstance(field, str):
        raise InvalidValueError("field", field, "must be the name of a field (a string)")
    if (
        isinstance(limit, bool)
        or not isinstance(limit, int | float)
        or not 0 < limit <= 1e300  # NaN fails too
    ):
        raise InvalidValueError("limit", limit, "must be a number from 0 to 1e300")
    reason = f"must be a finite number within ±{limit:g}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidValueError(field, value, "must be a number")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise InvalidValueError(field, value, reason) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise InvalidValueError(field, value, reason)
    return number


def check_ids(field: str, value: object) -> tuple[str, ...]:
    """Return `value`, a list or tuple of ids (see :func:`check_id_text`), as a tuple.

    Raises
    ------
    InvalidValueError
        If `value` is not a list or tuple (a string, a mapping, a set are not), is longer
        than :data:`MAX_ITEMS`, or holds something that is not an id.

    Examples
    --------
    >>> check_ids("ids", ["B1", "P1"])
    ('B1', 'P1')
    >>> check_ids("ids", "B1")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: ids: must be a list of ids (got 'B1')
    """
    if not isinstance(field, str):
        raise InvalidValueError("field", field, "must be the name of a field (a string)")
    if not isinstance(value, list | tuple):
        raise InvalidValueError(field, value, "must be a list of ids")
    check_length(field, len(value))
    for item in value:
        check_id_text(field, item)
    return tuple(value)


def check_length(field: str, size: int, limit: int = MAX_ITEMS) -> None:
    """Refuse a collection of `size` items when it is longer than `limit`.

    Raises
    ------
    InvalidValueError
        Naming `field`.

    Examples
    --------
    >>> check_length("units", 3)
    >>> check_length("units", 12, 10)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: units: must have at most 10 items (got 12)
    """
    if type(size) is int and type(limit) is int and 0 <= size <= limit and type(field) is str:
        return  # the common case, fast
    _arguments(field, limit, "limit")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise InvalidValueError("size", size, "must be an integer >= 0")
    if size > limit:
        raise InvalidValueError(field, size, f"must have at most {limit} items")
