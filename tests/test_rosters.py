"""Rosters in and out: tables of a jurisdiction as CSV and Excel, a roster read back."""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from gridgov.errors import InvalidValueError, UnknownReferenceError
from gridgov.io import dump, dumps, load
from gridgov.model import Jurisdiction
from gridgov.rosters import (
    DERIVED,
    HEADERS,
    MAX_ROW_PROBLEMS,
    Pseudonymiser,
    RosterError,
    Table,
    export_table,
    from_csv,
    import_members,
    read_table,
    table,
    to_csv,
    write_table,
)

JUNHE = Path(__file__).parent.parent / "examples" / "junhe.json"


@pytest.fixture
def junhe() -> Jurisdiction:
    return load(JUNHE)


def skeleton(j: Jurisdiction) -> Jurisdiction:
    """`j` without its Party members and everything that hangs on them."""
    doc: dict[str, Any] = copy.deepcopy(dump(j))
    members = {p["id"] for p in doc["people"] if "party" in p}
    doc["people"] = [p for p in doc["people"] if p["id"] not in members]
    for key in ("registrations", "filings", "claims", "attachments"):
        doc[key] = [r for r in doc.get(key, []) if r["person"] not in members]
    doc["posts"] = [p for p in doc.get("posts", []) if p["holder"] not in members]
    for coop in doc.get("cooperatives", []):
        for role in ("head", "branch_secretary"):
            if coop.get(role) in members:
                del coop[role]
    return load(doc)


def importable(t: Table) -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if k not in DERIVED} for r in t.records()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_members_round_trip_into_a_jurisdiction_without_them(
    tmp_path: Path, junhe: Jurisdiction, fmt: str, lang: str
) -> None:
    path = tmp_path / f"members.{fmt}"
    written = export_table(junhe, path, "members", headers=lang)
    read = read_table(path)
    assert read == written
    assert read.lang == lang
    bare = skeleton(junhe)
    assert not any(p.is_member for p in bare.people.values())
    outcome = import_members(bare, path)
    assert outcome.added == len(written.rows) == 37
    assert importable(table(bare, "members")) == importable(written)
    assert bare.registrations == junhe.registrations
    assert bare.work_registrations == junhe.work_registrations
    assert bare.filings == junhe.filings


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_unchanged_roster_changes_nothing(
    tmp_path: Path, junhe: Jurisdiction, fmt: str
) -> None:
    path = tmp_path / f"m.{fmt}"
    export_table(junhe, path)
    before = dumps(junhe)
    outcome = import_members(junhe, path)
    assert (outcome.added, outcome.amended, outcome.events) == (0, 0, 0)
    assert outcome.unchanged == 37
    assert dumps(junhe) == before


def test_an_edited_roster_is_what_the_jurisdiction_then_exports(junhe: Jurisdiction) -> None:
    t = table(junhe, "members")
    rows = t.records()
    unclaimed = next(r for r in rows if r["filed_in"] and not r["zones"] and not r["posts"])
    other_group = next(
        g
        for g in junhe.graph.at_level("group")
        if g != unclaimed["filed_in"]
        and junhe.graph.ancestors(g)[-2:] == junhe.graph.ancestors(unclaimed["filed_in"])[-2:]
    )
    unclaimed["filed_in"] = other_group
    unclaimed["categories"] = "employed;retired"
    rows[0]["name"] = rows[0]["name"] + "（改）"
    new = dict.fromkeys(t.columns, "") | {
        "id": "P900",
        "name": "新党员",
        "status": "probationary",
        "filed_in": other_group,
        "registered_at": rows[0]["registered_at"] or "C1",
    }
    rows.append(new)
    edited = Table("members", t.columns, tuple(tuple(r[c] for c in t.columns) for r in rows))
    outcome = import_members(junhe, from_csv(to_csv(edited, headers="zh")))
    assert outcome.added == 1
    assert outcome.amended == 2
    assert importable(table(junhe, "members")) == importable(edited)


def test_bad_rows_are_all_named_and_nothing_is_applied(junhe: Jurisdiction) -> None:
    text = (
        "id,name,status,categories,filed_in,filed_on\n"
        "P900,甲,full,employed,G1,2023-01-01\n"  # good
        "P901,乙,member,,G1,\n"  # row 3: status
        "P902,丙,full,sleeper,G1,\n"  # row 4: categories
        "P903,丁,full,,G99,\n"  # row 5: unknown org
        "P904,戊,full,,B1,\n"  # row 6: not the filing level
        "P905,己,full,,G1,2023-02-30\n"  # row 7: date
        "P900,甲,full,,G1,\n"  # row 8: twice
        ",庚,full,,G1,\n"  # row 9: no id
    )
    before = dumps(junhe)
    version = junhe.version
    with pytest.raises(RosterError) as info:
        import_members(junhe, from_csv(text))
    where = [p.path for p in info.value.problems]
    assert where == [
        "row 3, column status",
        "row 4, column categories",
        "row 5, column filed_in",
        "row 6, column filed_in",
        "row 7, column filed_on",
        "row 8, column id",
        "row 9, column id",
    ]
    assert "'member'" in str(info.value.problems[0])
    assert "G99" in str(info.value.problems[2])
    assert "first in row 2" in str(info.value.problems[5])
    assert dumps(junhe) == before
    assert junhe.version == version
    assert "P900" not in junhe.people


