"""Responsibility zones: draw them over each group's households, and match claimants.

**Drawing.** A group's households (in territory order, see
:mod:`gridgov.allocation.grids`) are cut into consecutive runs: ``blocks`` style, runs of
equal household count (a zone of neighbouring buildings, 就近划分党员责任区);
``member_households`` style, one zone per member household with the non-member
households that follow it (Xiqiao's 党员户 answering for their neighbours). A group gets
as many zones as the spec asks (``given`` mode, apportioned by households) or one per
``households_per_zone`` households, and never more than its members can claim
(``max_zones_per_member`` each).

**Claiming.** Each zone is claimed by exactly one member filed in the zone's group, and
no member claims more than ``max_zones_per_member`` zones. The cost of member ``m``
claiming zone ``z`` is

    round(distance(m's household, z's centroid)) + KIND_PENALTY[m's main category]

in metres, plus ``LOAD_PENALTY * j`` for a member's ``j``-th extra zone (so that zones
spread over members before anyone takes three). The objective is the total cost; it is
a min-cost flow (source → member copies → zones → sink). Claims never cross groups, so
the problem decomposes by group:

- ``exact``: per group, :func:`scipy.optimize.linear_sum_assignment` on the zones ×
  member-copies matrix, each member repeated up to the cap with its rising load cost.
  Exact for the whole district, because the groups are independent.
- ``greedy``: per group, cheapest marginal pair first while the zone is free and the
  member has room, then a local search (move a zone to another claimant, or swap two
  zones' claimants, while that lowers the cost). Its gap to the optimum is measured
  (:func:`assign_zones` with ``reference=True``).
- ``flow``: one global networkx min-cost flow (network simplex) over the whole district,
  the textbook formulation, as a cross-check on small districts (about 25 s at Liwan
  size).

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> from gridgov.allocation.generate import generate
>>> from gridgov.allocation.grids import draw_grids
>>> from gridgov.allocation.filing import file_members
>>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=0)
>>> g = draw_grids(d, mode="derive")
>>> z = draw_zones(d, g, mode="derive")
>>> exact = assign_zones(d, z, file_members(d, g), method="exact")
>>> flow = assign_zones(d, z, file_members(d, g), method="flow")
>>> exact.objective == flow.objective
True
"""

from __future__ import annotations

import heapq
from types import MappingProxyType

import numpy as np
from attrs import frozen
from scipy.optimize import linear_sum_assignment

from gridgov.allocation import _checks
from gridgov.allocation.generate import District, FloatArray, IntArray, grouped_apportion
from gridgov.allocation.grids import MODES, Grids, chunk
from gridgov.allocation.presets import PRIMARY_CATEGORIES
from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_ITEMS, check_flag
from gridgov.model.enums import Category
from gridgov.model.policy import Policy

__all__ = [
    "KIND_PENALTY",
    "LOAD_PENALTY",
    "METHODS",
    "NONRESIDENT_PENALTY",
    "ZoneAssignment",
    "Zones",
    "assign_zones",
    "base_cost",
    "claim_cost",
    "draw_zones",
    "kind_penalty",
    "zone_centroids",
]

METHODS = ("exact", "greedy", "flow")
"""Zone assignment methods (see the module docstring)."""

KIND_PENALTY = MappingProxyType(
    {
        Category.WITHOUT_POST: 0,
        Category.RETIRED: 0,
        Category.SUNK: 0,
        Category.VILLAGE: 0,
        Category.EMPLOYED: 150,
        Category.MOBILE: 600,
    }
)
"""Extra cost (metres) of a claimant by main category: the sources give zones to members
without a post (无职党员设岗定责), retired, sunk and village members first; employed
members have less time, mobile members are often away."""

LOAD_PENALTY = 250
"""Extra cost (metres) of each zone a member claims beyond their first."""

NONRESIDENT_PENALTY = 100_000
"""Extra cost (metres) of a claimant who does not live in a ``member_households`` zone's
member household: such a zone is its household's to answer for."""


