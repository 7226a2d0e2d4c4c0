"""Tolerant validation: every structural problem of a document, once, at its path.

``gridgov.io.load`` refuses a broken document; ``validate(parse(doc))`` reads what holds
together and reports the rest (GG101-GG107, GG312), one finding per problem, without
repeating it for the records that depend on a refused one. On any document ``parse``
accepts, validation returns a report and never raises (checked with Hypothesis).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import DocumentError, UnknownReferenceError
from gridgov.io import load, parse
from gridgov.model import (
    Category,
    Duty,
    Jurisdiction,
    OrganizationRenamed,
    OrgKind,
    PartyMembership,
    Person,
    PersonAmended,
    Post,
    PostAssigned,
    PostVacated,
    Role,
    Scheme,
)
from gridgov.rules import Report, Validator, builtin_registry, read_tolerant, validate

Doc = dict[str, Any]

DOCUMENT_CODES = frozenset(c for c, r in builtin_registry().items() if r.subject == "document")


def _broken(kit: Any) -> tuple[Doc, set[tuple[str, str]]]:
    """The base document with many structural problems, and the (code, path) of each."""
    doc = kit.base()
    n_orgs = len(doc["organizations"])
    expected: set[tuple[str, str]] = set()

    def at(code: str, path: str) -> None:
        expected.add((code, path))

    # broken references: a branch under a missing community, with a subtree, members,
    # a claim and a post that all depend on it (reported once, at the branch)
    i = kit.add(doc, "organizations", {"id": "B9", "level": "branch", "name": "x", "parent": "C9"})
    at("GG101", f"organizations[{i}].parent")
    kit.add(doc, "organizations", {"id": "G9", "level": "group", "name": "x", "parent": "B9"})
    zone = {"id": "Z9", "level": "zone", "name": "x", "parent": "G9", "households": ["H9"]}
    kit.add(doc, "organizations", zone)
    kit.add(doc, "people", {"id": "P20", "name": "x", "party": {"status": "full"}})
    kit.add(doc, "filings", {"person": "P20", "org": "G9"})
    kit.add(doc, "claims", {"person": "P20", "zone": "Z9"})
    kit.add(doc, "posts", {"org": "B9", "role": "secretary", "holder": "P20"})
    # a filing of nobody, a post held by nobody, a claim on no zone, a cooperative head
    # who is nobody (the cooperative itself is kept)
    i = kit.add(doc, "filings", {"person": "P99", "org": "G1"})
    at("GG101", f"filings[{i}].person")
    i = kit.add(doc, "posts", {"org": "B1", "role": "grid_worker", "holder": "P98"})
    at("GG101", f"posts[{i}].holder")
    i = kit.add(doc, "claims", {"person": "P5", "zone": "Z77"})
    at("GG101", f"claims[{i}].zone")
    i = kit.add(doc, "cooperatives", {"id": "EC2", "name": "x", "head": "P97"})
    at("GG101", f"cooperatives[{i}].head")
    # a cycle of two zones, claimed (the claims depend on the cycle: no more findings)
    first = len(doc["organizations"])
    kit.add_zone(doc, "Z7", "Z8", "P5")
    kit.add_zone(doc, "Z8", "Z7", "P6")
    at("GG103", f"organizations[{first}].parent")
    # duplicate ids: a person and an organization (the first ones are kept)
    i = kit.add(doc, "people", {"id": "P3", "name": "重名"})
    at("GG105", f"people[{i}].id")
    i = kit.add(
        doc, "organizations", {"id": "G1", "level": "group", "name": "重名", "parent": "B1"}
    )
    at("GG105", f"organizations[{i}].id")
    # a second root
    i = kit.add(doc, "organizations", {"id": "S2", "level": "street", "name": "第二街道"})
    at("GG104", f"organizations[{i}].id")
    # a filing at the wrong level, and a double filing
    kit.add(doc, "people", {"id": "P21", "name": "x", "party": {"status": "full"}})
    i = kit.add(doc, "filings", {"person": "P21", "org": "B1"})
    at("GG106", f"filings[{i}].org")
    kit.add(doc, "people", {"id": "P22", "name": "x", "party": {"status": "full"}})
    kit.add(doc, "filings", {"person": "P22", "org": "G1"})
    i = kit.add(doc, "filings", {"person": "P22", "org": "G2"})
    at("GG107", f"filings[{i}].person")
    # a household in two zones
    kit.org(doc, "Z2")["households"] = ["H3", "H1"]
    at("GG312", f"organizations[{kit.index(doc, 'organizations', id='Z2')}].households[1]")
    assert n_orgs < len(doc["organizations"])
    return doc, expected


def test_every_structural_problem_is_reported_once_at_its_path(kit: Any) -> None:
    doc, expected = _broken(kit)
    with pytest.raises(DocumentError):
        load(doc)
    report = validate(parse(doc))
    found = [(d.code, d.path) for d in report]
    assert sorted(found, key=str) == sorted(expected, key=str), [str(d) for d in report]
    assert all(d.path for d in report)
    assert report.count_by_code() == {
        "GG101": 5,
        "GG103": 1,
        "GG104": 1,
        "GG105": 2,
        "GG106": 1,
        "GG107": 1,
        "GG312": 1,
    }


def test_structural_findings_name_the_ids_involved(kit: Any) -> None:
    doc, _ = _broken(kit)
    by_path = {d.path: d for d in validate(parse(doc))}
    cycle = next(d for d in by_path.values() if d.code == "GG103")
    assert set(cycle.ids) == {"Z7", "Z8"}
    assert cycle.message == "organizations 'Z7', 'Z8' form a cycle"
    b9 = by_path["organizations[7].parent"]
    assert b9.ids == ("B9", "C9")
    assert "C9" in b9.message
    twice = next(d for d in by_path.values() if d.code == "GG312")
    assert twice.ids == ("H1", "Z1", "Z2")
    dup = next(d for d in by_path.values() if d.code == "GG105" and d.ids == ("P3",))
    assert "people[4]" in dup.message  # where the kept record is


def test_the_rest_of_the_document_is_still_checked(kit: Any) -> None:
    doc, expected = _broken(kit)
    kit.post(doc, "C1", "secretary")["role"] = "deputy_secretary"
    report = validate(parse(doc))
    assert report.count_by_code()["GG206"] == 1
    assert {(d.code, d.path) for d in report} - expected == {("GG206", "organizations[1]")}


def test_a_dropped_optional_reference_keeps_the_record(kit: Any) -> None:
    doc = kit.base()
    kit.org(doc, "B1")["cooperative"] = "EC9"
    kit.person(doc, "P6")["household"] = "H99"
    j, paths, findings = read_tolerant(parse(doc))
    assert [(f.code, f.path) for f in findings] == [
        ("GG101", "people[7].household"),
        ("GG101", "organizations[2].cooperative"),
    ]
    assert j.organizations["B1"].cooperative is None
    assert j.people["P6"].household is None
    assert paths.get("org", "B1") == "organizations[2]"


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (
            lambda k, d: k.add(d, "registrations", {"person": "P3", "community": "C1"}),
            "GG105",
            "registrations[7].person",
        ),
        (
            lambda k, d: k.add(d, "claims", {"person": "P5", "zone": "Z1"}),
            "GG105",
            "claims[2].zone",
        ),
        (
            lambda k, d: k.add(d, "posts", {"org": "G1", "role": "group_leader", "holder": "P5"}),
            "GG105",
            "posts[10].holder",
        ),
        (lambda k, d: k.add(d, "households", {"id": "P3"}), "GG105", "households[0].id"),
        (
            lambda k, d: k.add(d, "claims", {"person": "P5", "zone": "G1"}),
            "GG101",
            "claims[2].zone",
        ),
        (
            lambda k, d: k.org(d, "Z1")["households"].append("G1"),
            "GG101",
            "organizations[5].households[2]",
        ),
        (
            lambda k, d: k.org(d, "Z1")["households"].append("P8"),
            "GG101",
            "organizations[5].households[2]",
        ),
        (
            lambda k, d: k.add(d, "registrations", {"person": "P3x", "community": "C1"}),
            "GG101",
            "registrations[7].person",
        ),
        (lambda k, d: k.org(d, "G2").update(parent="C1"), "GG102", "organizations[4].parent"),
        (
            lambda k, d: k.add(
                d, "organizations", {"id": "X1", "level": "street", "name": "x", "parent": "S1"}
            ),
            "GG102",
            "organizations[7].parent",
        ),
        (lambda k, d: k.org(d, "B1").update(parent="B1"), "GG103", "organizations[2].parent"),
        (
            lambda k, d: k.add(d, "organizations", {"id": "S1", "level": "street", "name": "x"}),
            "GG105",
            "organizations[7].id",
        ),
        (
            lambda k, d: k.add(d, "organizations", {"id": "C2", "level": "community", "name": "x"}),
            "GG104",
            "organizations[7].parent",
        ),
    ],
    ids=[
        "registered-twice",
        "claimed-twice",
        "post-twice",
        "household-id-of-a-person",
        "claim-on-a-group",
        "zone-lists-an-organization",
        "zone-lists-a-person",
        "registration-of-nobody",
        "group-under-community",
        "street-with-parent",
        "own-parent",
        "root-id-twice",
        "community-without-parent",
    ],
)
def test_one_structural_problem_one_finding(kit: Any, change: Any, code: str, path: str) -> None:
    doc = kit.base()
    if code == "GG103":  # the members of a branch in a cycle are filed nowhere valid
        doc["registrations"] = []
    if path.startswith("organizations[4]"):  # G2's members, leader and zone go with it
        doc["registrations"] = [
            r for r in doc["registrations"] if r["person"] not in ("P7", "P8", "P9")
        ]
        kit.remove(doc, "posts", org="B1", role="committee_member")
    change(kit, doc)
    report = validate(parse(doc))
    assert [(d.code, d.path) for d in report] == [(code, path)], [str(d) for d in report]


def test_a_document_without_a_root_at_the_top_level() -> None:
    doc = {
        "gridgov": "1",
        "organizations": [
            {"id": "C1", "level": "community", "name": "c"},
            {"id": "B1", "level": "branch", "name": "b", "parent": "C1"},
        ],
    }
    report = validate(parse(doc))
    # one problem, one finding: at the community that should have had a parent
    assert [(d.code, d.path, d.ids) for d in report] == [
        ("GG104", "organizations[0].parent", ("C1",))
    ]
    empty = validate(parse({"gridgov": "1"}))
    assert [(d.code, d.path, d.ids) for d in empty] == [("GG104", None, ())]


def test_structural_findings_follow_selection_and_severity(kit: Any) -> None:
    doc, _ = _broken(kit)
    document = parse(doc)
    assert validate(document, select=["GG101"]).count_by_code() == {"GG101": 5}
    assert "GG101" not in validate(document, ignore=["GG10"]).count_by_code()
    report = validate(document, severity={"GG312": "info"})
    assert [d.severity.value for d in report.by_code("GG312")] == ["info"]


def test_a_refused_filing_is_not_reported_again_as_filed_nowhere(kit: Any) -> None:
    doc = kit.base()
    kit.add_member(doc, "P10", "B1")  # registered at C1, filed at the branch level
    assert kit.codes(doc) == {"GG106": 1}


def test_a_member_whose_filing_was_refused_is_filed_nowhere_once_unfiled_later(kit: Any) -> None:
    from gridgov.io import parse
    from gridgov.model import MemberFiled, MemberUnfiled
    from gridgov.model.values import Filing

    doc = kit.base()
    kit.add_member(doc, "P10", "B1")
    validator = Validator(parse(doc))
    group = validator.jurisdiction.graph.at_level("group")[0]
    validator.apply(MemberFiled(Filing("P10", group)))
    validator.apply(MemberUnfiled("P10"))
    assert validator.report().count_by_code() == {"GG106": 1, "GG309": 1}


# -- random documents --------------------------------------------------------------------------

PERSON_IDS = ("P1", "P2", "P3", "P4", "P5", "P6")
HOUSEHOLD_IDS = ("H1", "H2", "H3")
COOP_IDS = ("EC1", "EC2")
SCHEMES = {"five-level": Scheme.preset("five-level"), "three-level": Scheme.preset("three-level")}
PREFIX = {
    "street": "S",
    "community": "C",
    "branch": "B",
    "group": "G",
    "zone": "Z",
    "grid": "GR",
    "member_household": "M",
}
ANY_ID = st.sampled_from(
    ("S1", "C1", "B1", "G1", "Z1", "GR1", "M1", *PERSON_IDS, *HOUSEHOLD_IDS, *COOP_IDS, "X9")
)
DATE = st.dates(dt.date(2012, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat)


def _pool(level: str) -> tuple[str, ...]:
    return tuple(f"{PREFIX[level]}{i}" for i in (1, 2, 3))


def _rarely(draw: st.DrawFn, n: int) -> bool:
    """True once in `n` draws (Hypothesis favours 0, so the rare case is the largest value)."""
    return bool(draw(st.integers(0, n - 1)) == n - 1)


def _pick(draw: st.DrawFn, pool: tuple[str, ...]) -> str:
    """Mostly an id of `pool`, sometimes any id at all (a broken or crossed reference)."""
    if _rarely(draw, 40):
        return draw(ANY_ID)
    return draw(st.sampled_from(pool))


def _optional(draw: st.DrawFn, record: Doc, key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        record[key] = draw(strategy)


def _ids(draw: st.DrawFn, pool: tuple[str, ...], most: int, least: int = 0) -> list[str]:
    """`least` to `most` distinct ids of `pool`, now and then with one repeated."""
    ids = draw(st.permutations(pool))[: draw(st.integers(least, most))]
    if ids and _rarely(draw, 20):
        ids.append(draw(st.sampled_from(ids)))
    return ids


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    """Documents that ``parse`` accepts. Ids come from small pools and references mostly
    name records that exist, so that trees form and rules get to run; now and then an id
    repeats or a reference names anything at all (a person for an organization, an id
    declared nowhere). Levels, kinds, dates, posts, filings and claims are random."""
    scheme_name = draw(st.sampled_from(sorted(SCHEMES)))
    scheme = SCHEMES[scheme_name]
    levels = scheme.levels
    doc: Doc = {"gridgov": "1", "scheme": scheme_name}
    if draw(st.booleans()):
        doc["as_of"] = draw(DATE)
    if draw(st.booleans()):
        doc["policy"] = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "min_branch_full_members": st.integers(0, 4),
                    "max_branch_members": st.integers(1, 6),
                    "committee_threshold": st.integers(1, 8),
                    "max_deputy_secretaries": st.integers(0, 2),
                    "joint_branch_max_units": st.integers(1, 3),
                    "term_years_community": st.integers(1, 6),
                    "term_years_other": st.integers(1, 4),
                    "max_zones_per_member": st.integers(0, 3),
                },
            )
        )
    coop_ids = _ids(draw, COOP_IDS, 2)
    present: dict[str, tuple[str, ...]] = {}
    orgs = []
    for depth, level in enumerate(levels):
        ids = _ids(draw, _pool(level), 3, 1) if depth else [_pool(level)[0]]
        present[level] = tuple(ids) or _pool(level)
        for oid in ids:
            org: Doc = {"id": oid, "level": level, "name": "o"}
            if depth and not _rarely(draw, 20):
                org["parent"] = _pick(draw, present[levels[depth - 1]])
            elif _rarely(draw, 20):
                org["parent"] = draw(ANY_ID)
            if _rarely(draw, 3):
                org["kind"] = draw(st.sampled_from([k.value for k in OrgKind]))
            if _rarely(draw, 4):
                org["cooperative"] = _pick(draw, tuple(coop_ids) or COOP_IDS)
            _optional(draw, org, "term_start", DATE)
            _optional(draw, org, "ends", DATE)
            _optional(draw, org, "units", st.lists(st.sampled_from(["U1", "U2", "U3", "U4"])))
            if level == scheme.zone_level and draw(st.booleans()):
                n = draw(st.integers(0, 3))
                org["households"] = [_pick(draw, HOUSEHOLD_IDS) for _ in range(n)]
            orgs.append(org)
    # founding order is the events' business: shuffle the records
    doc["organizations"] = draw(st.permutations(orgs))
    people = []
    person_ids = _ids(draw, PERSON_IDS, 6, 1)
    for pid in person_ids:
        person: Doc = {"id": pid, "name": "p"}
        if not _rarely(draw, 5):
            party: Doc = {"status": draw(st.sampled_from(["full", "full", "probationary"]))}
            categories = st.lists(st.sampled_from([c.value for c in Category]), unique=True)
            _optional(draw, party, "categories", categories)
            person["party"] = party
        if _rarely(draw, 4):
            person["household"] = _pick(draw, HOUSEHOLD_IDS)
        people.append(person)
    doc["people"] = people
    doc["households"] = [{"id": h} for h in _ids(draw, HOUSEHOLD_IDS, 2)]
    persons = tuple(person_ids) or PERSON_IDS
    coops = []
    for cid in coop_ids:
        coop: Doc = {"id": cid, "name": "ec"}
        _optional(draw, coop, "community", st.sampled_from(present[levels[1]]))
        _optional(draw, coop, "head", st.sampled_from(persons))
        _optional(draw, coop, "branch_secretary", st.sampled_from(persons))
        coops.append(coop)
    doc["cooperatives"] = coops
    community = present[levels[0] if scheme_name == "three-level" else levels[1]]
    filing, zone = present[scheme.filing_level], present[scheme.zone_level]
    all_orgs = tuple(o for ids in present.values() for o in ids)
    doc["registrations"] = [
        {"person": _pick(draw, persons), "community": _pick(draw, community)}
        for _ in range(draw(st.integers(0, 6)))
    ]
    doc["filings"] = [
        {"person": _pick(draw, persons), "org": _pick(draw, filing)}
        for _ in range(draw(st.integers(0, 6)))
    ]
    doc["claims"] = [
        {"person": _pick(draw, persons), "zone": _pick(draw, zone)}
        for _ in range(draw(st.integers(0, 6)))
    ]
    posts = []
    for _ in range(draw(st.integers(0, 12))):
        post: Doc = {
            "org": _pick(draw, all_orgs),
            "role": draw(st.sampled_from([r.value for r in Role])),
            "holder": _pick(draw, persons),
        }
        if draw(st.booleans()):
            post["appointed_by"] = _pick(draw, present[levels[0]])
        if _rarely(draw, 4):
            post["duty"] = draw(st.sampled_from([d.value for d in Duty]))
        posts.append(post)
    doc["posts"] = posts
    return doc


@given(documents())
def test_validation_of_random_documents_never_raises(doc: Doc) -> None:
    document = parse(doc)
    report = validate(document)
    assert isinstance(report, Report)
    registry = builtin_registry()
    for d in report:
        assert d.code in registry
        if d.code in DOCUMENT_CODES:
            assert d.path, str(d)
    assert validate(document) == report  # deterministic
    j = Validator(document).jurisdiction
    assert Jurisdiction.replay(j.log) == j


@given(documents())
def test_the_tolerant_reader_agrees_with_the_strict_loader(doc: Doc) -> None:
    """``load`` refuses exactly the documents with a structural finding (a household
    listed in two zones, GG312, included)."""
    report = validate(parse(doc), select=sorted(DOCUMENT_CODES | {"GG104"}))
    structural = [d for d in report if d.path is not None]
    if structural:
        with pytest.raises(DocumentError):
            load(doc)
    else:
        load(doc)  # must not raise


def _one_grid(holders: dict[str, str]) -> dict[str, Any]:
    """One grid branch whose secretary, group leader and claimant are ``holders``' ids."""
    return {
        "gridgov": "1",
        "organizations": [
            {"id": "S1", "level": "street", "name": "S"},
            {"id": "C1", "level": "community", "name": "C", "parent": "S1"},
            {"id": "B1", "level": "branch", "name": "B", "parent": "C1", "kind": "grid"},
            {"id": "G1", "level": "group", "name": "G", "parent": "B1"},
            {"id": "Z1", "level": "zone", "name": "Z", "parent": "G1"},
        ],
        "people": [
            {"id": "P1", "name": "a", "party": {"status": "full", "categories": ["street_cadre"]}},
            {"id": "P2", "name": "b", "party": {"status": "full"}},
        ],
        "filings": [{"person": holders["member"], "org": "G1"}],
        "claims": [{"person": holders["member"], "zone": "Z1"}],
        "posts": [
            {"org": "B1", "role": "secretary", "holder": holders["secretary"]},
            {"org": "B1", "role": "first_secretary", "holder": "P1", "appointed_by": "S1"},
            {"org": "B1", "role": "grid_leader", "holder": "P1"},
            {"org": "B1", "role": "grid_leader", "holder": holders["leader"]},
            {"org": "G1", "role": "group_leader", "holder": holders["member"]},
        ],
    }


