"""The storage and messaging hooks: built-ins by name, a host's backend, missing extras."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gridgov import hookimpl, plugins
from gridgov.adapters.messaging.memory import MemoryBus
from gridgov.adapters.storage.memory import MemoryEventStore
from gridgov.errors import BusError, StoreError


def test_the_built_in_backends_are_plugins_registered_by_name() -> None:
    pm = plugins.new_plugin_manager(autoload=False)
    names = {name for name, _ in pm.list_name_plugin()}
    assert {"gridgov.store.memory", "gridgov.store.sql", "gridgov.bus.memory",
            "gridgov.bus.redis"} <= names  # fmt: skip
    assert type(plugins.event_store("memory://", pm)).__name__ == "MemoryEventStore"
    assert type(plugins.event_store("sqlite://", pm)).__name__ == "SQLEventStore"
    assert type(plugins.message_bus("memory://", pm)).__name__ == "MemoryBus"
    assert type(plugins.message_bus("redis://127.0.0.1:6379/0", pm)).__name__ == "RedisBus"


def test_a_hosts_plugin_adds_a_backend_and_can_override_a_built_in_one() -> None:
    mine = MemoryEventStore("mine")

    class HostPlugin:
        @hookimpl(tryfirst=True)
        def gridgov_event_store(self, url: str) -> MemoryEventStore | None:
            return mine if url.startswith(("dynamo://", "sqlite://")) else None

        @hookimpl
        def gridgov_message_bus(self, url: str) -> MemoryBus | None:
            return MemoryBus("kafka") if url.startswith("kafka://") else None

    pm = plugins.new_plugin_manager(autoload=False)
    pm.register(HostPlugin(), "host")
    assert plugins.event_store("dynamo://table", pm) is mine
    assert plugins.event_store("sqlite:///gridgov.db", pm) is mine  # first result wins
    assert plugins.message_bus("kafka://broker", pm).url == "memory://kafka"
    pm.set_blocked("gridgov.store.memory")
    with pytest.raises(StoreError, match="no plugin opens this URL"):
        plugins.event_store("memory://", pm)


def test_urls_nobody_opens_are_one_line_errors_hiding_passwords() -> None:
    with pytest.raises(StoreError) as info:
        plugins.event_store("oracle://scott:tiger@db/orcl")
    assert "tiger" not in str(info.value)
    assert "oracle://scott:***@db/orcl" in str(info.value)
    with pytest.raises(BusError):
        plugins.message_bus("nats://h")
    with pytest.raises(StoreError):
        plugins.event_store("")


@pytest.mark.parametrize(
    ("blocked", "code", "extra"),
    [
        ("sqlalchemy", "plugins.event_store('sqlite:///x.db')", "gridgov[sql]"),
        ("redis", "plugins.message_bus('redis://127.0.0.1:6379/0')", "gridgov[redis]"),
        ("ulid", "UlidIds()", "gridgov[ids]"),
    ],
)
def test_a_missing_extra_is_named_when_its_backend_is_asked_for(
    blocked: str, code: str, extra: str
) -> None:
    program = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "from gridgov import plugins\n"
        "from gridgov.adapters.ids import UlidIds\n"
        "pm = plugins.new_plugin_manager(autoload=False)  # the manager works without it\n"
        "print(plugins.event_store('memory://', pm).url)\n"
        "try:\n"
        f"    {code}\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()
    assert first == "memory://"
    assert second.startswith("MissingDependencyError")
    assert extra in second
