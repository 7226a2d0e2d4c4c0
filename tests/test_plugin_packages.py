"""The example plugin packages of ``examples/plugins/``, installed for real.

``xx-zone-rule`` (a rule with its own setting, and an id scheme) and ``xx-broken`` (whose
module raises on import) are built with their own build backend (hatchling) and
installed with pip, once per test session, each into a throwaway directory. The
directories go on ``PYTHONPATH`` of subprocesses only (``python -m gridgov ...`` and small
Python snippets), where ``importlib.metadata`` finds their ``gridgov`` entry points as it
finds any installed distribution's; the entry points never reach this process, so the
rest of the suite sees no plugin.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gridgov import Jurisdiction
from gridgov.io import dump
from gridgov.plugins import AUTOLOAD_ENV, BUILTIN_PLUGINS

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ROOT / "examples" / "plugins"
HOOKS = ["gridgov_make_id", "gridgov_policy_defaults", "gridgov_rules"]
BUILTIN_NAMES = [name for name, _module in BUILTIN_PLUGINS]


def _install(package: str, work: Path) -> Path:
    """Build and install `package` into a directory of its own; return the directory."""
    source = work / "src" / package
    shutil.copytree(PACKAGES / package, source)  # pip builds in the tree: keep ours clean
    target = work / package
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--quiet"]
    command += ["--disable-pip-version-check", "--target", str(target)]
    env = dict(os.environ)
    backend_here = importlib.util.find_spec("hatchling") is not None
    if backend_here:
        command.append("--no-build-isolation")  # the build backend is here: no download
    else:  # pip gets hatchling for the build from its configured index (a local one, offline)
        env.update(PIP_RETRIES="0", PIP_DEFAULT_TIMEOUT="20")
    try:
        done = subprocess.run(
            [*command, str(source)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"cannot install {package}: pip timed out (no build backend reachable)")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        if backend_here:  # nothing is missing: the package itself does not build
            pytest.fail(f"cannot build and install {package}:\n{done.stderr}")
        pytest.skip(
            f"cannot build and install {package}: hatchling is not installed next to "
            f"{sys.executable} and pip could not get it: {last}"
        )
    assert (target / f"{package.replace('-', '_')}-0.1.0.dist-info").is_dir()
    return target


def _jurisdiction() -> Jurisdiction:
    """Three zones holding 0, 1 and 2 households (only Z1 fails XX201 by default)."""
    j = Jurisdiction()
    j.found_org("S1", "street", "均禾街党工委")
    j.found_org("C1", "community", "清湖社区党委", parent="S1")
    j.found_org("B1", "branch", "清湖第一网格党支部", parent="C1")
    j.found_org("G1", "group", "第一党小组", parent="B1")
    for zone in ("Z1", "Z2", "Z3"):
        j.found_org(zone, "zone", f"{zone} 责任区", parent="G1")
    for household, zone in (("H1", "Z2"), ("H2", "Z3"), ("H3", "Z3")):
        j.add_household(household)
        j.assign_household(household, zone)
    return j


class Environment:
    """Runs gridgov in subprocesses that see the installed example plugins."""

    def __init__(self, work: Path, zone_rule: Path, broken: Path) -> None:
        self.work = work
        self.zone_rule = zone_rule
        self.broken = broken
        data = dump(_jurisdiction())
        self.document = work / "zones.json"
        self.document.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        self.with_policy = work / "zones-policy.json"
        data["policy"] = {"xx_min_households": 3}
        self.with_policy.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    def run(
        self, *args: str | Path, broken: bool = False, autoload: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python ARGS`` in the work directory, seeing the zone rule (and `broken`)."""
        paths = [self.zone_rule, *([self.broken] if broken else [])]
        inherited = [os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []
        env = {k: v for k, v in os.environ.items() if k not in (AUTOLOAD_ENV, "PYTHONWARNINGS")}
        env.update(
            PYTHONPATH=os.pathsep.join([*map(str, paths), *inherited]),
            PYTHONIOENCODING="utf-8",
            COLUMNS="80",
        )
        if not autoload:
            env[AUTOLOAD_ENV] = "1"
        return subprocess.run(
            [sys.executable, *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=self.work,
            check=False,
            timeout=120,
        )

    def gridgov(self, *args: str | Path, **kwargs: bool) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "gridgov", *args, **kwargs)

    def python(self, code: str, **kwargs: bool) -> object:
        """Run `code` (which prints one JSON value last, and no warning); return that value."""
        done = self.run("-c", textwrap.dedent(code), **kwargs)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        return json.loads(done.stdout.splitlines()[-1])

    def xx201(self, *args: str | Path, **kwargs: bool) -> list[list[str]]:
        """The ids of the XX201 findings of ``gridgov validate --format json ARGS``."""
        done = self.gridgov("validate", "--format", "json", *args, **kwargs)
        assert done.returncode in (0, 1), done.stderr
        assert done.stderr == ""
        return [d["ids"] for d in json.loads(done.stdout) if d["code"] == "XX201"]


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    work = tmp_path_factory.mktemp("plugin-packages")
    return Environment(work, _install("xx-zone-rule", work), _install("xx-broken", work))


def _one_line(done: subprocess.CompletedProcess[str], kind: str = "error") -> str:
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"gridgov: {kind}: ")
    return lines[0]


