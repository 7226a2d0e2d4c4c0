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

import difflib
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import field, frozen

from gridgov import _files
from gridgov.errors import DocumentError, InvalidValueError, PolicyError, Problem, short_repr
from gridgov.limits import MAX_ID_LENGTH, MAX_ITEMS, MAX_SETTINGS_BYTES
from gridgov.model.policy import Policy

__all__ = ["Settings", "load_settings", "settings_from_mapping"]

_KEYS = ("policy", "select", "ignore", "severity", "block_plugins")


def _strings(value: object, name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list | tuple)
        or len(value) > MAX_ITEMS
        or not all(isinstance(v, str) and len(v) <= MAX_ID_LENGTH for v in value)
    ):
        raise InvalidValueError(name, value, "expected a list of rule codes or prefixes")
    return tuple(value)


def _listed(value: object) -> object:
    """A settings file may give one code as a string: ``select = "GG2"``."""
    return [value] if isinstance(value, str) else value


def _table(value: object, name: str, what: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyError(name, value, f"expected a table of {what}")
    for key in value:
        if not isinstance(key, str):
            raise PolicyError(name, key, "keys are strings")
    return dict(value)


def _policy_table(value: object) -> dict[str, Any]:
    return _table(value, "policy", "thresholds")


def _severity_table(value: object) -> dict[str, str]:
    table = _table(value, "severity", "code = severity")
    if not all(isinstance(v, str) for v in table.values()):
        raise PolicyError("severity", value, "expected a table of code = severity")
    return table


def _select(value: object) -> tuple[str, ...] | None:
    return _strings(value, "select")


def _ignore(value: object) -> tuple[str, ...] | None:
    return _strings(value, "ignore")


def _plugin_names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(b, str) and 0 < len(b) <= MAX_ID_LENGTH for b in value
    ):
        raise PolicyError("block_plugins", value, "expected a list of plugin names")
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

    policy: Mapping[str, Any] = field(factory=dict, converter=_policy_table)
    select: tuple[str, ...] | None = field(default=None, converter=_select)
    ignore: tuple[str, ...] | None = field(default=None, converter=_ignore)
    severity: Mapping[str, str] = field(factory=dict, converter=_severity_table)
    block_plugins: tuple[str, ...] = field(default=(), converter=_plugin_names)

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
        if not isinstance(policy, Policy):
            raise PolicyError("policy", policy, "expected a Policy")
        if not self.policy:
            return policy
        from gridgov import plugins

        return policy.with_catalogue({**plugins.catalogue(), **policy.catalogue}).replace(
            **self.policy
        )


def _did_you_mean(key: object, known: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for a key close to a known one, else nothing."""
    if not isinstance(key, str) or len(key) > MAX_ID_LENGTH:
        return ""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    gridgov.errors.PolicyError: settings: unknown key 'polcy' (did you mean 'policy'?); expected one of policy, select, ignore, severity, block_plugins (got ['polcy'])
    """
    if not isinstance(where, str):
        raise InvalidValueError("where", where, "must be a string (where the table comes from)")
    if not isinstance(table, Mapping):
        raise PolicyError(where, table, "expected a table")
    unknown = sorted((k for k in table if k not in _KEYS), key=repr)
    if unknown:
        keys = ", ".join(short_repr(k) + _did_you_mean(k, _KEYS) for k in unknown[:10])
        raise PolicyError(
            where,
            unknown,
            f"unknown key{'s' * (len(unknown) > 1)} {keys}; expected one of {', '.join(_KEYS)}",
        )
    policy = _table(table.get("policy", {}), f"{where}.policy", "thresholds")
    # checked here: against the plugins' settings only when one is not built-in, so that
    # reading settings loads no plugin (the settings may block it)
    if set(policy) <= set(Policy.names()):
        base = Policy()
    else:
        from gridgov import plugins

        base = plugins.default_policy()
    known = [*Policy.names(), *base.catalogue]
    typos = [k for k in policy if k not in known]
    if typos:  # name the key (and where it is), not only its value
        keys = ", ".join(short_repr(k) + _did_you_mean(k, known) for k in typos[:10])
        one = len(typos) == 1
        raise PolicyError(
            f"{where}: policy.{typos[0]}" if one else f"{where}: policy",
            policy[typos[0]] if one else typos,
            f"unknown setting{'' if one else 's'} {keys}; known settings are {', '.join(known)}",
        )
    try:
        base.replace(**policy)
    except PolicyError as exc:
        raise PolicyError(f"{where}: {exc.field}", exc.value, exc.reason) from None
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
        _strings(_listed(table.get("select")), f"{where}.select"),
        _strings(_listed(table.get("ignore")), f"{where}.ignore"),
        dict(severity),
        tuple(block),
    )


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read settings from a TOML file: ``[tool.gridgov]`` of a ``pyproject.toml``, else the root.

    Parameters
    ----------
    path : str or path-like
        A ``pyproject.toml`` (its ``[tool.gridgov]`` table is read, and must be there)
        or any other TOML file (its root table is read).

    Returns
    -------
    Settings

    Raises
    ------
    FileError
        If the file cannot be opened (missing, a directory, no permission, ...).
    DocumentError
        If it is not UTF-8 TOML, larger than
        :data:`~gridgov.limits.MAX_SETTINGS_BYTES`, or a ``pyproject.toml`` without a
        ``[tool.gridgov]`` table.
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
    gridgov.errors.FileError: no/such/gridgov.toml: no such file
    """
    where = _files.check_path("path", path)
    name = _files.display(where)
    raw = _files.read_bytes(where, MAX_SETTINGS_BYTES)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [Problem("", f"not UTF-8 text: byte {exc.start} is not UTF-8; TOML files are UTF-8")],
            name,
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError([Problem("", f"not valid TOML: {exc}")], name) from None
    except RecursionError:
        raise DocumentError([Problem("", "not valid TOML: nested too deeply")], name) from None
    except ValueError as exc:  # an integer too long for Python to read, say
        raise DocumentError(
            [Problem("", f"not valid TOML: {short_repr(str(exc))[1:-1]}")], name
        ) from None
    if Path(where).name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, Mapping):
            raise PolicyError(f"{name}: tool", tool, "expected a table")
        if "gridgov" not in tool:
            # given on purpose, a pyproject.toml without the table is a mistake, not defaults
            raise DocumentError(
                [
                    Problem(
                        "",
                        "has no [tool.gridgov] table, so there are no gridgov settings to "
                        "read; add the table, or give a gridgov.toml",
                    )
                ],
                name,
            )
        return settings_from_mapping(tool["gridgov"], f"{name}: [tool.gridgov]")
    return settings_from_mapping(data, name)
