"""Bad input never escapes as a crash, never changes state, and is never stored as junk.

Two sweeps, each able to fail both ways (a refusal that is not a ``GridGovError``, and an
acceptance of a value that was not meant):

- **The commands** (``CALLS``): each call passes one wrong value (None, a number, a list,
  a dict, bytes, a huge integer, a lone surrogate, ...) to one argument of a
  :class:`~gridgov.Jurisdiction` command or query. A refusal is a ``GridGovError`` naming
  the field, and the jurisdiction is exactly as it was (document, version, the next id
  the id factory makes). An acceptance stores what was meant: the value, as the record
  holds it, is the value given (a string, a date or its ISO text, an enum or its name, a
  list as a tuple, numbers as floats), and the jurisdiction survives a round trip
  through the document.
- **Every public callable** (``test_every_public_callable_...``): every function, class
  and method defined in gridgov and reachable from ``gridgov.__all__`` or the
  ``__all__`` of a public module or subpackage, found by walking them (so a new one is
  checked without being listed). Each argument in turn gets each junk value, the others
  a known-good one (:data:`GOOD`, by argument name, or :data:`SPECS`, per callable). A
  call must return or raise a ``GridGovError``; a value that is not of the annotated
  type (strictly: a mapping or a string is not a list, ``True`` is not a number) must be
  refused, with an error naming the argument; a refusal changes nothing; a record built
  from an accepted value holds what was given. The few callables left out are in
  :data:`EXEMPT`, each with its reason.
"""

from __future__ import annotations

import collections.abc as abc
import contextlib
import datetime as dt
import enum
import importlib
import importlib.util
import inspect
import math
import os
import pkgutil
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import gridgov
from gridgov import (
    GridGovError,
    Jurisdiction,
    OrganizationFounded,
    dump,
    dumps,
    load,
    loads,
    rosters,
    summarize,
    validate,
)
from gridgov.model import Organization

HAS_SIMULATE = all(importlib.util.find_spec(m) is not None for m in ("numpy", "scipy"))


def base() -> Jurisdiction:
    j = Jurisdiction()
    j.found_org("S1", "street", "S")
    j.found_org("C1", "community", "C", parent="S1")
    j.found_org("B1", "branch", "B", parent="C1")
    j.found_org("G1", "group", "G", parent="B1")
    j.found_org("Z1", "zone", "Z", parent="G1")
    j.add_person("P1", "A", status="full")
    j.add_household("H1")
    j.add_cooperative("EC1", "E")
    return j


def _deep(levels: int) -> list[Any]:
    deep: list[Any] = []
    for _ in range(levels):
        deep = [deep]
    return deep


BAD: list[Any] = [
    5,
    None,
    -1,
    ["x"],
    {"a": 1},
    "nope",
    1.5,
    True,
    b"S1",
    ("S1",),
    10**5000,
    float("nan"),
    float("inf"),
    "\ud800",
    "B\x001",
    "x" * 20_000,
    frozenset({"a"}),
    _deep(2000),
    dt.date(9999, 12, 31),
    object(),
]
"""Junk for one argument: wrong types, huge or odd values, invalid text, deep nesting."""

_LABELS = [
    "int",
    "None",
    "negative",
    "list",
    "dict",
    "word",
    "float",
    "bool",
    "bytes",
    "tuple",
    "huge-int",
    "nan",
    "inf",
    "surrogate",
    "nul",
    "long-text",
    "frozenset",
    "deep",
    "far-date",
    "object",
]


# -- what a stored value means ---------------------------------------------------------------------


def means(stored: Any, given: Any) -> bool:
    """Whether `stored` (what a record holds) is what `given` (what the caller passed) meant.

    A string is itself, or the enum member or date it names; a list or tuple (not a
    string, bytes or a mapping) is the same items in order (a set of them: any order);
    an integer is the float of the same value; a mapping is an equal mapping.
    """
    if stored is given:
        return True
    if isinstance(stored, enum.Enum):
        return bool(stored == given) or stored.value == given
    if isinstance(stored, dt.date) and isinstance(given, str):
        return stored.isoformat() == given
    if isinstance(stored, float) and isinstance(given, int | float) and not isinstance(given, bool):
        return stored == float(given) or (math.isnan(stored) and math.isnan(float(given)))
    if isinstance(stored, tuple | frozenset) and isinstance(given, list | tuple | abc.Set):
        items = list(given)
        if len(stored) != len(items) and isinstance(stored, tuple):
            return False
        if isinstance(stored, frozenset):
            return all(any(means(s, g) for g in items) for s in stored) and all(
                any(means(s, g) for s in stored) for g in items
            )
        return all(means(s, g) for s, g in zip(stored, items, strict=True))
    if isinstance(stored, abc.Mapping) and isinstance(given, abc.Mapping):
        return dict(stored) == dict(given)
    return type(stored) is type(given) and bool(stored == given)


def stored_in(event: Any, field: str) -> Any:
    """The value of `field` in an applied event: its own, or its record's (or membership's)."""
    if attrs.has(type(event)) and field in attrs.fields_dict(type(event)):
        return getattr(event, field)
    for a in attrs.fields(type(event)):
        record = getattr(event, a.name)
        if attrs.has(type(record)):
            names = attrs.fields_dict(type(record))
            if field in names:
                return getattr(record, field)
            party = getattr(record, "party", None)
            if party is not None and field in attrs.fields_dict(type(party)):
                return getattr(party, field)
    return _MISSING


_MISSING = object()


def snapshot(j: Jurisdiction) -> tuple[str, int, tuple[str, ...]]:
    """What a refusal must leave as it was: the document, the version, the next ids."""
    made = tuple(j._ids(kind, None, j._taken) for kind in ("community", "person", "household"))
    return dumps(j), j.version, made


# -- the commands ----------------------------------------------------------------------------------


