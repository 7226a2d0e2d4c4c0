"""Breaking mutations: how to turn a clean jurisdiction into one that breaks one rule.

A rule that declares a *breaking mutation* can be tested by anyone: gridgov's testing kit
(:func:`gridgov.testing.strategies.jurisdictions` with ``breaking="GG301"``) builds a
jurisdiction with no error-level finding, applies the mutation and checks that the rule
fires, and no other error-level rule does. A mutation is declared next to its rule
(:meth:`RuleSet.breaking <gridgov.rules.registry.RuleSet.breaking>`), and a plugin's
rules offer theirs through the ``gridgov_breaking`` hook.

A mutation is a function ``mutate(target, choose)``:

- for a ``jurisdiction`` mutation, `target` is a :class:`~gridgov.model.Jurisdiction`
  with no error-level finding, changed in place through its everyday commands
  (``found_org``, ``appoint``, ``vacate``, ...), so the result can be replayed from its
  log;
- for a ``document`` mutation (the structural rules only a document can break, such as
  an id used twice), `target` is the document of such a jurisdiction, a plain dict in
  the JSON document format, changed in place.

`choose` is a :class:`Chooser`, called with the options (``choose(branches)``) or asked
for an integer (``choose.integer(1, 5)``): every choice a mutation makes (which branch, which
member) goes through it, so a Hypothesis strategy can draw and shrink the choices, and
a plain call is reproducible (:class:`FirstChoice`, :class:`SeededChoice`). A mutation
returns ``False`` when it cannot break its rule in the jurisdiction it was given (a
scheme with no branch level, a policy under which the rule cannot fire); anything else
means it did.

This module is pure (no Hypothesis, no I/O): it also holds the helpers mutations and
the testing kit build with, :func:`minimal_jurisdiction` and :func:`add_unit`.

Examples
--------
>>> from gridgov.rules import validate
>>> j = minimal_jurisdiction()
>>> [d.code for d in validate(j)]
[]
>>> _ = j.vacate("G1", "group_leader", j.posts_in("G1")[0].holder)
>>> [d.code for d in validate(j)]
['GG307']
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from attrs import field, frozen

from gridgov.errors import InvalidValueError
from gridgov.model.enums import Category, OrgKind, Role
from gridgov.model.policy import Policy
from gridgov.model.scheme import FIVE_LEVEL, Scheme

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

__all__ = [
    "Breaking",
    "Chooser",
    "FirstChoice",
    "Mutation",
    "SeededChoice",
    "Target",
    "add_member",
    "add_unit",
    "branch_orgs",
    "cadre",
    "day_after",
    "minimal_jurisdiction",
    "new_id",
    "org_id",
    "unit_level",
]

T = TypeVar("T")

Target = Literal["jurisdiction", "document"]
"""What a mutation changes: a jurisdiction (through its commands), or a document (a dict)."""

Mutation = Callable[[Any, "Chooser"], "bool | None"]
"""``mutate(target, choose)``: change `target` in place; ``False`` if it cannot."""


class Chooser(Protocol):
    """Makes a mutation's choices; a Hypothesis strategy draws them (and shrinks them)."""

    def __call__(self, options: Sequence[T]) -> T:
        """Return one of `options` (a non-empty sequence); the first is the simplest."""

    def integer(self, low: int, high: int) -> int:
        """Return an integer from `low` to `high` inclusive; `low` is the simplest."""


class FirstChoice:
    """The simplest choice every time: the first option, the lowest integer.

    Examples
    --------
    >>> c = FirstChoice()
    >>> c(["B1", "B2"]), c.integer(2, 9)
    ('B1', 2)
    """

    def __call__(self, options: Sequence[T]) -> T:
        """Return the first of `options`."""
        items: Sequence[T] = _options(options)
        return items[0]

    def integer(self, low: int, high: int) -> int:
        """Return `low`."""
        _bounds(low, high)
        return low

    def __repr__(self) -> str:
        return "FirstChoice()"


