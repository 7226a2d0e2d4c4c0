"""The built-in plugin ``gridgov.bus.memory``: opens ``memory://`` message buses.

Examples
--------
>>> gridgov_message_bus("memory://")
<MemoryBus memory://>
>>> gridgov_message_bus("redis://127.0.0.1:6379/0") is None
True
"""

from __future__ import annotations

from gridgov.adapters import scheme_of
from gridgov.adapters.messaging import MessageBus
from gridgov.plugins import hookimpl


@hookimpl
def gridgov_message_bus(url: str) -> MessageBus | None:
    """A new in-process bus for ``memory://`` (or ``memory://NAME``)."""
    if scheme_of(url) != "memory":
        return None
    from gridgov.adapters.messaging.memory import MemoryBus

    return MemoryBus(url.partition(":")[2].lstrip("/"))
