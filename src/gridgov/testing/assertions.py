"""Assertion helpers whose failures say what was found, readably, and how to reproduce it.

The pytest plugin registers this module for assertion rewriting and shows only the
difference when two :class:`~gridgov.rules.Report`\\ s compare unequal.

Examples
--------
>>> from gridgov.rules.breaking import minimal_jurisdiction
>>> j = minimal_jurisdiction()
>>> _ = assert_valid(j)
>>> _ = j.vacate("G1", "group_leader", "P1")
>>> _ = assert_violates(j, "GG307")
>>> assert_valid(j)
Traceback (most recent call last):
...
AssertionError: expected no error-level finding, found 1:
  GG307 error  ...
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from gridgov import plugins
from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_COUNT, check_int
from gridgov.model import Jurisdiction
from gridgov.model.document import Document
from gridgov.rules.diagnostics import Diagnostic, Report, Severity
from gridgov.validation import validate

__all__ = ["assert_valid", "assert_violates", "format_report", "report_diff"]

_SHOWN = 20
"""The most findings a failure message lists (the rest are counted)."""


def _line(d: Diagnostic) -> str:
    where = f"  [{d.path}]" if d.path else ""
    hint = f"\n      fix: {d.hint}" if d.hint else ""
    return f"  {d.code} {d.severity.value:<7} {d.message}{where}{hint}"


def format_report(report: Report, *, limit: int = _SHOWN) -> str:
    """The findings of `report`, one per line (code, severity, message, path, fix).

    Examples
    --------
    >>> from gridgov.rules import Diagnostic
    >>> print(format_report(Report([Diagnostic("GG307", "E", "group 'G1' has no leader", ("G1",))])))
      GG307 error   group 'G1' has no leader
    """
    if not isinstance(report, Report):
        raise InvalidValueError("report", report, "must be a Report")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidValueError("limit", limit, "must be a count (an integer >= 0)")
    lines = [_line(d) for d in list(report)[:limit]]
    if len(report) > limit:
        lines.append(f"  ... and {len(report) - limit} more")
    return "\n".join(lines) if lines else "  (no findings)"


def _report(source: object, **options: object) -> Report:
    if isinstance(source, Report):  # taken as it is, its findings chosen as validate would
        if not options:
            return source
        select, ignore = options.get("select"), options.get("ignore")
        chosen = set(plugins.registry().select(select, ignore))  # type: ignore[arg-type]
        return Report([d for d in source if d.code in chosen], source=source.source)
    if not isinstance(source, Jurisdiction | Document):
        raise InvalidValueError(
            "j", source, "must be a Jurisdiction, a parsed Document or a Report"
        )
    return validate(source, **options)  # type: ignore[arg-type]


def _reproduce(source: object) -> str:
    if isinstance(source, Jurisdiction):
        return "\nreproduce it with gridgov.testing.source(j) (the document as Python that runs)"
    return ""


def assert_valid(
    j: Jurisdiction | Document | Report,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    severity: Severity | str = Severity.ERROR,
) -> Report:
    """Assert that `j` has no finding of at least `severity` among the selected rules.

    Parameters
    ----------
    j : Jurisdiction, Document or Report
        What to validate (a report is taken as it is, its findings chosen by `select`
        and `ignore`).
    select, ignore : iterable of str, optional
        Rule codes or prefixes, as for :func:`gridgov.validate`.
    severity : Severity or str
        The least severity that fails (default: errors; ``"warning"`` fails on warnings
        too).

    Returns
    -------
    Report
        The report, for further checks.

    Raises
    ------
    AssertionError
        Listing the findings, and how to reproduce the jurisdiction.

    Examples
    --------
    >>> from gridgov.rules.breaking import minimal_jurisdiction
    >>> len(assert_valid(minimal_jurisdiction(), select=["GG3"]))
    0
    """
    level = Severity.parse(severity, "severity")
    options = {"select": select, "ignore": ignore}
    report = _report(j, **{k: v for k, v in options.items() if v is not None})
    found = report.at_least(level)
    if found:
        shown = format_report(Report(found))
        raise AssertionError(
            f"expected no {level.value}-level finding, found {len(found)}:\n{shown}{_reproduce(j)}"
        )
    return report


def assert_violates(
    j: Jurisdiction | Document | Report, code: str, *, count: int | None = None
) -> tuple[Diagnostic, ...]:
    """Assert that `j` breaks the rule `code` (exactly `count` times, if given).

    Parameters
    ----------
    j : Jurisdiction, Document or Report
        What to validate (a report is taken as it is).
    code : str
        A registered rule's code.
    count : int, optional
        How many findings of `code` there must be, at least 1 (to assert that there is
        none, use ``assert_valid(j, select=[code], severity="warning")``).

    Returns
    -------
    tuple of Diagnostic
        The findings of `code`.

    Raises
    ------
    AssertionError
        Listing every finding there was instead.

    Examples
    --------
    >>> from gridgov.rules.breaking import minimal_jurisdiction
    >>> assert_violates(minimal_jurisdiction(), "GG301")
    Traceback (most recent call last):
    ...
    AssertionError: expected a GG301 finding, found none; the findings are:
      (no findings)
    reproduce it with gridgov.testing.source(j) (the document as Python that runs)
    """
    if not isinstance(code, str) or code not in plugins.registry():
        raise InvalidValueError("code", code, "must be the code of a registered rule (GG301)")
    if count is not None:
        check_int("count", count, 1, MAX_COUNT)  # none at all: assert_valid(select=[code])
    report = _report(j)
    found = report.by_code(code)
    if not found or (count is not None and len(found) != count):
        expected = f"a {code} finding" if count is None else f"{count} {code} finding(s)"
        got = "none" if not found else str(len(found))
        raise AssertionError(
            f"expected {expected}, found {got}; the findings are:\n{format_report(report)}"
            f"{_reproduce(j)}"
        )
    return found


def report_diff(a: Report, b: Report) -> str:
    """What two reports do not share: the findings only in `a`, then those only in `b`.

    Examples
    --------
    >>> from gridgov.rules import Diagnostic
    >>> d1 = Diagnostic("GG307", "E", "group 'G1' has no leader", ("G1",))
    >>> d2 = Diagnostic("GG308", "E", "zone 'Z1' is unclaimed", ("Z1",))
    >>> print(report_diff(Report([d1, d2]), Report([d1])))
    only in the left report (1):
      GG308 error   zone 'Z1' is unclaimed
    only in the right report (0):
      (no findings)
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Report):
            raise InvalidValueError(name, value, "must be a Report")
    left, right = Counter(a), Counter(b)  # a finding reported twice is a difference too
    only_a = list((left - right).elements())
    only_b = list((right - left).elements())
    lines = [
        f"only in the left report ({len(only_a)}):",
        format_report(Report(only_a)),
        f"only in the right report ({len(only_b)}):",
        format_report(Report(only_b)),
    ]
    if a.source != b.source:
        lines.append(f"sources differ: {a.source!r} != {b.source!r}")
    return "\n".join(lines)
