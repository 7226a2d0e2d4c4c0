"""The jurisdiction as an aggregate: versions, atomic blocks, listeners, exact rollback.

What a host building on :class:`~gridgov.model.Jurisdiction` relies on: optimistic
concurrency (``expected_version``), all-or-none blocks that nest as savepoints,
listeners told of committed events only, a version that counts events whatever happens
to the in-memory log, copies that are independent, and a refused batch that restores
the state exactly (the per-subject orders too) without replaying or copying anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import hypothesis.strategies as st
import pytest
from attrs import evolve, field, frozen
from hypothesis import HealthCheck, given, settings

from gridgov.errors import (
    ConcurrencyError,
    GridGovError,
    InvalidValueError,
    ListenerWarning,
    StateError,
    UnknownReferenceError,
)
from gridgov.io import dump
from gridgov.model import (
    Event,
    Filing,
    Jurisdiction,
    MemberFiled,
    MemberUnfiled,
    Organization,
    OrganizationFounded,
    OrganizationRenamed,
    Person,
    PersonAdded,
    Role,
    State,
    Touch,
)
from gridgov.rules import Validator, validate

D = dt.date


def _renamed(org: str, name: str = "改名") -> OrganizationRenamed:
    return OrganizationRenamed(org, name)


BAD = MemberFiled(Filing("P5", "G3"))  # P5 is filed already: refused


def snapshot(j: Jurisdiction) -> tuple[Any, ...]:
    """What a refused change must leave as it was: state, document, version, log."""
    return (j.copy(), dump(j), j.version, j.log_start, list(j.log))


def assert_unchanged(j: Jurisdiction, before: tuple[Any, ...]) -> None:
    copy, document, version, log_start, log = before
    assert j == copy
    assert dump(j) == document
    assert (j.version, j.log_start, list(j.log)) == (version, log_start, log)


# -- optimistic concurrency ------------------------------------------------------------------------


def test_apply_at_the_expected_version(five_level: Jurisdiction) -> None:
    version = five_level.version
    event = five_level.apply(_renamed("B2"), expected_version=version)
    assert five_level.version == version + 1
    assert five_level.log[-1] is event
    assert five_level.organizations["B2"].name == "改名"


@pytest.mark.parametrize("offset", [-1, 1, -5])
def test_apply_at_another_version_is_refused(five_level: Jurisdiction, offset: int) -> None:
    before = snapshot(five_level)
    version = five_level.version
    with pytest.raises(ConcurrencyError) as info:
        five_level.apply(_renamed("B2"), expected_version=version + offset)
    assert (info.value.expected, info.value.actual) == (version + offset, version)
    assert info.value.field == "expected_version"
    assert str(info.value) == (
        f"expected_version: expected version {version + offset}, found version {version}"
    )
    assert_unchanged(five_level, before)


def test_a_conflict_is_found_before_the_event_is_checked(five_level: Jurisdiction) -> None:
    """A stale writer hears of the conflict, not of what is wrong with its event."""
    with pytest.raises(ConcurrencyError):
        five_level.apply(_renamed("X9"), expected_version=0)


@pytest.mark.parametrize("expected", [True, "3", 3.0])
def test_expected_version_must_be_an_integer(five_level: Jurisdiction, expected: object) -> None:
    before = snapshot(five_level)
    with pytest.raises(InvalidValueError, match="expected_version"):
        five_level.apply(_renamed("B2"), expected_version=expected)  # type: ignore[arg-type]
    assert_unchanged(five_level, before)


def test_apply_all_at_the_expected_version(five_level: Jurisdiction) -> None:
    version = five_level.version
    n = five_level.apply_all([_renamed("B2"), _renamed("G3")], expected_version=version)
    assert n == 2
    assert five_level.version == version + 2


def test_apply_all_at_another_version_applies_nothing(five_level: Jurisdiction) -> None:
    before = snapshot(five_level)
    version = five_level.version
    with pytest.raises(ConcurrencyError) as info:
        five_level.apply_all([_renamed("B2"), _renamed("G3")], expected_version=version - 1)
    assert (info.value.expected, info.value.actual) == (version - 1, version)
    assert_unchanged(five_level, before)


def test_two_writers_from_the_same_version(five_level: Jurisdiction) -> None:
    """The second of two writers that read the same version is refused."""
    seen = five_level.version
    five_level.apply(_renamed("B2", "甲"), expected_version=seen)
    with pytest.raises(ConcurrencyError) as info:
        five_level.apply(_renamed("B2", "乙"), expected_version=seen)
    assert info.value.actual == seen + 1
    assert five_level.organizations["B2"].name == "甲"


def test_atomic_at_another_version_does_not_start(five_level: Jurisdiction) -> None:
    seen: list[Event] = []
    five_level.subscribe(seen.append)
    with pytest.raises(ConcurrencyError), five_level.atomic(expected_version=0):
        pytest.fail("the block must not run")  # pragma: no cover
    # no block is left open: an event is committed (and announced) at once
    event = five_level.apply(_renamed("B2"))
    assert seen == [event]
    with five_level.atomic(expected_version=five_level.version):
        five_level.apply(_renamed("G3"))
    assert len(seen) == 2


# -- atomic blocks ------------------------------------------------------------------------------------


class _BoomError(Exception):
    """Not a gridgov error: a block may fail for any reason."""


def test_atomic_commits_everything(five_level: Jurisdiction) -> None:
    version = five_level.version
    with five_level.atomic() as j:
        assert j is five_level
        five_level.rename_org("B2", "甲")
        five_level.file_member("P6", "G3")
    assert five_level.version == version + 2
    assert five_level.filed_in("P6") == "G3"


@pytest.mark.parametrize("error", [UnknownReferenceError, _BoomError])
def test_atomic_undoes_everything_on_any_error(five_level: Jurisdiction, error: type) -> None:
    before = snapshot(five_level)
    with pytest.raises(error), five_level.atomic():  # noqa: PT012 - the block is tested
        five_level.rename_org("B2", "甲")
        five_level.file_member("P6", "G3")
        if error is _BoomError:
            raise _BoomError
        five_level.rename_org("X9", "乙")
    assert_unchanged(five_level, before)
    assert Jurisdiction.replay(five_level.log) == five_level


def test_a_failed_inner_block_is_a_savepoint(five_level: Jurisdiction) -> None:
    version = five_level.version
    with five_level.atomic():
        first = five_level.rename_org("B2", "甲")
        inner = snapshot(five_level)
        with pytest.raises(UnknownReferenceError), five_level.atomic():  # noqa: PT012
            five_level.file_member("P6", "G3")
            five_level.rename_org("X9", "乙")
        assert_unchanged(five_level, inner)
        last = five_level.rename_org("G3", "丙")
    assert five_level.version == version + 2
    assert list(five_level.log)[-2:] == [first, last]
    assert five_level.filed_in("P6") is None
    assert Jurisdiction.replay(five_level.log) == five_level


def test_a_failed_outer_block_undoes_its_committed_inner_blocks(five_level: Jurisdiction) -> None:
    before = snapshot(five_level)
    with pytest.raises(_BoomError), five_level.atomic():  # noqa: PT012
        with five_level.atomic():
            five_level.file_member("P6", "G3")
            with five_level.atomic():
                five_level.rename_org("B2", "甲")
        five_level.rename_org("G3", "丙")
        raise _BoomError
    assert_unchanged(five_level, before)


def test_listeners_hear_only_when_the_outermost_block_ends(five_level: Jurisdiction) -> None:
    seen: list[Event] = []
    five_level.subscribe(seen.append)
    with five_level.atomic():
        a = five_level.rename_org("B2", "甲")
        with five_level.atomic():
            b = five_level.file_member("P6", "G3")
        assert seen == [], "an inner block that ends is not the end of the batch"
        with contextlib.suppress(UnknownReferenceError), five_level.atomic():
            five_level.rename_org("G3", "丙")
            five_level.rename_org("X9", "丁")
        c = five_level.rename_org("G2", "戊")
        assert seen == []
    assert seen == [a, b, c]


def test_listeners_hear_nothing_of_a_failed_outer_block(five_level: Jurisdiction) -> None:
    seen: list[Event] = []
    five_level.subscribe(seen.append)
    with pytest.raises(_BoomError), five_level.atomic():  # noqa: PT012
        with five_level.atomic():
            five_level.rename_org("B2", "甲")
        raise _BoomError
    assert seen == []


def test_the_log_cannot_be_forgotten_inside_a_block(five_level: Jurisdiction) -> None:
    with five_level.atomic():
        five_level.rename_org("B2", "甲")
        with pytest.raises(StateError, match="atomic"):
            five_level.forget_log()
    assert five_level.log[-1] == _renamed("B2", "甲")


# -- listeners -------------------------------------------------------------------------------------------


def test_a_listener_hears_each_event_once_after_it_is_applied(five_level: Jurisdiction) -> None:
    heard: list[tuple[Event, int, bool]] = []

    def listener(event: Event) -> None:
        heard.append((event, five_level.version, five_level.log[-1] is event))

    five_level.subscribe(listener)
    a = five_level.rename_org("B2", "甲")
    b = five_level.file_member("P6", "G3")
    version = five_level.version
    assert heard == [(a, version - 1, True), (b, version, True)]


def test_a_listener_hears_a_batch_after_all_of_it(five_level: Jurisdiction) -> None:
    heard: list[tuple[Event, int]] = []
    five_level.subscribe(lambda e: heard.append((e, five_level.version)))
    events = [_renamed("B2"), MemberFiled(Filing("P6", "G3")), _renamed("G3")]
    five_level.apply_all(events)
    assert heard == [(e, five_level.version) for e in events]


def test_a_listener_never_hears_a_refused_event_or_batch(five_level: Jurisdiction) -> None:
    heard: list[Event] = []
    five_level.subscribe(heard.append)
    with pytest.raises(StateError):
        five_level.apply(BAD)
    with pytest.raises(StateError):
        five_level.apply_all([_renamed("B2"), MemberFiled(Filing("P6", "G3")), BAD])
    with pytest.raises(ConcurrencyError):
        five_level.apply(_renamed("B2"), expected_version=0)
    with pytest.raises(InvalidValueError):
        five_level.apply(object())  # type: ignore[type-var]
    assert heard == []


def test_listeners_are_called_in_subscription_order(five_level: Jurisdiction) -> None:
    heard: list[tuple[str, Event]] = []
    five_level.subscribe(lambda e: heard.append(("first", e)))
    five_level.subscribe(lambda e: heard.append(("second", e)))
    a, b = _renamed("B2"), _renamed("G3")
    five_level.apply_all([a, b])
    assert heard == [("first", a), ("second", a), ("first", b), ("second", b)]


def test_unsubscribe_and_unsubscribe_again(five_level: Jurisdiction) -> None:
    heard: list[Event] = []
    other: list[Event] = []
    stop = five_level.subscribe(heard.append)
    five_level.subscribe(other.append)
    a = five_level.rename_org("B2", "甲")
    stop()
    stop()  # harmless
    b = five_level.rename_org("B2", "乙")
    assert heard == [a]
    assert other == [a, b]


def test_the_same_listener_twice_is_called_twice(five_level: Jurisdiction) -> None:
    heard: list[Event] = []
    stop = five_level.subscribe(heard.append)
    five_level.subscribe(heard.append)
    a = five_level.rename_org("B2", "甲")
    stop()
    b = five_level.rename_org("B2", "乙")
    assert heard == [a, a, b]


def test_a_listener_that_raises_is_a_warning(five_level: Jurisdiction) -> None:
    heard: list[Event] = []

    def broken(event: Event) -> None:
        raise RuntimeError("the message bus is down")

    five_level.subscribe(broken)
    five_level.subscribe(heard.append)
    with pytest.warns(ListenerWarning, match="the message bus is down") as record:
        event = five_level.rename_org("B2", "甲")
    assert len(record) == 1
    assert "event stays applied" in str(record[0].message)
    assert heard == [event]
    assert five_level.log[-1] is event
    assert five_level.organizations["B2"].name == "甲"
    with pytest.warns(ListenerWarning) as record:
        five_level.apply_all([_renamed("B2"), _renamed("G3")])
    assert len(record) == 2  # one per event
    assert len(heard) == 3


def test_a_listener_must_be_callable(five_level: Jurisdiction) -> None:
    with pytest.raises(InvalidValueError, match="listener"):
        five_level.subscribe("print")  # type: ignore[arg-type]


# -- versions and the log --------------------------------------------------------------------------------


def test_the_version_counts_events() -> None:
    j = Jurisdiction()
    assert (j.version, j.log_start, len(j.log)) == (0, 0, 0)
    j.found_org("S1", "street", "S")
    j.apply_all([OrganizationFounded(Organization("C1", "community", "C", parent="S1"))])
    assert (j.version, j.log_start, len(j.log)) == (2, 0, 2)
    with pytest.raises(GridGovError):
        j.found_org("S1", "street", "again")
    assert j.version == 2


def test_forget_log_keeps_counting(five_level: Jurisdiction) -> None:
    version = five_level.version
    five_level.forget_log()
    assert (five_level.version, five_level.log_start, len(five_level.log)) == (version, version, 0)
    event = five_level.rename_org("B2", "甲")
    assert list(five_level.log) == [event]
    assert (five_level.version, five_level.log_start) == (version + 1, version)


def test_forget_log_at_a_snapshot_version(five_level: Jurisdiction) -> None:
    before = five_level.copy()
    five_level.forget_log(version=41)
    assert five_level == before, "the state is kept"
    assert (five_level.version, five_level.log_start, len(five_level.log)) == (41, 41, 0)
    with pytest.raises(ConcurrencyError):
        five_level.apply(_renamed("B2"), expected_version=before.version)
    five_level.apply(_renamed("B2"), expected_version=41)
    assert (five_level.version, five_level.log_start, len(five_level.log)) == (42, 41, 1)
    five_level.forget_log(version=0)
    assert (five_level.version, five_level.log_start) == (0, 0)


@pytest.mark.parametrize("version", [-1, True, "3", 1.5])
def test_forget_log_refuses_a_bad_version(five_level: Jurisdiction, version: object) -> None:
    before = snapshot(five_level)
    with pytest.raises(InvalidValueError, match="version"):
        five_level.forget_log(version=version)  # type: ignore[arg-type]
    assert_unchanged(five_level, before)


def test_a_refused_batch_keeps_the_version_after_a_cut_log(five_level: Jurisdiction) -> None:
    five_level.forget_log(version=100)
    before = snapshot(five_level)
    with pytest.raises(StateError):
        five_level.apply_all([_renamed("B2"), BAD])
    assert_unchanged(five_level, before)
    assert five_level.version == 100


def test_copy_keeps_version_and_log_and_is_independent(five_level: Jurisdiction) -> None:
    five_level.forget_log(version=10)
    five_level.rename_org("B2", "甲")
    heard: list[Event] = []
    five_level.subscribe(heard.append)
    copy = five_level.copy()
    assert copy == five_level
    assert (copy.version, copy.log_start, list(copy.log)) == (11, 10, list(five_level.log))
    copy.rename_org("G3", "乙")
    copy.unfile_member("P5")
    assert heard == [], "a copy has no listeners"
    assert five_level.organizations["G3"].name == "石马党小组"
    assert five_level.filed_in("P5") == "G1"
    assert five_level.version == 11
    assert len(copy.log) == 3
    assert len(five_level.log) == 1
    five_level.file_member("P6", "G3")
    assert copy.filed_in("P6") is None
    assert copy.version == 13


# -- a refused batch restores exactly ----------------------------------------------------------------------

Op = Callable[[Jurisdiction], None]


def _repost(j: Jurisdiction) -> None:
    j.vacate("B1", "first_secretary", "P1")
    j.appoint("B1", Role.FIRST_SECRETARY, "P1", appointed_by="S1", since=D(2021, 11, 22))


def _refile(j: Jurisdiction) -> None:
    j.unfile_member("P5")
    j.file_member("P5", "G1", D(2021, 9, 12))


def _transfer(j: Jurisdiction) -> None:
    j.transfer_member("P5", "G2")
    j.transfer_member("P5", "G1", D(2021, 9, 12))


def _reclaim(j: Jurisdiction) -> None:
    j.release_zone("P5", "Z1")
    j.claim_zone("P5", "Z1")


def _reparent(j: Jurisdiction) -> None:
    j.move_org("Z1", "G2")
    j.move_org("Z1", "G1")


def _rehouse(j: Jurisdiction) -> None:
    j.assign_household("H1", "Z2")
    j.assign_household("H1", "Z1")


def _reregister(j: Jurisdiction) -> None:
    j.deregister("P5")
    j.register("P5", "C1", D(2021, 9, 10))


def _readd(j: Jurisdiction) -> None:
    person = j.people["P6"]
    j.remove_person("P6")
    j.apply(PersonAdded(person))


def _found_and_dissolve(j: Jurisdiction) -> None:
    j.found_org("Z9", "zone", "临时", parent="G1")
    j.dissolve_org("Z9")


def _relive(j: Jurisdiction) -> None:
    """P3 moves out of H1 and back (P3 and P5 live in H1)."""
    j.amend_person("P3", household="H2")
    j.amend_person("P3", household="H1")


OPS: dict[str, Op] = {
    op.__name__.lstrip("_"): op
    for op in (
        _repost,
        _refile,
        _transfer,
        _reclaim,
        _reparent,
        _rehouse,
        _reregister,
        _readd,
        _found_and_dissolve,
    )
}
"""Each leaves the state equal (but for P6's place among people) and reorders something."""


def orders(j: Jurisdiction) -> dict[tuple[str, str], Any]:
    """Every per-subject order of `j` (the whole-jurisdiction mappings left out)."""
    out: dict[tuple[str, str], Any] = {}
    graph = j.graph
    for org in j.organizations:
        out["children", org] = graph.children(org)
        out["direct members", org] = graph.direct_members(org)
        out["members", org] = j.members(org)
        out["posts", org] = j.posts_in(org)
        out["claimants", org] = j.claimants(org)
        out["households", org] = j.households_in(org)
        out["registered", org] = j.registered_in(org)
        out["subtree", org] = graph.subtree(org)
    for person in j.people:
        out["zones", person] = j.zones_claimed_by(person)
        out["posts held", person] = j.posts_held(person)
    for household in j.households:
        out["residents", household] = j.residents(household)
    for coop in j.cooperatives:
        out["organizations on", coop] = j.organizations_on(coop)
    return out


def _events_of(j: Jurisdiction, ops: list[Op]) -> list[Event]:
    scratch = j.copy()
    start = len(scratch.log)
    for op in ops:
        op(scratch)
    return list(scratch.log)[start:]


REORDERS = {
    # what each op reorders when it is committed (the others change no per-subject order)
    "repost": {"posts", "posts held"},
    "refile": {"direct members", "members"},
    "transfer": {"direct members", "members"},
    "reclaim": {"zones"},
    "reparent": {"children", "subtree"},
    "rehouse": {"households"},
    "reregister": {"registered"},
    "relive": {"residents"},
    "readd": set(),  # only P6's place among the people: not restored by a rollback
    "found_and_dissolve": set(),
}


@pytest.mark.parametrize("name", sorted(REORDERS))
def test_each_op_reorders_what_a_rollback_must_restore(five_level: Jurisdiction, name: str) -> None:
    five_level.amend_person("P3", household="H1")
    five_level.amend_person("P5", household="H1")
    op = _relive if name == "relive" else OPS[name]
    committed = five_level.copy()
    committed.apply_all(_events_of(five_level, [op]))
    assert committed == five_level, "an op leaves the state equal"
    before, after = orders(five_level), orders(committed)
    assert {key[0] for key in before if before[key] != after[key]} == REORDERS[name]


@given(
    ops=st.lists(st.sampled_from(sorted(OPS)), max_size=6),
    how=st.sampled_from(["apply_all", "atomic", "validator"]),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # a stateless builder
def test_a_refused_batch_restores_the_orders(
    make_five_level: Callable[[], Jurisdiction], ops: list[str], how: str
) -> None:
    j = make_five_level()
    before, order = snapshot(j), orders(j)
    chosen = [OPS[name] for name in ops]
    with pytest.raises(StateError):  # noqa: PT012 - one batch, three ways
        if how == "apply_all":
            j.apply_all([*_events_of(j, chosen), BAD])
        elif how == "validator":
            Validator(j).apply_all([*_events_of(j, chosen), BAD])
        else:
            with j.atomic():
                for op in chosen:
                    op(j)
                j.apply(BAD)
    copy = before[0]
    assert j == copy
    assert (j.version, list(j.log)) == (copy.version, list(copy.log))
    assert orders(j) == order
    assert Jurisdiction.replay(j.log) == j


def test_a_refused_batch_replays_and_copies_nothing(
    five_level: Jurisdiction, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [*_events_of(five_level, list(OPS.values())), BAD]
    expected = five_level.copy()
    order = orders(five_level)
    calls: list[str] = []

    def forbidden(name: str) -> Callable[..., Any]:
        def fail(*args: object, **kwargs: object) -> Any:
            calls.append(name)
            raise AssertionError(f"a refused batch called {name}")

        return fail

    monkeypatch.setattr(Jurisdiction, "replay", classmethod(forbidden("Jurisdiction.replay")))
    monkeypatch.setattr(Jurisdiction, "copy", forbidden("Jurisdiction.copy"))
    monkeypatch.setattr(State, "copy", forbidden("State.copy"))
    with pytest.raises(StateError) as info:
        five_level.apply_all(events)
    with pytest.raises(StateError), five_level.atomic():  # noqa: PT012
        for event in events:
            five_level.apply(event)
    monkeypatch.undo()
    assert calls == []
    assert info.value.index == len(events) - 1  # type: ignore[attr-defined]
    assert five_level == expected
    assert orders(five_level) == order


# -- a third party's event that changes the state and then raises ----------------------------------------


@frozen
class HalfDone(Event):
    """A broken plugin event: it changes the state, then refuses (or crashes)."""

    topic: ClassVar[str] = "test.HalfDone"
    writes: ClassVar[frozenset[str]] = frozenset({"organizations", "people", "filings"})

    error: type[Exception] = field(default=StateError)

    def apply_to(self, state: State) -> None:
        state.replace_org(evolve(state.graph.org("B1"), name="半"))
        state.put_person(Person("P99", "半"))
        state.unfile("P5")
        state.file(Filing("P5", "G2"))
        if self.error is StateError:
            raise StateError("org", "B1", "gave up half way")
        raise self.error("crashed half way")

    def touches(self, state: State) -> Touch:
        return Touch(orgs=("B1",), people=("P5", "P99"), anchors=("G1", "G2"))


@pytest.mark.parametrize("error", [StateError, RuntimeError])
@pytest.mark.parametrize("how", ["apply", "apply_all", "atomic", "validator"])
def test_an_event_that_changes_the_state_and_raises_is_rolled_back(
    five_level: Jurisdiction, error: type[Exception], how: str
) -> None:
    before, order = snapshot(five_level), orders(five_level)
    heard: list[Event] = []
    five_level.subscribe(heard.append)
    report = validate(five_level)
    v = Validator(five_level)
    event = HalfDone(error)
    with pytest.raises(error):  # noqa: PT012 - one event, four ways
        if how == "apply":
            five_level.apply(event)
        elif how == "apply_all":
            five_level.apply_all([_renamed("B2"), event])
        elif how == "validator":
            v.apply_all([_renamed("B2"), event])
        else:
            with five_level.atomic():
                five_level.rename_org("B2", "甲")
                with contextlib.suppress(StateError), five_level.atomic():
                    five_level.apply(event)  # refused inside a savepoint: caught there
                five_level.apply(event)
    assert_unchanged(five_level, before)
    assert orders(five_level) == order
    assert "P99" not in five_level.people
    assert heard == []
    assert v.report() == report == validate(five_level)
    five_level.file_member("P6", "G3")  # still works
    assert heard == [five_level.log[-1]]


# -- a validator on a jurisdiction that changes behind its back ----------------------------------------


def test_a_validator_notices_a_direct_change(five_level: Jurisdiction) -> None:
    v = Validator(five_level)
    assert v.report() == validate(five_level)
    five_level.vacate("B1", "secretary", "P3")
    assert "GG206" in v.report().count_by_code()
    assert v.report() == validate(five_level)
    five_level.appoint("B1", "secretary", "P3")
    five_level.apply_all([MemberUnfiled("P4"), _renamed("G2")])
    assert v.report() == validate(five_level)


@pytest.fixture
def watched(five_level: Jurisdiction) -> Iterator[tuple[Jurisdiction, Validator]]:
    v = Validator(five_level)
    yield five_level, v
    assert v.report() == validate(five_level)


def test_a_validator_after_an_undone_block_and_a_direct_event(
    watched: tuple[Jurisdiction, Validator],
) -> None:
    """The undone block sets the version back; a direct event brings it to where the
    validator last saw it, on another state: the version does not tell them apart."""
    j, v = watched
    version = j.version
    with pytest.raises(_BoomError), j.atomic():  # noqa: PT012
        v.apply(MemberUnfiled("P4"))  # the validator sees version + 1
        raise _BoomError
    assert j.version == version
    j.vacate("B1", "secretary", "P3")  # back at version + 1, not unfiling P4
    assert j.version == version + 1
    report = v.report()
    assert report == validate(j)
    assert "GG206" in report.count_by_code()


def test_a_validator_after_a_direct_event_and_a_log_cut_back(
    watched: tuple[Jurisdiction, Validator],
) -> None:
    j, v = watched
    version = j.version
    j.vacate("B1", "secretary", "P3")
    j.forget_log(version=version)  # the host says: still at the version the validator saw
    assert v.report() == validate(j)


def test_a_validator_inside_a_committed_block(watched: tuple[Jurisdiction, Validator]) -> None:
    j, v = watched
    with j.atomic():
        v.apply(MemberUnfiled("P4"))
        j.vacate("B1", "secretary", "P3")  # behind its back, inside the same block
        with contextlib.suppress(StateError):
            v.apply_all([_renamed("B2"), BAD])
        assert v.report() == validate(j)
    assert v.report() == validate(j)
