"""Rosters in and out: the members roster, the posts ledger (台账) and the organization chart
as CSV or Excel tables, and a members roster read back into a jurisdiction.

A :class:`Table` is plain text cells under column keys; :func:`table` computes one from a
jurisdiction (``members``, ``posts``, ``orgs`` or ``households``), optionally for one
branch's subtree (`scope`) and with people pseudonymised (:class:`Pseudonymiser`).
:func:`write_table` writes it as CSV (UTF-8 with a byte-order mark by default, so Excel
opens Chinese text correctly; ``bom=False`` for plain UTF-8) or as an ``.xlsx`` workbook
(needs ``openpyxl``: ``pip install 'gridgov[excel]'``), with English or Chinese headers
(``headers="en"`` or ``"zh"``; the Chinese names are defined once, beside the English
ones, in :data:`HEADERS`). With Chinese headers the values of the status, category, role,
duty and held columns are written in Chinese as well (:data:`VALUES_ZH`); reading accepts
either language for headers and values.

:func:`import_members` reads a members roster into a jurisdiction: a new id adds the
person, a known one is amended; the registration (居住地报到, and the second one at a work
unit's community, 双报到), the filing (入格) and the categories follow the file. Every bad
row is reported (up to :data:`MAX_ROW_PROBLEMS`), naming its row (the header is row 1,
as a spreadsheet numbers it) and column, and nothing is applied when any row is bad.

Examples
--------
>>> from gridgov.model import Jurisdiction
>>> j = Jurisdiction()
>>> for o, lvl, p in [("S1", "street", None), ("C1", "community", "S1"),
...                   ("B1", "branch", "C1"), ("G1", "group", "B1")]:
...     _ = j.found_org(o, lvl, o, parent=p)
>>> _ = j.add_person("P1", "李四", status="full", categories=["employed"])
>>> _ = j.register("P1", "C1", "2023-04-01")
>>> _ = j.file_member("P1", "G1")
>>> t = table(j, "members")
>>> t.records()[0]["filed_in"], t.records()[0]["branch"]
('G1', 'B1')
>>> text = to_csv(t, headers="zh", bom=False)
>>> text.splitlines()[0].split(',')[:7]
['编号', '姓名', '党员身份', '党员类别', '组织关系', '入党日期', '住户']
>>> back = from_csv(text)
>>> back == t
True
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from gridgov._files import check_path, check_writable, display, read_bytes, write_bytes
from gridgov.errors import (
    DocumentError,
    GridGovError,
    InvalidValueError,
    MissingDependencyError,
    Problem,
    UnknownReferenceError,
)
from gridgov.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_ITEMS,
    check_flag,
    check_id_text,
    check_int,
    check_text,
)
from gridgov.model.enums import Category, MemberStatus, RegistrationKind, Role
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.model.values import PartyMembership, to_date

__all__ = [
    "FORMATS",
    "HEADERS",
    "MAX_ROW_PROBLEMS",
    "TABLES",
    "VALUES_ZH",
    "ImportOutcome",
    "Pseudonymiser",
    "RosterError",
    "Table",
    "export_table",
    "from_csv",
    "import_members",
    "read_table",
    "table",
    "to_csv",
    "write_table",
]

TABLES = ("members", "posts", "orgs", "households")
"""The tables :func:`table` computes."""

FORMATS = ("csv", "xlsx")
"""The file formats of rosters."""

MAX_ROW_PROBLEMS = 100
"""At most this many bad cells are reported by one import (the count of the rest is given)."""

# The columns of every table: (key, Chinese header). The English header is the key itself.
HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    "members": (
        ("id", "编号"),
        ("name", "姓名"),
        ("status", "党员身份"),
        ("categories", "党员类别"),
        ("affiliation", "组织关系"),
        ("joined", "入党日期"),
        ("household", "住户"),
        ("registered_at", "报到社区"),
        ("registered_on", "报到日期"),
        ("work_unit_registered_at", "单位报到社区"),
        ("work_unit_registered_on", "单位报到日期"),
        ("filed_in", "入格组织"),
        ("filed_on", "入格日期"),
        ("branch", "所在支部"),
        ("zones", "认领责任区"),
        ("posts", "担任职务"),
    ),
    "posts": (
        ("org", "组织编号"),
        ("org_name", "组织名称"),
        ("role", "职务"),
        ("duty", "分工"),
        ("holder", "任职人编号"),
        ("holder_name", "任职人姓名"),
        ("appointed_by", "任命组织"),
        ("since", "任职日期"),
        ("until", "离任日期"),
        ("held", "任职状态"),
    ),
    "orgs": (
        ("id", "编号"),
        ("level", "层级"),
        ("name", "名称"),
        ("parent", "上级组织"),
        ("kind", "类型"),
        ("cooperative", "经济社"),
        ("formed", "成立日期"),
        ("term_start", "届期开始"),
        ("ends", "结束日期"),
        ("units", "联合单位"),
        ("members", "党员数"),
        ("secretary", "书记"),
    ),
    "households": (
        ("id", "编号"),
        ("building", "楼栋"),
        ("address", "地址"),
        ("x", "横坐标"),
        ("y", "纵坐标"),
        ("party_household", "党员户"),
        ("zone", "责任区"),
        ("residents", "住户党员"),
    ),
}
"""Per table, its columns in order: ``(key, Chinese header)``; the English header is the key."""

DERIVED = frozenset({"branch", "zones", "posts"})
"""Columns of the members roster that are computed (read back, they are ignored)."""

VALUES_ZH: dict[str, dict[str, str]] = {
    "status": {"full": "正式党员", "probationary": "预备党员"},
    "categories": {
        "residence_registered": "居住地报到党员",
        "sunk": "下沉党员",
        "organ": "机关党员",
        "village": "村社党员",
        "employed": "在职党员",
        "without_post": "无职党员",
        "street_cadre": "街道干部",
        "retired": "退休党员",
        "mobile": "流动党员",
    },
    "role": {
        "secretary": "书记",
        "deputy_secretary": "副书记",
        "committee_member": "委员",
        "group_leader": "党小组组长",
        "first_secretary": "第一书记",
        "grid_leader": "网格长",
        "grid_worker": "网格员",
        "service_team_captain": "服务队队长",
        "commander": "指挥长",
        "service_specialist": "服务专员",
    },
    "duty": {"organization": "组织委员", "propaganda": "宣传委员", "discipline": "纪检委员"},
    "held": {"current": "现任", "past": "曾任"},
}
"""The Chinese names of the values of the columns written in Chinese with ``headers="zh"``."""

_FROM_ZH = {col: {zh: en for en, zh in names.items()} for col, names in VALUES_ZH.items()}
_LIST_COLUMNS = frozenset({"categories", "zones", "posts", "units", "secretary", "residents"})
_SEPARATOR = ";"
_SPLIT = re.compile(r"[;；,，、]")
_FORMULA = ("=", "+", "-", "@")
_NUMBER = re.compile(r"[-+]?\d+(\.\d*)?([eE][-+]?\d+)?")


class RosterError(DocumentError):
    """A roster cannot be read or imported: each problem names its row and column.

    Examples
    --------
    >>> err = RosterError([Problem("row 3, column status", "must be one of full, probationary")])
    >>> str(err)
    'row 3, column status: must be one of full, probationary'
    """


def _check_table_name(name: object, field: str = "name") -> str:
    if not isinstance(name, str) or name not in TABLES:
        raise InvalidValueError(field, name, f"must be one of {', '.join(TABLES)}")
    return name


def _check_headers(headers: object, field: str = "headers") -> str:
    if not isinstance(headers, str) or headers not in ("en", "zh"):
        raise InvalidValueError(field, headers, "must be 'en' or 'zh'")
    return headers


def _check_lang(lang: object) -> str:
    return _check_headers(lang, "lang")


def _columns(value: object) -> tuple[str, ...]:
    if not isinstance(value, tuple) or not all(isinstance(c, str) for c in value):
        raise InvalidValueError("columns", value, "must be a tuple of column names")
    return value


def _rows(value: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, tuple) or not all(
        isinstance(r, tuple) and all(isinstance(c, str) for c in r) for r in value
    ):
        raise InvalidValueError("rows", value, "must be a tuple of tuples of strings")
    return value


@frozen
class Table:
    """A table of text cells: the column keys and the rows, values in their English names.

    Parameters
    ----------
    name : str
        One of :data:`TABLES`.
    columns : tuple of str
        The column keys (the English headers).
    rows : tuple of tuple of str
        The cells, ``""`` for none; lists joined with ``;``.
    lang : str
        The language of the headers of the file it was read from (``en`` or ``zh``), so
        messages name a column as the file does; not compared.

    Examples
    --------
    >>> t = Table("orgs", ("id", "name"), (("S1", "均禾街党工委"),))
    >>> t.headers("zh"), t.column("name")
    (('编号', '名称'), ['均禾街党工委'])
    """

    name: str = field(converter=_check_table_name)
    columns: tuple[str, ...] = field(converter=_columns)
    rows: tuple[tuple[str, ...], ...] = field(converter=_rows)
    lang: str = field(default="en", converter=_check_lang, eq=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        known = dict(HEADERS[self.name])
        for key in self.columns:
            if key not in known:
                raise InvalidValueError("columns", key, f"is not a column of the {self.name} table")
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise InvalidValueError(f"rows[{i}]", row, f"must have {width} cells")

    def headers(self, lang: str = "en") -> tuple[str, ...]:
        """The headers in `lang` (``en`` or ``zh``)."""
        if _check_lang(lang) == "en":
            return self.columns
        zh = dict(HEADERS[self.name])
        return tuple(zh[c] for c in self.columns)

    def column(self, key: str) -> list[str]:
        """The cells of column `key`.

        Raises
        ------
        InvalidValueError
            If the table has no such column.
        """
        if key not in self.columns:
            raise InvalidValueError("key", key, f"is not a column of this {self.name} table")
        i = self.columns.index(key)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """The rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def _localized(self, lang: str) -> list[tuple[str, ...]]:
        """The header row and the rows as written with `lang` headers (values translated)."""
        rows: list[tuple[str, ...]] = [self.headers(lang)]
        if lang == "en":
            rows.extend(self.rows)
            return rows
        maps = [VALUES_ZH.get(c) for c in self.columns]
        for row in self.rows:
            rows.append(
                tuple(
                    cell if m is None or not cell else _translate(cell, m, c in _LIST_COLUMNS)
                    for cell, m, c in zip(row, maps, self.columns, strict=True)
                )
            )
        return rows


