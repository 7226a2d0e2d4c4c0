"""The application service: open, run, validate, append, publish; conflicts and retries."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

import gridgov
from gridgov.adapters.messaging.memory import MemoryBus
from gridgov.adapters.storage.memory import MemoryEventStore
from gridgov.adapters.storage.sql import SQLEventStore
from gridgov.envelope import Envelope
from gridgov.errors import (
    BusError,
    ConcurrencyError,
    DeliveryWarning,
    InvalidValueError,
    StoreError,
    UnknownReferenceError,
    ValidationError,
)
from gridgov.io import dump
from gridgov.model import (
    Jurisdiction,
    MemberTransferred,
    Organization,
    OrganizationFounded,
    ZoneClaimed,
    ZoneReleased,
)
from gridgov.model.values import Claim
from gridgov.service import DEFAULT_STORE_URL, Service, default_store_url

T0 = dt.datetime(2021, 11, 22, 8, 0, tzinfo=dt.UTC)


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def ids() -> Callable[[], str]:
    counter = iter(range(1, 1 << 30))
    return lambda: f"ev-{next(counter)}"


@pytest.fixture
def service(five_level: Jurisdiction) -> Service:
    s = Service(MemoryEventStore(), MemoryBus(), clock=Clock(), event_ids=ids(), actor="admin")
    s.import_jurisdiction("S1", five_level)
    return s


def relocation(j: Jurisdiction) -> None:
    """P4 moves from G2 to G1: the transfer, the old zone released, a zone claimed."""
    j.transfer_member("P4", "G1")
    j.release_zone("P4", "Z3")
    j.claim_zone("P4", "Z2")


# -- opening -------------------------------------------------------------------------------


def test_import_then_open_gives_an_equal_jurisdiction(
    service: Service, five_level: Jurisdiction
) -> None:
    j = service.open("S1")
    assert j == five_level
    assert j.version == five_level.version
    assert service.store.version("S1") == five_level.version
    assert len(j.log) == 0  # the store keeps the log


def test_opening_from_a_snapshot_equals_a_full_replay(
    service: Service, five_level: Jurisdiction
) -> None:
    service.snapshot("S1")
    service.execute("S1", relocation)
    fresh = Service(service.store)
    from_snapshot = fresh.load("S1")
    assert from_snapshot.log_start == five_level.version  # started from the snapshot
    replayed = fresh.load("S1", snapshots=False)
    assert replayed.log_start == 0
    assert from_snapshot == replayed == service.open("S1")
    assert from_snapshot.version == replayed.version == five_level.version + 3


def test_load_at_a_version(service: Service, five_level: Jurisdiction) -> None:
    service.execute("S1", relocation)
    assert service.load("S1", version=five_level.version) == five_level
    assert service.load("S2").version == 0
    with pytest.raises(InvalidValueError):
        service.load("S1", version=-1)
    with pytest.raises(InvalidValueError, match="only at version"):
        service.load("S1", version=five_level.version + 4)
    with pytest.raises(InvalidValueError):
        service.execute("S1", relocation, expected_version=True)


def test_an_unknown_stream_opens_empty(service: Service) -> None:
    assert service.open("S9") == Jurisdiction()


# -- executing -----------------------------------------------------------------------------


def test_a_command_is_validated_appended_and_published(
    service: Service, five_level: Jurisdiction
) -> None:
    base = five_level.version
    out = service.execute("S1", relocation, actor="secretary-li")
    assert (out.before, out.version) == (base, base + 3)
    assert [e.topic for e in out.envelopes] == ["MemberTransferred", "ZoneReleased", "ZoneClaimed"]
    assert [e.version for e in out.envelopes] == [base + 1, base + 2, base + 3]
    assert {e.actor for e in out.envelopes} == {"secretary-li"}
    assert out.envelopes[0].recorded_at > T0
    assert out.published is True
    assert service.bus is not None
    assert service.bus.last_published() == out.envelopes[-1].position
    assert out.report.diagnostics == gridgov.validate(service.open("S1")).diagnostics
    assert service.open("S1").filed_in("P4") == "G1"


def test_events_and_a_single_event_run_too(service: Service) -> None:
    base = service.open("S1").version
    out = service.execute(
        "S1",
        [MemberTransferred("P4", "G1"), ZoneReleased("P4", "Z3"), ZoneClaimed(Claim("P4", "Z2"))],
    )
    assert out.version == base + 3
    one = service.execute("S1", OrganizationFounded(Organization("Z9", "zone", "新区", "G3")))
    assert one.version == base + 4


def test_the_findings_a_change_brings_are_reported(service: Service) -> None:
    before = service.report("S1")
    out = service.execute("S1", lambda j: j.found_org("G9", "group", "新党小组", parent="B2"))
    assert [d.code for d in out.introduced] == ["GG307"]
    assert set(out.report) - set(before) == set(out.introduced)
    assert service.report("S1") == out.report


def test_a_change_refused_by_integrity_stores_nothing(service: Service) -> None:
    before = (dump(service.open("S1")), service.store.position(), service.report("S1"))
    with pytest.raises(UnknownReferenceError):
        service.execute("S1", [MemberTransferred("P4", "G1"), MemberTransferred("P4", "G99")])
    after = (dump(service.open("S1")), service.store.position(), service.report("S1"))
    assert after == before


def test_refusing_new_errors(five_level: Jurisdiction) -> None:
    service = Service(MemoryEventStore(), refuse="error")
    service.import_jurisdiction("S1", five_level)
    before = (dump(service.open("S1")), service.store.position())
    with pytest.raises(ValidationError) as info:
        service.execute("S1", lambda j: j.found_org("G9", "group", "新党小组", parent="B2"))
    assert [d.code for d in info.value.diagnostics] == ["GG307"]
    assert (dump(service.open("S1")), service.store.position()) == before
    # a change that brings no new error goes through
    ok = service.execute("S1", lambda j: j.rename_org("G3", "石马第一党小组"))
    assert ok.version == five_level.version + 1


def test_a_change_that_applies_nothing_stores_nothing(service: Service) -> None:
    out = service.execute("S1", lambda j: "nothing to do")
    assert out.envelopes == ()
    assert out.result == "nothing to do"
    assert out.version == service.store.version("S1")


def test_bad_changes_and_options_are_refused(service: Service) -> None:
    with pytest.raises(InvalidValueError):
        service.execute("S1", "MemberFiled")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        service.execute("S1", [1, 2])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError):
        service.execute("", [])
    with pytest.raises(InvalidValueError):
        Service("memory://", clock="now")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Service("memory://", snapshot_every=0)
    with pytest.raises(gridgov.GridGovError):
        Service("memory://", select=["XX999"])


def test_a_naive_clock_is_refused(five_level: Jurisdiction) -> None:
    service = Service("memory://", clock=lambda: dt.datetime(2021, 11, 22))
    with pytest.raises(InvalidValueError, match="clock"):
        service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
    assert service.store.position() == 0


# -- concurrency -----------------------------------------------------------------------------


def test_expected_version_is_checked(service: Service) -> None:
    version = service.open("S1").version
    with pytest.raises(ConcurrencyError) as info:
        service.execute("S1", relocation, expected_version=version - 1)
    assert (info.value.expected, info.value.actual, info.value.stream) == (
        version - 1,
        version,
        "S1",
    )
    assert service.execute("S1", relocation, expected_version=version).version == version + 3


def test_another_writers_events_are_caught_up_before_a_change(service: Service) -> None:
    other = Service(service.store)
    other.execute("S1", relocation)
    out = service.execute("S1", lambda j: j.rename_org("G1", "第一党小组(合并)"))
    j = service.open("S1")
    assert j.filed_in("P4") == "G1"
    assert j.organizations["G1"].name == "第一党小组(合并)"
    assert out.report.diagnostics == gridgov.validate(j).diagnostics


def test_two_writers_in_threads_one_wins_the_other_retries(five_level: Jurisdiction) -> None:
    store = MemoryEventStore()
    Service(store).import_jurisdiction("S1", five_level)
    a, b = Service(store, actor="a"), Service(store, actor="b")
    a.open("S1"), b.open("S1")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def write(service: Service, name: str, person: str) -> None:
        def command(j: Jurisdiction) -> None:
            j.add_person(person, name, status="full")

        j = service.open("S1")
        version = j.version
        barrier.wait()
        try:
            service.execute("S1", command, expected_version=version)
            results[name] = "won"
        except ConcurrencyError:
            results[name] = "conflict"
            results[name + "-retry"] = service.execute_with_retry("S1", command).version

    threads = [
        threading.Thread(target=write, args=(a, "a", "P100")),
        threading.Thread(target=write, args=(b, "b", "P200")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v for k, v in results.items() if not k.endswith("retry")) == ["conflict", "won"]
    events = store.read("S1")
    assert [e.version for e in events] == list(range(1, five_level.version + 3))
    added = [e.event() for e in events[five_level.version :]]
    assert sorted(e.person.id for e in added) == ["P100", "P200"]  # type: ignore[attr-defined]
    assert a.open("S1") == b.open("S1") == Service(store).load("S1")


def test_execute_with_retry_gives_up_after_its_attempts(service: Service) -> None:
    store = service.store

    def command(j: Jurisdiction) -> None:
        # another writer appends between this service's read and its append
        Service(store).execute("S1", lambda k: k.rename_org("S1", f"{time.monotonic_ns()}"))
        j.rename_org("G1", "x")

    with pytest.raises(ConcurrencyError):
        service.execute_with_retry("S1", command, attempts=2)
    with pytest.raises(InvalidValueError):
        service.execute_with_retry("S1", command, attempts=0)


POSTGRES_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from gridgov.errors import ConcurrencyError
    from gridgov.service import Service

    url, name, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    service = Service(url, actor=name)
    version = service.open("S1").version
    (folder / f"{name}.ready").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    command = lambda j: j.add_person(f"P-{name}", name, status="full")
    try:
        service.execute("S1", command, expected_version=version)
        print("won")
    except ConcurrencyError:
        print("conflict", service.execute_with_retry("S1", command).version)
    service.close()
    """
)


