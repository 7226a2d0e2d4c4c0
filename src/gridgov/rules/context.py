"""What a rule check sees: the jurisdiction, the effective policy, and document positions.

A :class:`Context` is built once per validation. Checks read the jurisdiction through its
public read API (``ctx.jurisdiction``, or ``ctx.j`` for short), the thresholds through
``ctx.policy`` (``ctx.policy.get(name)`` for any setting, built-in or contributed by a
plugin), and build their findings with :meth:`Context.diagnostic`, which fills in the
severity (the rule's own or an override), the rule's hint, and the document path when
the jurisdiction was read from a document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gridgov.errors import InvalidValueError
from gridgov.limits import check_id_text, check_text
from gridgov.model.commands import require_id
from gridgov.model.enums import MemberStatus
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.policy import Policy
from gridgov.model.scheme import Scheme
from gridgov.rules.diagnostics import Diagnostic, Severity

__all__ = ["Context", "Paths"]


def _hashable(field: str, value: object) -> None:
    try:
        hash(value)
    except TypeError:
        raise InvalidValueError(field, value, "must be hashable") from None


class Paths:
    """Positions of records in the document a jurisdiction was read from.

    Keys: ``("org", id)``, ``("person", id)``, ``("household", id)``,
    ``("cooperative", id)``, ``("registration", person)``, ``("filing", person)``,
    ``("claim", (person, zone))``, ``("post", (org, role, holder))``.

    The tolerant reader (:func:`~gridgov.rules.read_tolerant`) fills them in; a check
    reads them through :meth:`Context.path`.

    Parameters
    ----------
    paths : mapping of (str, object) to str, optional
        Initial positions by ``(kind, key)``.
    """

    __slots__ = ("_paths", "refused")

    def __init__(self, paths: Mapping[tuple[str, object], str] | None = None) -> None:
        if paths is not None and not isinstance(paths, Mapping):
            raise InvalidValueError("paths", paths, "expected a mapping of (kind, key) to path")
        for where, path in (paths or {}).items():
            if not isinstance(where, tuple) or len(where) != 2 or not isinstance(where[0], str):
                raise InvalidValueError("paths", where, "keys are (kind, key) pairs")
            check_text("paths", path)
        self._paths: dict[tuple[str, object], str] = dict(paths or {})
        self.refused: set[tuple[str, str, object, object]] = set()
        """Records of the document that were refused: ``(record, subject, detail, key)``."""

    def refuse(self, record: str, subject: str, detail: object = None, key: object = None) -> None:
        """Record that a record of the document was refused, and what it leaves missing.

        Parameters
        ----------
        record : str
            The kind of record, e.g. ``post`` (see :meth:`Event.refusal
            <gridgov.model.events.Event.refusal>`).
        subject : str
            What it leaves short: a post's organization, a claim's zone, a filing's person.
        detail : object, optional
            E.g. the role of a post.
        key : object, optional
            What tells two refused records apart (a post's ``(org, role, holder)``).

        Examples
        --------
        >>> paths = Paths()
        >>> paths.refuse("filing", "P7", key="P7")
        >>> ("filing", "P7", None, "P7") in paths.refused, paths.get("filing", "P7")
        (True, None)
        """
        check_id_text("record", record)
        check_id_text("subject", subject)
        _hashable("detail", detail)
        _hashable("key", key)
        self.refused.add((record, subject, detail, key))

    def set(self, kind: str, key: object, path: str) -> None:
        """Record that the record `kind`/`key` is at `path` (the first one wins).

        Parameters
        ----------
        kind : str
            The kind of record, e.g. ``org``.
        key : object
            Its key, e.g. the organization's id.
        path : str
            Its position in the document, e.g. ``organizations[0]``.

        Examples
        --------
        >>> paths = Paths()
        >>> paths.set("org", "S1", "organizations[0]")
        >>> paths.set("org", "S1", "organizations[4]")
        >>> paths.get("org", "S1")
        'organizations[0]'
        """
        if type(kind) is not str or type(path) is not str:  # the reader's calls are fast
            check_id_text("kind", kind)
            check_text("path", path)
        try:
            self._paths.setdefault((kind, key), path)
        except TypeError:
            raise InvalidValueError("key", key, "must be hashable") from None

    def get(self, kind: str, key: object) -> str | None:
        """Return the path of the record `kind`/`key`, or ``None``.

        Examples
        --------
        >>> from gridgov.model import Organization
        >>> from gridgov.model.document import Document
        >>> from gridgov.rules import read_tolerant
        >>> doc = Document(organizations=(Organization("S1", "street", "S"),))
        >>> _, paths, _ = read_tolerant(doc)
        >>> paths.get("org", "S1"), paths.get("org", "S9")
        ('organizations[0]', None)
        """
        if not isinstance(kind, str):
            raise InvalidValueError("kind", kind, "must be a kind of record (a string)")
        try:
            return self._paths.get((kind, key))
        except TypeError:
            raise InvalidValueError("key", key, "must be hashable") from None


class Context:
    """The inputs of a validation, shared by every check.

    Parameters
    ----------
    jurisdiction : Jurisdiction
        What is validated (``ctx.j`` is an alias).
    policy : Policy
        The thresholds in force.
    severities : mapping of str to Severity
        The severity of each selected rule.
    paths : Paths, optional
        Document positions, when the jurisdiction was read from a document.
    hints : mapping of str to str, optional
        The hint of each rule, used when a finding gives none.

    Examples
    --------
    A check receives the context and the ids to look at, and yields its findings:

    >>> from gridgov.model import Jurisdiction
    >>> def no_full_member(ctx, subjects):
    ...     for org in subjects:
    ...         if ctx.full_count(org) == 0:
    ...             yield ctx.diagnostic("XX002", f"{org!r} has no full member", (org,))
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> ctx = Context(j, j.policy, {"XX002": Severity.WARNING})
    >>> [str(d) for d in no_full_member(ctx, ["S1"])]
    ["XX002 [W] 'S1' has no full member (S1)"]
    """

    __slots__ = ("_chains", "_members", "hints", "jurisdiction", "paths", "policy", "severities")

    def __init__(
        self,
        jurisdiction: Jurisdiction,
        policy: Policy,
        severities: Mapping[str, Severity],
        paths: Paths | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(jurisdiction, Jurisdiction):
            raise InvalidValueError("jurisdiction", jurisdiction, "expected a Jurisdiction")
        if not isinstance(policy, Policy):
            raise InvalidValueError("policy", policy, "expected a Policy")
        if not isinstance(severities, Mapping) or not all(
            isinstance(code, str) and isinstance(s, Severity) for code, s in severities.items()
        ):
            raise InvalidValueError(
                "severities", severities, "expected a mapping of rule codes to Severity"
            )
        if paths is not None and not isinstance(paths, Paths):
            raise InvalidValueError("paths", paths, "expected Paths or None")
        if hints is not None and (
            not isinstance(hints, Mapping)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in hints.items())
        ):
            raise InvalidValueError("hints", hints, "expected a mapping of rule codes to hints")
        self.jurisdiction = jurisdiction
        self.policy = policy
        self.severities = dict(severities)
        self.paths = paths
        self.hints = dict(hints or {})
        self._members: dict[str, tuple[list[str], int]] = {}
        self._chains: dict[str, list[str]] = {}

    def clear_cache(self) -> None:
        """Forget what was computed for the previous state (the engine calls it per run).

        Examples
        --------
        >>> from gridgov.model import THREE_LEVEL, Jurisdiction
        >>> j = Jurisdiction(THREE_LEVEL)
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("G1", "grid", "G", parent="V1")
        >>> _ = j.add_person("P1", "A", status="full")
        >>> ctx = Context(j, j.policy, {})
        >>> ctx.members("V1")
        []
        >>> _ = j.file_member("P1", "G1")
        >>> ctx.members("V1")  # still the answer cached for the state before the filing
        []
        >>> ctx.clear_cache()
        >>> ctx.members("V1")
        ['P1']
        """
        self._members.clear()
        self._chains.clear()

    def members(self, org: str) -> list[str]:
        """The people filed anywhere in the subtree of `org`, then those attached to it
        (cached for the run).

        Examples
        --------
        >>> from gridgov.model import THREE_LEVEL, Jurisdiction
        >>> j = Jurisdiction(THREE_LEVEL)
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("G1", "grid", "G", parent="V1")
        >>> _ = j.add_person("P1", "A", status="probationary")
        >>> _ = j.file_member("P1", "G1")
        >>> Context(j, j.policy, {}).members("V1")
        ['P1']
        """
        return self._count(org)[0]

    def full_count(self, org: str) -> int:
        """How many of the :meth:`members` of `org` are full members (cached for the run).

        Examples
        --------
        >>> from gridgov.model import THREE_LEVEL, Jurisdiction
        >>> j = Jurisdiction(THREE_LEVEL)
        >>> _ = j.found_org("V1", "community", "V")
        >>> _ = j.found_org("G1", "grid", "G", parent="V1")
        >>> _ = j.add_person("P1", "A", status="probationary")
        >>> _ = j.file_member("P1", "G1")
        >>> ctx = Context(j, j.policy, {})
        >>> len(ctx.members("V1")), ctx.full_count("V1")  # probationary members do not count
        (1, 0)
        """
        return self._count(org)[1]

    def _count(self, org: str) -> tuple[list[str], int]:
        hit = self._members.get(org) if isinstance(org, str) else None
        if hit is None:
            members = self.jurisdiction.members(org)
            people = self.jurisdiction.people
            full = MemberStatus.FULL
            n = 0
            for pid in members:
                party = people[pid].party
                if party is not None and party.status is full:
                    n += 1
            hit = self._members[org] = (members, n)
        return hit

    def chain(self, org: str) -> list[str]:
        """`org` and its ancestors up to the root (cached for the run).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "S")
        >>> _ = j.found_org("C1", "community", "C", parent="S1")
        >>> Context(j, j.policy, {}).chain("C1")
        ['C1', 'S1']
        """
        hit = self._chains.get(org) if isinstance(org, str) else None
        if hit is None:
            hit = self._chains[org] = self.jurisdiction.graph.chain(org)
        return hit

    @property
    def j(self) -> Jurisdiction:
        """The jurisdiction a check reads (an alias of :attr:`jurisdiction`)."""
        return self.jurisdiction

    @property
    def scheme(self) -> Scheme:
        """The jurisdiction's scheme of levels."""
        return self.jurisdiction.scheme

    @property
    def as_of(self) -> dt.date | None:
        """The date rules about time are judged at (the jurisdiction's ``as_of``)."""
        return self.jurisdiction.as_of

    @property
    def root(self) -> str | None:
        """The id of the single root organization, or ``None`` if there is not exactly one."""
        roots = self.jurisdiction.graph.roots()
        return roots[0] if len(roots) == 1 else None

    def is_full(self, person: str) -> bool:
        """True when `person` is a full (not probationary) Party member.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.add_person("P1", "A", status="full")
        >>> _ = j.add_person("P2", "B", status="probationary")
        >>> ctx = Context(j, j.policy, {})
        >>> [ctx.is_full(p) for p in ("P1", "P2", "P9")]
        [True, False, False]
        """
        p = self.jurisdiction.people.get(person) if isinstance(person, str) else None
        if p is None:
            require_id("person", person)
            return False
        return p.is_full_member

    def is_member(self, person: str) -> bool:
        """True when `person` is a Party member (full or probationary).

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> j = Jurisdiction()
        >>> _ = j.add_person("P1", "A", status="probationary")
        >>> _ = j.add_person("P2", "B")
        >>> ctx = Context(j, j.policy, {})
        >>> [ctx.is_member(p) for p in ("P1", "P2", "P9")]
        [True, False, False]
        """
        p = self.jurisdiction.people.get(person) if isinstance(person, str) else None
        if p is None:
            require_id("person", person)
            return False
        return p.is_member

    def path(self, kind: str, key: object, field: str | None = None) -> str | None:
        """Return the document path of a record (and one of its fields), if known.

        Parameters
        ----------
        kind : str
            The kind of record (a key kind of :class:`Paths`, e.g. ``org``).
        key : object
            Its key, e.g. the organization's id.
        field : str, optional
            A field of the record, appended to its path.

        Returns
        -------
        str or None
            ``None`` when the jurisdiction was not read from a document, or the record
            has no known position.

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> ctx = Context(Jurisdiction(), Policy(), {}, Paths({("org", "S1"): "organizations[0]"}))
        >>> ctx.path("org", "S1", "name"), ctx.path("org", "S9")
        ('organizations[0].name', None)
        >>> Context(Jurisdiction(), Policy(), {}).path("org", "S1") is None
        True
        """
        if not isinstance(kind, str):
            raise InvalidValueError("kind", kind, "must be a kind of record (a string)")
        if field is not None and not isinstance(field, str):
            raise InvalidValueError("field", field, "must be a field name or None")
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
        hint: str | None = None,
        path: str | None = None,
    ) -> Diagnostic:
        """Build a finding of rule `code` with its severity in force.

        Parameters
        ----------
        code : str
            The code of the rule the finding belongs to.
        message : str
            What is wrong, naming the offending ids.
        ids : tuple of str
            The ids involved, the subject of the check first.
        hint : str, optional
            How to fix it (default: the rule's hint).
        path : str, optional
            Where in the document it applies (see :meth:`path`).

        Returns
        -------
        Diagnostic

        Examples
        --------
        >>> from gridgov.model import Jurisdiction
        >>> def named_test(ctx, subjects):
        ...     for org in subjects:
        ...         if ctx.j.graph.org(org).name == "test":
        ...             yield ctx.diagnostic("XX001", f"{org!r} is named 'test'", (org,),
        ...                                  "rename it", ctx.path("org", org, "name"))
        >>> j = Jurisdiction()
        >>> _ = j.found_org("S1", "street", "test")
        >>> paths = Paths({("org", "S1"): "organizations[0]"})
        >>> ctx = Context(j, j.policy, {"XX001": Severity.WARNING}, paths)
        >>> [(str(d), d.path) for d in named_test(ctx, ["S1"])]
        [("XX001 [W] 'S1' is named 'test' (S1)", 'organizations[0].name')]
        """
        severity = self.severities.get(code) if isinstance(code, str) else None
        if severity is None:
            raise InvalidValueError(
                "code", code, "names no rule selected for this run: a check reports its own code"
            )
        if hint is None:
            hint = self.hints.get(code, "")
        return Diagnostic(code, severity, message, ids, hint, path)
