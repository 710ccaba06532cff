"""The second curator's review of the seed coding stays fixed (docs/seed-review.md).

Each test keeps one decision of the review in place, checked on the built graph or through the
questions a researcher runs.
"""

from __future__ import annotations

import pytest
from answers import answer_rows
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ipskg.model.namespaces import CFIR, IPSKG, MODEL, PROV, STUDY
from ipskg.sparql.store import EmbeddedStore

H = STUDY["harkko-2025"]


def _obs(rid: str) -> URIRef:
    return URIRef(f"{H}/observation/{rid}")


@pytest.fixture(scope="module")
def store(built_graph) -> EmbeddedStore:
    return EmbeddedStore.from_graph(built_graph)


def test_circular_ratings_are_flagged_and_not_presented_as_findings(built_graph, store):
    flagged = {
        str(s).rsplit("/", 1)[-1]
        for s in built_graph.subjects(IPSKG.restatesGroupingCriterion, Literal(True))
    }
    assert flagged == {"o20", "o22", "o23"}
    rows = answer_rows(store, "distinguishing-constructs")
    assert rows and {r["include_restating"] for r in rows} == {"no"}
    assert not {"III.A.3", "III.C"} & {r["construct_notation"] for r in rows}
    with_them = answer_rows(store, "distinguishing-constructs", include_restating="yes")
    assert {"III.A.3", "III.C"} <= {r["construct_notation"] for r in with_them}


def test_o24_is_the_mid_level_leaders_opportunity_not_funding(built_graph):
    assert built_graph.value(_obs("o24"), IPSKG.construct) == CFIR.Opportunity
    assert built_graph.value(_obs("o24"), IPSKG.forRole) == CFIR.MidLevelLeaders


def test_reactive_leadership_is_not_claimed_for_all_cases(built_graph):
    for rid in ("o27", "o34"):
        assert built_graph.value(_obs(rid), IPSKG.observedIn) == URIRef(f"{H}/group/less-robust")


def test_the_long_term_funding_sentence_is_tied_to_no_group(built_graph):
    summary = str(built_graph.value(_obs("o33"), IPSKG.summary))
    assert "long-term funding" not in summary
    f24, f27 = URIRef(f"{H}/finding/f24"), URIRef(f"{H}/finding/f27")
    assert "long-term funding" not in str(built_graph.value(f24, IPSKG.statement))
    assert "long-term funding" in str(built_graph.value(f27, IPSKG.statement))
    assert built_graph.value(f27, IPSKG.concernsGroup) is None


def test_the_pes_passage_is_about_one_less_robust_unit(built_graph):
    unit = URIRef(f"{H}/group/pes-unit-less-robust")
    for rid in ("o06", "o08", "o13", "o16", "o17"):
        assert built_graph.value(_obs(rid), IPSKG.observedIn) == unit
    assert built_graph.value(URIRef(f"{H}/finding/f13"), IPSKG.concernsGroup) == unit
    assert int(built_graph.value(unit, IPSKG.caseCount)) == 1
    assert built_graph.value(unit, IPSKG.groupRobustness) == IPSKG.LessRobust
    assert built_graph.value(unit, IPSKG.hasMemberCase) is None  # the paper does not say which
    collaborating = URIRef(f"{H}/group/pes-collaborating-cases")
    assert not list(built_graph.subjects(IPSKG.observedIn, collaborating))


def test_a_positive_development_is_not_evidence_of_a_barrier(built_graph):
    q25 = URIRef(f"{H}/quote/q25")
    assert q25 not in set(built_graph.objects(_obs("o36"), IPSKG.evidenceQuote))
    assert q25 in set(built_graph.objects(_obs("o38"), IPSKG.evidenceQuote))
    assert built_graph.value(_obs("o38"), IPSKG.valence) == IPSKG.MixedValence


def test_no_role_is_rated_on_its_own_in_the_seed(built_graph):
    roles = set(built_graph.subjects(RDF.type, IPSKG.CFIRRole))
    for obs in built_graph.subjects(IPSKG.inStudy, H):
        construct = built_graph.value(obs, IPSKG.construct)
        if construct is not None:
            assert construct not in roles, obs
    assert not list(built_graph.subjects(IPSKG.construct, CFIR.OpinionLeaders))


def test_one_rating_per_construct_unit_phase_and_role(built_graph):
    seen: dict[tuple[object, ...], URIRef] = {}
    for obs in built_graph.subjects(IPSKG.construct, None):
        key = tuple(
            built_graph.value(obs, p)
            for p in (IPSKG.inStudy, IPSKG.construct, IPSKG.observedIn, IPSKG.phase, IPSKG.forRole)
        )
        assert key not in seen, (obs, seen.get(key))
        seen[key] = obs
    phases = {
        rid: built_graph.value(_obs(rid), IPSKG.phase) for rid in ("o01", "o02", "o03", "o04")
    }
    assert phases == {
        "o01": IPSKG.SustainmentPhase,
        "o02": IPSKG.ImplementationPhaseProper,
        "o03": IPSKG.SustainmentPhase,
        "o04": IPSKG.ImplementationPhaseProper,
    }


def test_participant_4_is_not_counted_twice(built_graph, store):
    p4 = URIRef(f"{H}/participant/p4")
    assert built_graph.value(p4, IPSKG.conflictingStatedRoles) == Literal(True)
    assert "nursing director" in str(built_graph.value(p4, SKOS.editorialNote))
    rows = answer_rows(store, "role-categories-by-approach", study="harkko-2025")
    assert sum(int(r["participants_with_conflicting_roles"]) for r in rows) == 2  # two approaches
    visionary = {r["role_category"]: r for r in rows if r["approach"] == "Visionary Approach"}
    assert visionary["frontline workers"]["participants"] == "3"  # P2, P3, P5 (not P4)


def test_every_revision_names_records_that_exist_and_a_passage(built_graph):
    revisions = list(built_graph.subjects(RDF.type, IPSKG.CurationRevision))
    assert len(revisions) == 9
    for rev in revisions:
        for record in built_graph.objects(rev, IPSKG.revisedRecord):
            assert built_graph.value(record, IPSKG.inStudy) == H, record
        assert built_graph.value(rev, PROV.used) is not None
        assert built_graph.value(rev, IPSKG.revisionReason) is not None


def test_the_direct_pathway_is_not_an_organizational_lever(built_graph, store):
    definition = str(built_graph.value(MODEL.DirectLeadershipSustainmentPathway, SKOS.definition))
    assert "without passing" not in definition
    direct = {
        str(built_graph.value(s, RDFS.label))
        for s in built_graph.subjects(
            IPSKG.correspondsToPathway, MODEL.DirectLeadershipSustainmentPathway
        )
    }
    assert direct == {"Recovery Vision", "Forward-Thinking"}
    levers = {r["practice"] for r in answer_rows(store, "inner-setting-levers") if r["practice"]}
    assert levers and not levers & direct
