"""Posts: secretaries, committees, group leaders, first secretaries, grid leaders."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov.allocation.filing import file_members
from gridgov.allocation.generate import CADRE_STREET, generate
from gridgov.allocation.grids import draw_grids
from gridgov.allocation.posts import propose_posts
from gridgov.allocation.presets import PRESETS, spec_for
from gridgov.errors import InvalidValueError
from gridgov.model import Policy


def _posts(preset: str | None = None, *, policy: Policy | None = None, **kw: object):  # type: ignore[no-untyped-def]
    spec = spec_for(preset, **kw)
    d = generate(spec, 0)
    g = draw_grids(d, mode="derive", policy=policy)
    filed = file_members(d, g)
    return d, g, filed, propose_posts(d, g, filed, policy=policy)


def test_secretaries_are_full_members_of_their_branch() -> None:
    d, g, filed, p = _posts(None, communities=3, members=300, households=1000)
    assert (p.branch_secretary >= 0).all()
    assert d.member_full[p.branch_secretary].all()
    assert np.array_equal(g.group_branch[filed[p.branch_secretary]], np.arange(g.n_branches))


def test_committees_where_full_members_require_one() -> None:
    d, g, filed, p = _posts(None, communities=3, members=300, households=1000)
    full = np.bincount(g.group_branch[filed[d.member_full]], minlength=g.n_branches)
    has = (p.branch_committee >= 0).any(axis=1)
    assert np.array_equal(has, full >= 7)
    for b in np.flatnonzero(has).tolist():
        row = p.branch_committee[b]
        assert len(set(row.tolist())) == 3
        assert p.branch_secretary[b] not in row
        assert d.member_full[row].all()


def test_group_leaders_are_filed_in_their_group() -> None:
    _d, g, filed, p = _posts(None, communities=3, members=300, households=1000)
    assert np.array_equal(filed[p.group_leader], np.arange(g.n_groups))


def test_first_secretaries_are_street_cadres_of_the_street_load_balanced() -> None:
    d, g, _filed, p = _posts(
        None, streets=2, communities=4, members=600, households=2000, first_secretaries=True
    )
    fs = p.branch_first_secretary
    assert (d.cadre_kind[fs] == CADRE_STREET).all()
    assert np.array_equal(d.cadre_street[fs], d.community_street[g.branch_community])
    load = np.bincount(fs)
    assert load[load > 0].max() - load[load > 0].min() <= 1
    assert load.max() <= d.spec.max_grids_per_cadre


def test_too_few_cadres_is_refused_naming_the_limit() -> None:
    with pytest.raises(InvalidValueError) as info:
        _posts(
            None,
            communities=2,
            members=400,
            households=1500,
            cadres_per_street=2,
            max_grids_per_cadre=1,
            first_secretaries=True,
        )
    assert info.value.field == "max_grids_per_cadre"


def test_without_the_practice_no_first_secretaries_nor_cadre_limit() -> None:
    # the same district as above, but outside Junhe's practice: no cadre serves a grid
    _d, _g, _filed, p = _posts(
        None,
        communities=2,
        members=400,
        households=1500,
        cadres_per_street=2,
        max_grids_per_cadre=1,
    )
    assert (p.branch_first_secretary == -1).all()
    assert (p.branch_head_leader == -1).all()


def test_the_policy_decides_the_practice_over_the_spec() -> None:
    on = Policy(first_secretary_practice=True)
    _d, _g, _filed, p = _posts(None, policy=on, communities=2, members=200, households=800)
    assert (p.branch_first_secretary >= 0).all()
    off = Policy(first_secretary_practice=False)
    _d, _g, _filed, p = _posts("junhe", policy=off)
    assert (p.branch_first_secretary == -1).all()
    assert (p.branch_head_leader == -1).all()


def test_cadre_limit_spreads_grids() -> None:
    _d, _g, _filed, p = _posts(
        None,
        communities=2,
        members=400,
        households=1500,
        cadres_per_street=5,
        max_grids_per_cadre=3,
        first_secretaries=True,
    )
    assert np.bincount(p.branch_first_secretary).max() <= 3


def test_cooperative_heads_lead_cooperative_grids() -> None:
    _d, g, _filed, p = _posts("junhe")
    linked = g.branch_cooperative >= 0
    assert np.array_equal(p.branch_head_leader[linked], g.branch_cooperative[linked])
    assert (p.branch_head_leader[~linked] == -1).all()


def test_service_team_captains_follow_the_spec() -> None:
    _d, g, filed, p = _posts(None, communities=3, members=600, households=2000, service_teams=5)
    teamed = np.flatnonzero(p.branch_captain >= 0)
    captains = p.branch_captain[teamed]
    assert len(captains) == 5
    assert not set(captains.tolist()) & set(p.branch_secretary.tolist())
    # each team: its captain and four more members of the branch, all different
    for b in teamed.tolist():
        team = [int(p.branch_captain[b]), *p.branch_team[b].tolist()]
        assert len(set(team)) == len(team) == 5
        assert (g.group_branch[filed[team]] == b).all()
    assert (p.branch_team[p.branch_captain < 0] == -1).all()


def test_committee_size_follows_policy() -> None:
    policy = Policy(committee_min_size=4, committee_max_size=6)
    _d, _g, _filed, p = _posts(None, policy=policy, communities=2, members=200, households=800)
    has = (p.branch_committee >= 0).any(axis=1)
    assert ((p.branch_committee[has] >= 0).sum(axis=1) == 4).all()


def test_presets_have_posts_for_every_grid() -> None:
    d, _g, _filed, p = _posts("junhe")
    assert (p.branch_first_secretary >= 0).all()
    assert d.member_full[p.branch_secretary].all()
    assert len(PRESETS) == 5
