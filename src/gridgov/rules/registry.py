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
...         if ctx.j.graph.org(org).name == "test":
...             yield ctx.diagnostic("XX001", f"{org!r} is named 'test'", (org,))
>>> _ = registry.register(Rule("XX001", "no-test-name", Severity.WARNING,
...     "a branch is named 'test'", no_branch_named_test, subject="org", levels=("branch",)))
>>> registry.select(["XX"])
('XX001',)
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import field, frozen

from gridgov.errors import DuplicateIdError, InvalidValueError, UnknownReferenceError
from gridgov.rules.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from gridgov.rules.context import Context

__all__ = ["Check", "Registry", "Rule", "Subject"]

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
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("rule.levels", value, "expected level names or a callable")
    levels = tuple(value)
    if not all(isinstance(level, str) for level in levels):
        raise InvalidValueError("rule.levels", value, "expected level names or a callable")
    return levels


@frozen
class Rule:
    """One rule of the catalogue.

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
    explanation : str, optional
        What it checks, why it matters, an example and the fix; by default the check's
        docstring.

    Examples
    --------
    >>> from gridgov.rules import Rule, Severity
    >>> def never(ctx, subjects):
    ...     '''Finds nothing.'''
    ...     return ()
    >>> rule = Rule("XX001", "never", "W", "finds nothing", never, levels=("branch",))
    >>> rule.severity is Severity.WARNING, rule.subject, rule.explanation
    (True, 'org', 'Finds nothing.')
    >>> Rule("gg1", "never", "info", "finds nothing", never)
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
    explanation: str = field(default="")

    def __attrs_post_init__(self) -> None:
        if not self.explanation and self.check is not None:
            object.__setattr__(self, "explanation", inspect.cleandoc(self.check.__doc__ or ""))
        if self.subject not in ("org", "person", "jurisdiction", "document"):
            raise InvalidValueError("rule.subject", self.subject, "unknown subject")
        if self.check is None and self.subject != "document":
            raise InvalidValueError("rule.check", None, "only document rules may have no check")

    def levels_in(self, scheme: Any) -> tuple[str, ...]:
        """Return the levels of `scheme` this rule looks at (``org`` rules).

        Level names the scheme does not have are left out.

        Examples
        --------
        >>> from gridgov.model import FIVE_LEVEL, THREE_LEVEL
        >>> from gridgov.rules import builtin_registry
        >>> rule = builtin_registry()["GG206"]  # levels above the filing level
        >>> rule.levels_in(FIVE_LEVEL), rule.levels_in(THREE_LEVEL)
        (('street', 'community', 'branch'), ('community',))
        """
        if self.levels is None:
            return tuple(scheme.levels)
        levels = self.levels(scheme) if callable(self.levels) else self.levels
        return tuple(level for level in levels if level in scheme.levels)


class Registry(Mapping[str, Rule]):
    """Rules by code, in code order; open to third-party rules.

    Examples
    --------
    >>> from gridgov.rules import builtin_registry
    >>> r = builtin_registry()
    >>> len(r), "GG101" in r
    (29, True)
    >>> r.select(["GG2"], ignore=["GG207", "GG209"])[:3]
    ('GG201', 'GG202', 'GG203')
    """

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules: dict[str, Rule] = {}
        for rule in rules:
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
        except KeyError:
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
        return self._rules.get(code, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

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
