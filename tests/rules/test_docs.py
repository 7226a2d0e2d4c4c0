"""Rule documentation: every rule's page has its code, name and the four sections."""

from __future__ import annotations

import re

import pytest

from gridgov.model import Policy
from gridgov.rules import Registry, Rule, builtin_registry
from gridgov.rules.docs import render_index, render_rule, render_table

REGISTRY = builtin_registry()
SECTIONS = ("What it does", "Why it matters", "Example", "Fix")


@pytest.mark.parametrize("code", list(REGISTRY))
def test_every_rule_page_has_code_name_and_sections(code: str) -> None:
    rule = REGISTRY[code]
    page = render_rule(rule)
    lines = page.splitlines()
    assert lines[0] == f"# {code} {rule.name}"
    assert f"**Severity:** {rule.severity.value}" in page
    headings = [line[3:].strip() for line in lines if line.startswith("## ")]
    assert headings == list(SECTIONS), headings
    for section in SECTIONS:  # and none of them is empty
        body = page.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
        assert body.strip(), f"{code}: empty section {section!r}"
    assert page.endswith("\n")
    assert rule.summary[1:] in page


@pytest.mark.parametrize("code", list(REGISTRY))
def test_thresholds_named_in_a_page_are_policy_settings_with_their_defaults(code: str) -> None:
    """A page names a threshold as ``name`` (default): both must match the policy."""
    page = render_rule(REGISTRY[code])
    defaults = Policy()
    for name, value in re.findall(r"`([a-z_]+)` \((\d+)", page):
        assert name in Policy.names(), f"{code} names an unknown threshold {name!r}"
        assert getattr(defaults, name) == int(value), f"{code}: {name} defaults to {value}?"


THRESHOLD_RULES = {"GG201", "GG202", "GG203", "GG204", "GG207", "GG208", "GG311"}


def test_threshold_rules_name_their_thresholds() -> None:
    for code in THRESHOLD_RULES:
        assert re.search(r"`[a-z_]+` \(\d+", render_rule(REGISTRY[code])), code


def test_first_secretary_page_explains_the_rule() -> None:
    page = render_rule(REGISTRY["GG301"])
    assert "first secretary" in page
    assert "第一书记" in page
    assert "street" in page


def test_index_and_table_list_every_rule() -> None:
    index = render_index(REGISTRY)
    table = render_table(REGISTRY.values())
    assert len(table.splitlines()) == len(REGISTRY)
    for code, rule in REGISTRY.items():
        assert f"| [{code}]({code}.md) | {rule.name} | {rule.severity.letter} |" in index
        assert re.search(
            rf"^{code} {rule.severity.letter} {rule.name} +{re.escape(rule.summary)}$", table, re.M
        )
    assert "[GG101]" not in render_index(REGISTRY, link=False)


def test_a_third_party_rule_gets_a_page_from_its_docstring() -> None:
    def check(ctx: object, subjects: object) -> list[object]:
        """## What it does
        Finds nothing.

        ## Why it matters
        It is an example.

        ## Example
        Any document.

        ## Fix
        None needed.
        """
        return []

    rule = Rule("XX123", "finds-nothing", "I", "finds nothing", check)  # type: ignore[arg-type]
    page = render_rule(rule)
    assert page.startswith("# XX123 finds-nothing\n")
    assert "**Severity:** info · **Looks at:** organizations" in page
    assert [line for line in page.splitlines() if line.startswith("## ")] == [
        f"## {s}" for s in SECTIONS
    ]
    assert "XX123" in render_index(Registry([rule]))