@frozen(eq=False)
class Zones:
    """Responsibility zones: their groups, households and centroids.

    Attributes
    ----------
    household_zone : int array (households)
        The zone of each household.
    zone_group : int array (zones)
        The group of each zone (zones are numbered group by group).
    zone_xy : float array (zones, 2)
        The centroid of each zone's households.
    zone_key : int array (zones)
        Lasting numbers (ids ``Z<key + 1>``), kept through re-allocation.
    zone_household : int array (zones)
        The first household of each zone as drawn (its building names the zone; in the
        ``member_households`` style it is the member household the zone is drawn around).
    resident_claimants : bool
        Whether a zone is claimed by a member of its first household (the
        ``member_households`` style: 党员户 answer for their neighbours).

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> z = r.allocation.zones
    >>> z.n_zones, z.zone_xy.shape, z.resident_claimants
    (26, (26, 2), False)
    >>> bool((np.diff(z.zone_group) >= 0).all())  # numbered group by group
    True
    >>> bool((z.household_zone[z.zone_household] == np.arange(z.n_zones)).all())
    True
    """

    household_zone: IntArray
    zone_group: IntArray
    zone_xy: FloatArray
    zone_key: IntArray
    zone_household: IntArray
    resident_claimants: bool = False

    def _fits(self, district: District) -> None:
        _checks.same_length("zones", self.household_zone, district.n_households, "households")

    @property
    def n_zones(self) -> int:
        """The number of zones."""
        return len(self.zone_group)


@frozen(eq=False)
class ZoneAssignment:
    """Who claims each zone, and what it costs.

    Attributes
    ----------
    claimant : int array (zones)
        The member claiming each zone.
    objective : int
        The total cost (see the module docstring).
    method : str
        How it was computed.
    optimum : int or None
        The exact optimum, when it was computed for reference.

    Examples
    --------
    >>> a = ZoneAssignment(np.array([0, 0, 1]), objective=110, method="greedy", optimum=100)
    >>> round(a.gap, 6)
    0.1
    >>> ZoneAssignment(np.array([0]), 5, "greedy").gap is None
    True
    """

    claimant: IntArray
    objective: int
    method: str
    optimum: int | None = None

    @property
    def gap(self) -> float | None:
        """The relative gap ``objective / optimum - 1`` (``None`` if no optimum is known)."""
        if self.optimum is None:
            return None
        return self.objective / self.optimum - 1 if self.optimum else 0.0


