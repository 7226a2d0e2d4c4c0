"""A host service: keeps a jurisdiction in SQLite and publishes every change over Redis.

    python examples/service/host.py --store sqlite:///host.db --bus redis://127.0.0.1:6379/0

The first run imports ``examples/junhe.json`` (Junhe street) as stream ``S1``. Each run
then relocates a member: transfers them to another group of their branch, releases the
zone they claimed in the old group and claims one in the new group, as one batch of
events, validated, appended with the version it was decided on, and published. (The
everyday-operations issue adds ``Jurisdiction.relocate_member`` for this; here the
three events are spelled out.) A change that would bring a new rule error is refused.

Without ``--bus`` nothing is published; ``--store`` defaults to ``$GRIDGOV_STORE``, else
``sqlite:///gridgov.db``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import gridgov
from gridgov.model import Claim, MemberTransferred, ZoneClaimed, ZoneReleased

HERE = Path(__file__).resolve().parent
STREAM = "S1"


def relocation(j: gridgov.Jurisdiction) -> list[gridgov.Event]:
    """The events that move one member (who holds no post) to a sibling group.

    The member gives up a zone someone else also claims, so the zone stays covered, and
    claims a zone of the new group.
    """
    holders = {post.holder for post in j.posts.values()}
    for (person, zone), _ in sorted(j.claims.items()):
        group = j.filed_in(person)
        if person in holders or group is None or j.organizations[zone].parent != group:
            continue
        if len(j.claimants(zone)) < 2:
            continue
        branch = j.organizations[group].parent
        for sibling in j.graph.children(branch) if branch else ():
            zones = [z for z in j.graph.children(sibling) if (person, z) not in j.claims]
            if sibling != group and zones:
                return [
                    MemberTransferred(person, sibling),
                    ZoneReleased(person, zone),
                    ZoneClaimed(Claim(person, zones[0])),
                ]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="the event store URL (default: $GRIDGOV_STORE)")
    parser.add_argument("--bus", help="the message bus URL, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--actor", default="junhe-admin", help="who makes the change")
    args = parser.parse_args()
    with gridgov.Service(args.store, args.bus, actor=args.actor, refuse="error") as service:
        if service.store.version(STREAM) == 0:
            junhe = gridgov.load(HERE.parent / "junhe.json")
            out = service.import_jurisdiction(STREAM, junhe)
            print(f"imported Junhe street as stream {STREAM}: version {out.version}")
        j = service.open(STREAM)
        events = relocation(j)
        out = service.execute(STREAM, events, expected_version=j.version)
        for env in out.envelopes:
            print(f"stored {env.stream} v{env.version} at position {env.position}: {env.topic}")
        print(f"new findings: {len(out.introduced)}; published: {out.published}")


if __name__ == "__main__":
    main()
