"""The org graph: tree queries, the filings index, the read-only networkx view."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import networkx as nx
import pytest

from gridgov.errors import InvalidValueError, UnknownReferenceError
from gridgov.io import dump
from gridgov.model import Jurisdiction, Organization, OrgGraph


def test_tree_queries(five_level: Jurisdiction) -> None:
    g = five_level.graph
    assert isinstance(g, OrgGraph)
    assert len(g) == 11
    assert "B1" in g
    assert "P1" not in g
    assert 7 not in g
    assert list(g)[:3] == ["S1", "C1", "C2"]
    assert g.roots() == ["S1"]
    assert g.parent("S1") is None
    assert g.parent("Z3") == "G2"
    assert g.children("B1") == ["G1", "G2"]
    assert g.children("Z1") == []
    assert g.chain("Z1") == ["Z1", "G1", "B1", "C1", "S1"]
    assert g.ancestors("Z1") == ["G1", "B1", "C1", "S1"]
    assert g.ancestors("S1") == []
    assert g.subtree("C1") == ["C1", "B1", "G1", "Z1", "Z2", "G2", "Z3"]
    assert g.subtree("Z2") == ["Z2"]
    assert g.level("G3") == "group"
    assert g.org("B1").cooperative == "EC1"
    assert g.at_level("group") == ["G1", "G2", "G3"]
    assert g.counts() == {"street": 1, "community": 2, "branch": 2, "group": 3, "zone": 3}


def test_members_index(five_level: Jurisdiction) -> None:
    g = five_level.graph
    assert g.direct_members("G1") == ["P5", "P3"]
    assert g.direct_members("B1") == []
    assert g.members("B1") == ["P5", "P3", "P4"]
    assert g.members("S1") == ["P5", "P3", "P4"]
    assert g.members("C2") == []
    assert [g.member_count(o) for o in ("S1", "C1", "B1", "G1", "G2", "C2", "Z1")] == [
        3,
        3,
        3,
        2,
        1,
        0,
        0,
    ]
    assert {org: set(m) for org, m in g.filed_members().items()} == {
        "G1": {"P5", "P3"},
        "G2": {"P4"},
    }
    assert five_level.members("B1") == g.members("B1")


def test_members_follow_filing_changes(five_level: Jurisdiction) -> None:
    g = five_level.graph
    five_level.transfer_member("P4", "G3")
    assert g.members("C2") == ["P4"]
    assert g.member_count("B1") == 2
    five_level.unfile_member("P4")
    assert g.members("C2") == []
    assert "G3" not in g.filed_members()
    assert "G2" not in g.filed_members()


def test_queries_follow_a_move(five_level: Jurisdiction) -> None:
    g = five_level.graph
    five_level.move_org("G2", "B2")
    assert g.parent("G2") == "B2"
    assert g.children("B1") == ["G1"]
    assert g.children("B2") == ["G3", "G2"]
    assert g.chain("Z3") == ["Z3", "G2", "B2", "C2", "S1"]
    assert g.members("C2") == ["P4"]
    assert g.org("G2").parent == "B2"
    assert g.counts()["group"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "org",
        "level",
        "parent",
        "children",
        "chain",
        "ancestors",
        "subtree",
        "direct_members",
        "members",
        "member_count",
    ],
)
def test_unknown_org(five_level: Jurisdiction, query: str) -> None:
    with pytest.raises(UnknownReferenceError) as info:
        getattr(five_level.graph, query)("X9")
    assert str(info.value) == "org: unknown organization 'X9'"
    assert info.value.value == "X9"


def test_unknown_level(five_level: Jurisdiction) -> None:
    with pytest.raises(InvalidValueError) as info:
        five_level.graph.at_level("grid")
    assert info.value.field == "level"
    assert "'grid'" in str(info.value)


def test_nx_view_is_read_only(five_level: Jurisdiction) -> None:
    view = five_level.graph.nx
    assert set(view.edges) >= {("S1", "C1"), ("B1", "G1"), ("G2", "Z3")}
    assert view.number_of_edges() == 10
    assert nx.is_arborescence(view)
    assert nx.shortest_path_length(view, "S1", "Z3") == 4
    assert view.nodes["B1"]["level"] == "branch"
    assert isinstance(view.nodes["B1"]["org"], Organization)
    with pytest.raises(nx.NetworkXError):
        view.add_node("X1")
    with pytest.raises(nx.NetworkXError):
        view.remove_edge("S1", "C1")
    assert "X1" not in five_level.graph
    assert five_level.graph.parent("C1") == "S1"


@pytest.mark.parametrize(
    "write",
    [
        lambda g: g.nodes["S1"].__setitem__("org", None),
        lambda g: g.nodes["S1"].update(level="zone"),
        lambda g: g.nodes["S1"].pop("level"),
        lambda g: g.nodes["S1"].clear(),
        lambda g: g.edges["S1", "C1"].__setitem__("weight", 1),
    ],
    ids=["set-org", "update-level", "pop", "clear", "edge-attribute"],
)
def test_nx_view_attributes_are_read_only(five_level: Jurisdiction, write: Any) -> None:
    before = dump(five_level)
    with pytest.raises(TypeError, match="read-only"):
        write(five_level.graph.nx)
    assert five_level.graph.level("S1") == "street"
    assert five_level.graph.org("S1").id == "S1"
    assert dump(five_level) == before


def test_copies_of_the_nx_view_are_ordinary_graphs(five_level: Jurisdiction) -> None:
    view = five_level.graph.nx
    for copied in (view.copy(), nx.DiGraph(view)):
        copied.nodes["S1"]["note"] = "mine"
        copied.add_edge("Z3", "X1")
        assert copied.nodes["B1"]["level"] == "branch"
    for copied in (copy.deepcopy(view), pickle.loads(pickle.dumps(view))):
        assert type(copied.nodes["S1"]) is dict
        assert copied.nodes["B1"]["org"] == five_level.graph.org("B1")
    assert nx.is_tree(view.to_undirected())
    assert "note" not in view.nodes["S1"]
    assert "X1" not in five_level.graph


def test_empty_graph() -> None:
    g = Jurisdiction().graph
    assert len(g) == 0
    assert g.roots() == []
    assert g.filed_members() == {}
    assert g.counts() == {"street": 0, "community": 0, "branch": 0, "group": 0, "zone": 0}
    assert g.at_level("zone") == []


def test_three_level_graph(three_level: Jurisdiction) -> None:
    g = three_level.graph
    assert g.counts() == {"community": 1, "grid": 2, "member_household": 3}
    assert g.members("V1") == ["P1", "P2", "P3"]
    assert g.chain("M3") == ["M3", "GR2", "V1"]


@pytest.mark.parametrize(
    "clone", [lambda j: pickle.loads(pickle.dumps(j)), copy.deepcopy], ids=["pickle", "deepcopy"]
)
def test_a_pickled_or_copied_jurisdiction_keeps_its_graph_read_only(
    five_level: Jurisdiction, clone: Any
) -> None:
    j = clone(five_level)
    assert j == five_level
    with pytest.raises(TypeError, match="read-only"):
        j.graph.nx.nodes["S1"]["org"] = None
    with pytest.raises(TypeError, match="read-only"):
        j.graph.nx.edges["S1", "C1"]["weight"] = 1
    j.rename_org("S1", "新名")  # changes still go through the jurisdiction
    assert j.graph.nx.nodes["S1"]["org"].name == "新名"
    with pytest.raises(TypeError, match="read-only"):
        j.graph.nx.nodes["S1"]["level"] = "zone"
