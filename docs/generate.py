"""Write the generated reference pages: one page per rule, the rule index, the hooks.

    python docs/generate.py          # rewrite docs/reference/rules/ and reference/hooks.md
    python docs/generate.py --check  # exit 1 if the pages are out of date

The rule pages come from the rule registry (gridgov.rules.docs), the hook reference from
the hook specifications of gridgov.plugins, so no rule or hook text is written twice;
tests/docs/test_generated.py fails when they drift.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridgov import plugins
from gridgov.rules import builtin_registry
from gridgov.rules.docs import render_index, render_rule

RULES_DIR = Path(__file__).parent / "reference" / "rules"
HOOKS_PAGE = Path(__file__).parent / "reference" / "hooks.md"

_BANNER = re.compile(r"^# -{20,}\n# (?P<title>[^\n]+)\n# -{20,}$", re.M)
_ROLE = re.compile(r":[a-z]+:`(?:[^`<]*?<(?P<ref>[^>`]+)>|~?(?P<target>[^`<]+))`")
_PARAM = re.compile(r"^:param (?P<name>\w+):", re.M)


def pages() -> dict[str, str]:
    """Return the generated pages by file name."""
    registry = builtin_registry()
    out = {"index.md": render_index(registry)}
    out.update({f"{code}.md": render_rule(rule) for code, rule in registry.items()})
    return out


def hook_specifications() -> list[tuple[str, list[tuple[str, dict[str, object]]]]]:
    """Return the hook specifications of gridgov.plugins, grouped under its banner comments.

    Returns
    -------
    list of (title, hooks)
        One entry per banner (``# ---`` / ``# rules`` / ``# ---``) that has hooks under it,
        in source order; each hook as ``(name, pluggy options)``, in source order.
    """
    source = inspect.getsource(plugins)
    banners = [(source.count("\n", 0, m.start()) + 1, m["title"]) for m in _BANNER.finditer(source)]
    pm = plugins.GridGovPluginManager()
    hooks = []
    for name, fn in vars(plugins).items():
        opts = pm.parse_hookspec_opts(plugins, name) if inspect.isfunction(fn) else None
        if opts is not None:
            hooks.append((inspect.getsourcelines(fn)[1], name, dict(opts)))
    groups: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for line, name, opts in sorted(hooks):
        title = next((t for at, t in reversed(banners) if at < line), "hooks")
        groups.setdefault(title, []).append((name, opts))
    return list(groups.items())


def _signature(fn: Callable[..., Any]) -> str:
    """``name(arg: type, ...) -> type``, from the string annotations of the specification."""
    sig = inspect.signature(fn)
    args = ", ".join(
        f"{p.name}: {p.annotation}" if p.annotation is not p.empty else p.name
        for p in sig.parameters.values()
    )
    returns = "" if sig.return_annotation is sig.empty else f" -> {sig.return_annotation}"
    return f"{fn.__name__}({args}){returns}"


def _role(match: re.Match[str]) -> str:
    """``:func:`block``` as ```gridgov.plugins.block```: a role as its (full) target."""
    target = " ".join((match["ref"] or match["target"]).split())
    if "." not in target and " " not in target and hasattr(plugins, target):
        target = f"gridgov.plugins.{target}"
    return f"`{target}`"


def _markdown(doc: str) -> str:
    """A hook docstring (reST roles, ``:param:`` fields, ``::`` literal blocks) as Markdown.

    A ``:param x:`` field becomes a list item, ``:return:`` a **Returns:** paragraph; a
    literal block stays indented (a Markdown code block).
    """
    text = _ROLE.sub(_role, doc)
    text = re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)
    out: list[str] = []
    field = ""
    for line in text.splitlines():
        if line.startswith(":param "):
            field = "param"
            line = _PARAM.sub(lambda m: f"- **`{m['name']}`**:", line)
        elif line.startswith(":return:"):
            field = "return"
            if out and out[-1]:
                out.append("")
            line = "**Returns:**" + line[len(":return:") :]
        elif field and line.startswith("    "):  # a field's next line
            line = ("  " if field == "param" else "") + line.lstrip()
        else:
            field = ""
            if line.endswith("::") and not line.startswith(" "):
                line = line[:-1]  # "Example::" then the indented block: a code block
        out.append(line)
    return "\n".join(out)


def render_hooks() -> str:
    """Return the Markdown hook reference: every hook specification of gridgov.plugins.

    Each hook under its group's heading, with its signature, how its results are combined
    (every plugin's collected, or the first non-``None`` one wins) and its docstring.
    """
    lines = [
        "# Hook reference",
        "",
        "<!-- Generated from src/gridgov/plugins.py by docs/generate.py: do not edit. -->",
        "",
        "The hooks gridgov calls, as `gridgov.plugins` specifies them. A plugin implements a",
        "hook with a function of the same name marked `@gridgov.hookimpl`, taking the",
        "arguments it uses, by name. See [how to write a plugin](../how-to/write-a-plugin.md).",
        "",
    ]
    for title, hooks in hook_specifications():
        lines += [f"## {title[0].upper()}{title[1:]}", ""]
        for name, opts in hooks:
            fn = getattr(plugins, name)
            combined = (
                "**First result wins:** the first non-`None` result is used; later "
                "implementations are not called."
                if opts["firstresult"]
                else "**Every result is collected:** every plugin's implementation is called."
            )
            doc = _markdown(inspect.getdoc(fn) or "")
            lines += [f"### `{name}`", "", "```text", _signature(fn), "```", "", combined, ""]
            lines += [doc, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write the generated reference pages")
    parser.add_argument("--check", action="store_true", help="only check they are up to date")
    args = parser.parse_args(argv)
    wanted = pages()
    stale = [
        name
        for name, text in wanted.items()
        if not (RULES_DIR / name).exists() or (RULES_DIR / name).read_text("utf-8") != text
    ]
    extra = sorted(p.name for p in RULES_DIR.glob("*.md") if p.name not in wanted)
    hooks = render_hooks()
    hooks_stale = not HOOKS_PAGE.exists() or HOOKS_PAGE.read_text("utf-8") != hooks
    if args.check:
        for name in [*stale, *extra]:
            print(f"out of date: {RULES_DIR / name}")
        if hooks_stale:
            print(f"out of date: {HOOKS_PAGE}")
        return 1 if stale or extra or hooks_stale else 0
    RULES_DIR.mkdir(parents=True, exist_ok=True)
    for name in extra:
        (RULES_DIR / name).unlink()
    for name in stale:
        (RULES_DIR / name).write_text(wanted[name], "utf-8")
    print(f"wrote {len(stale)} page(s), removed {len(extra)} in {RULES_DIR}")
    if hooks_stale:
        HOOKS_PAGE.write_text(hooks, "utf-8")
        print(f"wrote {HOOKS_PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
