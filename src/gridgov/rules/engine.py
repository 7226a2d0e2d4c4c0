"""Full and incremental validation.

:func:`validate` checks a jurisdiction (or a document, tolerantly) against the selected
rules and returns a :class:`~gridgov.rules.Report`. :class:`Validator` keeps the findings
of one jurisdiction up to date as events are applied through it: each event re-checks
only the scope it touches, and the report always equals a full validation.

The scope of an event: the organizations and people it names; for each such person,
the organization they are filed in, the organizations where they hold posts and the
zones they claim (in the state before and after the event); the ancestors of every
organization in scope; and for a re-parented organization, its whole subtree and the
people filed in it. A change of scheme, policy or as-of date re-checks everything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, cast

from gridgov.errors import InvalidValueError
from gridgov.model.document import Document
from gridgov.model.enums import Role
from gridgov.model.events import (
    AsOfSet,
    CooperativeAdded,
    CooperativeAmended,
    Event,
    HouseholdAdded,
    HouseholdAssigned,
    MemberDeregistered,
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
    SchemeSet,
    ZoneClaimed,
    ZoneReleased,
)
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.rules.catalogue import BUILTIN_RULES
from gridgov.rules.context import Context, Paths
from gridgov.rules.diagnostics import Diagnostic, Report, Severity
from gridgov.rules.registry import Registry, Rule
from gridgov.rules.structure import Finding, read_tolerant

__all__ = ["Validator", "builtin_registry", "validate"]

_WHOLE = ""  # the subject key of jurisdiction-wide rules


def builtin_registry() -> Registry:
    """Return a new registry holding the built-in rules GG101-GG312.

    Examples
    --------
    >>> r = builtin_registry()
    >>> r["GG206"].summary
    'an organization has no secretary, or more than one'
    """
    return Registry(BUILTIN_RULES)


def _policy(base: Policy, override: Policy | Mapping[str, Any] | None) -> Policy:
    if override is None:
        return base
    if isinstance(override, Policy):
        return override
    if isinstance(override, Mapping):
        return base.replace(**override)
    raise InvalidValueError("policy", override, "expected a Policy or a mapping of thresholds")


def _severities(
    registry: Registry, codes: Iterable[str], overrides: Mapping[str, Severity | str] | None
) -> dict[str, Severity]:
    out = {code: registry[code].severity for code in codes}
    if overrides is not None and not isinstance(overrides, Mapping):
        raise InvalidValueError("severity", overrides, "expected a mapping of CODE to severity")
    for code, value in (overrides or {}).items():
        if code not in registry:
            raise InvalidValueError("severity", code, "names no registered rule")
        if code in out:
            out[code] = Severity.parse(value, f"severity[{code}]")
    return out


class Validator:
    """The findings of one jurisdiction, kept up to date event by event.

    Parameters
    ----------
    source : Jurisdiction or Document
        What to validate. A :class:`~gridgov.model.document.Document` is read tolerantly
        (see :func:`~gridgov.rules.structure.read_tolerant`): its structural problems
        become GG1xx findings and the rest of the rules run on what holds together.
    policy : Policy or mapping, optional
        The thresholds: a :class:`~gridgov.model.Policy` replaces the jurisdiction's own,
        a mapping overrides some of its thresholds.
    select, ignore : iterable of str, optional
        Rule codes or prefixes to run or skip (see :meth:`Registry.select`).
    severity : mapping of str to Severity, optional
        Per-code severity overrides, e.g. ``{"GG202": "error"}``.
    registry : Registry, optional
        The rules (default: :func:`builtin_registry`).

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> v = Validator(j)
    >>> v.report().count_by_code()
    {'GG206': 1}
    >>> from gridgov.model import Organization, OrganizationFounded
    >>> _ = v.apply(OrganizationFounded(Organization("C1", "community", "C", parent="S1")))
    >>> v.report().count_by_code()
    {'GG206': 2}
    >>> v.report() == validate(j)
    True
    """

    def __init__(
        self,
        source: Jurisdiction | Document,
        *,
        policy: Policy | Mapping[str, Any] | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        severity: Mapping[str, Severity | str] | None = None,
        registry: Registry | None = None,
    ) -> None:
        registry = builtin_registry() if registry is None else registry
        if not isinstance(registry, Registry):
            raise InvalidValueError("registry", registry, "expected a Registry")
        codes = registry.select(select, ignore)
        severities = _severities(registry, codes, severity)
        findings: list[Finding] = []
        paths: Paths | None = None
        if isinstance(source, Document):
            j, paths, findings = read_tolerant(source)
        elif isinstance(source, Jurisdiction):
            j = source
        else:
            raise InvalidValueError("source", source, "expected a Jurisdiction or a Document")
        self._policy_override = policy
        self._ctx = Context(j, _policy(j.policy, policy), severities, paths)
        self._structural = tuple(
            Diagnostic(f.code, severities[f.code], f.message, f.ids, f.hint, f.path)
            for f in findings
            if f.code in severities
        )
        # A refused would-be root (GG104 at its record) already says that the jurisdiction
        # has no single root: the jurisdiction-wide GG104 check would repeat it.
        repeated = {d.code for d in self._structural if d.code == "GG104"}
        self._rules: tuple[Rule, ...] = tuple(
            registry[c] for c in codes if registry[c].check is not None and c not in repeated
        )
        self._knock_on = _knock_on(paths.refused if paths else set())
        self._found: dict[str, dict[str, list[Diagnostic]]] = {}
        self.refresh()

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The jurisdiction being validated."""
        return self._ctx.j

    @property
    def policy(self) -> Policy:
        """The policy in force."""
        return self._ctx.policy

    def refresh(self) -> None:
        """Re-check everything (the structural findings of a document are kept).

        Call it after changing the jurisdiction other than through :meth:`apply`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> v = Validator(j, select=["GG206"])
        >>> _ = j.found_org("S1", "street", "S")  # not through the validator
        >>> len(v.report())
        0
        >>> v.refresh()
        >>> v.report().count_by_code()
        {'GG206': 1}
        """
        ctx = self._ctx
        ctx.policy = _policy(ctx.j.policy, self._policy_override)
        ctx.clear_cache()
        self._found = {rule.code: self._run(rule, None) for rule in self._rules}

    def _subjects(self, rule: Rule, touched: Iterable[str] | None) -> list[str]:
        j = self._ctx.j
        if rule.subject == "jurisdiction":
            return [_WHOLE]
        if rule.subject == "person":
            if touched is None:
                return list(j.people)
            people = j.people
            return [p for p in touched if p in people]
        levels = rule.levels_in(self._ctx.scheme)
        graph = j.graph
        if touched is None:
            return [o for level in levels for o in graph.at_level(level)]
        wanted = set(levels)
        return [o for o in touched if o in graph and graph.level(o) in wanted]

    def _run(self, rule: Rule, touched: Iterable[str] | None) -> dict[str, list[Diagnostic]]:
        subjects = self._subjects(rule, touched)
        out: dict[str, list[Diagnostic]] = defaultdict(list)
        if not subjects:
            return out
        assert rule.check is not None
        whole = rule.subject == "jurisdiction"
        # full and incremental runs alike: a finding is filed under its first id, the
        # subject, so that re-checking the subject replaces it
        known = None if whole else set(subjects)
        for d in rule.check(self._ctx, subjects):
            key = _WHOLE if whole else (d.ids[0] if d.ids else "")
            if known is not None and key not in known:
                raise InvalidValueError(
                    f"rule {rule.code}", d.ids, "a finding must name its subject first"
                )
            out[key].append(d)
        return out

    def apply(self, event: Event) -> Event:
        """Apply `event` to the jurisdiction and re-check the scope it touches.

        Returns
        -------
        Event
            The event, as applied.

        Raises
        ------
        GridGovError
            As :meth:`Jurisdiction.apply`; the jurisdiction and the findings are then
            unchanged.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Organization, OrganizationFounded
        >>> v = Validator(Jurisdiction())
        >>> _ = v.apply(OrganizationFounded(Organization("S1", "street", "S")))
        >>> v.report().count_by_code()
        {'GG206': 1}
        >>> v.apply(OrganizationFounded(Organization("S1", "street", "T")))
        Traceback (most recent call last):
        ...
        gridgov.errors.DuplicateIdError: org.id: id 'S1' is already used by an organization
        """
        j = self._ctx.j
        if isinstance(event, SchemeSet | PolicyChanged | AsOfSet):
            j.apply(event)
            self.refresh()
            return event
        orgs, people = _scope(j, event)
        j.apply(event)
        after_orgs, after_people = _scope(j, event)
        orgs |= after_orgs
        people |= after_people
        self._recheck(orgs, people)
        return event

    def apply_all(self, events: Iterable[Event]) -> int:
        """Apply `events` in order through :meth:`apply`; return how many were applied.

        All or none, like :meth:`Jurisdiction.apply_all`: when an event is refused, the
        events before it are rolled back too and the findings are those of before the
        call.

        Raises
        ------
        GridGovError
            As :meth:`apply`, for the first event refused; its ``index`` attribute is
            that event's position in `events`.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction, Organization, OrganizationFounded
        >>> v = Validator(Jurisdiction())
        >>> v.apply_all([OrganizationFounded(Organization("S1", "street", "S")),
        ...              OrganizationFounded(Organization("C1", "community", "C", parent="S1"))])
        2
        >>> v.report().count_by_code()
        {'GG206': 2}
        """
        if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
            raise InvalidValueError("events", events, "must be an iterable of events")
        j = self._ctx.j
        start = j.version
        knock_on = {
            code: (dict(counts), expected) for code, (counts, expected) in self._knock_on.items()
        }
        n = 0
        try:
            for event in events:
                self.apply(event)
                n += 1
        except Exception as exc:
            if j.version > start:  # else nothing changed: the first event was refused
                j._restore(start)
                self._knock_on = knock_on
                self.refresh()
            exc.index = n  # type: ignore[attr-defined]
            raise
        return n

    def _recheck(self, orgs: set[str], people: set[str]) -> None:
        j = self._ctx.j
        self._ctx.clear_cache()
        for counts, _ in self._knock_on.values():  # a later event about a subject ends it
            for subject in (orgs | people).intersection(counts):
                del counts[subject]
        graph = j.graph
        expanded = set(orgs)
        for o in orgs:
            if o in graph:
                expanded.update(graph.ancestors(o))
        for rule in self._rules:
            found = self._found[rule.code]
            if rule.subject == "jurisdiction":
                self._found[rule.code] = self._run(rule, None)
                continue
            touched = people if rule.subject == "person" else expanded
            for key in touched:
                found.pop(key, None)
            for key, ds in self._run(rule, touched).items():
                found[key] = ds

    def report(self, source: str | None = None) -> Report:
        """Return the current findings as a :class:`Report`.

        Parameters
        ----------
        source : str, optional
            What was validated (a file name), kept in the report.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> report = Validator(j).report("district.json")
        >>> report.source, [str(d) for d in report]
        ('district.json', ["GG206 [E] 'S1' has no secretary (S1)"])
        """
        ds = list(self._structural)
        for code, found in self._found.items():
            knock_on = self._knock_on.get(code)
            if knock_on is None:
                for group in found.values():
                    ds.extend(group)
                continue
            counts, expected = knock_on
            for subject, group in found.items():
                refused = counts.get(subject)
                if refused:  # leave out what the refused records explain
                    group = [d for d in group if not _explained(d, refused, expected)]
                ds.extend(group)
        return Report(ds, source)


