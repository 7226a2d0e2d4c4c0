"""Findings of the rule engine: :class:`Severity`, :class:`Diagnostic` and :class:`Report`.

Examples
--------
>>> d = Diagnostic("GG206", Severity.ERROR, "'B1' has no secretary", ("B1",), "appoint one")
>>> str(d)
"GG206 [E] 'B1' has no secretary (B1)"
>>> Report((d,)).count_by_code()
{'GG206': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from attrs import field, frozen

from gridgov.errors import InvalidValueError
from gridgov.limits import check_id_text, check_ids, check_text
from gridgov.model.document import natural_key
from gridgov.model.enums import _NamedEnum

__all__ = [
    "Diagnostic",
    "Finding",
    "Report",
    "Severity",
]


class Severity(_NamedEnum):
    """How serious a finding is: ``error`` > ``warning`` > ``info``.

    Errors break a hard charter rule; warnings break a rule the charter states as
    "generally" (一般), which a human may accept; infos only inform.

    Examples
    --------
    >>> Severity.parse("W") is Severity.WARNING
    True
    >>> Severity.ERROR.rank > Severity.WARNING.rank
    True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for infos."""
        return _RANK[self]

    @property
    def letter(self) -> str:
        """``E``, ``W`` or ``I``."""
        return self.value[0].upper()

    @classmethod
    def parse(cls, value: object, field: str = "severity") -> Severity:
        """Return the severity named by `value` (a name such as ``error`` or a letter ``E``).

        Parameters
        ----------
        value : Severity or str
            A severity, or its name or letter in any case.
        field : str
            Where the value was given, for the error message.

        Raises
        ------
        InvalidValueError
            If `value` names no severity.

        Examples
        --------
        >>> Severity.parse(" Error "), Severity.parse("i")
        ('error', 'info')
        >>> Severity.parse("fatal", "severity[GG202]")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: severity[GG202]: expected one of error, warning, info (or E, W, I) (got 'fatal')
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            for s in cls:
                if text in (s.value, s.value[0]):
                    return s
        raise InvalidValueError(field, value, "expected one of error, warning, info (or E, W, I)")


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is tuple and all(type(v) is str for v in value):
        return value  # the common case, fast
    if isinstance(value, str | bytes | Mapping | AbstractSet) or not isinstance(value, Iterable):
        raise InvalidValueError("ids", value, "must be a list of ids")
    return check_ids("ids", list(value))


def _to_severity(value: Severity | str) -> Severity:
    return value if type(value) is Severity else Severity.parse(value)


