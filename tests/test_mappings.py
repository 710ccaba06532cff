"""SSSOM mappings, the ERIC strategy scheme and the CFIR 2009 scheme: what users and builds see."""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, SKOS, XSD

from ipskg.cli import main
from ipskg.model.namespaces import ERIC, IPSKG, OUTCOME, PROCTOR
from ipskg.vocab.ontology import ontology_graph, vocabulary
from ipskg.vocab.sssom import (
    mapping_files,
    mapping_graph,
    mappings_dir,
    read_mapping_set,
    validate_mappings,
)

CPO = "http://purl.obolibrary.org/obo/cpo_"
CFIR2009 = "https://w3id.org/ipskg/cfir2009/"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(mappings_dir() / name, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit failed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------ the bundled tables
def test_the_four_mapping_tables_are_bundled() -> None:
    names = {p.name for p in mapping_files()}
    assert names == {
        "cfir2022-cfir2009.sssom.tsv",
        "outcomes-proctor.sssom.tsv",
        "ipskg-external-ontologies.sssom.tsv",
        "identifiers.sssom.tsv",
    }


def test_validate_command_accepts_the_bundled_tables(runner) -> None:
    result = runner.invoke(main, ["mappings", "validate"])
    assert result.exit_code == 0, result.output
    assert "4 mapping table(s) valid" in result.output


def test_sssom_library_reports_a_non_standard_metadata_key(runner, tmp_path: Path) -> None:
    bad = _copy(tmp_path, "identifiers.sssom.tsv")
    _edit(bad, "#mapping_set_title:", "#mapping_set_titel:")
    result = runner.invoke(main, ["mappings", "validate", str(bad)])
    assert result.exit_code == 1
    assert "mapping_set_titel" in result.output and "sssom" in result.output


def test_our_reader_agrees_with_the_sssom_parser() -> None:
    from sssom.parsers import parse_sssom_table

    for path in mapping_files():
        msdf = parse_sssom_table(path)
        conv = msdf.converter
        theirs = {
            (conv.expand(r.subject_id), conv.expand(r.predicate_id), conv.expand(r.object_id))
            for r in msdf.df.itertuples()
        }
        ours = {
            (str(m.subject), str(m.predicate), str(m.object))
            for m in read_mapping_set(path).mappings
        }
        assert ours == theirs, path.name


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "\t0.4\tcandidate:",
            "\t0.9\tcandidate:",
            "a candidate row must have confidence below 0.5",
        ),
        (
            "place:Finland\tFinland",
            "place:Finnland\tFinland",
            "is not a term of the ipskg ontology",
        ),
        ("place:Finland\tFinland", "place:Finland\tSuomi", "label 'Suomi' is not a label of"),
        ("\t0.95\tidentifier verified", "\t0.3\tidentifier verified", "below 0.5 but the comment"),
        ("#license: https://creativecommons.org/licenses/by/4.0/\n", "", "'license' is missing"),
    ],
)
def test_ipskg_rules_catch_a_broken_row(tmp_path: Path, old: str, new: str, message: str) -> None:
    bad = _copy(tmp_path, "identifiers.sssom.tsv")
    _edit(bad, old, new)
    issues = validate_mappings([bad], ontology_graph(), use_sssom=False)
    assert any(message in issue.render() for issue in issues), [i.render() for i in issues]


def test_the_unedited_tables_pass_ipskg_rules() -> None:
    assert validate_mappings(mapping_files(), ontology_graph(), use_sssom=False) == []


def test_a_curie_with_an_undeclared_prefix_is_reported(tmp_path: Path) -> None:
    bad = _copy(tmp_path, "identifiers.sssom.tsv")
    _edit(bad, "wikidata:Q33", "wd:Q33")
    issues = validate_mappings([bad], use_sssom=False)
    assert (
        len(issues) == 1
        and "'wd:Q33' is not a CURIE with a prefix in curie_map" in issues[0].message
    )


# ------------------------------------------------------------------ graph and export
def test_candidates_stay_out_of_the_built_graph() -> None:
    facts = mapping_graph()
    everything = mapping_graph(include_candidates=True)
    assert len(everything) > len(facts) > 0
    assert not any(str(o).startswith(CPO) for o in facts.objects())
    assert any(str(o).startswith(CPO) for o in everything.objects())
    candidates = [m for p in mapping_files() for m in read_mapping_set(p).mappings if m.candidate]
    assert candidates and all(m.confidence is not None and m.confidence < 0.5 for m in candidates)
    assert all((m.subject, m.predicate, m.object) not in facts for m in candidates)


def test_verified_identifiers_are_asserted() -> None:
    g = mapping_graph()
    assert (
        URIRef("https://w3id.org/ipskg/place/Finland"),
        SKOS.exactMatch,
        URIRef("http://www.wikidata.org/entity/Q33"),
    ) in g
    assert (
        URIRef("https://w3id.org/ipskg/ips/IPS"),
        SKOS.broadMatch,
        URIRef("http://id.nlm.nih.gov/mesh/D016832"),
    ) in g


def test_proctor_mappings_match_the_outcomes_module() -> None:
    onto = ontology_graph()
    matches = {
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.relatedMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
    }
    in_ontology = {
        (s, p, o)
        for s, p, o in onto
        if p in matches and str(s).startswith(str(PROCTOR)) and str(o).startswith(str(OUTCOME))
    }
    table = read_mapping_set(mappings_dir() / "outcomes-proctor.sssom.tsv")
    assert in_ontology
    assert {(m.subject, m.predicate, m.object) for m in table.mappings} == in_ontology


