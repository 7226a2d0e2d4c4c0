"""Real cases from the sources: Junhe's merged cooperative branches, Aiguo's full filing.

- Junhe street (均禾街): the economic cooperative's branch and the grid branch merged
  into one (合二为一), the cooperative's branch secretary became the grid branch secretary;
  each grid has dual grid leaders (双网格长), its first secretary and the cooperative head;
  first secretaries are street cadres appointed by the street committee (提级任命).
- Aiguo community (爱国社区, Xiqiao): 110 members without a post and 54 employed members,
  all filed into the grid (全部"入格"), over 742 households.

The example documents shipped in ``examples/`` are checked in ``tests/test_examples.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.io import load, parse
from gridgov.rules import validate

Doc = dict[str, Any]


def _person(pid: str, name: str, status: str | None = "full", *categories: str) -> Doc:
    person: Doc = {"id": pid, "name": name}
    if status is not None:
        person["party"] = {"status": status, "categories": list(categories)}
    return person


# -- Junhe: merged cooperative grid branches -------------------------------------------------------

JUNHE_COOPS = ("清湖第一经济社", "清湖第二经济社", "清湖第三经济社")


def junhe() -> Doc:
    """均禾街 → 清湖联社 → three merged cooperative grid branches, each with two groups."""
    doc: Doc = {
        "gridgov": "1",
        "scheme": "five-level",
        "as_of": "2021-11-22",
        "organizations": [
            {"id": "S1", "level": "street", "name": "均禾街党工委"},
            {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
        ],
        "people": [
            _person("JS", "街道党工委书记", "full", "street_cadre"),
            _person("JC", "清湖联社书记", "full", "village"),
        ],
        "cooperatives": [],
        "registrations": [],
        "filings": [],
        "claims": [],
        "posts": [
            {"org": "S1", "role": "secretary", "holder": "JS"},
            {"org": "C1", "role": "secretary", "holder": "JC"},
        ],
    }
    for n, coop_name in enumerate(JUNHE_COOPS, start=1):
        branch, coop, cadre, head = f"B{n}", f"EC{n}", f"FS{n}", f"HD{n}"
        members = [f"B{n}M{i}" for i in range(1, 9)]  # 8 full members
        secretary = members[0]
        doc["people"] += [
            _person(cadre, f"街道干部{n}", "full", "street_cadre", "sunk"),
            _person(head, f"{coop_name}社长", None),
            *(_person(m, f"党员{m}", "full", "village") for m in members),
        ]
        doc["cooperatives"].append(
            {
                "id": coop,
                "name": coop_name,
                "community": "C1",
                "head": head,
                "branch_secretary": secretary,
            }
        )
        doc["organizations"].append(
            {
                "id": branch,
                "level": "branch",
                "name": f"{coop_name}网格党支部",
                "parent": "C1",
                "kind": "grid",
                "cooperative": coop,
                "formed": "2021-09-01",
                "term_start": "2021-09-01",
            }
        )
        doc["posts"] += [
            {
                "org": branch,
                "role": "first_secretary",
                "holder": cadre,
                "appointed_by": "S1",
                "since": "2021-11-22",
            },
            {"org": branch, "role": "grid_leader", "holder": cadre},
            {"org": branch, "role": "grid_leader", "holder": head},
            {"org": branch, "role": "secretary", "holder": secretary},
            {
                "org": branch,
                "role": "committee_member",
                "holder": members[1],
                "duty": "organization",
            },
            {"org": branch, "role": "committee_member", "holder": members[2], "duty": "discipline"},
        ]
        for g, group_members in enumerate((members[:4], members[4:]), start=1):
            group, zone = f"B{n}G{g}", f"B{n}Z{g}"
            doc["organizations"] += [
                {"id": group, "level": "group", "name": f"第{g}党小组", "parent": branch},
                {
                    "id": zone,
                    "level": "zone",
                    "name": f"{g}号楼",
                    "parent": group,
                    "households": [f"{zone}H{k}" for k in range(1, 6)],
                },
            ]
            doc["posts"].append({"org": group, "role": "group_leader", "holder": group_members[0]})
            doc["claims"].append({"person": group_members[-1], "zone": zone})
            for m in group_members:
                doc["registrations"].append({"person": m, "community": "C1"})
                doc["filings"].append({"person": m, "org": group})
    return doc


def _secretary_not_merged(kit: Any, doc: Doc) -> None:
    # the cooperative's branch secretary and a committee member swap posts
    kit.post(doc, "B2", "secretary")["holder"] = "B2M2"
    kit.post(doc, "B2", "committee_member", "B2M2")["holder"] = "B2M1"


def _leader_not_head(kit: Any, doc: Doc) -> None:
    # the second grid leader is the branch secretary, not the cooperative head
    kit.post(doc, "B2", "grid_leader", "HD2")["holder"] = "B2M1"


def _first_secretary_not_cadre(kit: Any, doc: Doc) -> None:
    kit.person(doc, "FS2")["party"]["categories"] = ["sunk"]


def _appointed_by_community(kit: Any, doc: Doc) -> None:
    kit.post(doc, "B2", "first_secretary")["appointed_by"] = "C1"


def test_junhe_merged_branches_are_clean() -> None:
    doc = junhe()
    report = validate(parse(doc))
    assert list(report) == [], [str(d) for d in report]
    j = load(doc)
    assert len(j.graph.at_level("branch")) == 3
    for n in (1, 2, 3):
        coop = j.cooperatives[f"EC{n}"]
        assert [p.holder for p in j.posts_in(f"B{n}", "secretary")] == [coop.branch_secretary]
        leaders = {p.holder for p in j.posts_in(f"B{n}", "grid_leader")}
        assert leaders == {f"FS{n}", coop.head}
        assert not j.people[coop.head or ""].is_member  # a cooperative head need not be one


@pytest.mark.parametrize(
    ("breaking", "code"),
    [
        (_secretary_not_merged, "GG306"),
        (_leader_not_head, "GG305"),
        (_first_secretary_not_cadre, "GG302"),
        (_appointed_by_community, "GG303"),
    ],
)
def test_breaking_junhe(kit: Any, breaking: Any, code: str) -> None:
    doc = junhe()
    breaking(kit, doc)
    report = validate(parse(doc))
    assert report.count_by_code() == {code: 1}, [str(d) for d in report]
    (d,) = report
    assert d.ids[0] == "B2"
    assert d.path is not None


# -- Aiguo: every registered member filed ------------------------------------------------------------

AIGUO_WITHOUT_POST = 110
AIGUO_EMPLOYED = 54
AIGUO_HOUSEHOLDS = 742


def aiguo() -> tuple[Doc, list[str]]:
    """西樵镇 → 爱国社区 → 4 grid branches of 41 members → 4 groups each → zones.

    Returns the document and the ids of the members who hold no post and claim no zone.
    """
    members = [f"W{i:03d}" for i in range(1, AIGUO_WITHOUT_POST + 1)]
    members += [f"E{i:02d}" for i in range(1, AIGUO_EMPLOYED + 1)]
    doc: Doc = {
        "gridgov": "1",
        "scheme": "five-level",
        "as_of": "2021-01-25",
        "organizations": [
            {"id": "T1", "level": "street", "name": "西樵镇党委"},
            {"id": "A1", "level": "community", "name": "爱国社区党委", "parent": "T1"},
        ],
        "people": [_person("TS", "镇党委书记", "full", "street_cadre")],
        "registrations": [],
        "filings": [],
        "claims": [],
        "posts": [{"org": "T1", "role": "secretary", "holder": "TS"}],
    }
    doc["people"] += [
        _person(m, f"党员{m}", "full", "without_post" if m.startswith("W") else "employed")
        for m in members
    ]
    zones: list[Doc] = []
    quiet: list[str] = []
    branches = [members[i::4] for i in range(4)]  # 41 members each, both categories mixed
    for b, branch_members in enumerate(branches, start=1):
        branch = f"A1B{b}"
        cadre, grid_head = f"FS{b}", f"GH{b}"
        doc["people"] += [
            _person(cadre, f"镇干部{b}", "full", "street_cadre"),
            _person(grid_head, f"网格长{b}", None),
        ]
        doc["organizations"].append(
            {"id": branch, "level": "branch", "name": f"爱国第{b}网格党支部", "parent": "A1"}
        )
        doc["posts"] += [
            {"org": branch, "role": "first_secretary", "holder": cadre, "appointed_by": "T1"},
            {"org": branch, "role": "grid_leader", "holder": cadre},
            {"org": branch, "role": "grid_leader", "holder": grid_head},
            {"org": branch, "role": "secretary", "holder": branch_members[0]},
            {"org": branch, "role": "committee_member", "holder": branch_members[1]},
            {"org": branch, "role": "committee_member", "holder": branch_members[2]},
        ]
        for g in range(4):
            group = f"{branch}G{g + 1}"
            group_members = branch_members[g::4]
            doc["organizations"].append(
                {"id": group, "level": "group", "name": f"第{g + 1}党小组", "parent": branch}
            )
            doc["posts"].append({"org": group, "role": "group_leader", "holder": group_members[0]})
            claimants = group_members[: (len(group_members) + 1) // 2]
            for k, claimant in enumerate(claimants, start=1):
                zone = {"id": f"{group}Z{k}", "level": "zone", "name": "责任区", "parent": group}
                zones.append(zone)
                doc["claims"].append({"person": claimant, "zone": zone["id"]})
            for m in group_members:
                doc["registrations"].append({"person": m, "community": "A1", "date": "2020-03-01"})
                doc["filings"].append({"person": m, "org": group, "date": "2020-03-15"})
            quiet += [
                m for m in group_members[1:] if m not in claimants and m not in branch_members[:3]
            ]
    # the 742 households, dealt out over the zones
    for h in range(AIGUO_HOUSEHOLDS):
        zones[h % len(zones)].setdefault("households", []).append(f"AH{h + 1:03d}")
    doc["organizations"] += zones
    doc["posts"].append({"org": "A1", "role": "secretary", "holder": members[0]})
    return doc, quiet


def test_aiguo_all_members_filed_is_clean() -> None:
    doc, _ = aiguo()
    j = load(doc)
    people = j.people.values()
    without_post = [p for p in people if p.has_category("without_post")]
    employed = [p for p in people if p.has_category("employed")]
    assert (len(without_post), len(employed)) == (110, 54)
    assert all(p.id in j.filings and p.id in j.registrations for p in [*without_post, *employed])
    assert len(j.members("A1")) == 164
    assert len(j.zone_of_household) == 742
    assert all(len(j.members(b)) <= 50 for b in j.graph.at_level("branch"))
    report = validate(parse(doc))
    assert list(report) == [], [str(d) for d in report]


def test_aiguo_one_member_not_filed() -> None:
    doc, quiet = aiguo()
    who = quiet[7]
    doc["filings"] = [f for f in doc["filings"] if f["person"] != who]
    report = validate(parse(doc))
    assert report.count_by_code() == {"GG309": 1}, [str(d) for d in report]
    (d,) = report
    assert d.ids == (who, "A1")
    assert d.path is not None
    assert d.path.startswith("registrations[")


def test_in_a_district_the_first_secretary_is_appointed_by_the_branchs_street() -> None:
    """Liwan-like: several streets under a district committee; each appoints its own."""
    from gridgov.model import Jurisdiction, Scheme

    scheme = Scheme(
        ["district", "street", "community", "branch", "group", "zone"],
        filing_level="group",
        zone_level="zone",
        branch_level="branch",
    )
    j = Jurisdiction(scheme)
    j.found_org("D1", "district", "荔湾区委")
    for s in ("S1", "S2"):
        j.found_org(s, "street", f"{s} 党工委", parent="D1")
    j.found_org("C1", "community", "社区", parent="S2")
    j.found_org("B1", "branch", "网格党支部", parent="C1")
    j.add_person("K1", "街道干部", status="full", categories=["street_cadre"])

    def gg303(appointed_by: str) -> list[str]:
        j.appoint("B1", "first_secretary", "K1", appointed_by=appointed_by)
        found = [str(d) for d in validate(j, select=["GG303"])]
        j.vacate("B1", "first_secretary", "K1")
        return found

    assert gg303("S2") == []
    assert gg303("D1") == [
        "GG303 [E] first secretary 'K1' of 'B1' was appointed by 'D1', not by the street "
        "committee 'S2' (B1, K1)"
    ]
    assert len(gg303("S1")) == 1
