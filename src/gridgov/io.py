"""Reading and writing the JSON document format.

:func:`load` reads a document (a path, or already-parsed data) into a
:class:`~gridgov.model.Jurisdiction`; :func:`dump` writes one out as JSON-ready data in
canonical order; :func:`loads` and :func:`dumps` do the same with JSON text, and
:func:`save` writes a file. :func:`parse` stops half-way, at the typed but not
cross-checked :class:`~gridgov.model.document.Document` that tolerant validation reads.

Everything that goes wrong with a document raises :class:`~gridgov.errors.DocumentError`
listing each problem with its JSON path: bad JSON, wrong types, unknown keys, levels or
schemes, broken references, and absurd input (over :data:`MAX_DOCUMENT_BYTES`, nesting
too deep for the parser).

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
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from gridgov.converters import converter, structure_scheme, try_structure, unstructure
from gridgov.errors import DocumentError, InvalidValueError, Problem, short_repr
from gridgov.model.document import FORMAT_VERSION, Document, build, document_of
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import MAX_SETTING, Policy
from gridgov.model.scheme import FIVE_LEVEL
from gridgov.model.values import (
    MAX_ID_LENGTH,
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
    "MAX_DOCUMENT_BYTES",
    "MAX_PROBLEMS",
    "dump",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "parse",
    "read",
    "save",
]

MAX_DOCUMENT_BYTES = 1 << 30
"""The largest document read by default (1 GiB); pass ``max_bytes`` to change it."""

MAX_PROBLEMS = 1000
"""At most this many problems are listed in one :class:`DocumentError`."""

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


def read(source: str | os.PathLike[str], *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Read and parse the JSON file at `source`, guarding against absurd input.

    Parameters
    ----------
    source : str or path-like
        The file.
    max_bytes : int
        Refuse files larger than this.

    Returns
    -------
    object
        The parsed JSON, not yet checked (see :func:`parse`).

    Raises
    ------
    DocumentError
        If the file is missing, unreadable, too large, not UTF-8, not JSON, or nested too
        deeply.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "doc.json")
    ...     _ = path.write_text('{"gridgov": "1"}', encoding="utf-8")
    ...     read(path)
    {'gridgov': '1'}
    >>> read("no/such/file.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: no/such/file.json: no such file
    """
    path = Path(source)
    name = str(source)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                [Problem("", f"document is {size} bytes, over the limit of {max_bytes}")], name
            )
        raw = path.read_bytes()
    except DocumentError:
        raise
    except FileNotFoundError:
        raise DocumentError([Problem("", "no such file")], name) from None
    except IsADirectoryError:
        raise DocumentError([Problem("", "is a directory, not a file")], name) from None
    except OSError as exc:
        raise DocumentError([Problem("", f"cannot read: {exc.strerror or exc}")], name) from None
    return _parse_json(raw, name, max_bytes)


