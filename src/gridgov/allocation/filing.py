"""Filing (建档入网格): every registered member into a group of the grid where they live.

**Objective.** Each member is filed into the group whose territory holds their
household: grids are drawn on where members live, so filing is the territory's lookup,
and every registered member is filed (全部"入格"), in the community where they
registered (their residence's). After churn, :func:`gridgov.allocation.churn.reallocate`
re-files with the fewest changes.

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> from gridgov.allocation.generate import generate
>>> from gridgov.allocation.grids import draw_grids
>>> d = generate(spec_for(None, communities=2, members=60, households=300), seed=0)
>>> g = draw_grids(d)
>>> filed = file_members(d, g)
>>> len(filed) == d.n_members, bool((filed >= 0).all())
(True, True)
"""

from __future__ import annotations

from gridgov.allocation import _checks
from gridgov.allocation.generate import District, IntArray
from gridgov.allocation.grids import Grids

__all__ = ["file_members"]


def file_members(district: District, grids: Grids) -> IntArray:
    """Return the group each member is filed in: the group of their household's territory.

    Parameters
    ----------
    district : District
    grids : Grids

    Returns
    -------
    int array (members)
        The group of each member.

    Examples
    --------
    >>> from gridgov.allocation.presets import PRESETS
    >>> from gridgov.allocation.generate import generate
    >>> from gridgov.allocation.grids import draw_grids
    >>> d = generate(PRESETS["junhe"])
    >>> g = draw_grids(d)
    >>> int(file_members(d, g).max()) < g.n_groups
    True
    """
    _checks.instance("district", district, District)
    _checks.instance("grids", grids, Grids)._fits(district)
    out: IntArray = grids.household_group[district.member_household]
    return out
