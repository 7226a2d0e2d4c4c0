"""A plain generator of a liwan-sized jurisdiction for the validation benchmark.

It builds a charter-conforming five-level jurisdiction with the liwan figures (57,546
members, 925 grid branches, 1,754 groups, 20,000 zones) from a seed, with none of the
simulation's geography: enough to measure the rule engine on realistic volumes.
"""

from __future__ import annotations

import datetime as dt
import random

from gridgov import (
    AsOfSet,
    Event,
    Filing,
    Household,
    HouseholdAdded,
    HouseholdAssigned,
    Jurisdiction,
    MemberFiled,
    MemberRegistered,
    Organization,
    OrganizationFounded,
    PartyMembership,
    Person,
    PersonAdded,
    Post,
    PostAssigned,
    Registration,
    ZoneClaimed,
)
from gridgov.model import Claim

LIWAN = {"communities": 40, "branches": 925, "groups": 1754, "zones": 20_000, "members": 57_546}


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


def events(
    *,
    communities: int,
    branches: int,
    groups: int,
    zones: int,
    members: int,
    seed: int = 0,
) -> list[Event]:
    """Return the events of a synthetic jurisdiction of the given size."""
    rng = random.Random(seed)
    out: list[Event] = [AsOfSet(dt.date(2021, 11, 22))]
    pid = 0

    def person(categories: list[str], status: str = "full") -> str:
        nonlocal pid
        pid += 1
        p = f"P{pid}"
        out.append(PersonAdded(Person(p, f"member {pid}", PartyMembership(status, categories))))
        return p

    out.append(OrganizationFounded(Organization("S1", "street", "street committee")))
    sec = person(["street_cadre"])
    out.append(PostAssigned(Post("S1", "secretary", sec)))
    cadres = [person(["street_cadre"]) for _ in range(branches // 3 + 1)]
    per_community = _split(branches, communities)
    groups_per_branch = _split(groups, branches)
    zones_per_group = _split(zones, groups)
    members_per_group = _split(members - pid, groups)
    b = g = z = h = 0
    for c in range(1, communities + 1):
        cid = f"C{c}"
        out.append(OrganizationFounded(Organization(cid, "community", f"community {c}", "S1")))
        for _ in range(per_community[c - 1]):
            b += 1
            bid = f"B{b}"
            out.append(OrganizationFounded(Organization(bid, "branch", f"branch {b}", cid)))
            full: list[str] = []
            for _ in range(groups_per_branch[b - 1]):
                g += 1
                gid = f"G{g}"
                out.append(OrganizationFounded(Organization(gid, "group", f"group {g}", bid)))
                filed = []
                for k in range(members_per_group[g - 1]):
                    kind = rng.choice(["residence_registered", "employed", "without_post", "sunk"])
                    probationary = k > 0 and rng.random() < 0.03
                    p = person([kind], "probationary" if probationary else "full")
                    out.append(MemberRegistered(Registration(p, cid)))
                    out.append(MemberFiled(Filing(p, gid)))
                    filed.append(p)
                    if not probationary:
                        full.append(p)
                out.append(PostAssigned(Post(gid, "group_leader", filed[0])))
                for k in range(zones_per_group[g - 1]):
                    z += 1
                    zid = f"Z{z}"
                    out.append(OrganizationFounded(Organization(zid, "zone", f"zone {z}", gid)))
                    for _ in range(5):
                        h += 1
                        out.append(HouseholdAdded(Household(f"H{h}")))
                        out.append(HouseholdAssigned(f"H{h}", zid))
                    out.append(ZoneClaimed(Claim(filed[k % len(filed)], zid)))
            cadre = cadres[b % len(cadres)]
            out.append(PostAssigned(Post(bid, "first_secretary", cadre, appointed_by="S1")))
            out.append(PostAssigned(Post(bid, "grid_leader", cadre)))
            head = person([], "full")
            out.append(PostAssigned(Post(bid, "grid_leader", head)))
            out.append(PostAssigned(Post(bid, "secretary", full[1])))
            for extra in full[2:5]:
                out.append(PostAssigned(Post(bid, "committee_member", extra)))
        out.append(PostAssigned(Post(cid, "secretary", person(["village"]))))
    return out


def build(seed: int = 0, **sizes: int) -> Jurisdiction:
    """Return a synthetic jurisdiction (liwan-sized by default)."""
    spec = {**LIWAN, **sizes}
    return Jurisdiction.replay(events(seed=seed, **spec))
