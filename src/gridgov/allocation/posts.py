"""Posts: propose who holds each post of the grid system.

**Objectives**, each a lexicographic choice (deterministic; ties go to the lower index):

- *Branch secretary* (党支部书记): a full member of the branch (probationary members
  cannot be elected), preferring the kinds the sources pick (village members in
  cooperative grids, whose cooperative branch secretary leads the merged branch;
  retired members; then employed and sunk members), then the most central one (nearest
  the centroid of the branch's members: "strong coordination ability").
- *Committee* (支委): in a branch with at least ``committee_threshold`` full members, the
  next ``committee_min_size`` full members in the same order, as organization,
  propaganda and discipline members; the committee is the secretary and them.
- *Group leader* (党小组组长): a member filed in the group, full members first, then
  members without another post, by the same kind preference, then the most central.
- *First secretary* (第一书记), where the policy's ``first_secretary_practice`` is in
  force (Junhe's practice): a street cadre of the branch's street, appointed by the
  street committee. Branches are dealt to the street's cadre pool in territory order in
  equal consecutive shares: loads differ by at most one and are as small as the pool
  allows; if that is still over ``max_grids_per_cadre`` the spec is refused.
- *Dual grid leaders* (双网格长), with the first secretaries: the first secretary, and
  the cooperative's head where the grid is drawn on a cooperative, else the branch
  secretary.
- *Service teams* (党群服务队): in the largest branches (as many as the spec's service
  teams), the first member without another post is captain and the next
  ``TEAM_SIZE - 1`` such members serve in the team beside them.
- Street, district and community committees get their secretaries from the cadres
  generated for them.

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> from gridgov.allocation.generate import generate
>>> from gridgov.allocation.grids import draw_grids
>>> from gridgov.allocation.filing import file_members
>>> d = generate(spec_for(None, communities=2, members=130, households=500), seed=0)
>>> g = draw_grids(d, mode="derive")
>>> p = propose_posts(d, g, file_members(d, g))
>>> bool(d.member_full[p.branch_secretary].all())
True
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
from attrs import frozen

from gridgov.allocation import _checks
from gridgov.allocation.generate import CADRE_STREET, District, FloatArray, IntArray
from gridgov.allocation.grids import Grids
from gridgov.allocation.presets import PRIMARY_CATEGORIES
from gridgov.errors import InvalidValueError
from gridgov.model.enums import Category, Duty
from gridgov.model.policy import Policy

__all__ = [
    "COMMITTEE_DUTIES",
    "LEADER_PREFERENCE",
    "SECRETARY_PREFERENCE",
    "TEAM_SIZE",
    "Posts",
    "committee_size",
    "propose_posts",
    "secretary_keys",
]

SECRETARY_PREFERENCE = MappingProxyType(
    {
        Category.VILLAGE: 0,
        Category.RETIRED: 1,
        Category.EMPLOYED: 2,
        Category.SUNK: 2,
        Category.WITHOUT_POST: 3,
        Category.MOBILE: 9,
    }
)
"""Rank of a secretary or committee candidate by main category (lower is preferred)."""

LEADER_PREFERENCE = MappingProxyType(
    {
        Category.RETIRED: 0,
        Category.WITHOUT_POST: 1,
        Category.VILLAGE: 1,
        Category.EMPLOYED: 2,
        Category.SUNK: 2,
        Category.MOBILE: 9,
    }
)
"""Rank of a group leader or service team captain by main category (lower is preferred)."""

TEAM_SIZE = 5
"""Members of a simulated service team, its captain included (the sources give no size)."""

COMMITTEE_DUTIES = (Duty.ORGANIZATION, Duty.PROPAGANDA, Duty.DISCIPLINE)
"""The duties of a committee's members beside the secretary, in order."""


@frozen(eq=False)
class Posts:
    """Who holds each post; member, cadre and head indices of the district, -1 for none.

    Attributes
    ----------
    branch_secretary : int array (branches)
        A member.
    branch_committee : int array (branches, committee size)
        Members beside the secretary, -1 where the branch has no committee.
    group_leader : int array (groups)
        A member filed in the group.
    branch_first_secretary : int array (branches)
        A cadre, or -1 where the first-secretary practice is not in force.
    branch_head_leader : int array (branches)
        The cooperative head who is the second grid leader, or -1 (then it is the
        branch secretary, if the branch has a first secretary).
    branch_captain : int array (branches)
        The captain of the branch's service team, or -1 where it has none.
    branch_team : int array (branches, TEAM_SIZE - 1)
        The team's other members, -1 where fewer.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> p = r.allocation.posts
    >>> p.branch_secretary.tolist(), p.branch_committee.shape, p.committees
    ([22, 53], (2, 3), 2)
    >>> p.branch_head_leader.tolist(), p.branch_captain.tolist()  # no cooperatives, no teams
    ([-1, -1], [-1, -1])
    >>> p.branch_first_secretary.tolist()  # the practice is Junhe's only
    [-1, -1]
    """

    branch_secretary: IntArray
    branch_committee: IntArray
    group_leader: IntArray
    branch_first_secretary: IntArray
    branch_head_leader: IntArray
    branch_captain: IntArray
    branch_team: IntArray

    @property
    def committees(self) -> int:
        """The number of branches with a committee."""
        return int((self.branch_committee >= 0).any(axis=1).sum())


