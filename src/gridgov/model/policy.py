"""Policy: every threshold of the charter rules, as data with the charter's defaults.

The thresholds come from the Regulations on the Work of Party Branches (trial, 2018).
Most are "generally" rules; a host may override any of them per jurisdiction (the
document's ``policy``), per call, or from a configuration file.

Every setting is declared once, as a :class:`Setting` (name, default, bounds, what it
means): the built-in ones in :data:`BUILTIN_SETTINGS`, a plugin's through the
``gridgov_policy_defaults`` hook. A :class:`Policy` holds the built-in settings as typed
attributes and the settings plugins contribute in :attr:`Policy.extra`; it checks every
value against its declaration. Which contributed settings a policy knows is its
:attr:`Policy.catalogue`: the pure model knows only the built-in ones, and
:mod:`gridgov.plugins` gives the catalogue of the plugins installed.

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

A setting contributed by a plugin, known through the policy's catalogue:

>>> q = Policy(catalogue={"xx_min_households": Setting("xx_min_households", 1)})
>>> q.get("xx_min_households"), q.replace(xx_min_households=4).overrides()
(1, {'xx_min_households': 4})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import evolve, field, fields, frozen

from gridgov.errors import InvalidValueError, PolicyError, short_repr
from gridgov.limits import MAX_COUNT, MAX_ID_LENGTH, MAX_SETTING, MAX_YEARS, check_text
from gridgov.model.values import FrozenMap

__all__ = ["BUILTIN_SETTINGS", "MAX_SETTING", "Policy", "Setting", "catalogue_of"]

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _check_name(instance: object, attribute: object, value: str) -> None:
    if (
        not isinstance(value, str)
        or not value
        or not value[0].isalpha()
        or not set(value) <= _NAME_CHARS
        or len(value) > 64
    ):
        raise PolicyError(
            "setting.name", value, "must be a snake_case name of at most 64 characters"
        )


def _check_default(instance: Setting, attribute: object, value: bool | int | float | str) -> None:
    if value is None or not isinstance(value, bool | int | float | str):
        raise PolicyError(
            f"setting.{instance.name}.default", value, "must be a boolean, number or string"
        )


def _check_doc(instance: Setting, attribute: object, value: str) -> None:
    try:
        check_text(f"setting.{instance.name}.doc", value)
    except InvalidValueError as exc:
        raise PolicyError(exc.field, value, exc.reason) from None


@frozen
class Setting:
    """The declaration of one policy setting: its name, default, bounds and meaning.

    The type of a setting is the type of its default: a boolean, an integer, a number
    or a string. An integer is bounded by `minimum` and `maximum` (by default
    ``-MAX_SETTING`` and ``MAX_SETTING``); a string may be limited to `choices`.

    Parameters
    ----------
    name : str
        A snake_case name (``xx_min_households``).
    default : bool, int, float or str
        The value when nothing else is said.
    minimum, maximum : int, optional
        The range of an integer setting.
    choices : tuple of str, optional
        The values a string setting may take.
    doc : str
        What it means, one line.

    Raises
    ------
    PolicyError
        If the name or the default is malformed, or the default breaks the bounds.

    Examples
    --------
    >>> s = Setting("xx_min_households", 1, minimum=0, doc="households a zone needs")
    >>> s.check(3), s.kind
    (3, 'integer')
    >>> s.check(-1)
    Traceback (most recent call last):
    ...
    gridgov.errors.PolicyError: policy.xx_min_households: must be at least 0 (got -1)
    """

    name: str = field(validator=_check_name)
    default: bool | int | float | str = field(validator=_check_default)
    minimum: int | None = field(default=None, kw_only=True)
    maximum: int | None = field(default=None, kw_only=True)
    choices: tuple[str, ...] | None = field(default=None, kw_only=True)
    doc: str = field(default="", kw_only=True, validator=_check_doc)

    def __attrs_post_init__(self) -> None:
        for bound in ("minimum", "maximum"):
            value = getattr(self, bound)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not -MAX_SETTING <= value <= MAX_SETTING
            ):
                raise PolicyError(
                    f"setting.{self.name}.{bound}",
                    value,
                    f"must be an integer from {-MAX_SETTING} to {MAX_SETTING}",
                )
        if self.choices is not None and (
            not isinstance(self.choices, tuple)
            or not all(
                isinstance(c, str) and 0 < len(c) <= MAX_ID_LENGTH and c.isprintable()
                for c in self.choices
            )
        ):
            raise PolicyError(
                f"setting.{self.name}.choices",
                self.choices,
                f"must be a tuple of printable strings of 1-{MAX_ID_LENGTH} characters",
            )
        try:
            self.check(self.default)
        except PolicyError as exc:  # name the declaration's field, not a policy's
            bounds = " (its minimum and maximum)" if "at " in exc.reason else ""
            raise PolicyError(
                f"setting.{self.name}.default", self.default, exc.reason + bounds
            ) from None

    @property
    def kind(self) -> str:
        """``boolean``, ``integer``, ``number`` or ``string``: the type of the default."""
        d = self.default
        if isinstance(d, bool):
            return "boolean"
        if isinstance(d, int):
            return "integer"
        if isinstance(d, float):
            return "number"
        return "string"

    def check(self, value: object) -> Any:
        """Return `value` if it is a valid value of this setting; raise otherwise.

        Raises
        ------
        PolicyError
            Naming ``policy.<name>`` and the value.

        Examples
        --------
        >>> Setting("xx_strict", False).check(True)
        True
        >>> Setting("xx_strict", False).check(1)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: policy.xx_strict: must be a boolean (got 1)
        """
        where = f"policy.{self.name}"
        kind = self.kind
        if kind == "boolean":
            if not isinstance(value, bool):
                raise PolicyError(where, value, "must be a boolean")
            return value
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise PolicyError(where, value, "must be an integer")
            low = -MAX_SETTING if self.minimum is None else self.minimum
            high = MAX_SETTING if self.maximum is None else self.maximum
            if value < low:
                raise PolicyError(where, value, f"must be at least {low}")
            if value > high:
                raise PolicyError(where, value, f"must be at most {high}")
            return value
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PolicyError(where, value, "must be a number")
            if not -MAX_SETTING <= value <= MAX_SETTING:  # NaN fails too
                raise PolicyError(where, value, f"must be a number within ±{MAX_SETTING}")
            return float(value)
        if not isinstance(value, str):
            raise PolicyError(where, value, "must be a string")
        if len(value) > MAX_ID_LENGTH:
            raise PolicyError(where, value, f"must be at most {MAX_ID_LENGTH} characters")
        if self.choices is not None and value not in self.choices:
            raise PolicyError(where, value, f"must be one of {', '.join(self.choices)}")
        try:
            check_text(where, value)
        except InvalidValueError as exc:
            raise PolicyError(where, value, exc.reason) from None
        return value


_COUNT = MAX_COUNT  # no branch, committee or unit count of a real jurisdiction comes near
_YEARS = MAX_YEARS  # with MAX_DATE, a term's end stays a date

BUILTIN_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "min_branch_full_members",
        3,
        minimum=0,
        maximum=_COUNT,
        doc="a unit with this many full members forms its own branch; fewer: a joint branch",
    ),
    Setting(
        "max_branch_members",
        50,
        minimum=1,
        maximum=_COUNT,
        doc="a branch generally has at most this many members",
    ),
    Setting(
        "general_branch_max_members",
        100,
        minimum=1,
        maximum=_COUNT,
        doc="a general branch (党总支) generally has at most this many members",
    ),
    Setting(
        "committee_threshold",
        7,
        minimum=1,
        maximum=_COUNT,
        doc="a branch with this many full members sets up a committee",
    ),
    Setting(
        "committee_min_size",
        3,
        minimum=0,
        maximum=_COUNT,
        doc="the smallest branch committee",
    ),
    Setting(
        "committee_max_size",
        5,
        minimum=0,
        maximum=_COUNT,
        doc="the usual largest branch committee",
    ),
    Setting(
        "committee_hard_max_size",
        7,
        minimum=1,
        maximum=_COUNT,
        doc="a branch committee generally never exceeds this size",
    ),
    Setting(
        "max_deputy_secretaries",
        1,
        minimum=0,
        maximum=_COUNT,
        doc="at most this many deputy secretaries",
    ),
    Setting(
        "joint_branch_max_units",
        5,
        minimum=1,
        maximum=_COUNT,
        doc="a joint branch generally covers at most this many units",
    ),
    Setting(
        "term_years_community",
        5,
        minimum=1,
        maximum=_YEARS,
        doc="term of a committee in villages and communities, grid branches included",
    ),
    Setting(
        "term_years_other",
        3,
        minimum=1,
        maximum=_YEARS,
        doc="term of a committee elsewhere",
    ),
    Setting(
        "max_zones_per_member",
        3,
        minimum=0,
        maximum=_COUNT,
        doc="a member claims at most this many responsibility zones",
    ),
    Setting(
        "temporary_branch_min_months",
        6,
        minimum=0,
        maximum=12 * _YEARS,
        doc="a task lasting at least this many months forms a (temporary) branch",
    ),
    Setting(
        "first_secretary_practice",
        True,
        doc="grid branches have a first secretary appointed by the street committee and "
        "dual grid leaders (Junhe street's practice; GG301-GG306)",
    ),
)
"""The declarations of the built-in settings, in order (their defaults are the charter's)."""

_BUILTIN: Mapping[str, Setting] = MappingProxyType({s.name: s for s in BUILTIN_SETTINGS})


def catalogue_of(settings: Iterable[Setting]) -> Mapping[str, Setting]:
    """Return a catalogue (settings by name) of contributed `settings`.

    Built-in settings in `settings` are left out (they are always known); a name given
    twice, or a built-in name declared otherwise than the built-in declaration, is an
    error.

    Raises
    ------
    PolicyError
        Naming the setting declared twice.

    Examples
    --------
    >>> sorted(catalogue_of([Setting("xx_a", 1), *BUILTIN_SETTINGS]))
    ['xx_a']
    """
    out: dict[str, Setting] = {}
    for s in settings:
        if not isinstance(s, Setting):
            raise PolicyError("setting", s, "expected a gridgov Setting")
        builtin = _BUILTIN.get(s.name)
        if builtin is not None:
            if s != builtin:
                raise PolicyError(
                    f"setting.{s.name}", s.default, "is a built-in setting and cannot be redeclared"
                )
            continue
        if s.name in out:
            raise PolicyError(f"setting.{s.name}", s.default, "is declared twice")
        out[s.name] = s
    return FrozenMap(out)


_EMPTY: Mapping[str, Any] = FrozenMap()


def _mapping(value: object, field: str) -> Mapping[str, Any]:
    if value is None or value is _EMPTY:
        return _EMPTY
    if not isinstance(value, Mapping):
        raise PolicyError(field, value, "expected a mapping")
    for key in value:
        if not isinstance(key, str):
            raise PolicyError(field, key, "setting names are strings")
    return FrozenMap(value) if value else _EMPTY


def _frozen_mapping(value: object) -> Mapping[str, Any]:
    return _mapping(value, "extra")


def _frozen_catalogue(value: object) -> Mapping[str, Setting]:
    catalogue = _mapping(value, "catalogue")
    for key, setting in catalogue.items():
        if not isinstance(setting, Setting) or setting.name != key:
            raise PolicyError(
                f"catalogue.{key}", setting, f"expected the Setting declaring {key!r}"
            )
    return catalogue


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
    first_secretary_practice : bool
        Whether grid branches have a first secretary appointed one level up and dual grid
        leaders (Junhe street's practice, judged by GG301-GG306; default ``True``).
    extra : mapping of str to value
        Settings contributed by plugins that differ from their defaults.
    catalogue : mapping of str to Setting
        The contributed settings this policy knows (not part of equality).

    Raises
    ------
    PolicyError
        If a setting is out of its declared range (see :data:`BUILTIN_SETTINGS`), an
        extra setting is not in the catalogue, or the committee sizes are out of order.

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
    first_secretary_practice: bool = True
    extra: Mapping[str, Any] = field(
        default=_EMPTY, converter=_frozen_mapping, kw_only=True, hash=False
    )
    catalogue: Mapping[str, Setting] = field(
        default=_EMPTY, converter=_frozen_catalogue, kw_only=True, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        for name, setting in _BUILTIN.items():
            setting.check(getattr(self, name))
        for name, value in self.extra.items():
            declared = self.catalogue.get(name)
            if declared is None:
                raise PolicyError(f"policy.{name}", value, self._unknown_reason())
            declared.check(value)
        if not self.committee_min_size <= self.committee_max_size <= self.committee_hard_max_size:
            raise PolicyError(
                "policy.committee_max_size",
                self.committee_max_size,
                "committee_min_size <= committee_max_size <= committee_hard_max_size must hold",
            )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the names of the built-in settings, in declaration order.

        Returns
        -------
        tuple of str
            The built-in keys :meth:`from_mapping` and :meth:`replace` accept (a policy
            also accepts the settings of its :attr:`catalogue`).

        Examples
        --------
        >>> Policy.names()[:2]
        ('min_branch_full_members', 'max_branch_members')
        >>> len(Policy.names())
        14
        """
        return tuple(_BUILTIN)

    def settings(self) -> Mapping[str, Setting]:
        """Return the declaration of every setting this policy knows, built-in first.

        Examples
        --------
        >>> list(Policy(catalogue={"xx_a": Setting("xx_a", 2)}).settings())[-1]
        'xx_a'
        """
        return {**_BUILTIN, **self.catalogue}

    def get(self, name: str) -> Any:
        """Return the value of the setting `name`, built-in or contributed.

        Raises
        ------
        PolicyError
            If this policy knows no such setting.

        Examples
        --------
        >>> Policy().get("max_branch_members")
        50
        >>> Policy().get("xx_min_households")
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: policy.xx_min_households: unknown policy setting; ...
        """
        if not isinstance(name, str):
            raise PolicyError("name", name, "a setting name is a string")
        if name in _BUILTIN:
            return getattr(self, name)
        if name in self.extra:
            return self.extra[name]
        setting = self.catalogue.get(name)
        if setting is None:
            raise PolicyError(f"policy.{short_repr(name)[1:-1]}", None, self._unknown_reason())
        return setting.default

    @classmethod
    def from_mapping(
        cls,
        settings: Mapping[str, Any],
        *,
        base: Policy | None = None,
        catalogue: Mapping[str, Setting] | None = None,
    ) -> Policy:
        """Build a policy from `settings`, starting from `base` (the defaults if omitted).

        Parameters
        ----------
        settings : Mapping of str to value
            Setting names and values, e.g. a document's ``policy`` object.
        base : Policy, optional
            The policy the settings change.
        catalogue : mapping of str to Setting, optional
            The contributed settings to know besides the built-in ones (default: those
            of `base`).

        Returns
        -------
        Policy

        Raises
        ------
        PolicyError
            If a key is not a known setting or a value is out of its range.

        Examples
        --------
        >>> Policy.from_mapping({"committee_threshold": 9}).committee_threshold
        9
        """
        if not isinstance(settings, Mapping):
            raise PolicyError("settings", settings, "expected a mapping of setting names to values")
        if base is not None and not isinstance(base, Policy):
            raise PolicyError("base", base, "expected a Policy")
        for key in settings:
            if not isinstance(key, str):
                raise PolicyError("settings", key, "setting names are strings")
        start = base if base is not None else cls()
        if catalogue is not None:
            start = start.with_catalogue(catalogue)
        return start.replace(**settings) if settings else start

    def with_catalogue(self, catalogue: Mapping[str, Setting]) -> Policy:
        """Return this policy knowing the contributed settings of `catalogue`.

        Raises
        ------
        PolicyError
            If a contributed value this policy holds is not in `catalogue`.

        Examples
        --------
        >>> p = Policy().with_catalogue({"xx_a": Setting("xx_a", 2)})
        >>> p.get("xx_a"), p == Policy()
        (2, True)
        """
        if not isinstance(catalogue, Mapping):
            raise PolicyError("catalogue", catalogue, "expected a mapping of names to Settings")
        return evolve(self, catalogue=catalogue)

    def replace(self, **changes: Any) -> Policy:
        """Return a copy with `changes` applied (validated like the constructor).

        Parameters
        ----------
        **changes : object
            New values by setting name (built-in or in the catalogue).

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
        gridgov.errors.PolicyError: policy.max_zones_per_member: must be at least 0 (got -1)
        >>> Policy().replace(foo=1, bar=2)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: policy: unknown policy settings foo, bar; known settings are ... (got ['foo', 'bar'])
        """
        catalogue = self.catalogue
        unknown = [key for key in changes if key not in _BUILTIN and key not in catalogue]
        if len(unknown) == 1:
            raise PolicyError(f"policy.{unknown[0]}", changes[unknown[0]], self._unknown_reason())
        if unknown:
            raise PolicyError(
                "policy",
                unknown,
                f"unknown policy settings {', '.join(map(short_repr, unknown))}; "
                f"known settings are {', '.join(self.settings())}".replace("'", ""),
            )
        builtin = {k: v for k, v in changes.items() if k in _BUILTIN}
        contributed = {k: v for k, v in changes.items() if k not in _BUILTIN}
        if not contributed:
            return evolve(self, **builtin)
        extra = dict(self.extra)
        for key, value in contributed.items():
            setting = catalogue[key]
            value = setting.check(value)
            if value == setting.default and type(value) is type(setting.default):
                extra.pop(key, None)
            else:
                extra[key] = value
        return evolve(self, **builtin, extra=extra)

    def overrides(self) -> dict[str, Any]:
        """Return the settings that differ from the defaults, in declaration order.

        Returns
        -------
        dict of str to value
            Empty for the default policy; ``Policy.from_mapping(p.overrides()) == p``
            (with the same catalogue).

        Examples
        --------
        >>> Policy().overrides()
        {}
        >>> Policy(committee_threshold=9, term_years_other=5).overrides()
        {'committee_threshold': 9, 'term_years_other': 5}
        """
        out: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in fields(type(self))
            if f.name in _BUILTIN and getattr(self, f.name) != f.default
        }
        out.update(self.extra)
        return out

    def _unknown_reason(self) -> str:
        return f"unknown policy setting; known settings are {', '.join(self.settings())}"