def _translate(cell: str, names: Mapping[str, str], many: bool) -> str:
    if many:
        return _SEPARATOR.join(names.get(v, v) for v in cell.split(_SEPARATOR))
    return names.get(cell, cell)


# -- pseudonyms ------------------------------------------------------------------------------


class Pseudonymiser:
    """Replaces person ids, names and household ids by keyed pseudonyms (HMAC-SHA256).

    The same key gives the same pseudonyms in every table and every run, so tables
    exported separately still join; without the key the pseudonyms cannot be reversed.
    :attr:`mapping` records what was replaced, to be written only when asked.

    Parameters
    ----------
    key : bytes or str, optional
        The secret key; default: 32 random bytes (pseudonyms consistent within this
        object only).

    Examples
    --------
    >>> p = Pseudonymiser(b"secret")
    >>> p.person("P1") == p.person("P1") != p.person("P2")
    True
    >>> p.person("P1")[:2], p.name("P1", "李四")[:6]
    ('P-', 'member')
    >>> sorted(p.mapping)[0][:2]
    ('person', 'P-181180a1d901e3e4')
    """

    def __init__(self, key: bytes | str | None = None) -> None:
        if key is None:
            key = secrets.token_bytes(32)
        elif isinstance(key, str):
            key = check_text("key", key).encode("utf-8")
        if not isinstance(key, bytes) or not key:
            raise InvalidValueError("key", key, "must be non-empty bytes or text")
        self._key = key
        self._seen: dict[tuple[str, str], tuple[str, str]] = {}
        self._taken: dict[str, tuple[str, str]] = {}

    def _alias(self, kind: str, value: str, prefix: str) -> str:
        known = self._seen.get((kind, value))
        if known is not None:
            return known[0]
        digest = hmac.new(self._key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()
        alias = f"{prefix}-{digest[:16]}"
        other = self._taken.get(alias)
        if other is not None and other != (kind, value):  # pragma: no cover - 2**-64
            raise InvalidValueError(
                "key", "<key>", f"gives {value!r} the pseudonym of {other[1]!r}"
            )
        self._taken[alias] = (kind, value)
        self._seen[(kind, value)] = (alias, "")
        return alias

    def person(self, person: str) -> str:
        """The pseudonym of a person id."""
        return self._alias("person", check_id_text("person", person), "P")

    def household(self, household: str) -> str:
        """The pseudonym of a household id."""
        return self._alias("household", check_id_text("household", household), "H")

    def name(self, person: str, name: str) -> str:
        """The pseudonym of a person's name: ``member`` and the start of their id's pseudonym."""
        alias = self.person(person)
        check_text("name", name)
        self._seen[("person", person)] = (alias, name)
        return f"member {alias[2:10]}"

    @property
    def mapping(self) -> list[tuple[str, str, str, str]]:
        """``(kind, pseudonym, real id, real name)`` of everything replaced so far."""
        return [(kind, a, value, name) for (kind, value), (a, name) in self._seen.items()]

    def mapping_table(self) -> list[tuple[str, ...]]:
        """The mapping as rows under the header ``kind, pseudonym, id, name``."""
        return [("kind", "pseudonym", "id", "name"), *sorted(self.mapping)]

    def write_mapping(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`mapping_table` to `path`: CSV (UTF-8 with a BOM), or ``.xlsx``.

        Raises
        ------
        FileError
            If the file cannot be written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = Pseudonymiser(b"k")
        >>> _ = p.name("P1", "李四")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p.write_mapping(pathlib.Path(d, "map.csv"))
        ...     pathlib.Path(d, "map.csv").read_text("utf-8-sig").splitlines()[1][:24]
        'person,P-08dec020daf9343'
        """
        _write_rows(self.mapping_table(), check_path("path", path), "mapping")


class _Same:
    """The identity pseudonymiser: real ids and names."""

    def person(self, person: str) -> str:
        return person

    def household(self, household: str) -> str:
        return household

    def name(self, person: str, name: str) -> str:
        return name


# -- tables of a jurisdiction ----------------------------------------------------------------


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _opt(value: object) -> str:
    return "" if value is None else str(value)


def table(
    j: Jurisdiction,
    name: str = "members",
    *,
    scope: str | None = None,
    pseudonymise: Pseudonymiser | None = None,
) -> Table:
    """Compute a table of `j`: its members roster, posts ledger, organizations or households.

    Parameters
    ----------
    j : Jurisdiction
        The jurisdiction.
    name : str
        ``members`` (Party members: status, categories, affiliation, registrations,
        filing, and the branch, zones and posts they hold), ``posts`` (the ledger 台账:
        every tenure, current and past), ``orgs`` (the organization chart with member
        counts and secretaries) or ``households``.
    scope : str, optional
        An organization id: only its subtree (its members, the posts in its
        organizations, the households of its zones or of its members).
    pseudonymise : Pseudonymiser, optional
        Replace person ids and names and household ids by pseudonyms, and leave the
        households' addresses out (buildings and locations are kept, for maps).

    Returns
    -------
    Table

    Raises
    ------
    InvalidValueError
        If `name` is not a table or `pseudonymise` not a :class:`Pseudonymiser`.
    UnknownReferenceError
        If `scope` is not an organization of `j`.

    Examples
    --------
    >>> from gridgov.io import load
    >>> j = load("examples/junhe.json")
    >>> len(table(j, "members").rows), len(table(j, "members", scope="B1").rows)
    (37, 9)
    >>> sorted({r["role"] for r in table(j, "posts", scope="B1").records()})[:3]
    ['commander', 'committee_member', 'first_secretary']
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    _check_table_name(name)
    if pseudonymise is not None and not isinstance(pseudonymise, Pseudonymiser):
        raise InvalidValueError("pseudonymise", pseudonymise, "must be a Pseudonymiser or None")
    orgs: list[str] | None = None
    if scope is not None:
        j._query_org("scope", scope)
        orgs = j.graph.subtree(scope)
    alias: Pseudonymiser | _Same = pseudonymise if pseudonymise is not None else _Same()
    build = {
        "members": _members,
        "posts": _posts,
        "orgs": _orgs,
        "households": _households,
    }[name]
    rows = build(j, orgs, alias)
    return Table(name, tuple(k for k, _ in HEADERS[name]), tuple(rows))


def _branch_of(j: Jurisdiction) -> Callable[[str], str]:
    branch_level = j.scheme.branch_level
    cache: dict[str, str] = {}
    graph = j.graph

    def branch(org: str) -> str:
        got = cache.get(org)
        if got is None:
            got = "" if branch_level is None else graph.ancestor_at(org, branch_level) or ""
            cache[org] = got
        return got

    return branch


def _members(j: Jurisdiction, orgs: list[str] | None, alias: Any) -> list[tuple[str, ...]]:
    filings, regs, works = j.filings, j.registrations, j.work_registrations
    people = j.people
    if orgs is None:
        ids: Iterable[str] = (pid for pid, p in people.items() if p.party is not None)
    else:
        inside = set(orgs)
        ids = [pid for pid, f in filings.items() if f.org in inside]
        ids = [pid for pid in people if pid in set(ids)]  # in the roster's order
    zones: dict[str, list[str]] = {}
    for person, zone in j.claims:
        zones.setdefault(person, []).append(zone)
    held: dict[str, list[str]] = {}
    for org, role, holder in j.posts:
        held.setdefault(holder, []).append(f"{org}:{role.value}")
    branch = _branch_of(j)
    rows: list[tuple[str, ...]] = []
    for pid in ids:
        p = people[pid]
        party = p.party
        assert party is not None
        reg, work, filing = regs.get(pid), works.get(pid), filings.get(pid)
        rows.append(
            (
                alias.person(pid),
                alias.name(pid, p.name),
                party.status.value,
                _SEPARATOR.join(sorted(c.value for c in party.categories)),
                _opt(party.affiliation),
                _day(party.joined),
                "" if p.household is None else alias.household(p.household),
                "" if reg is None else reg.community,
                "" if reg is None else _day(reg.date),
                "" if work is None else work.community,
                "" if work is None else _day(work.date),
                "" if filing is None else filing.org,
                "" if filing is None else _day(filing.date),
                "" if filing is None else branch(filing.org),
                _SEPARATOR.join(zones.get(pid, ())),
                _SEPARATOR.join(held.get(pid, ())),
            )
        )
    return rows


def _posts(j: Jurisdiction, orgs: list[str] | None, alias: Any) -> list[tuple[str, ...]]:
    all_orgs, people = j.organizations, j.people
    rows: list[tuple[str, ...]] = []
    for org in orgs if orgs is not None else list(all_orgs):
        org_name = all_orgs[org].name
        tenures = [(p, "past") for p in j.tenures(org)]  # past ones, in the order they ended
        for post, held in [*tenures, *((p, "current") for p in j.posts_in(org))]:
            holder = people.get(post.holder)
            rows.append(
                (
                    org,
                    org_name,
                    post.role.value,
                    _opt(post.duty and post.duty.value),
                    alias.person(post.holder),
                    "" if holder is None else alias.name(post.holder, holder.name),
                    _opt(post.appointed_by),
                    _day(post.since),
                    _day(post.until),
                    held,
                )
            )
    return rows


def _member_counts(j: Jurisdiction) -> dict[str, int]:
    """What ``len(j.members(org))`` is for every org, in one pass: the filed in the subtree,
    then the attached to an org of the subtree and not filed in it."""
    graph = j.graph
    chains: dict[str, list[str]] = {}

    def chain(org: str) -> list[str]:
        got = chains.get(org)
        if got is None:
            got = chains[org] = graph.chain(org)
        return got

    filed: dict[str, int] = {}
    for f in j.filings.values():
        filed[f.org] = filed.get(f.org, 0) + 1
    total = dict.fromkeys(j.organizations, 0)
    for org, n in filed.items():
        for o in chain(org):
            total[o] += n
    extra: dict[str, set[str]] = {}
    filings = j.filings
    for person, org in j.attachments:
        home = filings.get(person)
        inside = set(chain(home.org)) if home is not None else set()
        for o in chain(org):
            if o not in inside:
                extra.setdefault(o, set()).add(person)
    for o, people in extra.items():
        total[o] += len(people)
    return total


def _orgs(j: Jurisdiction, orgs: list[str] | None, alias: Any) -> list[tuple[str, ...]]:
    counts = _member_counts(j)
    secretaries: dict[str, list[str]] = {}
    for org, role, holder in j.posts:
        if role is Role.SECRETARY:
            secretaries.setdefault(org, []).append(alias.person(holder))
    all_orgs = j.organizations
    rows: list[tuple[str, ...]] = []
    for oid in orgs if orgs is not None else list(all_orgs):
        o = all_orgs[oid]
        rows.append(
            (
                o.id,
                o.level,
                o.name,
                _opt(o.parent),
                _opt(o.kind and o.kind.value),
                _opt(o.cooperative),
                _day(o.formed),
                _day(o.term_start),
                _day(o.ends),
                _SEPARATOR.join(o.units),
                str(counts.get(oid, 0)),
                _SEPARATOR.join(secretaries.get(oid, ())),
            )
        )
    return rows


def _number(x: float) -> str:
    return str(int(x)) if x.is_integer() else repr(x)


def _households(j: Jurisdiction, orgs: list[str] | None, alias: Any) -> list[tuple[str, ...]]:
    zone_of = j.zone_of_household
    residents: dict[str, list[str]] = {}
    for pid, p in j.people.items():
        if p.household is not None and p.party is not None:
            residents.setdefault(p.household, []).append(pid)
    households = j.households
    if orgs is None:
        ids: list[str] = list(households)
    else:
        inside = set(orgs)
        members = {pid for pid, f in j.filings.items() if f.org in inside}
        ids = [
            h
            for h in households
            if zone_of.get(h) in inside or any(r in members for r in residents.get(h, ()))
        ]
    rows: list[tuple[str, ...]] = []
    for hid in ids:
        h = households[hid]
        x, y = ("", "") if h.location is None else map(_number, h.location)
        rows.append(
            (
                alias.household(hid),
                _opt(h.building),
                "" if isinstance(alias, Pseudonymiser) else _opt(h.address),
                x,
                y,
                _opt(h.party_household and h.party_household.value),
                zone_of.get(hid, ""),
                _SEPARATOR.join(alias.person(r) for r in residents.get(hid, ())),
            )
        )
    return rows


# -- writing ---------------------------------------------------------------------------------


def _formula(cell: str) -> bool:
    return cell.startswith(_FORMULA) and not _NUMBER.fullmatch(cell)


def _guard(cell: str) -> str:
    """A CSV cell Excel would run as a formula gets a leading apostrophe (removed on
    reading); so does a cell that starts with an apostrophe itself, so that it reads back
    as written."""
    if cell.startswith("'") or _formula(cell):
        return "'" + cell
    return cell


def _unguard(cell: str) -> str:
    rest = cell[1:]
    if cell.startswith("'") and (rest.startswith("'") or _formula(rest)):
        return rest
    return cell


def to_csv(t: Table, *, headers: str = "en", bom: bool = True) -> str:
    """Return `t` as CSV text (``\\r\\n`` line ends, as RFC 4180 and Excel write them).

    Parameters
    ----------
    t : Table
        The table.
    headers : str
        ``en`` or ``zh``: the language of the headers (and of the translated values).
    bom : bool
        Start with a byte-order mark (U+FEFF), which Excel needs to read UTF-8.

    Raises
    ------
    InvalidValueError
        If `t` is not a :class:`Table` or `headers` is neither language.

    Examples
    --------
    >>> t = Table("orgs", ("id", "name"), (("S1", "=1+1"),))
    >>> to_csv(t, bom=False)
    "id,name\\r\\nS1,'=1+1\\r\\n"
    """
    if not isinstance(t, Table):
        raise InvalidValueError("t", t, "must be a Table")
    lang = _check_headers(headers)
    check_flag("bom", bom)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in t._localized(lang):
        writer.writerow([_guard(c) for c in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def _openpyxl(feature: str) -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the extra is installed in the tests
        raise MissingDependencyError("openpyxl", "excel", feature) from None
    return openpyxl


def _xlsx_bytes(rows: Sequence[Sequence[str]], sheet: str) -> bytes:
    openpyxl = _openpyxl("writing .xlsx")
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if value.startswith("="):  # text, never a formula
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value or None)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _format(path: str, given: object, field: str = "path") -> str:
    if given is not None:
        if not isinstance(given, str) or given not in FORMATS:
            raise InvalidValueError("format", given, f"must be one of {', '.join(FORMATS)}")
        return given
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidValueError(
            field, path, "has no .csv or .xlsx suffix: name such a file, or give the format"
        )
    return suffix


def write_table(
    t: Table,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    headers: str = "en",
    bom: bool = True,
) -> None:
    """Write `t` to `path` as CSV or an Excel workbook (one sheet named after the table).

    Parameters
    ----------
    t : Table
        The table.
    path : path
        The file (replaced if it exists).
    format : str, optional
        ``csv`` or ``xlsx``; default: from the file's suffix.
    headers : str
        ``en`` or ``zh``.
    bom : bool
        For CSV: start with a byte-order mark (see :func:`to_csv`).

    Raises
    ------
    InvalidValueError
        If an argument is bad or the format cannot be told from the suffix.
    FileError
        If the file cannot be written.
    MissingDependencyError
        For ``xlsx`` without ``openpyxl`` (``pip install 'gridgov[excel]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> t = Table("orgs", ("id", "name"), (("S1", "均禾街党工委"),))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_table(t, pathlib.Path(d, "orgs.xlsx"), headers="zh")
    ...     read_table(pathlib.Path(d, "orgs.xlsx")) == t
    True
    """
    if not isinstance(t, Table):
        raise InvalidValueError("t", t, "must be a Table")
    where = check_path("path", path)
    kind = _format(where, format)
    lang = _check_headers(headers)
    if kind == "csv":
        data = to_csv(t, headers=lang, bom=bom).encode("utf-8")
    else:
        check_flag("bom", bom)
        data = _xlsx_bytes(t._localized(lang), t.name)
    write_bytes(where, data)


def _write_rows(rows: Sequence[Sequence[str]], path: str, sheet: str) -> None:
    if path.lower().endswith(".xlsx"):
        write_bytes(path, _xlsx_bytes(rows, sheet))
        return
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[_guard(c) for c in r] for r in rows])
    write_bytes(path, ("\ufeff" + out.getvalue()).encode("utf-8"))


def export_table(
    j: Jurisdiction,
    path: str | os.PathLike[str],
    name: str = "members",
    *,
    format: str | None = None,
    headers: str = "en",
    scope: str | None = None,
    pseudonymise: bool | bytes | str = False,
    mapping: str | os.PathLike[str] | None = None,
    bom: bool = True,
) -> Table:
    """Write a table of `j` to `path`: :func:`table` then :func:`write_table`.

    Parameters
    ----------
    j, name, scope
        As for :func:`table`.
    path, format, headers, bom
        As for :func:`write_table`.
    pseudonymise : bool, bytes or str
        ``True`` for pseudonyms under a random key, a key (bytes or text) for pseudonyms
        that are the same in every export under that key; ``False``: real ids.
    mapping : path, optional
        With `pseudonymise`: also write the mapping back to the real ids and names to
        this file (CSV, or ``.xlsx``). Nothing is written when it is not given.

    Returns
    -------
    Table
        The table written.

    Raises
    ------
    InvalidValueError
        If an argument is bad, or `mapping` is given without `pseudonymise`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from gridgov.io import load
    >>> j = load("examples/junhe.json")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     t = export_table(j, pathlib.Path(d, "b1.csv"), scope="B1", pseudonymise=b"k")
    ...     sorted(p.name for p in pathlib.Path(d).iterdir())
    ['b1.csv']
    >>> t.records()[0]["id"][:2]
    'P-'
    """
    if not isinstance(pseudonymise, bool | bytes | str):
        raise InvalidValueError("pseudonymise", pseudonymise, "must be True, False or a key")
    if mapping is not None and pseudonymise is False:
        raise InvalidValueError("mapping", mapping, "is only written with pseudonymise")
    where = check_path("path", path)
    mapping_path = None
    if mapping is not None:
        try:
            mapping_path = check_path("mapping", mapping)
            check_writable(mapping_path)
        except DocumentError as exc:  # a FileError: say which of the two paths
            raise InvalidValueError("mapping", mapping, str(exc)) from None
        except OSError as exc:  # check_writable lets a name too long through (ENAMETOOLONG)
            raise InvalidValueError("mapping", mapping, exc.strerror or str(exc)) from None
    if mapping_path is not None and os.path.abspath(mapping_path) == os.path.abspath(where):
        raise InvalidValueError("mapping", mapping, "must be another file than the export")
    alias = None
    if pseudonymise is not False:
        try:
            alias = Pseudonymiser(None if pseudonymise is True else pseudonymise)
        except InvalidValueError as exc:
            raise InvalidValueError("pseudonymise", pseudonymise, exc.reason) from None
    t = table(j, name, scope=scope, pseudonymise=alias)
    write_table(t, where, format=format, headers=headers, bom=bom)
    if alias is not None and mapping_path is not None:
        alias.write_mapping(mapping_path)
    return t


# -- reading ---------------------------------------------------------------------------------


def _header_keys(name: str | None, header: Sequence[str]) -> tuple[str, dict[int, str]]:
    """Which table the header row is of, and the key of each column; unknown ones refused."""
    clean = [h.strip() for h in header]
    candidates = [name] if name is not None else list(TABLES)
    best: tuple[int, str] | None = None
    for cand in candidates:
        names = {k: k for k, _ in HEADERS[cand]} | {zh: k for k, zh in HEADERS[cand]}
        hits = sum(1 for h in clean if h in names)
        if best is None or hits > best[0]:
            best = (hits, cand)
    assert best is not None
    chosen = best[1]
    names = {k: k for k, _ in HEADERS[chosen]} | {zh: k for k, zh in HEADERS[chosen]}
    problems = []
    keys: dict[int, str] = {}
    for i, h in enumerate(clean):
        if not h:
            continue
        key = names.get(h)
        if key is None:
            problems.append(
                Problem(
                    f"row 1, column {i + 1}",
                    f"unknown column {h!r} of the {chosen} table "
                    f"(known: {', '.join(k for k, _ in HEADERS[chosen])})",
                )
            )
        elif key in keys.values():
            problems.append(Problem(f"row 1, column {h}", "is given twice"))
        else:
            keys[i] = key
    if problems:
        raise RosterError(problems)
    if "id" not in keys.values() and "org" not in keys.values():
        raise RosterError([Problem("row 1", f"no id column among {', '.join(clean)[:200]}")])
    return chosen, keys


def _to_table(
    name: str | None, raw: Iterable[Sequence[str]], source: str | None, *, guarded: bool = True
) -> Table:
    """The table of `raw` rows (a header, then values); `guarded`: CSV cells, whose
    formula guard (:func:`_guard`) is removed; a workbook's cells are text as they are."""
    it = iter(raw)
    header = next(it, None)
    if header is None:
        raise RosterError([Problem("row 1", "the file is empty: no header row")], source)
    try:
        chosen, keys = _header_keys(name, header)
    except RosterError as exc:
        raise RosterError(exc.problems, source) from None
    order = sorted(keys)
    rows: list[tuple[str, ...]] = []
    back = [_FROM_ZH.get(keys[i]) for i in order]
    many = [keys[i] in _LIST_COLUMNS for i in order]
    for n, row in enumerate(it, start=2):
        if n - 1 > MAX_ITEMS:
            raise RosterError([Problem(f"row {n}", f"more than {MAX_ITEMS} rows")], source)
        if not any(c.strip() for c in row):
            continue  # a blank line
        cells = []
        for i, b, m in zip(order, back, many, strict=True):
            cell = row[i].strip() if i < len(row) else ""
            if guarded:
                cell = _unguard(cell)
            if b is not None and cell:
                if m:
                    cell = _SEPARATOR.join(b.get(v.strip(), v.strip()) for v in _SPLIT.split(cell))
                else:
                    cell = b.get(cell, cell)
            elif m and cell:
                cell = _SEPARATOR.join(v.strip() for v in _SPLIT.split(cell) if v.strip())
            cells.append(cell)
        rows.append(tuple(cells))
    zh = {z for _, z in HEADERS[chosen]} - {k for k, _ in HEADERS[chosen]}
    lang = "zh" if any(h.strip() in zh for h in header) else "en"
    return Table(chosen, tuple(keys[i] for i in order), tuple(rows), lang=lang)


def from_csv(text: str, *, table: str | None = None, source: str | None = None) -> Table:
    """Read a table from CSV text; headers in English or Chinese; a leading BOM is dropped.

    Parameters
    ----------
    text : str
        The CSV text.
    table : str, optional
        Which table it is (default: the one whose headers match best).
    source : str, optional
        The file it came from, for messages.

    Raises
    ------
    RosterError
        If the header row names an unknown column, or the text is not CSV.

    Examples
    --------
    >>> from_csv("编号,名称\\nS1,均禾街党工委\\n").records()
    [{'id': 'S1', 'name': '均禾街党工委'}]
    """
    if not isinstance(text, str):
        raise InvalidValueError("text", text, "must be a string")
    if table is not None:
        _check_table_name(table, "table")
    if source is not None and not isinstance(source, str):
        raise InvalidValueError("source", source, "must be a file name or None")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RosterError([Problem("", f"not CSV: {exc}")], source) from None
    return _to_table(table, rows, source)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return _number(value)
    return str(value)


def read_table(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    table: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Table:
    """Read a table from a CSV file or an Excel workbook (its first sheet).

    Parameters
    ----------
    path : path
        The file.
    format : str, optional
        ``csv`` or ``xlsx``; default: from the suffix.
    table : str, optional
        Which table it is (default: the one whose headers match best).
    max_bytes : int
        Refuse larger files.

    Raises
    ------
    FileError
        If the file cannot be read.
    RosterError
        If it is not UTF-8 CSV or a workbook, or its header names an unknown column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = pathlib.Path(d, "m.csv").write_text("id,name,status\\nP1,李四,full\\n", "utf-8")
    ...     read_table(pathlib.Path(d, "m.csv")).name
    'members'
    """
    where = check_path("path", path)
    kind = _format(where, format)
    if table is not None:
        _check_table_name(table, "table")
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 1:
        raise InvalidValueError("max_bytes", max_bytes, "must be a positive integer")
    data = bytes(read_bytes(where, max_bytes))
    source = display(where)
    if kind == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RosterError(
                [Problem("", f"not UTF-8 text (byte {exc.start}); save the CSV as UTF-8")],
                source,
            ) from None
        return from_csv(text, table=table, source=source)
    openpyxl = _openpyxl("reading .xlsx")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise RosterError(
            [Problem("", f"not an Excel workbook ({type(exc).__name__})")], source
        ) from None
    try:
        ws = wb.worksheets[0]
        rows = ([_xlsx_cell(v) for v in row] for row in ws.iter_rows(values_only=True))
        return _to_table(table, rows, source, guarded=False)
    finally:
        wb.close()


# -- importing -------------------------------------------------------------------------------


def _count(instance: object, attribute: Any, value: Any) -> None:
    check_int(attribute.name, value, 0, 10 * MAX_ITEMS)


@frozen
class ImportOutcome:
    """What :func:`import_members` did: people added, amended, left as they were; events.

    Examples
    --------
    >>> str(ImportOutcome(1, 0, 2, 3))
    '1 added, 0 amended, 2 unchanged (3 events)'
    """

    added: int = field(validator=_count)
    amended: int = field(validator=_count)
    unchanged: int = field(validator=_count)
    events: int = field(validator=_count)

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.amended} amended, {self.unchanged} unchanged "
            f"({self.events} event{'s' * (self.events != 1)})"
        )


