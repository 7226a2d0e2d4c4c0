"""Full and incremental validation.

:func:`validate` checks a jurisdiction (or a document, tolerantly) against the rules of
a registry and returns a :class:`~gridgov.rules.Report`. :class:`Validator` keeps the
findings of one jurisdiction up to date as events are applied through it: each event
re-checks only the rules that read what it writes, on the subjects it touches, and the
report always equals a full validation.

What an event touches comes from its declaration (:meth:`Event.touches
<gridgov.model.events.Event.touches>`), read before and after it is applied; what a
rule reads from its ``reads``. The subjects re-checked:

- an organization rule: every organization on the chain (itself and its ancestors) of
  an organization a changed record attaches to (a filing's group, a post's
  organization, a claimed zone, a registration's community, the zone a household moves
  in or out of, the organizations drawn on a changed cooperative, and every
  organization the records of a touched person attach to), plus the chain and the whole
  subtree of an organization whose own record or place in the tree changed;
- a person rule: the people touched, the residents of a touched household, the head and
  branch secretary of a touched cooperative, and (for rules reading ``organizations``)
  everyone whose records attach to the subtree of an organization whose record changed;
- a jurisdiction rule: run again.

So a check may read, for an organization, the records of its chain and subtree and
what is attached to its subtree (filings, posts, claims, registrations, households,
cooperatives) together with the records of the people those name; for a person, their
own records, the organizations those name and their chains, their household and the
cooperatives they head. An event that writes the scheme, the policy or the as-of date
re-runs every rule reading it on everything. A rule without ``reads`` is re-run in full
after every event. Organization rules always read ``organizations`` and person rules
``people`` (which subjects exist).

A :class:`Validator` watches its jurisdiction: changed behind its back (an event applied
to the jurisdiction directly, or a block the validator applied events in undone), it
re-checks everything before it answers, so its report is never stale. It tells states
apart by the jurisdiction's :attr:`~gridgov.model.Jurisdiction.revision` (a count of
changes), not by its :attr:`~gridgov.model.Jurisdiction.version`, which an undone block
sets back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from gridgov.errors import InvalidValueError
from gridgov.model.document import Document
from gridgov.model.events import Event, Touch
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy, Setting
from gridgov.rules.builtin import BUILTIN_RULES
from gridgov.rules.context import Context, Paths
from gridgov.rules.diagnostics import Diagnostic, Finding, Report, Severity
from gridgov.rules.registry import Gap, Registry, Rule
from gridgov.rules.tolerant import read_tolerant

__all__ = ["Validator", "builtin_registry", "validate"]

_WHOLE = ""  # the subject key of jurisdiction-wide rules


def builtin_registry() -> Registry:
    """Return a new registry holding the built-in rules GG101-GG313.

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
        return base.replace(**{str(k): v for k, v in override.items()})
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


def _effective_reads(rule: Rule) -> frozenset[str] | None:
    if rule.reads is None:
        return None
    implied = {"org": {"organizations"}, "person": {"people"}}.get(rule.subject, set())
    return frozenset(rule.reads) | implied


