"""A host's own fields: ``x-`` keys on any record of the document format.

Every record kind (organizations, people, households, cooperatives, registrations,
filings, claims, posts) keeps the ``x-`` keys it is given, with any JSON value, through
load and dump, the event log and its replay, and the JSON of the events. Any other
unknown key stays an error naming it; ``x-`` alone is no name; a value that is not JSON
data is refused. Extensions are part of a record's value: two records that differ only
in them are unequal. The JSON Schema agrees.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import hypothesis.strategies as st
import pytest
from attrs import evolve
from hypothesis import given

from gridgov import EVENT_TYPES, json_schema
from gridgov.converters import structure_event, unstructure, unstructure_event
from gridgov.errors import DocumentError, InvalidValueError
from gridgov.io import dump, dumps, load, loads
from gridgov.model import (
    Claim,
    Cooperative,
    Filing,
    Household,
    Jurisdiction,
    Organization,
    OrganizationFounded,
    Person,
    Post,
    Registration,
)
from gridgov.model.values import FrozenMap, thaw

jsonschema = pytest.importorskip("jsonschema")

KINDS = (
    "organizations",
    "people",
    "households",
    "cooperatives",
    "registrations",
    "filings",
    "claims",
    "posts",
)

RECORDS: dict[str, Any] = {
    "organizations": lambda ext: Organization("S1", "street", "S", extensions=ext),
    "people": lambda ext: Person("P1", "甲", extensions=ext),
    "households": lambda ext: Household("H1", extensions=ext),
    "cooperatives": lambda ext: Cooperative("EC1", "社", extensions=ext),
    "registrations": lambda ext: Registration("P1", "C1", extensions=ext),
    "filings": lambda ext: Filing("P1", "G1", extensions=ext),
    "claims": lambda ext: Claim("P1", "Z1", extensions=ext),
    "posts": lambda ext: Post("B1", "secretary", "P1", extensions=ext),
}
"""A record of each kind, with the given extensions."""

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)  # the bounds of numbers in extension data
    | st.floats(-(2.0**63), 2.0**63, exclude_min=True, exclude_max=True)
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=8,
)
"""Any JSON value: null, booleans, numbers, (unicode) strings, lists, objects."""

# an extension key: "x-" and a name without control characters or line separators
NAME_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\u2028\u2029")
NAMES = st.text(NAME_CHARACTERS, min_size=1, max_size=6).map(lambda name: f"x-{name}")
EXTENSIONS = st.dictionaries(NAMES, JSON, max_size=3)
SCHEMA_NAMES = NAMES


def base() -> dict[str, Any]:
    """A small document in canonical order with one record (at least) of each kind."""
    return {
        "gridgov": "1",
        "scheme": "five-level",
        "organizations": [
            {"id": "S1", "level": "street", "name": "均禾街党工委"},
            {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
            {
                "id": "B1",
                "level": "branch",
                "name": "网格党支部",
                "parent": "C1",
                "cooperative": "EC1",
            },
            {"id": "G1", "level": "group", "name": "第一党小组", "parent": "B1"},
            {"id": "Z1", "level": "zone", "name": "1-3栋", "parent": "G1", "households": ["H1"]},
        ],
        "people": [
            {"id": "P1", "name": "李四", "party": {"status": "full"}, "household": "H1"},
            {"id": "P2", "name": "某社长"},
        ],
        "households": [{"id": "H1", "building": "3栋"}],
        "cooperatives": [{"id": "EC1", "name": "清湖第一经济社", "community": "C1", "head": "P2"}],
        "registrations": [{"person": "P1", "community": "C1", "date": "2021-09-10"}],
        "filings": [{"person": "P1", "org": "G1"}],
        "claims": [{"person": "P1", "zone": "Z1"}],
        "posts": [{"org": "B1", "role": "secretary", "holder": "P1"}],
    }


def with_extensions(doc: dict[str, Any], extensions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`doc` with ``extensions[kind]`` added to every record of that kind."""
    out = copy.deepcopy(doc)
    for kind, ext in extensions.items():
        for record in out[kind]:
            record.update(copy.deepcopy(ext))
    return out


