"""The grid rules GG301-GG312: first secretaries, dual grid leaders, groups, zones, members.

GG301-GG306 read the practice of Junhe street (first secretaries appointed one level up,
dual grid leaders); GG307-GG311 the filing of members into grids (入格) and their
responsibility zones; GG312 is a document rule (a household listed in two zones).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from gridgov.model.document import Document
from gridgov.model.enums import Category, OrgKind, Role
from gridgov.model.values import Post
from gridgov.rules import levels
from gridgov.rules.breaking import Chooser, branch_orgs, cadre, day_after, new_id, org_id
from gridgov.rules.builtin.branches import ancestor_at, holders_of, not_teams, post_path
from gridgov.rules.builtin.structure import declared_ids
from gridgov.rules.context import Context
from gridgov.rules.diagnostics import Diagnostic, Finding, Severity
from gridgov.rules.registry import Gap, Rule, RuleSet

__all__ = ["rules"]

if TYPE_CHECKING:
    from gridgov.model.jurisdiction import Jurisdiction

E, W = Severity.ERROR, Severity.WARNING
_GRID_KINDS = (None, OrgKind.GRID)

rules = RuleSet()
"""The grid rules, in declaration order."""


def _is_grid_branch(ctx: Context, org: str) -> bool:
    return ctx.j.graph.org(org).kind in _GRID_KINDS


def _practised(ctx: Context, subjects: Iterable[str]) -> Iterable[str]:
    """`subjects`, unless the policy does not follow the first-secretary practice."""
    return subjects if ctx.policy.first_secretary_practice else ()


def _first_secretaries(ctx: Context, org: str) -> list[Post]:
    return ctx.j.posts_in(org, Role.FIRST_SECRETARY)


@rules.check(
    "GG301",
    "grid-branch-first-secretary",
    E,
    "a grid branch has no first secretary, or more than one",
    levels=levels.branch,
    reads=("organizations", "posts", "policy"),
    hint="the street committee appoints one street cadre as first secretary",
    explained_by=Gap("post", Role.FIRST_SECRETARY, holders=1),
)
def gg301(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds grid branches (branches of kind `grid`, the default) with no first secretary
    or with more than one.
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

    ## Why it matters
    Every grid branch has a first secretary (第一书记): a street cadre serving
    concurrently, appointed by the street committee one level up (提级任命). Junhe street
    gave each of its 51 grid branches one.

    ## Example
    A grid branch with a secretary and grid leaders but no `first_secretary` post.

    ## Fix
    Have the street committee appoint one street cadre as first secretary.
    """
    for org in _practised(ctx, subjects):
        if not _is_grid_branch(ctx, org):
            continue
        holders = holders_of(_first_secretaries(ctx, org), Role.FIRST_SECRETARY)
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


@rules.breaking("GG301", needs=("branch", "practice"))
def break_gg301(j: Jurisdiction, choose: Chooser) -> bool:
    """Vacates the first secretary of a grid branch."""
    post = _choose_post(j, choose, Role.FIRST_SECRETARY)
    if post is None:
        return False
    j.vacate(post.org, post.role, post.holder)
    return True