def test_bad_rows_in_a_chinese_file_are_named_by_its_headers(junhe: Jurisdiction) -> None:
    text = "编号,姓名,党员身份\nP900,甲,正式党员\nP901,乙,党员\n"
    with pytest.raises(RosterError) as info:
        import_members(junhe, from_csv(text))
    assert str(info.value).startswith("row 3, column 党员身份: must be one of")


def test_problems_are_bounded(junhe: Jurisdiction) -> None:
    lines = ["id,name,status"] + [f"P{9000 + i},x,bad" for i in range(MAX_ROW_PROBLEMS + 20)]
    with pytest.raises(RosterError) as info:
        import_members(junhe, from_csv("\n".join(lines)))
    problems = info.value.problems
    assert len(problems) == MAX_ROW_PROBLEMS + 1
    assert problems[-1].message == "20 more problems not shown"


def test_a_file_with_an_unknown_column_is_refused_by_its_header(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("id,name,status,shoe_size\nP1,x,full,42\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"row 1, column 4: unknown column 'shoe_size'"):
        read_table(path)


def test_a_roster_without_status_is_refused(junhe: Jurisdiction) -> None:
    with pytest.raises(RosterError, match="row 1, column status: is missing"):
        import_members(junhe, from_csv("id,name\nP900,x\n"))


def test_amending_keeps_the_columns_a_file_leaves_out(junhe: Jurisdiction) -> None:
    before = junhe.people["P3"]
    outcome = import_members(junhe, from_csv(f"id,name,status\nP3,{before.name},probationary\n"))
    assert outcome.amended == 1
    after = junhe.people["P3"]
    assert after.party is not None
    assert before.party is not None
    assert after.party.status == "probationary"
    assert after.party.categories == before.party.categories
    assert after.household == before.household
    assert junhe.filings.get("P3") == load(JUNHE).filings.get("P3")


def test_pseudonyms_are_consistent_across_tables_and_runs(junhe: Jurisdiction) -> None:
    a = Pseudonymiser(b"key")
    members = table(junhe, "members", pseudonymise=a)
    posts = table(junhe, "posts", pseudonymise=a)
    again = table(junhe, "members", pseudonymise=Pseudonymiser(b"key"))
    other = table(junhe, "members", pseudonymise=Pseudonymiser(b"another"))
    assert members == again
    assert members.column("id") != other.column("id")
    real = {p.id for p in junhe.people.values()} | {p.name for p in junhe.people.values()}
    for t in (members, posts):
        cells = {c for row in t.rows for c in row}
        assert not cells & real
    ids = set(members.column("id"))
    assert len(ids) == len(members.rows)
    # the ledger's holders are the roster's pseudonyms, so the two tables still join
    member_holders = set(posts.column("holder")) & ids
    assert member_holders
    back = {alias: real_id for _, alias, real_id, _ in a.mapping}
    assert {back[h] for h in posts.column("holder")} == {
        r["holder"] for r in table(junhe, "posts").records()
    }
    # households are replaced too
    assert all(h.startswith("H-") for h in members.column("household") if h)


def test_the_mapping_is_written_only_when_asked(tmp_path: Path, junhe: Jurisdiction) -> None:
    export_table(junhe, tmp_path / "a.csv", pseudonymise=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
    t = export_table(junhe, tmp_path / "b.csv", pseudonymise=b"k", mapping=tmp_path / "map.csv")
    text = (tmp_path / "map.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["kind", "pseudonym", "id", "name"]
    mapped = {r[1]: (r[2], r[3]) for r in rows[1:]}
    for rec in t.records():
        real_id, real_name = mapped[rec["id"]]
        assert junhe.people[real_id].name == real_name
    assert "P1" not in (tmp_path / "b.csv").read_text(encoding="utf-8-sig").split(",")
    with pytest.raises(InvalidValueError, match="mapping"):
        export_table(junhe, tmp_path / "c.csv", mapping=tmp_path / "m2.csv")
    assert not (tmp_path / "c.csv").exists()


def test_a_scoped_export_holds_only_that_branch(junhe: Jurisdiction) -> None:
    inside = set(junhe.graph.subtree("B1"))
    members = table(junhe, "members", scope="B1")
    assert members.rows
    assert {r["filed_in"] for r in members.records()} <= inside
    assert set(members.column("id")) == set(junhe.members("B1"))
    posts = table(junhe, "posts", scope="B1")
    assert posts.rows
    assert set(posts.column("org")) <= inside
    orgs = table(junhe, "orgs", scope="B1")
    assert set(orgs.column("id")) == inside
    households = table(junhe, "households", scope="B1")
    assert households.rows
    for r in households.records():
        assert r["zone"] in inside or set(r["residents"].split(";")) & set(junhe.members("B1"))
    everything = table(junhe, "households")
    assert len(households.rows) < len(everything.rows)


def test_the_chart_counts_members_and_names_secretaries(junhe: Jurisdiction) -> None:
    orgs = {r["id"]: r for r in table(junhe, "orgs").records()}
    for oid, row in orgs.items():
        assert int(row["members"]) == len(junhe.members(oid))
    secretaries = {org for org, role, _ in junhe.posts if role == "secretary"}
    assert {o for o, r in orgs.items() if r["secretary"]} == secretaries


def test_the_ledger_holds_past_tenures(junhe: Jurisdiction) -> None:
    j = junhe
    sec = next(p for p in j.posts.values() if p.org == "B1" and p.role == "secretary")
    j.vacate("B1", "secretary", sec.holder, until="2022-01-01")
    ledger = table(j, "posts", scope="B1").records()
    past = [r for r in ledger if r["held"] == "past"]
    assert [(r["holder"], r["until"]) for r in past] == [(sec.holder, "2022-01-01")]
    assert to_csv(table(j, "posts", scope="B1"), headers="zh").count("曾任") == 1


def test_cells_excel_would_run_are_kept_as_text(tmp_path: Path) -> None:
    t = Table(
        "orgs",
        ("id", "name", "units"),
        (("S1", "=HYPERLINK(1)", "-3"), ("S2", "'=quoted", "'A"), ("S3", "''", "+")),
    )
    for name in ("t.csv", "t.xlsx"):
        write_table(t, tmp_path / name)
        assert read_table(tmp_path / name) == t
    assert "'=HYPERLINK" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    import openpyxl

    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]["B2"]
    assert cell.data_type == "s"


def test_csv_has_a_bom_unless_told(tmp_path: Path, junhe: Jurisdiction) -> None:
    export_table(junhe, tmp_path / "a.csv")
    export_table(junhe, tmp_path / "b.csv", bom=False)
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "b.csv").read_bytes().startswith(b"id,")
    assert read_table(tmp_path / "a.csv") == read_table(tmp_path / "b.csv")


def test_a_date_typed_into_excel_reads_as_a_date(tmp_path: Path, junhe: Jurisdiction) -> None:
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "status", "filed_in", "filed_on"])
    ws.append(["P900", "新党员", "full", "G1", dt.datetime(2023, 5, 6)])
    wb.save(tmp_path / "typed.xlsx")
    import_members(junhe, tmp_path / "typed.xlsx")
    assert str(junhe.filings["P900"].date) == "2023-05-06"


