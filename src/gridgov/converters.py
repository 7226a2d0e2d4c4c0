"""The cattrs converter: every (un)structuring of gridgov values goes through here.

One :class:`cattrs.Converter` is configured in this module, and nowhere else: dates as
ISO strings, enums by value, category sets as sorted lists, schemes by preset name or
inline object, policies as their overrides, records with their ``x-`` extension keys
(a host's own fields, kept losslessly), events as objects tagged with their topic
(``"type"``) and, past version 1, their ``"schema_version"``. Unstructuring omits fields
left at their defaults, which keeps documents canonical. Structuring is strict: a number
where a string is expected is an error, not coerced.

Reading knows what the installed plugins contribute: the settings of a policy
(:func:`gridgov.plugins.catalogue`) and the event types by topic
(:func:`gridgov.plugins.event_types`); an event written at an older schema version is
turned into the current one by its class's ``upcasters``.

Examples
--------
>>> from gridgov.model import Person, PartyMembership, MemberFiled, Filing
>>> unstructure(Person("P1", "邹波", PartyMembership("full", {"sunk", "street_cadre"})))
{'id': 'P1', 'name': '邹波', 'party': {'status': 'full', 'categories': ['street_cadre', 'sunk']}}
>>> unstructure_event(MemberFiled(Filing("P5", "G1")))
{'type': 'MemberFiled', 'filing': {'person': 'P5', 'org': 'G1'}}
>>> structure_event({"type": "MemberFiled", "filing": {"person": "P5", "org": "G1"}})
MemberFiled(filing=Filing(person='P5', org='G1', date=None))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar, get_args, get_origin

import cattrs
from attrs import evolve
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from gridgov.errors import DocumentError, InvalidValueError, PolicyError, Problem, short_repr
from gridgov.limits import MAX_COORDINATE, MAX_PROBLEMS, check_length, check_number
from gridgov.model.enums import Category, Duty, MemberStatus, OrgKind, Role
from gridgov.model.events import Event
from gridgov.model.policy import Policy, Setting
from gridgov.model.scheme import SCHEMES, Scheme
from gridgov.model.values import (
    EXTENSION_PREFIX,
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    Person,
    Post,
    Registration,
    thaw,
    to_date,
)

__all__ = [
    "converter",
    "detailed_converter",
    "problems_of",
    "structure",
    "structure_event",
    "structure_policy",
    "structure_scheme",
    "try_structure",
    "unstructure",
    "unstructure_event",
    "unstructure_scheme",
    "upcast",
]

T = TypeVar("T")


detailed_converter = cattrs.Converter(
    forbid_extra_keys=True, omit_if_default=True, detailed_validation=True
)
"""The same converter with detailed validation: collects every problem with its path.