def test_two_writers_in_processes_on_postgres(
    postgres_store_url: str, tmp_path: Path, five_level: Jurisdiction
) -> None:
    """Two processes decide on the same version: one wins, the other conflicts and retries."""
    setup = Service(postgres_store_url)
    setup.import_jurisdiction("S1", five_level)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", POSTGRES_WRITER, postgres_store_url, name, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"{n}.ready").exists() for n in ("a", "b")):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    words = sorted(out.split()[0] for out, _ in outputs)
    assert words == ["conflict", "won"]
    events = setup.store.read("S1")
    assert [e.version for e in events] == list(range(1, five_level.version + 3))
    added = sorted(e.event().person.id for e in events[five_level.version :])  # type: ignore[attr-defined]
    assert added == ["P-a", "P-b"]
    setup.store.drop()  # type: ignore[attr-defined]
    setup.close()


# -- snapshots, publishing -----------------------------------------------------------------


def test_snapshots_every_n_events(five_level: Jurisdiction) -> None:
    service = Service(MemoryEventStore(), snapshot_every=3)
    service.import_jurisdiction("S1", five_level)
    service.execute("S1", lambda j: j.rename_org("G1", "a"))
    assert service.store.snapshot("S1") is not None  # 1 event past a store with no snapshot
    first = service.store.snapshot("S1")
    assert first is not None
    service.execute("S1", lambda j: j.rename_org("G1", "b"))
    assert service.store.snapshot("S1") == first
    service.execute("S1", relocation)
    latest = service.store.snapshot("S1")
    assert latest is not None
    assert latest.version == first.version + 4
    assert Service(service.store).load("S1") == service.open("S1")


