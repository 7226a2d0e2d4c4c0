"""The SQL event store: SQLite and PostgreSQL through SQLAlchemy Core, one code path.

``sqlite:///gridgov.db`` is the embedded default (no server); PostgreSQL is
``postgresql+psycopg://USER@HOST:PORT/DB`` (psycopg 3; a plain ``postgresql://`` would
mean psycopg2). Both need the ``sql`` extra (``pip install 'gridgov[sql]'``).

The schema, created on first write and versioned (``gridgov_meta.schema_version``):

- ``gridgov_events``: append-only; ``position`` the primary key, ``stream``,
  ``version``, ``event_id``, ``topic``, ``schema_version``,
  ``recorded_at``, ``actor``, ``payload`` (JSON text), with ``UNIQUE (stream,
  version)``. That constraint *is* the optimistic-concurrency check: a writer inserts
  versions ``expected + 1, ...`` and the database refuses the second of two writers
  that read the same version (no read-then-write race);
- ``gridgov_snapshots``: ``(stream, version)`` and the document as JSON text;
- ``gridgov_tracking``: what a consumer last applied per stream
  (:class:`SQLTracker`), written in the same transaction as its effect;
- ``gridgov_meta``: the schema version.

The names take a prefix (``?prefix=host_`` in the URL, default ``gridgov_``); on
PostgreSQL the tables can live in their own schema (``?schema=gridgov``, created if
missing).

Positions follow commit order. An append holds the database's write lock for the
store's events while it inserts: on PostgreSQL a transaction-scoped advisory lock
(``pg_advisory_xact_lock`` on a key derived from the table's name), on SQLite the
database's one writer lock (``BEGIN IMMEDIATE``). Under it the append gives its events
the positions after the last one, so positions are given in the order appends commit
and a reader going on from the last position it saw never skips one that commits late
(a sequence would hand out numbers at insert time, and a transaction that took an
earlier one could commit after a later one is read). Every writer of the table must go
through the store, or take the same lock. On SQLite the store also turns on WAL (readers
never wait for the writer) and waits for a busy database up to ``busy_timeout`` seconds;
in WAL mode a deferred transaction that reads and then writes fails at once with
"database is locked" when another writer went first, hence ``BEGIN IMMEDIATE``.

Driver errors become :class:`~gridgov.errors.StoreError` (with the driver's error as
the cause); a conflicting append is a :class:`~gridgov.errors.ConcurrencyError`. No SQL
is built from strings: every statement is a SQLAlchemy Core expression.

Examples
--------
>>> import datetime as dt, tempfile
>>> from pathlib import Path
>>> from gridgov.envelope import seal
>>> from gridgov.model import Organization, OrganizationFounded
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> new = seal(OrganizationFounded(Organization("S1", "street", "S")), event_id="e-1",
...            recorded_at=at)
>>> with tempfile.TemporaryDirectory() as tmp:
...     with SQLEventStore(f"sqlite:///{Path(tmp, 'gridgov.db')}") as store:
...         _ = store.append("S1", [new], expected_version=0)
...         print(store.streams(), store.read("S1")[0].event().org.id)
{'S1': 1} S1
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from gridgov.adapters import redact_url
from gridgov.adapters.messaging.consumer import APPLIED, DUPLICATE, GAP, Effect, Tracker
from gridgov.adapters.storage import (
    EventStore,
    Snapshot,
    check_append,
    check_read,
    check_stream,
    stored_envelopes,
)
from gridgov.envelope import Envelope, NewEvent
from gridgov.errors import (
    ConcurrencyError,
    InvalidValueError,
    MissingDependencyError,
    StoreError,
)

try:
    import sqlalchemy as sa
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.pool import StaticPool
    from sqlalchemy.types import TypeDecorator
except ImportError as _exc:  # pragma: no cover - exercised with the extra missing
    raise MissingDependencyError("sqlalchemy", "sql", "the SQL event store") from _exc

__all__ = ["SCHEMA_VERSION", "SQLEventStore", "SQLTracker"]

SCHEMA_VERSION = 1
"""The version of the tables this gridgov writes (``gridgov_meta.schema_version``)."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
_GRIDGOV_QUERY = ("prefix", "schema")
_BEGIN = "gridgov_begin"
_CREATED = "gridgov_created_tables"


