"""The built-in plugin ``gridgov.ids.ulid``: ULIDs for every record, when chosen.

Registered only when a host chooses the scheme (``GRIDGOV_IDS=ulid``, or
``gridgov.plugins.new_plugin_manager(ids="ulid")``); sequential ids stay the default.
Needs the ``ids`` extra (python-ulid), imported on the first id made.

Examples
--------
>>> from gridgov.model import Taken
>>> len(gridgov_make_id("person", None, Taken(lambda i: False)))
26
"""

from __future__ import annotations

from gridgov.adapters.ids import UlidIds
from gridgov.model.ids import Taken
from gridgov.plugins import hookimpl

_IDS: UlidIds | None = None


@hookimpl
def gridgov_make_id(kind: str, parent: str | None, taken: Taken) -> str:
    """A ULID (:class:`gridgov.adapters.ids.UlidIds`), monotonic within a jurisdiction."""
    global _IDS
    if _IDS is None:
        _IDS = UlidIds()
    return _IDS(kind, parent, taken)
