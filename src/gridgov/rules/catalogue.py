"""The built-in rule catalogue, GG101-GG312 (the codes are a contract: they never change).

Each check's docstring is the rule's explanation (what it does, why it matters, an
example, the fix): ``gridgov rule CODE`` and the reference pages print it, so no rule
text is written twice. The GG1xx structure rules other than GG104 and GG108 cannot hold
in a :class:`~gridgov.model.Jurisdiction` (it refuses such events); the tolerant
document reader (:mod:`gridgov.rules.structure`) reports them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator

from gridgov.model.enums import Category, MemberStatus, OrgKind, Role
from gridgov.model.graph import OrgGraph
from gridgov.model.values import Post
from gridgov.rules import _levels
from gridgov.rules.context import Context
from gridgov.rules.diagnostics import Diagnostic, Severity
from gridgov.rules.registry import Rule, Subject

__all__ = ["BUILTIN_RULES"]

E, W = Severity.ERROR, Severity.WARNING
_NOT_COUNTED_KINDS = (OrgKind.JOINT, OrgKind.TEMPORARY)
_GRID_KINDS = (None, OrgKind.GRID)


def _post_path(ctx: Context, post: Post, field: str | None = None) -> str | None:
    return ctx.path("post", post.key, field)


def _holders(posts: Iterable[Post], role: Role) -> list[str]:
    seen: dict[str, None] = {}
    for p in posts:
        if p.role is role:
            seen[p.holder] = None
    return list(seen)


def _is_grid_branch(ctx: Context, org: str) -> bool:
    return ctx.j.graph.org(org).kind in _GRID_KINDS


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year that has none
        return dt.date(start.year + years, 3, 1)


# -- GG1: structure -------------------------------------------------------------------------

_GG101 = """\
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

_GG102 = """\
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

_GG103 = """\
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

_GG105 = """\
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

_GG106 = """\
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

_GG107 = """\
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


def _gg104(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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


def _gg108(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds people who are filed into a grid group or claim a responsibility zone but are
    not Party members (they have no `party`).

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
        for zone in j.zones_claimed_by(pid):
            yield ctx.diagnostic(
                "GG108",
                f"{pid!r} claims zone {zone!r} but is not a Party member",
                (pid, zone),
                "release the zone to a member",
                ctx.path("claim", (pid, zone)),
            )


# -- GG2: branches and committees ----------------------------------------------------------


def _gg201(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches with fewer than `min_branch_full_members` (3) full members that are
    neither `joint` nor `temporary`. Members are the people filed anywhere in the
    branch's subtree; concurrent post holders (first secretaries, grid leaders) are not.

    ## Why it matters
    The branch work regulation (《中国共产党支部工作条例(试行)》, chapter 2) forms a branch
    where there are 3 or more full members; with fewer, units form a joint branch with
    neighbouring units.

    ## Example
    A grid branch whose groups hold two full members and one probationary member.

    ## Fix
    File more members into the grid, merge it with a neighbouring grid, or make it a
    `joint` branch covering several units.
    """
    j = ctx.j
    minimum = ctx.policy.min_branch_full_members
    graph = j.graph
    for org in subjects:
        if graph.org(org).kind in _NOT_COUNTED_KINDS:
            continue
        full = ctx.full_count(org)
        if full < minimum:
            yield ctx.diagnostic(
                "GG201",
                f"branch {org!r} has {full} full member{'s' * (full != 1)}, fewer than {minimum}",
                (org,),
                "file more members, merge grids, or form a joint branch",
                ctx.path("org", org),
            )