# ------------------------------------------------------------------------------------------
# discovered and listed
# ------------------------------------------------------------------------------------------


def test_the_plugin_is_listed_with_its_hooks(env: Environment):
    done = env.gridgov("plugins")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert list(rows) == [*BUILTIN_NAMES, "xx-zone-rule"]
    assert re.fullmatch(
        r"xx-zone-rule\s+xx-zone-rule 0\.1\.0\s+" + ", ".join(HOOKS), rows["xx-zone-rule"]
    )


def test_the_plugin_is_listed_as_json(env: Environment):
    done = env.gridgov("plugins", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert rows["xx-zone-rule"] == {
        "name": "xx-zone-rule",
        "source": "xx-zone-rule 0.1.0",
        "hooks": HOOKS,
    }
    assert rows["gridgov.ids"]["hooks"] == ["gridgov_make_id"]


def test_the_rule_is_listed_and_explained(env: Environment):
    rules = env.gridgov("rules")
    assert rules.returncode == 0, rules.stderr
    assert re.search(
        r"^XX201 W zone-households\s+a zone has too few households$", rules.stdout, re.M
    )
    page = env.gridgov("rule", "XX201")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith(
        "XX201 zone-households\n=====================\n\nSeverity: warning"
    )
    for section in ("What it does", "Why it matters", "Example", "Fix"):
        assert f"\n{section}\n{'-' * len(section)}\n" in page.stdout
    source = env.gridgov("rule", "XX201", "--format", "markdown")
    assert source.stdout.startswith("# XX201 zone-households\n\n**Severity:** warning")
    for section in ("## What it does", "## Why it matters", "## Example", "## Fix"):
        assert section in source.stdout


def test_the_module_doctests_pass(env: Environment):
    result = env.python(
        """
        import doctest, json, xx_zone_rule
        failed, attempted = doctest.testmod(xx_zone_rule)[:2]
        print(json.dumps([failed, attempted]))
        """
    )
    assert result == [0, 5]


# ------------------------------------------------------------------------------------------
# the rule and its setting
# ------------------------------------------------------------------------------------------


def test_validate_runs_the_rule_with_the_built_in_ones(env: Environment):
    done = env.gridgov("validate", env.document)
    assert done.returncode == 1, done.stderr  # the document breaks built-in rules too
    assert f"{env.document}: XX201 [W] zone 'Z1' has 0 households (Z1)" in done.stdout.splitlines()
    assert "GG206" in done.stdout
    assert env.xx201(env.document) == [["Z1"]]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("gridgov.toml", "[policy]\nxx_min_households = 2\n"),
        (
            "pyproject.toml",
            "[project]\nname = 'host'\n\n[tool.gridgov.policy]\nxx_min_households = 2\n",
        ),
    ],
)
def test_the_setting_is_read_from_a_settings_file(env: Environment, tmp_path: Path, name, text):
    settings = tmp_path / name
    settings.write_text(text, "utf-8")
    assert env.xx201(env.document, "--policy", settings) == [["Z1"], ["Z2"]]