CALLS: dict[str, tuple[Callable[[Jurisdiction, Any], object], str]] = {
    "found_org_id": (lambda j, v: j.found_org(v, "community", "x", parent="S1"), "id"),
    "found_org_level": (lambda j, v: j.found_org("N1", v, "x", parent="S1"), "level"),
    "found_org_name": (lambda j, v: j.found_org("N1", "community", v, parent="S1"), "name"),
    "found_org_parent": (lambda j, v: j.found_org("N1", "community", "x", parent=v), "parent"),
    "found_org_kind": (
        lambda j, v: j.found_org("N1", "community", "x", parent="S1", kind=v),
        "kind",
    ),
    "found_org_units": (
        lambda j, v: j.found_org("N1", "community", "x", parent="S1", units=v),
        "units",
    ),
    "found_org_formed": (
        lambda j, v: j.found_org("N1", "community", "x", parent="S1", formed=v),
        "formed",
    ),
    "found_org_term_start": (
        lambda j, v: j.found_org("N1", "community", "x", parent="S1", term_start=v),
        "term_start",
    ),
    "found_org_coop": (
        lambda j, v: j.found_org("N1", "community", "x", parent="S1", cooperative=v),
        "cooperative",
    ),
    "amend_org_org": (lambda j, v: j.amend_org(v, name="x"), "org"),
    "amend_org_val": (lambda j, v: j.amend_org("B1", kind=v), "kind"),
    "amend_org_units": (lambda j, v: j.amend_org("B1", units=v), "units"),
    "rename_org": (lambda j, v: j.rename_org("B1", v), "name"),
    "rename_org_org": (lambda j, v: j.rename_org(v, "x"), "org"),
    "move_org": (lambda j, v: j.move_org("B1", v), "parent"),
    "move_org_org": (lambda j, v: j.move_org(v, "C1"), "org"),
    "dissolve_org": (lambda j, v: j.dissolve_org(v), "org"),
    "add_household": (lambda j, v: j.add_household(v), "id"),
    "add_household_loc": (lambda j, v: j.add_household("H9", location=v), "location"),
    "add_household_building": (lambda j, v: j.add_household("H9", building=v), "building"),
    "assign_household_hh": (lambda j, v: j.assign_household(v, "Z1"), "household"),
    "assign_household_zone": (lambda j, v: j.assign_household("H1", v), "zone"),
    "add_person_id": (lambda j, v: j.add_person(v, "n"), "id"),
    "add_person_name": (lambda j, v: j.add_person("P9", v), "name"),
    "add_person_status": (lambda j, v: j.add_person("P9", "n", status=v), "status"),
    "add_person_categories": (
        lambda j, v: j.add_person("P9", "n", status="full", categories=v),
        "categories",
    ),
    "add_person_joined": (lambda j, v: j.add_person("P9", "n", status="full", joined=v), "joined"),
    "add_person_household": (lambda j, v: j.add_person("P9", "n", household=v), "household"),
    "add_person_affil": (
        lambda j, v: j.add_person("P9", "n", status="full", affiliation=v),
        "affiliation",
    ),
    "amend_person": (lambda j, v: j.amend_person(v, name="x"), "person"),
    "amend_person_party": (lambda j, v: j.amend_person("P1", party=v), "party"),
    "remove_person": (lambda j, v: j.remove_person(v), "person"),
    "add_coop": (lambda j, v: j.add_cooperative(v, "x"), "id"),
    "add_coop_name": (lambda j, v: j.add_cooperative("EC9", v), "name"),
    "add_coop_head": (lambda j, v: j.add_cooperative("EC9", "x", head=v), "head"),
    "add_coop_comm": (lambda j, v: j.add_cooperative("EC9", "x", community=v), "community"),
    "amend_coop": (lambda j, v: j.amend_cooperative(v, name="x"), "cooperative"),
    "register_p": (lambda j, v: j.register(v, "C1"), "person"),
    "register_c": (lambda j, v: j.register("P1", v), "community"),
    "register_d": (lambda j, v: j.register("P1", "C1", v), "date"),
    "deregister": (lambda j, v: j.deregister(v), "person"),
    "file_p": (lambda j, v: j.file_member(v, "G1"), "person"),
    "file_o": (lambda j, v: j.file_member("P1", v), "org"),
    "file_d": (lambda j, v: j.file_member("P1", "G1", v), "date"),
    "unfile": (lambda j, v: j.unfile_member(v), "person"),
    "transfer": (lambda j, v: j.transfer_member("P1", v), "org"),
    "claim_p": (lambda j, v: j.claim_zone(v, "Z1"), "person"),
    "claim_z": (lambda j, v: j.claim_zone("P1", v), "zone"),
    "claim_d": (lambda j, v: j.claim_zone("P1", "Z1", v), "date"),
    "release": (lambda j, v: j.release_zone("P1", v), "zone"),
    "appoint_org": (lambda j, v: j.appoint(v, "secretary", "P1"), "org"),
    "appoint_role": (lambda j, v: j.appoint("B1", v, "P1"), "role"),
    "appoint_holder": (lambda j, v: j.appoint("B1", "secretary", v), "holder"),
    "appoint_by": (lambda j, v: j.appoint("B1", "secretary", "P1", appointed_by=v), "appointed_by"),
    "appoint_since": (lambda j, v: j.appoint("B1", "secretary", "P1", since=v), "since"),
    "appoint_duty": (lambda j, v: j.appoint("B1", "committee_member", "P1", duty=v), "duty"),
    "vacate_role": (lambda j, v: j.vacate("B1", v, "P1"), "role"),
    "vacate_org": (lambda j, v: j.vacate(v, "secretary", "P1"), "org"),
    "set_policy_val": (lambda j, v: j.set_policy(max_branch_members=v), "max_branch_members"),
    "set_policy_pol": (lambda j, v: j.set_policy(v), "policy"),
    "set_as_of": (lambda j, v: j.set_as_of(v), "as_of"),
    "members": (lambda j, v: j.members(v), "org"),
    "filed_in": (lambda j, v: j.filed_in(v), "person"),
    "households_in": (lambda j, v: j.households_in(v), "zone"),
    "posts_in": (lambda j, v: j.posts_in("B1", v), "role"),
    "graph_parent": (lambda j, v: j.graph.parent(v), "org"),
    "graph_at_level": (lambda j, v: j.graph.at_level(v), "level"),
    "graph_subtree": (lambda j, v: j.graph.subtree(v), "org"),
    "apply": (lambda j, v: j.apply(v), "event"),
    "apply_all": (lambda j, v: j.apply_all(v), "events"),
    "replay": (lambda j, v: Jurisdiction.replay(v), "events"),
    "Jurisdiction_scheme": (lambda j, v: Jurisdiction(v), "scheme"),
    "Jurisdiction_ids": (lambda j, v: Jurisdiction(ids=v).found_org(None, "street", "S"), "ids"),
    "validate": (lambda j, v: validate(j, select=v), "select"),
    "validate_ignore": (lambda j, v: validate(j, ignore=v), "ignore"),
    "validate_policy": (lambda j, v: validate(j, policy=v), "policy"),
    "summarize_top": (lambda j, v: summarize(j, top=v), "top"),
    "dumps_indent": (lambda j, v: dumps(j, indent=v), "indent"),
    "load": (lambda j, v: load(v), "source"),
    "loads": (lambda j, v: loads(v), "text"),
    "dump": (lambda j, v: dump(v), "j"),
    "summarize": (lambda j, v: summarize(v), "j"),
}


ALIASES: dict[str, dict[str, str]] = {
    "gridgov.errors.Problem": {},
    "gridgov.model.policy.Setting.check": {"value": "policy"},
    "gridgov.model.policy.Policy.get": {"name": "policy"},
    "gridgov.model.policy.Policy": {"extra": "policy"},
    "gridgov.converters.structure_policy": {"value": "policy"},
    "gridgov.converters.structure_scheme": {"value": "scheme"},
    "gridgov.config.settings_from_mapping": {"table": "settings"},
    **{
        f"gridgov.limits.{name}": {"value": "value", "low": "value", "high": "value"}
        for name in (
            "check_text",
            "check_id_text",
            "check_int",
            "check_number",
            "check_ids",
            "check_flag",
        )
    },
    "gridgov.model.scheme.Scheme.preset": {"name": "scheme"},
    **{
        f"gridgov.model.enums.{cls}": {"value": field}
        for cls, field in [
            ("Category", "category"),
            ("Duty", "duty"),
            ("Level", "level"),
            ("MemberStatus", "status"),
            ("OrgKind", "kind"),
            ("Role", "role"),
            ("PartyHousehold", "party_household"),
            ("RegistrationKind", "kind"),
        ]
    },
    "gridgov.rules.diagnostics.Severity": {"value": "severity"},
    "gridgov.envelope.decode": {"fields": "envelope"},
}
"""Where an error rightly names a value by what it is rather than by the argument (the
value of a setting is ``policy.<name>``, a preset's name is the ``scheme``, an enum's value
is the field it is given in, the wire form given to ``decode`` is the ``envelope``)."""


_DOCUMENT_ARGUMENTS = ("source", "text", "data", "path", "max_bytes")
"""Arguments that are a document, its file or its size limit: a DocumentError (a FileError
naming the file, a problem at a JSON path, a document over the limit) is about them."""


SETUP: dict[str, Callable[[Jurisdiction], object]] = {
    "transfer": lambda j: j.file_member("P1", "G1"),
    "unfile": lambda j: j.file_member("P1", "G1"),
    "deregister": lambda j: j.register("P1", "C1"),
    "release": lambda j: j.claim_zone("P1", "Z1"),
    "vacate_role": lambda j: j.appoint("B1", "secretary", "P1"),
    "vacate_org": lambda j: j.appoint("B1", "secretary", "P1"),
}
"""What a call needs before it can be refused for its argument alone."""


def _names(exc: BaseException, field: str) -> bool:
    """Whether the error names `field` (its own field, or the word in its message)."""
    own = getattr(exc, "field", None)
    if isinstance(own, str) and field in re.split(r"[.\[\]]", own):
        return True
    if isinstance(exc, gridgov.DocumentError) and field in _DOCUMENT_ARGUMENTS:
        return True  # the document, or its file: a problem at a JSON path, or the file's
    return re.search(rf"(?<![\w-]){re.escape(field)}(?![\w-])", str(exc)) is not None


