"""The rule registry: every rule declared once, with its code, metadata and check.

A :class:`Rule` couples a stable code (``GG206``), a kebab-case name, a default
severity, a one-line summary, an explanation (taken from the check's docstring, so the
text is written once) and the check. A :class:`Registry` holds rules by code; it is open:
third parties register their own codes (``XX123``) next to the built-in ``GG`` ones.
:func:`builtin_registry` returns a new registry holding the built-in catalogue each time
it is called, so that no registry is shared global state.

Examples
--------
>>> from gridgov.rules import Rule, Severity, builtin_registry
>>> registry = builtin_registry()
>>> registry["GG301"].name
'grid-branch-first-secretary'
>>> def no_branch_named_test(ctx, subjects):
...     '''Branches must not be named "test".'''
...     for org in subjects:
...         if ctx.jurisdiction.graph.org(org).name == "test":
...             yield ctx.diagnostic("XX001", f"{org!r} is named 'test'", (org,))
>>> _ = registry.register(Rule("XX001", "no-test-name", Severity.WARNING,
...     "a branch is named 'test'", no_branch_named_test, subject="org", levels=("branch",),
...     reads=("organizations",)))
>>> registry.select(["XX"])
('XX001',)
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Literal

from attrs import evolve, field, frozen

from gridgov.errors import DuplicateIdError, InvalidValueError, UnknownReferenceError
from gridgov.limits import MAX_COUNT, check_flag, check_id_text, check_int, check_text
from gridgov.model.scheme import Scheme
from gridgov.model.state import STATE_KINDS
from gridgov.rules.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from gridgov.rules.breaking import Breaking, Mutation, Target
    from gridgov.rules.context import Context

__all__ = ["Check", "Gap", "Registry", "Rule", "RuleSet", "Scan", "Subject"]

Subject = Literal["org", "person", "jurisdiction", "document"]
"""What a rule looks at: organizations, people, the jurisdiction as a whole, or the
document's structure (the GG1xx rules found while reading a document)."""

Check = Callable[["Context", Iterable[str]], Iterable[Diagnostic]]
"""A check: called with the context and the subjects (org or person ids) to look at,
yields its findings (built with :meth:`Context.diagnostic`)."""

_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _severity(value: object) -> Severity:
    return Severity.parse(value)