def test_export_writes_the_mapping_graph(runner, tmp_path: Path) -> None:
    out = tmp_path / "mappings.ttl"
    result = runner.invoke(main, ["mappings", "export", "-f", "ttl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = Graph().parse(out, format="turtle")
    assert to_isomorphic(exported) == to_isomorphic(mapping_graph())
    with_candidates = runner.invoke(main, ["mappings", "export", "-f", "nt", "--candidates"])
    assert with_candidates.exit_code == 0
    assert len(Graph().parse(data=with_candidates.output, format="nt")) == len(
        mapping_graph(include_candidates=True)
    )


def test_cfir2009_mapping_targets_are_2009_constructs_not_codable_as_data() -> None:
    onto = ontology_graph()
    table = read_mapping_set(mappings_dir() / "cfir2022-cfir2009.sssom.tsv")
    for m in table.mappings:
        assert (m.subject, RDF.type, None) in onto
        assert (m.object, RDF.type, IPSKG.CFIR2009Construct) in onto, m.object
    codable = vocabulary(str(IPSKG.CFIRConcept), "CFIR 2022 construct")
    assert all(not str(iri).startswith(CFIR2009) for iri in codable.by_name.values())


# ------------------------------------------------------------------ ERIC scheme
def _strategies() -> list[URIRef]:
    return sorted(
        s
        for s in ontology_graph().subjects(RDF.type, IPSKG.ImplementationStrategy)
        if isinstance(s, URIRef)
    )


def test_eric_has_73_strategies_numbered_1_to_73() -> None:
    onto = ontology_graph()
    numbers = [onto.value(s, IPSKG.powellNumber) for s in _strategies()]
    assert all(isinstance(n, Literal) and n.datatype == XSD.positiveInteger for n in numbers)
    assert sorted(int(n) for n in numbers) == list(range(1, 74))
    for s in _strategies():
        notation = str(onto.value(s, SKOS.notation))
        assert re.fullmatch(r"\d\d", notation) and int(notation) == int(
            onto.value(s, IPSKG.powellNumber)
        )
        assert (s, SKOS.inScheme, ERIC.ERIC) in onto


def test_eric_clusters_have_the_sizes_waltz_reports() -> None:
    onto = ontology_graph()
    clusters = {
        c: str(onto.value(c, SKOS.notation)) for c in onto.subjects(RDF.type, IPSKG.StrategyCluster)
    }
    sizes = Counter(clusters[onto.value(s, IPSKG.inCluster)] for s in _strategies())
    assert dict(sizes) == {
        "C1": 10,
        "C2": 4,
        "C3": 4,
        "C4": 17,
        "C5": 11,
        "C6": 5,
        "C7": 5,
        "C8": 9,
        "C9": 8,
    }


def test_unverified_cluster_memberships_carry_an_editorial_note() -> None:
    onto = ontology_graph()
    noted = {
        int(onto.value(s, IPSKG.powellNumber))
        for s in _strategies()
        if "not directly verified" in str(onto.value(s, SKOS.editorialNote) or "")
    }
    assert {32, 42, 66, 22, 9, 10, 62} <= noted


def test_strategies_resolve_by_number_or_name() -> None:
    strategies = vocabulary(str(IPSKG.ImplementationStrategy), "ERIC strategy")
    assert strategies.resolve("05") == ERIC.AuditAndProvideFeedback
    assert strategies.resolve("identify and prepare champions") == ERIC.IdentifyAndPrepareChampions
    assert strategies.resolve("Purposefully reexamine the implementation") == (
        ERIC.PurposelyReexamineTheImplementation
    )


def test_strategy_uses_join_barriers_to_strategies() -> None:
    """The documented pattern: a barrier and a strategy use on the same case and construct."""
    from ipskg.model.namespaces import CFIR

    case = URIRef("https://example.org/case/x")
    obs, use = URIRef("https://example.org/obs/1"), URIRef("https://example.org/use/1")
    g = Graph()
    g += ontology_graph()
    g.add((obs, RDF.type, IPSKG.DeterminantObservation))
    g.add((obs, IPSKG.observedIn, case))
    g.add((obs, IPSKG.construct, CFIR.AvailableResources))
    g.add((obs, IPSKG.valence, IPSKG.NegativeValence))
    g.add((case, IPSKG.hasStrategyUse, use))
    g.add((use, RDF.type, IPSKG.StrategyUse))
    g.add((use, IPSKG.ofStrategy, ERIC.AccessNewFunding))
    g.add((use, IPSKG.targetsConstruct, CFIR.AvailableResources))
    rows = list(
        g.query("""
        PREFIX ipskg: <https://w3id.org/ipskg/ontology#>
        SELECT ?strategy ?number WHERE {
          ?obs ipskg:observedIn ?case ; ipskg:construct ?k ; ipskg:valence ipskg:NegativeValence .
          ?case ipskg:hasStrategyUse ?use .
          ?use ipskg:targetsConstruct ?k ; ipskg:ofStrategy ?strategy .
          ?strategy ipskg:powellNumber ?number .
        }""")
    )
    assert [(s, int(n)) for s, n in rows] == [(ERIC.AccessNewFunding, 1)]


def test_validate_without_sssom_says_how_to_install_it(runner, monkeypatch) -> None:
    for name in ("sssom", "sssom.constants", "sssom.parsers", "sssom.validators"):
        monkeypatch.setitem(sys.modules, name, None)
    result = runner.invoke(main, ["mappings", "validate"])
    assert result.exit_code == 3
    assert "sssom library is not installed" in result.output and "ipskg[mappings]" in result.output
    assert "Traceback" not in result.output
