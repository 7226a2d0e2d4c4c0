"""The cattrs converter: every (un)structuring of gridgov values goes through here.

One :class:`cattrs.Converter` is configured in this module, and nowhere else: dates as
ISO strings, enums by value, category sets as sorted lists, schemes by preset name or
inline object, policies as their overrides, events as objects tagged with ``"type"``.
Unstructuring omits fields left at their defaults, which keeps documents canonical.
Structuring is strict: a number where a string is expected is an error, not coerced.

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
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from gridgov.errors import DocumentError, InvalidValueError, PolicyError, Problem
from gridgov.model.enums import Category, Duty, MemberStatus, OrgKind, Role
from gridgov.model.events import EVENT_TYPES, Event
from gridgov.model.policy import Policy
from gridgov.model.scheme import SCHEMES, Scheme

__all__ = [
    "converter",
    "detailed_converter",
    "problems_of",
    "structure",
    "structure_event",
    "structure_scheme",
    "try_structure",
    "unstructure",
    "unstructure_event",
    "unstructure_scheme",
]

T = TypeVar("T")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

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
    return float(value)


def _structure_date(value: object, _: object) -> dt.date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidValueError("", value, "must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValueError("", value, "is not a valid date") from None


def _structure_enum(value: object, cls: type[StrEnum]) -> StrEnum:
    try:
        return cls(value)  # type: ignore[arg-type]
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise InvalidValueError("", value, f"must be one of {allowed}") from None


def _structure_categories(value: object, _: object) -> frozenset[Category]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError("", value, "must be a list of categories")
    return frozenset(_structure_enum(v, Category) for v in value)  # type: ignore[misc]


def _structure_location(value: object, _: object) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidValueError("", value, "must be a pair of numbers [x, y]")
    return (_structure_float(value[0], None), _structure_float(value[1], None))


def _structure_id_tuple(value: object, _: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError("", value, "must be a list of strings")
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
    extra = sorted(set(value) - allowed)
    if extra:
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


def _structure_policy(value: object, _: object) -> Policy:
    if not isinstance(value, Mapping):
        raise InvalidValueError("", value, "must be an object of policy settings")
    return Policy.from_mapping(value)


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
    return converter.unstructure(value)


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
    try:
        return converter.structure(data, cls), []
    except Exception as fast_exc:
        try:
            detailed_converter.structure(data, cls)
        except Exception as exc:
            return None, problems_of(exc, path)
        return None, problems_of(fast_exc, path)  # pragma: no cover - converters agree


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
    out: list[Problem] = []
    _collect(exc, path, out)
    return out


def _collect(exc: BaseException, path: str, out: list[Problem]) -> None:
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
        keys = ", ".join(sorted(exc.extra_fields))
        out.append(Problem(path, f"unknown key{'s' * (len(exc.extra_fields) > 1)} {keys}"))
    elif isinstance(exc, KeyError):
        out.append(Problem(_under(path, str(exc.args[0])), "is required"))
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
    text = repr(exc.value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f" (got {text})"


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
    Post(org='B1', role=<Role.SECRETARY: 'secretary'>, holder='P3', appointed_by=None, since=None, duty=None)
    >>> structure({"org": "B1", "role": "boss", "holder": 3}, Post, "posts[0]")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: posts[0].role: must be one of ... (got 'boss') (and 1 more problem)
    """
    if not isinstance(data, Mapping) and hasattr(cls, "__attrs_attrs__"):
        raise DocumentError([Problem(path, f"must be an object (got {type(data).__name__})")])
    value, problems = try_structure(data, cls, path)
    if problems:
        raise DocumentError(problems)
    return value  # type: ignore[return-value]


def unstructure_event(event: Event) -> dict[str, Any]:
    """Unstructure an event into a dict tagged with its type name.

    Examples
    --------
    >>> from gridgov.model import OrganizationRenamed
    >>> unstructure_event(OrganizationRenamed("S1", "南沙街道党工委"))
    {'type': 'OrganizationRenamed', 'org': 'S1', 'name': '南沙街道党工委'}
    """
    data: dict[str, Any] = {"type": type(event).__name__}
    data.update(converter.unstructure(event))
    return data


def structure_event(data: Mapping[str, Any]) -> Event:
    """Structure an event from a dict made by :func:`unstructure_event`.

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
    name = data.get("type")
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise DocumentError([Problem("type", f"unknown event type {name!r}")])
    fields = {k: v for k, v in data.items() if k != "type"}
    try:
        return structure(fields, cls)
    except DocumentError as exc:  # name the event, so that a log's bad entry is found
        raise DocumentError(
            [
                Problem(f"{name}.{p.path}" if p.path else cls.__name__, p.message)
                for p in exc.problems
            ]
        ) from None
