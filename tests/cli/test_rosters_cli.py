"""``gridgov export --format csv|xlsx``, ``gridgov import`` of a roster, ``gridgov report``,
through the installed entry point."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridgov.io import load
from gridgov.rosters import read_table, table

GRIDGOV = Path(sys.executable).parent / "gridgov"
JUNHE = Path(__file__).parent.parent.parent / "examples" / "junhe.json"


@pytest.fixture(autouse=True)
def _in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRIDGOV_STORE", raising=False)
    monkeypatch.delenv("GRIDGOV_PSEUDONYM_KEY", raising=False)


def gridgov(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GRIDGOV), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        check=False,
        timeout=120,
    )


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("gridgov: error: ")
    return line


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("headers", ["en", "zh"])
def test_export_a_roster_from_a_file(tmp_path: Path, fmt: str, headers: str) -> None:
    out = tmp_path / f"members.{fmt}"
    result = gridgov("export", str(JUNHE), "--out", str(out), "--headers", headers)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}: members table, 37 rows\n"
    assert read_table(out) == table(load(JUNHE), "members")


def test_export_a_table_to_standard_output() -> None:
    result = gridgov("export", str(JUNHE), "--table", "posts", "--scope", "B1", "--headers", "zh")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["组织编号", "组织名称", "职务"]
    assert {r[0] for r in rows[1:]} <= set(load(JUNHE).graph.subtree("B1"))
    assert "第一书记" in {r[2] for r in rows[1:]}


def test_export_from_the_store_then_import_the_roster_back(tmp_path: Path) -> None:
    assert gridgov("import", str(JUNHE)).returncode == 0
    exported = gridgov("export", "--format", "xlsx", "--out", "m.xlsx", "--table", "members")
    assert exported.returncode == 0, exported.stderr
    same = gridgov("import", "m.xlsx")
    assert same.returncode == 0, same.stderr
    assert "0 added, 0 amended, 37 unchanged (0 events)" in same.stdout
    # an edited roster: a new member filed into G1
    text = tmp_path / "new.csv"
    text.write_text("id,name,status,registered_at,filed_in\nP900,新党员,full,C1,G1\n", "utf-8")
    added = gridgov("import", "new.csv", "--stream", "S1")
    assert added.returncode == 0, added.stderr
    assert "1 added, 0 amended, 0 unchanged (3 events)" in added.stdout
    back = gridgov("export", "--out", "after.json")
    assert back.returncode == 0, back.stderr
    j = load(tmp_path / "after.json")
    assert j.filings["P900"].org == "G1"
    assert j.registrations["P900"].community == "C1"


def test_import_a_roster_into_a_document(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("编号,姓名,党员身份,入格组织\nP900,新党员,预备党员,G1\n", encoding="utf-8")
    result = gridgov("import", str(roster), "--into", str(JUNHE), "--out", "new.json")
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    j = load(tmp_path / "new.json")
    assert j.people["P900"].party is not None
    assert j.people["P900"].party.status == "probationary"


def test_bad_rows_are_each_named_and_nothing_is_imported(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_bytes(JUNHE.read_bytes())
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,status,filed_in\nP900,x,full,G1\nP901,y,member,G1\nP902,z,full,G99\n", "utf-8"
    )
    result = gridgov("import", str(bad), "--into", str(doc), "--out", str(doc))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"gridgov: error: {bad}: row 3, column status: must be one of full, probationary "
        "(got 'member')",
        f"gridgov: error: {bad}: row 4, column filed_in: unknown organization 'G99'",
        f"gridgov: error: {bad}: nothing imported",
    ]
    assert doc.read_bytes() == JUNHE.read_bytes()


def test_pseudonymised_export_writes_the_mapping_only_when_asked(tmp_path: Path) -> None:
    env = {"GRIDGOV_PSEUDONYM_KEY": "a secret"}
    a = gridgov("export", str(JUNHE), "--out", "a.csv", "--pseudonymise", env=env)
    b = gridgov("export", str(JUNHE), "--pseudonymise", env=env)
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
    # the same key gives the same pseudonyms (stdout has no BOM)
    assert (tmp_path / "a.csv").read_text("utf-8-sig") == b.stdout
    c = gridgov("export", str(JUNHE), "--out", "c.csv", "--pseudonymise", "--mapping", "map.csv")
    assert c.returncode == 0, c.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "map.csv").read_text("utf-8-sig"))))
    ids = {r[1]: r[2] for r in rows[1:]}
    pseudo = read_table(tmp_path / "c.csv")
    assert {ids[p] for p in pseudo.column("id")} == set(table(load(JUNHE)).column("id"))


def test_a_scoped_export_holds_only_that_branch(tmp_path: Path) -> None:
    result = gridgov("export", str(JUNHE), "--out", "b1.csv", "--scope", "B1")
    assert result.returncode == 0, result.stderr
    t = read_table(tmp_path / "b1.csv")
    assert set(t.column("id")) == set(load(JUNHE).members("B1"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", str(JUNHE), "--format", "json", "--table", "posts"], "--table: needs --format"),
        (["export", str(JUNHE), "--format", "xlsx"], "--out: is needed for xlsx"),
        (
            ["export", str(JUNHE), "--out", "x.csv", "--mapping", "m.csv"],
            "--mapping: needs --pseudonymise",
        ),
        (["export", str(JUNHE), "--out", "x.csv", "--scope", "B99"], "scope: unknown organization"),
        (["export", str(JUNHE), "--stream", "S1"], "--stream: reads the store; not with FILE"),
        (["export", str(JUNHE), "--out", "x.xlsx", "--no-bom"], "--no-bom: is for csv only"),
        (["import", "r.csv", "--into", str(JUNHE)], "--out: --into DOC and --out FILE go together"),
        (["import", "r.csv", "--replace"], "--replace: is for a JSON document"),
        (["import", str(JUNHE), "--into", str(JUNHE)], "--into: is for a roster"),
        (["import", "missing.csv", "--into", str(JUNHE), "--out", "o.json"], "missing.csv"),
        (["report", str(JUNHE), "--out", "r.html", "--community", "B1"], "community: must be"),
        (["report", str(JUNHE), "--out", "no/such/dir/r.html"], "r.html"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "r.csv").write_text("id,name,status\nP900,x,full\n", "utf-8")
    line = one_error(gridgov(*args))
    assert message in line
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_column_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("id,name,status,shoe\nP900,x,full,42\n", "utf-8")
    line = one_error(gridgov("import", "r.csv", "--into", str(JUNHE), "--out", "o.json"))
    assert "row 1, column 4: unknown column 'shoe'" in line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_of_a_file(tmp_path: Path, lang: str) -> None:
    result = gridgov("report", str(JUNHE), "--out", "r.html", "--lang", lang)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "均禾街党工委" in page
    assert ("Counts per level" in page) == (lang == "en")
    assert ("各级组织数量" in page) == (lang == "zh")


def test_report_of_the_store(tmp_path: Path) -> None:
    assert gridgov("import", str(JUNHE)).returncode == 0
    result = gridgov("report", "--out", "r.html", "--community", "C2")
    assert result.returncode == 0, result.stderr
    assert "C2 石马联社党委" in (tmp_path / "r.html").read_text("utf-8")
