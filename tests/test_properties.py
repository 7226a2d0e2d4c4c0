"""Hypothesis properties of the model, the document format and the event converter.

Random *legal* histories come from the public strategies of :mod:`gridgov.testing`:
``jurisdictions(valid=False)`` runs random everyday commands from an empty jurisdiction
(each draws arguments valid at that point, so any exception is a bug), and
:class:`~gridgov.testing.JurisdictionMachine` drives them one step at a time, with
random, mostly illegal, events and batches thrown in, checking that a refused one
changes nothing.

Properties:

1. replaying the log gives an equal jurisdiction (same dump, same orders);
2. the document round trip is lossless: ``load(dump(j)) == j``, ``dump(load(dump(j))) ==
   dump(j)``;
3. every :class:`~gridgov.model.OrgGraph` query agrees with a naive recomputation from
   ``j.organizations`` and ``j.filings``;
4. events round-trip through ``unstructure_event`` / ``structure_event`` (and JSON).
"""

from __future__ import annotations

import json
from random import Random

import hypothesis.strategies as st
from hypothesis import given, settings
from hypothesis.stateful import invariant

from gridgov.converters import structure_event, unstructure_event
from gridgov.io import dump, dumps, load, loads
from gridgov.model import EVENT_TYPES, Event, Jurisdiction
from gridgov.testing import JurisdictionMachine, any_events, jurisdictions
from gridgov.testing._engine import EVENT_STRATEGIES


def histories() -> st.SearchStrategy[Jurisdiction]:
    """What a random legal history leaves: any state the model accepts."""
    return jurisdictions(valid=False)


# -- naive recomputations ----------------------------------------------------------------------


def check_graph(j: Jurisdiction) -> None:
    """Every OrgGraph query against a recomputation from organizations and filings."""
    g = j.graph
    orgs = dict(j.organizations)
    filed: dict[str, list[str]] = {}
    for person, filing in j.filings.items():
        filed.setdefault(filing.org, []).append(person)

    def naive_chain(org: str) -> list[str]:
        out = [org]
        while orgs[out[-1]].parent is not None:
            out.append(orgs[out[-1]].parent)  # type: ignore[arg-type]
        return out

    assert len(g) == len(orgs)
    assert list(g) == list(orgs)
    assert g.roots() == [o for o, v in orgs.items() if v.parent is None]
    assert len(g.roots()) <= 1
    for level in j.scheme.levels:
        assert g.at_level(level) == [o for o, v in orgs.items() if v.level == level]
    assert g.counts() == {
        level: sum(v.level == level for v in orgs.values()) for level in j.scheme.levels
    }
    assert list(g.counts()) == list(j.scheme.levels)
    assert {o: set(m) for o, m in g.filed_members().items()} == {
        o: set(m) for o, m in filed.items()
    }
    assert set(g.nx.edges) == {(v.parent, o) for o, v in orgs.items() if v.parent is not None}
    for org, value in orgs.items():
        assert org in g
        assert g.org(org) == value
        assert g.level(org) == value.level
        assert g.parent(org) == value.parent
        if value.parent is not None:
            assert j.scheme.depth(orgs[value.parent].level) == j.scheme.depth(value.level) - 1
        children = [o for o, v in orgs.items() if v.parent == org]
        assert sorted(g.children(org)) == sorted(children)
        assert len(set(g.children(org))) == len(g.children(org))
        chain = naive_chain(org)
        assert g.chain(org) == chain
        assert g.ancestors(org) == chain[1:]
        sub = [o for o in orgs if org in naive_chain(o)]
        subtree = g.subtree(org)
        assert sorted(subtree) == sorted(sub)
        assert subtree[0] == org
        seen: set[str] = set()
        for node in subtree:  # pre-order: each node after its parent
            assert node == org or orgs[node].parent in seen
            seen.add(node)
        members = [p for o in sub for p in filed.get(o, [])]
        assert sorted(g.members(org)) == sorted(members)
        assert g.member_count(org) == len(members)
        assert sorted(g.direct_members(org)) == sorted(filed.get(org, []))
        attached = {p for (p, o) in j.attachments if o in sub and p not in members}
        filed_first = g.members(org)
        assert j.members(org)[: len(filed_first)] == filed_first
        assert sorted(j.members(org)[len(filed_first) :]) == sorted(attached)


