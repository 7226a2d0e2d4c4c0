"""The built-in plugin ``gridgov.ids.admin``: administrative division codes, when chosen.

Registered only when a host chooses the scheme (``GRIDGOV_IDS=admin``, or
``gridgov.plugins.new_plugin_manager(ids="admin")``). An organization's id extends its
parent's code (:class:`gridgov.adapters.ids.AdminCodes`); the root is founded with its
code given; people, households and cooperatives are left to the next scheme
(sequential ids).

Examples
--------
>>> from gridgov.model import Taken
>>> gridgov_make_id("community", "440103001", Taken(lambda i: False))
'440103001001'
>>> gridgov_make_id("person", None, Taken(lambda i: False)) is None
True
"""

from __future__ import annotations

from gridgov.adapters.ids import AdminCodes
from gridgov.model.ids import Taken
from gridgov.plugins import hookimpl

_CODES = AdminCodes()


@hookimpl
def gridgov_make_id(kind: str, parent: str | None, taken: Taken) -> str | None:
    """The next free code under the parent's (:meth:`AdminCodes.make <gridgov.adapters.ids.AdminCodes.make>`)."""
    return _CODES.make(kind, parent, taken)
