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
  own type for dates, so ``.dt`` and date comparisons work);
- counts are ``int64``; coordinates ``float64`` (``NaN`` without a location);
- ids and names are Python strings (``object``), ``None`` where missing;
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
from collections.abc import Iterator, Mapping
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


def _dates(pd: Any, values: list[dt.date | None]) -> Any:
    """A ``datetime64[ns]`` column of dates (``NaT`` for ``None``)."""
    return pd.to_datetime(pd.Series(values, dtype=object), errors="raise").astype("datetime64[ns]")


def _categorical(pd: Any, values: list[Any], categories: tuple[str, ...]) -> Any:
    return pd.Categorical(values, categories=list(categories))


def _ints(np: Any, values: list[int]) -> Any:
    return np.fromiter(values, dtype=np.int64, count=len(values))


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

    s = j._state
    scheme = s.scheme
    levels = tuple(scheme.levels)
    g = s.graph._g
    node, succ = g._node, g._succ
    branch_level = scheme.branch_level
    community_level = s.registration_level()
    zone_level = scheme.zone_level
    people = s.people

    # ancestors at the branch and community levels, top-down
    branch_of: dict[str, str | None] = {}
    community_of: dict[str, str | None] = {}
    order: list[str] = []
    stack = [r for r, data in node.items() if data["org"].parent is None]
    for root in stack:
        branch_of[root] = root if node[root]["level"] == branch_level else None
        community_of[root] = root if node[root]["level"] == community_level else None
    while stack:
        org = stack.pop()
        order.append(org)
        b, c = branch_of[org], community_of[org]
        for child in succ[org]:
            level = node[child]["level"]
            branch_of[child] = child if level == branch_level else b
            community_of[child] = child if level == community_level else c
            stack.append(child)

    # members filed per organization, then summed up the tree (children before parents)
    members_n: dict[str, int] = dict.fromkeys(node, 0)
    full_n: dict[str, int] = dict.fromkeys(node, 0)
    filed_n: dict[str, int] = dict.fromkeys(node, 0)
    for f in s.filings.values():
        filed_n[f.org] += 1
        p = people[f.person].party
        if p is not None and p.status is MemberStatus.FULL:
            full_n[f.org] += 1
    for org in node:
        members_n[org] = filed_n[org]
    for org in reversed(order):
        parent = node[org]["org"].parent
        if parent is not None:
            members_n[parent] += members_n[org]
            full_n[parent] += full_n[org]
    posts_n: dict[str, int] = {org: len(keys) for org, keys in s.posts_by_org.items()}
    households_in = s.households_in

    orgs = [data["org"] for data in node.values()]
    ids = list(node)
    organizations = pd.DataFrame(
        {
            "id": ids,
            "level": _categorical(pd, [o.level for o in orgs], levels),
            "name": [o.name for o in orgs],
            "parent": [o.parent for o in orgs],
            "kind": _categorical(
                pd, [None if o.kind is None else o.kind.value for o in orgs], _KINDS
            ),
            "cooperative": [o.cooperative for o in orgs],
            "formed": _dates(pd, [o.formed for o in orgs]),
            "ends": _dates(pd, [o.ends for o in orgs]),
            "children": _ints(np, [len(succ[o]) for o in ids]),
            "filed": _ints(np, [filed_n[o] for o in ids]),
            "members": _ints(np, [members_n[o] for o in ids]),
            "full_members": _ints(np, [full_n[o] for o in ids]),
            "posts_filled": _ints(np, [posts_n.get(o, 0) for o in ids]),
            "households": _ints(np, [len(households_in.get(o, ())) for o in ids]),
        },
        columns=list(ORGANIZATION_COLUMNS),
    )

    # members
    households = s.households
    registrations, work = s.registrations, s.work_registrations
    filings = s.filings
    claims_by_person, posts_by_holder = s.claims_by_person, s.posts_by_holder
    member_people = [p for p in people.values() if p.party is not None]
    mids = [p.id for p in member_people]
    parties = [p.party for p in member_people]
    cats = [tuple(sorted(c.value for c in p.categories)) for p in parties if p is not None]
    locations = [
        None if p.household is None else households[p.household].location for p in member_people
    ]
    regs = [registrations.get(m) for m in mids]
    member_filings = [filings.get(m) for m in mids]
    filed_org = [None if f is None else f.org for f in member_filings]
    zones_of = [tuple(claims_by_person.get(m, ())) for m in mids]
    posts_of = [
        tuple(f"{key[1].value}@{key[0]}" for key in posts_by_holder.get(m, ())) for m in mids
    ]
    member_columns: dict[str, Any] = {
        "id": mids,
        "name": [p.name for p in member_people],
        "status": _categorical(pd, [p.status.value for p in parties if p is not None], _STATUS),
        "categories": cats,
    }
    for c in _CATEGORIES:
        member_columns[f"category_{c}"] = np.fromiter(
            (c in cs for cs in cats), dtype=np.bool_, count=len(cats)
        )
    member_columns.update(
        {
            "affiliation": [p.affiliation for p in parties if p is not None],
            "joined": _dates(pd, [p.joined for p in parties if p is not None]),
            "household": [p.household for p in member_people],
            "x": np.array([np.nan if xy is None else xy[0] for xy in locations], dtype=np.float64),
            "y": np.array([np.nan if xy is None else xy[1] for xy in locations], dtype=np.float64),
            "registration": [None if r is None else r.community for r in regs],
            "registered": _dates(pd, [None if r is None else r.date for r in regs]),
            "work_registration": [
                None if (r := work.get(m)) is None else r.community for m in mids
            ],
            "filing": filed_org,
            "filed": _dates(pd, [None if f is None else f.date for f in member_filings]),
            "branch": [None if o is None else branch_of[o] for o in filed_org],
            "community": [None if o is None else community_of[o] for o in filed_org],
            "zones": zones_of,
            "zones_claimed": _ints(np, [len(z) for z in zones_of]),
            "posts": posts_of,
            "posts_held": _ints(np, [len(p) for p in posts_of]),
        }
    )
    members = pd.DataFrame(member_columns, columns=list(MEMBER_COLUMNS))

    # posts: past tenures, then current ones
    tenures = [p for ts in s.tenures.values() for p in ts]
    current = list(s.posts.values())
    all_posts = tenures + current
    posts = pd.DataFrame(
        {
            "org": [p.org for p in all_posts],
            "level": _categorical(
                pd, [node[p.org]["level"] if p.org in node else None for p in all_posts], levels
            ),
            "role": _categorical(pd, [p.role.value for p in all_posts], _ROLES),
            "holder": [p.holder for p in all_posts],
            "appointed_by": [p.appointed_by for p in all_posts],
            "duty": _categorical(
                pd, [None if p.duty is None else p.duty.value for p in all_posts], _DUTIES
            ),
            "since": _dates(pd, [p.since for p in all_posts]),
            "until": _dates(pd, [p.until for p in all_posts]),
            "current": np.concatenate(
                [np.zeros(len(tenures), dtype=np.bool_), np.ones(len(current), dtype=np.bool_)]
            ),
        },
        columns=list(POST_COLUMNS),
    )

    # zones
    zone_ids = list(s.graph._by_level.get(zone_level, ()))
    claims_by_zone = s.claims_by_zone
    zx: list[float] = []
    zy: list[float] = []
    for z in zone_ids:
        pts = [loc for h in households_in.get(z, ()) if (loc := households[h].location) is not None]
        if pts:
            zx.append(sum(p[0] for p in pts) / len(pts))
            zy.append(sum(p[1] for p in pts) / len(pts))
        else:
            zx.append(float("nan"))
            zy.append(float("nan"))
    claimant_lists = [claims_by_zone.get(z) for z in zone_ids]
    zones = pd.DataFrame(
        {
            "id": zone_ids,
            "name": [node[z]["org"].name for z in zone_ids],
            "group": [node[z]["org"].parent for z in zone_ids],
            "branch": [branch_of[z] for z in zone_ids],
            "households": _ints(np, [len(households_in.get(z, ())) for z in zone_ids]),
            "claimants": _ints(np, [0 if c is None else len(c) for c in claimant_lists]),
            "claimant": [next(iter(c)) if c else None for c in claimant_lists],
            "x": np.array(zx, dtype=np.float64),
            "y": np.array(zy, dtype=np.float64),
        },
        columns=list(ZONE_COLUMNS),
    )

    # households
    hh = list(households.values())
    residents = s.residents
    zone_of = s.zone_of
    resident_lists = [residents.get(h.id, ()) for h in hh]
    household_frame = pd.DataFrame(
        {
            "id": [h.id for h in hh],
            "building": [h.building for h in hh],
            "address": [h.address for h in hh],
            "x": np.array(
                [np.nan if h.location is None else h.location[0] for h in hh], dtype=np.float64
            ),
            "y": np.array(
                [np.nan if h.location is None else h.location[1] for h in hh], dtype=np.float64
            ),
            "party_household": _categorical(
                pd,
                [None if h.party_household is None else h.party_household.value for h in hh],
                _PARTY_HOUSEHOLDS,
            ),
            "zone": [zone_of.get(h.id) for h in hh],
            "residents": _ints(np, [len(r) for r in resident_lists]),
            "members": _ints(
                np, [sum(1 for p in r if people[p].party is not None) for r in resident_lists]
            ),
        },
        columns=list(HOUSEHOLD_COLUMNS),
    )

    fl = list(filings.values())
    filing_frame = pd.DataFrame(
        {
            "person": [f.person for f in fl],
            "org": [f.org for f in fl],
            "branch": [branch_of[f.org] for f in fl],
            "community": [community_of[f.org] for f in fl],
            "date": _dates(pd, [f.date for f in fl]),
        },
        columns=list(FILING_COLUMNS),
    )
    return Frames(organizations, members, posts, zones, household_frame, filing_frame)
