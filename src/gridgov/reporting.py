"""A one-page report of a jurisdiction: one self-contained HTML file (``gridgov report``).

The page needs no network: its CSS, its few lines of JavaScript (the search box of the
organization tree) and its charts (inline SVG) are all in the file, and the rule pages of
the findings it lists are embedded in it (rendered from the registry, the same text as
``gridgov rule CODE`` and ``docs/reference/rules/``), linked from the findings table by
in-page anchors, so the links work wherever the file is opened or sent. It is built with
the standard library (:mod:`html` escaping), so it works in the core install.

Sections: the counts per level (from :func:`gridgov.summary.summarize`), the findings by
code (from :func:`gridgov.validate`), members per branch against the cap (a bar chart),
the map of one community (its households coloured by branch) and the organization tree
with a search box. Labels are English (``lang="en"``) or Chinese (``lang="zh"``).

Examples
--------
>>> from gridgov.io import load
>>> page = render_report(load("examples/junhe.json"), lang="zh")
>>> page.startswith("<!DOCTYPE html>"), "均禾街党工委" in page, "http" in page.split("<body")[0]
(True, True, False)
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from gridgov._files import check_path, write_bytes
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.model.enums import OrgKind
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.rosters import _check_lang, _member_counts
from gridgov.rules.diagnostics import Report
from gridgov.rules.docs import render_rule
from gridgov.summary import summarize

__all__ = ["LABELS", "LANGUAGES", "render_report", "write_report"]

LANGUAGES = ("en", "zh")
"""The languages of the report's labels."""

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "Jurisdiction report", "zh": "党组织网格化管理报告"},
    "scheme": {"en": "scheme", "zh": "层级方案"},
    "as_of": {"en": "as of", "zh": "截至"},
    "version": {"en": "version", "zh": "版本"},
    "counts": {"en": "Counts per level", "zh": "各级组织数量"},
    "level": {"en": "level", "zh": "层级"},
    "count": {"en": "count", "zh": "数量"},
    "people": {"en": "people", "zh": "人员"},
    "members": {"en": "Party members", "zh": "党员"},
    "full": {"en": "full members", "zh": "正式党员"},
    "probationary": {"en": "probationary members", "zh": "预备党员"},
    "filed": {"en": "members filed (入格)", "zh": "已入格党员"},
    "registered": {"en": "registered at residence", "zh": "居住地报到"},
    "households": {"en": "households", "zh": "住户"},
    "zones_claimed": {"en": "zones claimed", "zh": "已认领责任区"},
    "attached": {"en": "attached members", "zh": "编入临时/功能组织的党员"},
    "teams": {"en": "service teams", "zh": "服务队"},
    "findings": {"en": "Findings by code", "zh": "问题（按规则代码）"},
    "no_findings": {"en": "No findings: every rule passes.", "zh": "未发现问题：全部规则通过。"},
    "code": {"en": "code", "zh": "代码"},
    "severity": {"en": "severity", "zh": "级别"},
    "rule": {"en": "rule", "zh": "规则"},
    "examples": {"en": "first findings", "zh": "部分问题"},
    "rules": {"en": "Rule pages", "zh": "规则说明"},
    "branches": {"en": "Members per branch against the cap", "zh": "各支部党员数与上限"},
    "cap": {"en": "cap", "zh": "上限"},
    "over": {"en": "over the cap", "zh": "超过上限"},
    "no_branches": {"en": "No branches.", "zh": "没有支部。"},
    "tree": {"en": "Organization tree", "zh": "组织架构"},
    "search": {"en": "search by id or name", "zh": "按编号或名称搜索"},
    "hits": {"en": "matches", "zh": "条匹配"},
    "tree_cut": {
        "en": "The tree stops above the {level} level ({n} organizations in all).",
        "zh": "组织树未列出{level}（共 {n} 个组织）。",
    },
    "map": {"en": "Map of community", "zh": "社区地图"},
    "no_map": {
        "en": "No household of this jurisdiction has a location.",
        "zh": "没有住户位置信息。",
    },
    "map_note": {
        "en": "{n} households with a location, coloured by branch; grey: in a zone of no branch.",
        "zh": "{n} 户有位置信息的住户，按支部着色；灰色：所在责任区不属于任何支部。",
    },
    "sampled": {"en": " (every {k}th drawn)", "zh": "（每 {k} 户绘制一户）"},
    "error": {"en": "error", "zh": "错误"},
    "warning": {"en": "warning", "zh": "警告"},
    "info": {"en": "info", "zh": "提示"},
    "lang_note": {"en": "中文标签: gridgov report --lang zh", "zh": "English labels: --lang en"},
}
"""Every label of the page, in English and Chinese."""

