"""The generated reference pages match the rule registry."""

from __future__ import annotations

import importlib.util
import inspect
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


def test_hook_reference_is_up_to_date():
    path = DOCS / "reference" / "hooks.md"
    assert path.exists(), f"{path} is missing: run python docs/generate.py"
    text = _generator().render_hooks()
    assert path.read_text("utf-8") == text, f"{path} is stale: run python docs/generate.py"


def test_hook_reference_has_every_hook_under_its_banner():
    from gridgov import plugins

    generator = _generator()
    groups = dict(generator.hook_specifications())
    assert {title: [name for name, _ in hooks] for title, hooks in groups.items()} == {
        "rules": ["gridgov_rules"],
        "policy": ["gridgov_policy_defaults"],
        "events": ["gridgov_event_types"],
        "testing": ["gridgov_breaking"],
        "ids": ["gridgov_make_id"],
        "storage": ["gridgov_event_store"],
        "messaging": ["gridgov_message_bus"],
    }
    specified = {n for n in vars(plugins.new_plugin_manager(autoload=False).hook) if n[0] != "_"}
    assert {name for hooks in groups.values() for name, _ in hooks} == specified
    text = generator.render_hooks()
    make_id = text.split("### `gridgov_make_id`", 1)[1]
    assert "gridgov_make_id(kind: str, parent: str | None, taken: Taken) -> str | None" in make_id
    assert "**First result wins:**" in make_id
    # the firstresult hooks: a rule's breaking mutation, an id scheme, a store and a bus
    # each come from one plugin
    assert text.count("**First result wins:**") == 4
    assert inspect.getdoc(plugins.gridgov_make_id).splitlines()[0] in make_id
    assert ":param" not in text
    assert ":return:" not in text
    assert ":func:" not in text


def test_check_mode_reports_nothing_stale(capsys):
    assert _generator().main(["--check"]) == 0
    assert capsys.readouterr().out == ""
