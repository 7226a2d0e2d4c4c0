"""A synthetic district on numpy arrays: places, households, members, cadres.

:func:`generate` turns a :class:`~gridgov.allocation.presets.DistrictSpec` and a seed
into a :class:`District`: streets laid out as tiles of a plane (metres), communities as
tiles of their street, compounds (residential compounds, or the natural villages of
economic cooperatives) scattered in each community, buildings clustered around their
compound's centre, households in buildings, and members living in households. Everything
is integer-indexed arrays; ids and names are made only when the jurisdiction is built.

The same spec and seed give the same district, bit for bit (one
:class:`numpy.random.Generator` drawn in a fixed order).

Members carry a main category drawn from the spec's mix, ``residence_registered`` unless
they are village members (their affiliation is local), ``organ`` for most sunk members,
and a status (full or probationary). A member household holds one member, sometimes
two or three, as in the sources' communities (Aiguo: 164 members in 742 households).

Street cadres (the pool of first secretaries), a secretary for every street, community
and the district, and a head for every economic cooperative (not a Party member) are
generated too.

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=1)
>>> d.n_members, d.n_households, len(d.community_names)
(60, 300, 2)
>>> bool((generate(d.spec, seed=1).member_household == d.member_household).all())
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from attrs import evolve, frozen
from numpy.typing import NDArray

from gridgov.allocation import _checks
from gridgov.allocation.presets import PRIMARY_CATEGORIES, DistrictSpec
from gridgov.model.enums import Category

__all__ = [
    "CADRE_COMMUNITY",
    "CADRE_DISTRICT",
    "CADRE_STREET",
    "CADRE_STREET_SECRETARY",
    "CATEGORY_BITS",
    "MIN_COMMUNITY_MEMBERS",
    "District",
    "apportion",
    "draw_categories",
    "generate",
    "grouped_apportion",
    "member_traits",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

CATEGORY_BITS: tuple[Category, ...] = tuple(Category)
"""Bit ``i`` of a member's category flags stands for ``CATEGORY_BITS[i]``."""

CADRE_DISTRICT, CADRE_STREET_SECRETARY, CADRE_STREET, CADRE_COMMUNITY = range(4)
"""Cadre kinds: the district secretary, a street secretary, a street cadre (a possible
first secretary), a community secretary."""

MIN_COMMUNITY_MEMBERS = 3
"""Every community gets at least this many members, all full members (a branch's minimum)."""

_BIT = {c: 1 << i for i, c in enumerate(CATEGORY_BITS)}

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤区麦冼"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉斌波宇浩凯健俊帆帅旭宁"
    "龙林欣晓婷雪琳颖梅莉倩佳嘉振海鹏飞鑫荣新春秋冬德光永家彬锦坤炜"
)
_PLACE = (
    "金花西村南源逢多宝昌华龙津彩虹桥中东沙海石围茶滘冲白鹤洞岭林站前岗湖罗新马张均禾清"
    "永太和平安康乐兴隆福寿荔枝湾芳村冲口花地东漖鹤洞沙面岭南"
)
_GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))
_COMPOUND_SUFFIXES = ("小区", "花园", "大院", "新村", "苑", "广场")
_CHINESE_NUMBERS = "一二三四五六七八九十"


