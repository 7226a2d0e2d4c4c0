"""Simulate a district: generate it, allocate its members, build and check the jurisdiction.

:func:`simulate` runs the stages in order (:data:`STAGES`): generate the synthetic
district, draw grids, file members, draw and assign zones, propose posts, emit the
events, build the jurisdiction in one pass, and check it with the rule engine. It is
pure: no I/O and no clock. A caller who wants timings or a progress bar passes a
``progress`` callback, called as ``progress(stage, index, total)`` when each stage
starts and as ``progress("done", total, total)`` at the end; the ``gridgov simulate``
command measures time and memory per stage that way.

Examples
--------
>>> r = simulate("junhe", seed=0)
>>> r.report.levels["branch"], r.report.members
(51, 2000)
>>> len(r.jurisdiction.filings)
2000
>>> stages = []
>>> _ = simulate(None, communities=2, members=60, households=300,
...              progress=lambda stage, i, n: stages.append(stage))
>>> stages
['generate', 'grids', 'filing', 'zones', 'posts', 'events', 'build', 'validate', 'done']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

import networkx as nx
import numpy as np
from attrs import field, frozen

from gridgov.allocation import _checks, _deps
from gridgov.allocation.build import (
    branch_ids,
    build_jurisdiction,
    community_ids,
    events_for,
    group_ids,
    household_ids,
    member_ids,
    zone_ids,
)
from gridgov.allocation.churn import ChurnResult, churn
from gridgov.allocation.filing import file_members
from gridgov.allocation.generate import District, generate
from gridgov.allocation.grids import MODES, draw_grids
from gridgov.allocation.naming import Names
from gridgov.allocation.plan import Allocation, layout_for
from gridgov.allocation.posts import propose_posts
from gridgov.allocation.presets import DistrictSpec, spec_for
from gridgov.allocation.report import SimulationReport, report_for
from gridgov.allocation.zones import METHODS, assign_zones, draw_zones
from gridgov.errors import InvalidValueError
from gridgov.model.ids import IdFactory
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.rules import Report
from gridgov.rules import validate as check_rules

__all__ = ["STAGES", "Progress", "SimulationResult", "simulate"]

STAGES = ("generate", "grids", "filing", "zones", "posts", "events", "build", "validate")
"""The stages of :func:`simulate`, in order."""


class Progress(Protocol):
    """A progress callback: ``progress(stage, index, total)`` as each stage starts.

    ``stage`` is a name from :data:`STAGES` and ``index`` its position; at the end the
    callback gets ``("done", total, total)``. Any callable of that shape will do.

    Parameters
    ----------
    stage : str
        The stage starting, or ``"done"``.
    index, total : int
        The stage's position in :data:`STAGES` and their number.

    Examples
    --------
    >>> seen = []
    >>> def report(stage: str, index: int, total: int) -> None:
    ...     seen.append(f"{index}/{total} {stage}")
    >>> _ = simulate(None, communities=2, members=60, households=300, build=False,
    ...              progress=report)
    >>> seen[0], seen[-1]
    ('0/8 generate', '8/8 done')
    """

    def __call__(self, stage: str, index: int, total: int) -> None: ...


@frozen(eq=False)
class SimulationResult:
    """A simulated district: its arrays, its allocation, its jurisdiction and the report.

    Attributes
    ----------
    spec : DistrictSpec
    district : District
        The generated district (arrays).
    allocation : Allocation
        Grids, filings, zones, claims and posts (arrays).
    jurisdiction : Jurisdiction or None
        The built jurisdiction (``None`` when built with ``build=False``).
    report : SimulationReport
    policy : Policy
    validation : gridgov.rules.Report or None
        The rule engine's report, when it ran.
    names : Names
        The ids of the district's records (minted through the id hook, kept through
        churn).

    Notes
    -----
    In a notebook the result shows as its report's summary table; :meth:`to_frames`
    gives pandas tables, :meth:`plot` a figure, and :meth:`churn` moves members and
    re-allocates.

    Examples
    --------
    >>> r = simulate(None, communities=2, members=60, households=300)
    >>> r
    <SimulationResult custom given seed=0: street=1, community=2, branch=2, group=3, zone=26, members=60>
    >>> len(r.jurisdiction.filings) == r.district.n_members == r.report.members
    True
    >>> r.validation.count_by_code()
    {}
    >>> simulate("junhe", build=False).jurisdiction is None
    True
    """

    spec: DistrictSpec
    district: District
    allocation: Allocation
    jurisdiction: Jurisdiction | None
    report: SimulationReport
    policy: Policy
    validation: Report | None = None
    names: Names = field(factory=Names)

    def churn(
        self,
        *,
        move_in: float = 0.02,
        move_out: float = 0.02,
        move_house: float = 0.03,
        seed: int | None = None,
    ) -> ChurnResult:
        """Move members in, out and house, and re-allocate with the fewest changes.

        **Objective.** Fewest changed filings: members who did not move keep their
        group; territory changes only where a rule forces it. See
        :func:`gridgov.allocation.churn.churn`.

        Parameters
        ----------
        move_in, move_out, move_house : float
            Shares of the members who arrive, leave, and move house (each in [0, 1);
            ``move_out + move_house`` below 1).
        seed : int, optional
            Random seed of the moves (default: the district's seed plus one).

        Returns
        -------
        ChurnResult
            This result (``before``), the re-allocated one (``after``), the events
            between their jurisdictions and a :class:`~gridgov.allocation.ChurnReport`.

        Raises
        ------
        InvalidValueError
            For a share out of range.

        Examples
        --------
        >>> r = simulate(None, communities=3, members=300, households=1200, seed=2)
        >>> c = r.churn(move_in=0.05, move_out=0.05, move_house=0.05)
        >>> c.report.moved, c.after.report.members
        (45, 300)
        >>> c.report.changes_per_moved <= 1.2, c.after.report.findings
        (True, {})
        >>> r.churn(move_out=0.6, move_house=0.5)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: move_out: move_out + move_house must be below 1 (got 0.6)
        """
        if seed is not None:
            seed = _checks.seed(seed)
        return churn(
            self,
            move_in=move_in,
            move_out=move_out,
            move_house=move_house,
            seed=self.district.seed + 1 if seed is None else seed,
        )

    def to_frames(self) -> dict[str, Any]:
        """Return pandas DataFrames of organizations, members, filings and zones.

        Needs the ``notebook`` extra (pandas).

        Returns
        -------
        dict of str to pandas.DataFrame
            ``organizations`` (id, level, name, parent, kind, members filed in its
            subtree, households of a zone: every organization of the jurisdiction, or
            the allocation's own when built with ``build=False``), ``members`` (id,
            name, status, category, community, household, x, y), ``filings`` (person,
            group, branch, community), ``zones`` (id, group, households, claimant, x, y).

        Examples
        --------
        >>> frames = simulate("junhe", build=False).to_frames()
        >>> sorted(frames), len(frames["members"])
        (['filings', 'members', 'organizations', 'zones'], 2000)
        """
        pd = _deps.require("pandas", "notebook", "SimulationResult.to_frames")
        from gridgov.allocation.presets import PRIMARY_CATEGORIES

        d, a = self.district, self.allocation
        g = a.grids
        layout = layout_for(self.spec)
        names = self.names
        pid = member_ids(d, names)
        cids = community_ids(d, names)
        bids = branch_ids(layout, g, names, cids)
        gids = group_ids(layout, g, names, bids)
        hids = household_ids(d, names)
        member_branch = g.group_branch[a.member_group]
        branch_members = np.bincount(member_branch, minlength=g.n_branches)
        xy = d.household_xy[d.member_household]
        members = pd.DataFrame(
            {
                "id": pid,
                "name": [d.names[n] for n in d.member_name.tolist()],
                "status": np.where(d.member_full, "full", "probationary"),
                "category": [str(PRIMARY_CATEGORIES[c]) for c in d.member_category.tolist()],
                "community": [cids[c] for c in d.member_community.tolist()],
                "household": [hids[h] for h in d.member_household.tolist()],
                "x": xy[:, 0],
                "y": xy[:, 1],
            }
        )
        filings = pd.DataFrame(
            {
                "person": pid,
                "group": [gids[i] for i in a.member_group.tolist()],
                "branch": [bids[b] for b in member_branch.tolist()],
                "community": [cids[c] for c in g.branch_community[member_branch].tolist()],
            }
        )
        zones = a.zones
        zones_frame = pd.DataFrame(
            {
                "id": zone_ids(layout, zones, names, gids),
                "group": [gids[i] for i in zones.zone_group.tolist()],
                "households": np.bincount(zones.household_zone, minlength=zones.n_zones),
                "claimant": [pid[m] for m in a.assignment.claimant.tolist()],
                "x": zones.zone_xy[:, 0],
                "y": zones.zone_xy[:, 1],
            }
        )
        if self.jurisdiction is not None:
            organizations = _organizations_frame(pd, self.jurisdiction)
        else:
            # built with build=False: the allocation's own organizations only
            rows: list[dict[str, object]] = [
                {"id": cids[c], "level": layout.community, "name": name, "kind": None}
                for c, name in enumerate(d.community_names)
            ]
            group_members = np.bincount(a.member_group, minlength=g.n_groups)
            if layout.branch is not None:
                rows += [
                    {
                        "id": bids[b],
                        "level": layout.branch,
                        "parent": cids[int(g.branch_community[b])],
                        "kind": "joint" if g.branch_joint[b] else "grid",
                        "members": int(branch_members[b]),
                    }
                    for b in range(g.n_branches)
                ]
            rows += [
                {
                    "id": gids[i],
                    "level": layout.group,
                    "parent": bids[b] if layout.branch else cids[int(g.branch_community[b])],
                    "kind": None,
                    "members": int(group_members[i]),
                }
                for i, b in enumerate(g.group_branch.tolist())
            ]
            organizations = pd.DataFrame(rows, columns=_ORG_COLUMNS)
        return {
            "organizations": organizations,
            "members": members,
            "filings": filings,
            "zones": zones_frame,
        }

    def plot(self, *, community: int | None = None) -> Any:
        """Plot members per branch and a map of grids and zones (matplotlib).

        Needs the ``notebook`` extra (matplotlib).

        Titles use ids, not the Chinese names, which the default fonts cannot draw.

        Parameters
        ----------
        community : int, optional
            The community to map (0-based; default: the one with the most branches).

        Returns
        -------
        matplotlib.figure.Figure
            Two axes: a histogram of members per branch with the policy's
            ``max_branch_members`` marked, and a map of the community's households
            coloured by branch, its zone centroids and lines to their claimants. The
            figure is made without pyplot, so no display is needed: a notebook shows
            it, ``fig.savefig(...)`` writes it.

        Examples
        --------
        >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
        >>> r = simulate(None, communities=2, members=60, households=300)
        >>> fig = r.plot(community=1)
        >>> hist, grid_map = fig.axes
        >>> len(fig.axes), int(sum(bar.get_height() for bar in hist.patches))  # 2 branches
        (2, 2)
        >>> grid_map.get_title()
        'community C2: grids (colours), zones (+), claimants'
        >>> canvas = FigureCanvasAgg(fig)  # render off-screen with Agg
        >>> canvas.draw()
        >>> canvas.get_width_height()
        (1200, 500)
        """
        if community is not None:
            community = _checks.index("community", community)
            if community >= len(self.district.community_names):
                raise InvalidValueError(
                    "community",
                    community,
                    f"must be below the number of communities ({len(self.district.community_names)})",
                )
        _deps.require("matplotlib", "notebook", "SimulationResult.plot")
        from matplotlib.figure import Figure

        d, a = self.district, self.allocation
        g = a.grids
        fig = Figure(figsize=(12, 5), layout="constrained")
        left, right = fig.subplots(1, 2)
        sizes = g.branch_members(d)
        # the three-level scheme's grids are not branches: no branch cap to mark
        three_level = "branch" not in self.report.levels
        unit, units = ("grid", "grids") if three_level else ("branch", "branches")
        left.hist(sizes, bins=min(40, max(5, len(np.unique(sizes)))), color="#b22222")
        if not three_level:
            cap = self.policy.max_branch_members
            left.axvline(cap, color="black", linestyle="--", linewidth=1, label=f"cap {cap}")
            left.legend()
        left.set_xlabel(f"members per {unit}")
        left.set_ylabel(units)
        left.set_title(f"{self.spec.name}: {g.n_branches:,} {units} ({a.mode} mode)")
        n_communities = len(d.community_names)
        if community is None:
            community = int(np.bincount(g.branch_community).argmax())
        elif isinstance(community, bool) or not isinstance(community, int | np.integer):
            raise InvalidValueError("community", community, "must be a community index")
        elif not 0 <= community < n_communities:
            raise InvalidValueError(
                "community", community, f"must be from 0 to {n_communities - 1}"
            )
        in_c = np.flatnonzero(d.household_community == community)
        branch = g.household_branch[in_c]
        xy = d.household_xy[in_c]
        right.scatter(xy[:, 0], xy[:, 1], c=branch % 20, cmap="tab20", s=14, linewidths=0)
        zones_in = np.unique(a.zones.household_zone[in_c])
        claimant = a.assignment.claimant[zones_in]
        cxy = d.household_xy[d.member_household[claimant]]
        zxy = a.zones.zone_xy[zones_in]
        for (x0, y0), (x1, y1) in zip(zxy.tolist(), cxy.tolist(), strict=True):
            right.plot([x0, x1], [y0, y1], color="black", linewidth=0.4, alpha=0.6)
        right.scatter(zxy[:, 0], zxy[:, 1], marker="+", color="black", s=12, linewidths=0.6)
        right.set_aspect("equal")
        right.set_title(f"community C{community + 1}: grids (colours), zones (+), claimants")
        right.set_xlabel("metres")
        return fig

    def _repr_html_(self) -> str:
        head = (
            f"<b>gridgov simulation</b>: {self.spec.title} ({self.spec.name}), "
            f"{self.report.mode} mode, seed {self.report.seed}"
        )
        return f"<div>{head}{self.report.to_html()}</div>"

    def __repr__(self) -> str:
        levels = ", ".join(f"{k}={v:,}" for k, v in self.report.levels.items())
        return (
            f"<SimulationResult {self.spec.name} {self.report.mode} seed={self.report.seed}: "
            f"{levels}, members={self.report.members:,}>"
        )


_ORG_COLUMNS = ["id", "level", "name", "parent", "kind", "members", "households"]


def _organizations_frame(pd: Any, j: Jurisdiction) -> Any:
    """Every organization of `j`: its level, name, parent, kind, the members filed in its
    subtree and, for zones, its households."""
    orgs = list(j.organizations.values())
    members = Counter(f.org for f in j.filings.values())
    tree = j.graph.nx
    for root in j.graph.roots():  # children before their parents, whatever moved where
        for org in nx.dfs_postorder_nodes(tree, root):
            parent = j.graph.parent(org)
            if parent is not None:
                members[parent] += members[org]
    households = Counter(j.zone_of_household.values())
    return pd.DataFrame(
        {
            "id": [o.id for o in orgs],
            "level": [o.level for o in orgs],
            "name": [o.name for o in orgs],
            "parent": [o.parent for o in orgs],
            "kind": [None if o.kind is None else o.kind.value for o in orgs],
            "members": [members[o.id] for o in orgs],
            "households": [households.get(o.id) for o in orgs],
        },
        columns=_ORG_COLUMNS,
    )


def simulate(
    preset: str | DistrictSpec | None = None,
    *,
    mode: str = "given",
    seed: int = 0,
    policy: Policy | None = None,
    method: str = "exact",
    build: bool = True,
    validate: bool = True,
    progress: Progress | Callable[[str, int, int], None] | None = None,
    ids: IdFactory | None = None,
    **overrides: Any,
) -> SimulationResult:
    """Generate a district, allocate its members and build its jurisdiction.

    Parameters
    ----------
    preset : str or DistrictSpec or None
        A preset name (``junhe``, ``nansha``, ``xiqiao``, ``liwan``, ``city``), a spec,
        or ``None`` for a custom district.
    mode : {"given", "derive"}
        Reproduce the counts the sources report, or derive the fewest branches and
        groups the policy allows.
    seed : int
        Random seed; the same arguments give the same result.
    policy : Policy, optional
        The charter thresholds (default: the charter's, with the first-secretary
        practice only where the district follows it:
        :meth:`~gridgov.allocation.presets.DistrictSpec.default_policy`); recorded in
        the jurisdiction.
    method : {"exact", "greedy", "flow"}
        The zone assignment algorithm (:mod:`gridgov.allocation.zones`). A heuristic's
        gap to the exact optimum is measured and reported.
    build : bool
        Build the :class:`~gridgov.model.Jurisdiction` (the costly part at city size).
    validate : bool
        Check the jurisdiction with the rule engine (when it is built).
    progress : callable, optional
        Called as ``progress(stage, index, total)`` at the start of each stage.
    ids : IdFactory, optional
        Makes the ids of the district's records (default: the ``gridgov_make_id`` hook
        of the installed plugins, :func:`gridgov.plugins.id_factory`).
    **overrides
        District parameters (``streets``, ``communities``, ``households``, ``members``,
        ``categories``, ...; see :class:`~gridgov.allocation.presets.DistrictSpec`).

    Returns
    -------
    SimulationResult

    Raises
    ------
    InvalidValueError
        For an unknown preset, parameter, mode or method, or an invalid value.

    Examples
    --------
    >>> r = simulate(None, communities=3, members=150, households=600, mode="derive", seed=4)
    >>> r.report.branches_over_cap
    0
    """
    if mode not in MODES:
        raise InvalidValueError("mode", mode, f"must be one of {', '.join(MODES)}")
    if method not in METHODS:
        raise InvalidValueError("method", method, f"must be one of {', '.join(METHODS)}")
    seed = _checks.seed(seed)
    spec = spec_for(preset, **overrides)
    if policy is not None and not isinstance(policy, Policy):
        raise InvalidValueError("policy", policy, "must be a Policy or None")
    if progress is not None and not callable(progress):
        raise InvalidValueError("progress", progress, "must be a callable or None")
    for flag, value in (("build", build), ("validate", validate)):
        if not isinstance(value, bool):
            raise InvalidValueError(flag, value, "must be True or False")
    if ids is not None and not callable(ids):
        raise InvalidValueError("ids", ids, "must be an id factory: ids(kind, parent, taken)")
    policy = policy or spec.default_policy()
    names = Names(ids)
    total = len(STAGES)

    def stage(name: str) -> None:
        if progress is not None:
            progress(name, STAGES.index(name) if name in STAGES else total, total)

    stage("generate")
    district = generate(spec, seed)
    stage("grids")
    grids = draw_grids(district, mode=mode, policy=policy)
    stage("filing")
    member_group = file_members(district, grids)
    stage("zones")
    zones = draw_zones(district, grids, mode=mode, policy=policy)
    assignment = assign_zones(
        district, zones, member_group, method=method, policy=policy, reference=method == "greedy"
    )
    stage("posts")
    posts = propose_posts(district, grids, member_group, policy=policy)
    allocation = Allocation(mode, grids, member_group, zones, assignment, posts)
    jurisdiction = None
    validation = None
    findings = None
    stage("events")
    events = events_for(district, allocation, policy=policy, names=names) if build else []
    stage("build")
    if build:
        jurisdiction = build_jurisdiction(events)
    del events
    stage("validate")
    if validate and jurisdiction is not None:
        validation = check_rules(jurisdiction)
        findings = validation.count_by_code()
    report = report_for(district, allocation, policy=policy, method=method, findings=findings)
    stage("done")
    return SimulationResult(
        spec, district, allocation, jurisdiction, report, policy, validation, names
    )
