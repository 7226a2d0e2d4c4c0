"""gridgov.plot and gridgov.plot_branches, rendered with Agg: what the axes hold.

Legend entries, the number of colours, neighbouring branches in different colours, the
cap annotation; labels with Chinese names only where a CJK font is installed, ids
otherwise, without a missing-glyph warning (the suite turns warnings into errors).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import gridgov
from gridgov import plots
from gridgov.allocation import simulate
from gridgov.errors import InvalidValueError, UnknownReferenceError

matplotlib.use("Agg")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _render(fig: Figure) -> None:
    FigureCanvasAgg(fig).draw()


def _branch_collections(ax: object) -> dict[str, str]:
    """Legend label of each household scatter (one per branch) to its colour."""
    out = {}
    for coll in ax.collections:  # type: ignore[attr-defined]
        label = coll.get_label()
        if label == "zone centre":
            continue
        colours = {to_hex(c) for c in coll.get_facecolors()}
        assert len(colours) == 1, label
        out[label.split(" ")[0]] = colours.pop()
    return out


@pytest.fixture(scope="module")
def derive() -> gridgov.SimulationResult:
    return simulate("junhe", mode="derive", seed=0)


def test_the_map_has_a_legend_and_neighbouring_branches_differ(
    derive: gridgov.SimulationResult,
) -> None:
    j = derive.jurisdiction
    assert j is not None
    frames = gridgov.frames(j)
    orgs = frames.organizations
    branches_per_c = orgs[orgs.level == "branch"].parent.value_counts()
    community = str(branches_per_c.idxmax())
    fig = gridgov.plot(j, community, font=None)
    _render(fig)
    _bars, grid_map = fig.axes
    colours = _branch_collections(grid_map)
    expected = set(orgs.id[(orgs.level == "branch") & (orgs.parent == community)])
    assert set(colours) == expected
    legend = [t.get_text() for t in grid_map.get_legend().get_texts()]
    assert sorted(legend) == sorted([*expected, "zone centre"])
    # neighbours (households adjacent in the triangulation) never share a colour
    houses = frames.households.dropna(subset=["x"]).merge(
        frames.zones[["id", "branch"]], left_on="zone", right_on="id"
    )
    houses = houses[houses.branch.isin(expected)]
    graph = plots._adjacency(houses[["x", "y"]].to_numpy(), houses.branch.tolist())
    assert graph.number_of_edges() > 0
    for a, b in graph.edges:
        assert colours[a] != colours[b], (a, b)
    # a qualitative map: few colours for many branches
    assert len(set(colours.values())) < len(colours)
    assert len(set(colours.values())) <= 10
    assert grid_map.get_title().startswith(f"community {community}:")
    # zone centres with lines to the claimants' homes
    assert len(grid_map.lines) >= len(frames.zones[frames.zones.branch.isin(expected)])


def test_the_branch_plot_marks_the_cap_and_counts_those_over_it() -> None:
    r = simulate("junhe", seed=0)  # given mode: the sources' branches, 12 over the cap
    j = r.jurisdiction
    assert j is not None
    ax = gridgov.plot_branches(j)
    _render(ax.figure)
    heights = [bar.get_height() for bar in ax.patches]
    sizes = sorted((j.graph.member_count(b) for b in j.graph.at_level("branch")), reverse=True)
    assert heights == sizes
    over = sum(1 for n in sizes if n > j.policy.max_branch_members)
    assert over == r.report.branches_over_cap > 0
    assert [t.get_text() for t in ax.texts] == [
        f"{over} of {len(sizes)} branches over the cap of {j.policy.max_branch_members}"
    ]
    (cap,) = ax.lines
    assert cap.get_ydata()[0] == j.policy.max_branch_members
    red = sum(1 for bar in ax.patches if to_hex(bar.get_facecolor()) == "#b22222")
    assert red == over


def test_plot_draws_into_a_given_axes(derive: gridgov.SimulationResult) -> None:
    fig = Figure()
    ax = fig.subplots()
    out = gridgov.plot(derive.jurisdiction, ax=ax, font=None)  # type: ignore[arg-type]
    assert out is fig
    assert fig.axes == [ax]
    assert ax.get_legend() is not None
    via_result = derive.plot(community="C1", ax=Figure().subplots(), font=None)
    assert via_result.axes[0].get_title().startswith("community C1:")


def test_the_loaded_example_with_or_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    j = gridgov.load(EXAMPLES / "junhe.json")
    # forced: no CJK font installed; ids only, and no glyph warning while drawing
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = gridgov.plot(j, "C1")
        _render(fig)
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert sorted(legend) == ["B1", "B2", "B3", "zone centre"]
    assert all(ord(ch) < 128 for ax in fig.axes for ch in ax.get_title())
    # what the fallback avoids: names drawn in a font without Chinese glyphs
    fig = gridgov.plot(j, "C1", font="DejaVu Sans")
    with pytest.warns(UserWarning, match="[Gg]lyph"):
        _render(fig)


def test_names_are_drawn_with_a_cjk_font_when_one_is_installed() -> None:
    plots.cjk_font.cache_clear()
    family = plots.cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install -y fonts-noto-cjk)")
    j = gridgov.load(EXAMPLES / "junhe.json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = gridgov.plot(j, "C1")
        _render(fig)
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    names = {o: j.organizations[o].name for o in ("B1", "B2", "B3")}
    assert sorted(legend) == sorted([*(f"{o} {n}" for o, n in names.items()), "zone centre"])
    assert j.organizations["C1"].name in fig.axes[1].get_title()


def test_plot_refuses_bad_arguments() -> None:
    j = gridgov.load(EXAMPLES / "junhe.json")
    with pytest.raises(UnknownReferenceError, match="community"):
        gridgov.plot(j, "B1")  # a branch, not a community
    with pytest.raises(InvalidValueError, match=r"^community"):
        gridgov.plot(j, 0)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"^ax"):
        gridgov.plot(j, "C1", ax="left")
    with pytest.raises(InvalidValueError, match=r"^font"):
        gridgov.plot(j, "C1", font=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"^j"):
        gridgov.plot_branches("junhe")  # type: ignore[arg-type]
    empty = gridgov.Jurisdiction()
    empty.found_org("S1", "street", "S")
    empty.found_org("C1", "community", "C", parent="S1")
    with pytest.raises(InvalidValueError, match="location"):
        gridgov.plot(empty, "C1")


def test_colouring_gives_neighbours_different_colours() -> None:
    rng = np.random.default_rng(0)
    points = rng.random((300, 2)) * 100
    labels = [f"B{int(x // 20)}-{int(y // 20)}" for x, y in points]  # a 5x5 grid of blocks
    graph = plots._adjacency(points, labels)
    colours = plots._branch_colours(graph)
    assert all(colours[a] != colours[b] for a, b in graph.edges)
    assert max(colours.values()) < 10
