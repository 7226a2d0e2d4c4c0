"""The built-in rules, by family: structure (GG1xx), branches (GG2xx), grids (GG3xx).

Each family module declares its rules next to their checks; this package only
collects them. The built-in plugin (:mod:`gridgov.builtin`) contributes them through
the same ``gridgov_rules`` hook a third party implements.

Examples
--------
>>> BUILTIN_RULES[0].code, BUILTIN_RULES[-1].code, len(BUILTIN_RULES)
('GG101', 'GG313', 32)
>>> set(BUILTIN_BREAKINGS) == {r.code for r in BUILTIN_RULES}
True
"""

from gridgov.rules.breaking import Breaking
from gridgov.rules.builtin import branches, grids, structure
from gridgov.rules.registry import Rule

__all__ = ["BUILTIN_BREAKINGS", "BUILTIN_RULES"]

BUILTIN_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (*structure.rules.rules, *branches.rules.rules, *grids.rules.rules), key=lambda r: r.code
    )
)
"""The built-in rules, in code order."""

BUILTIN_BREAKINGS: dict[str, Breaking] = {
    b.code: b
    for b in sorted(
        (*structure.rules.breakings, *branches.rules.breakings, *grids.rules.breakings),
        key=lambda b: b.code,
    )
}
"""The breaking mutation of every built-in rule, by code (the testing kit's way to break it)."""
