"""Churn: members move in, move out and move house; re-allocate with the fewest changes.

:func:`churn` draws the moves (a share of members leaves, a share moves house, mostly
within their community, and newcomers arrive), then :func:`reallocate` updates the
allocation and :func:`~gridgov.model.diff.events_between` gives the events that turn the
old jurisdiction into the new one, which is what a host appends to its event log.

**Objective of re-allocation.** Fewest changed filings. Territory (which households
make up each group) stays put, so a member who did not move keeps their group, and a
member who moved is filed where they now live. Territory changes only where a rule
forces it, each time by the smallest edit found:

- a branch that grows over ``max_branch_members`` (branches the sources already put
  over it are not held to it) passes households at its boundary, along the territory
  order, to the neighbouring branch, which passes as many on if it has no room, until a
  branch of the community absorbs them; the side moving the fewest members wins;
- a group left without members, or a branch left without a full member to be its
  secretary, hands its territory and zones to its neighbour and is dissolved;
- a five-level branch left with fewer than ``min_branch_full_members`` full members
  becomes a joint branch (no filing changes);
- a group with more zones than its members may claim merges its surplus zones into
  their neighbours.

Claims that are still valid are kept; orphaned zones are claimed by the group's members
with room, by the exact assignment of :mod:`gridgov.allocation.zones` restricted to
the orphans. Incumbents keep their posts while they remain eligible; vacancies are
filled as :func:`~gridgov.allocation.posts.propose_posts` would.

The quality measure is *changed filings per moved member*: filings added, transferred
or withdrawn, over the members who moved in, out or house.

Examples
--------
>>> from gridgov.allocation.simulate import simulate
>>> before = simulate(None, communities=3, members=300, households=1200, seed=2)
>>> after = churn(before, seed=3)
>>> after.report.moved > 0, after.report.changes_per_moved <= 1.2
(True, True)
>>> before.jurisdiction.copy().apply_all(after.events) > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import asdict, evolve, field, frozen
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from gridgov.allocation import _checks
from gridgov.allocation.build import build_jurisdiction, events_for
from gridgov.allocation.filing import file_members
from gridgov.allocation.generate import (
    BoolArray,
    District,
    IntArray,
    draw_categories,
    member_traits,
)
from gridgov.allocation.grids import Grids, joint_units
from gridgov.allocation.plan import Allocation
from gridgov.allocation.posts import Posts, propose_posts, secretary_keys
from gridgov.allocation.report import report_for
from gridgov.allocation.zones import (
    LOAD_PENALTY,
    ZoneAssignment,
    Zones,
    base_cost,
    claim_cost,
    kind_penalty,
    zone_centroids,
)
from gridgov.errors import InvalidValueError
from gridgov.model.diff import events_between
from gridgov.model.events import Event
from gridgov.model.policy import Policy
from gridgov.rules import validate

if TYPE_CHECKING:
    from gridgov.allocation.simulate import SimulationResult

__all__ = ["ChurnReport", "ChurnResult", "churn", "reallocate"]


@frozen
class ChurnReport:
    """What churn moved and what re-allocation changed.

    Attributes
    ----------
    moved_in, moved_out, moved_house : int
        Members who arrived, left, moved house within the district.
    filings_changed : int
        Filings added, transferred or withdrawn.
    forced_transfers : int
        Members who did not move but changed group (a rule forced it).
    claims_changed, posts_changed : int
        Claims released or made; posts vacated or assigned.
    households_reassigned : int
        Households put into another zone.
    organizations_dissolved, joint_branches_formed : int
        Groups, branches and zones dissolved; branches that became joint.
    events : int
        Events that turn the old jurisdiction into the new one (0 when not built).

    Examples
    --------
    >>> rep = ChurnReport(moved_in=2, moved_out=1, moved_house=1, filings_changed=3,
    ...                   forced_transfers=0, claims_changed=2, posts_changed=1,
    ...                   households_reassigned=0, organizations_dissolved=0,
    ...                   joint_branches_formed=0)
    >>> rep.moved, rep.changes_per_moved
    (4, 0.75)
    """

    moved_in: int
    moved_out: int
    moved_house: int
    filings_changed: int
    forced_transfers: int
    claims_changed: int
    posts_changed: int
    households_reassigned: int
    organizations_dissolved: int
    joint_branches_formed: int
    events: int = 0

    @property
    def moved(self) -> int:
        """Members who moved in, out or house."""
        return self.moved_in + self.moved_out + self.moved_house

    @property
    def changes_per_moved(self) -> float:
        """Changed filings per moved member (0 when nobody moved)."""
        return self.filings_changed / self.moved if self.moved else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data, with the derived figures.

        Returns
        -------
        dict of str to int or float
            Every field, plus ``moved`` and ``changes_per_moved`` (rounded to 4 places).

        Examples
        --------
        >>> import json
        >>> rep = ChurnReport(1, 1, 1, 2, 0, 1, 0, 0, 0, 0)
        >>> d = rep.to_dict()
        >>> d["moved"], d["changes_per_moved"], d["events"]
        (3, 0.6667, 0)
        >>> json.loads(json.dumps(d)) == d
        True
        """
        out = asdict(self)
        out["moved"] = self.moved
        out["changes_per_moved"] = round(self.changes_per_moved, 4)
        return out


