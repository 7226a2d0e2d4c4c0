"""``gridgov validate``, ``gridgov rules`` and ``gridgov rule``, through the installed command.

The tests run the ``gridgov`` entry point installed next to the interpreter in a
subprocess, as a user would: exit status 0 (clean), 1 (findings at or above
``--fail-on``) or 2 (unreadable input or a bad option: one line on stderr, no traceback).
Variations of one behaviour (more selections, more bad values) run ``gridgov.cli.main``
in-process, which is the same code without the interpreter start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gridgov.cli import main
from gridgov.rules import builtin_registry

GRIDGOV = Path(sys.executable).parent / "gridgov"

Doc = dict[str, Any]


def _clean() -> Doc:
    """A street committee with its secretary, a community with its own: no findings."""
    return {
        "gridgov": "1",
        "scheme": "five-level",
        "as_of": "2021-11-22",
        "organizations": [
            {"id": "S1", "level": "street", "name": "均禾街党工委", "term_start": "2020-01-01"},
            {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
        ],
        "people": [
            {"id": "PS", "name": "街道书记", "party": {"status": "full"}},
            {"id": "PC", "name": "联社书记", "party": {"status": "full"}},
        ],
        "posts": [
            {"org": "S1", "role": "secretary", "holder": "PS"},
            {"org": "C1", "role": "secretary", "holder": "PC"},
        ],
    }


def _broken() -> Doc:
    """Four problems: GG101, GG105, GG206 and (a warning) GG207."""
    doc = _clean()
    doc["organizations"][0]["term_start"] = "2015-01-01"  # GG207 [W]
    doc["posts"].pop()  # GG206: C1 has no secretary
    doc["people"].append({"id": "PS", "name": "重名"})  # GG105
    doc["filings"] = [{"person": "P99", "org": "G1"}]  # GG101
    return doc


def _warnings_only() -> Doc:
    doc = _clean()
    doc["organizations"][0]["term_start"] = "2015-01-01"  # GG207 [W]
    return doc


def gridgov(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GRIDGOV), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def gridgov_here(
    *args: str, cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run ``gridgov.cli.main`` in this process (for the many small variations)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, doc in (("clean", _clean()), ("broken", _broken()), ("warn", _warnings_only())):
        (tmp_path / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (tmp_path / "malformed.json").write_text('{"gridgov": "1", ', "utf-8")
    (tmp_path / "invalid.json").write_text('{"gridgov": "1", "streets": []}', "utf-8")
    return tmp_path


def _one_error_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_the_command_is_installed() -> None:
    assert GRIDGOV.exists(), GRIDGOV


# -- gridgov validate ----------------------------------------------------------------------------


def test_a_broken_document_prints_every_problem_and_exits_1(files: Path) -> None:
    result = gridgov("validate", "broken.json", cwd=files)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["GG101", "GG105", "GG206", "GG207"]
    assert all(line.startswith("broken.json: GG") for line in lines[:-1])
    assert "broken.json: GG101 [E] filing of 'P99': unknown person 'P99' (P99, G1)" in lines
    assert "broken.json: GG207 [W] " in lines[3]
    assert lines[-1] == "checked 1 file: 3 errors, 1 warning"


def test_a_clean_document_exits_0(files: Path) -> None:
    result = gridgov("validate", "clean.json", cwd=files)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "checked 1 file: no findings\n",
        "",
    )


def test_fail_on(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gridgov("validate", "warn.json", cwd=files).returncode == 0
    result = gridgov("validate", "warn.json", "--fail-on", "warning", cwd=files)
    assert result.returncode == 1
    assert "GG207 [W]" in result.stdout
    here = {"cwd": files, "capsys": capsys, "monkeypatch": monkeypatch}
    assert gridgov_here("validate", "warn.json", "--fail-on", "error", **here)[0] == 0
    assert gridgov_here("validate", "warn.json", "--fail-on", "info", **here)[0] == 1
    assert gridgov_here("validate", "clean.json", "--fail-on", "info", **here)[0] == 0


def test_several_files(files: Path) -> None:
    result = gridgov("validate", "clean.json", "broken.json", "warn.json", cwd=files)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "checked 3 files: 3 errors, 2 warnings"
    assert "clean.json" not in result.stdout
    assert "warn.json: GG207" in result.stdout


def test_select_and_ignore(files: Path) -> None:
    result = gridgov("validate", "broken.json", "--select", "GG2", cwd=files)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["GG206", "GG207"]
    assert result.returncode == 1
    result = gridgov("validate", "broken.json", "--ignore", "GG1,GG206", cwd=files)
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["GG207"]
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        (["--select", "GG101,GG207"], ["GG101", "GG207"]),
        (["--select", "GG101", "--select", "GG105"], ["GG101", "GG105"]),
        (["--ignore", "GG1"], ["GG206", "GG207"]),
        (["--select", "GG2", "--ignore", "GG206"], ["GG207"]),
        (["--select", "gg105"], ["GG105"]),
        (["--select", "GG2", "--ignore", "GG"], ["GG206", "GG207"]),
    ],
)
def test_select_and_ignore_variations(
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    codes: list[str],
) -> None:
    status, out, _ = gridgov_here(
        "validate", "broken.json", *options, cwd=files, capsys=capsys, monkeypatch=monkeypatch
    )
    assert [line.split()[1] for line in out.splitlines()[:-1]] == codes
    assert status == (1 if any(c != "GG207" for c in codes) else 0)


def test_severity_overrides(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = gridgov("validate", "warn.json", "--severity", "GG207=error", cwd=files)
    assert result.returncode == 1
    assert "GG207 [E]" in result.stdout
    here = {"cwd": files, "capsys": capsys, "monkeypatch": monkeypatch}
    status, out, _ = gridgov_here(
        "validate", "broken.json", "--severity", "GG206=info", "--severity", "gg101=W", **here
    )
    assert "GG206 [I]" in out
    assert "GG101 [W]" in out
    assert status == 1  # GG105 is still an error
    status, _, _ = gridgov_here(
        "validate", "broken.json", "--select", "GG206", "--severity", "GG206=warning", **here
    )
    assert status == 0


def test_policy_file(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (files / "gridgov.toml").write_text(
        'ignore = ["GG105"]\n[policy]\nterm_years_other = 10\n[severity]\nGG206 = "warning"\n',
        "utf-8",
    )
    result = gridgov("validate", "broken.json", "--policy", "gridgov.toml", cwd=files)
    assert [line.split()[1:3] for line in result.stdout.splitlines()[:-1]] == [
        ["GG101", "[E]"],
        ["GG206", "[W]"],
    ]
    assert result.returncode == 1
    here = {"cwd": files, "capsys": capsys, "monkeypatch": monkeypatch}
    assert gridgov_here("validate", "warn.json", "--policy", "gridgov.toml", **here)[0] == 0
    # the command line adds to the file's selection and overrides its severities
    _, out, _ = gridgov_here(
        "validate",
        "broken.json",
        "--policy",
        "gridgov.toml",
        "--ignore",
        "GG101",
        "--severity",
        "GG206=error",
        **here,
    )
    assert [line.split()[1:3] for line in out.splitlines()[:-1]] == [["GG206", "[E]"]]


def test_policy_from_pyproject(files: Path) -> None:
    (files / "pyproject.toml").write_text(
        '[project]\nname = "host"\n[tool.gridgov.policy]\nterm_years_other = 10\n', "utf-8"
    )
    result = gridgov(
        "validate", "warn.json", "--policy", "pyproject.toml", "--fail-on", "warning", cwd=files
    )
    assert (result.returncode, result.stdout) == (0, "checked 1 file: no findings\n")


def test_format_json(files: Path) -> None:
    result = gridgov("validate", "broken.json", "clean.json", "--format", "json", cwd=files)
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [r["code"] for r in records] == ["GG101", "GG105", "GG206", "GG207"]
    first = records[0]
    assert first == {
        "file": "broken.json",
        "code": "GG101",
        "severity": "error",
        "message": "filing of 'P99': unknown person 'P99'",
        "ids": ["P99", "G1"],
        "hint": first["hint"],
        "path": "filings[0].person",
    }
    assert first["hint"]
    clean = gridgov("validate", "clean.json", "--format", "json", cwd=files)
    assert (clean.returncode, json.loads(clean.stdout)) == (0, [])


def test_format_github(files: Path) -> None:
    result = gridgov("validate", "broken.json", "--format", "github", cwd=files)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("::error file=broken.json,title=GG101 at filings[0].person::")
    assert lines[3].startswith(
        "::warning file=broken.json,title=GG207 at organizations[0].term_start::"
    )
    assert "checked" not in result.stdout


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--select", "GG9"], "GG9"),
        (["--severity", "GG202"], "GG202"),
        (["--policy", "no-such.toml"], "no-such.toml"),
    ],
)
def test_a_bad_option_exits_2_with_one_line(files: Path, options: list[str], fragment: str) -> None:
    result = gridgov("validate", "clean.json", *options, cwd=files)
    _one_error_line(result, fragment)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--ignore", "XX"], "XX"),
        (["--select", "GG2,GG9"], "GG9"),
        (["--severity", "GG202=fatal"], "fatal"),
        (["--severity", "GG999=error"], "GG999"),
        (["--fail-on", "fatal"], "fatal"),
        (["--format", "xml"], "xml"),
        (["--unknown-option"], "--unknown-option"),
    ],
)
def test_more_bad_options(
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    fragment: str,
) -> None:
    status, out, err = gridgov_here(
        "validate", "clean.json", *options, cwd=files, capsys=capsys, monkeypatch=monkeypatch
    )
    assert (status, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert fragment in err


def test_a_bad_policy_file_exits_2_with_one_line(files: Path) -> None:
    (files / "gridgov.toml").write_text("[policy]\nmax_branch_size = 60\n", "utf-8")
    _one_error_line(
        gridgov("validate", "clean.json", "--policy", "gridgov.toml", cwd=files), "max_branch_size"
    )
    (files / "gridgov.toml").write_text("[policy\n", "utf-8")
    _one_error_line(
        gridgov("validate", "clean.json", "--policy", "gridgov.toml", cwd=files), "TOML"
    )


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("missing.json", "no such file"),
        ("malformed.json", "not valid JSON"),
        ("invalid.json", "streets"),
    ],
)
def test_an_unreadable_file_exits_2_with_one_line(files: Path, name: str, fragment: str) -> None:
    result = gridgov("validate", name, cwd=files)
    line = _one_error_line(result, name, fragment)
    assert line.startswith("gridgov: error: ")


def test_an_unreadable_file_does_not_stop_the_others(files: Path) -> None:
    result = gridgov("validate", "missing.json", "broken.json", cwd=files)
    _one_error_line(result, "missing.json")
    assert "broken.json: GG101" in result.stdout
    assert result.stdout.splitlines()[-1] == "checked 1 file (1 unreadable): 3 errors, 1 warning"


def test_validate_needs_a_file(files: Path) -> None:
    _one_error_line(gridgov("validate", cwd=files), "FILE")


# -- gridgov rules / gridgov rule --------------------------------------------------------------------


def test_rules_lists_every_code(tmp_path: Path) -> None:
    result = gridgov("rules", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    registry = builtin_registry()
    assert [line.split()[0] for line in lines] == list(registry)
    for line, rule in zip(lines, registry.values(), strict=True):
        assert line.split()[1] == rule.severity.letter
        assert rule.name in line
        assert line.endswith(rule.summary)


def test_rules_as_json_and_markdown(tmp_path: Path) -> None:
    data = json.loads(gridgov("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [r["code"] for r in data] == list(builtin_registry())
    assert data[0] == {
        "code": "GG101",
        "name": "unknown-reference",
        "severity": "error",
        "summary": "a reference names no known id",
    }
    markdown = gridgov("rules", "--format", "markdown", cwd=tmp_path).stdout
    assert markdown.startswith("# Rules")
    assert "| [GG312](GG312.md) |" in markdown


@pytest.mark.parametrize("code", ["GG301", " gg301 "])
def test_rule_explains_the_first_secretary_rule(tmp_path: Path, code: str) -> None:
    result = gridgov("rule", code, cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout  # piped: plain text, the Markdown marks stripped
    assert out.startswith("GG301 grid-branch-first-secretary\n=================================\n")
    for section in ("What it does\n---", "Why it matters\n---", "Example\n---", "Fix\n---"):
        assert section in out
    assert "#" not in out
    assert "**" not in out
    assert "first secretary" in out
    assert "street committee" in out
    assert "第一书记" in out


def test_rule_with_an_unknown_code_exits_2(tmp_path: Path) -> None:
    result = gridgov("rule", "GG999", cwd=tmp_path)
    _one_error_line(result, "GG999")
    assert result.stdout == ""


def test_a_document_that_does_not_fit_the_format_lists_every_problem(files: Path) -> None:
    doc = json.loads((files / "clean.json").read_text("utf-8"))
    doc["as_of"] = "2021-02-30"
    doc["organizations"][1]["id"] = 5
    doc["people"][0]["nickname"] = "x"
    (files / "typed.json").write_text(json.dumps(doc), "utf-8")
    result = gridgov("validate", "typed.json", cwd=files)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "gridgov: error: typed.json: as_of: is not a valid date (got '2021-02-30')",
        "gridgov: error: typed.json: organizations[1].id: must be a string (got 5)",
        "gridgov: error: typed.json: people[0]: unknown key nickname",
    ]
    assert result.stdout == ""  # nothing was checked: no summary of nothing
