"""An event type a plugin contributes is a first-class event.

The test plugin contributes ``MembersSwapped`` (two filed members swap their groups):
the jurisdiction applies it (no registration needed), a validator re-checks it
incrementally, replay folds it, and the converters write and read it back through the
``gridgov_event_types`` hook, upcasting a payload written at an older schema version.
Two plugins contributing one topic is an error naming both, unless one is blocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import pytest
from attrs import field, frozen

import gridgov
from gridgov import plugins
from gridgov.converters import structure_event, unstructure_event, upcast
from gridgov.errors import DocumentError, PluginError, StateError, UnknownReferenceError
from gridgov.io import dump
from gridgov.model import Event, Filing, Jurisdiction, Touch
from gridgov.model import integrity as check
from gridgov.model.state import State
from gridgov.model.values import check_id
from gridgov.rules import Validator, validate


def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 named the two members ``person`` and ``other``."""
    out = {k: v for k, v in payload.items() if k not in ("person", "other")}
    out["a"], out["b"] = payload["person"], payload["other"]
    return out


@frozen
class MembersSwapped(Event):
    """Two members filed in different groups swap them (each keeps their filing date)."""

    topic: ClassVar[str] = "xx.MembersSwapped"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Any]] = {1: _v1_to_v2}
    writes: ClassVar[frozenset[str]] = frozenset({"filings"})

    a: str = field(validator=check_id)
    b: str = field(validator=check_id)

    def apply_to(self, state: State) -> None:
        check.check_person(state, "a", self.a)
        check.check_person(state, "b", self.b)
        fa, fb = state.filings.get(self.a), state.filings.get(self.b)
        for person, filing in ((self.a, fa), (self.b, fb)):
            if filing is None:
                raise StateError(
                    "a" if person == self.a else "b", person, f"{person!r} is not filed"
                )
        assert fa is not None
        assert fb is not None
        if fa.org == fb.org:
            raise StateError("b", self.b, f"{self.a!r} and {self.b!r} are both in {fa.org!r}")
        state.refile(Filing(self.a, fb.org, fa.date))
        state.refile(Filing(self.b, fa.org, fb.date))

    def touches(self, state: State) -> Touch:
        orgs = tuple(f.org for p in (self.a, self.b) if (f := state.filings.get(p)) is not None)
        return Touch(people=(self.a, self.b), anchors=orgs)


class SwapPlugin:
    """A plugin object contributing the event type."""

    def __init__(self, *types: type[Event]) -> None:
        self.types = types or (MembersSwapped,)

    @gridgov.hookimpl
    def gridgov_event_types(self) -> Sequence[type[Event]]:
        return self.types


@pytest.fixture
def pm() -> plugins.GridGovPluginManager:
    pm = plugins.new_plugin_manager(autoload=False)
    pm.register(SwapPlugin(), "xx-swap")
    return pm


@pytest.fixture
def types(pm: plugins.GridGovPluginManager) -> Mapping[str, type[Event]]:
    return plugins.event_types(pm)


def test_the_plugin_contributes_its_type(types: Mapping[str, type[Event]]) -> None:
    assert types["xx.MembersSwapped"] is MembersSwapped
    assert set(gridgov.EVENT_TYPES.items()) <= set(types.items())
    bare = plugins.event_types(plugins.new_plugin_manager(autoload=False))
    assert "xx.MembersSwapped" not in bare


# -- applying, validating, replaying ------------------------------------------------------------------


def test_it_is_applied_like_a_built_in_event(five_level: Jurisdiction) -> None:
    """P5 (G1) and P4 (G2) swap: no registration is needed to apply it."""
    members = sorted(five_level.members("B1"))
    dates = {p: five_level.filings[p].date for p in ("P5", "P4")}
    version = five_level.version
    event = five_level.apply(MembersSwapped("P5", "P4"))
    assert five_level.log[-1] is event
    assert five_level.version == version + 1
    assert five_level.filed_in("P5") == "G2"
    assert five_level.filed_in("P4") == "G1"
    assert {p: five_level.filings[p].date for p in ("P5", "P4")} == dates
    assert five_level.graph.direct_members("G1") == ["P3", "P4"]
    assert five_level.graph.direct_members("G2") == ["P5"]
    assert sorted(five_level.members("B1")) == members


