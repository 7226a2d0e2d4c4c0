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


class GridGovError(Exception):
    """Base class of every error gridgov raises on bad input.

    Catch this to handle any gridgov failure; catch a subclass to handle one kind.
    """


class InvalidValueError(GridGovError, ValueError):
    """A value is malformed: wrong type, out of range, or not one of the allowed names.

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
        super().__init__(f"{field}: {reason} (got {value!r})")


class PolicyError(InvalidValueError):
    """A policy setting is unknown or has a bad value."""


class IntegrityError(GridGovError):
    """An event would break the structural integrity of a jurisdiction.

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
    """A reference names no known id (parent, person, org, zone, cooperative, ...)."""

    def __init__(self, field: str, value: str, what: str) -> None:
        self.what = what
        super().__init__(field, value, f"unknown {what} {value!r}")


class DuplicateIdError(IntegrityError):
    """An id is already in use."""

    def __init__(self, field: str, value: str, what: str) -> None:
        self.what = what
        super().__init__(field, value, f"id {value!r} is already used by {what}")


class HierarchyError(IntegrityError):
    """An organization would sit at the wrong level, or the tree would get a cycle."""


class StateError(IntegrityError):
    """The event does not fit the current state (e.g. filing a member filed already)."""


class NotEmptyError(StateError):
    """An organization or person cannot be removed while things still depend on it."""


class ConcurrencyError(GridGovError):
    """A write expected another version of the event log than the one stored.

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
