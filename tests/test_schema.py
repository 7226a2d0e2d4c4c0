"""The JSON Schema of the document format agrees with what gridgov.io reads and writes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs
import pytest

import gridgov
from gridgov import plugins
from gridgov.errors import DocumentError
from gridgov.io import dump, json_schema, load, parse
from gridgov.model import (
    SCHEMES,
    THREE_LEVEL,
    Attachment,
    Category,
    Claim,
    Cooperative,
    Duty,
    Filing,
    Household,
    Jurisdiction,
    MemberStatus,
    Organization,
    OrgKind,
    PartyMembership,
    Person,
    Policy,
    Post,
    Registration,
    Role,
    Scheme,
)
from gridgov.model.document import FORMAT_VERSION
from gridgov.model.policy import BUILTIN_SETTINGS

jsonschema = pytest.importorskip("jsonschema")

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))

D = dt.date


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Any:
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(validator: Any, doc: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]


# -- jurisdictions to dump -------------------------------------------------------------


def five_level_everything() -> Jurisdiction:
    """A five-level jurisdiction using every optional field of every record."""
    j = Jurisdiction()
    j.set_as_of(D(2021, 11, 22))
    j.set_policy(max_branch_members=60)
    j.add_household(
        "H1",
        building="清湖新村1栋",
        address="清湖新村1栋101房",
        location=(1.5, -2),
        party_household="central",
    )
    j.add_household("H2")
    j.add_household("H3", building="未入格楼", address="清湖村三巷9号")  # in no zone
    j.found_org("S1", "street", "均禾街党工委", term_start=D(2021, 7, 1))
    j.found_org("C1", "community", "清湖联社党委", "S1", kind="committee")
    j.add_person(
        "P1",
        "邹波",
        status="full",
        categories=["street_cadre", "sunk"],
        affiliation="EXT-street-organ-branch",
        joined=D(2008, 7, 1),
        household="H1",
    )
    j.add_person("P2", "某社长")
    j.add_person("P3", "陈建华", status="full", categories=["village"])
    j.add_person("P4", "何婉婷", status="probationary")
    j.add_cooperative("EC1", "清湖第一经济社", community="C1", head="P2", branch_secretary="P3")
    j.add_cooperative("EC2", "清湖第二经济社")
    j.found_org(
        "B1",
        "branch",
        "清湖第一经济社网格党支部",
        "C1",
        kind="grid",
        cooperative="EC1",
        formed=D(2021, 9, 1),
        term_start=D(2021, 9, 1),
    )
    j.found_org("B2", "branch", "防疫临时党支部", "C1", kind="temporary", ends=D(2022, 3, 1))
    j.found_org("B3", "branch", "商铺联合党支部", "C1", kind="joint", units=["A商铺", "B商铺"])
    for kind in ("functional", "general", "volunteer_team", "commando_team", "service_team"):
        j.found_org(f"B-{kind}", "branch", kind, "C1", kind=kind)
    j.found_org("G1", "group", "第一党小组", "B1")
    j.found_org("Z1", "zone", "1-3栋", "G1")
    j.found_org("Z2", "zone", "4-6栋", "G1")
    j.assign_household("H1", "Z1")
    j.assign_household("H2", "Z2")
    j.register("P3", "C1", D(2021, 9, 10))
    j.register("P4", "C1")
    j.register("P3", "C1", D(2021, 9, 11), kind="work_unit")
    j.file_member("P3", "G1", D(2021, 9, 12))
    j.file_member("P4", "G1")
    j.claim_zone("P3", "Z1", D(2021, 10, 1))
    j.claim_zone("P4", "Z2")
    j.attach_member("P3", "B2", date=D(2021, 10, 2))
    j.appoint("B1", "first_secretary", "P1", appointed_by="S1", since=D(2021, 11, 22))
    j.appoint("B1", "secretary", "P4", since=D(2021, 9, 1))
    j.vacate("B1", "secretary", "P4", until=D(2021, 11, 1))  # a past tenure
    for role in Role:
        j.appoint("B1", role, "P3", duty="organization" if role is Role.COMMITTEE_MEMBER else None)
    return j


def three_level() -> Jurisdiction:
    j = Jurisdiction(THREE_LEVEL)
    j.found_org("C1", "community", "爱国社区党委")
    j.found_org("W1", "grid", "东头经济社网格", "C1")
    j.found_org("D1", "member_household", "梁永坚党员户", "W1")
    j.add_person("P1", "梁永坚", status="full", categories=["without_post"])
    j.add_household("H1", location=(0, 0))
    j.assign_household("H1", "D1")
    j.file_member("P1", "W1")
    j.claim_zone("P1", "D1")
    j.appoint("W1", "group_leader", "P1")
    return j


def inline_scheme(name: str | None, branch_level: str | None) -> Callable[[], Jurisdiction]:
    def build() -> Jurisdiction:
        scheme = Scheme(
            ("town", "village", "cooperative", "household"),
            filing_level="cooperative",
            zone_level="household",
            branch_level=branch_level,
            name=name,
        )
        j = Jurisdiction(scheme)
        j.found_org("T1", "town", "西樵镇党委")
        j.found_org("V1", "village", "爱国社区党委", "T1")
        j.found_org("K1", "cooperative", "东头经济社", "V1")
        j.found_org("K1-1", "household", "党员户", "K1", formed=D(2020, 8, 1))
        j.assign_household(j.add_household("H1").household.id, "K1-1")
        return j

    return build


def policy_overrides() -> Jurisdiction:
    j = Jurisdiction()
    defaults = Policy()
    changed = {name: getattr(defaults, name) for name in Policy.names()}
    j.set_policy(
        **{
            name: (not value) if isinstance(value, bool) else value + 1
            for name, value in changed.items()
        }
    )
    j.found_org("S1", "street", "南沙街道党工委")
    return j


BUILDERS: dict[str, Callable[[], Jurisdiction]] = {
    "empty": Jurisdiction,
    "five-level-everything": five_level_everything,
    "three-level": three_level,
    "inline-named": inline_scheme("xiqiao-four", "village"),
    "inline-bare": inline_scheme(None, None),
    "inline-named-like-a-preset": inline_scheme("five-level", None),
    "policy-overrides": policy_overrides,
}


# -- (a) the schema itself -------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://gridgov.invalid/schemas/document-1.json"
    assert schema["title"]
    assert schema["description"]


def test_json_schema_reads_the_packaged_file(schema: dict[str, Any]) -> None:
    path = Path(__file__).resolve().parents[1] / "src/gridgov/schemas/document.schema.json"
    assert schema == json.loads(path.read_text("utf-8"))
    assert json_schema() is not json_schema()  # a fresh copy each time: callers may mutate it


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def test_every_property_and_definition_has_a_description(schema: dict[str, Any]) -> None:
    missing = [
        f"{path}/{name}"
        for path, node in _walk(schema)
        if isinstance(node, dict) and path.endswith("/properties")
        for name, sub in node.items()
        if "description" not in sub and "/allOf/" not in path  # conditions only narrow
    ]
    missing += [f"#/$defs/{name}" for name, d in schema["$defs"].items() if "description" not in d]
    assert missing == []


# -- (b) what dump writes validates ----------------------------------------------------


@pytest.mark.parametrize("name", list(BUILDERS))
def test_dumped_documents_validate(name: str, validator: Any) -> None:
    j = BUILDERS[name]()
    doc = dump(j)
    assert errors(validator, doc) == []
    assert load(doc) == j
    # and so does the same document after a trip through JSON text
    assert errors(validator, json.loads(json.dumps(doc, ensure_ascii=False))) == []


def test_the_full_document_uses_every_top_level_key(schema: dict[str, Any]) -> None:
    assert list(dump(five_level_everything())) == list(schema["properties"])


def test_the_full_document_uses_every_optional_field() -> None:
    doc = dump(five_level_everything())
    used: dict[str, set[str]] = {}
    for key in (
        "organizations",
        "people",
        "households",
        "cooperatives",
        "registrations",
        "filings",
        "claims",
        "posts",
        "attachments",
        "tenures",
    ):
        used[key] = {k for item in doc[key] for k in item}
    used["party"] = {k for p in doc["people"] if "party" in p for k in p["party"]}
    expected = {
        "organizations": _fields(Organization) | {"households"},
        "people": _fields(Person),
        "households": _fields(Household),
        "cooperatives": _fields(Cooperative),
        "registrations": _fields(Registration),
        "filings": _fields(Filing),
        "claims": _fields(Claim),
        "posts": _fields(Post) - {"until"},
        "attachments": _fields(Attachment),
        "tenures": _fields(Post) - {"duty", "appointed_by"},
        "party": _fields(PartyMembership),
    }
    assert used == expected
    assert isinstance(doc["scheme"], str)
    assert {o.get("kind") for o in doc["organizations"]} >= {k.value for k in OrgKind}


def _fields(cls: type) -> set[str]:
    return set(attrs.fields_dict(cls)) - {"extensions"}


def test_documents_with_nulls_parse_accepts_validate(validator: Any) -> None:
    doc = {
        "gridgov": "1",
        "as_of": None,
        "organizations": [
            {
                "id": "S1",
                "level": "street",
                "name": "",
                "parent": None,
                "kind": None,
                "cooperative": None,
                "formed": None,
                "term_start": None,
                "ends": None,
                "units": [],
                "households": [],
            },
        ],
        "people": [
            {"id": "P1", "name": "n", "party": None, "household": None},
            {
                "id": "P2",
                "name": "n",
                "party": {"status": "full", "affiliation": None, "joined": None, "categories": []},
            },
        ],
        "households": [{"id": "H1", "building": None, "address": None, "location": None}],
        "cooperatives": [
            {"id": "E1", "name": "n", "community": None, "head": None, "branch_secretary": None}
        ],
        "registrations": None,
        "filings": None,
        "claims": None,
        "posts": [
            {
                "org": "S1",
                "role": "secretary",
                "holder": "P2",
                "appointed_by": None,
                "since": None,
                "duty": None,
            }
        ],
    }
    parse(doc)
    assert errors(validator, doc) == []


# -- (c) the examples validate ---------------------------------------------------------


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates(path: Path, validator: Any) -> None:
    assert errors(validator, json.loads(path.read_text("utf-8"))) == []


# -- (d) malformed documents: parse and the schema both reject them ----------------------


def _base() -> dict[str, Any]:
    return dump(five_level_everything())


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set the value at a dotted path (list indexes as numbers) in a document."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return change


def _org(doc: dict[str, Any], org_id: str) -> int:
    return next(i for i, o in enumerate(doc["organizations"]) if o["id"] == org_id)


MALFORMED: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown top-level key": _set("version", "1"),
    "format version 2": _set("gridgov", "2"),
    "format version as a number": _set("gridgov", 1),
    "no format version": _delete("gridgov"),
    "unknown preset": _set("scheme", "nine-level"),
    "scheme null": _set("scheme", None),
    "inline scheme of one level": _set(
        "scheme", {"levels": ["street"], "filing_level": "street", "zone_level": "street"}
    ),
    "inline scheme with repeated levels": _set(
        "scheme", {"levels": ["a", "a"], "filing_level": "a", "zone_level": "a"}
    ),
    "inline scheme without zone level": _set("scheme", {"levels": ["a", "b"], "filing_level": "b"}),
    "inline scheme with an unknown key": _set(
        "scheme", {"levels": ["a", "b"], "filing_level": "b", "zone_level": "b", "top": "a"}
    ),
    "inline scheme name null": _set(
        "scheme", {"name": None, "levels": ["a", "b"], "filing_level": "b", "zone_level": "b"}
    ),
    "as_of not a date": _set("as_of", "22/11/2021"),
    "as_of impossible date": _set("as_of", "2021-02-30"),
    "as_of a number": _set("as_of", 20211122),
    "policy null": _set("policy", None),
    "unknown policy setting": _set("policy", {"max_branch_size": 60}),
    "negative policy setting": _set("policy", {"max_branch_members": -1}),
    "policy setting a string": _set("policy", {"max_branch_members": "60"}),
    "policy setting a boolean": _set("policy", {"max_branch_members": True}),
    "organizations not a list": _set("organizations", {"S1": {}}),
    "organization not an object": _set("organizations.0", "S1"),
    "unknown organization key": _set("organizations.0.secretary", "P1"),
    "organization without a name": _delete("organizations.0.name"),
    "organization name a number": _set("organizations.0.name", 7),
    "empty id": _set("organizations.0.id", ""),
    "id too long": _set("organizations.0.id", "S" * 201),
    "id a number": _set("organizations.0.id", 1),
    "level not in the five-level scheme": _set("organizations.0.level", "town"),
    "three-level level in the five-level scheme": _set("organizations.0.level", "grid"),
    "unknown kind": _set("organizations.1.kind", "council"),
    "units null": _set("organizations.1.units", None),
    "units a string": _set("organizations.1.units", "A商铺"),
    "empty unit": _set("organizations.1.units", [""]),
    "households on a community": _set("organizations.1.households", ["H9"]),
    "households null": _set("organizations.1.households", None),
    "formed not a date": _set("organizations.1.formed", "2021-9-1"),
    "person without a name": _delete("people.0.name"),
    "unknown person key": _set("people.0.phone", "110"),
    "party without status": _set("people.0.party", {"categories": ["sunk"]}),
    "unknown status": _set("people.0.party.status", "candidate"),
    "unknown category": _set("people.0.party.categories", ["hero"]),
    "categories a string": _set("people.0.party.categories", "sunk"),
    "categories null": _set("people.0.party.categories", None),
    "unknown party key": _set("people.0.party.branch", "B1"),
    "empty affiliation": _set("people.0.party.affiliation", ""),
    "party a string": _set("people.0.party", "full"),
    "location of three numbers": _set("households.0.location", [1, 2, 3]),
    "location of one number": _set("households.0.location", [1]),
    "location with a string": _set("households.0.location", ["1", 2]),
    "location with a boolean": _set("households.0.location", [True, 2]),
    "building a number": _set("households.0.building", 3),
    "unknown household key": _set("households.0.floor", 3),
    "cooperative without a name": _delete("cooperatives.0.name"),
    "unknown cooperative key": _set("cooperatives.0.secretary", "P3"),
    "registration without a community": _delete("registrations.0.community"),
    "registration date a number": _set("registrations.0.date", 2021),
    "filing without an org": _delete("filings.0.org"),
    "unknown filing key": _set("filings.0.group", "G1"),
    "claim without a zone": _delete("claims.0.zone"),
    "unknown role": _set("posts.0.role", "boss"),
    "unknown duty": _set("posts.0.duty", "finance"),
    "post without a holder": _delete("posts.0.holder"),
    "holder a list": _set("posts.0.holder", ["P1"]),
    "unknown post key": _set("posts.0.certificate", "yes"),
    "records list a string": _set("posts", "none"),
    "record null": _set("claims.0", None),
    # bounds (gridgov.limits)
    "id with a line feed": _set("organizations.0.id", "S\n1"),
    "holder with a NUL": _set("posts.0.holder", "P\x001"),
    "name too long": _set("organizations.0.name", "x" * 10_001),
    "date before 1900": _set("as_of", "1899-12-31"),
    "date after 2199": _set("organizations.1.formed", "2200-01-01"),
    "location too far": _set("households.0.location", [1e10, 2]),
    "policy setting over its maximum": _set("policy", {"term_years_other": 101}),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_documents_are_rejected_by_parse_and_by_the_schema(
    name: str, validator: Any
) -> None:
    doc = _base()
    assert [o["id"] for o in doc["organizations"][:2]] == ["S1", "C1"]
    MALFORMED[name](doc)
    with pytest.raises(DocumentError):
        parse(doc)
    assert errors(validator, doc), f"the schema accepts a document with {name}"


@pytest.mark.parametrize(
    ("scheme", "level"),
    [("three-level", "street"), ("three-level", "zone"), ("five-level", "member_household")],
)
def test_levels_of_another_preset_are_rejected(scheme: str, level: str, validator: Any) -> None:
    doc = {
        "gridgov": "1",
        "scheme": scheme,
        "organizations": [{"id": "O1", "level": level, "name": "x"}],
    }
    with pytest.raises(DocumentError):
        parse(doc)
    assert errors(validator, doc)


def test_households_only_on_the_presets_zone_level(validator: Any) -> None:
    doc = dump(three_level())
    assert errors(validator, doc) == []
    doc["organizations"][_org(doc, "W1")]["households"] = ["H2"]
    with pytest.raises(DocumentError):
        parse(doc)
    assert errors(validator, doc)


def test_inline_scheme_levels_are_any_strings(validator: Any) -> None:
    doc = dump(inline_scheme("x", None)())
    assert errors(validator, doc) == []
    assert {o["level"] for o in doc["organizations"]} == {
        "town",
        "village",
        "cooperative",
        "household",
    }


# -- (e) the schema cannot drift from the Python enums and policy ----------------------


@pytest.mark.parametrize(
    ("definition", "enum"),
    [
        ("orgKind", OrgKind),
        ("memberStatus", MemberStatus),
        ("category", Category),
        ("role", Role),
        ("duty", Duty),
    ],
)
def test_schema_enums_equal_python_enums(
    schema: dict[str, Any], definition: str, enum: type[StrEnum]
) -> None:
    values = [m.value for m in enum]
    assert schema["$defs"][definition]["enum"] == values
    optional = schema["$defs"].get("optional" + definition[0].upper() + definition[1:])
    if optional is not None:
        assert optional["enum"] == [*values, None]


def test_schema_presets_equal_the_preset_schemes(schema: dict[str, Any]) -> None:
    scheme = schema["$defs"]["scheme"]
    assert scheme["then"]["enum"] == sorted(SCHEMES)
    assert scheme["else"] == {"$ref": "#/$defs/inlineScheme"}
    inline_keys = set(schema["$defs"]["inlineScheme"]["properties"])
    assert inline_keys == {"name", "levels", "filing_level", "zone_level", "branch_level"}
    conditions = schema["allOf"]
    assert len(conditions) == len(SCHEMES)
    for name, condition in zip(sorted(SCHEMES), conditions, strict=True):
        items = condition["then"]["properties"]["organizations"]["items"]
        assert items["properties"]["level"]["enum"] == list(SCHEMES[name].levels)
        assert items["if"]["properties"]["level"] == {"not": {"const": SCHEMES[name].zone_level}}
        assert name in json.dumps(condition["if"])


def test_schema_format_version(schema: dict[str, Any]) -> None:
    assert schema["properties"]["gridgov"]["const"] == FORMAT_VERSION
    assert schema["required"] == ["gridgov"]


def test_policy_properties_equal_policy_names(schema: dict[str, Any]) -> None:
    properties = schema["$defs"]["policy"]["properties"]
    assert list(properties) == list(Policy.names())
    defaults = Policy()
    declared = {s.name: s for s in BUILTIN_SETTINGS}
    for name, prop in properties.items():
        default = getattr(defaults, name)
        assert prop["default"] == default == declared[name].default
        if declared[name].kind == "boolean":
            assert prop["type"] == "boolean"
            assert f"Default {str(default).lower()}." in prop["description"]
            continue
        assert prop["type"] == "integer"
        assert prop["minimum"] == declared[name].minimum
        assert prop["maximum"] == declared[name].maximum
        assert f"Default {default}." in prop["description"]


def test_the_schema_lists_the_settings_plugins_contribute() -> None:
    pm = plugins.new_plugin_manager(autoload=False)

    class Contributes:
        @gridgov.hookimpl
        def gridgov_policy_defaults(self) -> dict[str, object]:
            return {
                "xx_min": gridgov.Setting("xx_min", 2, minimum=0, maximum=9, doc="at least"),
                "xx_strict": False,
                "xx_mode": gridgov.Setting("xx_mode", "a", choices=("a", "b")),
            }

    pm.register(Contributes(), "xx")
    plugins.reset(pm)
    try:
        props = json_schema()["$defs"]["policy"]["properties"]
    finally:
        plugins.reset()
    assert props["xx_min"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 9,
        "default": 2,
        "description": "at least (a setting of the plugin 'xx'). Default 2.",
    }
    assert props["xx_strict"]["type"] == "boolean"
    assert props["xx_mode"]["enum"] == ["a", "b"]
    assert list(props)[: len(Policy.names())] == list(Policy.names())
    assert "xx_min" not in json_schema(plugins=False)["$defs"]["policy"]["properties"]


@pytest.mark.parametrize(
    ("definition", "cls", "extra"),
    [
        ("organization", Organization, {"households"}),
        ("person", Person, set()),
        ("partyMembership", PartyMembership, set()),
        ("household", Household, set()),
        ("cooperative", Cooperative, set()),
        ("registration", Registration, set()),
        ("filing", Filing, set()),
        ("claim", Claim, set()),
        ("post", Post, set()),
    ],
)
def test_record_properties_equal_the_value_classes(
    schema: dict[str, Any], definition: str, cls: type, extra: set[str]
) -> None:
    record = schema["$defs"][definition]
    fields = [f for f in attrs.fields(cls) if f.name != "extensions"]
    assert list(record["properties"]) == [f.name for f in fields] + sorted(extra)
    assert record["required"] == [f.name for f in fields if f.default is attrs.NOTHING]
    assert record["additionalProperties"] is False
    has_extensions = "extensions" in attrs.fields_dict(cls)
    assert ("patternProperties" in record) is has_extensions
    if has_extensions:
        assert list(record["patternProperties"]) == [
            "^x-[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]{1,198}$"
        ]