def _text(name: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if type(value) is not str:
            check_text(name, value)

    return check


def _optional_text(name: str) -> Any:
    def check(instance: object, attribute: object, value: object) -> None:
        if value is not None and type(value) is not str:
            check_text(name, value)

    return check


def _code(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str:
        check_id_text("code", value)


@frozen
class Diagnostic:
    """One finding: a rule broken somewhere in a jurisdiction.

    Parameters
    ----------
    code : str
        The rule's stable code, e.g. ``GG206``.
    severity : Severity
        Its severity (the rule's default, or as overridden).
    message : str
        What is wrong, naming the offending ids.
    ids : tuple of str
        The ids involved, the main subject first.
    hint : str
        How to fix it.
    path : str or None
        Where in the JSON document it applies (e.g. ``posts[4].holder``); ``None`` when
        the source was a :class:`~gridgov.model.Jurisdiction`, which has no positions.

    Examples
    --------
    >>> from gridgov.rules import Diagnostic, Severity
    >>> d = Diagnostic("GG206", "error", "'B1' has no secretary", ["B1"], "appoint one")
    >>> d.ids, d.severity == Severity.ERROR, d.path is None
    (('B1',), True, True)
    >>> str(Diagnostic("GG202", Severity.WARNING, "too few members", ()))
    'GG202 [W] too few members'
    """

    code: str = field(validator=_code)
    severity: Severity = field(converter=_to_severity)
    message: str = field(validator=_text("message"))
    ids: tuple[str, ...] = field(converter=_ids)
    hint: str = field(default="", validator=_text("hint"))
    path: str | None = field(default=None, validator=_optional_text("path"))

    def sort_key(self) -> tuple[object, ...]:
        """The order of a report: code, then ids in natural order, then message and path.

        Examples
        --------
        >>> b10 = Diagnostic("GG206", Severity.ERROR, "no secretary", ("B10",))
        >>> b9 = Diagnostic("GG206", Severity.ERROR, "no secretary", ("B9",))
        >>> [d.ids[0] for d in sorted([b10, b9], key=Diagnostic.sort_key)]
        ['B9', 'B10']
        """
        return (self.code, [natural_key(i) for i in self.ids], self.message, self.path or "")

    def __str__(self) -> str:
        ids = f" ({', '.join(self.ids)})" if self.ids else ""
        return f"{self.code} [{self.severity.letter}] {self.message}{ids}"


def _sorted(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    if isinstance(diagnostics, str | bytes | Mapping) or not isinstance(diagnostics, Iterable):
        raise InvalidValueError("diagnostics", diagnostics, "must be a list of Diagnostics")
    items = list(diagnostics)
    for d in items:
        if not isinstance(d, Diagnostic):
            raise InvalidValueError("diagnostics", d, "must be a list of Diagnostics")
    return tuple(sorted(items, key=Diagnostic.sort_key))


@frozen
class Report:
    """The findings of one validation, sorted by code and ids.

    Parameters
    ----------
    diagnostics : tuple of Diagnostic
        The findings, in report order.
    source : str, optional
        What was validated (a file name), if known.

    Examples
    --------
    >>> from gridgov.rules import Diagnostic, Report, Severity
    >>> r = Report([Diagnostic("GG301", Severity.ERROR, "m", ("B2",)),
    ...             Diagnostic("GG202", Severity.WARNING, "m", ("B1",))], source="j.json")
    >>> [d.code for d in r], len(r), r.ok
    (['GG202', 'GG301'], 2, False)
    >>> r.summary(), bool(Report(()))
    ('1 error, 1 warning', False)
    """

    diagnostics: tuple[Diagnostic, ...] = field(converter=_sorted)
    source: str | None = field(default=None, validator=_optional_text("source"))

    def __len__(self) -> int:
        return len(self.diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error-level findings."""
        return self.at_least(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The warning-level findings."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there is no error-level finding."""
        return not self.errors

    def at_least(self, severity: Severity | str) -> tuple[Diagnostic, ...]:
        """Return the findings at or above `severity`.

        Raises
        ------
        InvalidValueError
            If `severity` names no severity.

        Examples
        --------
        >>> r = Report((Diagnostic("GG206", Severity.ERROR, "m", ("B1",)),
        ...             Diagnostic("GG202", Severity.WARNING, "m", ("B1",))))
        >>> [d.code for d in r.at_least("warning")], [d.code for d in r.at_least("E")]
        (['GG202', 'GG206'], ['GG206'])
        """
        rank = Severity.parse(severity).rank
        return tuple(d for d in self.diagnostics if d.severity.rank >= rank)

    def by_code(self, code: str) -> tuple[Diagnostic, ...]:
        """Return the findings of the rule `code`.

        Examples
        --------
        >>> r = Report((Diagnostic("GG206", Severity.ERROR, "m", ("B2",)),
        ...             Diagnostic("GG206", Severity.ERROR, "m", ("B1",))))
        >>> [d.ids for d in r.by_code("GG206")], r.by_code("GG301")
        ([('B1',), ('B2',)], ())
        """
        if not isinstance(code, str):
            raise InvalidValueError("code", code, "must be a rule code (a string)")
        return tuple(d for d in self.diagnostics if d.code == code)

    def count_by_code(self) -> dict[str, int]:
        """Return the number of findings per code, in code order.

        Examples
        --------
        >>> r = Report((Diagnostic("GG301", Severity.ERROR, "m", ("B1",)),
        ...             Diagnostic("GG206", Severity.ERROR, "m", ("B1",)),
        ...             Diagnostic("GG206", Severity.ERROR, "m", ("B2",))))
        >>> r.count_by_code()
        {'GG206': 2, 'GG301': 1}
        """
        counts = Counter(d.code for d in self.diagnostics)
        return dict(sorted(counts.items()))

    def count_by_severity(self) -> dict[str, int]:
        """Return the number of findings per severity (``error``, ``warning``, ``info``).

        Every severity is listed, with 0 when there is no finding of it.

        Examples
        --------
        >>> Report((Diagnostic("GG202", Severity.WARNING, "m", ("B1",)),)).count_by_severity()
        {'error': 0, 'warning': 1, 'info': 0}
        """
        counts = Counter(d.severity.value for d in self.diagnostics)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def summary(self) -> str:
        """One line: how many errors, warnings and infos.

        Examples
        --------
        >>> Report(()).summary()
        'no findings'
        """
        if not self.diagnostics:
            return "no findings"
        parts = [f"{n} {s}{'s' * (n != 1)}" for s, n in self.count_by_severity().items() if n]
        return ", ".join(parts)


def _skip(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError("skip", value, "must be a list of document paths")
    items = tuple(value)
    for item in items:
        check_text("skip", item)
    return items


def _rejects(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValueError("rejects", value, "must be a list of ids")
    return check_ids("rejects", list(value))


@frozen
class Finding:
    """A structural problem of a document, before a severity is attached.

    The tolerant reader (:func:`~gridgov.rules.tolerant.read_tolerant`) returns them;
    the engine turns each into a :class:`Diagnostic` with the severity of its rule.

    Parameters
    ----------
    code : str
        The rule it breaks (GG1xx, GG312, or a plugin's document rule).
    message : str
        What is wrong, naming the record.
    ids : tuple of str
        The ids involved.
    hint : str
        How to fix it.
    path : str
        Where in the document it is.
    skip : tuple of str
        Document paths of records the reader must not apply because of it (a scan's
        findings; e.g. the second record of an id used twice).
    rejects : tuple of str
        Ids whose records are thereby refused: references to them are not reported
        again.

    Examples
    --------
    >>> Finding("GG105", "person id 'P1' is used twice", ("P1",), "", "people[1].id").code
    'GG105'
    """

    code: str = field(validator=_code)
    message: str = field(validator=_text("message"))
    ids: tuple[str, ...] = field(converter=_ids)
    hint: str = field(validator=_text("hint"))
    path: str = field(validator=_text("path"))
    skip: tuple[str, ...] = field(default=(), kw_only=True, eq=False, converter=_skip)
    rejects: tuple[str, ...] = field(default=(), kw_only=True, eq=False, converter=_rejects)