class _Problems:
    def __init__(self, headers: Mapping[str, str]) -> None:
        self.items: list[Problem] = []
        self.rows: set[int] = set()
        self.more = 0
        self.headers = headers

    def add(self, row: int, key: str | None, message: str) -> None:
        self.rows.add(row)
        if len(self.items) >= MAX_ROW_PROBLEMS:
            self.more += 1
            return
        where = f"row {row}" if key is None else f"row {row}, column {self.headers.get(key, key)}"
        self.items.append(Problem(where, message))

    def raise_any(self, source: str | None) -> None:
        if self.items:
            problems = sorted(self.items, key=lambda p: _row_number(p.path))
            if self.more:
                problems.append(Problem("", f"{self.more} more problems not shown"))
            raise RosterError(problems, source)


def _row_number(path: str) -> int:
    head = path.split(",")[0]
    return int(head[4:]) if head.startswith("row ") and head[4:].isdigit() else 0


def _reason(exc: GridGovError) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason) if reason else str(exc)


@frozen
class _Row:
    n: int
    id: str
    cells: dict[str, Any]


_DATES = frozenset({"joined", "registered_on", "work_unit_registered_on", "filed_on"})
_CATEGORY_SETS: dict[str, frozenset[Category]] = {}


def _cell_value(key: str, cell: str) -> Any:
    """Parse one cell (raises InvalidValueError)."""
    if key in _DATES:
        return None if not cell else to_date(cell, key)
    if key == "status":
        return MemberStatus(cell) if cell else None
    if key == "categories":
        got = _CATEGORY_SETS.get(cell)
        if got is None:  # a few distinct combinations in a whole roster: parsed once each
            got = frozenset(Category(c) for c in cell.split(_SEPARATOR) if c)
            if len(_CATEGORY_SETS) < 4096:
                _CATEGORY_SETS[cell] = got
        return got
    if key == "name":
        if not cell:
            raise InvalidValueError(key, cell, "must not be empty")
        return check_text(key, cell)
    if not cell:
        return None
    return check_id_text(key, cell)