@pytest.mark.parametrize(
    ("name", "table"), [("gridgov.toml", "[policy]"), ("pyproject.toml", "[tool.gridgov.policy]")]
)
def test_an_unknown_setting_beside_it_is_still_an_error(
    env: Environment, tmp_path: Path, name, table
):
    settings = tmp_path / name
    settings.write_text(f"{table}\nxx_min_households = 2\nxx_max_households = 9\n", "utf-8")
    done = env.gridgov("validate", env.document, "--policy", settings)
    assert done.returncode == 2
    assert done.stdout == ""
    line = _one_line(done)
    assert "policy.xx_max_households: unknown setting" in line
    known = line.split("known settings are ", 1)[1]
    assert "xx_min_households" in known  # the plugin's setting is known, the typo is not


def test_a_bad_value_of_the_setting_is_an_error(env: Environment, tmp_path: Path):
    settings = tmp_path / "gridgov.toml"
    settings.write_text('[policy]\nxx_min_households = "two"\n', "utf-8")
    done = env.gridgov("validate", env.document, "--policy", settings)
    assert done.returncode == 2
    assert "policy.xx_min_households: must be an integer" in _one_line(done)


def test_a_documents_own_setting_is_used(env: Environment):
    assert env.xx201(env.with_policy) == [["Z1"], ["Z2"], ["Z3"]]


def test_a_documents_own_setting_round_trips(env: Environment):
    result = env.python(
        f"""
        import json, gridgov
        data = json.loads(open({str(env.with_policy)!r}, encoding="utf-8").read())
        j = gridgov.load(data)
        again = gridgov.dump(j)
        print(json.dumps({{
            "value": j.policy.get("xx_min_households"),
            "overrides": j.policy.overrides(),
            "policy": again.get("policy"),
            "same_document": again == data,
            "same_jurisdiction": gridgov.load(again) == j,
            "text": gridgov.loads(gridgov.dumps(j)) == j,
        }}))
        """
    )
    assert result == {
        "value": 3,
        "overrides": {"xx_min_households": 3},
        "policy": {"xx_min_households": 3},
        "same_document": True,
        "same_jurisdiction": True,
        "text": True,
    }


def test_incremental_validation_rechecks_the_zone(env: Environment):
    """``reads=("households", ...)``: moving a household re-checks the zones it touches."""
    result = env.python(
        f"""
        import json, gridgov
        j = gridgov.load({str(env.document)!r})
        v = gridgov.Validator(j, select=["XX201"])
        seen = [[d.ids for d in v.report()]]
        v.apply(gridgov.HouseholdAssigned("H1", "Z1"))  # from Z2 into Z1
        seen.append([d.ids for d in v.report()])
        seen.append([d.ids for d in gridgov.validate(j, select=["XX201"])])
        print(json.dumps(seen))
        """
    )
    assert result == [[["Z1"]], [["Z2"]], [["Z2"]]]


# ------------------------------------------------------------------------------------------
# the id scheme
# ------------------------------------------------------------------------------------------


