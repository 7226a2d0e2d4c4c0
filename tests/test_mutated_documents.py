"""Documents mutated at every field path: only GridGovErrors, and what loads round-trips.

Each example takes a seed document (the examples of ``examples/``, small synthetic ones)
and mutates it at one of its field paths: the value replaced by a hostile one (a wrong
type, a value out of its bounds, a lone surrogate or a control character, a deep nesting,
a long list or text), a key removed, an unknown or ``x-`` key added, a record repeated.
Then:

- ``load`` of the data, ``loads`` of its JSON text and ``parse`` either succeed or raise
  a :class:`~gridgov.GridGovError`: nothing else escapes;
- what ``load`` accepts round-trips (``load(dump(j)) == j``, ``loads(dumps(j)) == j``), and
  ``parse`` accepts it too;
- ``gridgov.validate`` of a parsed document returns a report (validation never raises on
  a document that fits the format);
- the installed ``gridgov validate`` and ``gridgov show`` (a few examples) exit 0, 1 or 2
  with one line per error and no traceback.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import gridgov
from gridgov import GridGovError, dump, dumps, load, loads, parse

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GRIDGOV = Path(sys.executable).parent / "gridgov"

Path_ = tuple[str | int, ...]


def _synthetic() -> dict[str, Any]:
    return {
        "gridgov": "1",
        "scheme": "five-level",
        "as_of": "2021-11-22",
        "policy": {"max_branch_members": 40},
        "organizations": [
            {"id": "S1", "level": "street", "name": "均禾街党工委", "term_start": "2020-01-01"},
            {"id": "C1", "level": "community", "name": "清湖联社党委", "parent": "S1"},
            {
                "id": "B1",
                "level": "branch",
                "name": "网格党支部",
                "parent": "C1",
                "kind": "joint",
                "units": ["某公司"],
                "cooperative": "EC1",
            },
            {"id": "G1", "level": "group", "name": "第一党小组", "parent": "B1"},
            {"id": "Z1", "level": "zone", "name": "1-3栋", "parent": "G1", "households": ["H1"]},
        ],
        "people": [
            {
                "id": "P1",
                "name": "邹波",
                "party": {"status": "full", "categories": ["sunk"], "joined": "1999-07-01"},
                "household": "H1",
                "x-ward": {"n": [1, 2.5, None]},
            },
            {"id": "P2", "name": "某社长"},
        ],
        "households": [{"id": "H1", "building": "1栋", "location": [113.27, 23.19]}],
        "cooperatives": [{"id": "EC1", "name": "清湖第一经济社", "head": "P2"}],
        "registrations": [{"person": "P1", "community": "C1", "date": "2021-09-10"}],
        "filings": [{"person": "P1", "org": "G1", "date": "2021-09-12"}],
        "claims": [{"person": "P1", "zone": "Z1"}],
        "posts": [
            {
                "org": "B1",
                "role": "committee_member",
                "holder": "P1",
                "duty": "organization",
                "since": "2021-11-22",
            }
        ],
    }


SEEDS: dict[str, dict[str, Any]] = {
    "junhe": json.loads((EXAMPLES / "junhe.json").read_text("utf-8")),
    "xiqiao": json.loads((EXAMPLES / "xiqiao-aiguo.json").read_text("utf-8")),
    "synthetic": _synthetic(),
    "empty": {"gridgov": "1"},
    "three-level": {
        "gridgov": "1",
        "scheme": "three-level",
        "organizations": [{"id": "V1", "level": "community", "name": "村"}],
    },
}


def paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every field path of `value`: each key of each object, each item of each list."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):  # a few items of each list
            yield from paths(item, (*prefix, i))


PATHS: dict[str, list[Path_]] = {name: list(paths(doc)) for name, doc in SEEDS.items()}


def _deep(levels: int, inner: Any, as_dict: bool) -> Any:
    value = inner
    for _ in range(levels):
        value = {"a": value} if as_dict else [value]
    return value


TEXT = st.text(st.characters(codec=None), max_size=8)  # lone surrogates and controls included
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**5000, 2**63, -(2**63) - 1, 2**64, 10**20, -1, 0]),
    st.floats(),  # NaN and infinities included
    TEXT,
    st.sampled_from(
        [
            "",
            "\ud800",
            "a\x00b",
            "B\n1",
            "x" * 10_001,
            "9999-12-31",
            "2021-02-30",
            "0000-01-01",
            "1899-12-31",
            "2200-01-01",
            "five-level",
            "zone",
            "full",
        ]
    ),
    st.builds(_deep, st.integers(10, 3000), st.sampled_from([0, "x", None]), st.booleans()),
    st.integers(0, 5000).map(lambda n: [0] * n),
    st.integers(0, 3000).map(lambda n: [{}] * n),
    st.lists(TEXT, max_size=4),
    st.dictionaries(TEXT, TEXT | st.integers(), max_size=3),
)
"""A hostile value: a wrong type, out of its bounds, odd text, deep, wide."""

KEYS = st.one_of(TEXT, st.sampled_from(["x-", "x-\ud800", "x-a\x00", "x-ok", "id", "name"]))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], str]:
    """A seed document mutated at one of its paths, and what was done."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    doc = copy.deepcopy(SEEDS[name])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[name]))
        parent: Any = doc
        for step in path[:-1]:
            if not isinstance(parent, dict | list):
                break
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(parent, dict | list) or not path:
                doc = _mutate(draw, doc, parent, path)
    return name, doc, gridgov.errors.short_repr(doc)


