"""The optional packages the allocation layer needs, imported with a clear error.

numpy and scipy come with the ``simulate`` extra; pandas and matplotlib (for
:meth:`SimulationResult.to_frames <gridgov.allocation.SimulationResult.to_frames>` and
:meth:`~gridgov.allocation.SimulationResult.plot`) with the ``notebook`` extra. A missing
package raises :class:`~gridgov.errors.MissingDependencyError` naming the extra.
"""

from __future__ import annotations

from gridgov._deps import require

__all__ = ["require"]


for _package in ("numpy", "scipy.optimize"):
    require(_package, "simulate", "gridgov simulate")
