"""The built-in plugin ``gridgov.rules``: contributes the rules GG101-GG313.

Examples
--------
>>> len(gridgov_rules())
32
"""

from __future__ import annotations

from gridgov.plugins import hookimpl
from gridgov.rules.builtin import BUILTIN_RULES
from gridgov.rules.registry import Rule


@hookimpl
def gridgov_rules() -> tuple[Rule, ...]:
    """The built-in rules (:data:`gridgov.rules.BUILTIN_RULES`)."""
    return BUILTIN_RULES
