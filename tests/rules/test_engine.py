"""The engine: rule selection, severity and policy overrides, reports, and an open registry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from gridgov.errors import DuplicateIdError, InvalidValueError, PolicyError, UnknownReferenceError
from gridgov.io import load, parse
from gridgov.model import (
    FIVE_LEVEL,
    THREE_LEVEL,
    Jurisdiction,
    Organization,
    OrganizationFounded,
    OrganizationRenamed,
    Policy,
)
from gridgov.rules import (
    BUILTIN_RULES,
    Context,
    Diagnostic,
    Registry,
    Report,
    Rule,
    Severity,
    Validator,
    builtin_registry,
    validate,
)

Doc = dict[str, Any]


@pytest.fixture
def messy(kit: Any) -> Doc:
    """The base document with one finding each of GG105, GG202, GG206, GG207 and GG311."""
    doc = kit.base()
    kit.add(doc, "people", {"id": "P3", "name": "重名"})  # GG105
    kit.add_branch(doc, "B2", full=51)  # GG202
    kit.post(doc, "C1", "secretary")["role"] = "deputy_secretary"  # GG206
    kit.org(doc, "S1")["term_start"] = "2015-01-01"  # GG207
    for zid in ("Z11", "Z12", "Z13"):  # GG311
        kit.add_zone(doc, zid, "G1", "P5")
    return doc


# -- selection -----------------------------------------------------------------------------------


def test_the_messy_document(kit: Any, messy: Doc) -> None:
    assert kit.codes(messy) == {"GG105": 1, "GG202": 1, "GG206": 1, "GG207": 1, "GG311": 1}


@pytest.mark.parametrize(
    ("select", "ignore", "codes"),
    [
        (None, None, {"GG105", "GG202", "GG206", "GG207", "GG311"}),
        (["ALL"], None, {"GG105", "GG202", "GG206", "GG207", "GG311"}),
        (["GG2"], None, {"GG202", "GG206", "GG207"}),
        (["GG20"], ["GG207"], {"GG202", "GG206"}),
        (["GG202", "GG311"], None, {"GG202", "GG311"}),
        (None, ["GG1", "GG3"], {"GG202", "GG206", "GG207"}),
        (["GG2"], ["GG"], {"GG202", "GG206", "GG207"}),  # the longer prefix wins
        (["GG"], ["GG2"], {"GG105", "GG311"}),
        (["GG206"], ["GG20"], {"GG206"}),
        (["gg105", " GG311 "], None, {"GG105", "GG311"}),  # case and spaces do not matter
        (["GG2"], ["ALL"], {"GG202", "GG206", "GG207"}),
        ("GG3", None, {"GG311"}),  # one selector as a string
        ([], None, set()),
    ],
)
def test_select_and_ignore(kit: Any, messy: Doc, select: Any, ignore: Any, codes: set[str]) -> None:
    report = kit.validate(messy, select=select, ignore=ignore)
    assert set(report.count_by_code()) == codes


def test_registry_select_is_like_ruff() -> None:
    r = builtin_registry()
    assert r.select() == tuple(r)
    assert r.select(["GG2"], ignore=["GG207", "GG209"]) == (
        "GG201",
        "GG202",
        "GG203",
        "GG204",
        "GG205",
        "GG206",
        "GG208",
        "GG210",
        "GG211",
    )
    assert r.select(["GG30"]) == tuple(f"GG30{i}" for i in range(1, 10))
    assert r.select(["GG3"], ignore=["GG30"]) == ("GG310", "GG311", "GG312", "GG313")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("select", ["GG9"]),
        ("select", ["GG2", "XX"]),
        ("ignore", ["GG1000"]),
        ("select", [2]),
    ],
)
def test_a_selector_matching_no_rule_is_an_error(kit: Any, option: str, value: Any) -> None:
    with pytest.raises(InvalidValueError) as info:
        kit.validate(kit.base(), **{option: value})
    assert info.value.field == option
    assert repr(value[-1]) in str(info.value)  # the selector at fault


# -- severities ----------------------------------------------------------------------------------


def test_severity_overrides(kit: Any, messy: Doc) -> None:
    default = kit.validate(messy)
    assert {d.code: d.severity for d in default}["GG202"] is Severity.WARNING
    report = kit.validate(messy, severity={"GG202": "error", "GG206": "W", "GG311": Severity.INFO})
    got = {d.code: d.severity for d in report}
    assert got["GG202"] is Severity.ERROR
    assert got["GG206"] is Severity.WARNING
    assert got["GG311"] is Severity.INFO
    assert got["GG105"] is Severity.ERROR  # structural findings take overrides too
    assert [d.code for d in report.errors] == ["GG105", "GG202"]
    assert report.count_by_severity() == {"error": 2, "warning": 2, "info": 1}
    assert [d.code for d in report.at_least("warning")] == ["GG105", "GG202", "GG206", "GG207"]


def test_warnings_only_is_ok(kit: Any, messy: Doc) -> None:
    report = kit.validate(messy, select=["GG202", "GG207"])
    assert report
    assert report.ok
    assert report.errors == ()
    assert len(report.warnings) == 2
    assert not kit.validate(messy, select=["GG202"], severity={"GG202": "error"}).ok


def test_severity_override_of_an_unselected_rule_is_ignored(kit: Any, messy: Doc) -> None:
    report = kit.validate(messy, select=["GG2"], severity={"GG311": "error"})
    assert "GG311" not in report.count_by_code()


@pytest.mark.parametrize(
    ("severity", "field"),
    [({"GG999": "error"}, "severity"), ({"GG202": "fatal"}, "severity[GG202]")],
)
def test_bad_severity_overrides_are_errors(kit: Any, severity: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        kit.validate(kit.base(), severity=severity)
    assert info.value.field == field


def test_severity_parse() -> None:
    assert Severity.parse("e") is Severity.ERROR
    assert Severity.parse(" Warning ") is Severity.WARNING
    assert Severity.parse("I") is Severity.INFO
    assert [s.rank for s in Severity] == [2, 1, 0]
    assert [s.letter for s in Severity] == ["E", "W", "I"]
    with pytest.raises(InvalidValueError, match="fatal"):
        Severity.parse("fatal")


# -- policy ---------------------------------------------------------------------------------------


def test_policy_mapping_and_object(kit: Any, messy: Doc) -> None:
    assert "GG202" not in kit.codes(messy, policy={"max_branch_members": 51})
    assert "GG202" not in kit.codes(messy, policy=Policy(max_branch_members=51))
    v = Validator(parse(messy), policy={"max_zones_per_member": 4})
    assert v.policy.max_zones_per_member == 4
    assert "GG311" not in v.report().count_by_code()


def test_the_document_policy_is_used(kit: Any, messy: Doc) -> None:
    messy["policy"] = {"max_branch_members": 60, "term_years_other": 7}
    assert kit.codes(messy) == {"GG105": 1, "GG206": 1, "GG311": 1}


@pytest.mark.parametrize(
    "policy",
    [
        {"max_branch_size": 60},
        {"max_branch_members": "60"},
        {"committee_min_size": 6},  # min <= max <= hard max must hold
    ],
)
def test_bad_policy_overrides_are_errors(kit: Any, policy: dict[str, Any]) -> None:
    with pytest.raises(PolicyError) as info:
        kit.validate(kit.base(), policy=policy)
    assert next(iter(policy)) in str(info.value) or "committee" in str(info.value)


def test_policy_must_be_a_policy_or_a_mapping(kit: Any) -> None:
    with pytest.raises(InvalidValueError, match="policy"):
        kit.validate(kit.base(), policy=60)


def test_validate_takes_a_jurisdiction_or_a_document(kit: Any) -> None:
    doc = kit.base()
    kit.post(doc, "C1", "secretary")["role"] = "deputy_secretary"
    from_document = validate(parse(doc))
    from_jurisdiction = validate(load(doc))
    assert [d.path for d in from_document] == ["organizations[1]"]
    assert [d.path for d in from_jurisdiction] == [None]  # a jurisdiction has no positions
    assert [(d.code, d.message, d.ids) for d in from_document] == [
        (d.code, d.message, d.ids) for d in from_jurisdiction
    ]
    with pytest.raises(InvalidValueError, match="source"):
        validate(doc)  # type: ignore[arg-type]


def test_source_name(kit: Any) -> None:
    assert validate(parse(kit.base()), source_name="junhe.json").source == "junhe.json"


# -- reports ----------------------------------------------------------------------------------------


def test_report_is_sorted_by_code_then_natural_ids() -> None:
    ds = [
        Diagnostic("GG206", Severity.ERROR, "m", ("B10",)),
        Diagnostic("GG206", Severity.ERROR, "m", ("B2",)),
        Diagnostic("GG101", Severity.ERROR, "m", ("Z1",), path="organizations[3].parent"),
    ]
    report = Report(ds)
    assert [d.ids[0] for d in report] == ["Z1", "B2", "B10"]
    assert Report(list(reversed(ds))) == report
    assert len(report) == 3
    assert report.by_code("GG206") == report.diagnostics[1:]
    assert report.count_by_code() == {"GG101": 1, "GG206": 2}
    assert report.summary() == "3 errors"
    assert str(report.diagnostics[0]) == "GG101 [E] m (Z1)"
    assert not Report(())
    assert Report(()).ok


def test_summary_counts_each_severity() -> None:
    report = Report(
        [
            Diagnostic("GG202", Severity.WARNING, "m", ("B1",)),
            Diagnostic("GG206", Severity.ERROR, "m", ("B1",)),
            Diagnostic("GG207", Severity.INFO, "m", ("B1",)),
            Diagnostic("GG207", Severity.INFO, "m", ("B2",)),
        ]
    )
    assert report.summary() == "1 error, 1 warning, 2 infos"


# -- the registry is open ------------------------------------------------------------------------------


def _no_test_branch(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches named "test".

    ## Why it matters
    Test data must not reach production.

    ## Example
    `{"id": "B9", "level": "branch", "name": "test"}`

    ## Fix
    Rename it.
    """
    for org in subjects:
        if ctx.j.graph.org(org).name == "test":
            yield ctx.diagnostic(
                "XX123",
                f"branch {org!r} is named 'test'",
                (org,),
                "rename it",
                ctx.path("org", org),
            )


