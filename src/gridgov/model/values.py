"""Value objects: organizations, people, households, cooperatives and their relations.

All are attrs frozen, slotted classes: compare by value, hash, and change with
:func:`attrs.evolve`. They validate their own fields (ids, enum names, dates) and raise
:class:`~gridgov.errors.InvalidValueError` naming the field; whether the ids they
reference exist is the jurisdiction's business. They know nothing about JSON.

Examples
--------
>>> from gridgov.model import Organization, Person, PartyMembership
>>> Organization("B1", "branch", "清湖第一经济社网格党支部", parent="C1", kind="grid").kind
'grid'
>>> p = Person("P1", "邹波", party=PartyMembership("full", categories={"street_cadre"}))
>>> p.is_member, p.party.is_full
(True, True)
>>> Person("P2", "某社长").is_member
False
>>> Organization("", "branch", "x")
Traceback (most recent call last):
...
gridgov.errors.InvalidValueError: id: must be a non-empty string of at most 200 characters (got '')
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from collections.abc import Set as AbstractSet
from enum import StrEnum
from itertools import islice
from typing import Any, TypeVar

from attrs import Attribute, field, frozen

from gridgov.errors import InvalidValueError
from gridgov.limits import (
    MAX_COORDINATE,
    MAX_DATE,
    MAX_DEPTH,
    MAX_EXTENSION_INTEGER,
    MAX_ID_LENGTH,
    MAX_ITEMS,
    MAX_TEXT_LENGTH,
    MIN_DATE,
    check_id_text,
    check_length,
    check_number,
)
from gridgov.limits import check_text as _check_text
from gridgov.model.enums import (
    Category,
    Duty,
    MemberStatus,
    OrgKind,
    PartyHousehold,
    RegistrationKind,
    Role,
)

__all__ = [
    "EXTENSION_PREFIX",
    "MAX_DATE",
    "MAX_ID_LENGTH",
    "MIN_DATE",
    "NO_EXTENSIONS",
    "Attachment",
    "Claim",
    "Cooperative",
    "Filing",
    "FrozenMap",
    "Household",
    "Organization",
    "PartyMembership",
    "Person",
    "Post",
    "Registration",
    "as_of_converter",
    "check_id",
    "check_optional_id",
    "check_optional_text",
    "check_text",
    "date_converter",
    "ends_converter",
    "formed_converter",
    "instance_of",
    "joined_converter",
    "optional_date",
    "since_converter",
    "term_start_converter",
    "thaw",
    "to_date",
    "to_registration_kind",
    "to_role",
    "until_converter",
]

E = TypeVar("E", bound=StrEnum)


def check_id(instance: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: `value` is an id, a non-empty string of at most ``MAX_ID_LENGTH``.

    For the fields of records and events, including a plugin's own event types. An id
    holds no control character and no lone surrogate (see
    :func:`gridgov.limits.check_id_text`).

    Raises
    ------
    InvalidValueError
        Naming the field.

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     org: str = field(validator=check_id)
    >>> Noted("")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: org: must be a non-empty string of at most 200 characters (got '')
    """
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_ID_LENGTH
        or not value.isprintable()  # the fast path: a printable id is fine
    ):
        check_id_text(attribute.name, value)