class SeededChoice:
    """Random choices from a seed: the same seed makes the same choices.

    Examples
    --------
    >>> a, b = SeededChoice(7), SeededChoice(7)
    >>> [a.integer(0, 100) for _ in range(3)] == [b.integer(0, 100) for _ in range(3)]
    True
    """

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise InvalidValueError("seed", seed, "must be an integer")
        self.seed = seed
        self._random = random.Random(seed)

    def __call__(self, options: Sequence[T]) -> T:
        """Return one of `options`, at random."""
        items: Sequence[T] = _options(options)
        return items[self._random.randrange(len(items))]

    def integer(self, low: int, high: int) -> int:
        """Return an integer from `low` to `high`, at random."""
        _bounds(low, high)
        return self._random.randint(low, high)

    def __repr__(self) -> str:
        return f"SeededChoice({self.seed})"


def _options(options: object) -> Sequence[Any]:
    if isinstance(options, str | bytes) or not isinstance(options, Sequence) or not options:
        raise InvalidValueError("options", options, "must be a non-empty sequence")
    return options


def _bounds(low: object, high: object) -> None:
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(name, value, "must be an integer")
    if low > high:  # type: ignore[operator]
        raise InvalidValueError("high", high, f"must be at least low ({low})")


def _check_code(instance: Any, attribute: Any, value: Any) -> None:
    from gridgov.rules.registry import _CODE

    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidValueError("breaking.code", value, "expected 1-4 capital letters and 3 digits")


def _check_mutate(instance: Any, attribute: Any, value: Any) -> None:
    if not callable(value):
        raise InvalidValueError("breaking.mutate", value, "expected a callable")


def _check_target(instance: Any, attribute: Any, value: Any) -> None:
    if value not in ("jurisdiction", "document"):
        raise InvalidValueError("breaking.target", value, "expected 'jurisdiction' or 'document'")


def _check_needs(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(n, str) and n in NEEDS for n in value):
        raise InvalidValueError("breaking.needs", value, f"expected a tuple of {sorted(NEEDS)}")


def _to_tuple(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


NEEDS = frozenset({"branch", "community", "practice", "zones"})
"""What a mutation may need of the scheme and policy: a branch level, a community level,
the first-secretary practice, a zone level below the filing level."""


@frozen
class Breaking:
    """How to break one rule: its code, the mutation, and what the mutation changes.

    Parameters
    ----------
    code : str
        The rule's code.
    mutate : callable
        ``mutate(target, choose)``, see the module's description.
    target : {"jurisdiction", "document"}
        What `mutate` changes.
    needs : tuple of str
        What the mutation needs of the scheme and policy (``branch``: a branch level;
        ``community``: a community level below the top; ``practice``: the first-secretary practice in
        force; ``zones``: a zone level below the filing level). A strategy asked to break
        the rule under a scheme or policy without them refuses at once.
    summary : str
        One line: what the mutation does (default: the first line of its docstring).

    Examples
    --------
    >>> def no_leader(j, choose):
    ...     '''Vacates a group leader.'''
    ...     post = choose([p for p in j.posts.values() if p.role == "group_leader"])
    ...     j.vacate(post.org, post.role, post.holder)
    >>> b = Breaking("GG307", no_leader)
    >>> b.summary, b.target
    ('Vacates a group leader.', 'jurisdiction')
    >>> j = minimal_jurisdiction()
    >>> b.apply(j, FirstChoice())
    True
    """

    code: str = field(validator=_check_code)
    mutate: Mutation = field(validator=_check_mutate)
    target: Target = field(default="jurisdiction", validator=_check_target)
    needs: tuple[str, ...] = field(default=(), converter=_to_tuple, validator=_check_needs)
    summary: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.summary, str):
            raise InvalidValueError("breaking.summary", self.summary, "expected a string")
        if not self.summary:
            doc = (getattr(self.mutate, "__doc__", None) or "").strip()
            object.__setattr__(self, "summary", doc.splitlines()[0] if doc else "")

    def applies(self, scheme: Scheme, policy: Policy) -> bool:
        """Whether the mutation can work under `scheme` and `policy` (see `needs`).

        Examples
        --------
        >>> from gridgov.model import THREE_LEVEL
        >>> b = Breaking("GG301", print, needs=("branch", "practice"))
        >>> b.applies(FIVE_LEVEL, Policy()), b.applies(THREE_LEVEL, Policy())
        (True, False)
        """
        if not isinstance(scheme, Scheme):
            raise InvalidValueError("scheme", scheme, "must be a Scheme")
        if not isinstance(policy, Policy):
            raise InvalidValueError("policy", policy, "must be a Policy")
        for need in self.needs:
            if need == "branch" and not _has_branch_units(scheme):
                return False
            if need == "community" and _community_depth(scheme) < 1:
                return False
            if need == "practice" and not policy.first_secretary_practice:
                return False
            if need == "zones" and scheme.depth(scheme.zone_level) <= scheme.depth(
                scheme.filing_level
            ):
                return False
        return True

    def apply(self, target: Any, choose: Chooser) -> bool:
        """Run the mutation on `target`; return whether it broke the rule (it could).

        Examples
        --------
        >>> Breaking("XX001", lambda j, c: False).apply(minimal_jurisdiction(), FirstChoice())
        False
        """
        return self.mutate(target, choose) is not False


