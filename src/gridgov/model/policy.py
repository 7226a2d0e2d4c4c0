"""Policy: every threshold of the charter rules, as data with the charter's defaults.

The thresholds come from the Regulations on the Work of Party Branches (trial, 2018).
Most are "generally" rules; a host may override any of them per jurisdiction (the
document's ``policy``), per call, or from a configuration file.

Examples
--------
>>> p = Policy()
>>> p.max_branch_members
50
>>> p2 = p.replace(max_branch_members=60)
>>> p2.overrides()
{'max_branch_members': 60}
>>> Policy.from_mapping({"max_branch_size": 60})
Traceback (most recent call last):
...
gridgov.errors.PolicyError: policy.max_branch_size: unknown policy setting; ... (got 60)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import evolve, fields, frozen

from gridgov.errors import PolicyError

__all__ = ["Policy"]


# A cap or a term of zero would make every branch, unit or term a violation.
_AT_LEAST_ONE = frozenset(
    {
        "max_branch_members",
        "general_branch_max_members",
        "committee_threshold",
        "committee_hard_max_size",
        "joint_branch_max_units",
        "term_years_community",
        "term_years_other",
    }
)


@frozen
class Policy:
    """The thresholds the charter rules check, with their charter defaults.

    Parameters
    ----------
    min_branch_full_members : int
        A unit with this many full members forms its own branch (3); fewer: a joint branch.
    max_branch_members : int
        A branch generally has at most this many members (50).
    general_branch_max_members : int
        A general branch (党总支) generally has at most this many members (100).
    committee_threshold : int
        A branch with this many full members sets up a committee (7).
    committee_min_size, committee_max_size : int
        The committee's usual size (3 to 5).
    committee_hard_max_size : int
        The committee's size generally never exceeds this (7).
    max_deputy_secretaries : int
        At most this many deputy secretaries (1).
    joint_branch_max_units : int
        A joint branch covers at most this many units (5).
    term_years_community : int
        Term of a committee in villages and communities, grid branches included (5).
    term_years_other : int
        Term of a committee elsewhere (3).
    max_zones_per_member : int
        A member claims at most this many responsibility zones (3).
    temporary_branch_min_months : int
        A task lasting at least this many months forms a (temporary) branch (6).

    Raises
    ------
    PolicyError
        If a setting is not a non-negative integer, or the committee sizes are out of
        order.

    Examples
    --------
    >>> Policy(committee_threshold=9).committee_threshold
    9
    >>> Policy(committee_min_size=6)
    Traceback (most recent call last):
    ...
    gridgov.errors.PolicyError: policy.committee_max_size: committee_min_size <= committee_max_size <= committee_hard_max_size must hold (got 5)
    """

    min_branch_full_members: int = 3
    max_branch_members: int = 50
    general_branch_max_members: int = 100
    committee_threshold: int = 7
    committee_min_size: int = 3
    committee_max_size: int = 5
    committee_hard_max_size: int = 7
    max_deputy_secretaries: int = 1
    joint_branch_max_units: int = 5
    term_years_community: int = 5
    term_years_other: int = 3
    max_zones_per_member: int = 3
    temporary_branch_min_months: int = 6

    def __attrs_post_init__(self) -> None:
        for f in fields(type(self)):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise PolicyError(f"policy.{f.name}", value, "must be an integer")
            if value < 0:
                raise PolicyError(f"policy.{f.name}", value, "must not be negative")
            if value == 0 and f.name in _AT_LEAST_ONE:
                raise PolicyError(f"policy.{f.name}", value, "must be at least 1")
        if not self.committee_min_size <= self.committee_max_size <= self.committee_hard_max_size:
            raise PolicyError(
                "policy.committee_max_size",
                self.committee_max_size,
                "committee_min_size <= committee_max_size <= committee_hard_max_size must hold",
            )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the names of all settings, in declaration order.

        Returns
        -------
        tuple of str
            The keys :meth:`from_mapping` and :meth:`replace` accept.

        Examples
        --------
        >>> Policy.names()[:2]
        ('min_branch_full_members', 'max_branch_members')
        >>> len(Policy.names())
        13
        """
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any], *, base: Policy | None = None) -> Policy:
        """Build a policy from `settings`, starting from `base` (the defaults if omitted).

        Parameters
        ----------
        settings : Mapping of str to int
            Setting names and values, e.g. a document's ``policy`` object.
        base : Policy, optional
            The policy the settings change.

        Returns
        -------
        Policy

        Raises
        ------
        PolicyError
            If a key is not a known setting or a value is not a non-negative integer.

        Examples
        --------
        >>> Policy.from_mapping({"committee_threshold": 9}).committee_threshold
        9
        """
        return (base or cls()).replace(**dict(settings))

    def replace(self, **changes: Any) -> Policy:
        """Return a copy with `changes` applied (validated like the constructor).

        Parameters
        ----------
        **changes : int
            New values by setting name.

        Returns
        -------
        Policy
            A new policy; this one is unchanged.

        Raises
        ------
        PolicyError
            If a key is not a known setting or a value is invalid.

        Examples
        --------
        >>> Policy().replace(max_zones_per_member=5).max_zones_per_member
        5
        >>> Policy().replace(max_zones_per_member=-1)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: policy.max_zones_per_member: must not be negative (got -1)
        >>> Policy().replace(foo=1, bar=2)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: policy: unknown policy settings foo, bar; known settings are ... (got ['foo', 'bar'])
        """
        known = self.names()
        unknown = [key for key in changes if key not in known]
        if len(unknown) == 1:
            raise PolicyError(
                f"policy.{unknown[0]}",
                changes[unknown[0]],
                f"unknown policy setting; known settings are {', '.join(known)}",
            )
        if unknown:
            raise PolicyError(
                "policy",
                unknown,
                f"unknown policy settings {', '.join(map(str, unknown))}; "
                f"known settings are {', '.join(known)}",
            )
        return evolve(self, **changes)

    def overrides(self) -> dict[str, int]:
        """Return the settings that differ from the defaults, in declaration order.

        Returns
        -------
        dict of str to int
            Empty for the default policy; ``Policy.from_mapping(p.overrides()) == p``.

        Examples
        --------
        >>> Policy().overrides()
        {}
        >>> p = Policy(term_years_other=5, committee_threshold=9)
        >>> p.overrides()
        {'committee_threshold': 9, 'term_years_other': 5}
        >>> Policy.from_mapping(p.overrides()) == p
        True
        """
        default = type(self)()
        return {
            name: getattr(self, name)
            for name in self.names()
            if getattr(self, name) != getattr(default, name)
        }
