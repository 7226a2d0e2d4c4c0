"""gridgov's pytest plugin: fixtures, readable report comparisons, a ``gridgov`` option group.

Registered through the ``pytest11`` entry point, so it is active wherever gridgov is
installed; disable it with ``pytest -p no:gridgov``. It is a light top-level module
(as Hypothesis' own plugin is): it imports gridgov only when a fixture or a hook needs
it, so a test run that does not use gridgov pays nothing for it.

Fixtures
--------
gridgov_policy
    The policy in force for the run: the defaults, with the settings of
    ``--gridgov-policy=FILE`` applied (a ``pyproject.toml`` with ``[tool.gridgov]``, or
    a TOML file with a ``[policy]`` table).
jurisdiction_factory
    :func:`gridgov.testing.make_jurisdiction` with that policy: ``jurisdiction_factory()``
    returns a fresh jurisdiction that passes every rule.
junhe_example
    A fresh :class:`~gridgov.Jurisdiction` of the Junhe street example, read from the
    documents shipped in the package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from gridgov import Jurisdiction, Policy

pytest.register_assert_rewrite("gridgov.testing")

EXAMPLES = ("junhe.json", "xiqiao-aiguo.json")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gridgov", "gridgov's testing kit")
    group.addoption(
        "--gridgov-policy",
        metavar="FILE",
        default=None,
        help="gridgov settings for the gridgov_policy fixture: a pyproject.toml with "
        "[tool.gridgov], or a TOML file with a [policy] table",
    )


def example_document(name: str) -> dict[str, Any]:
    """The shipped example document `name` (``junhe.json``), as a dict.

    Read from the package (``gridgov/examples/``, where a wheel puts them), else from
    the source checkout's ``examples/`` directory.
    """
    import json
    from importlib import resources

    if name not in EXAMPLES:
        from gridgov.errors import InvalidValueError

        raise InvalidValueError("name", name, f"must be one of {', '.join(EXAMPLES)}")
    shipped = resources.files("gridgov").joinpath("examples", name)
    if shipped.is_file():
        text = shipped.read_text("utf-8")
    else:
        import gridgov

        text = (Path(gridgov.__file__).parents[2] / "examples" / name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.fixture
def gridgov_policy(request: pytest.FixtureRequest) -> Policy:
    """The policy for the run: the defaults, or those of ``--gridgov-policy``."""
    from gridgov import Policy

    path = request.config.getoption("--gridgov-policy")
    if path is None:
        return Policy()
    from gridgov.config import load_settings

    return load_settings(Path(path)).apply_to(Policy())


@pytest.fixture
def jurisdiction_factory(gridgov_policy: Policy) -> Callable[..., Jurisdiction]:
    """Make fresh clean jurisdictions: ``jurisdiction_factory(branches=2, members=4)``."""
    from gridgov.testing import make_jurisdiction

    def make(**options: Any) -> Jurisdiction:
        options.setdefault("policy", gridgov_policy)
        return make_jurisdiction(**options)

    return make


@pytest.fixture
def junhe_example() -> Jurisdiction:
    """The Junhe street example (均禾街), a fresh jurisdiction for each test."""
    from gridgov.io import load

    return load(example_document("junhe.json"))


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: object, right: object) -> Any:
    """For ``report_a == report_b``: only the findings the two reports do not share."""
    if op != "==":
        return None
    module = type(left).__module__
    if not module.startswith("gridgov.") or type(left).__name__ != "Report":
        return None
    from gridgov.rules import Report
    from gridgov.testing import report_diff

    if not isinstance(left, Report) or not isinstance(right, Report):
        return None
    return ["two gridgov reports differ:", *report_diff(left, right).splitlines()]
