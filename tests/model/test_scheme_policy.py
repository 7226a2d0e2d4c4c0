"""Schemes (levels as data) and policy (thresholds as data)."""

from __future__ import annotations

import attrs
import pytest

from gridgov.errors import InvalidValueError, PolicyError
from gridgov.model import FIVE_LEVEL, SCHEMES, THREE_LEVEL, Policy, Scheme


class TestScheme:
    def test_presets(self) -> None:
        assert set(SCHEMES) == {"five-level", "three-level"}
        assert Scheme.preset("five-level") is FIVE_LEVEL
        assert Scheme.preset("three-level") is THREE_LEVEL
        assert FIVE_LEVEL.levels == ("street", "community", "branch", "group", "zone")
        assert (FIVE_LEVEL.filing_level, FIVE_LEVEL.zone_level, FIVE_LEVEL.branch_level) == (
            "group",
            "zone",
            "branch",
        )
        assert THREE_LEVEL.levels == ("community", "grid", "member_household")
        assert (THREE_LEVEL.filing_level, THREE_LEVEL.zone_level) == ("grid", "member_household")
        assert THREE_LEVEL.branch_level is None

    @pytest.mark.parametrize("name", ["nine-level", "", 5, None])
    def test_unknown_preset(self, name: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            Scheme.preset(name)  # type: ignore[arg-type]
        assert info.value.field == "scheme"
        assert info.value.value == name
        assert "five-level" in str(info.value)
        assert str(info.value).startswith("scheme: ")

    def test_navigation(self) -> None:
        s = FIVE_LEVEL
        assert s.top == "street"
        assert [s.depth(level) for level in s.levels] == [0, 1, 2, 3, 4]
        assert s.parent_level("street") is None
        assert s.parent_level("zone") == "group"
        assert s.child_level("street") == "community"
        assert s.child_level("zone") is None
        assert "branch" in s
        assert "grid" not in s
        assert 3 not in s
        assert [s.is_above_filing(level) for level in s.levels] == [True, True, True, False, False]

    @pytest.mark.parametrize("method", ["depth", "parent_level", "child_level", "is_above_filing"])
    def test_unknown_level(self, method: str) -> None:
        with pytest.raises(InvalidValueError) as info:
            getattr(FIVE_LEVEL, method)("town")
        assert info.value.field == "level"
        assert "'town'" in str(info.value)

    def test_inline_scheme(self) -> None:
        s = Scheme(
            ["town", "village", "cooperative"], filing_level="village", zone_level="cooperative"
        )
        assert s.levels == ("town", "village", "cooperative")
        assert s.name is None
        assert s.branch_level is None
        assert s.depth("cooperative") == 2
        same = Scheme(
            ("town", "village", "cooperative"), filing_level="village", zone_level="cooperative"
        )
        assert s == same
        assert hash(s) == hash(same)
        assert s != attrs.evolve(s, zone_level="village")

    @pytest.mark.parametrize(
        ("levels", "kwargs", "field"),
        [
            (["a"], {"filing_level": "a", "zone_level": "a"}, "scheme.levels"),
            ([], {"filing_level": "a", "zone_level": "a"}, "scheme.levels"),
            (["a", "a"], {"filing_level": "a", "zone_level": "a"}, "scheme.levels"),
            (["a", ""], {"filing_level": "a", "zone_level": "a"}, "scheme.levels"),
            (["a", 2], {"filing_level": "a", "zone_level": "a"}, "scheme.levels"),
            ("ab", {"filing_level": "a", "zone_level": "b"}, "scheme.levels"),
            (["a", "b"], {"filing_level": "c", "zone_level": "b"}, "scheme.filing_level"),
            (["a", "b"], {"filing_level": "a", "zone_level": "c"}, "scheme.zone_level"),
            (
                ["a", "b"],
                {"filing_level": "a", "zone_level": "b", "branch_level": "c"},
                "scheme.branch_level",
            ),
            (["a", "b"], {"filing_level": "b", "zone_level": "a"}, "scheme.zone_level"),
        ],
    )
    def test_invalid_schemes(self, levels: object, kwargs: dict[str, str], field: str) -> None:
        with pytest.raises(InvalidValueError) as info:
            Scheme(levels, **kwargs)  # type: ignore[arg-type]
        assert info.value.field == field
        assert str(info.value).startswith(f"{field}: ")


class TestPolicy:
    def test_charter_defaults(self) -> None:
        p = Policy()
        assert (
            p.min_branch_full_members,
            p.max_branch_members,
            p.general_branch_max_members,
            p.committee_threshold,
            p.committee_min_size,
            p.committee_max_size,
            p.committee_hard_max_size,
            p.max_deputy_secretaries,
            p.joint_branch_max_units,
            p.term_years_community,
            p.term_years_other,
            p.max_zones_per_member,
            p.temporary_branch_min_months,
        ) == (3, 50, 100, 7, 3, 5, 7, 1, 5, 5, 3, 3, 6)
        assert p.overrides() == {}
        assert Policy.names()[0] == "min_branch_full_members"
        assert len(Policy.names()) == 14
        assert Policy().first_secretary_practice is True

    def test_replace_and_overrides(self) -> None:
        p = Policy().replace(max_branch_members=60, term_years_other=4)
        assert p.max_branch_members == 60
        assert p.overrides() == {"max_branch_members": 60, "term_years_other": 4}
        assert Policy().max_branch_members == 50
        assert p.replace(max_branch_members=50).overrides() == {"term_years_other": 4}

    def test_from_mapping_with_base(self) -> None:
        base = Policy(committee_threshold=9)
        p = Policy.from_mapping({"max_zones_per_member": 5}, base=base)
        assert p.overrides() == {"committee_threshold": 9, "max_zones_per_member": 5}
        assert Policy.from_mapping({}) == Policy()

    @pytest.mark.parametrize(
        ("settings", "field", "value"),
        [
            ({"max_branch_size": 60}, "policy.max_branch_size", 60),
            ({"max_branch_members": -1}, "policy.max_branch_members", -1),
            ({"max_branch_members": 1.5}, "policy.max_branch_members", 1.5),
            ({"max_branch_members": True}, "policy.max_branch_members", True),
            ({"max_branch_members": "50"}, "policy.max_branch_members", "50"),
            ({"committee_min_size": 6}, "policy.committee_max_size", 5),
            ({"committee_max_size": 8}, "policy.committee_max_size", 8),
        ],
    )
    def test_invalid_settings(self, settings: dict[str, object], field: str, value: object) -> None:
        with pytest.raises(PolicyError) as info:
            Policy.from_mapping(settings)
        exc = info.value
        assert isinstance(exc, InvalidValueError)
        assert exc.field == field
        assert exc.value == value
        assert type(exc.value) is type(value)
        assert str(exc).startswith(f"{field}: ")
        assert str(exc).endswith(f"(got {value!r})")

    def test_unknown_setting_lists_known_ones(self) -> None:
        with pytest.raises(PolicyError, match="known settings are min_branch_full_members"):
            Policy().replace(quorum=3)

    def test_every_unknown_setting_is_named(self) -> None:
        with pytest.raises(PolicyError) as info:
            Policy.from_mapping({"quorum": 3, "max_branch_members": 40, "veto": 1})
        assert info.value.field == "policy"
        assert info.value.value == ["quorum", "veto"]
        assert str(info.value).startswith("policy: unknown policy settings quorum, veto;")