def draw_zones(
    district: District, grids: Grids, *, mode: str = "given", policy: Policy | None = None
) -> Zones:
    """Draw responsibility zones over each group's households.

    **Objective.** Compact zones of neighbouring households (consecutive runs in
    territory order) of nearly equal size, as many as the spec asks or one per
    ``households_per_zone`` households, and never more than a group's members can
    claim.

    Parameters
    ----------
    district : District
    grids : Grids
    mode : {"given", "derive"}
        ``given``: the spec's zone count (if any), apportioned by households.
    policy : Policy, optional
        ``max_zones_per_member`` bounds the zones of a group by its members.

    Returns
    -------
    Zones

    Raises
    ------
    InvalidValueError
        For an unknown mode, or a policy whose ``max_zones_per_member`` is below 1.

    Examples
    --------
    >>> from gridgov.allocation.presets import PRESETS
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.grids import draw_grids
    >>> d = generate(PRESETS["junhe"])
    >>> draw_zones(d, draw_grids(d)).n_zones > 51
    True
    """
    _checks.instance("district", district, District)
    _checks.instance("grids", grids, Grids)._fits(district)
    if mode not in MODES:
        raise InvalidValueError("mode", mode, f"must be one of {', '.join(MODES)}")
    policy = _checks.policy(policy)
    cap = _cap(policy)
    spec = district.spec
    order = grids.order
    group = grids.household_group[order]
    n_groups = grids.n_groups
    households_g = np.bincount(group, minlength=n_groups)
    members_g = grids.group_members(district)
    is_member_household = np.zeros(district.n_households, dtype=np.int64)
    is_member_household[district.member_household] = 1
    if spec.zone_style == "member_households":
        weight = is_member_household[order]
        z = np.bincount(group, weights=weight, minlength=n_groups).astype(np.int64)
    else:
        weight = np.ones(len(order), dtype=np.int64)
        if mode == "given" and spec.zones is not None:
            z = grouped_apportion(
                np.array([max(spec.zones, n_groups)]),
                np.zeros(n_groups, dtype=np.int64),
                households_g.astype(float),
                1,
            )
        else:
            z = np.ceil(households_g / spec.households_per_zone).astype(np.int64)
    z = np.clip(z, 1, np.minimum(np.maximum(households_g, 1), cap * np.maximum(members_g, 1)))
    local = chunk(group, weight, z)
    offset = np.concatenate(([0], np.cumsum(z)[:-1]))
    zone_sorted = offset[group] + local
    household_zone = np.empty(district.n_households, dtype=np.int64)
    household_zone[order] = zone_sorted
    n_zones = int(z.sum())
    if spec.zone_style == "member_households":
        # the zone's own member household (each is a chunk of its own)
        starts = np.flatnonzero(weight > 0)
    else:
        starts = np.flatnonzero(np.concatenate(([True], zone_sorted[1:] != zone_sorted[:-1])))
    return Zones(
        household_zone=household_zone,
        zone_group=np.repeat(np.arange(n_groups), z).astype(np.int64),
        zone_xy=zone_centroids(district, household_zone, n_zones),
        zone_key=np.arange(n_zones, dtype=np.int64),
        zone_household=order[starts].astype(np.int64),
        resident_claimants=spec.zone_style == "member_households",
    )


def zone_centroids(district: District, household_zone: IntArray, n_zones: int) -> FloatArray:
    """Return the centroid of each zone's households (households in no zone: -1, ignored).

    Parameters
    ----------
    district : District
        Where the households are (``household_xy``).
    household_zone : int array (households)
        The zone of each household, or -1 for none.
    n_zones : int
        The number of zones (a zone without households gets ``(0, 0)``).

    Returns
    -------
    float array (n_zones, 2)
        The mean coordinates of each zone's households, in metres.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> d = generate(spec_for(None, communities=2, members=60, households=300))
    >>> household_zone = np.full(d.n_households, -1)
    >>> household_zone[[0, 1]] = 0
    >>> c = zone_centroids(d, household_zone, 2)
    >>> bool(np.allclose(c[0], d.household_xy[[0, 1]].mean(axis=0))), c[1].tolist()
    (True, [0.0, 0.0])
    """
    inside = household_zone >= 0
    zone = household_zone[inside]
    xy = district.household_xy[inside]
    counts = np.maximum(np.bincount(zone, minlength=n_zones), 1)
    out: FloatArray = (
        np.stack(
            [
                np.bincount(zone, weights=xy[:, 0], minlength=n_zones),
                np.bincount(zone, weights=xy[:, 1], minlength=n_zones),
            ],
            axis=1,
        )
        / counts[:, None]
    )
    return out


def _cap(policy: Policy) -> int:
    cap = policy.max_zones_per_member
    if cap < 1:
        raise InvalidValueError(
            "policy.max_zones_per_member", cap, "must be at least 1 for members to claim zones"
        )
    return cap


def kind_penalty(district: District) -> IntArray:
    """Each member's claim penalty by their category (:data:`KIND_PENALTY`).

    Examples
    --------
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.presets import spec_for
    >>> d = generate(spec_for(None, communities=1, members=3, households=3))
    >>> kind_penalty(d).shape
    (3,)
    """
    table = np.array([KIND_PENALTY.get(c, 0) for c in PRIMARY_CATEGORIES], dtype=np.int64)
    out: IntArray = table[district.member_category]
    return out


