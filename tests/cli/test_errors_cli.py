"""The command never crashes on bad input: one line, a status of its own, any terminal.

A ``GridGovError`` is one line on stderr and exit status 2; findings are status 1; an
internal error (a bug) is one line asking for a report and status 70. Output is written
whatever the terminal's encoding: on an ASCII-only terminal what cannot be shown is a
backslash escape, and JSON output is ASCII-escaped, so it stays JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gridgov import cli
from gridgov.cli import EXIT_ERROR, EXIT_INTERNAL, main

GRIDGOV = Path(sys.executable).parent / "gridgov"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def gridgov(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed command (output decoded as UTF-8, whatever it was told to use)."""
    return subprocess.run(
        [str(GRIDGOV), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",  # an ASCII terminal's output is ASCII, hence UTF-8
        cwd=cwd,
        env={**os.environ, "GRIDGOV_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})},
        check=False,
        timeout=300,
    )


ASCII = {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}


def _one_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("gridgov")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# -- an ASCII-only terminal --------------------------------------------------------------------------


def test_show_on_an_ascii_terminal_escapes_the_chinese_names(tmp_path: Path) -> None:
    result = gridgov("show", EXAMPLES / "junhe.json", cwd=tmp_path, env=ASCII)
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    assert "\\u5747\\u79be" in result.stdout  # 均禾


@pytest.mark.parametrize("command", ["show", "validate"])
def test_json_output_on_an_ascii_terminal_is_still_json(tmp_path: Path, command: str) -> None:
    doc = json.loads((EXAMPLES / "junhe.json").read_text("utf-8"))
    doc["people"][0]["name"] = "𠀀邹波"  # beyond the BMP too
    path = tmp_path / "junhe.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = gridgov(command, path, "--format", "json", cwd=tmp_path, env=ASCII)
    assert result.returncode in (0, 1), result.stderr
    assert result.stdout.isascii()
    assert isinstance(json.loads(result.stdout), dict | list)


def test_an_error_naming_chinese_text_on_an_ascii_terminal(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"gridgov": "1", "组织": []}', encoding="utf-8")
    for command in ("show", "validate"):
        result = gridgov(command, path, cwd=tmp_path, env=ASCII)
        assert result.returncode == EXIT_ERROR
        line = _one_line(result, "unknown key")
        assert line.isascii()
        assert "\\u7ec4\\u7ec7" in line


# -- hostile input through the command -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"gridgov": "1", "people": [{"id": "P1", "name": "\\ud800"}]}', "people[0].name"),
        (b'{"gridgov": "1", "policy": {"max_branch_members": ' + b"9" * 5000 + b"}}", "infinite"),
        (b"[" * 1_000_000, "must be a JSON object"),
        (b'{"a":' + b"[" * 1_000_000, "nested too deeply"),
        ("{}".encode("utf-16"), "UTF-16"),
        (b"\x00" * 1000, "NUL bytes"),
    ],
    ids=["surrogate", "long-integer", "brackets", "deep", "utf-16", "nul"],
)
def test_a_hostile_document_is_one_line_and_status_2(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    for command in ("validate", "show"):
        result = gridgov(command, path, cwd=tmp_path)
        assert result.returncode == EXIT_ERROR, result.stderr
        _one_line(result, fragment)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    result = gridgov("validate", "/dev/zero", cwd=tmp_path)
    assert result.returncode == EXIT_ERROR
    _one_line(result, "/dev/zero", "NUL bytes")


def test_max_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junhe = EXAMPLES / "junhe.json"
    assert main(["validate", "--max-bytes", "1k", str(junhe)]) == EXIT_ERROR
    assert "over the limit of 1024" in capsys.readouterr().err
    assert main(["show", "--max-bytes", "64M", str(junhe)]) == 0
    assert main(["show", "--max-bytes", "lots", str(junhe)]) == EXIT_ERROR
    assert "--max-bytes" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("out", "fragment"),
    [("missing/x.json", "does not exist"), (".", "is a directory"), ("a\x00b", "NUL")],
    ids=["missing-folder", "directory", "nul"],
)
def test_an_unwritable_out_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, fragment: str
) -> None:
    pytest.importorskip("scipy")
    target = str(tmp_path / out) if out != "." else str(tmp_path)
    status = main(
        [
            "simulate",
            "--members",
            "30",
            "--households",
            "100",
            "--communities",
            "1",
            "--quiet",
            "--out",
            target,
        ]
    )
    assert status == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "--out" in err[0]
    assert fragment in err[0]