# A refused record of the document leaves a gap that a rule would report again: a post
# refused (say, for an unknown holder) leaves its organization short of that post, a
# claim refused leaves its zone unclaimed. Such a finding is the refused record's
# consequence, reported at its cause (GG1xx), and is left out when the refused records
# account for it exactly: "no secretary" with one secretary post refused, "1 grid
# leader, not 2" with one grid leader post refused. Rules with an expected number of
# holders list the holders after the subject in their ids; the others (``None``) are
# explained only by their bare "no ..." finding. A member whose filing was refused (GG106,
# GG107, GG101, ...) is reported there, not again as "filed nowhere" (GG309: ``_ALL``). A
# later event about the subject ends this: it is judged on its own from then on.
_KNOCK_ON_POSTS: dict[str, tuple[Role, int | None]] = {
    "GG206": (Role.SECRETARY, 1),
    "GG301": (Role.FIRST_SECRETARY, 1),
    "GG304": (Role.GRID_LEADER, 2),
    "GG307": (Role.GROUP_LEADER, None),
}

_ALL = -1
"""A refused record explains every finding of the rule about its subject."""

_KnockOn = dict[str, tuple[dict[str, int], int | None]]


def _knock_on(refused: set[tuple[str, object]]) -> _KnockOn:
    out: _KnockOn = {}
    posts = Counter(
        (org, role)
        for kind, key in refused
        if kind == "post"
        for org, role, _ in [cast("tuple[str, Role, str]", key)]
    )
    for code, (role, expected) in _KNOCK_ON_POSTS.items():
        counts = {org: n for (org, r), n in posts.items() if r == role}
        if counts:
            out[code] = (counts, expected)
    zones = Counter(str(key) for kind, key in refused if kind == "claim")
    if zones:
        out["GG308"] = (dict(zones), None)
    unfiled = Counter(str(key) for kind, key in refused if kind == "filing")
    if unfiled:
        out["GG309"] = (dict(unfiled), _ALL)
    return out


