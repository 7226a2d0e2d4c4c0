"""A refusal never changes state: not the jurisdiction, not its version, not the next id.

Incremental validation applies an event inside :meth:`Jurisdiction.atomic`, so a check that
fails after the event was applied undoes it; dates are bounded (1900-01-01..2199-12-31)
so that GG207's expiry arithmetic, a term of up to 100 years, always stays a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import pytest

import gridgov
from gridgov import (
    GridGovError,
    InvalidValueError,
    Jurisdiction,
    Organization,
    OrganizationFounded,
    Validator,
    dumps,
    validate,
)
from gridgov.limits import MAX_DATE, MAX_YEARS
from gridgov.rules import Diagnostic, Registry, Rule, builtin_registry


def _street(**fields: object) -> OrganizationFounded:
    return OrganizationFounded(Organization("S1", "street", "均禾街党工委", **fields))  # type: ignore[arg-type]


def test_a_term_start_past_the_calendar_cannot_even_be_given() -> None:
    with pytest.raises(InvalidValueError, match=r"^term_start: must be between"):
        _street(term_start="9999-12-31")
    with pytest.raises(InvalidValueError, match=r"^term_start: must be between"):
        _street(term_start=dt.date(9999, 12, 31))


@pytest.mark.parametrize("years", [1, 3, 5, MAX_YEARS])
def test_gg207_at_the_end_of_the_calendar(years: int) -> None:
    """The latest term start, judged at the latest date, with the longest term: no overflow."""
    j = Jurisdiction()
    j.set_policy(term_years_other=years, term_years_community=years)
    j.set_as_of(MAX_DATE)
    v = Validator(j)
    version = j.version
    v.apply(_street(term_start=MAX_DATE))
    assert j.version == version + 1
    assert v.report() == validate(j)
    assert "GG207" not in v.report().count_by_code()
    j2 = Jurisdiction()
    j2.set_as_of(MAX_DATE)
    v2 = Validator(j2)
    v2.apply(_street(term_start=dt.date(1900, 1, 1)))
    assert "GG207" in v2.report().count_by_code()


def _crashing_registry(error: BaseException) -> Registry:
    def crash(ctx: object, subjects: Iterable[str]) -> Iterator[Diagnostic]:
        for _ in subjects:
            raise error
        return iter(())

    registry = builtin_registry()
    registry.register(
        Rule(
            "XX901",
            "crash",
            "error",
            "crashes on streets",
            crash,
            levels=("street",),
            reads=("organizations",),
        )
    )
    return registry


@pytest.mark.parametrize(
    "error", [RuntimeError("a bug in a rule"), GridGovError("a refusal in a rule")]
)
def test_a_check_that_fails_after_the_event_was_applied_undoes_it(error: BaseException) -> None:
    j = Jurisdiction()
    v = Validator(j, registry=_crashing_registry(error))
    before, version, log, report = dumps(j), j.version, list(j.log), v.report()
    with pytest.raises(type(error)):
        v.apply(_street())
    assert (dumps(j), j.version, list(j.log)) == (before, version, log)
    assert v.report() == report
    with pytest.raises(type(error)):
        v.apply_all([OrganizationFounded(Organization("X1", "street", "X"))])
    assert (dumps(j), j.version, list(j.log)) == (before, version, log)


def test_a_refused_event_leaves_the_validator_and_jurisdiction_as_they_were() -> None:
    j = Jurisdiction()
    v = gridgov.Validator(j)
    v.apply(_street())
    before, version, report = dumps(j), j.version, v.report()
    with pytest.raises(GridGovError):
        v.apply(OrganizationFounded(Organization("C1", "community", "C", parent="S9")))
    with pytest.raises(GridGovError):
        v.apply_all([OrganizationFounded(Organization("C1", "community", "C", parent="S1")), 5])
    assert (dumps(j), j.version, v.report()) == (before, version, report)


def test_a_refused_found_org_without_an_id_makes_the_same_id_next() -> None:
    j = Jurisdiction()
    j.found_org(None, "street", "S")
    for bad in (
        lambda: j.found_org(None, "community", "C", parent="S9"),  # refused by the jurisdiction
        lambda: j.found_org(None, "community", None, parent="S1"),  # refused by the record
        lambda: j.found_org(None, 5, "C", parent="S1"),
        lambda: j.found_org(None, "community", "C", parent="S1", units={"a": 1}),
    ):
        with pytest.raises(GridGovError):
            bad()
    assert j.found_org(None, "community", "C", parent="S1").org.id == "C1"