class _Expansion:
    """The subjects an event leads to, computed once per event and shared by the rules."""

    __slots__ = ("_orgs", "_people", "_subtree_people", "anchors", "direct", "j", "records")

    def __init__(self, j: Jurisdiction, before: Touch, after: Touch) -> None:
        self.j = j
        people = set(before.people) | set(after.people)
        anchors = set(before.anchors) | set(after.anchors)
        records = set(before.orgs) | set(after.orgs)
        zone_of = j.zone_of_household
        for h in set(before.households) | set(after.households):
            zone = zone_of.get(h)
            if zone is not None:
                anchors.add(zone)
            people.update(j.residents(h))
        coops = j.cooperatives
        for c in set(before.cooperatives) | set(after.cooperatives):
            anchors.update(j.organizations_on(c))
            coop = coops.get(c)
            if coop is not None:
                if coop.community is not None:
                    anchors.add(coop.community)
                people.update(p for p in (coop.head, coop.branch_secretary) if p is not None)
        known = j.people
        for p in people:
            if p in known:
                anchors.update(j.attached_orgs(p))
        self.anchors = anchors
        self.records = records
        self.direct = people | anchors | records
        self._people = people
        self._orgs: set[str] | None = None
        self._subtree_people: set[str] | None = None

    def orgs(self) -> set[str]:
        if self._orgs is None:
            graph = self.j.graph
            out: set[str] = set()  # an organization gone stays, so its findings go
            for org in self.anchors:
                if org in graph:
                    out.update(graph.chain(org))
                else:
                    out.add(org)
            for org in self.records:
                if org in graph:
                    out.update(graph.chain(org))
                    out.update(graph.subtree(org))
                else:
                    out.add(org)
            self._orgs = out
        return self._orgs

    def people(self, reads_organizations: bool) -> set[str]:
        if not reads_organizations or not self.records:
            return self._people
        if self._subtree_people is None:
            graph = self.j.graph
            out = set(self._people)
            for org in self.records:
                if org in graph:
                    out.update(self.j.people_attached(org))
            self._subtree_people = out
        return self._subtree_people


