"""The id schemes: ULIDs sort by time; administrative codes extend their parents'."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gridgov import plugins
from gridgov.adapters.ids import AdminCodes, UlidIds, check_code, check_codes, check_county
from gridgov.errors import DocumentError, InvalidValueError, PluginError
from gridgov.model import Jurisdiction, Scheme, Taken


def nothing_taken() -> Taken:
    return Taken(lambda i: False)


# -- ULIDs ---------------------------------------------------------------------------------


def test_ulids_sort_by_time() -> None:
    times = [1_600_000_000.0 + 0.001 * k for k in (5, 1, 9, 3)]
    made = {}
    for t in times:  # a new factory (another process) each time: no memo to lean on
        made[t] = UlidIds(clock=lambda t=t: t)("person", None, nothing_taken())
    assert sorted(made.values()) == [made[t] for t in sorted(times)]
    assert all(len(u) == 26 for u in made.values())


def test_ulids_made_together_stay_in_order_and_unique() -> None:
    ids = UlidIds(clock=lambda: 1_700_000_000.0)  # the same millisecond every time
    taken = nothing_taken()
    made = [ids("person", None, taken) for _ in range(200)]
    assert made == sorted(made)
    assert len(set(made)) == 200


def test_a_ulid_that_is_taken_is_skipped() -> None:
    first = UlidIds(clock=lambda: 1_700_000_000.0)("person", None, nothing_taken())
    again = UlidIds(clock=lambda: 1_700_000_000.0)
    taken = Taken(lambda i: i <= first)
    assert again("person", None, taken) > first


def test_the_ulid_scheme_is_turned_on_by_name() -> None:
    pm = plugins.new_plugin_manager(autoload=False, ids="ulid")
    j = Jurisdiction(ids=plugins.id_factory(pm))
    street = j.found_org(None, "street", "均禾街党工委").org.id
    person = j.add_person(None, "李四").person.id
    assert len(street) == len(person) == 26
    assert street < person
    default = Jurisdiction(ids=plugins.id_factory(plugins.new_plugin_manager(autoload=False)))
    assert default.found_org(None, "street", "S").org.id == "S1"  # sequential by default


def test_the_id_scheme_from_the_environment() -> None:
    code = (
        "from gridgov import plugins\n"
        "from gridgov.model import Jurisdiction\n"
        "j = Jurisdiction(ids=plugins.id_factory())\n"
        "print(len(j.add_person(None, 'A').person.id))\n"
    )
    env = {**os.environ, "GRIDGOV_IDS": "ulid", "GRIDGOV_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "26"


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(PluginError, match="unknown id scheme 'uuid'"):
        plugins.new_plugin_manager(autoload=False, ids="uuid")


# -- administrative codes ------------------------------------------------------------------


def test_codes_extend_the_parents_code_level_by_level() -> None:
    j = Jurisdiction(ids=AdminCodes(base="440103"))
    s = j.found_org(None, "street", "沙面街党工委").org.id
    c1 = j.found_org(None, "community", "沙面社区党委", parent=s).org.id
    c2 = j.found_org(None, "community", "南站社区党委", parent=s).org.id
    b = j.found_org(None, "branch", "第一网格党支部", parent=c2).org.id
    g = j.found_org(None, "group", "第一党小组", parent=b).org.id
    z = j.found_org(None, "zone", "1-3栋", parent=g).org.id
    assert (s, c1, c2) == ("440103001", "440103001001", "440103001002")
    assert (b, g, z) == ("440103001002001", "44010300100200101", "44010300100200101001")
    assert j.add_person(None, "李四").person.id == "P1"  # people keep sequential ids
    check_codes(j)


def test_a_three_level_village_starts_from_its_street() -> None:
    j = Jurisdiction(Scheme.preset("three-level"), ids=AdminCodes(base="440605108"))
    village = j.found_org(None, "community", "爱国社区党委").org.id
    grid = j.found_org(None, "grid", "第一经济社网格", parent=village).org.id
    assert (village, grid) == ("440605108001", "440605108001001")


def test_given_codes_are_validated() -> None:
    check_code("community", "440103001001", parent="440103001")
    for kind, code, parent, fragment in (
        ("community", "440103002001", "440103001", "must extend its parent's code '440103001'"),
        ("community", "4401030010011", "440103001", "by 3 digits"),
        ("group", "4401030010010011", "440103001001001", "by 2 digits"),
        ("street", "990103001", None, "'99' is not a province code"),
        ("street", "440100001", None, "a city, not a county"),
        ("street", "44010300", None, "9 digits"),
        ("street", "440103000", None, "own 3 digits are all zero"),
        ("community", "440103001", None, "12 digits"),
        ("branch", "44010300100A", None, "made of digits"),
    ):
        with pytest.raises(InvalidValueError) as info:
            check_code(kind, code, parent=parent)
        assert info.value.field == "org.id"
        assert fragment in str(info.value), (kind, code, str(info.value))
    with pytest.raises(InvalidValueError, match="the administrative codes know the levels"):
        check_code("ward", "1")


def test_check_codes_lists_every_organization_that_does_not_fit() -> None:
    j = Jurisdiction()
    j.found_org("440103001", "street", "沙面街党工委")
    j.found_org("440104001001", "community", "某社区", parent="440103001")
    j.found_org("C2", "community", "某社区", parent="440103001")
    with pytest.raises(DocumentError) as info:
        check_codes(j)
    assert [p.path for p in info.value.problems] == [
        "organizations.440104001001",
        "organizations.C2",
    ]


def test_the_root_needs_its_code_or_a_base() -> None:
    with pytest.raises(InvalidValueError, match="give the street its code"):
        Jurisdiction(ids=AdminCodes()).found_org(None, "street", "S")
    for bad in ("44010", "990103", "4401030011", 440103):
        with pytest.raises(InvalidValueError):
            AdminCodes(base=bad)  # type: ignore[arg-type]
    assert check_county("440103") == "440103"


def test_a_parent_that_is_not_a_code_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="not an administrative code"):
        AdminCodes().make("community", "S1", nothing_taken())


def test_serials_run_out() -> None:
    taken = Taken(lambda i: i.startswith("440103001001001") and len(i) == 17)
    with pytest.raises(InvalidValueError, match="every 2-digit group code under it is taken"):
        AdminCodes().make("group", "440103001001001", taken)


def test_the_admin_scheme_as_a_plugin() -> None:
    pm = plugins.new_plugin_manager(autoload=False, ids="admin")
    j = Jurisdiction(ids=plugins.id_factory(pm))
    j.found_org("440103001", "street", "沙面街党工委")
    assert j.found_org(None, "community", "C", parent="440103001").org.id == "440103001001"
    assert j.add_person(None, "李四").person.id == "P1"
    host = plugins.new_plugin_manager(autoload=False)
    host.register(AdminCodes(base="440115"), "host-ids")  # 南沙区
    k = Jurisdiction(ids=plugins.id_factory(host))
    assert k.found_org(None, "street", "南沙街道党工委").org.id == "440115001"
    assert repr(AdminCodes(base="440115")) == "AdminCodes(base='440115')"
