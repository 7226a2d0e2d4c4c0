"""The ``gridgov simulate`` command (in-process), and its stage meter."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gridgov.cli import main
from gridgov.cli._stages import StageMeter, format_bytes
from gridgov.io import load

SMALL = ["--communities", "2", "--members", "80", "--households", "400"]


def test_text_report_and_stage_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", *SMALL, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "members per branch (min/median/max)" in out
    assert "zone objective / optimum / gap" in out
    assert "rule findings" in out
    for stage in ("generate", "grids", "zones", "posts", "build", "validate", "total"):
        assert stage in out


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--preset", "junhe", "--format", "json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"]["levels"]["branch"] == 51
    assert data["report"]["deviation"]["branches"] == 0
    assert [s["stage"] for s in data["stages"]][:2] == ["generate", "grids"]
    assert all(s["peak_bytes"] > 0 for s in data["stages"])


def test_out_writes_a_document_that_validate_and_show_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "district.json"
    assert main(["simulate", *SMALL, "--mode", "derive", "--out", str(path), "--quiet"]) == 0
    capsys.readouterr()
    j = load(path)
    assert len(j.filings) == 80
    assert main(["validate", str(path)]) == 0
    assert main(["show", str(path)]) == 0
    assert "members filed: 80" in capsys.readouterr().out


def test_bad_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--members", "0"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert main(["simulate", "--communities", "5", "--members", "6"]) == 2
    assert "members" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("out", "fragment"),
    [("missing-dir/x.json", "does not exist"), (".", "is a directory")],
    ids=["missing-directory", "directory"],
)
def test_unwritable_out_is_refused_before_simulating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, fragment: str
) -> None:
    assert main(["simulate", *SMALL, "--quiet", "--out", str(tmp_path / out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "", "nothing was simulated"
    (line,) = captured.err.strip().splitlines()
    assert "--out" in line
    assert fragment in line


def test_an_os_error_while_writing_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gridgov.io

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.json"))

    monkeypatch.setattr(gridgov.io, "save", refuse)
    assert main(["simulate", *SMALL, "--quiet", "--out", str(tmp_path / "x.json")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"gridgov: error: {tmp_path / 'x.json'}: Permission denied"


def test_category_mix_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    mix = "employed=1,retired=3"
    assert main(["simulate", *SMALL, "--quiet", "--categories", mix, "--format", "json"]) == 0
    categories = json.loads(capsys.readouterr().out)["report"]["categories"]
    assert set(categories) == {"employed", "retired"}
    assert sum(categories.values()) == 80
    assert categories["retired"] > categories["employed"]


def test_a_category_named_twice_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    mix = "employed=1,retired=1,employed=2"
    assert main(["simulate", *SMALL, "--quiet", "--categories", mix, "--format", "json"]) == 0
    categories = json.loads(capsys.readouterr().out)["report"]["categories"]
    assert categories["employed"] > categories["retired"]


@pytest.mark.parametrize("mix", ["employed", "employed=x", "=1", "astronaut=1"])
def test_a_bad_category_mix_is_one_line(mix: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", *SMALL, "--quiet", "--categories", mix]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "categories" in line


def test_the_bar_counts_the_write_stage() -> None:
    from gridgov.allocation import STAGES, simulate

    stream = io.StringIO()
    meter = StageMeter(bar=True, stream=stream, after=("write",))
    simulate(None, communities=1, members=10, households=30, progress=meter)
    assert "done" not in stream.getvalue(), "the simulation's end is not the run's end"
    meter.then("write")
    meter.then("done")
    total = len(STAGES) + 1
    text = stream.getvalue()  # rich's bar, drawn as on a terminal
    assert f"{total}/{total}" in text
    assert "done" in text
    assert [s.name for s in meter.stages] == [*STAGES, "write"]


def test_meter_draws_a_bar_and_measures() -> None:
    stream = io.StringIO()
    meter = StageMeter(bar=True, stream=stream)
    meter("a", 0, 2)
    meter("b", 1, 2)
    meter("done", 2, 2)
    text = stream.getvalue()
    assert "0/2" in text
    assert "2/2" in text
    assert "━" in text  # rich's bar
    assert [s.name for s in meter.stages] == ["a", "b"]
    assert "total" in meter.to_text()
    assert format_bytes(512) == "512 B"


def test_preset_choices_match_the_presets() -> None:
    from gridgov.allocation import PRESETS
    from gridgov.cli.cmd_simulate import _PRESETS

    assert sorted(_PRESETS) == sorted(PRESETS)