def _explained(d: Diagnostic, refused: int, expected: int | None) -> bool:
    subject = d.ids[0]
    if expected == _ALL:
        return True
    if expected is None:
        return d.ids == (subject,)
    return len(d.ids) - 1 + refused == expected


def _scope(j: Jurisdiction, event: Event) -> tuple[set[str], set[str]]:
    """The organizations and people an event touches, read in the current state."""
    orgs: set[str] = set()
    people: set[str] = set()
    graph = j.graph
    if isinstance(event, OrganizationFounded | OrganizationAmended):
        orgs.add(event.org.id)
        if event.org.parent is not None:
            orgs.add(event.org.parent)
    elif isinstance(event, OrganizationRenamed | OrganizationDissolved):
        orgs.add(event.org)
        if event.org in graph:
            parent = graph.parent(event.org)
            if parent is not None:
                orgs.add(parent)
    elif isinstance(event, OrganizationReparented):
        orgs.add(event.org)
        if event.parent is not None:
            orgs.add(event.parent)
        if event.org in graph:
            old = graph.parent(event.org)
            if old is not None:
                orgs.add(old)
            orgs.update(graph.subtree(event.org))
            people.update(graph.members(event.org))
    elif isinstance(event, CooperativeAdded | CooperativeAmended):
        cid = event.cooperative.id
        orgs.update(o.id for o in j.organizations.values() if o.cooperative == cid)
    elif isinstance(event, PersonAdded | PersonAmended):
        people.add(event.person.id)
    elif isinstance(event, PersonRemoved | MemberDeregistered | MemberUnfiled):
        people.add(event.person)
    elif isinstance(event, MemberRegistered):
        people.add(event.registration.person)
    elif isinstance(event, MemberFiled):
        people.add(event.filing.person)
        orgs.add(event.filing.org)
    elif isinstance(event, MemberTransferred):
        people.add(event.person)
        orgs.add(event.org)
    elif isinstance(event, ZoneClaimed):
        people.add(event.claim.person)
        orgs.add(event.claim.zone)
    elif isinstance(event, ZoneReleased):
        people.add(event.person)
        orgs.add(event.zone)
    elif isinstance(event, PostAssigned):
        orgs.add(event.post.org)
        people.add(event.post.holder)
    elif isinstance(event, PostVacated):
        orgs.add(event.org)
        people.add(event.holder)
    elif isinstance(event, HouseholdAdded | HouseholdAssigned):
        pass  # no rule on a jurisdiction reads households
    for pid in people:
        if pid not in j.people:
            continue  # removed by the event: it files, holds and claims nothing
        filed = j.filed_in(pid)
        if filed is not None:
            orgs.add(filed)
        orgs.update(p.org for p in j.posts_held(pid))
        orgs.update(j.zones_claimed_by(pid))
    return orgs, people


