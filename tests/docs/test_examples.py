"""Every code block of the docs runs: the docs cannot drift from the code.

- ``pycon`` blocks run as doctests (one namespace per page, in page order);
- ``python`` blocks are executed in that namespace;
- ``console`` blocks run each ``$ `` command through the installed ``gridgov`` and compare
  the output when the page gives one;
- ``json`` blocks that are whole gridgov documents must load;
- a block with ``title="NAME"`` (e.g. ``toml title="gridgov.toml"``) is written to that file.

Pages run from a scratch copy of the repository's ``examples/`` folder, so a page can
read ``examples/junhe.json``.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gridgov

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.S | re.M)
TITLE = re.compile(r'title="([^"]+)"')
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PAGES = [
    ROOT / "README.md",
    *sorted(p for p in DOCS.rglob("*.md") if "reference/rules/" not in p.as_posix()),
]


def _blocks(text: str):
    for m in FENCE.finditer(text):
        title = TITLE.search(m.group(2))
        lang = "file" if title else m.group(1)
        body = (title.group(1), m.group(3)) if title else m.group(3)
        yield lang, body, text[: m.start()].count("\n") + 1


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env["COLUMNS"] = "80"
    text = page.read_text("utf-8")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    failures: list[str] = []
    for lang, body, line in _blocks(text):
        where = f"{page.relative_to(ROOT)}:{line}"
        if lang == "file":  # ```toml title="gridgov.toml": written where the page runs
            name, content = body
            Path(name).write_text(content, encoding="utf-8")
        elif lang == "pycon":
            test = doctest.DocTestParser().get_doctest(body, namespace, where, str(page), line)
            runner = doctest.DocTestRunner(verbose=False, optionflags=FLAGS)
            runner.run(test, clear_globs=False, out=lambda s: failures.append(s))
            namespace.update(test.globs)
        elif lang == "python":
            try:
                exec(compile(body, where, "exec"), namespace)
            except Exception as exc:  # pragma: no cover - reported below
                failures.append(f"{where}: {type(exc).__name__}: {exc}")
        elif lang == "console":
            for command, expected in _commands(body):
                run = subprocess.run(
                    command,
                    shell=True,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    env=env,
                    check=False,
                )
                got = run.stdout.rstrip("\n")
                want = "\n".join(expected).rstrip("\n")
                if want and not doctest.OutputChecker().check_output(
                    want + "\n", got + "\n", FLAGS
                ):
                    failures.append(f"{where}: $ {command}\n--- want\n{want}\n--- got\n{got}")
        elif lang == "json":
            try:
                data = json.loads(body)
            except ValueError:
                continue  # a fragment, not a document
            if isinstance(data, dict) and "gridgov" in data:
                try:
                    gridgov.load(data)
                except gridgov.GridGovError as exc:
                    failures.append(f"{where}: the document does not load: {exc}")
    assert not failures, "\n".join(failures)


def _commands(body: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands
