"""The rule engine: the charter rules as code, with stable codes GG101-GG313.

Pure: no I/O, no clock (dates come from the jurisdiction's ``as_of``), no global state,
and no plugin manager: :func:`validate` and :class:`Validator` take an explicit
:class:`Registry` (default: the built-in rules). :func:`gridgov.validate` and
:class:`gridgov.Validator` are the same with the rules of the installed plugins.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "均禾街党工委")
>>> report = validate(j)
>>> report.count_by_code(), report.ok
({'GG206': 1}, False)
"""

from gridgov.rules.builtin import BUILTIN_RULES
from gridgov.rules.context import Context, Paths
from gridgov.rules.diagnostics import Diagnostic, Finding, Report, Severity
from gridgov.rules.engine import Validator, builtin_registry, validate
from gridgov.rules.registry import Check, Gap, Registry, Rule, RuleSet, Subject
from gridgov.rules.tolerant import read_tolerant

__all__ = [
    "BUILTIN_RULES",
    "Check",
    "Context",
    "Diagnostic",
    "Finding",
    "Gap",
    "Paths",
    "Registry",
    "Report",
    "Rule",
    "RuleSet",
    "Severity",
    "Subject",
    "Validator",
    "builtin_registry",
    "read_tolerant",
    "validate",
]
