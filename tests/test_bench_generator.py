"""bench/generate.py: the loader's own triples, conforming to the shapes, using declared terms."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two synthetic studies as N-Triples (data only) and as YAML study folders."""
    tmp = tmp_path_factory.mktemp("bench")
    out, yaml_dir = tmp / "data.nt", tmp / "yaml"
    n, studies = generate.generate(6_000, out, seed=11, with_ontology=False, yaml_dir=yaml_dir)
    assert studies >= 2 and n >= 6_000
    return out, yaml_dir


def test_same_triples_as_the_real_loader_reading_the_yaml(sample: tuple[Path, Path]) -> None:
    from ipskg.studies.build import build

    nt, yaml_dir = sample
    generated = Graph().parse(nt, format="nt")
    folders = sorted((yaml_dir / "studies").iterdir())
    loaded = build(study_dirs=folders, with_ontology=False).graph
    assert len(generated) == len(loaded)
    assert set(generated) == set(loaded)


def test_every_kind_of_record_is_present(sample: tuple[Path, Path]) -> None:
    from ipskg.model.namespaces import IPSKG

    g = Graph().parse(sample[0], format="nt")
    for cls in (
        IPSKG.Study,
        IPSKG.Case,
        IPSKG.CaseGroup,
        IPSKG.Participant,
        IPSKG.Quote,
        IPSKG.SubTheme,
        IPSKG.DeterminantObservation,
        IPSKG.Finding,
        IPSKG.FidelityReview,
        IPSKG.FidelityItemScore,
        IPSKG.SourceLocation,
    ):
        assert (None, RDF.type, cls) in g, f"no {cls} generated"
    review = next(g.subjects(RDF.type, IPSKG.FidelityReview))
    assert len(list(g.objects(review, IPSKG.hasItemScore))) == 25


def test_uses_only_terms_the_ontology_declares(sample: tuple[Path, Path]) -> None:
    from ipskg.vocab.ontology import ontology_graph

    declared = set(ontology_graph().subjects())
    g = Graph().parse(sample[0], format="nt")
    used: set[URIRef] = set()
    for _, p, o in g:
        used.add(p)  # type: ignore[arg-type]
        if p == RDF.type or (
            isinstance(o, URIRef)
            and str(o).startswith("https://w3id.org/ipskg/")
            and "/study/" not in str(o)
        ):
            used.add(o)  # type: ignore[arg-type]
    undeclared = sorted(str(t) for t in used - declared if not str(t).startswith(BUILTIN))
    assert undeclared == []


def test_observations_use_cfir_constructs_from_the_ontology(sample: tuple[Path, Path]) -> None:
    from ipskg.model.namespaces import CFIR, IPSKG
    from ipskg.vocab.ontology import ontology_graph

    onto = ontology_graph()
    g = Graph().parse(sample[0], format="nt")
    constructs = set(g.objects(None, IPSKG.construct))
    assert constructs and all(str(c).startswith(str(CFIR)) for c in constructs)
    assert all((c, RDF.type, None) in onto for c in constructs)


def test_conforms_to_the_shapes(tmp_path: Path) -> None:
    import pyshacl

    from ipskg.model.resources import shapes_dir

    shape_files = sorted(shapes_dir().glob("*.ttl"))
    if not shape_files:
        pytest.skip("shapes/ has no shapes yet")
    out = tmp_path / "g.nt"
    generate.generate(1, out, seed=5)  # ontology + one study
    data = Graph().parse(out, format="nt")
    shapes = Graph()
    for p in shape_files:
        shapes.parse(p, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text


def test_seeded_and_reproducible(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    for path, seed in ((a, 1), (b, 1), (c, 2)):
        generate.generate(8_000, path, seed=seed)  # with the ontology and its blank nodes
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize(("text", "value"), [("10k", 10_000), ("1M", 1_000_000), ("2500", 2_500)])
def test_parse_size(text: str, value: int) -> None:
    assert generate.parse_size(text) == value
