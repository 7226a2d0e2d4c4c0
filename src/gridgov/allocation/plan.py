"""The allocation of a district on arrays, and the ids it gets in a jurisdiction.

An :class:`Allocation` bundles what the stages compute: the grids (branches, groups and
their territory), each member's filing, the zones and their claimants, and the posts.
:class:`Layout` maps the allocation's fixed shape (district, street, community, branch,
group, zone) onto the levels of the jurisdiction's scheme, and names the ids every
record gets (``C3``, ``B12``, ``P4051``, ...).

Examples
--------
>>> from gridgov.allocation.presets import spec_for
>>> layout_for(spec_for("liwan")).scheme.levels
('district', 'street', 'community', 'branch', 'group', 'zone')
>>> layout_for(spec_for("junhe")).scheme.name
'five-level'
>>> layout_for(spec_for("xiqiao")).branch is None
True
"""

from __future__ import annotations

from attrs import frozen

from gridgov.allocation import _checks
from gridgov.allocation.generate import District, IntArray
from gridgov.allocation.grids import Grids
from gridgov.allocation.posts import Posts
from gridgov.allocation.presets import DistrictSpec
from gridgov.allocation.zones import ZoneAssignment, Zones
from gridgov.model.scheme import FIVE_LEVEL, Scheme

__all__ = ["Allocation", "Layout", "layout_for"]


@frozen(eq=False)
class Allocation:
    """What the allocation stages computed for a district (all on arrays).

    Attributes
    ----------
    mode : str
        ``given`` or ``derive``.
    grids : Grids
        Branches, groups, territory.
    member_group : int array (members)
        The group each member is filed in.
    zones : Zones
        The zones and their households.
    assignment : ZoneAssignment
        The claimant of each zone.
    posts : Posts
        The post holders.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> a = simulate(None, communities=2, members=60, households=300, build=False).allocation
    >>> a.mode, a.grids.n_groups, len(a.member_group)
    ('given', 3, 60)
    >>> bool((a.assignment.claimant >= 0).all()), len(a.posts.branch_secretary)
    (True, 2)
    """

    mode: str
    grids: Grids
    member_group: IntArray
    zones: Zones
    assignment: ZoneAssignment
    posts: Posts

    def _fits(self, district: District) -> None:
        self.grids._fits(district)
        self.zones._fits(district)
        _checks.same_length("allocation", self.member_group, district.n_members, "members")


@frozen
class Layout:
    """The scheme of a generated jurisdiction and where the allocation's levels sit in it.

    Attributes
    ----------
    scheme : Scheme
        The jurisdiction's scheme.
    district : str or None
        The level above the streets (several streets), else ``None``.
    street : str
        The level of the street (or town) committee, which appoints first secretaries.
    community, group, zone : str
        The community level, the filing level and the zone level.
    branch : str or None
        The branch level; ``None`` in the three-level scheme, whose grids are both the
        branches and the groups (the filing level).

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> layout = layout_for(spec_for(None, streets=2))
    >>> layout.district, layout.root_id, layout.scheme.filing_level
    ('district', 'D1', 'group')
    >>> town = layout_for(spec_for("xiqiao"))
    >>> town.street, town.branch, town.group, town.root_id
    ('town', None, 'grid', 'S1')
    """

    scheme: Scheme
    district: str | None
    street: str
    community: str
    branch: str | None
    group: str
    zone: str

    @property
    def root_id(self) -> str:
        """The id of the root organization."""
        return "D1" if self.district is not None else "S1"

    def street_id(self, street: int) -> str:
        """Return the id of street `street` (``S<street + 1>``).

        Parameters
        ----------
        street : int
            The street's index (0-based).

        Returns
        -------
        str

        Examples
        --------
        >>> from gridgov.allocation.presets import spec_for
        >>> layout_for(spec_for(None)).street_id(0)
        'S1'
        """
        street = _checks.index("street", street)
        return f"S{street + 1}"

    def branch_id(self, key: int) -> str:
        """Return the id of the organization holding the posts of the branch with `key`.

        ``B<key + 1>``; in the three-level scheme, where the grid is both branch and
        group, the group's ``G<key + 1>``.

        Parameters
        ----------
        key : int
            The branch's lasting number (``Grids.branch_key``).

        Returns
        -------
        str

        Examples
        --------
        >>> from gridgov.allocation.presets import spec_for
        >>> layout_for(spec_for("junhe")).branch_id(11)
        'B12'
        >>> layout_for(spec_for("xiqiao")).branch_id(11)
        'G12'
        """
        key = _checks.index("key", key)
        return f"B{key + 1}" if self.branch is not None else f"G{key + 1}"


_TOWN_THREE_LEVEL = Scheme(
    ("town", "community", "grid", "member_household"),
    filing_level="grid",
    zone_level="member_household",
    branch_level=None,
)
_DISTRICT_FIVE_LEVEL = Scheme(
    ("district", "street", "community", "branch", "group", "zone"),
    filing_level="group",
    zone_level="zone",
    branch_level="branch",
)


def layout_for(spec: DistrictSpec) -> Layout:
    """Return the layout of the jurisdiction generated from `spec`.

    A five-level district of one street is a five-level jurisdiction rooted at its
    street committee; one of several streets gets a ``district`` level on top. A
    three-level district is the Xiqiao three-level grid (village, cooperative grid,
    member household) under a ``town`` committee.

    Parameters
    ----------
    spec : DistrictSpec
        Its ``scheme`` and ``streets`` decide the layout.

    Returns
    -------
    Layout

    Examples
    --------
    >>> from gridgov.allocation.presets import spec_for
    >>> layout_for(spec_for(None)).scheme.levels
    ('street', 'community', 'branch', 'group', 'zone')
    >>> layout_for(spec_for(None, streets=2)).scheme.levels[0]
    'district'
    >>> layout_for(spec_for("xiqiao")).scheme.levels
    ('town', 'community', 'grid', 'member_household')
    """
    _checks.instance("spec", spec, DistrictSpec)
    if spec.scheme == "three-level":
        return Layout(
            _TOWN_THREE_LEVEL, None, "town", "community", None, "grid", "member_household"
        )
    if spec.streets > 1:
        return Layout(
            _DISTRICT_FIVE_LEVEL, "district", "street", "community", "branch", "group", "zone"
        )
    return Layout(FIVE_LEVEL, None, "street", "community", "branch", "group", "zone")
