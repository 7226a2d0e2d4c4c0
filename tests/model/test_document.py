"""Documents: canonical order, events that build them, and build's problem reports."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gridgov.errors import DocumentError, GridGovError
from gridgov.model import (
    THREE_LEVEL,
    AsOfSet,
    Claim,
    Cooperative,
    CooperativeAdded,
    Filing,
    Household,
    HouseholdAdded,
    HouseholdAssigned,
    Jurisdiction,
    MemberFiled,
    Organization,
    OrganizationAmended,
    OrganizationFounded,
    Person,
    PersonAdded,
    Policy,
    PolicyChanged,
    Post,
    Registration,
    SchemeSet,
)
from gridgov.model.document import Document, build, document_of, events_of, natural_key


def test_natural_key_orders_digit_runs_by_value() -> None:
    ids = ["B10", "B2", "A", "B1x", "B01", "10", "9", "", "b2"]
    assert sorted(ids, key=natural_key) == ["", "9", "10", "A", "B01", "B1x", "B2", "B10", "b2"]
    assert natural_key("G12a3") == ["G", 12, "a", 3, ""]


def test_document_of_is_canonical(five_level: Jurisdiction) -> None:
    doc = document_of(five_level)
    assert [o.id for o in doc.organizations] == [
        "S1",
        "C1",
        "B1",
        "G1",
        "Z1",
        "Z2",
        "G2",
        "Z3",
        "C2",
        "B2",
        "G3",
    ]
    zone_households = dict(zip((o.id for o in doc.organizations), doc.zone_households, strict=True))
    assert zone_households["Z1"] == ("H1", "H2")
    assert zone_households["Z3"] == ("H3",)
    assert zone_households["G1"] == ()
    # plain households in a zone are listed there only; H4 is in no zone and has data
    assert [h.id for h in doc.households] == ["H4"]
    assert [p.id for p in doc.people] == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert [r.person for r in doc.registrations] == ["P3", "P5"]
    assert [f.person for f in doc.filings] == ["P3", "P4", "P5"]
    assert [(c.person, c.zone) for c in doc.claims] == [("P4", "Z3"), ("P5", "Z1"), ("P5", "Z2")]
    assert [(p.org, p.role.value, p.holder) for p in doc.posts] == [
        ("B1", "first_secretary", "P1"),
        ("B1", "grid_leader", "P1"),
        ("B1", "grid_leader", "P2"),
        ("B1", "secretary", "P3"),
        ("G1", "group_leader", "P5"),
        ("G2", "group_leader", "P4"),
    ]


def test_equal_jurisdictions_give_equal_documents() -> None:
    """Ids that natural order ties (P2, P02) are still ordered the same way."""
    a = Jurisdiction()
    b = Jurisdiction()
    for j, order in ((a, ["P2", "P02", "P٢"]), (b, ["P٢", "P02", "P2"])):
        j.found_org("S1", "street", "S")
        for cid in reversed(order):
            j.found_org(f"C{cid}", "community", cid, parent="S1")
        for pid in order:
            j.add_person(pid, pid)
            j.add_household(f"H{pid}")
    assert a == b
    assert document_of(a) == document_of(b)
    assert [p.id for p in document_of(a).people] == ["P02", "P2", "P٢"]


def test_sibling_order_is_natural(five_level: Jurisdiction) -> None:
    j = Jurisdiction()
    j.found_org("S1", "street", "S")
    for cid in ("C10", "C9", "C2", "C1"):
        j.found_org(cid, "community", cid, parent="S1")
    assert [o.id for o in document_of(j).organizations] == ["S1", "C1", "C2", "C9", "C10"]


@pytest.mark.parametrize("builder", ["five_level", "three_level"])
def test_build_inverts_document_of(request: pytest.FixtureRequest, builder: str) -> None:
    j: Jurisdiction = request.getfixturevalue(builder)
    doc = document_of(j)
    rebuilt = build(doc)
    assert rebuilt == j
    assert document_of(rebuilt) == doc


def test_events_of_order(five_level: Jurisdiction) -> None:
    events = [e for _, e in events_of(document_of(five_level))]
    kinds = [type(e) for e in events]
    assert kinds[0] is AsOfSet
    assert SchemeSet not in kinds
    assert PolicyChanged not in kinds
    first_org = kinds.index(OrganizationFounded)
    assert set(kinds[1:first_org]) == {HouseholdAdded, PersonAdded}
    assert kinds.index(HouseholdAdded) < kinds.index(PersonAdded)
    coop = kinds.index(CooperativeAdded)
    b1 = next(
        i for i, e in enumerate(events) if isinstance(e, OrganizationFounded) and e.org.id == "B1"
    )
    assert coop < b1  # the cooperative comes just before the first org drawn on it
    assert max(i for i, k in enumerate(kinds) if k is OrganizationFounded) < kinds.index(
        HouseholdAssigned
    )
    assert kinds.index(HouseholdAssigned) < kinds.index(MemberFiled)
    assert OrganizationAmended not in kinds


def test_events_of_carry_document_paths(three_level: Jurisdiction) -> None:
    paths = dict(events_of(document_of(three_level)))
    assert isinstance(paths["scheme"], SchemeSet)
    assert paths["scheme"].scheme is THREE_LEVEL
    assert isinstance(paths["organizations[0]"], OrganizationFounded)
    assert paths["organizations[0]"].org.id == "V1"
    assert isinstance(paths["filings[0]"], MemberFiled)


def test_policy_event_only_when_not_default() -> None:
    assert not any(isinstance(e, PolicyChanged) for _, e in events_of(Document()))
    doc = Document(policy=Policy(max_branch_members=20))
    assert [type(e) for _, e in events_of(doc)] == [PolicyChanged]


def test_cooperative_after_its_references_with_amendment() -> None:
    """A cooperative whose community is founded after an org drawn on it: found, then amend."""
    doc = Document(
        organizations=(
            Organization("S1", "street", "S", cooperative="EC1"),
            Organization("C1", "community", "C", parent="S1"),
        ),
        cooperatives=(Cooperative("EC1", "社", community="C1"),),
    )
    events = [e for _, e in events_of(doc)]
    assert [type(e) for e in events] == [
        OrganizationFounded,
        OrganizationFounded,
        CooperativeAdded,
        OrganizationAmended,
    ]
    assert events[0].org.cooperative is None  # type: ignore[attr-defined]
    j = build(doc)
    assert j.organizations["S1"].cooperative == "EC1"
    assert document_of(j) == doc


def test_zone_households_are_padded() -> None:
    orgs = (Organization("S1", "street", "S"),)
    assert Document(organizations=orgs).zone_households == ((),)
    assert Document(organizations=orgs, zone_households=(("H1",), ("H2",))).zone_households == (
        ("H1",),
    )


def test_households_listed_only_in_zones_are_created() -> None:
    doc = Document(
        organizations=(
            Organization("S1", "street", "S"),
            Organization("C1", "community", "C", parent="S1"),
            Organization("B1", "branch", "B", parent="C1"),
            Organization("G1", "group", "G", parent="B1"),
            Organization("Z1", "zone", "Z", parent="G1"),
        ),
        zone_households=((), (), (), (), ("H1", "H2")),
        households=(Household("H2", building="2栋"),),
    )
    j = build(doc)
    assert j.households["H1"] == Household("H1")
    assert j.households["H2"].building == "2栋"
    assert j.households_in("Z1") == ["H1", "H2"]


def _bad(doc: Document) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        build(doc, source="doc.json")
    assert isinstance(info.value, GridGovError)
    assert str(info.value).startswith("doc.json: ")
    return info.value


def test_build_reports_every_problem_with_its_path() -> None:
    doc = Document(
        organizations=(
            Organization("S1", "street", "S"),
            Organization("C1", "community", "C", parent="S9"),
            Organization("B1", "branch", "B", parent="S1"),
            Organization("S2", "street", "S2"),
        ),
        people=(Person("P1", "x"), Person("P1", "again")),
        filings=(Filing("P1", "S1"), Filing("P9", "S1")),
        registrations=(Registration("P1", "C9"),),
        claims=(Claim("P1", "S1"),),
        posts=(Post("S1", "secretary", "P9"),),
    )
    err = _bad(doc)
    problems = dict(err.problems)
    assert problems["organizations[1].parent"] == "unknown organization 'S9'"
    assert "'S1' is at level 'street'" in problems["organizations[2].parent"]
    assert "second root" in problems["organizations[3].id"]
    assert problems["people[1].id"] == "id 'P1' is already used by a person"
    assert "'street'" in problems["filings[0].org"]
    assert problems["filings[1].person"] == "unknown person 'P9'"
    assert problems["registrations[0].community"] == "unknown organization 'C9'"
    assert "'zone'" in problems["claims[0].zone"]
    assert problems["posts[0].holder"] == "unknown person 'P9'"
    assert len(err.problems) == 9
    assert err.source == "doc.json"
    assert "(and 8 more problems)" in str(err)


def test_build_does_not_cascade_from_a_rejected_record() -> None:
    doc = Document(
        organizations=(
            Organization("S1", "street", "S"),
            Organization("C1", "community", "C", parent="S9"),
            Organization("B1", "branch", "B", parent="C1"),
            Organization("G1", "group", "G", parent="B1"),
        ),
    )
    err = _bad(doc)
    assert [p.path for p in err.problems] == ["organizations[1].parent"]


def test_build_reports_zone_household_problems() -> None:
    doc = Document(
        organizations=(
            Organization("S1", "street", "S"),
            Organization("C1", "community", "C", parent="S1"),
        ),
        zone_households=((), ("H1",)),
        people=(Person("P1", "x", household="H9"),),
    )
    err = _bad(doc)
    problems = dict(err.problems)
    assert set(problems) == {"organizations[1].households[0]", "people[0].household"}
    assert "'C1' is at level 'community'" in problems["organizations[1].households[0]"]
    assert problems["people[0].household"] == "unknown household 'H9'"


def test_build_with_an_id_factory() -> None:
    calls: list[str] = []

    def ids(kind: str, parent: str | None, taken: Callable[[str], bool]) -> str:
        calls.append(f"{kind} under {parent}")
        return f"{kind}-new"

    j = build(Document(organizations=(Organization("S1", "street", "S"),)), ids=ids)
    assert j.found_org(None, "community", "C", parent="S1").org.id == "community-new"
    assert calls == ["community under S1"]


def test_build_of_an_empty_document() -> None:
    j = build(Document())
    assert j == Jurisdiction()
    assert j.version == 0
    assert isinstance(HouseholdAdded(Household("H1")), HouseholdAdded)