def _mutate(draw: st.DrawFn, doc: Any, parent: Any, path: Path_) -> Any:
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add-key", "repeat"]))
    if not path:  # the document itself
        return draw(HOSTILE) if how == "replace" else doc
    key = path[-1]
    try:
        current = parent[key]
    except (KeyError, IndexError, TypeError):
        return doc
    if how == "replace":
        parent[key] = draw(HOSTILE)
    elif how == "delete":
        del parent[key]
    elif how == "add-key" and isinstance(current, dict):
        current[draw(KEYS)] = draw(HOSTILE)
    elif how == "repeat" and isinstance(parent, list):
        parent.append(copy.deepcopy(current))
    return doc


def _json_text(doc: Any) -> str | None:
    """The JSON text of `doc`, when the json module can write it (a 5,000-digit integer,
    a non-string key of another type cannot)."""
    try:
        return json.dumps(doc, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return None


def _only_gridgov_errors(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except GridGovError:
        return None


_SETTINGS = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    deadline=None,
)


@_SETTINGS
@given(mutated())
def test_a_mutated_document_loads_or_is_refused_with_a_gridgov_error(
    case: tuple[str, dict[str, Any], str],
) -> None:
    _, doc, _ = case
    j = _only_gridgov_errors(load, doc)
    document = _only_gridgov_errors(parse, doc)
    if j is not None:
        assert document is not None, "load accepted what parse refused"
        assert load(dump(j)) == j
        assert loads(dumps(j)) == j
        assert loads(dumps(j, indent=None)) == j
    if document is not None:
        report = gridgov.validate(document)  # never raises on a parsed document
        assert all(str(d) for d in report)
        assert isinstance(report.summary(), str)


@_SETTINGS
@given(mutated())
def test_the_json_text_of_a_mutated_document_loads_or_is_refused(
    case: tuple[str, dict[str, Any], str],
) -> None:
    _, doc, _ = case
    text = _json_text(doc)
    if text is None:
        return
    for given_text in (text, text.encode("utf-8", "surrogatepass")):
        j = _only_gridgov_errors(loads, given_text)
        if j is not None:
            assert loads(dumps(j)) == j
            assert load(dump(j)) == j


def _gridgov(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GRIDGOV), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=cwd,
        env={**os.environ, "GRIDGOV_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
        timeout=300,
    )


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_command_answers_a_mutated_document_in_one_line_per_error(
    case: tuple[str, dict[str, Any], str],
) -> None:
    """A few mutated documents through the installed command (each run starts Python)."""
    _, doc, _ = case
    text = _json_text(doc)
    if text is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "mutated.json")
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        for command in ("validate", "show"):
            result = _gridgov(command, path, cwd=Path(tmp))
            assert result.returncode in (0, 1, 2), result.stderr
            assert "Traceback" not in result.stderr
            if result.returncode == 2:
                lines = result.stderr.strip().splitlines()
                assert lines
                assert all(line.startswith("gridgov: error: ") for line in lines), lines


def test_the_seeds_load_and_round_trip() -> None:
    for name, doc in SEEDS.items():
        j = load(doc)
        assert load(dump(j)) == j, name
        assert len(PATHS[name]) > 1, name
