"""The envelope: sealing, the wire form, decoding and upcasting."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

import pytest
from attrs import frozen

from gridgov.envelope import (
    ENVELOPE_FORMAT,
    FIELDS,
    Envelope,
    NewEvent,
    decode,
    decode_event,
    encode,
    from_dict,
    seal,
    to_dict,
)
from gridgov.errors import DocumentError, InvalidValueError
from gridgov.model import EVENT_TYPES, Event, MemberUnfiled, OrganizationRenamed

BEIJING = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2021, 11, 22, 16, 30, 5, 250000, tzinfo=BEIJING)


def test_seal_keeps_the_declaration_and_records_in_utc() -> None:
    new = seal(
        OrganizationRenamed("S1", "均禾街党工委"), event_id="e-1", recorded_at=AT, actor="李"
    )
    assert (new.topic, new.schema_version, new.actor) == ("OrganizationRenamed", 1, "李")
    assert new.recorded_at == AT
    assert new.recorded_at.tzinfo == dt.UTC
    assert json.loads(new.payload) == {"org": "S1", "name": "均禾街党工委"}
    assert "均禾街" in new.payload  # UTF-8 kept, not escaped


def test_the_wire_form_round_trips_with_text_or_bytes() -> None:
    env = seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=AT).stored(
        "S1", version=3, position=17
    )
    fields = encode(env)
    assert fields["envelope"] == ENVELOPE_FORMAT
    assert "actor" not in fields  # no actor: left out
    assert set(fields) - {"envelope"} == set(FIELDS) - {"actor"}
    assert all(isinstance(v, str) for v in fields.values())
    assert decode(fields) == env
    assert decode({k.encode(): v.encode() for k, v in fields.items()}) == env
    assert from_dict(to_dict(env)) == env
    assert json.loads(json.dumps(to_dict(env)))["payload"] == {"person": "P1"}


def test_a_newer_envelope_format_is_refused() -> None:
    env = seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=AT).stored(
        "S1", version=1, position=1
    )
    with pytest.raises(DocumentError, match="format '2'"):
        decode({**encode(env), "envelope": "2"})


def test_malformed_envelopes_name_the_field() -> None:
    env = seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=AT).stored(
        "S1", version=1, position=1
    )
    good = encode(env)
    for key, value, where in (
        ("version", "x", "envelope.version"),
        ("recorded_at", "yesterday", "envelope.recorded_at"),
        ("recorded_at", "2021-11-22T08:00:00", "envelope.recorded_at"),  # naive
        ("stream", "", "envelope.stream"),
    ):
        with pytest.raises(DocumentError) as info:
            decode({**good, key: value})
        assert info.value.problems[0].path == where, (key, value)
    with pytest.raises(DocumentError, match="not UTF-8"):
        decode({b"stream": b"\xff"})


def test_bad_values_are_refused_when_sealing() -> None:
    with pytest.raises(InvalidValueError, match="recorded_at"):
        seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=dt.datetime(2021, 11, 22))
    with pytest.raises(InvalidValueError, match="event_id"):
        seal(MemberUnfiled("P1"), event_id="", recorded_at=AT)
    with pytest.raises(InvalidValueError):
        seal("not an event", event_id="e-1", recorded_at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="version"):
        NewEvent("e", "T", 1, AT, None, "{}").stored("S1", version=0, position=1)


def test_what_no_store_or_bus_could_hold_is_refused_when_sealing() -> None:
    for name, bad in (("event_id", "e\ud800"), ("event_id", "e\x00"), ("actor", "李\ud800")):
        with pytest.raises(InvalidValueError) as info:
            seal(MemberUnfiled("P1"), recorded_at=AT, **{"event_id": "e-1", name: bad})
        assert info.value.field == name
    with pytest.raises(InvalidValueError, match="position"):
        NewEvent("e", "T", 1, AT, None, "{}").stored("S1", version=1, position=2**63)


def test_an_unknown_topic_is_named_as_the_topic() -> None:
    with pytest.raises(DocumentError) as info:
        decode_event("OrgRenamed", 1, "{}")
    assert [p.path for p in info.value.problems] == ["topic"]
    with pytest.raises(InvalidValueError, match="schema_version"):
        decode_event("MemberUnfiled", True, '{"person": "P1"}')  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="payload"):
        decode_event("MemberUnfiled", 1, b'{"person": "P1"}')  # type: ignore[arg-type]


def test_numbers_too_long_for_a_store_are_document_errors_when_read_back() -> None:
    env = seal(MemberUnfiled("P1"), event_id="e-1", recorded_at=AT).stored(
        "S1", version=1, position=1
    )
    for value in ("9" * 5000, "²", str(2**63)):
        with pytest.raises(DocumentError) as info:
            from_dict({**to_dict(env), "position": value})
        assert info.value.problems[0].path == "envelope.position", value


def test_a_payload_that_is_not_json_is_a_document_error_when_parsed() -> None:
    env = Envelope("S1", 1, 1, "e-1", "MemberUnfiled", 1, AT, None, "not json")
    with pytest.raises(DocumentError, match=r"MemberUnfiled\.payload: not JSON"):
        to_dict(env)


def test_payloads_that_are_not_objects_are_document_errors() -> None:
    with pytest.raises(DocumentError, match="must be a JSON object"):
        decode_event("MemberUnfiled", 1, "[1]")
    with pytest.raises(DocumentError, match="not JSON"):
        decode_event("MemberUnfiled", 1, "{")
    with pytest.raises(DocumentError, match=r"MemberUnfiled\.person"):
        decode_event("MemberUnfiled", 1, '{"person": 5}')


@frozen
class ZoneRenumbered(Event):
    """A plugin's event at schema version 2: version 1 called the field ``zone_id``."""

    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Any] = {1: lambda d: {"zone": d.pop("zone_id"), **d}}
    writes: ClassVar[frozenset[str]] = frozenset()

    zone: str


def test_an_old_payload_is_upcast_on_reading() -> None:
    types = {**EVENT_TYPES, "ZoneRenumbered": ZoneRenumbered}
    old = Envelope("S1", 1, 1, "e-1", "ZoneRenumbered", 1, AT, None, '{"zone_id":"Z1"}')
    assert old.event(event_types=types) == ZoneRenumbered("Z1")
    new = seal(ZoneRenumbered("Z2"), event_id="e-2", recorded_at=AT)
    assert new.schema_version == 2
    assert new.payload == '{"zone":"Z2"}'
    assert new.event(event_types=types) == ZoneRenumbered("Z2")
    with pytest.raises(DocumentError, match="newer than this gridgov reads"):
        decode_event("ZoneRenumbered", 3, '{"zone":"Z3"}', event_types=types)
