"""The state of a jurisdiction: its records and the indexes that make queries cheap.

A :class:`State` holds what the events of a jurisdiction have built: the scheme, policy
and as-of date, the organization tree (an :class:`~gridgov.model.OrgGraph`), people,
households, cooperatives, registrations, filings, claims and posts, each with the
indexes that answer "who is filed here", "which posts does this person hold" and the
like without a scan.

Only the events change a state, through the small set of mutation methods below (each
``add_*``, ``put_*``, ``remove_*``, ...). They do not check anything: an event checks
first (see :mod:`gridgov.model.integrity`) and then mutates. While a batch is open
(:attr:`State.undo` is a list), every mutation records how to undo itself, so that a
refused batch is rolled back at a cost proportional to the batch, not to the state or
the log. Per-subject orders (a group's members, an organization's posts, a zone's
claimants, an organization's children) are restored exactly; in the whole-jurisdiction
mappings a record that a rollback puts back comes last.

:data:`STATE_KINDS` names the kinds of state; events declare which they write and rules
which they read.

Examples
--------
>>> from gridgov.model import FIVE_LEVEL, Organization, Policy
>>> s = State(FIVE_LEVEL, Policy())
>>> s.add_org(Organization("S1", "street", "S"))
>>> s.graph.counts()["street"], s.owner("S1")
(1, 'an organization')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gridgov.model.enums import RegistrationKind, Role
from gridgov.model.graph import OrgGraph
from gridgov.model.policy import Policy
from gridgov.model.scheme import Scheme
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
)

__all__ = ["STATE_KINDS", "PostKey", "State"]

PostKey = tuple[str, Role, str]

STATE_KINDS = frozenset(
    {
        "scheme",
        "policy",
        "as_of",
        "organizations",
        "people",
        "households",
        "cooperatives",
        "registrations",
        "filings",
        "attachments",
        "claims",
        "posts",
    }
)
"""The kinds of state a jurisdiction holds: what events write and rules read.

