"""The built-in plugin ``gridgov.store.memory``: opens ``memory://`` event stores.

Examples
--------
>>> gridgov_event_store("memory://")
<MemoryEventStore memory://>
>>> gridgov_event_store("sqlite:///gridgov.db") is None
True
"""

from __future__ import annotations

from gridgov.adapters import scheme_of
from gridgov.adapters.storage import EventStore
from gridgov.plugins import hookimpl


@hookimpl
def gridgov_event_store(url: str) -> EventStore | None:
    """A new, empty in-memory store for ``memory://`` (or ``memory://NAME``)."""
    if scheme_of(url) != "memory":
        return None
    from gridgov.adapters.storage.memory import MemoryEventStore

    return MemoryEventStore(url.partition(":")[2].lstrip("/"))
