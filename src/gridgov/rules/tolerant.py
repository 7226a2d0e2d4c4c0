"""The tolerant document reader: builds what it can, reports the rest as findings.

:func:`gridgov.io.load` refuses a document with broken references; validation must not.
:func:`read_tolerant` first runs the scans of the registry's document rules (cycles,
ids used twice, households in two zones, zones listing other records as households),
then applies the document's records one by one to a new
:class:`~gridgov.model.Jurisdiction`, skips each record the jurisdiction refuses and
reports it under the code its error carries (an unknown reference is GG101, a parent at
the wrong level GG102, a second root GG104, a filing outside the filing level GG106, a
second filing GG107, ...), with the record's document path. Records that depend on a
refused record are skipped without another finding, so each problem is reported once,
at its cause. What the reader knows of an event (its label, the path key of its record,
what its refusal leaves missing) comes from the event's own declaration.
"""

from __future__ import annotations

from gridgov.errors import (
    DuplicateIdError,
    GridGovError,
    InvalidValueError,
    UnknownReferenceError,
)
from gridgov.model.document import Document, document_path, events_of
from gridgov.model.events import Event
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.rules.context import Paths
from gridgov.rules.diagnostics import Finding
from gridgov.rules.registry import Registry

__all__ = ["Finding", "read_tolerant"]


def read_tolerant(
    document: Document,
    *,
    ids: IdFactory | None = None,
    registry: Registry | None = None,
    policy: Policy | None = None,
) -> tuple[Jurisdiction, Paths, list[Finding]]:
    """Build as much of `document` as holds together; report the rest.

    Parameters
    ----------
    document : Document
        A parsed document (see :func:`gridgov.io.parse`).
    ids : IdFactory, optional
        The id factory of the new jurisdiction.
    registry : Registry, optional
        The rules whose document scans to run (default: the built-in rules).
    policy : Policy, optional
        The policy the jurisdiction starts from (keeps its catalogue of settings).

    Returns
    -------
    jurisdiction : Jurisdiction
        The records that hold together.
    paths : Paths
        The document position of each record built, and the records refused.
    findings : list of Finding
        One per refused record or scanned problem.

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
    if not isinstance(document, Document):
        raise InvalidValueError("document", document, "expected a Document (see gridgov.parse)")
    if registry is not None and not isinstance(registry, Registry):
        raise InvalidValueError("registry", registry, "expected a Registry")
    if registry is None:
        from gridgov.rules.engine import builtin_registry

        registry = builtin_registry()
    findings: list[Finding] = []
    skip: set[str] = set()
    rejected: set[str] = set()
    for rule in registry.values():
        if rule.scan is None:
            continue
        for finding in rule.scan(document):
            findings.append(finding)
            skip.update(finding.skip)
            rejected.update(finding.rejects)
    j = Jurisdiction(ids=ids, policy=policy)
    paths = Paths()
    for path, event in events_of(document):
        if path in skip:
            continue
        applied = _apply(j, event, path, rejected, findings)
        if applied is not None:
            key = applied.path_key()
            if key is not None:
                paths.set(*key, path)
            continue
        refusal = event.refusal()
        if refusal is not None:
            key = event.path_key()
            paths.refuse(*refusal, key=None if key is None else key[1])
    return j, paths, findings


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
                rids = event.subject_ids()
                offending = getattr(exc, "value", None)
                extra = (offending,) if isinstance(offending, str) and offending not in rids else ()
                findings.append(
                    Finding(
                        getattr(exc, "code", None) or "GG105",
                        f"{event.describe()}: {getattr(exc, 'reason', str(exc))}",
                        (*rids, *extra),
                        getattr(exc, "hint", ""),
                        document_path(path, field),
                    )
                )
            stripped = event.without(field) if isinstance(exc, UnknownReferenceError) else None
            if stripped is not None:
                event = stripped
                continue
            new_id = event.new_id()
            if new_id is not None and not isinstance(exc, DuplicateIdError):
                rejected.add(new_id)
            return None
        return event