def _check_code(instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidValueError("rule.code", value, "expected 1-4 capital letters and 3 digits")


def _check_name(instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidValueError("rule.name", value, "expected a kebab-case name")


def _levels(value: object) -> Any:
    """Keep ``None`` and a callable; make any other collection of level names a tuple."""
    if value is None or callable(value):
        return value
    if isinstance(value, str | bytes | Mapping | AbstractSet) or not isinstance(value, Iterable):
        raise InvalidValueError("rule.levels", value, "expected level names or a callable")
    levels = tuple(value)
    if not all(isinstance(level, str) for level in levels):
        raise InvalidValueError("rule.levels", value, "expected level names or a callable")
    return levels


def _reads(value: object) -> tuple[str, ...] | None:
    """Keep ``None`` (reads anything); make a collection of state kinds a sorted tuple."""
    if value is None:
        return None
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError("rule.reads", value, "expected kinds of state, e.g. ('posts',)")
    given = list(value)
    unknown = [k for k in given if not isinstance(k, str) or k not in STATE_KINDS]
    if unknown:
        raise InvalidValueError(
            "rule.reads", unknown, f"unknown kinds of state; they are {sorted(STATE_KINDS)}"
        )
    kinds = tuple(sorted(set(given)))
    unknown = [k for k in kinds if k not in STATE_KINDS]
    if unknown:
        raise InvalidValueError(
            "rule.reads", unknown, f"unknown kinds of state; they are {sorted(STATE_KINDS)}"
        )
    return kinds


def _gap_record(instance: Any, attribute: Any, value: Any) -> None:
    check_id_text("record", value)


def _hashable(instance: Any, attribute: Any, value: Any) -> None:
    try:
        hash(value)
    except TypeError:
        raise InvalidValueError(attribute.name, value, "must be hashable") from None


def _gap_holders(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_int("holders", value, 0, MAX_COUNT)


def _gap_every(instance: Any, attribute: Any, value: Any) -> None:
    check_flag("every", value)


def _gap_named(instance: Any, attribute: Any, value: Any) -> None:
    check_flag("named", value)


@frozen
class Gap:
    """Which findings of a rule a refused document record explains away.

    A record of a document that the tolerant reader refuses (a post whose holder is
    unknown, say) leaves a gap that a rule would report again (its organization has no
    secretary). Such a finding is the refused record's consequence, reported once at its
    cause (GG1xx), and left out when the refused records account for it.

    Parameters
    ----------
    record : str
        The kind of refused record: ``post``, ``claim`` or ``filing`` (what
        :meth:`Event.refusal <gridgov.model.events.Event.refusal>` names).
    detail : object, optional
        Only refused records with this detail count (for posts: the role).
    holders : int, optional
        The number of holders the rule expects; a finding naming the subject and its
        holders is explained when the holders named plus the refused records make it.
        Without it, only the bare finding (naming the subject alone) is explained.
    every : bool
        Every finding of the rule about the subject is explained.
    named : bool
        The refused records are matched with the ids a finding names after its subject
        (a post's holder whose filing was refused), not with the subject itself.

    Examples
    --------
    >>> from gridgov.model import Role
    >>> gap = Gap("post", Role.SECRETARY, holders=1)
    >>> gap.explains(("B1",), refused=1), gap.explains(("B1", "P1", "P2"), refused=1)
    (True, False)
    """

    record: str = field(validator=_gap_record)
    detail: object = field(default=None, validator=_hashable)
    holders: int | None = field(default=None, validator=_gap_holders)
    every: bool = field(default=False, validator=_gap_every)
    named: bool = field(default=False, validator=_gap_named)

    def explains(self, ids: tuple[str, ...], refused: int) -> bool:
        """Whether a finding naming `ids` (subject first) is explained by `refused` records.

        Examples
        --------
        >>> Gap("claim", every=True).explains(("Z1", "P1"), refused=1)
        True
        """
        if not isinstance(ids, tuple) or not all(isinstance(i, str) for i in ids):
            raise InvalidValueError("ids", ids, "must be a tuple of ids")
        if isinstance(refused, bool) or not isinstance(refused, int) or refused < 0:
            raise InvalidValueError("refused", refused, "must be a count (an integer >= 0)")
        if self.every:
            return True
        if self.holders is None:
            return len(ids) == 1
        return len(ids) - 1 + refused == self.holders


Scan = Callable[[Any], Iterable[Any]]
"""A document rule's scan: ``scan(document)`` yields ``(finding, skip)`` pairs (see
:mod:`gridgov.rules.tolerant`)."""


@frozen
class Rule:
    """One rule of the catalogue, declared where its check is written.

    Parameters
    ----------
    code : str
        Stable code: 1-4 capital letters and 3 digits (``GG206``, ``XX123``).
    name : str
        Kebab-case name (``one-secretary``).
    severity : Severity or str
        Default severity.
    summary : str
        One line: what the rule finds.
    check : callable or None
        ``check(ctx, subjects)`` yielding diagnostics; ``None`` for document-structure
        rules, which the tolerant document reader reports itself.
    subject : {"org", "person", "jurisdiction", "document"}
        What the check looks at; the engine passes it the ids to look at (all of them in
        a full validation, the touched ones in an incremental one).
    levels : callable or tuple of str, optional
        For ``org`` rules, the levels whose organizations the check looks at: a tuple of
        level names, or a function of the scheme returning them (default: every level).
    reads : iterable of str, optional
        The kinds of state the check reads (:data:`~gridgov.model.state.STATE_KINDS`:
        ``organizations``, ``people``, ``households``, ``cooperatives``,
        ``registrations``, ``filings``, ``claims``, ``posts``, ``policy``, ``scheme``,
        ``as_of``). Incremental validation re-checks the rule only after events that
        write one of them, and only on the subjects they touch (see
        :class:`~gridgov.rules.Validator` for what a check may read of a subject's
        surroundings). ``None`` (the default): the rule is re-run in full after every
        event: always correct, only slower.
    hint : str, optional
        How to fix a finding; a finding may give its own.
    explained_by : Gap, optional
        Which findings a refused document record explains away.
    scan : callable, optional
        For ``document`` rules: the pass over a parsed document that finds what only a
        document can hold (cycles, ids used twice).
    explanation : str, optional
        What it checks, why it matters, an example and the fix; by default the check's
        (or scan's) docstring.

    Examples
    --------
    >>> def nothing(ctx, subjects):
    ...     '''Finds nothing.'''
    ...     return iter(())
    >>> rule = Rule("XX001", "nothing", "warning", "finds nothing", nothing,
    ...             reads=("posts",))
    >>> rule.severity is Severity.WARNING, rule.subject, rule.reads, rule.explanation
    (True, 'org', ('posts',), 'Finds nothing.')
    >>> Rule("gg1", "x", "E", "x", nothing)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: rule.code: expected 1-4 capital letters and 3 digits (got 'gg1')
    """

    code: str = field(validator=_check_code)
    name: str = field(validator=_check_name)
    severity: Severity = field(converter=_severity)
    summary: str
    check: Check | None
    subject: Subject = "org"
    levels: Callable[[Any], Iterable[str]] | tuple[str, ...] | None = field(
        default=None, converter=_levels
    )
    reads: tuple[str, ...] | None = field(default=None, converter=_reads, kw_only=True)
    hint: str = field(default="", kw_only=True)
    explained_by: Gap | None = field(default=None, kw_only=True)
    scan: Scan | None = field(default=None, kw_only=True)
    explanation: str = field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.summary, str) or not self.summary:
            raise InvalidValueError("rule.summary", self.summary, "expected a one-line summary")
        check_text("rule.summary", self.summary)
        check_text("rule.hint", self.hint)
        check_text("rule.explanation", self.explanation)
        if self.scan is not None and not callable(self.scan):
            raise InvalidValueError("rule.scan", self.scan, "expected a callable or None")
        if not self.explanation:
            source = self.check if self.check is not None else self.scan
            if source is not None:
                object.__setattr__(self, "explanation", inspect.cleandoc(source.__doc__ or ""))
        if self.subject not in ("org", "person", "jurisdiction", "document"):
            raise InvalidValueError("rule.subject", self.subject, "unknown subject")
        if self.check is None and self.subject != "document":
            raise InvalidValueError("rule.check", None, "only document rules may have no check")
        if self.check is not None and not callable(self.check):
            raise InvalidValueError("rule.check", self.check, "expected a callable")
        if self.explained_by is not None and not isinstance(self.explained_by, Gap):
            raise InvalidValueError("rule.explained_by", self.explained_by, "expected a Gap")

    def levels_in(self, scheme: Any) -> tuple[str, ...]:
        """Return the levels of `scheme` this rule looks at (``org`` rules).

        Level names the scheme does not have are left out.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL
        >>> from gridgov.rules import builtin_registry
        >>> r = builtin_registry()
        >>> r["GG206"].levels_in(FIVE_LEVEL), Rule("X001", "x", "E", "x", print,
        ...     levels=("community", "village")).levels_in(FIVE_LEVEL)
        (('street', 'community', 'branch'), ('community',))
        """
        if not isinstance(scheme, Scheme):
            raise InvalidValueError("scheme", scheme, "must be a Scheme")
        if self.levels is None:
            return tuple(scheme.levels)
        levels = self.levels(scheme) if callable(self.levels) else self.levels
        return tuple(level for level in levels if level in scheme.levels)


def _undeclared(ctx: Any, subjects: Iterable[str]) -> Iterable[Diagnostic]:
    return ()


class RuleSet:
    """Collects the rules of one module as they are declared, in declaration order.

    A family of built-in rules (or a plugin's) declares each rule right above its check
    with :meth:`check`, and exposes :attr:`rules`; nothing restates them.

    Examples
    --------
    >>> family = RuleSet()
    >>> @family.check("XX002", "no-full-member", "W", "a branch has no full member",
    ...               levels=("branch",), reads=("filings", "people"))
    ... def no_full_member(ctx, subjects):
    ...     '''Branches need a full member.'''
    ...     return iter(())
    >>> [r.code for r in family.rules], no_full_member.name
    (['XX002'], 'no-full-member')
    """

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.breakings: list[Breaking] = []
        """The breaking mutations declared with :meth:`breaking`, in declaration order."""

    def add(self, rule: Rule) -> Rule:
        """Add `rule` (declared as a :class:`Rule`) and return it.

        Raises
        ------
        InvalidValueError
            If `rule` is not a :class:`Rule`.

        Examples
        --------
        >>> family = RuleSet()
        >>> rule = family.add(Rule("XX003", "nothing", "I", "finds nothing", print))
        >>> family.rules == [rule]
        True
        """
        if not isinstance(rule, Rule):
            raise InvalidValueError("rule", rule, "expected a gridgov.rules.Rule")
        self.rules.append(rule)
        return rule

    def check(
        self,
        code: str,
        name: str,
        severity: Severity | str,
        summary: str,
        *,
        subject: Subject = "org",
        levels: Callable[[Any], Iterable[str]] | tuple[str, ...] | None = None,
        reads: Iterable[str] | None = None,
        hint: str = "",
        explained_by: Gap | None = None,
    ) -> Callable[[Check], Rule]:
        """Declare the rule whose check the decorated function is; return the :class:`Rule`.

        The declaration is checked when this is called, before any function is decorated.

        Raises
        ------
        InvalidValueError
            If a part of the declaration is malformed (see :class:`Rule`), or the decorated
            object is not callable.

        Examples
        --------
        >>> family = RuleSet()
        >>> family.check("xx1", "bad-code", "W", "a summary")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: rule.code: expected 1-4 capital letters and 3 digits (got 'xx1')
        """
        declared = Rule(
            code,
            name,
            severity,
            summary,
            _undeclared,
            subject,
            levels,
            reads=reads,
            hint=hint,
            explained_by=explained_by,
        )

        def declare(fn: Check) -> Rule:
            if not callable(fn):
                raise InvalidValueError("rule.check", fn, "expected a callable")
            return self.add(evolve(declared, check=fn))

        return declare

    def breaking(
        self, code: str, *, target: Target = "jurisdiction", needs: Iterable[str] = ()
    ) -> Callable[[Mutation], Mutation]:
        """Declare the decorated function as the breaking mutation of rule `code`.

        The mutation (see :mod:`gridgov.rules.breaking`) turns a clean jurisdiction (or,
        with ``target="document"``, its document) into one that breaks the rule and no
        other error-level rule; the testing kit finds it through the ``gridgov_breaking``
        hook. The function is returned unchanged, so it stays callable.

        Raises
        ------
        InvalidValueError
            If `code`, `target` or `needs` is malformed, or the decorated object is not
            callable.

        Examples
        --------
        >>> family = RuleSet()
        >>> @family.breaking("XX002", needs=("branch",))
        ... def no_full_member(j, choose):
        ...     '''Makes a branch's members probationary.'''
        >>> [(b.code, b.summary) for b in family.breakings]
        [('XX002', "Makes a branch's members probationary.")]
        """
        from gridgov.rules.breaking import Breaking

        if isinstance(needs, str) or not isinstance(needs, Iterable):
            raise InvalidValueError("needs", needs, "expected a list of needs")
        declared = Breaking(code, _no_mutation, target, tuple[str, ...](needs))

        def declare(fn: Mutation) -> Mutation:
            if not callable(fn):
                raise InvalidValueError("breaking.mutate", fn, "expected a callable")
            self.breakings.append(Breaking(code, fn, declared.target, declared.needs))
            return fn

        return declare


def _no_mutation(target: Any, choose: Any) -> bool:
    return False


class Registry(Mapping[str, Rule]):
    """Rules by code, in code order; open to third-party rules.

    Examples
    --------
    >>> from gridgov.rules import builtin_registry
    >>> r = builtin_registry()
    >>> len(r), "GG101" in r
    (32, True)
    >>> r.select(["GG2"], ignore=["GG207", "GG209"])[:3]
    ('GG201', 'GG202', 'GG203')
    """

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        if isinstance(rules, str | bytes | Mapping) or not isinstance(rules, Iterable):
            raise InvalidValueError("rules", rules, "expected an iterable of Rules")
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            if not isinstance(rule, Rule):
                raise InvalidValueError("rules", rule, "expected an iterable of Rules")
            self.register(rule)

    def register(self, rule: Rule) -> Rule:
        """Add `rule`; raise :class:`~gridgov.errors.DuplicateIdError` if its code is taken.

        Returns
        -------
        Rule
            `rule` itself.

        Raises
        ------
        DuplicateIdError
            If a rule with the same code is registered already.
        InvalidValueError
            If `rule` is not a :class:`Rule`.

        Examples
        --------
        >>> r = Registry()
        >>> rule = Rule("XX001", "never", "info", "finds nothing", lambda ctx, subjects: ())
        >>> r.register(rule) is rule, list(r)
        (True, ['XX001'])
        >>> r.register(rule)
        Traceback (most recent call last):
        ...
        gridgov.errors.DuplicateIdError: rule.code: id 'XX001' is already used by rule
        """
        if not isinstance(rule, Rule):
            raise InvalidValueError("rule", rule, "expected a gridgov.rules.Rule")
        if rule.code in self._rules:
            raise DuplicateIdError("rule.code", rule.code, "rule")
        self._rules[rule.code] = rule
        self._rules = dict(sorted(self._rules.items()))
        return rule

    def copy(self) -> Registry:
        """Return a new registry with the same rules.

        Examples
        --------
        >>> from gridgov.rules import Rule, builtin_registry
        >>> base = builtin_registry()
        >>> mine = base.copy()
        >>> _ = mine.register(Rule("XX001", "never", "info", "finds nothing", lambda c, s: ()))
        >>> "XX001" in mine, "XX001" in base
        (True, False)
        """
        return Registry(self._rules.values())

    def __getitem__(self, code: str) -> Rule:
        try:
            return self._rules[code]
        except (KeyError, TypeError):
            if not isinstance(code, str):
                raise InvalidValueError("code", code, "must be a rule code (a string)") from None
            raise UnknownReferenceError("code", code, "rule") from None

    def get(self, code: str, default: Rule | None = None) -> Rule | None:  # type: ignore[override]
        """Return the rule of `code`, or `default` if none is registered.

        Examples
        --------
        >>> from gridgov.rules import builtin_registry
        >>> r = builtin_registry()
        >>> r.get("GG301").name, r.get("XX999") is None
        ('grid-branch-first-secretary', True)
        """
        if not isinstance(code, str):
            raise InvalidValueError("code", code, "must be a rule code (a string)")
        if default is not None and not isinstance(default, Rule):
            raise InvalidValueError("default", default, "must be a Rule or None")
        return self._rules.get(code, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._rules

    def __repr__(self) -> str:
        return f"Registry({len(self)} rules)"

    def select(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
    ) -> tuple[str, ...]:
        """Return the codes chosen by `select` and `ignore`, like ruff's selection.

        Each selector is a code or a prefix (``GG``, ``GG2``, ``GG20``) or ``ALL``. A code
        is chosen when its longest matching `select` prefix is longer than its longest
        matching `ignore` prefix, so ``select=["GG2"], ignore=["GG"]`` keeps the GG2xx
        rules. `select` defaults to every rule.

        Parameters
        ----------
        select : iterable of str, optional
            Codes or prefixes to run (default: ``ALL``).
        ignore : iterable of str, optional
            Codes or prefixes to skip.

        Returns
        -------
        tuple of str
            The chosen codes, in code order.

        Raises
        ------
        InvalidValueError
            If a selector matches no registered rule.

        Examples
        --------
        >>> from gridgov.rules import builtin_registry
        >>> r = builtin_registry()
        >>> r.select(["GG20"], ignore=["GG206"])
        ('GG201', 'GG202', 'GG203', 'GG204', 'GG205', 'GG207', 'GG208', 'GG209')
        >>> r.select(["GG9"])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: select: matches no registered rule (got 'GG9')
        """
        sel = self._selectors("select", ["ALL"] if select is None else select)
        ign = self._selectors("ignore", ignore or ())
        chosen = []
        for code in self._rules:
            s = max((len(p) for p in sel if code.startswith(p)), default=-1)
            i = max((len(p) for p in ign if code.startswith(p)), default=-1)
            if s > i:
                chosen.append(code)
        return tuple(chosen)

    def _selectors(self, field: str, values: Iterable[str]) -> list[str]:
        if isinstance(values, str):
            values = [values]
        elif not isinstance(values, Iterable) or isinstance(values, Mapping):
            raise InvalidValueError(field, values, "expected rule codes or prefixes")
        out = []
        for value in values:
            if not isinstance(value, str):
                raise InvalidValueError(field, value, "expected a rule code or prefix")
            text = value.strip().upper()
            prefix = "" if text == "ALL" else text
            if not any(code.startswith(prefix) for code in self._rules):
                raise InvalidValueError(field, value, "matches no registered rule")
            out.append(prefix)
        return out
