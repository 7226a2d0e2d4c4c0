"""Domain events: every change to a jurisdiction, as an immutable value.

A jurisdiction is the fold of its events: :meth:`Jurisdiction.apply
<gridgov.model.Jurisdiction.apply>` checks an event against the current state and either
changes the state and appends the event to the log, or raises and changes nothing.
Storage persists the log; messaging publishes it; replaying it rebuilds the same state.

Each event class is an attrs frozen, slotted class carrying everything needed to apply
it and to serialise it (:mod:`gridgov.converters` turns them into JSON-ready dicts with a
``"type"`` tag, the class name). :data:`EVENT_TYPES` maps those names to the classes.

Examples
--------
>>> from gridgov.model import Jurisdiction, Organization
>>> e = OrganizationFounded(Organization("S1", "street", "南沙街道党工委"))
>>> j = Jurisdiction()
>>> j.apply(e) is e
True
>>> j.log[-1] == e, j.version
(True, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from attrs import field, frozen

from gridgov.model.enums import Role
from gridgov.model.policy import Policy
from gridgov.model.scheme import Scheme
from gridgov.model.values import (
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    Person,
    Post,
    Registration,
    _check_date,
    _check_id,
    _check_optional_id,
    _check_text,
    _instance,
    _to_role,
)

__all__ = [
    "EVENT_TYPES",
    "AsOfSet",
    "CooperativeAdded",
    "CooperativeAmended",
    "Event",
    "HouseholdAdded",
    "HouseholdAssigned",
    "MemberDeregistered",
    "MemberFiled",
    "MemberRegistered",
    "MemberTransferred",
    "MemberUnfiled",
    "OrganizationAmended",
    "OrganizationDissolved",
    "OrganizationFounded",
    "OrganizationRenamed",
    "OrganizationReparented",
    "PersonAdded",
    "PersonAmended",
    "PersonRemoved",
    "PolicyChanged",
    "PostAssigned",
    "PostVacated",
    "SchemeSet",
    "ZoneClaimed",
    "ZoneReleased",
]


@frozen
class Event:
    """Base class of all domain events."""


# -- the jurisdiction as a whole -----------------------------------------------------------


@frozen
class SchemeSet(Event):
    """The jurisdiction's scheme is set (only while it has no organizations)."""

    scheme: Scheme = field(validator=_instance(Scheme, "scheme"))


@frozen
class PolicyChanged(Event):
    """The jurisdiction's policy is replaced."""

    policy: Policy = field(validator=_instance(Policy, "policy"))


@frozen
class AsOfSet(Event):
    """The date the jurisdiction's state is judged at (``None``: no date)."""

    as_of: dt.date | None = field(validator=_check_date)


# -- organizations ---------------------------------------------------------------------------


@frozen
class OrganizationFounded(Event):
    """An organization is founded under its parent (or as the root)."""

    org: Organization = field(validator=_instance(Organization, "org"))


@frozen
class OrganizationAmended(Event):
    """An organization's attributes change; its id, level and parent stay."""

    org: Organization = field(validator=_instance(Organization, "org"))


@frozen
class OrganizationRenamed(Event):
    """An organization gets a new name."""

    org: str = field(validator=_check_id)
    name: str = field(validator=_check_text)


@frozen
class OrganizationReparented(Event):
    """An organization moves under another parent at the same level."""

    org: str = field(validator=_check_id)
    parent: str | None = field(validator=_check_optional_id)


@frozen
class OrganizationDissolved(Event):
    """An empty organization (no children, filings, households, claims, posts) is dissolved."""

    org: str = field(validator=_check_id)


# -- people and households -------------------------------------------------------------------


@frozen
class HouseholdAdded(Event):
    """A household becomes known."""

    household: Household = field(validator=_instance(Household, "household"))


@frozen
class HouseholdAssigned(Event):
    """A household is put into a zone, moved to another, or taken out (``zone=None``)."""

    household: str = field(validator=_check_id)
    zone: str | None = field(validator=_check_optional_id)


@frozen
class PersonAdded(Event):
    """A person becomes known (a member when ``person.party`` is set)."""

    person: Person = field(validator=_instance(Person, "person"))


@frozen
class PersonAmended(Event):
    """A person's attributes change (name, membership, status, categories, household)."""

    person: Person = field(validator=_instance(Person, "person"))


@frozen
class PersonRemoved(Event):
    """A person with no registration, filing, claims or posts is removed."""

    person: str = field(validator=_check_id)


@frozen
class CooperativeAdded(Event):
    """An economic cooperative becomes known."""

    cooperative: Cooperative = field(validator=_instance(Cooperative, "cooperative"))


@frozen
class CooperativeAmended(Event):
    """A cooperative's attributes change (name, head, branch secretary, community)."""

    cooperative: Cooperative = field(validator=_instance(Cooperative, "cooperative"))


# -- registration and filing -----------------------------------------------------------------


@frozen
class MemberRegistered(Event):
    """A member reports to their residence community (居住地报到)."""

    registration: Registration = field(validator=_instance(Registration, "registration"))


@frozen
class MemberDeregistered(Event):
    """A member's residence registration is withdrawn (e.g. they moved away)."""

    person: str = field(validator=_check_id)


@frozen
class MemberFiled(Event):
    """A member not filed yet is filed into an organization at the filing level (入格)."""

    filing: Filing = field(validator=_instance(Filing, "filing"))


@frozen
class MemberUnfiled(Event):
    """A member's filing is withdrawn."""

    person: str = field(validator=_check_id)


@frozen
class MemberTransferred(Event):
    """A filed member is re-filed into another organization at the filing level."""

    person: str = field(validator=_check_id)
    org: str = field(validator=_check_id)
    date: dt.date | None = field(default=None, validator=_check_date)


@frozen
class ZoneClaimed(Event):
    """A member claims a responsibility zone (认领)."""

    claim: Claim = field(validator=_instance(Claim, "claim"))


@frozen
class ZoneReleased(Event):
    """A member gives up a zone they claimed."""

    person: str = field(validator=_check_id)
    zone: str = field(validator=_check_id)


# -- posts --------------------------------------------------------------------------------------


@frozen
class PostAssigned(Event):
    """A person is given a post in an organization."""

    post: Post = field(validator=_instance(Post, "post"))


@frozen
class PostVacated(Event):
    """A person leaves a post."""

    org: str = field(validator=_check_id)
    role: Role = field(converter=_to_role)
    holder: str = field(validator=_check_id)


EVENT_TYPES: Mapping[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        SchemeSet,
        PolicyChanged,
        AsOfSet,
        OrganizationFounded,
        OrganizationAmended,
        OrganizationRenamed,
        OrganizationReparented,
        OrganizationDissolved,
        HouseholdAdded,
        HouseholdAssigned,
        PersonAdded,
        PersonAmended,
        PersonRemoved,
        CooperativeAdded,
        CooperativeAmended,
        MemberRegistered,
        MemberDeregistered,
        MemberFiled,
        MemberUnfiled,
        MemberTransferred,
        ZoneClaimed,
        ZoneReleased,
        PostAssigned,
        PostVacated,
    )
}
"""Every event class by its name (the ``"type"`` tag of a serialised event)."""
