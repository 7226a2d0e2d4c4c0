"""A jurisdiction at a glance: counts per level, members filed, posts, the top of the tree.

:func:`summarize` is what ``gridgov show`` prints; it is a pure function of the
jurisdiction and returns plain data, so hosts and notebooks can use it too.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> _ = j.found_org("S1", "street", "南沙街道党工委")
>>> s = summarize(j)
>>> s.levels["street"], s.members, s.root
(1, 0, 'S1')
>>> print(s.to_text().splitlines()[0])
five-level jurisdiction, root S1 南沙街道党工委
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from attrs import asdict, evolve, field, frozen

from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_ITEMS, check_int
from gridgov.model.jurisdiction import Jurisdiction

__all__ = ["OrgLine", "Summary", "summarize"]


@frozen
class OrgLine:
    """One organization in the top of the tree: id, name, level, depth, members under it.

    ``hidden`` counts its children that the top of the tree leaves out (the tree is cut
    after ``top`` organizations); the text says "… N more" for them.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "南沙街道党工委")
    >>> summarize(j).top
    (OrgLine(id='S1', name='南沙街道党工委', level='street', depth=0, members=0, hidden=0),)
    """

    id: str
    name: str
    level: str
    depth: int
    members: int
    hidden: int = 0


@frozen
class Summary:
    """Counts describing a jurisdiction (see :func:`summarize`).

    ``levels`` counts the organizations of the grid levels; service teams (党群服务队,
    党员志愿队, 党员突击队) are counted apart in ``teams``, and the members attached to
    any organization (teams, temporary, functional and joint branches) in ``attached``.
    ``registered`` counts residence registrations, ``registered_at_work_units`` the
    second registrations at a work unit's partner community (双报到);
    ``party_households`` the households with a Party plaque (党员户, 党员中心户).
    ``people`` counts everyone, ``members`` the Party members among them and ``filed``
    the members filed in a grid: cadres of the street and the communities, and members
    only attached to a team, are Party members without a filing. ``root_name`` is the
    root's name; ``more`` the organizations the top of the tree leaves out.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.add_person("P1", "A", status="probationary")
    >>> s = summarize(j)
    >>> s.scheme, s.people, s.members, s.full_members, s.probationary_members
    ('five-level', 1, 1, 0, 1)
    """

    scheme: str
    as_of: str | None
    root: str | None
    levels: dict[str, int]
    teams: int
    attached: int
    people: int
    members: int
    full_members: int
    probationary_members: int
    filed: int
    registered: int
    registered_at_work_units: int
    households: int
    households_in_zones: int
    party_households: int
    zones: int
    zones_claimed: int
    claims: int
    posts: dict[str, int]
    top: tuple[OrgLine, ...] = field(factory=tuple)
    root_name: str | None = None
    more: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data.

        Examples
        --------
        >>> import json
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> data = summarize(j).to_dict()
        >>> data["levels"]["street"], data["top"], json.loads(json.dumps(data)) == data
        (1, [{'id': 'S1', 'name': 'S', 'level': 'street', 'depth': 0, 'members': 0, 'hidden': 0}], True)
        """
        data = asdict(self, recurse=True)
        data["top"] = [asdict(line) for line in self.top]
        return data

    def to_text(self) -> str:
        """Return the summary as lines of text for a terminal.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "南沙街道党工委")
        >>> _ = j.found_org("C1", "community", "金洲社区党委", parent="S1")
        >>> _ = j.found_org("C2", "community", "蕉门社区党委", parent="S1")
        >>> print(summarize(j, top=2).to_text())
        five-level jurisdiction, root S1 南沙街道党工委
        organizations per level:
          street 1
        ...
        posts: 0 (none)
        top of the tree (members filed under each):
          S1 南沙街道党工委 [street] 0
            C1 金洲社区党委 [community] 0
            … 1 more
        """
        lines = []
        if self.scheme == "inline":  # a scheme of its own: say its levels, not "inline"
            head = f"jurisdiction of {len(self.levels)} levels ({' > '.join(self.levels)})"
        else:
            head = f"{self.scheme} jurisdiction"
        if self.root is not None:
            head += f", root {self.root} {self.root_name or ''}".rstrip()
        if self.as_of:
            head += f", as of {self.as_of}"
        lines.append(head)
        width = max((len(level) for level in self.levels), default=0)
        lines.append("organizations per level:")
        lines.extend(f"  {level:<{width}}  {n:>8,}" for level, n in self.levels.items())
        if self.teams or self.attached:
            lines.append(f"service teams: {self.teams:,}; members attached: {self.attached:,}")
        lines.append(
            f"people: {self.people:,} ({self.members:,} Party members: {self.full_members:,} "
            f"full, {self.probationary_members:,} probationary)"
        )
        filed = f"members filed: {self.filed:,}"
        if self.members != self.filed:
            unfiled = self.members - self.filed
            filed += f" of {self.members:,} ({unfiled:,} not filed in a grid: cadres, teams)"
        filed += f"; registered at residence: {self.registered:,}"
        if self.registered_at_work_units:
            filed += f", at a work unit: {self.registered_at_work_units:,}"
        lines.append(filed)
        zones = (
            f"zones claimed: {self.zones_claimed:,} of {self.zones:,} ({self.claims:,} claims); "
            f"households in zones: {self.households_in_zones:,} of {self.households:,}"
        )
        if self.party_households:
            zones += f"; with a Party plaque: {self.party_households:,}"
        lines.append(zones)
        posts = ", ".join(f"{role} {n:,}" for role, n in self.posts.items()) or "none"
        lines.append(f"posts: {sum(self.posts.values()):,} ({posts})")
        if self.top:
            lines.append("top of the tree (members filed under each):")
            # "… N more" after the last listed descendant of an organization
            open_: list[OrgLine] = []
            for line in (*self.top, None):
                depth = -1 if line is None else line.depth
                while open_ and open_[-1].depth >= depth:
                    done = open_.pop()
                    if done.hidden:
                        lines.append(f"  {'  ' * (done.depth + 1)}… {done.hidden:,} more")
                if line is not None:
                    lines.append(
                        f"  {'  ' * line.depth}{line.id} {line.name} [{line.level}] "
                        f"{line.members:,}"
                    )
                    open_.append(line)
        return "\n".join(lines)


