"""The built-in plugin ``gridgov.ids``: sequential ids, the default id scheme.

It runs last (``trylast``), so that any other plugin's id scheme wins.

Examples
--------
>>> from gridgov.model import Taken
>>> gridgov_make_id("branch", "C1", Taken(lambda i: False))
'B1'
"""

from __future__ import annotations

from gridgov.model.ids import Taken, sequential_id
from gridgov.plugins import hookimpl


@hookimpl(trylast=True)
def gridgov_make_id(kind: str, parent: str | None, taken: Taken) -> str:
    """``O1, O2, ...`` for organizations, ``P1`` people, ``H1`` households, ``EC1`` cooperatives."""
    return sequential_id(kind, parent, taken)