@pytest.mark.parametrize(
    ("event", "error"),
    [
        (MembersSwapped("P5", "P6"), StateError),  # P6 is filed nowhere
        (MembersSwapped("P5", "P3"), StateError),  # both in G1
        (MembersSwapped("P5", "P9"), UnknownReferenceError),
    ],
)
def test_a_refused_swap_changes_nothing(
    five_level: Jurisdiction, event: Event, error: type[Exception]
) -> None:
    before, version = dump(five_level), five_level.version
    with pytest.raises(error):
        five_level.apply(event)
    assert dump(five_level) == before
    assert five_level.version == version
    with pytest.raises(error):
        five_level.apply_all([gridgov.OrganizationRenamed("B2", "x"), event])
    assert dump(five_level) == before


def test_it_is_validated_incrementally(five_level: Jurisdiction) -> None:
    v = Validator(five_level)
    before = v.report()
    assert v.apply(MembersSwapped("P5", "P4")) == MembersSwapped("P5", "P4")
    after = v.report()
    assert after == validate(five_level)
    # P5 leads G1 and claims Z1, Z2 (in G1) from G2 now; P4 claims Z3 (in G2) from G1
    assert after != before
    assert {"GG307", "GG308"} <= set(after.count_by_code())
    v.apply(MembersSwapped("P4", "P5"))
    assert v.report() == before == validate(five_level)


def test_it_is_replayed(five_level: Jurisdiction) -> None:
    five_level.apply(MembersSwapped("P5", "P4"))
    five_level.apply(MembersSwapped("P3", "P5"))
    replayed = Jurisdiction.replay(five_level.log)
    assert replayed == five_level
    assert dump(replayed) == dump(five_level)
    assert replayed.graph.direct_members("G2") == five_level.graph.direct_members("G2")


# -- reading and writing -----------------------------------------------------------------------------


def test_it_round_trips_through_json(types: Mapping[str, type[Event]]) -> None:
    event = MembersSwapped("P5", "P4")
    data = unstructure_event(event)
    assert data == {"type": "xx.MembersSwapped", "schema_version": 2, "a": "P5", "b": "P4"}
    back = structure_event(json.loads(json.dumps(data)), event_types=types)
    assert back == event
    assert type(back) is MembersSwapped


def test_a_log_with_it_round_trips(
    five_level: Jurisdiction, types: Mapping[str, type[Event]]
) -> None:
    five_level.apply(MembersSwapped("P5", "P4"))
    text = json.dumps([unstructure_event(e) for e in five_level.log], ensure_ascii=False)
    events = [structure_event(d, event_types=types) for d in json.loads(text)]
    assert events == list(five_level.log)
    assert Jurisdiction.replay(events) == five_level


def test_without_the_plugin_the_type_is_unknown() -> None:
    bare = plugins.event_types(plugins.new_plugin_manager(autoload=False))
    with pytest.raises(DocumentError, match=r"unknown event type 'xx\.MembersSwapped'"):
        structure_event(unstructure_event(MembersSwapped("P5", "P4")), event_types=bare)


def test_an_old_payload_is_upcast(types: Mapping[str, type[Event]]) -> None:
    old = {"type": "xx.MembersSwapped", "person": "P5", "other": "P4"}  # version 1
    assert upcast(old, MembersSwapped) == {"a": "P5", "b": "P4"}
    event = structure_event(old, event_types=types)
    assert type(event) is MembersSwapped
    assert event == MembersSwapped("P5", "P4")
    assert structure_event({**old, "schema_version": 1}, event_types=types) == event


@frozen
class MembersSwappedV4(Event):
    """Version 4 of the type: version 3 added ``note``, version 4 named the members
    ``first`` and ``second``; no upcaster from version 1 was kept."""

    topic: ClassVar[str] = "xx.MembersSwapped"
    schema_version: ClassVar[int] = 4
    upcasters: ClassVar[Mapping[int, Any]] = {
        2: lambda p: {**p, "note": ""},
        3: lambda p: {"first": p["a"], "second": p["b"], "note": p["note"]},
    }
    writes: ClassVar[frozenset[str]] = frozenset({"filings"})

    first: str
    second: str
    note: str


def test_upcasters_chain() -> None:
    v2 = {"type": "xx.MembersSwapped", "schema_version": 2, "a": "P5", "b": "P4"}
    event = structure_event(v2, event_types={"xx.MembersSwapped": MembersSwappedV4})
    assert event == MembersSwappedV4("P5", "P4", "")


