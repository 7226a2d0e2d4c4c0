"""Write the generated reference pages: one page per rule, and the rule index.

    python docs/generate.py          # rewrite docs/reference/rules/
    python docs/generate.py --check  # exit 1 if the pages are out of date

The pages come from the rule registry (gridgov.rules.docs), so no rule text is written
twice; tests/docs/test_generated.py fails when they drift.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gridgov.rules import builtin_registry
from gridgov.rules.docs import render_index, render_rule

RULES_DIR = Path(__file__).parent / "reference" / "rules"


def pages() -> dict[str, str]:
    """Return the generated pages by file name."""
    registry = builtin_registry()
    out = {"index.md": render_index(registry)}
    out.update({f"{code}.md": render_rule(rule) for code, rule in registry.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write the generated rule pages")
    parser.add_argument("--check", action="store_true", help="only check they are up to date")
    args = parser.parse_args(argv)
    wanted = pages()
    stale = [
        name
        for name, text in wanted.items()
        if not (RULES_DIR / name).exists() or (RULES_DIR / name).read_text("utf-8") != text
    ]
    extra = sorted(p.name for p in RULES_DIR.glob("*.md") if p.name not in wanted)
    if args.check:
        for name in [*stale, *extra]:
            print(f"out of date: {RULES_DIR / name}")
        return 1 if stale or extra else 0
    RULES_DIR.mkdir(parents=True, exist_ok=True)
    for name in extra:
        (RULES_DIR / name).unlink()
    for name in stale:
        (RULES_DIR / name).write_text(wanted[name], "utf-8")
    print(f"wrote {len(stale)} page(s), removed {len(extra)} in {RULES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