def records_of(j: Jurisdiction, kind: str) -> list[Any]:
    return list(
        {
            "organizations": j.organizations,
            "people": j.people,
            "households": j.households,
            "cooperatives": j.cooperatives,
            "registrations": j.registrations,
            "filings": j.filings,
            "claims": j.claims,
            "posts": j.posts,
        }[kind].values()
    )


def text(data: Any) -> str:
    """Canonical JSON text: tells ``true`` from ``1`` and ``1.0`` from ``1``."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


PER_KIND = st.fixed_dictionaries(dict.fromkeys(KINDS, EXTENSIONS))


def test_the_base_document_is_canonical() -> None:
    assert dump(load(base())) == base()


# -- round trips -------------------------------------------------------------------------------------


@given(extensions=PER_KIND)
def test_extensions_survive_load_dump_load(extensions: dict[str, dict[str, Any]]) -> None:
    doc = with_extensions(base(), extensions)
    j = load(doc)
    for kind in KINDS:
        for record in records_of(j, kind):
            assert thaw(record.extensions) == extensions[kind], kind
            assert isinstance(record.extensions, FrozenMap) or not extensions[kind]
    out = dump(j)
    assert out == doc
    assert text(out) == text(doc)
    again = loads(dumps(j))
    assert again == j
    assert text(dump(again)) == text(doc)


@given(extensions=PER_KIND)
def test_extensions_survive_replay_and_the_json_of_the_events(
    extensions: dict[str, dict[str, Any]],
) -> None:
    j = load(with_extensions(base(), extensions))
    expected = text(dump(j))
    replayed = Jurisdiction.replay(j.log)
    assert replayed == j
    assert text(dump(replayed)) == expected
    wire = json.dumps([unstructure_event(e) for e in j.log], ensure_ascii=False)
    events = [structure_event(data, event_types=EVENT_TYPES) for data in json.loads(wire)]
    assert events == list(j.log)
    assert text(dump(Jurisdiction.replay(events))) == expected


@pytest.mark.parametrize("kind", KINDS)
@given(ext=EXTENSIONS)
def test_a_record_round_trips_with_its_extensions(kind: str, ext: dict[str, Any]) -> None:
    record = RECORDS[kind](ext)
    data = unstructure(record)
    assert {k: v for k, v in data.items() if k.startswith("x-")} == ext
    back = load(with_extensions(base(), {kind: ext}))
    assert all(thaw(r.extensions) == ext for r in records_of(back, kind))


def test_an_event_carries_the_extensions_of_its_record() -> None:
    org = Organization("S1", "street", "S", extensions={"x-ward": ["3", {"区": None}], "x-n": 1.5})
    data = unstructure_event(OrganizationFounded(org))
    assert data == {
        "type": "OrganizationFounded",
        "org": {
            "id": "S1",
            "level": "street",
            "name": "S",
            "x-ward": ["3", {"区": None}],
            "x-n": 1.5,
        },
    }
    assert structure_event(json.loads(json.dumps(data))) == OrganizationFounded(org)


def test_commands_keep_the_extensions_of_the_records_they_change() -> None:
    j = load(with_extensions(base(), {"organizations": {"x-code": "440103"}}))
    j.rename_org("B1", "改名")
    j.amend_org("B1", kind="grid")
    j.found_org("G2", "group", "第二党小组", parent="B1")
    j.move_org("Z1", "G2")
    assert j.organizations["B1"].extensions == {"x-code": "440103"}
    assert j.organizations["Z1"].extensions == {"x-code": "440103"}
    assert j.organizations["G2"].extensions == {}


# -- what is refused ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", ["colour", "X-ward", "x", "_x-ward", "ext"])
def test_another_unknown_key_is_an_error_naming_it(kind: str, key: str) -> None:
    doc = base()
    doc[kind][0][key] = "3"
    with pytest.raises(DocumentError) as info:
        load(doc)
    assert f"{kind}[0]" in str(info.value)
    assert f"unknown key {key}" in str(info.value)


@pytest.mark.parametrize("kind", KINDS)
def test_x_alone_is_no_name(kind: str) -> None:
    doc = base()
    doc[kind][0]["x-"] = "3"
    with pytest.raises(DocumentError, match=f"{kind}\\[0\\]") as info:
        load(doc)
    assert "'x-'" in str(info.value)
    with pytest.raises(InvalidValueError, match="x-"):
        RECORDS[kind]({"x-": "3"})


@pytest.mark.parametrize(
    "value",
    [
        {1, 2},
        frozenset(),
        [1, {2}],
        {"a": {"b": {3}}},
        {1: "a"},
        b"bytes",
        object(),
        math.nan,
        math.inf,
        [-math.inf],
    ],
    ids=repr,
)
@pytest.mark.parametrize("kind", KINDS)
def test_a_value_that_is_not_json_is_refused(kind: str, value: object) -> None:
    with pytest.raises(InvalidValueError):
        RECORDS[kind]({"x-bad": value})


@pytest.mark.parametrize("extensions", ["x-a", ["x-a"], {"y-a": 1}, {1: 1}], ids=repr)
def test_extensions_are_a_mapping_of_x_keys(extensions: object) -> None:
    with pytest.raises(InvalidValueError, match="extensions"):
        Person("P1", "甲", extensions=extensions)  # type: ignore[arg-type]


def test_a_non_finite_number_in_parsed_data_is_a_document_error() -> None:
    doc = base()
    doc["people"][0]["x-score"] = math.nan  # json.loads("NaN") gives one
    with pytest.raises(DocumentError, match=r"people\[0\]"):
        load(doc)


# -- equality ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_records_differing_only_in_extensions_are_unequal(kind: str) -> None:
    make = RECORDS[kind]
    plain, ward3, ward4 = make(None), make({"x-ward": 3}), make({"x-ward": 4})
    assert plain != ward3 != ward4
    assert plain == make({})
    assert len({plain, ward3, ward4}) == 3, "records with extensions hash, and stay apart"
    assert evolve(ward3, extensions={}) == plain


@pytest.mark.parametrize("kind", KINDS)
def test_extensions_compare_as_json(kind: str) -> None:
    """Lists and tuples, dicts and frozen maps, key order: JSON cannot tell them apart."""
    make = RECORDS[kind]
    a = make({"x-a": [1, {"b": [2, None]}], "x-c": "丙"})
    b = make({"x-c": "丙", "x-a": (1, FrozenMap({"b": (2, None)}))})
    assert a == b
    assert hash(a) == hash(b)
    assert thaw(a.extensions) == {"x-a": [1, {"b": [2, None]}], "x-c": "丙"}


def test_the_extensions_of_a_record_are_immutable() -> None:
    person = Person("P1", "甲", extensions={"x-tags": ["a"], "x-map": {"k": 1}})
    with pytest.raises(TypeError):
        person.extensions["x-new"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        person.extensions["x-tags"].append("b")
    with pytest.raises(TypeError):
        person.extensions["x-map"]["k"] = 2


@pytest.mark.parametrize("kind", KINDS)
def test_jurisdictions_differing_only_in_an_extension_are_unequal(kind: str) -> None:
    plain = load(base())
    extended = load(with_extensions(base(), {kind: {"x-ward": "3"}}))
    assert plain != extended
    assert extended == load(with_extensions(base(), {kind: {"x-ward": "3"}}))


# -- the JSON Schema ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> Any:
    cls = jsonschema.Draft202012Validator
    return cls(json_schema(), format_checker=cls.FORMAT_CHECKER)


@given(
    extensions=st.fixed_dictionaries({kind: st.dictionaries(SCHEMA_NAMES, JSON) for kind in KINDS})
)
def test_the_schema_accepts_x_keys_on_every_record(
    validator: Any, extensions: dict[str, dict[str, Any]]
) -> None:
    doc = with_extensions(base(), extensions)
    assert list(validator.iter_errors(doc)) == []
    assert dump(load(doc)) == doc


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", ["colour", "x-", "X-ward"])
def test_the_schema_rejects_another_unknown_key(validator: Any, kind: str, key: str) -> None:
    doc = base()
    doc[kind][0][key] = "3"
    errors = list(validator.iter_errors(doc))
    assert errors, f"{kind}: {key!r} accepted"
    assert any(list(e.absolute_path)[:2] == [kind, 0] for e in errors)


@pytest.mark.parametrize("key", ["x-\n", "x-a\x00b", "x-\x7f", "x-tab\there", "x-\u2028"])
def test_an_extension_key_with_a_control_character_is_refused(key: str) -> None:
    with pytest.raises(InvalidValueError, match="extension keys"):
        Household("H1", extensions={key: 1})
