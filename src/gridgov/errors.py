"""The exceptions gridgov raises.

Every error gridgov raises on bad input is a :class:`GridGovError`. Its message names
the field and the offending value, so that a host can show it to a user as it is, and
the operation that raised it has changed nothing.

This module imports nothing from gridgov: every layer may use it.

Examples
--------
>>> from gridgov.errors import GridGovError, UnknownReferenceError
>>> err = UnknownReferenceError("parent", "C9", "organization")
>>> str(err)
"parent: unknown organization 'C9'"
>>> isinstance(err, GridGovError)
True
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence

__all__ = [
    "ConcurrencyError",
    "DocumentError",
    "DuplicateIdError",
    "GridGovError",
    "HierarchyError",
    "IntegrityError",
    "InvalidValueError",
    "MissingDependencyError",
    "NotEmptyError",
    "PolicyError",
    "Problem",
    "StateError",
    "UnknownReferenceError",
]


_REPR = reprlib.Repr()  # keyword arguments need Python 3.12
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple, _REPR.maxset = 2, 4, 6, 6, 6
_REPR.maxstring = _REPR.maxother = 80


def short_repr(value: object) -> str:
    """Return ``repr(value)`` cut to a readable length, for error messages.

    Examples
    --------
    >>> short_repr("B1")
    "'B1'"
    >>> short_repr(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    return _REPR.repr(value)


class GridGovError(Exception):
    """Base class of every error gridgov raises on bad input.

    Catch this to handle any gridgov failure; catch a subclass to handle one kind. The
    message names the field and the offending value.

    Examples
    --------
    >>> from gridgov import GridGovError, Jurisdiction
    >>> try:
    ...     Jurisdiction().file_member("P9", "G1")
    ... except GridGovError as err:
    ...     print(type(err).__name__, err.field, err.value, "|", err)
    UnknownReferenceError filing.person P9 | filing.person: unknown person 'P9'
    """


class InvalidValueError(GridGovError, ValueError):
    """A value is malformed: wrong type, out of range, or not one of the allowed names.

    Raised when a value is checked on its own, before any state is looked at: by the
    constructors of records (:class:`~gridgov.model.Organization`, ...), by the options
    of :func:`~gridgov.rules.validate` (a selector matching no rule, an unknown
    severity), and while structuring document values. It is also a :class:`ValueError`.

    Parameters
    ----------
    field : str
        Where the value was given (an argument or a document path).
    value : object
        The offending value.
    reason : str
        What is wrong with it.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {short_repr(value)})")


class PolicyError(InvalidValueError):
    """A policy setting is unknown or has a bad value.

    Raised by :class:`~gridgov.model.Policy` (its constructor, ``replace`` and
    ``from_mapping``) and by the settings readers of :mod:`gridgov.config`.
    """


class IntegrityError(GridGovError):
    """An event would break the structural integrity of a jurisdiction.

    Raised (as one of its subclasses) by :meth:`~gridgov.model.Jurisdiction.apply` and
    the commands built on it (``found_org``, ``file_member``, ...), which then leave the
    jurisdiction unchanged.

    Parameters
    ----------
    field : str
        The event field at fault.
    value : object
        Its value.
    message : str
        What would break.
    """

    def __init__(self, field: str, value: object, message: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {message}")


class UnknownReferenceError(IntegrityError):
    """A reference names no known id (parent, person, org, zone, cooperative, ...).

    Raised when an event refers to an id the jurisdiction does not hold, and when a
    :class:`~gridgov.rules.Registry` is asked for a code it does not hold.
    """

    def __init__(self, field: str, value: str, what: str) -> None:
        self.what = what
        super().__init__(field, value, f"unknown {what} {value!r}")


class DuplicateIdError(IntegrityError):
    """An id is already in use.

    Raised when an event adds an organization, person, household or cooperative under
    an id any of them already has (they share one namespace), and when a rule is
    registered under a code already taken.
    """

    def __init__(self, field: str, value: str, what: str) -> None:
        self.what = what
        super().__init__(field, value, f"id {value!r} is already used by {what}")


class HierarchyError(IntegrityError):
    """An organization would sit at the wrong level, or the tree would get a cycle.

    Raised when an organization is founded or moved under a parent that is not one level
    above it, when a second root would be founded, when a move would make a cycle, and
    when a member is filed into an organization not at the filing level.
    """


class StateError(IntegrityError):
    """The event does not fit the current state (e.g. filing a member filed already).

    Raised when an event does not fit what is already there: filing or registering
    someone twice, unfiling someone not filed, claiming a zone twice, releasing a claim
    that does not exist, changing the scheme once organizations exist, ...
    """


class NotEmptyError(StateError):
    """An organization or person cannot be removed while things still depend on it.

    Raised by dissolving an organization that still has child organizations, filed
    members, households, claims, posts, ..., and by removing a person who still has a
    registration, filing, claim, post or cooperative role.
    """


class ConcurrencyError(GridGovError):
    """A write expected another version of the event log than the one stored.

    Nothing in gridgov raises it yet: it is defined for the planned storage backends
    with optimistic concurrency.

    Parameters
    ----------
    expected : int
        The version the writer expected.
    actual : int
        The version found.
    """

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"version: expected {expected}, found {actual}")


class MissingDependencyError(GridGovError, ImportError):
    """An optional part of gridgov needs a package that is not installed.

    Raised on importing :mod:`gridgov.allocation` without numpy and scipy (the
    ``simulate`` extra), or using its tables and plots without pandas or matplotlib (the
    ``notebook`` extra). It is also an :class:`ImportError`.

    Parameters
    ----------
    package : str
        The missing package (the name to ``pip install``).
    extra : str
        The gridgov extra that brings it, e.g. ``simulate``.
    feature : str
        What needs it.

    Examples
    --------
    >>> str(MissingDependencyError("scipy", "simulate", "the zone assignment"))
    "scipy: the zone assignment needs it; install it with: pip install 'gridgov[simulate]'"
    """

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{package}: {feature} needs it; install it with: pip install 'gridgov[{extra}]'"
        )


class Problem(tuple[str, str]):
    """One problem in a document: a JSON path and a message.

    Examples
    --------
    >>> p = Problem("organizations[3].parent", "unknown organization 'C9'")
    >>> str(p)
    "organizations[3].parent: unknown organization 'C9'"
    """

    __slots__ = ()

    def __new__(cls, path: str, message: str) -> Problem:
        return super().__new__(cls, (path, message))

    @property
    def path(self) -> str:
        """The JSON path of the offending value, e.g. ``organizations[3].parent``."""
        return self[0]

    @property
    def message(self) -> str:
        """What is wrong there."""
        return self[1]

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DocumentError(GridGovError):
    """A document cannot be read: bad JSON, wrong types, unknown names, too large.

    Raised by the readers of :mod:`gridgov.io` (``load``, ``loads``, ``parse``,
    ``read``), by :func:`gridgov.converters.structure` and
    :func:`~gridgov.converters.structure_event`, and by
    :func:`~gridgov.config.load_settings` for a missing or malformed file. A broken
    reference in a document is reported here too, not as an :class:`IntegrityError`.

    Parameters
    ----------
    problems : sequence of Problem
        Every problem found, each with its JSON path.
    source : str, optional
        The file the document came from, if any.

    Examples
    --------
    >>> err = DocumentError([Problem("scheme", "unknown scheme 'nine-level'")])
    >>> str(err)
    "scheme: unknown scheme 'nine-level'"
    """

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        first = str(self.problems[0]) if self.problems else "invalid document"
        more = len(self.problems) - 1
        text = first if more <= 0 else f"{first} (and {more} more problem{'s' * (more > 1)})"
        super().__init__(f"{source}: {text}" if source else text)
