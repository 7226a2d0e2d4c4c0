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

import warnings
from collections.abc import Callable
from typing import Any, Protocol

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
from gridgov.errors import InvalidValueError, StateError
from gridgov.limits import check_flag
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
    gives pandas tables (:func:`gridgov.frames` of its jurisdiction), :meth:`plot` a
    figure (:func:`gridgov.plot`), and :meth:`churn` moves members and re-allocates
    the arrays (:func:`gridgov.churn` does the same on any jurisdiction, as events).

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

    def to_frames(self) -> Any:
        """Return pandas DataFrames of the district: :func:`gridgov.frames` of its jurisdiction.

        Needs the ``notebook`` extra (pandas). The tables are read from the
        jurisdiction each time, so they follow any edit made to it since.

        Returns
        -------
        gridgov.tables.Frames or dict of str to pandas.DataFrame
            With a jurisdiction: :func:`gridgov.frames` of it (``organizations``,
            ``members``, ``posts``, ``zones``, ``households``, ``filings``; see
            :class:`~gridgov.tables.Frames`). Built with ``build=False`` there is no
            jurisdiction: a dict of the allocation's own tables, from its arrays:
            ``organizations`` (id, level, name, parent, kind, members, households),
            ``members`` (id, name, status, category (the primary one), community,
            household, x, y), ``filings`` (person, group, branch, community) and
            ``zones`` (id, group, households, claimant, x, y).

        Examples
        --------
        >>> r = simulate(None, communities=2, members=60, households=300)
        >>> f = r.to_frames()
        >>> len(f.members) - len(f.filings)  # street cadres: members with no filing
        7
        >>> _ = r.jurisdiction.transfer_member(f.filings.person[0], f.filings.org.iloc[-1])
        >>> r.to_frames().filings.org[0] == f.filings.org.iloc[-1]  # read afresh
        True
        >>> frames = simulate("junhe", build=False).to_frames()
        >>> sorted(frames), len(frames["members"])
        (['filings', 'members', 'organizations', 'zones'], 2000)
        """
        if self.jurisdiction is not None:
            from gridgov.tables import frames

            return frames(self.jurisdiction)
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

    def plot(
        self, *, community: str | int | None = None, ax: Any = None, font: str | None = "auto"
    ) -> Any:
        """Plot members per branch and a map of one community: :func:`gridgov.plot`.

        Needs the ``notebook`` extra (matplotlib) and a built jurisdiction.

        Parameters
        ----------
        community : str, optional
            The community's id (``"C2"``); default: the one with the most branches. A
            0-based integer index (the old form) is deprecated: it still works, with a
            ``FutureWarning``.
        ax : matplotlib.axes.Axes, optional
            Draw the map there (without it, a new figure with the branch plot too).
        font : str or None
            As for :func:`gridgov.plot`.

        Returns
        -------
        matplotlib.figure.Figure

        Raises
        ------
        StateError
            If the result was built with ``build=False`` (no jurisdiction to plot).

        Examples
        --------
        >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
        >>> r = simulate(None, communities=2, members=60, households=300)
        >>> fig = r.plot(community="C2", font=None)
        >>> branches, grid_map = fig.axes
        >>> len(branches.patches)  # one bar per branch
        2
        >>> grid_map.get_title()
        'community C2: 1 branches, zones (+), claimants'
        >>> FigureCanvasAgg(fig).draw()  # render off-screen with Agg
        """
        if self.jurisdiction is None:
            raise StateError(
                "jurisdiction", None, "built with build=False: no jurisdiction to plot"
            )
        if isinstance(community, bool):
            raise InvalidValueError("community", community, "must be a community id (a string)")
        if isinstance(community, int):
            community = _checks.index("community", community)
            ids = community_ids(self.district, self.names)
            if community >= len(ids):
                raise InvalidValueError(
                    "community",
                    community,
                    f"must be below the number of communities ({len(ids)})",
                )
            warnings.warn(
                f"SimulationResult.plot(community={community}): a community index is "
                f"deprecated; give its id, community={ids[community]!r}",
                FutureWarning,
                stacklevel=2,
            )
            community = ids[community]
        from gridgov.plots import plot

        return plot(self.jurisdiction, community, ax=ax, font=font)

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
        check_flag(flag, value)
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
