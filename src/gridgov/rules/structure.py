"""The tolerant document reader: builds what it can, reports the rest as GG1xx findings.

:func:`gridgov.io.load` refuses a document with broken references; validation must not.
:func:`read_tolerant` applies a document's records one by one to a new
:class:`~gridgov.model.Jurisdiction`, skips each record the jurisdiction refuses and
reports it under its rule code with its document path: unknown references (GG101), a
parent at the wrong level (GG102), cycles (GG103), no single root (GG104), ids used twice
(GG105), filings outside the filing level (GG106), second filings (GG107) and households
in two zones (GG312). Records that depend on a rejected record are skipped without
another finding, so each problem is reported once, at its cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from attrs import evolve, frozen

from gridgov.errors import (
    DuplicateIdError,
    GridGovError,
    HierarchyError,
    StateError,
    UnknownReferenceError,
)
from gridgov.model.document import Document, _join, _new_id, events_of
from gridgov.model.events import (
    CooperativeAdded,
    Event,
    HouseholdAdded,
    HouseholdAssigned,
    MemberFiled,
    MemberRegistered,
    OrganizationAmended,
    OrganizationFounded,
    PersonAdded,
    PostAssigned,
    ZoneClaimed,
)
from gridgov.model.jurisdiction import IdFactory, Jurisdiction
from gridgov.rules.context import Paths

__all__ = ["Finding", "read_tolerant"]


@frozen
class Finding:
    """A structural problem of a document, before a severity is attached.

    :func:`read_tolerant` returns them; the engine turns each into a
    :class:`~gridgov.rules.Diagnostic` with the severity of its rule.

    Parameters
    ----------
    code : str
        The GG1xx rule it breaks (or GG312).
    message : str
        What is wrong, naming the record.
    ids : tuple of str
        The ids involved.
    hint : str
        How to fix it.
    path : str
        Where in the document it is.

    Examples
    --------
    >>> from gridgov.model import Organization
    >>> doc = Document(organizations=(Organization("S1", "street", "S"),
    ...                               Organization("S1", "street", "T")))
    >>> [finding] = read_tolerant(doc)[2]
    >>> finding.code, finding.path, finding.message
    ('GG105', 'organizations[1].id', "organization id 'S1' is used twice (first at organizations[0])")
    """

    code: str
    message: str
    ids: tuple[str, ...]
    hint: str
    path: str


def _label(event: Event) -> tuple[str, tuple[str, ...]]:
    """A short name of the record an event comes from, and its ids."""
    if isinstance(event, OrganizationFounded | OrganizationAmended):
        return f"organization {event.org.id!r}", (event.org.id,)
    if isinstance(event, PersonAdded):
        return f"person {event.person.id!r}", (event.person.id,)
    if isinstance(event, HouseholdAdded):
        return f"household {event.household.id!r}", (event.household.id,)
    if isinstance(event, CooperativeAdded):
        return f"cooperative {event.cooperative.id!r}", (event.cooperative.id,)
    if isinstance(event, HouseholdAssigned):
        zone = event.zone or ""
        return f"household {event.household!r} of zone {zone!r}", (zone, event.household)
    if isinstance(event, MemberRegistered):
        r = event.registration
        return f"registration of {r.person!r}", (r.person, r.community)
    if isinstance(event, MemberFiled):
        f = event.filing
        return f"filing of {f.person!r}", (f.person, f.org)
    if isinstance(event, ZoneClaimed):
        c = event.claim
        return f"claim of {c.person!r} on {c.zone!r}", (c.person, c.zone)
    if isinstance(event, PostAssigned):
        p = event.post
        return f"{p.role.value} post of {p.holder!r} in {p.org!r}", (p.org, p.holder)
    return type(event).__name__, ()


def _classify(event: Event, exc: GridGovError, path: str) -> tuple[str, str]:
    """Return the rule code of a refused event, and the hint."""
    if isinstance(exc, UnknownReferenceError):
        return "GG101", "add the missing record or correct the id"
    if isinstance(exc, DuplicateIdError):
        if ".households[" in path:
            return "GG101", "list household ids only"
        return "GG105", "give each record its own id"
    if isinstance(exc, HierarchyError):
        if isinstance(event, OrganizationFounded):
            if exc.field == "org.id" or exc.value is None:
                return "GG104", "keep one root at the top level; put the others under it"
            return "GG102", "put it under an organization one level above it"
        if isinstance(event, MemberFiled):
            return "GG106", "file members into organizations at the filing level"
        return "GG101", "refer to an organization of the right level"
    if isinstance(exc, StateError) and isinstance(event, MemberFiled):
        return "GG107", "keep one filing per person"
    return "GG105", "remove the repeated record"


def _cycles(document: Document, skip: set[str]) -> list[tuple[int, list[str]]]:
    """Return the cycles of the parent relation: (position of the first org, members)."""
    first: dict[str, int] = {}
    for i, org in enumerate(document.organizations):
        first.setdefault(org.id, i)
    parent = {oid: document.organizations[i].parent for oid, i in first.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[tuple[int, list[str]]] = []
    for start in first:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            found.append((min(first[o] for o in cycle), cycle))
            skip.update(cycle)
        for n in path:
            state[n] = 2
    return found


def _duplicates(document: Document) -> tuple[list[Finding], set[str]]:
    seen: dict[str, str] = {}
    findings: list[Finding] = []
    skip_paths: set[str] = set()
    records: Iterable[tuple[str, str, str]] = [
        *(
            (f"organizations[{i}]", o.id, "organization")
            for i, o in enumerate(document.organizations)
        ),
        *((f"people[{i}]", p.id, "person") for i, p in enumerate(document.people)),
        *((f"households[{i}]", h.id, "household") for i, h in enumerate(document.households)),
        *((f"cooperatives[{i}]", c.id, "cooperative") for i, c in enumerate(document.cooperatives)),
    ]
    for path, rid, kind in records:
        if rid in seen:
            findings.append(
                Finding(
                    "GG105",
                    f"{kind} id {rid!r} is used twice (first at {seen[rid]})",
                    (rid,),
                    "give each record its own id; the first one is kept",
                    f"{path}.id",
                )
            )
            skip_paths.add(path)
        else:
            seen[rid] = path
    return findings, skip_paths


def _non_households(document: Document, findings: list[Finding]) -> set[str]:
    """Report zones listing the id of an organization, person or cooperative as a household.

    Such an id must not become a household (it is declared implicitly, before the
    organizations): the record it names would then be refused as a duplicate, and
    everything under it with it. Returns the paths to skip.
    """
    declared: dict[str, str] = {}
    for kind, records in (
        ("an organization", document.organizations),
        ("a person", document.people),
        ("a cooperative", document.cooperatives),
    ):
        for record in records:
            declared.setdefault(record.id, kind)
    skip: set[str] = set()
    for i, hhs in enumerate(document.zone_households):
        zone = document.organizations[i].id
        for k, hid in enumerate(hhs):
            owner = declared.get(hid)
            if owner is None:
                continue
            path = f"organizations[{i}].households[{k}]"
            findings.append(
                Finding(
                    "GG101",
                    f"household {hid!r} of zone {zone!r}: {hid!r} is the id of {owner}, "
                    "not a household",
                    (zone, hid),
                    "list household ids only",
                    path,
                )
            )
            skip.add(path)
    return skip


def read_tolerant(
    document: Document, *, ids: IdFactory | None = None
) -> tuple[Jurisdiction, Paths, list[Finding]]:
    """Build as much of `document` as holds together; report the rest.

    Parameters
    ----------
    document : Document
        A parsed document (see :func:`gridgov.io.parse`).
    ids : IdFactory, optional
        The id factory of the new jurisdiction.

    Returns
    -------
    jurisdiction : Jurisdiction
        The records that hold together.
    paths : Paths
        The document position of each record built.
    findings : list of Finding
        One per refused record, in document order of discovery.

    Examples
    --------
    >>> from gridgov.model import Organization
    >>> doc = Document(organizations=(
    ...     Organization("S1", "street", "S"),
    ...     Organization("C1", "community", "C", parent="S9"),
    ...     Organization("B1", "branch", "B", parent="C1"),
    ... ))
    >>> j, paths, findings = read_tolerant(doc)
    >>> [(f.code, f.path) for f in findings]
    [('GG101', 'organizations[1].parent')]
    >>> sorted(j.organizations)
    ['S1']
    """
    findings, skip_paths = _duplicates(document)
    rejected: set[str] = set()
    for i, cycle in _cycles(document, rejected):
        findings.append(
            Finding(
                "GG103",
                f"organizations {', '.join(repr(o) for o in cycle)} form a cycle",
                tuple(cycle),
                "correct the parents so that every organization leads up to the root",
                f"organizations[{i}].parent",
            )
        )
    cyclic = set(rejected)
    skip_paths.update(_non_households(document, findings))
    j = Jurisdiction(ids=ids)
    paths = Paths()
    zone_of = j.zone_of_household  # a live view
    for path, event in events_of(document):
        if path in skip_paths:
            continue
        if isinstance(event, OrganizationFounded | OrganizationAmended) and event.org.id in cyclic:
            continue
        if type(event) is HouseholdAssigned and event.zone is not None:
            first = zone_of.get(event.household)
            if first == event.zone:
                findings.append(
                    Finding(
                        "GG105",
                        f"household {event.household!r} is listed twice in zone {first!r}",
                        (event.household, first),
                        "remove the repeated household",
                        path,
                    )
                )
                continue
            if first is not None:
                findings.append(
                    Finding(
                        "GG312",
                        f"household {event.household!r} is in zones {first!r} and {event.zone!r}",
                        (event.household, first, event.zone),
                        "leave the household in one zone",
                        path,
                    )
                )
                continue
        applied = _apply(j, event, path, rejected, findings)
        if applied is not None:
            record = _RECORDS.get(type(applied))
            if record is not None:
                paths.set(*record(applied), path)
        elif type(event) is MemberFiled:
            paths.refuse("filing", event.filing.person)
        elif type(event) is PostAssigned:
            paths.refuse("post", event.post.key)
        elif type(event) is ZoneClaimed:
            paths.refuse("claim", event.claim.zone)
    return j, paths, findings


_OPTIONAL = {
    "org.cooperative": ("org", "cooperative"),
    "person.household": ("person", "household"),
    "cooperative.head": ("cooperative", "head"),
    "cooperative.branch_secretary": ("cooperative", "branch_secretary"),
    "cooperative.community": ("cooperative", "community"),
    "post.appointed_by": ("post", "appointed_by"),
}


def _strip(event: Event, field: str) -> Event | None:
    """`event` without the optional reference `field`, or ``None`` if it is required."""
    where = _OPTIONAL.get(field)
    if where is None:
        return None
    record, attr = where
    inner = getattr(event, record, None)
    if inner is None:
        return None
    return evolve(event, **{record: evolve(inner, **{attr: None})})


def _apply(
    j: Jurisdiction,
    event: Event,
    path: str,
    rejected: set[str],
    findings: list[Finding],
) -> Event | None:
    """Apply `event`, dropping optional references that name nothing; report what fails."""
    while True:
        try:
            j.apply(event)
        except GridGovError as exc:
            field = getattr(exc, "field", "")
            cascade = isinstance(exc, UnknownReferenceError) and exc.value in rejected
            if not cascade:
                label, rids = _label(event)
                code, hint = _classify(event, exc, path)
                reason = str(exc).split(": ", 1)[-1]
                offending = getattr(exc, "value", None)
                extra = (offending,) if isinstance(offending, str) and offending not in rids else ()
                findings.append(
                    Finding(code, f"{label}: {reason}", (*rids, *extra), hint, _join(path, field))
                )
            stripped = _strip(event, field) if isinstance(exc, UnknownReferenceError) else None
            if stripped is not None:
                event = stripped
                continue
            new_id = _new_id(event)
            if new_id is not None and not isinstance(exc, DuplicateIdError):
                rejected.add(new_id)
            return None
        return event


_RECORDS: dict[type, Callable[[Any], tuple[str, object]]] = {
    OrganizationFounded: lambda e: ("org", e.org.id),
    PersonAdded: lambda e: ("person", e.person.id),
    HouseholdAdded: lambda e: ("household", e.household.id),
    CooperativeAdded: lambda e: ("cooperative", e.cooperative.id),
    MemberRegistered: lambda e: ("registration", e.registration.person),
    MemberFiled: lambda e: ("filing", e.filing.person),
    ZoneClaimed: lambda e: ("claim", (e.claim.person, e.claim.zone)),
    PostAssigned: lambda e: ("post", e.post.key),
}
"""For each kind of event a document yields: the record kind and key its path is kept under."""