class _Problem:
    """The per-group pieces of the zone assignment: members and zones of each group."""

    def __init__(
        self, district: District, zones: Zones, member_group: IntArray, policy: Policy
    ) -> None:
        self.cap = _cap(policy)
        n_groups = int(zones.zone_group.max()) + 1 if zones.n_zones else 0
        n_groups = max(n_groups, int(member_group.max()) + 1 if len(member_group) else 0)
        self.n_groups = n_groups
        self.member_order = np.argsort(member_group, kind="stable")
        self.m_start = np.searchsorted(member_group[self.member_order], np.arange(n_groups + 1))
        self.z_start = np.searchsorted(zones.zone_group, np.arange(n_groups + 1))
        self.member_xy = district.household_xy[district.member_household]
        self.penalty = kind_penalty(district)
        self.zones = zones
        self.zone_xy = zones.zone_xy
        self.member_household = district.member_household

    def base(self, g: int) -> tuple[IntArray, IntArray, int]:
        """Zones × members base costs of group ``g``, its members, and its first zone."""
        z0, z1 = int(self.z_start[g]), int(self.z_start[g + 1])
        ms = self.member_order[self.m_start[g] : self.m_start[g + 1]]
        if z1 > z0 and len(ms) * self.cap < z1 - z0:
            raise InvalidValueError(
                "zones", z1 - z0, f"group {g} has more zones than its {len(ms)} members can claim"
            )
        cost = base_cost(
            self.zones, slice(z0, z1), self.member_xy, self.member_household, self.penalty, ms
        )
        return cost, ms, z0


def base_cost(
    zones: Zones,
    zs: IntArray | slice,
    member_xy: FloatArray,
    member_household: IntArray,
    penalty: IntArray,
    ms: IntArray,
) -> IntArray:
    """Zones `zs` × members `ms` claim costs without the load penalty: the rounded distance
    from the member's household (`member_xy`) to the zone's centroid, plus the member's
    `penalty` (:func:`kind_penalty`), plus :data:`NONRESIDENT_PENALTY` where the zone is
    its household's to claim and the member lives elsewhere."""
    d = zones.zone_xy[zs][:, None, :] - member_xy[ms][None, :, :]
    cost: IntArray = np.rint(np.sqrt((d * d).sum(axis=2))).astype(np.int64) + penalty[ms][None, :]
    if zones.resident_claimants:
        away = zones.zone_household[zs][:, None] != member_household[ms][None, :]
        cost += away * NONRESIDENT_PENALTY
    return cost


def assign_zones(
    district: District,
    zones: Zones,
    member_group: IntArray,
    *,
    method: str = "exact",
    policy: Policy | None = None,
    reference: bool = False,
) -> ZoneAssignment:
    """Match every zone to a claimant filed in its group (see the module docstring).

    **Objective.** Minimum total cost: the distance from each claimant's household to
    their zone's centroid, plus :data:`KIND_PENALTY` by the claimant's main category
    and :data:`LOAD_PENALTY` for each extra zone of one member, with no member over
    ``max_zones_per_member`` zones. ``exact`` and ``flow`` reach the optimum;
    ``greedy`` is a heuristic.

    Parameters
    ----------
    district : District
    zones : Zones
    member_group : int array (members)
        The group each member is filed in.
    method : {"exact", "greedy", "flow"}
        The algorithm.
    policy : Policy, optional
        ``max_zones_per_member`` caps a member's zones.
    reference : bool
        Also compute the exact optimum, to report the gap of a heuristic.

    Returns
    -------
    ZoneAssignment

    Raises
    ------
    InvalidValueError
        For an unknown method, or a group with more zones than its members can claim.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.grids import draw_grids
    >>> from gridgov.allocation.filing import file_members
    >>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=0)
    >>> g = draw_grids(d, mode="derive")
    >>> z = draw_zones(d, g, mode="derive")
    >>> a = assign_zones(d, z, file_members(d, g), method="greedy", reference=True)
    >>> a.gap >= 0
    True
    """
    _checks.instance("district", district, District)
    _checks.instance("zones", zones, Zones)._fits(district)
    _checks.int_array("member_group", member_group, district.n_members, 0, MAX_ITEMS)
    check_flag("reference", reference)
    if method not in METHODS:
        raise InvalidValueError("method", method, f"must be one of {', '.join(METHODS)}")
    policy = _checks.policy(policy)
    problem = _Problem(district, zones, member_group, policy)
    solve = {"exact": _exact, "greedy": _greedy, "flow": _flow}[method]
    claimant, objective = solve(problem)
    optimum = None
    if method == "exact" or method == "flow":
        optimum = objective
    elif reference:
        optimum = _exact(problem)[1]
    return ZoneAssignment(claimant, objective, method, optimum)


