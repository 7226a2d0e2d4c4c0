"""Reading and writing the JSON document format.

:func:`load` reads a document (a path, or already-parsed data) into a
:class:`~gridgov.model.Jurisdiction`; :func:`dump` writes one out as JSON-ready data in
canonical order; :func:`loads` and :func:`dumps` do the same with JSON text, and
:func:`save` writes a file. :func:`parse` stops half-way, at the typed but not
cross-checked :class:`~gridgov.model.document.Document` that tolerant validation reads.

Everything that goes wrong with a document raises :class:`~gridgov.errors.DocumentError`
listing each problem with its JSON path (at most :data:`MAX_PROBLEMS` of them: collecting
stops there): bad JSON, wrong types, unknown keys, levels or schemes, broken references,
values out of their bounds (:mod:`gridgov.limits`), and absurd input: over
:data:`MAX_DOCUMENT_BYTES` (or ``max_bytes``), nested more than 1024 levels deep, not
UTF-8, a lone surrogate, a number beyond a double. A file that cannot be opened is a
:class:`~gridgov.errors.FileError`.

JSON is read and written with orjson: it refuses what the format cannot hold (nesting
over 1024 levels, lone surrogates, ``NaN``, numbers beyond a double) while it parses,
and is several times faster than the standard library's ``json``.

Examples
--------
>>> j = load({
...     "gridgov": "1",
...     "organizations": [
...         {"id": "S1", "level": "street", "name": "南沙街道党工委"},
...         {"id": "C1", "level": "community", "name": "金沙社区党委", "parent": "S1"},
...     ],
... })
>>> j.graph.counts()["community"]
1
>>> dump(j)["organizations"][1]
{'id': 'C1', 'level': 'community', 'name': '金沙社区党委', 'parent': 'S1'}
>>> load({"gridgov": "1", "scheme": "nine-level"})
Traceback (most recent call last):
...
gridgov.errors.DocumentError: scheme: unknown scheme; presets are ['five-level', 'three-level'] (got 'nine-level')
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from typing import Any, NoReturn

import orjson

from gridgov import _files
from gridgov.converters import converter, key_text, structure_scheme, try_structure, unstructure
from gridgov.errors import DocumentError, InvalidValueError, Problem, short_repr
from gridgov.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_ID_LENGTH,
    MAX_INDENT,
    MAX_ITEMS,
    MAX_PROBLEMS,
    check_flag,
    check_id_text,
    check_int,
)
from gridgov.model.document import FORMAT_VERSION, Document, build, document_of
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import MAX_SETTING, Policy
from gridgov.model.scheme import FIVE_LEVEL
from gridgov.model.values import (
    Attachment,
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    Person,
    Post,
    Registration,
)

__all__ = [
    "LOAD_STAGES",
    "MAX_DOCUMENT_BYTES",
    "MAX_PROBLEMS",
    "SAVE_STAGES",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "parse",
    "read",
    "save",
]

_TOP_KEYS = (
    "gridgov",
    "scheme",
    "as_of",
    "policy",
    "organizations",
    "people",
    "households",
    "cooperatives",
    "registrations",
    "filings",
    "claims",
    "posts",
    "attachments",
    "tenures",
)

_RECORDS: tuple[tuple[str, type], ...] = (
    ("people", Person),
    ("households", Household),
    ("cooperatives", Cooperative),
    ("registrations", Registration),
    ("filings", Filing),
    ("claims", Claim),
    ("posts", Post),
    ("attachments", Attachment),
    ("tenures", Post),
)

_JSON_DEPTH = 1024  # orjson's limit

# -- reading JSON ------------------------------------------------------------------------------


def read(source: str | os.PathLike[str], *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Read and parse the JSON document at `source`, guarding against absurd input.

    The file is read in chunks up to `max_bytes`, whatever it is: a regular file larger
    than the limit is refused before it is read, and a device, FIFO or pipe is refused
    as soon as it passes the limit (or at once, when its first bytes cannot start a
    document: not UTF-8 JSON text starting with ``{``).

    Parameters
    ----------
    source : str or path-like
        The file.
    max_bytes : int
        Refuse files larger than this (default :data:`MAX_DOCUMENT_BYTES`, 1 GiB).

    Returns
    -------
    dict
        The parsed JSON object, not yet checked (see :func:`parse`).

    Raises
    ------
    FileError
        If the file is missing, a directory, unreadable, or its path holds a NUL.
    DocumentError
        If it is too large, not UTF-8, not JSON, not a JSON object, nested too deeply,
        or holds a lone surrogate or an out-of-range number.
    InvalidValueError
        If `source` is not a path or `max_bytes` not a size.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "doc.json")
    ...     _ = path.write_text('{"gridgov": "1"}', encoding="utf-8")
    ...     read(path)
    {'gridgov': '1'}
    >>> read("no/such/file.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.FileError: no/such/file.json: no such file
    """
    path = _files.check_path("source", source)
    limit = _files.check_limit("max_bytes", max_bytes)

    def head(buf: bytearray) -> bool:
        return _check_head(buf, path)

    raw = _files.read_bytes(path, limit, check_head=head)
    return _parse_json(raw, path, limit)


