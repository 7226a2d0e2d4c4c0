"""Schemes: the levels of a jurisdiction, as data.

A scheme names the levels from the top down, the level members are *filed* into, the
leaf level whose organizations are responsibility zones, and the level where the
charter's branch rules apply. The five-level scheme of Guangzhou and Foshan streets and
the three-level grid of Xiqiao town are presets; any other shape is an inline scheme.

Examples
--------
>>> s = Scheme.preset("five-level")
>>> s.levels
('street', 'community', 'branch', 'group', 'zone')
>>> s.parent_level("group")
'branch'
>>> s.parent_level("street") is None
True
>>> Scheme.preset("three-level").filing_level
'grid'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from itertools import islice

from attrs import field, frozen

from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_LEVELS, check_id_text

__all__ = ["FIVE_LEVEL", "SCHEMES", "THREE_LEVEL", "Scheme"]


def _to_levels(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str | bytes | bytearray | Mapping | AbstractSet) or not isinstance(
        value, Iterable
    ):
        raise InvalidValueError("scheme.levels", value, "must be a list of level names")
    levels = tuple(islice(value, MAX_LEVELS + 1))
    if len(levels) > MAX_LEVELS:
        raise InvalidValueError("scheme.levels", value, f"a scheme has at most {MAX_LEVELS} levels")
    return levels


def _check_levels(instance: Scheme, attribute: object, value: tuple[str, ...]) -> None:
    if len(value) < 2:
        raise InvalidValueError("scheme.levels", list(value), "a scheme needs at least 2 levels")
    for level in value:
        if not isinstance(level, str) or not level:
            raise InvalidValueError("scheme.levels", list(value), "levels are non-empty names")
        check_id_text("scheme.levels", level)
    if len(set(value)) != len(value):
        raise InvalidValueError("scheme.levels", list(value), "levels must be unique")


def _check_name(instance: Scheme, attribute: object, value: str | None) -> None:
    if value is not None:
        check_id_text("scheme.name", value)


@frozen
class Scheme:
    """The levels of a jurisdiction, top first.

    Parameters
    ----------
    levels : tuple of str
        Level names from the root down, at least two, unique.
    filing_level : str
        The level members are filed into (groups in the five-level scheme).
    zone_level : str
        The leaf level: responsibility zones that members claim and households belong to.
    branch_level : str or None
        The level where the charter's branch rules apply (``None``: no such level).
    name : str or None
        The preset's name, or ``None`` for an inline scheme.

    Raises
    ------
    InvalidValueError
        If the levels are fewer than two or repeat, or a named level is not one of them.

    Examples
    --------
    >>> Scheme(("town", "village", "cooperative"), filing_level="cooperative",
    ...        zone_level="cooperative").depth("village")
    1
    """

    levels: tuple[str, ...] = field(converter=_to_levels, validator=_check_levels)
    filing_level: str = field(kw_only=True)
    zone_level: str = field(kw_only=True)
    branch_level: str | None = field(default=None, kw_only=True)
    name: str | None = field(default=None, kw_only=True, validator=_check_name)
    _depth: Mapping[str, int] = field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        for attr in ("filing_level", "zone_level", "branch_level"):
            value = getattr(self, attr)
            if value is None and attr == "branch_level":
                continue
            if value not in self.levels:
                raise InvalidValueError(
                    f"scheme.{attr}", value, f"not one of the levels {list(self.levels)}"
                )
        if self.levels.index(self.zone_level) < self.levels.index(self.filing_level):
            raise InvalidValueError(
                "scheme.zone_level", self.zone_level, "must not be above the filing level"
            )
        object.__setattr__(self, "_depth", {level: i for i, level in enumerate(self.levels)})

    @classmethod
    def preset(cls, name: str) -> Scheme:
        """Return the preset scheme called `name` (``five-level`` or ``three-level``).

        Parameters
        ----------
        name : str
            The preset's name.

        Returns
        -------
        Scheme

        Raises
        ------
        InvalidValueError
            If there is no such preset.

        Examples
        --------
        >>> Scheme.preset("five-level").zone_level
        'zone'
        """
        try:
            return SCHEMES[name]
        except (KeyError, TypeError):
            raise InvalidValueError(
                "scheme", name, f"unknown scheme; presets are {sorted(SCHEMES)}"
            ) from None

    @property
    def top(self) -> str:
        """The root level."""
        return self.levels[0]

    @property
    def registration_level(self) -> str:
        """The level members register at: ``community`` if the scheme has it, else its top.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Scheme
        >>> FIVE_LEVEL.registration_level
        'community'
        >>> Scheme(("city", "grid", "home"), filing_level="grid", zone_level="home").registration_level
        'city'
        """
        return "community" if "community" in self.levels else self.levels[0]

    def depth(self, level: str) -> int:
        """Return the position of `level` from the top (0 for the root level).

        Parameters
        ----------
        level : str
            A level of this scheme.

        Returns
        -------
        int
            0 for the top level, ``len(levels) - 1`` for the leaf level.

        Raises
        ------
        InvalidValueError
            If `level` is not a level of this scheme.

        Examples
        --------
        >>> FIVE_LEVEL.depth("street"), FIVE_LEVEL.depth("zone")
        (0, 4)
        >>> FIVE_LEVEL.depth("grid")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: level: not a level of the scheme [...] (got 'grid')
        """
        try:
            return self._depth[level]
        except (KeyError, TypeError):
            raise InvalidValueError(
                "level", level, f"not a level of the scheme {list(self.levels)}"
            ) from None

    def __contains__(self, level: object) -> bool:
        return level in self._depth

    def parent_level(self, level: str) -> str | None:
        """Return the level directly above `level`, or ``None`` for the top level.

        Parameters
        ----------
        level : str
            A level of this scheme.

        Returns
        -------
        str or None
            The level one up.

        Raises
        ------
        InvalidValueError
            If `level` is not a level of this scheme.

        Examples
        --------
        >>> THREE_LEVEL.parent_level("member_household")
        'grid'
        >>> THREE_LEVEL.parent_level("community") is None
        True
        """
        d = self.depth(level)
        return self.levels[d - 1] if d else None

    def child_level(self, level: str) -> str | None:
        """Return the level directly below `level`, or ``None`` for the leaf level.

        Parameters
        ----------
        level : str
            A level of this scheme.

        Returns
        -------
        str or None
            The level one down.

        Raises
        ------
        InvalidValueError
            If `level` is not a level of this scheme.

        Examples
        --------
        >>> FIVE_LEVEL.child_level("branch")
        'group'
        >>> FIVE_LEVEL.child_level("zone") is None
        True
        """
        d = self.depth(level)
        return self.levels[d + 1] if d + 1 < len(self.levels) else None

    def is_above_filing(self, level: str) -> bool:
        """Return whether `level` is above the filing level (where secretaries are required).

        Parameters
        ----------
        level : str
            A level of this scheme.

        Returns
        -------
        bool
            ``True`` for the levels strictly above :attr:`filing_level`.

        Raises
        ------
        InvalidValueError
            If `level` is not a level of this scheme.

        Examples
        --------
        >>> [lvl for lvl in FIVE_LEVEL.levels if FIVE_LEVEL.is_above_filing(lvl)]
        ['street', 'community', 'branch']
        """
        return self.depth(level) < self.depth(self.filing_level)


FIVE_LEVEL = Scheme(
    ("street", "community", "branch", "group", "zone"),
    filing_level="group",
    zone_level="zone",
    branch_level="branch",
    name="five-level",
)
"""The five-level structure: street → community → grid branch → grid group → zone."""

THREE_LEVEL = Scheme(
    ("community", "grid", "member_household"),
    filing_level="grid",
    zone_level="member_household",
    branch_level=None,
    name="three-level",
)
"""Xiqiao's three-level grid: village (community) → cooperative grid → member household."""

SCHEMES: Mapping[str, Scheme] = {s.name: s for s in (FIVE_LEVEL, THREE_LEVEL) if s.name}
"""The preset schemes by name."""
