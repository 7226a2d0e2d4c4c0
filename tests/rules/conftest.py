"""Documents for the rule tests: a clean five-level street and helpers to mutate it.

The base document (:meth:`DocKit.base`) validates with zero findings::

    S1 street          均禾街党工委        secretary PS; term from 2021-01-05 (3 years)
    └── C1 community   清湖联社党委        secretary PC; term from 2021-03-01 (5 years)
        └── B1 branch  grid on EC1         first secretary P1 (street cadre, appointed by S1)
            │                              grid leaders P1 + P2 (EC1's head, not a member)
            │                              secretary P3 (EC1's branch secretary),
            │                              committee members P4, P5; 7 full members
            ├── G1 group   P3 P4 P5 P6     leader P5
            │   └── Z1 zone (H1, H2)       claimed by P5
            └── G2 group   P7 P8 P9        leader P7
                └── Z2 zone (H3)           claimed by P7

Every filed member (P3-P9) is registered at C1. ``as_of`` is 2021-11-22.

:meth:`DocKit.add_branch` adds another clean branch under C1 with a chosen number of
full and probationary members, committee members and deputies, kind, units, end date:
the threshold tests move one of those across its boundary.

The kit is handed out by the ``kit`` fixture (session scope, so that Hypothesis tests
may use it); its methods work on plain dicts in the JSON document format.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest

from gridgov.io import parse
from gridgov.rules import Report, validate

AS_OF = dt.date(2021, 11, 22)

Doc = dict[str, Any]


def _member(pid: str, name: str, status: str = "full", *categories: str) -> dict[str, Any]:
    party: dict[str, Any] = {"status": status}
    if categories:
        party["categories"] = list(categories)
    return {"id": pid, "name": name, "party": party}


_BASE: Doc = {
    "gridgov": "1",
    "scheme": "five-level",
    "as_of": AS_OF.isoformat(),
    "organizations": [
        {"id": "S1", "level": "street", "name": "均禾街党工委", "term_start": "2021-01-05"},
        {
            "id": "C1",
            "level": "community",
            "name": "清湖联社党委",
            "parent": "S1",
            "term_start": "2021-03-01",
        },
        {
            "id": "B1",
            "level": "branch",
            "name": "清湖第一经济社网格党支部",
            "parent": "C1",
            "kind": "grid",
            "cooperative": "EC1",
            "formed": "2021-09-01",
            "term_start": "2021-09-01",
        },
        {"id": "G1", "level": "group", "name": "第一党小组", "parent": "B1"},
        {"id": "G2", "level": "group", "name": "第二党小组", "parent": "B1"},
        {"id": "Z1", "level": "zone", "name": "1-3栋", "parent": "G1", "households": ["H1", "H2"]},
        {"id": "Z2", "level": "zone", "name": "4-6栋", "parent": "G2", "households": ["H3"]},
    ],
    "people": [
        _member("PS", "街道书记", "full", "street_cadre"),
        _member("PC", "联社书记", "full", "village"),
        {
            "id": "P1",
            "name": "邹波",
            "party": {
                "status": "full",
                "categories": ["street_cadre", "sunk"],
                "affiliation": "EXT-street-organ-branch",
            },
        },
        {"id": "P2", "name": "某社长"},
        _member("P3", "王书记", "full", "village"),
        _member("P4", "组织委员", "full", "village"),
        _member("P5", "宣传委员", "full", "residence_registered"),
        _member("P6", "党员六", "full", "employed"),
        _member("P7", "党员七", "full", "without_post"),
        _member("P8", "党员八", "full", "retired"),
        _member("P9", "党员九", "full", "sunk", "organ"),
    ],
    "cooperatives": [
        {
            "id": "EC1",
            "name": "清湖第一经济社",
            "community": "C1",
            "head": "P2",
            "branch_secretary": "P3",
        }
    ],
    "registrations": [
        {"person": p, "community": "C1", "date": "2021-09-10"}
        for p in ("P3", "P4", "P5", "P6", "P7", "P8", "P9")
    ],
    "filings": [
        *({"person": p, "org": "G1", "date": "2021-09-12"} for p in ("P3", "P4", "P5", "P6")),
        *({"person": p, "org": "G2", "date": "2021-09-12"} for p in ("P7", "P8", "P9")),
    ],
    "claims": [{"person": "P5", "zone": "Z1"}, {"person": "P7", "zone": "Z2"}],
    "posts": [
        {"org": "S1", "role": "secretary", "holder": "PS"},
        {"org": "C1", "role": "secretary", "holder": "PC"},
        {
            "org": "B1",
            "role": "first_secretary",
            "holder": "P1",
            "appointed_by": "S1",
            "since": "2021-11-22",
        },
        {"org": "B1", "role": "grid_leader", "holder": "P1"},
        {"org": "B1", "role": "grid_leader", "holder": "P2"},
        {"org": "B1", "role": "secretary", "holder": "P3"},
        {"org": "B1", "role": "committee_member", "holder": "P4", "duty": "organization"},
        {"org": "B1", "role": "committee_member", "holder": "P5", "duty": "propaganda"},
        {"org": "G1", "role": "group_leader", "holder": "P5"},
        {"org": "G2", "role": "group_leader", "holder": "P7"},
    ],
}


class DocKit:
    """Build and mutate documents (plain dicts in the JSON document format)."""

    @staticmethod
    def base() -> Doc:
        """A fresh copy of the clean base document."""
        return copy.deepcopy(_BASE)

    @staticmethod
    def validate(doc: Doc, **options: Any) -> Report:
        """``validate(parse(doc))``, as the issue asks."""
        return validate(parse(doc), **options)

    @staticmethod
    def codes(doc: Doc, **options: Any) -> dict[str, int]:
        """The findings of `doc` by code."""
        return validate(parse(doc), **options).count_by_code()

    # -- finding and changing records --------------------------------------------------------

    @staticmethod
    def add(doc: Doc, key: str, *records: dict[str, Any]) -> int:
        """Append `records` to the list `key`; return the position of the last one."""
        items = doc.setdefault(key, [])
        items.extend(records)
        return len(items) - 1

    @staticmethod
    def index(doc: Doc, key: str, **match: Any) -> int:
        """The position of the only record of `key` whose fields equal `match`."""
        found = [
            i
            for i, r in enumerate(doc.get(key, []))
            if all(r.get(k) == v for k, v in match.items())
        ]
        assert len(found) == 1, f"{key} matching {match}: {found}"
        return found[0]

    def record(self, doc: Doc, key: str, **match: Any) -> dict[str, Any]:
        """The only record of `key` whose fields equal `match` (to change it in place)."""
        record: dict[str, Any] = doc[key][self.index(doc, key, **match)]
        return record

    def org(self, doc: Doc, oid: str) -> dict[str, Any]:
        """The organization `oid`."""
        return self.record(doc, "organizations", id=oid)

    def person(self, doc: Doc, pid: str) -> dict[str, Any]:
        """The person `pid`."""
        return self.record(doc, "people", id=pid)

    def post(self, doc: Doc, org: str, role: str, holder: str | None = None) -> dict[str, Any]:
        """The post `role` of `org` (held by `holder`, if given)."""
        match = {"org": org, "role": role}
        if holder is not None:
            match["holder"] = holder
        return self.record(doc, "posts", **match)

    @staticmethod
    def remove(doc: Doc, key: str, **match: Any) -> int:
        """Remove the records of `key` whose fields equal `match`; return how many."""
        items = doc.get(key, [])
        keep = [r for r in items if not all(r.get(k) == v for k, v in match.items())]
        doc[key] = keep
        return len(items) - len(keep)

    # -- whole organizations -------------------------------------------------------------------

    def add_member(
        self,
        doc: Doc,
        pid: str,
        group: str,
        *,
        status: str = "full",
        categories: Iterable[str] = (),
        community: str | None = "C1",
    ) -> None:
        """Add a member, registered at `community` (if given) and filed into `group`."""
        self.add(doc, "people", _member(pid, f"党员{pid}", status, *categories))
        if community is not None:
            self.add(doc, "registrations", {"person": pid, "community": community})
        self.add(doc, "filings", {"person": pid, "org": group})

    def add_branch(
        self,
        doc: Doc,
        bid: str,
        *,
        full: int = 3,
        probationary: int = 0,
        committee_members: int | None = None,
        deputies: int = 0,
        kind: str | None = None,
        units: Iterable[str] | None = None,
        ends: str | None = None,
        term_start: str | None = None,
        parent: str = "C1",
        first_secretary: bool = True,
        grid_leaders: int = 2,
        committee_threshold: int = 7,
    ) -> None:
        """Add a clean branch `bid` under `parent`, with one group and one zone.

        Members ``{bid}P1...`` (the `full` ones first) are registered at C1 and filed into
        ``{bid}G1``; ``{bid}P1`` is secretary, group leader and claims ``{bid}Z1``. The
        next full members hold `deputies` deputy secretary posts, then
        `committee_members` committee member posts (default: 2 when `full` reaches
        `committee_threshold`, else none). A grid branch (kind ``None`` or ``grid``) gets
        P1 as first secretary (appointed by S1, unless `first_secretary` is false) and
        `grid_leaders` of P1, P2 (no cooperative: GG305 and GG306 do not apply).
        """
        if committee_members is None:
            committee_members = 2 if full >= committee_threshold else 0
        elected = 1 + deputies + committee_members
        assert elected <= max(full, 1), "not enough full members for the elected posts"
        org: dict[str, Any] = {"id": bid, "level": "branch", "name": f"{bid}支部", "parent": parent}
        if kind is not None:
            org["kind"] = kind
        if units is not None:
            org["units"] = list(units)
        if ends is not None:
            org["ends"] = ends
        if term_start is not None:
            org["term_start"] = term_start
        group, zone = f"{bid}G1", f"{bid}Z1"
        self.add(
            doc,
            "organizations",
            org,
            {"id": group, "level": "group", "name": f"{bid}党小组", "parent": bid},
            {
                "id": zone,
                "level": "zone",
                "name": f"{bid}责任区",
                "parent": group,
                "households": [f"{bid}H1"],
            },
        )
        people = [f"{bid}P{i}" for i in range(1, full + probationary + 1)]
        for i, pid in enumerate(people):
            self.add_member(doc, pid, group, status="full" if i < full else "probationary")
        secretary = people[0] if people else "PC"
        self.add(
            doc,
            "posts",
            {"org": bid, "role": "secretary", "holder": secretary},
            *(
                {"org": bid, "role": "deputy_secretary", "holder": people[1 + i]}
                for i in range(deputies)
            ),
            *(
                {"org": bid, "role": "committee_member", "holder": people[1 + deputies + i]}
                for i in range(committee_members)
            ),
        )
        if people:
            self.add(doc, "posts", {"org": group, "role": "group_leader", "holder": people[0]})
            self.add(doc, "claims", {"person": people[0], "zone": zone})
        else:  # a zone needs a claimant filed in its group: PC is filed nowhere else
            self.add(doc, "filings", {"person": "PC", "org": group})
            self.add(doc, "posts", {"org": group, "role": "group_leader", "holder": "PC"})
            self.add(doc, "claims", {"person": "PC", "zone": zone})
        if kind in (None, "grid"):
            if first_secretary:
                self.add(
                    doc,
                    "posts",
                    {
                        "org": bid,
                        "role": "first_secretary",
                        "holder": "P1",
                        "appointed_by": "S1",
                    },
                )
            for holder in ("P1", "P2")[:grid_leaders]:
                self.add(doc, "posts", {"org": bid, "role": "grid_leader", "holder": holder})

    def add_zone(self, doc: Doc, zid: str, group: str, claimant: str, *households: str) -> int:
        """Add a zone under `group` claimed by `claimant`; return the claim's position."""
        zone: dict[str, Any] = {"id": zid, "level": "zone", "name": f"{zid}责任区", "parent": group}
        if households:
            zone["households"] = list(households)
        self.add(doc, "organizations", zone)
        return self.add(doc, "claims", {"person": claimant, "zone": zid})


@pytest.fixture(scope="session")
def kit() -> DocKit:
    """The document kit (stateless, shared)."""
    return DocKit()
