"""The structure rules GG101-GG108: references, levels, the tree, ids and filings.

The document rules (GG101-GG103, GG105-GG107) cannot hold in a
:class:`~gridgov.model.Jurisdiction`: it refuses such events, with an error coded with
the rule. The tolerant document reader (:mod:`gridgov.rules.tolerant`) reports those
refusals, and runs the scans declared here for what only a document can hold: cycles
(GG103), ids used twice (GG105) and zones listing other records as households (GG101).
GG104 and GG108 are checks of a jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from gridgov.model.document import Document
from gridgov.rules.breaking import Chooser, new_id
from gridgov.rules.context import Context
from gridgov.rules.diagnostics import Diagnostic, Finding, Severity
from gridgov.rules.registry import Rule, RuleSet

__all__ = ["declared_ids", "rules", "scan_cycles", "scan_duplicates", "scan_non_households"]

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

E, W = Severity.ERROR, Severity.WARNING

rules = RuleSet()
"""The structure rules, in declaration order."""


@rules.check(
    "GG104",
    "single-root",
    E,
    "the jurisdiction has no single root at the top level",
    subject="jurisdiction",
    reads=("organizations",),
    hint="keep one root at the top level; put the others under it",
)
def gg104(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Checks that the jurisdiction has exactly one root organization and that it is at the
    top level of the scheme (the street committee in the five-level scheme).

    ## Why it matters
    The street Party Working Committee (街道党工委) leads every grid of its territory;
    first secretaries are appointed by it and instructions start from it. Without a single
    root there is no one to appoint them or relay from.

    ## Example
    A document with two `street` organizations, or whose only root is a community.

    ## Fix
    Keep one top-level organization and put every other organization under it.
    """
    roots = ctx.j.graph.roots()
    if len(roots) == 1:
        return
    top = ctx.scheme.top
    if not roots:
        yield ctx.diagnostic(
            "GG104",
            f"the jurisdiction has no root organization at level {top!r}",
            (),
            f"found a {top!r} organization",
        )
    else:
        yield ctx.diagnostic(
            "GG104",
            f"the jurisdiction has {len(roots)} roots",
            tuple(roots),
            "keep one root and put the others under it",
            ctx.path("org", roots[1]),
        )


