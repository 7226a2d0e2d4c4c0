"""The organization graph: a typed, read-only face over a ``networkx.DiGraph``.

Nodes are organization ids with the attributes ``level`` and ``org`` (the
:class:`~gridgov.model.Organization`); edges run parent → child. The graph also indexes
which members are filed directly into each organization, so that "the members of a
branch" (everyone filed anywhere in its subtree) is a cheap query.

Only :class:`~gridgov.model.Jurisdiction` changes an ``OrgGraph``; users read it, or take
:attr:`OrgGraph.nx`, a read-only networkx view, to run networkx algorithms.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "均禾街党工委")
>>> _ = j.found_org("C1", "community", "清湖联社党委", parent="S1")
>>> _ = j.found_org("B1", "branch", "第一网格党支部", parent="C1")
>>> g = j.graph
>>> g.parent("B1"), list(g.children("S1")), g.chain("B1")
('C1', ['C1'], ['B1', 'C1', 'S1'])
>>> import networkx as nx
>>> nx.shortest_path_length(g.nx, "S1", "B1")
2
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Set
from typing import Any

import networkx as nx

from gridgov.errors import InvalidValueError, UnknownReferenceError
from gridgov.model.scheme import Scheme
from gridgov.model.values import Organization

__all__ = ["OrgGraph"]


class OrgGraph:
    """The organization tree of a jurisdiction and its filings index.

    Parameters
    ----------
    scheme : Scheme
        The scheme whose levels the organizations sit on.

    Notes
    -----
    Queries that take an organization id raise
    :class:`~gridgov.errors.UnknownReferenceError` for an unknown id. Iteration orders
    are insertion orders, so they are the same after a replay.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction, Scheme
    >>> g = OrgGraph(Scheme.preset("three-level"))
    >>> len(g), g.roots(), g.counts()
    (0, [], {'community': 0, 'grid': 0, 'member_household': 0})
    >>> Jurisdiction().graph.scheme.name
    'five-level'
    """

    __slots__ = ("_by_level", "_g", "_members", "scheme")

    def __init__(self, scheme: Scheme) -> None:
        if not isinstance(scheme, Scheme):
            raise InvalidValueError("scheme", scheme, "must be a Scheme")
        self.scheme = scheme
        self._g: nx.DiGraph[str] = nx.DiGraph()
        self._by_level: dict[str, dict[str, None]] = {level: {} for level in scheme.levels}
        self._members: dict[str, dict[str, None]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # a pickled or deep-copied graph comes back with plain attribute dicts (their
        # copies are plain on purpose, for networkx): make them read-only again
        for name, value in state.items():
            object.__setattr__(self, name, value)
        g = self._g
        for node, data in g._node.items():
            g._node[node] = _Attributes(data)
        for parent, children in g._succ.items():
            for child in children:
                g._succ[parent][child] = g._pred[child][parent] = _NO_ATTRIBUTES

    # -- reading ------------------------------------------------------------------------

    @property
    def nx(self) -> nx.DiGraph[str]:
        """A read-only networkx view of the tree (parent → child edges)."""
        view: nx.DiGraph[str] = self._g.copy(as_view=True)
        return view

    def __len__(self) -> int:
        return len(self._g)

    def __contains__(self, org: object) -> bool:
        return isinstance(org, str) and org in self._g._node

    def __iter__(self) -> Iterator[str]:
        return iter(self._g._node)

    def _level_of(self, org: str) -> str | None:
        """The level of `org`, or ``None`` if unknown (one lookup, for the jurisdiction)."""
        data = self._g._node.get(org)
        return None if data is None else data["level"]

    def _known(self, org: str) -> None:
        if not isinstance(org, str):
            raise InvalidValueError("org", org, "must be an organization id (a string)")
        if org not in self._g._node:
            raise UnknownReferenceError("org", org, "organization")

    def org(self, org: str) -> Organization:
        """Return the organization with id `org`.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        Organization

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "均禾街党工委")
        >>> j.graph.org("S1").name
        '均禾街党工委'
        >>> j.graph.org("S9")
        Traceback (most recent call last):
        ...
        gridgov.errors.UnknownReferenceError: org: unknown organization 'S9'
        """
        self._known(org)
        result: Organization = self._g._node[org]["org"]
        return result

    def level(self, org: str) -> str:
        """Return the level of `org`.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        str
            One of the scheme's levels.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.graph.level("S1")
        'street'
        """
        self._known(org)
        result: str = self._g._node[org]["level"]
        return result

    def parent(self, org: str) -> str | None:
        """Return the id of the parent of `org`, or ``None`` for a root.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        str or None

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> j.graph.parent("C1"), j.graph.parent("S1")
        ('S1', None)
        """
        self._known(org)
        for p in self._g._pred[org]:
            return str(p)
        return None

    def children(self, org: str) -> list[str]:
        """Return the ids of the children of `org`, in insertion order.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            Empty for a leaf.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("C2", "community", "S1"), ("B1", "branch", "C1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.graph.children("S1"), j.graph.children("C2")
        (['C1', 'C2'], [])
        """
        self._known(org)
        return list(self._g._succ[org])

    def roots(self) -> list[str]:
        """Return the ids of the organizations without a parent.

        Returns
        -------
        list of str
            The root, or nothing for an empty jurisdiction (a jurisdiction has at most
            one root).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> j.graph.roots()
        []
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.graph.roots()
        ['S1']
        """
        # Only organizations at the top level have no parent (the jurisdiction checks it),
        # so there is no need to scan every node.
        pred = self._g._pred
        return [n for n in self._by_level[self.scheme.top] if not pred[n]]

    def chain(self, org: str) -> list[str]:
        """Return `org` and its ancestors, from `org` up to the root.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> j.graph.chain("C1")
        ['C1', 'S1']
        """
        self._known(org)
        pred = self._g._pred
        out = [org]
        node = org
        while pred[node]:
            node = next(iter(pred[node]))
            out.append(node)
        return out

    def ancestor_at(self, org: str, level: str) -> str | None:
        """Return the organization at `level` in `org`'s chain (`org` itself included).

        ``None`` when the chain has no organization at that level (it is below `org`).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> j.graph.ancestor_at("C1", "street"), j.graph.ancestor_at("S1", "community")
        ('S1', None)
        """
        self.scheme.depth(level)  # a level of the scheme
        level_of = self._level_of
        return next((node for node in self.chain(org) if level_of(node) == level), None)

    def ancestors(self, org: str) -> list[str]:
        """Return the ancestors of `org`, nearest first (the chain without `org`).

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            Empty for a root.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("C2", "community", "S1"), ("B1", "branch", "C1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.graph.ancestors("B1"), j.graph.ancestors("S1")
        (['C1', 'S1'], [])
        """
        return self.chain(org)[1:]

    def subtree(self, org: str) -> list[str]:
        """Return `org` and all its descendants, in depth-first pre-order.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            `org` first; siblings in insertion order.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("C2", "community", "S1"), ("B1", "branch", "C1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.graph.subtree("S1"), j.graph.subtree("C2")
        (['S1', 'C1', 'B1', 'C2'], ['C2'])
        """
        self._known(org)
        succ = self._g._succ
        out: list[str] = []
        stack = [org]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(succ[node]))
        return out

    def at_level(self, level: str) -> list[str]:
        """Return the ids of the organizations at `level`, in insertion order.

        Parameters
        ----------
        level : str
            A level of the scheme.

        Returns
        -------
        list of str

        Raises
        ------
        InvalidValueError
            If `level` is not a level of the scheme.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("C2", "community", "S1"), ("B1", "branch", "C1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> j.graph.at_level("community"), j.graph.at_level("zone")
        (['C1', 'C2'], [])
        >>> j.graph.at_level("village")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: level: not a level of the scheme [...] (got 'village')
        """
        self.scheme.depth(level)
        return list(self._by_level[level])

    def counts(self) -> dict[str, int]:
        """Return the number of organizations per level, top first.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> j.graph.counts()
        {'street': 1, 'community': 0, 'branch': 0, 'group': 0, 'zone': 0}
        """
        return {level: len(orgs) for level, orgs in self._by_level.items()}

    def direct_members(self, org: str) -> list[str]:
        """Return the ids of the people filed directly into `org`, in filing order.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            Empty for an organization above the filing level.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> for pid, grp in [("P1", "G1"), ("P2", "G2"), ("P3", "G2")]:
        ...     _ = j.add_person(pid, pid, status="full")
        ...     _ = j.file_member(pid, grp)
        >>> j.graph.direct_members("G2"), j.graph.direct_members("B1")
        (['P2', 'P3'], [])
        """
        self._known(org)
        return list(self._members.get(org, ()))

    def members(self, org: str) -> list[str]:
        """Return the ids of the people filed anywhere in the subtree of `org`.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        list of str
            In subtree order, then filing order.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> for pid, grp in [("P1", "G1"), ("P2", "G2"), ("P3", "G2")]:
        ...     _ = j.add_person(pid, pid, status="full")
        ...     _ = j.file_member(pid, grp)
        >>> j.graph.members("B1"), j.graph.members("G1")
        (['P1', 'P2', 'P3'], ['P1'])
        """
        members = self._members
        out: list[str] = []
        for node in self.subtree(org):
            filed = members.get(node)
            if filed:
                out.extend(filed)
        return out

    def member_count(self, org: str) -> int:
        """Return the number of people filed anywhere in the subtree of `org`.

        Parameters
        ----------
        org : str
            An organization id.

        Returns
        -------
        int
            ``len(members(org))``, without building the list.

        Raises
        ------
        UnknownReferenceError
            If `org` is not a known organization.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> for pid, grp in [("P1", "G1"), ("P2", "G2"), ("P3", "G2")]:
        ...     _ = j.add_person(pid, pid, status="full")
        ...     _ = j.file_member(pid, grp)
        >>> j.graph.member_count("S1"), j.graph.member_count("G2")
        (3, 2)
        """
        members = self._members
        return sum(len(members.get(node, ())) for node in self.subtree(org))

    def filed_members(self) -> Mapping[str, Set[str]]:
        """Return a mapping from each organization with filings to its direct members.

        Returns
        -------
        Mapping of str to Set of str
            Organizations without filings are left out.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
        ...                   ("B1", "branch", "C1"), ("G1", "group", "B1"), ("G2", "group", "B1")]:
        ...     _ = j.found_org(o, lvl, o, parent=p)
        >>> for pid, grp in [("P1", "G1"), ("P2", "G2"), ("P3", "G2")]:
        ...     _ = j.add_person(pid, pid, status="full")
        ...     _ = j.file_member(pid, grp)
        >>> {org: sorted(m) for org, m in j.graph.filed_members().items()}
        {'G1': ['P1'], 'G2': ['P2', 'P3']}
        """
        return {org: m.keys() for org, m in self._members.items() if m}

    # -- changing (the jurisdiction only) -------------------------------------------------

    # networkx keeps node and edge attributes in plain dicts that a view shares; the
    # graph swaps in read-only ones so that writing through ``.nx`` cannot change state.

    def _add(self, org: Organization) -> None:
        g = self._g
        g.add_node(org.id)
        g._node[org.id] = _Attributes(level=org.level, org=org)
        self._by_level[org.level][org.id] = None
        if org.parent is not None:
            self._link(org.parent, org.id)

    def _link(self, parent: str, child: str) -> None:
        g = self._g
        g.add_edge(parent, child)
        g._succ[parent][child] = g._pred[child][parent] = _NO_ATTRIBUTES

    def _replace(self, org: Organization) -> None:
        self._g._node[org.id] = _Attributes(level=org.level, org=org)

    def _move(self, org: Organization, old_parent: str | None) -> None:
        if old_parent is not None:
            self._g.remove_edge(old_parent, org.id)
        if org.parent is not None:
            self._link(org.parent, org.id)
        self._replace(org)

    def _remove(self, org: str) -> None:
        level = self._g._node[org]["level"]
        self._g.remove_node(org)
        del self._by_level[level][org]
        self._members.pop(org, None)

    def _file(self, person: str, org: str) -> None:
        bucket = self._members.get(org)
        if bucket is None:
            bucket = self._members[org] = {}
        bucket[person] = None

    def _unfile(self, person: str, org: str) -> None:
        del self._members[org][person]

    # -- undoing (the jurisdiction's rollback of a refused batch) ---------------------------

    def _position_under_parent(self, org: str) -> int:
        """The position of `org` among its parent's children (0 for a root)."""
        for parent in self._g._pred[org]:
            for i, child in enumerate(self._g._succ[parent]):
                if child == org:
                    return i
        return 0

    def _insert_child(self, parent: str, child: str, position: int) -> None:
        g = self._g
        children = g._succ[parent]
        items = list(children.items())
        items.insert(position, (child, _NO_ATTRIBUTES))
        children.clear()
        children.update(items)
        g._pred[child][parent] = _NO_ATTRIBUTES

    def _restore(self, org: Organization, position: int) -> None:
        """Put back the removed (empty) organization `org` where it was."""
        g = self._g
        g.add_node(org.id)
        g._node[org.id] = _Attributes(level=org.level, org=org)
        self._by_level[org.level][org.id] = None
        if org.parent is not None:
            self._insert_child(org.parent, org.id, position)

    def _move_back(self, old: Organization, new_parent: str | None, position: int) -> None:
        """Undo a move of `old` (its record before the move) under `new_parent`."""
        g = self._g
        if new_parent is not None:
            g.remove_edge(new_parent, old.id)
        if old.parent is not None:
            self._insert_child(old.parent, old.id, position)
        self._replace(old)

    def _member_position(self, person: str, org: str) -> int:
        for i, p in enumerate(self._members[org]):
            if p == person:
                return i
        return 0  # pragma: no cover - callers ask about filed members

    def _refile(self, person: str, org: str, position: int) -> None:
        bucket = self._members.get(org)
        if bucket is None:
            bucket = self._members[org] = {}
        if position >= len(bucket):
            bucket[person] = None
            return
        items = list(bucket)
        items.insert(position, person)
        bucket.clear()
        bucket.update(dict.fromkeys(items))

    def _copy(self) -> OrgGraph:
        """An independent copy (the organization records are immutable and shared)."""
        new = OrgGraph(self.scheme)
        g, ng = self._g, new._g
        for node, data in g._node.items():
            ng.add_node(node)
            ng._node[node] = data
        for parent, children in g._succ.items():
            for child in children:
                ng.add_edge(parent, child)
                ng._succ[parent][child] = ng._pred[child][parent] = _NO_ATTRIBUTES
        new._by_level = {level: dict(orgs) for level, orgs in self._by_level.items()}
        new._members = {org: dict(m) for org, m in self._members.items()}
        return new

    def _state(self) -> tuple[Any, ...]:
        """What equality of two graphs means: nodes, edges and filings, order aside."""
        return (
            {n: d["org"] for n, d in self._g._node.items()},
            {org: set(m) for org, m in self._members.items() if m},
        )


class _Attributes(dict[str, Any]):
    """The attributes of a node or an edge of the tree: a ``dict`` that cannot be changed.

    Copies (``copy``, ``copy.deepcopy``, pickling) are plain dicts, so that networkx
    algorithms that copy a graph work on the copy as usual.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the organization graph is read-only: change it through the Jurisdiction")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _refuse  # type: ignore[assignment]

    def copy(self) -> dict[str, Any]:
        return dict(self)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return dict, (dict(self),)


_NO_ATTRIBUTES = _Attributes()