_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)
_NOT_WHITESPACE = re.compile(rb"[^ \t\r\n]")
_NOT_WHITESPACE_TEXT = re.compile(r"[^ \t\r\n]")


def _check_head(buf: bytes | bytearray | memoryview, source: str | None) -> bool:
    """Refuse text that cannot start a document, from its first bytes; return whether
    enough was seen (the first byte that is not white space)."""
    head = bytes(buf[:4])
    for bom, name in _OTHER_BOMS:
        if head.startswith(bom):
            _refuse(
                f"the document is {name} text; documents are UTF-8: convert it first",
                source,
            )
    start = len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0
    if b"\x00" in head[start:]:
        _refuse(
            "not UTF-8 text: it holds NUL bytes (UTF-16 or UTF-32 text, or not text at all); "
            "documents are UTF-8",
            source,
        )
    first = _NOT_WHITESPACE.search(buf, start)
    if first is None:
        return False
    char = buf[first.start()]
    if char != ord("{"):
        what = repr(chr(char)) if 32 <= char < 127 else f"the byte 0x{char:02x}"
        _refuse(f"a document must be a JSON object (it starts with {what})", source)
    return True


def _refuse(message: str, source: str | None, path: str = "") -> NoReturn:
    raise DocumentError([Problem(path, message)], source)


def _parse_json(raw: object, source: str | None, max_bytes: int) -> Any:
    if isinstance(raw, str):
        if len(raw) > max_bytes:
            _refuse(f"document is {len(raw)} characters, over the limit of {max_bytes}", source)
        chars = raw[1:] if raw.startswith("\ufeff") else raw
        first = _NOT_WHITESPACE_TEXT.search(chars)
        if first is not None and first.group() != "{":
            _refuse(f"a document must be a JSON object (it starts with {first.group()!r})", source)
        text: str | memoryview = chars
    elif isinstance(raw, bytes | bytearray | memoryview):
        view = memoryview(raw).cast("B") if isinstance(raw, memoryview) else memoryview(raw)
        if len(view) > max_bytes:
            _refuse(f"document is {len(view)} bytes, over the limit of {max_bytes}", source)
        _check_head(view, source)
        text = view[len(_UTF8_BOM) :] if bytes(view[:3]) == _UTF8_BOM else view
    else:
        raise InvalidValueError("text", raw, "expected JSON text (str or bytes)")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        _explain(exc, text, source)