def _gg202(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches with more than `max_branch_members` (50) members; for a general branch
    (`kind: general`, 党总支) the limit is `general_branch_max_members` (100). Party
    committees (`kind: committee`) have no limit.

    ## Why it matters
    The regulation says a branch "generally" has at most 50 members; 50-100 members may
    form a general branch, 100 or more a grassroots committee. It is a warning because
    "generally" admits exceptions a human may accept (Liwan's figures average 62 members
    a grid branch).

    ## Example
    A grid branch with 51 members filed in its groups.

    ## Fix
    Split the grid into two branches, or make it a general branch with branches under it.
    """
    graph = ctx.j.graph
    policy = ctx.policy
    for org in subjects:
        kind = graph.org(org).kind
        if kind is OrgKind.COMMITTEE:
            continue
        limit = (
            policy.general_branch_max_members
            if kind is OrgKind.GENERAL
            else policy.max_branch_members
        )
        n = len(ctx.members(org))
        if n > limit:
            yield ctx.diagnostic(
                "GG202",
                f"branch {org!r} has {n} members, more than {limit}",
                (org,),
                "split the grid into more branches, or form a general branch",
                ctx.path("org", org),
            )


def _committee(posts: list[Post]) -> list[str]:
    seen: dict[str, None] = {}
    for p in posts:
        if p.role.elected:
            seen[p.holder] = None
    return list(seen)


def _gg203(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches with at least `committee_threshold` (7) full members whose committee
    (the distinct holders of secretary, deputy secretary and committee member posts) has
    fewer than `committee_min_size` (3) or more than `committee_hard_max_size` (7) people.

    ## Why it matters
    A branch with 7 or more full members sets up a branch committee of 3-5 members,
    generally not more than 7 (chapter 6 of the branch work regulation): a secretary and
    organization, propaganda and discipline members.

    ## Example
    A branch with 8 full members and only a secretary.

    ## Fix
    Elect committee members (`committee_member` posts with a `duty`).
    """
    j = ctx.j
    policy = ctx.policy
    threshold = policy.committee_threshold
    low, high = policy.committee_min_size, policy.committee_hard_max_size
    for org in subjects:
        full = ctx.full_count(org)
        if full < threshold:
            continue
        size = len(_committee(j.posts_in(org)))
        if size < low or size > high:
            yield ctx.diagnostic(
                "GG203",
                f"branch {org!r} has {full} full members but a committee of {size} "
                f"(expected {low}-{policy.committee_max_size}, at most {high})",
                (org,),
                "elect a branch committee: secretary and committee members",
                ctx.path("org", org),
            )


def _gg204(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches under `committee_threshold` (7) full members that have committee
    members, and branches with more than `max_deputy_secretaries` (1) deputy secretaries.

    ## Why it matters
    Under 7 full members a branch has a secretary and, if needed, one deputy secretary,
    and no committee (chapter 6 of the branch work regulation).

    ## Example
    A branch with 4 full members and a `committee_member` post.

    ## Fix
    Vacate the committee posts (or the extra deputy secretaries).
    """
    j = ctx.j
    policy = ctx.policy
    for org in subjects:
        posts = j.posts_in(org)
        if not posts:
            continue
        deputies = _holders(posts, Role.DEPUTY_SECRETARY)
        if len(deputies) > policy.max_deputy_secretaries:
            yield ctx.diagnostic(
                "GG204",
                f"branch {org!r} has {len(deputies)} deputy secretaries, "
                f"more than {policy.max_deputy_secretaries}",
                (org, *deputies),
                "keep one deputy secretary",
                ctx.path("org", org),
            )
        committee = _holders(posts, Role.COMMITTEE_MEMBER)
        if committee:
            full = ctx.full_count(org)
            if full < policy.committee_threshold:
                yield ctx.diagnostic(
                    "GG204",
                    f"branch {org!r} has {full} full members, under {policy.committee_threshold}, "
                    f"but a committee",
                    (org, *committee),
                    "vacate the committee member posts: a secretary (and a deputy) suffice",
                    ctx.path("org", org),
                )


def _gg205(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds probationary members holding an elected post: secretary, deputy secretary or
    committee member.

    ## Why it matters
    Probationary members (预备党员) have no vote and can neither elect nor be elected.

    ## Example
    ```json
    {"people": [{"id": "P3", "name": "x", "party": {"status": "probationary"}}],
     "posts": [{"org": "B1", "role": "secretary", "holder": "P3"}]}
    ```

    ## Fix
    Give the post to a full member; the probationary member may hold it after becoming a
    full member.
    """
    j = ctx.j
    people = j.people
    probationary = MemberStatus.PROBATIONARY
    for org in subjects:
        for post in j.posts_in(org):
            if not post.role.elected:
                continue
            party = people[post.holder].party
            if party is not None and party.status is probationary:
                yield ctx.diagnostic(
                    "GG205",
                    f"probationary member {post.holder!r} holds the elected post "
                    f"{post.role.value} in {org!r}",
                    (org, post.holder),
                    "give the post to a full member",
                    _post_path(ctx, post, "holder"),
                )


def _gg206(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds organizations above the filing level (in the five-level scheme: the street
    committee, communities and branches) with no secretary or with more than one.

    ## Why it matters
    Instructions go level by level: community secretary → grid branch secretary → group
    leader → members (层层传递). Each organization needs exactly one secretary to carry
    them and to answer for its members.

    ## Example
    A grid branch with a first secretary but no `secretary` post.

    ## Fix
    Appoint (elect) one secretary; keep the others as deputy or committee members.
    """
    j = ctx.j
    for org in subjects:
        secretaries = _holders(j.posts_in(org), Role.SECRETARY)
        if len(secretaries) == 1:
            continue
        if secretaries:
            message = f"{org!r} has {len(secretaries)} secretaries"
            hint = "keep one secretary"
        else:
            message = f"{org!r} has no secretary"
            hint = "appoint a secretary (a full member)"
        yield ctx.diagnostic("GG206", message, (org, *secretaries), hint, ctx.path("org", org))


def _gg207(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds organizations whose committee term, counted from `term_start`, has expired as of
    the jurisdiction's `as_of` date: `term_years_community` (5) years for organizations in
    a community or village (at or under the scheme's `community` level, or its `village`
    level; grid branches included), `term_years_other` (3) elsewhere. A
    term from 2021-09-01 of 5 years runs to 2026-08-31 inclusive. Nothing is checked
    without an `as_of` date.

    ## Why it matters
    Branch committees are elected for a term: 5 years in villages and communities, 3
    years elsewhere (chapter 6 of the branch work regulation). An expired term calls for
    an election (换届).

    ## Example
    `"term_start": "2016-03-01"` on a community branch with `"as_of": "2021-11-22"`.

    ## Fix
    Hold the election and record the new `term_start`.
    """
    as_of = ctx.as_of
    if as_of is None:
        return
    graph = ctx.j.graph
    community = _levels.community_level(ctx.scheme)
    policy = ctx.policy
    for org in subjects:
        start = graph.org(org).term_start
        if start is None:
            continue
        in_community = community is not None and _ancestor_at(graph, org, community) is not None
        years = policy.term_years_community if in_community else policy.term_years_other
        end = _anniversary(start, years)
        if as_of >= end:
            last = end - dt.timedelta(days=1)
            yield ctx.diagnostic(
                "GG207",
                f"the {years}-year term of {org!r} from {start.isoformat()} ended on "
                f"{last.isoformat()}",
                (org,),
                "hold the election and record the new term_start",
                ctx.path("org", org, "term_start"),
            )


def _gg208(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds joint branches (`kind: joint`, 联合党支部) covering more than
    `joint_branch_max_units` (5) units (listed in `units`).

    ## Why it matters
    Units with fewer than 3 full members join neighbouring units in a joint branch, which
    "generally" covers at most 5 units (chapter 2 of the branch work regulation).

    ## Example
    ```json
    {"id": "B9", "level": "branch", "kind": "joint", "units": ["U1", "U2", "U3", "U4", "U5", "U6"]}
    ```

    ## Fix
    Split the joint branch into two.
    """
    graph = ctx.j.graph
    limit = ctx.policy.joint_branch_max_units
    for org in subjects:
        o = graph.org(org)
        if o.kind is OrgKind.JOINT and len(o.units) > limit:
            yield ctx.diagnostic(
                "GG208",
                f"joint branch {org!r} covers {len(o.units)} units, more than {limit}",
                (org,),
                "split it into joint branches of at most the limit",
                ctx.path("org", org, "units"),
            )


def _gg209(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds temporary branches (`kind: temporary`, 临时党支部) without an end date, and ones
    whose end date is before the jurisdiction's `as_of` date.

    ## Why it matters
    A temporary branch exists for a project or task (6 months or more, e.g. Xiqiao's 26
    epidemic branches of 2020); when the task ends the branch is dissolved.

    ## Example
    `{"id": "T1", "level": "branch", "kind": "temporary", "ends": "2020-06-30"}` with
    `"as_of": "2021-11-22"`.

    ## Fix
    Record `ends`; dissolve the branch when the task is over.
    """
    graph = ctx.j.graph
    as_of = ctx.as_of
    for org in subjects:
        o = graph.org(org)
        if o.kind is not OrgKind.TEMPORARY:
            continue
        if o.ends is None:
            yield ctx.diagnostic(
                "GG209",
                f"temporary branch {org!r} has no end date",
                (org,),
                "record when its task ends",
                ctx.path("org", org),
            )
        elif as_of is not None and o.ends < as_of:
            yield ctx.diagnostic(
                "GG209",
                f"temporary branch {org!r} ended on {o.ends.isoformat()}",
                (org,),
                "dissolve it, or extend its end date",
                ctx.path("org", org, "ends"),
            )


# -- GG3: grids, groups, zones and members ---------------------------------------------------


def _first_secretaries(ctx: Context, org: str) -> list[Post]:
    return ctx.j.posts_in(org, Role.FIRST_SECRETARY)


def _gg301(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds grid branches (branches of kind `grid`, the default) with no first secretary
    or with more than one.

    ## Why it matters
    Every grid branch has a first secretary (第一书记): a street cadre serving
    concurrently, appointed by the street committee one level up (提级任命). Junhe street
    gave each of its 51 grid branches one.

    ## Example
    A grid branch with a secretary and grid leaders but no `first_secretary` post.

    ## Fix
    Have the street committee appoint one street cadre as first secretary.
    """
    for org in subjects:
        if not _is_grid_branch(ctx, org):
            continue
        holders = _holders(_first_secretaries(ctx, org), Role.FIRST_SECRETARY)
        if len(holders) == 1:
            continue
        message = (
            f"grid branch {org!r} has {len(holders)} first secretaries"
            if holders
            else f"grid branch {org!r} has no first secretary"
        )
        yield ctx.diagnostic(
            "GG301",
            message,
            (org, *holders),
            "the street committee appoints one street cadre as first secretary",
            ctx.path("org", org),
        )


def _gg302(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds first secretaries who are not street cadres (no `street_cadre` category).

    ## Why it matters
    First secretaries are street Party cadres (街道党员干部) on the street's payroll,
    serving concurrently: they link the grid to the street committee.

    ## Example
    A `first_secretary` post held by a member whose categories are `["employed"]`.

    ## Fix
    Appoint a street cadre, or add `street_cadre` if the category was missing.
    """
    people = ctx.j.people
    cadre = Category.STREET_CADRE
    for org in subjects:
        for post in _first_secretaries(ctx, org):
            person = people[post.holder]
            if person.party is None or cadre not in person.party.categories:
                yield ctx.diagnostic(
                    "GG302",
                    f"first secretary {post.holder!r} of {org!r} is not a street cadre",
                    (org, post.holder),
                    "appoint a street cadre (category street_cadre)",
                    _post_path(ctx, post, "holder"),
                )


def _appointer(ctx: Context, org: str) -> str | None:
    """The street committee above `org`: its ancestor at the street level, else the root."""
    if _levels.STREET in ctx.scheme.levels:
        return _ancestor_at(ctx.j.graph, org, _levels.STREET)
    return ctx.root


def _ancestor_at(graph: OrgGraph, org: str, level: str) -> str | None:
    """`org` or its nearest ancestor at `level` (walking parents), if any."""
    node: str | None = org
    while node is not None and graph.level(node) != level:
        node = graph.parent(node)
    return node


def _gg303(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds first secretaries not appointed by their street committee: the post's
    `appointed_by` is missing or names another organization than the branch's ancestor at
    the `street` level (the root, in the five-level scheme; a district scheme may have
    several streets under a district committee). In a scheme without a `street` level the
    root stands for it.

    ## Why it matters
    First secretaries are appointed one level up (提级任命) by the street committee, with
    a certificate; an appointment by the community or the branch itself is not valid.

    ## Example
    ```json
    {"org": "B1", "role": "first_secretary", "holder": "P1", "appointed_by": "C1"}
    ```

    ## Fix
    Record the appointment by the street committee (`"appointed_by": "S1"`).
    """
    for org in subjects:
        posts = _first_secretaries(ctx, org)
        if not posts:
            continue
        street = _appointer(ctx, org)
        if street is None:
            continue
        for post in posts:
            if post.appointed_by != street:
                by = "no one" if post.appointed_by is None else repr(post.appointed_by)
                yield ctx.diagnostic(
                    "GG303",
                    f"first secretary {post.holder!r} of {org!r} was appointed by {by}, "
                    f"not by the street committee {street!r}",
                    (org, post.holder),
                    f"record the appointment by {street!r}",
                    _post_path(ctx, post, "appointed_by"),
                )


def _gg304(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds grid branches that do not have exactly two distinct grid leaders
    (`grid_leader` posts).

    ## Why it matters
    Each grid has dual grid leaders (双网格长) at once: the first secretary and the
    economic cooperative head (or, in the epidemic version, a street cadre on the payroll
    and the cooperative head). In an emergency the cadre leader commands the site.

    ## Example
    A grid branch with one `grid_leader` post.

    ## Fix
    Appoint the second grid leader.
    """
    j = ctx.j
    for org in subjects:
        if not _is_grid_branch(ctx, org):
            continue
        leaders = _holders(j.posts_in(org, Role.GRID_LEADER), Role.GRID_LEADER)
        if len(leaders) != 2:
            yield ctx.diagnostic(
                "GG304",
                f"grid {org!r} has {len(leaders)} grid leader{'s' * (len(leaders) != 1)}, not 2",
                (org, *leaders),
                "appoint dual grid leaders: the first secretary and the cooperative head",
                ctx.path("org", org),
            )


def _gg305(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds cooperative grids (grid branches with a `cooperative`) whose grid leaders are
    not exactly their first secretary and the cooperative's head.

    ## Why it matters
    Where grids are drawn on economic cooperatives (按经济社划分网格), the dual grid
    leaders are the first secretary and the cooperative head (经济社社长), who need not be
    a Party member.

    ## Example
    A cooperative grid whose grid leaders are the first secretary and the branch
    secretary.

    ## Fix
    Make the cooperative head the second grid leader (record the `head` on the
    cooperative if it is missing).
    """
    j = ctx.j
    graph = j.graph
    coops = j.cooperatives
    for org in subjects:
        o = graph.org(org)
        if o.cooperative is None or o.kind not in _GRID_KINDS:
            continue
        coop = coops[o.cooperative]
        posts = j.posts_in(org)
        leaders = set(_holders(posts, Role.GRID_LEADER))
        expected = set(_holders(posts, Role.FIRST_SECRETARY))
        if coop.head is not None:
            expected.add(coop.head)
        if leaders != expected or coop.head is None:
            head = "no head recorded" if coop.head is None else f"head {coop.head!r}"
            yield ctx.diagnostic(
                "GG305",
                f"grid leaders of cooperative grid {org!r} are {sorted(leaders)}, not its "
                f"first secretary and cooperative {coop.id!r}'s {head}",
                (org, coop.id),
                "make the first secretary and the cooperative head the grid leaders",
                ctx.path("org", org),
            )


def _gg306(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds merged cooperative grid branches (grid branches on a cooperative that records a
    `branch_secretary`) whose secretary is not the cooperative's branch secretary.

    ## Why it matters
    In Junhe the economic cooperative's branch and the grid branch were merged into one
    (合二为一): the cooperative's branch secretary became the grid branch's secretary.

    ## Example
    Cooperative `EC1` with `"branch_secretary": "P3"` and its grid branch's `secretary`
    post held by `P4`.

    ## Fix
    Make the cooperative's branch secretary the grid branch secretary (or correct the
    cooperative's `branch_secretary`).
    """
    j = ctx.j
    graph = j.graph
    coops = j.cooperatives
    for org in subjects:
        o = graph.org(org)
        if o.cooperative is None or o.kind not in _GRID_KINDS:
            continue
        wanted = coops[o.cooperative].branch_secretary
        if wanted is None:
            continue
        secretaries = _holders(j.posts_in(org, Role.SECRETARY), Role.SECRETARY)
        if secretaries != [wanted]:
            yield ctx.diagnostic(
                "GG306",
                f"secretary of merged branch {org!r} is {secretaries or 'missing'}, not "
                f"cooperative {o.cooperative!r}'s branch secretary {wanted!r}",
                (org, wanted),
                "make the cooperative's branch secretary the branch secretary",
                ctx.path("org", org),
            )


def _gg307(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds organizations at the filing level (grid groups in the five-level scheme) with no
    leader (`group_leader` post), or whose leader is not filed in them.

    ## Why it matters
    The group leader (党小组组长) is the last link of the relay before the members: they
    live in the grid and lead the members filed with them.

    ## Example
    A group `G1` whose `group_leader` is filed in `G2`.

    ## Fix
    Appoint a leader from the group's own members.
    """
    j = ctx.j
    filings = j.filings
    for org in subjects:
        posts = j.posts_in(org, Role.GROUP_LEADER)
        if not posts:
            yield ctx.diagnostic(
                "GG307",
                f"group {org!r} has no leader",
                (org,),
                "appoint a group leader from its members",
                ctx.path("org", org),
            )
            continue
        for post in posts:
            filing = filings.get(post.holder)
            if filing is None or filing.org != org:
                where = "nowhere" if filing is None else f"in {filing.org!r}"
                yield ctx.diagnostic(
                    "GG307",
                    f"leader {post.holder!r} of group {org!r} is filed {where}",
                    (org, post.holder),
                    "appoint a leader filed in the group, or transfer the leader into it",
                    _post_path(ctx, post, "holder"),
                )


def _gg308(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds responsibility zones that no Party member claims, and claimants not filed in the
    zone's group (the zone's ancestor at the filing level, or the zone itself when members
    are filed into zones).

    ## Why it matters
    Every zone's households have a member who answers for them, chosen nearby
    (就近划分党员责任区): a member of the same grid group.

    ## Example
    Zone `Z3` with no claim, or claimed by a member filed in another group.

    ## Fix
    Have a member of the zone's group claim it (at most `max_zones_per_member` each).
    """
    j = ctx.j
    graph = j.graph
    people = j.people
    filings = j.filings
    filing_level = j.scheme.filing_level
    for zone in subjects:
        # the zone's group: its ancestor at the filing level (itself when the scheme
        # files members into the zones; its parent in the preset schemes)
        group = _ancestor_at(graph, zone, filing_level)
        claimed = False
        for pid in j.claimants(zone):
            if people[pid].party is None:
                continue  # GG108 reports it
            claimed = True
            filing = filings.get(pid)
            if filing is None or filing.org != group:
                where = "nowhere" if filing is None else f"in {filing.org!r}"
                yield ctx.diagnostic(
                    "GG308",
                    f"{pid!r} claims zone {zone!r} but is filed {where}, not in its group "
                    f"{group!r}",
                    (zone, pid),
                    "have a member of the zone's group claim it",
                    ctx.path("claim", (pid, zone)),
                )
        if not claimed:
            yield ctx.diagnostic(
                "GG308",
                f"zone {zone!r} is claimed by no member",
                (zone,),
                "have a member of the zone's group claim it",
                ctx.path("org", zone),
            )


def _gg309(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds members registered at a community (居住地报到) but filed nowhere.

    ## Why it matters
    Every registered member is filed into the grid where they live (全部"入格"): Aiguo
    community filed all of its 110 without-post and 54 employed members.

    ## Example
    ```json
    {"registrations": [{"person": "P5", "community": "C1"}], "filings": []}
    ```

    ## Fix
    File the member into a group of the grid where they live.
    """
    j = ctx.j
    registrations = j.registrations
    filings = j.filings
    people = j.people
    for pid in subjects:
        reg = registrations.get(pid)
        if reg is None or pid in filings:
            continue
        if people[pid].party is None:
            continue
        yield ctx.diagnostic(
            "GG309",
            f"member {pid!r} registered at {reg.community!r} is filed nowhere",
            (pid, reg.community),
            "file them into a group of the grid where they live",
            ctx.path("registration", pid),
        )


def _gg310(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds members filed outside the community where they registered: the organization
    they are filed in is not under their registration's community.

    ## Why it matters
    Members report to their residence community, which files them into one of its own
    grids; a filing in another community escapes the community that manages them.

    ## Example
    P5 registered at `C1` and filed in group `G7` of community `C2`.

    ## Fix
    Transfer the filing into a group of the registration's community, or correct the
    registration.
    """
    j = ctx.j
    registrations = j.registrations
    filings = j.filings
    for pid in subjects:
        reg = registrations.get(pid)
        filing = filings.get(pid)
        if reg is None or filing is None:
            continue
        if reg.community not in ctx.chain(filing.org):
            yield ctx.diagnostic(
                "GG310",
                f"{pid!r} is filed in {filing.org!r}, outside {reg.community!r} where they "
                f"registered",
                (pid, filing.org, reg.community),
                "transfer them into a group of their registration's community",
                ctx.path("filing", pid),
            )


def _gg311(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds members claiming more than `max_zones_per_member` (3) responsibility zones.

    ## Why it matters
    A member answers for the households of each zone they claim; too many zones and the
    households are not really visited.

    ## Example
    A member claiming `Z1`, `Z2`, `Z3` and `Z4`.

    ## Fix
    Release zones to other members of the group.
    """
    j = ctx.j
    limit = ctx.policy.max_zones_per_member
    subjects = list(subjects)
    if len(subjects) > 64:  # one pass over the claims beats a query per person
        counts = Counter(person for person, _ in j.claims)
        subjects = [p for p in subjects if counts.get(p, 0) > limit]
    for pid in subjects:
        zones = j.zones_claimed_by(pid)
        if len(zones) > limit:
            yield ctx.diagnostic(
                "GG311",
                f"{pid!r} claims {len(zones)} zones, more than {limit}",
                (pid, *zones),
                "release zones to other members of the group",
                ctx.path("person", pid),
            )


_DOCUMENT: Subject = "document"

BUILTIN_RULES: tuple[Rule, ...] = (
    Rule(
        "GG101",
        "unknown-reference",
        E,
        "a reference names no known id",
        None,
        _DOCUMENT,
        explanation=_GG101,
    ),
    Rule(
        "GG102",
        "parent-level",
        E,
        "an organization's parent is not exactly one level above it",
        None,
        _DOCUMENT,
        explanation=_GG102,
    ),
    Rule(
        "GG103",
        "tree-cycle",
        E,
        "the organization tree has a cycle",
        None,
        _DOCUMENT,
        explanation=_GG103,
    ),
    Rule(
        "GG104",
        "single-root",
        E,
        "the jurisdiction has no single root at the top level",
        _gg104,
        "jurisdiction",
    ),
    Rule("GG105", "duplicate-id", E, "an id is used twice", None, _DOCUMENT, explanation=_GG105),
    Rule(
        "GG106",
        "filing-level",
        E,
        "a person is filed into an org not at the filing level",
        None,
        _DOCUMENT,
        explanation=_GG106,
    ),
    Rule(
        "GG107",
        "filed-twice",
        E,
        "a person is filed into more than one org",
        None,
        _DOCUMENT,
        explanation=_GG107,
    ),
    Rule(
        "GG108",
        "filed-non-member",
        E,
        "a person filed or claiming is not a Party member",
        _gg108,
        "person",
    ),
    Rule(
        "GG201",
        "branch-min-full-members",
        E,
        "a branch has fewer than min_branch_full_members full members",
        _gg201,
        levels=_levels.branch,
    ),
    Rule(
        "GG202",
        "branch-max-members",
        W,
        "a branch has more than max_branch_members members",
        _gg202,
        levels=_levels.branch,
    ),
    Rule(
        "GG203",
        "branch-committee",
        E,
        "a branch at the committee threshold has no committee of the right size",
        _gg203,
        levels=_levels.branch,
    ),
    Rule(
        "GG204",
        "branch-no-committee",
        W,
        "a branch under the threshold has a committee, or too many deputy secretaries",
        _gg204,
        levels=_levels.branch,
    ),
    Rule(
        "GG205",
        "probationary-elected-post",
        E,
        "a probationary member holds an elected post",
        _gg205,
    ),
    Rule(
        "GG206",
        "one-secretary",
        E,
        "an organization has no secretary, or more than one",
        _gg206,
        levels=_levels.above_filing,
    ),
    Rule("GG207", "committee-term-expired", W, "a committee's term has expired", _gg207),
    Rule(
        "GG208",
        "joint-branch-units",
        E,
        "a joint branch covers too many units",
        _gg208,
        levels=_levels.branch,
    ),
    Rule(
        "GG209",
        "temporary-branch-end",
        W,
        "a temporary branch has no end date, or its end date has passed",
        _gg209,
        levels=_levels.branch,
    ),
    Rule(
        "GG301",
        "grid-branch-first-secretary",
        E,
        "a grid branch has no first secretary, or more than one",
        _gg301,
        levels=_levels.branch,
    ),
    Rule(
        "GG302",
        "first-secretary-street-cadre",
        E,
        "a first secretary is not a street cadre",
        _gg302,
        levels=_levels.branch,
    ),
    Rule(
        "GG303",
        "first-secretary-appointer",
        E,
        "a first secretary was not appointed by the street committee",
        _gg303,
        levels=_levels.branch,
    ),
    Rule(
        "GG304",
        "dual-grid-leaders",
        E,
        "a grid does not have exactly two grid leaders",
        _gg304,
        levels=_levels.branch,
    ),
    Rule(
        "GG305",
        "cooperative-grid-leaders",
        W,
        "a cooperative grid's leaders are not its first secretary and cooperative head",
        _gg305,
        levels=_levels.branch,
    ),
    Rule(
        "GG306",
        "merged-branch-secretary",
        W,
        "a merged cooperative branch's secretary is not the cooperative's branch secretary",
        _gg306,
        levels=_levels.branch,
    ),
    Rule(
        "GG307",
        "group-leader",
        E,
        "a group has no leader, or its leader is not filed in it",
        _gg307,
        levels=_levels.filing,
    ),
    Rule(
        "GG308",
        "zone-claimed",
        E,
        "a zone has no claiming member, or a claimant is not filed in its group",
        _gg308,
        levels=_levels.zone,
    ),
    Rule(
        "GG309", "registered-not-filed", E, "a registered member is filed nowhere", _gg309, "person"
    ),
    Rule(
        "GG310",
        "filed-outside-community",
        E,
        "a member is filed outside the community where they registered",
        _gg310,
        "person",
    ),
    Rule(
        "GG311",
        "too-many-zones",
        W,
        "a member claims more than max_zones_per_member zones",
        _gg311,
        "person",
    ),
    Rule(
        "GG312",
        "household-in-two-zones",
        E,
        "a household is in more than one zone",
        None,
        _DOCUMENT,
        explanation=_GG312,
    ),
)
"""The built-in rules, in code order."""