@frozen(eq=False)
class District:
    """A synthetic district as integer-indexed arrays (see the module docstring).

    Indices: streets ``s``, communities ``c``, compounds ``k``, buildings ``b``,
    households ``h``, members ``m``, cadres and cooperative heads. Coordinates are
    metres on a local plane. Arrays are read-only by convention. ``member_key`` is a
    member's lasting number (their id is ``P<key + 1>``): churn removes and appends
    members, and a member who stays keeps their key.

    Made by :func:`generate`; each array's name says what it is indexed by and holds
    (``member_household[m]`` is member ``m``'s household, ``cadre_kind`` one of the
    ``CADRE_*`` kinds, ``head_*`` the cooperative heads, ``member_name`` an index into
    ``names``, ``member_affiliation`` one into ``affiliations`` or -1).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=1)
    >>> d.n_members, d.n_households, d.is_cooperative
    (60, 300, False)
    >>> len(d.community_names), d.member_key[:3].tolist()
    (2, [0, 1, 2])
    >>> bool((d.member_community == d.household_community[d.member_household]).all())
    True
    """

    spec: DistrictSpec
    seed: int
    street_names: tuple[str, ...]
    community_street: IntArray
    community_names: tuple[str, ...]
    community_xy: FloatArray
    compound_community: IntArray
    compound_names: tuple[str, ...]
    building_compound: IntArray
    building_xy: FloatArray
    building_names: tuple[str, ...]
    household_building: IntArray
    household_xy: FloatArray
    household_compound: IntArray
    household_community: IntArray
    member_household: IntArray
    member_community: IntArray
    member_key: IntArray
    member_full: BoolArray
    member_category: IntArray
    member_flags: IntArray
    member_affiliation: IntArray
    affiliations: tuple[str, ...]
    member_name: IntArray
    names: tuple[str, ...]
    cadre_kind: IntArray
    cadre_street: IntArray
    cadre_community: IntArray
    cadre_name: IntArray
    head_household: IntArray
    head_name: IntArray

    @property
    def n_members(self) -> int:
        """The number of registered members."""
        return len(self.member_household)

    @property
    def n_households(self) -> int:
        """The number of households."""
        return len(self.household_building)

    @property
    def is_cooperative(self) -> bool:
        """Whether compounds are economic cooperatives (grids drawn on cooperatives)."""
        return self.spec.grids == "cooperative"

    def with_members(self, **arrays: Any) -> District:
        """Return a copy whose member arrays are replaced (churn moves members).

        ``member_community`` follows ``member_household``; it cannot be given.

        Parameters
        ----------
        **arrays : numpy.ndarray
            New values of member fields (``member_household``, ``member_full``,
            ``member_category``, ``member_flags``, ``member_affiliation``,
            ``member_name``, ``member_key``), all of the same length.

        Returns
        -------
        District
            A copy with the member arrays replaced and everything else shared.

        Examples
        --------
        >>> from gridgov.allocation.presets import spec_for
        >>> d = generate(spec_for(None, communities=2, members=60, households=300))
        >>> last = d.n_households - 1
        >>> moved = d.with_members(member_household=np.full(d.n_members, last))
        >>> moved.n_members, set(moved.member_community.tolist())
        (60, {1})
        >>> d.member_household is not moved.member_household
        True
        """
        household = arrays.get("member_household", self.member_household)
        return evolve(self, **arrays, member_community=self.household_community[household])


def apportion(total: int, weights: FloatArray, minimum: int = 0) -> IntArray:
    """Split `total` into integer parts proportional to `weights` (largest remainders).

    Each part gets at least `minimum`; the parts add up to `total` exactly.

    Parameters
    ----------
    total : int
        What to split.
    weights : float array
        Non-negative weights, one per part (all zero: an even split).
    minimum : int
        The least each part gets.

    Returns
    -------
    int array
        One part per weight, adding up to `total`.

    Raises
    ------
    ValueError
        If `total` is less than ``minimum * len(weights)``.

    Examples
    --------
    >>> apportion(10, np.array([1.0, 1.0, 1.0])).tolist()
    [4, 3, 3]
    >>> apportion(5, np.array([0.0, 1.0]), minimum=1).tolist()
    [1, 4]
    """
    return grouped_apportion(
        np.array([total], dtype=np.int64), np.zeros(len(weights), dtype=np.int64), weights, minimum
    )


