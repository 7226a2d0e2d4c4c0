"""Churn on any jurisdiction: members leave, join and move house; re-allocate (``gridgov.churn``).

:func:`churn` takes the moves as data (a list of :class:`Move` records, of mappings
with the same keys, or a pandas DataFrame with those columns) or draws them at random
(``rate=``, ``seed=``), and applies them to the jurisdiction as ordinary events, all or
none: a bad move, or a step that cannot be done, raises a
:class:`~gridgov.errors.GridGovError` and leaves the jurisdiction exactly as it was.

What each move does:

- ``leave``: the member releases their zones, leaves their posts (and their role on a
  cooperative, which then records none: see the report's notes), is unfiled and
  deregistered, and is removed;
- ``join``: a new member (``person`` their id, or ``None`` for the id factory to make
  one) living in ``household`` is added, registered in the household's community,
  filed in the group whose zone the household is in, and claims that zone
  (``claim_home=False``: only zones left without a claimant);
- ``move``: the member's household becomes ``household``; if it is in another group
  they are re-filed there (:meth:`~gridgov.model.Jurisdiction.relocate_member`: zones
  outside the new group released, posts they can no longer hold vacated, registration
  moved to the new community).

**Re-allocation.** With ``mode="derive"`` (the simulation's mode of deriving the fewest
branches and groups the policy allows, :mod:`gridgov.allocation.grids`) a branch that
ends with more than ``max_branch_members`` members is split
(:meth:`~gridgov.model.Jurisdiction.split_org`) along its groups into branches under the
cap, and a group too big to move as a whole is first split along its zones, its members
following their homes; in ``given`` mode (the sources' own structure) the territory
stays as it is and over-full branches are left to the rules (GG202). Then the
organizations the churn touched get what they lack, with the fewest changes: a
secretary (a full member), committee members where the branch reaches
``committee_threshold``, a group leader filed in the group, a claimant for each zone
(newcomers living in it first, then the nearest members of its group with room under
``max_zones_per_member``) and, under the first-secretary practice, a new grid branch
gets the first secretary and grid leaders of the branch it was split from. Other posts
a leaver or a mover held (a street or community secretary, a first secretary, a grid
leader) are appointments, not something to draw: they are left vacant, and each
vacancy is listed in the report's notes (the rules report them too, e.g. GG206, GG301).

Examples
--------
>>> import gridgov
>>> j = gridgov.load("examples/junhe.json")
>>> before = j.version
>>> out = gridgov.churn(j, [{"kind": "leave", "person": "P12"}])
>>> out.report.left, "P12" in j.people, j.version > before
(1, False, True)
>>> after = j.version
>>> gridgov.churn(j, [{"kind": "move", "person": "P10", "household": "H40"},
...                   {"kind": "leave", "person": "P12"}])
Traceback (most recent call last):
...
gridgov.errors.UnknownReferenceError: moves[1].person: unknown person 'P12'
>>> j.version == after, j.filed_in("P10")  # refused: nothing changed
(True, 'G1')
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from gridgov.errors import (
    DuplicateIdError,
    InvalidValueError,
    StateError,
    UnknownReferenceError,
)
from gridgov.limits import check_flag, check_id_text, check_length, check_text
from gridgov.model.enums import Category, OrgKind, Role
from gridgov.model.events import Event, PostAssigned, PostVacated
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.values import to_date

__all__ = ["KINDS", "MODES", "ChurnOutcome", "ChurnStats", "Move", "churn"]

KINDS = ("leave", "join", "move")
"""The kinds of :class:`Move`."""

MODES = ("given", "derive")
"""Re-allocation modes of :func:`churn`: keep the territory, or split over-full branches."""

_MOVE_FIELDS = ("kind", "person", "household", "name", "status", "categories")


def _kind(value: object) -> str:
    if value not in KINDS:
        raise InvalidValueError("kind", value, f"must be one of {', '.join(KINDS)}")
    return str(value)


def _person_id(value: object) -> str | None:
    return None if value is None else check_id_text("person", value)


def _household_id(value: object) -> str | None:
    return None if value is None else check_id_text("household", value)


def _status(value: object) -> str:
    if value not in ("full", "probationary"):
        raise InvalidValueError("status", value, "must be 'full' or 'probationary'")
    return str(value)


def _categories(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | frozenset | set):
        raise InvalidValueError("categories", value, "must be a list of categories")
    check_length("categories", len(value))
    allowed = {c.value for c in Category}
    out = []
    for c in value:
        if not isinstance(c, str) or c not in allowed:
            raise InvalidValueError("categories", c, f"must be one of {', '.join(sorted(allowed))}")
        out.append(str(c))
    return tuple(sorted(set(out)))


def _name(value: object) -> str | None:
    if value is None:
        return None
    name = check_text("name", value)
    if not name.strip():
        raise InvalidValueError("name", value, "must not be empty (None: the id is the name)")
    return name


@frozen
class Move:
    """One member's move: they leave, join, or move house.

    Parameters
    ----------
    kind : {"leave", "join", "move"}
        What happens.
    person : str, optional
        The member (``leave`` and ``move``: required; ``join``: the new member's id, or
        ``None`` to have the jurisdiction's id factory make one).
    household : str, optional
        Where they live now (``join`` and ``move``: required, a household in a zone).
    name : str, optional
        The newcomer's name (``join``; default: their id).
    status : {"full", "probationary"}
        The newcomer's membership status (``join``).
    categories : list of str
        The newcomer's categories (``join``).

    Examples
    --------
    >>> Move("move", "P1", household="H7")
    Move(kind='move', person='P1', household='H7', name=None, status='full', categories=())
    >>> Move("arrive", "P1")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: kind: must be one of leave, join, move (got 'arrive')
    """

    kind: str = field(converter=_kind)
    person: str | None = field(default=None, converter=_person_id)
    household: str | None = field(default=None, converter=_household_id)
    name: str | None = field(default=None, converter=_name)
    status: str = field(default="full", converter=_status)
    categories: tuple[str, ...] = field(default=(), converter=_categories)


@frozen
class ChurnStats:
    """What :func:`churn` did.

    Attributes
    ----------
    left, joined, moved : int
        Members who left, joined, moved house.
    transfers : int
        Members re-filed into another group (movers and members following a split group).
    branches_formed, groups_formed : int
        Organizations founded by splitting over-full ones (``derive`` mode).
    posts_filled, claims_made : int
        Posts appointed and zones claimed by the repair.
    joint_branches : int
        Grid branches left with fewer than ``min_branch_full_members`` full members,
        made joint branches (as the simulation's re-allocation does).
    over_cap : int
        Branches over ``max_branch_members`` afterwards.
    notes : tuple of str
        What could not be repaired.

    Examples
    --------
    >>> ChurnStats(1, 2, 0, 0, 0, 0, 1, 2, 0).moves
    3
    """

    left: int
    joined: int
    moved: int
    transfers: int
    branches_formed: int
    groups_formed: int
    posts_filled: int
    claims_made: int
    over_cap: int
    joint_branches: int = 0
    notes: tuple[str, ...] = ()

    @property
    def moves(self) -> int:
        """Members who left, joined or moved house."""
        return self.left + self.joined + self.moved


@frozen(eq=False)
class ChurnOutcome:
    """The result of :func:`churn`: the moves, the events applied and what they did.

    Attributes
    ----------
    moves : tuple of Move
        The moves applied (given or drawn), newcomers with the ids they were given, in
        the order they were applied: leaves, house moves, then joins.
    events : tuple of Event
        The events applied to the jurisdiction, in order (what a host appends to its log).
    report : ChurnStats

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.load("examples/junhe.json")
    >>> out = gridgov.churn(j, rate=0.05, seed=1)
    >>> out.report.moves == len(out.moves), len(out.events) > 0
    (True, True)
    """

    moves: tuple[Move, ...]
    events: tuple[Event, ...] = field(repr=False)
    report: ChurnStats


# -- reading the moves -------------------------------------------------------------------------


def _rows(moves: object) -> list[tuple[int, object]]:
    if hasattr(moves, "to_dict") and hasattr(moves, "columns"):  # a pandas DataFrame
        unknown = [c for c in moves.columns if c not in _MOVE_FIELDS]
        if unknown:
            raise InvalidValueError(
                "moves", unknown[0], f"unknown column; columns are {', '.join(_MOVE_FIELDS)}"
            )
        records = moves.to_dict("records")
        return list(enumerate(records))
    if isinstance(moves, str | bytes | Mapping) or not isinstance(moves, Iterable):
        raise InvalidValueError(
            "moves", moves, "must be a list of moves (Move or mappings) or a DataFrame"
        )
    items = list(moves)
    check_length("moves", len(items))
    return list(enumerate(items))


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _move_of(i: int, row: object) -> Move:
    if isinstance(row, Move):
        return row
    if not isinstance(row, Mapping):
        raise InvalidValueError(f"moves[{i}]", row, "must be a Move or a mapping")
    unknown = [k for k in row if k not in _MOVE_FIELDS]
    if unknown:
        raise InvalidValueError(
            f"moves[{i}]", unknown[0], f"unknown field; fields are {', '.join(_MOVE_FIELDS)}"
        )
    values = {k: v for k, v in row.items() if not _is_missing(v)}
    if "kind" not in values:
        raise InvalidValueError(f"moves[{i}].kind", None, "is required")
    try:
        return Move(**values)
    except InvalidValueError as exc:
        raise InvalidValueError(f"moves[{i}].{exc.field}", exc.value, exc.reason) from None


def _check_moves(j: Jurisdiction, moves: list[Move]) -> None:
    """Refuse a move that cannot be applied, naming its row and field."""
    people = j.people
    zone_of = j.zone_of_household
    seen: dict[str, int] = {}
    new_ids: set[str] = set()
    for i, m in enumerate(moves):
        where = f"moves[{i}]"
        if m.kind in ("leave", "move"):
            if m.person is None:
                raise InvalidValueError(f"{where}.person", None, f"is required to {m.kind}")
            if m.person not in people:
                raise UnknownReferenceError(f"{where}.person", m.person, "person")
            if people[m.person].party is None:
                raise StateError(f"{where}.person", m.person, f"{m.person!r} is not a Party member")
            if m.person in seen:
                raise InvalidValueError(
                    f"{where}.person", m.person, f"moves twice (also moves[{seen[m.person]}])"
                )
            seen[m.person] = i
        else:
            if m.person is not None and (j.is_taken(m.person) or m.person in new_ids):
                raise DuplicateIdError(f"{where}.person", m.person, "another record")
            if m.person is not None:
                new_ids.add(m.person)
        if m.kind in ("join", "move"):
            if m.household is None:
                raise InvalidValueError(f"{where}.household", None, f"is required to {m.kind}")
            if m.household not in j.households:
                raise UnknownReferenceError(f"{where}.household", m.household, "household")
            if m.household not in zone_of:
                raise StateError(
                    f"{where}.household",
                    m.household,
                    f"household {m.household!r} is in no zone: nothing to file the member in",
                )
        elif m.household is not None:
            raise InvalidValueError(
                f"{where}.household", m.household, "a member who leaves has no household"
            )


# -- drawing moves -----------------------------------------------------------------------------


def _rates(rate: object) -> dict[str, float]:
    def share(name: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise InvalidValueError(name, value, "must be a number in [0, 1)")
        return float(value)

    if isinstance(rate, Mapping):
        unknown = [k for k in rate if k not in KINDS]
        if unknown:
            raise InvalidValueError(
                "rate", unknown[0], f"unknown kind; kinds are {', '.join(KINDS)}"
            )
        out = {k: share(f"rate.{k}", rate.get(k, 0.0)) for k in KINDS}
    else:
        r = share("rate", rate)
        out = dict.fromkeys(KINDS, r)
    if out["leave"] + out["move"] >= 1:
        raise InvalidValueError("rate", rate, "leave + move must be below 1")
    return out


def _draw(j: Jurisdiction, rates: dict[str, float], rng: random.Random) -> list[Move]:
    """Moves drawn at random: a share of the filed members leaves, a share moves house
    (70% within their community), newcomers arrive (a share of the filings). Members
    with a role on a cooperative neither leave nor move."""
    coop_people = {p for c in j.cooperatives.values() for p in (c.head, c.branch_secretary)}
    filed = [p for p in j.filings if p not in coop_people and j.people[p].party is not None]
    n = len(filed)
    homes = [h for h in j.households if h in j.zone_of_household]
    if not homes and (rates["join"] or rates["move"]):
        raise StateError("j", "no household", "no household is in a zone: nobody can join or move")
    n_leave, n_move = round(rates["leave"] * n), round(rates["move"] * n)
    n_join = round(rates["join"] * len(j.filings))
    shuffled = rng.sample(filed, n_leave + n_move)
    by_community: dict[str | None, list[str]] = {}
    for h in homes:
        by_community.setdefault(_community_of_zone(j, j.zone_of_household[h]), []).append(h)
    moves = [Move("leave", p) for p in sorted(shuffled[:n_leave])]
    for p in sorted(shuffled[n_leave:]):
        home = j.people[p].household
        zone = None if home is None else j.zone_of_household.get(home)
        local = by_community.get(_community_of_zone(j, zone)) if zone else None
        pool = local if local and rng.random() < 0.7 else homes
        moves.append(Move("move", p, household=rng.choice(pool)))
    for _ in range(n_join):
        status = "full" if rng.random() < 0.93 else "probationary"
        moves.append(Move("join", None, household=rng.choice(homes), status=status))
    return moves


def _community_of_zone(j: Jurisdiction, zone: str | None) -> str | None:
    if zone is None:
        return None
    return j.graph.ancestor_at(zone, j.scheme.registration_level)


# -- applying ----------------------------------------------------------------------------------


class _Run:
    """The state of one churn: the jurisdiction, what it touched, what it did."""

    def __init__(self, j: Jurisdiction, date: dt.date | None, claim_home: bool) -> None:
        self.j = j
        self.date = date
        self.claim_home = claim_home
        s = j.scheme
        self.filing_level = s.filing_level
        self.branch_level = s.branch_level
        self.zone_level = s.zone_level
        self.touched: set[str] = set()
        self.newcomers: set[str] = set()
        self.formed_from: dict[str, str] = {}  # new branch -> the branch it was split from
        self.transfers = 0
        self.branches_formed = 0
        self.groups_formed = 0
        self.posts_filled = 0
        self.claims_made = 0
        self.joint_formed = 0
        self.notes: list[str] = []

    def at_level(self, org: str | None, level: str | None) -> str | None:
        if org is None or level is None:
            return None
        return self.j.graph.ancestor_at(org, level)

    def group_of_household(self, household: str) -> str:
        zone = self.j.zone_of_household[household]
        group = self.at_level(zone, self.filing_level)
        if group is None:  # pragma: no cover - a zone is at or below the filing level
            raise StateError("household", household, "its zone is in no group")
        return group

    def touch(self, org: str | None) -> None:
        if org is not None and org in self.j.graph:
            self.touched.update(self.j.graph.chain(org))

    # -- the moves --

    def leave(self, person: str) -> None:
        j, day = self.j, self.date
        self.touch(j.filed_in(person))
        for post in j.posts_held(person):
            self.touch(post.org)
        for zone in j.zones_claimed_by(person):
            self.touch(zone)
            j.release_zone(person, zone)
        for post in j.posts_held(person):
            j.vacate(post.org, post.role, person, until=day)
        for org in j.attachments_of(person):
            j.detach_member(person, org, date=day)
        for coop in list(j.cooperatives.values()):
            roles = {r: None for r in ("head", "branch_secretary") if getattr(coop, r) == person}
            if roles:
                j.amend_cooperative(coop.id, **roles)
                self.notes.append(
                    f"{person!r} left: cooperative {coop.id!r} has no {' or '.join(roles)} now"
                )
        if j.filed_in(person) is not None:
            j.unfile_member(person, date=day)
        if person in j.registrations:
            j.deregister(person, date=day)
        if person in j.work_registrations:
            j.deregister(person, kind="work_unit", date=day)
        j.remove_person(person)

    def join(self, m: Move) -> str:
        j = self.j
        assert m.household is not None
        group = self.group_of_household(m.household)
        person = m.person if m.person is not None else j._new_id("person", None, None)
        j.add_person(
            person,
            m.name or person,
            status=m.status,
            categories=m.categories,
            household=m.household,
        )
        community = self.at_level(group, j.scheme.registration_level)
        if community is not None:
            j.register(person, community, date=self.date)
        j.file_member(person, group, date=self.date)
        self.newcomers.add(person)
        zone = j.zone_of_household[m.household]
        self.touch(zone)
        if self.claim_home and zone != group:
            j.claim_zone(person, zone, date=self.date)
            self.claims_made += 1
        return person

    def move(self, person: str, household: str) -> None:
        j = self.j
        self.touch(j.filed_in(person))
        for post in j.posts_held(person):
            self.touch(post.org)
        for zone in j.zones_claimed_by(person):
            self.touch(zone)
        j.amend_person(person, household=household)
        group = self.group_of_household(household)
        self.touch(j.zone_of_household[household])
        if j.filed_in(person) != group:
            j.relocate_member(person, group, date=self.date)
            self.transfers += 1

    # -- derive mode: split over-full branches --

    def split_overfull(self) -> None:
        j, cap = self.j, self.j.policy.max_branch_members
        if self.branch_level is None:
            return
        queue = [b for b in j.graph.at_level(self.branch_level) if b in self.touched]
        guard = 0
        while queue:
            guard += 1
            if guard > 100_000:  # pragma: no cover - each split makes the branches smaller
                raise StateError("mode", "derive", "splitting over-full branches did not end")
            branch = queue.pop()
            size = j.graph.member_count(branch)
            if size <= cap:
                continue
            groups = j.graph.children(branch)
            if len(groups) < 2:
                if not groups or not self.split_group(groups[0]):
                    self.notes.append(
                        f"branch {branch!r} has {size} members in one group and zone: not split"
                    )
                    continue
                groups = j.graph.children(branch)
            counts = [j.graph.member_count(g) for g in groups]
            total = sum(counts)
            best, best_gap, run = 1, total, 0
            for k in range(1, len(groups)):
                run += counts[k - 1]
                gap = abs(total - 2 * run)
                if gap < best_gap:
                    best, best_gap = k, gap
            if counts and max(counts[:best] + counts[best:]) > cap and len(groups) == 2:
                # one group is over the cap on its own: split it first
                big = groups[0] if counts[0] >= counts[1] else groups[1]
                if not self.split_group(big):
                    self.notes.append(
                        f"group {big!r} has more than {cap} members in one zone: not split"
                    )
                    continue
                queue.append(branch)
                continue
            name = j.graph.org(branch).name
            change = j.split_org(branch, groups[best:], name=f"{name} (2)", date=self.date)
            new = change.events[0].org.id  # type: ignore[attr-defined]
            self.formed_from[new] = self.formed_from.get(branch, branch)
            self.branches_formed += 1
            self.touch(new)
            self.touched.update(j.graph.subtree(new))
            queue.extend([branch, new])

    def split_group(self, group: str) -> bool:
        """Split `group` along its zones (halves by members living there); the members
        follow their homes. False if it has fewer than two zones with members."""
        j = self.j
        if self.zone_level == self.filing_level:
            return False
        zones = j.graph.children(group)
        residents = j._state.residents
        living: dict[str, list[str]] = {}
        for z in zones:
            living[z] = [
                p
                for h in j.households_in(z)
                for p in residents.get(h, ())
                if j.filed_in(p) == group
            ]
        counts = [len(living[z]) for z in zones]
        total = sum(counts)
        if len([c for c in counts if c]) < 2:
            return False
        best, best_gap, run = 1, total, 0
        for k in range(1, len(zones)):
            run += counts[k - 1]
            gap = abs(total - 2 * run)
            if gap < best_gap:
                best, best_gap = k, gap
        moving = zones[best:]
        name = j.graph.org(group).name
        change = j.split_org(group, moving, name=f"{name} (2)", date=self.date)
        new = change.events[0].org.id  # type: ignore[attr-defined]
        self.groups_formed += 1
        for z in moving:
            for p in living[z]:
                j.relocate_member(p, new, date=self.date)
                self.transfers += 1
        self.touch(new)
        self.touched.update(j.graph.subtree(new))
        self.touch(group)
        return True

    # -- repair --

    def repair(self) -> None:
        j = self.j
        graph, policy = j.graph, j.policy
        practice = bool(policy.get("first_secretary_practice"))
        touched = [o for o in self.touched if o in graph]
        level_of = {o: graph.level(o) for o in touched}
        for org in touched:
            level = level_of[org]
            kind = graph.org(org).kind
            if kind is not None and kind.is_team:
                continue
            if level == self.branch_level:
                self.repair_branch(org, practice)
            elif level == self.filing_level:
                self.repair_group(org)
        for org in touched:
            if level_of[org] == self.zone_level and self.zone_level != self.filing_level:
                self.repair_zone(org)

    def note_vacancies(self, events: Sequence[Event]) -> None:
        """A note for each post the churn vacated and did not fill again (repair fills
        only branches' and groups' own posts; the rest are appointments)."""
        j = self.j
        filled = Counter((e.post.org, e.post.role) for e in events if isinstance(e, PostAssigned))
        for e in events:
            if not isinstance(e, PostVacated) or e.role is Role.COMMITTEE_MEMBER:
                continue
            key = (e.org, e.role)
            if filled[key]:
                filled[key] -= 1  # this vacancy was filled again
            elif e.org in j.graph:
                self.notes.append(
                    f"{e.org!r} has one {e.role.value} fewer ({e.holder!r} left the post): "
                    "to be appointed"
                )

    def _pick(self, candidates: Iterable[str], *, exclude: set[str]) -> str | None:
        """The candidate holding the fewest posts (then the first), or None."""
        best, best_n = None, 0
        for p in candidates:
            if p in exclude:
                continue
            n = len(self.j._state.posts_by_holder.get(p, ()))
            if best is None or n < best_n:
                best, best_n = p, n
                if n == 0:
                    break
        return best

    def appoint(self, org: str, role: Role, person: str, **kw: Any) -> None:
        self.j.appoint(org, role, person, since=self.date, **kw)
        self.posts_filled += 1

    def repair_branch(self, branch: str, practice: bool) -> None:
        j, policy = self.j, self.j.policy
        people = j.people
        filed = j.graph.members(branch)
        full = [p for p in filed if people[p].is_full_member]
        kind = j.graph.org(branch).kind
        if len(full) < policy.min_branch_full_members and kind in (None, OrgKind.GRID):
            # too few full members for a branch of its own (GG201): a joint branch
            j.amend_org(branch, kind=OrgKind.JOINT)
            self.joint_formed += 1
            self.notes.append(
                f"branch {branch!r} has {len(full)} full members: it becomes a joint branch"
            )
        posts = j.posts_in(branch)
        holders = {p.holder for p in posts if p.role.elected}
        secretaries = [p for p in posts if p.role is Role.SECRETARY]
        if not secretaries:
            who = self._pick(full, exclude=holders)
            if who is None:
                self.notes.append(f"branch {branch!r} has no full member to be its secretary")
            else:
                self.appoint(branch, Role.SECRETARY, who)
                holders.add(who)
        if len(full) >= policy.committee_threshold:
            while len(holders) < policy.committee_min_size:
                who = self._pick(full, exclude=holders)
                if who is None:
                    break
                self.appoint(branch, Role.COMMITTEE_MEMBER, who)
                holders.add(who)
        kind = j.graph.org(branch).kind
        source = self.formed_from.get(branch)
        if practice and kind in (None, OrgKind.GRID) and source is not None:
            have = {p.role for p in j.posts_in(branch)}
            for post in j.posts_in(source):
                if post.role in (Role.FIRST_SECRETARY, Role.GRID_LEADER) and post.role not in have:
                    self.appoint(
                        branch,
                        post.role,
                        post.holder,
                        appointed_by=post.appointed_by,
                        duty=post.duty,
                    )

    def repair_group(self, group: str) -> None:
        j = self.j
        leaders = j.posts_in(group, Role.GROUP_LEADER)
        direct = j.graph.direct_members(group)
        valid = [p for p in leaders if p.holder in direct]
        if valid:
            return
        for post in leaders:  # a leader filed elsewhere now
            j.vacate(group, Role.GROUP_LEADER, post.holder, until=self.date)
        full = [p for p in direct if j.people[p].is_full_member]
        who = self._pick(full or direct, exclude=set())
        if who is not None:
            self.appoint(group, Role.GROUP_LEADER, who)
        else:
            self.notes.append(f"group {group!r} has no member to be its leader")

    def repair_zone(self, zone: str) -> None:
        j = self.j
        group = self.at_level(zone, self.filing_level)
        if group is None:
            return
        claimants = j.claimants(zone)
        for p in claimants:
            if j.filed_in(p) != group:
                j.release_zone(p, zone)
        if any(j.filed_in(p) == group for p in j.claimants(zone)):
            return
        limit = max(j.policy.max_zones_per_member, 1)
        direct = j.graph.direct_members(group)
        claims = j._state.claims_by_person
        room = [p for p in direct if len(claims.get(p, ())) < limit]
        homes = set(j.households_in(zone))
        living_new = [p for p in room if p in self.newcomers and j.people[p].household in homes]
        living = [p for p in room if j.people[p].household in homes]
        chosen = living_new or living or [p for p in room if p in self.newcomers] or room
        if not chosen:
            self.notes.append(f"zone {zone!r}: no member of {group!r} has room to claim it")
            return
        who = chosen[0] if (living_new or living) else self._nearest(zone, chosen)
        j.claim_zone(who, zone, date=self.date)
        self.claims_made += 1

    def _nearest(self, zone: str, candidates: Sequence[str]) -> str:
        j = self.j
        pts = [loc for h in j.households_in(zone) if (loc := j.households[h].location) is not None]
        if not pts:
            return candidates[0]
        cx = sum(p[0] for p in pts) / len(pts)
        cy = sum(p[1] for p in pts) / len(pts)

        def distance(person: str) -> float:
            h = j.people[person].household
            loc = None if h is None else j.households[h].location
            return math.inf if loc is None else (loc[0] - cx) ** 2 + (loc[1] - cy) ** 2

        return min(candidates, key=distance)


def _not_a_jurisdiction(value: object) -> str:
    if type(value).__name__ == "SimulationResult":
        return (
            "must be a Jurisdiction (a simulation: pass result.jurisdiction, or use result.churn())"
        )
    return "must be a Jurisdiction"


def churn(
    j: Jurisdiction,
    moves: Iterable[Move | Mapping[str, Any]] | Any = None,
    *,
    rate: float | Mapping[str, float] | None = None,
    seed: int = 0,
    mode: str = "given",
    date: dt.date | str | None = None,
    claim_home: bool = True,
) -> ChurnOutcome:
    """Apply members' moves to `j` and re-allocate, all or none.

    Give the moves as data (`moves`) or have them drawn (`rate`, `seed`); see
    :mod:`gridgov.moves` for what each move and the re-allocation do.

    Parameters
    ----------
    j : Jurisdiction
        Changed in place (through events, in one atomic batch).
    moves : list of Move or of mappings, or a pandas DataFrame, optional
        Each with ``kind`` and the fields of :class:`Move`.
    rate : float or mapping, optional
        Draw the moves instead: the share of the filed members who leave, move house and
        the number of newcomers (as a share of them); one number for all three, or a
        mapping such as ``{"join": 0.3}`` (kinds left out: 0).
    seed : int
        Random seed of the drawn moves (the same seed, the same moves).
    mode : {"given", "derive"}
        Keep the territory (``given``), or split branches that end over
        ``max_branch_members`` (``derive``).
    date : datetime.date or str, optional
        The day of the moves (filings, registrations, posts and claims).
    claim_home : bool
        Newcomers claim the zone they live in (with its other claimants), as members
        take responsibility for the households nearest them.

    Returns
    -------
    ChurnOutcome
        The moves, the events applied and a :class:`ChurnStats`.

    Raises
    ------
    InvalidValueError
        For a bad argument or a malformed move (``moves[3].kind: ...``), or both or
        neither of `moves` and `rate`.
    UnknownReferenceError, DuplicateIdError, StateError
        For a move naming an unknown person or household, an id already used, a
        household in no zone; nothing is changed.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.load("examples/junhe.json")
    >>> out = gridgov.churn(j, [
    ...     {"kind": "join", "person": "P900", "name": "王五", "household": "H1"},
    ...     {"kind": "move", "person": "P9", "household": "H1"},
    ... ], date="2024-06-01")
    >>> out.report.joined, out.report.moved, j.filed_in("P900") == j.filed_in("P9")
    (1, 1, True)
    >>> gridgov.churn(j, [{"kind": "join", "household": "H404"}])
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: moves[0].household: unknown household 'H404'
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, _not_a_jurisdiction(j))
    if mode not in MODES:
        raise InvalidValueError("mode", mode, f"must be one of {', '.join(MODES)}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise InvalidValueError("seed", seed, "must be an integer from 0 to 2**63 - 1")
    day = None if date is None else to_date(date, "date")
    rates = None if rate is None else _rates(rate)
    if moves is None and rates is None:
        raise InvalidValueError("moves", None, "give the moves, or a rate to draw them")
    if moves is not None and rates is not None:
        raise InvalidValueError("rate", rate, "give either moves or a rate, not both")
    if rates is not None:
        planned = _draw(j, rates, random.Random(seed))
    else:
        planned = [_move_of(i, row) for i, row in _rows(moves)]
    _check_moves(j, planned)

    check_flag("claim_home", claim_home)
    run = _Run(j, day, claim_home)
    start = len(j.log)
    applied: list[Move] = []
    with j.atomic():
        for m in planned:
            if m.kind == "leave":
                assert m.person is not None
                run.leave(m.person)
                applied.append(m)
        for m in planned:
            if m.kind == "move":
                assert m.person is not None
                assert m.household is not None
                run.move(m.person, m.household)
                applied.append(m)
        for m in planned:
            if m.kind == "join":
                person = run.join(m)
                applied.append(Move("join", person, m.household, m.name, m.status, m.categories))
        if mode == "derive":
            run.split_overfull()
        run.repair()
        run.note_vacancies(list(j.log[start:]))
    events = tuple(j.log[start:])
    cap = j.policy.max_branch_members
    over = 0
    if run.branch_level is not None:
        over = sum(1 for b in j.graph.at_level(run.branch_level) if j.graph.member_count(b) > cap)
    counts = {k: sum(1 for m in applied if m.kind == k) for k in KINDS}
    stats = ChurnStats(
        left=counts["leave"],
        joined=counts["join"],
        moved=counts["move"],
        transfers=run.transfers,
        branches_formed=run.branches_formed,
        groups_formed=run.groups_formed,
        posts_filled=run.posts_filled,
        claims_made=run.claims_made,
        over_cap=over,
        joint_branches=run.joint_formed,
        notes=tuple(run.notes),
    )
    return ChurnOutcome(tuple(applied), events, stats)
