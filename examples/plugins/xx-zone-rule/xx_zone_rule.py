"""An example gridgov plugin: a zone rule with its own setting, and hierarchical ids.

A host's plugin is a module with functions marked ``@gridgov.hookimpl`` whose names are
hook names (:mod:`gridgov.plugins`). This one is declared in its package's
``pyproject.toml``::

    [project.entry-points.gridgov]
    xx-zone-rule = "xx_zone_rule"

and contributes, through three hooks:

- ``gridgov_rules``: the rule XX201 ``zone-households`` (warning): a member
  responsibility zone (党员责任区) holds fewer households than the setting says;
- ``gridgov_policy_defaults``: the setting ``xx_min_households`` (default 1), accepted
  wherever gridgov takes settings (``--policy`` files, ``[tool.gridgov.policy]``, a
  document's ``policy``, ``gridgov.validate(policy=...)``);
- ``gridgov_make_id``: hierarchical codes for the branches, groups and zones gridgov
  creates without an id (``C1-B01``, ``C1-B01-G01``, ``C1-B01-G01-Z01``); every other
  record keeps the built-in sequential ids.

Examples
--------
>>> [rule.code for rule in gridgov_rules()], gridgov_policy_defaults()
(['XX201'], {'xx_min_households': 1})
>>> taken = gridgov.Taken(lambda i: i == "C1-B01")
>>> gridgov_make_id("branch", "C1", taken), gridgov_make_id("person", None, taken)
('C1-B02', None)
"""

import gridgov
from gridgov.rules import Rule

__all__ = ["gridgov_make_id", "gridgov_policy_defaults", "gridgov_rules", "zone_households"]


def zone_households(ctx, subjects):
    """A zone must hold at least `xx_min_households` households.

    ## What it does
    Finds member responsibility zones (党员责任区) that hold fewer than
    `xx_min_households` households (default 1): a zone nobody lives in, or one drawn too
    small.

    ## Why it matters
    A zone is the households one member answers for: zones are drawn near the members'
    homes (就近划分党员责任区) so that every household has a member responsible for it.
    A zone without households gives its claimant nothing to answer for, and usually
    means that the households were put in a neighbouring zone or never assigned.

    ## Example
    A zone `Z1` with an empty `households` list, under the default setting:

        {"id": "Z1", "level": "zone", "name": "1-3栋", "parent": "G1", "households": []}

    ## Fix
    Put the zone's households in it (`j.assign_household(...)`), merge it into a
    neighbouring zone, or lower `xx_min_households` in the policy.
    """
    least = ctx.policy.get("xx_min_households")
    for zone in subjects:
        n = len(ctx.jurisdiction.households_in(zone))
        if n < least:
            yield ctx.diagnostic("XX201", f"zone {zone!r} has {n} households", (zone,))


@gridgov.hookimpl
def gridgov_rules():
    """Contribute the rule XX201.

    Returns
    -------
    list of Rule
        XX201 ``zone-households``: it looks at the organizations of the ``zone`` level
        and reads their households, the organizations and the policy, so that
        incremental validation re-checks a zone when a household moves in or out of it,
        and every zone when the policy changes.
    """
    return [Rule("XX201", "zone-households", "W", "a zone has too few households",
                 zone_households, subject="org", levels=("zone",),
                 reads=("households", "organizations", "policy"))]  # fmt: skip


@gridgov.hookimpl
def gridgov_policy_defaults():
    """Contribute the setting ``xx_min_households``.

    Returns
    -------
    dict of str to int
        The setting's default: a zone needs at least one household. A plain default
        makes an integer setting bounded by ``±gridgov.model.MAX_SETTING``; declare a
        :class:`gridgov.Setting` instead to give it bounds and a one-line doc.
    """
    return {"xx_min_households": 1}


_CODES = {"branch": "B", "group": "G", "zone": "Z"}
"""The levels this scheme names, with the letter of their codes."""


@gridgov.hookimpl
def gridgov_make_id(kind, parent, taken):
    """Make a hierarchical code: the parent's id, a dash, a letter and a number.

    Parameters
    ----------
    kind : str
        The level of the new organization, or ``"person"``, ``"household"``,
        ``"cooperative"``.
    parent : str or None
        The id of the organization the new one sits under.
    taken : gridgov.Taken
        ``taken(id)`` tells whether `id` is used; ``taken.memo`` keeps this scheme's
        counters (one per parent and level, under the key ``"xx_zone_rule"``).

    Returns
    -------
    str or None
        For a branch, group or zone with a parent: ``{parent}-B01``, ``{parent}-G01``,
        ``{parent}-Z01``, numbered from where this parent's last code was made, past the
        codes already taken (a code made for a command that was then refused is made
        again next time). ``None`` for anything else, so that the next scheme (the
        built-in sequential ids) makes it.

    Examples
    --------
    >>> taken = gridgov.Taken(lambda i: False)
    >>> gridgov_make_id("group", "C1-B01", taken), gridgov_make_id("street", None, taken)
    ('C1-B01-G01', None)
    """
    letter = _CODES.get(kind)
    if letter is None or parent is None:
        return None
    counters = taken.memo.setdefault("xx_zone_rule", {})
    n = counters.get((parent, letter), 1)
    while taken(f"{parent}-{letter}{n:02d}"):
        n += 1
    counters[(parent, letter)] = n
    return f"{parent}-{letter}{n:02d}"