def test_a_refused_record_is_reported_at_its_cause_only() -> None:
    """An unknown holder, member or claimant is one GG101 each; the gaps its refused
    record leaves (no secretary, a grid leader short, no group leader, an unclaimed zone)
    are not reported again."""
    broken = validate(parse(_one_grid({"secretary": "P8", "leader": "P8", "member": "P9"})))
    by_subject = {(d.code, d.ids[0]) for d in broken}
    assert ("GG206", "B1") not in by_subject
    assert ("GG304", "B1") not in by_subject
    assert ("GG307", "G1") not in by_subject
    assert ("GG308", "Z1") not in by_subject
    assert broken.count_by_code()["GG101"] == 5
    # a count is a fact of the state read: the branch short of the refused member says so
    assert ("GG201", "B1") in by_subject
    # the near miss: the same gaps with no refused record behind them are reported
    doc = _one_grid({"secretary": "P2", "leader": "P2", "member": "P2"})
    doc["posts"] = [p for p in doc["posts"] if p["role"] == "first_secretary"]
    doc["claims"] = doc["filings"] = []
    gaps = {(d.code, d.ids[0]) for d in validate(parse(doc))}
    assert {("GG206", "B1"), ("GG304", "B1"), ("GG307", "G1"), ("GG308", "Z1")} <= gaps


