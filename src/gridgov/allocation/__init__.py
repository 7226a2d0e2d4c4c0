"""Calibrated district simulation and member allocation (``gridgov simulate``).

Given a district's figures (:data:`PRESETS`, calibrated on the sources, or custom
parameters), :func:`simulate` builds a synthetic but realistic district, files every
registered member into the grid where they live, draws responsibility zones and has
members claim them, proposes the posts (secretaries, committees, group leaders, first
secretaries, dual grid leaders), builds the :class:`~gridgov.model.Jurisdiction` and
reports the result and its quality. :func:`churn` moves members in, out and house and
re-allocates with the fewest changes.

The algorithms work on compact numpy arrays and are pure functions, each documented
with its objective: :func:`draw_grids` (capacitated clustering of households into
branches and groups), :func:`file_members`, :func:`draw_zones` and :func:`assign_zones`
(a min-cost assignment solved exactly per group), :func:`propose_posts`,
:func:`reallocate`. Needs the ``simulate`` extra (numpy, scipy); ``to_frames`` and
``plot`` need the ``notebook`` extra (pandas, matplotlib).

Examples
--------
>>> from gridgov.allocation import simulate
>>> r = simulate("junhe")
>>> r.report.levels["branch"], r.report.deviation["branches"]
(51, 0.0)
"""

from gridgov.allocation import _deps  # noqa: F401  (raises MissingDependencyError early)
from gridgov.allocation.build import build_jurisdiction, events_for
from gridgov.allocation.churn import ChurnReport, ChurnResult, churn, reallocate
from gridgov.allocation.filing import file_members
from gridgov.allocation.generate import District, generate
from gridgov.allocation.grids import MODES, Grids, draw_grids
from gridgov.allocation.plan import Allocation, Layout, layout_for
from gridgov.allocation.posts import Posts, propose_posts
from gridgov.allocation.presets import PRESETS, CommunitySpec, DistrictSpec, spec_for
from gridgov.allocation.report import SimulationReport, Stats, report_for
from gridgov.allocation.simulate import STAGES, Progress, SimulationResult, simulate
from gridgov.allocation.zones import METHODS, ZoneAssignment, Zones, assign_zones, draw_zones

__all__ = [
    "METHODS",
    "MODES",
    "PRESETS",
    "STAGES",
    "Allocation",
    "ChurnReport",
    "ChurnResult",
    "CommunitySpec",
    "District",
    "DistrictSpec",
    "Grids",
    "Layout",
    "Posts",
    "Progress",
    "SimulationReport",
    "SimulationResult",
    "Stats",
    "ZoneAssignment",
    "Zones",
    "assign_zones",
    "build_jurisdiction",
    "churn",
    "draw_grids",
    "draw_zones",
    "events_for",
    "file_members",
    "generate",
    "layout_for",
    "propose_posts",
    "reallocate",
    "report_for",
    "simulate",
    "spec_for",
]
