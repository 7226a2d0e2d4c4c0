"""Domain events: every change to a jurisdiction, as an immutable value that declares itself.

A jurisdiction is the fold of its events: :meth:`Jurisdiction.apply
<gridgov.model.Jurisdiction.apply>` hands the event its state; the event checks itself
against it (:mod:`gridgov.model.integrity`) and either changes it or raises and changes
nothing. Storage persists the log; messaging publishes it; replaying it rebuilds the
same state.

Each event class carries everything the rest of gridgov needs to know about it, in one
place:

- ``topic`` and ``schema_version``: the ``"type"`` tag of a serialised event and the
  version of its payload; ``upcasters`` turn an older payload into the current one;
- ``record``: the section of the document format it comes from (``"filings"``), if any;
- ``writes``: the kinds of state it changes (:data:`~gridgov.model.state.STATE_KINDS`);
- :meth:`Event.apply_to`: check, then change the state;
- :meth:`Event.touches`: the ids it touches by kind, read in a state (before or after
  it is applied): what incremental validation re-checks;
- :meth:`Event.describe`, :meth:`Event.path_key`, :meth:`Event.refusal`,
  :meth:`Event.new_id`: what the tolerant document reader says of it;
- :meth:`Event.between`: the events of its type that turn one jurisdiction into another.

A third party's event type is a subclass of :class:`Event` that fills these in; it is
applied like a built-in one (no registry is needed to apply it) and reaches the
converters through the ``gridgov_event_types`` hook.

Examples
--------
>>> from gridgov.model import Jurisdiction, Organization
>>> e = OrganizationFounded(Organization("S1", "street", "南沙街道党工委"))
>>> e.topic, e.record, sorted(e.writes)
('OrganizationFounded', 'organizations', ['organizations'])
>>> j = Jurisdiction()
>>> j.apply(e) is e
True
>>> j.log[-1] == e, j.version
(True, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from attrs import Attribute, evolve, field, frozen

from gridgov.errors import (
    HierarchyError,
    InvalidValueError,
    NotEmptyError,
    StateError,
    UnknownReferenceError,
)
from gridgov.limits import check_flag, check_ids
from gridgov.model import integrity as check
from gridgov.model.enums import OrgKind, RegistrationKind, Role
from gridgov.model.graph import OrgGraph
from gridgov.model.policy import Policy
from gridgov.model.scheme import Scheme
from gridgov.model.state import STATE_KINDS, PostKey, State
from gridgov.model.values import (
    Attachment,
    Claim,
    Cooperative,
    Filing,
    Household,
    Organization,
    Person,
    Post,
    Registration,
    as_of_converter,
    check_id,
    check_optional_id,
    check_text,
    date_converter,
    instance_of,
    to_registration_kind,
    to_role,
    until_converter,
)

__all__ = [
    "BUILTIN_EVENTS",
    "EVENT_TYPES",
    "AsOfSet",
    "CooperativeAdded",
    "CooperativeAmended",
    "Event",
    "HouseholdAdded",
    "HouseholdAmended",
    "HouseholdAssigned",
    "JurisdictionView",
    "MemberAttached",
    "MemberDeregistered",
    "MemberDetached",
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
    "Touch",
    "ZoneClaimed",
    "ZoneReleased",
]


def _touch_ids(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]  # refused by _check_touch_ids
    return tuple(value)


def _check_touch_ids(instance: object, attribute: Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not all(type(v) is str for v in value):
        check_ids(attribute.name, value)


def _check_everything(instance: object, attribute: Attribute[Any], value: object) -> None:
    check_flag("everything", value)


@frozen
class Touch:
    """What an event touches, by kind, read in one state.

    Incremental validation reads it in the state before and after the event and
    re-checks every rule whose ``reads`` the event ``writes``, on the subjects these ids
    lead to (see :class:`~gridgov.rules.Validator`).

    Parameters
    ----------
    orgs : tuple of str
        Organizations whose record or place in the tree changes (and, for one that
        disappears, its parent).
    anchors : tuple of str
        Organizations a changed record attaches to: a filing's, post's or registration's
        organization, a claimed zone, the zone a household moves in or out of.
    people, households, cooperatives : tuple of str
        The people, households and cooperatives whose records change, or whose
        filings, posts, claims or registration change.
    everything : bool
        The event concerns the jurisdiction as a whole (scheme, policy, as-of date):
        every rule reading what it writes is re-run on everything.

    Examples
    --------
    >>> Touch(people=("P1",), anchors=("G1",)).people
    ('P1',)
    """

    orgs: tuple[str, ...] = field(default=(), converter=_touch_ids, validator=_check_touch_ids)
    anchors: tuple[str, ...] = field(default=(), converter=_touch_ids, validator=_check_touch_ids)
    people: tuple[str, ...] = field(default=(), converter=_touch_ids, validator=_check_touch_ids)
    households: tuple[str, ...] = field(
        default=(), converter=_touch_ids, validator=_check_touch_ids
    )
    cooperatives: tuple[str, ...] = field(
        default=(), converter=_touch_ids, validator=_check_touch_ids
    )
    everything: bool = field(default=False, validator=_check_everything)


_EVERYTHING = Touch(everything=True)


class JurisdictionView(Protocol):
    """What :meth:`Event.between` reads of a jurisdiction (its public read API)."""

    @property
    def policy(self) -> Policy: ...
    @property
    def as_of(self) -> dt.date | None: ...
    @property
    def scheme(self) -> Scheme: ...
    @property
    def graph(self) -> OrgGraph: ...
    @property
    def people(self) -> Mapping[str, Person]: ...
    @property
    def households(self) -> Mapping[str, Household]: ...
    @property
    def zone_of_household(self) -> Mapping[str, str]: ...
    @property
    def cooperatives(self) -> Mapping[str, Cooperative]: ...
    @property
    def registrations(self) -> Mapping[str, Registration]: ...
    @property
    def work_registrations(self) -> Mapping[str, Registration]: ...
    @property
    def filings(self) -> Mapping[str, Filing]: ...
    @property
    def attachments(self) -> Mapping[tuple[str, str], Attachment]: ...
    @property
    def claims(self) -> Mapping[tuple[str, str], Claim]: ...
    @property
    def posts(self) -> Mapping[PostKey, Post]: ...


_NO_UPCASTERS: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = MappingProxyType({})


@frozen
class Event:
    """Base class of all domain events.

    Subclasses are attrs frozen classes that set the class attributes below and
    implement :meth:`apply_to` and :meth:`touches`; the other methods have defaults.

    Attributes
    ----------
    topic : str
        The stable name of the event type (default: the class name); the ``"type"`` tag
        of a serialised event.
    schema_version : int
        The version of the payload (default 1); bump it when the fields change and add
        an upcaster.
    upcasters : mapping of int to callable
        ``upcasters[n](payload)`` turns a version-``n`` payload (a dict without the tag)
        into a version ``n + 1`` one.
    record : str or None
        The section of the document format this event comes from (``"people"``), if any;
        its only field then holds the record.
    writes : frozenset of str
        The kinds of state it changes (:data:`~gridgov.model.state.STATE_KINDS`).
    optional : tuple of str
        Error fields of optional references (``"org.cooperative"``) that the tolerant
        reader may drop and retry without.

    Examples
    --------
    >>> class Noted(Event):
    ...     writes = frozenset()
    >>> Noted.topic, Noted.schema_version
    ('Noted', 1)
    """

    topic: ClassVar[str] = "Event"
    schema_version: ClassVar[int] = 1
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = _NO_UPCASTERS
    record: ClassVar[str | None] = None
    writes: ClassVar[frozenset[str]] = frozenset()
    optional: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "topic" not in cls.__dict__:
            cls.topic = cls.__name__
        unknown = set(cls.writes) - STATE_KINDS
        if unknown:
            raise InvalidValueError(
                f"{cls.__name__}.writes",
                sorted(unknown),
                f"kinds of state are {sorted(STATE_KINDS)}",
            )
        version = cls.schema_version
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidValueError(
                f"{cls.__name__}.schema_version", version, "must be an integer >= 1"
            )

    def apply_to(self, state: State) -> None:
        """Check this event against `state`, then change it; or raise and change nothing.

        Raises
        ------
        IntegrityError
            (a subclass of it) if the event would break structural integrity.
        """
        raise InvalidValueError("event", self, f"{type(self).__name__} does not implement apply_to")

    def touches(self, state: State) -> Touch:
        """Return what this event touches, read in `state` (default: everything).

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy
        >>> MemberUnfiled("P1").touches(State(FIVE_LEVEL, Policy())).people
        ('P1',)
        """
        return _EVERYTHING

    def describe(self) -> str:
        """A short name of the record this event adds, for messages.

        Examples
        --------
        >>> MemberFiled(Filing("P5", "G1")).describe()
        "filing of 'P5'"
        """
        return type(self).__name__

    def subject_ids(self) -> tuple[str, ...]:
        """The ids a message about this event's record names, its subject first.

        Examples
        --------
        >>> MemberFiled(Filing("P5", "G1")).subject_ids()
        ('P5', 'G1')
        """
        return ()

    def path_key(self) -> tuple[str, object] | None:
        """The key its record's document position is kept under, e.g. ``("filing", "P5")``.

        Examples
        --------
        >>> ZoneClaimed(Claim("P5", "Z1")).path_key()
        ('claim', ('P5', 'Z1'))
        """
        return None

    def refusal(self) -> tuple[str, str, object] | None:
        """What refusing this event's record leaves missing: ``(record, subject, detail)``.

        A refused post leaves its organization short of a holder of its role; rules
        declare, with ``explained_by``, which of their findings that explains.

        Examples
        --------
        >>> PostAssigned(Post("B1", "secretary", "P3")).refusal()
        ('post', 'B1', 'secretary')
        """
        return None

    def new_id(self) -> str | None:
        """The id this event introduces, if it adds a record that has one.

        Examples
        --------
        >>> PersonAdded(Person("P1", "李四")).new_id()
        'P1'
        """
        return None

    def without(self, field: str) -> Event | None:
        """This event without the optional reference `field`, or ``None`` if it has none.

        Examples
        --------
        >>> e = PersonAdded(Person("P1", "李四", household="H9"))
        >>> e.without("person.household").person.household is None
        True
        """
        if not isinstance(field, str):
            raise InvalidValueError("field", field, "must be a field name such as 'org.parent'")
        if field not in self.optional:
            return None
        record, attr = field.split(".", 1)
        inner = getattr(self, record)
        return evolve(self, **{record: evolve(inner, **{attr: None})})

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        """Yield ``(phase, event)`` for the events of this type that turn `old` into `new`.

        :func:`gridgov.model.diff.events_between` collects them from every event type
        and orders them by phase: withdrawals first (10-19), then additions and changes
        (20-89: households, people, cooperatives, organizations top-down, zones,
        registrations, filings, claims, posts), then removals (90-99). The default
        yields nothing: a type that does not stand for a difference of state.
        """
        return iter(())


def _one(*ids: str | None) -> tuple[str, ...]:
    return tuple(i for i in ids if i is not None)


# -- the jurisdiction as a whole -----------------------------------------------------------


@frozen
class SchemeSet(Event):
    """The jurisdiction's scheme is set (only while it has no organizations)."""

    record: ClassVar[str | None] = "scheme"
    writes: ClassVar[frozenset[str]] = frozenset({"scheme"})

    scheme: Scheme = field(validator=instance_of(Scheme, "scheme"))

    def apply_to(self, state: State) -> None:
        if len(state.graph):
            shown = self.scheme.name if self.scheme.name is not None else list(self.scheme.levels)
            raise StateError(
                "scheme",
                shown,
                f"cannot change to {shown!r}: the scheme cannot change once organizations exist",
            )
        state.set_scheme(self.scheme)


