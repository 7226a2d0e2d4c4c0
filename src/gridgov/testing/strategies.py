"""Hypothesis strategies for gridgov: policies, schemes, jurisdictions, documents, events.

Every strategy checks its arguments when it is called, before anything is drawn, and
refuses bad ones with Hypothesis's :class:`~hypothesis.errors.InvalidArgument`, as
Hypothesis's own extras do. Every strategy shrinks toward the simplest example: the
default policy, the five-level scheme, one branch with the policy's minimum of
members, the first organization of every choice.

Examples
--------
>>> from hypothesis import given
>>> from gridgov import validate
>>> @given(jurisdictions(max_branches=2))
... def test_clean(j):
...     assert not validate(j).errors
>>> test_clean()
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import hypothesis.strategies as st
from hypothesis import reject
from hypothesis.errors import InvalidArgument
from hypothesis.vendor import pretty

from gridgov import plugins
from gridgov.errors import GridGovError, short_repr
from gridgov.io import dump, parse
from gridgov.model import FIVE_LEVEL, THREE_LEVEL, Event, Jurisdiction, OrgKind, Policy, Scheme
from gridgov.rules.breaking import Breaking, add_unit, minimal_jurisdiction, unit_level
from gridgov.testing import _engine
from gridgov.validation import validate

__all__ = [
    "any_events",
    "documents",
    "events",
    "jurisdictions",
    "policies",
    "schemes",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

MAX_BRANCHES = 50
"""The most branches :func:`jurisdictions` grows (generated examples stay small)."""

MAX_MEMBERS = 200
"""The most members per branch :func:`jurisdictions` files."""


def _pretty(j: Jurisdiction, printer: Any, cycle: bool) -> None:
    """How Hypothesis prints a jurisdiction in a failing example: Python that rebuilds it."""
    printer.text(f"gridgov.load({dump(j)!r})")


pretty.for_type_by_name("gridgov.model.jurisdiction", "Jurisdiction", _pretty)


# -- argument checks --------------------------------------------------------------------------


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgument(
            f"{name}={short_repr(value)}: expected an integer from {low} to {high}"
        )
    return value


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={short_repr(value)}: expected True or False")
    return value


def _strategy_of(name: str, value: object, kind: type[T], default: st.SearchStrategy[T]) -> Any:
    """`value` as a strategy: a `kind` value is ``just``-ed, ``None`` gives `default`."""
    if value is None:
        return default
    if isinstance(value, kind):
        return st.just(value)
    if isinstance(value, st.SearchStrategy):
        return value
    raise InvalidArgument(
        f"{name}={short_repr(value)}: expected a {kind.__name__}, a strategy of them, or None"
    )


def _codes(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        codes: tuple[Any, ...] = (value,)
    elif isinstance(value, list | tuple) and value:
        codes = tuple(value)
    else:
        raise InvalidArgument(
            f"{name}={short_repr(value)}: expected a rule code or a list of codes"
        )
    registry = plugins.registry()
    for code in codes:
        if not isinstance(code, str) or code not in registry:
            raise InvalidArgument(f"{name}={short_repr(code)}: no registered rule has this code")
    return codes


def _breakings(name: str, codes: Iterable[str]) -> list[Breaking]:
    out = []
    for code in codes:
        b = plugins.breaking(code)
        if b is None:
            raise InvalidArgument(
                f"{name}={code!r}: no plugin says how to break this rule (the gridgov_breaking "
                "hook returned nothing for it)"
            )
        out.append(b)
    return out


# -- policies and schemes ---------------------------------------------------------------------


def policies(*, first_secretary_practice: bool | None = None) -> st.SearchStrategy[Policy]:
    """Policies: the default one, or one with some thresholds changed.

    The thresholds stay in ranges a branch can meet with a handful of members (a
    minimum of 1-4 full members, a committee threshold of 3-9, ...). Shrinks toward the
    default policy.

    Parameters
    ----------
    first_secretary_practice : bool, optional
        Fix the practice on or off (default: either).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(policies())
    ... def check(policy):
    ...     assert policy.max_branch_members >= 10
    >>> check()
    """
    if first_secretary_practice is not None:
        _check_bool("first_secretary_practice", first_secretary_practice)
    practice = (
        st.booleans().map(lambda b: not b)
        if first_secretary_practice is None
        else st.just(first_secretary_practice)
    )
    return _policies(practice)


def _policies(practice: st.SearchStrategy[bool]) -> st.SearchStrategy[Policy]:
    @st.composite
    def build(draw: Draw) -> Policy:
        changes = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "min_branch_full_members": st.integers(1, 4),
                    "max_branch_members": st.integers(10, 60),
                    "committee_threshold": st.integers(3, 9),
                    "max_deputy_secretaries": st.integers(0, 2),
                    "joint_branch_max_units": st.integers(1, 7),
                    "term_years_community": st.integers(1, 8),
                    "term_years_other": st.integers(1, 8),
                    "max_zones_per_member": st.integers(0, 4),
                },
            )
        )
        sizes = draw(st.none() | st.tuples(st.integers(2, 4), st.integers(0, 2), st.integers(0, 2)))
        if sizes is not None:
            low, more, most = sizes
            changes |= {
                "committee_min_size": low,
                "committee_max_size": low + more,
                "committee_hard_max_size": low + more + most,
            }
        if not draw(practice):
            changes["first_secretary_practice"] = False
        return Policy().replace(**changes)

    return build()


def schemes(*, presets: bool = True, custom: bool = True) -> st.SearchStrategy[Scheme]:
    """Schemes: the presets, and random valid custom schemes.

    A custom scheme has 2-6 levels (``L0``, ``L1``, ...), files members below the top,
    has its zones at or below the filing level and maybe a branch level between the top
    and the filing level. Shrinks toward the five-level scheme.

    Parameters
    ----------
    presets, custom : bool
        Include the presets (five-level, three-level) and custom schemes.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(schemes(custom=False))
    ... def check(scheme):
    ...     assert scheme.name in ("five-level", "three-level")
    >>> check()
    """
    _check_bool("presets", presets)
    _check_bool("custom", custom)
    if not (presets or custom):
        raise InvalidArgument("schemes(): presets=False and custom=False leave nothing to draw")
    options = []
    if presets:
        options.append(st.sampled_from([FIVE_LEVEL, THREE_LEVEL]))
    if custom:
        options.append(_custom_schemes())
    return st.one_of(*options)


@st.composite
def _custom_schemes(draw: Draw) -> Scheme:
    n = draw(st.integers(2, 6))
    levels = [f"L{i}" for i in range(n)]
    filing = draw(st.integers(1, n - 1))
    zone = draw(st.integers(filing, n - 1))
    branch = draw(st.none() | st.integers(1, filing - 1)) if filing > 1 else None
    return Scheme(
        levels,
        filing_level=levels[filing],
        zone_level=levels[zone],
        branch_level=None if branch is None else levels[branch],
    )


# -- jurisdictions ----------------------------------------------------------------------------


class _Drawn:
    """A :class:`~gridgov.rules.breaking.Chooser` that draws its choices (they shrink)."""

    def __init__(self, draw: Draw) -> None:
        self.draw = draw

    def __call__(self, options: Sequence[T]) -> T:
        items = list(options)
        if not items:
            raise InvalidArgument("a mutation asked to choose among no options")
        return items[self.draw(_index(len(items)))]

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))  # type: ignore[no-any-return]


@functools.cache
def _index(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n - 1)


def jurisdictions(
    *,
    scheme: Scheme | st.SearchStrategy[Scheme] | None = None,
    policy: Policy | st.SearchStrategy[Policy] | None = None,
    min_branches: int = 1,
    max_branches: int = 3,
    max_members: int = 6,
    valid: bool = True,
    breaking: str | Sequence[str] | None = None,
    warnings: bool = True,
) -> st.SearchStrategy[Jurisdiction]:
    """Jurisdictions: clean ones, ones that break given rules, or any legal history.

    - ``valid=True`` (the default): a jurisdiction with no error-level finding, built
      through the everyday commands: a root with one organization at each level down to
      the branches, led by a street cadre; `min_branches` to `max_branches` branches
      (units of :func:`~gridgov.rules.breaking.add_unit`), each with its organizations
      down to a zone, its members (the policy's minimum up to `max_members` full ones,
      some probationary), its secretary, group leader and zone claimant, its first
      secretary and grid leaders under the practice, a committee at the threshold; some
      joint or temporary branches, households, registrations and an as-of date.
      Warnings may occur (a temporary branch with no end date) unless
      ``warnings=False``.
    - ``breaking="GG301"`` (or a list of codes): such a jurisdiction changed by the
      rules' breaking mutations (the ``gridgov_breaking`` hook) so that it breaks those
      rules and no other error-level rule. The scheme defaults to the five-level one
      and the policy to the default one.
    - ``valid=False``: what a random legal history leaves: any state the model accepts
      (odd ids, empty organizations, members filed nowhere), findings of every kind.

    Shrinks toward fewer branches and members, the default policy, the five-level
    scheme and the simplest choices of the mutations.

    Parameters
    ----------
    scheme, policy : value or strategy, optional
        Fix them, or draw them from a strategy (default: :func:`schemes`,
        :func:`policies`).
    min_branches, max_branches : int
        How many branches to grow (0-50; a breaking jurisdiction has at least one).
    max_members : int
        The most full members of a branch (at least the policy's minimum are filed).
        These three and `warnings` shape clean and breaking jurisdictions; with
        ``valid=False`` they keep their defaults (another value is an
        ``InvalidArgument``).
    valid : bool
        Clean (``True``) or any legal history (``False``).
    breaking : str or list of str, optional
        Rule codes to break (``valid`` is then ignored).
    warnings : bool
        Allow warning-level findings in a clean jurisdiction.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        If an argument is malformed, a code is not registered, no plugin says how to
        break it, it is a document-only rule (use :func:`documents`), or its mutation
        cannot work under the fixed scheme or policy.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from gridgov import validate
    >>> @settings(max_examples=5)
    ... @given(jurisdictions(breaking="GG307"))
    ... def check(j):
    ...     assert {d.code for d in validate(j).errors} == {"GG307"}
    >>> check()
    >>> jurisdictions(breaking="GG105")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: breaking='GG105': a rule only a document can break; use documents(breaking='GG105')
    """
    _check_int("min_branches", min_branches, 0, MAX_BRANCHES)
    _check_int("max_branches", max_branches, 0, MAX_BRANCHES)
    if min_branches > max_branches:
        raise InvalidArgument(
            f"min_branches={min_branches} is more than max_branches={max_branches}"
        )
    _check_int("max_members", max_members, 1, MAX_MEMBERS)
    _check_bool("valid", valid)
    _check_bool("warnings", warnings)
    codes = None if breaking is None else _codes("breaking", breaking)
    mutations: list[Breaking] = []
    if codes is not None:
        mutations = _breakings("breaking", codes)
        for b in mutations:
            if b.target == "document":
                raise InvalidArgument(
                    f"breaking={b.code!r}: a rule only a document can break; use "
                    f"documents(breaking={b.code!r})"
                )
        scheme = FIVE_LEVEL if scheme is None else scheme
        policy = Policy() if policy is None else policy
        if max_branches == 0:
            max_branches = 1
            min_branches = 1
    schemes_ = _strategy_of("scheme", scheme, Scheme, schemes())
    policies_ = _strategy_of("policy", policy, Policy, policies())
    for b in mutations:
        if (
            isinstance(scheme, Scheme)
            and isinstance(policy, Policy)
            and not b.applies(scheme, policy)
        ):
            raise InvalidArgument(
                f"breaking={b.code!r}: its mutation needs {', '.join(b.needs)}, which "
                f"scheme={scheme.name or 'custom'!r} with this policy does not have"
            )
    if isinstance(scheme, Scheme):
        try:
            unit_level(scheme)
        except GridGovError as exc:
            raise InvalidArgument(f"scheme: {exc}") from None
    if not valid and codes is None:
        shaping = {
            "min_branches": (min_branches, 1),
            "max_branches": (max_branches, 3),
            "max_members": (max_members, 6),
            "warnings": (warnings, True),
        }
        for name, (value, default) in shaping.items():
            if value != default:
                raise InvalidArgument(
                    f"{name}={value!r} shapes a clean jurisdiction; valid=False draws any "
                    "legal history, which it does not shape"
                )
        return _histories(schemes_, policies_)
    return _clean(schemes_, policies_, min_branches, max_branches, max_members, warnings, mutations)


def _clean(
    schemes_: st.SearchStrategy[Scheme],
    policies_: st.SearchStrategy[Policy],
    min_branches: int,
    max_branches: int,
    max_members: int,
    warnings: bool,
    mutations: list[Breaking],
) -> st.SearchStrategy[Jurisdiction]:
    @st.composite
    def build(draw: Draw) -> Jurisdiction:
        scheme = draw(schemes_)
        policy = draw(policies_)
        if not all(b.applies(scheme, policy) for b in mutations):
            reject()
        j = _grow(draw, scheme, policy, min_branches, max_branches, max_members, warnings)
        if mutations:
            choose = _Drawn(draw)
            for b in mutations:
                if not b.apply(j, choose):
                    reject()
            wanted = {b.code for b in mutations}
            report = validate(j)
            if not _breaks_exactly(report, wanted):
                reject()
        elif not warnings and len(validate(j)):
            reject()
        return j

    return build()


def _breaks_exactly(report: Any, wanted: set[str]) -> bool:
    """Every wanted rule fires, and no other error-level rule (warnings may)."""
    errors = {d.code for d in report.errors}
    return errors <= wanted and all(report.by_code(code) for code in wanted)


_KINDS = [None, OrgKind.GRID, OrgKind.JOINT, OrgKind.TEMPORARY]


def _grow(
    draw: Draw,
    scheme: Scheme,
    policy: Policy,
    min_branches: int,
    max_branches: int,
    max_members: int,
    warnings: bool,
) -> Jurisdiction:
    """A clean jurisdiction: the minimal one, with branches grown by drawn amounts."""
    try:
        j = minimal_jurisdiction(scheme, policy, units=0)
    except GridGovError as exc:
        raise InvalidArgument(str(exc)) from None
    level = unit_level(scheme)
    above = scheme.parent_level(level)
    assert above is not None
    low = max(1, policy.min_branch_full_members)
    high = max(low, max_members)
    kinds = _KINDS if warnings else _KINDS[:3]
    for _ in range(draw(st.integers(min_branches, max_branches))):
        parents = j.graph.at_level(above)
        if draw(st.integers(0, 4)) == 4:  # now and then a second parent (community)
            grand = scheme.parent_level(above)
            if grand is not None:
                _found_parent(j, above, j.graph.at_level(grand)[0])
                parents = j.graph.at_level(above)
        kind = kinds[draw(_index(len(kinds)))] if level == scheme.branch_level else None
        add_unit(
            j,
            parents[draw(_index(len(parents)))],
            full=draw(st.integers(low, high)),
            probationary=draw(st.integers(0, 2)),
            kind=kind,
        )
    _extras(draw, j)
    return j


def _found_parent(j: Jurisdiction, level: str, parent: str) -> None:
    """Found another organization at `level` (a community) with the cadre as secretary."""
    from gridgov.model import Role
    from gridgov.rules.breaking import cadre, org_id

    oid = org_id(j, level)
    j.found_org(oid, level, f"{level} {oid}", parent)
    if j.scheme.is_above_filing(level):
        j.appoint(oid, Role.SECRETARY, cadre(j))


def _extras(draw: Draw, j: Jurisdiction) -> None:
    """Households in zones, registrations where members are filed, an as-of date."""
    zones = j.graph.at_level(j.scheme.zone_level)
    for n in range(draw(st.integers(0, 3))):
        hid = f"H{n + 1}"
        j.add_household(hid)
        if zones:
            j.assign_household(hid, zones[draw(_index(len(zones)))])
    level = j.scheme.registration_level
    for person, filing in list(j.filings.items()):
        if draw(st.integers(0, 3)) != 3:
            continue
        chain = [filing.org, *j.graph.ancestors(filing.org)]
        at = [o for o in chain if j.graph.level(o) == level]
        if at:
            j.register(person, at[0])
    if draw(st.booleans()):
        j.set_as_of(draw(st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))))


def _histories(
    schemes_: st.SearchStrategy[Scheme], policies_: st.SearchStrategy[Policy]
) -> st.SearchStrategy[Jurisdiction]:
    @st.composite
    def build(draw: Draw) -> Jurisdiction:
        scheme = draw(st.one_of(schemes_, st.sampled_from(_engine.SCHEMES)))
        j = Jurisdiction(scheme, policy=draw(policies_))
        steps = st.integers(0, 30) | st.integers(15, 30)
        for _ in range(draw(steps)):
            _engine._pick(draw, _engine.WEIGHTED)(j, draw)
        return j

    return build()


# -- documents --------------------------------------------------------------------------------


def documents(
    *,
    valid: bool = True,
    breaking: str | Sequence[str] | None = None,
    scheme: Scheme | st.SearchStrategy[Scheme] | None = None,
    policy: Policy | st.SearchStrategy[Policy] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Raw JSON documents (plain dicts): clean, breaking given rules, or malformed.

    - ``valid=True``: the document of a clean jurisdiction (:func:`jurisdictions`); it
      conforms to the package's JSON Schema.
    - ``breaking="GG105"``: such a document changed by the rule's breaking mutation
      (the document rules GG101-GG107 and GG312, and any rule whose mutation works on
      a jurisdiction, whose document is then taken).
    - ``valid=False``: a deliberately malformed document, for fuzzing loaders and
      validators: a clean one with wrong types, dangling references, cycles, ids used
      twice, huge or deeply nested values or odd unicode put in, or junk outright.

    Shrinks toward the smallest clean document and the simplest defect.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        If an argument is malformed or a code cannot be broken.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from gridgov import validate
    >>> from gridgov.io import parse
    >>> @settings(max_examples=5)
    ... @given(documents(breaking="GG105"))
    ... def check(doc):
    ...     assert {d.code for d in validate(parse(doc)).errors} == {"GG105"}
    >>> check()
    """
    _check_bool("valid", valid)
    if breaking is not None:
        codes = _codes("breaking", breaking)
        mutations = _breakings("breaking", codes)
        on_doc = [b for b in mutations if b.target == "document"]
        on_j = [b.code for b in mutations if b.target == "jurisdiction"]
        base = (
            jurisdictions(breaking=on_j, scheme=scheme, policy=policy)
            if on_j
            else jurisdictions(
                scheme=FIVE_LEVEL if scheme is None else scheme,
                policy=Policy() if policy is None else policy,
            )
        )
        return _broken_documents(base, on_doc, set(codes))
    base = jurisdictions(scheme=scheme, policy=policy)
    if valid:
        return base.map(dump)
    return _malformed(base)


def _broken_documents(
    base: st.SearchStrategy[Jurisdiction], mutations: list[Breaking], wanted: set[str]
) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: Draw) -> dict[str, Any]:
        doc = dump(draw(base))
        choose = _Drawn(draw)
        for b in mutations:
            if not b.apply(doc, choose):
                reject()
        if not _breaks_exactly(validate(parse(doc)), wanted):
            reject()
        return doc

    return build()