class Broken(MemoryBus):
    """A bus that does not answer while `down` is true."""

    down = True

    def publish(self, envelopes: Sequence[Envelope]) -> int:
        if self.down:
            raise BusError(self.url, "cannot reach Redis: connection refused")
        return super().publish(envelopes)


def test_a_bus_that_does_not_answer_loses_nothing(five_level: Jurisdiction) -> None:
    bus = Broken()
    service = Service(MemoryEventStore(), bus)
    with pytest.warns(DeliveryWarning, match="the change is stored"):
        service.import_jurisdiction("S1", five_level)
    with pytest.warns(DeliveryWarning):
        out = service.execute("S1", relocation)
    assert out.published is False
    assert out.version == five_level.version + 3
    assert bus.last_published() == 0
    bus.down = False
    assert service.publish() == five_level.version + 3
    assert [int(e["version"]) for e in bus.entries()] == list(range(1, out.version + 1))


def test_publish_needs_a_bus() -> None:
    with pytest.raises(InvalidValueError, match="no message bus"):
        Service("memory://").publish()


# -- the host's transaction ----------------------------------------------------------------


def test_a_change_joins_the_hosts_transaction(tmp_path: Path, five_level: Jurisdiction) -> None:
    store = SQLEventStore(f"sqlite:///{tmp_path / 'host.db'}")
    bus = MemoryBus()
    service = Service(store, bus)
    service.import_jurisdiction("S1", five_level)
    base = five_level.version
    with store.transaction() as conn:
        out = service.execute("S1", relocation, connection=conn)
        assert out.published is None
    assert store.version("S1") == base + 3
    assert service.open("S1").filed_in("P4") == "G1"
    service.publish()
    assert bus.last_published() == store.position()

    def rolled_back() -> None:
        with store.transaction() as conn:
            service.execute("S1", lambda j: j.rename_org("G1", "x"), connection=conn)
            raise RuntimeError("the host's own work failed")

    with pytest.raises(RuntimeError):
        rolled_back()
    assert store.version("S1") == base + 3
    assert service.open("S1").organizations["G1"].name == "第一党小组"  # opened again
    assert service.execute("S1", lambda j: j.rename_org("G1", "y")).version == base + 4
    store.close()


