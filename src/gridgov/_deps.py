"""Optional packages imported with a clear error naming the extra that brings them.

pandas and matplotlib come with the ``notebook`` extra, numpy and scipy with the
``simulate`` extra. :func:`require` imports one or raises
:class:`~gridgov.errors.MissingDependencyError` with the install line. Nothing is imported
here at import time, so any module may use it.
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
    >>> require("json", "notebook", "gridgov.frames").__name__
    'json'
    >>> require("no_such_package_xyz", "notebook", "gridgov.frames")
    Traceback (most recent call last):
    ...
    gridgov.errors.MissingDependencyError: no_such_package_xyz: gridgov.frames needs it; install it with: pip install 'gridgov[notebook]' (in a source checkout: pip install -e '.[notebook]')
    """
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingDependencyError(package.partition(".")[0], extra, feature) from None