@frozen(eq=False)
class ChurnResult:
    """The district after churn, the events from before, and what changed.

    Returned by :func:`churn` and :meth:`SimulationResult.churn
    <gridgov.allocation.SimulationResult.churn>`.

    Attributes
    ----------
    before, after : SimulationResult
        The simulation before the moves, and the re-allocated one after them (its
        report's ``notes`` say what re-allocation could not fix).
    events : tuple of Event
        The events turning ``before.jurisdiction`` into ``after.jurisdiction`` (empty
        when the jurisdictions were not built).
    report : ChurnReport
        What moved and what changed.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> before = simulate(None, communities=2, members=100, households=400)
    >>> result = churn(before, move_in=0.05, move_out=0.05, move_house=0.05, seed=7)
    >>> result.after.district.n_members
    100
    >>> result.report.moved, result.report.events == len(result.events)
    (15, True)
    >>> j = result.before.jurisdiction.copy()
    >>> _ = j.apply_all(result.events)
    >>> len(j.filings) == len(result.after.jurisdiction.filings)
    True
    """

    before: SimulationResult
    after: SimulationResult
    events: tuple[Event, ...] = field(repr=False)
    report: ChurnReport


def _fraction(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise InvalidValueError(name, value, "must be a number in [0, 1)")
    return float(value)


def churn(
    result: SimulationResult,
    *,
    move_in: float = 0.02,
    move_out: float = 0.02,
    move_house: float = 0.03,
    seed: int = 1,
) -> ChurnResult:
    """Move members in, out and house, and re-allocate with the fewest changes.

    **Objective.** Fewest changed filings (see :func:`reallocate`): members who did not
    move keep their group, movers are filed where they now live, and territory changes
    only where a charter rule forces it. The result's jurisdiction (when ``result`` has
    one) is rebuilt and checked, and :func:`~gridgov.model.diff.events_between` gives
    the events from the old one to the new one.

    Parameters
    ----------
    result : SimulationResult
        The district before.
    move_in, move_out, move_house : float
        Shares of the members (before) who arrive, leave, and move house; 70% of house
        moves stay in the member's community.
    seed : int
        Random seed of the moves.

    Returns
    -------
    ChurnResult
        The simulation before and after, the events between them and a
        :class:`ChurnReport`.

    Raises
    ------
    InvalidValueError
        For a share outside [0, 1), or ``move_out + move_house`` of 1 or more.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> before = simulate("junhe", build=False)
    >>> after = churn(before, seed=2)
    >>> after.report.moved_in, after.report.moved_out, after.report.moved_house
    (40, 40, 60)
    >>> after.report.forced_transfers <= after.report.filings_changed
    True
    >>> after.events  # no jurisdiction was built, so there are no events
    ()
    >>> churn(before, move_in=1.5)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: move_in: must be a number in [0, 1) (got 1.5)
    """
    from gridgov.allocation.simulate import SimulationResult

    _checks.instance("result", result, SimulationResult)
    seed = _checks.seed(seed)
    shares = {"move_in": move_in, "move_out": move_out, "move_house": move_house}
    n_in, n_out, n_house = (
        round(_fraction(name, value) * result.district.n_members) for name, value in shares.items()
    )
    if move_out + move_house >= 1:
        raise InvalidValueError("move_out", move_out, "move_out + move_house must be below 1")
    d = result.district
    rng = np.random.default_rng(seed)
    n = d.n_members
    perm = rng.permutation(n)
    out = np.sort(perm[:n_out])
    house = perm[n_out : n_out + n_house]
    new_household = d.member_household.copy()
    new_household[house] = _new_homes(rng, d, d.member_household[house])
    keep = np.ones(n, dtype=np.bool_)
    keep[out] = False
    arrivals = _arrivals(rng, d, n_in)
    current = {**{name: getattr(d, name) for name in arrivals}, "member_household": new_household}
    after_district = d.with_members(
        **{name: np.concatenate([current[name][keep], arrivals[name]]) for name in arrivals}
    )
    prev_index = np.concatenate([np.flatnonzero(keep), np.full(n_in, -1, dtype=np.int64)])
    allocation, notes = reallocate(
        d, after_district, result.allocation, prev_index, policy=result.policy
    )
    moved_house = np.zeros(n, dtype=np.bool_)
    moved_house[house] = True

    jurisdiction = None
    validation = None
    findings = None
    events: list[Event] = []
    if result.jurisdiction is not None:
        jurisdiction = build_jurisdiction(
            events_for(after_district, allocation, policy=result.policy, names=result.names)
        )
        events = events_between(result.jurisdiction, jurisdiction)
        if result.validation is not None:
            validation = validate(jurisdiction)
            findings = validation.count_by_code()
    report = report_for(
        after_district,
        allocation,
        policy=result.policy,
        method=result.report.method,
        findings=findings,
    )
    report = evolve(report, notes=report.notes + tuple(notes))
    after = evolve(
        result,
        district=after_district,
        allocation=allocation,
        jurisdiction=jurisdiction,
        report=report,
        validation=validation,
    )
    stats = _changes(result.allocation, allocation, prev_index, moved_house, n_out)
    churn_report = ChurnReport(
        moved_in=n_in,
        moved_out=n_out,
        moved_house=n_house,
        events=len(events),
        **stats,
    )
    return ChurnResult(result, after, tuple(events), churn_report)


def _new_homes(rng: np.random.Generator, d: District, old: IntArray) -> IntArray:
    """New households for movers: 70% in their own community, else anywhere."""
    community = d.household_community[old]
    start = np.searchsorted(d.household_community, community)
    end = np.searchsorted(d.household_community, community, side="right")
    local = start + (rng.random(len(old)) * (end - start)).astype(np.int64)
    anywhere = rng.integers(0, d.n_households, len(old))
    out: IntArray = np.where(rng.random(len(old)) < 0.7, local, anywhere)
    return out


def _arrivals(rng: np.random.Generator, d: District, n: int) -> dict[str, NDArray[Any]]:
    category = draw_categories(rng, d.spec, n)
    n_units = sum(1 for a in d.affiliations if a.startswith("EXT-U"))
    n_organs = len(d.affiliations) - n_units
    full, flags, affiliation, name = member_traits(
        rng, d.spec, category, max(n_units, 1), max(n_organs, 1), len(d.names)
    )
    first_key = int(d.member_key.max()) + 1 if d.n_members else 0
    return {
        "member_household": rng.integers(0, d.n_households, n).astype(np.int64),
        "member_full": full,
        "member_category": category,
        "member_flags": flags,
        "member_affiliation": affiliation,
        "member_name": name,
        "member_key": np.arange(first_key, first_key + n, dtype=np.int64),
    }


def _changes(
    before: Allocation,
    after: Allocation,
    prev_index: IntArray,
    moved_house: BoolArray,
    n_out: int,
) -> dict[str, int]:
    old_group_key = before.grids.group_key[before.member_group]
    new_group_key = after.grids.group_key[after.member_group]
    stayed = prev_index >= 0
    old_of_new = np.full(len(prev_index), -1, dtype=np.int64)
    old_of_new[stayed] = old_group_key[prev_index[stayed]]
    transferred = stayed & (old_of_new != new_group_key)
    forced = transferred & ~moved_house[np.where(stayed, prev_index, 0)]
    arrived = int((~stayed).sum())
    old_claims = {
        (int(before.zones.zone_key[z]), int(m))
        for z, m in enumerate(before.assignment.claimant.tolist())
    }
    key_of_new = np.where(stayed, prev_index, -1 - np.arange(len(prev_index)))
    new_claims = {
        (int(after.zones.zone_key[z]), int(key_of_new[m]))
        for z, m in enumerate(after.assignment.claimant.tolist())
    }
    old_keys = set(before.zones.zone_key.tolist())
    new_keys = set(after.zones.zone_key.tolist())
    old_zone = before.zones.zone_key[before.zones.household_zone]
    new_zone = after.zones.zone_key[after.zones.household_zone]
    dissolved = (
        len(old_keys - new_keys)
        + len(set(before.grids.group_key.tolist()) - set(after.grids.group_key.tolist()))
        + len(set(before.grids.branch_key.tolist()) - set(after.grids.branch_key.tolist()))
    )
    joint_before = set(before.grids.branch_key[before.grids.branch_joint].tolist())
    joint_after = set(after.grids.branch_key[after.grids.branch_joint].tolist())
    return {
        "filings_changed": int(transferred.sum()) + arrived + n_out,
        "forced_transfers": int(forced.sum()),
        "claims_changed": len(old_claims ^ new_claims),
        "posts_changed": _posts_changed(before, after, key_of_new),
        "households_reassigned": int((old_zone != new_zone).sum()),
        "organizations_dissolved": dissolved,
        "joint_branches_formed": len(joint_after - joint_before),
    }


def _posts_changed(before: Allocation, after: Allocation, key_of_new: IntArray) -> int:
    """The number of posts (role, organization, holder) held before or after, not both.

    Members after are keyed by `key_of_new` (their index before, or ``-1 - index`` if new).
    """

    def posts_of(a: Allocation, person: IntArray) -> set[tuple[str, int, int]]:
        p, g = a.posts, a.grids
        out: set[tuple[str, int, int]] = set()
        for role, holders, keys in (
            ("secretary", p.branch_secretary, g.branch_key),
            ("group_leader", p.group_leader, g.group_key),
            ("captain", p.branch_captain, g.branch_key),
        ):
            out |= {
                (role, int(k), int(person[h]))
                for k, h in zip(keys.tolist(), holders.tolist(), strict=True)
                if h >= 0
            }
        for k, row in zip(g.branch_key.tolist(), p.branch_committee.tolist(), strict=True):
            out |= {("committee", int(k), int(person[h])) for h in row if h >= 0}
        return out

    old = posts_of(before, np.arange(len(before.member_group)))
    new = posts_of(after, key_of_new)
    return len(old ^ new)


# -- re-allocation ---------------------------------------------------------------------------


class _Territory:
    """Mutable territory during re-allocation: households' groups and zones."""

    def __init__(self, district: District, a: Allocation) -> None:
        g, z = a.grids, a.zones
        self.d = district
        self.order = g.order
        self.position = np.empty(len(self.order), dtype=np.int64)
        self.position[self.order] = np.arange(len(self.order))
        self.hg = g.household_group.copy()
        self.hz = z.household_zone.copy()
        self.zone_group = z.zone_group.copy()
        self.group_branch = g.group_branch
        self.branch_community = g.branch_community
        self.dropped_groups: set[int] = set()
        self.dropped_branches: set[int] = set()

    def member_group(self) -> IntArray:
        out: IntArray = self.hg[self.d.member_household]
        return out

    def neighbours(self, households: IntArray, *, exclude_branch: int) -> list[int]:
        """Households next to `households` along the territory order, in other branches
        of the same community (the nearest first)."""
        pos = np.sort(self.position[households])
        community = self.d.household_community[households[0]]
        out: list[int] = []
        for p in (int(pos[0]) - 1, int(pos[-1]) + 1):
            if 0 <= p < len(self.order):
                h = int(self.order[p])
                b = int(self.group_branch[self.hg[h]])
                if b != exclude_branch and self.d.household_community[h] == community:
                    out.append(h)
        return out

    def hand_over_group(self, group: int, to_group: int) -> None:
        """Give `group`'s households and zones to `to_group`; drop `group`."""
        self.hg[self.hg == group] = to_group
        self.zone_group[self.zone_group == group] = to_group
        self.dropped_groups.add(group)


def reallocate(
    before: District,
    after: District,
    previous: Allocation,
    prev_index: IntArray,
    *,
    policy: Policy | None = None,
) -> tuple[Allocation, list[str]]:
    """Re-allocate `after` (the district after churn) starting from `previous`.

    **Objective.** Fewest changed filings: territory stays put, so a member who did not
    move keeps their group and a mover is filed where they now live. Territory changes
    only where a rule forces it, each time by the smallest edit found (see the module
    docstring): overfull branches pass boundary households to neighbours, empty groups
    and branches without a full member are dissolved into a neighbour, small branches
    become joint branches, and surplus zones are merged. Valid claims and eligible post
    holders are kept; orphaned zones are re-claimed at least cost, vacancies filled as
    :func:`~gridgov.allocation.posts.propose_posts` would.

    Parameters
    ----------
    before, after : District
        The district before and after the moves.
    previous : Allocation
        The allocation of `before`.
    prev_index : int array (members after)
        Each member's index in `before`, or -1 for a newcomer.
    policy : Policy, optional

    Returns
    -------
    (Allocation, list of str)
        The new allocation, and notes on anything it could not fix.

    Raises
    ------
    InvalidValueError
        If a group cannot claim its orphaned zones within ``max_zones_per_member``.

    Examples
    --------
    Two members leave; nobody else changes group:

    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate(None, communities=2, members=60, households=300, build=False)
    >>> d, a = r.district, r.allocation
    >>> keep = np.arange(2, d.n_members)
    >>> after = d.with_members(**{name: getattr(d, name)[keep] for name in (
    ...     "member_household", "member_full", "member_category", "member_flags",
    ...     "member_affiliation", "member_name", "member_key")})
    >>> new, notes = reallocate(d, after, a, keep)
    >>> bool((new.member_group == a.member_group[keep]).all()), notes
    (True, [])
    >>> bool((new.assignment.claimant >= 0).all())
    True
    """
    _checks.instance("before", before, District)
    _checks.instance("after", after, District)
    _checks.instance("previous", previous, Allocation)._fits(before)
    _checks.int_array("prev_index", prev_index, after.n_members, -1, before.n_members - 1)
    if before.spec != after.spec:
        raise InvalidValueError("after", after.spec.name, "must be the district `before` changed")
    policy = before.spec.default_policy() if policy is None else _checks.policy(policy)
    three_level = before.spec.scheme == "three-level"
    t = _Territory(after, previous)
    notes: list[str] = []
    new_of_old = np.full(before.n_members, -1, dtype=np.int64)
    new_of_old[prev_index[prev_index >= 0]] = np.flatnonzero(prev_index >= 0)

    _dissolve_empty(t, after, notes)
    if not three_level:
        old_sizes = previous.grids.branch_members(before)
        _relieve_overfull(t, after, old_sizes, policy, notes)
    grids, zones = _compact(t, previous)
    member_group = file_members(after, grids)
    zones = _merge_surplus_zones(after, grids, zones, member_group, policy)
    if not three_level:
        grids = _joint_if_small(after, grids, member_group, policy)
    assignment = _reclaim(after, zones, member_group, previous, new_of_old, policy)
    posts = _repair_posts(after, grids, member_group, previous, new_of_old, policy)
    return Allocation(previous.mode, grids, member_group, zones, assignment, posts), notes


def _dissolve_empty(t: _Territory, d: District, notes: list[str]) -> None:
    """Hand over groups without members, and branches without a full member."""
    n_branches = len(t.branch_community)
    while True:
        mg = t.member_group()
        members_g = np.bincount(mg, minlength=len(t.group_branch))
        full_b = np.bincount(t.group_branch[mg[d.member_full]], minlength=n_branches)
        live_groups = [i for i in range(len(t.group_branch)) if i not in t.dropped_groups]
        changed = False
        for b in range(n_branches):
            if b in t.dropped_branches or full_b[b] > 0:
                continue
            households = np.flatnonzero(t.group_branch[t.hg] == b)
            target = _receiving_group(t, households, b, members_g)
            if target is None:
                notes.append(f"branch {b} has no full member and no neighbour to merge into")
                t.dropped_branches.add(b)  # nothing to merge into: leave it, but do not retry
                continue
            for grp in live_groups:
                if t.group_branch[grp] == b:
                    t.hand_over_group(grp, target)
            t.dropped_branches.add(b)
            changed = True
            break
        if changed:
            continue
        for grp in live_groups:
            if members_g[grp] > 0:
                continue
            b = int(t.group_branch[grp])
            siblings = [
                s for s in live_groups if s != grp and t.group_branch[s] == b and members_g[s] > 0
            ]
            if siblings:
                nearest = min(siblings, key=lambda s: abs(s - grp))
                t.hand_over_group(grp, nearest)
                changed = True
                break
        if not changed:
            return


def _receiving_group(
    t: _Territory, households: IntArray, branch: int, members_g: IntArray
) -> int | None:
    """The group of a neighbouring branch (same community) that takes over a territory."""
    for h in t.neighbours(households, exclude_branch=branch):
        return int(t.hg[h])
    community = t.branch_community[branch]
    candidates = [
        grp
        for grp in range(len(t.group_branch))
        if grp not in t.dropped_groups
        and t.group_branch[grp] != branch
        and t.branch_community[t.group_branch[grp]] == community
        and members_g[grp] > 0
    ]
    return candidates[0] if candidates else None


def _relieve_overfull(
    t: _Territory,
    d: District,
    old_sizes: IntArray,
    policy: Policy,
    notes: list[str],
) -> None:
    """Shift boundary households from over-cap branches towards branches with room.

    The cap is ``max_branch_members``; a branch that was already over it (the sources'
    own figures, in ``given`` mode) is not held to it. Along the territory order of the
    community, a branch over its cap passes its boundary households to the next branch;
    if that one has no room, it passes as many on from its far end, and so on until a
    branch absorbs them (a ripple). Of the two directions, the one moving fewer members
    wins.
    """
    limit = policy.max_branch_members
    cap = np.where(old_sizes > limit, np.iinfo(np.int64).max // 2, limit)
    weight = np.bincount(d.member_household, minlength=d.n_households)
    community_of = d.household_community[t.order]
    bounds = np.searchsorted(community_of, np.arange(len(d.community_names) + 1))
    stuck = 0
    for _ in range(len(cap)):
        sizes = np.bincount(t.group_branch[t.member_group()], minlength=len(cap))
        over = [b for b in np.flatnonzero(sizes > cap).tolist() if b not in t.dropped_branches]
        if not over:
            break
        b = over[0]
        c = int(d.household_community[np.flatnonzero(t.group_branch[t.hg] == b)[0]])
        seq = t.order[bounds[c] : bounds[c + 1]]
        labels = t.group_branch[t.hg[seq]]
        edges = np.flatnonzero(np.diff(labels)) + 1
        starts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [len(seq)]))
        runs = list(zip(starts.tolist(), ends.tolist(), labels[starts].tolist(), strict=True))
        best: list[tuple[list[int], int]] | None = None
        best_cost = 0
        for i, run in enumerate(runs):
            if run[2] != b:
                continue
            for step in (-1, 1):
                plan = _ripple(runs, i, step, seq, weight, sizes, cap)
                if plan is not None:
                    cost = sum(int(weight[hs].sum()) for hs, _ in plan)
                    if best is None or cost < best_cost:
                        best, best_cost = plan, cost
        if best is None:
            stuck += 1
            cap[b] = sizes[b]
            continue
        for households, receiver in best:
            t.hg[households] = t.hg[receiver]
            t.hz[households] = t.hz[receiver]
    if stuck:
        notes.append(
            f"{stuck} branches grew past max_branch_members and no branch of their "
            f"community had room for their boundary households (a new branch is needed)"
        )


