"""The package's face: public names, lazy simulation names, optional dependencies."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gridgov


def test_every_public_name_resolves():
    for name in gridgov.__all__:
        assert getattr(gridgov, name) is not None, name


def test_the_simulation_names_are_lazy_and_the_same_objects():
    from gridgov import allocation

    assert gridgov.simulate is allocation.simulate
    assert gridgov.SimulationResult is allocation.SimulationResult
    assert "simulate" in dir(gridgov)


def test_an_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        gridgov.simulat  # noqa: B018


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_importing_gridgov_does_not_import_numpy():
    run = _run("import sys, gridgov, gridgov.rules, gridgov.cli; print('numpy' in sys.modules)")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_without_numpy_the_simulation_says_which_extra_to_install():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import gridgov\n"
        "try:\n"
        "    gridgov.simulate\n"
        "except gridgov.MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    run = _run(code)
    assert run.returncode == 0, run.stderr
    assert "pip install 'gridgov[simulate]'" in run.stdout
    assert run.stdout.startswith("numpy:")


def test_the_cli_reports_a_missing_extra_in_one_line():
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from gridgov.cli import main\n"
        "sys.exit(main(['simulate', '--preset', 'junhe', '--quiet']))\n"
    )
    run = _run(code)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert "gridgov[simulate]" in run.stderr
    assert "Traceback" not in run.stderr
