"""gridgov's testing kit: Hypothesis strategies, assertion helpers, a state machine.

For anyone's hierarchy rules, gridgov's own and a host's:

- :mod:`gridgov.testing.strategies`: ``policies()``, ``schemes()``, ``jurisdictions()``
  (clean, or breaking given rules: ``jurisdictions(breaking="GG301")``),
  ``documents()`` (clean, breaking, malformed), ``events(j)``, ``any_events()``;
- :func:`assert_valid`, :func:`assert_violates`, :func:`report_diff`: failures that
  list the findings readably and say how to reproduce the jurisdiction;
- :func:`source` / :func:`reproduce` / :func:`history_of`: a jurisdiction as Python
  that rebuilds it;
- :func:`make_jurisdiction`: the smallest jurisdiction that passes every rule;
- :class:`JurisdictionMachine`: a ``RuleBasedStateMachine`` to subclass.

Needs Hypothesis (``pip install gridgov[testing]``). The pytest plugin (installed with
gridgov, disabled with ``-p no:gridgov``) adds the fixtures ``gridgov_policy``,
``jurisdiction_factory`` and ``junhe_example``.

Examples
--------
>>> from gridgov.testing import assert_valid, make_jurisdiction
>>> _ = assert_valid(make_jurisdiction())
"""

from gridgov.testing.assertions import assert_valid, assert_violates, format_report, report_diff
from gridgov.testing.factory import make_jurisdiction
from gridgov.testing.machine import JurisdictionMachine, history_of
from gridgov.testing.source import reproduce, source
from gridgov.testing.strategies import (
    any_events,
    documents,
    events,
    jurisdictions,
    policies,
    schemes,
)

__all__ = [
    "JurisdictionMachine",
    "any_events",
    "assert_valid",
    "assert_violates",
    "documents",
    "events",
    "format_report",
    "history_of",
    "jurisdictions",
    "make_jurisdiction",
    "policies",
    "report_diff",
    "reproduce",
    "schemes",
    "source",
]
