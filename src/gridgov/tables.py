"""Tables of any jurisdiction, as pandas DataFrames (``gridgov.frames``).

:func:`frames` reads a :class:`~gridgov.model.Jurisdiction` as it is now and returns
its records as named pandas DataFrames (a :class:`Frames` record): organizations,
members, posts (current and past tenures), zones, households and filings. Nothing is
cached: every call reads the jurisdiction afresh, so after an edit
(``j.transfer_member(...)``, an event applied) the next call shows it in every table.
A simulated district's :meth:`~gridgov.allocation.SimulationResult.to_frames` goes
through the same function.

Column types are fixed, whatever the data:

- levels, kinds, statuses, roles, duties and party households are pandas
  ``category`` columns whose categories are the scheme's levels (in order, top first)
  or the enum's values (so two frames of different jurisdictions concatenate cleanly);
- dates are ``datetime64[ns]`` columns (``NaT`` where no date is recorded; pandas'
  own type for dates, so ``.dt`` and date comparisons work; every date gridgov takes,
  :data:`~gridgov.limits.MIN_DATE` to :data:`~gridgov.limits.MAX_DATE`, fits);
- counts are ``int64``; coordinates ``float64`` (``NaN`` without a location);
- ids and names are pandas' default string type (``str`` in pandas 3, ``object`` in
  pandas 2), missing values ``NaN``/``None``;
- lists (a member's categories, zones, posts) are tuples in ``object`` columns.

Needs the ``notebook`` extra (pandas); plots are in :mod:`gridgov.plots`.

Examples
--------
>>> import gridgov
>>> j = gridgov.load("examples/junhe.json")
>>> f = gridgov.frames(j)
>>> sorted(f)
['filings', 'households', 'members', 'organizations', 'posts', 'zones']
>>> f.organizations.level.value_counts(sort=False).to_dict()
{'street': 1, 'community': 2, 'branch': 6, 'group': 7, 'zone': 14}
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any

from attrs import fields, frozen

from gridgov._deps import require
from gridgov.errors import InvalidValueError
from gridgov.model.enums import Category, Duty, MemberStatus, OrgKind, PartyHousehold, Role
from gridgov.model.jurisdiction import Jurisdiction

__all__ = ["Frames", "frames"]

_CATEGORIES = tuple(c.value for c in Category)
_STATUS = tuple(s.value for s in MemberStatus)
_KINDS = tuple(k.value for k in OrgKind)
_ROLES = tuple(r.value for r in Role)
_DUTIES = tuple(d.value for d in Duty)
_PARTY_HOUSEHOLDS = tuple(p.value for p in PartyHousehold)

ORGANIZATION_COLUMNS = (
    "id",
    "level",
    "name",
    "parent",
    "kind",
    "cooperative",
    "formed",
    "ends",
    "children",
    "filed",
    "members",
    "full_members",
    "posts_filled",
    "households",
)
"""The columns of :attr:`Frames.organizations`, in order."""

MEMBER_COLUMNS = (
    "id",
    "name",
    "status",
    "categories",
    *(f"category_{c}" for c in _CATEGORIES),
    "affiliation",
    "joined",
    "household",
    "x",
    "y",
    "registration",
    "registered",
    "work_registration",
    "filing",
    "filed",
    "branch",
    "community",
    "zones",
    "zones_claimed",
    "posts",
    "posts_held",
)
"""The columns of :attr:`Frames.members`, in order."""

POST_COLUMNS = (
    "org",
    "level",
    "role",
    "holder",
    "appointed_by",
    "duty",
    "since",
    "until",
    "current",
)
"""The columns of :attr:`Frames.posts`, in order."""

ZONE_COLUMNS = ("id", "name", "group", "branch", "households", "claimants", "claimant", "x", "y")
"""The columns of :attr:`Frames.zones`, in order."""

HOUSEHOLD_COLUMNS = (
    "id",
    "building",
    "address",
    "x",
    "y",
    "party_household",
    "zone",
    "residents",
    "members",
)
"""The columns of :attr:`Frames.households`, in order."""

FILING_COLUMNS = ("person", "org", "branch", "community", "date")
"""The columns of :attr:`Frames.filings`, in order."""


@frozen(eq=False)
class Frames(Mapping[str, Any]):
    """The tables of one jurisdiction, as :func:`frames` returns them.

    A read-only mapping of table name to pandas DataFrame (``frames["members"]``) whose
    tables are also attributes (``frames.members``). See :mod:`gridgov.tables` for the
    column types.

    Attributes
    ----------
    organizations : pandas.DataFrame
        One row per organization: ``id``, ``level`` (categorical, the scheme's levels),
        ``name``, ``parent``, ``kind`` (categorical), ``cooperative``, ``formed`` and
        ``ends`` (dates), ``children`` (direct children), ``filed`` (members filed
        directly in it), ``members`` and ``full_members`` (filed anywhere in its
        subtree; attached members not counted), ``posts_filled`` (posts held now),
        ``households`` (households in it: zones only, 0 elsewhere).
    members : pandas.DataFrame
        One row per Party member, filed or not (street cadres and first secretaries
        serving concurrently are members with no filing): ``id``, ``name``, ``status``
        (categorical), ``categories`` (a tuple of category values) and one boolean
        ``category_<value>`` column per :class:`~gridgov.model.Category`,
        ``affiliation``, ``joined`` (date), ``household``, ``x``/``y`` (their
        household's location), ``registration`` and ``registered`` (residence
        registration's community and date), ``work_registration``, ``filing`` (their
        group) and ``filed`` (date), ``branch`` and ``community`` (the filing's
        ancestors), ``zones`` (tuple) and ``zones_claimed``, ``posts`` (tuple of
        ``"role@org"``) and ``posts_held``. People who are not Party members (a
        cooperative head, say) are not in it; their posts are in :attr:`posts`.
    posts : pandas.DataFrame
        One row per tenure, the past ones (``current`` False, ``until`` the day it
        ended) then the posts held now: ``org``, ``level``, ``role`` (categorical),
        ``holder``, ``appointed_by``, ``duty`` (categorical), ``since``, ``until``
        (dates), ``current``.
    zones : pandas.DataFrame
        One row per organization at the scheme's zone level: ``id``, ``name``,
        ``group`` (parent), ``branch``, ``households``, ``claimants`` (count),
        ``claimant`` (the first claimant, or ``None``), ``x``/``y`` (mean location of
        its households).
    households : pandas.DataFrame
        ``id``, ``building``, ``address``, ``x``, ``y``, ``party_household``
        (categorical), ``zone``, ``residents`` (people living there), ``members``
        (Party members among them).
    filings : pandas.DataFrame
        ``person``, ``org``, ``branch``, ``community``, ``date``: one row per filing.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.load("examples/junhe.json")
    >>> f = gridgov.frames(j)
    >>> len(f), f["posts"] is f.posts
    (6, True)
    >>> str(f.members.dtypes["status"]), str(f.members.dtypes["zones_claimed"])
    ('category', 'int64')
    >>> list(f.members.status.cat.categories), str(f.posts.dtypes["since"])
    (['full', 'probationary'], 'datetime64[ns]')
    """

    organizations: Any
    members: Any
    posts: Any
    zones: Any
    households: Any
    filings: Any

    def __getitem__(self, name: str) -> Any:
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_NAMES)

    def __len__(self) -> int:
        return len(_NAMES)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(getattr(self, name)):,}" for name in _NAMES)
        return f"<Frames {sizes}>"


_NAMES = tuple(a.name for a in fields(Frames))


def _types(levels: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The type of every column of every table: ``"str"``, ``"obj"``, ``"int"``,
    ``"float"``, ``"bool"``, ``"date"`` or a tuple of categories."""
    return {
        "organizations": {
            "id": "str",
            "level": levels,
            "name": "str",
            "parent": "str",
            "kind": _KINDS,
            "cooperative": "str",
            "formed": "date",
            "ends": "date",
            "children": "int",
            "filed": "int",
            "members": "int",
            "full_members": "int",
            "posts_filled": "int",
            "households": "int",
        },
        "members": {
            "id": "str",
            "name": "str",
            "status": _STATUS,
            "categories": "obj",
            **{f"category_{c}": "bool" for c in _CATEGORIES},
            "affiliation": "str",
            "joined": "date",
            "household": "str",
            "x": "float",
            "y": "float",
            "registration": "str",
            "registered": "date",
            "work_registration": "str",
            "filing": "str",
            "filed": "date",
            "branch": "str",
            "community": "str",
            "zones": "obj",
            "zones_claimed": "int",
            "posts": "obj",
            "posts_held": "int",
        },
        "posts": {
            "org": "str",
            "level": levels,
            "role": _ROLES,
            "holder": "str",
            "appointed_by": "str",
            "duty": _DUTIES,
            "since": "date",
            "until": "date",
            "current": "bool",
        },
        "zones": {
            "id": "str",
            "name": "str",
            "group": "str",
            "branch": "str",
            "households": "int",
            "claimants": "int",
            "claimant": "str",
            "x": "float",
            "y": "float",
        },
        "households": {
            "id": "str",
            "building": "str",
            "address": "str",
            "x": "float",
            "y": "float",
            "party_household": _PARTY_HOUSEHOLDS,
            "zone": "str",
            "residents": "int",
            "members": "int",
        },
        "filings": {
            "person": "str",
            "org": "str",
            "branch": "str",
            "community": "str",
            "date": "date",
        },
    }


def _column(pd: Any, np: Any, kind: Any, values: list[Any]) -> Any:
    if kind == "int":
        if isinstance(values, np.ndarray):
            return values.astype(np.int64, copy=False)
        return np.fromiter(values, dtype=np.int64, count=len(values))
    if kind == "float":
        return np.asarray(values, dtype=np.float64)
    if kind == "bool":
        if isinstance(values, np.ndarray):
            return values.astype(np.bool_, copy=False)
        return np.fromiter(values, dtype=np.bool_, count=len(values))
    if kind == "date":
        # dates to datetime64[ns] (NaT for None), through their ordinal days
        nat = np.iinfo(np.int64).min
        days = np.fromiter(
            (nat if v is None else v.toordinal() - _EPOCH for v in values),
            dtype=np.int64,
            count=len(values),
        )
        return days.astype("datetime64[D]").astype("datetime64[ns]")
    if isinstance(kind, tuple):
        return pd.Categorical(values, categories=list(kind))
    if kind == "obj":  # tuples stay tuples, one per row
        return pd.Series(values, dtype=object)
    # strings: pandas' default string type, given explicitly so that a column of no
    # values or of missing ones only is a string column too
    return pd.Series(values, dtype="str" if int(pd.__version__.split(".")[0]) >= 3 else object)


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _build(pd: Any, np: Any, columns: dict[str, dict[str, Any]], levels: tuple[str, ...]) -> Frames:
    """The typed DataFrames of column lists (or numpy arrays; see :func:`_types`)."""
    types = _types(levels)
    tables = {}
    for name, cols in columns.items():
        kinds = types[name]
        tables[name] = pd.DataFrame(
            {c: _column(pd, np, kinds[c], values) for c, values in cols.items()},
            columns=list(kinds),
        )
    return Frames(**tables)


def frames(j: Jurisdiction) -> Frames:
    """Return the tables of `j` as pandas DataFrames, read from it now.

    Every call reads the jurisdiction afresh (nothing is cached), so the tables are
    always those of its current state. Needs the ``notebook`` extra (pandas).

    Parameters
    ----------
    j : Jurisdiction
        Any jurisdiction: loaded from a document, built by hand, simulated.

    Returns
    -------
    Frames
        ``organizations``, ``members``, ``posts``, ``zones``, ``households`` and
        ``filings`` (see :class:`Frames` for their columns and
        :mod:`gridgov.tables` for the column types).

    Raises
    ------
    InvalidValueError
        If `j` is not a Jurisdiction.
    MissingDependencyError
        If pandas is not installed.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.Jurisdiction()
    >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
    ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
    ...     _ = j.found_org(o, lvl, o, parent=p)
    >>> _ = j.add_person("P1", "李四", status="full", categories=["retired", "sunk"])
    >>> _ = j.file_member("P1", "G1", date="2024-03-01")
    >>> f = gridgov.frames(j)
    >>> f.members[["id", "status", "filing", "branch", "category_retired"]].to_dict("records")
    [{'id': 'P1', 'status': 'full', 'filing': 'G1', 'branch': 'B1', 'category_retired': True}]
    >>> _ = j.transfer_member("P1", "G2")
    >>> gridgov.frames(j).filings.org.tolist()  # read afresh: the transfer shows
    ['G2']
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    pd = require("pandas", "notebook", "gridgov.frames")
    import numpy as np  # pandas needs numpy

    paused = gc.isenabled()
    gc.disable()  # see _columns
    try:
        return _build(pd, np, _columns(j), tuple(j.scheme.levels))
    finally:
        if paused:
            gc.enable()


def _attrs(objs: list[Any], *names: str) -> list[list[Any]]:
    """The attributes `names` of each of `objs`, one list per name (a C-level pass each:
    faster than one pass transposed)."""
    return [list(map(attrgetter(name), objs)) for name in names]


def _sizes(index: Mapping[str, Any], keys: list[str]) -> list[int]:
    """``len(index[key])`` for each key (0 where it is missing)."""
    return list(map(len, map(index.get, keys, repeat(()))))


def _columns(j: Jurisdiction) -> dict[str, dict[str, Any]]:
    """Every table of `j`, one list (or numpy array, for counts, flags and coordinates)
    per column.

    The cyclic garbage collector is paused meanwhile: the lists and tuples made here
    hold no cycles, and each of its passes would walk the whole jurisdiction (millions
    of records in a large district) for nothing, several times over.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _read(j)
    finally:
        if paused:
            gc.enable()


def _read(j: Jurisdiction) -> dict[str, dict[str, Any]]:
    import numpy as np

    s = j._state
    scheme = s.scheme
    g = s.graph._g
    node, succ = g._node, g._succ
    branch_level = scheme.branch_level
    community_level = s.registration_level()
    zone_level = scheme.zone_level
    people = s.people

    ids = list(node)
    orgs = list(map(itemgetter("org"), node.values()))
    o_level, o_name, o_parent, o_kind, o_coop, o_formed, o_ends = _attrs(
        orgs, "level", "name", "parent", "kind", "cooperative", "formed", "ends"
    )
    # ancestors at the branch and community levels, top-down
    branch_of: dict[str | None, str | None] = {None: None}
    community_of: dict[str | None, str | None] = {None: None}
    order: list[str] = []
    level_of = dict(zip(ids, o_level, strict=True))
    stack = [o for o, parent in zip(ids, o_parent, strict=True) if parent is None]
    for root in stack:
        branch_of[root] = root if level_of[root] == branch_level else None
        community_of[root] = root if level_of[root] == community_level else None
    while stack:
        org = stack.pop()
        order.append(org)
        b, c = branch_of[org], community_of[org]
        for child in succ[org]:
            level = level_of[child]
            branch_of[child] = child if level == branch_level else b
            community_of[child] = child if level == community_level else c
            stack.append(child)

    # members filed per organization, then summed up the tree (children before parents)
    fl = list(s.filings.values())
    f_person, f_org, f_date = _attrs(fl, "person", "org", "date")
    full_status = MemberStatus.FULL
    full_people = {
        p.id for p in people.values() if p.party is not None and p.party.status is full_status
    }
    filed_n: dict[str, int] = dict.fromkeys(node, 0)
    filed_n.update(Counter(f_org))
    full_n: dict[str, int] = dict.fromkeys(node, 0)
    full_n.update(Counter(compress(f_org, map(full_people.__contains__, f_person))))
    members_n = dict(filed_n)
    parent_of = dict(zip(ids, o_parent, strict=True))
    for org in reversed(order):
        parent = parent_of[org]
        if parent is not None:
            members_n[parent] += members_n[org]
            full_n[parent] += full_n[org]
    households_in = s.households_in
    organizations: dict[str, list[Any]] = {
        "id": ids,
        "level": o_level,
        "name": o_name,
        "parent": o_parent,
        "kind": o_kind,  # StrEnums (each a str) or None
        "cooperative": o_coop,
        "formed": o_formed,
        "ends": o_ends,
        "children": list(map(len, map(succ.__getitem__, ids))),
        "filed": list(map(filed_n.__getitem__, ids)),
        "members": list(map(members_n.__getitem__, ids)),
        "full_members": list(map(full_n.__getitem__, ids)),
        "posts_filled": _sizes(s.posts_by_org, ids),
        "households": _sizes(households_in, ids),
    }

    # members: every Party member, filed or not
    filings = s.filings
    member_people = [p for p in people.values() if p.party is not None]
    mids, m_name, parties, m_household = _attrs(member_people, "id", "name", "party", "household")
    m_status, m_cats, m_affiliation, m_joined = _attrs(
        parties, "status", "categories", "affiliation", "joined"
    )
    # categories: one sorted tuple and one row of flags per distinct set (sets repeat)
    distinct = list(set(m_cats))
    code_of = {cs: i for i, cs in enumerate(distinct)}
    values_of = [tuple(sorted(map(str, cs))) for cs in distinct]
    flag_table = np.array(
        [[c in values for c in _CATEGORIES] for values in values_of]
        or [[False] * len(_CATEGORIES)],
        dtype=np.bool_,
    )
    codes = np.fromiter(map(code_of.__getitem__, m_cats), dtype=np.int64, count=len(m_cats))
    flags = flag_table[codes]
    cats = list(map(values_of.__getitem__, codes.tolist()))
    # households: positions, locations; members' homes
    households = s.households
    hh = list(households.values())
    h_id, h_building, h_address, h_location, h_party = _attrs(
        hh, "id", "building", "address", "location", "party_household"
    )
    nan = float("nan")
    nowhere = (nan, nan)
    h_xy = np.fromiter(
        chain.from_iterable([loc or nowhere for loc in h_location] + [nowhere]),
        dtype=np.float64,
        count=2 * len(h_location) + 2,
    ).reshape(-1, 2)  # the last row: no household
    m_loc = [None if h is None else households[h].location for h in m_household]
    m_xy = np.fromiter(
        chain.from_iterable([loc or nowhere for loc in m_loc]),
        dtype=np.float64,
        count=2 * len(m_loc),
    ).reshape(-1, 2)
    regs = list(map(s.registrations.get, mids))
    works = list(map(s.work_registrations.get, mids))
    member_filings = list(map(filings.get, mids))
    filed_org = [None if f is None else f.org for f in member_filings]
    zones_of = [tuple(z) if z else () for z in map(s.claims_by_person.get, mids)]
    posts_by_holder = s.posts_by_holder
    posts_of = [
        tuple(f"{key[1]}@{key[0]}" for key in held) if held else ()
        for held in map(posts_by_holder.get, mids)
    ]
    members: dict[str, Any] = {
        "id": mids,
        "name": m_name,
        "status": m_status,  # StrEnums: each a str
        "categories": cats,
    }
    for i, c in enumerate(_CATEGORIES):
        members[f"category_{c}"] = flags[:, i]
    members.update(
        {
            "affiliation": m_affiliation,
            "joined": m_joined,
            "household": m_household,
            "x": m_xy[:, 0],
            "y": m_xy[:, 1],
            "registration": [None if r is None else r.community for r in regs],
            "registered": [None if r is None else r.date for r in regs],
            "work_registration": [None if r is None else r.community for r in works],
            "filing": filed_org,
            "filed": [None if f is None else f.date for f in member_filings],
            "branch": list(map(branch_of.__getitem__, filed_org)),
            "community": list(map(community_of.__getitem__, filed_org)),
            "zones": zones_of,
            "zones_claimed": list(map(len, zones_of)),
            "posts": posts_of,
            "posts_held": list(map(len, posts_of)),
        }
    )

    # posts: past tenures, then current ones
    tenures = [p for ts in s.tenures.values() for p in ts]
    current = list(s.posts.values())
    all_posts = tenures + current
    p_org, p_role, p_holder, p_by, p_duty, p_since, p_until = _attrs(
        all_posts, "org", "role", "holder", "appointed_by", "duty", "since", "until"
    )
    posts: dict[str, list[Any]] = {
        "org": p_org,
        "level": list(map(level_of.get, p_org)),
        "role": p_role,
        "holder": p_holder,
        "appointed_by": p_by,
        "duty": p_duty,
        "since": p_since,
        "until": p_until,
        "current": [False] * len(tenures) + [True] * len(current),
    }

    # households, and the centre of each zone (the mean of its households' locations)
    zone_ids = list(s.graph._by_level.get(zone_level, ()))
    z_pos: dict[str | None, int] = dict(zip(zone_ids, range(len(zone_ids)), strict=True))
    h_zone = list(map(s.zone_of.get, h_id))
    hz = np.fromiter(map(z_pos.get, h_zone, repeat(-1)), dtype=np.int64, count=len(h_zone))
    located = (hz >= 0) & ~np.isnan(h_xy[:-1, 0])
    n_zones = len(zone_ids)
    count = np.bincount(hz[located], minlength=n_zones).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        zone_x = np.bincount(hz[located], weights=h_xy[:-1, 0][located], minlength=n_zones) / count
        zone_y = np.bincount(hz[located], weights=h_xy[:-1, 1][located], minlength=n_zones) / count
    members_at = Counter(m_household)
    household_columns: dict[str, Any] = {
        "id": h_id,
        "building": h_building,
        "address": h_address,
        "x": h_xy[:-1, 0],
        "y": h_xy[:-1, 1],
        "party_household": h_party,
        "zone": h_zone,
        "residents": _sizes(s.residents, h_id),
        "members": list(map(members_at.get, h_id, repeat(0))),
    }

    zone_orgs = list(map(node.__getitem__, zone_ids))
    claimant_lists = list(map(s.claims_by_zone.get, zone_ids))
    zones: dict[str, Any] = {
        "id": zone_ids,
        "name": [data["org"].name for data in zone_orgs],
        "group": list(map(parent_of.__getitem__, zone_ids)),
        "branch": list(map(branch_of.__getitem__, zone_ids)),
        "households": _sizes(households_in, zone_ids),
        "claimants": [0 if c is None else len(c) for c in claimant_lists],
        "claimant": [next(iter(c)) if c else None for c in claimant_lists],
        "x": zone_x,
        "y": zone_y,
    }

    filing_columns: dict[str, list[Any]] = {
        "person": f_person,
        "org": f_org,
        "branch": list(map(branch_of.__getitem__, f_org)),
        "community": list(map(community_of.__getitem__, f_org)),
        "date": f_date,
    }
    return {
        "organizations": organizations,
        "members": members,
        "posts": posts,
        "zones": zones,
        "households": household_columns,
        "filings": filing_columns,
    }
