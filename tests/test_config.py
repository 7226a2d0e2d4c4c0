"""Settings from TOML: a gridgov.toml, or the [tool.gridgov] table of a pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridgov.config import Settings, load_settings, settings_from_mapping
from gridgov.errors import DocumentError, InvalidValueError, PolicyError
from gridgov.model import Policy

GRIDGOV_TOML = """\
select = ["GG2", "GG3"]
ignore = ["GG207"]

[policy]
max_branch_members = 60
committee_threshold = 8

[severity]
GG202 = "error"
"""

PYPROJECT_TOML = """\
[project]
name = "some-host"

[tool.ruff]
line-length = 100

[tool.gridgov]
ignore = "GG311"

[tool.gridgov.policy]
max_zones_per_member = 4

[tool.gridgov.severity]
GG305 = "info"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_gridgov_toml(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, "gridgov.toml", GRIDGOV_TOML))
    assert s == Settings(
        {"max_branch_members": 60, "committee_threshold": 8},
        ("GG2", "GG3"),
        ("GG207",),
        {"GG202": "error"},
    )
    policy = s.apply_to(Policy())
    assert policy.overrides() == {"max_branch_members": 60, "committee_threshold": 8}


def test_pyproject_toml_reads_tool_gridgov(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, "pyproject.toml", PYPROJECT_TOML))
    assert s.policy == {"max_zones_per_member": 4}
    assert s.select is None
    assert s.ignore == ("GG311",)  # one code as a string
    assert s.severity == {"GG305": "info"}


def test_pyproject_without_tool_gridgov_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(DocumentError, match=r"pyproject\.toml: has no \[tool\.gridgov\] table"):
        load_settings(path)


def test_a_typo_in_a_policy_setting_names_the_file_the_key_and_the_nearest(tmp_path: Path) -> None:
    path = _write(tmp_path, "gridgov.toml", "[policy]\nmax_branch_memberz = 3\n")
    with pytest.raises(PolicyError) as info:
        load_settings(path)
    assert str(info.value).startswith(
        f"{path}: policy.max_branch_memberz: unknown setting 'max_branch_memberz' "
        "(did you mean 'max_branch_members'?); known settings are "
    )


def test_a_bad_value_of_a_policy_setting_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "gridgov.toml", '[policy]\nmax_branch_members = "x"\n')
    with pytest.raises(PolicyError) as info:
        load_settings(path)
    assert info.value.field == f"{path}: policy.max_branch_members"


def test_an_empty_settings_file(tmp_path: Path) -> None:
    assert load_settings(_write(tmp_path, "gridgov.toml", "")) == Settings()


def test_unknown_keys_are_errors_naming_them(tmp_path: Path) -> None:
    path = _write(tmp_path, "gridgov.toml", 'selct = ["GG2"]\npolcy = {}\nignore = []\n')
    with pytest.raises(PolicyError) as info:
        load_settings(path)
    message = str(info.value)
    assert "'polcy'" in message
    assert "'selct'" in message
    assert str(path) in message
    assert "ignore" in message  # the known keys are listed


def test_unknown_keys_in_pyproject_name_the_table(tmp_path: Path) -> None:
    path = _write(tmp_path, "pyproject.toml", "[tool.gridgov]\nseverity_overrides = {}\n")
    with pytest.raises(PolicyError, match=r"\[tool\.gridgov\].*'severity_overrides'"):
        load_settings(path)


def test_unknown_thresholds_are_errors_naming_them(tmp_path: Path) -> None:
    path = _write(tmp_path, "gridgov.toml", "[policy]\nmax_branch_size = 60\n")
    with pytest.raises(PolicyError, match="max_branch_size") as info:
        load_settings(path)
    assert info.value.field == f"{path}: policy.max_branch_size"  # the file and the key


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[policy]\nmax_branch_members = -1\n", "max_branch_members"),
        ('[policy]\nmax_branch_members = "60"\n', "max_branch_members"),
        ("[policy]\ncommittee_min_size = 6\n", "committee"),
        ('policy = "strict"\n', "policy"),
        ("select = [1, 2]\n", "select"),
        ('severity = ["GG202"]\n', "severity"),
        ("[severity]\nGG202 = 2\n", "severity"),
    ],
)
def test_bad_values_are_errors(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(InvalidValueError, match=fragment):
        load_settings(_write(tmp_path, "gridgov.toml", text))


def test_bad_toml_is_a_document_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "gridgov.toml", "[policy\nmax_branch_members = 60\n")
    with pytest.raises(DocumentError, match="not valid TOML") as info:
        load_settings(path)
    assert info.value.source == str(path)


def test_a_missing_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        load_settings(tmp_path / "gridgov.toml")


def test_a_file_that_is_not_text_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "gridgov.toml"
    path.write_bytes(b"\xff\xfe\x00select")
    with pytest.raises(DocumentError, match="not UTF-8 text"):
        load_settings(path)


def test_settings_from_mapping() -> None:
    s = settings_from_mapping({"policy": {"max_branch_members": 60}, "select": ["GG2"]})
    assert s.apply_to(Policy()).max_branch_members == 60
    assert s.select == ("GG2",)
    with pytest.raises(PolicyError, match="expected a table"):
        settings_from_mapping(["policy"])  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["tool = 1\n", "[tool]\ngridgov = 5\n"])
def test_a_pyproject_whose_tables_are_not_tables(tmp_path: Path, text: str) -> None:
    with pytest.raises(PolicyError, match="expected a table"):
        load_settings(_write(tmp_path, "pyproject.toml", text))