@pytest.mark.parametrize("value", BAD, ids=_LABELS)
@pytest.mark.parametrize("name", list(CALLS))
def test_a_command_refuses_junk_with_a_gridgov_error_or_stores_what_was_meant(
    name: str, value: Any
) -> None:
    """Either the call raises a GridGovError naming the field and nothing changed (not
    even the next id the factory makes), or it accepted the value and stored what was
    meant, and the jurisdiction round-trips through its document."""
    j = base()
    if name in SETUP:
        SETUP[name](j)
    before = snapshot(j)
    call, field = CALLS[name]
    refused: GridGovError | None = None
    try:
        result = call(j, value)
    except GridGovError as exc:
        refused = exc
    if refused is not None:
        assert _names(refused, field), f"{name}: the error does not name {field!r}: {refused}"
        assert snapshot(j) == before, f"{name}: a refusal changed the jurisdiction"
        return
    if isinstance(result, gridgov.Event) and value is not None:  # None: the default
        stored = stored_in(result, field)
        if stored is not _MISSING:
            assert means(stored, value), f"{name}: stored {stored!r} for {value!r}"
        assert j.log[-1] == result
    assert load(dump(j)) == j, f"{name}: what was stored does not survive the document"


def test_a_refused_found_org_without_id_consumes_no_id() -> None:
    made: list[str] = []

    def counting(kind: str, parent: str | None, taken: gridgov.Taken) -> str:
        made.append(kind)
        return gridgov.model.sequential_id(kind, parent, taken)

    j = Jurisdiction(ids=counting)
    j.found_org("S1", "street", "S")
    for bad in ({"level": 5}, {"name": None}, {"kind": "club"}, {"units": {"a": 1}}):
        args = {"level": "community", "name": "C", **bad}
        with pytest.raises(GridGovError):
            j.found_org(None, args["level"], args["name"], parent="S1", **_rest(args))
    assert made == [], "a value refused before an id was needed asked the factory for none"
    with pytest.raises(GridGovError):  # refused by the jurisdiction: the id is made again
        j.found_org(None, "community", "C", parent="S9")
    assert j.found_org(None, "community", "C", parent="S1").org.id == "C1"
    assert j.found_org(None, "community", "C", parent="S1").org.id == "C2"


def _rest(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k not in ("level", "name")}


# -- every public callable --------------------------------------------------------------------------


def public_modules() -> list[types.ModuleType]:
    """``gridgov`` and its public modules and subpackages that declare ``__all__``."""
    names = [
        "gridgov",
        *sorted(
            f"gridgov.{info.name}"
            for info in pkgutil.iter_modules(gridgov.__path__)
            if not info.name.startswith("_")
        ),
    ]
    out = []
    for name in names:
        if name == "gridgov.allocation" and not HAS_SIMULATE:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "__all__"):
            out.append(module)
    return out


@attrs.frozen
class Entry:
    """A public callable: a function, a class (its constructor) or a method."""

    key: str  # where it is defined: module.qualname
    obj: Callable[..., Any]
    owner: type | None = None  # the class defining a method
    method: str | None = None


def _ours(obj: object) -> bool:
    return str(getattr(obj, "__module__", "")).startswith("gridgov")


def _is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


def public_callables() -> Iterator[Entry]:
    """Every function, class and method of gridgov reachable from a public ``__all__``."""
    seen: set[str] = set()
    for module in public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                if not _ours(obj) or _is_protocol(obj) or issubclass(obj, BaseException | Warning):
                    continue
                key = f"{obj.__module__}.{obj.__qualname__}"
                if key not in seen:
                    seen.add(key)
                    yield Entry(key, obj)
                for attr in dir(obj):
                    if attr.startswith("_"):
                        continue
                    definer = next((c for c in obj.__mro__ if attr in vars(c)), None)
                    if definer is None or not _ours(definer):
                        continue
                    raw = vars(definer)[attr]
                    if not isinstance(raw, types.FunctionType | classmethod | staticmethod):
                        continue
                    mkey = f"{definer.__module__}.{definer.__qualname__}.{attr}"
                    if mkey not in seen:
                        seen.add(mkey)
                        yield Entry(mkey, getattr(obj, attr), definer, attr)
            elif inspect.isfunction(obj) and _ours(obj):
                key = f"{obj.__module__}.{obj.__qualname__}"
                if key not in seen:
                    seen.add(key)
                    yield Entry(key, obj)


def _namespace() -> dict[str, Any]:
    ns: dict[str, Any] = {"dt": dt, "os": os, "Path": Path, "typing": typing}
    ns.update({k: getattr(typing, k) for k in typing.__all__})
    ns.update({k: getattr(abc, k) for k in abc.__all__})
    if HAS_SIMULATE:
        import numpy as np
        import numpy.typing as npt

        ns.update(np=np, npt=npt)
    for module in public_modules():
        ns.update({k: getattr(module, k) for k in module.__all__})
    return ns


_NS: dict[str, Any] = {}


def _resolve(annotation: Any, module: str) -> Any:
    if not isinstance(annotation, str):
        return annotation
    if not _NS:
        _NS.update(_namespace())
    try:
        return eval(annotation, {**_NS, **vars(sys.modules[module])})
    except Exception:  # an annotation only a type checker reads: anything conforms
        return Any


def hints(entry: Entry) -> dict[str, Any]:
    """The resolved annotation of every parameter of `entry` (``Any`` when it has none)."""
    module = entry.owner.__module__ if entry.owner is not None else entry.obj.__module__
    out = {}
    for name, p in inspect.signature(entry.obj).parameters.items():
        ann = p.annotation
        out[name] = Any if ann is inspect.Parameter.empty else _resolve(ann, module)
    return out


def conforms(value: Any, hint: Any) -> bool:
    """Whether `value` is of the annotated type `hint`, strictly.

    A mapping, a string or bytes is not a list or an iterable of items; ``True`` is not a
    number; a set is not a sequence; a Protocol is met by having its members.
    """
    if hint is Any or hint is object:
        return True
    if isinstance(hint, typing.TypeVar):
        return hint.__bound__ is None or conforms(value, _resolve(hint.__bound__, "gridgov"))
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, a) for a in args)
    if origin is typing.Literal:
        return any(value == a and type(value) is type(a) for a in args)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is type:
        target = args[0] if args else object
        return isinstance(value, type) and (
            not isinstance(target, type) or issubclass(value, target)
        )
    if origin is abc.Callable or hint is abc.Callable:
        return callable(value)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(
            conforms(v, a) for v, a in zip(value, args, strict=True)
        )
    if origin in (list, abc.Sequence):
        return isinstance(value, list | tuple) and all(conforms(v, args[0]) for v in value if args)
    if origin in (set, frozenset, abc.Set):
        return isinstance(value, set | frozenset) and all(
            conforms(v, args[0]) for v in value if args
        )
    if origin in (abc.Iterable, abc.Collection):
        if isinstance(value, str | bytes | bytearray | abc.Mapping | abc.Iterator):
            return False
        if not isinstance(value, abc.Iterable):
            return False
        return not args or all(conforms(v, args[0]) for v in value)
    if origin in (dict, abc.Mapping):
        if not isinstance(value, abc.Mapping):
            return False
        return len(args) != 2 or all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items()
        )
    if origin is not None and isinstance(origin, type):  # numpy's NDArray[...], os.PathLike[str]
        return isinstance(value, origin)
    if inspect.isclass(hint):
        if _is_protocol(hint):
            if "__call__" in vars(hint):
                return callable(value)
            return all(hasattr(value, m) for m in vars(hint) if not m.startswith("_"))
        return isinstance(value, hint)
    return True


# -- what each callable is given ----------------------------------------------------------------

_EVENT_PROTOCOL = ("apply_to", "touches", "between")