def test_the_id_factory_uses_the_scheme(env: Environment):
    result = env.python(
        """
        import json, gridgov
        j = gridgov.Jurisdiction(ids=gridgov.plugins.id_factory())
        made = []
        def org(level, parent=None):
            made.append(j.found_org(None, level, level, parent=parent).org.id)
            return made[-1]
        street = org("street")
        c1, c2 = org("community", street), org("community", street)
        b1 = org("branch", c1)
        org("branch", c1), org("branch", c2)
        g1 = org("group", b1)
        org("zone", g1)
        made.append(j.add_person(None, "李四").person.id)
        made.append(j.add_household(None).household.id)
        print(json.dumps(made))
        """
    )
    assert result == [
        "S1",
        "C1",
        "C2",
        "C1-B01",
        "C1-B02",
        "C2-B01",
        "C1-B01-G01",
        "C1-B01-G01-Z01",
        "P1",
        "H1",
    ]


def test_the_simulation_uses_the_scheme(env: Environment):
    result = env.python(
        """
        import json, gridgov
        r = gridgov.simulate(None, communities=2, members=60, households=300)
        g = r.jurisdiction.graph
        print(json.dumps({
            "orgs": {level: [[o, g.parent(o)] for o in g.at_level(level)]
                     for level in r.jurisdiction.scheme.levels},
            "people": sorted(r.jurisdiction.people)[:3],
            "findings": r.report.findings,
        }))
        """
    )
    orgs = result["orgs"]
    assert [o for o, _ in orgs["street"]] == ["S1"]
    assert [o for o, _ in orgs["community"]] == ["C1", "C2"]
    letters = {"branch": "B", "group": "G", "zone": "Z"}
    for level, letter in letters.items():
        assert orgs[level], level
        for org, parent in orgs[level]:
            assert re.fullmatch(re.escape(parent) + rf"-{letter}\d\d", org), (org, parent)
    assert [o for o, _ in orgs["branch"]] == ["C1-B01", "C2-B01"]
    assert all(re.fullmatch(r"P\d+", p) for p in result["people"])
    assert "XX201" not in result["findings"]  # every simulated zone holds households


# ------------------------------------------------------------------------------------------
# a broken plugin, autoload off, blocking
# ------------------------------------------------------------------------------------------