def validate(
    source: Jurisdiction | Document,
    *,
    policy: Policy | Mapping[str, Any] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    severity: Mapping[str, Severity | str] | None = None,
    registry: Registry | None = None,
    source_name: str | None = None,
) -> Report:
    """Check `source` against the rules; return every finding.

    Parameters
    ----------
    source : Jurisdiction or Document
        What to validate. A document is read tolerantly: broken references, cycles and
        duplicate ids become GG1xx findings (all of them), and the other rules run on the
        records that hold together. Validation never raises on a parsed document.
    policy : Policy or mapping, optional
        A :class:`~gridgov.model.Policy` replaces the jurisdiction's policy; a mapping
        overrides some thresholds, e.g. ``{"max_branch_members": 60}``.
    select, ignore : iterable of str, optional
        Codes or prefixes (``GG2``) to run or skip, as in ruff.
    severity : mapping of str to Severity or str, optional
        Per-code severity overrides.
    registry : Registry, optional
        The rules (default: the built-in catalogue).
    source_name : str, optional
        A name for the report (e.g. the file).

    Returns
    -------
    Report

    Raises
    ------
    InvalidValueError
        If an option is wrong (a selector matching no rule, an unknown threshold, ...).

    See Also
    --------
    Validator : keeps the findings up to date as events are applied.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "均禾街党工委")
    >>> _ = j.found_org("C1", "community", "清湖联社党委", parent="S1")
    >>> report = validate(j)
    >>> [str(d) for d in report]
    ["GG206 [E] 'C1' has no secretary (C1)", "GG206 [E] 'S1' has no secretary (S1)"]
    >>> len(validate(j, ignore=["GG206"]))
    0
    """
    return Validator(
        source, policy=policy, select=select, ignore=ignore, severity=severity, registry=registry
    ).report(source_name)
