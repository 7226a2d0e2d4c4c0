"""The built-in plugin ``gridgov.store.sql``: opens SQLite and PostgreSQL event stores.

SQLAlchemy (the ``sql`` extra) is imported only when such a URL is opened.

Examples
--------
>>> gridgov_event_store("memory://") is None
True
"""

from __future__ import annotations

from gridgov.adapters import scheme_of
from gridgov.adapters.storage import EventStore
from gridgov.plugins import hookimpl

SCHEMES = ("sqlite", "postgresql")
"""The SQLAlchemy dialects this plugin opens (any driver: ``postgresql+psycopg``)."""


@hookimpl
def gridgov_event_store(url: str) -> EventStore | None:
    """A :class:`~gridgov.adapters.storage.sql.SQLEventStore` for ``sqlite:`` and ``postgresql:`` URLs."""
    if scheme_of(url).partition("+")[0] not in SCHEMES:
        return None
    from gridgov.adapters.storage.sql import SQLEventStore

    return SQLEventStore(url)