def test_not_a_workbook_or_not_utf8_is_a_roster_error(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    (tmp_path / "x.csv").write_bytes("id,name\nP1,李四\n".encode("gbk"))
    with pytest.raises(RosterError, match="not an Excel workbook"):
        read_table(tmp_path / "x.xlsx")
    with pytest.raises(RosterError, match="not UTF-8"):
        read_table(tmp_path / "x.csv")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda j: table(j, "people"), "name"),
        (lambda j: table(j, scope="B99"), "scope"),
        (lambda j: table("j"), "j"),  # type: ignore[arg-type]
        (lambda j: to_csv(table(j), headers="fr"), "headers"),
        (lambda j: write_table(table(j), "x.txt"), "path"),
        (lambda j: export_table(j, "x.csv", pseudonymise=3), "pseudonymise"),  # type: ignore[arg-type]
        (lambda j: Pseudonymiser(b""), "key"),
    ],
)
def test_bad_arguments_are_refused_naming_them(
    junhe: Jurisdiction, call: Any, field: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises((InvalidValueError, UnknownReferenceError)) as info:
        call(junhe)
    assert str(info.value).startswith(f"{field}:")
    assert list(tmp_path.iterdir()) == []


def test_headers_are_defined_once_per_table() -> None:
    for name, columns in HEADERS.items():
        keys = [k for k, _ in columns]
        zh = [z for _, z in columns]
        assert len(set(keys)) == len(keys), name
        assert len(set(zh)) == len(zh), name


def test_a_refused_person_names_the_household_or_the_id(junhe: Jurisdiction) -> None:
    text = "id,name,status,household\nP900,x,full,H999\nS1,y,full,\n"
    with pytest.raises(RosterError) as info:
        import_members(junhe, from_csv(text))
    assert [p.path for p in info.value.problems] == ["row 2, column household", "row 3, column id"]


def test_a_pseudonymised_households_table_has_no_address(junhe: Jurisdiction) -> None:
    assert any(table(junhe, "households").column("address"))
    plain = table(junhe, "households", pseudonymise=Pseudonymiser(b"k"))
    assert not any(plain.column("address"))
    assert all(h.startswith("H-") for h in plain.column("id"))
