"""Reading and writing the JSON document format."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gridgov.errors import DocumentError, GridGovError
from gridgov.io import MAX_PROBLEMS, dump, dumps, load, loads, parse, read, save
from gridgov.model import THREE_LEVEL, Jurisdiction, Organization, OrgKind, Policy
from gridgov.model.document import Document

# The example of DESIGN.md, completed so that every reference resolves, in canonical order.
DOC: dict[str, Any] = {
    "gridgov": "1",
    "scheme": "five-level",
    "as_of": "2021-11-22",
    "policy": {"max_branch_members": 40},
    "organizations": [
        {"id": "S1", "level": "street", "name": "均禾街党工委"},
        {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
        {
            "id": "B1",
            "level": "branch",
            "name": "清湖第一经济社网格党支部",
            "parent": "C1",
            "kind": "grid",
            "cooperative": "EC1",
            "formed": "2021-09-01",
            "term_start": "2021-09-01",
        },
        {"id": "G1", "level": "group", "name": "第一党小组", "parent": "B1"},
        {"id": "Z1", "level": "zone", "name": "1-3栋", "parent": "G1", "households": ["H1", "H2"]},
        {
            "id": "T1",
            "level": "branch",
            "name": "临时党支部",
            "parent": "C1",
            "kind": "temporary",
            "ends": "2020-06-30",
        },
    ],
    "people": [
        {
            "id": "P1",
            "name": "邹波",
            "party": {
                "status": "full",
                "categories": ["street_cadre", "sunk"],
                "affiliation": "EXT-street-organ-branch",
            },
        },
        {"id": "P2", "name": "某社长"},
        {"id": "P3", "name": "王书记", "party": {"status": "full"}},
        {"id": "P5", "name": "李四", "party": {"status": "probationary"}, "household": "H1"},
    ],
    "households": [{"id": "H3", "building": "8栋", "location": [1.5, 2.0]}],
    "cooperatives": [
        {"id": "EC1", "name": "清湖第一经济社", "head": "P2", "branch_secretary": "P3"}
    ],
    "registrations": [{"person": "P5", "community": "C1", "date": "2021-09-10"}],
    "filings": [{"person": "P5", "org": "G1", "date": "2021-09-12"}],
    "claims": [{"person": "P5", "zone": "Z1"}],
    "posts": [
        {
            "org": "B1",
            "role": "first_secretary",
            "holder": "P1",
            "appointed_by": "S1",
            "since": "2021-11-22",
        },
        {"org": "B1", "role": "grid_leader", "holder": "P1"},
        {"org": "B1", "role": "grid_leader", "holder": "P2"},
        {"org": "B1", "role": "secretary", "holder": "P3"},
        {"org": "G1", "role": "group_leader", "holder": "P5"},
    ],
}


def _doc(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(DOC)
    doc.update(changes)
    return doc


def _problems(source: Any) -> dict[str, str]:
    """The problems of a document given as JSON text or as parsed data, by JSON path."""
    reader = loads if isinstance(source, str | bytes) else load
    with pytest.raises(DocumentError) as info:
        reader(source)
    assert isinstance(info.value, GridGovError)
    return dict(info.value.problems)


# -- reading a good document -------------------------------------------------------------------


def test_load_the_design_example() -> None:
    j = load(DOC)
    assert j.graph.counts() == {"street": 1, "community": 1, "branch": 2, "group": 1, "zone": 1}
    assert j.policy.max_branch_members == 40
    assert j.as_of is not None
    assert j.as_of.isoformat() == "2021-11-22"
    assert j.organizations["B1"].cooperative == "EC1"
    assert j.organizations["T1"].kind is OrgKind.TEMPORARY
    assert j.households_in("Z1") == ["H1", "H2"]
    assert j.households["H3"].location == (1.5, 2.0)
    assert j.people["P5"].household == "H1"
    assert j.members("B1") == ["P5"]
    assert j.claimants("Z1") == ["P5"]
    assert len(j.posts) == 5


def test_dump_of_a_canonical_document_is_the_document() -> None:
    assert dump(load(DOC)) == DOC


def test_round_trips(five_level: Jurisdiction, three_level: Jurisdiction, tmp_path: Path) -> None:
    for j in (five_level, three_level):
        data = dump(j)
        assert load(data) == j
        assert dump(load(data)) == data
        assert loads(dumps(j)) == j
        assert loads(dumps(j, indent=None).encode()) == j
        path = tmp_path / "j.json"
        save(j, path)
        text = path.read_text(encoding="utf-8")
        assert text.endswith("}\n")
        assert json.loads(text) == data
        assert load(path) == j
        assert load(str(path)) == j
    assert "均禾街党工委" in dumps(five_level)  # UTF-8 kept as it is


def test_dump_shape(three_level: Jurisdiction) -> None:
    data = dump(three_level)
    assert list(data)[:3] == ["gridgov", "scheme", "organizations"]
    assert data["scheme"] == "three-level"
    assert "as_of" not in data
    assert "policy" not in data
    assert "households" not in data
    assert data["organizations"][2] == {
        "id": "M1",
        "level": "member_household",
        "name": "甲户",
        "parent": "GR1",
        "households": ["H1", "H2"],
    }
    assert load(data).scheme is THREE_LEVEL


def test_inline_scheme_document() -> None:
    doc = {
        "gridgov": "1",
        "scheme": {
            "levels": ["town", "village"],
            "filing_level": "village",
            "zone_level": "village",
        },
        "organizations": [
            {"id": "T1", "level": "town", "name": "西樵镇"},
            {"id": "V1", "level": "village", "name": "村", "parent": "T1", "households": ["H1"]},
        ],
    }
    j = load(doc)
    assert j.scheme.levels == ("town", "village")
    assert j.scheme.name is None
    assert dump(j)["scheme"] == doc["scheme"]
    assert load(dump(j)) == j


def test_parse_returns_the_records() -> None:
    doc = parse(DOC)
    assert isinstance(doc, Document)
    assert [o.id for o in doc.organizations] == ["S1", "C1", "B1", "G1", "Z1", "T1"]
    assert doc.zone_households[4] == ("H1", "H2")
    assert doc.policy == Policy(max_branch_members=40)
    assert isinstance(doc.organizations[0], Organization)


def test_parse_does_not_check_references() -> None:
    doc = parse({"gridgov": "1", "filings": [{"person": "P9", "org": "G9"}]})
    assert doc.filings[0].person == "P9"
    problems = _problems({"gridgov": "1", "filings": [{"person": "P9", "org": "G9"}]})
    assert problems == {"filings[0].person": "unknown person 'P9'"}


def test_nulls_mean_absent() -> None:
    j = load({"gridgov": "1", "as_of": None, "organizations": None, "people": None})
    assert j == Jurisdiction()


# -- bad documents -------------------------------------------------------------------------------


def test_bad_json() -> None:
    problems = _problems('{"gridgov": "1",')
    assert list(problems) == [""]
    assert problems[""].startswith("not valid JSON: ")
    assert "line 1 column" in problems[""]


def test_not_utf8() -> None:
    assert _problems(b'{"gridgov": "\xff"}') == {"": "not UTF-8 text"}


@pytest.mark.parametrize("data", [[], "x", 3, None])
def test_document_must_be_an_object(data: Any) -> None:
    with pytest.raises(DocumentError, match="a document must be a JSON object"):
        load(data) if isinstance(data, dict) else loads(json.dumps(data))


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"gridgov": "2"}, "gridgov", "must be the format version '1' (got '2')"),
        ({"gridgov": 1}, "gridgov", "(got 1)"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"scheme": "nine-level"}, "scheme", "unknown scheme"),
        ({"scheme": 5}, "scheme", "must be a preset name or an object"),
        ({"as_of": "2021-13-01"}, "as_of", "is not a valid date"),
        ({"as_of": 20211122}, "as_of", "YYYY-MM-DD"),
        ({"policy": {"max_branch_size": 60}}, "policy.max_branch_size", "unknown policy setting"),
        ({"policy": {"max_branch_members": "50"}}, "policy.max_branch_members", "integer"),
        ({"policy": [1]}, "policy", "must be an object of policy settings"),
        ({"organizations": {"S1": {}}}, "organizations", "must be a list (got dict)"),
        ({"people": "P1"}, "people", "must be a list (got str)"),
        ({"people": [7]}, "people[0]", "must be an object (got int)"),
        ({"people": [{"id": "P1"}]}, "people[0].name", "is required"),
        ({"people": [{"id": "P1", "name": 3}]}, "people[0].name", "must be a string (got 3)"),
        ({"people": [{"id": "P1", "name": "x", "age": 3}]}, "people[0]", "unknown key age"),
        (
            {"people": [{"id": "P1", "name": "x", "party": {"status": "member"}}]},
            "people[0].party.status",
            "must be one of full, probationary",
        ),
        (
            {
                "people": [
                    {"id": "P1", "name": "x", "party": {"status": "full", "categories": ["x"]}}
                ]
            },
            "people[0].party.categories",
            "(got 'x')",
        ),
        ({"households": [{"id": "H9", "location": [1]}]}, "households[0].location", "pair"),
        ({"cooperatives": [{"id": "EC9"}]}, "cooperatives[0].name", "is required"),
        ({"registrations": [{"person": "P5"}]}, "registrations[0].community", "is required"),
        ({"filings": [{"person": "P5", "org": ["G1"]}]}, "filings[0].org", "must be a string"),
        ({"claims": [{"person": "P5", "zone": ""}]}, "claims[0].zone", "non-empty"),
        (
            {"posts": [{"org": "B1", "role": "chairman", "holder": "P1"}]},
            "posts[0].role",
            "(got 'chairman')",
        ),
        (
            {"posts": [{"org": "B1", "role": "committee_member", "holder": "P1", "duty": "x"}]},
            "posts[0].duty",
            "organization, propaganda, discipline",
        ),
    ],
)
def test_type_problems_have_json_paths(changes: dict[str, Any], path: str, fragment: str) -> None:
    problems = _problems(_doc(**changes))
    assert path in problems, problems
    assert fragment in problems[path]


@pytest.mark.parametrize(
    ("org", "path", "fragment"),
    [
        (
            {"id": "X1", "level": "town", "name": "x"},
            "organizations[6].level",
            "unknown level 'town'",
        ),
        ({"id": "X1", "level": "branch"}, "organizations[6].name", "is required"),
        ({"id": "", "level": "branch", "name": "x"}, "organizations[6].id", "non-empty"),
        (
            {"id": "X1", "level": "branch", "name": "x", "kind": "club"},
            "organizations[6].kind",
            "club",
        ),
        (
            {"id": "X1", "level": "branch", "name": "x", "formed": "yesterday"},
            "organizations[6].formed",
            "YYYY-MM-DD",
        ),
        (
            {"id": "X1", "level": "branch", "name": "x", "units": "U1"},
            "organizations[6].units",
            "must be a list",
        ),
        (
            {"id": "X1", "level": "zone", "name": "x", "households": "H1"},
            "organizations[6].households",
            "must be a list of household ids",
        ),
        (
            {"id": "X1", "level": "zone", "name": "x", "households": [""]},
            "organizations[6].households",
            "must be a list of household ids",
        ),
        (
            {"id": "X1", "level": "group", "name": "x", "parent": "B1", "households": ["H9"]},
            "organizations[6].households",
            "only 'zone' organizations list households",
        ),
        ("S9", "organizations[6]", "must be an object (got str)"),
    ],
)
def test_organization_problems(org: Any, path: str, fragment: str) -> None:
    problems = _problems(_doc(organizations=[*DOC["organizations"], org]))
    assert path in problems, problems
    assert fragment in problems[path]


def test_level_must_be_of_the_documents_scheme() -> None:
    problems = _problems(_doc(scheme="three-level"))
    assert "organizations[0].level" in problems
    assert "['community', 'grid', 'member_household']" in problems["organizations[0].level"]


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        (
            {"filings": [{"person": "P5", "org": "B1"}]},
            "filings[0].org",
            "'B1' is at level 'branch'; members are filed at level 'group'",
        ),
        (
            {"claims": [{"person": "P5", "zone": "Z9"}]},
            "claims[0].zone",
            "unknown organization 'Z9'",
        ),
        (
            {"people": [*DOC["people"], {"id": "P1", "name": "twice"}]},
            "people[4].id",
            "id 'P1' is already used by a person",
        ),
        (
            {"cooperatives": [*DOC["cooperatives"], {"id": "S1", "name": "x"}]},
            "cooperatives[1].id",
            "id 'S1' is already used by an organization",
        ),
        (
            {"posts": [*DOC["posts"], {"org": "B1", "role": "secretary", "holder": "P3"}]},
            "posts[5].holder",
            "'P3' already holds secretary in 'B1'",
        ),
        (
            {"registrations": [*DOC["registrations"], {"person": "P5", "community": "C1"}]},
            "registrations[1].person",
            "'P5' is already registered at 'C1'",
        ),
    ],
)
def test_integrity_problems_have_json_paths(
    changes: dict[str, Any], path: str, message: str
) -> None:
    problems = _problems(_doc(**changes))
    assert problems == {path: message}


def test_every_problem_is_listed() -> None:
    doc = _doc(gridgov="0", colour="red", people=[1, {"id": 2, "name": "x"}])
    with pytest.raises(DocumentError) as info:
        load(doc)
    paths = [p.path for p in info.value.problems]
    assert paths == ["colour", "gridgov", "people[0]", "people[1].id"]
    assert str(info.value).endswith("(and 3 more problems)")


def test_problem_list_is_capped() -> None:
    with pytest.raises(DocumentError) as info:
        load({"gridgov": "1", "people": [0] * (MAX_PROBLEMS + 5)})
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "too many problems; stopped listing"


# -- files, size and depth guards ------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    for reader in (read, load):
        with pytest.raises(DocumentError) as info:
            reader(missing)
        assert isinstance(info.value, GridGovError)
        assert str(info.value) == f"{missing}: no such file"
        assert info.value.source == str(missing)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a directory"):
        load(tmp_path)


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"gridgov": "1", "people": [{"id": "P1"}]}', encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert str(info.value) == f"{path}: people[0].name: is required"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DocumentError, match=f"^{path}: not valid JSON"):
        load(path)


def test_size_limit(tmp_path: Path, five_level: Jurisdiction) -> None:
    path = tmp_path / "big.json"
    save(five_level, path)
    size = path.stat().st_size
    assert load(path, max_bytes=size) == five_level
    with pytest.raises(DocumentError) as info:
        load(path, max_bytes=size - 1)
    assert str(info.value) == f"{path}: document is {size} bytes, over the limit of {size - 1}"
    with pytest.raises(DocumentError, match="over the limit of 10"):
        read(path, max_bytes=10)


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_nesting_depth_guard(tmp_path: Path, depth: int) -> None:
    text = '{"gridgov": "1", "policy": ' + "[" * depth + "]" * depth + "}"
    assert _problems(text) == {"": "nested too deeply"}
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert str(info.value) == f"{path}: nested too deeply"


def test_moderate_nesting_is_a_type_problem() -> None:
    text = '{"gridgov": "1", "policy": {"max_branch_members": ' + "[" * 50 + "]" * 50 + "}}"
    problems = _problems(text)
    assert list(problems) == ["policy.max_branch_members"]
    assert "must be an integer" in problems["policy.max_branch_members"]


def test_empty_jurisdiction_dump() -> None:
    assert dump(Jurisdiction()) == {
        "gridgov": "1",
        "scheme": "five-level",
        "organizations": [],
        "people": [],
        "cooperatives": [],
        "registrations": [],
        "filings": [],
        "claims": [],
        "posts": [],
    }
    assert loads('{"gridgov": "1"}') == Jurisdiction()


def test_a_household_in_two_zones_is_refused_by_load():
    doc = {
        "gridgov": "1",
        "organizations": [
            {"id": "S1", "level": "street", "name": "s"},
            {"id": "C1", "level": "community", "name": "c", "parent": "S1"},
            {"id": "B1", "level": "branch", "name": "b", "parent": "C1"},
            {"id": "G1", "level": "group", "name": "g", "parent": "B1"},
            {"id": "Z1", "level": "zone", "name": "z1", "parent": "G1", "households": ["H1"]},
            {"id": "Z2", "level": "zone", "name": "z2", "parent": "G1", "households": ["H1"]},
        ],
    }
    with pytest.raises(DocumentError) as info:
        load(doc)
    assert [str(p) for p in info.value.problems] == [
        "organizations[5].households[0]: household 'H1' is already in zone 'Z1'"
    ]


@pytest.mark.parametrize("data", [[], [1, 2], 3, None])
def test_load_of_parsed_data_that_is_not_an_object_is_a_document_error(data):
    with pytest.raises(DocumentError, match="must be a JSON object"):
        load(data)


def test_a_household_id_that_is_too_long_is_a_document_error():
    doc = {
        "gridgov": "1",
        "organizations": [{"id": "S1", "level": "street", "name": "s", "households": ["H" * 201]}],
    }
    with pytest.raises(DocumentError, match=r"organizations\[0\]\.households"):
        load(doc)


def test_an_organization_that_is_its_own_parent_is_refused_not_dropped() -> None:
    doc = {
        "gridgov": "1",
        "organizations": [
            {"id": "S1", "level": "street", "name": "o", "parent": "S1"},
            {"id": "C1", "level": "community", "name": "o", "parent": "S1"},
        ],
    }
    with pytest.raises(DocumentError) as info:
        load(doc)
    assert [str(p) for p in info.value.problems] == [
        "organizations[0].parent: 'S1' cannot be its own parent"
    ]


def test_a_cooperative_listed_twice_is_refused() -> None:
    doc = {
        "gridgov": "1",
        "organizations": [{"id": "S1", "level": "street", "name": "o"}],
        "cooperatives": [{"id": "EC1", "name": "a"}, {"id": "EC1", "name": "b"}],
    }
    with pytest.raises(DocumentError, match=r"cooperatives\[1\]\.id: id 'EC1' is already used"):
        load(doc)
