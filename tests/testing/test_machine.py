"""The state machine runs with a bounded number of steps; a user subclass adds an invariant."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from gridgov.model import Jurisdiction
from gridgov.testing import JurisdictionMachine, history_of, jurisdictions, make_jurisdiction

BOUNDED = settings(max_examples=15, stateful_step_count=15, deadline=None)


def test_the_machine_runs() -> None:
    run_state_machine_as_test(JurisdictionMachine, settings=BOUNDED)


class CountingMachine(JurisdictionMachine):
    """A user's subclass: its own invariant, its own rule, another start."""

    start_with = jurisdictions(max_branches=1)
    runs: list[int] = []  # noqa: RUF012 - shared across runs on purpose: the test reads it

    @invariant()
    def the_log_counts_every_version(self) -> None:
        if hasattr(self, "j"):
            self.runs.append(self.j.version)
            assert self.j.version == len(self.j.log)

    @rule()
    def noop(self) -> None:
        """A user rule: nothing, to check that the machine takes user rules."""


def test_a_subclass_adds_an_invariant() -> None:
    CountingMachine.runs.clear()
    run_state_machine_as_test(CountingMachine, settings=BOUNDED)
    assert CountingMachine.runs, "the subclass's invariant never ran"


def test_a_failing_invariant_is_reported() -> None:
    class Failing(JurisdictionMachine):
        @invariant()
        def never_two_branches(self) -> None:
            if hasattr(self, "j"):
                assert len(self.j.organizations) < 3

    try:
        run_state_machine_as_test(Failing, settings=settings(BOUNDED, max_examples=5))
    except AssertionError:
        return
    raise AssertionError("the subclass's failing invariant was not reported")


def test_history_of_runs_back_to_the_same_jurisdiction() -> None:
    j = make_jurisdiction(branches=2)
    j.set_as_of("2021-11-22")
    j.amend_org("B1", kind="joint", units=["U1"])
    namespace: dict[str, object] = {}
    exec(history_of(j), namespace)
    rebuilt = namespace["j"]
    assert isinstance(rebuilt, Jurisdiction)
    assert rebuilt == j


def test_a_refusal_that_changed_the_state_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compound steps check that a refused command left the jurisdiction as it was."""
    from gridgov.errors import StateError
    from gridgov.testing import strategies

    j = make_jurisdiction(branches=2)
    person = next(iter(j.filings))

    def partial(self: Jurisdiction, person: str, org: str, **kw: object) -> None:
        self.unfile_member(person)  # a change, then a refusal: not all or none
        raise StateError("relocate", person, "refused after a partial change")

    strategies._refusal_changes_nothing(
        j, "relocate_member", lambda: j.relocate_member(person, "X")
    )
    monkeypatch.setattr(Jurisdiction, "relocate_member", partial)
    with pytest.raises(AssertionError, match="a refused relocate_member changed the jurisdiction"):
        strategies._refusal_changes_nothing(
            j, "relocate_member", lambda: j.relocate_member(person, "X")
        )