@pytest.mark.parametrize(
    ("payload", "cls", "message"),
    [
        ({"schema_version": 3, "a": "P5", "b": "P4"}, MembersSwapped, "newer than"),
        ({"person": "P5", "other": "P4"}, MembersSwappedV4, "no upcaster from version 1"),
        ({"schema_version": 0, "a": "P5", "b": "P4"}, MembersSwapped, "integer >= 1"),
        ({"schema_version": "2", "a": "P5", "b": "P4"}, MembersSwapped, "integer >= 1"),
        ({"schema_version": True, "a": "P5", "b": "P4"}, MembersSwapped, "integer >= 1"),
        ({"schema_version": 2, "a": "P5"}, MembersSwapped, "b: is required"),
        ({"schema_version": 2, "a": "P5", "b": "P4", "c": 1}, MembersSwapped, "unknown key c"),
    ],
)
def test_a_payload_it_cannot_read_is_a_document_error(
    payload: dict[str, Any], cls: type[Event], message: str
) -> None:
    data = {"type": "xx.MembersSwapped", **payload}
    with pytest.raises(DocumentError, match=message) as info:
        structure_event(data, event_types={"xx.MembersSwapped": cls})
    assert "xx.MembersSwapped" in str(info.value)


# -- plugins contributing event types -------------------------------------------------------------------


@frozen
class OtherSwap(Event):
    """Another plugin's class under the same topic."""

    topic: ClassVar[str] = "xx.MembersSwapped"
    a: str
    b: str


def test_two_plugins_with_one_topic_is_an_error_naming_both(
    pm: plugins.GridGovPluginManager,
) -> None:
    pm.register(SwapPlugin(OtherSwap), "yy-swap")
    with pytest.raises(PluginError, match=r"xx\.MembersSwapped") as info:
        plugins.event_types(pm)
    assert "'xx-swap'" in str(info.value)
    assert "'yy-swap'" in str(info.value)


def test_a_topic_taken_by_a_built_in_type_is_an_error(pm: plugins.GridGovPluginManager) -> None:
    @frozen
    class FakeFiled(Event):
        topic: ClassVar[str] = "MemberFiled"

    pm.register(SwapPlugin(FakeFiled), "yy-fake")
    with pytest.raises(PluginError) as info:
        plugins.event_types(pm)
    assert "'gridgov.events'" in str(info.value)
    assert "'yy-fake'" in str(info.value)


def test_the_same_class_from_two_plugins_is_no_conflict(
    pm: plugins.GridGovPluginManager,
) -> None:
    pm.register(SwapPlugin(MembersSwapped), "yy-swap")
    assert plugins.event_types(pm)["xx.MembersSwapped"] is MembersSwapped


@pytest.mark.parametrize("blocked", ["xx-swap", "yy-swap"])
def test_blocking_one_of_two_plugins_ends_the_conflict(
    pm: plugins.GridGovPluginManager, blocked: str
) -> None:
    pm.register(SwapPlugin(OtherSwap), "yy-swap")
    plugins.block(blocked, pm)
    kept = OtherSwap if blocked == "xx-swap" else MembersSwapped
    assert plugins.event_types(pm)["xx.MembersSwapped"] is kept


def test_a_plugin_blocked_before_it_registers() -> None:
    pm = plugins.new_plugin_manager(autoload=False, blocked=["yy-swap"])
    pm.register(SwapPlugin(), "xx-swap")
    pm.register(SwapPlugin(OtherSwap), "yy-swap")  # refused: blocked
    assert plugins.event_types(pm)["xx.MembersSwapped"] is MembersSwapped


def test_a_plugin_contributing_something_else_is_an_error(
    pm: plugins.GridGovPluginManager,
) -> None:
    pm.register(SwapPlugin(Filing), "yy-bad")  # type: ignore[arg-type]
    with pytest.raises(PluginError, match="not an Event subclass") as info:
        plugins.event_types(pm)
    assert "'yy-bad'" in str(info.value)


@pytest.fixture
def installed(pm: plugins.GridGovPluginManager) -> Iterator[plugins.GridGovPluginManager]:
    """`pm` as the process's plugin manager, for the length of the test."""
    plugins.reset(pm)
    try:
        yield pm
    finally:
        plugins.reset()


@pytest.mark.usefixtures("installed")
def test_reset_makes_the_default_reader_know_the_type() -> None:
    data = unstructure_event(MembersSwapped("P5", "P4"))
    assert structure_event(data) == MembersSwapped("P5", "P4")
    old = {"type": "xx.MembersSwapped", "person": "P5", "other": "P4"}
    assert structure_event(old) == MembersSwapped("P5", "P4")
    plugins.reset(plugins.new_plugin_manager(autoload=False))
    with pytest.raises(DocumentError, match="unknown event type"):
        structure_event(data)