def _community_depth(scheme: Scheme) -> int:
    return scheme.depth("community") if "community" in scheme.levels else -1


def _has_branch_units(scheme: Scheme) -> bool:
    try:
        return unit_level(scheme) == scheme.branch_level
    except InvalidValueError:
        return False


# -- building clean jurisdictions -------------------------------------------------------------


def unit_level(scheme: Scheme) -> str:
    """The level of a *unit*: the branch level, else the filing level (never the top).

    A unit is the subtree :func:`add_unit` grows: an organization at this level and one
    organization at each level below it, down to the zones.

    Raises
    ------
    InvalidValueError
        If the scheme files members at its top level (a jurisdiction of such a scheme has
        no room for more than one unit).

    Examples
    --------
    >>> from gridgov.model import THREE_LEVEL
    >>> unit_level(FIVE_LEVEL), unit_level(THREE_LEVEL)
    ('branch', 'grid')
    """
    if not isinstance(scheme, Scheme):
        raise InvalidValueError("scheme", scheme, "must be a Scheme")
    level = scheme.branch_level
    if (
        level is None
        or scheme.depth(level) == 0
        or scheme.depth(level) > scheme.depth(scheme.filing_level)
    ):
        level = scheme.filing_level
    if scheme.depth(level) == 0:
        raise InvalidValueError(
            "scheme.filing_level", scheme.filing_level, "must be below the top level"
        )
    return level


CADRE = "P0"
"""The id of the street cadre :func:`minimal_jurisdiction` adds: the secretary of the
organizations above the units, and the first secretary of every grid branch."""


def cadre(j: Jurisdiction) -> str:
    """The street cadre who leads the jurisdiction: the root's secretary.

    Examples
    --------
    >>> cadre(minimal_jurisdiction())
    'P0'
    """
    roots = j.graph.roots()
    if roots:
        for post in j.posts_in(roots[0]):
            if post.role == Role.SECRETARY:
                return post.holder
    for pid, person in j.people.items():
        if person.party is not None and Category.STREET_CADRE in person.party.categories:
            return pid
    raise InvalidValueError("jurisdiction", j, "has no street cadre to lead it")


