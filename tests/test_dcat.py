"""The DCAT-AP 3 description (ipskg export --describe, the release's ipskg-dcat.ttl), checked with
pySHACL against DCAT-AP 3.0.0's mandatory, range and recommended constraints
(tests/fixtures/dcat-ap-3/dcat-ap-3-checks.ttl, written from the specification: no package
ships the official shapes)."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

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


GEO = Path(__file__).parent / "fixtures" / "geo"
STUDIES = Path(__file__).parents[1] / "data" / "studies"


def _stated_periods() -> dict[str, tuple[str | None, str | None]]:
    """study id -> (start, end) as written under data_collection: in each study.yaml."""
    import yaml

    out = {}
    for path in sorted(STUDIES.glob("*/study.yaml")):
        period = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("data_collection")
        if period:
            out[path.parent.name] = tuple(
                None if period.get(k) is None else str(period[k]) for k in ("start", "end")
            )
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
    assert warnings == set()  # every recommended property stated, temporal and coordinates too
    # the command names the studies that state no period, and no longer asks for coordinates
    undated = sorted(p.name for p in STUDIES.iterdir() if p.name not in _stated_periods())
    assert undated and f"{len(undated)} do not" in output
    assert all(sid in output for sid in undated)
    assert "dcat:centroid" not in output
    assert "--publisher" not in output and "--contact" not in output


def test_release_description_passes_dcat_ap_3(release):
    out, output = release
    description = Graph().parse(out / "ipskg-dcat.ttl", format="turtle")
    violations, warnings = _results(description)
    assert violations == []
    assert warnings == set()
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


def test_temporal_coverage_is_the_periods_of_the_study_files(described):
    """One dct:PeriodOfTime per study whose study.yaml states data_collection:, with its
    start and end at the precision written; no period for the others."""
    description, _ = described
    stated = _stated_periods()
    assert stated["harkko-2025"] == ("2023-05", "2023-08")
    found = {}
    for period in description.objects(DATASET, DCTERMS.temporal):
        assert (period, RDF.type, DCTERMS.PeriodOfTime) in description
        study = description.value(period, PROV.wasDerivedFrom)
        label = str(description.value(period, RDFS.label))
        sid = str(study).rsplit("/", 1)[1]
        assert sid in label
        found[sid] = tuple(description.value(period, p) for p in (DCAT.startDate, DCAT.endDate))
    typed = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    assert set(found) == set(stated)
    for sid, (start, end) in stated.items():
        for written, literal in ((start, found[sid][0]), (end, found[sid][1])):
            assert literal == Literal(written, datatype=typed[len(written)]), sid
    assert found["harkko-2025"] == (
        Literal("2023-05", datatype=XSD.gYearMonth),
        Literal("2023-08", datatype=XSD.gYearMonth),
    )


def _wkt_numbers(text: str) -> list[str]:
    return re.findall(r"-?[0-9]+(?:\.[0-9]+)?", text)


def test_country_coordinates_are_those_of_the_cited_datasets(described):
    """Each country's dcat:centroid is its row of 360info's centroids.csv and its dcat:bbox
    Natural Earth's bbox, number for number (tests/fixtures/geo/README.md)."""
    description, _ = described
    with open(GEO / "centroids.csv", encoding="utf-8", newline="") as fh:
        centroids = {row["name"]: row for row in csv.DictReader(fh)}
    with open(GEO / "ne_110m_admin_0_countries-bbox.tsv", encoding="utf-8", newline="") as fh:
        boxes = {row["ADM0_A3"]: row["bbox"] for row in csv.DictReader(fh, delimiter="\t")}
    wkt = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
    countries = set(description.objects(DATASET, DCTERMS.spatial))
    assert len(countries) == 8
    for country in countries:
        name = str(description.value(country, SKOS.prefLabel))
        row = centroids[name]
        centroid = description.value(country, DCAT.centroid)
        bbox = description.value(country, DCAT.bbox)
        assert centroid.datatype == wkt and bbox.datatype == wkt
        assert str(centroid) == f"POINT({row['lon']} {row['lat']})"
        west, south, east, north = boxes[row["iso3"]].strip("[]").split(",")
        assert str(bbox).startswith("POLYGON((")
        assert _wkt_numbers(str(bbox)) == [
            west,
            south,
            east,
            south,
            east,
            north,
            west,
            north,
            west,
            south,
        ]
    finland = URIRef("https://w3id.org/ipskg/place/Finland")
    assert str(description.value(finland, DCAT.centroid)) == (
        "POINT(26.242675096008295 64.48701596481372)"
    )
    assert _wkt_numbers(str(description.value(finland, DCAT.bbox)))[:4] == [
        "20.645593",
        "59.846373",
        "31.516092",
        "59.846373",
    ]


def test_void_vocabulary_names_ipskg_itself(described):
    description, _ = described
    vocabularies = set(description.objects(DATASET, VOID.vocabulary))
    assert URIRef(str(IPSKG)) in vocabularies