def _ripple(
    runs: list[tuple[int, int, int]],
    i: int,
    step: int,
    seq: IntArray,
    weight: IntArray,
    sizes: IntArray,
    cap: IntArray,
) -> list[tuple[list[int], int]] | None:
    """Plan the ripple from run `i` in direction `step`: (households, receiving household)."""
    giver = runs[i][2]
    need = int(sizes[giver] - cap[giver])
    plan: list[tuple[list[int], int]] = []
    j = i
    lo, hi = runs[i][0], runs[i][1]
    while need > 0:
        j += step
        if not 0 <= j < len(runs):
            return None
        start, end, receiver = runs[j]
        if receiver == giver:
            return None
        edge = hi - 1 if step > 0 else lo
        walk = range(edge, lo - 1, -1) if step > 0 else range(edge, hi)
        moved: list[int] = []
        total = 0
        for pos in walk:
            if total >= need:
                break
            h = int(seq[pos])
            moved.append(h)
            total += int(weight[h])
        if total < need:
            return None
        receiving_household = int(seq[start] if step > 0 else seq[end - 1])
        plan.append((moved, receiving_household))
        # the receiver passes on from its far end what it cannot keep
        need = int(sizes[receiver] + total - cap[receiver])
        giver = receiver
        lo, hi = start, end
    return plan


