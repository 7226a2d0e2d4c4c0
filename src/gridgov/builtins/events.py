"""The built-in plugin ``gridgov.events``: contributes the built-in event types.

Examples
--------
>>> len(gridgov_event_types())
27
"""

from __future__ import annotations

from gridgov.model.events import BUILTIN_EVENTS, Event
from gridgov.plugins import hookimpl


@hookimpl
def gridgov_event_types() -> tuple[type[Event], ...]:
    """The built-in event classes (:data:`gridgov.model.BUILTIN_EVENTS`)."""
    return BUILTIN_EVENTS
