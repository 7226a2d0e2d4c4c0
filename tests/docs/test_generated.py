"""The generated reference pages match the rule registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_pages_are_up_to_date():
    generator = _generator()
    for name, text in generator.pages().items():
        path = DOCS / "reference" / "rules" / name
        assert path.exists(), f"{path} is missing: run python docs/generate.py"
        assert path.read_text("utf-8") == text, f"{path} is stale: run python docs/generate.py"


def test_no_page_for_an_unknown_rule():
    generator = _generator()
    on_disk = {p.name for p in (DOCS / "reference" / "rules").glob("*.md")}
    assert on_disk == set(generator.pages())