def import_members(
    j: Jurisdiction,
    source: Table | str | os.PathLike[str],
    *,
    format: str | None = None,
) -> ImportOutcome:
    """Read a members roster into `j`: add new people, amend known ones, all or nothing.

    Each row is a Party member. ``id``, ``name`` and ``status`` are needed; a column
    left out of the file leaves that detail of known people as it is, an empty cell
    clears it. The registration (``registered_at``/``registered_on``, and the work-unit
    one), the filing (``filed_in``/``filed_on``: a new one, a transfer, or none) and
    ``categories`` are set as the row says. The computed columns (``branch``, ``zones``,
    ``posts``) are ignored.

    Parameters
    ----------
    j : Jurisdiction
        Where to import.
    source : Table or path
        A members :class:`Table`, or a CSV or ``.xlsx`` file (see :func:`read_table`).
    format : str, optional
        For a file: ``csv`` or ``xlsx`` (default: from the suffix).

    Returns
    -------
    ImportOutcome

    Raises
    ------
    RosterError
        Naming the row and column of every bad cell (up to :data:`MAX_ROW_PROBLEMS`):
        an unknown status or category, a malformed date, an unknown community or
        organization, a filing at the wrong level, an id given twice, ... `j` is then
        exactly as it was.

    Examples
    --------
    >>> from gridgov.io import load
    >>> j = load("examples/junhe.json")
    >>> t = Table("members", ("id", "name", "status", "filed_in"),
    ...           (("P90", "新党员", "full", "G1"), ("P91", "某某", "member", "G1"),
    ...            ("P92", "某人", "full", "G9")))
    >>> try:
    ...     import_members(j, t)
    ... except RosterError as exc:
    ...     print(*exc.problems, sep="\\n")
    row 3, column status: must be one of full, probationary (got 'member')
    row 4, column filed_in: unknown organization 'G9'
    >>> "P90" in j.people
    False
    >>> import_members(j, Table("members", t.columns, t.rows[:1]))
    ImportOutcome(added=1, amended=0, unchanged=0, events=2)
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    where = None
    if format is not None:
        _format("", format)
    if isinstance(source, Table):
        t = source
    elif isinstance(source, str | os.PathLike):
        path = check_path("source", source)
        where = display(path)
        t = read_table(path, format=_format(path, format, "source"), table="members")
    else:
        raise InvalidValueError("source", source, "must be a Table or a path")
    if t.name != "members":
        raise InvalidValueError("source", t.name, "must be a members roster")
    headers = dict(HEADERS["members"]) if t.lang == "zh" else {}
    problems = _Problems(headers)
    for key in ("id", "name", "status"):
        if key not in t.columns:
            problems.add(1, key, "is missing: a roster needs id, name and status")
    problems.raise_any(where)
    rows = _parse_rows(t, problems)
    rows = [r for r in rows if r.n not in problems.rows]  # the others are tried, to report them all
    version = j.version
    added = amended = 0
    with j.atomic():
        for row in rows:
            before = j.version
            is_new = row.id not in j.people
            _apply_row(j, row, problems)
            if j.version != before:
                added += is_new
                amended += not is_new
        problems.raise_any(where)
    return ImportOutcome(added, amended, len(rows) - added - amended, j.version - version)


def _parse_rows(t: Table, problems: _Problems) -> list[_Row]:
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    keys = [k for k in t.columns if k not in DERIVED]
    for n, record in enumerate(t.records(), start=2):
        cells: dict[str, Any] = {}
        for key in keys:
            try:
                cells[key] = _cell_value(key, record[key])
            except InvalidValueError as exc:
                problems.add(n, key, f"{exc.reason} (got {record[key]!r})")
        pid = cells.get("id")
        if pid is None:
            if not record["id"]:
                problems.add(n, "id", "must not be empty")
            continue
        if cells.get("status", 0) is None:
            problems.add(n, "status", "must not be empty: a roster lists Party members")
        if pid in seen:
            problems.add(n, "id", f"{pid!r} is given twice (first in row {seen[pid]})")
        seen.setdefault(pid, n)
        for at, on in (
            ("registered_at", "registered_on"),
            ("work_unit_registered_at", "work_unit_registered_on"),
            ("filed_in", "filed_on"),
        ):
            if cells.get(at) is None and cells.get(on) is not None:
                problems.add(n, on, f"a date needs {at}")
        rows.append(_Row(n, pid, cells))
    return rows


def _attempt(
    problems: _Problems,
    row: _Row,
    key: str | Callable[[GridGovError], str],
    action: Callable[[], object],
) -> bool:
    try:
        action()
    except GridGovError as exc:
        problems.add(row.n, key if isinstance(key, str) else key(exc), _reason(exc))
        return False
    return True


def _person_column(exc: GridGovError) -> str:
    """The column a refused person names: an unknown household, else the id."""
    return "household" if isinstance(exc, UnknownReferenceError) else "id"


def _apply_row(j: Jurisdiction, row: _Row, problems: _Problems) -> None:
    c = row.cells
    pid = row.id
    current = j.people.get(pid)
    if current is None:
        if not _attempt(
            problems,
            row,
            _person_column,
            lambda: j.add_person(
                pid,
                c["name"],
                status=c["status"],
                categories=c.get("categories", ()),
                affiliation=c.get("affiliation"),
                joined=c.get("joined"),
                household=c.get("household"),
            ),
        ):
            return
    else:
        party = current.party
        new_party = PartyMembership(
            c["status"],
            c.get("categories", party.categories if party else frozenset()),
            affiliation=c.get("affiliation", party.affiliation if party else None),
            joined=c.get("joined", party.joined if party else None),
        )
        changes: dict[str, Any] = {}
        if current.name != c["name"]:
            changes["name"] = c["name"]
        if party != new_party:
            changes["party"] = new_party
        if "household" in c and current.household != c["household"]:
            changes["household"] = c["household"]
        if changes and not _attempt(
            problems,
            row,
            _person_column,
            lambda: j.amend_person(pid, **changes),
        ):
            return
    for kind, at, on in (
        (RegistrationKind.RESIDENCE, "registered_at", "registered_on"),
        (RegistrationKind.WORK_UNIT, "work_unit_registered_at", "work_unit_registered_on"),
    ):
        if at not in c:
            continue
        regs = j.registrations if kind is RegistrationKind.RESIDENCE else j.work_registrations
        have = regs.get(pid)
        want = (c[at], c.get(on) if on in c else (have.date if have else None))
        if have is not None and (have.community, have.date) == want:
            continue
        if have is None and want[0] is None:
            continue

        def register(
            kind: RegistrationKind = kind, want: Any = want, had: bool = have is not None
        ) -> None:
            with j.atomic():
                if had:
                    j.deregister(pid, kind=kind)
                if want[0] is not None:
                    j.register(pid, want[0], want[1], kind=kind)

        _attempt(problems, row, at, register)
    if "filed_in" in c:
        filing = j.filings.get(pid)
        org = c["filed_in"]
        date = c.get("filed_on") if "filed_on" in c else (filing.date if filing else None)
        if filing is None and org is not None:
            _attempt(problems, row, "filed_in", lambda: j.file_member(pid, org, date))
        elif filing is not None and org is None:
            _attempt(problems, row, "filed_in", lambda: j.unfile_member(pid))
        elif filing is not None and org is not None and (filing.org, filing.date) != (org, date):
            if filing.org != org:
                _attempt(problems, row, "filed_in", lambda: j.transfer_member(pid, org, date))
            else:
                _attempt(problems, row, "filed_on", lambda: _refile(j, pid, org, date))


def _refile(j: Jurisdiction, pid: str, org: str, date: dt.date | None) -> None:
    with j.atomic():
        j.unfile_member(pid)
        j.file_member(pid, org, date)
