"""The first-secretary practice as a setting, attached members in the branch rules, and
GG210's findings explained by a refused filing."""

from __future__ import annotations

from pathlib import Path

import pytest

import gridgov
from gridgov.io import load, parse
from gridgov.model import Jurisdiction, Policy
from gridgov.rules import builtin_registry, validate

JUNHE = Path(__file__).resolve().parents[2] / "examples" / "junhe.json"
PRACTICE = ("GG301", "GG302", "GG303", "GG304", "GG305", "GG306")


def codes(j: Jurisdiction, **kw: object) -> set[tuple[str, str]]:
    return {(d.code, d.ids[0]) for d in validate(j, **kw)}  # type: ignore[arg-type]


# -- the practice ---------------------------------------------------------------------------------


def _without_first_secretary() -> Jurisdiction:
    j = load(JUNHE)
    for post in [*j.posts_in("B1", "first_secretary"), *j.posts_in("B1", "grid_leader")]:
        j.vacate(post.org, post.role, post.holder)
    return j


def test_the_practice_is_in_force_by_default_so_documents_judge_as_before() -> None:
    j = _without_first_secretary()
    assert j.policy.first_secretary_practice is True
    assert codes(j) == {("GG301", "B1"), ("GG304", "B1"), ("GG305", "B1")}


def test_outside_the_practice_no_grid_branch_is_judged_by_it() -> None:
    j = _without_first_secretary()
    j.set_policy(first_secretary_practice=False)
    assert codes(j) == set()
    # nor is a branch with posts the practice forbids, e.g. a first secretary who is
    # not a street cadre (GG302) or three grid leaders (GG304)
    j.appoint("B1", "first_secretary", "P9", appointed_by="C1")
    for holder in ("P8", "P9", "P10"):
        j.appoint("B1", "grid_leader", holder)
    assert codes(j) == set()
    j.set_policy(first_secretary_practice=True)
    assert {code for code, _ in codes(j)} & set(PRACTICE) >= {"GG302", "GG304"}


@pytest.mark.parametrize("practice", [True, False])
def test_the_setting_per_call_and_in_the_document(practice: bool) -> None:
    j = _without_first_secretary()
    per_call = codes(j, policy={"first_secretary_practice": practice})
    doc = gridgov.dump(j)
    doc["policy"] = {"first_secretary_practice": practice}
    in_document = codes(parse(doc))
    assert per_call == in_document
    assert bool(per_call) is practice
    # written back only when it differs from the default
    j.set_policy(first_secretary_practice=practice)
    assert ("policy" in gridgov.dump(j)) is (not practice)


def test_the_setting_is_a_boolean() -> None:
    with pytest.raises(gridgov.PolicyError) as info:
        Policy(first_secretary_practice=1)  # type: ignore[arg-type]
    assert "first_secretary_practice" in str(info.value)
    doc = gridgov.dump(load(JUNHE))
    doc["policy"] = {"first_secretary_practice": "no"}
    with pytest.raises(gridgov.DocumentError) as error:
        parse(doc)
    assert [p.path for p in error.value.problems] == ["policy.first_secretary_practice"]


def test_every_practice_rule_says_it_is_gated() -> None:
    registry = builtin_registry()
    for code in PRACTICE:
        assert "first_secretary_practice" in registry[code].explanation


# -- attached members in the branch rules ---------------------------------------------------------


def _functional(attached: int, *, full: bool = True) -> Jurisdiction:
    """Junhe with a functional branch under C1 and `attached` members attached to it."""
    j = load(JUNHE)
    j.found_org("F1", "branch", "清湖联社功能型党支部", parent="C1", kind="functional")
    full_members = [p for p in j.members("B1") if j.people[p].is_full_member]
    others = [p for p in j.members("B1") if not j.people[p].is_full_member]
    for person in (full_members if full else others + full_members)[:attached]:
        j.attach_member(person, "F1")
    j.appoint("F1", "secretary", j.attached("F1")[0])
    return j


@pytest.mark.parametrize(("attached", "fires"), [(2, True), (3, False)])
def test_gg201_counts_attached_members(attached: int, fires: bool) -> None:
    j = _functional(attached)
    assert (("GG201", "F1") in codes(j)) is fires
    assert len(j.members("F1")) == attached


def test_gg201_counts_only_the_full_ones_among_the_attached() -> None:
    j = _functional(3, full=False)  # one probationary member and two full ones
    assert [j.people[p].is_full_member for p in j.members("F1")] == [False, True, True]
    assert ("GG201", "F1") in codes(j)


def test_gg202_counts_attached_members() -> None:
    j = _functional(3)
    j.set_policy(max_branch_members=3)
    assert ("GG202", "F1") not in codes(j)
    j.attach_member(next(p for p in j.members("B4") if p not in j.members("F1")), "F1")
    assert ("GG202", "F1") in codes(j)


def test_a_team_is_no_branch_for_the_branch_rules() -> None:
    j = load(JUNHE)
    (team,) = [o for o in j.organizations.values() if o.kind is not None and o.kind.is_team]
    for post in j.posts_in(team.id):  # no captain, no secretary: still nothing a branch lacks
        j.vacate(post.org, post.role, post.holder)
    branch_codes = {"GG201", "GG202", "GG203", "GG204", "GG206", "GG207", "GG301", "GG304"}
    assert {c for c, org in codes(j) if org == team.id} & branch_codes == set()


# -- GG210 and the gap a refused filing leaves -----------------------------------------------------


def _secretary_filed(where: str | None) -> dict[str, object]:
    doc = gridgov.dump(load(JUNHE))
    people = doc["people"]
    assert isinstance(people, list)
    people.append({"id": "P90", "name": "新书记", "party": {"status": "full"}})
    posts = doc["posts"]
    assert isinstance(posts, list)
    posts.append({"org": "B2", "role": "deputy_secretary", "holder": "P90"})
    if where is not None:
        filings = doc["filings"]
        assert isinstance(filings, list)
        filings.append({"person": "P90", "org": where})
    return doc


def test_gg210_is_not_reported_again_for_a_holder_whose_filing_was_refused() -> None:
    """P90's filing names the branch itself (GG106): the holder is not a member of B2 in
    the state read, but only because of that, so GG210 stays silent."""
    assert codes(parse(_secretary_filed("B2"))) == {("GG106", "P90")}


def test_gg210_near_misses_a_holder_filed_nowhere_and_one_filed_in_the_branch() -> None:
    assert codes(parse(_secretary_filed(None))) == {("GG210", "B2")}
    assert codes(parse(_secretary_filed("G3"))) == set()
