"""Ids for records created without one: the id-factory protocol and the sequential default.

A jurisdiction's convenience commands (``found_org(None, ...)``, ``add_person(None,
...)``) ask its :class:`IdFactory` for a new id. The factory is called with the kind of
record (the level for an organization, ``"person"``, ``"household"``,
``"cooperative"``), the parent organization's id (or ``None``) and a :class:`Taken`
predicate; it returns an id that is not taken. Hosts plug in their own scheme by passing
a factory to :class:`~gridgov.model.Jurisdiction`, or by a plugin implementing the
``gridgov_make_id`` hook (:func:`gridgov.plugins.id_factory` turns the hook into a
factory).

Examples
--------
>>> ids = SequentialIds()
>>> taken = Taken(lambda i: i == "P1")
>>> ids("person", None, taken), ids("branch", "C1", taken)
('P2', 'B1')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Protocol

from gridgov.errors import InvalidValueError

__all__ = ["IdFactory", "SequentialIds", "Taken", "sequential_id"]


class Taken(functools.partial):  # type: ignore[type-arg]
    """Tells whether an id is used in a jurisdiction; carries an id scheme's memo.

    Parameters
    ----------
    predicate : callable
        ``predicate(id)`` is true when `id` is used by any record.

    Attributes
    ----------
    memo : dict
        Scratch space an id scheme may use to remember where it left off (the
        sequential scheme keeps its counters here). It lives as long as the jurisdiction
        that made this object.

    Notes
    -----
    A :func:`functools.partial` of the predicate, so that asking costs one call.

    Examples
    --------
    >>> t = Taken(lambda i: i.startswith("X"))
    >>> t("X1"), t("P1")
    (True, False)
    """

    memo: dict[Any, Any]

    def __new__(cls, predicate: Callable[[str], bool]) -> Taken:
        if not callable(predicate):
            raise InvalidValueError("predicate", predicate, "must be callable: predicate(id)")
        self = super().__new__(cls, predicate)
        self.memo = {}
        return self


class IdFactory(Protocol):
    """Makes new ids for the convenience commands when no id is given.

    Parameters
    ----------
    kind : str
        What the id is for: the level of an organization (``"branch"``), or
        ``"person"``, ``"household"``, ``"cooperative"``.
    parent : str or None
        The id of the organization the new record sits under (an organization's parent,
        a cooperative's community), so that a scheme of hierarchical codes can extend it.
    taken : Taken
        ``taken(id)`` is true when `id` is already used in the jurisdiction.

    Returns
    -------
    str
        An id that is not taken.

    Examples
    --------
    >>> from itertools import count
    >>> from gridgov.model import Jurisdiction
    >>> def gz_ids(kind, parent, taken):
    ...     return next(f"GZ{n}" for n in count(1) if not taken(f"GZ{n}"))
    >>> j = Jurisdiction(ids=gz_ids)
    >>> j.found_org(None, "street", "S").org.id, j.add_person(None, "A").person.id
    ('GZ1', 'GZ2')
    """

    def __call__(self, kind: str, parent: str | None, taken: Taken) -> str: ...


PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "person": "P",
        "household": "H",
        "cooperative": "EC",
        "district": "D",
        "street": "S",
        "town": "S",
        "community": "C",
        "village": "V",
        "branch": "B",
        "group": "G",
        "grid": "G",
        "zone": "Z",
        "member_household": "Z",
    }
)
"""Prefixes of the sequential ids by kind: people, households, cooperatives, and the
levels of the preset schemes (and of the simulation's district and town schemes). Any
other level's organizations are numbered ``O1, O2, ...``."""


def sequential_id(kind: str, parent: str | None, taken: Taken) -> str:
    """Return the next free sequential id of `kind`: ``S1``, ``C1``, ``B1``, ..., ``P1``, ``H1``, ``EC1``.

    The counter of each prefix is kept in ``taken.memo`` and only moves past an id once
    it is taken, so an id made for a command that was then refused is made again next
    time: a refusal consumes nothing. Deterministic: the same calls give the same ids.

    Examples
    --------
    >>> t = Taken(lambda i: i in {"Z1", "Z2"})
    >>> sequential_id("zone", "G1", t), sequential_id("zone", "G1", t)
    ('Z3', 'Z3')
    >>> sequential_id("ward", None, t)
    'O1'
    """
    if not isinstance(kind, str):
        raise InvalidValueError("kind", kind, "must be a string")
    if parent is not None and not isinstance(parent, str):
        raise InvalidValueError("parent", parent, "must be an organization id or None")
    if not isinstance(taken, Taken):
        raise InvalidValueError("taken", taken, "must be a Taken (what the jurisdiction passes)")
    prefix = PREFIXES.get(kind, "O")
    counters = taken.memo.get(_COUNTERS)
    if counters is None:
        counters = taken.memo[_COUNTERS] = {}
    n = counters.get(prefix, 1)
    candidate = f"{prefix}{n}"
    while taken(candidate):
        n += 1
        candidate = f"{prefix}{n}"
    counters[prefix] = n
    return candidate


_COUNTERS = "gridgov.sequential"


class SequentialIds:
    """The default :class:`IdFactory`: ``S1``, ``C1``, ``B1``, ... ``P1``, ``H1``, ``EC1``.

    A thin wrapper of :func:`sequential_id` (also the built-in ``gridgov_make_id``
    implementation), for passing as ``ids=`` explicitly.

    Examples
    --------
    >>> ids = SequentialIds()
    >>> t = Taken(lambda i: i == "P1")
    >>> ids("person", None, t), ids("person", None, t)
    ('P2', 'P2')
    """

    def __call__(self, kind: str, parent: str | None, taken: Taken) -> str:
        return sequential_id(kind, parent, taken)
