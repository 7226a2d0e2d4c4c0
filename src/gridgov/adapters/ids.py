"""Id schemes a host turns on: ULIDs, and the administrative division codes of a Chinese host.

Sequential ids (``S1``, ``C1``, ``P1``) stay the default for documents and the
simulation. A host chooses another scheme by name (``GRIDGOV_IDS=ulid`` or
``gridgov.plugins.new_plugin_manager(ids="admin")``: see
:data:`gridgov.plugins.ID_SCHEMES`), registers an object of this module as a plugin
(``pm.register(AdminCodes(base="440103"), "host-ids")``), or passes one as a
jurisdiction's ``ids=``.

- :class:`UlidIds`: a ULID (`python-ulid <https://pypi.org/project/python-ulid/>`_, the
  ``ids`` extra) for every record: 26 characters, sortable by creation time, unique
  without coordination; monotonic within a jurisdiction (two ids made in the same
  millisecond still sort in the order they were made).
- :class:`AdminCodes`: the 12-digit statistical division code (统计用区划代码) for streets
  and communities, as the statistics bureau publishes it: the 6-digit county code of
  GB/T 2260 (province 2, city 2, county 2), then 3 digits for the street or town (街道,
  镇) and 3 for the community or village (社区, 村); a street's own code is its first 9
  digits. Below the community gridgov adds fixed-width suffixes of its own: 3 digits for
  a grid branch (or a grid), 2 for a group, 3 for a zone (or a member household), so an
  organization's code always extends its parent's. People, households and cooperatives
  keep sequential ids. :func:`check_code` and :func:`check_codes` refuse a code that does
  not fit (a community's code must extend its street's).

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction(ids=AdminCodes(base="440103"))  # 荔湾区 (Liwan district, Guangzhou)
>>> street = j.found_org(None, "street", "沙面街党工委").org.id
>>> community = j.found_org(None, "community", "沙面社区党委", parent=street).org.id
>>> branch = j.found_org(None, "branch", "第一网格党支部", parent=community).org.id
>>> street, community, branch, j.add_person(None, "李四").person.id
('440103001', '440103001001', '440103001001001', 'P1')
>>> check_code("community", "440103002001", parent="440103001")
Traceback (most recent call last):
...
gridgov.errors.InvalidValueError: org.id: a community's code must extend its parent's code '440103001' by 3 digits (got '440103002001')
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from gridgov.errors import DocumentError, InvalidValueError, MissingDependencyError, Problem
from gridgov.model.ids import Taken, sequential_id
from gridgov.plugins import hookimpl

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

__all__ = [
    "COUNTY_DIGITS",
    "PROVINCES",
    "SUFFIX_DIGITS",
    "AdminCodes",
    "UlidIds",
    "check_code",
    "check_codes",
    "check_county",
]

COUNTY_DIGITS = 6
"""The digits of a county-level code (GB/T 2260): province 2, city 2, county 2."""

SUFFIX_DIGITS: Mapping[str, int] = MappingProxyType(
    {
        "street": 3,
        "town": 3,
        "community": 3,
        "village": 3,
        "branch": 3,
        "grid": 3,
        "group": 2,
        "zone": 3,
        "member_household": 3,
    }
)
"""The digits each level adds to its parent's code (street and community: the statistical
division code's; branch, group and zone: gridgov's suffixes)."""

PROVINCES = frozenset(
    {
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
    }
)
"""The province-level codes of GB/T 2260 (11 Beijing ... 44 Guangdong ... 82 Macao)."""

_DIGITS = re.compile(r"^[0-9]+$")
_ROOTS = {"street": 9, "town": 9, "community": 12, "village": 12}  # the statistical code's levels
_ULID_MEMO = "gridgov.ulid"


def check_county(code: object) -> str:
    """Return `code` if it is a county-level division code (GB/T 2260), else raise.

    Six digits: a known province, then a city and a county part; the county part is not
    ``00`` (that would be the city itself).

    Raises
    ------
    InvalidValueError
        Saying what does not fit.

    Examples
    --------
    >>> check_county("440103")
    '440103'
    >>> check_county("990103")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: county: '99' is not a province code of GB/T 2260 (got '990103')
    """
    if not isinstance(code, str) or len(code) != COUNTY_DIGITS or not _DIGITS.match(code):
        raise InvalidValueError("county", code, "a county code is 6 digits (GB/T 2260)")
    if int(code[:2]) not in PROVINCES:
        raise InvalidValueError("county", code, f"{code[:2]!r} is not a province code of GB/T 2260")
    if code[4:] == "00":
        raise InvalidValueError("county", code, "its last two digits are 00: a city, not a county")
    return code


def _article(kind: str) -> str:
    return f"a {kind}'s" if kind[:1] not in "aeiou" else f"an {kind}'s"


def check_code(kind: str, code: object, *, parent: str | None = None) -> str:
    """Return `code` if it is a valid administrative code for an organization of `kind`.

    Parameters
    ----------
    kind : str
        The organization's level (a key of :data:`SUFFIX_DIGITS`).
    code : str
        Its code.
    parent : str, optional
        Its parent's code: the code must extend it by the level's digits. Without a
        parent, a street's code must start with a valid county code.

    Raises
    ------
    InvalidValueError
        Naming what does not fit (``org.id``).

    Examples
    --------
    >>> check_code("street", "440103001")
    '440103001'
    >>> check_code("group", "44010300100100101", parent="440103001001001")
    '44010300100100101'
    >>> check_code("street", "4401030010")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: org.id: a street's code has 9 digits: the county's 6 and 3 of its own (got '4401030010')
    """
    width = SUFFIX_DIGITS.get(kind)
    if width is None:
        raise InvalidValueError(
            "kind", kind, f"the administrative codes know the levels {', '.join(SUFFIX_DIGITS)}"
        )
    if not isinstance(code, str) or not _DIGITS.match(code):
        raise InvalidValueError("org.id", code, f"{_article(kind)} code is made of digits")
    if parent is not None:
        if not (
            len(code) == len(parent) + width and code.startswith(parent) and _DIGITS.match(parent)
        ):
            raise InvalidValueError(
                "org.id",
                code,
                f"{_article(kind)} code must extend its parent's code {parent!r} by {width} digits",
            )
    elif kind in _ROOTS:
        digits = _ROOTS[kind]
        if len(code) != digits:
            own = (
                "the county's 6 and 3 of its own"
                if digits == 9
                else "the street's 9 and 3 of its own"
            )
            raise InvalidValueError(
                "org.id", code, f"{_article(kind)} code has {digits} digits: {own}"
            )
        try:
            check_county(code[:COUNTY_DIGITS])
        except InvalidValueError as exc:
            raise InvalidValueError("org.id", code, exc.reason) from None
    if int(code[-width:]) == 0:
        raise InvalidValueError("org.id", code, f"{_article(kind)} own {width} digits are all zero")
    return code


def check_codes(jurisdiction: Jurisdiction) -> None:
    """Check that every organization's id is an administrative code extending its parent's.

    Raises
    ------
    DocumentError
        Listing every organization whose id does not fit, by id.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("440103001", "street", "沙面街党工委")
    >>> _ = j.found_org("440104001001", "community", "某社区党委", parent="440103001")
    >>> check_codes(j)
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: organizations.440104001001: a community's code must extend its parent's code '440103001' by 3 digits (got '440104001001')
    """
    problems = []
    for org in jurisdiction.organizations.values():
        try:
            check_code(org.level, org.id, parent=org.parent)
        except InvalidValueError as exc:
            problems.append(Problem(f"organizations.{org.id}", f"{exc.reason} (got {exc.value!r})"))
    if problems:
        raise DocumentError(problems)


class AdminCodes:
    """The administrative code scheme: an id factory, and a plugin of ``gridgov_make_id``.

    Parameters
    ----------
    base : str, optional
        The code of the division above the jurisdiction's root: a county code (6 digits)
        for a street or town root, a street's code (9 digits) for a community or village
        root (a three-level jurisdiction). Without it, the root must be founded with its
        code given.

    Notes
    -----
    An organization's code is its parent's followed by the first free serial number of
    the level's width (:data:`SUFFIX_DIGITS`); people, households and cooperatives get
    sequential ids (as an id factory) or are left to the next plugin (as a plugin).

    Examples
    --------
    >>> t = Taken(lambda i: i == "440103001001")
    >>> AdminCodes()("community", "440103001", t)
    '440103001002'
    >>> AdminCodes()("street", None, t)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: org.id: the administrative codes need the root's code: give the street its code, or give AdminCodes a base (got None)
    """

    def __init__(self, base: str | None = None) -> None:
        if base is not None:
            if not isinstance(base, str) or not _DIGITS.match(base):
                raise InvalidValueError("base", base, "must be a code of digits")
            if len(base) == COUNTY_DIGITS:
                check_county(base)
            elif len(base) == COUNTY_DIGITS + SUFFIX_DIGITS["street"]:
                check_code("street", base)
            else:
                raise InvalidValueError(
                    "base", base, "must be a county's code (6 digits) or a street's (9 digits)"
                )
        self.base = base

    def make(self, kind: str, parent: str | None, taken: Taken) -> str | None:
        """Return the next free code of `kind` under `parent`, or ``None`` for a record
        that is not an organization of a known level.

        Raises
        ------
        InvalidValueError
            If `parent` is not a valid code, or every serial under it is taken.

        Examples
        --------
        >>> AdminCodes().make("person", None, Taken(lambda i: False)) is None
        True
        """
        width = SUFFIX_DIGITS.get(kind)
        if width is None:
            return None
        stem = parent if parent is not None else self.base
        if stem is None:
            raise InvalidValueError(
                "org.id",
                None,
                f"the administrative codes need the root's code: give the {kind} its code, "
                "or give AdminCodes a base",
            )
        if parent is not None and not _DIGITS.match(parent):
            raise InvalidValueError(
                "org.parent", parent, "the parent's id is not an administrative code"
            )
        counters = taken.memo.setdefault("gridgov.admin", {})
        n = counters.get(stem, 1)
        top = 10**width
        while n < top and taken(f"{stem}{n:0{width}d}"):
            n += 1
        if n >= top:
            raise InvalidValueError(
                "org.id", stem, f"every {width}-digit {kind} code under it is taken"
            )
        counters[stem] = n
        return f"{stem}{n:0{width}d}"

    def __call__(self, kind: str, parent: str | None, taken: Taken) -> str:
        made = self.make(kind, parent, taken)
        return made if made is not None else sequential_id(kind, parent, taken)

    @hookimpl
    def gridgov_make_id(self, kind: str, parent: str | None, taken: Taken) -> str | None:
        """The hook: a code for an organization; ``None`` (the next plugin) for the rest."""
        return self.make(kind, parent, taken)

    def __repr__(self) -> str:
        return f"AdminCodes(base={self.base!r})"


def _ulid_class() -> Any:
    try:
        from ulid import ULID
    except ImportError as exc:
        raise MissingDependencyError("python-ulid", "ids", "ULID ids") from exc
    return ULID


class UlidIds:
    """ULIDs for every record: an id factory, and a plugin of ``gridgov_make_id``.

    Parameters
    ----------
    clock : callable, optional
        Returns the time in seconds since the epoch (default :func:`time.time`); the
        ids sort by it.

    Examples
    --------
    >>> ticks = iter([1_700_000_000.0, 1_700_000_000.0, 1_600_000_000.0])
    >>> ids = UlidIds(clock=lambda: next(ticks))
    >>> t = Taken(lambda i: False)
    >>> a, b, c = ids("person", None, t), ids("person", None, t), ids("branch", "C1", t)
    >>> len(a), a < b < c  # monotonic, even when the clock goes back
    (26, True)
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        if not callable(clock):
            raise InvalidValueError("clock", clock, "must be callable")
        self._clock = clock
        self._ulid = _ulid_class()

    def __call__(self, kind: str, parent: str | None, taken: Taken) -> str:
        ulid = self._ulid
        new = int(ulid.from_timestamp(self._clock()))
        last = taken.memo.get(_ULID_MEMO)
        if last is not None and new <= last:
            new = last + 1
        while taken(str(ulid.from_int(new))):
            new += 1
        taken.memo[_ULID_MEMO] = new
        return str(ulid.from_int(new))

    @hookimpl
    def gridgov_make_id(self, kind: str, parent: str | None, taken: Taken) -> str:
        """The hook: a ULID for any record."""
        return self(kind, parent, taken)

    def __repr__(self) -> str:
        return "UlidIds()"
