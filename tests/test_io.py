"""Reading and writing the JSON document format."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gridgov
from gridgov.errors import DocumentError, FileError, GridGovError
from gridgov.io import MAX_DOCUMENT_BYTES, MAX_PROBLEMS, dump, dumps, load, loads, parse, read, save
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
    problems = _problems(b'{"gridgov": "\xff"}')
    assert list(problems) == [""]
    assert problems[""].startswith("not UTF-8 text: byte 13 (0xff) is not UTF-8")


@pytest.mark.parametrize("data", [[], "x", 3, None])
def test_document_must_be_an_object(data: Any) -> None:
    with pytest.raises(DocumentError, match="a document must be a JSON object"):
        load(data) if isinstance(data, dict) else loads(json.dumps(data))


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        ({"gridgov": "2"}, "gridgov", "must be '1' (got '2')"),
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
    expected = "nested too deeply (more than 1024 levels) at line 1 column 1052"
    assert _problems(text) == {"": expected}
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load(path)
    assert str(info.value) == f"{path}: {expected}"


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


# -- hostile input: bounded, refused with a DocumentError, never a crash -----------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"gridgov": "1", "policy": {"max_branch_members": ' + "1" * 5000 + "}}", "infinite"),
        ('{"gridgov": "1", "policy": {"max_branch_members": 1e400}}', "infinite"),
        ('{"gridgov": "1", "policy": {"max_branch_members": NaN}}', "not valid JSON"),
        ('{"gridgov": "1", "policy": {"max_branch_members": Infinity}}', "not valid JSON"),
        ('{"gridgov": "1", "policy": {"max_branch_members": -Infinity}}', "not valid JSON"),
        ("", "the document is empty"),
        ("[" * 200_000, "a document must be a JSON object (it starts with '[')"),
        ('{"a": ' + "[" * 200_000, "nested too deeply (more than 1024 levels)"),
        ('{"gridgov": "1"} x', "not valid JSON"),
    ],
    ids=["long-int", "1e400", "nan", "inf", "-inf", "empty", "brackets", "deep", "trailing"],
)
def test_hostile_json_text_is_a_document_error(text: str, fragment: str) -> None:
    for given in (text, text.encode("utf-8")):
        problems = _problems(given)
        assert fragment in problems[""], problems


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"gridgov": "1", "people": [{"id": "P1", "name": "\\ud800"}]}', "people[0].name"),
        ('{"gridgov": "1", "people": [{"id": "P1", "name": "a\\udc00b"}]}', "people[0].name"),
        ('{"gridgov": "1", "people": [{"id": "P1", "name": "\\ud800\\u0041"}]}', "people[0].name"),
        (
            '{"gridgov": "1", "people": [{"id": "P1", "name": "x", "x-k": {"\\ud800": 1}}]}',
            "people[0].x-k.'\\ud800'",
        ),
        (
            '{"gridgov": "1", "organizations": [{"id": "S1", "level": "street", "name": "s", '
            '"units": ["a", "\\udfff"]}]}',
            "organizations[0].units[1]",
        ),
    ],
    ids=["name", "inside", "bad-pair", "key", "list"],
)
def test_a_lone_surrogate_is_refused_at_its_json_path(text: str, path: str) -> None:
    for given in (text, text.encode("utf-8")):
        problems = _problems(given)
        assert list(problems) == [path], problems
        assert "lone surrogate" in problems[path]


def test_a_lone_surrogate_in_parsed_data_is_refused_at_its_path() -> None:
    problems = _problems({"gridgov": "1", "people": [{"id": "P1", "name": "\ud800"}]})
    assert "lone surrogate" in problems["people[0].name"]
    problems = _problems({"gridgov": "1", "people": [{"id": "P\ud8001", "name": "x"}]})
    assert "lone surrogate" in problems["people[0].id"]


def _deep(levels: int, inner: Any = None) -> Any:
    value: Any = inner
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    "changes",
    [
        {"people": [{"id": "P1", "name": _deep(100_000)}]},
        {"people": [{"id": "P1", "name": "x", "x-a": _deep(100_000)}]},
        {"people": _deep(100_000)},
        {"policy": {"max_branch_members": _deep(100_000)}},
        {"scheme": {"levels": _deep(100_000), "filing_level": "a", "zone_level": "b"}},
        {"organizations": [{"id": "S1", "level": "street", "name": "s", "units": _deep(100_000)}]},
        {"x" * 100_000: _deep(100_000)},
        {"people": [{"id": 10**5000, "name": "x"}]},
        {"policy": {"max_branch_members": 10**4301}},
        {"households": [{"id": "H1", "location": [10**400, 0]}]},
        {"households": [{"id": "H1", "location": [float("nan"), 0]}]},
        {"gridgov": 10**5000},
        {"as_of": 10**5000},
    ],
    ids=[
        "name",
        "extension",
        "section",
        "policy",
        "scheme",
        "units",
        "key",
        "long-id",
        "long-setting",
        "far-location",
        "nan-location",
        "version",
        "as-of",
    ],
)
def test_hostile_parsed_data_is_a_document_error(changes: dict[Any, Any]) -> None:
    """Deep nesting and huge numbers in data given to load() are refused, and the messages
    describe them without converting them in full."""
    doc = {"gridgov": "1", **changes}
    with pytest.raises(DocumentError) as info:
        load(doc)
    assert len(str(info.value)) < 1000
    with pytest.raises(DocumentError):
        parse(doc)


def test_a_huge_policy_integer_never_reaches_dumps() -> None:
    with pytest.raises(DocumentError, match="must be at most 1000000"):
        load({"gridgov": "1", "policy": {"max_branch_members": 10**4301}})
    with pytest.raises(GridGovError):
        Jurisdiction(policy=Policy(max_branch_members=10**4301))


class _Counted(list[Any]):
    """A list that counts how many of its items are read."""

    read = 0

    def __iter__(self) -> Any:
        for item in super().__iter__():
            type(self).read += 1
            yield item


def test_collecting_problems_stops_at_the_cap() -> None:
    _Counted.read = 0
    people = _Counted([0] * 1_000_000)
    with pytest.raises(DocumentError) as info:
        load({"gridgov": "1", "people": people})
    assert len(info.value.problems) == MAX_PROBLEMS + 1
    assert _Counted.read <= MAX_PROBLEMS + 2, "items past the cap were read"


def test_a_list_longer_than_the_limit_is_refused_before_its_items_are_read() -> None:
    from gridgov.limits import MAX_ITEMS

    class Huge(list[Any]):
        def __len__(self) -> int:
            return MAX_ITEMS + 1

        def __iter__(self) -> Any:
            raise AssertionError("an item was read")

    problems = _problems({"gridgov": "1", "people": Huge()})
    assert problems == {"people": f"must have at most {MAX_ITEMS} items (got {MAX_ITEMS + 1})"}


def test_building_stops_at_the_cap_too() -> None:
    filings = [{"person": f"P{i}", "org": "G1"} for i in range(5000)]
    with pytest.raises(DocumentError) as info:
        load({"gridgov": "1", "filings": filings})
    assert len(info.value.problems) == MAX_PROBLEMS + 1
    assert info.value.problems[-1].message == "too many problems; stopped listing"


# -- encodings ------------------------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    text = json.dumps(DOC, ensure_ascii=False)
    assert loads("\ufeff" + text) == load(DOC)
    assert loads(b"\xef\xbb\xbf" + text.encode("utf-8")) == load(DOC)
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load(path) == load(DOC)


@pytest.mark.parametrize(
    ("encoding", "fragment"),
    [
        ("utf-16", "the document is UTF-16 text; documents are UTF-8"),
        ("utf-32", "the document is UTF-32 text; documents are UTF-8"),
        ("utf-16-le", "it holds NUL bytes"),
        ("utf-32-be", "it holds NUL bytes"),
        ("gb18030", "not UTF-8 text: byte"),
        ("latin-1", "not UTF-8 text: byte"),
    ],
)
def test_other_encodings_are_refused_with_a_clear_message(
    tmp_path: Path, encoding: str, fragment: str
) -> None:
    raw = json.dumps(
        {
            "gridgov": "1",
            "organizations": [
                {
                    "id": "S1",
                    "level": "street",
                    "name": "均禾街党工委" if encoding != "latin-1" else "café",
                }
            ],
        },
        ensure_ascii=False,
    ).encode(encoding)
    problems = _problems(raw)
    assert fragment in problems[""], problems
    path = tmp_path / "doc.json"
    path.write_bytes(raw)
    with pytest.raises(DocumentError, match=re.escape(fragment)):
        load(path)


# -- every source is read up to its limit and no further ------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_at_its_first_bytes() -> None:
    for limit in (MAX_DOCUMENT_BYTES, 10):
        with pytest.raises(DocumentError, match="it holds NUL bytes"):
            read("/dev/zero", max_bytes=limit)


def _fifo(tmp_path: Path, chunks: Iterator[bytes]) -> tuple[Path, threading.Thread]:
    path = tmp_path / "fifo"
    os.mkfifo(path)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), open(path, "wb") as f:
            for chunk in chunks:
                f.write(chunk)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return path, writer


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_read_up_to_the_limit_and_no_further(tmp_path: Path) -> None:
    written = []

    def endless() -> Iterator[bytes]:
        yield b'{"gridgov": "1", "x-pad": "'
        while len(written) < 10_000:  # 640 MB if nobody stopped reading
            written.append(1)
            yield b"a" * 65536

    path, writer = _fifo(tmp_path, endless())
    with pytest.raises(DocumentError, match="document is over the limit of 1000000 bytes"):
        read(path, max_bytes=1_000_000)
    writer.join(timeout=60)
    assert len(written) < 100, "the reader went on past its limit"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_that_cannot_start_a_document_is_refused_at_once(tmp_path: Path) -> None:
    written = []

    def brackets() -> Iterator[bytes]:
        while len(written) < 10_000:
            written.append(1)
            yield b"[" * 65536

    path, writer = _fifo(tmp_path, brackets())
    with pytest.raises(DocumentError, match="it starts with"):
        read(path)
    writer.join(timeout=60)
    assert len(written) < 100


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_document_from_a_fifo_loads(tmp_path: Path) -> None:
    text = json.dumps(DOC, ensure_ascii=False).encode("utf-8")
    path, writer = _fifo(tmp_path, iter([text[:10], text[10:]]))
    assert load(path) == load(DOC)
    writer.join(timeout=60)


# -- file-system problems are FileErrors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing.json", "no such file"),
        (".", "is a directory, not a file"),
        ("a\x00b.json", "the path holds a NUL character"),
        ("\udcff\ud800.json", "cannot encode"),
        ("x" * 5000 + ".json", "the file name is too long"),
        ("plain.json/doc.json", "a part of the path is not a folder"),
    ],
    ids=["missing", "directory", "nul", "surrogate", "too-long", "not-a-folder"],
)
def test_a_file_that_cannot_be_read_is_a_file_error(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "plain.json").write_text("{}", encoding="utf-8")
    path = tmp_path / name if name != "." else tmp_path
    for reader in (read, load, gridgov.load_settings):
        with pytest.raises(FileError) as info:
            reader(str(path))
        assert reason in info.value.reason
        assert isinstance(info.value, DocumentError)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("no/such/folder/out.json", "the folder"),
        (".", "is a directory, not a file"),
        ("a\x00b.json", "the path holds a NUL character"),
        ("plain.json/out.json", "a part of the path is not a folder"),
        ("x" * 5000 + ".json", "the file name is too long"),
    ],
    ids=["missing-folder", "directory", "nul", "not-a-folder", "too-long"],
)
def test_a_file_that_cannot_be_written_is_a_file_error(
    tmp_path: Path, five_level: Jurisdiction, name: str, reason: str
) -> None:
    (tmp_path / "plain.json").write_text("{}", encoding="utf-8")
    path = tmp_path / name if name != "." else tmp_path
    with pytest.raises(FileError) as info:
        save(five_level, str(path))
    assert reason in info.value.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_is_a_file_error(tmp_path: Path, five_level: Jurisdiction) -> None:
    path = tmp_path / "locked.json"
    save(five_level, path)
    path.chmod(0)
    with pytest.raises(FileError, match="permission denied"):
        load(path)
    with pytest.raises(FileError, match="permission denied"):
        save(five_level, path)


def test_save_checks_its_arguments_before_writing(tmp_path: Path, five_level: Jurisdiction) -> None:
    path = tmp_path / "out.json"
    for bad in ({"indent": -1}, {"indent": 17}, {"indent": "2"}, {"indent": 10**12}):
        with pytest.raises(GridGovError, match=r"^indent: "):
            save(five_level, path, **bad)
    with pytest.raises(GridGovError, match=r"^j: "):
        save("not a jurisdiction", path)  # type: ignore[arg-type]
    assert not path.exists()


# -- writing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("indent", [0, 1, 2, 4, 16])
def test_dumps_writes_what_the_json_module_writes(five_level: Jurisdiction, indent: int) -> None:
    """orjson writes the default indent of 2; the text is the standard library's."""
    expected = json.dumps(dump(five_level), ensure_ascii=False, indent=indent)
    assert dumps(five_level, indent=indent) == expected


def test_one_line_output_is_compact(five_level: Jurisdiction) -> None:
    text = dumps(five_level, indent=None)
    assert "\n" not in text
    assert json.loads(text) == dump(five_level)
    assert text == json.dumps(dump(five_level), ensure_ascii=False, separators=(",", ":"))
