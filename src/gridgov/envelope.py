"""The stored-event envelope: an event with its place in a store and what was recorded with it.

A domain event (:class:`~gridgov.model.events.Event`) says what changed. Stored and
published, it travels in an :class:`Envelope` that adds where and when:

============== ==========================================================================
``stream``     the jurisdiction's id (its root organization's, by default)
``version``    the event's number within its stream: 1, 2, 3, ... without gaps
``position``   its place in the whole store, increasing in commit order (gaps allowed)
``event_id``   a unique id of the event (a UUID unless the host gives another scheme)
``topic``      the event type's declared ``topic`` (``"MemberFiled"``)
``schema_version`` the version of the payload's fields (the class's ``schema_version``)
``recorded_at`` when the service recorded it (an aware UTC datetime, from its clock)
``actor``      who made the change, as the host names them, or ``None``
``payload``    the event's fields as JSON text (:mod:`gridgov.converters`), no tag
============== ==========================================================================

Before it is stored an event is a :class:`NewEvent` (no stream, version or position
yet): :func:`seal` makes one; the store gives it its stream, version and position.

This module is the one encoder and decoder every store and bus shares: the payload goes
through :func:`gridgov.converters.unstructure_event` and
:func:`~gridgov.converters.structure_event` (an older payload is upcast on reading),
and :func:`encode` / :func:`decode` turn an envelope into the flat mapping of strings a
message carries (a Redis Streams entry, a JSON line) and back. The pure core never sees
an envelope: the time and the actor are given by the service, never read from a clock
in :mod:`gridgov.model` or :mod:`gridgov.rules`.

Examples
--------
>>> import datetime as dt
>>> from gridgov.model import MemberFiled, Filing
>>> at = dt.datetime(2021, 9, 12, 8, 30, tzinfo=dt.timezone.utc)
>>> new = seal(MemberFiled(Filing("P5", "G1")), event_id="e-1", recorded_at=at, actor="admin")
>>> new.topic, new.payload
('MemberFiled', '{"filing":{"person":"P5","org":"G1"}}')
>>> env = new.stored("S1", version=7, position=42)
>>> fields = encode(env)
>>> fields["stream"], fields["version"], fields["recorded_at"]
('S1', '7', '2021-09-12T08:30:00+00:00')
>>> decode(fields) == env, env.event()
(True, MemberFiled(filing=Filing(person='P5', org='G1', date=None)))
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from attrs import Attribute, field, fields, frozen

from gridgov.converters import structure_event, unstructure_event
from gridgov.errors import DocumentError, InvalidValueError, Problem, short_repr
from gridgov.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_ID_LENGTH,
    MAX_VERSION,
    check_id_text,
    check_text,
)
from gridgov.model.events import Event

__all__ = [
    "ENVELOPE_FORMAT",
    "FIELDS",
    "Envelope",
    "NewEvent",
    "decode",
    "decode_event",
    "encode",
    "from_dict",
    "seal",
    "to_dict",
]

ENVELOPE_FORMAT = "1"
"""The version of the wire form (:func:`encode`): the ``"envelope"`` field of a message."""

FIELDS = (
    "stream",
    "version",
    "position",
    "event_id",
    "topic",
    "schema_version",
    "recorded_at",
    "actor",
    "payload",
)
"""The fields of an envelope, in order."""


_DIGITS = re.compile(r"[0-9]{1,19}")


def _check_aware(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidValueError(attribute.name, value, "must be a timezone-aware datetime")


def _check_positive(instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        raise InvalidValueError(
            attribute.name, value, f"must be an integer from 1 to {MAX_VERSION}"
        )


def _check_id(instance: object, attribute: Attribute[Any], value: object) -> None:
    # a stream, an event id, a topic: what every store and bus can hold (no control
    # character, no lone surrogate)
    if type(value) is not str or not 0 < len(value) <= MAX_ID_LENGTH or not value.isprintable():
        check_id_text(attribute.name, value, max_length=MAX_ID_LENGTH)


def _check_payload(instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidValueError(attribute.name, value, "must be a non-empty string (JSON text)")
    if not value.isascii():  # JSON text written by json.dumps: only a surrogate can be wrong
        check_text(attribute.name, value, max_length=MAX_DOCUMENT_BYTES)


def _check_actor(instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _check_id(instance, attribute, value)


_SET = object.__setattr__


def _utc(value: dt.datetime) -> dt.datetime:
    # a naive time is left as it is, for the validator to refuse (astimezone would take it
    # for local time)
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value.astimezone(dt.UTC)
    return value


@frozen
class NewEvent:
    """An event sealed for storing: its id, type, time, actor and payload; no place yet.

    Made by :func:`seal`; an event store's ``append`` gives it a stream, a version and a
    position, and returns the :class:`Envelope`.

    Parameters
    ----------
    event_id : str
        A unique id of the event.
    topic : str
        The event type's topic.
    schema_version : int
        The version of the payload's fields.
    recorded_at : datetime.datetime
        When it was recorded (aware; kept in UTC).
    actor : str or None
        Who made the change.
    payload : str
        The event's fields as JSON text.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> NewEvent("e-1", "MemberUnfiled", 1, at, None, '{"person":"P1"}').event()
    MemberUnfiled(person='P1', date=None)
    """

    event_id: str = field(validator=_check_id)
    topic: str = field(validator=_check_id)
    schema_version: int = field(validator=_check_positive)
    recorded_at: dt.datetime = field(validator=_check_aware, converter=_utc)
    actor: str | None = field(validator=_check_actor)
    payload: str = field(validator=_check_payload)

    def stored(self, stream: str, *, version: int, position: int) -> Envelope:
        """Return the envelope of this event stored at `version` of `stream`, at `position`.

        Examples
        --------
        >>> import datetime as dt
        >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
        >>> new = NewEvent("e-1", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
        >>> new.stored("S1", version=3, position=10).version
        3
        """
        for name, value in (("stream", stream), ("version", version), ("position", position)):
            if name == "stream":
                _check_id(self, _FIELD[name], value)
            else:
                _check_positive(self, _FIELD[name], value)
        return Envelope.unchecked(
            stream,
            version,
            position,
            self.event_id,
            self.topic,
            self.schema_version,
            self.recorded_at,
            self.actor,
            self.payload,
        )

    def event(self, *, event_types: Mapping[str, type[Event]] | None = None) -> Event:
        """Decode the event (see :func:`decode_event`)."""
        return decode_event(self.topic, self.schema_version, self.payload, event_types=event_types)


@frozen
class Envelope:
    """A stored event: the event's payload with its stream, version, position and metadata.

    Parameters
    ----------
    stream : str
        The jurisdiction's id.
    version : int
        The event's number within its stream (1 for the first).
    position : int
        Its place in the whole store: increasing in commit order, not necessarily
        without gaps.
    event_id, topic, schema_version, recorded_at, actor, payload
        As in :class:`NewEvent`.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> env = Envelope("S1", 1, 1, "e-1", "MemberUnfiled", 1, at, "admin", '{"person":"P1"}')
    >>> env.event(), env.data
    (MemberUnfiled(person='P1', date=None), {'person': 'P1'})
    """

    stream: str = field(validator=_check_id)
    version: int = field(validator=_check_positive)
    position: int = field(validator=_check_positive)
    event_id: str = field(validator=_check_id)
    topic: str = field(validator=_check_id)
    schema_version: int = field(validator=_check_positive)
    recorded_at: dt.datetime = field(validator=_check_aware, converter=_utc)
    actor: str | None = field(validator=_check_actor)
    payload: str = field(validator=_check_payload)

    @classmethod
    def unchecked(
        cls,
        stream: str,
        version: int,
        position: int,
        event_id: str,
        topic: str,
        schema_version: int,
        recorded_at: dt.datetime,
        actor: str | None,
        payload: str,
    ) -> Envelope:
        """Build an envelope without checking its values (`recorded_at` already in UTC).

        For a store reading back rows it wrote, where checking each value again would
        cost more than reading it; anything else uses the constructor.

        Examples
        --------
        >>> import datetime as dt
        >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
        >>> env = Envelope.unchecked("S1", 1, 1, "e-1", "MemberUnfiled", 1, at, None, "{}")
        >>> env == Envelope("S1", 1, 1, "e-1", "MemberUnfiled", 1, at, None, "{}")
        True
        """
        env = object.__new__(cls)
        _SET(env, "stream", stream)
        _SET(env, "version", version)
        _SET(env, "position", position)
        _SET(env, "event_id", event_id)
        _SET(env, "topic", topic)
        _SET(env, "schema_version", schema_version)
        _SET(env, "recorded_at", recorded_at)
        _SET(env, "actor", actor)
        _SET(env, "payload", payload)
        return env

    def event(self, *, event_types: Mapping[str, type[Event]] | None = None) -> Event:
        """Decode the event (see :func:`decode_event`).

        Raises
        ------
        DocumentError
            If the topic is unknown or the payload is malformed.
        """
        return decode_event(self.topic, self.schema_version, self.payload, event_types=event_types)

    @property
    def data(self) -> dict[str, Any]:
        """The payload, parsed (the event's fields, no tag).

        Raises
        ------
        DocumentError
            If the payload is not a JSON object.
        """
        return _parse_payload(self.topic, self.payload)


def _parse_payload(topic: str, payload: str) -> dict[str, Any]:
    try:
        parsed = json.loads(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        raise DocumentError([Problem(f"{topic}.payload", f"not JSON: {exc}")]) from None
    if not isinstance(parsed, dict):
        raise DocumentError([Problem(f"{topic}.payload", "must be a JSON object")])
    return parsed


def seal(
    event: Event, *, event_id: str, recorded_at: dt.datetime, actor: str | None = None
) -> NewEvent:
    """Encode `event` for storing, with its id, time and actor.

    Parameters
    ----------
    event : Event
        The domain event.
    event_id : str
        A unique id for it.
    recorded_at : datetime.datetime
        When it is recorded: an aware datetime (kept in UTC).
    actor : str, optional
        Who makes the change.

    Returns
    -------
    NewEvent

    Raises
    ------
    InvalidValueError
        If `event` is not an event, `recorded_at` is naive, or an id is not one (empty,
        too long, with a control character or a lone surrogate).

    Examples
    --------
    >>> import datetime as dt
    >>> from gridgov.model import OrganizationRenamed
    >>> at = dt.datetime(2024, 3, 1, 16, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> new = seal(OrganizationRenamed("S1", "南沙街道党工委"), event_id="e-2", recorded_at=at)
    >>> new.payload, new.recorded_at.isoformat()
    ('{"org":"S1","name":"南沙街道党工委"}', '2024-03-01T08:00:00+00:00')
    """
    data = unstructure_event(event)
    data.pop("type", None)
    data.pop("schema_version", None)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return NewEvent(event_id, event.topic, event.schema_version, recorded_at, actor, payload)


def decode_event(
    topic: str,
    schema_version: int,
    payload: str,
    *,
    event_types: Mapping[str, type[Event]] | None = None,
) -> Event:
    """Decode an event from its topic, schema version and JSON payload.

    An older payload is upcast by the class's ``upcasters``
    (:func:`gridgov.converters.upcast`).

    Parameters
    ----------
    topic : str
        The event type's topic.
    schema_version : int
        The version the payload was written at.
    payload : str
        The fields as JSON text.
    event_types : mapping of str to event class, optional
        The classes by topic (default: those the installed plugins contribute).

    Raises
    ------
    DocumentError
        If the payload is not a JSON object, the topic is unknown, or a field is
        malformed.
    InvalidValueError
        If `topic` is not an id, `schema_version` not an integer >= 1, or `payload` not
        a string.

    Examples
    --------
    >>> decode_event("OrganizationRenamed", 1, '{"org":"S1","name":"S"}')
    OrganizationRenamed(org='S1', name='S')
    >>> decode_event("OrgRenamed", 1, '{}')
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: topic: unknown event type 'OrgRenamed'
    """
    check_id_text("topic", topic, max_length=MAX_ID_LENGTH)
    if (
        isinstance(schema_version, bool)
        or not isinstance(schema_version, int)
        or not 1 <= schema_version <= MAX_VERSION
    ):
        raise InvalidValueError(
            "schema_version", schema_version, f"must be an integer from 1 to {MAX_VERSION}"
        )
    if not isinstance(payload, str):
        raise InvalidValueError("payload", payload, "must be JSON text (a string)")
    fields = _parse_payload(topic, payload)
    fields["type"] = topic
    if schema_version != 1:
        fields["schema_version"] = schema_version
    try:
        return structure_event(fields, event_types=event_types)
    except DocumentError as exc:  # the type tag is the envelope's topic
        if not any(p.path == "type" for p in exc.problems):
            raise
        raise DocumentError(
            [Problem("topic", p.message) if p.path == "type" else p for p in exc.problems]
        ) from None


def _check_envelope(value: object) -> Envelope:
    if not isinstance(value, Envelope):
        raise InvalidValueError("envelope", value, "must be an Envelope")
    return value


def encode(envelope: Envelope) -> dict[str, str]:
    """Return the wire form of `envelope`: a flat mapping of strings, in field order.

    The form of a Redis Streams entry and of a line of ``gridgov log --format json``:
    the fields of :data:`FIELDS` (``actor`` left out when ``None``) and
    ``"envelope": "1"``.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> env = Envelope("S1", 2, 9, "e-9", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
    >>> encode(env)
    {'envelope': '1', 'stream': 'S1', 'version': '2', 'position': '9', 'event_id': 'e-9', 'topic': 'MemberUnfiled', 'schema_version': '1', 'recorded_at': '2024-03-01T00:00:00+00:00', 'payload': '{"person":"P1"}'}
    """
    _check_envelope(envelope)
    out = {
        "envelope": ENVELOPE_FORMAT,
        "stream": envelope.stream,
        "version": str(envelope.version),
        "position": str(envelope.position),
        "event_id": envelope.event_id,
        "topic": envelope.topic,
        "schema_version": str(envelope.schema_version),
        "recorded_at": envelope.recorded_at.isoformat(),
    }
    if envelope.actor is not None:
        out["actor"] = envelope.actor
    out["payload"] = envelope.payload
    return out


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


def decode(fields: Mapping[Any, Any]) -> Envelope:
    """Decode an envelope from its wire form (:func:`encode`); keys and values may be bytes.

    Raises
    ------
    DocumentError
        Naming the missing or malformed field (a message from another system, a newer
        envelope format).
    InvalidValueError
        If `fields` is not a mapping.

    Examples
    --------
    >>> env = decode({b"envelope": b"1", b"stream": b"S1", b"version": b"1", b"position": b"5",
    ...               b"event_id": b"e-5", b"topic": b"MemberUnfiled", b"schema_version": b"1",
    ...               b"recorded_at": b"2024-03-01T00:00:00+00:00",
    ...               b"payload": '{"person":"P1"}'.encode()})
    >>> env.stream, env.position, env.actor
    ('S1', 5, None)
    >>> decode({"envelope": "1", "stream": "S1"})
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: envelope.version: is required (and 6 more problems)
    """
    if not isinstance(fields, Mapping):
        raise InvalidValueError("fields", fields, "must be a mapping (an envelope's wire form)")
    try:
        text = {_text(k): _text(v) for k, v in fields.items()}
    except (TypeError, UnicodeDecodeError) as exc:
        raise DocumentError([Problem("envelope", f"not UTF-8 text: {exc}")]) from None
    form = text.get("envelope", ENVELOPE_FORMAT)
    if form != ENVELOPE_FORMAT:
        raise DocumentError(
            [Problem("envelope", f"format {form!r} is not the one this gridgov reads (1)")]
        )
    return from_dict(text)


def to_dict(envelope: Envelope) -> dict[str, Any]:
    """Return `envelope` as JSON-ready data with typed values (numbers, the payload parsed).

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    >>> env = Envelope("S1", 2, 9, "e-9", "MemberUnfiled", 1, at, None, '{"person":"P1"}')
    >>> to_dict(env)["payload"], to_dict(env)["version"]
    ({'person': 'P1'}, 2)
    >>> from_dict(to_dict(env)) == env
    True
    """
    _check_envelope(envelope)
    return {
        "stream": envelope.stream,
        "version": envelope.version,
        "position": envelope.position,
        "event_id": envelope.event_id,
        "topic": envelope.topic,
        "schema_version": envelope.schema_version,
        "recorded_at": envelope.recorded_at.isoformat(),
        "actor": envelope.actor,
        "payload": envelope.data,
    }


def from_dict(data: Mapping[str, Any]) -> Envelope:
    """Build an envelope from :func:`to_dict`'s data or :func:`encode`'s strings.

    Raises
    ------
    DocumentError
        Naming the missing or malformed field.
    InvalidValueError
        If `data` is not a mapping.

    Examples
    --------
    >>> from_dict({"stream": "S1", "version": "x"})
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: envelope.version: must be an integer (got 'x') (and 6 more problems)
    """
    if not isinstance(data, Mapping):
        raise InvalidValueError("data", data, "must be a mapping (an envelope as data)")
    problems: list[Problem] = []

    def get(name: str, required: bool = True) -> Any:
        if name not in data or data[name] is None:
            if required:
                problems.append(Problem(f"envelope.{name}", "is required"))
            return None
        return data[name]

    def integer(name: str) -> int:
        value = get(name)
        if value is None:
            return 1
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            return int(value)
        problems.append(
            Problem(f"envelope.{name}", f"must be an integer (got {short_repr(value)})")
        )
        return 1

    stream = get("stream")
    version = integer("version")
    position = integer("position")
    event_id, topic = get("event_id"), get("topic")
    schema_version = integer("schema_version")
    recorded = get("recorded_at")
    at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if isinstance(recorded, str):
        try:
            at = dt.datetime.fromisoformat(recorded)
        except ValueError:
            problems.append(
                Problem("envelope.recorded_at", f"not an ISO time: {short_repr(recorded)}")
            )
    elif recorded is not None:
        problems.append(
            Problem("envelope.recorded_at", f"must be a string (got {short_repr(recorded)})")
        )
    payload = get("payload")
    if payload is not None and not isinstance(payload, str):
        try:
            payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError) as exc:
            problems.append(Problem("envelope.payload", f"not JSON data: {exc}"))
    if problems:
        raise DocumentError(problems)
    try:
        return Envelope(
            stream,
            version,
            position,
            event_id,
            topic,
            schema_version,
            at,
            get("actor", required=False),
            payload,
        )
    except InvalidValueError as exc:
        raise DocumentError(
            [Problem(f"envelope.{exc.field}", f"{exc.reason} (got {short_repr(exc.value)})")]
        ) from None


_FIELD = {a.name: a for a in fields(Envelope)}
