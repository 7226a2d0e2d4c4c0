"""The named values of the domain: levels, organization kinds, roles, status, categories.

Every enum is a :class:`enum.StrEnum`, so a member compares equal to its name as written
in a document (``Role.SECRETARY == "secretary"``).

Examples
--------
>>> Role("first_secretary") is Role.FIRST_SECRETARY
True
>>> Role.SECRETARY.elected
True
>>> sorted(Category)[:3]
['employed', 'mobile', 'organ']
"""

from __future__ import annotations

from enum import EnumType, StrEnum
from typing import Any

from gridgov.errors import InvalidValueError

__all__ = [
    "Category",
    "Duty",
    "Level",
    "MemberStatus",
    "OrgKind",
    "PartyHousehold",
    "RegistrationKind",
    "Role",
]


class _NamedEnumType(EnumType):
    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if not args and not kwargs and cls._member_map_:
            if type(value) is cls:  # a member
                return value  # type: ignore[unreachable]  # mypy: a class is not a metaclass
            if type(value) is str:  # the common case, fast: a member's value
                member = cls._value2member_map_.get(value)
                if member is not None:
                    return member
            elif not isinstance(value, str):
                # no member can match, and the enum machinery would print the value in
                # full (an integer of 5,000 digits cannot be printed)
                return cls._missing_(value)  # type: ignore[attr-defined]
        return super().__call__(value, *args, **kwargs)


class _NamedEnum(StrEnum, metaclass=_NamedEnumType):
    """A :class:`~enum.StrEnum` whose lookup of an unknown value raises
    :class:`~gridgov.errors.InvalidValueError` (also a ``ValueError``) naming the field
    (:data:`_FIELDS`) and the allowed values."""

    def __repr__(self) -> str:
        # a plain string, so that the repr of an event or a value pastes back as Python
        # (every field that holds an enum takes its value as a string)
        return repr(self._value_)

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        allowed = ", ".join(m.value for m in cls)
        field = _FIELDS.get(cls.__name__, cls.__name__.lower())
        raise InvalidValueError(field, value, f"must be one of {allowed}")


_FIELDS = {
    "OrgKind": "kind",
    "MemberStatus": "status",
    "PartyHousehold": "party_household",
    "RegistrationKind": "kind",
}
"""The field an enum's values are given in, where it is not the class name in lower case."""


class Level(_NamedEnum):
    """The level names of the preset schemes.

    A scheme may use any level names; these are the ones the presets use. The five-level
    scheme (五级基层组织架构) is street → community → branch → group → zone; the
    Xiqiao three-level scheme (三级网格) is community → grid → member_household.

    Examples
    --------
    >>> from gridgov.model import FIVE_LEVEL, Level
    >>> Level("member_household") is Level.MEMBER_HOUSEHOLD
    True
    >>> Level.BRANCH.value, Level.BRANCH == "branch"
    ('branch', True)
    >>> [lv.value for lv in Level if lv in FIVE_LEVEL.levels]
    ['street', 'community', 'branch', 'group', 'zone']
    """

    STREET = "street"
    """Street Party Working Committee (街道党工委) or town committee (镇党委)."""
    COMMUNITY = "community"
    """Community, village or joint-cooperative Party organization (社区(村)党组织)."""
    BRANCH = "branch"
    """Grid Party branch (网格党支部)."""
    GROUP = "group"
    """Grid Party group (网格党小组)."""
    ZONE = "zone"
    """Member responsibility zone (党员责任区)."""
    GRID = "grid"
    """Economic-cooperative grid, the second level of the three-level scheme."""
    MEMBER_HOUSEHOLD = "member_household"
    """Member household (党员户) answering for neighbouring households."""


class OrgKind(_NamedEnum):
    """What kind of Party organization an organization is.

    Examples
    --------
    >>> from gridgov.model import OrgKind
    >>> OrgKind("temporary") is OrgKind.TEMPORARY
    True
    >>> OrgKind.JOINT.value, "general" in {k.value for k in OrgKind}
    ('joint', True)
    >>> OrgKind("branch")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: kind: must be one of grid, functional, temporary, joint, general, committee, volunteer_team, commando_team, service_team (got 'branch')
    """

    GRID = "grid"
    """A grid branch built on one grid (the default for branches)."""
    FUNCTIONAL = "functional"
    """A functional Party organization (功能型党组织)."""
    TEMPORARY = "temporary"
    """A temporary branch (临时党支部), carrying an end date."""
    JOINT = "joint"
    """A joint branch (联合党支部) covering several small units."""
    GENERAL = "general"
    """A general branch (党总支)."""
    COMMITTEE = "committee"
    """A Party committee (党委)."""
    VOLUNTEER_TEAM = "volunteer_team"
    """A Party member volunteer team (党员志愿队)."""
    COMMANDO_TEAM = "commando_team"
    """A Party member commando team (党员突击队)."""
    SERVICE_TEAM = "service_team"
    """A Party-mass service team (党群服务队)."""

    @property
    def is_team(self) -> bool:
        """Whether it is a service team: members are attached to it, it is no branch.

        Examples
        --------
        >>> OrgKind.COMMANDO_TEAM.is_team, OrgKind.TEMPORARY.is_team
        (True, False)
        """
        return self in _TEAMS

    @property
    def attachable(self) -> bool:
        """Whether members serve in it in addition to their grid filing (attachments).

        Temporary, functional and joint organizations, and service teams.

        Examples
        --------
        >>> OrgKind.TEMPORARY.attachable, OrgKind.GRID.attachable
        (True, False)
        """
        return self in _ATTACHABLE


