"""The events between two jurisdictions: what turns one into the other.

:func:`events_between` asks every event type for its share of the difference
(:meth:`Event.between <gridgov.model.events.Event.between>`) and orders the events by
the phase each type gives them: withdrawals first, then additions and changes, then
removals, so that every event passes the checks of :meth:`Jurisdiction.apply
<gridgov.model.Jurisdiction.apply>` when they are applied in order. A new event type
that stands for a difference of state brings its own ``between``; nothing here changes.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> a = Jurisdiction()
>>> _ = a.found_org("S1", "street", "S")
>>> b = a.copy()
>>> _ = b.found_org("C1", "community", "C", parent="S1")
>>> [type(e).__name__ for e in events_between(a, b)]
['OrganizationFounded']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gridgov.errors import InvalidValueError
from gridgov.model.events import BUILTIN_EVENTS, Event, JurisdictionView

__all__ = ["events_between"]

_VIEW = tuple(name for name in vars(JurisdictionView) if not name.startswith("_"))
"""What events_between reads of a jurisdiction (the members of JurisdictionView)."""


def events_between(
    old: JurisdictionView,
    new: JurisdictionView,
    *,
    event_types: Iterable[type[Event]] = BUILTIN_EVENTS,
) -> list[Event]:
    """Return events that turn `old` into `new` (same scheme; no household removed).

    The order respects every check of :meth:`Jurisdiction.apply
    <gridgov.model.Jurisdiction.apply>`: claims released, posts vacated, filings and
    registrations withdrawn first; then households, people, cooperatives,
    organizations (founded top-down, re-parented, amended), households into zones,
    registrations, filings and transfers, claims, posts and cooperatives amended; then
    households taken out of zones, organizations dissolved bottom-up and people removed.

    Parameters
    ----------
    old, new : Jurisdiction
        The jurisdictions before and after (`new` has every household of `old`).
    event_types : iterable of event classes
        The types whose :meth:`~gridgov.model.events.Event.between` to ask (default: the
        built-in ones).

    Returns
    -------
    list of Event
        Applied to a copy of `old`, they give a jurisdiction equal to `new`.

    Raises
    ------
    InvalidValueError
        If the two jurisdictions have different schemes.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> a = Jurisdiction()
    >>> _ = a.found_org("S1", "street", "S")
    >>> _ = a.add_person("P1", "李四", status="full")
    >>> b = a.copy()
    >>> _ = b.remove_person("P1")
    >>> events = events_between(a, b)
    >>> _ = a.apply_all(events)
    >>> a == b
    True
    """
    for name, value in (("old", old), ("new", new)):
        if not all(hasattr(value, attr) for attr in _VIEW):
            raise InvalidValueError(name, value, "expected a Jurisdiction")
    if isinstance(event_types, str | bytes | Mapping) or not isinstance(event_types, Iterable):
        raise InvalidValueError("event_types", event_types, "must be a list of event classes")
    types = list(event_types)
    for cls in types:
        if not isinstance(cls, type) or not issubclass(cls, Event):
            raise InvalidValueError("event_types", cls, "must be a list of event classes")
    if old.scheme != new.scheme:
        raise InvalidValueError("new.scheme", new.scheme, "must be the scheme of `old`")
    staged: list[tuple[int, int, Event]] = []
    for cls in dict.fromkeys(types):
        for phase, event in cls.between(old, new):
            staged.append((phase, len(staged), event))
    staged.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in staged]