def _nested(depth: int) -> list[Any]:
    """A list nested `depth` deep: ``[[[...]]]``."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


_ODD_TEXT = st.sampled_from(
    ["", "\u0000", "\ud800", "\u202e", "Z\u0301", "🙂", "\uffff", " ", "x" * 5000, "٠١٢"]
)
_ODD_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    _ODD_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(1, 3000).map(_nested),
)


def _malformed(base: st.SearchStrategy[Jurisdiction]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: Draw) -> Any:
        doc = copy.deepcopy(dump(draw(base)))
        for _ in range(draw(st.integers(1, 3))):
            _DEFECTS[draw(_index(len(_DEFECTS)))](draw, doc)
        return doc

    return build()


def _records(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (key, record)
        for key in ("organizations", "people", "households", "cooperatives", "filings", "posts")
        for record in _list(doc, key)
        if isinstance(record, dict)
    ]


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    """The list `doc[key]`, or an empty one (an earlier defect may have put junk there)."""
    value = doc.get(key)
    return value if isinstance(value, list) else []


def _odd_field(draw: Draw, doc: dict[str, Any]) -> None:
    """A field of a record, or of the document, gets a value of another type."""
    records = _records(doc)
    target = doc if not records or draw(st.booleans()) else records[draw(_index(len(records)))][1]
    keys = sorted(target) or ["id"]
    target[keys[draw(_index(len(keys)))]] = draw(_ODD_VALUES)


def _dangling(draw: Draw, doc: dict[str, Any]) -> None:
    """A reference (parent, person, org, holder) names no record."""
    records = [
        r for _, r in _records(doc) if any(k in r for k in ("parent", "person", "org", "holder"))
    ]
    if records:
        record = records[draw(_index(len(records)))]
        key = next(k for k in ("parent", "person", "org", "holder") if k in record)
        record[key] = draw(st.sampled_from(["NOWHERE", "P٠1", "S1 "]))


def _cycle(draw: Draw, doc: dict[str, Any]) -> None:
    """An organization becomes its own ancestor."""
    orgs = [o for o in _list(doc, "organizations") if isinstance(o, dict)]
    if len(orgs) >= 2:
        a, b = orgs[0], orgs[draw(st.integers(1, len(orgs) - 1))]
        a["parent"] = b.get("id")


def _duplicate(draw: Draw, doc: dict[str, Any]) -> None:
    """A record is listed twice."""
    records = _records(doc)
    if records:
        key, record = records[draw(_index(len(records)))]
        doc[key].append(copy.deepcopy(record))


def _junk(draw: Draw, doc: dict[str, Any]) -> None:
    """The document's lists or its version are replaced by junk."""
    key = draw(
        st.sampled_from(["gridgov", "scheme", "organizations", "people", "policy", "as_of", "xx"])
    )
    doc[key] = draw(_ODD_VALUES)