EXEMPT: dict[str, str] = {
    "gridgov.model.state.State": (
        "the mutable state behind a Jurisdiction, handed to an event's apply_to: its methods "
        "change it after the event has checked itself (a plugin event's own code), by design "
        "without checking again"
    ),
    "gridgov.summary.Summary": "a result summarize() returns",
    "gridgov.tables.Frames": "a result frames() returns",
    "gridgov.moves.ChurnStats": "a result churn() returns",
    "gridgov.moves.ChurnOutcome": "a result churn() returns",
    "gridgov.summary.OrgLine": "a result summarize() returns",
    "gridgov.allocation.plan.Allocation": "a result of the allocation",
    "gridgov.allocation.churn.ChurnReport": "a result churn() returns",
    "gridgov.allocation.churn.ChurnResult": "a result churn() returns",
    "gridgov.allocation.generate.District": "a result generate() returns (arrays)",
    "gridgov.allocation.grids.Grids": "a result draw_grids() returns (arrays)",
    "gridgov.allocation.zones.Zones": "a result draw_zones() returns (arrays)",
    "gridgov.allocation.zones.ZoneAssignment": "a result assign_zones() returns (arrays)",
    "gridgov.allocation.posts.Posts": "a result propose_posts() returns (arrays)",
    "gridgov.allocation.report.SimulationReport": "a result simulate() returns",
    "gridgov.allocation.report.Stats": "a result report_for() returns",
    "gridgov.allocation.simulate.SimulationResult": "a result simulate() returns",
    "gridgov.allocation.plan.Layout": "a result layout_for() returns",
    "gridgov.allocation.generate.District.with_members": (
        "rebuilds a District from arrays churn() computed (a result's own helper)"
    ),
    "gridgov.adapters.storage.EventStore": (
        "an abstract base class: its methods are swept on a memory store (RECEIVERS)"
    ),
    "gridgov.adapters.messaging.MessageBus": (
        "an abstract base class: its methods are swept on a memory bus (RECEIVERS)"
    ),
    "gridgov.testing.machine.JurisdictionMachine": (
        "a Hypothesis state machine: Hypothesis calls its rules with the data it draws "
        "(tests/testing/test_machine.py runs it)"
    ),
    "gridgov.testing.assertions.assert_valid": (
        "an assertion helper: a jurisdiction with findings fails with AssertionError by "
        "design (its argument checks: tests/testing/test_assertions.py)"
    ),
    "gridgov.testing.assertions.assert_violates": (
        "an assertion helper: a rule that does not fire (or fires another number of times) "
        "fails with AssertionError by design (its argument checks: "
        "tests/testing/test_assertions.py)"
    ),
    "gridgov.envelope.Envelope.unchecked": (
        "builds an envelope without checking its values, by design: for a store reading back "
        "rows it wrote (the checked constructor, Envelope, is swept)"
    ),
}
"""Callables the sweep leaves out, with the reason (besides the event protocol: an event's
``apply_to``, ``touches`` and ``between``, which gridgov calls with its own state; hosts go
through Jurisdiction.apply, Jurisdiction.touches and events_between, which are checked)."""


def _exempt(entry: Entry) -> str | None:
    if entry.key in EXEMPT:
        return EXEMPT[entry.key]
    if entry.owner is not None:
        owner_key = f"{entry.owner.__module__}.{entry.owner.__qualname__}"
        if owner_key in (
            "gridgov.model.state.State",
            "gridgov.testing.machine.JurisdictionMachine",
        ):
            return EXEMPT[owner_key]
        if issubclass(entry.owner, gridgov.Event) and entry.method in _EVENT_PROTOCOL:
            return "the event protocol: gridgov calls it with its own state"
    return None


class World:
    """Known-good arguments, made afresh for each call (a call may change them)."""

    def __init__(self) -> None:
        self.j = base()
        self._store: Any = None
        self._bus: Any = None

    @property
    def store(self) -> Any:
        """A memory event store whose stream 'S1' holds the founding of 'S1'."""
        if self._store is None:
            self._store = gridgov.plugins.event_store("memory://")
            founded = OrganizationFounded(Organization("S1", "street", "S"))
            new = gridgov.envelope.seal(founded, event_id="e-1", recorded_at=AT)
            self._store.append("S1", [new], expected_version=0)
        return self._store

    @property
    def bus(self) -> Any:
        """A memory bus holding what the store holds, with a consumer group 'g'."""
        if self._bus is None:
            self._bus = gridgov.plugins.message_bus("memory://")
            self._bus.create_group("g")
            self._bus.publish(self.store.read_all())
        return self._bus

    @property
    def delivery(self) -> Any:
        """The bus's first entry, delivered to consumer 'c1' of group 'g'."""
        return self.bus.read("g", "c1")[0]

    @property
    def service(self) -> gridgov.Service:
        return gridgov.Service(self.store, self.bus)

    @property
    def validator(self) -> gridgov.Validator:
        return gridgov.Validator(self.j)

    @property
    def document(self) -> Any:
        return gridgov.parse(dump(self.j))


AT = dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.UTC)
"""The time the sweep's envelopes were recorded."""


def _new_event(w: World) -> Any:
    """The founding of 'C9', sealed."""
    return gridgov.envelope.seal(_founded(w), event_id="e-2", recorded_at=AT)


def _envelope(w: World) -> Any:
    """The founding of 'C9', stored at version 2 of 'S1' (after the store's one event)."""
    return _new_event(w).stored("S1", version=2, position=2)


def _snapshot(w: World) -> Any:
    return gridgov.Snapshot("S1", 1, dump(w.j))


def _temporary(w: World) -> str:
    """A temporary branch 'T1' (members are attached to it)."""
    if "T1" not in w.j.graph:
        w.j.found_org("T1", "branch", "T", parent="C1", kind="temporary")
    return "T1"


def _attached(w: World) -> str:
    """'P1', attached to the temporary branch 'T1'."""
    return w.j.attach_member("P1", _temporary(w)).attachment.person


def _plugin_manager() -> Any:
    return gridgov.plugins.new_plugin_manager(autoload=False)


def _small_spec() -> Any:
    from gridgov.allocation import spec_for

    return spec_for(None, households=120, members=40, communities=1)


_ALLOCATION: dict[str, Any] = {}


def allocation(name: str) -> Any:
    """A small simulated district's parts, made once (they are not changed by the calls)."""
    if not _ALLOCATION:
        from gridgov import allocation as a

        spec = _small_spec()
        result = a.simulate(spec)
        district = result.district
        alloc = result.allocation
        _ALLOCATION.update(
            spec=spec,
            result=result,
            district=district,
            allocation=alloc,
            grids=alloc.grids,
            zones=alloc.zones,
            member_group=alloc.member_group,
            layout=a.layout_for(spec),
            events=a.events_for(district, alloc),
            names=result.names,
        )
    return _ALLOCATION[name]


Good = Callable[[World], Any]

_VAR_KEYWORD = "**"
"""The key of :data:`SPECS` giving a ``**changes`` argument: its keys are given junk too."""

GOOD: dict[str, Good] = {
    "j": lambda w: w.j,
    "jurisdiction": lambda w: w.j,
    "source": lambda w: w.j,
    "old": lambda w: w.j,
    "new": lambda w: w.j,
    "org": lambda w: "B1",
    "person": lambda w: "P1",
    "zone": lambda w: "Z1",
    "household": lambda w: "H1",
    "cooperative": lambda w: "EC1",
    "community": lambda w: "C1",
    "holder": lambda w: "P1",
    "level": lambda w: "branch",
    "role": lambda w: "secretary",
    "category": lambda w: "sunk",
    "name": lambda w: "x",
    "code": lambda w: "GG206",
    "policy": lambda w: gridgov.Policy(),
    "scheme": lambda w: gridgov.FIVE_LEVEL,
    "registry": lambda w: gridgov.builtin_registry(),
    "event": lambda w: OrganizationFounded(Organization("C9", "community", "C", parent="S1")),
    "events": lambda w: [OrganizationFounded(Organization("C9", "community", "C", parent="S1"))],
    "text": lambda w: "x",
    "path": lambda w: "",
    "field": lambda w: "name",
    "value": lambda w: "x",
    "pm": lambda w: _plugin_manager(),
    "hook": lambda w: "gridgov_rules",
    "kind": lambda w: "org",
    "key": lambda w: "B1",
    "url": lambda w: "memory://",
    "stream": lambda w: "S1",
    "version": lambda w: 1,
    "position": lambda w: 1,
    "event_id": lambda w: "e-2",
    "topic": lambda w: "MemberUnfiled",
    "schema_version": lambda w: 1,
    "recorded_at": lambda w: AT,
    "actor": lambda w: None,
    "payload": lambda w: '{"person":"P1"}',
    "envelope": _envelope,
    "envelopes": lambda w: [_envelope(w)],
    "snapshot": _snapshot,
    "group": lambda w: "g",
    "consumer": lambda w: "c1",
    "delivery": lambda w: w.delivery,
    "reason": lambda w: "boom",
    "entry_ids": lambda w: ["1-0"],
    "district": lambda w: allocation("district"),
    "grids": lambda w: allocation("grids"),
    "zones": lambda w: allocation("zones"),
    "member_group": lambda w: allocation("member_group"),
    "spec": lambda w: allocation("spec"),
    "result": lambda w: allocation("result"),
}
"""Good values by argument name, for callables :data:`SPECS` says nothing about."""


def _zoned(w: World) -> Any:
    """A newcomer's move into H1, put in zone Z1 (for gridgov.churn)."""
    w.j.assign_household("H1", "Z1")
    return [{"kind": "join", "household": "H1"}]


