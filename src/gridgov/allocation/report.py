"""The report of a simulation: counts, sizes, claims, posts, objective, rule findings.

:func:`report_for` reads the allocation's arrays (so it works without building the
jurisdiction) and, when given, the rule findings. A :class:`SimulationReport` is plain
data: :meth:`~SimulationReport.to_dict` for JSON, :meth:`~SimulationReport.to_text` for a
terminal, :meth:`~SimulationReport.to_html` for a notebook.

Where the sources' own figures break a charter rule, the report says so in its
``notes`` rather than hiding it: Liwan's 925 branches for 57,546 members average 62
members, above the charter's "generally at most 50".
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
from attrs import asdict, field, frozen

from gridgov.allocation import _checks
from gridgov.allocation.generate import CADRE_STREET, District, IntArray
from gridgov.allocation.plan import Allocation, layout_for
from gridgov.allocation.presets import PRIMARY_CATEGORIES
from gridgov.allocation.zones import METHODS
from gridgov.errors import InvalidValueError
from gridgov.model.policy import Policy

__all__ = ["SimulationReport", "Stats", "report_for"]


@frozen
class Stats:
    """Minimum, median, mean and maximum of a distribution of counts.

    Attributes
    ----------
    min, max : int
        The smallest and largest count.
    median, mean : float
        The median, and the mean rounded to 2 places.

    Examples
    --------
    >>> s = Stats.of(np.array([4, 1, 2, 9]))
    >>> s.min, s.median, s.mean, s.max
    (1, 3.0, 4.0, 9)
    >>> str(s)  # min / median / max, as the summary table shows it
    '1 / 3 / 9'
    """

    min: int
    median: float
    mean: float
    max: int

    @classmethod
    def of(cls, values: IntArray) -> Stats:
        """Summarize `values` (all zeros when empty).

        Parameters
        ----------
        values : int array
            The counts (members per branch, households per zone, ...).

        Returns
        -------
        Stats

        Examples
        --------
        >>> Stats.of(np.array([1, 2, 6]))
        Stats(min=1, median=2.0, mean=3.0, max=6)
        >>> Stats.of(np.array([], dtype=np.int64))
        Stats(min=0, median=0.0, mean=0.0, max=0)
        """
        if not isinstance(values, np.ndarray) or values.dtype.kind not in "iuf" or values.ndim != 1:
            raise InvalidValueError("values", values, "must be a 1-d numpy array of numbers")
        if len(values) == 0:
            return cls(0, 0.0, 0.0, 0)
        return cls(
            int(values.min()),
            float(np.median(values)),
            round(float(values.mean()), 2),
            int(values.max()),
        )

    def __str__(self) -> str:
        return f"{self.min} / {self.median:g} / {self.max}"


@frozen
class SimulationReport:
    """What a simulation produced and how good it is (see :func:`report_for`).

    Attributes
    ----------
    preset, title, mode, seed, method, scheme : str or int
        What was simulated and how.
    levels : dict
        Organizations per level of the jurisdiction's scheme.
    members, full_members, probationary, people, households : int
        The members filed in grids, by status; everyone in the jurisdiction; households.
    cadres, cooperative_heads : int
        The Party members not filed in a grid (the secretaries of the district, streets
        and communities and the street cadres), and the heads of cooperatives (not Party
        members): ``people == members + cadres + cooperative_heads``.
    targets, deviation : dict
        The counts the spec gives and the relative deviation of the result from each
        (``given`` mode reproduces them; ``derive`` mode does not try).
    branch_members, group_members, zone_households : Stats
        Members per branch (min / median / max), per group; households per zone.
    branches_over_cap, joint_branches, committees : int
        Branches over ``max_branch_members``; joint branches; branches with a committee.
    zones, zones_claimed, claimants, max_zones_per_member : int
        Zones; zones with a claimant; members claiming; the most zones one member claims.
    posts : dict
        Posts filled, by role.
    max_grids_per_cadre : int
        The most grids one street cadre is first secretary of.
    objective, optimum, gap : int, int or None, float or None
        The zone assignment's objective, the exact optimum if known, their gap.
    findings : dict or None
        Rule findings by code, or ``None`` when the rules did not run.
    notes : tuple of str
        Things a reader should know (sources over a charter threshold, caps hit).

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> rep = simulate(None, communities=2, members=60, households=300).report
    >>> rep.levels
    {'street': 1, 'community': 2, 'branch': 2, 'group': 3, 'zone': 26}
    >>> rep.members, rep.branches_over_cap, rep.zones_claimed == rep.zones
    (60, 0, True)
    >>> rep.findings, rep.gap  # the rules ran and found nothing; exact assignment
    ({}, 0.0)
    """

    preset: str
    title: str
    mode: str
    seed: int
    method: str
    scheme: str
    levels: dict[str, int]
    members: int
    full_members: int
    probationary: int
    people: int
    households: int
    targets: dict[str, int]
    deviation: dict[str, float]
    branch_members: Stats
    group_members: Stats
    zone_households: Stats
    branches_over_cap: int
    joint_branches: int
    committees: int
    zones: int
    zones_claimed: int
    claimants: int
    max_zones_per_member: int
    posts: dict[str, int]
    max_grids_per_cadre: int
    objective: int
    optimum: int | None
    gap: float | None
    findings: dict[str, int] | None = None
    notes: tuple[str, ...] = field(factory=tuple)
    categories: dict[str, int] = field(factory=dict)
    cadres: int = 0
    cooperative_heads: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data.

        Returns
        -------
        dict of str to object
            Every field by name; the :class:`Stats` fields become dicts, ``notes`` a
            tuple of str.

        Examples
        --------
        >>> import json
        >>> from gridgov.allocation.simulate import simulate
        >>> d = simulate(None, communities=2, members=60, households=300).report.to_dict()
        >>> d["branch_members"]
        {'min': 27, 'median': 30.0, 'mean': 30.0, 'max': 33}
        >>> json.loads(json.dumps(d))["levels"] == d["levels"]
        True
        """
        return asdict(self, recurse=True)

    def table(self) -> list[tuple[str, str]]:
        """Return the report as ``(label, value)`` rows, the summary table.

        Returns
        -------
        list of (str, str)
            Labels and formatted values, one row per figure (a level's rows and a
            target's rows are indented by two spaces), one ``note`` row per note.

        Examples
        --------
        >>> from gridgov.allocation.simulate import simulate
        >>> rows = simulate(None, communities=2, members=60, households=300).report.table()
        >>> rows[:3]
        [('district', '示范街道 (custom), five-level'), ('mode / seed / method', 'given / 0 / exact'), ('  street', '1')]
        >>> dict(rows)["rule findings"]
        'none'
        """
        rows: list[tuple[str, str]] = [
            ("district", f"{self.title} ({self.preset}), {self.scheme}"),
            ("mode / seed / method", f"{self.mode} / {self.seed} / {self.method}"),
        ]
        for level, n in self.levels.items():
            rows.append((f"  {level}", f"{n:,}"))
        rows.append(
            (
                "members filed in grids",
                f"{self.members:,} ({self.full_members:,} full, {self.probationary:,} "
                "probationary)",
            )
        )
        for key, target in self.targets.items():
            rows.append(
                (f"  {key} vs sources", f"target {target:,}, deviation {self.deviation[key]:+.2%}")
            )
        # everyone else in the jurisdiction: why `gridgov show` counts more Party members
        heads = (
            f" + {self.cooperative_heads:,} cooperative heads (not Party members)"
            if self.cooperative_heads
            else ""
        )
        rows.append(
            (
                "people",
                f"{self.people:,} = {self.members:,} filed + {self.cadres:,} cadres (Party "
                f"members not filed in a grid){heads}",
            )
        )
        rows.append(("households", f"{self.households:,}"))
        unit = "branch" if "branch" in self.levels else "grid"  # three-level: grids
        if self.categories:
            rows.append(
                (
                    "members by category",
                    ", ".join(f"{name} {n:,}" for name, n in self.categories.items()),
                )
            )
        rows.append((f"members per {unit} (min/median/max)", str(self.branch_members)))
        rows.append(("members per group (min/median/max)", str(self.group_members)))
        rows.append(("households per zone (min/median/max)", str(self.zone_households)))
        rows.append(
            (
                "branches over cap / joint / with committee",
                f"{self.branches_over_cap:,} / {self.joint_branches:,} / {self.committees:,}",
            )
        )
        rows.append(
            (
                "zones claimed",
                f"{self.zones_claimed:,} of {self.zones:,} by {self.claimants:,} members "
                f"(at most {self.max_zones_per_member} each)",
            )
        )
        posts = ", ".join(f"{role} {n:,}" for role, n in self.posts.items())
        rows.append(("posts filled", f"{sum(self.posts.values()):,}: {posts}"))
        rows.append(("grids per first secretary (max)", str(self.max_grids_per_cadre)))
        gap = "n/a" if self.gap is None else f"{self.gap:+.3%}"
        optimum = "n/a" if self.optimum is None else f"{self.optimum:,}"
        rows.append(("zone objective / optimum / gap", f"{self.objective:,} / {optimum} / {gap}"))
        if self.findings is None:
            rows.append(("rule findings", "not checked"))
        elif not self.findings:
            rows.append(("rule findings", "none"))
        else:
            rows.append(
                ("rule findings", ", ".join(f"{c} {n:,}" for c, n in sorted(self.findings.items())))
            )
        rows.extend(("note", note) for note in self.notes)
        return rows

    def to_text(self) -> str:
        """Return the summary table as text.

        Returns
        -------
        str
            One line per row of :meth:`table`, labels padded to one width.

        Examples
        --------
        >>> from gridgov.allocation.simulate import simulate
        >>> text = simulate("junhe", build=False).report.to_text()
        >>> print(text.splitlines()[0])
        district                                    均禾街 (junhe), five-level
        >>> print(text.splitlines()[-1])
        rule findings                               not checked
        """
        rows = self.table()
        width = max(len(label) for label, _ in rows)
        return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)

    def to_html(self) -> str:
        """Return the summary table as an HTML table.

        Labels and values are HTML-escaped; a notebook shows it for a
        :class:`~gridgov.allocation.SimulationResult`.

        Returns
        -------
        str
            A ``<table>`` with one ``<tr>`` per row of :meth:`table`.

        Examples
        --------
        >>> from gridgov.allocation.simulate import simulate
        >>> rep = simulate(None, communities=2, members=60, households=300).report
        >>> html_table = rep.to_html()
        >>> html_table.startswith("<table><tr><th"), html_table.count("<tr>") == len(rep.table())
        (True, True)
        """
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
            for label, value in self.table()
        )
        return f"<table>{cells}</table>"


