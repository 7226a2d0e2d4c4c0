"""The command as a newcomer meets it (issue 15), through the installed entry point.

Each test runs ``gridgov`` from the virtual environment in a subprocess, as a user
would: piped output is plain text (checked byte for byte), and a terminal is forced
with rich's ``TTY_COMPATIBLE=1`` to check the rich rendering (tables, rule pages,
progress bars). The plain and rich helpers themselves are tested in-process below.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gridgov import plugins
from gridgov.cli._console import (
    StageBar,
    markdown_to_text,
    plain_table,
    print_markdown,
    print_table,
)
from gridgov.errors import InvalidValueError
from gridgov.io import LOAD_STAGES, SAVE_STAGES, load, save
from gridgov.rules.docs import render_rule, render_table

GRIDGOV = Path(sys.executable).parent / "gridgov"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_RICH_ENV = ("TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR", "TTY_INTERACTIVE", "COLUMNS")


def gridgov(
    *args: str | Path, cwd: Path, terminal: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the installed command; `terminal` makes rich treat its output as a terminal."""
    env = {k: v for k, v in os.environ.items() if k not in _RICH_ENV}
    if terminal:
        env.update(TTY_COMPATIBLE="1", COLUMNS="100")
    return subprocess.run(
        [str(GRIDGOV), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        env=env,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gridgov: error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def _doc() -> dict[str, Any]:
    """Two organizations without a secretary (GG206 twice), an old term (GG207 once)."""
    return {
        "gridgov": "1",
        "scheme": "five-level",
        "as_of": "2021-11-22",
        "organizations": [
            {"id": "S1", "level": "street", "name": "均禾街党工委", "term_start": "2015-01-01"},
            {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
        ],
    }


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "two.json").write_text(json.dumps(_doc(), ensure_ascii=False), "utf-8")
    (tmp_path / "empty.json").write_text("{}", "utf-8")
    return tmp_path


# -- validate --statistics -----------------------------------------------------------------------


def test_statistics_is_one_line_per_code_most_frequent_first(files: Path) -> None:
    result = gridgov("validate", "--statistics", "two.json", cwd=files)
    assert result.returncode == 1, result.stderr  # GG206 is an error
    registry = plugins.registry()
    gg206, gg207 = registry["GG206"], registry["GG207"]
    width = max(len(gg206.name), len(gg207.name))  # the names padded, so summaries line up
    assert result.stdout == (
        f"2  GG206  [E]  {gg206.name:<{width}}  {gg206.summary}\n"
        f"1  GG207  [W]  {gg207.name:<{width}}  {gg207.summary}\n"
        "checked 1 file: 2 errors, 1 warning\n"
    )


def test_statistics_adds_up_over_files_and_follows_the_options(files: Path) -> None:
    result = gridgov(
        "validate", "--statistics", "--ignore", "GG207", "two.json", "two.json", cwd=files
    )
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["4", "GG206", "[E]"]
    assert len(lines) == 2
    warned = gridgov(
        "validate", "--statistics", "--severity", "GG206=warning", "two.json", cwd=files
    )
    assert warned.returncode == 0
    assert warned.stdout.splitlines()[0].split()[:3] == ["2", "GG206", "[W]"]


def test_statistics_as_json(files: Path) -> None:
    result = gridgov("validate", "--statistics", "--format", "json", "two.json", cwd=files)
    data = json.loads(result.stdout)
    assert [(d["count"], d["code"], d["severity"]) for d in data] == [
        (2, "GG206", "error"),
        (1, "GG207", "warning"),
    ]
    assert data[0]["name"] == plugins.registry()["GG206"].name


def test_statistics_on_a_terminal_is_a_table(files: Path) -> None:
    result = gridgov("validate", "--statistics", "two.json", cwd=files, terminal=True)
    first = result.stdout.splitlines()[0]
    assert first.split()[:3] == ["2", "GG206", "[E]"]
    assert result.stdout.splitlines()[-1] == "checked 1 file: 2 errors, 1 warning"


def test_statistics_with_github_output_is_refused(files: Path) -> None:
    line = one_error_line(
        gridgov("validate", "--statistics", "--format", "github", "two.json", cwd=files)
    )
    assert "--statistics" in line


def test_statistics_of_the_liwan_sized_example_say_why_branches_are_over_the_cap(
    tmp_path: Path,
) -> None:
    """The main job's warnings, per code: every GG202 on one line with its count."""
    out = tmp_path / "junhe.json"
    sim = gridgov("simulate", "--preset", "junhe", "--quiet", "--out", out, cwd=tmp_path)
    assert sim.returncode == 0, sim.stderr
    over = int(
        next(
            line for line in sim.stdout.splitlines() if line.startswith("branches over cap")
        ).split()[-5]
    )
    result = gridgov("validate", "--statistics", out, cwd=tmp_path)
    assert result.stdout.splitlines()[0].split()[:3] == [str(over), "GG202", "[W]"]


# -- validate: a file that is not there, an empty document -------------------------------------


def test_a_missing_file_is_one_error_and_no_summary(files: Path) -> None:
    result = gridgov("validate", "missing.json", cwd=files)
    assert one_error_line(result) == "gridgov: error: missing.json: no such file"
    assert result.stdout == ""


def test_an_empty_document_names_the_format_version_field(files: Path) -> None:
    result = gridgov("validate", "empty.json", cwd=files)
    assert one_error_line(result) == (
        "gridgov: error: empty.json: field 'gridgov' (the format version) is missing; expected '1'"
    )
    shown = gridgov("show", "empty.json", cwd=files)
    assert "field 'gridgov' (the format version) is missing" in one_error_line(shown)


def test_a_wrong_format_version_names_the_field(files: Path) -> None:
    (files / "two.json").write_text('{"gridgov": "2"}', "utf-8")
    line = one_error_line(gridgov("validate", "two.json", cwd=files))
    assert (
        line
        == "gridgov: error: two.json: field 'gridgov' (the format version) must be '1' (got '2')"
    )


# -- settings files ------------------------------------------------------------------------------


def test_a_policy_typo_names_the_file_and_the_key(files: Path) -> None:
    (files / "gridgov.toml").write_text("[policy]\nmax_branch_memberz = 60\n", "utf-8")
    line = one_error_line(gridgov("validate", "--policy", "gridgov.toml", "two.json", cwd=files))
    assert line.startswith(
        "gridgov: error: gridgov.toml: policy.max_branch_memberz: unknown setting "
        "'max_branch_memberz' (did you mean 'max_branch_members'?)"
    )


def test_a_pyproject_without_a_gridgov_table_is_an_error_naming_it(files: Path) -> None:
    (files / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    result = gridgov("validate", "--policy", "pyproject.toml", "two.json", cwd=files)
    assert one_error_line(result).startswith(
        "gridgov: error: pyproject.toml: has no [tool.gridgov] table"
    )
    assert result.stdout == ""  # nothing was validated with defaults


# -- one error prefix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["simulate", "--preset", "nowhere"], "gridgov: error: simulate: argument --preset: "),
        (["show", "--top"], "gridgov: error: show: argument --top: expected one argument"),
        (["show", "--bogus"], "gridgov: error: unrecognized arguments: --bogus"),
        (["--bogus"], "gridgov: error: unrecognized arguments: --bogus"),
        (["rule", "GG999"], "gridgov: error: code: unknown rule 'GG999'"),
    ],
)
def test_every_error_has_the_one_prefix(tmp_path: Path, args: list[str], start: str) -> None:
    line = one_error_line(gridgov(*args, cwd=tmp_path))
    assert line.startswith(start), line


def test_no_command_prints_the_usage_then_the_error(tmp_path: Path) -> None:
    result = gridgov(cwd=tmp_path)
    assert result.returncode == 2
    usage, error = result.stderr.splitlines()
    assert usage.startswith("usage: gridgov ")
    assert error == "gridgov: error: a command is required (see 'gridgov --help')"


# -- show ----------------------------------------------------------------------------------------


def test_show_says_how_many_more_when_it_cuts_the_tree(tmp_path: Path) -> None:
    result = gridgov("show", EXAMPLES / "junhe.json", cwd=tmp_path)
    tree = result.stdout.split("top of the tree (members filed under each):\n")[1]
    lines = tree.splitlines()
    b4 = lines.index("      B4 石马第二十经济社网格党支部 [branch] 8")
    assert lines[b4 + 1] == "        … 2 more"  # its two groups, not listed
    whole = gridgov("show", "--top", "1000", EXAMPLES / "junhe.json", cwd=tmp_path)
    assert "more" not in whole.stdout.split("top of the tree")[1]


def test_show_top_0_keeps_the_root_in_the_header(tmp_path: Path) -> None:
    result = gridgov("show", "--top", "0", EXAMPLES / "junhe.json", cwd=tmp_path)
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert first.endswith(
        "junhe.json: five-level jurisdiction, root S1 均禾街党工委, as of 2021-11-22"
    )
    assert "top of the tree" not in result.stdout


def test_show_refuses_a_negative_top(tmp_path: Path) -> None:
    line = one_error_line(gridgov("show", "--top", "-1", EXAMPLES / "junhe.json", cwd=tmp_path))
    assert line.startswith("gridgov: error: show: argument --top: expected 0 or more, got '-1'")


def test_show_and_simulate_count_the_same_people(tmp_path: Path) -> None:
    """simulate's filed members and people, show's Party members: one story, said by both."""
    out = tmp_path / "junhe.json"
    sim = gridgov(
        "simulate", "--preset", "junhe", "--quiet", "--format", "json", "--out", out, cwd=tmp_path
    )
    report = json.loads(sim.stdout)["report"]
    shown = json.loads(gridgov("show", "--format", "json", out, cwd=tmp_path).stdout)
    assert shown["filed"] == report["members"]
    assert shown["members"] == report["members"] + report["cadres"]
    assert shown["people"] == report["people"]
    assert report["people"] == report["members"] + report["cadres"] + report["cooperative_heads"]
    text = gridgov("show", out, cwd=tmp_path).stdout
    assert (
        f"members filed: {report['members']:,} of {shown['members']:,} "
        f"({report['cadres']:,} not filed in a grid: cadres, teams)"
    ) in text
    sim_text = gridgov("simulate", "--preset", "junhe", "--quiet", cwd=tmp_path).stdout
    assert (
        f"{report['people']:,} = {report['members']:,} filed + {report['cadres']:,} cadres "
        "(Party members not filed in a grid)"
    ) in sim_text


# -- rule pages ----------------------------------------------------------------------------------


def test_a_rule_page_piped_is_plain_text(tmp_path: Path) -> None:
    result = gridgov("rule", "GG301", cwd=tmp_path)
    page = render_rule(plugins.registry()["GG301"])
    assert result.stdout == markdown_to_text(page) + "\n"
    assert "# GG301" not in result.stdout
    assert "**Severity:**" not in result.stdout
    assert "Severity: error · Looks at: organizations" in result.stdout


def test_a_rule_page_on_a_terminal_is_rendered(tmp_path: Path) -> None:
    result = gridgov("rule", "GG301", cwd=tmp_path, terminal=True)
    assert "\x1b[" in result.stdout  # styled by rich
    assert "# GG301" not in result.stdout
    assert "**" not in result.stdout
    assert "GG301 grid-branch-first-secretary" in result.stdout


def test_a_rule_page_as_markdown(tmp_path: Path) -> None:
    result = gridgov("rule", "--format", "markdown", "GG301", cwd=tmp_path)
    assert result.stdout == render_rule(plugins.registry()["GG301"])


def test_rules_piped_and_on_a_terminal(tmp_path: Path) -> None:
    piped = gridgov("rules", cwd=tmp_path)
    assert piped.stdout == render_table(plugins.registry().values()) + "\n"
    table = gridgov("rules", cwd=tmp_path, terminal=True)
    assert "code" in table.stdout.splitlines()[0] + table.stdout.splitlines()[1]
    assert "GG301" in table.stdout


# -- progress ------------------------------------------------------------------------------------


def test_progress_bars_only_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "junhe.json"
    piped = gridgov("simulate", "--preset", "junhe", "--out", out, cwd=tmp_path)
    assert piped.stderr == ""
    assert "[#" not in piped.stdout
    shown = gridgov("show", out, cwd=tmp_path)
    assert shown.stderr == ""
    drawn = gridgov("simulate", "--preset", "junhe", "--out", out, cwd=tmp_path, terminal=True)
    assert "━" in drawn.stderr  # rich's bar
    assert "9/9" in drawn.stderr  # the eight stages and the write
    assert "[#" not in drawn.stderr  # not the hand-drawn one
    read = gridgov("show", out, cwd=tmp_path, terminal=True)
    assert f"{len(LOAD_STAGES)}/{len(LOAD_STAGES)}" in read.stderr
    quiet = gridgov(
        "simulate", "--preset", "junhe", "--quiet", "--out", out, cwd=tmp_path, terminal=True
    )
    assert quiet.stderr == ""


def test_load_and_save_report_their_stages(tmp_path: Path) -> None:
    j = load(EXAMPLES / "junhe.json")
    seen: list[tuple[str, int, int]] = []
    save(j, tmp_path / "out.json", progress=lambda *call: seen.append(call))
    assert seen == [("encode", 0, 2), ("write", 1, 2), ("done", 2, 2)]
    assert len(SAVE_STAGES) == 2
    seen.clear()
    assert load(tmp_path / "out.json", progress=lambda *call: seen.append(call)) == j
    assert [s for s, _, _ in seen] == [*LOAD_STAGES, "done"]


@pytest.mark.parametrize("bad", [3, "bar", [print]])
def test_a_progress_that_is_not_callable_is_refused(tmp_path: Path, bad: object) -> None:
    j = load(EXAMPLES / "junhe.json")
    with pytest.raises(InvalidValueError, match="progress"):
        save(j, tmp_path / "out.json", progress=bad)  # type: ignore[arg-type]
    assert not (tmp_path / "out.json").exists()
    with pytest.raises(InvalidValueError, match="progress"):
        load(EXAMPLES / "junhe.json", progress=bad)  # type: ignore[arg-type]


# -- the console helpers, in-process -------------------------------------------------------------


def test_plain_table_is_exact() -> None:
    assert plain_table(
        ["n", "code", "what"], [("887", "GG202", "x"), ("3", "GG1", "yy")], right=[0]
    ) == ("  n  code   what\n887  GG202  x\n  3  GG1    yy")


def test_print_table_plain_and_forced_terminal() -> None:
    plain = io.StringIO()
    print_table(["a", "b"], [("1", "2")], stream=plain, title="t")
    assert plain.getvalue() == "t\na  b\n1  2\n"
    rich = io.StringIO()
    print_table(["a", "b"], [("1", "2")], stream=rich, terminal=True)
    assert "─" in rich.getvalue()  # a rich table's rule under the header


def test_every_rule_page_strips_to_plain_text() -> None:
    for rule in plugins.registry().values():
        text = markdown_to_text(render_rule(rule))
        assert text.startswith(f"{rule.code} {rule.name}\n")
        assert "**" not in text
        assert "`" not in text
        assert "\n#" not in text


def test_print_markdown_plain_and_forced_terminal() -> None:
    plain = io.StringIO()
    print_markdown("# T\n\nsee `x` and [GG206](GG206.md)", stream=plain)
    assert plain.getvalue() == "T\n=\n\nsee x and GG206 (GG206.md)\n"
    rich = io.StringIO()
    print_markdown("# T\n\n**bold**", stream=rich, terminal=True)
    assert "\x1b[" in rich.getvalue()
    assert "**" not in rich.getvalue()


def test_stage_bar_draws_nothing_off_a_terminal() -> None:
    stream = io.StringIO()
    bar = StageBar(stream)
    bar("read", 0, 2)
    bar("done", 2, 2)
    assert stream.getvalue() == ""
    forced = io.StringIO()
    bar = StageBar(forced, enabled=True)
    bar("read", 0, 2)
    bar("done", 2, 2)
    assert "2/2" in forced.getvalue()
