"""The test suite every message bus passes: subclass :class:`MessageBusTestCase`.

gridgov runs it on its memory bus and on Redis Streams; a host's plugin that adds a bus
runs it on its own (it needs pytest)::

    from gridgov.adapters.messaging.suite import MessageBusTestCase

    class TestKafkaBus(MessageBusTestCase):
        def create_bus(self):
            return KafkaBus(url_of_a_fresh_topic())

    del MessageBusTestCase  # collected once, through the subclass

:meth:`~MessageBusTestCase.create_bus` returns a new, empty bus for each test. The
suite covers publishing (idempotent by position), groups, pending entries and their
delivery counts, claiming idle entries, dead letters, trimming, and the consumer's
exactly-once effects over them (duplicates skipped, gaps repaired from a store,
failures dead-lettered).

Examples
--------
>>> from gridgov.adapters.messaging.memory import MemoryBus
>>> class Suite(MessageBusTestCase):
...     def create_bus(self):
...         return MemoryBus()
>>> Suite().create_bus().last_published()
0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import pytest

from gridgov.adapters.messaging import MessageBus
from gridgov.adapters.messaging.consumer import Consumer, MemoryTracker
from gridgov.adapters.messaging.relay import Relay
from gridgov.adapters.storage.memory import MemoryEventStore
from gridgov.adapters.storage.suite import sealed
from gridgov.envelope import Envelope
from gridgov.errors import InvalidValueError
from gridgov.model.events import MemberUnfiled

__all__ = ["MessageBusTestCase", "envelopes"]

AT = dt.datetime(2021, 11, 22, 8, 30, tzinfo=dt.UTC)


def envelopes(stream: str, versions: range, *, start: int = 1) -> list[Envelope]:
    """Envelopes of `stream` at `versions`, at positions from `start` on.

    Examples
    --------
    >>> [(e.version, e.position) for e in envelopes("S1", range(1, 3), start=10)]
    [(1, 10), (2, 11)]
    """
    return [
        Envelope(stream, v, start + i, f"{stream}-{v}", "MemberUnfiled", 1, AT, None,
                 f'{{"person":"P{v}"}}')
        for i, v in enumerate(versions)
    ]  # fmt: skip


class _Effects:
    """Counts each (stream, version) applied; fails on the versions it is told to."""

    def __init__(self, failing: set[tuple[str, int]] | None = None) -> None:
        self.applied: list[tuple[str, int]] = []
        self.failing = failing or set()

    def __call__(self, envelope: Envelope, connection: object) -> None:
        key = (envelope.stream, envelope.version)
        if key in self.failing:
            raise RuntimeError(f"cannot apply {key}")
        self.applied.append(key)


class MessageBusTestCase:
    """The shared suite: each test gets a new bus from :meth:`create_bus`."""

    def create_bus(self) -> MessageBus:
        """Return a new, empty bus (each subclass implements it)."""
        raise NotImplementedError

    def publish_raw(self, bus: MessageBus, position: int, fields: Mapping[str, str]) -> None:
        """Put an entry that is not an envelope at `position` (for the undecodable case)."""
        pytest.skip("this backend cannot put a foreign entry on the bus")

    @pytest.fixture
    def bus(self) -> Iterator[MessageBus]:
        """A new bus, closed after the test."""
        b = self.create_bus()
        try:
            yield b
        finally:
            b.close()

    # -- publishing ------------------------------------------------------------------------

    def test_publishing_is_idempotent_by_position(self, bus: MessageBus) -> None:
        """A position at or below the last published is skipped."""
        assert bus.last_published() == 0
        first = envelopes("S1", range(1, 4))
        assert bus.publish(first[:2]) == 2
        assert bus.publish(first) == 1
        assert bus.publish(first) == 0
        assert bus.last_published() == 3
        assert bus.publish([]) == 0

    def test_envelopes_must_come_in_position_order(self, bus: MessageBus) -> None:
        """A batch out of position order is refused."""
        a, b = envelopes("S1", range(1, 3))
        with pytest.raises(InvalidValueError):
            bus.publish([b, a])
        with pytest.raises(InvalidValueError):
            bus.publish(["not an envelope"])  # type: ignore[list-item]

    # -- groups and pending entries --------------------------------------------------------

    def test_a_group_reads_each_entry_once_and_keeps_it_pending_until_acknowledged(
        self, bus: MessageBus
    ) -> None:
        """New entries go to one consumer of the group; pending until acknowledged."""
        bus.create_group("g")
        bus.create_group("g")  # again: nothing happens
        bus.publish(envelopes("S1", range(1, 4)))
        got = bus.read("g", "c1", count=2)
        assert [(d.envelope.version if d.envelope else None, d.deliveries) for d in got] == [
            (1, 1),
            (2, 1),
        ]
        assert got[0].entry_id == "1-0"
        assert [d.envelope.version for d in bus.read("g", "c2") if d.envelope] == [3]
        assert bus.read("g", "c1") == []
        assert bus.pending("g") == 3
        assert bus.ack("g", ["1-0", "2-0"]) == 2
        assert bus.ack("g", ["1-0"]) == 0
        assert bus.pending("g") == 1
        assert bus.groups() == {"g": 1}

    def test_every_group_gets_every_entry(self, bus: MessageBus) -> None:
        """Two groups (two consuming services) each read the whole log."""
        bus.create_group("projections")
        bus.create_group("search")
        bus.publish(envelopes("S1", range(1, 3)))
        for group in ("projections", "search"):
            assert [d.entry_id for d in bus.read(group, "w1")] == ["1-0", "2-0"]

    def test_a_consumer_re_reads_its_own_pending_entries_with_their_counts(
        self, bus: MessageBus
    ) -> None:
        """Pending entries come back, from id 0 or after one, counted again."""
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 4)))
        bus.read("g", "c1")
        again = bus.read("g", "c1", pending=True)
        assert [(d.entry_id, d.deliveries) for d in again] == [("1-0", 2), ("2-0", 2), ("3-0", 2)]
        later = bus.read("g", "c1", pending=True, after="1-0", count=1)
        assert [(d.entry_id, d.deliveries) for d in later] == [("2-0", 3)]
        assert bus.read("g", "c2", pending=True) == []

    def test_reading_without_waiting_returns_at_once(self, bus: MessageBus) -> None:
        """With nothing new, a short block returns an empty list."""
        bus.create_group("g")
        assert bus.read("g", "c1", block=0.05) == []

    def test_an_unknown_group_is_refused(self, bus: MessageBus) -> None:
        """Reading a group that was never created is an InvalidValueError."""
        bus.publish(envelopes("S1", range(1, 2)))
        with pytest.raises(InvalidValueError):
            bus.read("nobody", "c1")

    def test_bad_arguments_are_refused_alike_by_every_bus(self, bus: MessageBus) -> None:
        """Each bad argument is an InvalidValueError naming it, before the bus is asked."""
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 3)))
        (first, _) = bus.read("g", "c1")
        for name, call in (
            ("group", lambda: bus.create_group("g\ud800")),
            ("group", lambda: bus.create_group("g\x00")),
            ("consumer", lambda: bus.read("g", "c\ud800")),
            ("pending", lambda: bus.read("g", "c1", pending=1)),  # type: ignore[arg-type]
            ("after", lambda: bus.read("g", "c1", pending=True, after="last")),
            ("block", lambda: bus.read("g", "c1", block=-1)),
            ("block", lambda: bus.read("g", "c1", block=float("inf"))),
            ("min_idle", lambda: bus.claim("g", "c1", min_idle=float("nan"))),
            ("entry_ids", lambda: bus.ack("g", "1-0")),
            ("entry_ids[0]", lambda: bus.ack("g", ["first"])),
            ("delivery", lambda: bus.dead_letter("g", "1-0", "boom")),  # type: ignore[arg-type]
            ("reason", lambda: bus.dead_letter("g", first, None)),  # type: ignore[arg-type]
        ):
            with pytest.raises(InvalidValueError) as info:
                call()
            assert info.value.field == name
        assert bus.groups() == {"g": 2}
        assert bus.dead_letters() == []

    def test_a_reason_with_a_lone_surrogate_is_kept_escaped(self, bus: MessageBus) -> None:
        """A handler's message is kept, whatever it holds: what UTF-8 cannot hold, escaped."""
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 2)))
        (first,) = bus.read("g", "c1")
        bus.dead_letter("g", first, "ValueError: bad \udc80 byte")
        assert [d.reason for d in bus.dead_letters()] == ["ValueError: bad \\udc80 byte"]
        assert bus.pending("g") == 0

    def test_claiming_takes_over_idle_entries(self, bus: MessageBus) -> None:
        """Entries idle long enough move to the claiming consumer, counted again."""
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 4)))
        bus.read("g", "dead-worker")
        assert bus.claim("g", "c2", min_idle=3600) == []
        claimed = bus.claim("g", "c2", min_idle=0, count=2)  # the scan goes on past a page
        assert [(d.entry_id, d.deliveries) for d in claimed] == [
            ("1-0", 2),
            ("2-0", 2),
            ("3-0", 2),
        ]
        assert bus.read("g", "dead-worker", pending=True) == []
        assert [d.entry_id for d in bus.read("g", "c2", pending=True)] == ["1-0", "2-0", "3-0"]

    # -- dead letters and trimming ---------------------------------------------------------

    def test_a_dead_letter_is_kept_with_its_reason_and_acknowledged(self, bus: MessageBus) -> None:
        """A dead-lettered entry leaves the pending list for the dead-letter log."""
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 3)))
        first, _ = bus.read("g", "c1")
        bus.dead_letter("g", first, "RuntimeError: boom")
        assert bus.pending("g") == 1
        (dead,) = bus.dead_letters()
        assert (dead.original_id, dead.group, dead.deliveries, dead.reason) == (
            "1-0",
            "g",
            1,
            "RuntimeError: boom",
        )
        assert dead.fields["stream"] == "S1"
        assert dead.fields["version"] == "1"
        assert bus.dead_letters(count=1) == [dead]

    def test_trimming_keeps_what_any_group_has_not_acknowledged(self, bus: MessageBus) -> None:
        """Only entries below every group's acknowledged point go."""
        bus.publish(envelopes("S1", range(1, 7)))
        assert bus.trim() == 0  # no group: nothing is known to be consumed
        bus.create_group("fast")
        bus.create_group("slow")
        for d in bus.read("fast", "c"):
            bus.ack("fast", [d.entry_id])
        slow = bus.read("slow", "c", count=4)  # 1-4 delivered
        bus.ack("slow", [slow[0].entry_id, slow[2].entry_id])  # 2 and 4 still pending
        assert bus.trim() == 1  # only entry 1: entry 2 is pending in "slow"
        assert [d.entry_id for d in bus.read("slow", "c", pending=True)] == ["2-0", "4-0"]
        bus.ack("slow", ["2-0", "4-0"])
        assert bus.trim() == 3  # 2, 3, 4: "slow" has not read 5 and 6
        assert [d.entry_id for d in bus.read("slow", "c")] == ["5-0", "6-0"]
        assert bus.last_published() == 6  # trimming forgets no position

    # -- the consumer ----------------------------------------------------------------------

    def consumer(
        self, bus: MessageBus, effects: _Effects, tracker: MemoryTracker, **options: object
    ) -> Consumer:
        """A consumer of group ``g`` named ``c1`` that does not wait for new entries."""
        kwargs: dict[str, object] = {"block": 0, **options}
        return Consumer(bus, "g", str(kwargs.pop("name", "c1")), effects, tracker, **kwargs)  # type: ignore[arg-type]

    def test_the_consumer_applies_each_event_once(self, bus: MessageBus) -> None:
        """Entries delivered again (pending, re-published) are skipped as duplicates."""
        effects, tracker = _Effects(), MemoryTracker()
        consumer = self.consumer(bus, effects, tracker)
        bus.publish(envelopes("S1", range(1, 4)))
        assert consumer.poll().applied == 3
        assert bus.pending("g") == 0
        # the same events again, as a restarted relay of another store would send them
        bus.publish(envelopes("S1", range(1, 4), start=4))
        progress = consumer.poll()
        assert (progress.applied, progress.duplicates) == (0, 3)
        assert effects.applied == [("S1", 1), ("S1", 2), ("S1", 3)]
        assert tracker.last("S1") == 3

    def test_a_restarted_consumer_skips_what_it_applied_before_acknowledging(
        self, bus: MessageBus
    ) -> None:
        """Effects done but not acknowledged (a crash) are recognised after a restart."""
        effects, tracker = _Effects(), MemoryTracker()
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 5)))
        for d in bus.read("g", "c1", count=2):  # applied, then the consumer died
            assert d.envelope is not None
            tracker.apply(d.envelope, effects)
        restarted = self.consumer(bus, effects, tracker)
        progress = restarted.poll()
        assert (progress.applied, progress.duplicates) == (2, 2)
        assert effects.applied == [("S1", v) for v in range(1, 5)]
        assert bus.pending("g") == 0

    def test_another_consumer_claims_a_dead_consumers_entries(self, bus: MessageBus) -> None:
        """Pending entries of a dead consumer are claimed and applied exactly once."""
        effects, tracker = _Effects(), MemoryTracker()
        bus.create_group("g")
        bus.publish(envelopes("S1", range(1, 4)))
        first = bus.read("g", "dead", count=3)[0]
        assert first.envelope is not None
        tracker.apply(first.envelope, effects)  # applied before it died
        other = self.consumer(bus, effects, tracker, name="c2", claim_idle=0)
        progress = other.poll()
        assert (progress.applied, progress.duplicates) == (2, 1)
        assert effects.applied == [("S1", 1), ("S1", 2), ("S1", 3)]
        assert bus.pending("g") == 0

    def test_a_gap_is_filled_from_the_store(self, bus: MessageBus) -> None:
        """A version more than one above the last applied: the missing ones come from the store."""
        store = MemoryEventStore()
        stored = store.append(
            "S1", sealed([MemberUnfiled(f"P{i}") for i in range(1, 6)]), expected_version=0
        )
        bus.publish([stored[0], stored[3], stored[4]])  # 2 and 3 never reached the bus
        effects, tracker = _Effects(), MemoryTracker()
        progress = self.consumer(bus, effects, tracker, store=store).poll()
        assert (progress.applied, progress.repaired) == (5, 2)
        assert effects.applied == [("S1", v) for v in range(1, 6)]

    def test_without_a_store_a_gap_is_a_failure_left_pending(self, bus: MessageBus) -> None:
        """A gap with no store to read from fails; the entry stays pending."""
        bus.publish(envelopes("S1", range(3, 4)))
        effects = _Effects()
        progress = self.consumer(bus, effects, MemoryTracker()).poll()
        assert progress.failed == 1
        assert "GapError" in progress.errors[0]
        assert effects.applied == []
        assert bus.pending("g") == 1

    def test_an_entry_that_keeps_failing_goes_to_the_dead_letters(self, bus: MessageBus) -> None:
        """After ``max_deliveries`` failed deliveries the entry is dead-lettered."""
        effects, tracker = _Effects(failing={("S2", 1)}), MemoryTracker()
        consumer = self.consumer(bus, effects, tracker, max_deliveries=3)
        bus.publish(envelopes("S2", range(1, 2)) + envelopes("S3", range(1, 2), start=2))
        rounds = [consumer.poll() for _ in range(4)]
        assert [r.failed for r in rounds] == [1, 1, 1, 0]
        assert rounds[-1].dead == 1
        (dead,) = bus.dead_letters()
        assert dead.original_id == "1-0"
        assert "cannot apply" in dead.reason
        assert effects.applied == [("S3", 1)]
        assert bus.pending("g") == 0

    def test_an_entry_that_is_not_an_envelope_goes_to_the_dead_letters(
        self, bus: MessageBus
    ) -> None:
        """An undecodable entry is dead-lettered at once, the next ones applied."""
        self.publish_raw(bus, 1, {"colour": "red"})
        bus.publish(envelopes("S1", range(1, 2), start=2))
        effects = _Effects()
        progress = self.consumer(bus, effects, MemoryTracker()).poll()
        assert (progress.dead, progress.applied) == (1, 1)
        assert "envelope" in bus.dead_letters()[0].reason

    def test_the_relay_publishes_what_the_store_has_past_the_bus(self, bus: MessageBus) -> None:
        """A crash between append and publish is repaired by the next publish."""
        store = MemoryEventStore()
        relay = Relay(store, bus, batch=2)
        store.append("S1", sealed([MemberUnfiled("P1")], tag="a"), expected_version=0)
        assert relay.publish() == 1
        # appended, then the writer died before publishing: nothing reached the bus
        store.append("S1", sealed([MemberUnfiled(f"P{i}") for i in range(5)], tag="b"),
                     expected_version=1)  # fmt: skip
        assert relay.lag() == 5
        assert relay.publish() == 5
        assert relay.publish() == 0
        assert relay.lag() == 0
        effects = _Effects()
        self.consumer(bus, effects, MemoryTracker()).poll()
        assert effects.applied == [("S1", v) for v in range(1, 7)]

    def test_polling_until_idle(self, bus: MessageBus) -> None:
        """``run(until_idle=True)`` stops once a round finds nothing."""
        bus.publish(envelopes("S1", range(1, 4)))
        effects = _Effects()
        total = self.consumer(bus, effects, MemoryTracker(), batch=1).run(until_idle=True)
        assert total.applied == 3
