"""Merging RDF files from elsewhere: accepted when valid; refused on clash, bad syntax, shapes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from ipskg.cli import main
from ipskg.export.dump import study_graph_iri
from ipskg.export.merge import NonConformingMerge, merge_external
from ipskg.model.errors import InputError
from ipskg.studies.build import build
from ipskg.vocab.sssom import mapping_graph

EXT = "https://w3id.org/ipskg/study/ext-2020"

VALID = f"""\
@prefix ipskg: <https://w3id.org/ipskg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

<{EXT}> a ipskg:Study ;
    dcterms:title "An external study of IPS sustainment" ;
    ipskg:reportedIn <https://doi.org/10.9999/ext.2020> ;
    prov:wasAttributedTo <{EXT}/authors> ;
    prov:wasDerivedFrom <{EXT}/source/methods> .

<{EXT}/authors> a prov:Agent ; rdfs:label "authors of study ext-2020" .

<{EXT}/source/methods> a ipskg:SourceLocation ;
    ipskg:section "Methods" ;
    ipskg:sourceKind ipskg:FullTextSource ;
    oa:hasSource <https://doi.org/10.9999/ext.2020> .

<https://doi.org/10.9999/ext.2020> a dcterms:BibliographicResource ;
    dcterms:title "An external study of IPS sustainment" ;
    dcterms:creator "Roe R" ;
    ipskg:doi "10.9999/ext.2020" ;
    prov:wasAttributedTo <{EXT}/authors> ;
    prov:wasDerivedFrom <{EXT}/source/methods> .

<{EXT}/case/site-1> a ipskg:Case ;
    rdfs:label "Site 1" ;
    ipskg:inStudy <{EXT}> ;
    prov:wasAttributedTo <{EXT}/authors> ;
    prov:wasDerivedFrom <{EXT}/source/methods> .
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _nt(path: Path) -> Graph:
    return Graph().parse(path, format="nt")


def test_merge_accepts_a_valid_external_study(runner, tmp_path, built):
    ext = _write(tmp_path, "ext.ttl", VALID)
    out = tmp_path / "out"
    result = runner.invoke(main, ["merge", str(ext), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    merged = _nt(out / "ipskg.nt")
    external = Graph().parse(ext, format="turtle")
    assert all(t in merged for t in external)
    expected = Graph() + built.graph
    expected += mapping_graph()
    assert isomorphic(merged - external, expected)  # the build, untouched, plus the file
    ds = Dataset()
    ds.parse(out / "ipskg.trig", format="trig")
    graph = ds.graph(study_graph_iri("ext-2020"))
    assert isomorphic(Graph() + graph, external)


def test_export_merge_adds_the_study_to_the_description(runner, tmp_path):
    ext = _write(tmp_path, "ext.ttl", VALID)
    out = tmp_path / "desc.ttl"
    result = runner.invoke(main, ["export", "--merge", str(ext), "--describe", "-o", str(out)])
    assert result.exit_code == 0, result.output
    desc = Graph().parse(out, format="turtle")
    subset = URIRef("https://w3id.org/ipskg/dataset/study/ext-2020")
    assert int(desc.value(subset, URIRef("http://rdfs.org/ns/void#triples"))) == len(
        Graph().parse(ext, format="turtle")
    )


def test_merge_refuses_triples_about_our_study(runner, tmp_path, built):
    sid = built.studies[0].id
    iri = f"https://w3id.org/ipskg/study/{sid}"
    clash = _write(tmp_path, "clash.ttl", f'<{iri}> <http://purl.org/dc/terms/title> "Renamed" .\n')
    out = tmp_path / "out"
    result = runner.invoke(main, ["merge", str(clash), "--out-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert "clash.ttl" in result.output
    assert iri in result.output
    assert not out.exists()


def test_merge_refuses_redefining_an_ontology_term(runner, tmp_path):
    clash = _write(
        tmp_path,
        "terms.ttl",
        "<https://w3id.org/ipskg/ontology#Case> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Site" .\n',
    )
    result = runner.invoke(main, ["merge", str(clash), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "terms.ttl" in result.output and "ontology#Case" in result.output


def test_merge_refuses_two_files_defining_one_study(runner, tmp_path):
    first = _write(tmp_path, "first.ttl", VALID)
    second = _write(
        tmp_path, "second.ttl", f"<{EXT}> a <https://w3id.org/ipskg/ontology#Study> .\n"
    )
    result = runner.invoke(
        main, ["merge", str(first), str(second), "--out-dir", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "second.ttl" in result.output and EXT in result.output
    assert "first.ttl" in result.output


def test_merge_refuses_a_non_conforming_file_with_the_report(runner, tmp_path):
    ext = _write(tmp_path, "nolabel.ttl", VALID.replace('    rdfs:label "Site 1" ;\n', ""))
    out = tmp_path / "out"
    result = runner.invoke(main, ["merge", str(ext), "--out-dir", str(out)])
    assert result.exit_code == 1, result.output
    assert "does not conform" in result.output
    assert f"{EXT}/case/site-1" in result.output
    assert "nolabel.ttl" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "bad.ttl",
            '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
            3,
        ),
        (
            "bad.nt",
            "<http://a.org/a> <http://a.org/b> <http://a.org/c> .\n<http://a.org/a> oops .\n",
            2,
        ),
        ("bad.jsonld", '{\n  "@id": "http://a.org/a",\n  "x": \n}\n', 4),
    ],
)
def test_unparsable_file_names_file_and_line(runner, tmp_path, name, text, line):
    bad = _write(tmp_path, name, text)
    result = runner.invoke(main, ["merge", str(bad), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"{name}:{line}" in result.output
    assert "Traceback" not in result.output


def test_unknown_suffix_is_an_input_error(runner, tmp_path):
    bad = _write(tmp_path, "data.csv", "a,b\n")
    result = runner.invoke(main, ["merge", str(bad), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "data.csv" in result.output and ".ttl" in result.output


def test_failed_merge_leaves_the_build_untouched(tmp_path):
    result = build()
    before = len(result.graph)
    ext = _write(tmp_path, "ext.ttl", VALID)
    seen: list[set] = []

    def refuse(graph: Graph, focus: set) -> SimpleNamespace:
        seen.append(focus)
        return SimpleNamespace(conforms=False, text="1 violation")

    with pytest.raises(NonConformingMerge) as info:
        merge_external(result, [ext], validator=refuse, renderer=lambda r: r.text)
    assert info.value.exit_code == 1
    assert len(result.graph) == before
    assert URIRef(f"{EXT}/case/site-1") in seen[0]
    assert not any(str(n).startswith("https://w3id.org/ipskg/ontology#") for n in seen[0])

    accept = merge_external(result, [ext], validator=lambda g, f: SimpleNamespace(conforms=True))
    assert [m.path for m in accept] == [ext]
    assert len(result.graph) > before
    with pytest.raises(InputError):  # now the study is ours: merging it again clashes
        merge_external(result, [ext], validator=lambda g, f: SimpleNamespace(conforms=True))