COMMANDS = [
    ("plugins",),
    ("rules",),
    ("rule", "XX201"),
    ("show", "zones.json"),
    ("validate", "zones.json", "--select", "XX201"),
    ("simulate", "--communities", "1", "--members", "20", "--households", "40", "--quiet"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_broken_plugin_is_one_warning(env: Environment, command: tuple[str, ...]):
    done = env.gridgov(*command, broken=True)
    assert done.returncode == 0, done.stderr
    line = _one_line(done, "warning")
    assert "gridgov plugin 'xx-broken' (xx_broken) could not be loaded" in line
    assert "RuntimeError: xx-broken is broken on purpose" in line
    if command[0] == "plugins":
        names = [row.split()[0] for row in done.stdout.splitlines()]
        assert "xx-zone-rule" in names
        assert "xx-broken" not in names
    if command[0] == "validate":
        assert "zone 'Z1' has 0 households" in done.stdout


def test_a_broken_plugin_leaves_the_others_working(env: Environment, tmp_path: Path):
    settings = tmp_path / "gridgov.toml"
    settings.write_text("[policy]\nxx_min_households = 2\n", "utf-8")
    done = env.gridgov(
        "validate", "--format", "json", env.document, "--policy", settings, broken=True
    )
    _one_line(done, "warning")
    assert [d["ids"] for d in json.loads(done.stdout) if d["code"] == "XX201"] == [["Z1"], ["Z2"]]


def test_autoload_off_loads_no_plugin(env: Environment, tmp_path: Path):
    listed = env.gridgov("plugins", autoload=False, broken=True)
    assert listed.returncode == 0
    assert listed.stderr == ""  # the broken one is not even tried
    assert [row.split()[0] for row in listed.stdout.splitlines()] == BUILTIN_NAMES
    assert env.xx201(env.document, autoload=False) == []
    settings = tmp_path / "gridgov.toml"
    settings.write_text("[policy]\nxx_min_households = 2\n", "utf-8")
    done = env.gridgov("validate", env.document, "--policy", settings, autoload=False)
    assert done.returncode == 2
    assert "policy.xx_min_households: unknown setting" in _one_line(done)
    done = env.gridgov("validate", env.with_policy, autoload=False)
    assert done.returncode == 2
    assert "xx_min_households" in _one_line(done)
    ids = env.python(
        """
        import json, gridgov
        j = gridgov.Jurisdiction(ids=gridgov.plugins.id_factory())
        s = j.found_org(None, "street", "S").org.id
        c = j.found_org(None, "community", "C", parent=s).org.id
        print(json.dumps([c, j.found_org(None, "branch", "B", parent=c).org.id]))
        """,
        autoload=False,
    )
    assert ids == ["C1", "B1"]


def test_block_plugins_in_a_settings_file_stops_the_rule(env: Environment, tmp_path: Path):
    settings = tmp_path / "gridgov.toml"
    settings.write_text('block_plugins = ["xx-zone-rule"]\n', "utf-8")
    assert env.xx201(env.document) == [["Z1"]]  # not blocked
    assert env.xx201(env.document, "--policy", settings) == []
    done = env.gridgov("validate", env.document, "--select", "XX201", "--policy", settings)
    assert done.returncode == 2
    assert "select: matches no registered rule (got 'XX201')" in _one_line(done)


def test_block_plugins_keeps_a_broken_plugin_from_loading(env: Environment, tmp_path: Path):
    settings = tmp_path / "gridgov.toml"
    settings.write_text(
        'block_plugins = ["xx-broken"]\n\n[policy]\nmax_branch_members = 60\n', "utf-8"
    )
    done = env.gridgov(
        "validate", "--format", "json", env.document, "--policy", settings, broken=True
    )
    assert done.stderr == ""
    assert [d["ids"] for d in json.loads(done.stdout) if d["code"] == "XX201"] == [["Z1"]]


def test_blocking_by_name_in_python(env: Environment):
    result = env.python(
        """
        import json, sys, gridgov
        gridgov.plugins.block("xx-broken")  # before the plugins are needed: never imported
        before = "XX201" in gridgov.plugins.registry()
        gridgov.plugins.block("xx-zone-rule")  # loaded already: unregistered
        j = gridgov.Jurisdiction(ids=gridgov.plugins.id_factory())
        s = j.found_org(None, "street", "S").org.id
        c = j.found_org(None, "community", "C", parent=s).org.id
        print(json.dumps({
            "before": before,
            "after": "XX201" in gridgov.plugins.registry(),
            "setting": "xx_min_households" in gridgov.plugins.catalogue(),
            "ids": [c, j.found_org(None, "branch", "B", parent=c).org.id],
            "imported": "xx_broken" in sys.modules,
        }))
        """,
        broken=True,
    )
    assert result == {
        "before": True,
        "after": False,
        "setting": False,
        "ids": ["C1", "B1"],
        "imported": False,
    }


# ------------------------------------------------------------------------------------------
# the how-to shows what the installed plugin really does
# ------------------------------------------------------------------------------------------

HOW_TO = ROOT / "docs" / "how-to" / "write-a-plugin.md"


def _shown(command: str) -> list[str]:
    """The output the how-to shows under ``$ COMMAND`` in its ``text`` blocks."""
    for block in re.findall(r"^```text\n(.*?)^```", HOW_TO.read_text("utf-8"), re.S | re.M):
        lines = block.splitlines()
        if f"$ {command}" in lines:
            after = lines[lines.index(f"$ {command}") + 1 :]
            return after[: next((i for i, x in enumerate(after) if x.startswith("$ ")), None)]
    pytest.fail(f"{HOW_TO} shows no $ {command}")


def test_the_how_to_shows_the_real_listing(env: Environment):
    assert _shown("gridgov plugins") == env.gridgov("plugins").stdout.splitlines()


def test_the_how_to_shows_the_real_warning(env: Environment):
    warning = env.gridgov("plugins", broken=True).stderr.strip()
    assert f"\n{warning}\n" in HOW_TO.read_text("utf-8")