def _compact(t: _Territory, previous: Allocation) -> tuple[Grids, Zones]:
    g, z = previous.grids, previous.zones
    keep_g = np.ones(g.n_groups, dtype=np.bool_)
    keep_g[list(t.dropped_groups)] = False
    # a branch is kept if any of its groups is
    keep_b = np.zeros(g.n_branches, dtype=np.bool_)
    keep_b[g.group_branch[keep_g]] = True
    new_g = np.cumsum(keep_g) - 1
    new_b = np.cumsum(keep_b) - 1
    live_zone = np.bincount(t.hz, minlength=z.n_zones) > 0
    keep_z = live_zone & keep_g[t.zone_group] if z.n_zones else live_zone
    new_z = np.cumsum(keep_z) - 1
    kb = np.flatnonzero(keep_b)
    grids = Grids(
        order=g.order,
        household_group=new_g[t.hg].astype(np.int64),
        group_branch=new_b[g.group_branch[keep_g]].astype(np.int64),
        branch_community=g.branch_community[keep_b],
        branch_cooperative=g.branch_cooperative[keep_b],
        branch_joint=g.branch_joint[keep_b],
        branch_units=tuple(g.branch_units[b] for b in kb.tolist()),
        branch_key=g.branch_key[keep_b],
        group_key=g.group_key[keep_g],
        branch_ordinal=g.branch_ordinal[keep_b],
        group_ordinal=g.group_ordinal[keep_g],
    )
    household_zone = new_z[t.hz].astype(np.int64)
    n_zones = int(keep_z.sum())
    zones = Zones(
        household_zone=household_zone,
        zone_group=new_g[t.zone_group[keep_z]].astype(np.int64),
        zone_xy=zone_centroids(t.d, household_zone, n_zones),
        zone_key=z.zone_key[keep_z],
        zone_household=z.zone_household[keep_z],
        resident_claimants=z.resident_claimants,
    )
    return grids, zones