def _rank(table: MappingProxyType[Category, int], district: District) -> IntArray:
    ranks = np.array([table.get(c, 5) for c in PRIMARY_CATEGORIES], dtype=np.int64)
    out: IntArray = ranks[district.member_category]
    return out


def _centroid_distance(xy: FloatArray, unit: IntArray, n_units: int) -> FloatArray:
    count = np.maximum(np.bincount(unit, minlength=n_units), 1)
    cx = np.bincount(unit, weights=xy[:, 0], minlength=n_units) / count
    cy = np.bincount(unit, weights=xy[:, 1], minlength=n_units) / count
    out: FloatArray = np.hypot(xy[:, 0] - cx[unit], xy[:, 1] - cy[unit])
    return out


def secretary_keys(district: District, grids: Grids, member_group: IntArray) -> FloatArray:
    """Rank members as secretary or committee candidates of their branch (lower first).

    Full members only (others get infinity): by :data:`SECRETARY_PREFERENCE`, then by
    distance to the centroid of the branch's members.

    Parameters
    ----------
    district : District
    grids : Grids
    member_group : int array (members)
        The group each member is filed in.

    Returns
    -------
    float array (members)
        ``rank * 1e6 + distance`` in metres; ``inf`` for probationary members. Within
        a branch, the lowest key is the secretary and the next ones the committee.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> d, a = r.district, r.allocation
    >>> keys = secretary_keys(d, a.grids, a.member_group)
    >>> bool((np.isinf(keys) == ~d.member_full).all())
    True
    >>> branch = a.grids.group_branch[a.member_group]
    >>> [int(np.flatnonzero(branch == b)[keys[branch == b].argmin()]) for b in (0, 1)]
    [22, 53]
    >>> a.posts.branch_secretary.tolist()
    [22, 53]
    """
    member_branch = grids.group_branch[member_group]
    xy = district.household_xy[district.member_household]
    central = _centroid_distance(xy, member_branch, grids.n_branches)
    rank = _rank(SECRETARY_PREFERENCE, district)
    out: FloatArray = np.where(district.member_full, rank * 1e6 + central, np.inf)
    return out


def _first_per(unit: IntArray, key: FloatArray, n_units: int, skip: int = 0) -> IntArray:
    """The index with the ``skip``-th smallest finite key in each unit, or -1."""
    order = np.lexsort((np.arange(len(unit)), key, unit))
    start = np.searchsorted(unit[order], np.arange(n_units))
    end = np.searchsorted(unit[order], np.arange(n_units), side="right")
    pos = start + skip
    ok = pos < end
    out = np.full(n_units, -1, dtype=np.int64)
    out[ok] = order[pos[ok]]
    finite = np.zeros(n_units, dtype=np.bool_)
    finite[ok] = np.isfinite(key[out[ok]])
    out[~finite] = -1
    return out


