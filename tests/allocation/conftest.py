"""Fixtures of the allocation tests: an independent check of the charter rules.

``charter`` is a second opinion beside :mod:`gridgov.rules`: a short, direct reading of
the rules the allocation promises to keep (secretaries, committees, first secretaries,
dual grid leaders, group leaders, zone claims, filings), written from ``DESIGN.md``
without the rule engine's code. It returns one line per problem, so a failing test
shows them. ``errors`` is the rule engine's own verdict: its error-level findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from gridgov.model import Jurisdiction, OrgKind, Policy, Role
from gridgov.rules import Report, Severity, validate


@pytest.fixture(scope="session")
def charter() -> Callable[[Jurisdiction], list[str]]:
    """The independent charter check, :func:`charter_problems`."""
    return charter_problems


@pytest.fixture(scope="session")
def errors() -> Callable[[Jurisdiction | Report], list[str]]:
    """The rule engine's error-level findings, :func:`error_findings`."""
    return error_findings


def error_findings(subject: Jurisdiction | Report) -> list[str]:
    """Return ``"code message"`` for each error-level finding of `subject`: a report, or a
    jurisdiction to validate."""
    report = subject if isinstance(subject, Report) else validate(subject)
    return [f"{d.code} {d.message}" for d in report.diagnostics if d.severity is Severity.ERROR]


def charter_problems(j: Jurisdiction, policy: Policy | None = None) -> list[str]:
    """Return the error-level problems of `j` (empty when it keeps the rules)."""
    policy = policy or j.policy
    scheme = j.scheme
    g = j.graph
    people = j.people
    out: list[str] = []
    roots = g.roots()
    if len(roots) != 1:
        out.append(f"roots: {roots}")
        return out
    root = roots[0]
    filing_depth = scheme.depth(scheme.filing_level)

    def holders(org: str, role: Role) -> list[str]:
        return sorted({p.holder for p in j.posts_in(org, role)})

    def full(pid: str) -> bool:
        return people[pid].is_full_member

    for org_id in g:
        org = g.org(org_id)
        depth = scheme.depth(org.level)
        if depth < filing_depth:
            secretaries = holders(org_id, Role.SECRETARY)
            if len(secretaries) != 1:
                out.append(f"{org_id}: secretaries {secretaries}")
        for post in j.posts_in(org_id):
            if post.role.elected and not full(post.holder):
                out.append(f"{org_id}: probationary {post.holder} holds {post.role}")
        if org.level == scheme.branch_level:
            members = g.members(org_id)
            n_full = sum(full(p) for p in members)
            if n_full < policy.min_branch_full_members and org.kind not in (
                OrgKind.JOINT,
                OrgKind.TEMPORARY,
            ):
                out.append(f"{org_id}: {n_full} full members, not joint")
            if org.kind is OrgKind.JOINT and len(org.units) > policy.joint_branch_max_units:
                out.append(f"{org_id}: joint over {len(org.units)} units")
            committee = {p.holder for p in j.posts_in(org_id) if p.role.elected}
            if n_full >= policy.committee_threshold and not (
                policy.committee_min_size <= len(committee) <= policy.committee_hard_max_size
            ):
                out.append(f"{org_id}: committee of {len(committee)} for {n_full} full")
            if org.kind in (None, OrgKind.GRID) and policy.first_secretary_practice:
                first = holders(org_id, Role.FIRST_SECRETARY)
                if len(first) != 1:
                    out.append(f"{org_id}: first secretaries {first}")
                for post in j.posts_in(org_id, Role.FIRST_SECRETARY):
                    if not people[post.holder].has_category("street_cadre"):
                        out.append(f"{org_id}: first secretary {post.holder} not a cadre")
                    street = next(
                        (o for o in j.graph.chain(org_id) if j.graph.level(o) == "street"), root
                    )
                    if post.appointed_by != street:
                        out.append(f"{org_id}: first secretary appointed by {post.appointed_by}")
                leaders = holders(org_id, Role.GRID_LEADER)
                if len(leaders) != 2:
                    out.append(f"{org_id}: grid leaders {leaders}")
        if org.kind is not None and org.kind.is_team:
            captains = holders(org_id, Role.SERVICE_TEAM_CAPTAIN)
            if len(captains) != 1 or not set(captains) <= set(j.attached(org_id)):
                out.append(f"{org_id}: team captains {captains}")
        elif org.level == scheme.filing_level:
            leaders = holders(org_id, Role.GROUP_LEADER)
            if not leaders:
                out.append(f"{org_id}: no group leader")
            for leader in leaders:
                if j.filed_in(leader) != org_id:
                    out.append(f"{org_id}: leader {leader} filed in {j.filed_in(leader)}")
        if org.level == scheme.zone_level:
            claimants = j.claimants(org_id)
            if not claimants:
                out.append(f"{org_id}: unclaimed")
            for pid in claimants:
                if j.filed_in(pid) != org.parent:
                    out.append(f"{org_id}: claimant {pid} filed in {j.filed_in(pid)}")
    for pid, filing in j.filings.items():
        if g.level(filing.org) != scheme.filing_level:
            out.append(f"{pid}: filed at {g.level(filing.org)}")
        if not people[pid].is_member:
            out.append(f"{pid}: filed but not a member")
    for pid, reg in j.registrations.items():
        filing = j.filings.get(pid)
        if filing is None:
            out.append(f"{pid}: registered, not filed")
        elif reg.community not in g.chain(filing.org):
            out.append(f"{pid}: filed outside {reg.community}")
    load = Counter(person for person, _ in j.claims)
    out.extend(
        f"{pid}: claims {n} zones" for pid, n in load.items() if n > policy.max_zones_per_member
    )
    return out