def _merge_surplus_zones(
    d: District, grids: Grids, zones: Zones, member_group: IntArray, policy: Policy
) -> Zones:
    """Merge zones of groups with more zones than their members may claim."""
    cap = max(policy.max_zones_per_member, 1)
    members_g = np.bincount(member_group, minlength=grids.n_groups)
    zones_g = np.bincount(zones.zone_group, minlength=grids.n_groups)
    surplus = np.flatnonzero(zones_g > cap * members_g)
    if not len(surplus):
        return zones
    # each surplus zone goes to its group's last kept zone
    target = np.arange(zones.n_zones)
    for grp in surplus.tolist():
        zs = np.flatnonzero(zones.zone_group == grp)
        allowed = max(int(cap * members_g[grp]), 1)
        target[zs[allowed:]] = zs[allowed - 1]
    keep = target == np.arange(zones.n_zones)
    new_z = np.cumsum(keep) - 1
    household_zone = new_z[target[zones.household_zone]].astype(np.int64)
    n_zones = int(keep.sum())
    return Zones(
        household_zone=household_zone,
        zone_group=zones.zone_group[keep],
        zone_xy=zone_centroids(d, household_zone, n_zones),
        zone_key=zones.zone_key[keep],
        zone_household=zones.zone_household[keep],
        resident_claimants=zones.resident_claimants,
    )


