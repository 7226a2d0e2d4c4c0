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
from collections.abc import Mapping, Sequence
from itertools import islice

__all__ = [
    "BusError",
    "ConcurrencyError",
    "DeliveryWarning",
    "DocumentError",
    "DuplicateIdError",
    "FileError",
    "GridGovError",
    "GridGovWarning",
    "HierarchyError",
    "IntegrityError",
    "InvalidValueError",
    "ListenerWarning",
    "MissingDependencyError",
    "NotEmptyError",
    "PluginError",
    "PluginWarning",
    "PolicyError",
    "Problem",
    "StateError",
    "StoreError",
    "UnknownReferenceError",
    "ValidationError",
]


_LONG_INT_BITS = 133
"""Integers longer than this (about 40 digits) are described by their length, not printed."""


class _ShortRepr(reprlib.Repr):
    """A :class:`reprlib.Repr` that never converts a hostile value in full.

    Integers of more than about 40 digits are described (``an integer of 5001 digits``):
    Python refuses to print one of more than 4,300 digits, and a long one says nothing
    more. Bytes are cut like strings; any mapping, list or tuple (subclasses included)
    is shown to two levels; an object whose ``repr`` raises is named by its type.
    """

    def repr1(self, x: object, level: int) -> str:
        if isinstance(x, int) and not isinstance(x, bool):
            return _describe_int(x)
        if isinstance(x, bytes | bytearray):
            text = repr(bytes(x[: self.maxstring]))
            return text if len(x) <= self.maxstring else text[:-1] + "..." + text[-1]
        if isinstance(x, Mapping) and type(x) is not dict:
            return f"{type(x).__name__}({self.repr_dict(dict(islice(x.items(), 64)), level)})"
        if isinstance(x, list | tuple) and type(x) not in (list, tuple):
            return f"{type(x).__name__}({self.repr_list(list(islice(x, 64)), level)})"
        return super().repr1(x, level)

    def repr_instance(self, x: object, level: int) -> str:
        try:
            text = repr(x)
        except Exception:  # a broken or hostile __repr__: name the type only
            return f"<{type(x).__name__} object>"
        if len(text) > self.maxother:
            text = text[: self.maxother - 3] + "..."
        return text


def _describe_int(x: int) -> str:
    bits = x.bit_length()
    if bits <= _LONG_INT_BITS:
        return repr(x)
    digits = int(bits * 0.30102999566398120)  # log10(2): within one of the true count
    if abs(x) >= 10**digits:
        digits += 1
    return f"an integer of {digits} digits"


_REPR = _ShortRepr()  # keyword arguments need Python 3.12
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple, _REPR.maxset = 2, 4, 6, 6, 6
_REPR.maxfrozenset = _REPR.maxdeque = _REPR.maxarray = 6
_REPR.maxstring = _REPR.maxother = 80


