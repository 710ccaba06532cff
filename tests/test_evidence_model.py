"""Evidence model v2: outcomes, effects, fidelity as published, sources, rating practice.

Each rule has a case written as a base study plus a small patch (tests/patchcases.py); each case
states the exit code, a fragment of the message and where the message must point (file, line,
record and field).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from patchcases import CASES, PatchCase, check_answer, patch_cases
from rdflib import Literal, URIRef

from ipskg.cli import main
from ipskg.model.namespaces import IPSKG, STUDY
from ipskg.studies.build import build

PER_SITE = CASES / "valid" / "synthetic-per-site"


@pytest.mark.parametrize("case", patch_cases(), ids=lambda c: c.name)
def test_patch_case_gives_its_answer_where_it_belongs(runner, case: PatchCase):
    result = runner.invoke(main, ["validate", str(case.folder)])
    output = result.output + (result.stderr if result.stderr_bytes else "")
    check_answer(case, result.exit_code, output)


def test_every_patch_case_says_why_and_names_a_base():
    names = [c.name for c in patch_cases()]
    assert len(names) == len(set(names)) >= 35
    assert all(c.why for c in patch_cases())
    assert {c.exit for c in patch_cases()} == {0, 1, 2}


def test_a_study_reporting_per_site_outcomes_and_bands_needs_no_free_text(runner, tmp_path):
    """The synthetic per-site study (invented values) conforms, and every figure it reports is
    a typed value in the graph: per-site outcomes, per-site fidelity bands, an effect."""
    result = runner.invoke(main, ["validate", str(PER_SITE)])
    assert result.exit_code == 0, result.output
    graph = build(study_dirs=[PER_SITE], with_ontology=False).graph
    sid = STUDY["synthetic-per-site"]
    outcomes = {
        (str(site).rsplit("/", 1)[-1], float(value))
        for m, site, value in graph.query(
            """SELECT ?m ?site ?value WHERE {
                ?m a ipskg:OutcomeMeasurement ; ipskg:inStudy ?s ; ipskg:measuredIn ?site ;
                   ipskg:outcomeType ips:JobStart ; ipskg:numericValue ?value }""",
            initBindings={"s": sid},
            initNs={"ipskg": IPSKG, "ips": "https://w3id.org/ipskg/ips/"},
        )
    }
    assert outcomes == {("site-north", 42.0), ("site-river", 18.5), ("site-hill", 27.0)}
    bands = {
        (str(site).rsplit("/", 1)[-1], str(band).rsplit("/", 1)[-1])
        for site, band in graph.query(
            """SELECT ?site ?band WHERE { ?r a ipskg:FidelityReview ; ipskg:reviewOf ?site ;
               ipskg:fidelityBand ?band }""",
            initNs={"ipskg": IPSKG},
        )
    }
    assert bands == {
        ("site-north", "GoodFidelity"),
        ("site-river", "FairFidelity"),
        ("site-hill", "FairFidelity"),
    }
    statuses = {
        str(s).rsplit("/", 1)[-1]: str(st).rsplit("#", 1)[-1]
        for s, st in graph.query(
            """SELECT ?site ?status WHERE { ?m ipskg:measuredIn ?site ;
               ipskg:sustainmentStatus ?status }""",
            initNs={"ipskg": IPSKG},
        )
    }
    assert statuses == {
        "site-north": "Sustained",
        "site-river": "Discontinued",
        "site-hill": "Restarted",
    }
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds == {IPSKG.AbstractSource, IPSKG.SecondarySummarySource}


def test_source_locations_never_share_an_iri_between_section_paths(tmp_path):
    """A location's IRI keeps section paths apart however they slug: non-Latin headings, and
    paths that differ only in punctuation."""
    study = tmp_path / "lakeside-site"
    shutil.copytree(CASES / "valid" / "lakeside-site", study)
    text = (study / "observations.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'evidence_source: "Background"', 'evidence_source: "Результаты"', 1
    ).replace('evidence_source: "Discussion > Limitations"', 'evidence_source: "Обсуждение"', 1)
    (study / "observations.yaml").write_text(text, encoding="utf-8")
    (study / "findings.yaml").write_text(
        "findings:\n"
        "  - {id: f1, statement: One., source: {section: Results, locator: Table 1}}\n"
        '  - {id: f2, statement: Two., source: "Results: Table-1"}\n'
        '  - {id: f3, statement: Three., source: "Results > Table 1"}\n',
        encoding="utf-8",
    )
    graph = build(study_dirs=[study], with_ontology=False).graph
    sections: dict[URIRef, set[str]] = {}
    for loc, section in graph.subject_objects(IPSKG.section):
        sections.setdefault(loc, set()).add(str(section))
    assert all(len(v) == 1 for v in sections.values()), sections
    wanted = {"Результаты", "Обсуждение", "Results: Table-1", "Results > Table 1", "Results"}
    assert wanted <= {s for v in sections.values() for s in v}


def test_abstract_level_facts_say_so(built_graph):
    """Noel 2017 is encoded from abstracts: every one of its source locations says so."""
    kinds = {
        str(row[0])
        for row in built_graph.query(
            """SELECT DISTINCT ?kind WHERE { ?x ipskg:inStudy ?s ; prov:wasDerivedFrom ?loc .
               ?loc a ipskg:SourceLocation ; ipskg:sourceKind ?kind }""",
            initBindings={"s": STUDY["noel-2017"]},
            initNs={"ipskg": IPSKG, "prov": "http://www.w3.org/ns/prov#"},
        )
    }
    assert kinds == {str(IPSKG.AbstractSource)}


def test_dates_are_iso_text_in_the_owl2_datatype_map(built_graph):
    """No literal of the built graph uses a datatype outside the OWL 2 datatype map."""
    from rdflib.namespace import XSD

    outside = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.time, XSD.duration}
    assert not [
        o for o in built_graph.objects() if isinstance(o, Literal) and o.datatype in outside
    ]


@pytest.mark.reasoner
@pytest.mark.slow
def test_the_built_graph_loads_in_hermit_as_built(built_graph, tmp_path):
    """The data graph (ontology + studies) is OWL 2 DL-loadable by HermiT with no retyping."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed")
    import owlready2

    path = tmp_path / "built.nt"
    built_graph.serialize(path, format="nt", encoding="utf-8")
    before = path.read_bytes()
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert path.read_bytes() == before
    barrier = world[str(IPSKG.Barrier)]
    assert barrier is not None and len(list(barrier.instances())) > 10


def test_the_allowed_values_page_is_in_sync_with_the_ontology():
    """docs/data-values.md lists every allowed value; regenerate it with
    python -m ipskg.vocab.valuesdoc > docs/data-values.md."""
    from ipskg.vocab.valuesdoc import values_markdown

    page = Path(__file__).resolve().parent.parent / "docs" / "data-values.md"
    assert page.read_text(encoding="utf-8") == values_markdown()
