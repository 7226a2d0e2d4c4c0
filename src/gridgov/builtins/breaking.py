"""The built-in plugin ``gridgov.breaking``: how to break each of the rules GG101-GG313.

The testing kit (:mod:`gridgov.testing`) asks the ``gridgov_breaking`` hook for a rule's
breaking mutation; this plugin answers for the built-in rules, from the mutations
declared next to them (:data:`gridgov.rules.builtin.BUILTIN_BREAKINGS`).

Examples
--------
>>> gridgov_breaking("GG301").summary
'Vacates the first secretary of a grid branch.'
>>> gridgov_breaking("XX001") is None
True
"""

from __future__ import annotations

from gridgov.plugins import hookimpl
from gridgov.rules.breaking import Breaking
from gridgov.rules.builtin import BUILTIN_BREAKINGS


@hookimpl
def gridgov_breaking(code: str) -> Breaking | None:
    """The breaking mutation of the built-in rule `code`, or ``None``."""
    return BUILTIN_BREAKINGS.get(code)