def summarize(j: Jurisdiction, *, top: int = 12) -> Summary:
    """Count what `j` holds.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    top : int
        How many organizations of the top of the tree to list (root first, then its
        children, then theirs, breadth first), at most
        :data:`~gridgov.limits.MAX_ITEMS`; 0 or less lists none.

    Returns
    -------
    Summary

    Raises
    ------
    InvalidValueError
        If `j` is not a jurisdiction or `top` not an integer in range.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> summarize(Jurisdiction()).root is None
    True
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "expected a Jurisdiction")
    top = max(check_int("top", top, -MAX_ITEMS, MAX_ITEMS), 0)
    people = j.people.values()
    members = [p for p in people if p.party is not None]
    full = sum(1 for p in members if p.is_full_member)
    zone_level = j.scheme.zone_level
    zones = j.graph.at_level(zone_level)
    claimed = {zone for (_, zone) in j.claims}
    roots = j.graph.roots()
    posts = Counter(str(p.role) for p in j.posts.values())
    levels = j.graph.counts()
    lines = _top(j, roots, top)
    teams = 0
    for o in j.organizations.values():
        if o.kind is not None and o.kind.is_team:
            teams += 1
            levels[o.level] -= 1
    return Summary(
        scheme=j.scheme.name or "inline",
        as_of=j.as_of.isoformat() if j.as_of else None,
        root=roots[0] if roots else None,
        levels=levels,
        teams=teams,
        attached=len(j.attachments),
        people=len(j.people),
        members=len(members),
        full_members=full,
        probationary_members=len(members) - full,
        filed=len(j.filings),
        registered=len(j.registrations),
        registered_at_work_units=len(j.work_registrations),
        households=len(j.households),
        households_in_zones=len(j.zone_of_household),
        party_households=sum(1 for h in j.households.values() if h.party_household is not None),
        zones=len(zones),
        zones_claimed=len(claimed),
        claims=len(j.claims),
        posts=dict(sorted(posts.items(), key=lambda kv: (-kv[1], kv[0]))),
        top=tuple(lines),
        root_name=j.graph.org(roots[0]).name if roots else None,
        more=len(j.organizations) - len(lines),
    )


def _top(j: Jurisdiction, roots: list[str], limit: int) -> list[OrgLine]:
    if limit <= 0:
        return []
    g = j.graph
    counts = _member_counts(j)
    out: list[OrgLine] = []
    frontier = [(r, 0) for r in roots]
    while frontier and len(out) < limit:
        nxt: list[tuple[str, int]] = []
        for org, depth in frontier:
            if len(out) >= limit:
                break
            o = g.org(org)
            out.append(OrgLine(org, o.name, o.level, depth, counts.get(org, 0)))
            nxt.extend((child, depth + 1) for child in g.children(org))
        frontier = nxt
    # show each parent before its children; count the children each one leaves out
    listed = {line.id for line in out}
    out = [
        evolve(line, hidden=sum(1 for c in g.children(line.id) if c not in listed)) for line in out
    ]
    order = {line.id: i for i, line in enumerate(out)}
    return sorted(out, key=lambda line: [order[o] for o in reversed(g.chain(line.id))])


def _member_counts(j: Jurisdiction) -> dict[str, int]:
    """Members filed under every organization, in one pass up from the filings."""
    g = j.graph
    counts: dict[str, int] = {}
    for org, members in g.filed_members().items():
        n = len(members)
        for node in g.chain(org):
            counts[node] = counts.get(node, 0) + n
    return counts
