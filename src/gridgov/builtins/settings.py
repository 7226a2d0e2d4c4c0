"""The built-in plugin ``gridgov.settings``: declares the charter's policy settings.

Examples
--------
>>> gridgov_policy_defaults()["max_branch_members"].default
50
"""

from __future__ import annotations

from gridgov.model.policy import BUILTIN_SETTINGS, Setting
from gridgov.plugins import hookimpl


@hookimpl
def gridgov_policy_defaults() -> dict[str, Setting]:
    """The built-in settings (:data:`gridgov.model.BUILTIN_SETTINGS`), by name."""
    return {s.name: s for s in BUILTIN_SETTINGS}