class _UTC(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every backend (SQLite keeps it as naive UTC text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _position_type() -> sa.types.TypeEngine[int]:
    # on SQLite, INTEGER PRIMARY KEY is the rowid (the table's own order); elsewhere BIGINT
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _tables(prefix: str, schema: str | None) -> tuple[sa.MetaData, dict[str, sa.Table]]:
    md = sa.MetaData(schema=schema)
    events = sa.Table(
        f"{prefix}events",
        md,
        sa.Column("position", _position_type(), primary_key=True, autoincrement=False),
        sa.Column("stream", sa.String(200), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", _UTC(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.UniqueConstraint("stream", "version", name=f"{prefix}events_stream_version"),
    )
    snapshots = sa.Table(
        f"{prefix}snapshots",
        md,
        sa.Column("stream", sa.String(200), primary_key=True),
        sa.Column("version", sa.BigInteger(), primary_key=True),
        sa.Column("recorded_at", _UTC(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
    )
    tracking = sa.Table(
        f"{prefix}tracking",
        md,
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("stream", sa.String(200), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    meta = sa.Table(
        f"{prefix}meta",
        md,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    return md, {"events": events, "snapshots": snapshots, "tracking": tracking, "meta": meta}


def _lock_key(text: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_xact_lock``."""
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text or type(orig).__name__


class SQLEventStore(EventStore):
    """An event store in a SQLite file or a PostgreSQL database.

    Parameters
    ----------
    url : str or sqlalchemy URL or Engine
        ``sqlite:///FILE`` (``sqlite://``: in memory, for one process),
        ``postgresql+psycopg://USER@HOST:PORT/DB``; the query parameters ``prefix`` and
        ``schema`` are gridgov's, the rest go to the driver. An :class:`sqlalchemy.Engine`
        of the host's is used as it is (not disposed on :meth:`close`).
    prefix : str, optional
        The prefix of the table names (default ``gridgov_``, or the URL's ``prefix``).
    schema : str, optional
        The database schema of the tables (PostgreSQL; created if missing).
    busy_timeout : float
        On SQLite, how long a write waits for another writer, in seconds.

    Raises
    ------
    StoreError
        If the URL is malformed or its driver is missing (``postgresql://`` without
        psycopg2: write ``postgresql+psycopg://``).

    Examples
    --------
    >>> SQLEventStore("sqlite://?prefix=host_").tables["events"].name
    'host_events'
    >>> SQLEventStore("mysql://u:pw@localhost/db")
    Traceback (most recent call last):
    ...
    gridgov.errors.StoreError: mysql://u:***@localhost/db: the mysql dialect is not supported; gridgov stores events in SQLite and PostgreSQL
    """

    def __init__(
        self,
        url: str | sa.URL | sa.Engine,
        *,
        prefix: str | None = None,
        schema: str | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        self._own_engine = not isinstance(url, sa.Engine)
        if isinstance(url, sa.Engine):
            engine = url
            parsed = engine.url
        else:
            parsed = self._parse(url)
            query = dict(parsed.query)
            prefix = prefix if prefix is not None else _query_value(query, "prefix")
            schema = schema if schema is not None else _query_value(query, "schema")
            parsed = parsed.difference_update_query(_GRIDGOV_QUERY)
            engine = self._create_engine(parsed, busy_timeout)
        self._url = parsed.render_as_string(hide_password=True)
        prefix = "gridgov_" if prefix is None else prefix
        for what, value in (("prefix", prefix), ("schema", schema)):
            if value is not None and not _NAME.match(value):
                raise InvalidValueError(
                    what,
                    value,
                    "must be letters, digits and _ (at most 40, not starting with a digit)",
                )
        self._engine = engine
        self._dialect = engine.dialect.name
        if self._dialect not in ("sqlite", "postgresql"):
            raise StoreError(
                self._url,
                f"the {self._dialect} dialect is not supported; gridgov stores events in "
                "SQLite and PostgreSQL",
            )
        if schema is not None and self._dialect == "sqlite":
            raise InvalidValueError("schema", schema, "SQLite has no schemas; use a prefix")
        self._prefix = prefix
        self._schema = schema
        self._metadata, self.tables = _tables(prefix, schema)
        self._lock_key = _lock_key(f"gridgov:{schema or ''}.{prefix}events")
        self._ready = False
        sa.event.listen(engine, "commit", lambda c: self._ended(c, committed=True))
        sa.event.listen(engine, "rollback", lambda c: self._ended(c, committed=False))
        database = parsed.database or ""
        self._sqlite_file = (
            database if self._dialect == "sqlite" and database not in ("", ":memory:") else None
        )
        # an in-memory SQLite database is one connection shared by the threads
        self._serial = (
            threading.RLock() if self._dialect == "sqlite" and self._sqlite_file is None else None
        )

    # -- opening ---------------------------------------------------------------------------

    @staticmethod
    def _parse(url: str | sa.URL) -> sa.URL:
        try:
            return sa.make_url(url)
        except (sa_exc.ArgumentError, ValueError) as exc:
            raise StoreError(redact_url(str(url)), f"not a database URL: {exc}") from None

    def _create_engine(self, url: sa.URL, busy_timeout: float) -> sa.Engine:
        shown = url.render_as_string(hide_password=True)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(
                shown,
                f"the {backend} dialect is not supported; gridgov stores events in SQLite "
                "and PostgreSQL",
            )
        options: dict[str, Any] = {}
        if backend == "sqlite":
            connect_args: dict[str, Any] = {"timeout": float(busy_timeout)}
            if url.database in (None, "", ":memory:"):
                connect_args["check_same_thread"] = False
                options["poolclass"] = StaticPool
            options["connect_args"] = connect_args
        elif backend == "postgresql":
            options["pool_pre_ping"] = True
            if url.get_driver_name() == "psycopg":
                options["connect_args"] = {"connect_timeout": 10}
        try:
            engine = sa.create_engine(url, **options)
        except (ImportError, sa_exc.NoSuchModuleError) as exc:
            if backend == "postgresql" and url.get_driver_name() == "psycopg2":
                raise StoreError(
                    shown,
                    "plain postgresql:// means the psycopg2 driver, which is not installed; "
                    "write postgresql+psycopg:// (psycopg 3, in gridgov[sql])",
                ) from None
            if backend == "postgresql" and url.get_driver_name() == "psycopg":
                raise MissingDependencyError(
                    "psycopg", "sql", "the PostgreSQL event store"
                ) from exc
            raise StoreError(shown, f"cannot open: {_one_line(exc)}") from None
        except sa_exc.ArgumentError as exc:
            raise StoreError(shown, f"not a database URL: {exc}") from None
        if backend == "sqlite":
            connect = functools.partial(_sqlite_connect, timeout=float(busy_timeout))
            sa.event.listen(engine, "connect", connect)
            sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    @property
    def url(self) -> str:
        return self._url

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for a host that wants the same database)."""
        return self._engine

    def close(self) -> None:
        if self._own_engine:
            self._engine.dispose()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            raise StoreError(self._url, _one_line(exc)) from exc
        except sa_exc.DBAPIError as exc:
            if isinstance(exc, sa_exc.IntegrityError):
                raise
            raise StoreError(self._url, _one_line(exc)) from exc

    @contextlib.contextmanager
    def _connect(self, *, write: bool) -> Iterator[sa.Connection]:
        serial = self._serial or contextlib.nullcontext()
        with serial, self._errors(), self._engine.connect() as conn:
            if write:
                conn.execution_options(**{_BEGIN: "IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A connection in a write transaction, committed when the block ends without error.

        For a host that writes its own rows and appends events all or none
        (``store.append(..., connection=conn)``); on SQLite it is a ``BEGIN IMMEDIATE``
        transaction, like the store's own writes.

        Examples
        --------
        >>> store = SQLEventStore("sqlite://")
        >>> with store.transaction() as conn:
        ...     store.append("S1", [], expected_version=0, connection=conn)
        []
        """
        with self._connect(write=True) as conn:
            self._prepare(conn, create=True)
            yield conn

    def _exists(self) -> bool:
        """Whether there can be anything to read (a SQLite file that does not exist has nothing)."""
        return self._ready or self._sqlite_file is None or os.path.exists(self._sqlite_file)

    def _prepare(self, conn: sa.Connection, *, create: bool) -> bool:
        """Check (and with `create`, make) the schema; return whether the tables exist."""
        # no lock of the process here: a thread may wait below for another's database
        # lock; two threads preparing at once is harmless (the database serialises the
        # creation: the advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)
        if self._ready:
            return True
        meta = self.tables["meta"]
        if self._dialect == "postgresql" and create:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(self._lock_key)))
        exists = sa.inspect(conn).has_table(meta.name, schema=self._schema)
        if not exists:
            if not create:
                return False
            conn.info[_CREATED] = True  # ready once this transaction commits
            if self._schema is not None:
                conn.execute(sa.schema.CreateSchema(self._schema, if_not_exists=True))
            self._metadata.create_all(conn, checkfirst=True)
            conn.execute(sa.insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        found = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        version = int(found) if found is not None and str(found).isdigit() else None
        if version is None:
            raise StoreError(self._url, f"{meta.name} has no schema_version")
        if version > SCHEMA_VERSION:
            raise StoreError(
                self._url,
                f"the tables are at schema version {version}, newer than this gridgov "
                f"writes ({SCHEMA_VERSION}); upgrade gridgov",
            )
        # ready once the tables are seen to exist outside the transaction that made them
        # (it may still roll back)
        self._ready = not conn.info.get(_CREATED, False)
        return True

    def _ended(self, conn: sa.Connection, *, committed: bool) -> None:
        if conn.info.pop(_CREATED, False) and committed:
            self._ready = True

    # -- events ----------------------------------------------------------------------------

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int | None,
        connection: object | None = None,
    ) -> list[Envelope]:
        name, batch = check_append(stream, events, expected_version)
        if connection is not None:
            if not isinstance(connection, sa.Connection):
                raise InvalidValueError(
                    "connection", connection, "must be a SQLAlchemy Connection in a transaction"
                )
            if not connection.in_transaction():
                raise InvalidValueError(
                    "connection", connection, "holds no transaction: begin one first"
                )
            with self._errors():
                self._prepare(connection, create=True)
                try:
                    with connection.begin_nested():
                        return self._insert(connection, name, batch, expected_version)
                except sa_exc.IntegrityError as exc:
                    actual = self._version_in(connection, name)
                    raise self._conflict(exc, name, expected_version, actual) from None
        try:
            with self._connect(write=True) as conn:
                self._prepare(conn, create=True)
                return self._insert(conn, name, batch, expected_version)
        except sa_exc.IntegrityError as exc:
            raise self._conflict(exc, name, expected_version, self.version(name)) from None

    def _conflict(
        self, exc: sa_exc.IntegrityError, stream: str, expected: int | None, actual: int
    ) -> GridGovErrorLike:
        if expected is not None and actual != expected:
            return ConcurrencyError(expected, actual, stream=stream)
        if expected is None:
            return ConcurrencyError(actual, actual + 1, stream=stream)
        return StoreError(self._url, _one_line(exc))

    def _insert(
        self, conn: sa.Connection, stream: str, batch: list[NewEvent], expected: int | None
    ) -> list[Envelope]:
        ev = self.tables["events"]
        if self._dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(self._lock_key)))
        if expected is None:
            expected = self._version_in(conn, stream)
        elif not batch:  # nothing to insert: the check is a plain read
            current = self._version_in(conn, stream)
            if current != expected:
                raise ConcurrencyError(expected, current, stream=stream)
        elif expected > 0:  # a writer may not claim a version the stream never reached
            found = conn.execute(
                sa.select(ev.c.version).where(ev.c.stream == stream, ev.c.version == expected)
            ).first()
            if found is None:
                raise ConcurrencyError(expected, self._version_in(conn, stream), stream=stream)
        if not batch:
            return []
        # the writer holds the write lock (SQLite) or the advisory lock (PostgreSQL): the
        # positions after the last one are its own, and they follow commit order
        last = conn.execute(sa.select(sa.func.max(ev.c.position))).scalar()
        start = int(last or 0)
        rows = [
            {
                "position": start + i,
                "stream": stream,
                "version": expected + i,
                "event_id": e.event_id,
                "topic": e.topic,
                "schema_version": e.schema_version,
                "recorded_at": e.recorded_at,
                "actor": e.actor,
                "payload": e.payload,
            }
            for i, e in enumerate(batch, start=1)
        ]
        conn.execute(sa.insert(ev), rows)
        return stored_envelopes(stream, batch, version=expected, position=start)

    def _version_in(self, conn: sa.Connection, stream: str) -> int:
        ev = self.tables["events"]
        found = conn.execute(
            sa.select(sa.func.max(ev.c.version)).where(ev.c.stream == stream)
        ).scalar()
        return int(found or 0)

    def _envelopes(self, rows: Any) -> list[Envelope]:
        # rows in the table's column order (select(events)); what the store wrote itself
        unchecked = Envelope.unchecked
        return [
            unchecked(stream, version, position, event_id, topic, sv, at, actor, payload)
            for position, stream, version, event_id, topic, sv, at, actor, payload in rows
        ]

    def read(
        self, stream: str, *, after: int = 0, upto: int | None = None, limit: int | None = None
    ) -> list[Envelope]:
        check_stream(stream)
        check_read(after, upto, limit)
        if not self._exists():
            return []
        ev = self.tables["events"]
        query = sa.select(ev).where(ev.c.stream == stream, ev.c.version > after)
        if upto is not None:
            query = query.where(ev.c.version <= upto)
        query = query.order_by(ev.c.version)
        if limit is not None:
            query = query.limit(limit)
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return []
            return self._envelopes(conn.execute(query).all())

    def read_all(self, *, after: int = 0, limit: int | None = None) -> list[Envelope]:
        check_read(after, None, limit)
        if not self._exists():
            return []
        ev = self.tables["events"]
        query = sa.select(ev).where(ev.c.position > after).order_by(ev.c.position)
        if limit is not None:
            query = query.limit(limit)
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return []
            return self._envelopes(conn.execute(query).all())

    def version(self, stream: str) -> int:
        check_stream(stream)
        if not self._exists():
            return 0
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return 0
            return self._version_in(conn, stream)

    def position(self) -> int:
        if not self._exists():
            return 0
        ev = self.tables["events"]
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return 0
            return int(conn.execute(sa.select(sa.func.max(ev.c.position))).scalar() or 0)

    def streams(self) -> dict[str, int]:
        if not self._exists():
            return {}
        ev = self.tables["events"]
        query = (
            sa.select(ev.c.stream, sa.func.max(ev.c.version))
            .group_by(ev.c.stream)
            .order_by(ev.c.stream)
        )
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return {}
            return {stream: int(version) for stream, version in conn.execute(query).all()}

    # -- snapshots -------------------------------------------------------------------------

    def save_snapshot(self, snapshot: Snapshot) -> None:
        if not isinstance(snapshot, Snapshot):
            raise InvalidValueError("snapshot", snapshot, "must be a Snapshot")
        text = json.dumps(dict(snapshot.document), ensure_ascii=False, separators=(",", ":"))
        snaps = self.tables["snapshots"]
        with self._connect(write=True) as conn:
            self._prepare(conn, create=True)
            current = self._version_in(conn, snapshot.stream)
            if snapshot.version > current:
                raise InvalidValueError(
                    "snapshot.version",
                    snapshot.version,
                    f"stream {snapshot.stream!r} is only at version {current}",
                )
            conn.execute(
                sa.delete(snaps).where(
                    snaps.c.stream == snapshot.stream, snaps.c.version == snapshot.version
                )
            )
            conn.execute(
                sa.insert(snaps).values(
                    stream=snapshot.stream,
                    version=snapshot.version,
                    recorded_at=snapshot.recorded_at,
                    document=text,
                )
            )

    def snapshot(self, stream: str, *, upto: int | None = None) -> Snapshot | None:
        check_stream(stream)
        check_read(0, upto, None)
        if not self._exists():
            return None
        snaps = self.tables["snapshots"]
        query = sa.select(snaps).where(snaps.c.stream == stream)
        if upto is not None:
            query = query.where(snaps.c.version <= upto)
        query = query.order_by(snaps.c.version.desc()).limit(1)
        with self._connect(write=False) as conn:
            if not self._prepare(conn, create=False):
                return None
            row = conn.execute(query).first()
        if row is None:
            return None
        return Snapshot(row.stream, int(row.version), json.loads(row.document), row.recorded_at)

    # -- consumers -------------------------------------------------------------------------

    def tracker(self, consumer: str) -> SQLTracker:
        """Return the :class:`SQLTracker` of `consumer` in this database.

        Examples
        --------
        >>> SQLEventStore("sqlite://").tracker("projections").last("S1")
        0
        """
        return SQLTracker(self, consumer)

    def drop(self) -> None:
        """Drop gridgov's tables (a schema given to the store stays): for tests and tools.

        Examples
        --------
        >>> store = SQLEventStore("sqlite://")
        >>> store.drop()
        """
        if not self._exists():
            return
        with self._connect(write=True) as conn:
            self._metadata.drop_all(conn, checkfirst=True)
        self._ready = False


GridGovErrorLike = ConcurrencyError | StoreError


def _query_value(query: dict[str, Any], key: str) -> str | None:
    value = query.get(key)
    if isinstance(value, tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _sqlite_connect(dbapi_connection: Any, connection_record: Any, *, timeout: float) -> None:
    # the driver must not open transactions by itself: _sqlite_begin opens them
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return  # WAL is kept in the file: nothing to switch
        # switching needs the database to itself, and SQLite does not wait for it: retry
        deadline = time.monotonic() + timeout
        while True:
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
    finally:
        cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    if conn.get_execution_options().get(_BEGIN) == "IMMEDIATE":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class SQLTracker(Tracker):
    """What a consumer last applied per stream, kept in a SQL database with its effects.

    :meth:`apply` runs the consumer's effect and records the event's version in one
    transaction (the effect gets the SQLAlchemy connection, to write its own rows in
    it): after a crash, the effect and the record are both there or both not, so an
    event delivered again is recognised and skipped.

    Parameters
    ----------
    store : SQLEventStore
        The database (its tables' prefix and schema).
    consumer : str
        The consumer's name (a group's name: every worker of a group shares it).

    Examples
    --------
    >>> import datetime as dt
    >>> from gridgov.envelope import Envelope
    >>> tracker = SQLEventStore("sqlite://").tracker("projections")
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> env = Envelope("S1", 1, 1, "e-1", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
    >>> tracker.apply(env, lambda e, conn: None), tracker.apply(env, lambda e, conn: None)
    ('applied', 'duplicate')
    >>> tracker.last("S1")
    1
    """

    def __init__(self, store: SQLEventStore, consumer: str) -> None:
        if not isinstance(store, SQLEventStore):
            raise InvalidValueError("store", store, "must be a SQLEventStore")
        if not isinstance(consumer, str) or not consumer or len(consumer) > 200:
            raise InvalidValueError("consumer", consumer, "must be a non-empty string")
        self._store = store
        self._consumer = consumer

    @property
    def consumer(self) -> str:
        """The consumer's name."""
        return self._consumer

    def last(self, stream: str) -> int:
        check_stream(stream)
        store = self._store
        if not store._exists():
            return 0
        with store._connect(write=False) as conn:
            if not store._prepare(conn, create=False):
                return 0
            return self._last_in(conn, stream, lock=False)

    def _last_in(self, conn: sa.Connection, stream: str, *, lock: bool) -> int:
        t = self._store.tables["tracking"]
        query = sa.select(t.c.version).where(t.c.consumer == self._consumer, t.c.stream == stream)
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update()
        found = conn.execute(query).scalar()
        return int(found or 0)

    def apply(self, envelope: Envelope, effect: Effect) -> str:
        if not isinstance(envelope, Envelope):
            raise InvalidValueError("envelope", envelope, "must be an Envelope")
        store = self._store
        t = store.tables["tracking"]
        try:
            with store._connect(write=True) as conn:
                store._prepare(conn, create=True)
                last = self._last_in(conn, envelope.stream, lock=True)
                if envelope.version <= last:
                    return DUPLICATE
                if envelope.version > last + 1:
                    return GAP
                if last == 0:
                    conn.execute(
                        sa.insert(t).values(
                            consumer=self._consumer,
                            stream=envelope.stream,
                            version=envelope.version,
                        )
                    )
                else:
                    done = conn.execute(
                        sa.update(t)
                        .where(
                            t.c.consumer == self._consumer,
                            t.c.stream == envelope.stream,
                            t.c.version == last,
                        )
                        .values(version=envelope.version)
                    )
                    if done.rowcount != 1:  # pragma: no cover - the row lock prevents it
                        raise _RacedError()
                effect(envelope, conn)
                return APPLIED
        except (sa_exc.IntegrityError, _RacedError):
            # another worker recorded this stream's first version at the same time
            if self.last(envelope.stream) >= envelope.version:
                return DUPLICATE
            raise


class _RacedError(Exception):
    """Another worker moved the record between the read and the update."""
