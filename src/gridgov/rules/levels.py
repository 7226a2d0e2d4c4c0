"""Which levels of a scheme each kind of rule looks at: helpers for a rule's ``levels``.

A rule's ``levels`` may be a function of the scheme; these are the ones the built-in
rules use, public so that a plugin's rules can use them too.

Examples
--------
>>> from gridgov.model import FIVE_LEVEL, THREE_LEVEL
>>> above_filing(FIVE_LEVEL), branch(THREE_LEVEL), community_level(THREE_LEVEL)
(('street', 'community', 'branch'), (), 'community')
"""

from __future__ import annotations

from gridgov.model.scheme import Scheme

__all__ = ["above_filing", "branch", "community_level", "filing", "zone"]

COMMUNITY = "community"
VILLAGE = "village"
STREET = "street"


def above_filing(scheme: Scheme) -> tuple[str, ...]:
    """The levels above the filing level: they need a secretary."""
    return scheme.levels[: scheme.depth(scheme.filing_level)]


def branch(scheme: Scheme) -> tuple[str, ...]:
    """The branch level, if the scheme has one."""
    return () if scheme.branch_level is None else (scheme.branch_level,)


def filing(scheme: Scheme) -> tuple[str, ...]:
    """The filing level: members are filed there; its orgs need a leader."""
    return (scheme.filing_level,)


def zone(scheme: Scheme) -> tuple[str, ...]:
    """The zone level: households, claimed by members."""
    return (scheme.zone_level,)


def community_level(scheme: Scheme) -> str | None:
    """The level of communities and villages (``community``, else ``village``), if any."""
    for level in (COMMUNITY, VILLAGE):
        if level in scheme.levels:
            return level
    return None
