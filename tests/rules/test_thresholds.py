"""Every threshold at its boundary: at the default, overridden per call, and in the document.

Each :class:`Threshold` builds a document from the clean base with one quantity ``x``
(members, committee size, deputies, units, zones, a term start date) and knows, for a
threshold value ``t``, the value of ``x`` just inside the limit (clean) and just outside
(one finding of the rule). The same boundary is then checked with the threshold
overridden through ``validate(..., policy={...})`` and through the document's ``policy``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from gridgov.errors import PolicyError
from gridgov.io import parse
from gridgov.model import THREE_LEVEL, Jurisdiction, Policy
from gridgov.rules import validate

Doc = dict[str, Any]
AS_OF = dt.date(2021, 11, 22)


class Threshold(NamedTuple):
    """A threshold, the document family that crosses it, and an overridden value."""

    code: str
    key: str
    subject: str
    build: Callable[[Any, Doc, Any], None]
    ok: Callable[[int], Any]
    bad: Callable[[int], Any]
    override: int


def _branch(**options: Any) -> Callable[[Any, Doc, Any], None]:
    def build(kit: Any, doc: Doc, x: Any) -> None:
        kit.add_branch(doc, "B2", **{k: (x if v is None else v) for k, v in options.items()})

    return build


def _committee(full: int) -> Callable[[Any, Doc, Any], None]:
    def build(kit: Any, doc: Doc, size: Any) -> None:
        kit.add_branch(doc, "B2", full=full, committee_members=size - 1)

    return build


def _joint(kit: Any, doc: Doc, units: Any) -> None:
    kit.add_branch(doc, "J1", full=2, kind="joint", units=[f"单位{i}" for i in range(units)])


def _zones(kit: Any, doc: Doc, zones: Any) -> None:
    for i in range(zones - 1):  # P5 claims Z1 already
        kit.add_zone(doc, f"Z1{i}", "G1", "P5")


def _term(org: str) -> Callable[[Any, Doc, Any], None]:
    def build(kit: Any, doc: Doc, start: Any) -> None:
        kit.org(doc, org)["term_start"] = start.isoformat()

    return build


def _last_day(years: int) -> dt.date:
    """A term start whose `years`-year term ends on AS_OF (its last day)."""
    return AS_OF.replace(year=AS_OF.year - years) + dt.timedelta(days=1)


def _expired(years: int) -> dt.date:
    """A term start whose `years`-year term ended the day before AS_OF."""
    return AS_OF.replace(year=AS_OF.year - years)


THRESHOLDS: dict[str, Threshold] = {
    # 2/3 full members
    "GG201-min-full-members": Threshold(
        "GG201",
        "min_branch_full_members",
        "B2",
        _branch(full=None),
        lambda t: t,
        lambda t: t - 1,
        4,
    ),
    # 50/51 members
    "GG202-max-members": Threshold(
        "GG202", "max_branch_members", "B2", _branch(full=None), lambda t: t, lambda t: t + 1, 60
    ),
    # general branch 100/101 members
    "GG202-general-max-members": Threshold(
        "GG202",
        "general_branch_max_members",
        "B2",
        _branch(full=None, kind="general"),
        lambda t: t,
        lambda t: t + 1,
        120,
    ),
    # 6/7 full members: no committee needed / committee required
    "GG203-committee-threshold": Threshold(
        "GG203",
        "committee_threshold",
        "B2",
        _branch(full=None, committee_members=0),
        lambda t: t - 1,
        lambda t: t,
        6,
    ),
    # 7/6 full members: committee allowed / committee not allowed
    "GG204-committee-threshold": Threshold(
        "GG204",
        "committee_threshold",
        "B2",
        _branch(full=None, committee_members=2),
        lambda t: t,
        lambda t: t - 1,
        6,
    ),
    # committee of 3/2 (8 full members)
    "GG203-committee-min-size": Threshold(
        "GG203", "committee_min_size", "B2", _committee(8), lambda t: t, lambda t: t - 1, 2
    ),
    # committee of 7/8 (9 full members)
    "GG211-committee-hard-max-size": Threshold(
        "GG211",
        "committee_hard_max_size",
        "B2",
        _committee(9),
        lambda t: t,
        lambda t: t + 1,
        6,
    ),
    # 1/2 deputy secretaries
    "GG204-deputies": Threshold(
        "GG204",
        "max_deputy_secretaries",
        "B2",
        _branch(full=5, deputies=None),
        lambda t: t,
        lambda t: t + 1,
        2,
    ),
    # 5/6 units
    "GG208-joint-units": Threshold(
        "GG208", "joint_branch_max_units", "J1", _joint, lambda t: t, lambda t: t + 1, 6
    ),
    # a grid branch in a community: 5 years, last day / day after
    "GG207-term-grid-branch": Threshold(
        "GG207", "term_years_community", "B1", _term("B1"), _last_day, _expired, 6
    ),
    # a community-level organization: 5 years
    "GG207-term-community": Threshold(
        "GG207", "term_years_community", "C1", _term("C1"), _last_day, _expired, 4
    ),
    # the street committee: 3 years
    "GG207-term-street": Threshold(
        "GG207", "term_years_other", "S1", _term("S1"), _last_day, _expired, 2
    ),
    # 3/4 zones
    "GG311-zones": Threshold(
        "GG311", "max_zones_per_member", "P5", _zones, lambda t: t, lambda t: t + 1, 4
    ),
}


def _doc(kit: Any, case: Threshold, x: Any, policy: dict[str, int] | None = None) -> Doc:
    doc = kit.base()
    case.build(kit, doc, x)
    if policy is not None:
        doc["policy"] = policy
    return doc


def _check_boundary(
    case: Threshold, ok_doc: Doc, bad_doc: Doc, options: dict[str, Any] | None = None
) -> None:
    options = options or {}
    ok = validate(parse(ok_doc), **options)
    assert list(ok) == [], [str(d) for d in ok]
    bad = validate(parse(bad_doc), **options)
    assert bad.count_by_code() == {case.code: 1}, [str(d) for d in bad]
    assert bad.diagnostics[0].ids[0] == case.subject


def test_the_defaults_are_the_charter_values() -> None:
    p = Policy()
    assert (p.min_branch_full_members, p.max_branch_members, p.general_branch_max_members) == (
        3,
        50,
        100,
    )
    assert (p.committee_threshold, p.committee_min_size, p.committee_max_size) == (7, 3, 5)
    assert (p.committee_hard_max_size, p.max_deputy_secretaries, p.joint_branch_max_units) == (
        7,
        1,
        5,
    )
    assert (p.term_years_community, p.term_years_other, p.max_zones_per_member) == (5, 3, 3)


@pytest.mark.parametrize("name", THRESHOLDS)
def test_boundary_at_the_default(kit: Any, name: str) -> None:
    case = THRESHOLDS[name]
    t = getattr(Policy(), case.key)
    _check_boundary(case, _doc(kit, case, case.ok(t)), _doc(kit, case, case.bad(t)))


@pytest.mark.parametrize("name", THRESHOLDS)
def test_boundary_overridden_per_call(kit: Any, name: str) -> None:
    case = THRESHOLDS[name]
    t = case.override
    options = {"policy": {case.key: t}}
    _check_boundary(case, _doc(kit, case, case.ok(t)), _doc(kit, case, case.bad(t)), options)
    # without the override, one of the two documents gets the other verdict
    ok_by_default = not validate(parse(_doc(kit, case, case.ok(t)))).by_code(case.code)
    bad_by_default = bool(validate(parse(_doc(kit, case, case.bad(t)))).by_code(case.code))
    assert not (ok_by_default and bad_by_default), "the override made no difference"


@pytest.mark.parametrize("name", THRESHOLDS)
def test_boundary_overridden_in_the_document(kit: Any, name: str) -> None:
    case = THRESHOLDS[name]
    t = case.override
    policy = {case.key: t}
    _check_boundary(case, _doc(kit, case, case.ok(t), policy), _doc(kit, case, case.bad(t), policy))


@pytest.mark.parametrize("name", THRESHOLDS)
def test_boundary_overridden_with_a_policy_object(kit: Any, name: str) -> None:
    case = THRESHOLDS[name]
    t = case.override
    policy = Policy().replace(**{case.key: t})
    _check_boundary(
        case,
        _doc(kit, case, case.ok(t)),
        _doc(kit, case, case.bad(t)),
        {"policy": policy},
    )


def test_a_call_override_beats_the_document_policy(kit: Any) -> None:
    doc = kit.base()
    kit.add_branch(doc, "B2", full=55)
    doc["policy"] = {"max_branch_members": 54}
    assert kit.codes(doc) == {"GG202": 1}
    assert kit.codes(doc, policy={"max_branch_members": 55}) == {}
    # a mapping overrides only the thresholds it names; the document's others still hold
    doc["policy"] = {"max_branch_members": 54, "max_zones_per_member": 0}
    assert kit.codes(doc, policy={"max_branch_members": 55}) == {"GG311": 3}
    # a Policy object replaces the document's policy altogether
    assert kit.codes(doc, policy=Policy()) == {"GG202": 1}


def test_an_unknown_threshold_is_an_error_naming_it(kit: Any) -> None:
    with pytest.raises(PolicyError, match="max_branch_size"):
        kit.validate(kit.base(), policy={"max_branch_size": 60})
    with pytest.raises(PolicyError, match="max_branch_members"):
        kit.validate(kit.base(), policy={"max_branch_members": -1})


@pytest.mark.parametrize(
    ("ends", "as_of", "fires"),
    [
        ("2021-11-22", "2021-11-22", False),  # ends on as_of: still running
        ("2021-11-21", "2021-11-22", True),  # ended the day before
        ("2021-11-21", "2021-11-21", False),
        ("2021-11-21", None, False),  # no date to judge at
    ],
)
def test_temporary_branch_end_date(kit: Any, ends: str, as_of: str | None, fires: bool) -> None:
    doc = kit.base()
    kit.add_branch(doc, "T1", kind="temporary", ends=ends)
    if as_of is None:
        del doc["as_of"]
    else:
        doc["as_of"] = as_of
    # an earlier as_of than the base's puts some of its facts after it (GG313's)
    assert kit.codes(doc, ignore=["GG313"]) == ({"GG209": 1} if fires else {})


def test_temporary_branch_without_end_date_is_flagged_even_without_as_of(kit: Any) -> None:
    doc = kit.base()
    kit.add_branch(doc, "T1", kind="temporary")
    del doc["as_of"]
    assert kit.codes(doc) == {"GG209": 1}


def test_terms_are_not_judged_without_as_of(kit: Any) -> None:
    doc = kit.base()
    kit.org(doc, "S1")["term_start"] = "1990-01-01"
    kit.org(doc, "B1")["term_start"] = "1990-01-01"
    assert kit.codes(doc) == {"GG207": 2}
    del doc["as_of"]
    assert kit.codes(doc) == {}


@pytest.mark.parametrize(("as_of", "fires"), [("2021-02-28", False), ("2021-03-01", True)])
def test_term_from_29_february(kit: Any, as_of: str, fires: bool) -> None:
    """A 5-year term from 2016-02-29 runs to 2021-02-28 inclusive."""
    doc = kit.base()
    kit.org(doc, "B1")["term_start"] = "2016-02-29"
    kit.org(doc, "S1")["term_start"] = "2020-01-01"
    doc["as_of"] = as_of
    assert kit.codes(doc, ignore=["GG313"]) == ({"GG207": 1} if fires else {})


def test_group_terms_count_as_community_terms(kit: Any) -> None:
    doc = kit.base()
    kit.org(doc, "G1")["term_start"] = _last_day(5).isoformat()
    assert kit.codes(doc) == {}
    kit.org(doc, "G1")["term_start"] = _expired(5).isoformat()
    assert kit.codes(doc) == {"GG207": 1}


@pytest.mark.parametrize(("start", "fires"), [((2016, 1, 26), False), ((2016, 1, 25), True)])
def test_three_level_grids_are_in_a_community(start: tuple[int, int, int], fires: bool) -> None:
    j = Jurisdiction(THREE_LEVEL)
    j.add_person("P1", "甲", status="full")
    j.found_org("V1", "community", "爱国社区党委")
    j.found_org("GR1", "grid", "第一经济社网格", parent="V1", term_start=dt.date(*start))
    j.set_as_of(dt.date(2021, 1, 25))
    codes = validate(j, select=["GG207"]).count_by_code()
    assert codes == ({"GG207": 1} if fires else {})


def test_a_village_level_has_the_community_term() -> None:
    """GG207: organizations in a village (an inline scheme's `village` level) get 5 years."""
    import datetime as dt

    from gridgov.model import Jurisdiction, Scheme

    scheme = Scheme(["town", "village", "grid", "home"], filing_level="grid", zone_level="home")
    j = Jurisdiction(scheme)
    j.found_org("T1", "town", "镇党委", term_start=dt.date(2017, 1, 1))
    j.found_org("V1", "village", "村党委", parent="T1", term_start=dt.date(2017, 1, 1))
    j.set_as_of(dt.date(2021, 6, 1))
    assert [d.ids for d in validate(j, select=["GG207"])] == [("T1",)]
    j.set_as_of(dt.date(2022, 1, 1))
    assert [d.ids for d in validate(j, select=["GG207"])] == [("T1",), ("V1",)]
