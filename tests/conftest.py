"""Shared fixtures: small jurisdictions, and a check that a rejected event changed nothing.

Hypothesis profiles (select one with ``HYPOTHESIS_PROFILE=<name>``):

- ``gridgov-dev`` (default): a moderate number of examples, no deadline;
- ``gridgov-ci``: the same number, derandomized and without the example database;
- ``gridgov-thorough``: many more examples, for a nightly or a local deep run.

No profile sets a deadline: the suite makes no wall-clock assertions.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from gridgov import Jurisdiction, Role
from gridgov.io import dump

_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.filter_too_much]
settings.register_profile(
    "gridgov-dev", max_examples=30, deadline=None, suppress_health_check=_SUPPRESSED
)
settings.register_profile(
    "gridgov-ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile(
    "gridgov-thorough", max_examples=400, deadline=None, suppress_health_check=_SUPPRESSED
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gridgov-dev"))

D = dt.date


def build_five_level() -> Jurisdiction:
    """A small five-level street: two communities, two branches, three groups, three zones.

    ::

        S1 street
        ├── C1 community
        │   └── B1 branch (grid, on cooperative EC1)
        │       ├── G1 group   members P3, P5   zones Z1 (H1, H2), Z2
        │       │   ├── Z1 zone    claimed by P5
        │       │   └── Z2 zone    claimed by P5
        │       └── G2 group   member P4
        │           └── Z3 zone (H3)  claimed by P4
        └── C2 community
            └── B2 branch
                └── G3 group (empty)

    People: P1 street cadre (first secretary and grid leader of B1), P2 cooperative head
    (not a member; the other grid leader), P3 full member (B1 secretary, registered at
    C1), P4 probationary, P5 full member (G1 leader, registered at C1), P6 full member
    filed nowhere. Households H1-H3 in zones, H4 in none.
    """
    j = Jurisdiction()
    j.add_person(
        "P1",
        "邹波",
        status="full",
        categories=["street_cadre", "sunk"],
        affiliation="EXT-street-organ-branch",
    )
    j.add_person("P2", "某社长")
    j.add_person("P3", "王书记", status="full", categories=["village"])
    j.add_person("P4", "陈预备", status="probationary", categories=["employed"])
    j.add_person("P5", "李四", status="full", categories=["residence_registered"])
    j.add_person("P6", "赵六", status="full", joined=D(1999, 7, 1))
    j.found_org("S1", "street", "均禾街党工委")
    j.found_org("C1", "community", "清湖联社党委", parent="S1")
    j.found_org("C2", "community", "石马社区党委", parent="S1")
    j.add_cooperative("EC1", "清湖第一经济社", community="C1", head="P2", branch_secretary="P3")
    j.found_org(
        "B1",
        "branch",
        "清湖第一经济社网格党支部",
        parent="C1",
        kind="grid",
        cooperative="EC1",
        formed=D(2021, 9, 1),
        term_start=D(2021, 9, 1),
    )
    j.found_org("B2", "branch", "石马网格党支部", parent="C2")
    j.found_org("G1", "group", "第一党小组", parent="B1")
    j.found_org("G2", "group", "第二党小组", parent="B1")
    j.found_org("G3", "group", "石马党小组", parent="B2")
    j.found_org("Z1", "zone", "1-3栋", parent="G1")
    j.found_org("Z2", "zone", "4-6栋", parent="G1")
    j.found_org("Z3", "zone", "7栋", parent="G2")
    for hid in ("H1", "H2", "H3"):
        j.add_household(hid)
    j.add_household("H4", building="8栋", address="清湖路8号", location=(10.0, 20.5))
    j.assign_household("H1", "Z1")
    j.assign_household("H2", "Z1")
    j.assign_household("H3", "Z3")
    j.register("P5", "C1", D(2021, 9, 10))
    j.register("P3", "C1")
    j.file_member("P5", "G1", D(2021, 9, 12))
    j.file_member("P3", "G1")
    j.file_member("P4", "G2")
    j.claim_zone("P5", "Z1")
    j.claim_zone("P5", "Z2")
    j.claim_zone("P4", "Z3")
    j.appoint("B1", Role.FIRST_SECRETARY, "P1", appointed_by="S1", since=D(2021, 11, 22))
    j.appoint("B1", "grid_leader", "P1")
    j.appoint("B1", "grid_leader", "P2")
    j.appoint("B1", "secretary", "P3")
    j.appoint("G1", "group_leader", "P5")
    j.appoint("G2", "group_leader", "P4")
    j.set_as_of(D(2021, 11, 22))
    return j


def build_three_level() -> Jurisdiction:
    """Xiqiao's three-level grid: one village, two cooperative grids, member households.

    ::

        V1 community
        ├── GR1 grid (cooperative EC1)   members P1, P2
        │   ├── M1 member_household (H1, H2)  claimed by P1
        │   └── M2 member_household           claimed by P2
        └── GR2 grid                     member P3
            └── M3 member_household (H3)      claimed by P3
    """
    from gridgov import THREE_LEVEL

    j = Jurisdiction(THREE_LEVEL)
    j.add_person("P1", "甲", status="full", categories=["village"])
    j.add_person("P2", "乙", status="full", categories=["without_post"])
    j.add_person("P3", "丙", status="probationary")
    j.add_person("P9", "社长")
    j.found_org("V1", "community", "爱国社区党委")
    j.add_cooperative("EC1", "第一经济社", community="V1", head="P9")
    j.found_org("GR1", "grid", "第一经济社网格", parent="V1", cooperative="EC1")
    j.found_org("GR2", "grid", "第二经济社网格", parent="V1")
    j.found_org("M1", "member_household", "甲户", parent="GR1")
    j.found_org("M2", "member_household", "乙户", parent="GR1")
    j.found_org("M3", "member_household", "丙户", parent="GR2")
    for hid in ("H1", "H2", "H3"):
        j.add_household(hid)
    j.assign_household("H1", "M1")
    j.assign_household("H2", "M1")
    j.assign_household("H3", "M3")
    for person, org in (("P1", "GR1"), ("P2", "GR1"), ("P3", "GR2")):
        j.register(person, "V1")
        j.file_member(person, org)
    j.claim_zone("P1", "M1")
    j.claim_zone("P2", "M2")
    j.claim_zone("P3", "M3")
    j.appoint("V1", "secretary", "P1")
    return j


@pytest.fixture
def five_level() -> Jurisdiction:
    """A fresh copy of the small five-level street of :func:`build_five_level`."""
    return build_five_level()


@pytest.fixture
def three_level() -> Jurisdiction:
    """A fresh copy of the small three-level village of :func:`build_three_level`."""
    return build_three_level()


@pytest.fixture
def make_five_level() -> Callable[[], Jurisdiction]:
    """The builder itself, for tests that need several independent copies."""
    return build_five_level


_ANY: Any = object()


@contextmanager
def _rejected(
    j: Jurisdiction,
    error: type[BaseException],
    field: str,
    value: object = _ANY,
    *fragments: str,
) -> Iterator[pytest.ExceptionInfo[BaseException]]:
    before = (dump(j), j.version, len(j.log), list(j.log))
    with pytest.raises(error) as info:
        yield info
    exc = info.value
    assert type(exc) is error, f"expected exactly {error.__name__}, got {type(exc).__name__}"
    message = str(exc)
    assert message.startswith(f"{field}: "), f"{message!r} does not name the field {field!r}"
    assert getattr(exc, "field", None) == field
    if value is not _ANY:
        assert getattr(exc, "value", _ANY) == value
        if value is not None:
            assert repr(value) in message, f"{message!r} does not name the value {value!r}"
    for fragment in fragments:
        assert fragment in message, f"{message!r} does not mention {fragment!r}"
    after = (dump(j), j.version, len(j.log), list(j.log))
    assert after == before, "a rejected operation changed the jurisdiction"
    assert Jurisdiction.replay(j.log) == j, "the state no longer matches the log"


@pytest.fixture
def rejected() -> Callable[..., AbstractContextManager[pytest.ExceptionInfo[BaseException]]]:
    """``with rejected(j, ErrorType, field, value, *fragments): ...``.

    Asserts that the block raises exactly ``ErrorType``; that its message starts with
    ``field:`` and names ``repr(value)`` (and each fragment); that ``exc.field`` and
    ``exc.value`` are those; and that the jurisdiction is unchanged: same document
    (:func:`gridgov.io.dump`), same version, same log, and a state equal to its log's
    replay.
    """
    return _rejected


# -- servers: PostgreSQL and Redis ----------------------------------------------------------
#
# The tests that talk to a real server take its URL from the environment (defaults: the
# development machine's and CI's servers), use a schema or key prefix of their own and
# clean up. An unreachable server fails the tests under CI=true and skips them otherwise.

POSTGRES_URL = os.environ.get(
    "GRIDGOV_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("GRIDGOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _unreachable(what: str, variable: str, url: str, exc: BaseException) -> None:
    reason = (
        f"{what} at {url} is unreachable ({type(exc).__name__}: {' '.join(str(exc).split())}); "
        f"start it, or point {variable} at one"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


def _with_query(url: str, **params: str) -> str:
    extra = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}{'&' if '?' in url else '?'}{extra}" if extra else url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables go to a schema of this test run's own (dropped after)."""
    import secrets

    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except Exception as exc:
        engine.dispose()
        _unreachable("PostgreSQL", "GRIDGOV_TEST_POSTGRES_URL", POSTGRES_URL, exc)
    schema = f"gridgov_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        yield _with_query(POSTGRES_URL, schema=schema)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
        engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis URL of the tests (each test uses a key prefix of its own)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except Exception as exc:
        _unreachable("Redis", "GRIDGOV_TEST_REDIS_URL", REDIS_URL, exc)
    finally:
        client.close()
    return REDIS_URL


_COUNTER = iter(range(1, 1 << 30))


@pytest.fixture
def fresh() -> Callable[[str], str]:
    """``fresh(stem)``: a name no other test of this run uses (table and key prefixes)."""
    return lambda stem: f"{stem}{os.getpid()}_{next(_COUNTER)}_"


@pytest.fixture
def with_query() -> Callable[..., str]:
    """``with_query(url, name=value, ...)``: `url` with query parameters added."""
    return _with_query


@pytest.fixture
def postgres_store_url(postgres_url: str, fresh: Callable[[str], str]) -> str:
    """A PostgreSQL store URL of this test's own (the run's schema, a fresh table prefix)."""
    return _with_query(postgres_url, prefix=fresh("t"))


@pytest.fixture
def redis_bus_url(redis_url: str, fresh: Callable[[str], str]) -> Iterator[str]:
    """A Redis bus URL of this test's own (a fresh key prefix, deleted after the test)."""
    import redis

    prefix = fresh("gridgov-test:")
    yield _with_query(redis_url, prefix=prefix)
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