def test_show_top_out_of_range_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--top", "99999999999", str(EXAMPLES / "junhe.json")]) == EXIT_ERROR
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("gridgov: error: top: must be an integer")


# -- an internal error ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "fragment"),
    [
        (RuntimeError("boom\nwith two lines"), "internal error: RuntimeError: boom with two lines"),
        (RecursionError("maximum recursion depth exceeded"), "internal error: RecursionError"),
        (KeyError(10**5000), "internal error: KeyError"),
        (MemoryError(), "out of memory"),
    ],
    ids=["runtime", "recursion", "unprintable", "memory"],
)
def test_an_internal_error_is_one_line_and_status_70(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
    fragment: str,
) -> None:
    from gridgov.cli import cmd_show

    def broken(args: Any) -> int:
        raise error

    monkeypatch.setattr(cmd_show, "run", broken)
    monkeypatch.delenv("GRIDGOV_TRACEBACK", raising=False)
    assert main(["show", str(EXAMPLES / "junhe.json")]) == EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert fragment in line
    assert "Traceback" not in err
    if not isinstance(error, MemoryError):
        assert cli.REPORT_URL in line


@pytest.mark.parametrize(
    ("missing", "status", "fragment"),
    [
        ("rich.markdown", 2, "the package 'rich', which gridgov needs, is not installed"),
        ("some_plugin_dependency", 70, "internal error: ModuleNotFoundError"),
    ],
    ids=["core-dependency", "other-module"],
)
def test_a_missing_core_dependency_is_an_install_problem_not_a_bug(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    missing: str,
    status: int,
    fragment: str,
) -> None:
    from gridgov.cli import cmd_show

    def broken(args: Any) -> int:
        raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)

    monkeypatch.setattr(cmd_show, "run", broken)
    monkeypatch.delenv("GRIDGOV_TRACEBACK", raising=False)
    assert main(["show", str(EXAMPLES / "junhe.json")]) == status
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert fragment in line


def test_the_traceback_of_an_internal_error_on_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gridgov.cli import cmd_show

    def broken(args: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cmd_show, "run", broken)
    monkeypatch.setenv("GRIDGOV_TRACEBACK", "1")
    assert main(["show", str(EXAMPLES / "junhe.json")]) == EXIT_INTERNAL
    assert "Traceback" in capsys.readouterr().err


def test_an_internal_error_through_the_installed_command(tmp_path: Path) -> None:
    """A plugin whose rule crashes is an internal error: status 70, not 1 (findings)."""
    plugin = tmp_path / "xx_crash.py"
    plugin.write_text(
        "import gridgov\n"
        "def crash(ctx, subjects):\n"
        "    raise ZeroDivisionError('a bug')\n"
        "RULE = gridgov.Rule('XX901', 'crash', 'error', 'crashes', crash)\n"
        "@gridgov.hookimpl\n"
        "def gridgov_rules():\n"
        "    return [RULE]\n",
        encoding="utf-8",
    )
    runner = tmp_path / "run.py"
    runner.write_text(
        "import sys, xx_crash\n"
        "from gridgov import plugins\n"
        "from gridgov.cli import main\n"
        "plugins.plugin_manager().register(xx_crash, 'xx-crash')\n"
        "sys.exit(main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(runner), "validate", str(EXAMPLES / "junhe.json")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "GRIDGOV_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
        timeout=300,
    )
    assert result.returncode == 70, result.stderr
    _one_line(result, "internal error: ZeroDivisionError: a bug", "please report")