_DEFECTS = [_odd_field, _dangling, _cycle, _duplicate, _junk]


# -- events -----------------------------------------------------------------------------------


def events(
    jurisdiction: Jurisdiction, *, min_size: int = 0, max_size: int = 10
) -> st.SearchStrategy[list[Event]]:
    """Legal event sequences from the state of `jurisdiction`, which is not changed.

    Each step is an everyday command with arguments valid at that point (found,
    amend, rename, move and dissolve organizations; add, amend and remove people,
    households and cooperatives; register, file, transfer, claim, appoint, vacate,
    attach; the compound operations relocate and replace; policy and as-of changes);
    the events it applies are recorded. Applying the whole list to a copy of
    `jurisdiction` (``j.apply_all(events)``) succeeds. Shrinks toward fewer steps.

    Parameters
    ----------
    jurisdiction : Jurisdiction
        The state to start from.
    min_size, max_size : int
        How many commands to run (each gives zero or more events).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from gridgov.rules.breaking import minimal_jurisdiction
    >>> j = minimal_jurisdiction()
    >>> @settings(max_examples=5)
    ... @given(events(j, min_size=3))
    ... def check(evs):
    ...     assert j.copy().apply_all(evs) == len(evs)
    >>> check()
    """
    if not isinstance(jurisdiction, Jurisdiction):
        raise InvalidArgument(f"jurisdiction={short_repr(jurisdiction)}: expected a Jurisdiction")
    _check_int("min_size", min_size, 0, 1000)
    _check_int("max_size", max_size, 0, 1000)
    if min_size > max_size:
        raise InvalidArgument(f"min_size={min_size} is more than max_size={max_size}")
    start = jurisdiction.copy()

    @st.composite
    def build(draw: Draw) -> list[Event]:
        j = start.copy()
        version = j.version
        for _ in range(draw(st.integers(min_size, max_size))):
            command = _engine._pick(draw, _COMMANDS)
            command(j, draw)
        return list(j.log[version:])

    return build()