def _parse_json(raw: str | bytes, source: str | None, max_bytes: int) -> Any:
    if not isinstance(raw, str | bytes | bytearray):
        raise InvalidValueError("text", raw, "expected JSON text (str or bytes)")
    if len(raw) > max_bytes:
        raise DocumentError(
            [Problem("", f"document is {len(raw)} bytes, over the limit of {max_bytes}")], source
        )
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise DocumentError([Problem("", "not UTF-8 text")], source) from None
    except json.JSONDecodeError as exc:
        problem = Problem("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        raise DocumentError([problem], source) from None
    except RecursionError:
        raise DocumentError([Problem("", "nested too deeply")], source) from None


def parse(data: Any, *, source: str | None = None) -> Document:
    """Check the types of parsed JSON `data` and return its records as a :class:`Document`.

    References between records are not checked here (see
    :func:`gridgov.model.document.build`).

    Raises
    ------
    DocumentError
        Listing each problem (wrong type, missing or unknown key, unknown level, scheme,
        role, status, category, bad date, ...) with its JSON path.

    Examples
    --------
    >>> parse({"gridgov": "1", "organizations": [{"id": "S1", "level": "town"}]})
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: organizations[0].name: is required
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise DocumentError(
            [Problem("", f"a document must be a JSON object (got {type(data).__name__})")], source
        )
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(Problem(str(key), "unknown key"))
    version = data.get("gridgov")
    if version != FORMAT_VERSION:
        problems.append(
            Problem("gridgov", f"must be the format version {FORMAT_VERSION!r} (got {version!r})")
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
            hh = item.pop("households")
            if isinstance(hh, list) and all(
                isinstance(h, str) and 0 < len(h) <= MAX_ID_LENGTH for h in hh
            ):
                households = tuple(hh)
            else:
                problems.append(
                    Problem(
                        f"{path}.households",
                        f"must be a list of household ids of 1-{MAX_ID_LENGTH} characters",
                    )
                )
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
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], Problem("", "too many problems; stopped listing")]
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


def _items(data: Mapping[str, Any], key: str, problems: list[Problem]) -> list[tuple[int, Any]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem(key, f"must be a list (got {type(value).__name__})"))
        return []
    return list(enumerate(value))


def _records(data: Mapping[str, Any], key: str, cls: type, problems: list[Problem]) -> list[Any]:
    """Structure the list `key` of `cls` records: in one call when all are well formed (the
    common case, several times faster), else record by record to name each problem."""
    value = data.get(key)
    if isinstance(value, list) and all(isinstance(item, Mapping) for item in value):
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


def _field(value: Any, path: str, problems: list[Problem], cls: type = dt.date) -> Any:
    found: list[Problem]
    result, found = try_structure(value, cls, path)
    problems.extend(found)
    return result


def _record(item: Any, cls: type, path: str, problems: list[Problem]) -> Any:
    if not isinstance(item, Mapping):
        problems.append(Problem(path, f"must be an object (got {type(item).__name__})"))
        return None
    value, found = try_structure(item, cls, path)
    problems.extend(found)
    return value


def load(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    ids: IdFactory | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Jurisdiction:
    """Load a jurisdiction from a document file, or from already-parsed JSON data.

    Parameters
    ----------
    source : path or mapping
        A path to a JSON document, or the parsed document itself.
    ids : IdFactory, optional
        The id factory of the new jurisdiction.
    max_bytes : int
        Refuse files larger than this.

    Returns
    -------
    Jurisdiction
        Built by one event per record; ``load(dump(j)) == j``.

    Raises
    ------
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
    gridgov.errors.DocumentError: no/such/file.json: no such file
    """
    name: str | None = None
    if isinstance(source, str | os.PathLike):
        name = str(source)
        data: Any = read(source, max_bytes=max_bytes)
    else:
        data = source  # parsed JSON: parse() refuses anything but an object
    return build(parse(data, source=name), ids=ids, source=name, policy=_default_policy())


def _default_policy() -> Policy:
    """The default policy knowing the settings of the installed plugins."""
    from gridgov import plugins

    return plugins.default_policy()


def loads(text: str | bytes, *, ids: IdFactory | None = None) -> Jurisdiction:
    """Load a jurisdiction from JSON text.

    Examples
    --------
    >>> loads('{"gridgov": "1"}').version
    0
    >>> loads("{")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2
    """
    data = _parse_json(text, None, MAX_DOCUMENT_BYTES)
    return build(parse(data), ids=ids, policy=_default_policy())


def dump(j: Jurisdiction) -> dict[str, Any]:
    """Return `j` as a document: JSON-ready data in canonical order.

    ``dump(load(doc)) == doc`` for a document already in canonical order, and
    ``load(dump(j)) == j`` always.

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


def dumps(j: Jurisdiction, *, indent: int | None = 2) -> str:
    """Return `j` as JSON text (UTF-8 characters kept as they are).

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    indent : int or None
        The indent of nested values; ``None`` writes one line.

    Examples
    --------
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "南沙街道党工委")
    >>> text = dumps(j, indent=None)
    >>> text[:60]
    '{"gridgov": "1", "scheme": "five-level", "organizations": [{'
    >>> "南沙街道党工委" in text, loads(text) == j
    (True, True)
    """
    return json.dumps(dump(j), ensure_ascii=False, indent=indent)


def save(j: Jurisdiction, path: str | os.PathLike[str], *, indent: int | None = 2) -> None:
    """Write `j` as a JSON document to `path` (UTF-8, ending with a newline).

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    path : str or path-like
        The file to write (replaced if it exists).
    indent : int or None
        As in :func:`dumps`.

    Examples
    --------
    >>> import tempfile
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "南沙街道党工委")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(j, Path(tmp, "district.json"))
    ...     load(Path(tmp, "district.json")) == j
    True
    """
    Path(path).write_text(dumps(j, indent=indent) + "\n", encoding="utf-8")


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
    if not isinstance(plugins, bool):
        raise InvalidValueError("plugins", plugins, "must be True or False")
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