TARGET_TOLERANCE = 0.02
"""How far a count may be from its target before the report notes it (2 %)."""


def report_for(
    district: District,
    allocation: Allocation,
    *,
    policy: Policy | None = None,
    method: str = "exact",
    findings: Mapping[str, int] | None = None,
) -> SimulationReport:
    """Report on an allocation (and its rule findings, when the rules ran).

    Parameters
    ----------
    district : District
        The district allocated.
    allocation : Allocation
        Its allocation.
    policy : Policy, optional
        The thresholds to measure against (``max_branch_members``; default: the
        charter's).
    method : str
        The zone assignment method used, as reported.
    findings : mapping of str to int, optional
        Rule findings by code; ``None`` when the rules did not run.

    Returns
    -------
    SimulationReport
        Counts per level, sizes, deviation from the spec's targets (``given`` mode),
        claims, posts, the zone objective and its gap, and notes.

    Examples
    --------
    >>> from gridgov.allocation.simulate import simulate
    >>> r = simulate("junhe", build=False)
    >>> rep = report_for(r.district, r.allocation)
    >>> rep.levels["branch"], rep.deviation["branches"]
    (51, 0.0)
    """
    _checks.instance("district", district, District)
    _checks.instance("allocation", allocation, Allocation)._fits(district)
    if method not in METHODS:
        raise InvalidValueError("method", method, f"must be one of {', '.join(METHODS)}")
    if findings is not None and (
        not isinstance(findings, Mapping)
        or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in findings.items()
        )
    ):
        raise InvalidValueError("findings", findings, "must map rule codes to counts")
    policy = district.spec.default_policy() if policy is None else _checks.policy(policy)
    spec = district.spec
    layout = layout_for(spec)
    g = allocation.grids
    zones = allocation.zones
    posts = allocation.posts
    branch_members = g.branch_members(district)
    group_members = np.bincount(allocation.member_group, minlength=g.n_groups)
    levels = dict.fromkeys(layout.scheme.levels, 0)
    if layout.district is not None:
        levels[layout.district] = 1
    levels[layout.street] = len(district.street_names)
    levels[layout.community] = len(district.community_names)
    if layout.branch is not None:
        levels[layout.branch] = g.n_branches
    levels[layout.group] = g.n_groups
    levels[layout.zone] = zones.n_zones
    actual = {
        "members": district.n_members,
        "branches": g.n_branches,
        "groups": g.n_groups,
        "zones": zones.n_zones,
        "service_teams": int((posts.branch_captain >= 0).sum()),
    }
    targets = spec.targets if allocation.mode == "given" else {"members": spec.members}
    deviation = {k: round(actual[k] / v - 1, 6) for k, v in targets.items()}
    load = np.bincount(allocation.assignment.claimant, minlength=district.n_members)
    fs = posts.branch_first_secretary
    fs_load = np.bincount(fs[fs >= 0]) if (fs >= 0).any() else np.zeros(1, dtype=np.int64)
    post_counts = _post_counts(district, allocation)
    over = int((branch_members > policy.max_branch_members).sum()) if layout.branch else 0
    notes: list[str] = []
    if allocation.mode == "given" and "branches" in targets and layout.branch is not None:
        mean = spec.members / targets["branches"]
        if mean > policy.max_branch_members:
            notes.append(
                f"the sources' {targets['branches']:,} branches for {spec.members:,} members "
                f"average {mean:.1f} members, above the charter's {policy.max_branch_members} "
                f"(generally): {over:,} branches are over it (GG202); derive mode needs "
                f"none over"
            )
    missed = {k: d for k, d in deviation.items() if abs(d) > TARGET_TOLERANCE}
    if missed:
        notes.append(
            "the district could not reproduce "
            + ", ".join(
                f"{k.replace('_', ' ')} {actual[k]:,} for a target of {targets[k]:,} ({d:+.0%})"
                for k, d in missed.items()
            )
            + ": the targets do not fit its members, communities and households"
        )
    if layout.branch is None:
        notes.append(
            "three-level scheme: the grids are the filing level and there is no branch level, "
            "so the charter's branch rules (size, committees) do not apply to them"
        )
    scheme = layout.scheme.name or " > ".join(layout.scheme.levels)
    return SimulationReport(
        preset=spec.name,
        title=spec.title,
        mode=allocation.mode,
        seed=district.seed,
        method=method,
        scheme=scheme,
        levels=levels,
        members=district.n_members,
        full_members=int(district.member_full.sum()),
        probationary=int((~district.member_full).sum()),
        people=district.n_members + len(district.cadre_kind) + len(district.head_household),
        cadres=len(district.cadre_kind),
        cooperative_heads=len(district.head_household),
        households=district.n_households,
        targets=dict(targets),
        deviation=deviation,
        branch_members=Stats.of(branch_members),
        group_members=Stats.of(group_members),
        zone_households=Stats.of(np.bincount(zones.household_zone, minlength=zones.n_zones)),
        branches_over_cap=over,
        joint_branches=int(g.branch_joint.sum()),
        committees=posts.committees,
        zones=zones.n_zones,
        zones_claimed=int((allocation.assignment.claimant >= 0).sum()),
        claimants=int((load > 0).sum()),
        max_zones_per_member=int(load.max()) if len(load) else 0,
        posts=post_counts,
        max_grids_per_cadre=int(fs_load.max()),
        objective=allocation.assignment.objective,
        optimum=allocation.assignment.optimum,
        gap=allocation.assignment.gap,
        findings=dict(findings) if findings is not None else None,
        notes=tuple(notes),
        categories={
            str(PRIMARY_CATEGORIES[c]): int(n)
            for c, n in enumerate(
                np.bincount(district.member_category, minlength=len(PRIMARY_CATEGORIES))
            )
            if n
        },
    )


def _post_counts(district: District, allocation: Allocation) -> dict[str, int]:
    posts = allocation.posts
    kinds = district.cadre_kind
    secretaries = int((kinds != CADRE_STREET).sum()) + int((posts.branch_secretary >= 0).sum())
    with_first = posts.branch_first_secretary >= 0
    first = int(with_first.sum())
    second = int(
        (with_first & ((posts.branch_head_leader >= 0) | (posts.branch_secretary >= 0))).sum()
    )
    out = {
        "secretary": secretaries,
        "committee_member": int((posts.branch_committee >= 0).sum()),
        "group_leader": int((posts.group_leader >= 0).sum()),
        "first_secretary": first,
        "grid_leader": first + second,
        "service_team_captain": int((posts.branch_captain >= 0).sum()),
    }
    return {role: n for role, n in out.items() if n}