def _located(w: World) -> Any:
    """The known-good jurisdiction with H1 placed, in zone Z1 (for gridgov.plot)."""
    w.j.assign_household("H1", "Z1")
    w.j.amend_household("H1", location=(1.0, 2.0))
    return w.j


def _founded(w: World) -> Any:
    return OrganizationFounded(Organization("C9", "community", "C", parent="S1"))


def _diagnostic(w: World) -> Any:
    return gridgov.Diagnostic("GG206", "error", "'B1' has no secretary", ("B1",))


def _context(w: World) -> Any:
    return gridgov.rules.Context(w.j, gridgov.Policy(), {"GG206": gridgov.Severity.ERROR})


def _rule(w: World) -> Any:
    return gridgov.builtin_registry()["GG206"]


_M = "gridgov.model"
_E = f"{_M}.events"
_V = f"{_M}.values"
_C = f"{_M}.commands.Commands"
_A = "gridgov.allocation"

SPECS: dict[str, dict[str, Good]] = {
    # records and events
    f"{_V}.Organization": {
        "id": lambda w: "B9",
        "level": lambda w: "branch",
        "name": lambda w: "x",
    },
    f"{_V}.Person": {"id": lambda w: "P9", "name": lambda w: "x"},
    f"{_V}.PartyMembership": {"status": lambda w: "full"},
    f"{_V}.Household": {"id": lambda w: "H9"},
    f"{_V}.Cooperative": {"id": lambda w: "EC9", "name": lambda w: "x"},
    f"{_V}.Registration": {"person": lambda w: "P1", "community": lambda w: "C1"},
    f"{_V}.Filing": {"person": lambda w: "P1", "org": lambda w: "G1"},
    f"{_V}.Claim": {"person": lambda w: "P1", "zone": lambda w: "Z1"},
    f"{_V}.Post": {"org": lambda w: "B1", "role": lambda w: "secretary", "holder": lambda w: "P1"},
    f"{_V}.FrozenMap": {},
    f"{_E}.AsOfSet": {"as_of": lambda w: "2024-01-01"},
    f"{_E}.OrganizationFounded": {"org": lambda w: Organization("C9", "community", "C", "S1")},
    f"{_E}.OrganizationAmended": {"org": lambda w: Organization("B1", "branch", "B", "C1")},
    f"{_E}.OrganizationReparented": {"org": lambda w: "B1", "parent": lambda w: "C1"},
    f"{_E}.PersonAdded": {"person": lambda w: gridgov.Person("P9", "x")},
    f"{_E}.PersonAmended": {"person": lambda w: gridgov.Person("P1", "x")},
    f"{_E}.HouseholdAdded": {"household": lambda w: gridgov.Household("H9")},
    f"{_E}.CooperativeAdded": {"cooperative": lambda w: gridgov.Cooperative("EC9", "x")},
    f"{_E}.CooperativeAmended": {"cooperative": lambda w: gridgov.Cooperative("EC1", "y")},
    f"{_E}.MemberRegistered": {"registration": lambda w: gridgov.Registration("P1", "C1")},
    f"{_E}.MemberFiled": {"filing": lambda w: gridgov.Filing("P1", "G1")},
    f"{_E}.MemberTransferred": {"org": lambda w: "G1"},
    f"{_E}.ZoneClaimed": {"claim": lambda w: gridgov.Claim("P1", "Z1")},
    f"{_E}.PostAssigned": {"post": lambda w: gridgov.Post("B1", "secretary", "P1")},
    f"{_E}.PostVacated": {"role": lambda w: "secretary"},
    f"{_E}.HouseholdAssigned": {"zone": lambda w: "Z1"},
    f"{_M}.scheme.Scheme": {
        "levels": lambda w: ("town", "village"),
        "filing_level": lambda w: "village",
        "zone_level": lambda w: "village",
    },
    f"{_M}.scheme.Scheme.preset": {"name": lambda w: "five-level"},
    f"{_M}.policy.Setting": {"name": lambda w: "xx_a", "default": lambda w: 1},
    f"{_M}.policy.Setting.check": {"value": lambda w: 2},
    f"{_M}.policy.Policy.from_mapping": {"settings": lambda w: {"max_branch_members": 60}},
    f"{_M}.policy.Policy.get": {"name": lambda w: "max_branch_members"},
    f"{_M}.policy.Policy.replace": {_VAR_KEYWORD: lambda w: {"max_branch_members": 60}},
    f"{_M}.policy.Policy.with_catalogue": {
        "catalogue": lambda w: {"xx_a": gridgov.Setting("xx_a", 1)}
    },
    f"{_M}.policy.catalogue_of": {"settings": lambda w: [gridgov.Setting("xx_a", 1)]},
    f"{_M}.ids.Taken": {"predicate": lambda w: lambda i: False},
    f"{_M}.ids.sequential_id": {
        "kind": lambda w: "person",
        "parent": lambda w: None,
        "taken": lambda w: gridgov.Taken(lambda i: False),
    },
    f"{_M}.graph.OrgGraph.at_level": {"level": lambda w: "branch"},
    f"{_M}.graph.OrgGraph.ancestor_at": {"org": lambda w: "B1", "level": lambda w: "community"},
    f"{_M}.diff.events_between": {"old": lambda w: Jurisdiction(), "new": lambda w: w.j},
    # the commands
    f"{_C}.found_org": {
        "id": lambda w: "N1",
        "level": lambda w: "community",
        "name": lambda w: "x",
        "parent": lambda w: "S1",
    },
    f"{_C}.add_person": {"id": lambda w: "P9", "name": lambda w: "x"},
    f"{_C}.add_household": {"id": lambda w: "H9"},
    f"{_C}.add_cooperative": {"id": lambda w: "EC9", "name": lambda w: "x"},
    f"{_C}.amend_org": {_VAR_KEYWORD: lambda w: {"name": "y", "kind": "grid"}},
    f"{_C}.amend_person": {_VAR_KEYWORD: lambda w: {"name": "y"}},
    f"{_C}.amend_cooperative": {_VAR_KEYWORD: lambda w: {"name": "y", "head": "P1"}},
    f"{_C}.move_org": {
        "org": lambda w: "Z1",
        "parent": lambda w: w.j.found_org("G2", "group", "G", parent="B1").org.id,
    },
    f"{_C}.dissolve_org": {"org": lambda w: "Z1"},
    f"{_C}.file_member": {"org": lambda w: "G1"},
    f"{_C}.set_as_of": {"as_of": lambda w: "2024-01-01"},
    f"{_C}.set_policy": {_VAR_KEYWORD: lambda w: {"max_branch_members": 60}},
    f"{_C}.remove_person": {"person": lambda w: w.j.add_person("P8", "x").person.id},
    f"{_C}.deregister": {"person": lambda w: w.j.register("P1", "C1").registration.person},
    f"{_C}.unfile_member": {"person": lambda w: w.j.file_member("P1", "G1").filing.person},
    f"{_C}.transfer_member": {
        "person": lambda w: w.j.file_member("P1", "G1").filing.person,
        "org": lambda w: w.j.found_org("G2", "group", "G", parent="B1").org.id,
    },
    f"{_C}.release_zone": {"person": lambda w: w.j.claim_zone("P1", "Z1").claim.person},
    f"{_C}.vacate": {"holder": lambda w: w.j.appoint("B1", "secretary", "P1").post.holder},
    f"{_C}.assign_household": {"zone": lambda w: "Z1"},
    f"{_M}.jurisdiction.Jurisdiction.subscribe": {"listener": lambda w: lambda e: None},
    f"{_M}.jurisdiction.Jurisdiction.replay": {"events": lambda w: list(w.j.log)},
    f"{_M}.enums.Category": {"value": lambda w: "sunk"},
    f"{_M}.enums.Duty": {"value": lambda w: "organization"},
    f"{_M}.enums.Level": {"value": lambda w: "branch"},
    f"{_M}.enums.MemberStatus": {"value": lambda w: "full"},
    f"{_M}.enums.OrgKind": {"value": lambda w: "grid"},
    f"{_M}.enums.Role": {"value": lambda w: "secretary"},
    "gridgov.rules.diagnostics.Severity": {"value": lambda w: "error"},
    f"{_M}.jurisdiction.Jurisdiction.posts_in": {"org": lambda w: "B1"},
    f"{_M}.jurisdiction.Jurisdiction.holders": {"on": lambda w: "2024-01-01"},
    f"{_M}.jurisdiction.Jurisdiction.is_taken": {"id": lambda w: "S1"},
    f"{_M}.enums.PartyHousehold": {"value": lambda w: "member"},
    f"{_M}.enums.RegistrationKind": {"value": lambda w: "residence"},
    f"{_V}.Post.held_on": {"day": lambda w: dt.date(2024, 1, 1)},
    f"{_E}.HouseholdAmended": {"household": lambda w: gridgov.Household("H1", building="b")},
    f"{_E}.MemberAttached": {"attachment": lambda w: gridgov.Attachment("P1", "T1")},
    f"{_C}.attach_member": {"org": _temporary},
    f"{_C}.detach_member": {"person": _attached, "org": _temporary},
    f"{_C}.relocate_member": {"org": lambda w: "G1"},
    f"{_C}.replace_holder": {
        "old": lambda w: w.j.appoint("B1", "secretary", "P1").post.holder,
        "new": lambda w: w.j.add_person("P2", "y", status="full").person.id,
    },
    f"{_C}.split_org": {"children": lambda w: ["G1"]},
    f"{_C}.merge_orgs": {
        "keep": lambda w: "B1",
        "absorbed": lambda w: w.j.found_org("B2", "branch", "B", parent="C1").org.id,
    },
    f"{_M}.operations.Change": {"events": lambda w: [_founded(w)]},
    f"{_M}.document.Document": {},
    f"{_M}.document.build": {"document": lambda w: w.document},
    f"{_M}.document.events_of": {"document": lambda w: w.document},
    f"{_M}.document.document_path": {"path": lambda w: "filings[3]", "field": lambda w: "org"},
    f"{_M}.document.natural_key": {"text": lambda w: "B10"},
    # io, converters, config
    "gridgov.io.parse": {"data": lambda w: dump(w.j)},
    "gridgov.io.load": {"source": lambda w: dump(w.j)},
    "gridgov.io.loads": {"text": lambda w: dumps(w.j)},
    "gridgov.io.read": {"source": lambda w: _document_file()},
    "gridgov.io.save": {"path": lambda w: _output_file()},
    "gridgov.config.load_settings": {"path": lambda w: _settings_file()},
    "gridgov.config.settings_from_mapping": {"table": lambda w: {"ignore": ["GG207"]}},
    "gridgov.config.Settings.apply_to": {"policy": lambda w: gridgov.Policy()},
    "gridgov.converters.structure": {
        "data": lambda w: {"person": "P1", "org": "G1"},
        "cls": lambda w: gridgov.Filing,
    },
    "gridgov.converters.try_structure": {
        "data": lambda w: {"person": "P1", "org": "G1"},
        "cls": lambda w: gridgov.Filing,
        "path": lambda w: "filings[0]",
    },
    "gridgov.converters.structure_event": {
        "data": lambda w: {"type": "MemberUnfiled", "person": "P1"}
    },
    "gridgov.converters.structure_policy": {"value": lambda w: {"max_branch_members": 60}},
    "gridgov.converters.structure_scheme": {"value": lambda w: "five-level"},
    "gridgov.converters.unstructure_event": {"event": _founded},
    "gridgov.converters.upcast": {
        "data": lambda w: {"type": "MemberUnfiled", "person": "P1"},
        "cls": lambda w: gridgov.MemberUnfiled,
    },
    "gridgov.converters.problems_of": {
        "exc": lambda w: ValueError("x"),
        "path": lambda w: "people[0]",
    },
    "gridgov.limits.check_int": {
        "field": lambda w: "value",
        "value": lambda w: 3,
        "low": lambda w: 0,
        "high": lambda w: 10,
    },
    "gridgov.limits.check_number": {
        "field": lambda w: "value",
        "value": lambda w: 1.5,
        "limit": lambda w: 10.0,
    },
    "gridgov.limits.check_length": {"field": lambda w: "size", "size": lambda w: 3},
    "gridgov.limits.check_flag": {"field": lambda w: "value", "value": lambda w: True},
    "gridgov.limits.check_text": {"field": lambda w: "value"},
    "gridgov.limits.check_id_text": {"field": lambda w: "value"},
    "gridgov.limits.check_ids": {"field": lambda w: "value", "value": lambda w: ["B1"]},
    # rules
    "gridgov.rules.diagnostics.Diagnostic": {
        "severity": lambda w: "error",
        "message": lambda w: "m",
        "ids": lambda w: ("B1",),
    },
    "gridgov.rules.diagnostics.Finding": {
        "message": lambda w: "m",
        "ids": lambda w: ("B1",),
        "hint": lambda w: "h",
        "path": lambda w: "organizations[0]",
    },
    "gridgov.rules.diagnostics.Report": {"diagnostics": lambda w: [_diagnostic(w)]},
    "gridgov.rules.diagnostics.Report.at_least": {"severity": lambda w: "warning"},
    "gridgov.rules.diagnostics.Severity.parse": {"value": lambda w: "error"},
    "gridgov.rules.registry.Rule": {
        "code": lambda w: "XX101",
        "name": lambda w: "xx-rule",
        "severity": lambda w: "error",
        "summary": lambda w: "a summary",
        "check": lambda w: lambda ctx, subjects: iter(()),
    },
    "gridgov.rules.registry.Rule.levels_in": {"scheme": lambda w: gridgov.FIVE_LEVEL},
    "gridgov.rules.registry.Gap": {"record": lambda w: "post"},
    "gridgov.rules.registry.Gap.explains": {"ids": lambda w: ("B1",), "refused": lambda w: 1},
    "gridgov.rules.registry.Registry": {},
    "gridgov.rules.registry.Registry.register": {
        "rule": lambda w: _xx_rule(w),
    },
    "gridgov.rules.registry.RuleSet.add": {"rule": lambda w: _xx_rule(w)},
    "gridgov.testing.assertions.format_report": {"report": lambda w: gridgov.rules.Report(())},
    "gridgov.testing.assertions.report_diff": {
        "a": lambda w: gridgov.rules.Report(()),
        "b": lambda w: gridgov.rules.Report(()),
    },
    "gridgov.rules.registry.RuleSet.check": {
        "code": lambda w: "XX101",
        "name": lambda w: "xx-rule",
        "severity": lambda w: "error",
        "summary": lambda w: "a summary",
    },
    "gridgov.rules.context.Context": {
        "jurisdiction": lambda w: w.j,
        "severities": lambda w: {"GG206": gridgov.Severity.ERROR},
    },
    "gridgov.rules.context.Context.diagnostic": {
        "code": lambda w: "GG206",
        "message": lambda w: "m",
        "ids": lambda w: ("B1",),
    },
    "gridgov.rules.context.Context.path": {"kind": lambda w: "org", "key": lambda w: "B1"},
    "gridgov.rules.context.Paths.set": {"path": lambda w: "organizations[0]"},
    "gridgov.rules.context.Paths.refuse": {"record": lambda w: "post", "subject": lambda w: "B1"},
    "gridgov.rules.tolerant.read_tolerant": {"document": lambda w: w.document},
    "gridgov.rules.engine.Validator": {"source": lambda w: w.j},
    "gridgov.rules.engine.Validator.apply": {"event": _founded},
    "gridgov.rules.engine.Validator.report": {"source": lambda w: "x.json"},
    "gridgov.rules.engine.validate": {"source": lambda w: w.j},
    "gridgov.validation.validate": {"source": lambda w: w.j},
    "gridgov.validation.Validator": {"source": lambda w: w.j},
    # rosters and the report
    "gridgov.rosters.Table": {
        "name": lambda w: "orgs",
        "columns": lambda w: ("id", "name"),
        "rows": lambda w: (("S1", "S"),),
    },
    "gridgov.rosters.Table.column": {"key": lambda w: "id"},
    "gridgov.rosters.ImportOutcome": {
        "added": lambda w: 1,
        "amended": lambda w: 0,
        "unchanged": lambda w: 2,
        "events": lambda w: 3,
    },
    "gridgov.rosters.table": {"name": lambda w: "members"},
    "gridgov.rosters.to_csv": {"t": lambda w: rosters.table(w.j)},
    "gridgov.rosters.from_csv": {"text": lambda w: "id,name,status\nP9,x,full\n"},
    "gridgov.rosters.write_table": {
        "t": lambda w: rosters.table(w.j),
        "path": lambda w: str(_tmp() / "out.csv"),
    },
    "gridgov.rosters.read_table": {"path": lambda w: _roster_file()},
    "gridgov.rosters.export_table": {
        "path": lambda w: str(_tmp() / "out.csv"),
        "name": lambda w: "members",
        "pseudonymise": lambda w: b"k",
        "mapping": lambda w: str(_tmp() / "map.csv"),
    },
    "gridgov.rosters.import_members": {
        "source": lambda w: rosters.Table(
            "members", ("id", "name", "status"), (("P9", "x", "full"),)
        )
    },
    "gridgov.rosters.Pseudonymiser": {"key": lambda w: b"k"},
    "gridgov.rosters.Pseudonymiser.write_mapping": {"path": lambda w: str(_tmp() / "map.csv")},
    "gridgov.reporting.write_report": {
        "path": lambda w: str(_tmp() / "report.html"),
        _VAR_KEYWORD: lambda w: {"lang": "zh"},
    },
    # storage, messaging, the envelope, the service
    "gridgov.adapters.storage.Snapshot": {"document": lambda w: dump(w.j)},
    "gridgov.adapters.storage.EventStore.append": {
        "events": lambda w: [_new_event(w)],
        "expected_version": lambda w: 1,
    },
    "gridgov.adapters.messaging.MessageBus.claim": {"min_idle": lambda w: 0},
    "gridgov.envelope.decode": {"fields": lambda w: gridgov.envelope.encode(_envelope(w))},
    "gridgov.envelope.from_dict": {"data": lambda w: gridgov.envelope.to_dict(_envelope(w))},
    "gridgov.service.Service": {"store": lambda w: w.store},
    "gridgov.service.Service.execute": {"change": lambda w: [gridgov.AsOfSet("2024-01-01")]},
    "gridgov.service.Service.execute_with_retry": {
        "change": lambda w: [gridgov.AsOfSet("2024-01-01")]
    },
    "gridgov.service.Service.import_jurisdiction": {"stream": lambda w: "S2"},
    "gridgov.service.Outcome": {
        "report": lambda w: gridgov.Report(()),
        "introduced": lambda w: (),
        "published": lambda w: None,
    },
    # plugins, cli
    "gridgov.plugins.block": {"name": lambda w: "xx-no-such-plugin"},
    "gridgov.plugins.GridGovPluginManager.set_blocked": {"name": lambda w: "xx-no-such-plugin"},
    "gridgov.plugins.GridGovPluginManager.register": {"plugin": lambda w: types.ModuleType("xx")},
    "gridgov.plugins.GridGovPluginManager.unregister": {"name": lambda w: "gridgov.rules"},
    "gridgov.cli.main": {"argv": lambda w: ["rules"]},
    "gridgov.cli.one_line": {"text": lambda w: "a  b"},
    "gridgov.errors.Problem": {"path": lambda w: "people[0]", "message": lambda w: "m"},
    # allocation
    f"{_A}.presets.DistrictSpec.replace": {_VAR_KEYWORD: lambda w: {"households": 500}},
    f"{_A}.presets.CommunitySpec": {
        "name": lambda w: "x",
        "households": lambda w: 100,
        "category_counts": lambda w: {"employed": 20},
    },
    f"{_A}.presets.spec_for": {
        "preset": lambda w: None,
        _VAR_KEYWORD: lambda w: {"households": 120, "members": 40, "communities": 1},
    },
    f"{_A}.simulate.simulate": {
        "preset": lambda w: _small_spec(),
        "validate": lambda w: False,
    },
    f"{_A}.simulate.SimulationResult.churn": {"seed": lambda w: 1},
    f"{_A}.simulate.SimulationResult.plot": {"community": lambda w: "C1", "font": lambda w: None},
    "gridgov.moves.churn": {"moves": lambda w: _zoned(w)},
    "gridgov.moves.Move": {"kind": lambda w: "leave", "person": lambda w: "P1"},
    "gridgov.plots.plot": {
        "j": lambda w: _located(w),
        "community": lambda w: "C1",
        "font": lambda w: None,
    },
    f"{_A}.churn.churn": {"result": lambda w: allocation("result")},
    f"{_A}.churn.reallocate": {
        "before": lambda w: allocation("district"),
        "after": lambda w: allocation("district"),
        "previous": lambda w: allocation("allocation"),
        "prev_index": lambda w: _arange(allocation("district")),
    },
    f"{_A}.build.events_for": {"allocation": lambda w: allocation("allocation")},
    f"{_A}.build.build_jurisdiction": {"events": lambda w: list(allocation("events"))},
    f"{_A}.report.report_for": {"allocation": lambda w: allocation("allocation")},
    f"{_A}.report.Stats.of": {"values": lambda w: _numbers()},
    f"{_A}.zones.assign_zones": {},
    f"{_A}.plan.Layout.branch_id": {"key": lambda w: 0},
    f"{_A}.plan.Layout.street_id": {"street": lambda w: 0},
    f"{_A}.generate.generate": {"seed": lambda w: 0},
}
"""Good values per callable (by its key), where the argument's name alone does not say."""


