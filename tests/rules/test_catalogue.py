"""Every registered rule: a document that triggers it, and a nearly identical one that does not.

The fixtures are looked up by code in :data:`CASES`; the tests are parametrized over the
codes of :func:`gridgov.rules.builtin_registry`, so a rule added to the catalogue without
fixtures fails this suite. Each case mutates the clean base document (see
``conftest.py``) in two ways that differ in one detail: with ``bad=True`` the rule fires
(at the expected ids and document path), with ``bad=False`` it does not, and the
document is then clean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from gridgov.io import parse
from gridgov.rules import Severity, builtin_registry, validate

Doc = dict[str, Any]


class Expect(NamedTuple):
    """Where the finding must be: its first ids, and its document path."""

    ids: tuple[str, ...]
    path: str | None
    count: int = 1  # findings of the code the trigger yields


Mutation = Callable[[Any, Doc, bool], Expect]


# -- GG1: structure ------------------------------------------------------------------------------


def _gg101_post_holder(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a deputy secretary who is (bad) or is not (good) declared among the people
    if not bad:  # a member of B1 (filed in its group), or a holder nobody declared
        kit.add_member(doc, "P10", "G1")
    i = kit.add(doc, "posts", {"org": "B1", "role": "deputy_secretary", "holder": "P10"})
    return Expect(("B1", "P10"), f"posts[{i}].holder")


def _gg101_parent(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a second community whose parent is misspelt
    i = kit.add(
        doc,
        "organizations",
        {"id": "C2", "level": "community", "name": "石马社区党委", "parent": "S9" if bad else "S1"},
    )
    kit.add(doc, "posts", {"org": "C2", "role": "secretary", "holder": "PC"})
    return Expect(("C2", "S9"), f"organizations[{i}].parent")


def _gg101_filing(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add(doc, "people", {"id": "P10", "name": "x", "party": {"status": "full"}})
    i = kit.add(doc, "filings", {"person": "P10" if not bad else "P11", "org": "G1"})
    return Expect(("P11", "G1"), f"filings[{i}].person")


def _gg102(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a third group, put under the community (bad) or the branch (good), led by a new member
    i = kit.add(
        doc,
        "organizations",
        {"id": "G3", "level": "group", "name": "第三党小组", "parent": "C1" if bad else "B1"},
    )
    kit.add_member(doc, "P10", "G3", community=None)
    kit.add(doc, "posts", {"org": "G3", "role": "group_leader", "holder": "P10"})
    return Expect(("G3", "C1"), f"organizations[{i}].parent")


def _gg103(kit: Any, doc: Doc, bad: bool) -> Expect:
    # two new zones, each the other's parent (bad), or both under G1 (good)
    first = len(doc["organizations"])
    kit.add_zone(doc, "Z8", "Z9" if bad else "G1", "P5")
    kit.add_zone(doc, "Z9", "Z8" if bad else "G1", "P6")
    return Expect(("Z8", "Z9"), f"organizations[{first}].parent")


def _gg104(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a second street committee (bad), or a second community under S1 (good)
    new = (
        {"id": "S2", "level": "street", "name": "第二街道党工委"}
        if bad
        else {"id": "S2", "level": "community", "name": "第二社区党委", "parent": "S1"}
    )
    i = kit.add(doc, "organizations", new)
    kit.add(doc, "posts", {"org": "S2", "role": "secretary", "holder": "PS"})
    return Expect(("S2",), f"organizations[{i}].id")


def _gg105(kit: Any, doc: Doc, bad: bool) -> Expect:
    i = kit.add(doc, "people", {"id": "P3" if bad else "P30", "name": "重名"})
    return Expect(("P3",), f"people[{i}].id")


def _gg106(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add(doc, "people", {"id": "P10", "name": "x", "party": {"status": "full"}})
    i = kit.add(doc, "filings", {"person": "P10", "org": "B1" if bad else "G1"})
    return Expect(("P10", "B1"), f"filings[{i}].org")


def _gg107(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add(doc, "people", {"id": "P10", "name": "x", "party": {"status": "full"}})
    kit.add(doc, "people", {"id": "P11", "name": "y", "party": {"status": "full"}})
    kit.add(doc, "filings", {"person": "P10", "org": "G1"})
    i = kit.add(doc, "filings", {"person": "P10" if bad else "P11", "org": "G2"})
    return Expect(("P10", "G2"), f"filings[{i}].person")


def _gg108_filed(kit: Any, doc: Doc, bad: bool) -> Expect:
    person: Doc = {"id": "P10", "name": "居民"}
    if not bad:
        person["party"] = {"status": "full"}
    kit.add(doc, "people", person)
    i = kit.add(doc, "filings", {"person": "P10", "org": "G1"})
    return Expect(("P10", "G1"), f"filings[{i}]")


def _gg108_claiming(kit: Any, doc: Doc, bad: bool) -> Expect:
    # P6 claims a new zone of G1 (P10 joins G1); bad: P6's membership is not recorded
    kit.add_member(doc, "P10", "G1")
    if bad:
        del kit.person(doc, "P6")["party"]
    i = kit.add_zone(doc, "Z8", "G1", "P6")
    kit.add(doc, "claims", {"person": "P5", "zone": "Z8"})
    return Expect(("P6", "Z8"), f"claims[{i}]", count=2)  # P6's filing is reported too


# -- GG2: branches and committees ------------------------------------------------------------------


def _gg201(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", full=2 if bad else 3)
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg202(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", full=51 if bad else 50)
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg202_general(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", full=101 if bad else 100, kind="general")
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg203(kit: Any, doc: Doc, bad: bool) -> Expect:
    # B1 (7 full members) keeps only two committee members (bad: P5 leaves the committee)
    if bad:
        kit.remove(doc, "posts", org="B1", role="committee_member", holder="P5")
    return Expect(("B1",), "organizations[2]")


def _gg204_committee(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", full=6 if bad else 7, committee_members=2)
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg204_deputies(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", full=4, deputies=2 if bad else 1)
    return Expect(
        ("B2", "B2P2", "B2P3"), f"organizations[{kit.index(doc, 'organizations', id='B2')}]"
    )


def _gg205(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a deputy secretary filed in G1: probationary (bad) or full (good)
    kit.add_member(doc, "P10", "G1", status="probationary" if bad else "full")
    i = kit.add(doc, "posts", {"org": "B1", "role": "deputy_secretary", "holder": "P10"})
    return Expect(("B1", "P10"), f"posts[{i}].holder")


def _gg206_none(kit: Any, doc: Doc, bad: bool) -> Expect:
    post = kit.post(doc, "C1", "secretary")
    if bad:
        post["role"] = "deputy_secretary"
    return Expect(("C1",), "organizations[1]")


def _gg206_two(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add(
        doc,
        "posts",
        {"org": "S1", "role": "secretary" if bad else "deputy_secretary", "holder": "PC"},
    )
    return Expect(("S1", "PS", "PC"), "organizations[0]")


def _gg207(kit: Any, doc: Doc, bad: bool) -> Expect:
    # B1's 5-year term: started 5 years before as_of (over) or a day later (last day)
    kit.org(doc, "B1")["term_start"] = "2016-11-22" if bad else "2016-11-23"
    return Expect(("B1",), "organizations[2].term_start")


def _gg208(kit: Any, doc: Doc, bad: bool) -> Expect:
    units = [f"单位{i}" for i in range(6 if bad else 5)]
    kit.add_branch(doc, "J1", full=2, kind="joint", units=units)
    return Expect(("J1",), f"organizations[{kit.index(doc, 'organizations', id='J1')}].units")


def _gg210(kit: Any, doc: Doc, bad: bool) -> Expect:
    # B1's deputy secretary: a member of branch B2 (bad) or of B1 itself (good)
    kit.add_branch(doc, "B2", full=4)
    if bad:
        holder = "B2P2"
    else:
        holder = "P10"
        kit.add_member(doc, "P10", "G1")
    i = kit.add(doc, "posts", {"org": "B1", "role": "deputy_secretary", "holder": holder})
    return Expect(("B1", "B2P2"), f"posts[{i}].holder")


def _gg210_attached(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a temporary branch's secretary: attached to it (good) or to nothing (bad)
    kit.add_branch(doc, "T1", kind="temporary", ends="2022-06-30", full=0, first_secretary=False)
    kit.add_member(doc, "P10", "G1")
    if not bad:
        kit.add(doc, "attachments", {"person": "P10", "org": "T1"})
    for k in range(3):  # three full members attached, so that T1 is a branch worth the name
        kit.add_member(doc, f"P2{k}", "G1")
        kit.add(doc, "attachments", {"person": f"P2{k}", "org": "T1"})
    post = kit.post(doc, "T1", "secretary")
    post["holder"] = "P10"
    return Expect(("T1", "P10"), f"posts[{doc['posts'].index(post)}].holder")


def _gg211(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a committee of 8 (bad: more than 7) or of 7 (good: "generally not more than 7")
    kit.add_branch(doc, "B2", full=10, committee_members=7 if bad else 6)
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg313(kit: Any, doc: Doc, bad: bool) -> Expect:
    # a filing dated a day after as_of (2021-11-22), or on it
    kit.add(doc, "people", {"id": "P10", "name": "新党员", "party": {"status": "full"}})
    i = kit.add(
        doc,
        "filings",
        {"person": "P10", "org": "G1", "date": "2021-11-23" if bad else "2021-11-22"},
    )
    return Expect(("G1", "P10"), f"filings[{i}].date")


def _gg313_since(kit: Any, doc: Doc, bad: bool) -> Expect:
    post = kit.post(doc, "C1", "secretary")
    post["since"] = "2022-01-05" if bad else "2021-01-05"
    i = doc["posts"].index(post)
    return Expect(("C1", post["holder"]), f"posts[{i}].since")


def _gg209_ended(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "T1", kind="temporary", ends="2021-11-21" if bad else "2021-11-22")
    return Expect(("T1",), f"organizations[{kit.index(doc, 'organizations', id='T1')}].ends")


def _gg209_no_end(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "T1", kind="temporary", ends=None if bad else "2022-06-30")
    return Expect(("T1",), f"organizations[{kit.index(doc, 'organizations', id='T1')}]")


# -- GG3: grids, groups, zones and members -----------------------------------------------------------


def _gg301_none(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", first_secretary=not bad)
    return Expect(("B2",), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg301_two(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2")
    kit.add(
        doc,
        "people",
        {
            "id": "P10",
            "name": "街道干部",
            "party": {"status": "full", "categories": ["street_cadre"]},
        },
    )
    role = "first_secretary" if bad else "grid_worker"
    kit.add(doc, "posts", {"org": "B2", "role": role, "holder": "P10", "appointed_by": "S1"})
    return Expect(("B2", "P1", "P10"), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg302(kit: Any, doc: Doc, bad: bool) -> Expect:
    if bad:
        kit.person(doc, "P1")["party"]["categories"] = ["sunk"]
    return Expect(
        ("B1", "P1"), f"posts[{kit.index(doc, 'posts', org='B1', role='first_secretary')}].holder"
    )


def _gg303(kit: Any, doc: Doc, bad: bool) -> Expect:
    post = kit.post(doc, "B1", "first_secretary")
    if bad:
        post["appointed_by"] = "C1"
    return Expect(
        ("B1", "P1"),
        f"posts[{kit.index(doc, 'posts', org='B1', role='first_secretary')}].appointed_by",
    )


def _gg303_missing(kit: Any, doc: Doc, bad: bool) -> Expect:
    post = kit.post(doc, "B1", "first_secretary")
    if bad:
        del post["appointed_by"]
    return Expect(
        ("B1", "P1"),
        f"posts[{kit.index(doc, 'posts', org='B1', role='first_secretary')}].appointed_by",
    )


def _gg304(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add_branch(doc, "B2", grid_leaders=1 if bad else 2)
    return Expect(("B2", "P1"), f"organizations[{kit.index(doc, 'organizations', id='B2')}]")


def _gg305(kit: Any, doc: Doc, bad: bool) -> Expect:
    # B1's second grid leader: the branch secretary P3 (bad) or the cooperative head P2
    kit.post(doc, "B1", "grid_leader", "P2")["holder"] = "P3" if bad else "P2"
    return Expect(("B1", "EC1"), "organizations[2]")


def _gg306(kit: Any, doc: Doc, bad: bool) -> Expect:
    # P3 and P4 swap secretary and committee member: same committee, other secretary
    if bad:
        kit.post(doc, "B1", "secretary")["holder"] = "P4"
        kit.post(doc, "B1", "committee_member", "P4")["holder"] = "P3"
    return Expect(("B1", "P3"), "organizations[2]")


def _gg307_elsewhere(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.post(doc, "G2", "group_leader")["holder"] = "P6" if bad else "P8"
    return Expect(
        ("G2", "P6"), f"posts[{kit.index(doc, 'posts', org='G2', role='group_leader')}].holder"
    )


def _gg307_none(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.post(doc, "G2", "group_leader")["role"] = "service_team_captain" if bad else "group_leader"
    return Expect(("G2",), "organizations[4]")


def _gg308_unclaimed(kit: Any, doc: Doc, bad: bool) -> Expect:
    i = kit.add(doc, "organizations", {"id": "Z3", "level": "zone", "name": "7栋", "parent": "G2"})
    if not bad:
        kit.add(doc, "claims", {"person": "P8", "zone": "Z3"})
    return Expect(("Z3",), f"organizations[{i}]")


def _gg308_elsewhere(kit: Any, doc: Doc, bad: bool) -> Expect:
    claim = kit.record(doc, "claims", zone="Z2")
    claim["person"] = "P6" if bad else "P8"
    return Expect(("Z2", "P6"), f"claims[{kit.index(doc, 'claims', zone='Z2')}]")


def _gg309(kit: Any, doc: Doc, bad: bool) -> Expect:
    # P9 leaves G2 (P10 joins it): P9 still registered (bad), or deregistered too (good)
    kit.add_member(doc, "P10", "G2")
    i = kit.index(doc, "registrations", person="P9")
    kit.remove(doc, "filings", person="P9")
    if not bad:
        kit.remove(doc, "registrations", person="P9")
    return Expect(("P9", "C1"), f"registrations[{i}]")


def _gg310(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.add(
        doc,
        "organizations",
        {"id": "C2", "level": "community", "name": "石马社区党委", "parent": "S1"},
    )
    kit.add(doc, "posts", {"org": "C2", "role": "secretary", "holder": "PC"})
    kit.record(doc, "registrations", person="P9")["community"] = "C2" if bad else "C1"
    return Expect(("P9", "G2", "C2"), f"filings[{kit.index(doc, 'filings', person='P9')}]")


def _gg311(kit: Any, doc: Doc, bad: bool) -> Expect:
    # P5 claims Z1 and two (good) or three (bad) more zones of G1
    for zid in ("Z11", "Z12", "Z13")[: 3 if bad else 2]:
        kit.add_zone(doc, zid, "G1", "P5")
    return Expect(("P5", "Z1", "Z11", "Z12", "Z13"), f"people[{kit.index(doc, 'people', id='P5')}]")


def _gg312(kit: Any, doc: Doc, bad: bool) -> Expect:
    kit.org(doc, "Z2")["households"] = ["H3", "H1" if bad else "H4"]
    return Expect(("H1", "Z1", "Z2"), "organizations[6].households[1]")


CASES: dict[str, list[Mutation]] = {
    "GG101": [_gg101_post_holder, _gg101_parent, _gg101_filing],
    "GG102": [_gg102],
    "GG103": [_gg103],
    "GG104": [_gg104],
    "GG105": [_gg105],
    "GG106": [_gg106],
    "GG107": [_gg107],
    "GG108": [_gg108_filed, _gg108_claiming],
    "GG201": [_gg201],
    "GG202": [_gg202, _gg202_general],
    "GG203": [_gg203],
    "GG204": [_gg204_committee, _gg204_deputies],
    "GG205": [_gg205],
    "GG206": [_gg206_none, _gg206_two],
    "GG207": [_gg207],
    "GG208": [_gg208],
    "GG209": [_gg209_ended, _gg209_no_end],
    "GG210": [_gg210, _gg210_attached],
    "GG211": [_gg211],
    "GG301": [_gg301_none, _gg301_two],
    "GG302": [_gg302],
    "GG303": [_gg303, _gg303_missing],
    "GG304": [_gg304],
    "GG305": [_gg305],
    "GG306": [_gg306],
    "GG307": [_gg307_elsewhere, _gg307_none],
    "GG308": [_gg308_unclaimed, _gg308_elsewhere],
    "GG309": [_gg309],
    "GG310": [_gg310],
    "GG311": [_gg311],
    "GG312": [_gg312],
    "GG313": [_gg313, _gg313_since],
}

CODES = tuple(builtin_registry())


def _cases(code: str) -> list[Mutation]:
    cases = CASES.get(code)
    if not cases:
        pytest.fail(
            f"rule {code} has no trigger / near-miss fixtures in tests/rules/test_catalogue.py"
        )
    return cases


def test_base_document_is_clean(kit: Any) -> None:
    report = kit.validate(kit.base())
    assert list(report) == []
    assert report.ok
    assert report.summary() == "no findings"


def test_every_fixture_names_a_registered_rule() -> None:
    assert set(CASES) <= set(CODES), set(CASES) - set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_rule_fires_on_its_trigger(kit: Any, code: str) -> None:
    rule = builtin_registry()[code]
    for mutate in _cases(code):
        doc = kit.base()
        expect = mutate(kit, doc, True)
        report = validate(parse(doc))
        found = report.by_code(code)
        assert found, f"{mutate.__name__}: {code} not found in {[str(d) for d in report]}"
        matching = [d for d in found if d.ids[: len(expect.ids)] == expect.ids]
        assert matching, f"{mutate.__name__}: ids {[d.ids for d in found]}, expected {expect.ids}"
        d = matching[0]
        assert d.path == expect.path, f"{mutate.__name__}: path {d.path!r}"
        assert d.severity is rule.severity
        assert d.message
        assert d.hint
        for oid in expect.ids[:1]:
            assert oid in d.message, f"{mutate.__name__}: {d.message!r} does not name {oid!r}"
        assert str(d).startswith(f"{code} [{rule.severity.letter}] ")


@pytest.mark.parametrize("code", CODES)
def test_rule_is_silent_on_the_near_miss(kit: Any, code: str) -> None:
    for mutate in _cases(code):
        doc = kit.base()
        mutate(kit, doc, False)
        report = validate(parse(doc))
        assert not report.by_code(code), f"{mutate.__name__}: {[str(d) for d in report]}"
        assert list(report) == [], f"{mutate.__name__}: the near miss is not clean: {report}"


@pytest.mark.parametrize("code", CODES)
def test_trigger_reports_only_its_rule(kit: Any, code: str) -> None:
    """Each trigger breaks only its rule, once: no other finding, no cascade."""
    for mutate in _cases(code):
        doc = kit.base()
        expect = mutate(kit, doc, True)
        report = validate(parse(doc))
        assert report.count_by_code() == {code: expect.count}, (
            f"{mutate.__name__}: {[str(d) for d in report]}"
        )


def test_registry_codes_and_defaults_follow_the_catalogue() -> None:
    registry = builtin_registry()
    warnings = {
        *("GG202", "GG204", "GG207", "GG208", "GG209", "GG211"),
        *("GG305", "GG306", "GG311", "GG313"),
    }
    expected = [f"GG10{i}" for i in range(1, 9)] + [f"GG2{i:02d}" for i in range(1, 12)]
    expected += [f"GG3{i:02d}" for i in range(1, 14)]
    assert list(registry) == expected
    for code, rule in registry.items():
        assert rule.code == code
        want = Severity.WARNING if code in warnings else Severity.ERROR
        assert rule.severity is want, code
        assert rule.summary
        assert rule.explanation
        assert (rule.check is None) == (rule.subject == "document"), code