def check_relations(j: Jurisdiction) -> None:
    """The jurisdiction's other indexes against recomputations from its mappings."""
    for zone in j.graph.at_level(j.scheme.zone_level):
        assert sorted(j.households_in(zone)) == sorted(
            h for h, z in j.zone_of_household.items() if z == zone
        )
        assert sorted(j.claimants(zone)) == sorted(p for p, z in j.claims if z == zone)
    for person in j.people:
        assert sorted(j.zones_claimed_by(person)) == sorted(z for p, z in j.claims if p == person)
        assert j.filed_in(person) == (j.filings[person].org if person in j.filings else None)
        assert sorted(p.key for p in j.posts_held(person)) == sorted(
            k for k in j.posts if k[2] == person
        )
    for org in j.organizations:
        assert sorted(j.registered_in(org)) == sorted(
            p for p, r in j.registrations.items() if r.community == org
        )
        assert sorted(p.key for p in j.posts_in(org)) == sorted(k for k in j.posts if k[0] == org)
    for key, post in j.posts.items():
        assert post.key == key
    for (person, zone), claim in j.claims.items():
        assert (claim.person, claim.zone) == (person, zone)


def check_replay(j: Jurisdiction) -> None:
    replayed = Jurisdiction.replay(j.log)
    assert replayed == j
    assert replayed.version == j.version
    assert dump(replayed) == dump(j)
    # the same per-subject orders, not only equal states (in the whole-jurisdiction
    # mappings a record that the rollback of a refused batch put back comes last)
    assert set(replayed.graph) == set(j.graph)
    for org in j.organizations:
        assert replayed.graph.children(org) == j.graph.children(org)
        assert replayed.graph.members(org) == j.graph.members(org)
        assert replayed.posts_in(org) == j.posts_in(org)
        assert replayed.claimants(org) == j.claimants(org)
    assert set(replayed.people) == set(j.people)


def check_round_trip(j: Jurisdiction) -> None:
    data = dump(j)
    loaded = load(data)
    assert loaded == j
    assert dump(loaded) == data
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert loads(dumps(j)) == j


def check_event(event: Event) -> None:
    data = unstructure_event(event)
    assert data["type"] == type(event).__name__
    back = structure_event(json.loads(json.dumps(data, ensure_ascii=False)))
    assert back == event
    assert type(back) is type(event)


# -- the properties ------------------------------------------------------------------------------


@given(histories())
def test_replay_gives_an_equal_jurisdiction(j: Jurisdiction) -> None:
    check_replay(j)
    assert j.copy() == j


@given(histories())
def test_document_round_trip_is_lossless(j: Jurisdiction) -> None:
    check_round_trip(j)


@given(histories())
def test_graph_queries_agree_with_naive_recomputation(j: Jurisdiction) -> None:
    check_graph(j)
    check_relations(j)


@given(histories())
def test_logged_events_round_trip(j: Jurisdiction) -> None:
    for event in j.log:
        check_event(event)


@given(histories(), st.randoms(use_true_random=False))
def test_record_order_does_not_matter(j: Jurisdiction, random: Random) -> None:
    """Any order of a document's records loads to an equal jurisdiction, same canonical dump.

    So equal jurisdictions built in different orders (ids that natural order ties, such as
    P2 and P02, included) give equal documents.
    """
    data = dump(j)
    shuffled = json.loads(json.dumps(data))
    for value in shuffled.values():
        if isinstance(value, list):
            random.shuffle(value)
    for org in shuffled["organizations"]:
        if "households" in org:
            random.shuffle(org["households"])
    loaded = load(shuffled)
    assert loaded == j
    assert dump(loaded) == data


@given(histories(), histories())
def test_equality_agrees_with_the_document(a: Jurisdiction, b: Jurisdiction) -> None:
    assert (a == b) == (dump(a) == dump(b))


# -- events of any shape, not only the logged ones -----------------------------------------------


def test_event_strategies_cover_every_event_type() -> None:
    assert set(EVENT_STRATEGIES) == set(EVENT_TYPES.values())


@given(any_events())
def test_any_event_round_trips(event: Event) -> None:
    check_event(event)


# -- the state machine: legal histories, with random events thrown in ----------------------------


class LegalHistories(JurisdictionMachine):
    """The testing kit's machine, from any legal history, checking the model after each step."""

    start_with = histories()

    @invariant()
    def graph_agrees(self) -> None:
        if hasattr(self, "j"):
            check_graph(self.j)

    def teardown(self) -> None:
        super().teardown()
        if hasattr(self, "j"):
            check_relations(self.j)
            check_replay(self.j)
            check_round_trip(self.j)
            for event in self.j.log:
                check_event(event)


LegalHistories.TestCase.settings = settings(
    settings(),  # the loaded profile
    stateful_step_count=20,
)
TestLegalHistories = LegalHistories.TestCase
