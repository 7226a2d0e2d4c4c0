"""Validation with the rules and settings of the installed plugins.

:func:`validate` and :class:`Validator` are those of :mod:`gridgov.rules` with the
registry the plugin manager builds (:func:`gridgov.plugins.registry`: the built-in rules
and every plugin's) and the settings plugins contribute; the pure functions of
:mod:`gridgov.rules` take an explicit registry instead. The plugins are loaded the first
time one of these is called.

Examples
--------
>>> import gridgov
>>> j = gridgov.Jurisdiction()
>>> _ = j.found_org("S1", "street", "均禾街党工委")
>>> gridgov.validate(j).count_by_code()
{'GG206': 1}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gridgov import plugins
from gridgov.errors import InvalidValueError
from gridgov.model.document import Document
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.rules import engine
from gridgov.rules.diagnostics import Report, Severity
from gridgov.rules.registry import Registry

__all__ = ["Validator", "validate"]


class Validator(engine.Validator):
    """:class:`gridgov.rules.Validator` with the rules of the installed plugins.

    Parameters are those of :class:`gridgov.rules.Validator`; `registry` defaults to
    :func:`gridgov.plugins.registry`, and a `policy` mapping may name the settings
    plugins contribute.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.Jurisdiction()
    >>> v = gridgov.Validator(j, select=["GG206"])
    >>> _ = v.apply(gridgov.OrganizationFounded(gridgov.Organization("S1", "street", "S")))
    >>> v.report().count_by_code()
    {'GG206': 1}
    """

    def __init__(
        self,
        source: Jurisdiction | Document,
        *,
        policy: Policy | Mapping[str, Any] | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        severity: Mapping[str, Severity | str] | None = None,
        registry: Registry | None = None,
    ) -> None:
        super().__init__(
            source,
            policy=policy,
            select=select,
            ignore=ignore,
            severity=severity,
            registry=plugins.registry() if registry is None else registry,
            catalogue=plugins.catalogue(),
        )


def validate(
    source: Jurisdiction | Document,
    *,
    policy: Policy | Mapping[str, Any] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    severity: Mapping[str, Severity | str] | None = None,
    registry: Registry | None = None,
    source_name: str | None = None,
) -> Report:
    """Check `source` against the rules of the installed plugins; return every finding.

    See :func:`gridgov.rules.validate` for the parameters; `registry` defaults to
    :func:`gridgov.plugins.registry`.

    Examples
    --------
    >>> import gridgov
    >>> j = gridgov.Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> len(gridgov.validate(j, ignore=["GG206"]))
    0
    """
    if source_name is not None and not isinstance(source_name, str):
        raise InvalidValueError("source_name", source_name, "must be a name (a string) or None")
    return Validator(
        source, policy=policy, select=select, ignore=ignore, severity=severity, registry=registry
    ).report(source_name)
