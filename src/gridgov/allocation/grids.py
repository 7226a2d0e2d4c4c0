"""Grids: partition each community's households into grid branches, and branches into groups.

**Objective.** A capacitated clustering: every branch (and every group in it) gets a
nearly equal number of members (within one household's members of the ideal), its
households form a compact territory, and in ``derive`` mode no branch exceeds the
policy's ``max_branch_members``, with as few branches and groups as that allows.

**Algorithm.** Households are ordered along a Hilbert curve within their community (and
within their cooperative, when grids are drawn on cooperatives). A Hilbert curve keeps
points that are close on the curve close on the plane, so cutting the ordered list into
consecutive chunks of equal member weight gives balanced, compact territories (the
space-filling-curve partitioning used for load balancing). Groups are chunks of their
branch's chunk, zones chunks of their group's (:mod:`gridgov.allocation.zones`), so one
sort serves every level. Everything is vectorized over the whole district.

- ``given`` mode: the district's branch and group counts (as the sources report them)
  are apportioned to communities and branches in proportion to their members.
- ``derive`` mode: each community gets ``ceil(members / max_branch_members)`` branches
  of equal member weight, one more while a chunk is over the cap (a household's members
  stay together); each branch ``ceil(members / max_group_members)`` groups. This is the
  fewest the cap allows up to that rounding: on Nansha it draws 223 branches where a
  greedy fill-to-the-cap cut along the same order needs 222 (Liwan: 1,249 and 1,246),
  and its branches are balanced where the greedy cut leaves small remainders.
- Cooperative grids: one branch per economic cooperative (merged with the cooperative's
  own branch). In ``derive`` mode a cooperative over the cap is split. Pieces with
  fewer than ``min_branch_full_members`` full members are joined with neighbouring ones
  into joint branches (联合党支部) of at most ``joint_branch_max_units`` units and
  ``max_branch_members`` members: the most branches those limits allow, found exactly
  per community (dynamic programming over the pieces in territory order).
- In either mode a residential chunk left with too few full members becomes a joint
  branch, the charter's form for small units. The three-level scheme has no branch
  level: its grids are the cooperatives, one group each.

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> from gridgov.allocation.generate import generate
>>> from gridgov.model import Policy
>>> d = generate(spec_for(None, communities=2, members=130, households=500), seed=0)
>>> g = draw_grids(d, mode="derive", policy=Policy())
>>> sizes = g.branch_members(d)
>>> int(sizes.max()) <= 50, len(g.branch_community) >= 3
(True, True)
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from gridgov.allocation import _checks
from gridgov.allocation.generate import (
    BoolArray,
    District,
    FloatArray,
    IntArray,
    grouped_apportion,
)
from gridgov.errors import InvalidValueError
from gridgov.model.policy import Policy

__all__ = ["MODES", "Grids", "chunk", "draw_grids", "hilbert_index"]

MODES = ("given", "derive")
"""``given``: the counts the sources report; ``derive``: the fewest the policy allows."""


@frozen(eq=False)
class Grids:
    """Branches and groups, and the territory (households) of each.

    Attributes
    ----------
    order : int array (households)
        The households in territory order: by community, (cooperative,) Hilbert curve.
        Every branch, group and zone is a run of consecutive households in this order.
    household_group : int array (households)
        The group whose territory each household is in.
    group_branch : int array (groups)
        The branch of each group.
    branch_community : int array (branches)
        The community of each branch.
    branch_cooperative : int array (branches)
        The cooperative a branch is drawn on (merged with), or -1.
    branch_joint : bool array (branches)
        Whether the branch is a joint branch.
    branch_units : tuple of tuple of int
        For each branch, the compounds or cooperatives a joint branch covers (else empty).
    branch_key, group_key : int array
        Lasting numbers of branches and groups (their ids are ``B<key + 1>``,
        ``G<key + 1>``); re-allocation after churn drops some and keeps the others' keys.
    branch_ordinal, group_ordinal : int array
        A branch's number within its community and a group's within its branch, as
        drawn (their names use them, so names last through re-allocation).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> from gridgov.allocation.generate import generate
    >>> d = generate(spec_for(None, communities=2, members=60, households=300))
    >>> g = draw_grids(d)
    >>> g.n_branches, g.n_groups, g.group_branch.tolist()
    (2, 3, [0, 0, 1])
    >>> g.branch_community.tolist(), g.group_ordinal.tolist()
    ([0, 1], [1, 2, 1])
    >>> sorted(g.order.tolist()) == list(range(d.n_households))
    True
    >>> bool((g.household_branch == d.household_community).all())  # a branch a community
    True
    """

    order: IntArray
    household_group: IntArray
    group_branch: IntArray
    branch_community: IntArray
    branch_cooperative: IntArray
    branch_joint: BoolArray
    branch_units: tuple[tuple[int, ...], ...]
    branch_key: IntArray
    group_key: IntArray
    branch_ordinal: IntArray
    group_ordinal: IntArray

    def _fits(self, district: District) -> None:
        _checks.same_length("grids", self.household_group, district.n_households, "households")

    @property
    def n_branches(self) -> int:
        """The number of branches."""
        return len(self.branch_community)

    @property
    def n_groups(self) -> int:
        """The number of groups."""
        return len(self.group_branch)

    @property
    def household_branch(self) -> IntArray:
        """The branch of each household."""
        out: IntArray = self.group_branch[self.household_group]
        return out

    def branch_members(self, district: District) -> IntArray:
        """Return the number of members living in each branch's territory.

        Parameters
        ----------
        district : District
            The district the grids were drawn on (or the same district after churn).

        Returns
        -------
        int array (branches)
            Members per branch; they add up to the district's members.

        Examples
        --------
        >>> from gridgov.allocation.presets import spec_for
        >>> from gridgov.allocation.generate import generate
        >>> d = generate(spec_for(None, communities=2, members=60, households=300))
        >>> sizes = draw_grids(d).branch_members(d)
        >>> sizes.tolist(), int(sizes.sum()) == d.n_members
        ([33, 27], True)
        """
        self._fits(_checks.instance("district", district, District))
        hb = self.household_branch[district.member_household]
        out: IntArray = np.bincount(hb, minlength=self.n_branches).astype(np.int64)
        return out

    def group_members(self, district: District) -> IntArray:
        """Return the number of members living in each group's territory.

        Parameters
        ----------
        district : District
            The district the grids were drawn on (or the same district after churn).

        Returns
        -------
        int array (groups)
            Members per group; a branch's groups add up to its members.

        Examples
        --------
        >>> from gridgov.allocation.presets import spec_for
        >>> from gridgov.allocation.generate import generate
        >>> d = generate(spec_for(None, communities=2, members=60, households=300))
        >>> g = draw_grids(d)
        >>> sizes = g.group_members(d)
        >>> sizes.tolist()
        [16, 17, 27]
        >>> np.bincount(g.group_branch, weights=sizes).tolist() == g.branch_members(d).tolist()
        True
        """
        self._fits(_checks.instance("district", district, District))
        hg = self.household_group[district.member_household]
        out: IntArray = np.bincount(hg, minlength=self.n_groups).astype(np.int64)
        return out


def hilbert_index(xy: FloatArray, bits: int = 16) -> IntArray:
    """Return the position of each point on a Hilbert curve over their bounding box.

    Parameters
    ----------
    xy : float array (points, 2)
        The points; scaled to the square over their bounding box.
    bits : int
        The curve's order: a ``2**bits`` by ``2**bits`` grid.

    Returns
    -------
    int array (points)
        Each point's position along the curve (nearby positions are nearby points).

    Examples
    --------
    >>> hilbert_index(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]), bits=1).tolist()
    [0, 1, 2, 3]
    """
    side = (1 << bits) - 1
    lo = xy.min(axis=0) if len(xy) else np.zeros(2)
    span = np.maximum(np.ptp(xy, axis=0) if len(xy) else np.ones(2), 1e-9)
    x = np.round((xy[:, 0] - lo[0]) / span.max() * side).astype(np.int64)
    y = np.round((xy[:, 1] - lo[1]) / span.max() * side).astype(np.int64)
    d = np.zeros(len(xy), dtype=np.int64)
    s = 1 << (bits - 1)
    while s > 0:
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += s * s * ((3 * rx) ^ ry)
        # rotate the quadrant
        flip = ~ry & rx
        x = np.where(flip, s - 1 - x, x)
        y = np.where(flip, s - 1 - y, y)
        swap = ~ry
        x, y = np.where(swap, y, x), np.where(swap, x, y)
        s >>= 1
    return d


def chunk(segment: IntArray, weight: IntArray, k: IntArray) -> IntArray:
    """Cut each segment's run of units into ``k[segment]`` consecutive chunks of equal weight.

    Parameters
    ----------
    segment : int array
        The segment of each unit; units of a segment are consecutive.
    weight : int array
        Non-negative weights (e.g. members living in a household).
    k : int array, one per segment
        How many chunks; at most the number of positive-weight units of the segment.

    Returns
    -------
    int array
        The chunk (``0 .. k-1``) of each unit. Chunk labels rise along the run, every
        chunk gets at least one positive-weight unit, and each chunk's weight is within
        the largest unit weight of ``total / k``. A zero-weight unit joins the chunk of
        the positive unit before it.

    Raises
    ------
    ValueError
        If a ``k`` is below 1 or above the positive-weight units of its segment.

    Examples
    --------
    >>> chunk(np.array([0, 0, 0, 0, 1, 1]), np.array([1, 1, 1, 1, 2, 0]),
    ...       np.array([2, 1])).tolist()
    [0, 0, 1, 1, 0, 0]
    >>> chunk(np.array([0, 0, 0, 0]), np.array([5, 1, 1, 1]), np.array([4])).tolist()
    [0, 1, 2, 3]
    """
    n = len(segment)
    n_seg = len(k)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    w = weight.astype(np.int64)
    total = np.bincount(segment, weights=w, minlength=n_seg)
    positive = w > 0
    pos_count = np.bincount(segment[positive], minlength=n_seg)
    if (k > np.maximum(pos_count, 1)).any() or (k < 1).any():
        raise ValueError("k must be between 1 and the positive units of each segment")
    cum = np.cumsum(w)
    seg_start = np.searchsorted(segment, np.arange(n_seg))
    before = cum - w - np.concatenate(([0], cum))[seg_start][segment]
    kk = k[segment]
    raw = np.floor((before + w / 2.0) * kk / np.maximum(total[segment], 1)).astype(np.int64)
    # rank of each positive unit within its segment
    pos_cum = np.cumsum(positive)
    j = pos_cum - 1 - np.concatenate(([0], pos_cum))[seg_start][segment]
    pc = pos_count[segment]
    label = np.clip(raw, np.maximum(kk - pc + j, 0), np.minimum(j, kk - 1))
    # repair the rare segments where a heavy unit made the labels skip a chunk
    pidx = np.flatnonzero(positive)
    jumps = np.flatnonzero(np.diff(label[pidx]) > 1)
    bad_pos = pidx[jumps]
    bad_pos = bad_pos[segment[bad_pos] == segment[pidx[jumps + 1]]]
    for s in np.unique(segment[bad_pos]).tolist():
        units = pidx[segment[pidx] == s]
        ks, ps = int(k[s]), len(units)
        prev = -1
        for jj, u in enumerate(units.tolist()):
            lab = min(max(int(label[u]), ks - ps + jj, 0), prev + 1, ks - 1)
            label[u] = lab
            prev = lab
    # zero-weight units follow the positive unit before them (or the first one)
    idx = np.where(positive, np.arange(n), -1)
    last = np.maximum.accumulate(idx)
    inherit = ~positive & (last >= seg_start[segment])
    out = np.where(positive, label, 0)
    out[inherit] = label[last[inherit]]
    return out.astype(np.int64)


def _territory_order(district: District) -> IntArray:
    """Households by community, cooperative (if grids are cooperatives), Hilbert position."""
    h = hilbert_index(district.household_xy)
    if district.is_cooperative:
        return np.lexsort((h, district.household_compound, district.household_community))
    return np.lexsort((h, district.household_community))


def draw_grids(district: District, *, mode: str = "given", policy: Policy | None = None) -> Grids:
    """Partition the district's households into branches and groups.

    **Objective.** Branches and groups of nearly equal members (within one household's
    members of the ideal) on compact territories; in ``derive`` mode none over
    ``max_branch_members``, with as few branches and groups as that allows (see the
    module docstring for the algorithm).

    Parameters
    ----------
    district : District
        The synthetic district.
    mode : {"given", "derive"}
        Reproduce the spec's branch and group counts, or derive the fewest the policy
        allows (see the module docstring).
    policy : Policy, optional
        ``max_branch_members``, ``min_branch_full_members`` and
        ``joint_branch_max_units`` (default: the charter's).

    Returns
    -------
    Grids

    Raises
    ------
    InvalidValueError
        For an unknown mode.

    Examples
    --------
    >>> from gridgov.allocation.presets import PRESETS
    >>> from gridgov.allocation.generate import generate
    >>> g = draw_grids(generate(PRESETS["junhe"]), mode="given")
    >>> g.n_branches
    51
    """
    _checks.instance("district", district, District)
    if mode not in MODES:
        raise InvalidValueError("mode", mode, f"must be one of {', '.join(MODES)}")
    policy = _checks.policy(policy)
    spec = district.spec
    three_level = spec.scheme == "three-level"
    order = _territory_order(district)
    weight_h = np.bincount(district.member_household, minlength=district.n_households)
    full_h = np.bincount(
        district.member_household[district.member_full], minlength=district.n_households
    )
    w = weight_h[order]
    f = full_h[order]
    comm = district.household_community[order]

    if district.is_cooperative:
        coop = district.household_compound[order]
        branch_of, b_comm, b_coop, b_joint, b_units = _cooperative_branches(
            district, coop, w, f, mode, policy, three_level
        )
    else:
        branch_of, b_comm, b_joint, b_units = _residential_branches(
            district, district.household_compound[order], comm, w, f, mode, policy
        )
        b_coop = np.full(len(b_comm), -1, dtype=np.int64)

    n_branches = len(b_comm)
    members_b = np.bincount(branch_of, weights=w, minlength=n_branches).astype(np.int64)
    pos_b = np.bincount(branch_of[w > 0], minlength=n_branches)
    if three_level:
        g = np.ones(n_branches, dtype=np.int64)
    elif mode == "given" and spec.groups is not None:
        g = grouped_apportion(
            np.array([max(spec.groups, n_branches)]),
            np.zeros(n_branches, dtype=np.int64),
            members_b.astype(float),
            1,
        )
    else:
        g = np.ceil(members_b / spec.max_group_members).astype(np.int64)
    g = np.clip(g, 1, np.maximum(pos_b, 1))
    # branches are runs in `order` but not necessarily sorted by id: sort units by branch
    by_branch = np.argsort(branch_of, kind="stable")
    local = chunk(branch_of[by_branch], w[by_branch], g)
    offset = np.concatenate(([0], np.cumsum(g)[:-1]))
    group_of_sorted = offset[branch_of[by_branch]] + local
    household_group = np.empty(district.n_households, dtype=np.int64)
    household_group[order[by_branch]] = group_of_sorted
    group_branch = np.repeat(np.arange(n_branches), g).astype(np.int64)
    return Grids(
        order=order[by_branch].astype(np.int64),
        household_group=household_group,
        group_branch=group_branch,
        branch_community=b_comm,
        branch_cooperative=b_coop,
        branch_joint=b_joint,
        branch_units=b_units,
        branch_key=np.arange(n_branches, dtype=np.int64),
        group_key=np.arange(len(group_branch), dtype=np.int64),
        branch_ordinal=_ordinals(b_comm),
        group_ordinal=_ordinals(group_branch),
    )


def _ordinals(unit: IntArray) -> IntArray:
    """1-based position of each item among the items of its unit (items sorted by unit)."""
    if len(unit) == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.searchsorted(unit, unit)
    out: IntArray = np.arange(len(unit)) - start + 1
    return out


def _residential_branches(
    district: District,
    compound: IntArray,
    comm: IntArray,
    w: IntArray,
    f: IntArray,
    mode: str,
    policy: Policy,
) -> tuple[IntArray, IntArray, BoolArray, tuple[tuple[int, ...], ...]]:
    """Branches on residential territory: chunks of each community's households.

    Chunks are cut by full members (each branch needs full members to elect its
    secretary; full members are 97% of all), so every branch gets at least one, and a
    community gets at most one branch per ``min_branch_full_members`` full members.
    """
    spec = district.spec
    n_comm = len(district.community_names)
    members_c = np.bincount(comm, weights=w, minlength=n_comm).astype(np.int64)
    full_c = np.bincount(comm, weights=f, minlength=n_comm).astype(np.int64)
    cap = policy.max_branch_members
    given = mode == "given" and spec.branches is not None
    if given:
        k = grouped_apportion(
            np.array([spec.branches]), np.zeros(n_comm, dtype=np.int64), members_c.astype(float), 1
        )
        k = np.minimum(k, np.maximum(full_c // max(policy.min_branch_full_members, 1), 1))
    else:
        k = np.maximum(1, np.ceil(members_c / max(cap, 1))).astype(np.int64)
    # given mode balances full members (each branch elects its secretary); derive mode
    # balances members, so that the fewest branches stay under the cap
    balance = f if given else w
    branch_of, k = _chunk_under_cap(comm, balance, w, k, cap, grow=not given)
    n_branches = int(k.sum())
    b_comm = np.repeat(np.arange(n_comm), k).astype(np.int64)
    full_b = np.bincount(branch_of, weights=f, minlength=n_branches)
    joint = full_b < policy.min_branch_full_members
    lived = w > 0
    units = joint_units(
        ((),) * n_branches, joint, compound[lived], branch_of[lived], policy.joint_branch_max_units
    )
    return branch_of.astype(np.int64), b_comm, joint, units


def _chunk_under_cap(
    segment: IntArray,
    balance: IntArray,
    weight: IntArray,
    k: IntArray,
    cap: int,
    *,
    grow: bool,
) -> tuple[IntArray, IntArray]:
    """Chunk each segment into ``k`` chunks of equal `balance` (:func:`chunk`); with
    `grow`, give each segment with a chunk over `cap` (in `weight`) one more chunk, while
    it has positive-`balance` units to spare, until none is over.

    Returns the chunk of each unit, numbered across segments, and the chunks per segment
    (``k`` clipped to 1 .. the segment's positive units, then grown).
    """
    n_seg = len(k)
    positive = np.bincount(segment[balance > 0], minlength=n_seg)
    k = np.clip(k, 1, np.maximum(positive, 1))
    while True:
        local = chunk(segment, balance, k)
        offset = np.concatenate(([0], np.cumsum(k)[:-1]))
        chunk_of = offset[segment] + local
        if not grow:
            return chunk_of, k
        sizes = np.bincount(chunk_of, weights=weight, minlength=int(k.sum()))
        over = np.unique(np.repeat(np.arange(n_seg), k)[sizes > cap])
        over = over[k[over] < positive[over]]
        if len(over) == 0:
            return chunk_of, k
        k[over] += 1


def joint_units(
    units: tuple[tuple[int, ...], ...],
    joint: BoolArray,
    compound: IntArray,
    branch: IntArray,
    max_units: int,
) -> tuple[tuple[int, ...], ...]:
    """Return `units` with each `joint` branch's entry set to the compounds it covers.

    Parameters
    ----------
    units : tuple of tuple of int
        The units of each branch (entries of branches not `joint` are kept).
    joint : bool array (branches)
        The branches whose units to set.
    compound, branch : int array
        The compound and branch of each member (or of each household with members).
    max_units : int
        The most units a joint branch lists (``joint_branch_max_units``): the
        lowest-numbered compounds it covers.

    Returns
    -------
    tuple of tuple of int
        One entry per branch.

    Examples
    --------
    >>> joint_units(((), (7,)), np.array([True, False]), np.array([3, 1, 3, 2]),
    ...             np.array([0, 0, 0, 1]), 5)
    ((1, 3), (7,))
    """
    out = list(units)
    for b in np.flatnonzero(joint).tolist():
        covered = np.unique(compound[branch == b])
        out[b] = tuple(covered[:max_units].tolist())
    return tuple(out)


def _cooperative_branches(
    district: District,
    coop: IntArray,
    w: IntArray,
    f: IntArray,
    mode: str,
    policy: Policy,
    three_level: bool,
) -> tuple[IntArray, IntArray, IntArray, BoolArray, tuple[tuple[int, ...], ...]]:
    """Branches on cooperatives: one each; in derive mode split big ones; join small ones."""
    n_coops = len(district.compound_names)
    members_k = np.bincount(coop, weights=w, minlength=n_coops).astype(np.int64)
    cap = policy.max_branch_members
    # pieces: each cooperative split into k pieces (1 unless derive mode and over the cap)
    split = mode == "derive" and not three_level
    k = np.ones(n_coops, dtype=np.int64)
    if split:
        k = np.ceil(members_k / max(cap, 1)).astype(np.int64)
    piece_of, k = _chunk_under_cap(coop, w, w, k, cap, grow=split)
    piece_coop = np.repeat(np.arange(n_coops), k).astype(np.int64)
    piece_members = np.bincount(piece_of, weights=w, minlength=len(piece_coop)).astype(np.int64)
    piece_full = np.bincount(piece_of, weights=f, minlength=len(piece_coop)).astype(np.int64)
    branches = _join_small_pieces(
        district.compound_community[piece_coop],
        piece_coop,
        piece_members,
        piece_members if three_level else piece_full,
        need=1 if three_level else policy.min_branch_full_members,
        max_units=None if three_level else max(policy.joint_branch_max_units, 1),
        cap=None if three_level else cap,
    )
    branch_of_piece = np.empty(len(piece_coop), dtype=np.int64)
    b_coop = np.full(len(branches), -1, dtype=np.int64)
    b_joint = np.zeros(len(branches), dtype=np.bool_)
    b_units: list[tuple[int, ...]] = []
    first_piece = np.concatenate(([True], piece_coop[1:] != piece_coop[:-1]))
    for b, pieces in enumerate(branches):
        branch_of_piece[pieces] = b
        units = tuple(dict.fromkeys(int(piece_coop[p]) for p in pieces if piece_members[p] > 0))
        primary = max(pieces, key=lambda p: (int(piece_members[p]), -p))
        if first_piece[primary]:
            b_coop[b] = piece_coop[primary]
        joint = len(units) > 1 and not three_level
        b_joint[b] = joint
        b_units.append(units if joint else ())
    b_comm = district.compound_community[piece_coop[[pieces[0] for pieces in branches]]]
    return (
        branch_of_piece[piece_of].astype(np.int64),
        b_comm.astype(np.int64),
        b_coop,
        b_joint,
        tuple(b_units),
    )


def _join_small_pieces(
    community: IntArray,
    unit: IntArray,
    members: IntArray,
    full: IntArray,
    *,
    need: int,
    max_units: int | None,
    cap: int | None,
) -> list[list[int]]:
    """Partition each community's consecutive pieces into the most branches the policy allows.

    Objective: the most branches, each a run of consecutive pieces (territory order)
    with at least `need` full members, at most `max_units` member units (pieces without
    members are territory only and do not count) and at most `cap` members. A piece with
    enough full members is then a branch of its own, and smaller ones join their
    neighbours into joint branches. Solved exactly per community by dynamic programming
    over the pieces. Where no cut meets every limit, the softest gives way first: the
    cap (a branch over it is a GG202 warning), then the unit limit (GG208); a community
    with too few full members in all becomes one branch. The rules report what gave way.
    """
    branches: list[list[int]] = []
    n = len(community)
    lo = 0
    while lo < n:
        hi = lo + 1
        while hi < n and community[hi] == community[lo]:
            hi += 1
        branches.extend(
            _partition(
                lo,
                members[lo:hi].tolist(),
                full[lo:hi].tolist(),
                unit[lo:hi].tolist(),
                need,
                max_units,
                cap,
            )
        )
        lo = hi
    return branches


def _partition(
    offset: int,
    members: list[int],
    full: list[int],
    unit: list[int],
    need: int,
    max_units: int | None,
    cap: int | None,
) -> list[list[int]]:
    """The most runs of pieces meeting `need`, `max_units` and `cap`, relaxing the cap and
    then the unit limit when no cut meets them all (see above)."""
    for limits in ((max_units, cap), (max_units, None), (None, None)):
        runs = _most_runs(offset, members, full, unit, need, *limits)
        if runs is not None:
            return runs
    return [list(range(offset, offset + len(members)))]


def _most_runs(
    offset: int,
    members: list[int],
    full: list[int],
    unit: list[int],
    need: int,
    max_units: int | None,
    cap: int | None,
) -> list[list[int]] | None:
    """The most runs meeting all three limits (``None``: no cut meets them)."""
    m = len(members)
    unbounded = max_units is None and cap is None
    best = [-1] * (m + 1)  # best[i]: most runs covering the first i pieces (-1: impossible)
    cut = [0] * (m + 1)
    best[0] = 0
    for i in range(1, m + 1):
        size = full_sum = 0
        units: set[int] = set()
        for j in range(i - 1, -1, -1):  # the last run is pieces j .. i-1
            size += members[j]
            full_sum += full[j]
            if members[j] > 0:
                units.add(unit[j])
            if j < i - 1 and (
                (cap is not None and size > cap)
                or (max_units is not None and len(units) > max_units)
            ):
                break  # a piece alone is always a run: only joining is limited
            if full_sum >= need and best[j] >= 0 and best[j] + 1 > best[i]:
                best[i], cut[i] = best[j] + 1, j
                if unbounded:
                    break  # without limits the shortest last run is best
    if best[m] < 0:
        return None
    runs: list[list[int]] = []
    i = m
    while i > 0:
        j = cut[i]
        runs.append(list(range(offset + j, offset + i)))
        i = j
    runs.reverse()
    return runs