def _relocate(j: Jurisdiction, draw: Draw) -> None:
    """The compound operation: a filed member moves to another filing-level organization."""
    filed = list(j.filings)
    person = _engine._pick(draw, filed)
    if person is None:
        return
    targets = [o for o in j.graph.at_level(j.scheme.filing_level) if o != j.filings[person].org]
    org = _engine._pick(draw, targets)
    if org is not None:
        # refused as a whole (a post the member cannot leave behind): must change nothing
        _refusal_changes_nothing(j, "relocate_member", lambda: j.relocate_member(person, org))


def _replace(j: Jurisdiction, draw: Draw) -> None:
    """The compound operation: a post passes to someone who does not hold it."""
    key = _engine._pick(draw, j.posts)
    if key is None:
        return
    org, role, holder = key
    others = [p for p in j.people if (org, role, p) not in j.posts]
    new = _engine._pick(draw, others)
    if new is not None:
        # refused as a whole (the new holder cannot hold it): must change nothing
        _refusal_changes_nothing(
            j, "replace_holder", lambda: j.replace_holder(org, role, holder, new)
        )


def _refusal_changes_nothing(j: Jurisdiction, name: str, call: Callable[[], object]) -> None:
    """Run a compound command; if it is refused, check that it left `j` as it was."""
    before, version, length = j.copy(), j.version, len(j.log)
    try:
        call()
    except GridGovError as error:
        if j.version != version or len(j.log) != length or j != before:
            raise AssertionError(f"a refused {name} changed the jurisdiction ({error})") from None


_COMMANDS = [*_engine.WEIGHTED, _relocate, _replace]


def any_events(
    jurisdiction: Jurisdiction | None = None,
) -> st.SearchStrategy[Event]:
    """Events of any kind, legal or not: for checking that refusals change nothing.

    With a `jurisdiction`, events about its ids (and a ``ghost``), often illegal in its
    state; without, events of any shape, one strategy per event type (every type of
    :data:`gridgov.model.EVENT_TYPES`). Shrinks toward the first event type.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from gridgov.model import Event
    >>> @settings(max_examples=5)
    ... @given(any_events())
    ... def check(event):
    ...     assert isinstance(event, Event)
    >>> check()
    """
    if jurisdiction is None:
        return _engine.EVENTS
    if not isinstance(jurisdiction, Jurisdiction):
        raise InvalidArgument(f"jurisdiction={short_repr(jurisdiction)}: expected a Jurisdiction")
    j = jurisdiction

    @st.composite
    def build(draw: Draw) -> Event:
        return _engine._random_event(draw, j)

    return build()
