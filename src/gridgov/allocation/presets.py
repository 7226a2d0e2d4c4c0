"""District specifications: the figures a synthetic district is generated from.

A :class:`DistrictSpec` says how big a district is (streets, communities, households,
members), how its grids are drawn (on residential compounds or on economic
cooperatives), which member categories it has, and the counts the sources report for
it (branches, groups, zones), which ``given`` mode reproduces. :data:`PRESETS` holds
the specs calibrated on the source articles (see ``DOMAIN.md``, "Figures for
calibration"); :func:`spec_for` picks one and applies overrides.

Figures the sources do not give (Junhe's member count, Nansha's communities, Liwan's
households, ...) are plausible choices, marked as such in each preset's ``sources``.

Examples
--------
>>> sorted(PRESETS)
['city', 'junhe', 'liwan', 'nansha', 'xiqiao']
>>> PRESETS["junhe"].grids, PRESETS["xiqiao"].scheme
('cooperative', 'three-level')
>>> PRESETS["liwan"].members, PRESETS["liwan"].branches, PRESETS["liwan"].groups
(57546, 925, 1754)
>>> spec_for("junhe", members=500).members
500
>>> spec_for("junhe", colour="red")
Traceback (most recent call last):
...
gridgov.errors.InvalidValueError: colour: unknown district parameter; ... (got 'red')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import Attribute, evolve, field, fields, frozen

from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_DATE, MAX_ID_LENGTH, MAX_ITEMS, MIN_DATE, check_flag, check_text
from gridgov.model.enums import Category
from gridgov.model.policy import Policy

__all__ = [
    "BRANCH_KINDS",
    "GRID_STYLES",
    "PRESETS",
    "SCHEME_NAMES",
    "ZONE_STYLES",
    "CommunitySpec",
    "DistrictSpec",
    "spec_for",
]

SCHEME_NAMES = ("five-level", "three-level")
"""The schemes a district can be generated in."""

GRID_STYLES = ("residential", "cooperative")
"""How grids are drawn: on residential compounds and buildings (网格、小区、楼栋), or on
economic cooperatives (按经济社划分综合网格), one cooperative a grid."""

BRANCH_KINDS = ("grid", "functional")
"""What the sources call the branches of a district: grid branches (网格党支部), or
functional Party organizations (功能型党组织)."""

ZONE_STYLES = ("blocks", "member_households")
"""How responsibility zones are drawn: compact blocks of neighbouring households, or
one zone around each member household (党员户) answering for its neighbours."""

PRIMARY_CATEGORIES = (
    Category.EMPLOYED,
    Category.RETIRED,
    Category.WITHOUT_POST,
    Category.SUNK,
    Category.VILLAGE,
    Category.MOBILE,
)
"""The categories a member's main kind is drawn from (street cadres are generated apart)."""


