"""A Hypothesis state machine over one jurisdiction, for anyone's hierarchy rules.

:class:`JurisdictionMachine` starts from a clean jurisdiction and drives random
everyday operations (found, dissolve, file, relocate, attach, claim, appoint, replace,
vacate, switch policy, ...) and random, mostly illegal, events. After every step it
checks that incremental validation (:class:`~gridgov.rules.Validator`) equals a full
validation for every registered rule, plugins' included; that a refused operation left
the jurisdiction and its findings exactly as they were; and, at the end, that
replaying the log gives the same state. Subclass it to add rules and invariants of
your own::

    class MyMachine(JurisdictionMachine):
        @invariant()
        def no_branch_named_test(self):
            assert all(o.name != "test" for o in self.j.organizations.values())

    TestMyMachine = MyMachine.TestCase
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import hypothesis.strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gridgov import plugins
from gridgov.errors import GridGovError, InvalidValueError
from gridgov.io import dump
from gridgov.model import Event, Jurisdiction, Policy, PolicyChanged
from gridgov.rules import Validator
from gridgov.testing import _engine
from gridgov.testing.strategies import _relocate, _replace, jurisdictions, policies
from gridgov.validation import validate

__all__ = ["JurisdictionMachine", "history_of"]

Draw = Any


def history_of(j: Jurisdiction) -> str:
    """Python that replays the log of `j`: paste it into a test to rebuild the history.

    Events and values print with their enums as plain strings, so their reprs run.

    Examples
    --------
    >>> from gridgov.rules.breaking import minimal_jurisdiction
    >>> j = minimal_jurisdiction()
    >>> namespace = {}
    >>> exec(history_of(j), namespace)
    >>> namespace["j"] == j
    True
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    lines = [
        "import datetime",
        "from gridgov.model import *",
        "",
        "j = Jurisdiction.replay([",
        *(f"    {event!r}," for event in j.log),
        "])",
    ]
    return "\n".join(lines) + "\n"


def _operation(command: Any) -> Any:
    """A rule running one legal command on a copy, then its events through the validator."""

    def step(self: JurisdictionMachine, data: st.DataObject) -> None:
        trial = self.j.copy()
        version = trial.version
        command(trial, data.draw)
        self.apply_events(list(trial.log[version:]))

    step.__name__ = command.__name__.strip("_")
    step.__doc__ = command.__doc__
    return rule(data=st.data())(step)


class JurisdictionMachine(RuleBasedStateMachine):
    """Random operations on a jurisdiction, with the model's and the validator's invariants.

    Attributes
    ----------
    j : Jurisdiction
        The jurisdiction being driven.
    validator : Validator
        Its incremental validator (every registered rule).
    refused : int
        How many operations or events were refused so far.

    Override :meth:`start` (or :attr:`start_with`, a strategy of jurisdictions) to
    start elsewhere; add ``@rule`` and ``@invariant`` methods for your own checks.
    """

    start_with: st.SearchStrategy[Jurisdiction] = jurisdictions(max_branches=2, max_members=4)
    """Where a run starts (a strategy of jurisdictions)."""

    validator_options: Mapping[str, Any] = MappingProxyType({})
    """Options for the validator and the full validations it is compared with (``policy``,
    ``select``, ``ignore``, ``severity``)."""

    j: Jurisdiction
    validator: Validator

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        """Draw the starting jurisdiction and set up its validator."""
        self.j = data.draw(self.start_with, label="start")
        self.validator = Validator(
            self.j, registry=plugins.registry(), **dict(self.validator_options)
        )
        self.refused = 0

    def apply_events(self, events: list[Event]) -> bool:
        """Apply `events` through the validator, all or none; check a refusal changed nothing.

        Returns whether they were applied.
        """
        if not events:
            return True
        before, version, report = self.j.copy(), self.j.version, self.validator.report()
        try:
            self.validator.apply_all(events)
        except GridGovError:
            self.refused += 1
            assert self.j == before, "a refused change changed the jurisdiction"
            assert self.j.version == version, "a refused change changed the version"
            assert self.validator.report() == report, "a refused change changed the findings"
            return False
        return True

    found = _operation(_engine.found_org)
    found_path = _operation(_engine.found_path)
    dissolve = _operation(_engine.dissolve_org)
    file = _operation(_engine.file_member)
    add_member = _operation(_engine.add_filed_member)
    relocate = _operation(_relocate)
    attach = _operation(_engine.attach_member)
    claim = _operation(_engine.claim_zone)
    appoint = _operation(_engine.appoint)
    replace = _operation(_replace)
    vacate = _operation(_engine.vacate)

    @rule(policy=policies())
    def switch_policy(self, policy: Policy) -> None:
        """Switch the jurisdiction's policy (any thresholds, the practice on or off)."""
        self.apply_events([PolicyChanged(policy)])

    amend = _operation(_engine.amend_org)
    register = _operation(_engine.register)

    @rule(data=st.data(), command=st.sampled_from(_engine.COMMANDS))
    def other_command(self, data: st.DataObject, command: Any) -> None:
        """Any other everyday command (rename, move, households, cooperatives, ...)."""
        trial = self.j.copy()
        version = trial.version
        command(trial, data.draw)
        self.apply_events(list(trial.log[version:]))

    @rule(data=st.data(), size=st.integers(1, 4))
    def random_batch(self, data: st.DataObject, size: int) -> None:
        """A batch of random events, applied all or none."""
        self.apply_events([_engine._random_event(data.draw, self.j) for _ in range(size)])

    @rule(data=st.data())
    def random_event(self, data: st.DataObject) -> None:
        """An event about known ids, often illegal: a refusal must change nothing."""
        self.apply_events([_engine._random_event(data.draw, self.j)])

    @invariant()
    def incremental_equals_full(self) -> None:
        """The validator's findings are those of a full validation, for every rule."""
        if hasattr(self, "validator"):
            full = validate(self.j, **dict(self.validator_options))
            assert self.validator.report() == full

    def teardown(self) -> None:
        """Replaying the log gives the same state."""
        if hasattr(self, "j"):
            replayed = Jurisdiction.replay(self.j.log)
            assert replayed == self.j
            assert dump(replayed) == dump(self.j)