def _joint_if_small(d: District, grids: Grids, member_group: IntArray, policy: Policy) -> Grids:
    """Make grid branches left with too few full members joint branches."""
    member_branch = grids.group_branch[member_group]
    full_b = np.bincount(member_branch[d.member_full], minlength=grids.n_branches)
    small = (full_b < policy.min_branch_full_members) & ~grids.branch_joint
    if not small.any():
        return grids
    units = joint_units(
        grids.branch_units,
        small,
        d.household_compound[d.member_household],
        member_branch,
        policy.joint_branch_max_units,
    )
    return evolve(grids, branch_joint=grids.branch_joint | small, branch_units=units)


def _reclaim(
    d: District,
    zones: Zones,
    member_group: IntArray,
    previous: Allocation,
    new_of_old: IntArray,
    policy: Policy,
) -> ZoneAssignment:
    """Keep valid claims; let members with room claim the orphaned zones (exactly)."""
    cap = max(policy.max_zones_per_member, 1)
    old_claimant_by_key = dict(
        zip(previous.zones.zone_key.tolist(), previous.assignment.claimant.tolist(), strict=True)
    )
    claimant = np.full(zones.n_zones, -1, dtype=np.int64)
    load = np.zeros(d.n_members, dtype=np.int64)
    for z, key in enumerate(zones.zone_key.tolist()):
        old = old_claimant_by_key.get(key, -1)
        m = int(new_of_old[old]) if old >= 0 else -1
        if m >= 0 and member_group[m] == zones.zone_group[z] and load[m] < cap:
            claimant[z] = m
            load[m] += 1
    orphans = np.flatnonzero(claimant < 0)
    if len(orphans):
        member_xy = d.household_xy[d.member_household]
        penalty = kind_penalty(d)
        order = np.argsort(member_group, kind="stable")
        n_groups = max(int(zones.zone_group.max()), int(member_group.max())) + 1
        starts = np.searchsorted(member_group[order], np.arange(n_groups + 1))
        for grp in np.unique(zones.zone_group[orphans]).tolist():
            zs = orphans[zones.zone_group[orphans] == grp]
            ms = order[starts[grp] : starts[grp + 1]]
            cols = [(m, j) for m in ms.tolist() for j in range(int(load[m]), cap)]
            if len(cols) < len(zs):
                raise InvalidValueError("zones", len(zs), f"group {grp} cannot claim its zones")
            cm = np.array([m for m, _ in cols], dtype=np.int64)
            cj = np.array([j for _, j in cols], dtype=np.int64)
            cost = base_cost(zones, zs, member_xy, d.member_household, penalty, cm)
            cost += cj[None, :] * LOAD_PENALTY
            rows, picked = linear_sum_assignment(cost)
            claimant[zs[rows]] = cm[picked]
            np.add.at(load, cm[picked], 1)
    objective = claim_cost(d, zones, claimant)
    return ZoneAssignment(claimant, objective, "exact (re-claimed)", None)


