"""The in-memory event store: ``memory://``, for tests, notebooks and examples.

It keeps everything in the process, behind one lock, and behaves exactly like the other
backends (the same test suite runs on it): events are kept encoded, as a database keeps
them, and decoded when read; snapshots are kept as JSON text. Each
``event_store("memory://")`` is a new, empty store; nothing outlives the process.

Examples
--------
>>> import datetime as dt
>>> from gridgov.envelope import seal
>>> from gridgov.model import Organization, OrganizationFounded
>>> store = MemoryEventStore()
>>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
>>> new = seal(OrganizationFounded(Organization("S1", "street", "S")), event_id="e-1",
...            recorded_at=at)
>>> _ = store.append("S1", [new], expected_version=0)
>>> store.read("S1")[0].event().org.id, store.version("S1")
('S1', 1)
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Sequence

from gridgov.adapters.storage import (
    EventStore,
    Snapshot,
    check_append,
    check_read,
    check_stream,
    stored_envelopes,
)
from gridgov.envelope import Envelope, NewEvent
from gridgov.errors import ConcurrencyError, InvalidValueError

__all__ = ["MemoryEventStore"]


class MemoryEventStore(EventStore):
    """An event store in the process's memory.

    Parameters
    ----------
    name : str, optional
        A label shown in its URL (``memory://NAME``).

    Examples
    --------
    >>> MemoryEventStore("test").url
    'memory://test'
    """

    def __init__(self, name: str = "") -> None:
        self._name = name
        self._lock = threading.Lock()
        self._all: list[Envelope] = []
        self._streams: dict[str, list[Envelope]] = {}
        self._snapshots: dict[str, list[tuple[int, str, Snapshot]]] = {}

    @property
    def url(self) -> str:
        return f"memory://{self._name}"

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
            raise InvalidValueError(
                "connection", connection, "the memory store has no transactions to join"
            )
        with self._lock:
            log = self._streams.get(name, [])
            current = len(log)
            if expected_version is not None and expected_version != current:
                raise ConcurrencyError(expected_version, current, stream=name)
            out = stored_envelopes(name, batch, version=current, position=len(self._all))
            if out:
                self._streams.setdefault(name, log).extend(out)
                self._all.extend(out)
            return out

    def read(
        self, stream: str, *, after: int = 0, upto: int | None = None, limit: int | None = None
    ) -> list[Envelope]:
        check_stream(stream)
        check_read(after, upto, limit)
        with self._lock:
            log = self._streams.get(stream, [])
            end = len(log) if upto is None else min(upto, len(log))
            if limit is not None:
                end = min(end, after + limit)
            return log[after:end]

    def read_all(self, *, after: int = 0, limit: int | None = None) -> list[Envelope]:
        check_read(after, None, limit)
        with self._lock:
            end = len(self._all) if limit is None else after + limit
            return self._all[after:end]

    def version(self, stream: str) -> int:
        check_stream(stream)
        with self._lock:
            return len(self._streams.get(stream, ()))

    def position(self) -> int:
        with self._lock:
            return len(self._all)

    def streams(self) -> dict[str, int]:
        with self._lock:
            return {name: len(log) for name, log in sorted(self._streams.items()) if log}

    def save_snapshot(self, snapshot: Snapshot) -> None:
        if not isinstance(snapshot, Snapshot):
            raise InvalidValueError("snapshot", snapshot, "must be a Snapshot")
        text = json.dumps(dict(snapshot.document), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            current = len(self._streams.get(snapshot.stream, ()))
            if snapshot.version > current:
                raise InvalidValueError(
                    "snapshot.version",
                    snapshot.version,
                    f"stream {snapshot.stream!r} is only at version {current}",
                )
            kept = self._snapshots.setdefault(snapshot.stream, [])
            versions = [v for v, _, _ in kept]
            i = bisect.bisect_left(versions, snapshot.version)
            if i < len(kept) and kept[i][0] == snapshot.version:
                kept[i] = (snapshot.version, text, snapshot)
            else:
                kept.insert(i, (snapshot.version, text, snapshot))

    def snapshot(self, stream: str, *, upto: int | None = None) -> Snapshot | None:
        check_stream(stream)
        check_read(0, upto, None)
        with self._lock:
            kept = self._snapshots.get(stream, [])
            for version, text, snap in reversed(kept):
                if upto is None or version <= upto:
                    return Snapshot(snap.stream, version, json.loads(text), snap.recorded_at)
            return None