def branch_orgs(j: Jurisdiction, *, grid: bool = False) -> list[str]:
    """The organizations at the branch level (grid branches only, if `grid`).

    Examples
    --------
    >>> branch_orgs(minimal_jurisdiction(), grid=True)
    ['B1']
    """
    level = j.scheme.branch_level
    if level is None:
        return []
    out = []
    for org in j.graph.at_level(level):
        kind = j.graph.org(org).kind
        if kind is not None and kind.is_team:
            continue
        if grid and kind not in (None, OrgKind.GRID):
            continue
        out.append(org)
    return out


_PREFIX = {
    "street": "S",
    "community": "C",
    "village": "V",
    "branch": "B",
    "group": "G",
    "zone": "Z",
    "grid": "GR",
    "member_household": "M",
}


def new_id(j: Jurisdiction, prefix: str) -> str:
    """The first id `prefix` + number no record of `j` uses.

    Examples
    --------
    >>> new_id(minimal_jurisdiction(), "P")
    'P4'
    """
    n = 1
    taken = j.organizations, j.people, j.households, j.cooperatives
    while any(f"{prefix}{n}" in t for t in taken):
        n += 1
    return f"{prefix}{n}"


def org_id(j: Jurisdiction, level: str) -> str:
    """A new organization id for `level` (``B2`` for a branch).

    Examples
    --------
    >>> org_id(minimal_jurisdiction(), "branch")
    'B2'
    """
    return new_id(j, _PREFIX.get(level, "O"))


def add_member(j: Jurisdiction, group: str, *, status: str = "full") -> str:
    """Add a new Party member (`status`) filed in `group`; return their id.

    Examples
    --------
    >>> j = minimal_jurisdiction()
    >>> add_member(j, "G1"), j.filed_in("P4")
    ('P4', 'G1')
    """
    pid = new_id(j, "P")
    j.add_person(pid, f"member {pid}", status=status)
    j.file_member(pid, group)
    return pid


def add_unit(
    j: Jurisdiction,
    parent: str | None = None,
    *,
    full: int | None = None,
    probationary: int = 0,
    kind: OrgKind | str | None = None,
    committee: bool | None = None,
) -> str:
    """Grow a clean unit under `parent`: a branch (or grid) down to a zone, with its people.

    The unit is an organization at :func:`unit_level` and one organization at each level
    below it down to the zone level; `full` full and `probationary` probationary new
    members are filed in its filing-level organization. Its first full member is the
    secretary of every organization of the unit above the filing level, the group
    leader and the claimant of every zone. A grid branch under the first-secretary
    practice gets the street cadre (:func:`cadre`) as first secretary, appointed by the
    root, and as one of its two grid leaders; its secretary is the other. A branch at the
    committee threshold gets a committee of the minimum size (``committee=False``:
    none, ``True``: one even under the threshold).

    Parameters
    ----------
    j : Jurisdiction
        A jurisdiction with a root and a street cadre (:func:`minimal_jurisdiction`).
    parent : str, optional
        An organization one level above the unit level (default: the first one).
    full : int, optional
        Full members (default: the policy's ``min_branch_full_members``, at least 1).
    probationary : int
        Probationary members.
    kind : OrgKind or str, optional
        The unit's kind (default: none, a grid branch).
    committee : bool, optional
        Whether to elect committee members (default: at the committee threshold).

    Returns
    -------
    str
        The id of the unit's organization.

    Examples
    --------
    >>> from gridgov.rules import validate
    >>> j = minimal_jurisdiction()
    >>> add_unit(j, "C1", full=4)
    'B2'
    >>> [d.code for d in validate(j)]
    []
    """
    scheme, policy = j.scheme, j.policy
    level = unit_level(scheme)
    above = scheme.parent_level(level)
    assert above is not None
    if parent is None:
        parent = j.graph.at_level(above)[0]
    if full is None:
        full = max(1, policy.min_branch_full_members)
    if full < 1:
        raise InvalidValueError("full", full, "a unit needs at least one full member")
    leader = cadre(j)
    depth = scheme.depth(level)
    chain: list[str] = []
    top = parent
    for lvl in scheme.levels[depth : scheme.depth(scheme.zone_level) + 1]:
        oid = org_id(j, lvl)
        org_kind = kind if lvl == level else None
        j.found_org(oid, lvl, f"{lvl} {oid}", top, kind=org_kind)
        chain.append(oid)
        top = oid
    group = chain[scheme.depth(scheme.filing_level) - depth]
    members = [add_member(j, group) for _ in range(full)]
    for _ in range(probationary):
        add_member(j, group, status="probationary")
    first = members[0]
    for oid in chain:
        lvl = j.graph.level(oid)
        if scheme.is_above_filing(lvl):
            j.appoint(oid, Role.SECRETARY, first)
        if lvl == scheme.filing_level:
            j.appoint(oid, Role.GROUP_LEADER, first)
        if lvl == scheme.zone_level:
            j.claim_zone(first, oid)
    unit = chain[0]
    if level == scheme.branch_level:
        the_kind = j.graph.org(unit).kind
        if policy.first_secretary_practice and the_kind in (None, OrgKind.GRID):
            root = j.graph.roots()[0]
            j.appoint(unit, Role.FIRST_SECRETARY, leader, appointed_by=root)
            j.appoint(unit, Role.GRID_LEADER, leader)
            other = first if first != leader else members[-1]
            j.appoint(unit, Role.GRID_LEADER, other)
        if committee is None:
            committee = full >= policy.committee_threshold
        if committee:
            size = max(policy.committee_min_size, 2)
            for pid in members[1:size]:
                j.appoint(unit, Role.COMMITTEE_MEMBER, pid)
    return unit


