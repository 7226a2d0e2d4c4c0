"""The structural checks events make before they change a state.

Each check raises a specific :class:`~gridgov.errors.IntegrityError` whose ``code`` is
the structural rule a refused document record stands for (``GG101`` an unknown
reference, ``GG102`` a parent at the wrong level, ``GG103`` a cycle, ``GG104`` a second
root, ``GG105`` an id used twice, ``GG106`` a filing outside the filing level), so that
the tolerant document reader files each refusal under its code without reading the
message. The checks read the state and change nothing; an event calls the ones it needs
and then mutates (check-then-mutate, so a refused event leaves the state as it was).

Examples
--------
>>> from gridgov.model import FIVE_LEVEL, Organization, Policy
>>> from gridgov.model.state import State
>>> s = State(FIVE_LEVEL, Policy())
>>> check_parent(s, "org.parent", Organization("C1", "community", "C", parent="S9"))
Traceback (most recent call last):
...
gridgov.errors.UnknownReferenceError: org.parent: unknown organization 'S9'
"""

from __future__ import annotations

from gridgov.errors import DuplicateIdError, HierarchyError, UnknownReferenceError
from gridgov.model.state import State
from gridgov.model.values import Organization

__all__ = [
    "check_at_level",
    "check_cooperative",
    "check_household",
    "check_new_id",
    "check_org",
    "check_parent",
    "check_person",
]

_LEVEL_HINT = "refer to an organization of the right level"


def check_new_id(s: State, field: str, id: str) -> None:
    """Refuse `id` if any record already uses it (``GG105``).

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> check_new_id(State(FIVE_LEVEL, Policy()), "person.id", "P1")
    """
    owner = s.owner(id)
    if owner is not None:
        raise DuplicateIdError(field, id, owner)


def check_org(s: State, field: str, org: str) -> None:
    """Refuse `org` unless it is a known organization (``GG101``).

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> check_org(State(FIVE_LEVEL, Policy()), "post.org", "B1")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: post.org: unknown organization 'B1'
    """
    if org not in s.graph._g._node:
        raise UnknownReferenceError(field, org, "organization")


def check_person(s: State, field: str, person: str) -> None:
    """Refuse `person` unless it is a known person (``GG101``).

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> check_person(State(FIVE_LEVEL, Policy()), "filing.person", "P9")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: filing.person: unknown person 'P9'
    """
    if person not in s.people:
        raise UnknownReferenceError(field, person, "person")


def check_household(s: State, field: str, household: str) -> None:
    """Refuse `household` unless it is a known household (``GG101``).

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> check_household(State(FIVE_LEVEL, Policy()), "household", "H1")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: household: unknown household 'H1'
    """
    if household not in s.households:
        raise UnknownReferenceError(field, household, "household")


def check_cooperative(s: State, field: str, cooperative: str) -> None:
    """Refuse `cooperative` unless it is a known cooperative (``GG101``).

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> check_cooperative(State(FIVE_LEVEL, Policy()), "org.cooperative", "EC1")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: org.cooperative: unknown cooperative 'EC1'
    """
    if cooperative not in s.coops:
        raise UnknownReferenceError(field, cooperative, "cooperative")


def check_at_level(
    s: State, field: str, org: str, level: str, what: str, *, code: str = "GG101"
) -> None:
    """Refuse `org` unless it is a known organization at `level`.

    Parameters
    ----------
    s : State
        The state.
    field : str
        The event field that names `org`.
    org, level : str
        The organization and the level it must be at.
    what : str
        What happens at that level, for the message ("members are filed").
    code : str
        The rule a wrong level stands for: ``GG106`` for filings, ``GG101`` (a
        reference to the wrong kind of organization) elsewhere.

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy, Organization
    >>> s = State(FIVE_LEVEL, Policy())
    >>> s.add_org(Organization("S1", "street", "S"))
    >>> check_at_level(s, "filing.org", "S1", "group", "members are filed", code="GG106")
    Traceback (most recent call last):
    ...
    gridgov.errors.HierarchyError: filing.org: 'S1' is at level 'street'; members are filed at level 'group'
    """
    data = s.graph._g._node.get(org)
    if data is None:
        raise UnknownReferenceError(field, org, "organization")
    actual = data["level"]
    if actual != level:
        hint = (
            "file members into organizations at the filing level"
            if code == "GG106"
            else _LEVEL_HINT
        )
        raise HierarchyError(
            field,
            org,
            f"{org!r} is at level {actual!r}; {what} at level {level!r}",
            code=code,
            hint=hint,
        )


def check_parent(s: State, field: str, org: Organization) -> None:
    """Refuse `org` unless its parent is one level up (or it is the one root).

    Raises :class:`~gridgov.errors.HierarchyError` coded ``GG102`` for a level that is
    not the scheme's or a parent at the wrong level, ``GG104`` for a missing parent below
    the top level or a second root, ``GG103`` for a move that makes a cycle; an unknown
    parent is ``GG101``.

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Policy
    >>> s = State(FIVE_LEVEL, Policy())
    >>> check_parent(s, "org.parent", Organization("C1", "community", "C"))
    Traceback (most recent call last):
    ...
    gridgov.errors.HierarchyError: org.parent: a 'community' needs a parent at level 'street'
    """
    scheme = s.scheme
    graph = s.graph
    if org.level not in scheme:
        raise HierarchyError(
            "org.level",
            org.level,
            f"{org.level!r} is not a level of {list(scheme.levels)}",
            code="GG102",
            hint="use a level of the scheme",
        )
    expected = scheme.parent_level(org.level)
    if org.parent is None:
        if expected is not None:
            raise HierarchyError(
                field,
                None,
                f"a {org.level!r} needs a parent at level {expected!r}",
                code="GG104",
                hint="keep one root at the top level; put the others under it",
            )
        roots = [r for r in graph.roots() if r != org.id]
        if roots:
            raise HierarchyError(
                "org.id",
                org.id,
                f"{org.id!r} would be a second root; the jurisdiction already has "
                f"the root {roots[0]!r}",
                code="GG104",
                hint="keep one root at the top level; put the others under it",
            )
        return
    if org.parent == org.id:
        raise HierarchyError(
            field,
            org.parent,
            f"{org.id!r} cannot be its own parent",
            code="GG103",
            hint="correct the parents so that every organization leads up to the root",
        )
    check_org(s, field, org.parent)
    actual = graph.level(org.parent)
    if actual != expected:
        wanted = (
            f"needs a parent at level {expected!r}"
            if expected
            else "is at the top level and has no parent"
        )
        raise HierarchyError(
            field,
            org.parent,
            f"{org.parent!r} is at level {actual!r}; a {org.level!r} {wanted}",
            code="GG102",
        )
    if org.id in graph and org.id in graph.chain(org.parent):
        raise HierarchyError(
            field,
            org.parent,
            f"moving {org.id!r} under {org.parent!r} makes a cycle",
            code="GG103",
            hint="correct the parents so that every organization leads up to the root",
        )
