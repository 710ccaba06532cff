"""The seed study against the paper: counts, Table 1, every quote, honesty about what is unknown."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from ipskg.model.namespaces import IPSKG, STUDY

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT.parent / "shared" / "paper" / "harkko-2025-leadership-ips-sustainability.txt"
EXPECT = Path(__file__).parent / "fixtures" / "paper"
SID = STUDY["harkko-2025"]
DOI = URIRef("https://doi.org/10.1186/s12913-025-12495-1")

PREFIXES = """
PREFIX ipskg: <https://w3id.org/ipskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def select(graph, query, **bindings):
    return [tuple(r) for r in graph.query(PREFIXES + query, initBindings=bindings)]


def characteristic(graph, aspect: str, qualifier: str | None = None):
    query = """SELECT ?value WHERE {
      ?c ipskg:inStudy ?study ; ipskg:aspect ?a ; ipskg:value ?value .
      ?a skos:notation ?aspect .
      OPTIONAL { ?c ipskg:qualifier ?q . ?q skos:notation ?qn }
      FILTER(!BOUND(?qualifier) && !BOUND(?qn) || ?qn = ?qualifier)
    }"""
    binds = {"study": SID, "aspect": Literal(aspect)}
    if qualifier:
        binds["qualifier"] = Literal(qualifier)
    return sorted(r[0].toPython() for r in select(graph, query, **binds))


@pytest.mark.parametrize(
    ("aspect", "qualifier", "expected"),
    [
        ("participants-targeted", None, [37]),
        ("participants-declined", None, [8]),
        ("participants-analysed", None, [29]),
        ("number-of-cases", None, [5]),
        ("interviews-by-setting", "workplace", [14]),
        ("interviews-by-setting", "online", [15]),
        ("interview-duration-median", None, [72]),
        ("interview-duration-min", None, [48]),
        ("interview-duration-max", None, [120]),
        ("number-of-cases", "psychiatric-services-only", [2]),
        ("number-of-cases", "with-public-employment-services", [3]),
        ("number-of-cases", "pes-funded-specialists-at-pes-offices", [2]),
        ("number-of-cases", "employment-hub", [1]),
    ],
)
def test_sample_and_case_counts_match_the_paper(built_graph, aspect, qualifier, expected):
    assert characteristic(built_graph, aspect, qualifier) == expected


def test_participants_by_role_category(built_graph):
    rows = select(
        built_graph,
        """SELECT ?n WHERE {
      ?g a ipskg:ParticipantGroup ; ipskg:inStudy ?study ; ipskg:memberCount ?n }""",
        study=SID,
    )
    assert sorted(int(n) for (n,) in rows) == [4, 6, 8, 11]


def test_five_anonymous_cases_with_the_papers_robustness(built_graph):
    rows = select(
        built_graph,
        """SELECT ?case ?level WHERE {
      ?case a ipskg:Case ; ipskg:inStudy ?study ; ipskg:declaredRobustness ?r .
      ?r skos:notation ?level }""",
        study=SID,
    )
    levels = sorted(str(level) for _, level in rows)
    assert levels == ["less-robust", "less-robust", "mixed", "more-robust", "more-robust"]
    # the paper names no site and gives no integration model per case
    assert not select(
        built_graph,
        "SELECT ?c WHERE { ?c a ipskg:Case ; ipskg:inStudy ?study ; ipskg:integrationModel ?m }",
        study=SID,
    )


def test_robustness_criteria_as_the_paper_defines_them(built_graph):
    rows = select(
        built_graph,
        """SELECT ?level ?commit ?positions WHERE {
      ?case a ipskg:Case ; ipskg:inStudy ?study ; ipskg:declaredRobustness ?r ;
            ipskg:commitmentCommunicated ?commit ; ipskg:positionsMaintained ?positions .
      ?r skos:notation ?level }""",
        study=SID,
    )
    got = sorted((str(level), c.toPython(), p.toPython()) for level, c, p in rows)
    assert got == [
        ("less-robust", False, False),
        ("less-robust", False, False),
        ("mixed", True, False),
        ("more-robust", True, True),
        ("more-robust", True, True),
    ]


