"""The reference adapters: event stores, message buses and id schemes a host plugs in.

Each adapter reaches gridgov through a hook of :mod:`gridgov.plugins`, exactly as a
third party's would, and is registered by name as a built-in plugin:

- :mod:`gridgov.adapters.storage`: the event store interface, and one module per
  backend: :mod:`~gridgov.adapters.storage.memory` (``memory://``) and
  :mod:`~gridgov.adapters.storage.sql` (SQLite and PostgreSQL through SQLAlchemy Core,
  the ``sql`` extra);
- :mod:`gridgov.adapters.messaging`: the message bus interface, the relay that feeds it
  from the store, the consumer that applies each event exactly once, and one module per
  backend: :mod:`~gridgov.adapters.messaging.memory` and
  :mod:`~gridgov.adapters.messaging.redis` (Redis Streams, the ``redis`` extra);
- :mod:`gridgov.adapters.ids`: ULIDs (the ``ids`` extra) and the administrative division
  codes of a Chinese host.

A backend's driver is imported only when a URL of that backend is opened, so that a
missing extra costs nothing until it is needed (then a
:class:`~gridgov.errors.MissingDependencyError` names the extra). The pure core
(:mod:`gridgov.model`, :mod:`gridgov.rules`) imports nothing from here.
"""

from __future__ import annotations

import re

from gridgov.errors import InvalidValueError

__all__ = ["redact_url", "scheme_of"]

_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*):[^@/?#]*@")


def _url(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("url", value, "must be a URL (a string)")
    return value


def redact_url(url: str) -> str:
    """Return `url` with its password, if any, replaced by ``***``: for messages and logs.

    Raises
    ------
    InvalidValueError
        If `url` is not a string.

    Examples
    --------
    >>> redact_url("postgresql+psycopg://app:s3cret@db:5432/gridgov")
    'postgresql+psycopg://app:***@db:5432/gridgov'
    >>> redact_url("sqlite:///gridgov.db")
    'sqlite:///gridgov.db'
    """
    return _PASSWORD.sub(r"\1:***@", _url(url))


def scheme_of(url: str) -> str:
    """Return the scheme of `url` in lower case, driver included (``postgresql+psycopg``).

    Raises
    ------
    InvalidValueError
        If `url` is not a string.

    Examples
    --------
    >>> scheme_of("postgresql+psycopg://app@db/gridgov"), scheme_of("memory:")
    ('postgresql+psycopg', 'memory')
    """
    head, sep, _ = _url(url).partition(":")
    return head.lower() if sep else ""