def short_repr(value: object) -> str:
    """Return ``repr(value)`` cut to a readable length, for error messages.

    Safe on any value: nested data is shown two levels deep, long strings and bytes are
    cut, an integer too long to print is described by its number of digits, and an
    object whose ``repr`` fails is named by its type. The value is never converted in
    full.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    str
        At most a few hundred characters.

    Examples
    --------
    >>> short_repr("B1")
    "'B1'"
    >>> short_repr(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    >>> short_repr(10**5000)
    'an integer of 5001 digits'
    >>> deep = []
    >>> for _ in range(100_000):
    ...     deep = [deep]
    >>> short_repr(deep)
    '[[[...]]]'
    """
    try:
        return _REPR.repr(value)
    except Exception:  # pragma: no cover - the overrides above already guard each kind
        return f"<{type(value).__name__} object>"


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
        What would break (the error's text after ``field: ``; kept as :attr:`reason`).
    code : str, optional
        The structural rule the refusal stands for when the event comes from a document
        (``GG101`` unknown reference, ``GG102`` parent level, ``GG103`` cycle, ``GG104``
        root, ``GG105`` repeated id or record, ``GG106`` filing level, ``GG107`` second
        filing); each subclass has its usual code as a default.
    hint : str, optional
        How to fix it.

    Examples
    --------
    >>> err = HierarchyError("filing.org", "B1", "'B1' is a branch", code="GG106")
    >>> err.code, err.reason, str(err)
    ('GG106', "'B1' is a branch", "filing.org: 'B1' is a branch")
    """

    default_code: str | None = None
    default_hint: str = ""

    def __init__(
        self,
        field: str,
        value: object,
        message: str,
        *,
        code: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.reason = message
        self.code = code if code is not None else self.default_code
        self.hint = hint if hint is not None else self.default_hint
        super().__init__(f"{field}: {message}")


class UnknownReferenceError(IntegrityError):
    """A reference names no known id (parent, person, org, zone, cooperative, ...).

    Raised when an event refers to an id the jurisdiction does not hold, and when a
    :class:`~gridgov.rules.Registry` is asked for a code it does not hold. Its code is
    ``GG101``.
    """

    default_code: str | None = "GG101"
    default_hint = "add the missing record or correct the id"

    def __init__(
        self, field: str, value: str, what: str, *, code: str | None = None, hint: str | None = None
    ) -> None:
        self.what = what
        super().__init__(field, value, f"unknown {what} {short_repr(value)}", code=code, hint=hint)


class DuplicateIdError(IntegrityError):
    """An id is already in use.

    Raised when an event adds an organization, person, household or cooperative under
    an id any of them already has (they share one namespace), and when a rule is
    registered under a code already taken. Its code is ``GG105``.
    """

    default_code: str | None = "GG105"
    default_hint = "give each record its own id"

    def __init__(
        self, field: str, value: str, what: str, *, code: str | None = None, hint: str | None = None
    ) -> None:
        self.what = what
        super().__init__(
            field, value, f"id {short_repr(value)} is already used by {what}", code=code, hint=hint
        )


class HierarchyError(IntegrityError):
    """An organization would sit at the wrong level, or the tree would get a cycle.

    Raised when an organization is founded or moved under a parent that is not one level
    above it (``GG102``), when a second root would be founded (``GG104``), when a move
    would make a cycle (``GG103``), and when a member is filed into an organization not
    at the filing level (``GG106``); a reference to an organization of the wrong level
    elsewhere is ``GG101``.
    """

    default_code: str | None = "GG102"
    default_hint = "put it under an organization one level above it"


class StateError(IntegrityError):
    """The event does not fit the current state (e.g. filing a member filed already).

    Raised when an event does not fit what is already there: filing or registering
    someone twice, unfiling someone not filed, claiming a zone twice, releasing a claim
    that does not exist, changing the scheme once organizations exist, ... Its code is
    ``GG105`` (a record repeated), ``GG107`` for a second filing.
    """

    default_code: str | None = "GG105"
    default_hint = "remove the repeated record"


class NotEmptyError(StateError):
    """An organization or person cannot be removed while things still depend on it.

    Raised by dissolving an organization that still has child organizations, filed
    members, households, claims, posts, ..., and by removing a person who still has a
    registration, filing, claim, post or cooperative role.
    """

    default_code: str | None = None
    default_hint = "remove what depends on it first"


class ConcurrencyError(GridGovError):
    """A write expected another version of the jurisdiction than the one it found.

    Raised by :meth:`Jurisdiction.apply <gridgov.model.Jurisdiction.apply>` and
    :meth:`~gridgov.model.Jurisdiction.apply_all` given an ``expected_version`` the
    jurisdiction is not at, and by an event store's ``append`` and
    :meth:`Service.execute <gridgov.service.Service.execute>` when another writer
    appended to the stream first (optimistic concurrency); nothing is applied or
    written.

    Parameters
    ----------
    expected : int
        The version the writer expected.
    actual : int
        The version found.
    stream : str, optional
        The stream (jurisdiction id) written to, when the conflict is in a store.

    Examples
    --------
    >>> str(ConcurrencyError(4, 6))
    'expected_version: expected version 4, found version 6'
    >>> str(ConcurrencyError(4, 6, stream="S1"))
    "expected_version: expected version 4 of stream 'S1', found version 6"
    """

    def __init__(self, expected: int, actual: int, *, stream: str | None = None) -> None:
        self.expected = expected
        self.actual = actual
        self.stream = stream
        self.field = "expected_version"
        where = "" if stream is None else f" of stream {short_repr(stream)}"
        super().__init__(
            f"expected_version: expected version {short_repr(expected)}{where}, found version {actual}"
        )


class StoreError(GridGovError):
    """An event store cannot be opened or used: a bad URL, a server that does not answer.

    Raised by :func:`gridgov.plugins.event_store` for a URL no plugin opens, and by the
    stores for what their database driver reports (the driver's error is the cause):
    a refused connection, a locked database, a schema written by a newer gridgov. The
    URL in the message never shows a password.

    Parameters
    ----------
    url : str
        The store's URL (password hidden).
    reason : str
        What went wrong, on one line.
    field : str, optional
        The argument the URL was given in (``url``, a service's ``store``), when the
        URL itself is at fault: it is not a URL, or no plugin opens it. The message
        then starts with it.

    Examples
    --------
    >>> str(StoreError("sqlite:///gridgov.db", "database is locked"))
    'sqlite:///gridgov.db: database is locked'
    >>> str(StoreError("mongodb://h/db", "no plugin opens this URL", field="store"))
    'store: mongodb://h/db: no plugin opens this URL'
    """

    def __init__(self, url: str, reason: str, *, field: str | None = None) -> None:
        self.url = url
        self.reason = reason
        self.field = field
        super().__init__(f"{url}: {reason}" if field is None else f"{field}: {url}: {reason}")


class BusError(GridGovError):
    """A message bus cannot be opened or used: a bad URL, a server that does not answer.

    Raised by :func:`gridgov.plugins.message_bus` for a URL no plugin opens, and by the
    buses for what their client reports (the client's error is the cause). The URL in
    the message never shows a password.

    Parameters
    ----------
    url : str
        The bus's URL (password hidden).
    reason : str
        What went wrong, on one line.
    field : str, optional
        The argument the URL was given in (``url``, a service's ``bus``), when the URL
        itself is at fault: it is not a URL, or no plugin opens it. The message then
        starts with it.

    Examples
    --------
    >>> str(BusError("redis://127.0.0.1:6390/0", "cannot connect: connection refused"))
    'redis://127.0.0.1:6390/0: cannot connect: connection refused'
    """

    def __init__(self, url: str, reason: str, *, field: str | None = None) -> None:
        self.url = url
        self.reason = reason
        self.field = field
        super().__init__(f"{url}: {reason}" if field is None else f"{field}: {url}: {reason}")


class ValidationError(GridGovError):
    """A change was refused because it brings new rule findings at or above a severity.

    Raised by :meth:`Service.execute <gridgov.service.Service.execute>` when the
    service was set up with ``refuse="error"`` (say) and the change would introduce a
    finding of that severity; nothing is applied or written.

    Parameters
    ----------
    diagnostics : sequence of Diagnostic
        The new findings, at or above the refusal severity.

    Examples
    --------
    >>> from gridgov.rules import Diagnostic, Severity
    >>> d = Diagnostic("GG206", Severity.ERROR, "organization 'S1' has no secretary", ("S1",))
    >>> str(ValidationError([d]))
    "refused: GG206 [E] organization 'S1' has no secretary (S1)"
    """

    def __init__(self, diagnostics: Sequence[object]) -> None:
        self.diagnostics = tuple(diagnostics)
        first = str(self.diagnostics[0]) if self.diagnostics else "new findings"
        more = len(self.diagnostics) - 1
        text = first if more <= 0 else f"{first} (and {more} more finding{'s' * (more > 1)})"
        super().__init__(f"refused: {text}")


class PluginError(GridGovError):
    """Plugins contribute something that cannot be combined.

    Raised when two plugins contribute the same rule code, setting or event topic (the
    message names both plugins; blocking one of them by name resolves it), and when a
    contribution is not what its hook promises (a hook returning something that is not a
    :class:`~gridgov.rules.Rule`, say).

    Examples
    --------
    >>> str(PluginError("rule XX201", "contributed by both 'a' and 'b'"))
    "rule XX201: contributed by both 'a' and 'b'"
    """

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class GridGovWarning(UserWarning):
    """Base class of the warnings gridgov issues.

    A test suite running with ``filterwarnings = error`` can expect one with
    ``pytest.warns(GridGovWarning)``.
    """


class PluginWarning(GridGovWarning):
    """A plugin could not be loaded, registered or called; everything else keeps working.

    The message names the plugin (its entry-point name) and what went wrong.
    """


class ListenerWarning(GridGovWarning):
    """A listener given to :meth:`Jurisdiction.subscribe
    <gridgov.model.Jurisdiction.subscribe>` raised; the event stays applied and the other
    listeners are still called."""


class DeliveryWarning(GridGovWarning):
    """Publishing failed after the change was stored; nothing is lost.

    Issued by :meth:`Service.execute <gridgov.service.Service.execute>` when the
    message bus does not answer after a successful append: the store is the truth, and
    the next publish (:meth:`Service.publish <gridgov.service.Service.publish>`, or the
    next change) sends everything past the last published position.
    """


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
    "scipy: the zone assignment needs it; install it with: pip install 'gridgov[simulate]' (in a source checkout: pip install -e '.[simulate]')"
    """

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{package}: {feature} needs it; install it with: pip install 'gridgov[{extra}]' "
            f"(in a source checkout: pip install -e '.[{extra}]')"
        )


class Problem(tuple[str, str]):
    """One problem in a document: a JSON path and a message.

    Examples
    --------
    >>> p = Problem("organizations[3].parent", "unknown organization 'C9'")
    >>> str(p)
    "organizations[3].parent: unknown organization 'C9'"
    >>> str(Problem("gridgov", "is missing; expected '1'"))
    "field 'gridgov' (the format version) is missing; expected '1'"
    """

    __slots__ = ()

    def __new__(cls, path: str, message: str) -> Problem:
        if not isinstance(path, str):
            raise InvalidValueError("path", path, "must be a JSON path (a string)")
        if not isinstance(message, str):
            raise InvalidValueError("message", message, "must be a string")
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
        if self.path == "gridgov":  # the format version: its key reads like the program's name
            return f"field 'gridgov' (the format version) {self.message}"
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


class FileError(DocumentError):
    """A file cannot be read or written: missing, a directory, no permission, a bad path.

    Raised by whatever opens a file by name: the readers of :mod:`gridgov.io`
    (``read``, ``load``), :func:`~gridgov.io.save`, :func:`~gridgov.config.load_settings`
    and the ``gridgov`` command's ``--out``. The reasons: no such file or folder, a
    directory where a file belongs, permission denied, a NUL character in the path, a
    full disk, ... A :class:`DocumentError` with one problem (at the empty path), so
    that code catching a document it cannot read catches this too.

    Parameters
    ----------
    path : str
        The file.
    reason : str
        What is wrong.

    Examples
    --------
    >>> err = FileError("out/district.json", "the folder 'out' does not exist")
    >>> str(err), err.reason, isinstance(err, DocumentError)
    ("out/district.json: the folder 'out' does not exist", "the folder 'out' does not exist", True)
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__([Problem("", reason)], path)
