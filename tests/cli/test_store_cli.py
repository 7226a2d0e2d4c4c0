"""The store commands: ``--store URL`` before the command; import, export, log; validate
and show without FILE read the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridgov.cli import main
from gridgov.io import load, save
from gridgov.model import Jurisdiction

GRIDGOV = Path(sys.executable).parent / "gridgov"


@pytest.fixture(autouse=True)
def _in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRIDGOV_STORE", raising=False)


@pytest.fixture
def document(tmp_path: Path, five_level: Jurisdiction) -> Path:
    path = tmp_path / "street.json"
    save(five_level, path)
    return path


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


def test_import_then_export_round_trips_through_the_default_store(
    tmp_path: Path, document: Path, five_level: Jurisdiction
) -> None:
    imported = gridgov("import", str(document))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported ")
    assert f"as stream 'S1' of sqlite:///gridgov.db: {five_level.version} events" in imported.stdout
    assert (tmp_path / "gridgov.db").exists()  # the default store, in the current folder
    exported = gridgov("export")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == json.loads(document.read_text("utf-8"))


def test_the_store_option_and_the_environment(
    tmp_path: Path, document: Path, five_level: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    assert main(["--store", url, "import", str(document), "--stream", "junhe"]) == 0
    assert main(["--store", url, "export", "--out", "out.json"]) == 0
    assert load(tmp_path / "out.json") == five_level
    assert not (tmp_path / "gridgov.db").exists()
    capsys.readouterr()
    os.environ["GRIDGOV_STORE"] = url
    try:
        assert main(["log", "--limit", "1"]) == 0
    finally:
        del os.environ["GRIDGOV_STORE"]
    assert "junhe  v1" in capsys.readouterr().out


def test_import_refuses_an_existing_stream_unless_replacing(
    document: Path, five_level: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(document), "--actor", "admin"]) == 0
    assert main(["import", str(document)]) == 2
    assert "already holds" in capsys.readouterr().err
    changed = five_level.copy()
    changed.transfer_member("P4", "G1")
    save(changed, document)
    assert main(["import", str(document), "--replace"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("replaced ")
    assert "1 event " in out
    assert main(["import", str(document), "--replace"]) == 0
    assert "no change" in capsys.readouterr().out
    assert main(["export", "--out", "back.json"]) == 0
    assert load("back.json") == changed


def test_log_lists_positions_versions_times_and_actors(
    document: Path, five_level: Jurisdiction, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(document), "--actor", "admin"]) == 0
    capsys.readouterr()
    assert main(["log", "--stream", "S1", "--after", "2", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    position, stream, version, time, actor, topic = lines[0].split()
    assert (position, stream, version, actor) == ("3", "S1", "v3", "admin")
    assert time.endswith("+00:00")
    assert topic == type(load(document).log[2]).__name__
    assert main(["log", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == five_level.version
    assert entries[0]["payload"]
    assert entries[0]["recorded_at"].endswith("+00:00")
    assert main(["log", "--stream", "S9"]) == 0
    assert capsys.readouterr().out == ""


def test_validate_and_show_read_the_store_without_a_file(
    document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(document)]) == 0
    capsys.readouterr()
    from_store = main(["validate", "--format", "json"])
    records = json.loads(capsys.readouterr().out)
    from_file = main(["validate", "--format", "json", str(document)])
    file_records = json.loads(capsys.readouterr().out)
    assert from_store == from_file == 1
    assert [r["code"] for r in records] == [r["code"] for r in file_records]
    assert {r["file"] for r in records} == {"S1"}
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("checked 1 jurisdiction: ")
    assert main(["show", "--stream", "S1"]) == 0
    assert capsys.readouterr().out.startswith("S1: five-level jurisdiction")
    assert main(["show", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["stream"] == "S1"


def test_a_store_with_several_streams_needs_one_named(
    document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(document)]) == 0
    assert main(["import", str(document), "--stream", "S1-copy"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 2
    assert (
        "holds 2 jurisdictions (S1, S1-copy); choose one with --stream" in capsys.readouterr().err
    )
    assert main(["show", "--stream", "S1-copy"]) == 0
    assert main(["export", "--stream", "S2"]) == 2
    assert "holds no stream 'S2'" in capsys.readouterr().err


def test_an_empty_or_missing_store_is_one_error(tmp_path: Path) -> None:
    line = one_error(gridgov("export"))
    assert line == (
        "gridgov: error: sqlite:///gridgov.db: holds no jurisdiction; import one with "
        "gridgov import FILE"
    )
    assert not (tmp_path / "gridgov.db").exists()  # reading created nothing
    one_error(gridgov("validate"))
    one_error(gridgov("show"))


def test_a_bad_url_or_a_missing_server_is_one_line_and_exit_2() -> None:
    assert "no plugin opens this URL" in one_error(gridgov("--store", "mongodb://h/db", "log"))
    line = one_error(
        gridgov("--store", "postgresql+psycopg://gridgov:secret@127.0.0.1:1/test", "log")
    )
    assert "postgresql+psycopg://gridgov:***@127.0.0.1:1/test" in line
    assert "secret" not in line
    assert "not a database URL" in one_error(gridgov("--store", "sqlite:/x:y::", "log"))


def test_files_work_as_before_whatever_the_store(document: Path) -> None:
    result = gridgov("show", str(document), env={"GRIDGOV_STORE": "mongodb://unused"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{document}: five-level jurisdiction")


def test_a_document_without_a_single_root_needs_a_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save(Jurisdiction(), tmp_path / "empty.json")
    assert main(["import", "empty.json"]) == 2
    assert "no single root organization" in capsys.readouterr().err
    assert main(["import", "empty.json", "--stream", "blank"]) == 0
    assert "no change (version 0)" in capsys.readouterr().out


def test_the_store_commands_on_postgres(
    postgres_store_url: str, document: Path, five_level: Jurisdiction
) -> None:
    assert main(["--store", postgres_store_url, "import", str(document)]) == 0
    assert main(["--store", postgres_store_url, "export", "--out", "pg.json"]) == 0
    assert load("pg.json") == five_level
    from gridgov.adapters.storage.sql import SQLEventStore

    store = SQLEventStore(postgres_store_url)
    store.drop()
    store.close()