LEVEL_NAMES_ZH = {
    "district": "区委",
    "street": "街道党工委",
    "community": "社区(村)党组织",
    "branch": "网格党支部",
    "group": "网格党小组",
    "zone": "党员责任区",
    "grid": "网格",
    "member_household": "党员户",
}

# a qualitative palette (Tableau 10 and two more), readable on white
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#8c564b",
    "#bcbd22",
)
TEAMS = frozenset({OrgKind.VOLUNTEER_TEAM, OrgKind.COMMANDO_TEAM, OrgKind.SERVICE_TEAM})
"""Service teams sit at the branch level but are no branches: left out of the chart."""
MAX_TREE = 5000
"""Above this many organizations the tree leaves out the zone level."""
MAX_POINTS = 20000
"""At most this many households are drawn on the map."""
MAX_EXAMPLES = 5
"""Findings shown per code."""

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC",
"Microsoft YaHei",system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;
color:#222;line-height:1.45}
h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #c00;padding-bottom:2px;
margin-top:1.6em;font-size:1.25em}
.meta{color:#555}.lang{float:right;color:#888;font-size:.85em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;
font-variant-numeric:tabular-nums}
.grid{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.sev-error{color:#b00;font-weight:bold}.sev-warning{color:#b60}.sev-info{color:#06c}
details.rule{border:1px solid #ddd;border-radius:4px;padding:4px 10px;margin:6px 0}
details.rule pre{background:#f6f6f6;padding:6px;overflow-x:auto}
#tree ul{list-style:none;padding-left:18px;margin:0}#tree>ul{padding-left:0}
#tree summary,#tree .leaf{cursor:default}#tree small{color:#777}
.lv{display:inline-block;font-size:.75em;border-radius:3px;padding:0 4px;margin-right:4px;
background:#eee;color:#333}
#q{font-size:1em;padding:4px 8px;width:320px}
.legend span{display:inline-block;margin:2px 10px 2px 0;font-size:.85em}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:50%}
svg{max-width:100%;height:auto}
"""

JS = """
(function(){var q=document.getElementById('q'),hits=document.getElementById('hits');
var lis=Array.prototype.slice.call(document.querySelectorAll('#tree li'));
q.addEventListener('input',function(){var t=q.value.trim().toLowerCase();
if(!t){lis.forEach(function(li){li.hidden=false});hits.textContent='';return;}
lis.forEach(function(li){li.hidden=true});var n=0;
lis.forEach(function(li){if(li.getAttribute('data-s').indexOf(t)<0)return;n++;
for(var e=li;e&&e.id!=='tree';e=e.parentElement){if(e.tagName==='LI')e.hidden=false;
if(e.tagName==='DETAILS')e.open=true;}});
hits.textContent=n+' '+hits.getAttribute('data-w');});
function openRule(){var d=document.getElementById(location.hash.slice(1));
if(d&&d.tagName==='DETAILS')d.open=true;}
function fromHash(){var m=location.hash.match(/^#q=(.*)$/);if(m){
q.value=decodeURIComponent(m[1]);q.dispatchEvent(new Event('input'));}}
window.addEventListener('hashchange',function(){openRule();fromHash();});
openRule();fromHash();})();
"""


class _Page:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.parts: list[str] = []

    def t(self, key: str, **values: object) -> str:
        text = LABELS[key][self.lang].format(**values)
        return html.escape(text)

    def level(self, level: str) -> str:
        if self.lang == "zh":
            return html.escape(LEVEL_NAMES_ZH.get(level, level))
        return html.escape(level)

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def render_report(
    j: Jurisdiction,
    *,
    lang: str = "en",
    community: str | None = None,
    report: Report | None = None,
    title: str | None = None,
) -> str:
    """Return the one-page HTML report of `j`.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    lang : str
        ``en`` or ``zh``: the language of the labels.
    community : str, optional
        The community whose map is drawn; default: the one with the most located
        households.
    report : Report, optional
        The findings to show (default: ``gridgov.validate(j)``).
    title : str, optional
        The page's heading (default: the root organization's name).

    Returns
    -------
    str
        A complete HTML document, with no reference to any other file or address.

    Raises
    ------
    InvalidValueError
        If `lang` is not a language, `community` is not an organization at the
        community level, or `report` is not a :class:`~gridgov.Report`.

    Examples
    --------
    >>> from gridgov.io import load
    >>> page = render_report(load("examples/junhe.json"))
    >>> "Counts per level" in page, "<svg" in page, "No findings" in page
    (True, True, True)
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    page = _Page(_check_lang(lang))
    if report is not None and not isinstance(report, Report):
        raise InvalidValueError("report", report, "must be a Report (gridgov.validate) or None")
    if title is not None and not isinstance(title, str):
        raise InvalidValueError("title", title, "must be a string or None")
    community_level = j.scheme.registration_level
    if community is not None and (
        not isinstance(community, str)
        or community not in j.organizations
        or j.graph.level(community) != community_level
    ):
        raise InvalidValueError(
            "community",
            community,
            f"must be the id of an organization at the {community_level} level",
        )
    if report is None:
        from gridgov.validation import validate

        report = validate(j)
    summary = summarize(j, top=0)
    root = summary.root
    heading = title if title is not None else (j.organizations[root].name if root else "")
    page.add(
        "<!DOCTYPE html>\n",
        f'<html lang="{"zh-Hans" if page.lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} · {page.t('title')}</title><style>{CSS}</style></head><body>",
        f'<p class="lang">{page.t("lang_note")}</p>',
        f"<h1>{_e(heading)}</h1>",
        f'<p class="meta">{page.t("title")} · {page.t("scheme")} {_e(summary.scheme)}',
        f" · {page.t('as_of')} {_e(summary.as_of or '—')} · {page.t('version')} {j.version}</p>",
    )
    counts = _member_counts(j)
    _counts(page, summary)
    _findings(page, j, report)
    _branches(page, j, counts)
    _map(page, j, community, community_level)
    _tree(page, j, counts)
    page.add(f"<script>{JS}</script></body></html>\n")
    return "".join(page.parts)


def write_report(j: Jurisdiction, path: str | os.PathLike[str], **options: Any) -> None:
    """Write :func:`render_report` of `j` to `path` (UTF-8).

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    path : path
        The HTML file (replaced if it exists).
    **options
        Passed to :func:`render_report`.

    Raises
    ------
    FileError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from gridgov.io import load
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_report(load("examples/junhe.json"), pathlib.Path(d, "r.html"))
    ...     pathlib.Path(d, "r.html").read_text("utf-8")[:15]
    '<!DOCTYPE html>'
    """
    where = check_path("path", path)
    write_bytes(where, render_report(j, **options).encode("utf-8"))


def _branch_level(j: Jurisdiction) -> str:
    """The scheme's branch level; in a scheme without one (three-level), its filing level."""
    return j.scheme.branch_level or j.scheme.filing_level


# -- sections --------------------------------------------------------------------------------


def _counts(page: _Page, s: Any) -> None:
    page.add(f'<h2 id="counts">{page.t("counts")}</h2><div class="grid"><table>')
    page.add(f"<tr><th>{page.t('level')}</th><th>{page.t('count')}</th></tr>")
    for level, n in s.levels.items():
        small = f" <small>{_e(level)}</small>" if page.lang == "zh" else ""
        page.add(
            f'<tr><td>{page.level(level)}{small}</td><td class="n" '
            f'data-count="{_e(level)}">{_n(n)}</td></tr>'
        )
    page.add("</table><table>")
    for key, value in (
        ("members", s.members),
        ("full", s.full_members),
        ("probationary", s.probationary_members),
        ("filed", s.filed),
        ("registered", s.registered),
        ("attached", s.attached),
        ("teams", s.teams),
        ("people", s.people),
        ("households", s.households),
        ("zones_claimed", s.zones_claimed),
    ):
        page.add(
            f'<tr><td>{page.t(key)}</td><td class="n" data-count="{key}">{_n(value)}</td></tr>'
        )
    page.add("</table></div>")


def _findings(page: _Page, j: Jurisdiction, report: Report) -> None:
    from gridgov.plugins import registry

    page.add(f'<h2 id="findings">{page.t("findings")}</h2>')
    by_code = report.count_by_code()
    if not by_code:
        page.add(f'<p class="ok">{page.t("no_findings")}</p>')
        return
    rules = registry()
    page.add(
        f"<table><tr><th>{page.t('code')}</th><th>{page.t('severity')}</th>"
        f"<th>{page.t('count')}</th><th>{page.t('rule')}</th><th>{page.t('examples')}</th></tr>"
    )
    shown: list[str] = []
    for code, n in sorted(by_code.items()):
        found = report.by_code(code)
        sev = found[0].severity.value if found else "error"
        rule = rules.get(code)
        name = f"{rule.name}: {rule.summary}" if rule is not None else ""
        link = f'<a href="#rule-{_e(code)}">{_e(code)}</a>' if rule is not None else _e(code)
        if rule is not None:
            shown.append(code)
        examples = "<br>".join(_e(d.message) for d in found[:MAX_EXAMPLES])
        if len(found) > MAX_EXAMPLES:
            examples += f"<br>… {_n(len(found) - MAX_EXAMPLES)}"
        page.add(
            f'<tr data-code="{_e(code)}"><td>{link}</td>'
            f'<td class="sev-{_e(sev)}">{page.t(sev) if sev in LABELS else _e(sev)}</td>'
            f'<td class="n">{_n(n)}</td><td>{_e(name)}</td><td><small>{examples}</small></td></tr>'
        )
    page.add("</table>")
    if shown:
        page.add(f'<h2 id="rules">{page.t("rules")}</h2>')
        for code in shown:
            rule = rules[code]
            page.add(
                f'<details class="rule" id="rule-{_e(code)}"><summary><b>{_e(code)}</b> '
                f"{_e(rule.name)}: {_e(rule.summary)}</summary>{_markdown(render_rule(rule))}"
                "</details>"
            )


def _markdown(text: str) -> str:
    """A rule page's Markdown as HTML (headings two levels down, under the section's);
    raw HTML in it is escaped, so a plugin's rule text cannot inject markup."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    tokens = md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return str(md.renderer.render(tokens, md.options, {}))


def _cap(j: Jurisdiction, org: str) -> int | None:
    kind = j.organizations[org].kind
    if kind is OrgKind.COMMITTEE:
        return None
    name = "general_branch_max_members" if kind is OrgKind.GENERAL else "max_branch_members"
    try:
        value = j.policy.get(name)
    except PolicyError:  # a policy without the setting
        return None
    return int(value) if isinstance(value, int) else None


def _branches(page: _Page, j: Jurisdiction, counts: Mapping[str, int]) -> None:
    level = _branch_level(j)
    page.add(f'<h2 id="branches">{page.t("branches")}</h2>')
    orgs = j.organizations
    branches = [b for b in j.graph.at_level(level) if orgs[b].kind not in TEAMS]
    if not branches:
        page.add(f"<p>{page.t('no_branches')}</p>")
        return
    rows = sorted(((counts[b], b) for b in branches), key=lambda x: (-x[0], x[1]))
    caps = {b: _cap(j, b) for b in branches}
    over = [b for n, b in rows if caps[b] is not None and n > caps[b]]  # type: ignore[operator]
    cap_values = [c for c in caps.values() if c is not None]
    cap = Counter(cap_values).most_common(1)[0][0] if cap_values else None
    most = max([rows[0][0], *(c for c in cap_values)], default=1) or 1
    page.add(
        f'<p data-over="{len(over)}">{page.level(level)}: {_n(len(branches))}; '
        f"{page.t('cap')} {cap if cap is not None else '—'}; "
        f'<b class="sev-warning">{_n(len(over))}</b> {page.t("over")}</p>'
    )
    if len(rows) <= 60:
        _bars_labelled(page, j, rows, caps, most)
    else:
        _bars_dense(page, rows, caps, most, cap)


def _bars_labelled(
    page: _Page,
    j: Jurisdiction,
    rows: list[tuple[int, str]],
    caps: Mapping[str, int | None],
    most: int,
) -> None:
    label_w, bar_w, h = 300, 560, 20
    width, height = label_w + bar_w + 60, h * len(rows) + 30
    scale = bar_w / most
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-size="12" id="branch-chart">'
    ]
    for i, (n, b) in enumerate(rows):
        y = 10 + i * h
        cap = caps[b]
        colour = "#e15759" if cap is not None and n > cap else "#4e79a7"
        name = j.organizations[b].name
        out.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(b)} {_e(name[:22])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(n * scale, 1):.1f}" height="{h - 6}" '
            f'fill="{colour}"><title>{_e(b)}: {n}</title></rect>'
            f'<text x="{label_w + n * scale + 4:.1f}" y="{y + 14}">{n}</text>'
        )
        if cap is not None:
            x = label_w + cap * scale
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + h}" stroke="#c00" '
                'stroke-dasharray="3,2"/>'
            )
    out.append("</svg>")
    page.add("".join(out))


def _bars_dense(
    page: _Page,
    rows: list[tuple[int, str]],
    caps: Mapping[str, int | None],
    most: int,
    cap: int | None,
) -> None:
    left, plot_w, plot_h = 50, 1080, 300
    width, height = left + plot_w + 20, plot_h + 50
    step = plot_w / len(rows)
    scale = plot_h / most
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-size="12" id="branch-chart">'
    ]
    for tick in _ticks(most):
        y = 10 + plot_h - tick * scale
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    bars = []
    for i, (n, b) in enumerate(rows):
        c = caps[b]
        colour = "#e15759" if c is not None and n > c else "#4e79a7"
        bars.append(
            f'<rect x="{left + i * step:.2f}" y="{10 + plot_h - n * scale:.1f}" '
            f'width="{max(step * 0.9, 0.6):.2f}" height="{n * scale:.1f}" fill="{colour}">'
            f"<title>{_e(b)}: {n}</title></rect>"
        )
    out.extend(bars)
    if cap is not None:
        y = 10 + plot_h - cap * scale
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c00" '
            f'stroke-width="1.5" stroke-dasharray="6,3"/><text x="{left + plot_w - 4}" '
            f'y="{y - 4:.1f}" text-anchor="end" fill="#c00">{page.t("cap")} {cap}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 12}" text-anchor="middle" fill="#555">'
        f"{_n(len(rows))} → </text></svg>"
    )
    page.add("".join(out))


def _ticks(most: int) -> list[int]:
    raw = most / 5
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return list(range(0, most + 1, max(int(step), 1)))


def _tree(page: _Page, j: Jurisdiction, counts: Mapping[str, int]) -> None:
    graph = j.graph
    levels = j.scheme.levels
    cut = levels[-1] if len(j.organizations) > MAX_TREE and len(levels) > 1 else None
    page.add(
        f'<h2 id="tree-title">{page.t("tree")}</h2>',
        f'<p><input id="q" type="search" placeholder="{page.t("search")}" '
        f'aria-label="{page.t("search")}"> <span id="hits" data-w="{page.t("hits")}"></span></p>',
    )
    if cut is not None:
        page.add(
            f"<p><small>{page.t('tree_cut', level=page.level(cut), n=_n(len(j.organizations)))}</small></p>"
        )
    orgs = j.organizations
    out: list[str] = ['<div id="tree"><ul>']

    def node(org: str, depth: int) -> None:
        o = orgs[org]
        kids = [c for c in graph.children(org) if graph.level(c) != cut]
        label = (
            f'<span class="lv">{page.level(o.level)}</span>{_e(org)} {_e(o.name)} '
            f"<small>({_n(counts.get(org, 0))})</small>"
        )
        search = _e(f"{org} {o.name}".lower())
        if not kids:
            out.append(f'<li data-s="{search}"><span class="leaf">{label}</span></li>')
            return
        opened = " open" if depth < 2 else ""
        out.append(f'<li data-s="{search}"><details{opened}><summary>{label}</summary><ul>')
        for c in kids:
            node(c, depth + 1)
        out.append("</ul></details></li>")

    for r in graph.roots():  # at most MAX_DEPTH (32) levels: recursion is safe
        node(r, 0)
    out.append("</ul></div>")
    page.add("".join(out))


def _map(page: _Page, j: Jurisdiction, community: str | None, level: str) -> None:
    graph = j.graph
    zone_of = j.zone_of_household
    households = j.households
    branch_level = _branch_level(j)
    # household -> (community, branch) through its zone
    chain_cache: dict[str, tuple[str | None, str | None]] = {}

    def place(zone: str) -> tuple[str | None, str | None]:
        got = chain_cache.get(zone)
        if got is None:
            com = br = None
            for o in graph.chain(zone):
                lv = graph.level(o)
                if lv == level:
                    com = o
                elif lv == branch_level:
                    br = o
            got = chain_cache[zone] = (com, br)
        return got

    located: dict[str, list[tuple[float, float, str | None]]] = {}
    for hid, h in households.items():
        if h.location is None:
            continue
        zone = zone_of.get(hid)
        com, br = place(zone) if zone is not None else (None, None)
        if com is not None:
            located.setdefault(com, []).append((h.location[0], h.location[1], br))
    if community is None and located:
        community = max(located, key=lambda c: (len(located[c]), c))
    name = j.organizations[community].name if community is not None else ""
    page.add(f'<h2 id="map">{page.t("map")} {_e(community or "")} {_e(name)}</h2>')
    points = located.get(community or "", [])
    if not points:
        page.add(f"<p>{page.t('no_map')}</p>")
        return
    k = max(1, math.ceil(len(points) / MAX_POINTS))
    note = page.t("map_note", n=_n(len(points))) + (page.t("sampled", k=k) if k > 1 else "")
    page.add(f'<p data-points="{len(points)}">{note}</p>')
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1e-9)
    width = 1000.0
    height = max(200.0, min(800.0, width * (y1 - y0) / max(x1 - x0, 1e-9)))
    scale = min((width - 40) / max(x1 - x0, span * 1e-3), (height - 40) / max(y1 - y0, span * 1e-3))
    colours = _colour_branches(points)
    radius = 4 if len(points) < 500 else 2.5 if len(points) < 5000 else 1.5
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" id="community-map">'
        f'<rect width="100%" height="100%" fill="#fafafa" stroke="#ddd"/>'
    ]
    for i, (x, y, br) in enumerate(points):
        if i % k:
            continue
        cx = 20 + (x - x0) * scale
        cy = height - 20 - (y - y0) * scale  # north up
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" '
            f'fill="{colours.get(br, "#999") if br else "#999"}"/>'
        )
    out.append("</svg>")
    page.add("".join(out))
    legend = sorted(colours.items())[:80]
    page.add(
        '<p class="legend">'
        + "".join(
            f'<span><i style="background:{c}"></i>{_e(b)} {_e(j.organizations[b].name[:16])}</span>'
            for b, c in legend
        )
        + (" …" if len(colours) > 80 else "")
        + "</p>"
    )


def _colour_branches(points: Iterable[tuple[float, float, str | None]]) -> dict[str, str]:
    """A colour per branch such that branches whose centres are near differ (greedy)."""
    sums: dict[str, list[float]] = {}
    for x, y, br in points:
        if br is None:
            continue
        s = sums.setdefault(br, [0.0, 0.0, 0.0])
        s[0] += x
        s[1] += y
        s[2] += 1
    centres = {b: (s[0] / s[2], s[1] / s[2]) for b, s in sums.items()}
    order = sorted(centres, key=lambda b: (centres[b][0], centres[b][1], b))
    colours: dict[str, str] = {}
    for b in order:
        cx, cy = centres[b]
        near = sorted(colours, key=lambda o: (centres[o][0] - cx) ** 2 + (centres[o][1] - cy) ** 2)[
            : len(PALETTE) - 1
        ]
        taken = {colours[o] for o in near}
        colours[b] = next(
            (c for c in PALETTE if c not in taken), PALETTE[len(colours) % len(PALETTE)]
        )
    return colours
