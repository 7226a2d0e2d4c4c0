"""The Redis Streams bus: ``redis://HOST:PORT/DB``, on what Redis 7.0 offers.

Needs the ``redis`` extra (``pip install 'gridgov[redis]'``). Two keys, under a prefix
(``?prefix=`` in the URL, default ``gridgov:``):

- ``gridgov:events``: one stream per host. Each entry is one envelope in its wire form
  (:func:`gridgov.envelope.encode`: the jurisdiction's id is its ``stream`` field), and
  its entry id is the event's store position, ``<position>-0``. Redis refuses an id at
  or below the stream's last one, so publishing a position twice is a no-op and the
  stream's ``last-generated-id`` is the last position published: the relay needs no
  cursor of its own, and two relays never publish an event twice.
- ``gridgov:dead``: the dead-letter stream: an entry a group gave up on, with
  ``dead.original_id``, ``dead.group``, ``dead.deliveries`` and ``dead.reason``.

Consumers read with ``XREADGROUP``: their own pending entries from id ``0`` (which
raises their delivery counts), then new ones with ``>``; ``XAUTOCLAIM`` takes over a
dead consumer's idle entries, following its cursor until it returns ``0-0``; delivery
counts come from ``XPENDING``. Nothing here needs Redis 7.2 or later (no ``XADD
IDMP``, no ``XREADGROUP CLAIM``). Trimming (``XTRIM MINID``) keeps every entry at or
above the smallest pending id of every group, and above every group's last delivered
one, because trimming ignores pending entries.

In a Redis Cluster, give a prefix with a hash tag (``?prefix={gridgov}:``) so that both
keys live in one slot (dead-lettering writes both in one transaction).

Examples
--------
>>> RedisBus("redis://:secret@127.0.0.1:6379/15?prefix=test:").url
'redis://:***@127.0.0.1:6379/15?prefix=test:'
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gridgov.adapters import redact_url
from gridgov.adapters.messaging import (
    DeadLetter,
    Delivery,
    MessageBus,
    check_count,
    check_delivery,
    check_entry_id,
    check_entry_ids,
    check_envelopes,
    check_flag,
    check_name,
    check_reason,
    check_seconds,
    entry_id,
    position_of,
)
from gridgov.envelope import Envelope, decode, encode
from gridgov.errors import BusError, GridGovError, InvalidValueError, MissingDependencyError

try:
    import redis
except ImportError as _exc:  # pragma: no cover - exercised with the extra missing
    raise MissingDependencyError("redis", "redis", "the Redis Streams bus") from _exc

__all__ = ["RedisBus"]

_DEAD = "dead."
_DUPLICATE_ID = "equal or smaller"


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes | bytearray) else str(value)


class RedisBus(MessageBus):
    """A message bus on Redis Streams.

    Parameters
    ----------
    url : str or redis.Redis
        ``redis://[:PASSWORD@]HOST:PORT/DB`` (``rediss://`` for TLS, ``unix://`` for a
        socket); the query parameter ``prefix`` is gridgov's, the rest go to redis-py. A
        ``redis.Redis`` client of the host's is used as it is.
    prefix : str, optional
        The prefix of the keys (default ``gridgov:``, or the URL's ``prefix``).

    Raises
    ------
    BusError
        If the URL is malformed.

    Examples
    --------
    >>> bus = RedisBus("redis://127.0.0.1:6379/15", prefix="test:")
    >>> bus.stream_key, bus.dead_key
    ('test:events', 'test:dead')
    """

    def __init__(self, url: str | redis.Redis, *, prefix: str | None = None) -> None:
        if isinstance(url, redis.Redis):
            self._client = url
            kwargs = url.connection_pool.connection_kwargs
            self._url = (
                f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"
            )
            self._own = False
        else:
            if not isinstance(url, str):
                raise BusError(repr(url), "a bus URL is a string")
            parts = urllib.parse.urlsplit(url)
            query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            given = [v for k, v in query if k == "prefix"]
            if prefix is None and given:
                prefix = given[-1]
            rest = urllib.parse.urlencode([(k, v) for k, v in query if k != "prefix"])
            clean = urllib.parse.urlunsplit(parts._replace(query=rest))
            self._url = redact_url(url)
            try:
                self._client = redis.Redis.from_url(clean, socket_connect_timeout=10)
            except (ValueError, TypeError) as exc:
                raise BusError(self._url, f"not a Redis URL: {exc}") from None
            self._own = True
        prefix = "gridgov:" if prefix is None else prefix
        if not isinstance(prefix, str):
            raise InvalidValueError("prefix", prefix, "must be a string")
        self.prefix = prefix
        self.stream_key = f"{prefix}events"
        self.dead_key = f"{prefix}dead"

    @property
    def url(self) -> str:
        return self._url

    @property
    def client(self) -> redis.Redis:
        """The redis-py client."""
        return self._client

    def close(self) -> None:
        if self._own:
            self._client.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise BusError(self._url, f"cannot reach Redis: {' '.join(str(exc).split())}") from exc
        except redis.ResponseError as exc:
            text = str(exc)
            if text.startswith("NOGROUP"):
                raise InvalidValueError(
                    "group", None, "no such consumer group; create it first"
                ) from None
            raise BusError(self._url, " ".join(text.split())) from exc
        except redis.RedisError as exc:
            raise BusError(self._url, " ".join(str(exc).split())) from exc

    # -- publishing ------------------------------------------------------------------------

    def publish(self, envelopes: Sequence[Envelope]) -> int:
        batch = check_envelopes(envelopes)
        if not batch:
            return 0
        with self._errors():
            last = self.last_published()
            todo = [e for e in batch if e.position > last]
            if not todo:
                return 0
            pipe = self._client.pipeline(transaction=False)
            for env in todo:
                pipe.xadd(self.stream_key, encode(env), id=entry_id(env.position))  # type: ignore[arg-type]
            results = pipe.execute(raise_on_error=False)
        added = 0
        for result in results:
            if isinstance(result, redis.ResponseError):
                if _DUPLICATE_ID in str(result):  # another relay published it first
                    continue
                raise BusError(self._url, " ".join(str(result).split())) from result
            if isinstance(result, Exception):
                raise BusError(self._url, " ".join(str(result).split())) from result
            added += 1
        return added

    def last_published(self) -> int:
        with self._errors():
            try:
                info = self._client.xinfo_stream(self.stream_key)
            except redis.ResponseError as exc:
                if "no such key" in str(exc).lower():
                    return 0
                raise
        return position_of(_text(info["last-generated-id"]))

    # -- groups ----------------------------------------------------------------------------

    def create_group(self, group: str) -> None:
        check_name("group", group)
        with self._errors():
            try:
                self._client.xgroup_create(self.stream_key, group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if not str(exc).startswith("BUSYGROUP"):
                    raise

    def _deliveries(
        self, entries: Sequence[tuple[Any, Mapping[Any, Any]]], counts: Mapping[str, int] | None
    ) -> list[Delivery]:
        out = []
        for raw_id, raw_fields in entries:
            eid = _text(raw_id)
            n = 1 if counts is None else counts.get(eid, 1)
            if not raw_fields:
                out.append(Delivery(eid, None, n, {}, "no longer on the bus", deleted=True))
                continue
            fields = {_text(k): _text(v) for k, v in raw_fields.items()}
            try:
                out.append(Delivery(eid, decode(fields), n, fields))
            except GridGovError as exc:
                out.append(Delivery(eid, None, n, fields, str(exc)))
        return out

    def _counts(self, group: str, consumer: str, ids: Sequence[str]) -> dict[str, int]:
        """The delivery count of each entry (one ``XPENDING`` per id, in one round trip)."""
        if not ids:
            return {}
        pipe = self._client.pipeline(transaction=False)
        for eid in ids:
            pipe.xpending_range(self.stream_key, group, eid, eid, 1, consumername=consumer)
        counts: dict[str, int] = {}
        for rows in pipe.execute():
            for r in rows:
                counts[_text(r["message_id"])] = int(r["times_delivered"])
        return counts

    def read(
        self,
        group: str,
        consumer: str,
        *,
        pending: bool = False,
        after: str = "0",
        count: int = 100,
        block: float | None = None,
    ) -> list[Delivery]:
        check_name("group", group)
        check_name("consumer", consumer)
        check_flag("pending", pending)
        check_entry_id("after", after)
        check_count(count)
        wait = None if block is None else check_seconds("block", block)
        with self._errors():
            got: Any
            if pending:
                got = self._client.xreadgroup(
                    group, consumer, {self.stream_key: after}, count=count
                )
            else:
                ms = None if not wait else max(1, int(wait * 1000))
                got = self._client.xreadgroup(
                    group, consumer, {self.stream_key: ">"}, count=count, block=ms
                )
            entries = got[0][1] if got else []
            counts = None
            if pending and entries:
                counts = self._counts(group, consumer, [_text(e[0]) for e in entries])
        return self._deliveries(entries, counts)

    def claim(
        self, group: str, consumer: str, *, min_idle: float, count: int = 100
    ) -> list[Delivery]:
        check_name("group", group)
        check_name("consumer", consumer)
        idle = check_seconds("min_idle", min_idle)
        check_count(count)
        out: list[Delivery] = []
        cursor = "0-0"
        with self._errors():
            while True:
                nxt, entries, *_deleted = self._client.xautoclaim(
                    self.stream_key, group, consumer, int(idle * 1000), cursor, count=count
                )
                if entries:
                    ids = [_text(e[0]) for e in entries]
                    out.extend(self._deliveries(entries, self._counts(group, consumer, ids)))
                cursor = _text(nxt)
                if cursor == "0-0":
                    return out

    def ack(self, group: str, entry_ids: Sequence[str]) -> int:
        check_name("group", group)
        ids = check_entry_ids(entry_ids)
        if not ids:
            return 0
        with self._errors():
            return int(self._client.xack(self.stream_key, group, *ids))

    def pending(self, group: str) -> int:
        check_name("group", group)
        with self._errors():
            return int(self._client.xpending(self.stream_key, group)["pending"])

    def _groups_info(self) -> list[dict[str, Any]]:
        try:
            info: list[dict[str, Any]] = self._client.xinfo_groups(self.stream_key)
        except redis.ResponseError as exc:
            if "no such key" in str(exc).lower():
                return []
            raise
        return info

    def groups(self) -> dict[str, int]:
        with self._errors():
            return {_text(g["name"]): int(g["pending"]) for g in self._groups_info()}

    # -- dead letters ----------------------------------------------------------------------

    def dead_letter(self, group: str, delivery: Delivery, reason: str) -> None:
        check_name("group", group)
        check_delivery(delivery)
        reason = check_reason(reason)
        fields = dict(delivery.fields)
        fields.update(
            {
                f"{_DEAD}original_id": delivery.entry_id,
                f"{_DEAD}group": group,
                f"{_DEAD}deliveries": str(delivery.deliveries),
                f"{_DEAD}reason": reason,
            }
        )
        with self._errors():
            pipe = self._client.pipeline(transaction=True)
            pipe.xadd(self.dead_key, fields)  # type: ignore[arg-type]
            pipe.xack(self.stream_key, group, delivery.entry_id)
            pipe.execute()

    def dead_letters(self, *, count: int | None = None) -> list[DeadLetter]:
        if count is not None:
            check_count(count)
        with self._errors():
            rows: Any = self._client.xrange(self.dead_key, "-", "+", count=count)
        out = []
        for raw_id, raw_fields in rows:
            fields = {_text(k): _text(v) for k, v in raw_fields.items()}
            meta = {k[len(_DEAD) :]: fields.pop(k) for k in list(fields) if k.startswith(_DEAD)}
            out.append(
                DeadLetter(
                    _text(raw_id),
                    meta.get("original_id", ""),
                    meta.get("group", ""),
                    int(meta.get("deliveries", "0") or 0),
                    meta.get("reason", ""),
                    fields,
                )
            )
        return out

    def trim(self) -> int:
        with self._errors():
            groups = self._groups_info()
            if not groups:
                return 0
            points = []
            for g in groups:
                if int(g["pending"]):
                    smallest = self._client.xpending(self.stream_key, _text(g["name"]))["min"]
                    points.append(position_of(_text(smallest)))
                else:
                    points.append(position_of(_text(g["last-delivered-id"])) + 1)
            return int(
                self._client.xtrim(self.stream_key, minid=entry_id(min(points)), approximate=False)
            )

    def drop(self) -> None:
        """Delete the bus's keys (the stream, its groups, the dead letters): for tests.

        Examples
        --------
        >>> RedisBus("redis://127.0.0.1:1/0").drop()
        Traceback (most recent call last):
        ...
        gridgov.errors.BusError: redis://127.0.0.1:1/0: cannot reach Redis: ...
        """
        with self._errors():
            self._client.delete(self.stream_key, self.dead_key)