@frozen
class PolicyChanged(Event):
    """The jurisdiction's policy is replaced."""

    record: ClassVar[str | None] = "policy"
    writes: ClassVar[frozenset[str]] = frozenset({"policy"})

    policy: Policy = field(validator=instance_of(Policy, "policy"))

    def apply_to(self, state: State) -> None:
        state.set_policy(self.policy)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        if new.policy != old.policy:
            yield 2, cls(new.policy)


@frozen
class AsOfSet(Event):
    """The date the jurisdiction's state is judged at (``None``: no date)."""

    record: ClassVar[str | None] = "as_of"
    writes: ClassVar[frozenset[str]] = frozenset({"as_of"})

    as_of: dt.date | None = field(converter=as_of_converter)

    def apply_to(self, state: State) -> None:
        state.set_as_of(self.as_of)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        if new.as_of != old.as_of:
            yield 3, cls(new.as_of)


# -- organizations ---------------------------------------------------------------------------


def _check_org_refs(state: State, org: Organization) -> None:
    if org.cooperative is not None:
        check.check_cooperative(state, "org.cooperative", org.cooperative)


@frozen
class OrganizationFounded(Event):
    """An organization is founded under its parent (or as the root)."""

    record: ClassVar[str | None] = "organizations"
    writes: ClassVar[frozenset[str]] = frozenset({"organizations"})
    optional: ClassVar[tuple[str, ...]] = ("org.cooperative",)

    org: Organization = field(validator=instance_of(Organization, "org"))

    def apply_to(self, state: State) -> None:
        org = self.org
        check.check_new_id(state, "org.id", org.id)
        check.check_parent(state, "org.parent", org)
        _check_org_refs(state, org)
        state.add_org(org)

    def touches(self, state: State) -> Touch:
        return Touch(orgs=_one(self.org.id, self.org.parent))

    def describe(self) -> str:
        return f"organization {self.org.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.org.id,)

    def path_key(self) -> tuple[str, object]:
        return ("org", self.org.id)

    def new_id(self) -> str:
        return self.org.id

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        og, ng = old.graph, new.graph
        depth = new.scheme.depth
        for org in sorted((o for o in ng if o not in og), key=lambda o: depth(ng.level(o))):
            yield 40, cls(ng.org(org))