def _explain(exc: orjson.JSONDecodeError, text: str | memoryview, source: str | None) -> NoReturn:
    """Raise the DocumentError that says what orjson refused, and where."""
    msg = exc.msg
    where = f"at line {exc.lineno} column {exc.colno}"
    if msg == "depth limit exceeded":
        _refuse(f"nested too deeply (more than {_JSON_DEPTH} levels) {where}", source)
    if "UTF-8" in msg:
        if isinstance(text, str):
            _lone_surrogate(text, source)
        _not_utf8(text, source)
    if "surrogate" in msg:
        _lone_surrogate(text, source, where)
    if "infinity" in msg:
        _refuse(f"a number too large for a double (it would be infinite) {where}", source)
    if "empty" in msg:
        _refuse("not valid JSON: the document is empty", source)
    _refuse(f"not valid JSON: {msg} {where}", source)


def _not_utf8(text: memoryview, source: str | None) -> NoReturn:
    try:
        bytes(text).decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = bytes(text[exc.start : exc.start + 1])[0]
        _refuse(
            f"not UTF-8 text: byte {exc.start} (0x{bad:02x}) is not UTF-8; "
            "documents are UTF-8: convert the file first (from GBK or GB18030, say)",
            source,
        )
    _refuse("not UTF-8 text", source)  # pragma: no cover - orjson and Python agree


def _lone_surrogate(text: str | memoryview, source: str | None, where: str = "") -> NoReturn:
    """Name the JSON path of the first string holding a lone surrogate.

    orjson refuses it without a path: the standard library's parser, which accepts it,
    reads the document again to find where it is (on this error path only).
    """
    reason = "must be valid Unicode text: it holds a lone surrogate (a \\ud800-\\udfff escape)"
    try:
        data = json.loads(
            text if isinstance(text, str) else bytes(text),
            parse_constant=_no_constant,
            parse_int=_bounded_int,
        )
    except (ValueError, RecursionError):
        _refuse(f"{reason} {where}".strip(), source)
    path = _surrogate_path(data)
    _refuse(reason, source, path if path is not None else "")


def _no_constant(name: str) -> NoReturn:
    raise ValueError(name)


