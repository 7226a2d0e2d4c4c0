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
    """Return the Markdown page of `rule`: heading, metadata, then its explanation.

    Examples
    --------
    >>> from gridgov.rules import builtin_registry
    >>> page = render_rule(builtin_registry()["GG206"])
    >>> page.splitlines()[:3]
    ['# GG206 one-secretary', '', '**Severity:** error · **Looks at:** organizations']
    >>> "## Fix" in page  # then the explanation
    True
    """
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
    """Return a plain-text table: code, severity letter, name, summary (one rule a line).

    Names are padded to the longest one, so that the summaries line up.

    Examples
    --------
    >>> from gridgov.rules import builtin_registry
    >>> r = builtin_registry()
    >>> print(render_table([r["GG206"], r["GG301"]]))
    GG206 E one-secretary                an organization has no secretary, or more than one
    GG301 E grid-branch-first-secretary  a grid branch has no first secretary, or more than one
    """
    rows = [(r.code, r.severity.letter, r.name, r.summary) for r in rules]
    width = max((len(name) for _, _, name, _ in rows), default=4)
    return "\n".join(f"{c} {s} {n.ljust(width)}  {m}" for c, s, n, m in rows)


def render_index(registry: Registry, *, link: bool = True) -> str:
    """Return the Markdown index of the registry: one table row per rule.

    Parameters
    ----------
    registry : Registry
        The rules to list, in code order.
    link : bool
        Link each code to its page ``CODE.md`` (as :func:`render_rule` writes it).

    Examples
    --------
    >>> from gridgov.rules import builtin_registry
    >>> lines = render_index(builtin_registry()).splitlines()
    >>> lines[0], lines[6]
    ('# Rules', '| [GG101](GG101.md) | unknown-reference | E | a reference names no known id |')
    >>> render_index(builtin_registry(), link=False).splitlines()[6]
    '| GG101 | unknown-reference | E | a reference names no known id |'
    """
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