@frozen
class OrganizationAmended(Event):
    """An organization's attributes change; its id, level and parent stay."""

    writes: ClassVar[frozenset[str]] = frozenset({"organizations"})
    optional: ClassVar[tuple[str, ...]] = ("org.cooperative",)

    org: Organization = field(validator=instance_of(Organization, "org"))

    def apply_to(self, state: State) -> None:
        org = self.org
        check.check_org(state, "org.id", org.id)
        current = state.graph.org(org.id)
        for attr in ("level", "parent"):
            if getattr(org, attr) != getattr(current, attr):
                raise StateError(
                    f"org.{attr}",
                    getattr(org, attr),
                    f"an amendment cannot change the {attr} of {org.id!r} "
                    f"from {getattr(current, attr)!r} to {getattr(org, attr)!r}",
                )
        kind = org.kind
        if kind is not None and kind.is_team and state.graph._members.get(org.id):
            raise StateError(
                "org.kind",
                kind.value,
                f"{org.id!r} has members filed in it: it cannot become a {kind.value!r} "
                f"(a service team has members attached)",
            )
        if state.attached_by_org.get(org.id) and (kind is None or not kind.attachable):
            raise StateError(
                "org.kind",
                None if kind is None else kind.value,
                f"{org.id!r} has members attached: it cannot become "
                f"{'an organization of no kind' if kind is None else repr(kind.value)}, "
                f"which takes none",
            )
        _check_org_refs(state, org)
        state.replace_org(org)

    def touches(self, state: State) -> Touch:
        return Touch(orgs=(self.org.id,))

    def describe(self) -> str:
        return f"organization {self.org.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.org.id,)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        og, ng = old.graph, new.graph
        for org_id in ng:
            if org_id in og:
                org = ng.org(org_id)
                if evolve(og.org(org_id), parent=org.parent) != org:
                    yield 42, cls(org)