``households`` covers households and which zone each is in; ``organizations`` the
organization records and the tree; ``registrations`` both kinds (residence and work
unit); ``posts`` the posts held and the past tenures; the others are the records of the
same name."""

WHOLE_KINDS = frozenset({"scheme", "policy", "as_of"})
"""The kinds of state that concern the jurisdiction as a whole (not one record)."""

_MISSING: Any = object()

Undo = tuple[Callable[..., object], tuple[Any, ...]]


def _put_at(d: dict[Any, Any], key: Any, value: Any, position: int) -> None:
    """Put `key` back into the small dict `d` at `position` (its order restored)."""
    if position >= len(d):
        d[key] = value
        return
    items = list(d.items())
    items.insert(position, (key, value))
    d.clear()
    d.update(items)


def _bucket(index: dict[str, dict[Any, None]], subject: str) -> dict[Any, None]:
    """The per-subject set ``index[subject]``, made if missing."""
    bucket = index.get(subject)
    if bucket is None:
        bucket = index[subject] = {}
    return bucket


def _roles(coop: Cooperative | None) -> list[str]:
    """The people a cooperative names (head, branch secretary), each once, in that order."""
    if coop is None:
        return []
    out: list[str] = []
    for person in (coop.head, coop.branch_secretary):
        if person is not None and person not in out:
            out.append(person)
    return out


def _position(d: dict[Any, Any], key: Any) -> int:
    for i, k in enumerate(d):
        if k == key:
            return i
    return len(d)  # pragma: no cover - callers delete keys that are there


class State:
    """The records and indexes of one jurisdiction.

    Parameters
    ----------
    scheme : Scheme
        The scheme of levels.
    policy : Policy
        The policy.

    Notes
    -----
    Read it through :class:`~gridgov.model.Jurisdiction`, which hands out read-only
    views; an event's ``apply_to`` and ``touches`` receive it directly.
    """

    __slots__ = (
        "appointed",
        "as_of",
        "attached_by_org",
        "attached_by_person",
        "attachments",
        "claims",
        "claims_by_person",
        "claims_by_zone",
        "coop_orgs",
        "coop_roles",
        "coops",
        "coops_in",
        "filings",
        "graph",
        "households",
        "households_in",
        "people",
        "policy",
        "posts",
        "posts_by_holder",
        "posts_by_org",
        "registered_in",
        "registrations",
        "residents",
        "scheme",
        "tenures",
        "undo",
        "work_registered_in",
        "work_registrations",
        "zone_of",
    )

    def __init__(self, scheme: Scheme, policy: Policy) -> None:
        self.scheme = scheme
        self.policy = policy
        self.as_of: dt.date | None = None
        self.graph = OrgGraph(scheme)
        self.people: dict[str, Person] = {}
        self.households: dict[str, Household] = {}
        self.zone_of: dict[str, str] = {}
        self.households_in: dict[str, dict[str, None]] = {}
        self.residents: dict[str, dict[str, None]] = {}
        self.coops: dict[str, Cooperative] = {}
        self.coop_orgs: dict[str, dict[str, None]] = {}
        self.coop_roles: dict[str, dict[str, None]] = {}
        self.coops_in: dict[str, dict[str, None]] = {}
        self.registrations: dict[str, Registration] = {}
        self.registered_in: dict[str, dict[str, None]] = {}
        self.work_registrations: dict[str, Registration] = {}
        self.work_registered_in: dict[str, dict[str, None]] = {}
        self.attachments: dict[tuple[str, str], Attachment] = {}
        self.attached_by_org: dict[str, dict[str, None]] = {}
        self.attached_by_person: dict[str, dict[str, None]] = {}
        self.tenures: dict[str, list[Post]] = {}
        self.filings: dict[str, Filing] = {}
        self.claims: dict[tuple[str, str], Claim] = {}
        self.claims_by_person: dict[str, dict[str, None]] = {}
        self.claims_by_zone: dict[str, dict[str, None]] = {}
        self.posts: dict[PostKey, Post] = {}
        self.posts_by_org: dict[str, dict[PostKey, None]] = {}
        self.posts_by_holder: dict[str, dict[PostKey, None]] = {}
        self.appointed: dict[str, dict[PostKey, None]] = {}
        self.undo: list[Undo] | None = None

    # -- reading ---------------------------------------------------------------------------

    def owner(self, id: str) -> str | None:
        """What kind of record uses `id` (``"an organization"``, ...), or ``None``.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy
        >>> State(FIVE_LEVEL, Policy()).owner("P1") is None
        True
        """
        if id in self.graph._g._node:
            return "an organization"
        if id in self.people:
            return "a person"
        if id in self.households:
            return "a household"
        if id in self.coops:
            return "a cooperative"
        return None

    def is_taken(self, id: str) -> bool:
        """Whether any record uses `id`."""
        return self.owner(id) is not None

    def registration_level(self) -> str:
        """The level members register at: ``community`` if the scheme has it, else its top.

        Examples
        --------
        >>> from gridgov.model import THREE_LEVEL, Policy
        >>> State(THREE_LEVEL, Policy()).registration_level()
        'community'
        """
        return self.scheme.registration_level

    def orgs_of_person(self, person: str) -> set[str]:
        """The organizations `person`'s records attach to.

        Their filing's organization, the organizations of their posts, the zones they
        claim, their registration's community, the organizations drawn on a cooperative
        they head or are branch secretary of.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy
        >>> State(FIVE_LEVEL, Policy()).orgs_of_person("P1")
        set()
        """
        out: set[str] = set()
        filing = self.filings.get(person)
        if filing is not None:
            out.add(filing.org)
        for key in self.posts_by_holder.get(person, ()):
            out.add(key[0])
        out.update(self.claims_by_person.get(person, ()))
        reg = self.registrations.get(person)
        if reg is not None:
            out.add(reg.community)
        work = self.work_registrations.get(person)
        if work is not None:
            out.add(work.community)
        out.update(self.attached_by_person.get(person, ()))
        for coop in self.coop_roles.get(person, ()):
            out.update(self.coop_orgs.get(coop, ()))
        return out

    def people_in_subtree(self, org: str) -> set[str]:
        """The people whose records attach to an organization in the subtree of `org`.

        Filed there, holding posts there, claiming zones there, registered there.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy, Organization
        >>> s = State(FIVE_LEVEL, Policy())
        >>> s.add_org(Organization("S1", "street", "S"))
        >>> s.people_in_subtree("S1")
        set()
        """
        out: set[str] = set()
        members = self.graph._members
        for node in self.graph.subtree(org):
            out.update(members.get(node, ()))
            for key in self.posts_by_org.get(node, ()):
                out.add(key[2])
            out.update(self.claims_by_zone.get(node, ()))
            out.update(self.registered_in.get(node, ()))
            out.update(self.work_registered_in.get(node, ()))
            out.update(self.attached_by_org.get(node, ()))
        return out

    def members(self, org: str) -> list[str]:
        """The members of `org`: filed anywhere in its subtree, then attached to it or below.

        Each once, filed ones first (in subtree and filing order), then attached ones.
        """
        graph = self.graph
        filed = graph.members(org)
        if not self.attached_by_org:
            return filed
        seen = dict.fromkeys(filed)
        attached = self.attached_by_org
        for node in graph.subtree(org):
            bucket = attached.get(node)
            if bucket:
                for person in bucket:
                    if person not in seen:
                        seen[person] = None
        return list(seen)

    def key(self) -> tuple[Any, ...]:
        """What equality of two states means: the current state, orders aside.

        The history of past tenures is not part of it (two jurisdictions that hold the
        same posts today are equal, whoever held them before).
        """
        return (
            self.scheme,
            self.policy,
            self.as_of,
            self.graph._state(),
            self.people,
            self.households,
            self.zone_of,
            self.coops,
            self.registrations,
            self.work_registrations,
            self.filings,
            self.attachments,
            self.claims,
            self.posts,
        )

    def copy(self) -> State:
        """Return an independent copy (records are immutable and shared).

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy, Organization
        >>> s = State(FIVE_LEVEL, Policy())
        >>> s.add_org(Organization("S1", "street", "S"))
        >>> t = s.copy()
        >>> t.remove_org("S1")
        >>> len(s.graph), len(t.graph)
        (1, 0)
        """
        new = State(self.scheme, self.policy)
        new.as_of = self.as_of
        new.graph = self.graph._copy()
        for name in (
            "people",
            "households",
            "zone_of",
            "coops",
            "registrations",
            "work_registrations",
            "filings",
            "attachments",
            "claims",
            "posts",
        ):
            setattr(new, name, dict(getattr(self, name)))
        new.tenures = {org: list(t) for org, t in self.tenures.items()}
        for name in (
            "households_in",
            "residents",
            "coop_orgs",
            "coop_roles",
            "coops_in",
            "registered_in",
            "work_registered_in",
            "attached_by_org",
            "attached_by_person",
            "claims_by_person",
            "claims_by_zone",
            "posts_by_org",
            "posts_by_holder",
            "appointed",
        ):
            setattr(new, name, {k: dict(v) for k, v in getattr(self, name).items()})
        return new

    # -- the undo journal ----------------------------------------------------------------------

    def _record(self, fn: Callable[..., object], *args: Any) -> None:
        undo = self.undo
        if undo is not None:
            undo.append((fn, args))

    def rollback(self, mark: int) -> None:
        """Undo the mutations recorded since the journal had `mark` entries.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, Policy, Organization
        >>> s = State(FIVE_LEVEL, Policy())
        >>> s.undo = []
        >>> s.add_org(Organization("S1", "street", "S"))
        >>> s.rollback(0)
        >>> len(s.graph)
        0
        """
        undo = self.undo
        assert undo is not None
        while len(undo) > mark:
            fn, args = undo.pop()
            fn(*args)

    def _set(self, d: dict[Any, Any], key: Any, value: Any) -> None:
        """``d[key] = value``, undoably (a replaced value keeps its place)."""
        if self.undo is not None:
            self.undo.append((self._unset, (d, key, d.get(key, _MISSING))))
        d[key] = value

    @staticmethod
    def _unset(d: dict[Any, Any], key: Any, old: Any) -> None:
        if old is _MISSING:
            del d[key]
        else:
            d[key] = old

    def _delete(self, d: dict[Any, Any], key: Any) -> None:
        """``del d[key]`` in a whole-jurisdiction mapping; undone, it comes last."""
        value = d.pop(key)
        if self.undo is not None:
            self.undo.append((d.__setitem__, (key, value)))

    def _index_add(self, index: dict[str, dict[Any, None]], subject: str, item: Any) -> None:
        """Add `item` to the per-subject set ``index[subject]`` (insertion ordered)."""
        bucket = index.get(subject)
        if bucket is None:
            bucket = index[subject] = {}
        bucket[item] = None
        if self.undo is not None:
            self.undo.append((self._index_unadd, (index, subject, item)))

    @staticmethod
    def _index_unadd(index: dict[str, dict[Any, None]], subject: str, item: Any) -> None:
        del index[subject][item]

    def _index_remove(self, index: dict[str, dict[Any, None]], subject: str, item: Any) -> None:
        bucket = index[subject]
        if self.undo is not None:
            self.undo.append((_put_at, (bucket, item, None, _position(bucket, item))))
        del bucket[item]

    # -- the jurisdiction as a whole -------------------------------------------------------------

    def set_scheme(self, scheme: Scheme) -> None:
        """Replace the scheme (the tree must be empty)."""
        self._record(self._restore_scheme, self.scheme, self.graph)
        self.scheme = scheme
        self.graph = OrgGraph(scheme)

    def _restore_scheme(self, scheme: Scheme, graph: OrgGraph) -> None:
        self.scheme = scheme
        self.graph = graph

    def set_policy(self, policy: Policy) -> None:
        """Replace the policy."""
        self._record(setattr, self, "policy", self.policy)
        self.policy = policy

    def set_as_of(self, as_of: dt.date | None) -> None:
        """Replace the as-of date."""
        self._record(setattr, self, "as_of", self.as_of)
        self.as_of = as_of

    # -- organizations -----------------------------------------------------------------------------

    def add_org(self, org: Organization) -> None:
        """Add `org` under its parent."""
        self.graph._add(org)
        self._record(self.graph._remove, org.id)
        if org.cooperative is not None:
            self._index_add(self.coop_orgs, org.cooperative, org.id)

    def replace_org(self, org: Organization) -> None:
        """Replace the record of `org` (same id, level and parent)."""
        old = self.graph.org(org.id)
        self.graph._replace(org)
        self._record(self.graph._replace, old)
        if old.cooperative != org.cooperative:
            if old.cooperative is not None:
                self._index_remove(self.coop_orgs, old.cooperative, org.id)
            if org.cooperative is not None:
                self._index_add(self.coop_orgs, org.cooperative, org.id)

    def move_org(self, org: Organization) -> None:
        """Move `org` under its (new) parent; its record is replaced by `org`."""
        graph = self.graph
        old = graph.org(org.id)
        position = graph._position_under_parent(org.id)
        graph._move(org, old.parent)
        self._record(graph._move_back, old, org.parent, position)
        if old.cooperative != org.cooperative:  # pragma: no cover - moves keep attributes
            self.replace_org(org)

    def remove_org(self, org: str) -> None:
        """Remove the empty organization `org`."""
        graph = self.graph
        old = graph.org(org)
        position = graph._position_under_parent(org)
        graph._remove(org)
        self._record(graph._restore, old, position)
        if old.cooperative is not None:
            self._index_remove(self.coop_orgs, old.cooperative, org)
        if org in self.tenures:  # the history of an organization goes with it (the log keeps it)
            self._delete(self.tenures, org)

    # -- households ------------------------------------------------------------------------------

    # The additions below are what replaying a log mostly does: without a journal open
    # they change the dicts directly, with one they go through the undoable helpers.

    def add_household(self, household: Household) -> None:
        """Add `household`, or replace its record."""
        if self.undo is None:
            self.households[household.id] = household
        else:
            self._set(self.households, household.id, household)

    def assign_household(self, household: str, zone: str | None) -> None:
        """Put `household` into `zone`, or take it out of its zone (``None``)."""
        current = self.zone_of.get(household)
        if self.undo is None and current is None and zone is not None:
            self.zone_of[household] = zone
            _bucket(self.households_in, zone)[household] = None
            return
        if current is not None:
            self._index_remove(self.households_in, current, household)
        if zone is None:
            self._delete(self.zone_of, household)
        else:
            self._set(self.zone_of, household, zone)
            self._index_add(self.households_in, zone, household)

    # -- people ------------------------------------------------------------------------------------

    def put_person(self, person: Person) -> None:
        """Add `person`, or replace their record."""
        old = self.people.get(person.id)
        if self.undo is None and old is None:
            self.people[person.id] = person
            if person.household is not None:
                _bucket(self.residents, person.household)[person.id] = None
            return
        self._set(self.people, person.id, person)
        before = None if old is None else old.household
        if before != person.household:
            if before is not None:
                self._index_remove(self.residents, before, person.id)
            if person.household is not None:
                self._index_add(self.residents, person.household, person.id)

    def remove_person(self, person: str) -> None:
        """Remove `person` (who has no other records)."""
        old = self.people[person]
        if old.household is not None:
            self._index_remove(self.residents, old.household, person)
        self._delete(self.people, person)
        for org, history in self.tenures.items():  # their past tenures go with them
            if any(p.holder == person for p in history):
                kept = [p for p in history if p.holder != person]
                self._record(self._set_history, org, list(history))
                history[:] = kept

    def _set_history(self, org: str, history: list[Post]) -> None:
        self.tenures[org][:] = history

    # -- cooperatives ------------------------------------------------------------------------------

    def put_coop(self, coop: Cooperative) -> None:
        """Add `coop`, or replace its record."""
        old = self.coops.get(coop.id)
        self._set(self.coops, coop.id, coop)
        old_roles = _roles(old)
        new_roles = _roles(coop)
        for person in old_roles:
            if person not in new_roles:
                self._index_remove(self.coop_roles, person, coop.id)
        for person in new_roles:
            if person not in old_roles:
                self._index_add(self.coop_roles, person, coop.id)
        before = None if old is None else old.community
        if before != coop.community:
            if before is not None:
                self._index_remove(self.coops_in, before, coop.id)
            if coop.community is not None:
                self._index_add(self.coops_in, coop.community, coop.id)

    # -- registration, filing, claims ----------------------------------------------------------------

    def _registrations_of(
        self, kind: RegistrationKind
    ) -> tuple[dict[str, Registration], dict[str, dict[str, None]]]:
        if kind is RegistrationKind.RESIDENCE:
            return self.registrations, self.registered_in
        return self.work_registrations, self.work_registered_in

    def register(self, registration: Registration) -> None:
        """Record `registration` (the person has none of its kind)."""
        records, index = self._registrations_of(registration.kind)
        if self.undo is None:
            records[registration.person] = registration
            _bucket(index, registration.community)[registration.person] = None
            return
        self._set(records, registration.person, registration)
        self._index_add(index, registration.community, registration.person)

    def deregister(self, person: str, kind: RegistrationKind = RegistrationKind.RESIDENCE) -> None:
        """Withdraw `person`'s registration of `kind`."""
        records, index = self._registrations_of(kind)
        reg = records[person]
        self._delete(records, person)
        self._index_remove(index, reg.community, person)

    # -- attachments -----------------------------------------------------------------------------

    def attach(self, attachment: Attachment) -> None:
        """Record `attachment` (the person is not attached to that organization)."""
        key = (attachment.person, attachment.org)
        self._set(self.attachments, key, attachment)
        self._index_add(self.attached_by_org, attachment.org, attachment.person)
        self._index_add(self.attached_by_person, attachment.person, attachment.org)

    def detach(self, person: str, org: str) -> None:
        """Withdraw `person`'s attachment to `org`."""
        self._delete(self.attachments, (person, org))
        self._index_remove(self.attached_by_org, org, person)
        self._index_remove(self.attached_by_person, person, org)

    def file(self, filing: Filing) -> None:
        """Record `filing` (the person is filed nowhere)."""
        if self.undo is None:
            self.filings[filing.person] = filing
            _bucket(self.graph._members, filing.org)[filing.person] = None
            return
        self._set(self.filings, filing.person, filing)
        self.graph._file(filing.person, filing.org)
        self._record(self.graph._unfile, filing.person, filing.org)

    def unfile(self, person: str) -> None:
        """Withdraw `person`'s filing."""
        filing = self.filings[person]
        self._delete(self.filings, person)
        graph = self.graph
        position = graph._member_position(person, filing.org)
        graph._unfile(person, filing.org)
        self._record(graph._refile, person, filing.org, position)

    def refile(self, filing: Filing) -> None:
        """Replace `person`'s filing by `filing` (another organization)."""
        person = filing.person
        old = self.filings[person]
        graph = self.graph
        position = graph._member_position(person, old.org)
        graph._unfile(person, old.org)
        self._record(graph._refile, person, old.org, position)
        self._set(self.filings, person, filing)
        graph._file(person, filing.org)
        self._record(graph._unfile, person, filing.org)

    def claim(self, claim: Claim) -> None:
        """Record `claim`."""
        if self.undo is None:
            self.claims[claim.person, claim.zone] = claim
            _bucket(self.claims_by_person, claim.person)[claim.zone] = None
            _bucket(self.claims_by_zone, claim.zone)[claim.person] = None
            return
        self._set(self.claims, (claim.person, claim.zone), claim)
        self._index_add(self.claims_by_person, claim.person, claim.zone)
        self._index_add(self.claims_by_zone, claim.zone, claim.person)

    def release(self, person: str, zone: str) -> None:
        """Withdraw `person`'s claim on `zone`."""
        self._delete(self.claims, (person, zone))
        self._index_remove(self.claims_by_person, person, zone)
        self._index_remove(self.claims_by_zone, zone, person)

    # -- posts ---------------------------------------------------------------------------------------

    def put_post(self, post: Post) -> None:
        """Record `post` (its key is not held)."""
        key = post.key
        if self.undo is None:
            self.posts[key] = post
            _bucket(self.posts_by_org, post.org)[key] = None
            _bucket(self.posts_by_holder, post.holder)[key] = None
            if post.appointed_by is not None:
                _bucket(self.appointed, post.appointed_by)[key] = None
            return
        self._set(self.posts, key, post)
        self._index_add(self.posts_by_org, post.org, key)
        self._index_add(self.posts_by_holder, post.holder, key)
        if post.appointed_by is not None:
            self._index_add(self.appointed, post.appointed_by, key)

    def add_tenure(self, post: Post) -> None:
        """Record `post` as a past tenure of its organization (its history)."""
        history = self.tenures.get(post.org)
        if history is None:
            history = self.tenures[post.org] = []
            self._record(self.tenures.pop, post.org)
        history.append(post)
        self._record(history.pop)

    def remove_post(self, key: PostKey) -> None:
        """Withdraw the post `key`."""
        post = self.posts[key]
        self._delete(self.posts, key)
        self._index_remove(self.posts_by_org, post.org, key)
        self._index_remove(self.posts_by_holder, post.holder, key)
        if post.appointed_by is not None:
            self._index_remove(self.appointed, post.appointed_by, key)