@rules.check(
    "GG302",
    "first-secretary-street-cadre",
    E,
    "a first secretary is not a street cadre",
    levels=levels.branch,
    reads=("posts", "people", "policy"),
    hint="appoint a street cadre (category street_cadre)",
)
def gg302(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds first secretaries who are not street cadres (no `street_cadre` category).
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

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
    for org in _practised(ctx, subjects):
        for post in _first_secretaries(ctx, org):
            person = people[post.holder]
            if person.party is None or cadre not in person.party.categories:
                yield ctx.diagnostic(
                    "GG302",
                    f"first secretary {post.holder!r} of {org!r} is not a street cadre",
                    (org, post.holder),
                    "appoint a street cadre (category street_cadre)",
                    post_path(ctx, post, "holder"),
                )


@rules.breaking("GG302", needs=("branch", "practice"))
def break_gg302(j: Jurisdiction, choose: Chooser) -> bool:
    """Replaces a grid branch's first secretary by a full member who is no street cadre."""
    post = _choose_post(j, choose, Role.FIRST_SECRETARY)
    if post is None:
        return False
    pid = new_id(j, "P")
    j.add_person(pid, "not a cadre", status="full")
    j.vacate(post.org, post.role, post.holder)
    j.appoint(post.org, Role.FIRST_SECRETARY, pid, appointed_by=post.appointed_by)
    return True


def _appointer(ctx: Context, org: str) -> str | None:
    """The street committee above `org`: its ancestor at the street level, else the root."""
    if levels.STREET in ctx.scheme.levels:
        return ancestor_at(ctx.j.graph, org, levels.STREET)
    return ctx.root


@rules.check(
    "GG303",
    "first-secretary-appointer",
    E,
    "a first secretary was not appointed by the street committee",
    levels=levels.branch,
    reads=("posts", "organizations", "policy"),
    hint="record the appointment by the street committee",
)
def gg303(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds first secretaries not appointed by their street committee: the post's
    `appointed_by` is missing or names another organization than the branch's ancestor at
    the `street` level (the root, in the five-level scheme; a district scheme may have
    several streets under a district committee). In a scheme without a `street` level the
    root stands for it.
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

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
    for org in _practised(ctx, subjects):
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
                    post_path(ctx, post, "appointed_by"),
                )


@rules.breaking("GG303", needs=("branch", "practice"))
def break_gg303(j: Jurisdiction, choose: Chooser) -> bool:
    """Re-appoints a grid branch's first secretary with no appointing organization."""
    post = _choose_post(j, choose, Role.FIRST_SECRETARY)
    if post is None:
        return False
    j.vacate(post.org, post.role, post.holder)
    j.appoint(post.org, Role.FIRST_SECRETARY, post.holder)
    return True


@rules.check(
    "GG304",
    "dual-grid-leaders",
    E,
    "a grid does not have exactly two grid leaders",
    levels=levels.branch,
    reads=("organizations", "posts", "policy"),
    hint="appoint dual grid leaders: the first secretary and the cooperative head",
    explained_by=Gap("post", Role.GRID_LEADER, holders=2),
)
def gg304(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds grid branches that do not have exactly two distinct grid leaders
    (`grid_leader` posts).
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

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
    for org in _practised(ctx, subjects):
        if not _is_grid_branch(ctx, org):
            continue
        leaders = holders_of(j.posts_in(org, Role.GRID_LEADER), Role.GRID_LEADER)
        if len(leaders) != 2:
            yield ctx.diagnostic(
                "GG304",
                f"grid {org!r} has {len(leaders)} grid leader{'s' * (len(leaders) != 1)}, not 2",
                (org, *leaders),
                "appoint dual grid leaders: the first secretary and the cooperative head",
                ctx.path("org", org),
            )


@rules.breaking("GG304", needs=("branch", "practice"))
def break_gg304(j: Jurisdiction, choose: Chooser) -> bool:
    """Vacates one of a grid branch's two grid leaders."""
    post = _choose_post(j, choose, Role.GRID_LEADER)
    if post is None:
        return False
    j.vacate(post.org, post.role, post.holder)
    return True


@rules.check(
    "GG305",
    "cooperative-grid-leaders",
    W,
    "a cooperative grid's leaders are not its first secretary and cooperative head",
    levels=levels.branch,
    reads=("organizations", "cooperatives", "posts", "policy"),
    hint="make the first secretary and the cooperative head the grid leaders",
)
def gg305(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds cooperative grids (grid branches with a `cooperative`) whose grid leaders are
    not exactly their first secretary and the cooperative's head.
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

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
    for org in _practised(ctx, subjects):
        o = graph.org(org)
        if o.cooperative is None or o.kind not in _GRID_KINDS:
            continue
        coop = coops[o.cooperative]
        posts = j.posts_in(org)
        leaders = set(holders_of(posts, Role.GRID_LEADER))
        expected = set(holders_of(posts, Role.FIRST_SECRETARY))
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


@rules.breaking("GG305", needs=("branch", "practice"))
def break_gg305(j: Jurisdiction, choose: Chooser) -> bool:
    """Puts a grid branch on a new cooperative whose head is not one of its grid leaders."""
    branches = [b for b in branch_orgs(j, grid=True) if j.graph.org(b).cooperative is None]
    if not branches:
        return False
    head = new_id(j, "P")
    j.add_person(head, "cooperative head")
    coop = new_id(j, "EC")
    j.add_cooperative(coop, "cooperative", head=head)
    j.amend_org(choose(branches), cooperative=coop)
    return True


@rules.check(
    "GG306",
    "merged-branch-secretary",
    W,
    "a merged cooperative branch's secretary is not the cooperative's branch secretary",
    levels=levels.branch,
    reads=("organizations", "cooperatives", "posts", "policy"),
    hint="make the cooperative's branch secretary the branch secretary",
)
def gg306(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds merged cooperative grid branches (grid branches on a cooperative that records a
    `branch_secretary`) whose secretary is not the cooperative's branch secretary.
    Judged only while the policy's `first_secretary_practice` is in force (the
    default: the practice of Junhe street, whose source describes it).

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
    for org in _practised(ctx, subjects):
        o = graph.org(org)
        if o.cooperative is None or o.kind not in _GRID_KINDS:
            continue
        wanted = coops[o.cooperative].branch_secretary
        if wanted is None:
            continue
        secretaries = holders_of(j.posts_in(org, Role.SECRETARY), Role.SECRETARY)
        if secretaries != [wanted]:
            yield ctx.diagnostic(
                "GG306",
                f"secretary of merged branch {org!r} is {secretaries or 'missing'}, not "
                f"cooperative {o.cooperative!r}'s branch secretary {wanted!r}",
                (org, wanted),
                "make the cooperative's branch secretary the branch secretary",
                ctx.path("org", org),
            )


@rules.breaking("GG306", needs=("branch", "practice"))
def break_gg306(j: Jurisdiction, choose: Chooser) -> bool:
    """Puts a grid branch on a new cooperative whose branch secretary is someone else."""
    branches = [b for b in branch_orgs(j, grid=True) if j.graph.org(b).cooperative is None]
    if not branches:
        return False
    branch = choose(branches)
    leaders = [p.holder for p in j.posts_in(branch) if p.role == Role.GRID_LEADER]
    firsts = {p.holder for p in j.posts_in(branch) if p.role == Role.FIRST_SECRETARY}
    others = [p for p in leaders if p not in firsts]
    other = new_id(j, "P")
    j.add_person(other, "cooperative's branch secretary", status="full")
    coop = new_id(j, "EC")
    j.add_cooperative(
        coop, "cooperative", head=others[0] if others else None, branch_secretary=other
    )
    j.amend_org(branch, cooperative=coop)
    return True


@rules.check(
    "GG307",
    "group-leader",
    E,
    "a group has no leader, or its leader is not filed in it",
    levels=levels.filing,
    reads=("posts", "filings", "organizations"),
    hint="appoint a group leader from its members",
    explained_by=Gap("post", Role.GROUP_LEADER),
)
def gg307(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    for org in not_teams(ctx, subjects):
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
                    post_path(ctx, post, "holder"),
                )


@rules.breaking("GG307")
def break_gg307(j: Jurisdiction, choose: Chooser) -> bool:
    """Vacates a group leader."""
    post = _choose_post(j, choose, Role.GROUP_LEADER)
    if post is None:
        return False
    j.vacate(post.org, post.role, post.holder)
    return True


@rules.check(
    "GG308",
    "zone-claimed",
    E,
    "a zone has no claiming member, or a claimant is not filed in its group",
    levels=levels.zone,
    reads=("claims", "people", "filings", "organizations"),
    hint="have a member of the zone's group claim it",
    explained_by=Gap("claim"),
)
def gg308(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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
    for zone in not_teams(ctx, subjects):
        # the zone's group: its ancestor at the filing level (itself when the scheme
        # files members into the zones; its parent in the preset schemes)
        group = ancestor_at(graph, zone, filing_level)
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


@rules.breaking("GG308")
def break_gg308(j: Jurisdiction, choose: Chooser) -> bool:
    """Releases a zone's claim, leaving it unclaimed."""
    zones = [z for z in j.graph.at_level(j.scheme.zone_level) if len(j.claimants(z)) == 1]
    if not zones:
        return False
    zone = choose(zones)
    j.release_zone(j.claimants(zone)[0], zone)
    return True


@rules.check(
    "GG309",
    "registered-not-filed",
    E,
    "a registered member is filed nowhere",
    subject="person",
    reads=("registrations", "filings", "people"),
    hint="file them into a group of the grid where they live",
    explained_by=Gap("filing", every=True),
)
def gg309(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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


@rules.breaking("GG309")
def break_gg309(j: Jurisdiction, choose: Chooser) -> None:
    """Registers a new full member at a community and files them nowhere."""
    level = j.scheme.registration_level
    pid = new_id(j, "P")
    j.add_person(pid, "unfiled", status="full")
    j.register(pid, choose(j.graph.at_level(level)))


@rules.check(
    "GG310",
    "filed-outside-community",
    E,
    "a member is filed outside the community where they registered",
    subject="person",
    reads=("registrations", "filings", "organizations"),
    hint="transfer them into a group of their registration's community",
)
def gg310(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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


@rules.breaking("GG310", needs=("community",))
def break_gg310(j: Jurisdiction, choose: Chooser) -> bool:
    """Founds a new community and registers a member filed elsewhere at it."""
    scheme = j.scheme
    above = scheme.parent_level("community")
    filed = [p for p in j.filings if p not in j.registrations]
    if above is None or not filed:
        return False
    community = org_id(j, "community")
    j.found_org(community, "community", "another community", choose(j.graph.at_level(above)))
    if scheme.is_above_filing("community"):
        j.appoint(community, Role.SECRETARY, cadre(j))
    j.register(choose(filed), community)
    return True


@rules.check(
    "GG311",
    "too-many-zones",
    W,
    "a member claims more than max_zones_per_member zones",
    subject="person",
    reads=("claims", "policy"),
    hint="release zones to other members of the group",
)
def gg311(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
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


@rules.breaking("GG311", needs=("zones",))
def break_gg311(j: Jurisdiction, choose: Chooser) -> bool:
    """Founds zones beside a claimed one until its claimant claims one more than the maximum."""
    level = j.scheme.zone_level
    zones = [z for z in j.graph.at_level(level) if j.claimants(z)]
    if not zones:
        return False
    zone = choose(zones)
    person = j.claimants(zone)[0]
    parent = j.graph.parent(zone)
    for _ in range(max(0, j.policy.max_zones_per_member + 1 - len(j.zones_claimed_by(person)))):
        new = org_id(j, level)
        j.found_org(new, level, f"zone {new}", parent)
        j.claim_zone(person, new)
    return True


@rules.check(
    "GG313",
    "dated-after-as-of",
    W,
    "a fact is dated after the jurisdiction's as_of",
    reads=("organizations", "posts", "filings", "attachments", "registrations", "claims", "as_of"),
    hint="correct the date, or move the jurisdiction's as_of forward",
)
def gg313(ctx: Context, subjects: Iterable[str]) -> Iterator[Diagnostic]:
    """## What it does
    Finds facts dated after the jurisdiction's `as_of` date: an organization's `formed`
    or `term_start`, the `since` of a post held now or in the past and the `until` of a
    past one, the date of a filing, a registration, an attachment or a claim. Each is
    reported at the organization it belongs to. Nothing is checked without an `as_of`.

    ## Why it matters
    The jurisdiction is judged as of one day; a fact from after that day either carries a
    wrong date or belongs to a later state, and the rules that count terms or tenures
    (GG207, the post history) would read it wrongly.

    ## Example
    `"as_of": "2021-11-22"` and a post `"since": "2022-01-05"`.

    ## Fix
    Correct the date, or move the jurisdiction's `as_of` forward to judge a later state.
    """
    as_of = ctx.as_of
    if as_of is None:
        return
    j = ctx.j
    graph = j.graph
    registrations, work = j.registrations, j.work_registrations

    def late(day: dt.date | None) -> bool:
        return day is not None and day > as_of

    for org in subjects:
        o = graph.org(org)
        for attr in ("formed", "term_start"):
            day = getattr(o, attr)
            if late(day):
                yield ctx.diagnostic(
                    "GG313",
                    f"{org!r} is {attr.replace('_', ' ')} {day.isoformat()}, after {as_of.isoformat()}",
                    (org,),
                    path=ctx.path("org", org, attr),
                )
        for post in [*j.tenures(org), *j.posts_in(org)]:
            for attr in ("since", "until"):
                day = getattr(post, attr)
                if late(day):
                    yield ctx.diagnostic(
                        "GG313",
                        f"{post.role.value} {post.holder!r} of {org!r}: {attr} "
                        f"{day.isoformat()} is after {as_of.isoformat()}",
                        (org, post.holder),
                        path=post_path(ctx, post, attr),
                    )
        facts: list[tuple[str, str, dt.date | None, str, object]] = []
        for person in graph.direct_members(org):
            facts.append(("filed", person, j.filings[person].date, "filing", person))
        for person in j.attached(org):
            a = j.attachments[person, org]
            facts.append(("attached", person, a.date, "attachment", (person, org)))
        for person in j.registered_in(org):
            facts.append(("registered", person, registrations[person].date, "registration", person))
        for person in j.registered_in(org, "work_unit"):
            r = work[person]
            facts.append(("registered", person, r.date, "registration", (person, r.kind.value)))
        for person in j.claimants(org):
            c = j.claims[person, org]
            facts.append(("claimed", person, c.date, "claim", (person, org)))
        for verb, person, day, kind, key in facts:
            if late(day):
                yield ctx.diagnostic(
                    "GG313",
                    f"{person!r} {verb} in {org!r} on {day.isoformat()}, after "  # type: ignore[union-attr]
                    f"{as_of.isoformat()}",
                    (org, person),
                    path=ctx.path(kind, key, "date"),
                )


@rules.breaking("GG313")
def break_gg313(j: Jurisdiction, choose: Chooser) -> None:
    """Dates an organization's founding the day after the jurisdiction's as-of date."""
    as_of = j.as_of or day_after(None)
    if j.as_of is None:
        j.set_as_of(as_of)
    j.amend_org(choose(list(j.organizations)), formed=day_after(as_of))


def scan_two_zones(document: Document) -> Iterator[Finding]:
    """Households listed in a second zone (the first listing is kept)."""
    declared = declared_ids(document)
    zone_of: dict[str, str] = {}
    for i, hhs in enumerate(document.zone_households):
        zone = document.organizations[i].id
        for k, hid in enumerate(hhs):
            if hid in declared:
                continue  # GG101's
            first = zone_of.setdefault(hid, zone)
            if first != zone:
                path = f"organizations[{i}].households[{k}]"
                yield Finding(
                    "GG312",
                    f"household {hid!r} is in zones {first!r} and {zone!r}",
                    (hid, first, zone),
                    "leave the household in one zone",
                    path,
                    skip=(path,),
                )


GG312_TEXT = """\
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
        "GG312",
        "household-in-two-zones",
        E,
        "a household is in more than one zone",
        None,
        "document",
        scan=scan_two_zones,
        hint="leave the household in one zone",
        explanation=GG312_TEXT,
    )
)


@rules.breaking("GG312", target="document", needs=("zones",))
def break_gg312(doc: dict[str, Any], choose: Chooser) -> bool:
    """Lists one household in a zone and in a new zone beside it (claimed by its claimant)."""
    claims = doc.get("claims") or []
    if not claims:
        return False
    claim = choose(claims)
    orgs = {o["id"]: o for o in doc["organizations"]}
    zone = orgs[claim["zone"]]
    taken = {r["id"] for key in ("organizations", "people", "households") for r in doc.get(key, [])}
    n = 1
    while f"H{n}" in taken or f"Z{n}" in taken:
        n += 1
    household, new = f"H{n}", f"Z{n}"
    doc.setdefault("households", []).append({"id": household})
    zone.setdefault("households", []).append(household)
    doc["organizations"].append(
        {
            "id": new,
            "level": zone["level"],
            "name": "next zone",
            "parent": zone.get("parent"),
            "households": [household],
        }
    )
    claims.append({"person": claim["person"], "zone": new})
    return True


def _choose_post(j: Jurisdiction, choose: Chooser, role: Role) -> Post | None:
    """One post of `role` (in a grid branch, for the practice's roles), or ``None``."""
    if role in (Role.FIRST_SECRETARY, Role.GRID_LEADER):
        grids = set(branch_orgs(j, grid=True))
        posts = [p for p in j.posts.values() if p.role == role and p.org in grids]
    else:
        posts = [p for p in j.posts.values() if p.role == role]
    return choose(posts) if posts else None