@frozen
class OrganizationRenamed(Event):
    """An organization gets a new name."""

    writes: ClassVar[frozenset[str]] = frozenset({"organizations"})

    org: str = field(validator=check_id)
    name: str = field(validator=check_text)

    def apply_to(self, state: State) -> None:
        check.check_org(state, "org", self.org)
        state.replace_org(evolve(state.graph.org(self.org), name=self.name))

    def touches(self, state: State) -> Touch:
        return Touch(orgs=(self.org,))


@frozen
class OrganizationReparented(Event):
    """An organization moves under another parent at the same level."""

    writes: ClassVar[frozenset[str]] = frozenset({"organizations"})

    org: str = field(validator=check_id)
    parent: str | None = field(validator=check_optional_id)

    def apply_to(self, state: State) -> None:
        check.check_org(state, "org", self.org)
        current = state.graph.org(self.org)
        if self.parent == current.parent:
            where = "at the top level" if self.parent is None else f"under {self.parent!r}"
            raise StateError("parent", self.parent, f"{self.org!r} is already {where}")
        moved = evolve(current, parent=self.parent)
        check.check_parent(state, "parent", moved)
        state.move_org(moved)

    def touches(self, state: State) -> Touch:
        graph = state.graph
        old = graph.parent(self.org) if self.org in graph else None
        return Touch(orgs=_one(self.org, old, self.parent))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        og, ng = old.graph, new.graph
        depth = new.scheme.depth
        for org_id in sorted((o for o in ng if o in og), key=lambda o: depth(ng.level(o))):
            parent = ng.parent(org_id)
            if og.parent(org_id) != parent:
                yield 41, cls(org_id, parent)


@frozen
class OrganizationDissolved(Event):
    """An empty organization (no children, filings, households, claims, posts) is dissolved."""

    writes: ClassVar[frozenset[str]] = frozenset({"organizations"})

    org: str = field(validator=check_id)

    def apply_to(self, state: State) -> None:
        org = self.org
        check.check_org(state, "org", org)
        g = state.graph
        blockers = []
        children, filed = g.children(org), g._members.get(org)
        if children:
            blockers.append(_count(len(children), "child organization"))
        if filed:
            blockers.append(_count(len(filed), "filed member"))
        for index, noun in (
            (state.households_in, "household"),
            (state.claims_by_zone, "claim"),
            (state.posts_by_org, "post"),
            (state.registered_in, "registration"),
        ):
            if index.get(org):
                blockers.append(_count(len(index[org]), noun))
        if state.attached_by_org.get(org):
            blockers.append(_count(len(state.attached_by_org[org]), "attached member"))
        if state.work_registered_in.get(org):
            blockers.append(_count(len(state.work_registered_in[org]), "work-unit registration"))
        if state.appointed.get(org):
            blockers.append("posts it appointed")
        if state.coops_in.get(org):
            blockers.append("cooperatives in it")
        if blockers:
            raise NotEmptyError("org", org, f"{org!r} still has {', '.join(blockers)}")
        state.remove_org(org)

    def touches(self, state: State) -> Touch:
        graph = state.graph
        parent = graph.parent(self.org) if self.org in graph else None
        return Touch(orgs=_one(self.org, parent))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        og, ng = old.graph, new.graph
        depth = old.scheme.depth
        for org_id in sorted((o for o in og if o not in ng), key=lambda o: -depth(og.level(o))):
            yield 91, cls(org_id)


