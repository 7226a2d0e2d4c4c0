"""The example services of ``examples/service/`` run as the docs show them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gridgov.io import load

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
    n = load(EXAMPLES.parent / "junhe.json").version  # one event per record of the example
    store = "sqlite:///host.db"
    first = run("host.py", "--store", store, "--bus", redis_bus_url, cwd=tmp_path)
    assert first.splitlines()[0] == f"imported Junhe street as stream S1: version {n}"
    assert f"stored S1 v{n + 1} at position {n + 1}: MemberTransferred" in first
    assert first.splitlines()[-1] == "new findings: 0; published: True"
    second = run("host.py", "--store", store, "--bus", redis_bus_url, cwd=tmp_path)
    assert f"stored S1 v{n + 4} at position {n + 4}: MemberTransferred" in second
    args = ("--bus", redis_bus_url, "--store", store, "--db", "sqlite:///consumer.db")
    consumed = run("consumer.py", *args, "--until-idle", cwd=tmp_path)
    assert f"S1 v{n + 1}: P12 moved to G2" in consumed
    assert consumed.splitlines()[-1] == (
        f"applied {n + 6} events (0 duplicates skipped, 0 read from the store); "
        "31 members in the view"
    )
    again = run("consumer.py", *args, "--until-idle", cwd=tmp_path)
    assert again.splitlines()[-1].startswith("applied 0 events")