def test_a_refused_post_explains_only_the_gap_it_leaves() -> None:
    doc = _one_grid({"secretary": "P2", "leader": "P2", "member": "P2"})
    doc["people"].append({"id": "P3", "name": "c", "party": {"status": "full"}})
    doc["posts"] += [
        {"org": "B1", "role": "grid_leader", "holder": "P3"},  # three leaders accepted
        {"org": "B1", "role": "grid_leader", "holder": "P99"},  # and one refused
    ]
    (finding,) = validate(parse(doc), select=["GG304"])
    assert finding.ids == ("B1", "P1", "P2", "P3")
    assert "3 grid leaders" in finding.message


def test_a_later_event_about_the_subject_is_judged_on_its_own() -> None:
    doc = _one_grid({"secretary": "P8", "leader": "P2", "member": "P2"})
    v = Validator(parse(doc), select=["GG206"])
    assert ("GG206", "B1") not in {(d.code, d.ids[0]) for d in v.report()}
    v.apply(PostAssigned(Post("B1", Role.SECRETARY, "P2")))
    v.apply(PostVacated("B1", Role.SECRETARY, "P2"))
    assert ("GG206", "B1") in {(d.code, d.ids[0]) for d in v.report()}


def test_validator_apply_all_rolls_back_what_it_leaves_out() -> None:
    """A refused filing's "filed nowhere" (GG309) is left out; a failed apply_all that
    touched the member restores that too."""
    doc = _one_grid({"secretary": "P2", "leader": "P2", "member": "P2"})
    doc["people"].append({"id": "P5", "name": "e", "party": {"status": "full"}})
    doc["registrations"] = [{"person": "P5", "community": "C1"}]
    doc["filings"].append({"person": "P5", "org": "B1"})  # GG106: not the filing level
    v = Validator(parse(doc))
    before = v.report()
    assert "GG309" not in before.count_by_code()
    with pytest.raises(UnknownReferenceError) as info:
        v.apply_all(
            [
                PersonAmended(Person("P5", "新名", party=PartyMembership("full"))),
                OrganizationRenamed("C9", "x"),
            ]
        )
    assert info.value.index == 1  # type: ignore[attr-defined]
    assert v.report() == before
