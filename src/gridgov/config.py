"""Settings from TOML files: policy thresholds and rule selection.

A settings table holds any of ``policy`` (a table of settings, built-in or contributed
by a plugin), ``select`` and ``ignore`` (lists of codes or prefixes), ``severity`` (a
table code → severity) and ``block_plugins`` (plugin names not to use). It is the root of
a ``gridgov.toml`` file, or the ``[tool.gridgov]`` table of a ``pyproject.toml``::

    [tool.gridgov]
    select = ["GG"]
    ignore = ["GG207"]

    [tool.gridgov.policy]
    max_branch_members = 60

    [tool.gridgov.severity]
    GG202 = "error"

This module reads files; the model and the rules stay pure.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from gridgov.errors import DocumentError, InvalidValueError, PolicyError, Problem
from gridgov.model.policy import Policy

__all__ = ["Settings", "load_settings", "settings_from_mapping"]

_KEYS = ("policy", "select", "ignore", "severity", "block_plugins")


def _strings(value: object, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidValueError(name, value, "expected a list of rule codes or prefixes")
    return tuple(value)


@frozen
class Settings:
    """Policy overrides and rule selection read from a settings table.

    Parameters
    ----------
    policy : mapping of str to int
        Threshold overrides (names of :class:`~gridgov.model.Policy`).
    select, ignore : tuple of str or None
        Rule selection.
    severity : mapping of str to str
        Per-code severity overrides.
    block_plugins : tuple of str
        Names of plugins to block (see :func:`gridgov.plugins.block`).

    Examples
    --------
    >>> s = Settings(policy={"max_branch_members": 60}, ignore=("GG207",))
    >>> s.select, s.ignore, s.severity
    (None, ('GG207',), {})
    """

    policy: Mapping[str, Any] = field(factory=dict)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    severity: Mapping[str, str] = field(factory=dict)
    block_plugins: tuple[str, ...] = ()

    def apply_to(self, policy: Policy) -> Policy:
        """Return `policy` with these overrides.

        Raises
        ------
        PolicyError
            If an override names no threshold or has a bad value.

        Examples
        --------
        >>> s = Settings(policy={"max_branch_members": 60})
        >>> s.apply_to(Policy()).max_branch_members, Settings().apply_to(Policy()) == Policy()
        (60, True)
        """
        if not self.policy:
            return policy
        from gridgov import plugins

        return policy.with_catalogue({**plugins.catalogue(), **policy.catalogue}).replace(
            **self.policy
        )


def settings_from_mapping(table: Mapping[str, Any], where: str = "settings") -> Settings:
    """Check a settings table and return its :class:`Settings`.

    Raises
    ------
    PolicyError
        Naming unknown keys or thresholds, or a bad value.

    Examples
    --------
    >>> s = settings_from_mapping({"policy": {"max_branch_members": 60}, "ignore": ["GG207"]})
    >>> s.apply_to(Policy()).max_branch_members, s.ignore
    (60, ('GG207',))
    >>> settings_from_mapping({"polcy": {}})
    Traceback (most recent call last):
    ...
    gridgov.errors.PolicyError: settings: unknown key 'polcy'; expected one of policy, select, ignore, severity, block_plugins (got ['polcy'])
    """
    if not isinstance(table, Mapping):
        raise PolicyError(where, table, "expected a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        raise PolicyError(
            where,
            unknown,
            f"unknown key{'s' * (len(unknown) > 1)} {keys}; expected one of {', '.join(_KEYS)}",
        )
    policy = table.get("policy", {})
    if not isinstance(policy, Mapping):
        raise PolicyError(f"{where}.policy", policy, "expected a table of thresholds")
    # checked here: against the plugins' settings only when one is not built-in, so that
    # reading settings loads no plugin (the settings may block it)
    names = {str(k) for k in policy}
    if names <= set(Policy.names()):
        base = Policy()
    else:
        from gridgov import plugins

        base = plugins.default_policy()
    base.replace(**{str(k): v for k, v in policy.items()})
    severity = table.get("severity", {})
    if not isinstance(severity, Mapping) or not all(isinstance(v, str) for v in severity.values()):
        raise PolicyError(f"{where}.severity", severity, "expected a table of code = severity")
    block = table.get("block_plugins", ())
    if isinstance(block, str):
        block = [block]
    if not isinstance(block, list | tuple) or not all(isinstance(b, str) and b for b in block):
        raise PolicyError(f"{where}.block_plugins", block, "expected a list of plugin names")
    return Settings(
        dict(policy),
        _strings(table.get("select"), f"{where}.select"),
        _strings(table.get("ignore"), f"{where}.ignore"),
        dict(severity),
        tuple(block),
    )


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read settings from a TOML file: ``[tool.gridgov]`` of a ``pyproject.toml``, else the root.

    Parameters
    ----------
    path : str or path-like
        A ``pyproject.toml`` (its ``[tool.gridgov]`` table is read; none means default
        settings) or any other TOML file (its root table is read).

    Returns
    -------
    Settings

    Raises
    ------
    DocumentError
        If the file is missing or not TOML.
    PolicyError
        If the settings are wrong (naming the unknown keys).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "pyproject.toml")
    ...     _ = path.write_text("tool.gridgov.policy = {max_branch_members = 60}")
    ...     load_settings(path).policy
    {'max_branch_members': 60}
    >>> load_settings("no/such/gridgov.toml")
    Traceback (most recent call last):
    ...
    gridgov.errors.DocumentError: no/such/gridgov.toml: no such file
    """
    p = Path(path)
    name = str(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError([Problem("", "no such file")], name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError([Problem("", f"cannot read: {exc}")], name) from None
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError([Problem("", f"not valid TOML: {exc}")], name) from None
    if p.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, Mapping):
            raise PolicyError(f"{name}: tool", tool, "expected a table")
        return settings_from_mapping(tool.get("gridgov", {}), f"{name}: [tool.gridgov]")
    return settings_from_mapping(data, name)