def _count(n: int, noun: str) -> str:
    """``_count(1, "post")`` is ``'1 post'``; ``_count(2, "post")`` is ``'2 posts'``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# -- people and households -------------------------------------------------------------------


@frozen
class HouseholdAdded(Event):
    """A household becomes known."""

    record: ClassVar[str | None] = "households"
    writes: ClassVar[frozenset[str]] = frozenset({"households"})

    household: Household = field(validator=instance_of(Household, "household"))

    def apply_to(self, state: State) -> None:
        check.check_new_id(state, "household.id", self.household.id)
        state.add_household(self.household)

    def touches(self, state: State) -> Touch:
        return Touch(households=(self.household.id,))

    def describe(self) -> str:
        return f"household {self.household.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.household.id,)

    def path_key(self) -> tuple[str, object]:
        return ("household", self.household.id)

    def new_id(self) -> str:
        return self.household.id

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for hid, h in new.households.items():
            if hid not in old.households:
                yield 20, cls(h)


@frozen
class HouseholdAssigned(Event):
    """A household is put into a zone, moved to another, or taken out (``zone=None``)."""

    writes: ClassVar[frozenset[str]] = frozenset({"households"})

    household: str = field(validator=check_id)
    zone: str | None = field(validator=check_optional_id)

    def apply_to(self, state: State) -> None:
        hh = self.household
        check.check_household(state, "household", hh)
        current = state.zone_of.get(hh)
        if self.zone is None:
            if current is None:
                raise StateError("zone", None, f"household {hh!r} is in no zone")
        else:
            check.check_at_level(
                state, "zone", self.zone, state.scheme.zone_level, "households are put in zones"
            )
            if current == self.zone:
                raise StateError("zone", self.zone, f"household {hh!r} is already in {self.zone!r}")
        state.assign_household(hh, self.zone)

    def touches(self, state: State) -> Touch:
        return Touch(
            anchors=_one(self.zone, state.zone_of.get(self.household)),
            households=(self.household,),
        )

    def describe(self) -> str:
        return f"household {self.household!r} of zone {self.zone or ''!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.zone or "", self.household)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        before, after = old.zone_of_household, new.zone_of_household
        for h, z in after.items():
            if before.get(h) != z:
                yield 50, cls(h, z)
        for h in before:
            if h not in after:
                yield 90, cls(h, None)


@frozen
class HouseholdAmended(Event):
    """A household's attributes change (building, address, location, Party plaque).

    Its id stays, and so does its zone (:class:`HouseholdAssigned` moves it).
    """

    writes: ClassVar[frozenset[str]] = frozenset({"households"})

    household: Household = field(validator=instance_of(Household, "household"))

    def apply_to(self, state: State) -> None:
        check.check_household(state, "household.id", self.household.id)
        state.add_household(self.household)

    def touches(self, state: State) -> Touch:
        return Touch(households=(self.household.id,))

    def describe(self) -> str:
        return f"household {self.household.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.household.id,)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for hid, h in new.households.items():
            before = old.households.get(hid)
            if before is not None and before != h:
                yield 20, cls(h)


def _check_person_refs(state: State, person: Person) -> None:
    if person.household is not None:
        check.check_household(state, "person.household", person.household)


@frozen
class PersonAdded(Event):
    """A person becomes known (a member when ``person.party`` is set)."""

    record: ClassVar[str | None] = "people"
    writes: ClassVar[frozenset[str]] = frozenset({"people"})
    optional: ClassVar[tuple[str, ...]] = ("person.household",)

    person: Person = field(validator=instance_of(Person, "person"))

    def apply_to(self, state: State) -> None:
        check.check_new_id(state, "person.id", self.person.id)
        _check_person_refs(state, self.person)
        state.put_person(self.person)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.person.id,))

    def describe(self) -> str:
        return f"person {self.person.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.person.id,)

    def path_key(self) -> tuple[str, object]:
        return ("person", self.person.id)

    def new_id(self) -> str:
        return self.person.id

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for pid, person in new.people.items():
            if pid not in old.people:
                yield 21, cls(person)


@frozen
class PersonAmended(Event):
    """A person's attributes change (name, membership, status, categories, household)."""

    writes: ClassVar[frozenset[str]] = frozenset({"people"})
    optional: ClassVar[tuple[str, ...]] = ("person.household",)

    person: Person = field(validator=instance_of(Person, "person"))

    def apply_to(self, state: State) -> None:
        check.check_person(state, "person.id", self.person.id)
        _check_person_refs(state, self.person)
        state.put_person(self.person)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.person.id,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for pid, person in new.people.items():
            before = old.people.get(pid)
            if before is not None and before != person:
                yield 22, cls(person)


