"""The pytest plugin in a fresh pytest run: fixtures, assertion messages, ``-p no:gridgov``."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # in a subprocess: the plugin is found through its pytest11 entry point, as a user's run
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_the_fixtures_work(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from gridgov import validate

        def test_factory(jurisdiction_factory):
            j = jurisdiction_factory(branches=2)
            assert len(validate(j)) == 0
            assert len(j.graph.at_level("branch")) == 2

        def test_policy(gridgov_policy):
            assert gridgov_policy.max_branch_members == 50

        def test_junhe(junhe_example):
            assert len(junhe_example.organizations) == 30
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=3)


def test_the_policy_option(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", strict="[policy]\nmax_branch_members = 12\n")
    pytester.makepyfile(
        """
        def test_policy(gridgov_policy, jurisdiction_factory):
            assert gridgov_policy.max_branch_members == 12
            assert jurisdiction_factory().policy.max_branch_members == 12
        """
    )
    result = _run(pytester, "--gridgov-policy=strict.toml")
    result.assert_outcomes(passed=1)


def test_assert_violates_passes_and_fails_readably(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from gridgov.testing import assert_violates

        def test_passes(jurisdiction_factory):
            j = jurisdiction_factory()
            j.vacate("G1", "group_leader", "P1")
            assert_violates(j, "GG307")

        def test_fails(jurisdiction_factory):
            j = jurisdiction_factory()
            j.vacate("G1", "group_leader", "P1")
            assert_violates(j, "GG301")
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: expected a GG301 finding, found none; the findings are:",
            "*GG307 error*group 'G1' has no leader*",
            "*reproduce it with gridgov.testing.source(j)*",
        ]
    )


def test_two_reports_show_only_their_difference(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from gridgov import validate

        def test_reports(jurisdiction_factory):
            a = jurisdiction_factory()
            b = jurisdiction_factory()
            b.vacate("G1", "group_leader", "P1")
            assert validate(a) == validate(b)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*two gridgov reports differ:",
            "*only in the left report (0):",
            "*only in the right report (1):",
            "*GG307 error*",
        ]
    )


def test_the_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_factory(jurisdiction_factory):
            pass
        """
    )
    _run(pytester).assert_outcomes(passed=1)  # loaded, the fixture is there
    assert "--gridgov-policy" in _run(pytester, "--help").stdout.str()
    result = _run(pytester, "-p", "no:gridgov")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'jurisdiction_factory' not found*"])
    assert "--gridgov-policy" not in _run(pytester, "-p", "no:gridgov", "--help").stdout.str()


def test_the_plugin_imports_gridgov_lazily(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_imported(request):
            assert request.config.pluginmanager.hasplugin("gridgov")  # the plugin is loaded
            assert "_gridgov_pytestplugin" in sys.modules
            assert "gridgov" not in sys.modules  # but gridgov itself is not imported
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1)


def test_the_option_group_is_listed(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--help")
    result.stdout.fnmatch_lines(["gridgov's testing kit:", "*--gridgov-policy=FILE*"])
