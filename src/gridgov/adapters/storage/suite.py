"""The test suite every event store passes: subclass :class:`EventStoreTestCase`.

gridgov runs it on each of its backends (memory, SQLite, PostgreSQL), and a host's
plugin that adds a backend runs it on its own (it needs pytest)::

    from gridgov.adapters.storage.suite import EventStoreTestCase

    class TestDynamoStore(EventStoreTestCase):
        def create_store(self):
            return DynamoEventStore(url_of_a_fresh_table())

    del EventStoreTestCase  # collected once, through the subclass

:meth:`~EventStoreTestCase.create_store` returns a new, empty store for each test;
:meth:`~EventStoreTestCase.other_store` a second handle on the same database (another
connection pool; the same object by default), for the tests with concurrent writers.

Examples
--------
>>> from gridgov.adapters.storage.memory import MemoryEventStore
>>> class Suite(EventStoreTestCase):
...     def create_store(self):
...         return MemoryEventStore()
>>> Suite().create_store().url
'memory://'
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence

import pytest

from gridgov.adapters.storage import EventStore, Snapshot
from gridgov.envelope import Envelope, NewEvent, seal
from gridgov.errors import ConcurrencyError, InvalidValueError
from gridgov.io import dump
from gridgov.model.events import Event, MemberUnfiled, OrganizationRenamed
from gridgov.model.jurisdiction import Jurisdiction

__all__ = ["EventStoreTestCase", "sealed"]

AT = dt.datetime(2021, 11, 22, 8, 30, 15, 123456, tzinfo=dt.UTC)


def sealed(
    events: Sequence[Event], *, tag: str = "e", actor: str | None = "admin", at: dt.datetime = AT
) -> list[NewEvent]:
    """Seal `events` with ids ``<tag>-1, <tag>-2, ...``, recorded at `at` by `actor`.

    Examples
    --------
    >>> [n.event_id for n in sealed([MemberUnfiled("P1"), MemberUnfiled("P2")], tag="x")]
    ['x-1', 'x-2']
    """
    return [
        seal(e, event_id=f"{tag}-{i}", recorded_at=at, actor=actor)
        for i, e in enumerate(events, start=1)
    ]


def _unfiled(n: int, tag: str) -> list[NewEvent]:
    return sealed([MemberUnfiled(f"P{i}") for i in range(1, n + 1)], tag=tag)


class EventStoreTestCase:
    """The shared suite: each test gets a new store from :meth:`create_store`."""

    def create_store(self) -> EventStore:
        """Return a new, empty store (each subclass implements it)."""
        raise NotImplementedError

    def other_store(self, store: EventStore) -> EventStore:
        """Return a second handle on `store`'s database, for concurrent writers."""
        return store

    @pytest.fixture
    def store(self) -> Iterator[EventStore]:
        """A new store, closed after the test (with the other handles the test opened)."""
        s = self.create_store()
        self._opened = [s]
        try:
            yield s
        finally:
            for opened in self._opened:
                opened.close()

    def _other(self, store: EventStore) -> EventStore:
        other = self.other_store(store)
        if other is not store:
            self._opened.append(other)
        return other

    # -- append and read -------------------------------------------------------------------

    def test_a_new_store_is_empty(self, store: EventStore) -> None:
        """Nothing stored: version 0, position 0, no stream, no snapshot."""
        assert store.version("S1") == 0
        assert store.position() == 0
        assert store.streams() == {}
        assert store.read("S1") == []
        assert store.read_all() == []
        assert store.snapshot("S1") is None

    def test_append_gives_versions_and_positions_and_keeps_every_field(
        self, store: EventStore
    ) -> None:
        """Appended events come back with their versions, positions and metadata."""
        events = [OrganizationRenamed("S1", "均禾街党工委"), MemberUnfiled("P1")]
        stored = store.append("S1", sealed(events), expected_version=0)
        assert [(e.stream, e.version) for e in stored] == [("S1", 1), ("S1", 2)]
        assert stored[0].position < stored[1].position
        read = store.read("S1")
        assert read == stored
        first = read[0]
        assert first.event_id == "e-1"
        assert first.topic == "OrganizationRenamed"
        assert first.schema_version == 1
        assert first.recorded_at == AT
        assert first.recorded_at.utcoffset() == dt.timedelta(0)
        assert first.actor == "admin"
        assert [e.event() for e in read] == events
        assert store.version("S1") == 2
        assert store.position() == stored[-1].position

    def test_no_actor_is_kept_as_none(self, store: EventStore) -> None:
        """An event recorded without an actor is read back without one."""
        store.append("S1", sealed([MemberUnfiled("P1")], actor=None), expected_version=0)
        assert store.read("S1")[0].actor is None

    def test_read_after_upto_and_limit(self, store: EventStore) -> None:
        """``read`` selects by version; ``iter_stream`` pages through."""
        store.append("S1", _unfiled(7, "a"), expected_version=0)
        assert [e.version for e in store.read("S1", after=2, upto=5)] == [3, 4, 5]
        assert [e.version for e in store.read("S1", after=5, limit=10)] == [6, 7]
        assert [e.version for e in store.read("S1", limit=2)] == [1, 2]
        assert [e.version for e in store.iter_stream("S1", after=1, page=2)] == [2, 3, 4, 5, 6, 7]
        assert [e.version for e in store.iter_stream("S1", upto=3, page=2)] == [1, 2, 3]
        assert store.read("S1", after=7) == []

    def test_streams_have_their_own_versions_and_share_positions(self, store: EventStore) -> None:
        """Versions count per stream; positions order the whole store."""
        store.append("S1", _unfiled(2, "a"), expected_version=0)
        store.append("S2", _unfiled(3, "b"), expected_version=0)
        store.append("S1", _unfiled(1, "c"), expected_version=2)
        assert store.streams() == {"S1": 3, "S2": 3}
        everything = store.read_all()
        assert [(e.stream, e.version) for e in everything] == [
            ("S1", 1),
            ("S1", 2),
            ("S2", 1),
            ("S2", 2),
            ("S2", 3),
            ("S1", 3),
        ]
        positions = [e.position for e in everything]
        assert positions == sorted(set(positions))
        assert [e.position for e in store.read_all(after=positions[2], limit=2)] == positions[3:5]
        assert [e.position for e in store.iter_all(page=4)] == positions

    # -- optimistic concurrency ------------------------------------------------------------

    def test_a_writer_behind_the_stream_gets_a_concurrency_error_and_writes_nothing(
        self, store: EventStore
    ) -> None:
        """Expecting an older version is refused, the whole batch with it."""
        store.append("S1", _unfiled(2, "a"), expected_version=0)
        before = store.read_all()
        with pytest.raises(ConcurrencyError) as info:
            store.append("S1", _unfiled(3, "b"), expected_version=1)
        assert (info.value.expected, info.value.actual, info.value.stream) == (1, 2, "S1")
        assert store.read_all() == before
        assert store.version("S1") == 2

    def test_a_writer_ahead_of_the_stream_gets_a_concurrency_error(self, store: EventStore) -> None:
        """Expecting a version the stream never reached is refused (no gap is made)."""
        store.append("S1", _unfiled(1, "a"), expected_version=0)
        with pytest.raises(ConcurrencyError) as info:
            store.append("S1", _unfiled(1, "b"), expected_version=5)
        assert (info.value.expected, info.value.actual) == (5, 1)
        with pytest.raises(ConcurrencyError):
            store.append("S2", _unfiled(1, "c"), expected_version=1)
        assert store.streams() == {"S1": 1}

    def test_an_empty_batch_checks_the_version_and_writes_nothing(self, store: EventStore) -> None:
        """Appending nothing at the right version is a no-op; at a wrong one, a conflict."""
        assert store.append("S1", [], expected_version=0) == []
        with pytest.raises(ConcurrencyError):
            store.append("S1", [], expected_version=3)
        assert store.position() == 0

    def test_no_expected_version_appends_at_the_end(self, store: EventStore) -> None:
        """``expected_version=None`` appends wherever the stream is."""
        store.append("S1", _unfiled(2, "a"), expected_version=None)
        stored = store.append("S1", _unfiled(1, "b"), expected_version=None)
        assert [e.version for e in stored] == [3]

    def test_bad_arguments_are_refused(self, store: EventStore) -> None:
        """A bad stream, event or version is an InvalidValueError; nothing is written."""
        with pytest.raises(InvalidValueError):
            store.append("", _unfiled(1, "a"), expected_version=0)
        with pytest.raises(InvalidValueError):
            store.append("S1", [MemberUnfiled("P1")], expected_version=0)  # type: ignore[list-item]
        with pytest.raises(InvalidValueError):
            store.append("S1", _unfiled(1, "a"), expected_version=-1)
        with pytest.raises(InvalidValueError):
            store.append("S1", _unfiled(1, "a"), expected_version=True)
        with pytest.raises(InvalidValueError):
            store.read("S1", after=-1)
        with pytest.raises(InvalidValueError):
            store.read_all(limit=0)
        assert store.position() == 0

    @pytest.mark.parametrize("stream", ["S\ud800", "S\x001", "S\n1", "x" * 201])
    def test_a_stream_no_database_can_hold_is_refused(self, store: EventStore, stream: str) -> None:
        """A lone surrogate, a control character or a name too long: refused by every
        backend alike, before anything is written or read."""
        store.append("S1", _unfiled(1, "a"), expected_version=0)
        for call in (
            lambda: store.append(stream, _unfiled(1, "b"), expected_version=0),
            lambda: store.read(stream),
            lambda: store.version(stream),
            lambda: store.snapshot(stream),
            lambda: store.iter_stream(stream),
        ):
            with pytest.raises(InvalidValueError) as info:
                call()
            assert info.value.field == "stream"
        assert store.streams() == {"S1": 1}

    def test_numbers_beyond_64_bits_are_refused(self, store: EventStore) -> None:
        """A version, position or limit no database column holds is refused by name (SQLite
        would overflow, PostgreSQL report an error without naming the argument)."""
        store.append("S1", _unfiled(1, "a"), expected_version=0)
        huge = 2**63
        for name, call in (
            ("after", lambda: store.read("S1", after=huge)),
            ("upto", lambda: store.read("S1", upto=huge)),
            ("limit", lambda: store.read("S1", limit=huge)),
            ("after", lambda: store.read_all(after=huge)),
            ("upto", lambda: store.snapshot("S1", upto=huge)),
            ("expected_version", lambda: store.append("S1", [], expected_version=huge)),
            ("page", lambda: store.iter_stream("S1", page=huge)),
            ("page", lambda: store.iter_all(page=0)),
        ):
            with pytest.raises(InvalidValueError) as info:
                call()
            assert info.value.field == name
        assert [e.version for e in store.read("S1", after=0, upto=2**63 - 1)] == [1]
        assert store.position() == 1

    # -- concurrent writers ----------------------------------------------------------------

    def test_two_writers_on_one_stream_one_wins_the_other_retries(self, store: EventStore) -> None:
        """Both read version 1; one append wins, the other conflicts, retries, and lands."""
        other = self._other(store)
        store.append("S1", _unfiled(1, "base"), expected_version=0)
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def write(s: EventStore, tag: str) -> None:
            seen = s.version("S1")
            barrier.wait()
            try:
                s.append("S1", _unfiled(2, tag), expected_version=seen)
                outcomes[tag] = "won"
            except ConcurrencyError:
                outcomes[tag] = "conflict"
                s.append("S1", _unfiled(2, tag), expected_version=s.version("S1"))

        threads = [
            threading.Thread(target=write, args=(s, tag)) for s, tag in ((store, "x"), (other, "y"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes.values()) == ["conflict", "won"]
        events = store.read("S1")
        assert [e.version for e in events] == [1, 2, 3, 4, 5]
        ids = [e.event_id for e in events]
        assert sorted(ids) == sorted(["base-1", "x-1", "x-2", "y-1", "y-2"])
        assert len(set(ids)) == len(ids)

    def test_positions_never_interleave_between_concurrent_writers(self, store: EventStore) -> None:
        """Batches written at the same time each get consecutive positions, in commit order."""
        other = self._other(store)
        batches, size = 20, 5

        def write(s: EventStore, stream: str) -> None:
            for k in range(batches):
                s.append(stream, _unfiled(size, f"{stream}{k}"), expected_version=k * size)

        threads = [
            threading.Thread(target=write, args=(s, name))
            for s, name in ((store, "S1"), (other, "S2"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        everything = store.read_all()
        assert len(everything) == 2 * batches * size
        for i in range(0, len(everything), size):  # each batch is one run of one stream
            run = everything[i : i + size]
            assert len({e.stream for e in run}) == 1
            assert [e.version for e in run] == list(range(run[0].version, run[0].version + size))
        for stream in ("S1", "S2"):
            assert [e.version for e in store.read(stream)] == list(range(1, batches * size + 1))

    def test_a_reader_following_positions_misses_nothing(self, store: EventStore) -> None:
        """A reader going on from the last position it saw, while writers write, sees all."""
        other = self._other(store)
        done = threading.Event()
        seen: list[Envelope] = []

        def follow() -> None:
            last = 0
            while True:
                finished = done.is_set()
                batch = other.read_all(after=last)
                seen.extend(batch)
                if batch:
                    last = batch[-1].position
                elif finished:
                    return

        def write(stream: str) -> None:
            for k in range(30):
                store.append(stream, _unfiled(2, f"{stream}{k}"), expected_version=None)

        reader = threading.Thread(target=follow)
        writers = [threading.Thread(target=write, args=(name,)) for name in ("S1", "S2", "S3")]
        reader.start()
        for t in writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        reader.join()
        assert [e.position for e in seen] == [e.position for e in store.read_all()]
        assert len(seen) == 180

    # -- snapshots -------------------------------------------------------------------------

    def test_snapshots_latest_and_upto(self, store: EventStore) -> None:
        """The latest snapshot, or the latest at or before a version; saved again, replaced."""
        store.append("S1", _unfiled(5, "a"), expected_version=0)
        j = Jurisdiction()
        j.found_org("S1", "street", "均禾街党工委")
        store.save_snapshot(Snapshot("S1", 2, {"gridgov": "1", "v": 2}, AT))
        store.save_snapshot(Snapshot("S1", 4, dump(j), AT))
        latest = store.snapshot("S1")
        assert latest is not None
        assert (latest.stream, latest.version, latest.document) == ("S1", 4, dump(j))
        assert latest.recorded_at == AT
        older = store.snapshot("S1", upto=3)
        assert older is not None
        assert older.version == 2
        assert store.snapshot("S1", upto=1) is None
        assert store.snapshot("S2") is None
        store.save_snapshot(Snapshot("S1", 2, {"gridgov": "1", "v": "again"}))
        again = store.snapshot("S1", upto=2)
        assert again is not None
        assert again.document == {"gridgov": "1", "v": "again"}

    def test_a_snapshot_beyond_the_stream_is_refused(self, store: EventStore) -> None:
        """A snapshot cannot claim a version the stream has not reached."""
        store.append("S1", _unfiled(1, "a"), expected_version=0)
        with pytest.raises(InvalidValueError):
            store.save_snapshot(Snapshot("S1", 2, {"gridgov": "1"}))
        assert store.snapshot("S1") is None

    # -- the round trip --------------------------------------------------------------------

    def round_trip_jurisdiction(self) -> Jurisdiction:
        """The jurisdiction of the round-trip test (a small street with every kind of record)."""
        j = Jurisdiction()
        j.add_person("P1", "邹波", status="full", categories=["street_cadre"])
        j.add_person("P5", "李四", status="full", categories=["residence_registered"])
        j.found_org("S1", "street", "均禾街党工委")
        j.found_org("C1", "community", "清湖联社党委", parent="S1")
        j.add_cooperative("EC1", "清湖第一经济社", community="C1")
        j.found_org("B1", "branch", "清湖第一经济社网格党支部", parent="C1", cooperative="EC1")
        j.found_org("G1", "group", "第一党小组", parent="B1")
        j.found_org("Z1", "zone", "1-3栋", parent="G1")
        j.add_household("H1", building="1栋")
        j.assign_household("H1", "Z1")
        j.register("P5", "C1", dt.date(2021, 9, 10))
        j.file_member("P5", "G1", dt.date(2021, 9, 12))
        j.claim_zone("P5", "Z1")
        j.appoint("B1", "first_secretary", "P1", appointed_by="S1")
        j.appoint("G1", "group_leader", "P5")
        j.set_as_of(dt.date(2021, 11, 22))
        return j

    def test_a_stored_log_replays_to_an_equal_jurisdiction(self, store: EventStore) -> None:
        """Every event survives the store: the replay equals the original."""
        j = self.round_trip_jurisdiction()
        store.append("S1", sealed(list(j.log)), expected_version=0)
        replayed = Jurisdiction.replay(e.event() for e in store.iter_stream("S1", page=4))
        assert replayed == j
        assert list(replayed.log) == list(j.log)