def claim_cost(district: District, zones: Zones, claimant: IntArray) -> int:
    """Return the objective of a given assignment of claimants to zones.

    The cost of each claim (distance plus :data:`KIND_PENALTY`, plus
    :data:`NONRESIDENT_PENALTY` where it applies) and :data:`LOAD_PENALTY` for each
    member's extra zones, as :func:`assign_zones` minimizes it.

    Parameters
    ----------
    district : District
    zones : Zones
    claimant : int array (zones)
        The member claiming each zone.

    Returns
    -------
    int
        The total cost, in metres.

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.grids import draw_grids
    >>> from gridgov.allocation.filing import file_members
    >>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=0)
    >>> g = draw_grids(d, mode="derive")
    >>> z = draw_zones(d, g, mode="derive")
    >>> a = assign_zones(d, z, file_members(d, g))
    >>> claim_cost(d, z, a.claimant) == a.objective
    True
    """
    member_xy = district.household_xy[district.member_household]
    d = zones.zone_xy - member_xy[claimant]
    base = np.rint(np.sqrt((d * d).sum(axis=1))).astype(np.int64) + kind_penalty(district)[claimant]
    if zones.resident_claimants:
        away = zones.zone_household != district.member_household[claimant]
        base = base + away * NONRESIDENT_PENALTY
    load = np.bincount(claimant, minlength=district.n_members)
    extra = (load * (load - 1) // 2).sum() * LOAD_PENALTY
    return int(base.sum() + extra)


def _exact(problem: _Problem) -> tuple[IntArray, int]:
    claimant = np.full(len(problem.zone_xy), -1, dtype=np.int64)
    total = 0
    cap = problem.cap
    for g in range(problem.n_groups):
        if problem.z_start[g + 1] == problem.z_start[g]:
            continue
        base, ms, z0 = problem.base(g)
        n_zones, m = base.shape
        copies = min(cap, n_zones)
        cost = np.concatenate([base + j * LOAD_PENALTY for j in range(copies)], axis=1)
        rows, cols = linear_sum_assignment(cost)
        claimant[z0 + rows] = ms[cols % m]
        total += int(cost[rows, cols].sum())
    return claimant, total


def _greedy(problem: _Problem) -> tuple[IntArray, int]:
    """Cheapest marginal pair first, then local search (moves and swaps) per group.

    Pairs come off a sorted stream of base costs; a pair whose member has meanwhile
    taken zones is put back on a heap with its higher marginal cost. Then, while one
    helps, a zone moves to the member who would claim it more cheaply, or two zones
    swap claimants.
    """
    claimant = np.full(len(problem.zone_xy), -1, dtype=np.int64)
    total = 0
    cap = problem.cap
    for g in range(problem.n_groups):
        if problem.z_start[g + 1] == problem.z_start[g]:
            continue
        base, ms, z0 = problem.base(g)
        owner = _cheapest_first(base, cap)
        owner = _improve(base, owner, cap)
        load = np.bincount(owner, minlength=base.shape[1])
        claimant[z0 : z0 + len(owner)] = ms[owner]
        total += int(base[np.arange(len(owner)), owner].sum())
        total += int((load * (load - 1) // 2).sum()) * LOAD_PENALTY
    return claimant, total


def _cheapest_first(base: IntArray, cap: int) -> IntArray:
    n_zones, m = base.shape
    flat = base.ravel()
    stream = np.argsort(flat, kind="stable").tolist()
    costs = flat.tolist()
    load = [0] * m
    owner = [-1] * n_zones
    free = n_zones
    heap: list[tuple[int, int]] = []
    i = 0
    while free:
        if heap and (i >= len(stream) or heap[0][0] <= costs[stream[i]]):
            key, idx = heapq.heappop(heap)
        else:
            idx = stream[i]
            key = costs[idx]
            i += 1
        zi, mi = divmod(idx, m)
        if owner[zi] >= 0 or load[mi] >= cap:
            continue
        marginal = costs[idx] + load[mi] * LOAD_PENALTY
        if marginal > key:
            heapq.heappush(heap, (marginal, idx))
            continue
        owner[zi] = mi
        load[mi] += 1
        free -= 1
    return np.asarray(owner, dtype=np.int64)


def _improve(base: IntArray, owner: IntArray, cap: int) -> IntArray:
    """Local search: best improving move or swap, until none improves."""
    n_zones, m = base.shape
    owner = owner.copy()
    load = np.bincount(owner, minlength=m)
    rows = np.arange(n_zones)
    for _ in range(4 * n_zones + 10):
        held = base[rows, owner]
        # move zone i from its owner a to member b
        save = held + (load[owner] - 1) * LOAD_PENALTY
        insert = base + (load * LOAD_PENALTY)[None, :]
        insert[:, load >= cap] = np.iinfo(np.int64).max // 4
        insert[rows, owner] = np.iinfo(np.int64).max // 4
        gain_move = save - insert.min(axis=1)
        # swap the owners of zones i and j (loads unchanged)
        cross = base[:, owner]
        gain_swap = held[:, None] + held[None, :] - cross - cross.T
        i_move = int(gain_move.argmax())
        i_swap, j_swap = divmod(int(gain_swap.argmax()), n_zones)
        if gain_move[i_move] <= 0 and gain_swap[i_swap, j_swap] <= 0:
            break
        if gain_move[i_move] >= gain_swap[i_swap, j_swap]:
            b = int(insert[i_move].argmin())
            load[owner[i_move]] -= 1
            load[b] += 1
            owner[i_move] = b
        else:
            owner[i_swap], owner[j_swap] = owner[j_swap], owner[i_swap]
    return owner


def _flow(problem: _Problem) -> tuple[IntArray, int]:
    import networkx as nx

    g_ = nx.DiGraph()
    n_zones = len(problem.zone_xy)
    g_.add_node("s", demand=-n_zones)
    g_.add_node("t", demand=n_zones)
    cap = problem.cap
    for g in range(problem.n_groups):
        if problem.z_start[g + 1] == problem.z_start[g]:
            continue
        base, ms, z0 = problem.base(g)
        for mi, member in enumerate(ms.tolist()):
            for j in range(min(cap, base.shape[0])):
                g_.add_edge("s", ("c", member, j), capacity=1, weight=j * LOAD_PENALTY)
                g_.add_edge(("c", member, j), ("m", member), capacity=1, weight=0)
            for zi in range(base.shape[0]):
                g_.add_edge(("m", member), ("z", z0 + zi), capacity=1, weight=int(base[zi, mi]))
        for zi in range(base.shape[0]):
            g_.add_edge(("z", z0 + zi), "t", capacity=1, weight=0)
    cost, flow = nx.network_simplex(g_)
    claimant = np.full(n_zones, -1, dtype=np.int64)
    for node, out in flow.items():
        if isinstance(node, tuple) and node[0] == "m":
            for target, amount in out.items():
                if amount:
                    claimant[target[1]] = node[1]
    return claimant, int(cost)