def _xx_rule(w: World) -> Any:
    return gridgov.Rule("XX101", "xx-rule", "error", "a summary", lambda ctx, subjects: iter(()))


def _arange(district: Any) -> Any:
    import numpy as np

    return np.arange(len(district.member_household))


def _numbers() -> Any:
    import numpy as np

    return np.array([1, 2, 3])


_FILES: dict[str, Path] = {}


def _tmp() -> Path:
    if "dir" not in _FILES:
        import tempfile

        _FILES["dir"] = Path(tempfile.mkdtemp(prefix="gridgov-bad-input-"))
    return _FILES["dir"]


def _document_file() -> str:
    path = _tmp() / "doc.json"
    if not path.exists():
        gridgov.save(base(), path)
    return str(path)


def _output_file() -> str:
    return str(_tmp() / "out.json")


def _roster_file() -> str:
    path = _tmp() / "roster.csv"
    if not path.exists():
        path.write_text("id,name,status\nP9,x,full\n", encoding="utf-8")
    return str(path)


def _settings_file() -> str:
    path = _tmp() / "gridgov.toml"
    if not path.exists():
        path.write_text('ignore = ["GG207"]\n', encoding="utf-8")
    return str(path)


RECEIVERS: dict[str, Good] = {
    f"{_M}.jurisdiction.Jurisdiction": lambda w: w.j,
    f"{_M}.commands.Commands": lambda w: w.j,
    f"{_M}.graph.OrgGraph": lambda w: w.j.graph,
    f"{_M}.scheme.Scheme": lambda w: gridgov.FIVE_LEVEL,
    f"{_M}.policy.Policy": lambda w: gridgov.Policy(),
    f"{_M}.policy.Setting": lambda w: gridgov.Setting("xx_a", 1),
    f"{_V}.Person": lambda w: w.j.people["P1"],
    f"{_E}.Event": _founded,
    f"{_E}.OrganizationFounded": _founded,
    f"{_E}.OrganizationAmended": lambda w: gridgov.OrganizationAmended(w.j.organizations["B1"]),
    f"{_E}.PersonAdded": lambda w: gridgov.PersonAdded(gridgov.Person("P9", "x")),
    f"{_E}.HouseholdAdded": lambda w: gridgov.HouseholdAdded(gridgov.Household("H9")),
    f"{_E}.HouseholdAssigned": lambda w: gridgov.HouseholdAssigned("H1", "Z1"),
    f"{_E}.CooperativeAdded": lambda w: gridgov.CooperativeAdded(gridgov.Cooperative("EC9", "x")),
    f"{_E}.MemberRegistered": lambda w: gridgov.MemberRegistered(gridgov.Registration("P1", "C1")),
    f"{_E}.MemberFiled": lambda w: gridgov.MemberFiled(gridgov.Filing("P1", "G1")),
    f"{_E}.ZoneClaimed": lambda w: gridgov.ZoneClaimed(gridgov.Claim("P1", "Z1")),
    f"{_E}.PostAssigned": lambda w: gridgov.PostAssigned(gridgov.Post("B1", "secretary", "P1")),
    "gridgov.config.Settings": lambda w: gridgov.Settings(),
    "gridgov.summary.Summary": lambda w: summarize(w.j),
    "gridgov.rosters.Table": lambda w: rosters.table(w.j),
    "gridgov.rosters.Pseudonymiser": lambda w: rosters.Pseudonymiser(b"k"),
    "gridgov.rules.diagnostics.Report": lambda w: validate(w.j),
    "gridgov.rules.diagnostics.Diagnostic": _diagnostic,
    "gridgov.rules.registry.Registry": lambda w: gridgov.builtin_registry(),
    "gridgov.rules.registry.Rule": _rule,
    "gridgov.rules.registry.Gap": lambda w: gridgov.Gap("post"),
    "gridgov.rules.registry.RuleSet": lambda w: gridgov.rules.RuleSet(),
    "gridgov.rules.context.Context": _context,
    "gridgov.rules.context.Paths": lambda w: gridgov.rules.Paths(),
    "gridgov.rules.engine.Validator": lambda w: gridgov.rules.Validator(w.j),
    "gridgov.plugins.GridGovPluginManager": lambda w: _plugin_manager(),
    f"{_V}.Post": lambda w: gridgov.Post("B1", "secretary", "P1", since="2021-01-01"),
    f"{_E}.HouseholdAmended": lambda w: gridgov.HouseholdAmended(gridgov.Household("H1")),
    f"{_E}.MemberAttached": lambda w: gridgov.MemberAttached(gridgov.Attachment("P1", "T1")),
    "gridgov.adapters.storage.EventStore": lambda w: w.store,
    "gridgov.adapters.messaging.MessageBus": lambda w: w.bus,
    "gridgov.envelope.Envelope": _envelope,
    "gridgov.envelope.NewEvent": _new_event,
    "gridgov.service.Service": lambda w: w.service,
    f"{_A}.presets.DistrictSpec": lambda w: _small_spec(),
    f"{_A}.churn.ChurnReport": lambda w: allocation("result").churn(seed=1).report,
    f"{_A}.grids.Grids": lambda w: allocation("grids"),
    f"{_A}.plan.Layout": lambda w: allocation("layout"),
    f"{_A}.report.SimulationReport": lambda w: allocation("result").report,
    f"{_A}.simulate.SimulationResult": lambda w: allocation("result"),
}
"""A good instance of each class whose methods are checked (by the class's key)."""


