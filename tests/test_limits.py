"""The bounds of gridgov.limits, and messages that never convert a hostile value in full."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

import gridgov
from gridgov import limits
from gridgov.errors import InvalidValueError, PolicyError, short_repr
from gridgov.model import BUILTIN_SETTINGS, Household, Organization, Person, Policy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference" / "document-format.md"


def _deep(levels: int, inner: Any = None) -> Any:
    value: Any = inner
    for _ in range(levels):
        value = [value]
    return value


# -- short_repr ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10**5000, "an integer of 5001 digits"),
        (-(10**4300), "an integer of 4301 digits"),
        (10**39, repr(10**39)),
        (2**133 - 1, repr(2**133 - 1)),
        ("B1", "'B1'"),
        (True, "True"),
    ],
    ids=["5001-digits", "negative", "40-digits", "133-bits", "text", "bool"],
)
def test_short_repr_describes_a_long_integer_by_its_digits(value: object, expected: str) -> None:
    assert short_repr(value) == expected


def test_the_digit_count_is_exact_at_powers_of_ten() -> None:
    for n in (41, 100, 4300, 4301, 10_000):
        assert short_repr(10**n - 1) == f"an integer of {n} digits"
        assert short_repr(10**n) == f"an integer of {n + 1} digits"


@pytest.mark.parametrize(
    "value",
    [
        _deep(100_000),
        {"a": _deep(100_000)},
        gridgov.model.values.FrozenMap({"a": _deep(5_000)}),
        b"x" * 10_000_000,
        "x" * 10_000_000,
        list(range(1_000_000)),
        tuple(range(1_000_000)),
        frozenset(range(1_000)),
    ],
    ids=["deep", "deep-dict", "frozenmap", "bytes", "text", "list", "tuple", "set"],
)
def test_short_repr_is_short_whatever_it_is_given(value: object) -> None:
    assert len(short_repr(value)) < 200


def test_short_repr_of_an_object_whose_repr_fails_names_its_type() -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("boom")

    assert short_repr(Broken()) == "<Broken object>"


def test_an_error_message_never_prints_a_hostile_value_in_full() -> None:
    with pytest.raises(InvalidValueError) as info:
        Organization("S1", "street", 10**5000)
    assert str(info.value) == "name: must be a string (got an integer of 5001 digits)"
    with pytest.raises(PolicyError, match="an integer of 4302 digits"):
        Policy(min_branch_full_members=10**4301)
    with pytest.raises(InvalidValueError, match=r"\[\[\[\.\.\.\]\]\]"):
        Person("P1", _deep(10_000))


# -- the checks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["", "x" * 201, "B\x001", "B\n1", "B\u20281", "\ud800", 5, None, b"B1"],
    ids=["empty", "long", "nul", "newline", "line-separator", "surrogate", "int", "None", "bytes"],
)
def test_an_id_is_a_short_printable_string(value: object) -> None:
    with pytest.raises(InvalidValueError, match=r"^org: "):
        limits.check_id_text("org", value)
    with pytest.raises(InvalidValueError, match=r"^id: "):
        Organization(value, "street", "S")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", ["P1", "清湖第一经济社", "EXT-street organ", "x" * 200, "P\u00a01"]
)
def test_ids_that_are_accepted(value: str) -> None:
    assert limits.check_id_text("id", value) == value
    assert Person(value, "A").id == value


def test_text_may_hold_control_characters_but_not_a_lone_surrogate() -> None:
    assert Person("P1", "李四\n\t\x1b").name == "李四\n\t\x1b"
    with pytest.raises(InvalidValueError, match="lone surrogate"):
        Person("P1", "李\udc00四")
    with pytest.raises(InvalidValueError, match="at most 10000 characters"):
        Person("P1", "x" * (limits.MAX_TEXT_LENGTH + 1))


@pytest.mark.parametrize(
    "location",
    [(0, float("nan")), (float("inf"), 0), (10**400, 0), (1e10, 0), (True, 0), ("1", "2"), b"S1"],
    ids=["nan", "inf", "huge-int", "too-far", "bool", "strings", "bytes"],
)
def test_a_location_is_a_pair_of_bounded_finite_numbers(location: object) -> None:
    with pytest.raises(InvalidValueError, match=r"^location: "):
        Household("H1", location=location)  # type: ignore[arg-type]


def test_a_location_at_the_bound_is_kept() -> None:
    bound = limits.MAX_COORDINATE
    assert Household("H1", location=[-bound, bound]).location == (-bound, bound)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (2**63, "within ±2**63"),
        (-(2**63) - 1, "within ±2**63"),
        (float(2**63), "within ±2**63"),
        (float("nan"), "finite"),
        (_deep(limits.MAX_DEPTH + 1, 1), f"at most {limits.MAX_DEPTH} levels"),
        ({"k": "\ud800"}, "lone surrogate"),
        ({"\ud800": 1}, "lone surrogate"),
        ({1: 1}, "keys must be strings"),
        ({1, 2}, "must be JSON data"),
    ],
    ids=["int-above", "int-below", "float", "nan", "deep", "surrogate", "key", "int-key", "set"],
)
def test_extension_data_is_bounded(value: object, fragment: str) -> None:
    with pytest.raises(InvalidValueError, match=re.escape(fragment)):
        Household("H1", extensions={"x-data": value})


def test_extension_data_at_its_bounds_is_kept() -> None:
    data = {
        "x-int": [-(2**63), 2**63 - 1],
        "x-deep": _deep(limits.MAX_DEPTH - 1, 1),
        "x-text": "\x00\x1b",
    }
    h = Household("H1", extensions=data)
    j = gridgov.Jurisdiction()
    j.apply(gridgov.HouseholdAdded(h))
    assert gridgov.loads(gridgov.dumps(j)) == j
    assert gridgov.loads(gridgov.dumps(j)).households["H1"].extensions == h.extensions


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (limits.MIN_DATE, True),
        (limits.MAX_DATE, True),
        (limits.MIN_DATE - dt.timedelta(days=1), False),
        (limits.MAX_DATE + dt.timedelta(days=1), False),
        ("9999-12-31", False),
        ("0001-01-01", False),
    ],
)
def test_dates_lie_within_the_calendar_range(day: dt.date | str, ok: bool) -> None:
    if ok:
        assert gridgov.model.values.to_date(day) == day
    else:
        with pytest.raises(InvalidValueError, match="between 1900-01-01 and 2199-12-31"):
            gridgov.model.values.to_date(day)


def test_a_term_from_the_last_date_stays_a_date() -> None:
    """GG207 adds up to MAX_YEARS to a term start: from MAX_DATE that is still a date."""
    assert limits.MAX_DATE.replace(year=limits.MAX_DATE.year + limits.MAX_YEARS) < dt.date.max


@pytest.mark.parametrize(
    "value",
    [True, 1.0, "3", None, 10**5000, -(2**64) - 1],
    ids=["bool", "float", "text", "None", "huge", "very-negative"],
)
def test_check_int_refuses_what_is_not_an_integer_in_range(value: object) -> None:
    with pytest.raises(InvalidValueError, match=r"^n: must be an integer from 0 to 10"):
        limits.check_int("n", value, 0, 10)


def test_check_int_takes_numpy_integers() -> None:
    np = pytest.importorskip("numpy")
    assert limits.check_int("n", np.int64(3), 0, 10) == 3


def test_check_length_refuses_a_list_over_the_limit() -> None:
    with pytest.raises(InvalidValueError, match=f"at most {limits.MAX_ITEMS} items"):
        limits.check_length("people", limits.MAX_ITEMS + 1)


# -- the documented bounds ----------------------------------------------------------------------


def test_the_format_reference_states_the_bounds_the_code_applies() -> None:
    """The bounds table of the format reference and gridgov.limits agree."""
    text = DOCS.read_text("utf-8")
    section = text[text.index("## Bounds") :]
    for name, value in [
        ("MAX_ID_LENGTH", f"{limits.MAX_ID_LENGTH}"),
        ("MAX_TEXT_LENGTH", f"{limits.MAX_TEXT_LENGTH:,}"),
        ("MAX_ITEMS", f"{limits.MAX_ITEMS:,}"),
        ("MAX_DEPTH", f"{limits.MAX_DEPTH}"),
        ("MAX_LEVELS", f"{limits.MAX_LEVELS}"),
        ("MAX_PROBLEMS", f"{limits.MAX_PROBLEMS:,}"),
        ("MAX_INDENT", f"{limits.MAX_INDENT}"),
        ("MEMORY_FACTOR", f"{limits.MEMORY_FACTOR}"),
        ("MIN_DATE", limits.MIN_DATE.isoformat()),
        ("MAX_DATE", limits.MAX_DATE.isoformat()),
    ]:
        assert f"`{name}`" in section, name
        assert value in section, (name, value)
    for setting in BUILTIN_SETTINGS:  # the policy table, with each setting's range
        row = next(line for line in text.splitlines() if line.startswith(f"| `{setting.name}`"))
        if isinstance(setting.default, bool):
            assert "`true` or `false`" in row, row
            continue
        assert f"{setting.minimum:,}" in row, row
        assert f"{setting.maximum:,}" in row, row
