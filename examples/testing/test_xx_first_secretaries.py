"""Testing a host's hierarchy rule (XX301) with gridgov's strategies and state machine."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis.stateful import invariant
from xx_first_secretaries import MAX_BRANCHES

from gridgov import Jurisdiction, validate
from gridgov.testing import JurisdictionMachine, assert_valid, assert_violates, jurisdictions


# 1. Clean jurisdictions pass the host's rule too.
@given(jurisdictions(max_branches=MAX_BRANCHES))
def test_clean_jurisdictions_pass(j: Jurisdiction) -> None:
    assert_valid(j, select=["XX"])


# 2. The breaking strategy: XX301 fires, and no other error-level rule does.
@given(jurisdictions(breaking="XX301"))
def test_breaking_jurisdictions_break_only_xx301(j: Jurisdiction) -> None:
    findings = assert_violates(j, "XX301", count=1)
    assert len(findings[0].ids) == 1 + MAX_BRANCHES + 1  # the cadre and the branches
    assert {d.code for d in validate(j).errors} == {"XX301"}


# 3. The pytest plugin's fixtures work with the host's rule.
def test_the_factory_and_a_hand_made_break(jurisdiction_factory) -> None:
    j = jurisdiction_factory(branches=MAX_BRANCHES)
    assert_valid(j)
    j2 = jurisdiction_factory(branches=MAX_BRANCHES + 1)
    assert_violates(j2, "XX301")


# 4. A state machine: gridgov's operations and invariants, plus the host's own.
class FirstSecretaryMachine(JurisdictionMachine):
    start_with = jurisdictions(max_branches=3)

    @invariant()
    def xx301_fires_exactly_when_a_cadre_leads_too_many(self) -> None:
        if not hasattr(self, "j"):
            return
        overloaded = {
            person
            for person in self.j.people
            if sum(p.role == "first_secretary" for p in self.j.posts_held(person)) > MAX_BRANCHES
        }
        found = {d.ids[0] for d in self.validator.report().by_code("XX301")}
        assert found == overloaded


FirstSecretaryMachine.TestCase.settings = settings(max_examples=10, stateful_step_count=10)
TestFirstSecretaryMachine = FirstSecretaryMachine.TestCase
