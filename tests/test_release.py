"""What a knowledge engineer and a citing researcher need of a release: the modular ontology
opens offline through its catalog and is OWL 2 DL by the OWL API's own profile checker; the
data graph puns no class; mappings keep their SSSOM metadata in RDF and sssom-py reads them
back; Turtle any parser reads; licence, citation and change log files."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
CATALOG = ONTOLOGY / "catalog-v001.xml"
OWLAPI_JARS = Path("/usr/share/java")
CHECKER = Path(__file__).parent / "owlapi" / "ProfileCheck.java"


def _catalog() -> dict[str, str]:
    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    root = ET.parse(CATALOG).getroot()
    return {el.get("name", ""): el.get("uri", "") for el in root.iter(f"{ns}uri")}


def _module_iri(path: Path) -> str:
    graph = Graph().parse(path)
    return str(next(graph.subjects(RDF.type, OWL.Ontology)))


def test_catalog_maps_every_module_and_every_import() -> None:
    catalog = _catalog()
    modules = {_module_iri(p): p.name for p in sorted(ONTOLOGY.glob("*.ttl"))}
    assert catalog == modules
    for path in ONTOLOGY.glob("*.ttl"):
        for imported in Graph().parse(path).objects(None, OWL.imports):
            assert str(imported) in catalog, f"{path.name} imports {imported}, not in the catalog"


@pytest.fixture(scope="module")
def profile_checker(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs tests/owlapi/ProfileCheck.java (OWL API from Debian
    libowlapi-java), compiled once."""
    jars = sorted(OWLAPI_JARS.glob("*.jar"))
    if not shutil.which("javac") or not (OWLAPI_JARS / "owlapi-distribution.jar").exists():
        pytest.skip("needs javac and the OWL API (Debian default-jdk-headless, libowlapi-java)")
    classes = tmp_path_factory.mktemp("owlapi")
    classpath = ":".join(str(j) for j in jars)
    subprocess.run(
        ["javac", "-d", str(classes), "-cp", classpath, str(CHECKER)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return ["java", "-cp", f"{classpath}:{classes}", "ProfileCheck"]


def _check(command: list[str], ontology: Path, catalog: Path) -> tuple[int, str]:
    done = subprocess.run(
        [*command, str(ontology), str(catalog)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"^violations: (\d+)$", done.stdout, re.M)
    assert found, done.stdout[-2000:]
    return int(found.group(1)), done.stdout


@pytest.mark.reasoner
def test_modular_ontology_opens_offline_and_is_owl2_dl(profile_checker: list[str]) -> None:
    count, out = _check(profile_checker, ONTOLOGY / "ipskg.ttl", CATALOG)
    assert count == 0, out[:3000]
    assert "ontologies: 10" in out  # the top file and its nine modules, all from the catalog


@pytest.mark.reasoner
@pytest.mark.parametrize(
    "module", sorted(p.name for p in ONTOLOGY.glob("*.ttl") if p.name != "ipskg.ttl")
)
def test_each_module_declares_what_it_uses_through_its_imports(
    profile_checker: list[str], module: str
) -> None:
    count, out = _check(profile_checker, ONTOLOGY / module, CATALOG)
    assert count == 0, out[:3000]


@pytest.mark.reasoner
def test_built_graph_is_owl2_dl(profile_checker: list[str], built_graph, tmp_path: Path) -> None:
    path = tmp_path / "ipskg.ttl"
    built_graph.serialize(path, format="turtle")
    empty = tmp_path / "catalog.xml"
    empty.write_text(
        '<?xml version="1.0"?><catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>'
    )
    count, out = _check(profile_checker, path, empty)
    assert count == 0, out[:3000]


def test_no_class_is_punned_in_the_built_graph(built_graph) -> None:
    classes = set(built_graph.subjects(RDF.type, OWL.Class))
    object_properties = set(built_graph.subjects(RDF.type, OWL.ObjectProperty))
    punned = {
        (s, p, o)
        for s, p, o in built_graph
        if p in object_properties and (s in classes or o in classes)
    }
    assert not punned, sorted(punned)[:5]


def test_mappings_keep_their_metadata_and_sssom_py_reads_them(tmp_path: Path) -> None:
    from sssom.parsers import parse_sssom_rdf

    from ipskg.vocab.sssom import mapping_graph

    graph = mapping_graph()
    # sssom-py reads one mapping set per document: take the set of ipskg-to-external terms
    set_iri = URIRef("https://w3id.org/ipskg/mappings/ipskg-external-ontologies.sssom.tsv")
    one = Graph()
    for prefix, ns in graph.namespaces():
        one.bind(prefix, ns)
    for triple in graph.triples((set_iri, None, None)):
        one.add(triple)
        if triple[1] == URIRef("https://w3id.org/sssom/mappings"):
            for t in graph.triples((triple[2], None, None)):
                one.add(t)
    path = tmp_path / "mappings.ttl"
    one.serialize(path, format="turtle")
    msdf = parse_sssom_rdf(str(path))
    df = msdf.df
    case = df[df["subject_id"] == "ipskg:Case"]
    assert len(case) == 1
    row = case.iloc[0]
    # ontology/mappings/ipskg-external-ontologies.sssom.tsv, row ipskg:Case -> BCIO:014000
    assert row["predicate_id"] == "skos:relatedMatch"
    row_predicate = "http://www.w3.org/2004/02/skos/core#relatedMatch"
    assert row["object_id"].endswith("014000")
    assert float(row["confidence"]) == 0.5
    assert row["mapping_justification"] == "semapv:ManualMappingCuration"
    # the class itself is not the subject of an object property (no punning) ...
    case_iri = URIRef("https://w3id.org/ipskg/ontology#Case")
    assert not list(graph.triples((case_iri, URIRef(str(row_predicate)), None)))
    # ... while a mapping between concepts is also asserted as its SKOS triple
    cfir = [t for t in graph if "cfir2009" in str(t[2]) or "cfir2009" in str(t[0])]
    assert any(p != RDF.type for _, p, _ in cfir)


def test_turtle_is_written_with_at_prefix(runner, tmp_path: Path) -> None:
    from ipskg.cli import main

    out = tmp_path / "e.ttl"
    result = runner.invoke(main, ["export", "-f", "ttl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    head = out.read_text(encoding="utf-8").splitlines()[:5]
    assert head[0].startswith("@prefix ") and head[0].endswith(" .")
    assert not any(line.startswith("PREFIX ") for line in head)
    if shutil.which("rapper"):
        done = subprocess.run(
            ["rapper", "-q", "-i", "turtle", "-c", str(out)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-1000:]


def test_licences_citation_and_changelog() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    for folder in ("ontology", "data", "shapes", "queries"):
        text = (ROOT / folder / "LICENSE").read_text()
        assert "Creative Commons Attribution 4.0" in text, folder
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] and cff["authors"] and cff["message"]
    found = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found
    version = found.group(1)
    assert cff["version"] == version
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{version}]" in changelog
    # the ontology says the same licence as its LICENSE file
    top = Graph().parse(ONTOLOGY / "ipskg.ttl")
    assert URIRef("https://creativecommons.org/licenses/by/4.0/") in set(
        top.objects(None, URIRef("http://purl.org/dc/terms/license"))
    )


@pytest.mark.reasoner
@pytest.mark.slow
def test_release_writes_every_file_with_one_version(runner, tmp_path: Path) -> None:
    import hashlib

    from ipskg.cli import main

    out = tmp_path / "release"
    result = runner.invoke(
        main,
        [
            "release",
            "--out-dir",
            str(out),
            "--version",
            "2026-12-06",
            "--w3id-target",
            "https://example.org/ipskg/",
        ],
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    for name in (
        "ipskg.owl",
        "ipskg.ttl",
        "ipskg.jsonld",
        "ipskg-full.owl",
        "ipskg-base.owl",
        "ipskg-kg.ttl",
        "ipskg-kg.nt",
        "ipskg-kg.jsonld",
        "ipskg-shapes.ttl",
        "ipskg-mappings.ttl",
        "cfir2022-cfir2009.sssom.tsv",
        "context.jsonld",
        "LICENSE",
        "CITATION.cff",
        "CHANGELOG.md",
        "w3id.htaccess",
        "ipskg-dcat.ttl",
        "SHA256SUMS",
    ):
        assert name in names, name
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    onto = URIRef("https://w3id.org/ipskg/ontology")
    versions = {}
    for name in ("ipskg.owl", "ipskg-full.owl", "ipskg-base.owl"):
        graph = Graph().parse(out / name, format="xml")
        versions[name] = str(graph.value(onto, OWL.versionIRI))
        assert str(graph.value(onto, OWL.versionInfo)) == "2026-12-06"
    assert versions == {
        "ipskg.owl": "https://w3id.org/ipskg/ontology/2026-12-06",
        "ipskg-full.owl": "https://w3id.org/ipskg/ontology/2026-12-06/ipskg-full",
        "ipskg-base.owl": "https://w3id.org/ipskg/ontology/2026-12-06/ipskg-base",
    }
    merged = Graph().parse(out / "ipskg.owl", format="xml")
    full = Graph().parse(out / "ipskg-full.owl", format="xml")
    base = Graph().parse(out / "ipskg-base.owl", format="xml")
    assert len(full) > len(merged)  # the inferred class hierarchy
    skos_concept = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
    case = URIRef("https://w3id.org/ipskg/ontology#Case")
    assert (skos_concept, RDF.type, OWL.Class) in merged
    assert (skos_concept, RDF.type, OWL.Class) not in base  # reused terms are not ipskg's own
    assert (case, RDF.type, OWL.Class) in base
    htaccess = (out / "w3id.htaccess").read_text()
    for media in ("text/turtle", "application/rdf\\+xml", "application/ld\\+json"):
        assert f"RewriteCond %{{HTTP_ACCEPT}} {media}" in htaccess
    assert "https://example.org/ipskg/release/ipskg.owl [R=303,L]" in htaccess
    # the evidence site with the ontology's documentation, where the HTML rules send a browser
    for page in ("index.html", "ontology/index.html", "strategy/AuditAndProvideFeedback.html"):
        assert (out / "site" / page).is_file(), page
    assert (
        "RewriteRule ^eric/([A-Za-z0-9]+)$ "
        "https://example.org/ipskg/release/site/strategy/$1.html [R=303,L]"
    ) in htaccess
    assert "site/ontology/scheme-CFIR2022.html" in (out / "SHA256SUMS").read_text()