def check_optional_id(instance: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: `value` is ``None`` or an id (see :func:`check_id`).

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     org: str | None = field(default=None, validator=check_optional_id)
    >>> Noted().org is None
    True
    """
    if value is not None:
        check_id(instance, attribute, value)


def check_text(instance: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: `value` is text, a string of at most ``MAX_TEXT_LENGTH`` characters.

    Valid Unicode (no lone surrogate) without control characters other than tab and
    line breaks (see :func:`gridgov.limits.check_text`).

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     name: str = field(validator=check_text)
    >>> Noted(3)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: name: must be a string (got 3)
    """
    if not isinstance(value, str) or len(value) > MAX_TEXT_LENGTH or not value.isprintable():
        _check_text(attribute.name, value)


def check_optional_text(instance: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: `value` is ``None`` or a string.

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     name: str | None = field(default=None, validator=check_optional_text)
    >>> Noted("x").name
    'x'
    """
    if value is not None:
        check_text(instance, attribute, value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_date(value: object, field: str = "date") -> dt.date:
    """Return `value` as a :class:`datetime.date`: a date, or an ISO ``YYYY-MM-DD`` string.

    Parameters
    ----------
    value : date or str
        The date.
    field : str
        What is being given, for the error message.

    Raises
    ------
    InvalidValueError
        If `value` is neither, is not a real day, or lies outside
        :data:`MIN_DATE` .. :data:`MAX_DATE`.

    Examples
    --------
    >>> to_date("2021-09-01"), to_date(dt.date(2021, 9, 1))
    (datetime.date(2021, 9, 1), datetime.date(2021, 9, 1))
    >>> to_date("2021-02-30", "since")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: since: is not a valid date (got '2021-02-30')
    >>> to_date(dt.date(9999, 6, 1), "term_start")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: term_start: must be between 1900-01-01 and 2199-12-31 (got datetime.date(9999, 6, 1))
    """
    if isinstance(value, str):
        if len(value) != 10 or not _ISO_DATE.fullmatch(value):
            raise InvalidValueError(field, value, "must be a date written YYYY-MM-DD")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(field, value, "is not a valid date") from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        raise InvalidValueError(field, value, "must be a datetime.date or a YYYY-MM-DD string")
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidValueError(
            field, value, f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"
        )
    return day


def optional_date(value: object, field: str = "date") -> dt.date | None:
    """Return ``None`` for ``None``, else `value` as a date (see :func:`to_date`).

    The optional date fields of records and events convert with the named converters
    below (``since_converter``, ...), which give the field's name to the error.

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     on: dt.date | None = field(default=None, converter=date_converter)
    >>> Noted("2021-09-01").on, Noted().on
    (datetime.date(2021, 9, 1), None)
    """
    return None if value is None else to_date(value, field)


def date_converter(value: object) -> dt.date | None:
    """Converter of an optional ``date`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> date_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "date")


def since_converter(value: object) -> dt.date | None:
    """Converter of an optional ``since`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> since_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "since")


def until_converter(value: object) -> dt.date | None:
    """Converter of an optional ``until`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> until_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "until")


def formed_converter(value: object) -> dt.date | None:
    """Converter of an optional ``formed`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> formed_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "formed")


def term_start_converter(value: object) -> dt.date | None:
    """Converter of an optional ``term_start`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> term_start_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "term_start")