# -- the sweep --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _isolated() -> Iterator[None]:
    """Keep the process's plugin manager as it was, and gridgov's warnings quiet."""
    import warnings

    plugins = gridgov.plugins
    manager, blocked = plugins._MANAGER, list(plugins._BLOCKED)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gridgov.GridGovWarning)
            yield
    finally:
        plugins._MANAGER = manager
        plugins._BLOCKED[:] = blocked


def _target(entry: Entry, world: World) -> Callable[..., Any]:
    if entry.owner is None:
        return entry.obj
    raw = vars(entry.owner)[entry.method or ""]
    if isinstance(raw, classmethod | staticmethod):
        return getattr(entry.owner, entry.method or "")
    owner_key = f"{entry.owner.__module__}.{entry.owner.__qualname__}"
    make = RECEIVERS.get(owner_key)
    if make is None:
        raise LookupError(f"no receiver for {owner_key}: add one to RECEIVERS")
    return getattr(make(world), entry.method or "")


def _arguments(entry: Entry, fn: Callable[..., Any], world: World) -> dict[str, Any]:
    """Known-good keyword arguments of `fn` (those with defaults are left out)."""
    spec = SPECS.get(entry.key, {})
    out: dict[str, Any] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            if _VAR_KEYWORD in spec:
                out.update(spec[_VAR_KEYWORD](world))
            continue
        if name in spec:
            out[name] = spec[name](world)
        elif p.default is inspect.Parameter.empty:
            if name not in GOOD:
                raise LookupError(f"{entry.key}: no good value for {name!r}: add one to SPECS")
            out[name] = GOOD[name](world)
    return out


