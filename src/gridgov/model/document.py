"""The document: a jurisdiction as plain records, before or after the checks of the aggregate.

A :class:`Document` holds the records of the JSON document format (organizations,
people, households, cooperatives, registrations, filings, claims, posts) as value
objects, typed but not cross-checked: it can hold a broken reference, a cycle or a
duplicate id. That is what tolerant validation (:mod:`gridgov.rules`) reads.

:func:`build` turns a document into a :class:`~gridgov.model.Jurisdiction` by applying
one event per record, and reports every structural problem with its document path.
:func:`document_of` goes the other way, in canonical order: organizations in tree order
(children by natural id order), everything else sorted by id, so that equal
jurisdictions give equal documents.

Parsing JSON into a document and writing it out is :mod:`gridgov.io`'s job.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "S")
>>> _ = j.found_org("C2", "community", "C2", parent="S1")
>>> _ = j.found_org("C10", "community", "C10", parent="S1")
>>> [o.id for o in document_of(j).organizations]
['S1', 'C2', 'C10']
>>> build(document_of(j)) == j
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve, field, frozen

from gridgov.errors import (
    DocumentError,
    DuplicateIdError,
    IntegrityError,
    InvalidValueError,
    Problem,
    UnknownReferenceError,
)
from gridgov.limits import MAX_PROBLEMS
from gridgov.model.events import (
    BUILTIN_EVENTS,
    Event,
    HouseholdAssigned,
    OrganizationAmended,
    PostVacated,
)
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.model.scheme import FIVE_LEVEL, Scheme
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

__all__ = [
    "FORMAT_VERSION",
    "Document",
    "build",
    "document_of",
    "document_path",
    "events_of",
    "natural_key",
]

FORMAT_VERSION = "1"
"""The version of the document format this module reads and writes."""

_DIGITS = re.compile(r"(\d+)")
_NATURAL_KEY_LENGTH = 4000


def natural_key(text: str) -> list[str | int]:
    """Sort key that orders digit runs by value: ``B2`` before ``B10``.

    The key alternates text and numbers, always starting with text, so any two keys
    compare without mixing types.

    Parameters
    ----------
    text : str
        An id or other text.

    Returns
    -------
    list of str and int

    Examples
    --------
    >>> sorted(["B10", "B2", "A"], key=natural_key)
    ['A', 'B2', 'B10']
    """
    if not isinstance(text, str):
        raise InvalidValueError("text", text, "must be a string")
    if len(text) > _NATURAL_KEY_LENGTH:  # Python reads integers of at most 4,300 digits
        raise InvalidValueError("text", text, f"must be at most {_NATURAL_KEY_LENGTH} characters")
    parts: list[str | int] = list(_DIGITS.split(text))
    parts[1::2] = map(int, parts[1::2])
    return parts


def _id_key(text: str) -> tuple[list[str | int], str]:
    """:func:`natural_key` made total: ids it ties (``P2``, ``P02``) are ordered by text.

    Without the tie-break, the canonical order of tied ids would follow insertion order,
    and equal jurisdictions could give different documents.
    """
    return natural_key(text), text


@frozen
class Document:
    """The records of one document, typed but not cross-checked.

    Parameters
    ----------
    scheme : Scheme
        The scheme (default five-level).
    as_of : datetime.date, optional
        The date the jurisdiction is judged at.
    policy : Policy
        The policy (defaults where the document says nothing).
    organizations : tuple of Organization
        In document order.
    zone_households : tuple of tuple of str
        For each organization (same position), the households it lists.
    people, households, cooperatives, registrations, filings, claims, posts : tuple
        The records, in document order.
    attachments : tuple of Attachment
        Members serving in temporary, functional, joint organizations and teams.
    tenures : tuple of Post
        Past tenures of posts (each with the ``until`` its holder left).

    Notes
    -----
    `zone_households` is padded with empty tuples (or cut) to the length of
    `organizations`.

    Examples
    --------
    >>> doc = Document(organizations=(Organization("S1", "street", "S"),),
    ...                people=(Person("P1", "A"), Person("P1", "B")))
    >>> doc.zone_households, len(doc.people)  # the duplicate id 'P1' is kept
    (((),), 2)
    """

    scheme: Scheme = FIVE_LEVEL
    as_of: dt.date | None = None
    policy: Policy = field(factory=Policy)
    organizations: tuple[Organization, ...] = ()
    zone_households: tuple[tuple[str, ...], ...] = ()
    people: tuple[Person, ...] = ()
    households: tuple[Household, ...] = ()
    cooperatives: tuple[Cooperative, ...] = ()
    registrations: tuple[Registration, ...] = ()
    filings: tuple[Filing, ...] = ()
    claims: tuple[Claim, ...] = ()
    posts: tuple[Post, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    tenures: tuple[Post, ...] = ()

    def __attrs_post_init__(self) -> None:
        if len(self.zone_households) != len(self.organizations):
            padded = self.zone_households + ((),) * (
                len(self.organizations) - len(self.zone_households)
            )
            object.__setattr__(self, "zone_households", padded[: len(self.organizations)])


def events_of(document: Document) -> list[tuple[str, Event]]:
    """Return the events that build `document`, each with the document path it comes from.

    The order satisfies every reference a well-formed document makes: households,
    people, organizations top-down (each cooperative just before the first organization
    drawn on it, when its own references are already there), the remaining
    cooperatives, zone households, registrations, filings, claims, posts.

    Parameters
    ----------
    document : Document
        The records; they need not be well formed.

    Returns
    -------
    list of tuple of (str, Event)
        The document path of each record and the event that adds it.

    Examples
    --------
    >>> doc = Document(organizations=(Organization("C1", "community", "C", parent="S1"),
    ...                               Organization("S1", "street", "S")))
    >>> [(path, type(e).__name__) for path, e in events_of(doc)]
    [('organizations[1]', 'OrganizationFounded'), ('organizations[0]', 'OrganizationFounded')]
    """
    add = _RECORD_EVENTS
    out: list[tuple[str, Event]] = []
    if document.scheme != FIVE_LEVEL:
        out.append(("scheme", add["scheme"](document.scheme)))
    if document.policy != Policy():
        out.append(("policy", add["policy"](document.policy)))
    if document.as_of is not None:
        out.append(("as_of", add["as_of"](document.as_of)))

    declared: set[str] = set()
    for i, hh in enumerate(document.households):
        out.append((f"households[{i}]", add["households"](hh)))
        declared.add(hh.id)
    for i, hhs in enumerate(document.zone_households):
        for k, hid in enumerate(hhs):
            if hid not in declared:
                declared.add(hid)
                out.append(
                    (f"organizations[{i}].households[{k}]", add["households"](Household(hid)))
                )
    for i, person in enumerate(document.people):
        out.append((f"people[{i}]", add["people"](person)))

    people = {p.id for p in document.people}
    coops: dict[str, tuple[int, Cooperative]] = {}
    for i, c in enumerate(document.cooperatives):
        coops.setdefault(c.id, (i, c))  # the first record of an id; a second is refused
    emitted: set[int] = set()  # the cooperative records already added
    founded: set[str] = set()
    amend: list[tuple[str, Organization]] = []
    scheme = document.scheme
    order = sorted(
        range(len(document.organizations)),
        key=lambda i: (
            scheme.depth(lvl) if (lvl := document.organizations[i].level) in scheme else 0
        ),
    )
    for i in order:
        org = document.organizations[i]
        entry = coops.get(org.cooperative) if org.cooperative is not None else None
        if entry is not None and entry[0] not in emitted:
            if _coop_ready(entry[1], founded, people):
                out.append((f"cooperatives[{entry[0]}]", add["cooperatives"](entry[1])))
                emitted.add(entry[0])
            else:
                amend.append((f"organizations[{i}]", org))
                org = evolve(org, cooperative=None)
        out.append((f"organizations[{i}]", add["organizations"](org)))
        founded.add(org.id)
    for i, coop in enumerate(document.cooperatives):
        if i not in emitted:  # every record once: a repeated id is refused when applied
            out.append((f"cooperatives[{i}]", add["cooperatives"](coop)))
    out.extend((path, OrganizationAmended(org)) for path, org in amend)

    for i, hhs in enumerate(document.zone_households):
        zone = document.organizations[i].id
        for k, hid in enumerate(hhs):
            out.append((f"organizations[{i}].households[{k}]", HouseholdAssigned(hid, zone)))
    for section in _RELATION_SECTIONS:
        if section == "posts":  # the past tenures first: a post may be held again now
            for i, post in enumerate(document.tenures):
                out.append((f"tenures[{i}]", add["posts"](evolve(post, until=None))))
                out.append(
                    (f"tenures[{i}]", PostVacated(post.org, post.role, post.holder, post.until))
                )
        make = add[section]
        out.extend(
            (f"{section}[{i}]", make(record)) for i, record in enumerate(getattr(document, section))
        )
    return out


_RECORD_EVENTS: Mapping[str, Callable[[Any], Event]] = {
    cls.record: cls for cls in BUILTIN_EVENTS if cls.record is not None
}
"""The event type each section of the document format comes from (its ``record``)."""

_RELATION_SECTIONS = ("registrations", "filings", "attachments", "claims", "posts")
"""The sections of relations between records, in the order they are applied."""


def _coop_ready(coop: Cooperative, founded: set[str], people: set[str]) -> bool:
    return (
        (coop.community is None or coop.community in founded)
        and (coop.head is None or coop.head in people)
        and (coop.branch_secretary is None or coop.branch_secretary in people)
    )


def build(
    document: Document,
    *,
    ids: IdFactory | None = None,
    source: str | None = None,
    policy: Policy | None = None,
    version: int | None = None,
) -> Jurisdiction:
    """Build a jurisdiction from `document`, checking its structural integrity.

    Parameters
    ----------
    document : Document
        The records.
    ids : IdFactory, optional
        The id factory of the new jurisdiction.
    source : str, optional
        A file name to prefix error messages with.
    policy : Policy, optional
        The policy to start from (its catalogue of contributed settings is kept).
    version : int, optional
        The stream version the document is a snapshot of: the jurisdiction then starts
        at that version with an empty log (see :meth:`Jurisdiction.forget_log
        <gridgov.model.Jurisdiction.forget_log>`).

    Returns
    -------
    Jurisdiction

    Raises
    ------
    DocumentError
        Listing every record the jurisdiction rejected (unknown reference, id used twice,
        wrong level, second filing, ...), each with its document path; at most
        :data:`~gridgov.limits.MAX_PROBLEMS` of them (building stops there).

    Examples
    --------
    >>> doc = Document(organizations=(Organization("C1", "community", "C", parent="S9"),))
    >>> build(doc)
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: organizations[0].parent: unknown organization 'S9'
    """
    if not isinstance(document, Document):
        raise InvalidValueError("document", document, "expected a Document")
    if source is not None and not isinstance(source, str):
        raise InvalidValueError("source", source, "must be a file name (a string) or None")
    j = Jurisdiction(ids=ids, policy=policy)
    problems: list[Problem] = []
    rejected: set[str] = set()  # ids whose record was rejected: no cascade of problems
    zone_of = j.zone_of_household  # a live view
    for path, event in events_of(document):
        if type(event) is HouseholdAssigned and event.zone is not None:
            # Assigning moves a household between zones; a document must not list a
            # household twice (GG312), or loading would silently drop one listing.
            first = zone_of.get(event.household)
            if first is not None:
                problems.append(
                    Problem(path, f"household {event.household!r} is already in zone {first!r}")
                )
                if len(problems) >= MAX_PROBLEMS:
                    problems.append(Problem("", "too many problems; stopped listing"))
                    break
                continue
        try:
            j.apply(event)
        except IntegrityError as exc:
            # a reference to a record rejected before is a consequence, not a problem of
            # its own (checked before this record joins them: it may name itself)
            cascade = isinstance(exc, UnknownReferenceError) and exc.value in rejected
            new_id = event.new_id()
            if new_id is not None and not isinstance(exc, DuplicateIdError):
                rejected.add(new_id)
            if cascade:
                continue
            problems.append(Problem(document_path(path, exc.field), exc.reason))
        if len(problems) >= MAX_PROBLEMS:  # stop collecting at the cap
            problems.append(Problem("", "too many problems; stopped listing"))
            break
    if problems:
        raise DocumentError(problems, source)
    if version is not None:
        j.forget_log(version=version)
    return j


def document_path(path: str, field: str) -> str:
    """The document path of `field` (an error's ``record.attr``) in the record at `path`.

    Examples
    --------
    >>> document_path("filings[3]", "filing.org")
    'filings[3].org'
    >>> document_path("organizations[0].households[2]", "zone")
    'organizations[0].households[2]'
    """
    if ".households[" in path:
        return path
    suffix = field.split(".", 1)[1] if "." in field else field
    return f"{path}.{suffix}" if suffix else path


def _tree_order(j: Jurisdiction) -> list[str]:
    g = j.graph
    out: list[str] = []
    stack = sorted(g.roots(), key=_id_key, reverse=True)
    succ = g.nx.succ
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(sorted(succ[node], key=_id_key, reverse=True))
    return out


def document_of(j: Jurisdiction) -> Document:
    """Return the records of `j` in canonical order.

    Organizations come in depth-first tree order with siblings in natural id order;
    people, households, cooperatives, registrations and filings by natural id of the
    person or record; claims by person then zone; posts by organization (tree order),
    role name, holder.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.

    Returns
    -------
    Document
        ``build(document_of(j)) == j`` holds.

    Examples
    --------
    >>> j = Jurisdiction()
    >>> for pid in ["P10", "P9"]:
    ...     _ = j.add_person(pid, pid)
    >>> [p.id for p in document_of(j).people]
    ['P9', 'P10']
    >>> document_of(Jurisdiction()) == Document()
    True
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "expected a Jurisdiction")
    orgs = _tree_order(j)
    position = {org: i for i, org in enumerate(orgs)}
    organizations = tuple(j.graph.org(o) for o in orgs)
    zone_level = j.scheme.zone_level
    zone_households = tuple(
        tuple(sorted(j.households_in(o.id), key=_id_key)) if o.level == zone_level else ()
        for o in organizations
    )
    in_zone = j.zone_of_household
    extra = tuple(
        h
        for hid, h in sorted(j.households.items(), key=lambda kv: _id_key(kv[0]))
        if h != Household(hid) or hid not in in_zone
    )

    def by_id(items: Mapping[str, object]) -> list[str]:
        return sorted(items, key=_id_key)

    people = j.people
    coops = j.cooperatives
    regs = j.registrations
    work = j.work_registrations
    filings = j.filings
    attachments = sorted(j.attachments.values(), key=lambda a: (_id_key(a.person), position[a.org]))
    tenures = tuple(p for org in orgs for p in j.tenures(org))
    claims = sorted(j.claims.values(), key=lambda c: (_id_key(c.person), position[c.zone]))
    posts = sorted(
        j.posts.values(), key=lambda p: (position[p.org], p.role.value, _id_key(p.holder))
    )
    return Document(
        scheme=j.scheme,
        as_of=j.as_of,
        policy=j.policy,
        organizations=organizations,
        zone_households=zone_households,
        people=tuple(people[p] for p in by_id(people)),
        households=extra,
        cooperatives=tuple(coops[c] for c in by_id(coops)),
        registrations=tuple(
            r
            for p in sorted({*regs, *work}, key=_id_key)
            for r in (regs.get(p), work.get(p))
            if r is not None
        ),
        filings=tuple(filings[p] for p in by_id(filings)),
        claims=tuple(claims),
        posts=tuple(posts),
        attachments=tuple(attachments),
        tenures=tenures,
    )
