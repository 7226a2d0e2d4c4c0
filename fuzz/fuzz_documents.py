"""Fuzz gridgov's document loader and validator with atheris (run by hand, not in CI).

Each input is read as a JSON document (bytes, as a file would hold them) and goes
through what a host does with an untrusted document: ``gridgov.io.loads`` (the strict
reader), ``gridgov.io.parse`` + ``gridgov.validate`` (the tolerant reader and the rule
engine), and, when it loads, ``dumps`` + ``loads`` (the round trip must give an equal
jurisdiction). A ``GridGovError`` is the expected refusal; any other exception, or a
round trip that changes the jurisdiction, is a finding, and atheris stops and writes the
input to ``crash-*``.

The corpus is seeded from ``examples/`` (the Junhe and Xiqiao documents) and a few
small documents of the testing kit's strategies::

    pip install 'gridgov[fuzz]'
    python fuzz/fuzz_documents.py --seed-corpus fuzz/corpus     # write the seeds
    python fuzz/fuzz_documents.py fuzz/corpus -max_total_time=120
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["gridgov"]):
    from gridgov import validate
    from gridgov.errors import GridGovError
    from gridgov.io import dumps, loads, parse

ROOT = Path(__file__).resolve().parents[1]


def seed_corpus(directory: Path) -> int:
    """Write the seed inputs into `directory`; return how many."""
    from gridgov.io import dump
    from gridgov.testing import make_jurisdiction

    directory.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.json"))]
    for branches in (0, 1, 2):
        seeds.append(json.dumps(dump(make_jurisdiction(branches=branches))).encode())
    for i, data in enumerate(seeds):
        (directory / f"seed-{i}.json").write_bytes(data)
    return len(seeds)


def test_one_input(data: bytes) -> None:
    """One input: the loader, the tolerant reader and the validator, the round trip."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
    try:
        j = loads(text)
    except GridGovError:
        j = None
    try:
        document = parse(json.loads(text)) if _is_json(text) else None
    except GridGovError:
        document = None
    if document is not None:
        with contextlib.suppress(GridGovError):
            validate(document)
    if j is not None:
        validate(j)
        again = loads(dumps(j))
        if again != j:
            raise AssertionError("the round trip changed the jurisdiction")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--seed-corpus":
        print(f"wrote {seed_corpus(Path(sys.argv[2]))} seeds to {sys.argv[2]}")
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