def _call(fn: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    sig = inspect.signature(fn)
    positional = [
        kwargs.pop(name)
        for name, p in sig.parameters.items()
        if p.kind is p.POSITIONAL_ONLY and name in kwargs
    ]
    return fn(*positional, **kwargs)


def _fuzzed(entry: Entry, fn: Callable[..., Any], world: World) -> list[tuple[str, Any]]:
    """The arguments to give junk, with their annotations (a ``**changes`` key: Any)."""
    annotations = hints(Entry(entry.key, fn, entry.owner, entry.method))
    spec = SPECS.get(entry.key, {})
    out = []
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            if _VAR_KEYWORD in spec:
                out.extend((key, Any) for key in spec[_VAR_KEYWORD](world))
            continue
        out.append((name, annotations.get(name, Any)))
    return out


def check(entry: Entry) -> list[str]:
    """Give each argument of `entry` each junk value; return what went wrong."""
    problems: list[str] = []
    with _isolated():
        world = World()
        fn = _target(entry, world)
        kwargs = _arguments(entry, fn, world)
        try:
            _call(fn, dict(kwargs))
        except Exception as exc:
            return [f"the known-good call raised {type(exc).__name__}: {exc}"]
        for name, hint in _fuzzed(entry, fn, world):
            for label, value in zip(_LABELS, BAD, strict=True):
                problem = _one(entry, name, hint, label, value)
                if problem is not None:
                    problems.append(problem)
    return problems


def _refusals() -> tuple[type[BaseException], ...]:
    """A ``GridGovError``; and, for strategies (``gridgov.testing``), Hypothesis's own
    ``InvalidArgument``, as Hypothesis's strategies raise."""
    try:
        from hypothesis.errors import InvalidArgument
    except ImportError:  # pragma: no cover - the test extra installs it
        return (GridGovError,)
    return (GridGovError, InvalidArgument)


_REFUSALS = _refusals()


def _one(entry: Entry, name: str, hint: Any, label: str, value: Any) -> str | None:
    world = World()
    fn = _target(entry, world)
    kwargs = _arguments(entry, fn, world)
    kwargs[name] = value
    before = snapshot(world.j)
    where = f"{name}={label}"
    try:
        result = _call(fn, kwargs)
    except _REFUSALS as exc:
        alias = ALIASES.get(entry.key, {}).get(name)
        if not _names(exc, name) and (alias is None or not _names(exc, alias)):
            return f"{where}: the error does not name {name!r}: {exc}"
        if snapshot(world.j) != before:
            return f"{where}: a refusal changed the jurisdiction"
        return None
    except Exception as exc:
        return f"{where}: raised {type(exc).__name__}: {str(exc)[:200]}"
    if not conforms(value, hint):
        return f"{where}: accepted a value that is not {hint}"
    if inspect.isclass(entry.obj) and attrs.has(entry.obj) and entry.owner is None:
        fields = {a.alias: a.name for a in attrs.fields(entry.obj)}
        if name in fields and not means(getattr(result, fields[name]), value):
            stored = getattr(result, fields[name])
            if not _normalized(stored, value):
                return f"{where}: stored {stored!r:.80} for {value!r:.80}"
    if isinstance(result, gridgov.Event) and entry.owner is not None:
        stored = stored_in(result, name)
        if stored is not _MISSING and not means(stored, value) and not _normalized(stored, value):
            return f"{where}: stored {stored!r:.80} for {value!r:.80}"
        if load(dump(world.j)) != world.j:
            return f"{where}: what was stored does not survive the document"
    return None


def _normalized(stored: Any, given: Any) -> bool:
    """``None`` given means "the default" (or "make one", for an id): whatever is stored."""
    return given is None


_ENTRIES = sorted(public_callables(), key=lambda e: e.key)
_CHECKED = [e for e in _ENTRIES if _exempt(e) is None]


def test_the_sweep_finds_the_public_api() -> None:
    keys = {e.key for e in _ENTRIES}
    for key in (
        "gridgov.io.save",
        "gridgov.config.load_settings",
        "gridgov.model.scheme.Scheme",
        "gridgov.model.policy.Policy.from_mapping",
        "gridgov.model.commands.Commands.found_org",
        "gridgov.summary.summarize",
        "gridgov.model.enums.Role",
    ):
        assert key in keys
    assert set(EXEMPT) <= keys, "an exemption names no public callable"
    assert len(_CHECKED) > 200


@pytest.mark.parametrize("entry", _CHECKED, ids=lambda e: e.key.removeprefix("gridgov."))
def test_every_public_callable_refuses_junk_with_a_gridgov_error(
    entry: Entry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a path given as junk ("nope") is written or read here
    problems = check(entry)
    assert not problems, f"{entry.key}:\n  " + "\n  ".join(problems)