_TEAMS = frozenset({OrgKind.VOLUNTEER_TEAM, OrgKind.COMMANDO_TEAM, OrgKind.SERVICE_TEAM})
_ATTACHABLE = _TEAMS | {OrgKind.TEMPORARY, OrgKind.FUNCTIONAL, OrgKind.JOINT}


class MemberStatus(_NamedEnum):
    """Party membership status.

    Examples
    --------
    >>> from gridgov.model import MemberStatus
    >>> MemberStatus("probationary") is MemberStatus.PROBATIONARY
    True
    >>> MemberStatus.FULL.value, MemberStatus.FULL == "full"
    ('full', True)
    >>> [s.value for s in MemberStatus]
    ['full', 'probationary']
    """

    FULL = "full"
    """Full member (正式党员)."""
    PROBATIONARY = "probationary"
    """Probationary member (预备党员): no vote, cannot elect or be elected."""


class Category(_NamedEnum):
    """Member categories named in the sources; a member may carry several.

    Examples
    --------
    >>> from gridgov.model import Category
    >>> Category("street_cadre") is Category.STREET_CADRE
    True
    >>> Category.SUNK.value, len(Category)
    ('sunk', 9)
    >>> sorted({Category("retired"), Category.EMPLOYED, Category.RETIRED})
    ['employed', 'retired']
    """

    RESIDENCE_REGISTERED = "residence_registered"
    """Reported to the residence community (居住地报到党员)."""
    SUNK = "sunk"
    """Sent down to a community (下沉党员)."""
    ORGAN = "organ"
    """Member in a Party or state organ (机关党员)."""
    VILLAGE = "village"
    """Village or cooperative member (村社党员)."""
    EMPLOYED = "employed"
    """Employed member (在职党员)."""
    WITHOUT_POST = "without_post"
    """Member without a post (无职党员)."""
    STREET_CADRE = "street_cadre"
    """Street Party cadre on the payroll (街道在编干部), eligible as first secretary."""
    RETIRED = "retired"
    """Retired member (退休党员)."""
    MOBILE = "mobile"
    """Mobile member (流动党员)."""


class Role(_NamedEnum):
    """Posts held in an organization.

    Examples
    --------
    >>> from gridgov.model import Role
    >>> Role("group_leader") is Role.GROUP_LEADER
    True
    >>> Role.GRID_LEADER.value, Role.GRID_LEADER == "grid_leader"
    ('grid_leader', True)
    >>> [r.value for r in Role if r.elected]
    ['secretary', 'deputy_secretary', 'committee_member']
    """

    SECRETARY = "secretary"
    """Branch secretary (党支部书记), or the secretary of any organization."""
    DEPUTY_SECRETARY = "deputy_secretary"
    """Deputy secretary (副书记)."""
    COMMITTEE_MEMBER = "committee_member"
    """Committee member (支委委员), optionally with a :class:`Duty`."""
    GROUP_LEADER = "group_leader"
    """Group leader (党小组组长)."""
    FIRST_SECRETARY = "first_secretary"
    """First secretary (第一书记): a street cadre appointed one level up."""
    GRID_LEADER = "grid_leader"
    """Grid leader (网格长); a grid has two (双网格长)."""
    GRID_WORKER = "grid_worker"
    """Grid worker (网格员), staff."""
    SERVICE_TEAM_CAPTAIN = "service_team_captain"
    """Captain of a service team (服务队队长)."""
    COMMANDER = "commander"
    """Commander of a site in wartime (指挥长): the cadre grid leader at, say, a testing point."""
    SERVICE_SPECIALIST = "service_specialist"
    """Party-mass service specialist (党群服务专员), e.g. Dongchong's 2,300."""

    @property
    def elected(self) -> bool:
        """Whether the post is elected (probationary members may not hold it)."""
        return self in _ELECTED


_ELECTED = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER})


class Duty(_NamedEnum):
    """The duty of a branch committee member.

    Examples
    --------
    >>> from gridgov.model import Duty
    >>> Duty("discipline") is Duty.DISCIPLINE
    True
    >>> Duty.PROPAGANDA.value, "organization" in {d.value for d in Duty}
    ('propaganda', True)
    """

    ORGANIZATION = "organization"
    """Organization member (组织委员)."""
    PROPAGANDA = "propaganda"
    """Propaganda member (宣传委员)."""
    DISCIPLINE = "discipline"
    """Discipline member (纪检委员)."""


class PartyHousehold(_NamedEnum):
    """A household's Party plaque: a Party-member household, or a central one.

    Xiqiao hung about 4,000 plaques on the doors of Party-member households (党员户); a
    central Party-member household (党员中心户) answers for its neighbours.

    Examples
    --------
    >>> PartyHousehold("central")
    'central'
    >>> PartyHousehold("leader")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: party_household: must be one of member, central (got 'leader')
    """

    MEMBER = "member"
    """A Party-member household (党员户)."""
    CENTRAL = "central"
    """A central Party-member household (党员中心户)."""


class RegistrationKind(_NamedEnum):
    """Where a member reported: their residence, or their work unit's partner community.

    Under dual registration (双报到) a member reports both to the community where they
    live and to the community their work unit is paired with.

    Examples
    --------
    >>> RegistrationKind("work_unit").value
    'work_unit'
    >>> RegistrationKind("work")
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: kind: must be one of residence, work_unit (got 'work')
    """

    RESIDENCE = "residence"
    """Reported to the residence community (居住地报到)."""
    WORK_UNIT = "work_unit"
    """Reported to the community the work unit is paired with (单位报到)."""