def _repair_posts(
    d: District,
    grids: Grids,
    member_group: IntArray,
    previous: Allocation,
    new_of_old: IntArray,
    policy: Policy,
) -> Posts:
    """Keep incumbents still eligible; fill vacancies as propose_posts would."""
    fresh = propose_posts(d, grids, member_group, policy=policy)
    old = previous.posts
    old_grids = previous.grids
    member_branch = grids.group_branch[member_group]
    full = d.member_full
    b_index = {k: i for i, k in enumerate(old_grids.branch_key.tolist())}
    g_index = {k: i for i, k in enumerate(old_grids.group_key.tolist())}

    def mapped(holder: int) -> int:
        return int(new_of_old[holder]) if holder >= 0 else -1

    secretary = fresh.branch_secretary.copy()
    first = fresh.branch_first_secretary.copy()
    captain = fresh.branch_captain.copy()
    team = fresh.branch_team.copy()
    committee = np.full_like(fresh.branch_committee, -1)
    size = fresh.branch_committee.shape[1]
    full_b = np.bincount(member_branch[full], minlength=grids.n_branches)
    keys = secretary_keys(d, grids, member_group)
    for b, key in enumerate(grids.branch_key.tolist()):
        ob = b_index[key]
        m = mapped(int(old.branch_secretary[ob]))
        if m >= 0 and member_branch[m] == b and full[m]:
            secretary[b] = m
        first[b] = old.branch_first_secretary[ob]
        c = mapped(int(old.branch_captain[ob]))
        if old.branch_captain[ob] >= 0:
            captain[b] = c if c >= 0 and member_branch[c] == b else fresh.branch_captain[b]
            stay = [
                h
                for h in (mapped(x) for x in old.branch_team[ob].tolist())
                if h >= 0 and member_branch[h] == b and h != captain[b]
            ]
            for h in fresh.branch_team[b].tolist():
                if len(stay) < team.shape[1] and h >= 0 and h not in stay and h != captain[b]:
                    stay.append(h)
            if captain[b] < 0 and stay:
                captain[b] = stay.pop(0)
            team[b] = -1
            team[b, : len(stay)] = stay
        if size and full_b[b] >= policy.committee_threshold:
            chosen = [
                h
                for h in (mapped(x) for x in old.branch_committee[ob].tolist())
                if h >= 0 and member_branch[h] == b and full[h] and h != secretary[b]
            ]
            if len(chosen) < size:
                members = np.flatnonzero(member_branch == b)
                ranked = members[np.lexsort((members, keys[members]))]
                for h in ranked.tolist():
                    if len(chosen) >= size:
                        break
                    if np.isfinite(keys[h]) and h not in chosen and h != secretary[b]:
                        chosen.append(h)
            committee[b, : len(chosen)] = chosen[:size]
    leader = fresh.group_leader.copy()
    for i, key in enumerate(grids.group_key.tolist()):
        m = mapped(int(old.group_leader[g_index[key]]))
        if m >= 0 and member_group[m] == i:
            leader[i] = m
    return Posts(
        branch_secretary=secretary,
        branch_committee=committee,
        group_leader=leader,
        branch_first_secretary=first,
        branch_head_leader=fresh.branch_head_leader,
        branch_captain=captain,
        branch_team=team,
    )
