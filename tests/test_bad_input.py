"""Public operations given values of the wrong type: a GridGovError naming the field, no change.

Each call below passes one wrong value (None, a number, a list, a dict, bytes, ...) to one
argument of a public operation. The operation must raise a :class:`GridGovError` (never a
bare ``TypeError`` or ``AttributeError``) and leave the jurisdiction exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridgov import GridGovError, Jurisdiction, dump, dumps, load, loads, summarize, validate


def base() -> Jurisdiction:
    j = Jurisdiction()
    j.found_org("S1", "street", "S")
    j.found_org("C1", "community", "C", parent="S1")
    j.found_org("B1", "branch", "B", parent="C1")
    j.found_org("G1", "group", "G", parent="B1")
    j.found_org("Z1", "zone", "Z", parent="G1")
    j.add_person("P1", "A", status="full")
    j.add_household("H1")
    j.add_cooperative("EC1", "E")
    return j


BAD = [5, None, -1, ["x"], {"a": 1}, "nope", 1.5, True, b"S1", ("S1",)]

CALLS: dict[str, Callable[[Jurisdiction, Any], object]] = {
    "found_org_id": lambda j, v: j.found_org(v, "community", "x", parent="S1"),
    "found_org_level": lambda j, v: j.found_org("N1", v, "x", parent="S1"),
    "found_org_name": lambda j, v: j.found_org("N1", "community", v, parent="S1"),
    "found_org_parent": lambda j, v: j.found_org("N1", "community", "x", parent=v),
    "found_org_kind": lambda j, v: j.found_org("N1", "community", "x", parent="S1", kind=v),
    "found_org_units": lambda j, v: j.found_org("N1", "community", "x", parent="S1", units=v),
    "found_org_formed": lambda j, v: j.found_org("N1", "community", "x", parent="S1", formed=v),
    "found_org_coop": lambda j, v: j.found_org("N1", "community", "x", parent="S1", cooperative=v),
    "amend_org_org": lambda j, v: j.amend_org(v, name="x"),
    "amend_org_val": lambda j, v: j.amend_org("B1", kind=v),
    "amend_org_units": lambda j, v: j.amend_org("B1", units=v),
    "rename_org": lambda j, v: j.rename_org("B1", v),
    "rename_org_org": lambda j, v: j.rename_org(v, "x"),
    "move_org": lambda j, v: j.move_org("B1", v),
    "move_org_org": lambda j, v: j.move_org(v, "C1"),
    "dissolve_org": lambda j, v: j.dissolve_org(v),
    "add_household": lambda j, v: j.add_household(v),
    "add_household_loc": lambda j, v: j.add_household("H9", location=v),
    "add_household_building": lambda j, v: j.add_household("H9", building=v),
    "assign_household_hh": lambda j, v: j.assign_household(v, "Z1"),
    "assign_household_zone": lambda j, v: j.assign_household("H1", v),
    "add_person_id": lambda j, v: j.add_person(v, "n"),
    "add_person_name": lambda j, v: j.add_person("P9", v),
    "add_person_status": lambda j, v: j.add_person("P9", "n", status=v),
    "add_person_categories": lambda j, v: j.add_person("P9", "n", status="full", categories=v),
    "add_person_joined": lambda j, v: j.add_person("P9", "n", status="full", joined=v),
    "add_person_household": lambda j, v: j.add_person("P9", "n", household=v),
    "add_person_affil": lambda j, v: j.add_person("P9", "n", status="full", affiliation=v),
    "amend_person": lambda j, v: j.amend_person(v, name="x"),
    "amend_person_party": lambda j, v: j.amend_person("P1", party=v),
    "remove_person": lambda j, v: j.remove_person(v),
    "add_coop": lambda j, v: j.add_cooperative(v, "x"),
    "add_coop_head": lambda j, v: j.add_cooperative("EC9", "x", head=v),
    "add_coop_comm": lambda j, v: j.add_cooperative("EC9", "x", community=v),
    "amend_coop": lambda j, v: j.amend_cooperative(v, name="x"),
    "register_p": lambda j, v: j.register(v, "C1"),
    "register_c": lambda j, v: j.register("P1", v),
    "register_d": lambda j, v: j.register("P1", "C1", v),
    "deregister": lambda j, v: j.deregister(v),
    "file_p": lambda j, v: j.file_member(v, "G1"),
    "file_o": lambda j, v: j.file_member("P1", v),
    "unfile": lambda j, v: j.unfile_member(v),
    "transfer": lambda j, v: j.transfer_member("P1", v),
    "claim_p": lambda j, v: j.claim_zone(v, "Z1"),
    "claim_z": lambda j, v: j.claim_zone("P1", v),
    "release": lambda j, v: j.release_zone("P1", v),
    "appoint_org": lambda j, v: j.appoint(v, "secretary", "P1"),
    "appoint_role": lambda j, v: j.appoint("B1", v, "P1"),
    "appoint_holder": lambda j, v: j.appoint("B1", "secretary", v),
    "appoint_by": lambda j, v: j.appoint("B1", "secretary", "P1", appointed_by=v),
    "appoint_since": lambda j, v: j.appoint("B1", "secretary", "P1", since=v),
    "appoint_duty": lambda j, v: j.appoint("B1", "committee_member", "P1", duty=v),
    "vacate_role": lambda j, v: j.vacate("B1", v, "P1"),
    "vacate_org": lambda j, v: j.vacate(v, "secretary", "P1"),
    "set_policy_val": lambda j, v: j.set_policy(max_branch_members=v),
    "set_policy_pol": lambda j, v: j.set_policy(v),
    "set_as_of": lambda j, v: j.set_as_of(v),
    "members": lambda j, v: j.members(v),
    "filed_in": lambda j, v: j.filed_in(v),
    "households_in": lambda j, v: j.households_in(v),
    "posts_in": lambda j, v: j.posts_in("B1", v),
    "graph_parent": lambda j, v: j.graph.parent(v),
    "graph_at_level": lambda j, v: j.graph.at_level(v),
    "graph_subtree": lambda j, v: j.graph.subtree(v),
    "apply": lambda j, v: j.apply(v),
    "apply_all": lambda j, v: j.apply_all(v),
    "replay": lambda j, v: Jurisdiction.replay(v),
    "Jurisdiction_scheme": lambda j, v: Jurisdiction(v),
    "validate": lambda j, v: validate(j, select=v),
    "validate_ignore": lambda j, v: validate(j, ignore=v),
    "validate_policy": lambda j, v: validate(j, policy=v),
    "load": lambda j, v: load(v),
    "loads": lambda j, v: loads(v),
    "dump": lambda j, v: dump(v),
    "summarize": lambda j, v: summarize(v),
}


@pytest.mark.parametrize("value", BAD, ids=repr)
@pytest.mark.parametrize("name", list(CALLS))
def test_wrong_values_raise_a_gridgov_error_and_change_nothing(name: str, value: Any) -> None:
    """Either the value is acceptable (some are: a name "nope", no as-of date) or the call
    raises a GridGovError whose message names the field, and nothing changed."""
    j = base()
    before, version = dumps(j), j.version
    refused: GridGovError | None = None
    try:
        CALLS[name](j, value)
    except GridGovError as exc:
        refused = exc
    if refused is not None:
        field = getattr(refused, "field", None)
        assert field is None or str(refused).startswith(f"{field}: ")
        assert dumps(j) == before
        assert j.version == version
