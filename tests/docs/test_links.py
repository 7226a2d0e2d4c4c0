"""Every relative link of the README and of ``docs/`` resolves: to a file, and to a heading.

Links are Markdown inline links ``[text](target)`` outside code blocks and code spans;
web addresses are not followed. A ``#anchor`` must be the GitHub slug of a heading of
the target page (lower case, punctuation dropped, spaces as hyphens, ``-1``, ``-2`` for
repeats), so a link that works in the repository's web view works here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
LINK = re.compile(r"(?<!\!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: its text lower-cased, punctuation dropped.

    >>> slug("The `gridgov` package"), slug("Documents (gridgov.io)"), slug("均禾 street!")
    ('the-gridgov-package', 'documents-gridgovio', '均禾-street')
    """
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of `page`'s headings, repeats numbered as GitHub numbers them."""
    seen: Counter[str] = Counter()
    out = set()
    text = FENCE.sub("", page.read_text("utf-8"))
    for match in HEADING.finditer(text):
        base = slug(match.group(2))
        out.add(base if not seen[base] else f"{base}-{seen[base]}")
        seen[base] += 1
    return out


def links(page: Path) -> list[tuple[int, str]]:
    """(line, target) of every inline link of `page` outside code."""
    text = page.read_text("utf-8")
    blanked = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    blanked = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), blanked)
    return [(blanked[: m.start()].count("\n") + 1, m.group(1)) for m in LINK.finditer(blanked)]


def test_slugs_follow_github() -> None:
    assert slug("Stores and buses (`gridgov.adapters`)") == "stores-and-buses-gridgovadapters"
    assert slug("`gridgov validate`") == "gridgov-validate"
    assert slug("What is here, and what is planned") == "what-is-here-and-what-is-planned"


def test_the_pages_have_links() -> None:
    """The check below is not vacuous: the README and the index link to many pages."""
    assert len(links(ROOT / "README.md")) > 10
    assert len(links(ROOT / "docs" / "index.md")) > 10


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for line, target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, ...
            continue
        path, _, anchor = target.partition("#")
        where = (page.parent / unquote(path)).resolve() if path else page
        if not where.exists():
            broken.append(f"{page.relative_to(ROOT)}:{line}: {target}: no such file")
            continue
        if anchor and where.suffix == ".md" and unquote(anchor) not in anchors(where):
            broken.append(f"{page.relative_to(ROOT)}:{line}: {target}: no such heading")
        elif anchor and where.is_dir():
            broken.append(f"{page.relative_to(ROOT)}:{line}: {target}: an anchor on a folder")
    assert not broken, "\n".join(broken)