class Validator:
    """The findings of one jurisdiction, kept up to date event by event.

    Parameters
    ----------
    source : Jurisdiction or Document
        What to validate. A :class:`~gridgov.model.document.Document` is read tolerantly
        (see :func:`~gridgov.rules.tolerant.read_tolerant`): its structural problems
        become GG1xx findings and the rest of the rules run on what holds together.
    policy : Policy or mapping, optional
        The thresholds: a :class:`~gridgov.model.Policy` replaces the jurisdiction's own,
        a mapping overrides some of its settings.
    select, ignore : iterable of str, optional
        Rule codes or prefixes to run or skip (see :meth:`Registry.select`).
    severity : mapping of str to Severity, optional
        Per-code severity overrides, e.g. ``{"GG202": "error"}``.
    registry : Registry, optional
        The rules (default: :func:`builtin_registry`; :class:`gridgov.Validator` uses the
        rules of the installed plugins instead).
    catalogue : mapping of str to Setting, optional
        Contributed settings a `policy` mapping may name, besides those the
        jurisdiction's policy knows.

    Notes
    -----
    Events applied through :meth:`apply` and :meth:`apply_all` are re-checked
    incrementally. The validator also notices when its jurisdiction changed otherwise
    (an event applied to it directly, a block undone): it then re-checks everything
    before it answers.

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
        catalogue: Mapping[str, Setting] | None = None,
    ) -> None:
        registry = builtin_registry() if registry is None else registry
        if catalogue is not None and not isinstance(catalogue, Mapping):
            raise InvalidValueError("catalogue", catalogue, "expected a mapping of settings")
        self._catalogue = catalogue
        if not isinstance(registry, Registry):
            raise InvalidValueError("registry", registry, "expected a Registry")
        codes = registry.select(select, ignore)
        severities = _severities(registry, codes, severity)
        findings: list[Finding] = []
        paths: Paths | None = None
        if isinstance(source, Document):
            base = policy if isinstance(policy, Policy) else None
            j, paths, findings = read_tolerant(source, registry=registry, policy=base)
        elif isinstance(source, Jurisdiction):
            j = source
        else:
            raise InvalidValueError("source", source, "expected a Jurisdiction or a Document")
        self._policy_override = policy
        hints = {code: registry[code].hint for code in codes}
        self._ctx = Context(j, self._effective_policy(j.policy), severities, paths, hints)
        self._structural = tuple(
            Diagnostic(f.code, severities[f.code], f.message, f.ids, f.hint, f.path)
            for f in findings
            if f.code in severities
        )
        # a refusal already reports what a rule's own check would find again (a refused
        # second root is GG104 at its record): the check is not run as well
        reported = {d.code for d in self._structural}
        self._rules: tuple[Rule, ...] = tuple(
            registry[c] for c in codes if registry[c].check is not None and c not in reported
        )
        self._reads = {rule.code: _effective_reads(rule) for rule in self._rules}
        self._gaps = _gaps(self._rules, paths.refused if paths else set())
        self._found: dict[str, dict[str, list[Diagnostic]]] = {}
        self._undo: list[tuple[Any, ...]] | None = None
        self._seen = j.revision
        self._full()

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The jurisdiction being validated."""
        return self._ctx.jurisdiction

    @property
    def policy(self) -> Policy:
        """The policy in force."""
        return self._ctx.policy

    def refresh(self) -> None:
        """Re-check everything (the structural findings of a document are kept).

        Not needed after changes made through :meth:`apply`; the validator also calls it
        itself when it finds that the jurisdiction changed otherwise.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> v = Validator(j, select=["GG206"])
        >>> _ = j.found_org("S1", "street", "S")  # not through the validator
        >>> v.report().count_by_code()  # noticed: re-checked before answering
        {'GG206': 1}
        """
        self._full()

    def _full(self) -> None:
        ctx = self._ctx
        ctx.policy = self._effective_policy(ctx.jurisdiction.policy)
        ctx.clear_cache()
        self._found = {rule.code: self._run(rule, None) for rule in self._rules}
        self._seen = ctx.jurisdiction.revision

    def _effective_policy(self, base: Policy) -> Policy:
        if self._catalogue:
            base = base.with_catalogue({**self._catalogue, **base.catalogue})
        return _policy(base, self._policy_override)

    def _current(self) -> None:
        if self._seen != self._ctx.jurisdiction.revision:
            self._full()

    def _subjects(self, rule: Rule, touched: Iterable[str] | None) -> list[str]:
        j = self._ctx.jurisdiction
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
        """Apply `event` to the jurisdiction and re-check what it touches.

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
        j = self._ctx.jurisdiction
        self._current()
        if not isinstance(event, Event):
            raise InvalidValueError("event", event, "not a gridgov event")
        outer = self._undo is None
        if outer:
            self._undo = []
        mark = len(self._undo)  # type: ignore[arg-type]
        try:
            with j.atomic():
                before = j.touches(event)
                j.apply(event)
                self._recheck(event, before, j.touches(event))
        except BaseException:
            self._rollback(mark)
            raise
        finally:
            if outer:
                self._undo = None
            self._seen = j.revision
        return event

    def apply_all(self, events: Iterable[Event]) -> int:
        """Apply `events` in order through :meth:`apply`; return how many were applied.

        All or none, like :meth:`Jurisdiction.apply_all`: when an event is refused, the
        events before it are rolled back too and the findings are those of before the
        call, at a cost proportional to the batch.

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
        j = self._ctx.jurisdiction
        self._current()
        outer = self._undo is None
        if outer:
            self._undo = []
        mark = len(self._undo)  # type: ignore[arg-type]
        n = 0
        try:
            with j.atomic():
                for event in events:
                    if not isinstance(event, Event):
                        raise InvalidValueError(f"events[{n}]", event, "not a gridgov event")
                    self.apply(event)
                    n += 1
        except Exception as exc:
            self._rollback(mark)
            self._seen = j.revision
            exc.index = n  # type: ignore[attr-defined]
            raise
        finally:
            if outer:
                self._undo = None
        return n

    def _rollback(self, mark: int) -> None:
        undo = self._undo
        assert undo is not None
        while len(undo) > mark:
            kind, *args = undo.pop()
            if kind == "found":
                code, key, old = args
                if old is None:
                    self._found[code].pop(key, None)
                else:
                    self._found[code][key] = old
            elif kind == "rule":
                code, old = args
                self._found[code] = old
            elif kind == "gap":
                counts, subject, old = args
                counts[subject] = old
            else:  # "policy"
                self._ctx.policy = args[0]

    def _recheck(self, event: Event, before: Touch, after: Touch) -> None:
        ctx = self._ctx
        ctx.clear_cache()
        undo = self._undo
        assert undo is not None
        writes = event.writes
        if before.everything or after.everything or "scheme" in writes:
            # the jurisdiction as a whole: every rule reading what it writes, on everything
            undo.append(("policy", ctx.policy))
            ctx.policy = self._effective_policy(ctx.jurisdiction.policy)
            everything = "scheme" in writes or not writes
            for rule in self._rules:
                reads = self._reads[rule.code]
                if everything or reads is None or reads & writes:
                    undo.append(("rule", rule.code, self._found[rule.code]))
                    self._found[rule.code] = self._run(rule, None)
            return
        expansion = _Expansion(ctx.jurisdiction, before, after)
        for counts, _ in self._gaps.values():  # a later event about a subject ends it
            for subject in expansion.direct.intersection(counts):
                undo.append(("gap", counts, subject, counts[subject]))
                del counts[subject]
        for rule in self._rules:
            code = rule.code
            reads = self._reads[code]
            if reads is not None and not reads & writes:
                continue
            if reads is None or rule.subject == "jurisdiction":
                undo.append(("rule", code, self._found[code]))
                self._found[code] = self._run(rule, None)
                continue
            if rule.subject == "person":
                touched: set[str] = expansion.people("organizations" in reads)
            else:
                touched = expansion.orgs()
            found = self._found[code]
            for key in touched:
                undo.append(("found", code, key, found.pop(key, None)))
            found.update(self._run(rule, touched))

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
        self._current()
        ds = list(self._structural)
        for code, found in self._found.items():
            gap = self._gaps.get(code)
            if gap is None:
                for group in found.values():
                    ds.extend(group)
                continue
            counts, declared = gap
            for subject, group in found.items():
                if declared.named:  # refused records of the ids the finding names
                    group = [d for d in group if not any(i in counts for i in d.ids[1:])]
                else:
                    refused = counts.get(subject)
                    if refused:  # leave out what the refused records explain
                        group = [d for d in group if not declared.explains(d.ids, refused)]
                ds.extend(group)
        return Report(ds, source)