def _bounded_int(digits: str) -> int:
    if len(digits) > 20:
        raise ValueError(digits)
    return int(digits)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_path(data: Any) -> str | None:
    """The JSON path of the first string (key or value) holding a lone surrogate."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return path
        elif isinstance(value, dict):
            items = list(value.items())
            for key, item in reversed(items):
                sub = f"{path}.{key_text(key)}" if path else key_text(key)
                if _SURROGATE.search(key):
                    return sub
                stack.append((sub, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None  # pragma: no cover - only called after a surrogate was refused


# -- checking the shape ------------------------------------------------------------------------


class _FullError(Exception):
    """Collecting problems reached :data:`MAX_PROBLEMS`."""


class _Problems(list[Problem]):
    """A list of problems that stops the reading once it holds :data:`MAX_PROBLEMS`."""

    def append(self, problem: Problem) -> None:
        super().append(problem)
        if len(self) >= MAX_PROBLEMS:
            raise _FullError

    def extend(self, problems: Any) -> None:
        for problem in problems:
            self.append(problem)


_TOO_MANY = Problem("", "too many problems; stopped listing")


def parse(data: Any, *, source: str | None = None) -> Document:
    """Check the types of parsed JSON `data` and return its records as a :class:`Document`.

    References between records are not checked here (see
    :func:`gridgov.model.document.build`). Every value is checked against its bounds
    (:mod:`gridgov.limits`); a list longer than :data:`~gridgov.limits.MAX_ITEMS` is
    refused before its items are read, and collecting problems stops at
    :data:`MAX_PROBLEMS`.

    Parameters
    ----------
    data : mapping
        The document, as :func:`read` returns it (or built in Python).
    source : str, optional
        A file name to prefix error messages with.

    Raises
    ------
    DocumentError
        Listing each problem (wrong type, missing or unknown key, unknown level, scheme,
        role, status, category, bad date, out-of-range value, ...) with its JSON path.

    Examples
    --------
    >>> parse({"gridgov": "1", "organizations": [{"id": "S1", "level": "town"}]})
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: organizations[0].name: is required
    """
    if source is not None and not isinstance(source, str):
        raise InvalidValueError("source", source, "must be a file name (a string) or None")
    if not isinstance(data, Mapping):
        _refuse(f"a document must be a JSON object (got {type(data).__name__})", source)
    problems = _Problems()
    try:
        return _parse(data, problems, source)
    except _FullError:
        raise DocumentError([*problems, _TOO_MANY], source) from None


def _parse(data: Mapping[Any, Any], problems: _Problems, source: str | None) -> Document:
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(Problem(key_text(key), "unknown key"))
    version = data.get("gridgov")
    if "gridgov" not in data:
        problems.append(Problem("gridgov", f"is missing; expected {FORMAT_VERSION!r}"))
    elif version != FORMAT_VERSION:
        problems.append(
            Problem("gridgov", f"must be {FORMAT_VERSION!r} (got {short_repr(version)})")
        )

    scheme = FIVE_LEVEL
    if "scheme" in data:
        try:
            scheme = structure_scheme(data["scheme"])
        except InvalidValueError as exc:
            problems.append(Problem(exc.field, f"{exc.reason} (got {short_repr(exc.value)})"))
    as_of = None
    if data.get("as_of") is not None:
        as_of = _field(data["as_of"], "as_of", problems)
    policy = Policy()
    if "policy" in data:
        policy = _field(data["policy"], "policy", problems, Policy) or policy

    organizations: list[Organization] = []
    zone_households: list[tuple[str, ...]] = []
    for i, item in _items(data, "organizations", problems):
        path = f"organizations[{i}]"
        households: tuple[str, ...] = ()
        if isinstance(item, Mapping) and "households" in item:
            item = dict(item)
            households = _household_ids(item.pop("households"), f"{path}.households", problems)
        org = _record(item, Organization, path, problems)
        if org is None:
            continue
        if org.level not in scheme:
            problems.append(
                Problem(
                    f"{path}.level",
                    f"unknown level {org.level!r}; the scheme's levels are {list(scheme.levels)}",
                )
            )
            continue
        if households and org.level != scheme.zone_level:
            problems.append(
                Problem(
                    f"{path}.households",
                    f"only {scheme.zone_level!r} organizations list households",
                )
            )
        organizations.append(org)
        zone_households.append(households)

    records: dict[str, list[Any]] = {}
    for key, cls in _RECORDS:
        records[key] = _records(data, key, cls, problems)
    if problems:
        raise DocumentError(problems, source)
    return Document(
        scheme=scheme,
        as_of=as_of,
        policy=policy,
        organizations=tuple(organizations),
        zone_households=tuple(zone_households),
        people=tuple(records["people"]),
        households=tuple(records["households"]),
        cooperatives=tuple(records["cooperatives"]),
        registrations=tuple(records["registrations"]),
        filings=tuple(records["filings"]),
        claims=tuple(records["claims"]),
        posts=tuple(records["posts"]),
        attachments=tuple(records["attachments"]),
        tenures=tuple(records["tenures"]),
    )


def _household_ids(value: Any, path: str, problems: _Problems) -> tuple[str, ...]:
    """The household ids a zone lists (checked like ids, in one pass when all are fine)."""
    reason = f"must be a list of household ids of 1-{MAX_ID_LENGTH} characters"
    if not isinstance(value, list):
        problems.append(Problem(path, f"{reason} (got {type(value).__name__})"))
        return ()
    if len(value) > MAX_ITEMS:
        problems.append(Problem(path, f"must have at most {MAX_ITEMS} items (got {len(value)})"))
        return ()
    if all(isinstance(h, str) and 0 < len(h) <= MAX_ID_LENGTH and h.isprintable() for h in value):
        return tuple(value)
    for k, h in enumerate(value):
        try:
            check_id_text(f"[{k}]", h)
        except InvalidValueError as exc:
            problems.append(Problem(path, f"{reason}: [{k}] {exc.reason} (got {short_repr(h)})"))
            return ()
    return tuple(value)


def _items(data: Mapping[str, Any], key: str, problems: _Problems) -> Iterator[tuple[int, Any]]:
    value = data.get(key)
    if value is None:
        return iter(())
    if not isinstance(value, list):
        problems.append(Problem(key, f"must be a list (got {type(value).__name__})"))
        return iter(())
    if len(value) > MAX_ITEMS:
        problems.append(Problem(key, f"must have at most {MAX_ITEMS} items (got {len(value)})"))
        return iter(())
    return enumerate(value)


def _records(data: Mapping[str, Any], key: str, cls: type, problems: _Problems) -> list[Any]:
    """Structure the list `key` of `cls` records: in one call when all are well formed (the
    common case, several times faster), else record by record to name each problem."""
    value = data.get(key)
    if (
        isinstance(value, list)
        and len(value) <= MAX_ITEMS
        and all(isinstance(item, Mapping) for item in value)
    ):
        try:
            records: list[Any] = converter.structure(value, list[cls])  # type: ignore[valid-type]
            return records
        except Exception:
            pass
    out = []
    for i, item in _items(data, key, problems):
        record = _record(item, cls, f"{key}[{i}]", problems)
        if record is not None:
            out.append(record)
    return out


def _field(value: Any, path: str, problems: _Problems, cls: type = dt.date) -> Any:
    found: list[Problem]
    result, found = try_structure(value, cls, path)
    problems.extend(found)
    return result


def _record(item: Any, cls: type, path: str, problems: _Problems) -> Any:
    if not isinstance(item, Mapping):
        problems.append(Problem(path, f"must be an object (got {type(item).__name__})"))
        return None
    value, found = try_structure(item, cls, path)
    problems.extend(found)
    return value


LOAD_STAGES = ("read", "parse", "build")
"""The stages :func:`load` reports to its ``progress`` callback, in order."""

SAVE_STAGES = ("encode", "write")
"""The stages :func:`save` reports to its ``progress`` callback, in order."""


def _check_progress(progress: object) -> Callable[[str, int, int], None] | None:
    if progress is not None and not callable(progress):
        raise InvalidValueError(
            "progress", progress, "must be a callable progress(stage, index, total) or None"
        )
    return progress


def load(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    ids: IdFactory | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    progress: Callable[[str, int, int], None] | None = None,
) -> Jurisdiction:
    """Load a jurisdiction from a document file, or from already-parsed JSON data.

    Parameters
    ----------
    source : path or mapping
        A path to a JSON document, or the parsed document itself.
    ids : IdFactory, optional
        The id factory of the new jurisdiction.
    max_bytes : int
        Refuse files larger than this (see :func:`read`).
    progress : callable, optional
        Called as ``progress(stage, index, total)`` as each stage of
        :data:`LOAD_STAGES` starts, and as ``progress("done", total, total)`` at the
        end (the ``gridgov`` command draws a progress bar with it). Nothing is called
        after an error.

    Returns
    -------
    Jurisdiction
        Built by one event per record; ``load(dump(j)) == j``.

    Raises
    ------
    FileError
        If the file cannot be opened.
    DocumentError
        If the document cannot be read, is malformed, or breaks structural integrity.

    See Also
    --------
    dump, parse

    Examples
    --------
    >>> load("no/such/file.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.FileError: no/such/file.json: no such file
    >>> seen = []
    >>> _ = load({"gridgov": "1"}, progress=lambda stage, i, n: seen.append(f"{i}/{n} {stage}"))
    >>> seen
    ['0/3 read', '1/3 parse', '2/3 build', '3/3 done']
    """
    name: str | None = None
    limit = _files.check_limit("max_bytes", max_bytes)
    if ids is not None and not callable(ids):
        raise InvalidValueError("ids", ids, "must be an id factory: ids(kind, parent, taken)")
    report = _check_progress(progress) or _no_progress
    total = len(LOAD_STAGES)
    report("read", 0, total)
    if isinstance(source, str | os.PathLike):
        data: Any = read(source, max_bytes=limit)
        name = _files.display(os.fspath(source))
    else:
        data = source  # parsed JSON: parse() refuses anything but an object
    report("parse", 1, total)
    document = parse(data, source=name)
    del data
    report("build", 2, total)
    j = build(document, ids=ids, source=name, policy=_default_policy())
    report("done", total, total)
    return j


def _no_progress(stage: str, index: int, total: int) -> None:
    """The progress callback of a caller who gave none."""


def _default_policy() -> Policy:
    """The default policy knowing the settings of the installed plugins."""
    from gridgov import plugins

    return plugins.default_policy()


def loads(text: str | bytes, *, ids: IdFactory | None = None) -> Jurisdiction:
    """Load a jurisdiction from JSON text.

    Parameters
    ----------
    text : str or bytes
        The document (bytes: UTF-8, a byte order mark allowed), at most
        :data:`MAX_DOCUMENT_BYTES` long.
    ids : IdFactory, optional
        The id factory of the new jurisdiction.

    Raises
    ------
    DocumentError
        As :func:`load`.

    Examples
    --------
    >>> loads('{"gridgov": "1"}').version
    0
    >>> loads("{")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: not valid JSON: unexpected end of data at line 1 column 2
    """
    if ids is not None and not callable(ids):
        raise InvalidValueError("ids", ids, "must be an id factory: ids(kind, parent, taken)")
    data = _parse_json(text, None, MAX_DOCUMENT_BYTES)
    return build(parse(data), ids=ids, policy=_default_policy())


# -- writing ------------------------------------------------------------------------------------


def dump(j: Jurisdiction) -> dict[str, Any]:
    """Return `j` as a document: JSON-ready data in canonical order.

    ``dump(load(doc)) == doc`` for a document already in canonical order, and
    ``load(dump(j)) == j`` always.

    Raises
    ------
    InvalidValueError
        If `j` is not a :class:`~gridgov.model.Jurisdiction`.

    Examples
    --------
    >>> j = Jurisdiction()
    >>> dump(j)
    {'gridgov': '1', 'scheme': 'five-level', 'organizations': [], 'people': [], 'cooperatives': [], 'registrations': [], 'filings': [], 'claims': [], 'posts': []}
    """
    return _dump(j)


def _dump(j: Jurisdiction) -> dict[str, Any]:
    doc = document_of(j)
    out: dict[str, Any] = {"gridgov": FORMAT_VERSION, "scheme": unstructure(doc.scheme)}
    if doc.as_of is not None:
        out["as_of"] = doc.as_of.isoformat()
    overrides = doc.policy.overrides()
    if overrides:
        out["policy"] = overrides
    orgs = []
    for org, households in zip(doc.organizations, doc.zone_households, strict=True):
        item = unstructure(org)
        if households:
            item["households"] = list(households)
        orgs.append(item)
    out["organizations"] = orgs
    out["people"] = unstructure(list(doc.people))
    if doc.households:
        out["households"] = unstructure(list(doc.households))
    for key in ("cooperatives", "registrations", "filings", "claims", "posts"):
        out[key] = unstructure(list(getattr(doc, key)))
    for key in ("attachments", "tenures"):  # optional sections: written when not empty
        records = getattr(doc, key)
        if records:
            out[key] = unstructure(list(records))
    return out


def _check_indent(indent: object) -> int | None:
    if indent is None:
        return None
    return check_int("indent", indent, 0, MAX_INDENT)


def _encode(j: Jurisdiction, indent: int | None) -> bytes:
    """`j` as UTF-8 JSON text: orjson for one line or an indent of 2 (the default), the
    standard library for other indents (the same text, written more slowly)."""
    data = dump(j)
    try:
        if indent is None:
            return orjson.dumps(data)
        if indent == 2:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2)
        return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8")
    except (TypeError, ValueError) as exc:  # pragma: no cover - every value was checked
        raise InvalidValueError("j", j, f"cannot be written as JSON: {exc}") from None


def dumps(j: Jurisdiction, *, indent: int | None = 2) -> str:
    """Return `j` as JSON text (UTF-8 characters kept as they are).

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    indent : int or None
        The indent of nested values, 0 to :data:`~gridgov.limits.MAX_INDENT` spaces;
        ``None`` writes one line without spaces.

    Raises
    ------
    InvalidValueError
        If `j` is not a jurisdiction, or `indent` is not ``None`` or a small integer.

    Examples
    --------
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "南沙街道党工委")
    >>> text = dumps(j, indent=None)
    >>> text[:60]
    '{"gridgov":"1","scheme":"five-level","organizations":[{"id":'
    >>> "南沙街道党工委" in text, loads(text) == j
    (True, True)
    >>> dumps(j, indent=10**12)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: indent: must be an integer from 0 to 16 (got 1000000000000)
    """
    return _encode(j, _check_indent(indent)).decode("utf-8")


def save(
    j: Jurisdiction,
    path: str | os.PathLike[str],
    *,
    indent: int | None = 2,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Write `j` as a JSON document to `path` (UTF-8, ending with a newline).

    Every argument is checked, and the text made, before the file is opened.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    path : str or path-like
        The file to write (replaced if it exists).
    indent : int or None
        As in :func:`dumps`.
    progress : callable, optional
        Called as ``progress(stage, index, total)`` as each stage of
        :data:`SAVE_STAGES` starts, and as ``progress("done", total, total)`` at the end.

    Raises
    ------
    InvalidValueError
        If an argument is of the wrong type or out of range.
    FileError
        If the file cannot be written (a missing folder, a directory, no permission, a
        NUL in the path, a full disk, ...).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "南沙街道党工委")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(j, Path(tmp, "district.json"))
    ...     load(Path(tmp, "district.json")) == j
    True
    >>> save(j, "no/such/folder/district.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.FileError: no/such/folder/district.json: the folder 'no/such/folder' does not exist
    """
    where = _files.check_path("path", path)
    width = _check_indent(indent)
    report = _check_progress(progress) or _no_progress
    total = len(SAVE_STAGES)
    report("encode", 0, total)
    data = _encode(j, width)
    report("write", 1, total)
    _files.write_bytes(where, data + b"\n")
    report("done", total, total)


