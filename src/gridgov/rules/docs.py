"""Render the rule catalogue as text: the source of ``gridgov rule(s)`` and the docs pages.

Every page is generated from the registry (code, name, severity, summary, explanation),
so no rule text is written twice.

Examples
--------
>>> from gridgov.rules import builtin_registry
>>> print(render_rule(builtin_registry()["GG206"]).splitlines()[0])
# GG206 one-secretary
"""

from __future__ import annotations

from collections.abc import Iterable

from gridgov.rules.registry import Registry, Rule

__all__ = ["render_index", "render_rule", "render_table"]

_SUBJECTS = {
    "org": "organizations",
    "person": "people",
    "jurisdiction": "the jurisdiction as a whole",
    "document": "the document's structure (found while reading a document)",
}


def render_rule(rule: Rule) -> str:
    """Return the Markdown page of `rule`: heading, metadata, then its explanation."""
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"**Severity:** {rule.severity.value} · **Looks at:** {_SUBJECTS[rule.subject]}",
        "",
        f"{rule.summary[0].upper()}{rule.summary[1:]}.",
        "",
        rule.explanation.strip(),
        "",
    ]
    return "\n".join(lines)


def render_table(rules: Iterable[Rule]) -> str:
    """Return a plain-text table: code, severity letter, name, summary (one rule a line)."""
    rows = [(r.code, r.severity.letter, r.name, r.summary) for r in rules]
    width = max((len(name) for _, _, name, _ in rows), default=4)
    return "\n".join(f"{c} {s} {n.ljust(width)}  {m}" for c, s, n, m in rows)


def render_index(registry: Registry, *, link: bool = True) -> str:
    """Return the Markdown index of the registry: one table row per rule."""
    lines = [
        "# Rules",
        "",
        "Every rule gridgov checks, with its stable code and default severity "
        "(E error, W warning, I info). `gridgov rules` prints this list; "
        "`gridgov rule CODE` prints a rule's page.",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for rule in registry.values():
        code = f"[{rule.code}]({rule.code}.md)" if link else rule.code
        lines.append(f"| {code} | {rule.name} | {rule.severity.letter} | {rule.summary} |")
    lines.append("")
    return "\n".join(lines)