def _gaps(
    rules: Iterable[Rule], refused: set[tuple[str, str, object, object]]
) -> dict[str, tuple[dict[str, int], Gap]]:
    """For each rule that declares ``explained_by``: refused records per subject."""
    out: dict[str, tuple[dict[str, int], Gap]] = {}
    if not refused:
        return out
    for rule in rules:
        gap = rule.explained_by
        if gap is None:
            continue
        counts: dict[str, int] = {}
        for record, subject, detail, _ in refused:
            if record == gap.record and (gap.detail is None or detail == gap.detail):
                counts[subject] = counts.get(subject, 0) + 1
        if counts:
            out[rule.code] = (counts, gap)
    return out


def validate(
    source: Jurisdiction | Document,
    *,
    policy: Policy | Mapping[str, Any] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    severity: Mapping[str, Severity | str] | None = None,
    registry: Registry | None = None,
    source_name: str | None = None,
    catalogue: Mapping[str, Setting] | None = None,
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
        overrides some settings, e.g. ``{"max_branch_members": 60}``.
    select, ignore : iterable of str, optional
        Codes or prefixes (``GG2``) to run or skip, as in ruff.
    severity : mapping of str to Severity or str, optional
        Per-code severity overrides.
    registry : Registry, optional
        The rules (default: the built-in catalogue; :func:`gridgov.validate` uses the
        rules of the installed plugins).
    source_name : str, optional
        A name for the report (e.g. the file).
    catalogue : mapping of str to Setting, optional
        Contributed settings a `policy` mapping may name.

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
    if source_name is not None and not isinstance(source_name, str):
        raise InvalidValueError("source_name", source_name, "must be a name (a string) or None")
    return Validator(
        source,
        policy=policy,
        select=select,
        ignore=ignore,
        severity=severity,
        registry=registry,
        catalogue=catalogue,
    ).report(source_name)
