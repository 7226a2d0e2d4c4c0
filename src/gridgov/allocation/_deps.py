"""The optional packages the allocation layer needs, imported with a clear error.

numpy and scipy come with the ``simulate`` extra; pandas and matplotlib (for
:meth:`SimulationResult.to_frames <gridgov.allocation.SimulationResult.to_frames>` and
:meth:`~gridgov.allocation.SimulationResult.plot`) with the ``notebook`` extra. A missing
package raises :class:`~gridgov.errors.MissingDependencyError` naming the extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from gridgov.errors import MissingDependencyError

__all__ = ["require"]


def require(package: str, extra: str, feature: str) -> ModuleType:
    """Import `package`, or raise :class:`MissingDependencyError` naming `extra`.

    Examples
    --------
    >>> require("numpy", "simulate", "gridgov simulate").__name__
    'numpy'
    >>> require("no_such_package_xyz", "simulate", "gridgov simulate")
    Traceback (most recent call last):
    ...
    gridgov.errors.MissingDependencyError: no_such_package_xyz: gridgov simulate needs it; install it with: pip install 'gridgov[simulate]' (in a source checkout: pip install -e '.[simulate]')
    """
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingDependencyError(package.partition(".")[0], extra, feature) from None


for _package in ("numpy", "scipy.optimize"):
    require(_package, "simulate", "gridgov simulate")