def minimal_jurisdiction(
    scheme: Scheme | None = None, policy: Policy | None = None, *, units: int = 1
) -> Jurisdiction:
    """Return the smallest jurisdiction with no error-level finding under `scheme` and `policy`.

    A root with one organization at each level down to the unit level, led by a street
    cadre ``P0`` (the secretary of each), and `units` units of :func:`add_unit` with the
    policy's minimum of full members each.

    Parameters
    ----------
    scheme : Scheme, optional
        Default: the five-level scheme.
    policy : Policy, optional
        Default: the default policy.
    units : int
        How many units (branches) to grow.

    Examples
    --------
    >>> j = minimal_jurisdiction()
    >>> list(j.organizations), sorted(j.people)
    (['S1', 'C1', 'B1', 'G1', 'Z1'], ['P0', 'P1', 'P2', 'P3'])
    """
    from gridgov.model.jurisdiction import Jurisdiction

    scheme = FIVE_LEVEL if scheme is None else scheme
    policy = Policy() if policy is None else policy
    if not isinstance(scheme, Scheme):
        raise InvalidValueError("scheme", scheme, "must be a Scheme")
    if not isinstance(policy, Policy):
        raise InvalidValueError("policy", policy, "must be a Policy")
    if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= 1000:
        raise InvalidValueError("units", units, "must be an integer from 0 to 1000")
    level = unit_level(scheme)
    j = Jurisdiction(scheme, policy=policy)
    j.add_person(CADRE, "street cadre", status="full", categories=[Category.STREET_CADRE])
    parent: str | None = None
    for lvl in scheme.levels[: scheme.depth(level)]:
        oid = org_id(j, lvl)
        j.found_org(oid, lvl, f"{lvl} {oid}", parent)
        j.appoint(oid, Role.SECRETARY, CADRE)
        parent = oid
    for _ in range(units):
        add_unit(j, parent)
    return j


def day_after(date: dt.date | None) -> dt.date:
    """The day after `date` (default: a fixed day), for facts dated after ``as_of``.

    Examples
    --------
    >>> day_after(dt.date(2021, 11, 22))
    datetime.date(2021, 11, 23)
    """
    return (date or dt.date(2021, 11, 22)) + dt.timedelta(days=1)
