"""The example services of ``examples/service/`` run as the docs show them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "service"


def run(script: str, *args: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_host_relocates_and_the_consumer_follows(tmp_path: Path, redis_bus_url: str) -> None:
    store = "sqlite:///host.db"
    first = run("host.py", "--store", store, "--bus", redis_bus_url, cwd=tmp_path)
    assert first.splitlines()[0] == "imported Junhe street as stream S1: version 282"
    assert "stored S1 v283 at position 283: MemberTransferred" in first
    assert first.splitlines()[-1] == "new findings: 0; published: True"
    second = run("host.py", "--store", store, "--bus", redis_bus_url, cwd=tmp_path)
    assert "stored S1 v286 at position 286: MemberTransferred" in second
    args = ("--bus", redis_bus_url, "--store", store, "--db", "sqlite:///consumer.db")
    consumed = run("consumer.py", *args, "--until-idle", cwd=tmp_path)
    assert "S1 v283: P12 moved to G2" in consumed
    assert consumed.splitlines()[-1] == (
        "applied 288 events (0 duplicates skipped, 0 read from the store); 31 members in the view"
    )
    again = run("consumer.py", *args, "--until-idle", cwd=tmp_path)
    assert again.splitlines()[-1].startswith("applied 0 events")
