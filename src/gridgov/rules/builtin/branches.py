"""The branch rules GG201-GG209: members, committees, terms, joint and temporary branches.

They read the charter: 《中国共产党支部工作条例(试行)》 (2018), chapters 2 and 6. Every
threshold comes from the policy (:class:`~gridgov.model.Policy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gridgov.model.enums import MemberStatus, OrgKind, Role
from gridgov.model.graph import OrgGraph
from gridgov.model.values import Post
from gridgov.rules import levels
from gridgov.rules.breaking import (
    Chooser,
    add_member,
    add_unit,
    branch_orgs,
    day_after,
    new_id,
    unit_level,
)
from gridgov.rules.context import Context
from gridgov.rules.diagnostics import Diagnostic, Severity
from gridgov.rules.registry import Gap, RuleSet

__all__ = ["ancestor_at", "holders_of", "not_teams", "post_path", "rules"]

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

E, W = Severity.ERROR, Severity.WARNING
_NOT_COUNTED_KINDS = (OrgKind.JOINT, OrgKind.TEMPORARY)

rules = RuleSet()
"""The branch rules, in declaration order."""


def not_teams(ctx: Context, subjects: Iterable[str]) -> Iterator[str]:
    """The `subjects` that are not service teams (the branch and group rules skip teams).

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> from gridgov.rules import Context, Severity
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> _ = j.found_org("C1", "community", "C", parent="S1")
    >>> _ = j.found_org("V1", "branch", "党员志愿队", parent="C1", kind="volunteer_team")
    >>> _ = j.found_org("B1", "branch", "B", parent="C1")
    >>> list(not_teams(Context(j, j.policy, {}), ["V1", "B1"]))
    ['B1']
    """
    graph = ctx.jurisdiction.graph
    for org in subjects:
        kind = graph.org(org).kind
        if kind is None or not kind.is_team:
            yield org


def post_path(ctx: Context, post: Post, field: str | None = None) -> str | None:
    """The document path of `post` (and its `field`), if the jurisdiction came from one."""
    return ctx.path("post", post.key, field)


def holders_of(posts: Iterable[Post], role: Role) -> list[str]:
    """The distinct holders of `role` among `posts`, in order.

    Examples
    --------
    >>> from gridgov.model import Post
    >>> holders_of([Post("B1", "secretary", "P1"), Post("B1", "secretary", "P1")], Role.SECRETARY)
    ['P1']
    """
    seen: dict[str, None] = {}
    for p in posts:
        if p.role is role:
            seen[p.holder] = None
    return list(seen)


def ancestor_at(graph: OrgGraph, org: str, level: str) -> str | None:
    """`org` or its nearest ancestor at `level` (walking parents), if any.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction()
    >>> _ = j.found_org("S1", "street", "S")
    >>> _ = j.found_org("C1", "community", "C", parent="S1")
    >>> ancestor_at(j.graph, "C1", "street"), ancestor_at(j.graph, "S1", "group")
    ('S1', None)
    """
    node: str | None = org
    while node is not None and graph.level(node) != level:
        node = graph.parent(node)
    return node


@rules.check(
    "GG201",
    "branch-min-full-members",
    E,
    "a branch has fewer than min_branch_full_members full members",
    levels=levels.branch,
    reads=("organizations", "filings", "attachments", "people", "policy"),
    hint="file more members, merge grids, or form a joint branch",
)
def gg201(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches with fewer than `min_branch_full_members` (3) full members that are
    neither `joint` nor `temporary`. Members are the people filed anywhere in the
    branch's subtree and those attached to it (serving in a functional branch, say, in
    addition to their grid filing); concurrent post holders (first secretaries, grid
    leaders) are not.

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
    for org in not_teams(ctx, subjects):
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


@rules.breaking("GG201", needs=("branch",))
def break_gg201(j: Jurisdiction, choose: Chooser) -> bool:
    """Grows a new grid branch with fewer full members than the minimum."""
    low = j.policy.min_branch_full_members
    if low < 2:
        return False
    add_unit(j, _unit_parent(j, choose), full=choose.integer(1, low - 1))
    return True


@rules.check(
    "GG202",
    "branch-max-members",
    W,
    "a branch has more than max_branch_members members",
    levels=levels.branch,
    reads=("organizations", "filings", "attachments", "policy"),
    hint="split the grid into more branches, or form a general branch",
)
def gg202(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    for org in not_teams(ctx, subjects):
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


@rules.breaking("GG202", needs=("branch",))
def break_gg202(j: Jurisdiction, choose: Chooser) -> None:
    """Files probationary members into a branch until it has one more than the maximum."""
    branch = choose(branch_orgs(j))
    group = choose(_filing_orgs_in(j, branch))
    limit = j.policy.max_branch_members
    kind = j.graph.org(branch).kind
    if kind == OrgKind.GENERAL:
        limit = j.policy.general_branch_max_members
    for _ in range(max(0, limit + 1 - len(j.members(branch)))):
        add_member(j, group, status="probationary")


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year that has none
        return dt.date(start.year + years, 3, 1)


def _committee(posts: list[Post]) -> list[str]:
    seen: dict[str, None] = {}
    for p in posts:
        if p.role.elected:
            seen[p.holder] = None
    return list(seen)


@rules.check(
    "GG203",
    "branch-committee",
    E,
    "a branch at the committee threshold has no committee of the minimum size",
    levels=levels.branch,
    reads=("filings", "attachments", "people", "posts", "policy"),
    hint="elect a branch committee: secretary and committee members",
)
def gg203(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches with at least `committee_threshold` (7) full members whose committee
    (the distinct holders of secretary, deputy secretary and committee member posts) has
    fewer than `committee_min_size` (3) people. A committee larger than the usual size is
    GG211's warning, not this error.

    ## Why it matters
    A branch with 7 or more full members sets up a branch committee (chapter 6 of
    《中国共产党支部工作条例(试行)》, the branch work regulation): a secretary and
    organization, propaganda and discipline members, 3 to 5 of them. Without one the
    branch cannot work as the regulation requires.

    ## Example
    A branch with 8 full members and only a secretary.

    ## Fix
    Elect committee members (`committee_member` posts with a `duty`).
    """
    j = ctx.j
    policy = ctx.policy
    threshold = policy.committee_threshold
    low = policy.committee_min_size
    for org in not_teams(ctx, subjects):
        full = ctx.full_count(org)
        if full < threshold:
            continue
        size = len(_committee(j.posts_in(org)))
        if size < low:
            yield ctx.diagnostic(
                "GG203",
                f"branch {org!r} has {full} full members but a committee of {size} "
                f"(expected {low}-{policy.committee_max_size})",
                (org,),
                path=ctx.path("org", org),
            )