def _tsv(name: str) -> list[dict[str, str]]:
    with (EXPECT / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_table_1_in_full(built_graph):
    rows = select(
        built_graph,
        """SELECT ?approach ?sub ?pathway ?features WHERE {
      ?s a ipskg:SubTheme ; ipskg:inStudy ?study ; rdfs:label ?sub ; skos:broader ?a ;
         ipskg:correspondsToPathway ?p ; ipskg:definingFeatures ?features .
      ?a a ipskg:LeadershipApproach ; rdfs:label ?approach . ?p rdfs:label ?pathway }""",
        study=SID,
    )
    got = sorted((str(a), str(s), str(p)) for a, s, p, _ in rows)
    expected = sorted(
        (r["approach"], r["sub_theme"], r["pathway"]) for r in _tsv("harkko-2025-table1.tsv")
    )
    assert len(expected) == 6
    assert got == expected
    paper = PAPER.read_text(encoding="utf-8") if PAPER.is_file() else None
    for *_, features in rows:
        assert len(str(features)) > 60
        if paper is not None:
            assert str(features) in paper


def _quotes(graph):
    rows = select(
        graph,
        """SELECT ?q ?text ?pos ?num ?theme ?group WHERE {
      ?q a ipskg:Quote ; ipskg:inStudy ?study ; ipskg:text ?text ; ipskg:positionInSource ?pos ;
         ipskg:supportsTheme ?t .
      BIND(STRAFTER(STR(?t), "/theme/") AS ?theme)
      OPTIONAL { ?q ipskg:saidBy ?p . ?p ipskg:participantNumber ?num }
      OPTIONAL { ?q ipskg:fromGroup ?g . BIND(STRAFTER(STR(?g), "/group/") AS ?group) }
    }""",
        study=SID,
    )
    return {
        int(pos): (str(text), num, str(theme), group) for _, text, pos, num, theme, group in rows
    }


def test_every_quote_matches_the_expectations_table(built_graph):
    quotes = _quotes(built_graph)
    expected = _tsv("harkko-2025-quotes.tsv")
    assert len(quotes) == len(expected)
    for row in expected:
        text, num, theme, group = quotes[int(row["position"])]
        assert text.startswith(row["first_words"]), (row, text[:60])
        assert (str(int(num)) if num is not None else "") == row["participant"], row
        assert theme == row["sub_theme_id"], row
        assert (str(group) if group is not None else "") == row["group"], row


def test_participants_1_to_13_are_all_quoted(built_graph):
    numbers = {
        int(n)
        for (n,) in select(
            built_graph,
            """SELECT DISTINCT ?n WHERE {
      ?q a ipskg:Quote ; ipskg:saidBy ?p . ?p ipskg:participantNumber ?n }""",
        )
    }
    assert set(range(1, 14)) <= numbers


@pytest.mark.skipif(not PAPER.is_file(), reason=f"the paper's text is not at {PAPER}")
def test_every_quote_is_verbatim_in_the_paper(built_graph):
    paper = PAPER.read_text(encoding="utf-8")
    for text, *_ in _quotes(built_graph).values():
        assert text in paper, text[:80]


def test_no_quote_or_participant_is_linked_to_a_case(built_graph):
    linked = select(
        built_graph,
        """SELECT ?x ?p ?case WHERE {
      { ?x a ipskg:Quote } UNION { ?x a ipskg:Participant }
      ?x ?p ?case . ?case a ipskg:Case }""",
    )
    assert linked == []


def test_every_study_fact_has_provenance(built_graph):
    missing = select(
        built_graph,
        """SELECT ?x WHERE {
      ?x ipskg:inStudy ?study .
      FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?src }
      # a curation revision is an activity: it used the passage it rests on
      FILTER NOT EXISTS { ?x a ipskg:CurationRevision ; prov:used ?passage }
    }""",
        study=SID,
    )
    assert missing == []
    attribution = select(
        built_graph,
        """SELECT ?x (COUNT(?a) AS ?n) WHERE {
      ?x ipskg:inStudy ?study . OPTIONAL { ?x prov:wasAttributedTo ?a } }
      GROUP BY ?x HAVING (COUNT(?a) != 1)""",
        study=SID,
    )
    assert attribution == []
    locations = select(
        built_graph,
        """SELECT ?loc WHERE {
      ?x ipskg:inStudy ?study ; prov:wasDerivedFrom ?loc . ?loc a ipskg:SourceLocation .
      FILTER NOT EXISTS { ?loc oa:hasSource ?doi ; ipskg:section ?section } }""",
        study=SID,
        doi=DOI,
    )
    assert locations == []


def test_cfir_coding_is_attributed_to_curation_not_the_authors(built_graph):
    rows = select(
        built_graph,
        """SELECT ?who (COUNT(?o) AS ?n) WHERE {
      ?o a ipskg:DeterminantObservation ; ipskg:inStudy ?study ; prov:wasAttributedTo ?who }
      GROUP BY ?who""",
        study=SID,
    )
    assert [str(who) for who, _ in rows] == [str(IPSKG.CurationTeam)]
    quotes_by = {
        str(w)
        for (w,) in select(
            built_graph,
            """SELECT DISTINCT ?w WHERE {
      ?q a ipskg:Quote ; ipskg:inStudy ?study ; prov:wasAttributedTo ?w }""",
            study=SID,
        )
    }
    assert quotes_by == {f"{SID}/authors"}


def test_observations_include_barriers_and_facilitators_in_both_groups(built_graph):
    rows = select(
        built_graph,
        """SELECT DISTINCT ?group ?valence WHERE {
      ?o a ipskg:DeterminantObservation ; ipskg:inStudy ?study ; ipskg:observedIn ?g ;
         ipskg:valence ?v .
      ?v skos:notation ?valence . BIND(STRAFTER(STR(?g), "/group/") AS ?group) }""",
        study=SID,
    )
    pairs = {(str(g), str(v)) for g, v in rows}
    assert {("more-robust", "+"), ("less-robust", "-")} <= pairs


def _period_rows(built_graph):
    return select(
        built_graph,
        """SELECT ?start ?end ?section ?exact WHERE {
      ?study <http://purl.org/dc/terms/temporal> ?p .
      ?p a <http://purl.org/dc/terms/PeriodOfTime> ;
         <http://www.w3.org/ns/dcat#startDate> ?start ;
         <http://www.w3.org/ns/dcat#endDate> ?end ;
         prov:wasDerivedFrom ?loc .
      ?loc ipskg:section ?section ; oa:hasSelector/oa:exact ?exact }""",
        study=SID,
    )


def test_data_collection_period_is_the_papers_with_its_sentence(built_graph):
    """Methods: "The data were collected from May to August 2023." (dcterms:temporal)."""
    rows = _period_rows(built_graph)
    assert [(str(s), str(e), str(sec)) for s, e, sec, _ in rows] == [
        ("2023-05", "2023-08", "Methods > Sampling and data collection")
    ]
    assert str(rows[0][3]) == "The data were collected from May to August 2023."


@pytest.mark.skipif(not PAPER.is_file(), reason=f"the paper's text is not at {PAPER}")
def test_data_collection_sentence_is_verbatim_in_the_paper(built_graph):
    assert str(_period_rows(built_graph)[0][3]) in PAPER.read_text(encoding="utf-8")