def propose_posts(
    district: District,
    grids: Grids,
    member_group: IntArray,
    *,
    policy: Policy | None = None,
) -> Posts:
    """Propose the holders of every post (see the module docstring for the objectives).

    Parameters
    ----------
    district : District
    grids : Grids
    member_group : int array (members)
        The group each member is filed in.
    policy : Policy, optional
        ``committee_threshold``, ``committee_min_size`` and
        ``first_secretary_practice`` (default: the spec's
        :meth:`~gridgov.allocation.presets.DistrictSpec.default_policy`).

    Returns
    -------
    Posts

    Raises
    ------
    InvalidValueError
        If a street's cadres cannot serve its branches within ``max_grids_per_cadre``
        (with the first-secretary practice).

    Examples
    --------
    >>> from gridgov.allocation.presets import PRESETS
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.grids import draw_grids
    >>> from gridgov.allocation.filing import file_members
    >>> d = generate(PRESETS["junhe"])
    >>> g = draw_grids(d)
    >>> p = propose_posts(d, g, file_members(d, g))
    >>> int((p.branch_head_leader >= 0).sum()), int((p.branch_first_secretary >= 0).sum())
    (51, 51)
    """
    _checks.instance("district", district, District)
    _checks.instance("grids", grids, Grids)._fits(district)
    _checks.int_array("member_group", member_group, district.n_members, 0, grids.n_groups - 1)
    policy = district.spec.default_policy() if policy is None else _checks.policy(policy)
    n_branches, n_groups = grids.n_branches, grids.n_groups
    member_branch = grids.group_branch[member_group]
    xy = district.household_xy[district.member_household]
    full = district.member_full
    three_level = district.spec.scheme == "three-level"

    # secretary and committee: full members by preference, then centrality
    key = secretary_keys(district, grids, member_group)
    secretary = _first_per(member_branch, key, n_branches)
    full_b = np.bincount(member_branch[full], minlength=n_branches)
    size = 0 if three_level else committee_size(policy)
    committee = np.full((n_branches, max(size, 1)), -1, dtype=np.int64)[:, :size]
    with_committee = full_b >= policy.committee_threshold
    for i in range(size):
        chosen = _first_per(member_branch, key, n_branches, skip=i + 1)
        committee[:, i] = np.where(with_committee, chosen, -1)

    # group leaders: full first, then members without a branch post, preference, centrality
    holds = np.zeros(district.n_members, dtype=np.bool_)
    holds[secretary[secretary >= 0]] = True
    holds[committee[committee >= 0]] = True
    lead_rank = _rank(LEADER_PREFERENCE, district)
    central_g = _centroid_distance(xy, member_group, n_groups)
    lead_key = (~full) * 1e9 + holds * 1e8 + lead_rank * 1e6 + central_g
    leader = _first_per(member_group, lead_key, n_groups)

    # service teams in the largest branches: a captain and the next members without a post
    captain = np.full(n_branches, -1, dtype=np.int64)
    team = np.full((n_branches, TEAM_SIZE - 1), -1, dtype=np.int64)
    teams = min(district.spec.service_teams or 0, n_branches)
    if teams:
        holds[leader[leader >= 0]] = True
        central_b = _centroid_distance(xy, member_branch, n_branches)
        cap_key = holds * 1e8 + lead_rank * 1e6 + central_b
        members_b = np.bincount(member_branch, minlength=n_branches)
        largest = np.lexsort((np.arange(n_branches), -members_b))[:teams]
        captain[largest] = _first_per(member_branch, cap_key, n_branches)[largest]
        for i in range(TEAM_SIZE - 1):
            team[largest, i] = _first_per(member_branch, cap_key, n_branches, skip=i + 1)[largest]

    first_secretary = np.full(n_branches, -1, dtype=np.int64)
    head = np.full(n_branches, -1, dtype=np.int64)
    if policy.first_secretary_practice:
        first_secretary = _first_secretaries(district, grids)
        linked = grids.branch_cooperative >= 0
        if len(district.head_household):
            head[linked] = grids.branch_cooperative[linked]
    return Posts(
        branch_secretary=secretary,
        branch_committee=committee,
        group_leader=leader,
        branch_first_secretary=first_secretary,
        branch_head_leader=head,
        branch_captain=captain,
        branch_team=team,
    )


def committee_size(policy: Policy) -> int:
    """Committee members beside the secretary.

    ``committee_min_size`` of them when that keeps the whole committee (secretary
    included) within ``committee_max_size``, so the committee has a valid size whether
    or not the secretary is counted in it.

    Parameters
    ----------
    policy : Policy
        Its ``committee_min_size`` and ``committee_max_size``.

    Returns
    -------
    int
        How many committee members beside the secretary a committee gets.

    Examples
    --------
    >>> committee_size(Policy())
    3
    >>> committee_size(Policy(committee_min_size=3, committee_max_size=3))
    2
    """
    low, high = policy.committee_min_size, policy.committee_max_size
    return low if low + 1 <= high else max(low - 1, 0)


def _first_secretaries(district: District, grids: Grids) -> IntArray:
    spec = district.spec
    street_of_branch = district.community_street[grids.branch_community]
    out = np.full(grids.n_branches, -1, dtype=np.int64)
    pool_all = np.flatnonzero(district.cadre_kind == CADRE_STREET)
    for s in range(len(district.street_names)):
        branches = np.flatnonzero(street_of_branch == s)
        if not len(branches):
            continue
        pool = pool_all[district.cadre_street[pool_all] == s]
        limit = spec.max_grids_per_cadre
        if len(pool) * limit < len(branches):
            raise InvalidValueError(
                "max_grids_per_cadre",
                limit,
                f"street {district.street_names[s]} has {len(branches)} grid branches and "
                f"{len(pool)} cadres; raise the limit or cadres_per_street",
            )
        used = min(len(pool), len(branches))
        share = (np.arange(len(branches)) * used) // len(branches)
        out[branches] = pool[share]
    return out
