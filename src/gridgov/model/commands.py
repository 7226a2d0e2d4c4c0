"""The convenience commands of a jurisdiction: one method per event, with plain arguments.

:class:`Commands` is the part of :class:`~gridgov.model.Jurisdiction` that builds an
event from plain arguments (``j.file_member("P5", "G1")``), applies it and returns it.
Every command is a thin layer over :meth:`Jurisdiction.apply
<gridgov.model.Jurisdiction.apply>`: what it refuses, ``apply`` refuses, and a refused
command changes nothing (an id the id factory made for it is made again next time).

Examples
--------
>>> from gridgov.model import Jurisdiction, Scheme
>>> j = Jurisdiction(Scheme.preset("three-level"))
>>> j.found_org(None, "community", "七星村党委").org.id
'C1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import AttrsInstance, evolve, fields

from gridgov.errors import InvalidValueError, UnknownReferenceError
from gridgov.model import operations
from gridgov.model.enums import (
    Category,
    Duty,
    MemberStatus,
    OrgKind,
    PartyHousehold,
    RegistrationKind,
    Role,
)
from gridgov.model.events import (
    AsOfSet,
    CooperativeAdded,
    CooperativeAmended,
    Event,
    HouseholdAdded,
    HouseholdAmended,
    HouseholdAssigned,
    MemberAttached,
    MemberDeregistered,
    MemberDetached,
    MemberFiled,
    MemberRegistered,
    MemberTransferred,
    MemberUnfiled,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationRenamed,
    OrganizationReparented,
    PersonAdded,
    PersonAmended,
    PersonRemoved,
    PolicyChanged,
    PostAssigned,
    PostVacated,
    ZoneClaimed,
    ZoneReleased,
)
from gridgov.model.ids import IdFactory, Taken
from gridgov.model.operations import Change
from gridgov.model.policy import Policy
from gridgov.model.values import (
    Attachment,
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    PartyMembership,
    Person,
    Post,
    Registration,
    to_date,
)

if TYPE_CHECKING:
    from gridgov.model.graph import OrgGraph

__all__ = ["Commands", "require_id"]

_E = TypeVar("_E", bound=Event)


class Commands:
    """The convenience commands (mixed into :class:`~gridgov.model.Jurisdiction`).

    Each builds one event, applies it with :meth:`apply` and returns it.
    """

    _ids: IdFactory
    _taken: Taken

    # what the commands need of the jurisdiction they are mixed into
    def apply(self, event: _E, *, expected_version: int | None = None) -> _E:
        raise NotImplementedError  # pragma: no cover - Jurisdiction implements it

    @property
    def graph(self) -> OrgGraph:
        raise NotImplementedError  # pragma: no cover

    @property
    def people(self) -> Mapping[str, Person]:
        raise NotImplementedError  # pragma: no cover

    @property
    def cooperatives(self) -> Mapping[str, Cooperative]:
        raise NotImplementedError  # pragma: no cover

    @property
    def households(self) -> Mapping[str, Household]:
        raise NotImplementedError  # pragma: no cover

    @property
    def policy(self) -> Policy:
        raise NotImplementedError  # pragma: no cover

    def apply_all(self, events: Iterable[Event], *, expected_version: int | None = None) -> int:
        raise NotImplementedError  # pragma: no cover - Jurisdiction implements it

    def _attached_to(self, org: str) -> list[str]:
        raise NotImplementedError  # pragma: no cover - Jurisdiction implements it

    def _posts_of(self, org: str) -> list[Post]:
        raise NotImplementedError  # pragma: no cover - Jurisdiction implements it

    def _new_id(self, kind: str, given: str | None, parent: str | None) -> str:
        if given is not None:
            return given
        made = self._ids(kind, parent, self._taken)
        if not isinstance(made, str) or not made:
            raise InvalidValueError("ids", made, f"the id factory made no id for a {kind!r}")
        return made

    def _do(self, event: _E) -> _E:
        self.apply(event)
        return event

    def found_org(
        self,
        id: str | None,
        level: str,
        name: str,
        parent: str | None = None,
        *,
        kind: OrgKind | str | None = None,
        cooperative: str | None = None,
        formed: dt.date | str | None = None,
        term_start: dt.date | str | None = None,
        ends: dt.date | str | None = None,
        units: Iterable[str] = (),
    ) -> OrganizationFounded:
        """Found an organization (``id=None``: the id factory makes one).

        Parameters
        ----------
        id : str or None
            Its id, or ``None`` to have the id factory make one.
        level, name : str
            Its level (one of the scheme's) and name.
        parent : str, optional
            Id of its parent, exactly one level up; ``None`` for the root.
        kind, cooperative, formed, term_start, ends, units
            As for :class:`~gridgov.model.Organization`.

        Returns
        -------
        OrganizationFounded
            The applied event; its ``org.id`` is the new organization's id.

        Raises
        ------
        DuplicateIdError, UnknownReferenceError, HierarchyError, InvalidValueError

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> j.found_org(None, "street", "南沙街道党工委").org.id
        'S1'
        >>> j.found_org("B1", "branch", "x", parent="S1")
        Traceback (most recent call last):
        ...
        gridgov.errors.HierarchyError: org.parent: 'S1' is at level 'street'; a 'branch' needs a parent at level 'community'
        """
        values: dict[str, Any] = {
            "kind": kind,
            "cooperative": cooperative,
            "formed": formed,
            "term_start": term_start,
            "ends": ends,
            "units": units,
        }
        if id is None:  # the values are checked before the id factory is asked for an id
            values = _fields(Organization("?", level, name, parent, **values), values)
        org = Organization(self._new_id(level, id, parent), level, name, parent, **values)
        event = OrganizationFounded(org)
        self.apply(event)
        return event

    def amend_org(self, org: str, **changes: Any) -> OrganizationAmended:
        """Change attributes of `org` other than id, level and parent.

        Parameters
        ----------
        org : str
            An organization id.
        **changes : object
            New values by attribute name (``name``, ``kind``, ``cooperative``, ...).

        Returns
        -------
        OrganizationAmended
            The applied event; its ``org`` is the amended record.

        Raises
        ------
        UnknownReferenceError
            If `org` or the new cooperative is unknown.
        InvalidValueError
            If a name is not an attribute of Organization, or is ``id``, ``level`` or
            ``parent`` (use :meth:`move_org` to change the parent).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> import datetime as dt
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.amend_org("S1", term_start=dt.date(2021, 9, 1)).org.term_start
        datetime.date(2021, 9, 1)
        """
        for key in ("id", "level", "parent"):
            if key in changes:
                raise InvalidValueError(key, changes[key], "cannot be changed by amend_org")
        current = self.graph.org(org)
        _check_changes(current, changes)
        event = OrganizationAmended(evolve(current, **changes))
        self.apply(event)
        return event

    def rename_org(self, org: str, name: str) -> OrganizationRenamed:
        """Give `org` a new name.

        Parameters
        ----------
        org : str
            An organization id.
        name : str
            The new name.

        Returns
        -------
        OrganizationRenamed
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        InvalidValueError
            If `name` is not a string.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "南沙街道党工委")
        >>> _ = j.rename_org("S1", "南沙街道党委")
        >>> j.graph.org("S1").name
        '南沙街道党委'
        """
        return self._do(OrganizationRenamed(org, name))

    def move_org(self, org: str, parent: str) -> OrganizationReparented:
        """Move `org` under `parent` (one level above it).

        Parameters
        ----------
        org : str
            An organization id.
        parent : str
            Its new parent's id.

        Returns
        -------
        OrganizationReparented
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` or `parent` is not a known organization.
        HierarchyError
            If `parent` is not exactly one level above `org`.
        StateError
            If `org` is already under `parent`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.move_org("Z1", "W2")
        >>> j.graph.children("W1"), j.graph.children("W2")
        ([], ['Z1'])
        """
        return self._do(OrganizationReparented(org, parent))

    def dissolve_org(self, org: str, *, date: dt.date | str | None = None) -> OrganizationDissolved:
        """Dissolve an organization; its posts end and its attached members are detached.

        A temporary branch, a functional organization or a service team is dissolved
        with its posts and the members attached to it: each post is vacated (a
        ``PostVacated`` event until `date`) and each member detached (a
        ``MemberDetached`` event on `date`), keeping their grid filing. Anything else that
        depends on the organization stops the dissolution.

        Parameters
        ----------
        org : str
            An organization id.
        date : datetime.date or str, optional
            The day its posts end and the attached members are detached.

        Returns
        -------
        OrganizationDissolved
            The applied event (after the vacancies and detachments, all in one batch).

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.
        NotEmptyError
            If it still has children, filed members, households, claims, registrations,
            posts it appointed or cooperatives; nothing is vacated or detached then.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.dissolve_org("Z1")
        >>> "Z1" in j.graph
        False
        >>> j.dissolve_org("V1")
        Traceback (most recent call last):
        ...
        gridgov.errors.NotEmptyError: org: 'V1' still has 2 child organizations
        """
        org = require_id("org", org)
        when = None if date is None else to_date(date, "date")
        vacate = [PostVacated(org, p.role, p.holder, when) for p in self._posts_of(org)]
        detach = [MemberDetached(p, org, when) for p in self._attached_to(org)]
        dissolve = OrganizationDissolved(org)
        self.apply_all([*vacate, *detach, dissolve])
        return dissolve

    def add_household(
        self,
        id: str | None = None,
        *,
        building: str | None = None,
        address: str | None = None,
        location: tuple[float, float] | None = None,
        party_household: PartyHousehold | str | None = None,
    ) -> HouseholdAdded:
        """Add a household.

        Parameters
        ----------
        id : str, optional
            Its id (``None``: the id factory makes one).
        building, address : str, optional
            Where it is.
        location : tuple of float, optional
            A point ``(x, y)``.
        party_household : PartyHousehold or str, optional
            The Party plaque on its door: ``member`` (党员户) or ``central`` (党员中心户).

        Returns
        -------
        HouseholdAdded
            The applied event; its ``household.id`` is the new id.

        Raises
        ------
        DuplicateIdError
            If the id is already used.
        InvalidValueError
            If a value is malformed.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> j.add_household(building="3栋", location=(12, 40)).household
        Household(id='H1', building='3栋', address=None, location=(12.0, 40.0), party_household=None)
        """
        values: dict[str, Any] = {
            "building": building,
            "address": address,
            "location": location,
            "party_household": party_household,
        }
        if id is None:  # the values are checked before the id factory is asked for an id
            values = _fields(Household("?", **values), values)
        hh = Household(self._new_id("household", id, None), **values)
        return self._do(HouseholdAdded(hh))

    def amend_household(self, household: str, **changes: Any) -> HouseholdAmended:
        """Change attributes of `household` (``building``, ``address``, ``location``,
        ``party_household``); its zone is changed with :meth:`assign_household`.

        Parameters
        ----------
        household : str
            A household id.
        **changes : object
            New values by attribute name.

        Returns
        -------
        HouseholdAmended
            The applied event; its ``household`` is the amended record.

        Raises
        ------
        UnknownReferenceError
            If `household` is unknown.
        InvalidValueError
            If a name is not an attribute of Household, is ``id``, or a value is invalid.

        Examples
        --------
        A Party-member household hangs its plaque (党员户挂牌):

        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.add_household("H1", building="3栋")
        >>> j.amend_household("H1", party_household="member").household.party_household
        'member'
        >>> j.amend_household("H1", id="H2")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: id: cannot be changed by amend_household (got 'H2')
        """
        if "id" in changes:
            raise InvalidValueError("id", changes["id"], "cannot be changed by amend_household")
        current = self.households.get(require_id("household", household))
        if current is None:
            raise UnknownReferenceError("household", household, "household")
        _check_changes(current, changes)
        return self._do(HouseholdAmended(evolve(current, **changes)))

    def assign_household(self, household: str, zone: str | None) -> HouseholdAssigned:
        """Put `household` into `zone` (or take it out of its zone with ``None``).

        Parameters
        ----------
        household : str
            A household id.
        zone : str or None
            An organization at the zone level; ``None`` to take it out.

        Returns
        -------
        HouseholdAssigned
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the household or zone is unknown.
        HierarchyError
            If `zone` is not at the zone level.
        StateError
            If the household is already there (or in no zone, for ``None``).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_household("H1")
        >>> _ = j.assign_household("H1", "Z1")
        >>> _ = j.assign_household("H1", None)
        >>> j.households_in("Z1"), "H1" in j.zone_of_household
        ([], False)
        """
        return self._do(HouseholdAssigned(household, zone))

    def add_person(
        self,
        id: str | None,
        name: str,
        *,
        status: MemberStatus | str | None = None,
        categories: Iterable[Category | str] = (),
        affiliation: str | None = None,
        joined: dt.date | str | None = None,
        household: str | None = None,
    ) -> PersonAdded:
        """Add a person: a Party member when `status` is given, a non-member otherwise.

        Parameters
        ----------
        id : str or None
            Their id, or ``None`` to have the id factory make one.
        name : str
            Their name.
        status : MemberStatus or str, optional
            ``full`` or ``probationary``; ``None`` for a non-member.
        categories, affiliation, joined
            As for :class:`~gridgov.model.PartyMembership` (members only).
        household : str, optional
            Id of the household they live in.

        Returns
        -------
        PersonAdded
            The applied event; its ``person.id`` is the new id.

        Raises
        ------
        DuplicateIdError, UnknownReferenceError, InvalidValueError
            If the id is used, the household unknown, or membership details are given
            without a `status`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> j.add_person("P1", "邹波", status="full", categories=["street_cadre"]).person.is_member
        True
        """
        party = None
        if status is not None:
            party = PartyMembership(
                status,
                categories,
                affiliation=affiliation,
                joined=joined,
            )
        elif (
            PartyMembership("full", categories).categories
            or affiliation is not None
            or joined is not None
        ):
            raise InvalidValueError(
                "status", None, "categories, affiliation and joined need a Party member status"
            )
        if id is None:  # the values are checked before the id factory is asked for an id
            Person("?", name, party=party, household=household)
        person = Person(self._new_id("person", id, None), name, party=party, household=household)
        return self._do(PersonAdded(person))

    def amend_person(self, person: str, **changes: Any) -> PersonAmended:
        """Change attributes of `person` (``name``, ``party``, ``household``).

        Parameters
        ----------
        person : str
            A person id.
        **changes : object
            New values by attribute name.

        Returns
        -------
        PersonAmended
            The applied event; its ``person`` is the amended record.

        Raises
        ------
        UnknownReferenceError
            If `person` or the new household is unknown.
        InvalidValueError
            If a name is not an attribute of Person, or is ``id``.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> from gridgov.model import PartyMembership
        >>> j = Jurisdiction()
        >>> _ = j.add_person("P1", "李四", status="probationary")
        >>> j.amend_person("P1", party=PartyMembership("full")).person.is_full_member
        True
        """
        if "id" in changes:
            raise InvalidValueError("id", changes["id"], "cannot be changed by amend_person")
        current = self.people.get(require_id("person", person))
        if current is None:
            raise UnknownReferenceError("person", person, "person")
        _check_changes(current, changes)
        return self._do(PersonAmended(evolve(current, **changes)))

    def remove_person(self, person: str) -> PersonRemoved:
        """Remove a person who holds no registration, filing, claim or post.

        Parameters
        ----------
        person : str
            A person id.

        Returns
        -------
        PersonRemoved
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `person` is unknown.
        NotEmptyError
            If the person still has a registration, filing, claim, post or
            cooperative role.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> j.remove_person("P1")
        Traceback (most recent call last):
        ...
        gridgov.errors.NotEmptyError: person: 'P1' still has a filing
        >>> _ = j.unfile_member("P1")
        >>> _ = j.remove_person("P1")
        >>> "P1" in j.people
        False
        """
        return self._do(PersonRemoved(person))

    def add_cooperative(
        self,
        id: str | None,
        name: str,
        *,
        community: str | None = None,
        head: str | None = None,
        branch_secretary: str | None = None,
    ) -> CooperativeAdded:
        """Add an economic cooperative.

        Parameters
        ----------
        id : str or None
            Its id (``None``: the id factory makes one).
        name : str
            Its name.
        community : str, optional
            Id of the community organization it belongs to.
        head, branch_secretary : str, optional
            Ids of its head and branch secretary.

        Returns
        -------
        CooperativeAdded
            The applied event; its ``cooperative.id`` is the new id.

        Raises
        ------
        DuplicateIdError
            If the id is already used.
        UnknownReferenceError
            If the community, head or secretary is unknown.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.add_cooperative(None, "七星第一经济社", community="V1").cooperative.id
        'EC1'
        >>> _ = j.amend_org("W1", cooperative="EC1")
        >>> j.graph.org("W1").cooperative
        'EC1'
        """
        values: dict[str, Any] = {
            "community": community,
            "head": head,
            "branch_secretary": branch_secretary,
        }
        if id is None:  # the values are checked before the id factory is asked for an id
            Cooperative("?", name, **values)
        coop = Cooperative(self._new_id("cooperative", id, community), name, **values)
        return self._do(CooperativeAdded(coop))

    def amend_cooperative(self, cooperative: str, **changes: Any) -> CooperativeAmended:
        """Change attributes of a cooperative other than its id.

        Parameters
        ----------
        cooperative : str
            A cooperative id.
        **changes : object
            New values by attribute name.

        Returns
        -------
        CooperativeAmended
            The applied event; its ``cooperative`` is the new record.

        Raises
        ------
        UnknownReferenceError
            If the cooperative, or a person or community named, is unknown.
        InvalidValueError
            If a name is not an attribute of Cooperative, or is ``id``.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.add_cooperative("EC1", "清湖第一经济社")
        >>> _ = j.add_person("P1", "某社长")
        >>> j.amend_cooperative("EC1", head="P1").cooperative.head
        'P1'
        """
        if "id" in changes:
            raise InvalidValueError("id", changes["id"], "cannot be changed by amend_cooperative")
        current = self.cooperatives.get(require_id("cooperative", cooperative))
        if current is None:
            raise UnknownReferenceError("cooperative", cooperative, "cooperative")
        _check_changes(current, changes)
        return self._do(CooperativeAmended(evolve(current, **changes)))

    def register(
        self,
        person: str,
        community: str,
        date: dt.date | str | None = None,
        *,
        kind: RegistrationKind | str = RegistrationKind.RESIDENCE,
    ) -> MemberRegistered:
        """Register `person` at their residence `community` (居住地报到), or at a work unit's.

        Under dual registration (双报到) a member also reports to the community their
        work unit is paired with: ``kind="work_unit"``, a registration of its own beside
        the residence one.

        Parameters
        ----------
        person : str
            A person id.
        community : str
            An organization at the community level (else the top level).
        date : datetime.date or str, optional
            When the member reported.
        kind : RegistrationKind or str
            ``residence`` (the default) or ``work_unit``.

        Returns
        -------
        MemberRegistered
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or community is unknown.
        HierarchyError
            If `community` is at the wrong level.
        StateError
            If the person is already registered.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> import datetime as dt
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> j.register("P1", "C1", dt.date(2023, 4, 1)).registration.date
        datetime.date(2023, 4, 1)
        >>> j.register("P1", "C1")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: registration.person: 'P1' is already registered at 'C1'
        """
        return self._do(MemberRegistered(Registration(person, community, date, kind=kind)))

    def deregister(
        self,
        person: str,
        *,
        kind: RegistrationKind | str = RegistrationKind.RESIDENCE,
        date: dt.date | str | None = None,
    ) -> MemberDeregistered:
        """Withdraw the residence (or work-unit) registration of `person`.

        Parameters
        ----------
        person : str
            A person id.
        kind : RegistrationKind or str
            ``residence`` (the default) or ``work_unit``.
        date : datetime.date or str, optional
            When it ends.

        Returns
        -------
        MemberDeregistered
            The applied event.

        Raises
        ------
        StateError
            If the person is not registered.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.register("P1", "V1")
        >>> _ = j.deregister("P1")
        >>> j.registered_in("V1"), "P1" in j.registrations
        ([], False)
        """
        return self._do(MemberDeregistered(person, kind, date))

    def file_member(self, person: str, org: str, date: dt.date | str | None = None) -> MemberFiled:
        """File `person` into `org`, an organization at the filing level (入格).

        Parameters
        ----------
        person : str
            A person id.
        org : str
            An organization at the filing level.
        date : datetime.date or str, optional
            When the member was filed.

        Returns
        -------
        MemberFiled
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or organization is unknown.
        HierarchyError
            If `org` is not at the filing level.
        StateError
            If the person is filed already (use :meth:`transfer_member`).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> j.members("V1")
        ['P1']
        >>> j.file_member("P1", "W2")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: filing.person: 'P1' is already filed in 'W1'; transfer instead
        """
        return self._do(MemberFiled(Filing(person, org, date)))

    def unfile_member(self, person: str, *, date: dt.date | str | None = None) -> MemberUnfiled:
        """Withdraw the filing of `person`.

        Parameters
        ----------
        person : str
            A person id.
        date : datetime.date or str, optional
            When the filing ends.

        Returns
        -------
        MemberUnfiled
            The applied event.

        Raises
        ------
        StateError
            If the person is not filed.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> _ = j.unfile_member("P1")
        >>> j.filed_in("P1") is None, j.members("W1")
        (True, [])
        """
        return self._do(MemberUnfiled(person, date))

    def transfer_member(
        self, person: str, org: str, date: dt.date | str | None = None
    ) -> MemberTransferred:
        """Re-file `person` into another organization at the filing level.

        Parameters
        ----------
        person : str
            A filed person's id.
        org : str
            Another organization at the filing level.
        date : datetime.date or str, optional
            When the member was re-filed.

        Returns
        -------
        MemberTransferred
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If `org` is unknown.
        HierarchyError
            If `org` is not at the filing level.
        StateError
            If the person is not filed, or already filed in `org`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "W1")
        >>> _ = j.transfer_member("P1", "W2")
        >>> j.filed_in("P1"), j.members("W1")
        ('W2', [])
        """
        return self._do(MemberTransferred(person, org, date))

    def claim_zone(self, person: str, zone: str, date: dt.date | str | None = None) -> ZoneClaimed:
        """Have `person` claim `zone` (认领责任区).

        Parameters
        ----------
        person : str
            A person id.
        zone : str
            An organization at the zone level.
        date : datetime.date or str, optional
            When the zone was claimed.

        Returns
        -------
        ZoneClaimed
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or zone is unknown.
        HierarchyError
            If `zone` is not at the zone level.
        StateError
            If the person already claims `zone`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> j.claimants("Z1")
        ['P1']
        >>> j.claim_zone("P1", "W1")
        Traceback (most recent call last):
        ...
        gridgov.errors.HierarchyError: claim.zone: 'W1' is at level 'grid'; members claim zones at level 'member_household'
        """
        return self._do(ZoneClaimed(Claim(person, zone, date)))

    def release_zone(self, person: str, zone: str) -> ZoneReleased:
        """Have `person` give up their claim on `zone`.

        Parameters
        ----------
        person : str
            A person id.
        zone : str
            A zone id.

        Returns
        -------
        ZoneReleased
            The applied event.

        Raises
        ------
        StateError
            If `person` does not claim `zone`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Scheme
        >>> j = Jurisdiction(Scheme.preset("three-level"))
        >>> for o, lvl, p in [("V1", "community", None), ("W1", "grid", "V1"),
        ...                   ("W2", "grid", "V1"), ("Z1", "member_household", "W1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.claim_zone("P1", "Z1")
        >>> _ = j.release_zone("P1", "Z1")
        >>> j.zones_claimed_by("P1"), j.claims
        ([], mappingproxy({}))
        """
        return self._do(ZoneReleased(person, zone))

    def appoint(
        self,
        org: str,
        role: Role | str,
        holder: str,
        *,
        appointed_by: str | None = None,
        since: dt.date | str | None = None,
        duty: Duty | str | None = None,
    ) -> PostAssigned:
        """Give `holder` the post `role` in `org`.

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str
            The post.
        holder : str
            The holder's id.
        appointed_by, since, duty
            As for :class:`~gridgov.model.Post`.

        Returns
        -------
        PostAssigned
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the organization, holder or appointing organization is unknown.
        StateError
            If `holder` already holds `role` in `org`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "A", status="full")
        >>> j.appoint("S1", "secretary", "P1").post.role
        'secretary'
        """
        post = Post(
            org,
            role,
            holder,
            appointed_by=appointed_by,
            since=since,
            duty=duty,
        )
        return self._do(PostAssigned(post))

    def vacate(
        self, org: str, role: Role | str, holder: str, *, until: dt.date | str | None = None
    ) -> PostVacated:
        """Have `holder` leave the post `role` in `org`; the post goes into its history.

        Parameters
        ----------
        org : str
            An organization id.
        role : Role or str
            The post.
        holder : str
            The holder's id.
        until : datetime.date or str, optional
            The day they left (exclusive: a successor may start that day).

        Returns
        -------
        PostVacated
            The applied event.

        Raises
        ------
        StateError
            If `holder` holds no such post.
        InvalidValueError
            If `role` is not a role name.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.appoint("B1", "secretary", "P1")
        >>> _ = j.vacate("B1", "secretary", "P1")
        >>> j.posts_in("B1")
        []
        >>> j.vacate("B1", "secretary", "P1")
        Traceback (most recent call last):
        ...
        gridgov.errors.StateError: holder: 'P1' holds no secretary post in 'B1'
        """
        return self._do(PostVacated(org, role, holder, until))

    # -- everyday changes: one batch each (see gridgov.model.operations) --------------------

    def relocate_member(
        self, person: str, org: str, *, date: dt.date | str | None = None
    ) -> Change:
        """Move `person` house, into the group `org` (possibly in another community).

        One batch, all or none: the zones outside the new group are released, the posts
        they can no longer hold (the elected posts and group leader of the organizations
        they leave) vacated, the residence registration moved to the new community and
        the filing moved. See :func:`gridgov.model.operations.relocate_member`.

        Returns
        -------
        Change
            The events applied; ``vacated`` lists the posts to refill.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.file_member("P1", "G1")
        >>> _ = j.relocate_member("P1", "G2", date="2024-03-01")
        >>> j.filed_in("P1"), str(j.filings["P1"].date)
        ('G2', '2024-03-01')
        """
        return self._run(operations.relocate_member(self, person, org, date=date))  # type: ignore[arg-type]

    def replace_holder(
        self,
        org: str,
        role: Role | str,
        old: str,
        new: str,
        *,
        date: dt.date | str | None = None,
    ) -> Change:
        """Hand the post `role` in `org` from `old` over to `new`, in one batch.

        A first secretary who is also a grid leader hands both posts over while the
        first-secretary practice is in force. See
        :func:`gridgov.model.operations.replace_holder`.

        Returns
        -------
        Change
            The events applied; ``vacated`` lists the posts handed over.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.add_person("P1", "甲", status="full")
        >>> _ = j.add_person("P2", "乙", status="full")
        >>> _ = j.appoint("S1", "secretary", "P1")
        >>> _ = j.replace_holder("S1", "secretary", "P1", "P2", date="2024-03-01")
        >>> [p.holder for p in j.posts_in("S1")], j.post_history("S1")[0].until
        (['P2'], datetime.date(2024, 3, 1))
        """
        return self._run(
            operations.replace_holder(self, org, role, old, new, date=date)  # type: ignore[arg-type]
        )

    def split_org(
        self,
        org: str,
        children: Iterable[str],
        *,
        id: str | None = None,
        name: str,
        date: dt.date | str | None = None,
    ) -> Change:
        """Split `org`: a new sibling at the same level takes `children`, in one batch.

        ``id=None``: the id factory makes the new organization's id. See
        :func:`gridgov.model.operations.split_org`.

        Returns
        -------
        Change
            The events applied (the first founds the new organization); ``needs`` lists
            the posts it still needs, ``vacated`` the posts of `org` left by members who
            went.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> change = j.split_org("B1", ["G2"], name="第二网格党支部")
        >>> change.events[0].org.id, j.graph.parent("G2")
        ('B2', 'B2')
        """
        current = self.graph.org(org)  # an unknown org is refused before an id is made
        new_id = self._new_id(current.level, id, current.parent)
        change = operations.split_org(self, org, children, id=new_id, name=name, date=date)  # type: ignore[arg-type]
        return self._run(change)

    def merge_orgs(self, keep: str, absorbed: str, *, date: dt.date | str | None = None) -> Change:
        """Merge `absorbed` into its sibling `keep`, in one batch, and dissolve it.

        See :func:`gridgov.model.operations.merge_orgs`.

        Returns
        -------
        Change
            The events applied; ``vacated`` lists `absorbed`'s posts.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("B2", "branch", "C1"), ("G2", "group", "B2")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> _ = j.merge_orgs("B1", "B2")
        >>> "B2" in j.graph, j.graph.parent("G2")
        (False, 'B1')
        """
        return self._run(operations.merge_orgs(self, keep, absorbed, date=date))  # type: ignore[arg-type]

    def _run(self, change: Change) -> Change:
        self.apply_all(change.events)
        return change

    def attach_member(
        self, person: str, org: str, *, date: dt.date | str | None = None
    ) -> MemberAttached:
        """Have `person` serve in `org` in addition to their grid filing.

        `org` is a temporary, functional or joint organization, or a service team; it
        counts the member among its own (the branch rules count them), and the member's
        grid filing, zones and posts stay as they are.

        Parameters
        ----------
        person : str
            A person id.
        org : str
            The organization they serve in.
        date : datetime.date or str, optional
            Since when.

        Returns
        -------
        MemberAttached
            The applied event.

        Raises
        ------
        UnknownReferenceError
            If the person or organization is unknown.
        HierarchyError
            If `org` is a grid (or general, committee) organization: file members there.
        StateError
            If `person` is already attached to `org`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "西樵镇党委")
        >>> _ = j.found_org("C1", "community", "爱国社区党委", parent="S1")
        >>> _ = j.found_org("T1", "branch", "防疫临时党支部", parent="C1", kind="temporary",
        ...                 ends="2020-06-30")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> j.attach_member("P1", "T1", date="2020-02-01").attachment.date
        datetime.date(2020, 2, 1)
        """
        return self._do(MemberAttached(Attachment(person, org, date)))

    def detach_member(
        self, person: str, org: str, *, date: dt.date | str | None = None
    ) -> MemberDetached:
        """Have `person` stop serving in `org`, an organization they are attached to.

        Parameters
        ----------
        person : str
            A person id.
        org : str
            The organization.
        date : datetime.date or str, optional
            Until when.

        Returns
        -------
        MemberDetached
            The applied event.

        Raises
        ------
        StateError
            If `person` is not attached to `org`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> _ = j.found_org("T1", "branch", "T", parent="C1", kind="temporary")
        >>> _ = j.add_person("P1", "李四", status="full")
        >>> _ = j.attach_member("P1", "T1")
        >>> _ = j.detach_member("P1", "T1")
        >>> j.attached("T1")
        []
        """
        return self._do(MemberDetached(person, org, date))

    def set_policy(self, policy: Policy | None = None, **changes: Any) -> PolicyChanged:
        """Replace the policy, or change some of its settings.

        Parameters
        ----------
        policy : Policy, optional
            The new policy (default: the current one).
        **changes : int
            Settings to change in it.

        Returns
        -------
        PolicyChanged
            The applied event.

        Raises
        ------
        PolicyError
            If a setting is unknown or its value invalid.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> j.set_policy(max_branch_members=60).policy.max_branch_members
        60
        """
        if policy is not None and not isinstance(policy, Policy):
            raise InvalidValueError("policy", policy, "must be a Policy")
        base = policy if policy is not None else self.policy
        return self._do(PolicyChanged(base.replace(**changes) if changes else base))

    def set_as_of(self, as_of: dt.date | str | None) -> AsOfSet:
        """Set the date the state is judged at.

        Parameters
        ----------
        as_of : datetime.date, str or None
            The date (or its ``YYYY-MM-DD`` string); ``None`` clears it.

        Returns
        -------
        AsOfSet
            The applied event.

        Raises
        ------
        InvalidValueError
            If `as_of` is not a date, a ``YYYY-MM-DD`` string or ``None``, or lies outside
            the calendar range gridgov accepts.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> import datetime as dt
        >>> j = Jurisdiction()
        >>> _ = j.set_as_of(dt.date(2024, 6, 30))
        >>> j.as_of
        datetime.date(2024, 6, 30)
        >>> j.set_as_of("2024-07-01").as_of  # an ISO string is a date too
        datetime.date(2024, 7, 1)
        >>> j.set_as_of("30/06/2024")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: as_of: must be a date written YYYY-MM-DD (got '30/06/2024')
        """
        return self._do(AsOfSet(as_of))


def _fields(record: AttrsInstance, values: dict[str, Any]) -> dict[str, Any]:
    """The `values` as `record` (built from them) holds them: checked and converted."""
    return {name: getattr(record, name) for name in values}


def require_id(field: str, value: object) -> str:
    """Return `value` if it can be an id; else raise ``InvalidValueError`` naming `field`."""
    if not isinstance(value, str):
        raise InvalidValueError(field, value, "must be an id (a string)")
    return value


def _check_changes(current: AttrsInstance, changes: Mapping[str, Any]) -> None:
    """Name an unknown field of an amendment instead of letting ``evolve`` raise ``TypeError``."""
    known = {a.name for a in fields(type(current))}
    for key, value in changes.items():
        if key not in known:
            raise InvalidValueError(
                key, value, f"not a field of {type(current).__name__}; fields are {sorted(known)}"
            )
