"""The built-in plugin ``gridgov.bus.redis``: opens Redis Streams buses.

redis-py (the ``redis`` extra) is imported only when such a URL is opened.

Examples
--------
>>> gridgov_message_bus("memory://") is None
True
"""

from __future__ import annotations

from gridgov.adapters import scheme_of
from gridgov.adapters.messaging import MessageBus
from gridgov.plugins import hookimpl

SCHEMES = ("redis", "rediss", "unix")
"""The URL schemes this plugin opens (as redis-py reads them)."""


@hookimpl
def gridgov_message_bus(url: str) -> MessageBus | None:
    """A :class:`~gridgov.adapters.messaging.redis.RedisBus` for ``redis://`` URLs."""
    if scheme_of(url) not in SCHEMES:
        return None
    from gridgov.adapters.messaging.redis import RedisBus

    return RedisBus(url)
