"""The assertion helpers, the reproducible sources, and the factory."""

from __future__ import annotations

import pytest

from gridgov import THREE_LEVEL, Policy, validate
from gridgov.errors import InvalidValueError
from gridgov.io import loads
from gridgov.rules import Diagnostic, Report
from gridgov.testing import (
    assert_valid,
    assert_violates,
    format_report,
    make_jurisdiction,
    report_diff,
    reproduce,
    source,
)


def test_assert_valid_passes_on_a_clean_jurisdiction_and_lists_findings_otherwise() -> None:
    j = make_jurisdiction(branches=2)
    assert len(assert_valid(j, severity="warning")) == 0
    j.vacate("B1", "first_secretary", "P0")
    with pytest.raises(AssertionError) as info:
        assert_valid(j)
    message = str(info.value)
    assert "expected no error-level finding, found 1:" in message
    assert "GG301 error   grid branch 'B1' has no first secretary" in message
    assert "fix: " in message
    assert "gridgov.testing.source(j)" in message
    assert len(assert_valid(j, ignore=["GG301"])) == 0
    assert len(assert_valid(j, select=["GG2"])) == 0
    # a report is filtered the same way
    report = validate(j)
    assert len(assert_valid(report, ignore=["GG301"])) == 0
    assert len(assert_valid(report, select=["GG2"])) == 0
    with pytest.raises(AssertionError, match="GG301"):
        assert_valid(report, select=["GG3"])


def test_assert_violates_counts() -> None:
    j = make_jurisdiction(branches=2)
    for branch in ("B1", "B2"):
        j.vacate(branch, "first_secretary", "P0")
    assert len(assert_violates(j, "GG301", count=2)) == 2
    with pytest.raises(AssertionError, match=r"expected 1 GG301 finding\(s\), found 2"):
        assert_violates(j, "GG301", count=1)
    with pytest.raises(AssertionError, match="expected a GG307 finding, found none"):
        assert_violates(validate(j), "GG307")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: assert_valid("j"), "j"),
        (lambda: assert_valid(make_jurisdiction(), severity="fatal"), "severity"),
        (lambda: assert_violates(make_jurisdiction(), "GG999"), "code"),
        (lambda: assert_violates(make_jurisdiction(), 301), "code"),
        (lambda: assert_violates(make_jurisdiction(), "GG301", count=-1), "count"),
        (lambda: assert_violates(make_jurisdiction(), "GG301", count=0), "count"),
        (lambda: format_report([]), "report"),
        (lambda: report_diff(Report(()), None), "b"),
        (lambda: source(None), "j"),
        (lambda: source(make_jurisdiction(), "yaml"), "format"),
        (lambda: make_jurisdiction(branches=-1), "branches"),
        (lambda: make_jurisdiction(members=0), "members"),
    ],
)
def test_bad_arguments_are_refused(call: object, field: str) -> None:
    with pytest.raises(InvalidValueError, match=field):
        call()  # type: ignore[operator]


def test_report_diff_shows_only_the_difference() -> None:
    shared = Diagnostic("GG307", "E", "group 'G1' has no leader", ("G1",))
    left = Diagnostic("GG308", "E", "zone 'Z1' is unclaimed", ("Z1",))
    text = report_diff(Report([shared, left]), Report([shared], source="b.json"))
    assert "only in the left report (1):" in text
    assert "GG308" in text
    assert "GG307" not in text
    assert "sources differ: None != 'b.json'" in text


def test_report_diff_counts_a_finding_reported_twice() -> None:
    d = Diagnostic("GG307", "E", "group 'G1' has no leader", ("G1",))
    text = report_diff(Report([d, d]), Report([d]))
    assert "only in the left report (1):" in text
    assert "GG307" in text
    assert "only in the right report (0):" in text


def test_the_source_rebuilds_the_jurisdiction(capsys: pytest.CaptureFixture[str]) -> None:
    j = make_jurisdiction(THREE_LEVEL, Policy(max_zones_per_member=1), branches=2)
    namespace: dict[str, object] = {}
    exec(source(j), namespace)
    assert namespace["j"] == j
    assert loads(source(j, "json")) == j
    reproduce(j)
    assert capsys.readouterr().out == source(j) + "\n"


def test_the_factory_makes_clean_jurisdictions_of_any_size() -> None:
    for scheme in (None, THREE_LEVEL):
        for branches in (0, 1, 3):
            j = make_jurisdiction(scheme, branches=branches, members=8)
            assert len(validate(j)) == 0, validate(j)