def _positive(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ITEMS:
        raise InvalidValueError(
            attribute.name, value, f"must be a positive integer of at most {MAX_ITEMS}"
        )


def _optional_positive(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _positive(instance, attribute, value)


def _fraction(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise InvalidValueError(attribute.name, value, "must be a number in [0, 1)")


def _one_of(*allowed: str) -> Any:
    def check(instance: object, attribute: Attribute[Any], value: object) -> None:
        if value not in allowed:
            raise InvalidValueError(attribute.name, value, f"must be one of {', '.join(allowed)}")

    return check


def _text(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attribute.name, value, "must be a non-empty string")
    check_text(attribute.name, value, max_length=MAX_ID_LENGTH)


def _at_least_one(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= MAX_ITEMS:
        raise InvalidValueError(
            attribute.name, value, f"must be a number from 1 to {MAX_ITEMS}"
        )  # NaN fails the comparison too


def _optional_featured(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, CommunitySpec):
        raise InvalidValueError(attribute.name, value, "must be a CommunitySpec or None")


def _sources(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError("sources", value, "must be a list of strings")
    items = tuple(value)
    for item in items:
        check_text("sources", item)
    return items


def _flag(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_flag(attribute.name, value)


def _date(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValueError(attribute.name, value, "must be a datetime.date")
    if not MIN_DATE <= value <= MAX_DATE:
        raise InvalidValueError(
            attribute.name,
            value,
            f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}",
        )


def _items(value: object) -> list[Any]:
    """The ``(key, value)`` pairs of a mapping or of a sequence of pairs."""
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return list(value)
    raise TypeError(value)


def _mix(value: object) -> tuple[tuple[Category, float], ...]:
    """Convert a category mix (mapping or pairs) into sorted ``(category, weight)`` pairs."""
    try:
        pairs = [(Category(k), _weight(w)) for k, w in _items(value)]
    except (TypeError, ValueError):
        raise InvalidValueError(
            "categories", value, f"must map categories among {_names()} to weights"
        ) from None
    for category, weight in pairs:
        if category not in PRIMARY_CATEGORIES:
            raise InvalidValueError("categories", str(category), f"must be one of {_names()}")
        if not math.isfinite(weight) or weight < 0:
            raise InvalidValueError("categories", weight, "weights must be non-negative")
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        raise InvalidValueError("categories", value, "needs at least one positive weight")
    merged: dict[Category, float] = {}
    for category, weight in pairs:
        merged[category] = merged.get(category, 0.0) + weight
    if not math.isfinite(total):  # 1e308 + 1e308: keep the proportions, not the scale
        top = max(merged.values())
        merged = {c: w / top for c, w in merged.items()}
    return tuple(sorted(merged.items()))


def _weight(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    if isinstance(value, int) and abs(value) > 1e300:
        raise ValueError(value)
    return float(value)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ITEMS:
        raise ValueError(value)
    return value


def _counts(value: object) -> tuple[tuple[Category, int], ...]:
    try:
        pairs = [(Category(k), _count(n)) for k, n in _items(value)]
    except (TypeError, ValueError):
        raise InvalidValueError(
            "category_counts", value, f"must map categories to counts (0 to {MAX_ITEMS})"
        ) from None
    for category, n in pairs:
        if category not in PRIMARY_CATEGORIES or n < 0:
            raise InvalidValueError("category_counts", (str(category), n), "bad category or count")
    return tuple(sorted(pairs))


def _names() -> str:
    return ", ".join(str(c) for c in PRIMARY_CATEGORIES)


@frozen
class CommunitySpec:
    """Exact figures for one community (the first of the district), e.g. Xiqiao's Aiguo.

    Parameters
    ----------
    name : str
        Its name.
    households : int
        Households in it.
    category_counts : mapping of Category to int
        Members by main category; they add up to its member count.
    cooperatives : int, optional
        Economic cooperatives in it (cooperative grids only).

    Examples
    --------
    >>> CommunitySpec("爱国社区", 742, {"without_post": 110, "employed": 54}).members
    164
    """

    name: str = field(validator=_text)
    households: int = field(validator=_positive)
    category_counts: tuple[tuple[Category, int], ...] = field(converter=_counts)
    cooperatives: int | None = field(default=None, validator=_optional_positive)

    @property
    def members(self) -> int:
        """The number of members: the sum of the category counts."""
        return sum(n for _, n in self.category_counts)


@frozen
class DistrictSpec:
    """The figures a synthetic district is generated from.

    Parameters
    ----------
    name : str
        The preset's key, or ``"custom"``.
    title : str
        The place's name, e.g. ``"荔湾区"``.
    scheme : {"five-level", "three-level"}
        The level scheme. A five-level district with several streets gets a ``district``
        level above its streets; a three-level district with several villages gets a
        ``town`` level above them (the town committee plays the street committee's part).
    streets, communities, households, members : int
        Sizes. ``members`` are the residence-registered members to file: at least 3 per
        community; ``households`` at least one per member (members live in a fifth of
        the households in the sources' communities).
    grids : {"residential", "cooperative"}
        Grids drawn on compounds and buildings, or one per economic cooperative.
    cooperatives : int, optional
        Economic cooperatives in the district (cooperative grids need it).
    branches, groups, zones : int, optional
        The counts the sources report; ``given`` mode reproduces them, ``derive`` mode
        ignores them. ``None``: derived in both modes.
    service_teams : int, optional
        Service teams (党群服务队) to form, in the largest branches, one a branch: an
        organization of its own kind under the branch, its captain and up to four more
        of the branch's members attached to it (their grid filing stays).
    categories : mapping of Category to float
        The mix of members' main categories (employed, retired, without_post, sunk,
        village, mobile), as weights.
    probationary : float
        The share of probationary members.
    households_per_building : float
        Mean households per building (towers in cities, houses in villages).
    cadres_per_street : int, optional
        Street cadres on the payroll per street, the pool of first secretaries (default:
        the street secretary plus one cadre per 20 members of the street, and at least
        two per community and one per cooperative, and as many as the given branches).
    max_grids_per_cadre : int
        No street cadre is first secretary of more grids than this.
    max_group_members : int
        ``derive`` mode: a group has at most this many members.
    households_per_zone : int
        ``derive`` mode (and when ``zones`` is not given): households a zone aims at.
    zone_style : {"blocks", "member_households"}
        How zones are drawn.
    branch_kind : {"grid", "functional"}
        The kind of the branches: grid branches, or functional organizations
        (功能型党组织), as the district's source calls them.
    first_secretaries : bool
        Whether the district follows Junhe street's practice: a street cadre is first
        secretary of each grid branch and grid leader beside the cooperative's head (or
        the branch secretary). It sets the default policy's
        ``first_secretary_practice`` (:meth:`default_policy`); only the ``junhe`` preset
        has it.
    featured : CommunitySpec, optional
        Exact figures for the first community.
    as_of, formed : datetime.date
        The date the district is judged at, and when its grid branches were formed.
    sources : tuple of str
        Where each figure comes from; choices not from a source say so.

    Raises
    ------
    InvalidValueError
        For a value of the wrong type or out of range, or figures that do not fit
        together (fewer than 3 members a community, fewer households than members,
        cooperative grids without a cooperative count, given counts below the level
        above, ...).

    See Also
    --------
    spec_for : A preset, or the defaults, with overrides.
    PRESETS : The specs calibrated on the sources.

    Examples
    --------
    >>> spec = DistrictSpec(communities=2, members=60, households=300)
    >>> spec.name, spec.scheme, spec.targets
    ('custom', 'five-level', {'members': 60})
    >>> spec.category_mix["retired"]
    0.33
    >>> PRESETS["junhe"].targets
    {'members': 2000, 'branches': 51}
    >>> DistrictSpec(communities=2, members=5)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: members: must be at least 3 per community (6) (got 5)
    """

    name: str = field(default="custom", validator=_text)
    title: str = field(default="示范街道", validator=_text)
    scheme: str = field(default="five-level", validator=_one_of(*SCHEME_NAMES))
    streets: int = field(default=1, validator=_positive)
    communities: int = field(default=4, validator=_positive)
    households: int = field(default=2000, validator=_positive)
    members: int = field(default=400, validator=_positive)
    grids: str = field(default="residential", validator=_one_of(*GRID_STYLES))
    cooperatives: int | None = field(default=None, validator=_optional_positive)
    branches: int | None = field(default=None, validator=_optional_positive)
    groups: int | None = field(default=None, validator=_optional_positive)
    zones: int | None = field(default=None, validator=_optional_positive)
    service_teams: int | None = field(default=None, validator=_optional_positive)
    categories: tuple[tuple[Category, float], ...] = field(
        default=MappingProxyType(
            {"employed": 0.42, "retired": 0.33, "without_post": 0.1, "sunk": 0.1, "mobile": 0.05}
        ),
        converter=_mix,
    )
    probationary: float = field(default=0.03, validator=_fraction)
    households_per_building: float = field(default=24.0, validator=_at_least_one)
    cadres_per_street: int | None = field(default=None, validator=_optional_positive)
    max_grids_per_cadre: int = field(default=2, validator=_positive)
    max_group_members: int = field(default=30, validator=_positive)
    households_per_zone: int = field(default=12, validator=_positive)
    zone_style: str = field(default="blocks", validator=_one_of(*ZONE_STYLES))
    branch_kind: str = field(default="grid", validator=_one_of(*BRANCH_KINDS))
    first_secretaries: bool = field(default=False, validator=_flag)
    featured: CommunitySpec | None = field(default=None, validator=_optional_featured)
    as_of: dt.date = field(default=dt.date(2021, 11, 22), validator=_date)
    formed: dt.date = field(default=dt.date(2021, 9, 1), validator=_date)
    sources: tuple[str, ...] = field(default=(), converter=_sources)

    def __attrs_post_init__(self) -> None:
        if self.members < 3 * self.communities:
            raise InvalidValueError(
                "members",
                self.members,
                f"must be at least 3 per community ({3 * self.communities})",
            )
        if self.households < self.members:
            raise InvalidValueError(
                "households", self.households, f"must be at least members ({self.members})"
            )
        if self.communities < self.streets:
            raise InvalidValueError(
                "communities", self.communities, f"must be at least streets ({self.streets})"
            )
        if self.scheme == "three-level" and self.streets != 1:
            raise InvalidValueError(
                "streets", self.streets, "a three-level district is one town: streets must be 1"
            )
        if self.grids == "cooperative":
            if self.cooperatives is None:
                raise InvalidValueError("cooperatives", None, "cooperative grids need a count")
            if self.cooperatives < self.communities:
                raise InvalidValueError(
                    "cooperatives",
                    self.cooperatives,
                    f"must be at least communities ({self.communities})",
                )
            if self.branches is not None and self.branches != self.cooperatives:
                raise InvalidValueError(
                    "branches",
                    self.branches,
                    f"cooperative grids have one branch per cooperative ({self.cooperatives}); "
                    f"leave it out or make it equal",
                )
        featured = self.featured
        if featured is not None:
            rest = self.communities - 1
            if featured.members > self.members or (rest and featured.members == self.members):
                raise InvalidValueError(
                    "members", self.members, "must exceed the featured community's members"
                )
            if self.members - featured.members < 3 * rest:
                raise InvalidValueError(
                    "members",
                    self.members,
                    f"must leave at least 3 per community beside the featured community's "
                    f"{featured.members} ({featured.members + 3 * rest})",
                )
            if featured.households > self.households - rest:
                raise InvalidValueError(
                    "households", self.households, "too few beside the featured community's"
                )
            if self.grids == "cooperative" and featured.cooperatives is None:
                raise InvalidValueError(
                    "featured.cooperatives", None, "cooperative grids need a count"
                )
        for name in ("branches", "groups", "zones"):
            self._check_order(name)

    def _check_order(self, name: str) -> None:
        value = getattr(self, name)
        below = {"branches": "communities", "groups": "branches", "zones": "groups"}[name]
        floor = getattr(self, below)
        if value is not None and floor is not None and value < floor:
            raise InvalidValueError(name, value, f"must be at least {below} ({floor})")

    @property
    def category_mix(self) -> dict[str, float]:
        """The category mix as a plain mapping of names to weights."""
        return {str(c): w for c, w in self.categories}

    @property
    def targets(self) -> dict[str, int]:
        """The counts the sources give: members, and branches, groups, zones if known."""
        out = {"members": self.members}
        for name in ("branches", "groups", "zones", "service_teams"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    def default_policy(self) -> Policy:
        """The policy a district is simulated under unless one is given.

        The charter's defaults, with the first-secretary practice in force only where
        the district follows it (``first_secretaries``).

        Returns
        -------
        Policy

        Examples
        --------
        >>> PRESETS["junhe"].default_policy().first_secretary_practice
        True
        >>> PRESETS["liwan"].default_policy().first_secretary_practice
        False
        """
        return Policy(first_secretary_practice=self.first_secretaries)

    def replace(self, **changes: Any) -> DistrictSpec:
        """Return a copy with `changes` applied (checked like the constructor).

        Parameters
        ----------
        **changes
            Fields to change, by name (see the class docstring).

        Returns
        -------
        DistrictSpec
            A new spec; this one is unchanged.

        Raises
        ------
        InvalidValueError
            If a key is not a parameter or a value is invalid.

        Examples
        --------
        >>> PRESETS["junhe"].replace(members=300).members
        300
        >>> PRESETS["junhe"].members
        2000
        >>> PRESETS["junhe"].replace(branchez=50)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: branchez: unknown district parameter; ... (got 50)
        """
        known = [f.name for f in fields(DistrictSpec)]
        for key, value in changes.items():
            if key not in known:
                raise InvalidValueError(
                    key, value, f"unknown district parameter; known: {', '.join(known)}"
                )
        return evolve(self, **changes)


_URBAN_MIX = {"employed": 0.42, "retired": 0.33, "without_post": 0.1, "sunk": 0.1, "mobile": 0.05}

PRESETS: Mapping[str, DistrictSpec] = MappingProxyType(
    {
        "junhe": DistrictSpec(
            name="junhe",
            title="均禾街",
            communities=11,
            households=9000,
            members=2000,
            grids="cooperative",
            cooperatives=51,
            branches=51,
            categories={
                "village": 0.5,
                "sunk": 0.15,
                "employed": 0.15,
                "retired": 0.12,
                "without_post": 0.08,
            },
            households_per_building=6.0,
            first_secretaries=True,
            as_of=dt.date(2021, 11, 22),
            formed=dt.date(2021, 9, 1),
            sources=(
                "51 grid branches on economic cooperatives, merged with the cooperative "
                "branches; first secretaries from the street cadres; dual grid leaders "
                "(均禾街, 信息时报 2021-11-24)",
                "11 communities: the 11 community grid action teams (same article)",
                "2,000 members and 9,000 households: not in the sources (chosen)",
            ),
        ),
        "nansha": DistrictSpec(
            name="nansha",
            title="南沙街",
            communities=17,
            households=32000,
            members=10758,
            branches=505,
            branch_kind="functional",
            categories=_URBAN_MIX,
            as_of=dt.date(2021, 6, 1),
            formed=dt.date(2021, 5, 1),
            sources=(
                "10,758 residence-registered members; 505 newly formed grid branches, "
                "which the article counts as functional Party organizations (南沙街道)",
                "no first secretaries or dual grid leaders: the source describes none",
                "17 communities and 32,000 households: not in the sources (chosen)",
            ),
        ),
        "xiqiao": DistrictSpec(
            name="xiqiao",
            title="西樵镇",
            scheme="three-level",
            communities=33,
            households=24500,
            members=5400,
            grids="cooperative",
            cooperatives=281,
            categories={"without_post": 0.55, "employed": 0.3, "village": 0.15},
            households_per_building=1.5,
            zone_style="member_households",
            featured=CommunitySpec(
                "爱国社区", 742, {"without_post": 110, "employed": 54}, cooperatives=8
            ),
            as_of=dt.date(2021, 1, 25),
            formed=dt.date(2020, 8, 1),
            sources=(
                "three-level grid (village - cooperative grid - member household); 33 "
                "villages and communities; 281 cooperative service stations taken as 281 "
                "cooperatives (西樵镇, 2021-01)",
                "Aiguo community: 110 without-post and 54 employed members, 742 households",
                "5,400 members and 24,500 households: Aiguo's scale times 33 (chosen)",
            ),
        ),
        "liwan": DistrictSpec(
            name="liwan",
            title="荔湾区",
            streets=22,
            communities=186,
            households=115000,
            members=57546,
            branches=925,
            groups=1754,
            zones=20000,
            service_teams=921,
            categories=_URBAN_MIX,
            as_of=dt.date(2022, 1, 2),
            formed=dt.date(2021, 9, 1),
            sources=(
                "57,546 reported members; 925 grid branches; 1,754 grid groups; almost "
                "20,000 zones claimed; 921 service teams (荔湾区, 南方Plus 2022-01-02)",
                "a service team of five, its captain and four members of the branch: not "
                "in the sources (chosen)",
                "22 streets and 186 communities: the district's administrative division",
                "115,000 households: the households in the members' zones (chosen; the "
                "district has about 390,000)",
            ),
        ),
        "city": DistrictSpec(
            name="city",
            title="示范市",
            streets=22 * 20,
            communities=186 * 20,
            households=115000 * 20,
            members=57546 * 20,
            branches=925 * 20,
            groups=1754 * 20,
            zones=20000 * 20,
            service_teams=921 * 20,
            categories=_URBAN_MIX,
            as_of=dt.date(2022, 1, 2),
            formed=dt.date(2021, 9, 1),
            sources=("Liwan's figures times 20: a stress-test size, not a real city",),
        ),
    }
)
"""The district specs calibrated on the sources, by name (a read-only mapping).

- ``junhe``: Junhe street, 51 grid branches on economic cooperatives (small and fast).
- ``nansha``: Nansha street, 505 grid branches for 10,758 members.
- ``xiqiao``: Xiqiao town, the three-level grid (village, cooperative grid, member
  household) with Aiguo community's exact figures.
- ``liwan``: Liwan district, 22 streets, 925 branches, 1,754 groups, about 20,000 zones.
- ``city``: Liwan times 20, a stress-test size.

Each spec's ``sources`` says where its figures come from. See the module's examples
(``sorted(PRESETS)``, ``PRESETS["liwan"].members``).
"""


def spec_for(preset: str | DistrictSpec | None = None, **overrides: Any) -> DistrictSpec:
    """Return the spec of `preset` (a name, a spec, or ``None`` for a custom district).

    Parameters
    ----------
    preset : str or DistrictSpec or None
        A key of :data:`PRESETS`, a spec, or ``None`` for the custom defaults.
    **overrides
        Spec fields to change (``members=...``, ``streets=...``, ``categories=...``).

    Returns
    -------
    DistrictSpec
        The preset's spec with the overrides applied (checked).

    Raises
    ------
    InvalidValueError
        For an unknown preset or parameter, or an invalid value.

    Examples
    --------
    >>> spec_for(None, communities=2, members=60, households=300).name
    'custom'
    >>> spec_for("nowhere")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: preset: unknown preset; presets are city, junhe, liwan, nansha, xiqiao (got 'nowhere')
    """
    if preset is None:
        base = DistrictSpec()
    elif isinstance(preset, DistrictSpec):
        base = preset
    elif isinstance(preset, str) and preset in PRESETS:
        base = PRESETS[preset]
    else:
        raise InvalidValueError(
            "preset", preset, f"unknown preset; presets are {', '.join(sorted(PRESETS))}"
        )
    return base.replace(**overrides) if overrides else base