@rules.check(
    "GG108",
    "filed-non-member",
    E,
    "a person filed or claiming is not a Party member",
    subject="person",
    reads=("people", "filings", "attachments", "claims"),
    hint="unfile them, or record their Party membership",
)
def gg108(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds people who are filed into a grid group, attached to a temporary, functional or
    joint organization or a service team, or claim a responsibility zone, but are not
    Party members (they have no `party`).

    ## Why it matters
    Filing (入格) and zone claims (认领责任区) are duties of Party members. Non-members may
    hold posts such as grid leader (an economic cooperative head) or grid worker, but
    are not filed and do not answer for households.

    ## Example
    ```json
    {"people": [{"id": "P2", "name": "某社长"}], "filings": [{"person": "P2", "org": "G1"}]}
    ```

    ## Fix
    Remove the filing or claim, or record the person's Party membership if it was missing.
    """
    j = ctx.j
    people = j.people
    filings = j.filings
    for pid in subjects:
        person = people.get(pid)
        if person is None or person.party is not None:
            continue
        filing = filings.get(pid)
        if filing is not None:
            yield ctx.diagnostic(
                "GG108",
                f"{pid!r} is filed in {filing.org!r} but is not a Party member",
                (pid, filing.org),
                "unfile them, or record their Party membership",
                ctx.path("filing", pid),
            )
        for org in j.attachments_of(pid):
            yield ctx.diagnostic(
                "GG108",
                f"{pid!r} is attached to {org!r} but is not a Party member",
                (pid, org),
                "detach them, or record their Party membership",
                ctx.path("attachment", (pid, org)),
            )
        for zone in j.zones_claimed_by(pid):
            yield ctx.diagnostic(
                "GG108",
                f"{pid!r} claims zone {zone!r} but is not a Party member",
                (pid, zone),
                "release the zone to a member",
                ctx.path("claim", (pid, zone)),
            )


@rules.breaking("GG108")
def break_gg108(j: Jurisdiction, choose: Chooser) -> None:
    """Files a new person who is not a Party member into a filing-level organization."""
    group = choose(j.graph.at_level(j.scheme.filing_level))
    pid = new_id(j, "P")
    j.add_person(pid, "not a member")
    j.file_member(pid, group)


# -- rules only a document can break: the reader reports the refusals, the scans the rest --


def _records(document: Document) -> list[tuple[str, str, str]]:
    """(path, id, kind) of every record that has an id, in document order."""
    return [
        *(
            (f"organizations[{i}]", o.id, "organization")
            for i, o in enumerate(document.organizations)
        ),
        *((f"people[{i}]", p.id, "person") for i, p in enumerate(document.people)),
        *((f"households[{i}]", h.id, "household") for i, h in enumerate(document.households)),
        *((f"cooperatives[{i}]", c.id, "cooperative") for i, c in enumerate(document.cooperatives)),
    ]


def declared_ids(document: Document) -> dict[str, str]:
    """The ids of a document's organizations, people and cooperatives, with their kind.

    A zone lists households by id; such an id that names another record is not a
    household (see GG101's scan).
    """
    declared: dict[str, str] = {}
    for kind, records in (
        ("an organization", document.organizations),
        ("a person", document.people),
        ("a cooperative", document.cooperatives),
    ):
        for record in records:
            declared.setdefault(record.id, kind)
    return declared


def scan_non_households(document: Document) -> Iterator[Finding]:
    """Zones listing the id of an organization, person or cooperative as a household.

    Such an id must not become a household (households are declared before the other
    records): the record it names would then be refused as a duplicate, and everything
    under it with it.
    """
    declared = declared_ids(document)
    for i, hhs in enumerate(document.zone_households):
        zone = document.organizations[i].id
        for k, hid in enumerate(hhs):
            owner = declared.get(hid)
            if owner is None:
                continue
            path = f"organizations[{i}].households[{k}]"
            yield Finding(
                "GG101",
                f"household {hid!r} of zone {zone!r}: {hid!r} is the id of {owner}, "
                "not a household",
                (zone, hid),
                "list household ids only",
                path,
                skip=(path,),
            )


def scan_cycles(document: Document) -> Iterator[Finding]:
    """Cycles of the parent relation; every organization on one is refused."""
    first: dict[str, int] = {}
    for i, org in enumerate(document.organizations):
        first.setdefault(org.id, i)
    parent = {oid: document.organizations[i].parent for oid, i in first.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[tuple[int, list[str]]] = []
    for start in first:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            found.append((min(first[o] for o in cycle), cycle))
        for n in path:
            state[n] = 2
    for i, cycle in found:
        yield Finding(
            "GG103",
            f"organizations {', '.join(repr(o) for o in cycle)} form a cycle",
            tuple(cycle),
            "correct the parents so that every organization leads up to the root",
            f"organizations[{i}].parent",
            skip=tuple(f"organizations[{first[o]}]" for o in cycle),
            rejects=tuple(cycle),
        )


def scan_duplicates(document: Document) -> Iterator[Finding]:
    """Ids used twice (the first record is kept), and households listed twice in a zone."""
    seen: dict[str, str] = {}
    for path, rid, kind in _records(document):
        if rid in seen:
            yield Finding(
                "GG105",
                f"{kind} id {rid!r} is used twice (first at {seen[rid]})",
                (rid,),
                "give each record its own id; the first one is kept",
                f"{path}.id",
                skip=(path,),
            )
        else:
            seen[rid] = path
    declared = declared_ids(document)
    for i, hhs in enumerate(document.zone_households):
        zone = document.organizations[i].id
        listed: set[str] = set()
        for k, hid in enumerate(hhs):
            if hid in declared:
                continue  # GG101's
            if hid in listed:
                path = f"organizations[{i}].households[{k}]"
                yield Finding(
                    "GG105",
                    f"household {hid!r} is listed twice in zone {zone!r}",
                    (hid, zone),
                    "remove the repeated household",
                    path,
                    skip=(path,),
                )
            listed.add(hid)


GG101_TEXT = """\
## What it does
Finds references that name no known id: an organization's `parent`, a `person`,
`org` or `zone` of a registration, filing, claim or post, a `cooperative`, a post's
`appointed_by`, a person's `household`, a zone's households, a cooperative's `head`,
`branch_secretary` or `community`. A reference to an organization at the wrong level
(a claim on a group, a zone listing an organization as a household) is reported here too.

## Why it matters
A dangling reference means a member is filed nowhere, a post has no holder, or a
branch hangs in the air: the level-by-level relay (层层传递) cannot reach it.

## Example
```json
{"organizations": [{"id": "B1", "level": "branch", "name": "x", "parent": "C9"}]}
```
`C9` is declared nowhere.

## Fix
Add the missing record, or correct the id. Records that depend on a rejected record are
not reported again."""
GG102_TEXT = """\
## What it does
Finds an organization whose parent is not exactly one level above it in the scheme
(a group directly under a community in the five-level scheme, say).

## Why it matters
The five levels (街道党工委 → 社区党组织 → 网格党支部 → 网格党小组 → 党员责任区) are the
chain along which instructions go down and opinions come up; skipping a level breaks it.

## Example
```json
{"id": "G1", "level": "group", "name": "第一党小组", "parent": "C1"}
```
with `C1` a community.

## Fix
Put the organization under an organization of the level just above it, founding the
missing intermediate organization if needed."""
GG103_TEXT = """\
## What it does
Finds cycles in the organization tree: organizations that are (through their parents)
their own ancestors.

## Why it matters
A cycle has no root: no street committee can reach its members.

## Example
```json
[{"id": "B1", "level": "branch", "parent": "G1"}, {"id": "G1", "level": "group", "parent": "B1"}]
```

## Fix
Correct the `parent` fields so that every organization leads up to the street committee."""
GG105_TEXT = """\
## What it does
Finds an id used twice: by two organizations, people, households or cooperatives (ids
are unique across all of them), and records listed twice (two registrations of one
person, the same claim or post twice).

## Why it matters
Every member, household and organization must be addressable by exactly one id, or
filings, claims and posts become ambiguous.

## Example
```json
{"people": [{"id": "P1", "name": "张三"}, {"id": "P1", "name": "李四"}]}
```

## Fix
Give each record its own id, or remove the duplicate record. The first one is kept."""
GG106_TEXT = """\
## What it does
Finds a person filed into an organization that is not at the scheme's filing level
(in the five-level scheme, members are filed into grid groups).

## Why it matters
Filing (入格) puts each member into the grid group where they live; the branch's members
are then the members of its groups.

## Example
```json
{"filings": [{"person": "P5", "org": "B1"}]}
```
with `B1` a branch.

## Fix
File the member into one of the branch's groups."""
GG107_TEXT = """\
## What it does
Finds a person filed into more than one organization.

## Why it matters
A member answers to one grid group where they live; two filings double-count them and
split who relays instructions to them. (Their formal affiliation, 组织关系, is separate
and recorded in `party.affiliation`.)

## Example
```json
{"filings": [{"person": "P5", "org": "G1"}, {"person": "P5", "org": "G2"}]}
```

## Fix
Keep one filing; move the member with a transfer, not a second filing."""
_GG312 = """\
## What it does
Finds a household listed in more than one responsibility zone.

## Why it matters
Every household has exactly one member responsible for it (每户有党员联系); a household
in two zones has two, and the duty is blurred.

## Example
```json
[{"id": "Z1", "level": "zone", "households": ["H1"]}, {"id": "Z2", "level": "zone", "households": ["H1"]}]
```

## Fix
Leave the household in one zone."""

rules.add(
    Rule(
        "GG101",
        "unknown-reference",
        E,
        "a reference names no known id",
        None,
        "document",
        scan=scan_non_households,
        hint="add the missing record or correct the id",
        explanation=GG101_TEXT,
    )
)
rules.add(
    Rule(
        "GG102",
        "parent-level",
        E,
        "an organization's parent is not exactly one level above it",
        None,
        "document",
        hint="put it under an organization one level above it",
        explanation=GG102_TEXT,
    )
)
rules.add(
    Rule(
        "GG103",
        "tree-cycle",
        E,
        "the organization tree has a cycle",
        None,
        "document",
        scan=scan_cycles,
        hint="correct the parents so that every organization leads up to the root",
        explanation=GG103_TEXT,
    )
)
rules.add(
    Rule(
        "GG105",
        "duplicate-id",
        E,
        "an id is used twice",
        None,
        "document",
        scan=scan_duplicates,
        hint="give each record its own id",
        explanation=GG105_TEXT,
    )
)
rules.add(
    Rule(
        "GG106",
        "filing-level",
        E,
        "a person is filed into an org not at the filing level",
        None,
        "document",
        hint="file members into organizations at the filing level",
        explanation=GG106_TEXT,
    )
)
rules.add(
    Rule(
        "GG107",
        "filed-twice",
        E,
        "a person is filed into more than one org",
        None,
        "document",
        hint="keep one filing per person",
        explanation=GG107_TEXT,
    )
)


# -- breaking mutations of the document rules (the testing kit applies them to a document)


@rules.breaking("GG101", target="document")
def break_gg101(doc: dict[str, Any], choose: Chooser) -> None:
    """Adds a grid worker post whose holder names no known person."""
    org = choose([o["id"] for o in doc["organizations"]])
    doc.setdefault("posts", []).append({"org": org, "role": "grid_worker", "holder": "X-NOBODY"})


@rules.breaking("GG102", target="document")
def break_gg102(doc: dict[str, Any], choose: Chooser) -> bool:
    """Adds an organization whose parent is the root, two or more levels above it."""
    levels = _doc_levels(doc)
    if levels is None or len(levels) < 3:
        return False
    level = choose(levels[2:])
    root = doc["organizations"][0]["id"]
    doc["organizations"].append(
        {"id": _doc_id(doc, "X"), "level": level, "name": "misplaced", "parent": root}
    )
    return True


@rules.breaking("GG103", target="document")
def break_gg103(doc: dict[str, Any], choose: Chooser) -> bool:
    """Adds organizations whose parents form a cycle (one that is its own parent, or two)."""
    levels = _doc_levels(doc)
    if levels is None:
        return False
    a, b = _doc_id(doc, "X"), _doc_id(doc, "Y")
    if choose([1, 2]) == 1:
        doc["organizations"].append({"id": a, "level": levels[1], "name": "a", "parent": a})
    else:
        doc["organizations"] += [
            {"id": a, "level": levels[1], "name": "a", "parent": b},
            {"id": b, "level": levels[0], "name": "b", "parent": a},
        ]
    return True


@rules.breaking("GG104", target="document")
def break_gg104(doc: dict[str, Any], choose: Chooser) -> bool:
    """Adds a second organization at the top level, with no parent."""
    levels = _doc_levels(doc)
    if levels is None:
        return False
    doc["organizations"].append({"id": _doc_id(doc, "X"), "level": levels[0], "name": "second"})
    return True


@rules.breaking("GG105", target="document")
def break_gg105(doc: dict[str, Any], choose: Chooser) -> None:
    """Adds a person whose id another person (or an organization) already uses."""
    taken = [p["id"] for p in doc["people"]] + [o["id"] for o in doc["organizations"]]
    doc["people"].append({"id": choose(taken), "name": "twice"})


@rules.breaking("GG106", target="document")
def break_gg106(doc: dict[str, Any], choose: Chooser) -> None:
    """Adds a full member filed into the root, which is not at the filing level."""
    pid = _doc_id(doc, "X")
    doc["people"].append({"id": pid, "name": "misfiled", "party": {"status": "full"}})
    root = doc["organizations"][0]["id"]
    doc.setdefault("filings", []).append({"person": pid, "org": root})


@rules.breaking("GG107", target="document")
def break_gg107(doc: dict[str, Any], choose: Chooser) -> bool:
    """Files a filed member a second time."""
    filings = doc.get("filings") or []
    if not filings:
        return False
    filing = choose(filings)
    filings.append({"person": filing["person"], "org": filing["org"]})
    return True


def _doc_levels(doc: dict[str, Any]) -> list[str] | None:
    """The levels of a document's scheme (a preset's name or an inline scheme)."""
    from gridgov.model.scheme import SCHEMES

    scheme = doc.get("scheme", "five-level")
    if isinstance(scheme, str):
        return list(SCHEMES[scheme].levels) if scheme in SCHEMES else None
    if isinstance(scheme, dict) and isinstance(scheme.get("levels"), list):
        return list(scheme["levels"])
    return None


def _doc_id(doc: dict[str, Any], prefix: str) -> str:
    """An id no record of the document uses."""
    taken = {
        r.get("id")
        for key in ("organizations", "people", "households", "cooperatives")
        for r in doc.get(key) or ()
    }
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"