def test_a_jurisdiction_changed_behind_the_services_back_is_opened_again(
    service: Service, five_level: Jurisdiction
) -> None:
    service.open("S1").rename_org("G1", "not stored")
    out = service.execute("S1", lambda j: j.rename_org("G2", "stored"))
    j = service.open("S1")
    assert j.organizations["G1"].name == "第一党小组"
    assert j.organizations["G2"].name == "stored"
    assert out.version == five_level.version + 1


# -- importing -----------------------------------------------------------------------------


def test_importing_into_an_existing_stream_needs_replace(
    service: Service, five_level: Jurisdiction
) -> None:
    with pytest.raises(InvalidValueError, match="replace"):
        service.import_jurisdiction("S1", five_level)
    changed = five_level.copy()
    relocation(changed)
    out = service.import_jurisdiction("S1", changed, replace=True)
    assert [e.topic for e in out.envelopes] == ["ZoneReleased", "MemberTransferred", "ZoneClaimed"]
    assert service.open("S1") == changed
    assert service.import_jurisdiction("S1", changed, replace=True).envelopes == ()


def test_replacing_with_another_scheme_is_refused(
    service: Service, three_level: Jurisdiction
) -> None:
    with pytest.raises(InvalidValueError, match="scheme"):
        service.import_jurisdiction("S1", three_level, replace=True)


def test_a_jurisdiction_with_a_cut_log_is_imported_from_its_state(
    five_level: Jurisdiction,
) -> None:
    cut = five_level.copy()
    cut.forget_log()
    service = Service("memory://")
    service.import_jurisdiction("S1", cut)
    assert service.open("S1") == five_level


# -- defaults ------------------------------------------------------------------------------


def test_the_default_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GRIDGOV_STORE", raising=False)
    assert default_store_url() == DEFAULT_STORE_URL == "sqlite:///gridgov.db"
    monkeypatch.chdir(tmp_path)
    service = Service()
    service.execute("S1", lambda j: j.found_org("S1", "street", "S"))
    service.close()
    assert (tmp_path / "gridgov.db").exists()
    monkeypatch.setenv("GRIDGOV_STORE", "memory://")
    assert Service().store.url == "memory://"


def test_a_store_or_bus_url_no_plugin_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StoreError, match="no plugin opens this URL"):
        Service("mongodb://h/db")
    with pytest.raises(BusError, match="no plugin opens this URL"):
        Service("memory://", "kafka://h")
    with pytest.raises(InvalidValueError):
        Service(object())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Service("memory://", object())  # type: ignore[arg-type]


def test_a_url_at_fault_is_named_by_the_services_argument() -> None:
    with pytest.raises(StoreError) as store:
        Service("mongodb://u:secret@h/db")
    assert (store.value.field, str(store.value)) == (
        "store",
        "store: mongodb://u:***@h/db: no plugin opens this URL; gridgov opens memory://, "
        "sqlite:///FILE and postgresql+psycopg://USER@HOST/DB",
    )
    with pytest.raises(BusError) as bus:
        Service("memory://", "redis\x00://h")
    assert bus.value.field == "bus"
    assert "control characters" in str(bus.value)


def test_every_argument_is_checked_before_a_store_is_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for bad in ({"ids": "sequential"}, {"plugin_manager": "gridgov"}, {"actor": "a\ud800"}):
        with pytest.raises(InvalidValueError) as info:
            Service("sqlite:///gridgov.db", **bad)  # type: ignore[arg-type]
        assert info.value.field == next(iter(bad))
    assert list(tmp_path.iterdir()) == []  # no database was created


def test_a_store_the_service_opened_is_closed_when_the_bus_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed: list[str] = []
    monkeypatch.setattr(MemoryEventStore, "close", lambda self: closed.append(self.url))
    with pytest.raises(BusError):
        Service("memory://", "kafka://h")
    assert closed == ["memory://"]


def test_repr_and_context_manager() -> None:
    with Service("memory://", "memory://") as service:
        assert repr(service) == "<Service memory:// -> memory://>"