def ends_converter(value: object) -> dt.date | None:
    """Converter of an optional ``ends`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> ends_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "ends")


def joined_converter(value: object) -> dt.date | None:
    """Converter of an optional ``joined`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> joined_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "joined")


def as_of_converter(value: object) -> dt.date | None:
    """Converter of an optional ``as_of`` field: ``None``, a date or a ``YYYY-MM-DD`` string.

    Examples
    --------
    >>> as_of_converter("2021-09-01")
    datetime.date(2021, 9, 1)
    """
    return optional_date(value, "as_of")


def _enum(cls: type[E], name: str) -> Callable[[object], E]:
    def convert(value: object) -> E:
        try:
            return cls(value)  # type: ignore[arg-type]
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise InvalidValueError(name, value, f"must be one of {allowed}") from None

    return convert


def _optional_enum(cls: type[E], name: str) -> Callable[[object], E | None]:
    convert = _enum(cls, name)
    return lambda value: None if value is None else convert(value)


_role = _enum(Role, "role")
_status = _enum(MemberStatus, "status")
_kind = _optional_enum(OrgKind, "kind")
_duty = _optional_enum(Duty, "duty")
_party_household_enum = _optional_enum(PartyHousehold, "party_household")


def _party_household(value: object) -> PartyHousehold | None:
    return _party_household_enum(value)


_registration_kind = _enum(RegistrationKind, "kind")


def to_registration_kind(value: object) -> RegistrationKind:
    """Converter: the :class:`~gridgov.model.RegistrationKind` named by `value`.

    Examples
    --------
    >>> to_registration_kind("work_unit")
    'work_unit'
    """
    return _registration_kind(value)


_category = _enum(Category, "category")


def to_role(value: object) -> Role:
    """Converter: the :class:`~gridgov.model.Role` named by `value`.

    Raises
    ------
    InvalidValueError
        If `value` names no role.

    Examples
    --------
    >>> to_role("secretary")
    'secretary'
    """
    return _role(value)


def _to_status(value: object) -> MemberStatus:
    return _status(value)


def _to_kind(value: object) -> OrgKind | None:
    return _kind(value)


def _to_duty(value: object) -> Duty | None:
    return _duty(value)


def instance_of(cls: type, name: str) -> Callable[[object, Attribute[Any], object], None]:
    """Return an attrs validator refusing anything but an instance of `cls`, naming `name`.

    Examples
    --------
    >>> from attrs import field, frozen
    >>> @frozen
    ... class Noted:
    ...     filing: Filing = field(validator=instance_of(Filing, "filing"))
    >>> Noted("P1")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: filing: must be a Filing (got 'P1')
    """

    def check(instance: object, attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, cls):
            raise InvalidValueError(name, value, f"must be a {cls.__name__}")

    return check


def _sequence(value: object, field: str, what: str) -> tuple[Any, ...]:
    """The items of `value`, a list, tuple or other ordered collection (not a string,
    bytes, a mapping or a set), at most ``MAX_ITEMS`` of them."""
    if type(value) is tuple and len(value) <= MAX_ITEMS:
        return value  # the common case, fast
    if isinstance(value, str | bytes | bytearray | Mapping | AbstractSet) or not isinstance(
        value, Iterable
    ):
        raise InvalidValueError(field, value, f"must be a list of {what}")
    if isinstance(value, Sized):
        check_length(field, len(value))
    items = tuple(value)
    check_length(field, len(items))
    return items


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    items = _sequence(value, "units", "names or ids")
    for item in items:
        check_id_text("units", item)
    return items


def _categories(value: Iterable[Category | str]) -> frozenset[Category]:
    if isinstance(value, AbstractSet):
        value = tuple(value)
    items = _sequence(value, "categories", "category names")
    convert = _enum(Category, "categories")
    return frozenset(convert(v) for v in items)


def _location(value: tuple[float, float] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    if type(value) is tuple and len(value) == 2:  # the common case, fast
        x, y = value
        if (
            type(x) is float
            and type(y) is float
            and -MAX_COORDINATE <= x <= MAX_COORDINATE
            and -MAX_COORDINATE <= y <= MAX_COORDINATE
        ):
            return value
    if isinstance(value, str | bytes | bytearray | Mapping | AbstractSet) or not isinstance(
        value, Iterable
    ):
        raise InvalidValueError("location", value, "must be a pair of numbers (x, y)")
    pair = tuple(islice(value, 3))
    if len(pair) != 2:
        raise InvalidValueError("location", value, "must be a pair of numbers (x, y)")
    try:
        return (
            check_number("location", pair[0], MAX_COORDINATE),
            check_number("location", pair[1], MAX_COORDINATE),
        )
    except InvalidValueError as exc:  # name the pair, not the coordinate
        reason = exc.reason.replace("a number", "a pair of numbers").replace(
            "a finite number", "a pair of finite numbers"
        )
        raise InvalidValueError("location", value, reason) from None


EXTENSION_PREFIX = "x-"
"""Keys a host may add to any record of the document format (``"x-ward": "3"``)."""


class FrozenMap(Mapping[str, Any]):
    """An immutable mapping (a record's extensions, a policy's contributed settings).

    Compares equal to any mapping with the same items, hashes when its values do, and
    pickles and copies as itself.

    Examples
    --------
    >>> m = FrozenMap({"x-ward": "3"})
    >>> m["x-ward"], m == {"x-ward": "3"}, dict(m)
    ('3', True, {'x-ward': '3'})
    """

    __slots__ = ("_items",)
    _items: dict[str, Any]

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_items", dict(items or {}))

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return bool(self._items == dict(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return FrozenMap, (self._items,)


_EXTENSION_KEY = re.compile("x-[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]{1,198}")

NO_EXTENSIONS: Mapping[str, Any] = FrozenMap()
"""The extensions of a record that has none."""


_INT_LOW, _INT_HIGH = -MAX_EXTENSION_INTEGER - 1, MAX_EXTENSION_INTEGER


def _freeze_json(value: object, where: str, depth: int = 0) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _check_text(where, value)
    if isinstance(value, int):
        if not _INT_LOW <= value <= _INT_HIGH:
            raise InvalidValueError(where, value, "must be an integer within ±2**63")
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= 2.0**63:
            raise InvalidValueError(where, value, "must be a finite number within ±2**63")
        return value
    if isinstance(value, list | tuple | Mapping):
        if depth >= MAX_DEPTH:
            raise InvalidValueError(where, value, f"must be nested at most {MAX_DEPTH} levels deep")
        check_length(where, len(value))
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                if not isinstance(k, str):
                    raise InvalidValueError(where, k, "keys must be strings")
                out[_check_text(where, k)] = _freeze_json(v, f"{where}.{k}", depth + 1)
            return FrozenMap(out)
        return tuple(_freeze_json(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
    raise InvalidValueError(
        where, value, "must be JSON data (null, a boolean, number, string, list or object)"
    )


def _extensions(value: object) -> Mapping[str, Any]:
    """Check and freeze a record's extension fields (keys starting with ``x-``)."""
    if value is NO_EXTENSIONS or value is None:
        return NO_EXTENSIONS
    if not isinstance(value, Mapping):
        raise InvalidValueError("extensions", value, "must be a mapping of x- keys to JSON data")
    if not value:
        return NO_EXTENSIONS
    out = {}
    for key, item in value.items():
        if not isinstance(key, str) or not _EXTENSION_KEY.fullmatch(key):
            raise InvalidValueError(
                "extensions",
                key,
                f"extension keys are {EXTENSION_PREFIX!r} and a name without control characters",
            )
        out[key] = _freeze_json(item, key)
    return FrozenMap(out)


def thaw(value: Any) -> Any:
    """Return frozen extension data as plain JSON data (lists and dicts).

    Examples
    --------
    >>> from gridgov.model import Household
    >>> thaw(Household("H1", extensions={"x-tags": ["a"]}).extensions)
    {'x-tags': ['a']}
    """
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    return value


def _extensions_field() -> Any:
    return field(default=NO_EXTENSIONS, converter=_extensions, kw_only=True, hash=False, repr=False)


@frozen
class Organization:
    """A Party organization at one level of the scheme.

    Parameters
    ----------
    id : str
        Unique id.
    level : str
        One of the scheme's levels (checked by the jurisdiction).
    name : str
        Display name, e.g. ``"清湖第一经济社网格党支部"``.
    parent : str, optional
        Id of the organization one level up; ``None`` for the root.
    kind : OrgKind, optional
        ``grid`` (the default for branches), ``functional``, ``temporary``, ``joint``,
        ``general`` or ``committee``.
    cooperative : str, optional
        Id of the economic cooperative the grid is drawn on.
    formed, term_start, ends : datetime.date or str, optional
        When it was formed, when its committee's term began, when it ends (temporary).
    units : tuple of str
        The member units a joint branch covers.

    Raises
    ------
    InvalidValueError
        If an id is empty or too long, a kind is unknown, or a date is not a
        :class:`datetime.date`.

    Examples
    --------
    >>> from gridgov.model import Organization
    >>> b = Organization("B1", "branch", "联合党支部", parent="C1", kind="joint", units=["U1", "U2"])
    >>> b.kind, b.units
    ('joint', ('U1', 'U2'))
    >>> Organization("B2", "branch", "x", kind="cell")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: kind: must be one of grid, functional, temporary, joint, general, committee, volunteer_team, commando_team, service_team (got 'cell')
    """

    id: str = field(validator=check_id)
    level: str = field(validator=check_id)
    name: str = field(validator=check_text)
    parent: str | None = field(default=None, validator=check_optional_id)
    kind: OrgKind | None = field(default=None, converter=_to_kind)
    cooperative: str | None = field(default=None, validator=check_optional_id)
    formed: dt.date | None = field(default=None, converter=formed_converter)
    term_start: dt.date | None = field(default=None, converter=term_start_converter)
    ends: dt.date | None = field(default=None, converter=ends_converter)
    units: tuple[str, ...] = field(default=(), converter=_id_tuple)
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class PartyMembership:
    """A person's Party membership.

    Parameters
    ----------
    status : MemberStatus
        ``full`` or ``probationary``.
    categories : frozenset of Category
        Any of the categories the sources name (sunk, employed, street_cadre, ...).
    affiliation : str, optional
        The formal organizational affiliation (组织关系), often a branch outside the grid.
    joined : datetime.date or str, optional
        When the person joined the Party.

    Raises
    ------
    InvalidValueError
        If the status or a category is not one of the allowed names.

    Examples
    --------
    >>> from gridgov.model import PartyMembership
    >>> m = PartyMembership("probationary", categories=["sunk"])
    >>> m.is_full, sorted(m.categories)
    (False, ['sunk'])
    >>> PartyMembership("member")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: status: must be one of full, probationary (got 'member')
    """

    status: MemberStatus = field(converter=_to_status)
    categories: frozenset[Category] = field(default=frozenset(), converter=_categories)
    affiliation: str | None = field(default=None, validator=check_optional_id)
    joined: dt.date | None = field(default=None, converter=joined_converter)

    @property
    def is_full(self) -> bool:
        """Whether the member is a full member (may vote, elect and be elected)."""
        return self.status is MemberStatus.FULL


def _check_party(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, PartyMembership):
        raise InvalidValueError("party", value, "must be a PartyMembership or None")


@frozen
class Person:
    """A person: a Party member when `party` is set, otherwise a non-member.

    Parameters
    ----------
    id : str
        Unique id.
    name : str
        Name.
    party : PartyMembership, optional
        The membership; ``None`` for a non-member (e.g. a cooperative head).
    household : str, optional
        Id of the household the person lives in.

    Raises
    ------
    InvalidValueError
        If an id is malformed or `party` is not a :class:`PartyMembership`.

    Examples
    --------
    >>> from gridgov.model import Person, PartyMembership
    >>> p = Person("P1", "邹波", party=PartyMembership("probationary"), household="H1")
    >>> p.is_member, p.is_full_member
    (True, False)
    >>> Person("P2", "某社长").party is None
    True
    """

    id: str = field(validator=check_id)
    name: str = field(validator=check_text)
    party: PartyMembership | None = field(default=None, validator=_check_party)
    household: str | None = field(default=None, validator=check_optional_id)
    extensions: Mapping[str, Any] = _extensions_field()

    @property
    def is_member(self) -> bool:
        """Whether the person is a Party member."""
        return self.party is not None

    @property
    def is_full_member(self) -> bool:
        """Whether the person is a full Party member."""
        return self.party is not None and self.party.status is MemberStatus.FULL

    def has_category(self, category: Category | str) -> bool:
        """Return whether the person is a member carrying `category`.

        Parameters
        ----------
        category : Category or str
            A category, or its name.

        Returns
        -------
        bool
            ``False`` for a non-member.

        Examples
        --------
        >>> from gridgov.model import Person, PartyMembership
        >>> p = Person("P1", "A", party=PartyMembership("full", categories={"street_cadre"}))
        >>> p.has_category("street_cadre"), p.has_category("retired")
        (True, False)
        >>> Person("P2", "B").has_category("street_cadre")
        False
        """
        wanted = _category(category)
        return self.party is not None and wanted in self.party.categories


@frozen
class Household:
    """A household; zones list the households they answer for.

    Parameters
    ----------
    id : str
        Unique id.
    building : str, optional
        The building or compound it is in.
    address : str, optional
        Address text.
    location : tuple of float, optional
        A point ``(x, y)``, e.g. metres on a local grid.
    party_household : PartyHousehold, optional
        The Party plaque on its door: ``member`` (党员户) or ``central`` (党员中心户).

    Raises
    ------
    InvalidValueError
        If the id is malformed or `location` is not a pair of finite numbers.

    Examples
    --------
    >>> from gridgov.model import Household
    >>> Household("H1", building="3栋", location=(120, 45)).location
    (120.0, 45.0)
    >>> Household("H2", location=(0, float("inf")))
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: location: must be a pair of finite numbers within ±1e+09 (got (0, inf))
    """

    id: str = field(validator=check_id)
    building: str | None = field(default=None, validator=check_optional_text)
    address: str | None = field(default=None, validator=check_optional_text)
    location: tuple[float, float] | None = field(default=None, converter=_location)
    party_household: PartyHousehold | None = field(default=None, converter=_party_household)
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class Cooperative:
    """An economic cooperative (经济社) a grid may be drawn on.

    Parameters
    ----------
    id, name : str
        Id and name.
    community : str, optional
        Id of the community organization it belongs to.
    head : str, optional
        Id of the cooperative head (经济社社长), who need not be a Party member.
    branch_secretary : str, optional
        Id of the secretary of the cooperative's own branch.

    Raises
    ------
    InvalidValueError
        If an id is malformed or the name is not a string.

    Examples
    --------
    >>> from gridgov.model import Cooperative
    >>> c = Cooperative("EC1", "清湖第一经济社", community="C1", head="P7")
    >>> c.head, c.branch_secretary is None
    ('P7', True)
    """

    id: str = field(validator=check_id)
    name: str = field(validator=check_text)
    community: str | None = field(default=None, validator=check_optional_id)
    head: str | None = field(default=None, validator=check_optional_id)
    branch_secretary: str | None = field(default=None, validator=check_optional_id)
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class Registration:
    """A member's report to their residence community (居住地报到).

    Parameters
    ----------
    person : str
        Id of the member.
    community : str
        Id of the organization registered at (the community level, or the scheme's top).
    date : datetime.date or str, optional
        When the member reported.
    kind : RegistrationKind
        ``residence`` (the default: the community where they live) or ``work_unit`` (the
        community their work unit is paired with, under dual registration 双报到).

    Raises
    ------
    InvalidValueError
        If an id is malformed or `date` is not a :class:`datetime.date`.

    Examples
    --------
    >>> import datetime as dt
    >>> from gridgov.model import Registration
    >>> Registration("P5", "C1", dt.date(2023, 4, 1)).community
    'C1'
    >>> Registration("P5", "C1", "2023-04-01").date
    datetime.date(2023, 4, 1)
    >>> Registration("P5", "C1", "April 2023")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: date: must be a date written YYYY-MM-DD (got 'April 2023')
    """

    person: str = field(validator=check_id)
    community: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)
    kind: RegistrationKind = field(
        default=RegistrationKind.RESIDENCE, converter=to_registration_kind
    )
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class Filing:
    """A member filed into an organization at the scheme's filing level (入格).

    Parameters
    ----------
    person : str
        Id of the member.
    org : str
        Id of the organization at the filing level.
    date : datetime.date or str, optional
        When the member was filed.

    Raises
    ------
    InvalidValueError
        If an id is malformed or `date` is not a :class:`datetime.date`.

    Examples
    --------
    >>> from gridgov.model import Filing
    >>> Filing("P5", "G1")
    Filing(person='P5', org='G1', date=None)
    """

    person: str = field(validator=check_id)
    org: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class Claim:
    """A member's claim on a responsibility zone (认领责任区).

    Parameters
    ----------
    person : str
        Id of the member.
    zone : str
        Id of the organization at the zone level.
    date : datetime.date or str, optional
        When the zone was claimed.

    Raises
    ------
    InvalidValueError
        If an id is malformed or `date` is not a :class:`datetime.date`.

    Examples
    --------
    >>> from gridgov.model import Claim
    >>> Claim("P5", "Z3") == Claim("P5", "Z3")
    True
    """

    person: str = field(validator=check_id)
    zone: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)
    extensions: Mapping[str, Any] = _extensions_field()


@frozen
class Post:
    """A post held in an organization.

    Parameters
    ----------
    org : str
        The organization.
    role : Role
        The post.
    holder : str
        Id of the person holding it.
    appointed_by : str, optional
        Id of the appointing organization (first secretaries: the street committee).
    since : datetime.date or str, optional
        Start date.
    duty : Duty, optional
        A committee member's duty (organization, propaganda, discipline).
    until : datetime.date or str, optional
        When the holder left the post (a past tenure); ``None`` for a post still held.

    Raises
    ------
    InvalidValueError
        If an id is malformed, or the role or duty is not one of the allowed names.

    Examples
    --------
    >>> from gridgov.model import Post
    >>> p = Post("B1", "committee_member", "P5", duty="propaganda")
    >>> p.key, p.duty
    (('B1', 'committee_member', 'P5'), 'propaganda')
    """

    org: str = field(validator=check_id)
    role: Role = field(converter=to_role)
    holder: str = field(validator=check_id)
    appointed_by: str | None = field(default=None, validator=check_optional_id)
    since: dt.date | None = field(default=None, converter=since_converter)
    duty: Duty | None = field(default=None, converter=_to_duty)
    until: dt.date | None = field(default=None, converter=until_converter)
    extensions: Mapping[str, Any] = _extensions_field()

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.since is not None and self.until < self.since:
            raise InvalidValueError(
                "until", self.until, f"must not be before since ({self.since.isoformat()})"
            )

    def held_on(self, day: dt.date | str) -> bool:
        """Whether the post was held on `day`: from `since` (inclusive) to `until` (exclusive).

        Parameters
        ----------
        day : datetime.date or str
            The day (or its ``YYYY-MM-DD`` string).

        Raises
        ------
        InvalidValueError
            If `day` is not a date (see :func:`to_date`).

        Examples
        --------
        >>> p = Post("B1", "secretary", "P3", since=dt.date(2021, 1, 1), until=dt.date(2023, 3, 1))
        >>> p.held_on(dt.date(2023, 2, 28)), p.held_on("2023-03-01")
        (True, False)
        """
        if type(day) is not dt.date:  # the common case, fast: a date
            day = to_date(day, "day")
        return (self.since is None or self.since <= day) and (
            self.until is None or day < self.until
        )

    @property
    def key(self) -> tuple[str, Role, str]:
        """``(org, role, holder)``: what identifies a post in a jurisdiction."""
        return (self.org, self.role, self.holder)


@frozen
class Attachment:
    """A member serving in an organization in addition to their grid filing.

    A temporary, functional or joint organization, or a service team, counts its
    attached members as its own; the member stays filed in the grid where they live
    (Xiqiao formed 26 temporary branches in 2020 this way).

    Parameters
    ----------
    person : str
        Id of the member.
    org : str
        Id of the organization they serve in.
    date : datetime.date or str, optional
        Since when.

    Raises
    ------
    InvalidValueError
        If an id is malformed or `date` is not a date.

    Examples
    --------
    >>> Attachment("P5", "T1", "2020-02-01").date
    datetime.date(2020, 2, 1)
    """

    person: str = field(validator=check_id)
    org: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)
    extensions: Mapping[str, Any] = _extensions_field()
