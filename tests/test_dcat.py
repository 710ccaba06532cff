"""The DCAT-AP 3 description (ipskg export --describe, the release's ipskg-dcat.ttl), checked with
pySHACL against DCAT-AP 3.0.0's mandatory, range and recommended constraints
(tests/fixtures/dcat-ap-3/dcat-ap-3-checks.ttl, written from the specification: no package
ships the official shapes)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from ipskg.cli import main
from ipskg.export.dcat import CATALOG, DATASET, first_release_date
from ipskg.model.namespaces import DCAT, IPSKG, SPDX, VOID

SHAPES = Path(__file__).parent / "fixtures" / "dcat-ap-3" / "dcat-ap-3-checks.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")

PUBLISHING = [
    "--publisher",
    "ipskg developers",
    "--publisher-type",
    "academia",
    "--contact",
    "ipskg@example.org",
    "--homepage",
    "https://example.org/ipskg/",
]


def _results(description: Graph) -> tuple[list[tuple[URIRef, URIRef]], set[tuple[str, str]]]:
    """(violations, warnings) of the DCAT-AP 3 checks: (focus node, path) pairs."""
    _, report, _ = validate(description, shacl_graph=Graph().parse(SHAPES, format="turtle"))
    violations, warnings = [], set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        key = (report.value(result, SH.focusNode), report.value(result, SH.resultPath))
        if report.value(result, SH.resultSeverity) == SH.Violation:
            violations.append(key)
        else:
            warnings.add((str(key[0]), str(key[1])))
    return violations, warnings


def _unstated(description: Graph) -> set[tuple[str, str]]:
    """The recommended properties the graph cannot state, so the description leaves them
    out (and the command says so): the studies' data collection period, the countries'
    coordinates."""
    out = {(str(DATASET), str(DCTERMS.temporal))}
    for country in description.objects(DATASET, DCTERMS.spatial):
        out.add((str(country), str(DCAT.bbox)))
        out.add((str(country), str(DCAT.centroid)))
    return out


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def described(runner, tmp_path_factory) -> tuple[Graph, str]:
    out = tmp_path_factory.mktemp("dcat") / "dcat.ttl"
    result = runner.invoke(
        main,
        [
            "export",
            "--describe",
            *PUBLISHING,
            "--download-url",
            "https://example.org/ipskg/files",
            "--availability",
            "available",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return Graph().parse(out, format="turtle"), result.output


@pytest.fixture(scope="module")
def release(runner, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("release") / "release"
    result = runner.invoke(
        main,
        [
            "release",
            "--out-dir",
            str(out),
            "--version",
            "2026-12-06",
            "--no-reasoner",
            "--w3id-target",
            "https://example.org/ipskg/",
            *PUBLISHING,
        ],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_export_description_passes_dcat_ap_3(described):
    description, output = described
    violations, warnings = _results(description)
    assert violations == []
    assert warnings == _unstated(description)
    # and the command names exactly those
    assert "dct:temporal" in output and "dcat:centroid" in output
    assert "--publisher" not in output and "--contact" not in output


def test_release_description_passes_dcat_ap_3(release):
    out, output = release
    description = Graph().parse(out / "ipskg-dcat.ttl", format="turtle")
    violations, warnings = _results(description)
    assert violations == []
    assert warnings == _unstated(description)
    assert "ipskg-dcat.ttl" in (out / "SHA256SUMS").read_text()
    assert "wrote" in output


def test_release_checksums_and_sizes_are_the_files(release):
    out, _ = release
    description = Graph().parse(out / "ipskg-dcat.ttl", format="turtle")
    checked = set()
    for dist in description.objects(DATASET, DCAT.distribution):
        url = description.value(dist, DCAT.downloadURL)
        assert url is not None and str(url).startswith("https://example.org/ipskg/release/")
        assert description.value(dist, DCAT.accessURL) == url
        name = str(url).rsplit("/", 1)[1]
        data = (out / name).read_bytes()
        checksum = description.value(dist, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = description.value(checksum, SPDX.checksumValue)
        assert value == Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
        size = description.value(dist, DCAT.byteSize)
        assert size == Literal(len(data), datatype=XSD.nonNegativeInteger)
        assert description.value(dist, DCATAP.availability) is not None
        checked.add(name)
    assert {"ipskg-kg.ttl", "ipskg-kg.jsonld", "ipskg.owl", "context.jsonld"} <= checked
    assert {"LICENSE", "SHA256SUMS", "ipskg-dcat.ttl"}.isdisjoint(checked)


def test_release_data_jsonld_holds_no_ontology_blank_nodes(release):
    out, _ = release
    text = (out / "ipskg-kg.jsonld").read_text(encoding="utf-8")
    assert '"@context": "https://w3id.org/ipskg/context.jsonld"' in text
    assert '"_:' not in text  # no blank nodes: restrictions, lists, AllDifferent stay out
    assert "owl:Restriction" not in text and "Restriction" not in text


def test_without_publisher_the_command_says_what_is_missing(runner, tmp_path):
    out = tmp_path / "dcat.ttl"
    result = runner.invoke(main, ["export", "--describe", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "dct:publisher of the dataset (--publisher NAME)" in result.output
    assert "dcat:contactPoint (--contact EMAIL-or-URL)" in result.output
    description = Graph().parse(out, format="turtle")
    # nothing invented: no publisher, no contact point, no catalogue (its publisher is
    # mandatory), but every distribution still has an access URL
    assert description.value(DATASET, DCTERMS.publisher) is None
    assert description.value(DATASET, DCAT.contactPoint) is None
    assert (CATALOG, RDF.type, DCAT.Catalog) not in description
    violations, _ = _results(description)
    assert violations == []
    for dist in description.objects(DATASET, DCAT.distribution):
        assert description.value(dist, DCAT.accessURL) is not None


def test_publisher_contact_and_dates_are_as_given(described):
    description, _ = described
    publisher = description.value(DATASET, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in description
    assert str(description.value(publisher, FOAF.name)) == "ipskg developers"
    assert description.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/Academia-ScientificOrganisation"
    )
    contact = description.value(DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in description
    assert description.value(contact, VCARD.hasEmail) == URIRef("mailto:ipskg@example.org")
    assert description.value(contact, VCARD.fn) is not None
    for prop in (DCTERMS.issued, DCTERMS.modified):
        assert description.value(DATASET, prop).datatype == XSD.date
    changelog = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert description.value(DATASET, DCTERMS.issued) == Literal(
        str(first_release_date(changelog)), datatype=XSD.date
    )


def test_description_types_licence_media_types_and_formats(described):
    description, _ = described
    licence = description.value(DATASET, DCTERMS.license)
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in description
    assert description.value(licence, DCTERMS.type) is not None
    for dist in description.objects(DATASET, DCAT.distribution):
        media = description.value(dist, DCAT.mediaType)
        fmt = description.value(dist, DCTERMS.format)
        assert str(media).startswith("https://www.iana.org/assignments/media-types/")
        assert (media, RDF.type, DCTERMS.MediaType) in description
        assert str(fmt).startswith("http://publications.europa.eu/resource/authority/file-type/")
        assert (fmt, RDF.type, DCTERMS.MediaTypeOrExtent) in description
    turtle = URIRef(f"{DATASET}/distribution/ttl")
    assert description.value(turtle, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE"
    )


def test_spatial_coverage_is_the_studies_countries(described):
    description, _ = described
    countries = set(description.objects(DATASET, DCTERMS.spatial))
    assert URIRef("https://w3id.org/ipskg/place/Finland") in countries
    for country in countries:
        assert (country, RDF.type, DCTERMS.Location) in description
        assert description.value(country, SKOS.prefLabel) is not None
    assert description.value(DATASET, DCTERMS.temporal) is None  # not in the graph


def test_void_vocabulary_names_ipskg_itself(described):
    description, _ = described
    vocabularies = set(description.objects(DATASET, VOID.vocabulary))
    assert URIRef(str(IPSKG)) in vocabularies