@frozen
class PersonRemoved(Event):
    """A person with no registration, filing, claims or posts is removed.

    Their past tenures go with them (the log keeps them).
    """

    writes: ClassVar[frozenset[str]] = frozenset({"people", "posts"})

    person: str = field(validator=check_id)

    def apply_to(self, state: State) -> None:
        pid = self.person
        check.check_person(state, "person", pid)
        blockers = []
        if pid in state.registrations:
            blockers.append("a registration")
        if pid in state.work_registrations:
            blockers.append("a work-unit registration")
        if pid in state.filings:
            blockers.append("a filing")
        if state.attached_by_person.get(pid):
            blockers.append("attachments")
        if state.claims_by_person.get(pid):
            blockers.append("zone claims")
        if state.posts_by_holder.get(pid):
            blockers.append("posts")
        if state.coop_roles.get(pid):
            blockers.append("a cooperative role")
        if blockers:
            raise NotEmptyError("person", pid, f"{pid!r} still has {', '.join(blockers)}")
        state.remove_person(pid)

    def touches(self, state: State) -> Touch:
        pid = self.person
        held = tuple(o for o, t in state.tenures.items() if any(p.holder == pid for p in t))
        return Touch(orgs=held, people=(pid,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for pid in old.people:
            if pid not in new.people:
                yield 92, cls(pid)


def _check_coop_refs(state: State, coop: Cooperative) -> None:
    if coop.community is not None:
        check.check_at_level(
            state,
            "cooperative.community",
            coop.community,
            state.registration_level(),
            "cooperatives belong",
        )
    if coop.head is not None:
        check.check_person(state, "cooperative.head", coop.head)
    if coop.branch_secretary is not None:
        check.check_person(state, "cooperative.branch_secretary", coop.branch_secretary)


@frozen
class CooperativeAdded(Event):
    """An economic cooperative becomes known."""

    record: ClassVar[str | None] = "cooperatives"
    writes: ClassVar[frozenset[str]] = frozenset({"cooperatives"})
    optional: ClassVar[tuple[str, ...]] = (
        "cooperative.head",
        "cooperative.branch_secretary",
        "cooperative.community",
    )

    cooperative: Cooperative = field(validator=instance_of(Cooperative, "cooperative"))

    def apply_to(self, state: State) -> None:
        check.check_new_id(state, "cooperative.id", self.cooperative.id)
        _check_coop_refs(state, self.cooperative)
        state.put_coop(self.cooperative)

    def touches(self, state: State) -> Touch:
        return Touch(cooperatives=(self.cooperative.id,))

    def describe(self) -> str:
        return f"cooperative {self.cooperative.id!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.cooperative.id,)

    def path_key(self) -> tuple[str, object]:
        return ("cooperative", self.cooperative.id)

    def new_id(self) -> str:
        return self.cooperative.id

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for cid, c in new.cooperatives.items():
            if cid not in old.cooperatives:
                yield 30, cls(c)


@frozen
class CooperativeAmended(Event):
    """A cooperative's attributes change (name, head, branch secretary, community)."""

    writes: ClassVar[frozenset[str]] = frozenset({"cooperatives"})
    optional: ClassVar[tuple[str, ...]] = CooperativeAdded.optional

    cooperative: Cooperative = field(validator=instance_of(Cooperative, "cooperative"))

    def apply_to(self, state: State) -> None:
        cid = self.cooperative.id
        if cid not in state.coops:
            raise UnknownReferenceError("cooperative.id", cid, "cooperative")
        _check_coop_refs(state, self.cooperative)
        state.put_coop(self.cooperative)

    def touches(self, state: State) -> Touch:
        return Touch(cooperatives=(self.cooperative.id,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for cid, c in new.cooperatives.items():
            before = old.cooperatives.get(cid)
            if before is not None and before != c:
                yield 80, cls(c)


# -- registration and filing -----------------------------------------------------------------


@frozen
class MemberRegistered(Event):
    """A member reports to their residence community (居住地报到)."""

    record: ClassVar[str | None] = "registrations"
    writes: ClassVar[frozenset[str]] = frozenset({"registrations"})

    registration: Registration = field(validator=instance_of(Registration, "registration"))

    def apply_to(self, state: State) -> None:
        r = self.registration
        check.check_person(state, "registration.person", r.person)
        check.check_at_level(
            state,
            "registration.community",
            r.community,
            state.registration_level(),
            "members register",
        )
        records = (
            state.registrations
            if r.kind is RegistrationKind.RESIDENCE
            else state.work_registrations
        )
        current = records.get(r.person)
        if current is not None:
            what = (
                "registered"
                if r.kind is RegistrationKind.RESIDENCE
                else "registered by a work unit"
            )
            raise StateError(
                "registration.person",
                r.person,
                f"{r.person!r} is already {what} at {current.community!r}",
            )
        state.register(r)

    def touches(self, state: State) -> Touch:
        r = self.registration
        return Touch(people=(r.person,), anchors=(r.community,))

    def describe(self) -> str:
        return f"registration of {self.registration.person!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.registration.person, self.registration.community)

    def path_key(self) -> tuple[str, object]:
        r = self.registration
        if r.kind is RegistrationKind.RESIDENCE:
            return ("registration", r.person)
        return ("registration", (r.person, r.kind.value))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for before, after in (
            (old.registrations, new.registrations),
            (old.work_registrations, new.work_registrations),
        ):
            for p, r in after.items():
                b = before.get(p)
                if b != r:
                    yield 60, cls(r)


def _upcast_added_date(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 had no date: a version-1 payload is a version-2 one without it."""
    return payload


@frozen
class MemberDeregistered(Event):
    """A member's registration is withdrawn (e.g. they moved away).

    Schema version 2 added `kind` and `date`; a version-1 payload is a residence
    registration withdrawn on an unknown date.
    """

    writes: ClassVar[frozenset[str]] = frozenset({"registrations"})
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = (
        MappingProxyType({1: _upcast_added_date})
    )

    person: str = field(validator=check_id)
    kind: RegistrationKind = field(
        default=RegistrationKind.RESIDENCE, converter=to_registration_kind
    )
    date: dt.date | None = field(default=None, converter=date_converter)

    def apply_to(self, state: State) -> None:
        records = (
            state.registrations
            if self.kind is RegistrationKind.RESIDENCE
            else state.work_registrations
        )
        if self.person not in records:
            what = (
                "registered"
                if self.kind is RegistrationKind.RESIDENCE
                else "registered by a work unit"
            )
            raise StateError("person", self.person, f"{self.person!r} is not {what}")
        state.deregister(self.person, self.kind)

    def touches(self, state: State) -> Touch:
        records = (
            state.registrations
            if self.kind is RegistrationKind.RESIDENCE
            else state.work_registrations
        )
        r = records.get(self.person)
        return Touch(people=(self.person,), anchors=() if r is None else (r.community,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for kind, before, after in (
            (RegistrationKind.RESIDENCE, old.registrations, new.registrations),
            (RegistrationKind.WORK_UNIT, old.work_registrations, new.work_registrations),
        ):
            for p, r in before.items():
                if after.get(p) != r:
                    yield 13, cls(p, kind)


@frozen
class MemberFiled(Event):
    """A member not filed yet is filed into an organization at the filing level (入格)."""

    record: ClassVar[str | None] = "filings"
    writes: ClassVar[frozenset[str]] = frozenset({"filings"})

    filing: Filing = field(validator=instance_of(Filing, "filing"))

    def apply_to(self, state: State) -> None:
        f = self.filing
        check.check_person(state, "filing.person", f.person)
        check.check_at_level(
            state, "filing.org", f.org, state.scheme.filing_level, "members are filed", code="GG106"
        )
        _refuse_team(state, "filing.org", f.org)
        current = state.filings.get(f.person)
        if current is not None:
            raise StateError(
                "filing.person",
                f.person,
                f"{f.person!r} is already filed in {current.org!r}; transfer instead",
                code="GG107",
                hint="keep one filing per person",
            )
        state.file(f)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.filing.person,), anchors=(self.filing.org,))

    def describe(self) -> str:
        return f"filing of {self.filing.person!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.filing.person, self.filing.org)

    def path_key(self) -> tuple[str, object]:
        return ("filing", self.filing.person)

    def refusal(self) -> tuple[str, str, object]:
        return ("filing", self.filing.person, None)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        before = old.filings
        for p, f in new.filings.items():
            if p not in before:
                yield 61, cls(f)


@frozen
class MemberUnfiled(Event):
    """A member's filing is withdrawn.

    Schema version 2 added `date` (when the filing ended).
    """

    writes: ClassVar[frozenset[str]] = frozenset({"filings"})
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = (
        MappingProxyType({1: _upcast_added_date})
    )

    person: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)

    def apply_to(self, state: State) -> None:
        if self.person not in state.filings:
            raise StateError("person", self.person, f"{self.person!r} is not filed")
        state.unfile(self.person)

    def touches(self, state: State) -> Touch:
        f = state.filings.get(self.person)
        return Touch(people=(self.person,), anchors=() if f is None else (f.org,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for p in old.filings:
            if p not in new.filings:
                yield 12, cls(p)


@frozen
class MemberTransferred(Event):
    """A filed member is re-filed into another organization at the filing level."""

    writes: ClassVar[frozenset[str]] = frozenset({"filings"})

    person: str = field(validator=check_id)
    org: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)

    def apply_to(self, state: State) -> None:
        f = state.filings.get(self.person)
        if f is None:
            raise StateError("person", self.person, f"{self.person!r} is not filed; file instead")
        check.check_at_level(
            state, "org", self.org, state.scheme.filing_level, "members are filed", code="GG106"
        )
        _refuse_team(state, "org", self.org)
        if f.org == self.org:
            raise StateError("org", self.org, f"{self.person!r} is already filed in {self.org!r}")
        state.refile(Filing(self.person, self.org, self.date))

    def touches(self, state: State) -> Touch:
        f = state.filings.get(self.person)
        return Touch(people=(self.person,), anchors=_one(self.org, None if f is None else f.org))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        before = old.filings
        for p, f in new.filings.items():
            b = before.get(p)
            if b is not None and b.org != f.org:
                yield 62, cls(p, f.org, f.date)


@frozen
class ZoneClaimed(Event):
    """A member claims a responsibility zone (认领)."""

    record: ClassVar[str | None] = "claims"
    writes: ClassVar[frozenset[str]] = frozenset({"claims"})

    claim: Claim = field(validator=instance_of(Claim, "claim"))

    def apply_to(self, state: State) -> None:
        c = self.claim
        check.check_person(state, "claim.person", c.person)
        check.check_at_level(
            state, "claim.zone", c.zone, state.scheme.zone_level, "members claim zones"
        )
        if (c.person, c.zone) in state.claims:
            raise StateError("claim.zone", c.zone, f"{c.person!r} already claims {c.zone!r}")
        state.claim(c)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.claim.person,), anchors=(self.claim.zone,))

    def describe(self) -> str:
        return f"claim of {self.claim.person!r} on {self.claim.zone!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.claim.person, self.claim.zone)

    def path_key(self) -> tuple[str, object]:
        return ("claim", (self.claim.person, self.claim.zone))

    def refusal(self) -> tuple[str, str, object]:
        return ("claim", self.claim.zone, None)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for key, c in new.claims.items():
            if key not in old.claims:
                yield 63, cls(c)


@frozen
class ZoneReleased(Event):
    """A member gives up a zone they claimed."""

    writes: ClassVar[frozenset[str]] = frozenset({"claims"})

    person: str = field(validator=check_id)
    zone: str = field(validator=check_id)

    def apply_to(self, state: State) -> None:
        if (self.person, self.zone) not in state.claims:
            check.check_person(state, "person", self.person)
            check.check_org(state, "zone", self.zone)
            raise StateError("zone", self.zone, f"{self.person!r} does not claim {self.zone!r}")
        state.release(self.person, self.zone)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.person,), anchors=(self.zone,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for p, z in old.claims:
            if (p, z) not in new.claims:
                yield 10, cls(p, z)


# -- posts --------------------------------------------------------------------------------------


@frozen
class PostAssigned(Event):
    """A person is given a post in an organization."""

    record: ClassVar[str | None] = "posts"
    writes: ClassVar[frozenset[str]] = frozenset({"posts"})
    optional: ClassVar[tuple[str, ...]] = ("post.appointed_by",)

    post: Post = field(validator=instance_of(Post, "post"))

    def apply_to(self, state: State) -> None:
        p = self.post
        check.check_org(state, "post.org", p.org)
        check.check_person(state, "post.holder", p.holder)
        if p.appointed_by is not None:
            check.check_org(state, "post.appointed_by", p.appointed_by)
        if p.key in state.posts:
            raise StateError(
                "post.holder", p.holder, f"{p.holder!r} already holds {p.role.value} in {p.org!r}"
            )
        state.put_post(p)

    def touches(self, state: State) -> Touch:
        p = self.post
        return Touch(people=(p.holder,), anchors=_one(p.org, p.appointed_by))

    def describe(self) -> str:
        p = self.post
        return f"{p.role.value} post of {p.holder!r} in {p.org!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.post.org, self.post.holder)

    def path_key(self) -> tuple[str, object]:
        return ("post", self.post.key)

    def refusal(self) -> tuple[str, str, object]:
        return ("post", self.post.org, self.post.role)

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for key, post in new.posts.items():
            if old.posts.get(key) != post:
                yield 70, cls(post)


@frozen
class PostVacated(Event):
    """A person leaves a post; the post goes into its organization's history.

    Schema version 2 added `until` (the day the holder left, exclusive: the successor
    may start on it); a version-1 payload left on an unknown day.
    """

    writes: ClassVar[frozenset[str]] = frozenset({"posts"})
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = (
        MappingProxyType({1: _upcast_added_date})
    )

    org: str = field(validator=check_id)
    role: Role = field(converter=to_role)
    holder: str = field(validator=check_id)
    until: dt.date | None = field(default=None, converter=until_converter)

    def apply_to(self, state: State) -> None:
        key = (self.org, self.role, self.holder)
        post = state.posts.get(key)
        if post is None:
            check.check_org(state, "org", self.org)
            check.check_person(state, "holder", self.holder)
            raise StateError(
                "holder",
                self.holder,
                f"{self.holder!r} holds no {self.role.value} post in {self.org!r}",
            )
        until = self.until
        if until is not None and post.since is not None and until < post.since:
            raise StateError(
                "until",
                until.isoformat(),
                f"{self.holder!r} cannot leave {self.role.value} of {self.org!r} on "
                f"{until.isoformat()!r}, before taking it on {post.since.isoformat()}",
            )
        state.remove_post(key)
        state.add_tenure(evolve(post, until=until))

    def touches(self, state: State) -> Touch:
        post = state.posts.get((self.org, self.role, self.holder))
        by = None if post is None else post.appointed_by
        return Touch(people=(self.holder,), anchors=_one(self.org, by))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for key, post in old.posts.items():
            if new.posts.get(key) != post:
                yield 11, cls(post.org, post.role, post.holder)


# -- attachments ---------------------------------------------------------------------------------


def _refuse_team(state: State, field: str, org: str) -> None:
    kind = state.graph.org(org).kind
    if kind is not None and kind.is_team:
        raise HierarchyError(
            field,
            org,
            f"{org!r} is a service team ({kind.value}): members are attached to it, not filed",
            code="GG106",
            hint="file the member into a grid group and attach them to the team",
        )


@frozen
class MemberAttached(Event):
    """A member serves in a temporary, functional or joint organization, or a service team.

    Their grid filing stays as it is; the organization counts them among its members.
    """

    record: ClassVar[str | None] = "attachments"
    writes: ClassVar[frozenset[str]] = frozenset({"attachments"})

    attachment: Attachment = field(validator=instance_of(Attachment, "attachment"))

    def apply_to(self, state: State) -> None:
        a = self.attachment
        check.check_person(state, "attachment.person", a.person)
        check.check_org(state, "attachment.org", a.org)
        kind = state.graph.org(a.org).kind
        if kind is None or not kind.attachable:
            shown = "a grid organization" if kind in (None, OrgKind.GRID) else f"a {kind.value}"
            raise HierarchyError(
                "attachment.org",
                a.org,
                f"{a.org!r} is {shown}: members are attached only to temporary, functional "
                "and joint organizations and to service teams",
                code="GG106",
                hint="file the member into a grid group instead",
            )
        if (a.person, a.org) in state.attachments:
            raise StateError(
                "attachment.org", a.org, f"{a.person!r} is already attached to {a.org!r}"
            )
        state.attach(a)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.attachment.person,), anchors=(self.attachment.org,))

    def describe(self) -> str:
        return f"attachment of {self.attachment.person!r} to {self.attachment.org!r}"

    def subject_ids(self) -> tuple[str, ...]:
        return (self.attachment.person, self.attachment.org)

    def path_key(self) -> tuple[str, object]:
        return ("attachment", (self.attachment.person, self.attachment.org))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for key, a in new.attachments.items():
            if old.attachments.get(key) != a:
                yield 64, cls(a)


@frozen
class MemberDetached(Event):
    """A member stops serving in an organization they were attached to."""

    writes: ClassVar[frozenset[str]] = frozenset({"attachments"})

    person: str = field(validator=check_id)
    org: str = field(validator=check_id)
    date: dt.date | None = field(default=None, converter=date_converter)

    def apply_to(self, state: State) -> None:
        if (self.person, self.org) not in state.attachments:
            check.check_person(state, "person", self.person)
            check.check_org(state, "org", self.org)
            raise StateError("org", self.org, f"{self.person!r} is not attached to {self.org!r}")
        state.detach(self.person, self.org)

    def touches(self, state: State) -> Touch:
        return Touch(people=(self.person,), anchors=(self.org,))

    @classmethod
    def between(cls, old: JurisdictionView, new: JurisdictionView) -> Iterator[tuple[int, Event]]:
        for key, a in old.attachments.items():
            if new.attachments.get(key) != a:
                yield 14, cls(a.person, a.org)


BUILTIN_EVENTS: tuple[type[Event], ...] = (
    SchemeSet,
    PolicyChanged,
    AsOfSet,
    OrganizationFounded,
    OrganizationAmended,
    OrganizationRenamed,
    OrganizationReparented,
    OrganizationDissolved,
    HouseholdAdded,
    HouseholdAmended,
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
    MemberAttached,
    MemberDetached,
)
"""The built-in event types, in the order the documentation lists them."""

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType(
    {cls.topic: cls for cls in BUILTIN_EVENTS}
)
"""The built-in event classes by topic (the ``"type"`` tag of a serialised event).

Reading events goes through :func:`gridgov.converters.structure_event`, whose map of
topics also holds the event types plugins contribute (the ``gridgov_event_types`` hook).
"""
