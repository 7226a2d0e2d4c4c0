"""The built-in rules, by family: structure (GG1xx), branches (GG2xx), grids (GG3xx).

Each family module declares its rules next to their checks; this package only
collects them. The built-in plugin (:mod:`gridgov.builtin`) contributes them through
the same ``gridgov_rules`` hook a third party implements.

Examples
--------
>>> BUILTIN_RULES[0].code, BUILTIN_RULES[-1].code, len(BUILTIN_RULES)
('GG101', 'GG313', 32)
"""

from gridgov.rules.builtin import branches, grids, structure
from gridgov.rules.registry import Rule

__all__ = ["BUILTIN_RULES"]

BUILTIN_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (*structure.rules.rules, *branches.rules.rules, *grids.rules.rules), key=lambda r: r.code
    )
)
"""The built-in rules, in code order."""
