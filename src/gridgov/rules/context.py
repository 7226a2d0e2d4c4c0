"""What a rule check sees: the jurisdiction, the effective policy, and document positions.

A :class:`Context` is built once per validation. Checks read the jurisdiction through its
public read API (``ctx.j``), the thresholds through ``ctx.policy``, and build their
findings with :meth:`Context.diagnostic`, which fills in the severity (the rule's own or
an override) and the document path when the jurisdiction was read from a document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gridgov.model.enums import MemberStatus
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.rules.diagnostics import Diagnostic, Severity

__all__ = ["Context", "Paths"]


class Paths:
    """Positions of records in the document a jurisdiction was read from.

    Keys: ``("org", id)``, ``("person", id)``, ``("household", id)``,
    ``("cooperative", id)``, ``("registration", person)``, ``("filing", person)``,
    ``("claim", (person, zone))``, ``("post", (org, role, holder))``.
    """

    __slots__ = ("_paths", "refused")

    def __init__(self, paths: Mapping[tuple[str, object], str] | None = None) -> None:
        self._paths: dict[tuple[str, object], str] = dict(paths or {})
        self.refused: set[tuple[str, object]] = set()
        """Records of the document that were refused (``("filing", person)``, ...)."""

    def refuse(self, kind: str, key: object) -> None:
        """Record that the document's record `kind`/`key` was refused."""
        self.refused.add((kind, key))

    def set(self, kind: str, key: object, path: str) -> None:
        """Record that the record `kind`/`key` is at `path` (the first one wins)."""
        self._paths.setdefault((kind, key), path)

    def get(self, kind: str, key: object) -> str | None:
        """Return the path of the record `kind`/`key`, or ``None``."""
        return self._paths.get((kind, key))


class Context:
    """The inputs of a validation, shared by every check.

    Parameters
    ----------
    j : Jurisdiction
        What is validated.
    policy : Policy
        The thresholds in force.
    severities : mapping of str to Severity
        The severity of each selected rule.
    paths : Paths, optional
        Document positions, when the jurisdiction was read from a document.
    """

    __slots__ = ("_chains", "_full", "_members", "j", "paths", "policy", "scheme", "severities")

    def __init__(
        self,
        j: Jurisdiction,
        policy: Policy,
        severities: Mapping[str, Severity],
        paths: Paths | None = None,
    ) -> None:
        self.j = j
        self.policy = policy
        self.scheme = j.scheme
        self.severities = dict(severities)
        self.paths = paths
        self._members: dict[str, tuple[list[str], int]] = {}
        self._chains: dict[str, list[str]] = {}

    def clear_cache(self) -> None:
        """Forget what was computed for the previous state (the engine calls it per run)."""
        self._members.clear()
        self._chains.clear()

    def members(self, org: str) -> list[str]:
        """The people filed anywhere in the subtree of `org` (cached for the run)."""
        return self._count(org)[0]

    def full_count(self, org: str) -> int:
        """How many full members are filed in the subtree of `org` (cached for the run)."""
        return self._count(org)[1]

    def _count(self, org: str) -> tuple[list[str], int]:
        hit = self._members.get(org)
        if hit is None:
            members = self.j.graph.members(org)
            people = self.j.people
            full = MemberStatus.FULL
            n = 0
            for pid in members:
                party = people[pid].party
                if party is not None and party.status is full:
                    n += 1
            hit = self._members[org] = (members, n)
        return hit

    def chain(self, org: str) -> list[str]:
        """`org` and its ancestors up to the root (cached for the run)."""
        hit = self._chains.get(org)
        if hit is None:
            hit = self._chains[org] = self.j.graph.chain(org)
        return hit

    @property
    def as_of(self) -> dt.date | None:
        """The date rules about time are judged at (the jurisdiction's ``as_of``)."""
        return self.j.as_of

    @property
    def root(self) -> str | None:
        """The id of the single root organization, or ``None`` if there is not exactly one."""
        roots = self.j.graph.roots()
        return roots[0] if len(roots) == 1 else None

    def is_full(self, person: str) -> bool:
        """True when `person` is a full (not probationary) Party member."""
        p = self.j.people.get(person)
        return p is not None and p.party is not None and p.party.status is MemberStatus.FULL

    def is_member(self, person: str) -> bool:
        """True when `person` is a Party member (full or probationary)."""
        p = self.j.people.get(person)
        return p is not None and p.party is not None

    def path(self, kind: str, key: object, field: str | None = None) -> str | None:
        """Return the document path of a record (and one of its fields), if known."""
        if self.paths is None:
            return None
        base = self.paths.get(kind, key)
        if base is None or field is None:
            return base
        return f"{base}.{field}"

    def diagnostic(
        self,
        code: str,
        message: str,
        ids: tuple[str, ...],
        hint: str = "",
        path: str | None = None,
    ) -> Diagnostic:
        """Build a finding of rule `code` with its severity in force."""
        return Diagnostic(code, self.severities[code], message, ids, hint, path)