def grouped_apportion(
    totals: IntArray, group: IntArray, weights: FloatArray, minimum: int = 0
) -> IntArray:
    """Apportion ``totals[g]`` among the items of each group ``g`` by their weights.

    Parameters
    ----------
    totals : int array, one per group
        What to split in each group.
    group : int array, one per item
        The group of each item.
    weights : float array, one per item
        Non-negative weights (a group whose weights are all zero splits evenly).
    minimum : int
        Every item gets at least this much (the caller makes sure the totals allow it).

    Returns
    -------
    int array, one per item, adding up to ``totals`` within each group.

    Raises
    ------
    ValueError
        If a group's total is less than ``minimum`` times its items.

    Examples
    --------
    >>> grouped_apportion(np.array([3, 4]), np.array([0, 0, 1, 1]),
    ...                   np.array([1.0, 2.0, 1.0, 1.0])).tolist()
    [1, 2, 2, 2]
    """
    n_groups = len(totals)
    size = np.bincount(group, minlength=n_groups)
    rest = totals - minimum * size
    if (rest < 0).any():
        raise ValueError("totals too small for the minimum")
    w = np.asarray(weights, dtype=np.float64)
    wsum = np.bincount(group, weights=w, minlength=n_groups)
    even = wsum[group] <= 0
    share = np.where(even, 1.0 / np.maximum(size[group], 1), w / np.where(even, 1.0, wsum[group]))
    quota = share * rest[group]
    base = np.floor(quota).astype(np.int64)
    frac = quota - base
    deficit = rest - np.bincount(group, weights=base, minlength=n_groups).astype(np.int64)
    order = np.lexsort((np.arange(len(group)), -frac, group))
    starts = np.concatenate(([0], np.cumsum(size)[:-1]))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - starts[group[order]]
    out: IntArray = base + minimum + (rank < deficit[group])
    return out


def _place_names(rng: np.random.Generator, n: int, suffix: str, taken: set[str]) -> list[str]:
    out: list[str] = []
    chars = _PLACE
    while len(out) < n:
        a, b = rng.integers(0, len(chars), size=2)
        name = f"{chars[a]}{chars[b]}{suffix}"
        if a != b and name not in taken:
            taken.add(name)
            out.append(name)
        elif len(taken) > len(chars) ** 2 // 2:
            name = f"{chars[a]}{chars[b]}{len(out) + 1}{suffix}"
            taken.add(name)
            out.append(name)
    return out


