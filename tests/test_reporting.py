"""The one-page report: its HTML parsed, checked against the jurisdiction it describes."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from gridgov.errors import InvalidValueError
from gridgov.io import load
from gridgov.model import Jurisdiction
from gridgov.reporting import LABELS, render_report, write_report
from gridgov.summary import summarize
from gridgov.validation import validate

JUNHE = Path(__file__).parent.parent / "examples" / "junhe.json"


class Page(HTMLParser):
    """What the tests look at: every element's attributes, text by data attribute, links."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: dict[str, str] = {}
        self.codes: dict[str, list[str]] = {}
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []
        self.circles = 0
        self.bars = 0
        self.items: list[str] = []
        self.text: list[str] = []
        self._count: str | None = None
        self._code: str | None = None
        self._svg: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a: dict[str, Any] = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for key in ("src", "href"):
            if tag in ("link", "script", "img") and a.get(key):
                self.srcs.append(a[key])
        if "data-count" in a:
            self._count = a["data-count"]
        if tag == "tr" and "data-code" in a:
            self._code = a["data-code"]
            self.codes[self._code] = []
        if tag == "svg":
            self._svg = a.get("id")
        if tag == "circle" and self._svg == "community-map":
            self.circles += 1
        if tag == "rect" and self._svg == "branch-chart":
            self.bars += 1
        if tag == "li" and "data-s" in a:
            self.items.append(a["data-s"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._count = None
        if tag == "tr":
            self._code = None
        if tag == "svg":
            self._svg = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._count is not None:
            self.counts[self._count] = self.counts.get(self._count, "") + data
        if self._code is not None:
            self.codes[self._code].append(data)


@pytest.fixture
def junhe() -> Jurisdiction:
    return load(JUNHE)


def number(text: str) -> int:
    return int(text.replace(",", "").strip())


def test_the_report_shows_junhes_counts(junhe: Jurisdiction) -> None:
    page = Page(render_report(junhe))
    s = summarize(junhe)
    assert {k: number(v) for k, v in page.counts.items() if k in s.levels} == s.levels
    assert s.levels == {"street": 1, "community": 2, "branch": 5, "group": 7, "zone": 14}
    assert number(page.counts["members"]) == s.members == 37
    assert number(page.counts["filed"]) == s.filed == 31
    assert number(page.counts["households"]) == 42
    assert number(page.counts["zones_claimed"]) == 14


def test_junhe_has_no_findings_and_the_report_says_so(junhe: Jurisdiction) -> None:
    assert not validate(junhe)
    page = Page(render_report(junhe))
    assert page.codes == {}
    assert LABELS["no_findings"]["en"] in "".join(page.text)


def test_findings_are_listed_by_code_with_their_rule_page(junhe: Jurisdiction) -> None:
    secretary = next(p for p in junhe.posts.values() if p.org == "B1" and p.role == "secretary")
    junhe.vacate("B1", "secretary", secretary.holder)
    report = validate(junhe)
    expected = report.count_by_code()
    assert "GG206" in expected
    page = Page(render_report(junhe))
    assert set(page.codes) == set(expected)
    for code, n in expected.items():
        cells = [c.strip() for c in page.codes[code] if c.strip()]
        assert cells[0] == code
        assert str(n) in cells
        assert f"#rule-{code}" in page.links
        assert f"rule-{code}" in page.ids  # the embedded rule page the link leads to
    assert "'B1' has no secretary" in "".join(page.codes["GG206"])
    text = "".join(page.text)
    assert "What it does" in text
    assert "Fix" in text


def test_the_page_needs_no_network(junhe: Jurisdiction) -> None:
    html = render_report(junhe)
    page = Page(html)
    assert page.srcs == []  # no external script, stylesheet or image
    assert all(link.startswith("#") for link in page.links)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "@import" not in html


def test_the_chart_has_a_bar_per_branch_and_the_map_a_dot_per_household(
    junhe: Jurisdiction,
) -> None:
    page = Page(render_report(junhe, community="C1"))
    branches = [
        b
        for b in junhe.graph.at_level("branch")
        if not junhe.organizations[b].kind.endswith("team")
    ]
    assert page.bars == len(branches) == 5
    located = [
        h
        for h, zone in junhe.zone_of_household.items()
        if "C1" in junhe.graph.chain(zone) and junhe.households[h].location is not None
    ]
    assert page.circles == len(located) > 0
    assert "branch-chart" in page.ids
    assert "community-map" in page.ids


def test_the_tree_lists_every_organization_with_a_search_box(junhe: Jurisdiction) -> None:
    page = Page(render_report(junhe))
    assert "q" in page.ids
    assert "script" in page.tags
    names = {f"{o.id} {o.name}".lower() for o in junhe.organizations.values()}
    assert set(page.items) == names


def test_chinese_labels(junhe: Jurisdiction) -> None:
    text = "".join(Page(render_report(junhe, lang="zh")).text)
    for key in ("counts", "findings", "branches", "tree", "map"):
        assert LABELS[key]["zh"] in text
    assert "Counts per level" not in text
    assert "网格党支部" in text


def test_names_are_escaped(junhe: Jurisdiction) -> None:
    junhe.rename_org("B1", '<script>alert("x")</script>')
    html = render_report(junhe)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_write_report(tmp_path: Path, junhe: Jurisdiction) -> None:
    write_report(junhe, tmp_path / "r.html", lang="zh", title="报告")
    assert "<h1>报告</h1>" in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"lang": "fr"}, "lang"),
        ({"community": "B1"}, "community"),
        ({"community": "C9"}, "community"),
        ({"report": "none"}, "report"),
        ({"title": 3}, "title"),
    ],
)
def test_bad_options_are_refused(junhe: Jurisdiction, options: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        render_report(junhe, **options)
    assert str(info.value).startswith(f"{field}:")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt-get install chromium)")
def test_the_search_box_works_in_a_browser(tmp_path: Path, junhe: Jurisdiction) -> None:
    path = tmp_path / "r.html"
    write_report(junhe, path)

    def dom(fragment: str) -> str:
        run = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                f"{path.as_uri()}{fragment}",
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout

    searched = Page(dom("#q=" + quote("第二经济社")))
    hits = [c for c in searched.text if "matches" in c]
    wanted = [o for o in junhe.organizations.values() if "第二经济社" in o.name]
    assert hits == [f"{len(wanted)} matches"]
    secretary = next(p for p in junhe.posts.values() if p.org == "B1" and p.role == "secretary")
    junhe.vacate("B1", "secretary", secretary.holder)
    write_report(junhe, path)
    # following a finding's link opens its rule page
    assert '<details class="rule" id="rule-GG206" open' in dom("#rule-GG206")
    assert '<details class="rule" id="rule-GG206">' in dom("")
