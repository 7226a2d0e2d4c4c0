"""Clean jurisdictions in one call: the smallest that passes every rule, or a bigger one.

Examples
--------
>>> from gridgov import validate
>>> j = make_jurisdiction(branches=2)
>>> len(validate(j)), j.graph.counts()["branch"]
(0, 2)
"""

from __future__ import annotations

from gridgov.errors import InvalidValueError
from gridgov.model import Jurisdiction, Policy, Scheme
from gridgov.rules.breaking import add_unit, minimal_jurisdiction

__all__ = ["make_jurisdiction"]


def make_jurisdiction(
    scheme: Scheme | None = None,
    policy: Policy | None = None,
    *,
    branches: int = 1,
    members: int | None = None,
) -> Jurisdiction:
    """Return a jurisdiction that passes every built-in rule, built by everyday commands.

    A root led by a street cadre ``P0``, one organization at each level down to the
    branches, and `branches` branches (grids in the three-level scheme), each down to a
    zone with `members` full members (default: the policy's minimum), a secretary, a
    group leader, a zone claimant and, under the first-secretary practice, a first
    secretary and two grid leaders.

    Parameters
    ----------
    scheme : Scheme, optional
        Default: the five-level scheme.
    policy : Policy, optional
        Default: the default policy.
    branches : int
        How many branches (0-1000).
    members : int, optional
        Full members per branch (at least 1).

    Examples
    --------
    >>> from gridgov import THREE_LEVEL
    >>> sorted(make_jurisdiction(THREE_LEVEL, members=2).graph.counts().items())
    [('community', 1), ('grid', 1), ('member_household', 1)]
    """
    if isinstance(branches, bool) or not isinstance(branches, int) or not 0 <= branches <= 1000:
        raise InvalidValueError("branches", branches, "must be an integer from 0 to 1000")
    if members is not None and (
        isinstance(members, bool) or not isinstance(members, int) or not 1 <= members <= 10_000
    ):
        raise InvalidValueError("members", members, "must be an integer from 1 to 10000 or None")
    j = minimal_jurisdiction(scheme, policy, units=0)
    for _ in range(branches):
        add_unit(j, full=members)
    return j
