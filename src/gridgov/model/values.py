"""Value objects: organizations, people, households, cooperatives and their relations.

All are attrs frozen, slotted classes: compare by value, hash, and change with
:func:`attrs.evolve`. They validate their own fields (ids, enum names, dates) and raise
:class:`~gridgov.errors.InvalidValueError` naming the field; whether the ids they
reference exist is the jurisdiction's business. They know nothing about JSON.

Examples
--------
>>> from gridgov.model import Organization, Person, PartyMembership
>>> Organization("B1", "branch", "清湖第一经济社网格党支部", parent="C1", kind="grid").kind
<OrgKind.GRID: 'grid'>
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
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from attrs import Attribute, Converter, field, frozen

from gridgov.errors import InvalidValueError
from gridgov.model.enums import Category, Duty, MemberStatus, OrgKind, Role

__all__ = [
    "EXTENSION_PREFIX",
    "MAX_DATE",
    "MAX_ID_LENGTH",
    "MIN_DATE",
    "NO_EXTENSIONS",
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
    "check_id",
    "check_optional_id",
    "check_optional_text",
    "check_text",
    "instance_of",
    "optional_date",
    "thaw",
    "to_date",
    "to_role",
]

MAX_ID_LENGTH = 200
"""The longest id accepted."""

E = TypeVar("E", bound=StrEnum)


def check_id(instance: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: `value` is an id, a non-empty string of at most ``MAX_ID_LENGTH``.

    For the fields of records and events, including a plugin's own event types.

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
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise InvalidValueError(
            attribute.name,
            value,
            f"must be a non-empty string of at most {MAX_ID_LENGTH} characters",
        )


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
    """attrs validator: `value` is a string.

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
    if not isinstance(value, str):
        raise InvalidValueError(attribute.name, value, "must be a string")


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


MIN_DATE = dt.date(1900, 1, 1)
"""The earliest date gridgov accepts."""

MAX_DATE = dt.date(2199, 12, 31)
"""The latest date gridgov accepts (a term of up to 100 years from it stays a date)."""

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


def _optional_date(value: object, self_: object, field: Attribute[Any]) -> dt.date | None:
    return None if value is None else to_date(value, field.name)


optional_date = Converter(_optional_date, takes_self=True, takes_field=True)  # type: ignore[call-overload]
"""attrs converter of an optional date field: ``None``, a date, or a ``YYYY-MM-DD`` string
(see :func:`to_date`); errors name the field.

Examples
--------
>>> from attrs import field, frozen
>>> @frozen
... class Noted:
...     on: dt.date | None = field(default=None, converter=optional_date)
>>> Noted("2021-09-01").on, Noted().on
(datetime.date(2021, 9, 1), None)
"""


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
    <Role.SECRETARY: 'secretary'>
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


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("units", value, "must be a list of strings")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidValueError("units", item, "must be a non-empty string")
    return items


def _categories(value: Iterable[object]) -> frozenset[Category]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("categories", value, "must be a collection of names")
    convert = _enum(Category, "categories")
    return frozenset(convert(v) for v in value)


def _location(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = value  # type: ignore[misc]
        point = (float(x), float(y))  # type: ignore[has-type]
    except (TypeError, ValueError):
        raise InvalidValueError("location", value, "must be a pair of numbers") from None
    if not all(math.isfinite(c) for c in point):
        raise InvalidValueError("location", value, "must be finite numbers")
    return point


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


_EXTENSION_KEY = re.compile("x-[^\x00-\x1f\x7f-\x9f\u2028\u2029]+")

NO_EXTENSIONS: Mapping[str, Any] = FrozenMap()
"""The extensions of a record that has none."""


def _freeze_json(value: object, where: str) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(where, value, "must be a finite number")
        return value
    if isinstance(value, list | tuple):
        return tuple(_freeze_json(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InvalidValueError(where, k, "keys must be strings")
            out[k] = _freeze_json(v, f"{where}.{k}")
        return FrozenMap(out)
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
    (<OrgKind.JOINT: 'joint'>, ('U1', 'U2'))
    >>> Organization("B2", "branch", "x", kind="cell")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: kind: must be one of grid, functional, temporary, joint, general, committee (got 'cell')
    """

    id: str = field(validator=check_id)
    level: str = field(validator=check_id)
    name: str = field(validator=check_text)
    parent: str | None = field(default=None, validator=check_optional_id)
    kind: OrgKind | None = field(default=None, converter=_to_kind)
    cooperative: str | None = field(default=None, validator=check_optional_id)
    formed: dt.date | None = field(default=None, converter=optional_date)
    term_start: dt.date | None = field(default=None, converter=optional_date)
    ends: dt.date | None = field(default=None, converter=optional_date)
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
    (False, [<Category.SUNK: 'sunk'>])
    >>> PartyMembership("member")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: status: must be one of full, probationary (got 'member')
    """

    status: MemberStatus = field(converter=_to_status)
    categories: frozenset[Category] = field(default=frozenset(), converter=_categories)
    affiliation: str | None = field(default=None, validator=check_optional_id)
    joined: dt.date | None = field(default=None, converter=optional_date)

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
    gridgov.errors.InvalidValueError: location: must be finite numbers (got (0, inf))
    """

    id: str = field(validator=check_id)
    building: str | None = field(default=None, validator=check_optional_text)
    address: str | None = field(default=None, validator=check_optional_text)
    location: tuple[float, float] | None = field(default=None, converter=_location)
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
    date: dt.date | None = field(default=None, converter=optional_date)
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
    date: dt.date | None = field(default=None, converter=optional_date)
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
    date: dt.date | None = field(default=None, converter=optional_date)
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

    Raises
    ------
    InvalidValueError
        If an id is malformed, or the role or duty is not one of the allowed names.

    Examples
    --------
    >>> from gridgov.model import Post
    >>> p = Post("B1", "committee_member", "P5", duty="propaganda")
    >>> p.key, p.duty
    (('B1', <Role.COMMITTEE_MEMBER: 'committee_member'>, 'P5'), <Duty.PROPAGANDA: 'propaganda'>)
    """

    org: str = field(validator=check_id)
    role: Role = field(converter=to_role)
    holder: str = field(validator=check_id)
    appointed_by: str | None = field(default=None, validator=check_optional_id)
    since: dt.date | None = field(default=None, converter=optional_date)
    duty: Duty | None = field(default=None, converter=_to_duty)
    extensions: Mapping[str, Any] = _extensions_field()

    @property
    def key(self) -> tuple[str, Role, str]:
        """``(org, role, holder)``: what identifies a post in a jurisdiction."""
        return (self.org, self.role, self.holder)
