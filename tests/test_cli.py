"""The ``gridgov`` command, run through its installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridgov import __version__
from gridgov.io import save
from gridgov.model import Jurisdiction


def _script() -> Path:
    bindir = Path(sys.executable).parent
    for name in ("gridgov", "gridgov.exe"):
        candidate = bindir / name
        if candidate.exists():
            return candidate
    pytest.fail(f"the gridgov console script is not installed next to {sys.executable}")


def run(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run(
        [str(_script()), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.fixture
def document(tmp_path: Path, five_level: Jurisdiction) -> Path:
    path = tmp_path / "junhe.json"
    save(five_level, path)
    return path


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"gridgov {__version__}"


def test_show_text(document: Path) -> None:
    result = run("show", document)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert (
        lines[0] == f"{document}: five-level jurisdiction, root S1 均禾街党工委, as of 2021-11-22"
    )
    counts = {line.split()[0]: line.split()[1] for line in lines[2:7]}
    assert counts == {"street": "1", "community": "2", "branch": "2", "group": "3", "zone": "3"}
    assert "people: 6 (5 Party members: 4 full, 1 probationary)" in lines
    assert "  S1 均禾街党工委 [street] 3" in lines


def test_show_json(document: Path) -> None:
    result = run("show", document, "--format", "json", "--top", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == str(document)
    assert data["levels"] == {"street": 1, "community": 2, "branch": 2, "group": 3, "zone": 3}
    assert (data["people"], data["members"], data["filed"], data["claims"]) == (6, 5, 3, 3)
    assert data["posts"]["grid_leader"] == 2
    assert [line["id"] for line in data["top"]] == ["S1", "C1"]


def test_show_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"gridgov": "1", "organizations": [', encoding="utf-8")
    line = _one_error_line(run("show", bad))
    assert line.startswith(f"gridgov: error: {bad}: not valid JSON")


def test_show_broken_document(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text(
        json.dumps(
            {
                "gridgov": "1",
                "organizations": [{"id": "C1", "level": "community", "name": "x", "parent": "S9"}],
                "people": [{"id": "P1"}],
            }
        ),
        encoding="utf-8",
    )
    line = _one_error_line(run("show", bad))
    assert line == f"gridgov: error: {bad}: people[0].name: is required"


def test_show_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    line = _one_error_line(run("show", missing))
    assert line == f"gridgov: error: {missing}: no such file"


def test_bad_usage() -> None:
    result = run("show", "--format", "yaml", "x.json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice: 'yaml'" in result.stderr
    result = run()
    assert result.returncode == 2
    assert "a command is required" in result.stderr


def test_schema() -> None:
    result = run("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert isinstance(schema, dict)
    assert "$schema" in schema


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "junhe.json",
            [
                "five-level jurisdiction, root S1 均禾街党工委",
                "street            1",
                "community         2",
                "branch            5",
                "group             7",
                "zone             14",
                "people: 42 (37 Party members: 35 full, 2 probationary)",
                "members filed: 31 of 37 (6 not filed in a grid: cadres, teams); "
                "registered at residence: 31",
                "zones claimed: 14 of 14",
            ],
        ),
        (
            "xiqiao-aiguo.json",
            [
                "three-level jurisdiction, root C1 爱国社区党委",
                "community                1",
                "grid                     5",
                "member_household        13",
                "people: 35 (32 Party members: 30 full, 2 probationary)",
                "members filed: 32",
                "zones claimed: 13 of 13",
            ],
        ),
    ],
)
def test_show_prints_the_counts_of_each_example(name: str, expected: list[str]) -> None:
    result = run("show", EXAMPLES / name)
    assert result.returncode == 0, result.stderr
    for line in expected:
        assert line in result.stdout, line


def test_show_json_of_an_example_counts_levels() -> None:
    result = run("show", EXAMPLES / "junhe.json", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"].endswith("junhe.json")
    assert data["levels"] == {"street": 1, "community": 2, "branch": 5, "group": 7, "zone": 14}
    assert (data["people"], data["members"], data["filed"]) == (42, 37, 31)
