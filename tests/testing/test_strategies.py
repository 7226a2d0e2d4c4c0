"""The strategies: clean jurisdictions validate clean, breaking ones break exactly their rule.

Every code of the registry (a test plugin's XX901 included) has a breaking strategy:
``jurisdictions(breaking=code)``, or ``documents(breaking=code)`` for the rules only a
document can break; what it generates triggers that code and no other error-level one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gridgov import plugins
from gridgov.errors import GridGovError
from gridgov.io import dump, json_schema, load, parse
from gridgov.model import FIVE_LEVEL, THREE_LEVEL, Event, Jurisdiction, Policy, Scheme
from gridgov.plugins import hookimpl
from gridgov.rules import levels
from gridgov.rules.breaking import Breaking, Chooser
from gridgov.rules.registry import RuleSet
from gridgov.testing import (
    any_events,
    documents,
    events,
    jurisdictions,
    make_jurisdiction,
    policies,
    schemes,
)
from gridgov.validation import validate

SCHEMA = json_schema(plugins=False)

# -- a host's plugin: one rule (XX901) and its breaking mutation -------------------------------

xx_rules = RuleSet()


@xx_rules.check(
    "XX901",
    "no-branch-named-test",
    "E",
    "a branch is named 'test'",
    levels=levels.branch,
    reads=("organizations",),
    hint="give the branch its real name",
)
def xx901(ctx: Any, subjects: Iterable[str]) -> Iterator[Any]:
    """A branch must not be named "test"."""
    for org in subjects:
        if ctx.jurisdiction.graph.org(org).name == "test":
            yield ctx.diagnostic("XX901", f"branch {org!r} is named 'test'", (org,))


@xx_rules.breaking("XX901", needs=("branch",))
def break_xx901(j: Any, choose: Chooser) -> None:
    """Renames a branch "test"."""
    j.rename_org(choose(j.graph.at_level(j.scheme.branch_level)), "test")


class XXPlugin:
    """The plugin: contributes XX901 and says how to break it."""

    @hookimpl
    def gridgov_rules(self) -> list[Any]:
        return xx_rules.rules

    @hookimpl
    def gridgov_breaking(self, code: str) -> Breaking | None:
        return {b.code: b for b in xx_rules.breakings}.get(code)


def _manager() -> plugins.GridGovPluginManager:
    pm = plugins.new_plugin_manager(autoload=False)
    pm.register(XXPlugin(), "xx-rules")
    return pm


CODES = list(plugins.registry(_manager()))
DOCUMENT_CODES = [c for c in CODES if plugins.breaking(c, _manager()).target == "document"]  # type: ignore[union-attr]
JURISDICTION_CODES = [c for c in CODES if c not in DOCUMENT_CODES]


@pytest.fixture
def with_plugin() -> Iterator[None]:
    """The process's plugin manager is one with the test plugin, for the test's duration."""
    saved = plugins._MANAGER
    plugins.reset(_manager())
    try:
        yield
    finally:
        plugins.reset(saved)


def test_the_codes_cover_the_registry() -> None:
    assert "XX901" in JURISDICTION_CODES
    assert set(DOCUMENT_CODES) == {
        "GG101",
        "GG102",
        "GG103",
        "GG104",
        "GG105",
        "GG106",
        "GG107",
        "GG312",
    }
    assert len(CODES) == 33
    assert set(DOCUMENT_CODES) | set(JURISDICTION_CODES) == set(CODES)


def _errors(report: Any) -> set[str]:
    return {d.code for d in report.errors}


@pytest.mark.parametrize("code", JURISDICTION_CODES)
def test_a_breaking_jurisdiction_breaks_its_rule_and_no_other(code: str, with_plugin: None) -> None:
    @settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
    @given(jurisdictions(breaking=code))
    def check(j: Jurisdiction) -> None:
        report = validate(j)
        assert report.by_code(code), f"{code} did not fire"
        assert _errors(report) <= {code}
        # and it is a jurisdiction that replays from its log
        assert Jurisdiction.replay(j.log) == j

    check()


@pytest.mark.parametrize("code", DOCUMENT_CODES)
def test_a_breaking_document_breaks_its_rule_and_no_other(code: str, with_plugin: None) -> None:
    @settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(breaking=code))
    def check(doc: dict[str, Any]) -> None:
        report = validate(parse(doc))
        assert report.by_code(code), f"{code} did not fire"
        assert _errors(report) <= {code}

    check()


@given(jurisdictions(breaking=["GG307", "GG206"]))
def test_several_codes_at_once(j: Jurisdiction) -> None:
    assert _errors(validate(j)) == {"GG307", "GG206"}


@given(jurisdictions())
def test_valid_jurisdictions_validate_clean(j: Jurisdiction) -> None:
    assert not validate(j).errors
    assert load(dump(j)) == j


@given(jurisdictions(warnings=False, scheme=schemes(presets=False)))
def test_custom_schemes_validate_without_warnings(j: Jurisdiction) -> None:
    assert len(validate(j)) == 0


@given(
    jurisdictions(min_branches=2, max_branches=2, max_members=3, scheme=FIVE_LEVEL, policy=Policy())
)
def test_branch_bounds(j: Jurisdiction) -> None:
    assert len(j.graph.at_level("branch")) == 2
    for branch in j.graph.at_level("branch"):
        assert len(j.graph.members(branch)) <= 3 + 2  # full, and up to two probationary


@given(documents())
def test_valid_documents_conform_to_the_schema(doc: dict[str, Any]) -> None:
    jsonschema.validate(doc, SCHEMA)
    assert not validate(parse(doc)).errors


@given(documents(valid=False))
def test_malformed_documents_are_refused_with_gridgov_errors_only(doc: Any) -> None:
    try:
        report = validate(parse(doc))
    except GridGovError:
        return
    assert report is not None
    with contextlib.suppress(GridGovError):
        load(doc)


@given(policies(), schemes())
def test_policies_and_schemes(policy: Policy, scheme: Scheme) -> None:
    assert isinstance(policy, Policy)
    assert isinstance(scheme, Scheme)
    assert scheme.depth(scheme.filing_level) >= 1


@given(st.data())
def test_events_are_legal_from_the_given_state(data: st.DataObject) -> None:
    j = make_jurisdiction(branches=2)
    evs = data.draw(events(j, max_size=8))
    before = dump(j)
    assert j.copy().apply_all(evs) == len(evs)
    assert dump(j) == before  # the strategy did not change the jurisdiction


@given(st.data())
def test_any_events_are_refused_cleanly_or_applied(data: st.DataObject) -> None:
    j = make_jurisdiction()
    event = data.draw(any_events(j))
    before = (dump(j), j.version)
    try:
        j.apply(event)
    except GridGovError:
        assert (dump(j), j.version) == before
    assert isinstance(data.draw(any_events()), Event)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: jurisdictions(min_branches=-1), "min_branches"),
        (lambda: jurisdictions(min_branches=3, max_branches=2), "min_branches"),
        (lambda: jurisdictions(max_members=0), "max_members"),
        (lambda: jurisdictions(valid="yes"), "valid"),
        (lambda: jurisdictions(scheme="five-level"), "scheme"),
        (lambda: jurisdictions(policy={"a": 1}), "policy"),
        (lambda: jurisdictions(breaking="GG999"), "no registered rule"),
        (lambda: jurisdictions(breaking=[]), "breaking"),
        (lambda: jurisdictions(breaking="GG105"), "documents(breaking='GG105')"),
        (lambda: jurisdictions(breaking="GG301", scheme=THREE_LEVEL), "needs branch"),
        (
            lambda: jurisdictions(breaking="GG301", policy=Policy(first_secretary_practice=False)),
            "practice",
        ),
        (lambda: documents(valid=1), "valid"),
        (lambda: events("j"), "jurisdiction"),
        (lambda: events(make_jurisdiction(), min_size=3, max_size=2), "min_size"),
        (lambda: any_events(5), "jurisdiction"),
        (lambda: policies(first_secretary_practice=1), "first_secretary_practice"),
        (lambda: schemes(presets=False, custom=False), "nothing to draw"),
    ],
)
def test_bad_arguments_are_refused_eagerly(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_a_code_with_no_mutation_is_a_clear_error(with_plugin: None) -> None:
    pm = plugins._MANAGER
    assert pm is not None
    pm.unregister(name="gridgov.breaking")
    with pytest.raises(InvalidArgument, match="no plugin says how to break"):
        jurisdictions(breaking="GG301")
