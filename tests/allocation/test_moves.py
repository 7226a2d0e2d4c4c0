"""gridgov.churn: moves as data or drawn, applied to any jurisdiction as events, all or none.

Given moves on the loaded example; an influx of 30 % into a derive-mode simulation that
needs new branches (none over the cap after, no error-level finding); a group too big
to move as a whole split along its zones; bad moves refused naming the row and field
with nothing changed; a failure during re-allocation rolled back; the same seed, the
same churn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import gridgov
from gridgov import Jurisdiction, Move, churn, moves
from gridgov.allocation import simulate
from gridgov.errors import (
    DuplicateIdError,
    GridGovError,
    InvalidValueError,
    StateError,
    UnknownReferenceError,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

Errors = Callable[[Any], list[str]]


def example() -> Jurisdiction:
    return gridgov.load(EXAMPLES / "junhe.json")


def test_given_moves_on_a_loaded_jurisdiction(errors: Errors) -> None:
    j = example()
    assert errors(j) == []
    before = j.copy()
    secretary = j.posts_in("B2", "secretary")[0].holder  # also QH2's branch secretary
    claimer = j.claimants("Z13")[0]
    out = churn(
        j,
        [
            Move("leave", secretary),
            {"kind": "leave", "person": claimer},
            {"kind": "join", "person": "P900", "name": "王五", "household": "H40"},
            {"kind": "move", "person": "P21", "household": "H1"},
        ],
        date="2024-06-01",
    )
    assert (out.report.left, out.report.joined, out.report.moved) == (2, 1, 1)
    assert secretary not in j.people
    assert j.cooperatives["QH2"].branch_secretary is None
    assert any("QH2" in note for note in out.report.notes)
    assert claimer not in j.people
    # the newcomer: registered, filed where they live, claiming their home zone
    home_zone = j.zone_of_household["H40"]
    assert j.filed_in("P900") == j.graph.parent(home_zone)
    assert j.registrations["P900"].community == "C2"
    assert home_zone in j.zones_claimed_by("P900")
    # the mover follows their home into another branch
    assert j.filed_in("P21") == j.graph.parent(j.zone_of_household["H1"])
    # the repair: B2 has a secretary again, Z13 a claimant of its group
    (new_secretary,) = j.posts_in("B2", "secretary")
    assert new_secretary.holder != secretary
    assert new_secretary.since is not None
    assert new_secretary.since.isoformat() == "2024-06-01"
    assert j.claimants("Z13")
    # B2 is left with 2 full members: a joint branch now, as GG201 asks
    assert out.report.joint_branches == 1
    assert j.organizations["B2"].kind is gridgov.OrgKind.JOINT
    assert errors(j) == []
    # the events turn the old jurisdiction into the new one
    assert before.apply_all(out.events) == len(out.events)
    assert before == j
    # applied in order: leaves, house moves, joins
    assert [m.kind for m in out.moves] == ["leave", "leave", "move", "join"]
    assert out.moves[3] == Move("join", "P900", household="H40", name="王五")


def test_moves_from_a_dataframe_and_ids_made_for_newcomers() -> None:
    j = example()
    table = pd.DataFrame(
        [
            {"kind": "join", "person": None, "household": "H1", "status": "probationary"},
            {"kind": "move", "person": "P21", "household": "H2", "status": None},
        ]
    )
    out = churn(j, table)
    newcomer = out.moves[-1].person
    assert newcomer is not None
    assert newcomer in j.people
    assert j.people[newcomer].party is not None
    assert j.people[newcomer].party.status.value == "probationary"  # type: ignore[union-attr]
    assert gridgov.frames(j).members.set_index("id").loc[newcomer, "filing"] == j.filed_in(newcomer)


BAD_MOVES: list[tuple[list[Any], type[GridGovError], str]] = [
    ([{"kind": "arrive", "person": "P21"}], InvalidValueError, "moves[0].kind"),
    ([{"person": "P21"}], InvalidValueError, "moves[0].kind"),
    ([{"kind": "leave"}], InvalidValueError, "moves[0].person"),
    ([{"kind": "leave", "person": "P404"}], UnknownReferenceError, "moves[0].person"),
    (
        [{"kind": "move", "person": "P21", "household": "H1"}, {"kind": "leave", "person": "P21"}],
        InvalidValueError,
        "moves[1].person",
    ),
    ([{"kind": "move", "person": "P21"}], InvalidValueError, "moves[0].household"),
    (
        [{"kind": "move", "person": "P21", "household": "H404"}],
        UnknownReferenceError,
        "moves[0].household",
    ),
    ([{"kind": "join", "person": "P21", "household": "H1"}], DuplicateIdError, "moves[0].person"),
    (
        [
            {"kind": "join", "person": "P900", "household": "H1"},
            {"kind": "join", "person": "P900", "household": "H2"},
        ],
        DuplicateIdError,
        "moves[1].person",
    ),
    (
        [{"kind": "join", "household": "H1", "status": "member"}],
        InvalidValueError,
        "moves[0].status",
    ),
    (
        [{"kind": "join", "household": "H1", "categories": ["pilot"]}],
        InvalidValueError,
        "moves[0].categories",
    ),
    ([{"kind": "join", "household": "H1", "age": 3}], InvalidValueError, "moves[0]"),
    (
        [{"kind": "leave", "person": "P21", "household": "H1"}],
        InvalidValueError,
        "moves[0].household",
    ),
    (["leave P21"], InvalidValueError, "moves[0]"),
    ([{"kind": "join", "person": 7, "household": "H1"}], InvalidValueError, "moves[0].person"),
]


@pytest.mark.parametrize(("rows", "error", "field"), BAD_MOVES)
def test_bad_moves_are_refused_naming_row_and_field_and_nothing_changes(
    rows: list[Any], error: type[GridGovError], field: str
) -> None:
    j = example()
    before, version = j.copy(), j.version
    with pytest.raises(error) as info:
        churn(j, rows)
    assert str(info.value).startswith(field + ":"), str(info.value)
    assert j == before
    assert j.version == version


def test_a_bad_row_after_good_ones_refuses_them_all() -> None:
    j = example()
    before, version = j.copy(), j.version
    rows = [
        {"kind": "join", "person": "P901", "household": "H3"},
        {"kind": "move", "person": "P21", "household": "H1"},
        {"kind": "leave", "person": "P404"},
    ]
    with pytest.raises(UnknownReferenceError, match=r"^moves\[2\]\.person: unknown person 'P404'"):
        churn(j, rows)
    assert j == before
    assert j.version == version


def test_a_household_in_no_zone_is_refused() -> None:
    j = example()
    j.add_household("H900")
    version = j.version
    with pytest.raises(StateError, match=r"^moves\[0\]\.household: household 'H900' is in no zone"):
        churn(j, [{"kind": "join", "household": "H900"}])
    assert j.version == version


def test_a_failure_while_re_allocating_leaves_the_jurisdiction_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    j = example()
    before, version, log = j.copy(), j.version, len(j.log)

    def boom(self: Any) -> None:
        raise StateError("repair", "B1", "cannot be repaired")

    monkeypatch.setattr(moves._Run, "repair", boom)
    with pytest.raises(StateError, match="repair"):
        churn(j, rate=0.2, seed=1)
    assert j == before
    assert (j.version, len(j.log)) == (version, log)


def test_the_same_seed_gives_the_same_churn() -> None:
    a, b, c = example(), example(), example()
    out_a = churn(a, rate=0.2, seed=5)
    out_b = churn(b, rate=0.2, seed=5)
    out_c = churn(c, rate=0.2, seed=6)
    assert out_a.moves == out_b.moves
    assert a == b
    assert out_a.moves != out_c.moves
    assert out_a.report.moves == len(out_a.moves) > 0


def test_an_influx_in_derive_mode_forms_branches_under_the_cap(
    errors: Errors, charter: Callable[[Jurisdiction], list[str]]
) -> None:
    r = simulate("junhe", mode="derive", seed=0)
    j = r.jurisdiction
    assert j is not None
    assert errors(j) == []
    cap = j.policy.max_branch_members
    n_branches = len(j.graph.at_level("branch"))
    members = len(j.filings)
    before = j.copy()
    out = churn(j, rate={"join": 0.3}, seed=1, mode="derive")
    assert out.report.joined == round(0.3 * members)
    assert out.report.branches_formed > 0
    assert len(j.graph.at_level("branch")) == n_branches + out.report.branches_formed
    assert out.report.over_cap == 0
    assert max(j.graph.member_count(b) for b in j.graph.at_level("branch")) <= cap
    assert errors(j) == []
    assert charter(j) == []
    # newcomers claim zones
    newcomers = [m.person for m in out.moves]
    assert all(j.zones_claimed_by(p) for p in newcomers if p is not None)
    # a new branch gets the posts the practice needs: those of the branch it came from
    new_branch = next(b for b in j.graph.at_level("branch") if b not in before.graph)
    roles = {p.role.value for p in j.posts_in(new_branch)}
    assert {"secretary", "first_secretary", "grid_leader"} <= roles
    assert before.apply_all(out.events) == len(out.events)
    assert before == j


def test_an_influx_in_given_mode_keeps_the_territory() -> None:
    r = simulate("junhe", mode="derive", seed=0)
    j = r.jurisdiction
    assert j is not None
    n_branches = len(j.graph.at_level("branch"))
    out = churn(j, rate={"join": 0.3}, seed=1)
    assert out.report.branches_formed == 0
    assert len(j.graph.at_level("branch")) == n_branches
    assert out.report.over_cap > 0  # left to GG202
    codes = gridgov.validate(j).count_by_code()
    assert codes.get("GG202") == out.report.over_cap


def small_street() -> Jurisdiction:
    """One branch with one group of four zones, first-secretary practice off."""
    j = Jurisdiction(policy=gridgov.Policy(first_secretary_practice=False, max_branch_members=6))
    for o, lvl, p in [
        ("S1", "street", None),
        ("C1", "community", "S1"),
        ("B1", "branch", "C1"),
        ("G1", "group", "B1"),
    ]:
        j.found_org(o, lvl, o, parent=p)
    for i in range(1, 5):
        j.found_org(f"Z{i}", "zone", f"Z{i}", parent="G1")
        j.add_household(f"H{i}", location=(float(i), 0.0))
        j.assign_household(f"H{i}", f"Z{i}")
    for i in range(1, 5):
        j.add_person(f"P{i}", f"P{i}", status="full", household=f"H{i}")
        j.register(f"P{i}", "C1")
        j.file_member(f"P{i}", "G1")
        j.claim_zone(f"P{i}", f"Z{i}")
    j.appoint("S1", "secretary", "P3")
    j.appoint("C1", "secretary", "P2")
    j.appoint("B1", "secretary", "P1")
    j.appoint("G1", "group_leader", "P1")
    return j


def test_a_group_too_big_is_split_along_its_zones_and_members_follow_their_homes(
    errors: Errors,
) -> None:
    j = small_street()
    assert errors(j) == []
    joins = [{"kind": "join", "household": f"H{1 + i % 4}"} for i in range(6)]
    out = churn(j, joins, mode="derive")
    assert out.report.groups_formed >= 1
    assert out.report.branches_formed >= 1
    assert out.report.over_cap == 0
    for b in j.graph.at_level("branch"):
        assert j.graph.member_count(b) <= 6
    # every member is filed in the group of the zone they live in
    for person in j.filings:
        home = j.people[person].household
        assert home is not None
        assert j.filed_in(person) == j.graph.parent(j.zone_of_household[home])
    assert errors(j) == []


def test_churn_refuses_bad_arguments() -> None:
    j = example()
    version = j.version
    for kwargs, field in [
        ({}, "moves"),
        ({"moves": [], "rate": 0.1}, "rate"),
        ({"moves": "leave"}, "moves"),
        ({"moves": {"kind": "leave"}}, "moves"),
        ({"rate": 1.5}, "rate"),
        ({"rate": {"arrive": 0.1}}, "rate"),
        ({"rate": {"join": -0.1}}, "rate.join"),
        ({"rate": {"leave": 0.6, "move": 0.5}}, "rate"),
        ({"rate": 0.1, "seed": -1}, "seed"),
        ({"rate": 0.1, "mode": "greedy"}, "mode"),
        ({"rate": 0.1, "date": "June"}, "date"),
        ({"rate": 0.1, "claim_home": "yes"}, "claim_home"),
    ]:
        with pytest.raises(InvalidValueError) as info:
            churn(j, **kwargs)
        assert info.value.field == field, kwargs
    assert j.version == version


def test_churn_of_a_simulation_result_says_what_to_pass() -> None:
    r = simulate(None, communities=1, members=20, households=60)
    with pytest.raises(InvalidValueError, match=r"result\.jurisdiction"):
        churn(r, rate=0.1)  # type: ignore[arg-type]


def test_an_empty_list_of_moves_changes_nothing() -> None:
    j = example()
    out = churn(j, [])
    assert out.events == ()
    assert out.report.moves == 0


@pytest.mark.parametrize(
    ("move", "vacant"),
    [
        ({"kind": "leave", "person": "P1"}, [("S1", "secretary")]),
        (
            {"kind": "leave", "person": "P3"},
            [("B1", "commander"), ("B1", "first_secretary"), ("B1", "grid_leader")],
        ),
        ({"kind": "move", "person": "P13", "household": "H40"}, [("C1", "secretary")]),
    ],
    ids=["street-secretary-leaves", "first-secretary-leaves", "community-secretary-moves"],
)
def test_a_post_left_that_churn_does_not_draw_is_named_in_the_notes(
    move: dict[str, str], vacant: list[tuple[str, str]]
) -> None:
    """Appointments above the branch's own posts are left vacant, and said so."""
    j = example()
    person = move["person"]
    held = {(p.org, p.role.value) for p in j.posts_held(person)}
    assert set(vacant) <= held  # the example's posts, as the test assumes them
    out = churn(j, [move], date="2024-06-01")
    notes = [n for n in out.report.notes if n.endswith("to be appointed")]
    for org, role in vacant:
        assert person not in {p.holder for p in j.posts_in(org, role)}
        assert f"{org!r} has one {role} fewer ({person!r} left the post): to be appointed" in notes
    assert len(notes) == len(vacant)


def test_a_newcomer_with_an_empty_name_is_refused() -> None:
    j = example()
    version = j.version
    with pytest.raises(InvalidValueError, match="name"):
        churn(j, [{"kind": "join", "person": "P900", "household": "H40", "name": " "}])
    assert j.version == version
    assert "P900" not in j.people