def _no_mobile_secretary(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """Members in the `mobile` category do not hold secretary posts."""
    for pid in subjects:
        person = ctx.j.people[pid]
        if person.party is None or "mobile" not in person.party.categories:
            continue
        for post in ctx.j.posts_held(pid):
            if post.role == "secretary":
                yield ctx.diagnostic("XX124", f"{pid!r} is mobile", (pid, post.org))


def _at_most_two_communities(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """A street has at most two communities (a made-up rule)."""
    n = len(ctx.j.graph.at_level("community"))
    if n > 2:
        yield ctx.diagnostic("XX200", f"{n} communities", ())


THIRD_PARTY = (
    Rule(
        "XX123",
        "no-test-branch",
        "W",
        "a branch is named 'test'",
        _no_test_branch,
        subject="org",
        levels=("branch",),
    ),
    Rule(
        "XX124",
        "no-mobile-secretary",
        Severity.ERROR,
        "mobile secretary",
        _no_mobile_secretary,
        "person",
    ),
    Rule(
        "XX200",
        "two-communities",
        "I",
        "too many communities",
        _at_most_two_communities,
        "jurisdiction",
    ),
)


@pytest.fixture
def registry() -> Registry:
    r = builtin_registry()
    for rule in THIRD_PARTY:
        r.register(rule)
    return r


def test_a_third_party_rule_is_registered_and_run(kit: Any, registry: Registry) -> None:
    doc = kit.base()
    kit.add_branch(doc, "B2")
    kit.org(doc, "B2")["name"] = "test"
    kit.org(doc, "G1")["name"] = "test"  # a group: not looked at
    report = validate(parse(doc), registry=registry)
    assert [(d.code, d.severity, d.ids, d.path) for d in report] == [
        ("XX123", Severity.WARNING, ("B2",), "organizations[7]")
    ]
    assert "XX123" in registry
    assert registry["XX123"].explanation.startswith("## What it does")
    assert list(registry)[-3:] == ["XX123", "XX124", "XX200"]
    # the built-in registry is not changed: each call returns a new one
    assert "XX123" not in builtin_registry()
    assert validate(parse(doc)).count_by_code() == {}


def test_third_party_rules_follow_selection_and_severity(kit: Any, registry: Registry) -> None:
    doc = kit.base()
    kit.add_branch(doc, "B2")
    kit.org(doc, "B2")["name"] = "test"
    kit.person(doc, "P3")["party"]["categories"] = ["mobile"]
    for cid, name in (("C2", "二"), ("C3", "三")):
        kit.add(
            doc, "organizations", {"id": cid, "level": "community", "name": name, "parent": "S1"}
        )
        kit.add(doc, "posts", {"org": cid, "role": "secretary", "holder": "PC"})
    document = parse(doc)
    assert validate(document, registry=registry).count_by_code() == {
        "XX123": 1,
        "XX124": 1,
        "XX200": 1,
    }
    assert validate(document, registry=registry, select=["XX1"]).count_by_code() == {
        "XX123": 1,
        "XX124": 1,
    }
    assert validate(document, registry=registry, ignore=["XX"]).count_by_code() == {}
    report = validate(document, registry=registry, severity={"XX123": "error"})
    assert {d.code: d.severity.value for d in report} == {
        "XX123": "error",
        "XX124": "error",
        "XX200": "info",
    }
    with pytest.raises(InvalidValueError):
        validate(document, select=["XX"])  # not in the built-in registry


def test_third_party_rules_run_incrementally(kit: Any, registry: Registry) -> None:
    j = load(kit.base())
    v = Validator(j, registry=registry)
    assert v.report().count_by_code() == {}
    j2 = Jurisdiction.replay(j.log)
    v.apply(OrganizationFounded(Organization("B2", "branch", "test", parent="C1")))
    j2.apply(OrganizationFounded(Organization("B2", "branch", "test", parent="C1")))
    assert v.report() == validate(j2, registry=registry)
    assert "XX123" in v.report().count_by_code()
    v.apply(OrganizationRenamed("B2", "第二网格"))
    assert "XX123" not in v.report().count_by_code()


def test_a_finding_must_name_its_subject_first(kit: Any) -> None:
    def wrong(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
        """Names the parent first."""
        for org in subjects:
            yield ctx.diagnostic("XX001", "x", ("elsewhere", org))

    r = Registry([Rule("XX001", "wrong", "W", "x", wrong, levels=("community",))])
    j = load(kit.base())
    with pytest.raises(InvalidValueError, match="subject"):
        Validator(j, registry=r)  # a full run as an incremental one


def test_a_check_reporting_an_unselected_code_is_named(kit: Any) -> None:
    def other(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
        """Reports a code that is not its own."""
        for org in subjects:
            yield ctx.diagnostic("XX002", "x", (org,))

    r = Registry([Rule("XX001", "other", "W", "x", other, levels=("community",))])
    with pytest.raises(InvalidValueError, match="code: names no rule selected"):
        Validator(load(kit.base()), registry=r)


def test_validator_apply_all_is_all_or_none(kit: Any) -> None:
    j = load(kit.base())
    v = Validator(j)
    before, version = v.report(), j.version
    with pytest.raises(UnknownReferenceError) as info:
        v.apply_all([OrganizationRenamed("C1", "新名"), OrganizationRenamed("C9", "x")])
    assert info.value.index == 1  # type: ignore[attr-defined]
    assert j.version == version
    assert j.graph.org("C1").name != "新名"
    assert v.report() == before


def test_registry_refuses_bad_rules() -> None:
    r = builtin_registry()
    with pytest.raises(DuplicateIdError, match="GG206"):
        r.register(Rule("GG206", "again", "E", "x", _no_test_branch))
    with pytest.raises(InvalidValueError, match="rule"):
        r.register("GG999")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"rule\.code"):
        Rule("GG20", "x", "E", "x", _no_test_branch)
    with pytest.raises(InvalidValueError, match=r"rule\.code"):
        Rule("gg206", "x", "E", "x", _no_test_branch)
    with pytest.raises(InvalidValueError, match=r"rule\.name"):
        Rule("XX001", "No Spaces", "E", "x", _no_test_branch)
    with pytest.raises(InvalidValueError, match="severity"):
        Rule("XX001", "x", "fatal", "x", _no_test_branch)
    with pytest.raises(InvalidValueError, match=r"rule\.subject"):
        Rule("XX001", "x", "E", "x", _no_test_branch, subject="household")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"rule\.check"):
        Rule("XX001", "x", "E", "x", None)
    with pytest.raises(UnknownReferenceError, match="GG999"):
        r["GG999"]


def test_registry_copy_is_independent(registry: Registry) -> None:
    assert tuple(builtin_registry().values()) == BUILTIN_RULES
    assert builtin_registry() is not builtin_registry()
    copy = registry.copy()
    copy.register(Rule("YY001", "y", "I", "y", _no_test_branch))
    assert "YY001" in copy
    assert "YY001" not in registry
    assert len(copy) == len(registry) + 1
    assert repr(registry) == f"Registry({len(registry)} rules)"


def test_rule_levels_may_be_a_function_of_the_scheme() -> None:
    rule = Rule(
        "XX002",
        "leaf",
        "I",
        "x",
        _no_test_branch,
        levels=lambda scheme: (scheme.zone_level, "no-such-level"),
    )
    assert rule.levels_in(FIVE_LEVEL) == ("zone",)
    assert rule.levels_in(THREE_LEVEL) == ("member_household",)
    assert (
        Rule("XX003", "all", "I", "x", _no_test_branch).levels_in(FIVE_LEVEL) == FIVE_LEVEL.levels
    )


def _files_into_zones(filed_in: str) -> Doc:
    """An inline scheme whose filing level is its zone level (members filed into zones)."""
    return {
        "gridgov": "1",
        "scheme": {
            "levels": ["town", "village", "coop"],
            "filing_level": "coop",
            "zone_level": "coop",
        },
        "organizations": [
            {"id": "T1", "level": "town", "name": "T"},
            {"id": "V1", "level": "village", "name": "V", "parent": "T1"},
            {"id": "K1", "level": "coop", "name": "K", "parent": "V1", "households": ["H1"]},
            {"id": "K2", "level": "coop", "name": "K", "parent": "V1", "households": ["H2"]},
        ],
        "people": [
            {"id": "P1", "name": "x", "party": {"status": "full"}},
            {"id": "P2", "name": "y", "party": {"status": "full"}},
        ],
        "filings": [{"person": "P1", "org": filed_in}, {"person": "P2", "org": "K2"}],
        "claims": [{"person": "P1", "zone": "K1"}, {"person": "P2", "zone": "K2"}],
    }


def test_gg308_when_members_are_filed_into_zones() -> None:
    assert validate(load(_files_into_zones("K1")), select=["GG308"]).diagnostics == ()
    (finding,) = validate(load(_files_into_zones("K2")), select=["GG308"]).diagnostics
    assert finding.ids == ("K1", "P1")
    assert "not in its group 'K1'" in finding.message


def test_rule_levels_become_a_tuple() -> None:
    rule = Rule("XX001", "listed", "W", "x", _no_test_branch, levels=["branch"])
    assert rule.levels == ("branch",)
    assert hash(rule) == hash(
        Rule("XX001", "listed", "W", "x", _no_test_branch, levels=("branch",))
    )
    with pytest.raises(InvalidValueError, match=r"rule\.levels"):
        Rule("XX001", "listed", "W", "x", _no_test_branch, levels="branch")