def _name_table(rng: np.random.Generator, n: int = 20000) -> tuple[str, ...]:
    s = rng.integers(0, len(_SURNAMES), size=n)
    g1 = rng.integers(0, len(_GIVEN), size=n)
    g2 = rng.integers(-len(_GIVEN) // 2, len(_GIVEN), size=n)
    return tuple(
        _SURNAMES[a] + _GIVEN[b] + (_GIVEN[c] if c >= 0 else "")
        for a, b, c in zip(s.tolist(), g1.tolist(), g2.tolist(), strict=True)
    )


def _ordinal(n: int) -> str:
    if n <= 10:
        return _CHINESE_NUMBERS[n - 1]
    if n < 20:
        return "十" + _CHINESE_NUMBERS[n - 11]
    return str(n)


def generate(spec: DistrictSpec, seed: int = 0) -> District:
    """Generate the synthetic district of `spec` with random `seed`.

    Parameters
    ----------
    spec : DistrictSpec
        The figures.
    seed : int
        The random seed; the same seed gives the same district.

    Returns
    -------
    District

    Examples
    --------
    >>> from gridgov.allocation.presets import PRESETS
    >>> d = generate(PRESETS["junhe"], seed=0)
    >>> d.n_members, len(d.compound_names), d.is_cooperative
    (2000, 51, True)
    """
    _checks.instance("spec", spec, DistrictSpec)
    seed = _checks.seed(seed)
    rng = np.random.default_rng(seed)
    n_streets, n_comm = spec.streets, spec.communities
    coop = spec.grids == "cooperative"
    village = coop or spec.scheme == "three-level"
    taken: set[str] = set()

    # -- streets and communities: tiles of the plane ----------------------------------------
    street_side = 5000.0 if village else 2400.0
    cols = math.ceil(math.sqrt(n_streets))
    street_xy = np.stack(
        [np.arange(n_streets) % cols * street_side, np.arange(n_streets) // cols * street_side],
        axis=1,
    ).astype(np.float64)
    street_names = tuple(_place_names(rng, n_streets, "街道", taken))
    community_street = np.sort(
        np.repeat(np.arange(n_streets), apportion(n_comm, rng.uniform(0.8, 1.2, n_streets), 1))
    ).astype(np.int64)
    per_street = np.bincount(community_street, minlength=n_streets)
    rank = np.arange(n_comm) - np.concatenate(([0], np.cumsum(per_street)[:-1]))[community_street]
    tiles = np.ceil(np.sqrt(per_street)).astype(np.int64)[community_street]
    tile = street_side / tiles
    community_xy = street_xy[community_street] + np.stack(
        [(rank % tiles + 0.5) * tile, (rank // tiles + 0.5) * tile], axis=1
    )
    community_xy += rng.uniform(-0.1, 0.1, (n_comm, 2)) * tile[:, None]
    radius = 0.45 * tile
    suffix = "村" if village else "社区"
    community_names = _place_names(rng, n_comm, suffix, taken)

    # -- members and households per community ------------------------------------------------
    weight = rng.lognormal(0.0, 0.35, n_comm)
    featured = spec.featured
    first = 1 if featured is not None else 0
    members_c = np.zeros(n_comm, dtype=np.int64)
    households_c = np.zeros(n_comm, dtype=np.int64)
    if featured is not None:
        community_names[0] = featured.name
        members_c[0] = featured.members
        households_c[0] = featured.households
    rest_w = weight[first:]
    members_c[first:] = apportion(
        spec.members - int(members_c.sum()), rest_w, MIN_COMMUNITY_MEMBERS
    )
    # at most three members a household on average in every community
    least = np.maximum(np.ceil(members_c[first:] / 3).astype(np.int64), 1)
    households_c[first:] = least + apportion(
        spec.households - int(households_c.sum()) - int(least.sum()),
        rest_w * rng.lognormal(0, 0.15, len(rest_w)),
    )

    # -- compounds (residential compounds or cooperatives) -----------------------------------
    if coop:
        assert spec.cooperatives is not None
        compounds_c = np.zeros(n_comm, dtype=np.int64)
        if featured is not None:
            assert featured.cooperatives is not None
            compounds_c[0] = min(featured.cooperatives, int(households_c[0]))
        compounds_c[first:] = apportion(
            spec.cooperatives - int(compounds_c.sum()), households_c[first:].astype(float), 1
        )
    else:
        compounds_c = np.maximum(1, np.round(households_c / 150)).astype(np.int64)
    compounds_c = np.minimum(compounds_c, households_c)
    n_compounds = int(compounds_c.sum())
    compound_community = np.repeat(np.arange(n_comm), compounds_c).astype(np.int64)
    # compounds spread evenly over their community's disc (a jittered sunflower spiral)
    within = np.arange(n_compounds) - np.repeat(np.cumsum(compounds_c) - compounds_c, compounds_c)
    n_here = compounds_c[compound_community]
    angle = within * _GOLDEN_ANGLE + rng.uniform(0, 2 * np.pi, n_comm)[compound_community]
    dist = np.sqrt((within + 0.5) / n_here) * radius[compound_community] * 0.85
    compound_xy = community_xy[compound_community] + np.stack(
        [np.cos(angle) * dist, np.sin(angle) * dist], axis=1
    )
    compound_xy += (
        rng.normal(0, 0.1, (n_compounds, 2))
        * (radius[compound_community] / np.sqrt(n_here))[:, None]
    )
    if coop:
        compound_names = tuple(
            f"{community_names[c][:2]}第{_ordinal(int(i) + 1)}经济社"
            for c, i in zip(compound_community.tolist(), within.tolist(), strict=True)
        )
    else:
        sfx = rng.integers(0, len(_COMPOUND_SUFFIXES), n_compounds)
        compound_names = tuple(
            _place_names(rng, 1, _COMPOUND_SUFFIXES[int(i)], taken)[0] for i in sfx
        )

    # -- households per compound, buildings per compound -------------------------------------
    households_k = grouped_apportion(
        households_c, compound_community, rng.lognormal(0, 0.5, n_compounds), 1
    )
    buildings_k = np.clip(
        np.round(households_k / spec.households_per_building), 1, households_k
    ).astype(np.int64)
    n_buildings = int(buildings_k.sum())
    building_compound = np.repeat(np.arange(n_compounds), buildings_k).astype(np.int64)
    room = 0.3 * radius[compound_community] / np.sqrt(compounds_c[compound_community])
    spread = np.minimum(
        (200.0 if village else 70.0) * np.sqrt(np.maximum(buildings_k, 1) / 20.0) + 15.0, room
    )
    building_xy = (
        compound_xy[building_compound]
        + rng.normal(0, 1, (n_buildings, 2)) * spread[building_compound, None]
    )
    households_b = grouped_apportion(
        households_k, building_compound, rng.lognormal(0, 0.3, n_buildings), 1
    )
    household_building = np.repeat(np.arange(n_buildings), households_b).astype(np.int64)
    n_households = len(household_building)
    household_xy = np.round(
        building_xy[household_building] + rng.uniform(-3, 3, (n_households, 2)), 1
    )
    household_compound = building_compound[household_building]
    household_community = compound_community[household_compound]
    b_within = np.arange(n_buildings) - np.repeat(np.cumsum(buildings_k) - buildings_k, buildings_k)
    unit = "号" if village else "栋"
    building_names = tuple(
        f"{compound_names[k]}{i + 1}{unit}"
        for k, i in zip(building_compound.tolist(), b_within.tolist(), strict=True)
    )

    # -- members in households ---------------------------------------------------------------
    member_household = _place_members(rng, members_c, households_c, household_community)
    n_members = len(member_household)
    member_community = household_community[member_household]

    # -- categories, status, affiliation -----------------------------------------------------
    member_category = draw_categories(rng, spec, n_members)
    if featured is not None:
        codes = np.concatenate(
            [
                np.full(n, PRIMARY_CATEGORIES.index(c), dtype=np.int64)
                for c, n in featured.category_counts
            ]
        )
        in_featured = np.flatnonzero(member_community == 0)
        member_category[in_featured] = rng.permutation(codes)
    n_units = max(1, n_members // 25)
    n_organs = max(1, n_members // 200)
    affiliations = tuple([f"EXT-U{i + 1}" for i in range(n_units)]) + tuple(
        f"EXT-O{i + 1}" for i in range(n_organs)
    )
    names = _name_table(rng)
    member_full, flags, member_affiliation, member_name = member_traits(
        rng, spec, member_category, n_units, n_organs, len(names)
    )
    # every community keeps a few full members, so that its branches can elect a secretary
    starts = np.searchsorted(member_community, np.arange(n_comm))
    for offset in range(MIN_COMMUNITY_MEMBERS):
        member_full[starts + offset] = True

    # -- cadres: district secretary, street secretaries and cadres, community secretaries ----
    members_s = np.bincount(community_street[member_community], minlength=n_streets)
    if spec.cadres_per_street is not None:
        pool = np.full(n_streets, spec.cadres_per_street, dtype=np.int64)
    else:
        units_s = np.bincount(community_street[compound_community], minlength=n_streets)
        given_s = np.ceil((spec.branches or 0) * members_s / spec.members)
        pool = 1 + np.maximum.reduce(
            [
                np.ceil(members_s / 20),
                2 * per_street,
                units_s if coop else np.zeros(n_streets),
                given_s + per_street,
            ]
        ).astype(np.int64)
    pool = np.maximum(pool, 2)
    kinds = [np.full(1 if n_streets > 1 else 0, CADRE_DISTRICT, dtype=np.int64)]
    streets = [np.full(len(kinds[0]), -1, dtype=np.int64)]
    for s in range(n_streets):
        kinds.append(np.array([CADRE_STREET_SECRETARY] + [CADRE_STREET] * (int(pool[s]) - 1)))
        streets.append(np.full(int(pool[s]), s, dtype=np.int64))
    kinds.append(np.full(n_comm, CADRE_COMMUNITY, dtype=np.int64))
    streets.append(community_street)
    cadre_kind = np.concatenate(kinds).astype(np.int64)
    cadre_street = np.concatenate(streets).astype(np.int64)
    cadre_community = np.full(len(cadre_kind), -1, dtype=np.int64)
    cadre_community[cadre_kind == CADRE_COMMUNITY] = np.arange(n_comm)
    cadre_name = rng.integers(0, len(names), len(cadre_kind))

    # -- cooperative heads: one per cooperative, living in it --------------------------------
    if coop:
        first_h = np.searchsorted(household_compound, np.arange(n_compounds))
        head_household = (
            first_h + (rng.random(n_compounds) * households_k).astype(np.int64)
        ).astype(np.int64)
    else:
        head_household = np.zeros(0, dtype=np.int64)
    head_name = rng.integers(0, len(names), len(head_household))

    return District(
        spec=spec,
        seed=seed,
        street_names=street_names,
        community_street=community_street,
        community_names=tuple(community_names),
        community_xy=community_xy,
        compound_community=compound_community,
        compound_names=compound_names,
        building_compound=building_compound,
        building_xy=building_xy,
        building_names=building_names,
        household_building=household_building,
        household_xy=household_xy,
        household_compound=household_compound,
        household_community=household_community,
        member_household=member_household,
        member_community=member_community,
        member_key=np.arange(n_members, dtype=np.int64),
        member_full=member_full,
        member_category=member_category,
        member_flags=flags,
        member_affiliation=member_affiliation,
        affiliations=affiliations,
        member_name=member_name,
        names=names,
        cadre_kind=cadre_kind,
        cadre_street=cadre_street,
        cadre_community=cadre_community,
        cadre_name=cadre_name,
        head_household=head_household,
        head_name=head_name,
    )


def draw_categories(rng: np.random.Generator, spec: DistrictSpec, n: int) -> IntArray:
    """Draw `n` members' main categories (indices into ``PRIMARY_CATEGORIES``) from the mix.

    Parameters
    ----------
    rng : numpy.random.Generator
        The random source (advanced by the draw).
    spec : DistrictSpec
        Its ``categories`` weights are the probabilities (normalized).
    n : int
        How many members.

    Returns
    -------
    int array (n)
        Indices into :data:`~gridgov.allocation.presets.PRIMARY_CATEGORIES`.

    Examples
    --------
    >>> from gridgov.allocation.presets import PRIMARY_CATEGORIES, spec_for
    >>> rng = np.random.default_rng(0)
    >>> spec = spec_for(None, categories={"retired": 1, "mobile": 0})
    >>> draw_categories(rng, spec, 4).tolist()
    [1, 1, 1, 1]
    >>> PRIMARY_CATEGORIES[1]
    'retired'
    """
    cats = np.array([PRIMARY_CATEGORIES.index(c) for c, _ in spec.categories], dtype=np.int64)
    p = np.array([w for _, w in spec.categories], dtype=np.float64)
    out: IntArray = cats[rng.choice(len(cats), n, p=p / p.sum())]
    return out


def member_traits(
    rng: np.random.Generator,
    spec: DistrictSpec,
    category: IntArray,
    n_units: int,
    n_organs: int,
    n_names: int,
) -> tuple[BoolArray, IntArray, IntArray, IntArray]:
    """Draw status, category flags, affiliation and name of members of `category`.

    Every member carries their main category; all but village members carry
    ``residence_registered`` (village members' affiliation is local); 70% of sunk
    members are organ members. Employed members belong to one of `n_units` outside
    units, sunk members to one of `n_organs` organs.

    Parameters
    ----------
    rng : numpy.random.Generator
        The random source (advanced by the draws).
    spec : DistrictSpec
        Its ``probationary`` share sets the status.
    category : int array (members)
        Main categories, as :func:`draw_categories` returns them.
    n_units, n_organs : int
        Outside units (affiliations ``0 .. n_units-1``) and organs (the next
        ``n_organs`` affiliations).
    n_names : int
        The size of the name table to pick names from.

    Returns
    -------
    (bool array, int array, int array, int array)
        Full membership, category flags (bit ``i`` is ``CATEGORY_BITS[i]``),
        affiliation (-1 for none) and name index of each member.

    Examples
    --------
    >>> from gridgov.allocation.presets import PRIMARY_CATEGORIES, spec_for
    >>> village = PRIMARY_CATEGORIES.index(Category.VILLAGE)
    >>> employed = PRIMARY_CATEGORIES.index(Category.EMPLOYED)
    >>> category = np.array([village, employed, employed])
    >>> full, flags, affiliation, name = member_traits(
    ...     np.random.default_rng(0), spec_for(None), category, 5, 2, 100)
    >>> registered = 1 << CATEGORY_BITS.index(Category.RESIDENCE_REGISTERED)
    >>> (flags & registered > 0).tolist()
    [False, True, True]
    >>> affiliation.tolist()[0], bool((affiliation[1:] < 5).all())
    (-1, True)
    """
    n = len(category)
    full: BoolArray = rng.random(n) >= spec.probationary
    primary_bits = np.array([_BIT[c] for c in PRIMARY_CATEGORIES], dtype=np.int64)
    flags: IntArray = primary_bits[category]
    is_village = category == PRIMARY_CATEGORIES.index(Category.VILLAGE)
    is_sunk = category == PRIMARY_CATEGORIES.index(Category.SUNK)
    flags |= np.where(is_village, 0, _BIT[Category.RESIDENCE_REGISTERED])
    flags |= np.where(is_sunk & (rng.random(n) < 0.7), _BIT[Category.ORGAN], 0)
    affiliation = np.full(n, -1, dtype=np.int64)
    employed = category == PRIMARY_CATEGORIES.index(Category.EMPLOYED)
    affiliation[employed] = rng.integers(0, n_units, int(employed.sum()))
    affiliation[is_sunk] = n_units + rng.integers(0, n_organs, int(is_sunk.sum()))
    name: IntArray = rng.integers(0, n_names, n)
    return full, flags, affiliation, name


def _place_members(
    rng: np.random.Generator,
    members_c: IntArray,
    households_c: IntArray,
    household_community: IntArray,
) -> IntArray:
    """Put ``members_c[c]`` members into households of community ``c``.

    About one member household in nine holds two or three members; the member
    households are a uniform sample of the community's households.
    """
    n_comm = len(members_c)
    member_households = np.minimum(
        households_c, np.maximum(np.ceil(members_c / 1.12), np.ceil(members_c / 3))
    ).astype(np.int64)
    member_households = np.minimum(member_households, members_c)
    # a uniform sample of each community's households: the lowest random keys
    key = rng.random(len(household_community))
    order = np.lexsort((key, household_community))
    h_start = np.concatenate(([0], np.cumsum(households_c)[:-1]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - h_start[household_community[order]]
    chosen = order[rank[order] < member_households[household_community[order]]]
    # chosen is grouped by community (lexsort order); offsets per community
    c_start = np.concatenate(([0], np.cumsum(member_households)[:-1]))
    member_comm = np.repeat(np.arange(n_comm), members_c)
    m_start = np.concatenate(([0], np.cumsum(members_c)[:-1]))
    within = np.arange(len(member_comm)) - m_start[member_comm]
    slots = member_households[member_comm]
    extra = within >= slots
    pick = np.where(
        extra,
        (rng.random(len(member_comm)) * np.maximum(slots, 1)).astype(np.int64),
        within,
    )
    out: IntArray = np.sort(chosen[c_start[member_comm] + pick]).astype(np.int64)
    return out