@rules.breaking("GG203", needs=("branch",))
def break_gg203(j: Jurisdiction, choose: Chooser) -> bool:
    """Grows a new branch at the committee threshold with a secretary and no committee."""
    policy = j.policy
    if policy.committee_min_size < 2:
        return False
    full = max(policy.committee_threshold, policy.min_branch_full_members, 1)
    add_unit(j, _unit_parent(j, choose), full=full, committee=False)
    return True


@rules.check(
    "GG211",
    "branch-committee-size",
    W,
    "a branch committee is larger than committee_hard_max_size",
    levels=levels.branch,
    reads=("posts", "policy"),
    hint="keep the committee within the usual size; the others serve without a post",
)
def gg211(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branch committees (the distinct holders of secretary, deputy secretary and
    committee member posts) of more than `committee_hard_max_size` (7) people. A
    committee of 6 or 7 is fine.

    ## Why it matters
    A branch committee has 3 to 5 members, "generally" (一般) not more than 7 (chapter 6
    of 《中国共产党支部工作条例(试行)》): a larger one is a warning a human may accept,
    not an error.

    ## Example
    A branch with a secretary, a deputy and six committee members.

    ## Fix
    Elect a smaller committee at the next election.
    """
    j = ctx.j
    high = ctx.policy.committee_hard_max_size
    for org in not_teams(ctx, subjects):
        committee = _committee(j.posts_in(org))
        if len(committee) > high:
            yield ctx.diagnostic(
                "GG211",
                f"the committee of branch {org!r} has {len(committee)} members, more than {high}",
                (org, *committee),
                path=ctx.path("org", org),
            )


@rules.breaking("GG211", needs=("branch",))
def break_gg211(j: Jurisdiction, choose: Chooser) -> None:
    """Grows a new branch whose committee is one larger than the hard maximum."""
    policy = j.policy
    size = policy.committee_hard_max_size + 1
    full = max(size, policy.min_branch_full_members)
    unit = add_unit(j, _unit_parent(j, choose), full=full, committee=False)
    members = [p for p in j.graph.members(unit) if p != j.posts_in(unit)[0].holder]
    for pid in members[: size - 1]:
        j.appoint(unit, Role.COMMITTEE_MEMBER, pid)


@rules.check(
    "GG204",
    "branch-no-committee",
    W,
    "a branch under the threshold has a committee, or too many deputy secretaries",
    levels=levels.branch,
    reads=("posts", "filings", "attachments", "people", "policy"),
    hint="vacate the committee member posts: a secretary (and a deputy) suffice",
)
def gg204(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    for org in not_teams(ctx, subjects):
        posts = j.posts_in(org)
        if not posts:
            continue
        deputies = holders_of(posts, Role.DEPUTY_SECRETARY)
        if len(deputies) > policy.max_deputy_secretaries:
            yield ctx.diagnostic(
                "GG204",
                f"branch {org!r} has {len(deputies)} deputy secretaries, "
                f"more than {policy.max_deputy_secretaries}",
                (org, *deputies),
                "keep one deputy secretary",
                ctx.path("org", org),
            )
        committee = holders_of(posts, Role.COMMITTEE_MEMBER)
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


@rules.breaking("GG204", needs=("branch",))
def break_gg204(j: Jurisdiction, choose: Chooser) -> bool:
    """Grows a new branch under the committee threshold that has a committee anyway.

    Under a policy with no room under the threshold, the new branch has one deputy
    secretary more than the policy allows instead.
    """
    policy = j.policy
    full = max(2, policy.min_branch_full_members)
    if full < policy.committee_threshold:
        add_unit(j, _unit_parent(j, choose), full=full, committee=True)
        return True
    deputies = policy.max_deputy_secretaries + 1
    size = max(full, deputies + policy.committee_min_size + 1)
    unit = add_unit(j, _unit_parent(j, choose), full=size)
    holders = {p.holder for p in j.posts_in(unit) if p.role != Role.FIRST_SECRETARY}
    others = [p for p in j.graph.members(unit) if p not in holders]
    for pid in others[:deputies]:
        j.appoint(unit, Role.DEPUTY_SECRETARY, pid)
    return len(others) >= deputies


@rules.check(
    "GG205",
    "probationary-elected-post",
    E,
    "a probationary member holds an elected post",
    reads=("posts", "people"),
    hint="give the post to a full member",
)
def gg205(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
                    post_path(ctx, post, "holder"),
                )


@rules.breaking("GG205")
def break_gg205(j: Jurisdiction, choose: Chooser) -> bool:
    """Makes a new probationary member deputy secretary of an organization above the branches."""
    orgs = _leading_orgs(j)
    if not orgs:
        return False
    pid = new_id(j, "P")
    j.add_person(pid, "probationary deputy", status="probationary")
    j.appoint(choose(orgs), Role.DEPUTY_SECRETARY, pid)
    return True


@rules.check(
    "GG206",
    "one-secretary",
    E,
    "an organization has no secretary, or more than one",
    levels=levels.above_filing,
    reads=("posts",),
    hint="appoint a secretary (a full member)",
    explained_by=Gap("post", Role.SECRETARY, holders=1),
)
def gg206(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    for org in not_teams(ctx, subjects):
        secretaries = holders_of(j.posts_in(org), Role.SECRETARY)
        if len(secretaries) == 1:
            continue
        if secretaries:
            message = f"{org!r} has {len(secretaries)} secretaries"
            hint = "keep one secretary"
        else:
            message = f"{org!r} has no secretary"
            hint = "appoint a secretary (a full member)"
        yield ctx.diagnostic("GG206", message, (org, *secretaries), hint, ctx.path("org", org))


@rules.breaking("GG206")
def break_gg206(j: Jurisdiction, choose: Chooser) -> bool:
    """Gives an organization above the branches a second secretary (a new full member)."""
    orgs = _leading_orgs(j)
    if not orgs:
        return False
    pid = new_id(j, "P")
    j.add_person(pid, "second secretary", status="full")
    j.appoint(choose(orgs), Role.SECRETARY, pid)
    return True


@rules.check(
    "GG207",
    "committee-term-expired",
    W,
    "a committee's term has expired",
    reads=("organizations", "as_of", "policy"),
    hint="hold the election and record the new term_start",
)
def gg207(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    community = levels.community_level(ctx.scheme)
    policy = ctx.policy
    for org in subjects:
        start = graph.org(org).term_start
        if start is None:
            continue
        in_community = community is not None and ancestor_at(graph, org, community) is not None
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


@rules.breaking("GG207")
def break_gg207(j: Jurisdiction, choose: Chooser) -> bool:
    """Starts the term of an organization's committee longer ago than its term allows."""
    orgs = [o for o in j.organizations if j.scheme.is_above_filing(j.graph.level(o))]
    if not orgs:
        return False
    as_of = j.as_of or day_after(None)
    if j.as_of is None:
        j.set_as_of(as_of)
    years = max(j.policy.term_years_community, j.policy.term_years_other) + 1
    j.amend_org(choose(orgs), term_start=as_of.replace(year=as_of.year - years, day=1))
    return True


@rules.check(
    "GG208",
    "joint-branch-units",
    W,
    "a joint branch covers too many units",
    levels=levels.branch,
    reads=("organizations", "policy"),
    hint="split it into joint branches of at most the limit",
)
def gg208(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds joint branches (`kind: joint`, 联合党支部) covering more than
    `joint_branch_max_units` (5) units (listed in `units`).

    ## Why it matters
    Units with fewer than 3 full members join neighbouring units in a joint branch, which
    "generally" (一般) covers at most 5 units (chapter 2 of 《中国共产党支部工作条例(试行)》,
    the branch work regulation): a warning, since "generally" admits an exception a
    human may accept.

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


@rules.breaking("GG208", needs=("branch",))
def break_gg208(j: Jurisdiction, choose: Chooser) -> None:
    """Grows a new joint branch covering one unit more than the limit."""
    unit = add_unit(j, _unit_parent(j, choose), kind=OrgKind.JOINT)
    count = j.policy.joint_branch_max_units + 1
    j.amend_org(unit, units=[f"unit {i + 1}" for i in range(count)])


@rules.check(
    "GG209",
    "temporary-branch-end",
    W,
    "a temporary branch has no end date, or its end date has passed",
    levels=levels.branch,
    reads=("organizations", "as_of"),
    hint="record when its task ends",
)
def gg209(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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


@rules.breaking("GG209", needs=("branch",))
def break_gg209(j: Jurisdiction, choose: Chooser) -> None:
    """Grows a new temporary branch with no end date."""
    add_unit(j, _unit_parent(j, choose), kind=OrgKind.TEMPORARY)


@rules.check(
    "GG210",
    "elected-post-non-member",
    E,
    "a branch's elected post is held by someone who is not a member of the branch",
    levels=levels.branch,
    reads=("posts", "filings", "attachments", "people", "organizations"),
    hint="elect the post from the branch's own members, or file the holder in the branch",
    explained_by=Gap("filing", named=True),
)
def gg210(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds branches whose secretary, deputy secretary or a committee member is not a
    member of the branch: not filed in its subtree nor attached to it (a non-member of
    the Party included). First secretaries and grid leaders serve concurrently and are
    exempt; a probationary holder is GG205's finding.

    ## Why it matters
    The branch committee is elected by the branch's member assembly from among its own
    members (chapter 6 of 《中国共产党支部工作条例(试行)》, the branch work regulation):
    a committee member who moved to another grid, or was never filed in this one, cannot
    hold the post.

    ## Example
    A branch `B1` whose `committee_member` post is held by `P7`, filed in a group of
    branch `B2`.

    ## Fix
    Vacate the post and elect a member of the branch, or transfer the holder's filing
    into the branch if that is where they live.
    """
    j = ctx.j
    people = j.people
    probationary = MemberStatus.PROBATIONARY
    for org in not_teams(ctx, subjects):
        posts = [p for p in j.posts_in(org) if p.role.elected]
        if not posts:
            continue
        members = set(ctx.members(org))
        for post in posts:
            if post.holder in members:
                continue
            party = people[post.holder].party
            if party is not None and party.status is probationary:
                continue  # GG205 reports it
            where = j.filed_in(post.holder)
            why = (
                "is not a Party member"
                if party is None
                else ("is filed nowhere" if where is None else f"is filed in {where!r}")
            )
            yield ctx.diagnostic(
                "GG210",
                f"{post.role.value} {post.holder!r} of branch {org!r} {why}, not in the branch",
                (org, post.holder),
                path=post_path(ctx, post, "holder"),
            )


@rules.breaking("GG210", needs=("branch",))
def break_gg210(j: Jurisdiction, choose: Chooser) -> None:
    """Makes a new full member, filed nowhere, deputy secretary of a branch."""
    pid = new_id(j, "P")
    j.add_person(pid, "outside deputy", status="full")
    j.appoint(choose(branch_orgs(j)), Role.DEPUTY_SECRETARY, pid)


def _unit_parent(j: Jurisdiction, choose: Chooser) -> str:
    """An organization a new unit (branch) can be grown under."""
    above = j.scheme.parent_level(unit_level(j.scheme))
    assert above is not None
    return choose(j.graph.at_level(above))


def _filing_orgs_in(j: Jurisdiction, org: str) -> list[str]:
    level = j.scheme.filing_level
    return [o for o in j.graph.subtree(org) if j.graph.level(o) == level]


def _leading_orgs(j: Jurisdiction) -> list[str]:
    """The organizations above the filing level that are not branches (the root, ...)."""
    scheme = j.scheme
    return [
        o
        for o in j.organizations
        if scheme.is_above_filing(j.graph.level(o)) and j.graph.level(o) != scheme.branch_level
    ]
