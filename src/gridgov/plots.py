"""Plots of any jurisdiction (``gridgov.plot``, ``gridgov.plot_branches``), with matplotlib.

:func:`plot` maps one community: its households coloured by branch, in a qualitative
colour map where neighbouring branches always differ (a greedy colouring of the graph of
branches whose households are neighbours in a Delaunay triangulation), its zones'
centres (+) with lines to their claimants' homes, and a legend of the branches.
:func:`plot_branches` shows the members of every branch against ``max_branch_members``,
annotated with the number of branches over it.

Names are drawn only where a font that has Chinese characters is installed (the
Noto CJK fonts, Debian's ``fonts-noto-cjk``, Source Han, WenQuanYi, ...): without one,
labels use the ids, so matplotlib never warns of missing glyphs. Figures are made
without pyplot (no display needed): a notebook shows them, ``fig.savefig`` writes them.

Needs the ``notebook`` extra (matplotlib, and scipy for the triangulation).

Examples
--------
>>> import gridgov
>>> j = gridgov.load("examples/junhe.json")
>>> fig = gridgov.plot(j, "C1")
>>> [ax.get_title() for ax in fig.axes][1].startswith("community C1")
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from gridgov._deps import require
from gridgov.errors import InvalidValueError, UnknownReferenceError
from gridgov.model.jurisdiction import Jurisdiction

__all__ = ["CJK_FONTS", "cjk_font", "plot", "plot_branches"]

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
"""Font families with Chinese characters, in the order :func:`cjk_font` prefers them."""


@functools.cache
def cjk_font() -> str | None:
    """The family of an installed font with Chinese characters, or ``None``.

    Looks in matplotlib's font list, then (once) among the system's font files for a
    Noto CJK or WenQuanYi file matplotlib has not listed yet (fonts installed after its
    cache was made).

    Returns
    -------
    str or None
        A family from :data:`CJK_FONTS`, or ``None`` when none is installed.

    Examples
    --------
    >>> cjk_font() is None or cjk_font() in CJK_FONTS
    True
    """
    require("matplotlib", "notebook", "gridgov.plot")
    from matplotlib import font_manager

    def listed() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    found = listed()
    if found is not None:
        return found
    for path in font_manager.findSystemFonts():
        base = path.rsplit("/", 1)[-1].lower()
        if "cjk" in base or "wqy" in base or "sourcehan" in base:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken file
                continue
    return listed()


def _font(font: object) -> str | None:
    if font == "auto":
        return cjk_font()
    if font is None:
        return None
    if not isinstance(font, str) or not font:
        raise InvalidValueError("font", font, "must be 'auto', None or a font family name")
    return font


def _new_axes(ax: object, figsize: tuple[float, float]) -> Any:
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize, layout="constrained")
        return fig.subplots()
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise InvalidValueError("ax", ax, "must be a matplotlib Axes or None")
    return ax


def _check(j: object) -> Jurisdiction:
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    return j


def _branch_sizes(j: Jurisdiction) -> list[tuple[str, int]]:
    level = j.scheme.branch_level or j.scheme.child_level(j.scheme.top)
    if level is None:
        return []
    return [(b, j.graph.member_count(b)) for b in j.graph.at_level(level)]


def plot_branches(j: Jurisdiction, *, ax: Any = None) -> Any:
    """Plot the members of every branch, largest first, against the branch cap.

    Parameters
    ----------
    j : Jurisdiction
        Any jurisdiction.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure's single axes).

    Returns
    -------
    matplotlib.axes.Axes
        A bar per branch (members filed in it), a dashed line at the policy's
        ``max_branch_members`` (in a scheme with branches) and a text saying how many
        branches are over it.

    Raises
    ------
    InvalidValueError
        If `j` is not a Jurisdiction or `ax` not an Axes.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.load("examples/junhe.json")
    >>> ax = gridgov.plot_branches(j)
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (6, ['0 of 6 branches over the cap of 50'])
    """
    j = _check(j)
    require("matplotlib", "notebook", "gridgov.plot_branches")
    ax = _new_axes(ax, (8, 4))
    sizes = sorted(_branch_sizes(j), key=lambda item: (-item[1], item[0]))
    counts = [n for _, n in sizes]
    has_branches = j.scheme.branch_level is not None
    unit = "branches" if has_branches else "grids"
    cap = j.policy.max_branch_members
    colours = ["#b22222" if has_branches and n > cap else "#4c72b0" for n in counts]
    ax.bar(range(len(counts)), counts, width=0.9, color=colours, linewidth=0)
    ax.set_xlabel(f"{unit}, largest first ({len(counts):,})")
    ax.set_ylabel("members")
    if has_branches:
        over = sum(1 for n in counts if n > cap)
        ax.axhline(cap, color="black", linestyle="--", linewidth=1, label=f"cap {cap}")
        ax.legend(loc="upper right")
        ax.text(
            0.99,
            0.80,
            f"{over:,} of {len(counts):,} {unit} over the cap of {cap}",
            transform=ax.transAxes,
            ha="right",
            va="top",
        )
    ax.set_title(f"members per {'branch' if has_branches else 'grid'}: {len(counts):,} {unit}")
    return ax


def _adjacency(points: Any, labels: Sequence[str]) -> Any:
    """The graph of branches whose households are neighbours (Delaunay edges)."""
    import networkx as nx
    import numpy as np

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(dict.fromkeys(labels))
    unique = np.unique(points, axis=0)
    if len(unique) >= 3:
        try:
            from scipy.spatial import Delaunay, QhullError

            tri = Delaunay(points, qhull_options="QJ")
        except (ImportError, ValueError, QhullError):
            tri = None
        if tri is not None:
            for simplex in tri.simplices.tolist():
                for a, b in ((0, 1), (1, 2), (0, 2)):
                    la, lb = labels[simplex[a]], labels[simplex[b]]
                    if la != lb:
                        graph.add_edge(la, lb)
            return graph
    # few points: every pair of branches counts as neighbours
    names = list(graph)
    graph.add_edges_from((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    return graph


def _branch_colours(graph: Any) -> dict[str, int]:
    """Colour indexes for the branches so that neighbours differ (greedy colouring)."""
    import networkx as nx

    colouring: dict[str, int] = nx.greedy_color(graph, strategy="largest_first")
    return colouring


def plot(
    j: Jurisdiction,
    community: str | None = None,
    *,
    ax: Any = None,
    font: str | None = "auto",
) -> Any:
    """Map a community: households by branch, zones and their claimants, with a legend.

    Parameters
    ----------
    j : Jurisdiction
        Any jurisdiction whose households have locations.
    community : str, optional
        The id of the community (an organization at the level members register at) to
        map; default: the one with the most branches.
    ax : matplotlib.axes.Axes, optional
        Draw the map there. Without it, a new figure with two axes: the members per
        branch against the cap (:func:`plot_branches`) and the map.
    font : str or None
        ``"auto"``: label with names where a font with Chinese characters is installed
        (:func:`cjk_font`), with ids otherwise; a font family to use; ``None``: ids only.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn in (``ax.figure`` when `ax` is given).

    Raises
    ------
    InvalidValueError
        If an argument is of the wrong type, or no household of the community has a
        location.
    UnknownReferenceError
        If `community` is not a community of `j`.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.load("examples/junhe.json")
    >>> fig = gridgov.plot(j, "C1", font=None)
    >>> hist, grid_map = fig.axes
    >>> sorted(t.get_text() for t in grid_map.get_legend().get_texts())
    ['B1', 'B2', 'B3', 'zone centre']
    >>> gridgov.plot(j, "C9")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownReferenceError: community: unknown community 'C9'
    """
    j = _check(j)
    family = _font(font)
    require("matplotlib", "notebook", "gridgov.plot")
    import numpy as np

    graph, scheme = j.graph, j.scheme
    level = scheme.registration_level
    communities = graph.at_level(level)
    unit_level = scheme.branch_level or scheme.child_level(level)
    if community is None:
        if not communities:
            raise InvalidValueError("community", None, "the jurisdiction has no community to map")
        community = max(
            communities,
            key=lambda c: sum(1 for o in graph.subtree(c) if graph.level(o) == unit_level),
        )
    elif not isinstance(community, str):
        raise InvalidValueError("community", community, "must be a community id (a string)")
    elif community not in graph or graph.level(community) != level:
        raise UnknownReferenceError("community", community, level)

    zone_level = scheme.zone_level
    s = j._state
    households = j.households
    hx: list[float] = []
    hy: list[float] = []
    hb: list[str] = []
    zones: list[tuple[str, float, float]] = []
    branch_of: dict[str, str] = {}
    for org in graph.subtree(community):
        if graph.level(org) != zone_level:
            continue
        branch = (graph.ancestor_at(org, unit_level) if unit_level else None) or org
        pts = []
        for h in s.households_in.get(org, ()):
            loc = households[h].location
            if loc is not None:
                pts.append(loc)
                hx.append(loc[0])
                hy.append(loc[1])
                hb.append(branch)
        branch_of[org] = branch
        if pts:
            zones.append(
                (org, sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            )
    if not hx:
        raise InvalidValueError(
            "community", community, "none of its households has a location to map"
        )

    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(13, 5.5), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.3])
        plot_branches(j, ax=left)
        target = right
    else:
        target = _new_axes(ax, (8, 6))
        fig = target.figure
    from matplotlib import colormaps
    from matplotlib.font_manager import FontProperties

    props = FontProperties(family=family, size="small") if family is not None else None
    points = np.column_stack([hx, hy])
    adjacency = _adjacency(points, hb)
    colouring = _branch_colours(adjacency)
    n_colours = max(colouring.values(), default=0) + 1
    cmap = colormaps["tab10" if n_colours <= 10 else "tab20"]
    branches = list(dict.fromkeys(hb))
    names = {b: graph.org(b).name for b in branches}
    for b in branches:
        idx = [i for i, label in enumerate(hb) if label == b]
        label = f"{b} {names[b]}" if props is not None else b
        target.scatter(
            points[idx, 0],
            points[idx, 1],
            color=cmap(colouring[b] % cmap.N),
            s=16,
            linewidths=0,
            label=label,
        )
    for zone, x, y in zones:
        for person in s.claims_by_zone.get(zone, ()):
            home = j.people[person].household
            loc = None if home is None else households[home].location
            if loc is not None:
                target.plot([x, loc[0]], [y, loc[1]], color="black", linewidth=0.4, alpha=0.6)
    if zones:
        target.scatter(
            [z[1] for z in zones],
            [z[2] for z in zones],
            marker="+",
            color="black",
            s=24,
            linewidths=0.8,
            label="zone centre",
        )
    target.set_aspect("equal")
    title = f"community {community}"
    if props is not None:
        title += f" {graph.org(community).name}"
    plural = "branches" if unit_level == "branch" else f"{unit_level}s"
    target.set_title(
        f"{title}: {len(branches)} {plural}, zones (+), claimants", fontproperties=props
    )
    target.set_xlabel("metres")
    target.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        ncols=1 if len(branches) <= 20 else 2,
        prop=props if props is not None else {"size": "small"},
        title=unit_level,
    )
    return fig