def json_schema(*, plugins: bool = True) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the document format.

    Parameters
    ----------
    plugins : bool
        Also list, among the policy's settings, those the installed plugins contribute
        (the packaged file lists the built-in ones).

    Examples
    --------
    >>> json_schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    check_flag("plugins", plugins)
    text = resources.files("gridgov").joinpath("schemas/document.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    if plugins:
        from gridgov import plugins as manager

        properties = schema["$defs"]["policy"]["properties"]
        owners = dict(manager.setting_owners())
        for name, setting in manager.catalogue().items():
            properties[name] = _setting_schema(setting, owners.get(name))
    return schema


def _setting_schema(setting: Any, plugin: str | None) -> dict[str, Any]:
    kind = {"boolean": "boolean", "integer": "integer", "number": "number"}.get(
        setting.kind, "string"
    )
    out: dict[str, Any] = {"type": kind}
    if kind == "integer":
        out["minimum"] = -MAX_SETTING if setting.minimum is None else setting.minimum
        out["maximum"] = MAX_SETTING if setting.maximum is None else setting.maximum
    if setting.choices is not None:
        out["enum"] = list(setting.choices)
    out["default"] = setting.default
    by = f" (a setting of the plugin {plugin!r})" if plugin else ""
    text = setting.doc or setting.name
    out["description"] = f"{text}{by}. Default {json.dumps(setting.default)}."
    return out
