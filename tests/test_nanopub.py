"""ipskg export --nanopub: one nanopublication per finding and determinant observation, read
back and checked by the nanopub library itself (trusty URI, structure, signature)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from ipskg.cli import main

STUDY = Path(__file__).parent / "fixtures" / "cases" / "valid" / "lakeside-site"
IPSKG = "https://w3id.org/ipskg/ontology#"


def export(runner, out: Path, *extra: str) -> str:
    result = runner.invoke(
        main,
        [
            "export",
            "--study",
            str(STUDY),
            "--nanopub",
            str(out),
            "--nanopub-date",
            "2026-12-06",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_one_nanopub_per_record_with_a_valid_trusty_uri(runner, tmp_path: Path) -> None:
    from nanopub import Nanopub

    export(runner, tmp_path / "np")
    files = sorted(p.name for p in (tmp_path / "np").glob("*.trig"))
    # tests/fixtures/cases/valid/lakeside-site: observations o1-o4 and finding f1
    assert files == [
        "finding-lakeside-site-f1.trig",
        "observation-lakeside-site-o1.trig",
        "observation-lakeside-site-o2.trig",
        "observation-lakeside-site-o3.trig",
        "observation-lakeside-site-o4.trig",
    ]
    np = Nanopub(rdf=tmp_path / "np" / "observation-lakeside-site-o2.trig")
    assert np.source_uri.startswith("http://purl.org/np/RA")
    assert np.is_valid and np.has_valid_trusty
    record = URIRef("https://w3id.org/ipskg/study/lakeside-site/observation/o2")
    assert (record, URIRef(IPSKG + "construct"), None) in np.assertion
    sources = list(np.provenance.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert sources, "the provenance names where the claim was read"
    assert any(np.provenance.objects(None, URIRef(IPSKG + "section")))
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (None, DCTERMS.license, licence) in np.pubinfo


def test_same_data_and_date_give_the_same_nanopubs(runner, tmp_path: Path) -> None:
    export(runner, tmp_path / "a")
    export(runner, tmp_path / "b")
    for file in (tmp_path / "a").glob("*.trig"):
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes()


def test_a_changed_claim_fails_the_trusty_check(runner, tmp_path: Path) -> None:
    from nanopub import Nanopub
    from nanopub.utils import MalformedNanopubError

    export(runner, tmp_path / "np")
    path = tmp_path / "np" / "finding-lakeside-site-f1.trig"
    np = Nanopub(rdf=path)
    statement = next(np.assertion.objects(None, URIRef(IPSKG + "statement")))
    path.write_text(path.read_text().replace(str(statement), str(statement) + " (edited)"))
    with pytest.raises(MalformedNanopubError):
        Nanopub(rdf=path).has_valid_trusty  # noqa: B018
    assert Literal(str(statement) + " (edited)", lang="en") in set(
        Nanopub(rdf=path).assertion.objects()
    )


def test_signed_with_a_key(runner, tmp_path: Path) -> None:
    from Crypto.PublicKey import RSA
    from nanopub import Nanopub

    key = tmp_path / "id_rsa"
    key.write_bytes(RSA.generate(2048).export_key())
    export(
        runner,
        tmp_path / "np",
        "--sign-key",
        str(key),
        "--signer-orcid",
        "https://orcid.org/0000-0002-1825-0097",
        "--signer-name",
        "Test Curator",
    )
    np = Nanopub(rdf=tmp_path / "np" / "observation-lakeside-site-o1.trig")
    assert np.has_valid_signature and np.has_valid_trusty
    assert np.signed_with_public_key


def test_a_key_without_orcid_is_a_clear_error(runner, tmp_path: Path) -> None:
    key = tmp_path / "id_rsa"
    key.write_text("not a key")
    result = runner.invoke(
        main,
        [
            "export",
            "--study",
            str(STUDY),
            "--nanopub",
            str(tmp_path / "np"),
            "--sign-key",
            str(key),
        ],
    )
    assert result.exit_code == 2
    assert "ORCID" in result.output and "Traceback" not in result.output
