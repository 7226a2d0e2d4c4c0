"""The rule engine: the charter rules as code, with stable codes GG101-GG312.

Pure: no I/O, no clock (dates come from the jurisdiction's ``as_of``), no global state.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> from gridgov.rules import validate
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "均禾街党工委")
>>> report = validate(j)
>>> report.count_by_code(), report.ok
({'GG206': 1}, False)
"""

from gridgov.rules.catalogue import BUILTIN_RULES
from gridgov.rules.context import Context, Paths
from gridgov.rules.diagnostics import Diagnostic, Report, Severity
from gridgov.rules.engine import Validator, builtin_registry, validate
from gridgov.rules.registry import Check, Registry, Rule, Subject
from gridgov.rules.structure import Finding, read_tolerant

__all__ = [
    "BUILTIN_RULES",
    "Check",
    "Context",
    "Diagnostic",
    "Finding",
    "Paths",
    "Registry",
    "Report",
    "Rule",
    "Severity",
    "Subject",
    "Validator",
    "builtin_registry",
    "read_tolerant",
    "validate",
]