Used to explain a failure after the fast converter refused a value.
"""
converter = cattrs.Converter(
    forbid_extra_keys=True, omit_if_default=True, detailed_validation=False
)
"""The converter of gridgov: fast; stops at the first problem."""


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("", value, "must be a string")
    return value


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValueError("", value, "must be a number")
    try:
        return float(value)
    except OverflowError:
        raise InvalidValueError("", value, "must be a finite number") from None


def _structure_date(value: object, _: object) -> dt.date:
    if not isinstance(value, str):
        raise InvalidValueError("", value, "must be a date written YYYY-MM-DD")
    return to_date(value, "")


def _structure_enum(value: object, cls: type[StrEnum]) -> StrEnum:
    try:
        return cls(value)  # type: ignore[arg-type]
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise InvalidValueError("", value, f"must be one of {allowed}") from None


def _structure_categories(value: object, _: object) -> frozenset[Category]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError("", value, "must be a list of categories")
    check_length("", len(value))
    return frozenset(_structure_enum(v, Category) for v in value)  # type: ignore[misc]


def _structure_location(value: object, _: object) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidValueError("", value, "must be a pair of numbers [x, y]")
    x, y = value
    if type(x) is not float or type(y) is not float:  # exact floats: Household checks them
        x = check_number("", x, MAX_COORDINATE)
        y = check_number("", y, MAX_COORDINATE)
    return (x, y)


def _structure_id_tuple(value: object, _: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError("", value, "must be a list of strings")
    check_length("", len(value))
    return tuple(_structure_str(v, None) for v in value)


def structure_scheme(value: object) -> Scheme:
    """Structure a scheme from a preset name or an inline object.

    Examples
    --------
    >>> structure_scheme("three-level").levels
    ('community', 'grid', 'member_household')
    >>> structure_scheme({"levels": ["town", "village"], "filing_level": "village",
    ...                   "zone_level": "village"}).top
    'town'
    """
    if isinstance(value, str):
        return Scheme.preset(value)
    if not isinstance(value, Mapping):
        raise InvalidValueError("scheme", value, "must be a preset name or an object")
    allowed = {"name", "levels", "filing_level", "zone_level", "branch_level"}
    extra = [k for k in value if k not in allowed]
    if extra:
        extra.sort(key=repr)
        raise InvalidValueError("scheme", extra, "unknown keys in the inline scheme")
    for key in ("levels", "filing_level", "zone_level"):
        if key not in value:
            raise InvalidValueError(f"scheme.{key}", None, "is required")
    levels = value["levels"]
    if not isinstance(levels, list) or not all(isinstance(x, str) for x in levels):
        raise InvalidValueError("scheme.levels", levels, "must be a list of level names")
    for key in ("filing_level", "zone_level", "name"):
        if key in value and not isinstance(value[key], str):
            raise InvalidValueError(f"scheme.{key}", value[key], "must be a string")
    branch = value.get("branch_level")
    if branch is not None and not isinstance(branch, str):
        raise InvalidValueError("scheme.branch_level", branch, "must be a string or null")
    return Scheme(
        tuple(levels),
        filing_level=value["filing_level"],
        zone_level=value["zone_level"],
        branch_level=branch,
        name=value.get("name"),
    )


def unstructure_scheme(scheme: Scheme) -> str | dict[str, Any]:
    """Unstructure a scheme: a preset's name, or an inline object.

    Examples
    --------
    >>> unstructure_scheme(SCHEMES["three-level"])
    'three-level'
    >>> unstructure_scheme(Scheme(("town", "village"), filing_level="village",
    ...                           zone_level="village"))
    {'levels': ['town', 'village'], 'filing_level': 'village', 'zone_level': 'village'}
    """
    if not isinstance(scheme, Scheme):
        raise InvalidValueError("scheme", scheme, "must be a Scheme")
    if scheme.name is not None and SCHEMES.get(scheme.name) == scheme:
        return scheme.name
    out: dict[str, Any] = {}
    if scheme.name is not None:
        out["name"] = scheme.name
    out["levels"] = list(scheme.levels)
    out["filing_level"] = scheme.filing_level
    out["zone_level"] = scheme.zone_level
    if scheme.branch_level is not None:
        out["branch_level"] = scheme.branch_level
    return out


def _catalogue() -> Mapping[str, Setting]:
    from gridgov import plugins

    return plugins.catalogue()


def structure_policy(value: object, catalogue: Mapping[str, Setting] | None = None) -> Policy:
    """Structure a policy from an object of settings (the document's ``policy``).

    Parameters
    ----------
    value : object
        The settings that differ from the defaults.
    catalogue : mapping of str to Setting, optional
        The contributed settings to accept (default: those of the installed plugins).

    Raises
    ------
    PolicyError
        Naming an unknown setting or a bad value.

    Examples
    --------
    >>> structure_policy({"max_branch_members": 60}).overrides()
    {'max_branch_members': 60}
    """
    if not isinstance(value, Mapping):
        raise InvalidValueError("policy", value, "must be an object of policy settings")
    if catalogue is not None and not isinstance(catalogue, Mapping):
        raise InvalidValueError("catalogue", catalogue, "must map setting names to Settings")
    return Policy.from_mapping(value, catalogue=_catalogue() if catalogue is None else catalogue)


def _structure_policy(value: object, _: object) -> Policy:
    return structure_policy(value)


_RECORD_CLASSES: tuple[type, ...] = (
    Organization,
    Person,
    Household,
    Cooperative,
    Registration,
    Filing,
    Claim,
    Post,
)
"""The records of the document format: each keeps the ``x-`` keys it is given."""


def _record_hooks(c: cattrs.Converter, cls: type) -> None:
    structure_fields: Callable[..., Any] = make_dict_structure_fn(
        cls,
        c,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=c.detailed_validation,
        extensions=override(omit=True),
    )
    unstructure_fields: Callable[..., Any] = make_dict_unstructure_fn(
        cls, c, _cattrs_omit_if_default=True, extensions=override(omit=True)
    )

    def structure_record(data: Any, _: object) -> Any:
        if isinstance(data, Mapping):
            keys = [k for k in data if isinstance(k, str) and k.startswith(EXTENSION_PREFIX)]
            if keys:
                plain = {k: v for k, v in data.items() if k not in keys}
                record = structure_fields(plain, cls)
                return evolve(record, extensions={k: data[k] for k in keys})
        return structure_fields(data, cls)

    def unstructure_record(record: Any) -> dict[str, Any]:
        out: dict[str, Any] = unstructure_fields(record)
        if record.extensions:
            out.update(thaw(record.extensions))
        return out

    c.register_structure_hook(cls, structure_record)
    c.register_unstructure_hook(cls, unstructure_record)


_ALIASES: tuple[tuple[Any, Callable[..., Any], Callable[..., Any]], ...] = (
    (frozenset[Category], _structure_categories, lambda s: sorted(map(str, s))),
    (tuple[float, float], _structure_location, lambda p: [p[0], p[1]]),
    (tuple[str, ...], _structure_id_tuple, list),
)


def _is(alias: Any) -> Callable[[Any], bool]:
    return lambda t: bool(t == alias)


def _configure(c: cattrs.Converter) -> None:
    c.register_structure_hook(str, _structure_str)
    c.register_structure_hook(float, _structure_float)
    c.register_structure_hook(dt.date, _structure_date)
    c.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    for _enum_cls in (Category, Duty, MemberStatus, OrgKind, Role):
        c.register_structure_hook(_enum_cls, _structure_enum)
        c.register_unstructure_hook(_enum_cls, str)
    for _alias, _structure_fn, _unstructure_fn in _ALIASES:
        c.register_structure_hook_func(_is(_alias), _structure_fn)
        c.register_unstructure_hook_func(_is(_alias), _unstructure_fn)
    c.register_structure_hook(Scheme, lambda v, _: structure_scheme(v))
    c.register_unstructure_hook(Scheme, unstructure_scheme)
    c.register_structure_hook(Policy, _structure_policy)
    c.register_unstructure_hook(Policy, lambda p: p.overrides())
    for cls in _RECORD_CLASSES:
        _record_hooks(c, cls)


for _c in (converter, detailed_converter):
    _configure(_c)


def unstructure(value: object) -> Any:
    """Unstructure a gridgov value into JSON-ready data (fields at defaults omitted).

    Examples
    --------
    >>> from gridgov.model import Filing
    >>> unstructure(Filing("P1", "G1", dt.date(2024, 3, 1)))
    {'person': 'P1', 'org': 'G1', 'date': '2024-03-01'}
    >>> unstructure(Policy().replace(max_branch_members=60))
    {'max_branch_members': 60}
    """
    try:
        return converter.unstructure(value)
    except RecursionError:
        raise InvalidValueError("value", value, "is nested too deeply") from None


def try_structure(data: object, cls: type[T], path: str) -> tuple[T | None, list[Problem]]:
    """Structure `data` into `cls`; on failure, return every problem with its path.

    The fast converter runs first; only when it refuses does the detailed converter run
    again to explain why.

    Examples
    --------
    >>> from gridgov.model import Filing
    >>> try_structure({"person": "P1", "org": 7}, Filing, "filings[0]")
    (None, [('filings[0].org', 'must be a string (got 7)')])
    """
    if not isinstance(path, str):
        raise InvalidValueError("path", path, "must be a string (a JSON path)")
    _check_type(cls)
    try:
        return converter.structure(data, cls), []
    except Exception as fast_exc:
        if (
            get_origin(cls) in (list, tuple)
            and isinstance(data, list | tuple)
            and len(data) > MAX_PROBLEMS
        ):  # explain item by item, and stop at the cap instead of collecting everything
            item_type = get_args(cls)[0] if get_args(cls) else Any
            problems: list[Problem] = []
            for i, item in enumerate(data):
                problems.extend(try_structure(item, item_type, f"{path}[{i}]")[1])
                if len(problems) >= MAX_PROBLEMS:
                    break
            if problems:
                return None, problems[:MAX_PROBLEMS]
        try:
            detailed_converter.structure(data, cls)
        except Exception as exc:
            return None, problems_of(exc, path)[:MAX_PROBLEMS]
        return None, problems_of(fast_exc, path)  # pragma: no cover - converters agree


def _check_type(cls: object) -> None:
    if not isinstance(cls, type) and get_origin(cls) is None:
        raise InvalidValueError("cls", cls, "must be a type, such as Filing or list[Filing]")


def problems_of(exc: BaseException, path: str) -> list[Problem]:
    """Turn an exception raised while structuring the value at `path` into problems.

    Handles cattrs' grouped validation errors (one problem per failing field, with its
    path), gridgov's own :class:`~gridgov.errors.InvalidValueError` and anything else.

    Examples
    --------
    >>> from gridgov.model import Filing
    >>> try:
    ...     detailed_converter.structure({"person": 1, "org": "G1", "colour": "red"}, Filing)
    ... except Exception as exc:
    ...     problems_of(exc, "filings[0]")
    [('filings[0].person', 'must be a string (got 1)'), ('filings[0]', 'unknown key colour')]
    """
    if not isinstance(exc, BaseException):
        raise InvalidValueError("exc", exc, "must be an exception")
    if not isinstance(path, str):
        raise InvalidValueError("path", path, "must be a string (a JSON path)")
    out: list[Problem] = []
    _collect(exc, path, out)
    return out


def _collect(exc: BaseException, path: str, out: list[Problem]) -> None:
    if len(out) >= MAX_PROBLEMS:
        return
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            name = getattr(note, "name", None)
            index = getattr(note, "index", None)
            if name is not None:
                sub_path = f"{path}.{name}" if path else str(name)
            elif index is not None:
                sub_path = f"{path}[{index}]"
            else:  # pragma: no cover - cattrs always adds one of the two
                sub_path = path
            _collect(sub, sub_path, out)
        for sub in without:
            _collect(sub, path, out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        names = sorted(map(key_text, exc.extra_fields))
        keys = ", ".join(names[:10]) + (f", ... ({len(names)} in all)" if len(names) > 10 else "")
        out.append(Problem(path, f"unknown key{'s' * (len(names) > 1)} {keys}"))
    elif isinstance(exc, KeyError):
        out.append(Problem(_under(path, key_text(exc.args[0])), "is required"))
    elif isinstance(exc, PolicyError):
        out.append(Problem(_under(path, exc.field.removeprefix("policy.")), exc.reason + _got(exc)))
    elif isinstance(exc, InvalidValueError):
        out.append(Problem(_under(path, exc.field), exc.reason + _got(exc)))
    elif isinstance(exc, TypeError | AttributeError):
        out.append(Problem(path, "must be an object"))
    else:
        out.append(Problem(path, str(exc)))


def _under(path: str, field: str) -> str:
    if not field:
        return path
    if path.endswith("." + field) or path == field:
        return path
    return f"{path}.{field}" if path else field


def _got(exc: InvalidValueError) -> str:
    return f" (got {short_repr(exc.value)})"


def key_text(key: object) -> str:
    """A key of a document's object as it is named in a JSON path or a message.

    A short printable string is itself; anything else (not a string, long, holding a
    control character or a lone surrogate) is shortened with
    :func:`~gridgov.errors.short_repr`.

    Examples
    --------
    >>> key_text("colour"), key_text(7), key_text("x" * 500)[:12]
    ('colour', '7', "'xxxxxxxxxxx")
    """
    if isinstance(key, str) and len(key) <= 64 and key.isprintable():
        return key
    return short_repr(key)


def structure(data: object, cls: type[T], path: str = "") -> T:
    """Structure `data` into `cls`.

    Raises
    ------
    DocumentError
        Listing each problem with its path under `path`.

    Examples
    --------
    >>> from gridgov.model import Post
    >>> structure({"org": "B1", "role": "secretary", "holder": "P3"}, Post)
    Post(org='B1', role='secretary', holder='P3', appointed_by=None, since=None, duty=None, until=None)
    >>> structure({"org": "B1", "role": "boss", "holder": 3}, Post, "posts[0]")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: posts[0].role: must be one of ... (got 'boss') (and 1 more problem)
    """
    if not isinstance(path, str):
        raise InvalidValueError("path", path, "must be a string (a JSON path)")
    _check_type(cls)
    if not isinstance(data, Mapping) and hasattr(cls, "__attrs_attrs__"):
        raise DocumentError([Problem(path, f"must be an object (got {type(data).__name__})")])
    value, problems = try_structure(data, cls, path)
    if problems:
        raise DocumentError(problems)
    return value  # type: ignore[return-value]


def unstructure_event(event: Event) -> dict[str, Any]:
    """Unstructure an event into a dict tagged with its topic (and schema version past 1).

    Examples
    --------
    >>> from gridgov.model import OrganizationRenamed
    >>> unstructure_event(OrganizationRenamed("S1", "南沙街道党工委"))
    {'type': 'OrganizationRenamed', 'org': 'S1', 'name': '南沙街道党工委'}
    """
    if not isinstance(event, Event):
        raise InvalidValueError("event", event, "not a gridgov event")
    data: dict[str, Any] = {"type": event.topic}
    if event.schema_version != 1:
        data["schema_version"] = event.schema_version
    data.update(converter.unstructure(event))
    return data


def _event_types() -> Mapping[str, type[Event]]:
    from gridgov import plugins

    return plugins.event_types()


def upcast(data: Mapping[str, Any], cls: type[Event]) -> dict[str, Any]:
    """Turn the payload of a serialised `cls` event into the current schema version.

    Parameters
    ----------
    data : mapping
        The serialised event (with its ``"type"`` tag and, if past 1, its
        ``"schema_version"``).
    cls : type
        Its event class.

    Returns
    -------
    dict
        The fields of the current version (no tag).

    Raises
    ------
    DocumentError
        If the version is not an integer, newer than the class knows, or has no upcaster.

    Examples
    --------
    >>> from gridgov.model import MemberUnfiled
    >>> upcast({"type": "MemberUnfiled", "person": "P1"}, MemberUnfiled)
    {'person': 'P1'}
    """
    if not isinstance(data, Mapping):
        raise InvalidValueError("data", data, "an event must be an object")
    if not isinstance(cls, type) or not issubclass(cls, Event):
        raise InvalidValueError("cls", cls, "must be an event class")
    version = data.get("schema_version", 1)
    name = cls.topic
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DocumentError(
            [
                Problem(
                    f"{name}.schema_version",
                    f"must be an integer >= 1 (got {short_repr(version)})",
                )
            ]
        )
    if version > cls.schema_version:
        raise DocumentError(
            [
                Problem(
                    f"{name}.schema_version",
                    f"version {short_repr(version)} is newer than this gridgov reads "
                    f"({cls.schema_version})",
                )
            ]
        )
    fields = {k: v for k, v in data.items() if k not in ("type", "schema_version")}
    while version < cls.schema_version:
        step = cls.upcasters.get(version)
        if step is None:
            raise DocumentError(
                [Problem(f"{name}.schema_version", f"no upcaster from version {version}")]
            )
        fields = dict(step(fields))
        version += 1
    return fields


def structure_event(
    data: Mapping[str, Any], *, event_types: Mapping[str, type[Event]] | None = None
) -> Event:
    """Structure an event from a dict made by :func:`unstructure_event`.

    Parameters
    ----------
    data : mapping
        The serialised event.
    event_types : mapping of str to event class, optional
        The event classes by topic (default: every type the installed plugins
        contribute, the built-in ones included).

    Raises
    ------
    DocumentError
        If the type tag is unknown or a field is malformed.

    Examples
    --------
    >>> from gridgov.model import OrganizationRenamed
    >>> event = OrganizationRenamed("S1", "南沙街道党工委")
    >>> structure_event(unstructure_event(event)) == event
    True
    >>> structure_event({"type": "OrgRenamed", "org": "S1"})
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: type: unknown event type 'OrgRenamed'
    """
    if not isinstance(data, Mapping):
        raise DocumentError([Problem("", "an event must be an object")])
    if event_types is not None and (
        not isinstance(event_types, Mapping)
        or not all(isinstance(c, type) and issubclass(c, Event) for c in event_types.values())
    ):
        raise InvalidValueError("event_types", event_types, "must map topics to event classes")
    types = _event_types() if event_types is None else event_types
    name = data.get("type")
    cls = types.get(name) if isinstance(name, str) else None
    if cls is None:
        raise DocumentError([Problem("type", f"unknown event type {short_repr(name)}")])
    if not isinstance(cls, type) or not issubclass(cls, Event):
        raise InvalidValueError(f"event_types[{short_repr(name)}]", cls, "must be an event class")
    fields = upcast(data, cls)
    try:
        return structure(fields, cls)
    except DocumentError as exc:  # name the event, so that a log's bad entry is found
        raise DocumentError(
            [Problem(f"{name}.{p.path}" if p.path else str(name), p.message) for p in exc.problems]
        ) from None
