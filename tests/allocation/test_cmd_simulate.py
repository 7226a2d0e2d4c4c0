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


def test_meter_draws_a_bar_and_measures() -> None:
    stream = io.StringIO()
    meter = StageMeter(bar=True, stream=stream)
    meter("a", 0, 2)
    meter("b", 1, 2)
    meter("done", 2, 2)
    text = stream.getvalue()
    assert "[------------------------] 0/2 a..." in text
    assert "2/2 done" in text
    assert [s.name for s in meter.stages] == ["a", "b"]
    assert "total" in meter.to_text()
    assert format_bytes(512) == "512 B"


def test_preset_choices_match_the_presets() -> None:
    from gridgov.allocation import PRESETS
    from gridgov.cli.cmd_simulate import _PRESETS

    assert sorted(_PRESETS) == sorted(PRESETS)
