"""ipskg import qdpx / codes-map: REFI-QDA projects written by real tools (qc, AQDA; see
tests/fixtures/qdpx/README.md) into study folders that validate, build and answer; the
exporters' quirks; hostile archives; privacy."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from ipskg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "qdpx"
AQDA = FIXTURES / "aqda-ips.qdpx"
CODES = FIXTURES / "aqda-ips-codes.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def import_(project: Path, out: Path, *extra: str) -> str:
    code, output = run("import", "qdpx", str(project), "-o", str(out), *extra)
    assert code == 0, output
    return output


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def texts_by_sha(path: Path) -> dict[str, str]:
    import hashlib

    out = {}
    for name, data in members(path).items():
        if name.casefold().startswith("sources/"):
            text = data.decode("utf-8")
            out[hashlib.sha256(text.encode()).hexdigest()] = text
    return out


@pytest.fixture(scope="module")
def aqda_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import") / "synthetic-ips"
    import_(AQDA, out, "--codes", str(CODES))
    return out


def test_import_validates_builds_and_answers(aqda_study: Path, tmp_path: Path) -> None:
    assert sorted(p.name for p in aqda_study.iterdir()) == [
        "coding.yaml",
        "observations.yaml",
        "quotes.yaml",
        "study.yaml",
        "themes.yaml",
    ]
    code, output = run("validate", str(aqda_study))
    assert code == 0, output
    code, output = run("build", "--study", str(aqda_study), "--out-dir", str(tmp_path / "out"))
    assert code == 0, output
    graph = str(tmp_path / "out" / "ipskg.ttl")
    code, output = run(
        "query", "construct-profile", "-p", "study=synthetic-ips", "--graph", graph, "-f", "csv"
    )
    assert code == 0, output
    rows = {
        (r["construct_notation"], r["role"], r["unit"], r["phase"], r["rating"])
        for r in csv.DictReader(output[output.index("study,") :].splitlines())
    }
    # by hand from synthetic_ips_text.py: "Financing -" (mapped to sustainment) is coded in
    # both Site North interviews (01 and 02), so -2; "Work Infrastructure +" once in Site
    # South's only interview, so +1 (one of one transcript is not "at least two")
    assert ("II.F", "", "Site North", "sustainment", "-2") in rows
    assert ("III.A.3", "", "Site South", "", "+1") in rows
    assert ("IV.C.D", "High-level Leaders", "Site North", "", "+2") in rows
    assert len(rows) == 9
    # 14 coded passages (two codes on one passage are one quote), every one a quote
    code, output = run(
        "query",
        "provenance",
        "-p",
        "study=synthetic-ips",
        "-p",
        "record=q-1c7d1f489a",
        "--graph",
        graph,
    )
    assert code == 0 and "primary-data" in output, output


def test_codes_mapped_to_sub_themes_give_themes_and_supporting_quotes(
    aqda_study: Path, tmp_path: Path
) -> None:
    themes = yaml.safe_load((aqda_study / "themes.yaml").read_text())["themes"]
    assert [t["id"] for t in themes] == ["leading-for-ips", "prioritising-ips"]
    quotes = yaml.safe_load((aqda_study / "quotes.yaml").read_text())["quotes"]
    supporting = [q for q in quotes if q.get("supports") == ["prioritising-ips"]]
    # "Relative Priority +" is applied to one passage in each site (synthetic_ips_text.py)
    assert len(supporting) == 2
    out = tmp_path / "out"
    assert run("build", "--study", str(aqda_study), "--out-dir", str(out))[0] == 0
    code, output = run(
        "query",
        "subtheme-quote-counts",
        "-p",
        "study=synthetic-ips",
        "--graph",
        str(out / "ipskg.ttl"),
        "-f",
        "csv",
    )
    assert code == 0, output
    assert "synthetic-ips,Leading for IPS,Leaders make IPS a priority,0,0,2,2" in output


def test_quotes_are_the_exact_selected_text(aqda_study: Path) -> None:
    texts = texts_by_sha(AQDA)
    coding = yaml.safe_load((aqda_study / "coding.yaml").read_text())
    sha = {d["id"]: d["sha256"] for d in coding["documents"]}
    quotes = yaml.safe_load((aqda_study / "quotes.yaml").read_text())["quotes"]
    assert len(quotes) == 14
    for q in quotes:
        text = texts[sha[q["source"]["transcript"]]]
        assert text[q["start"] : q["end"]] == q["text"]
    # the passage after the emoji in Interview 01 (positions count code points)
    assert any(q["text"] == "The funding ended after the pilot" for q in quotes)


def test_reexport_with_new_guids_gives_the_same_iris(aqda_study: Path, tmp_path: Path) -> None:
    again = tmp_path / "synthetic-ips"
    import_(FIXTURES / "aqda-ips-reexport.qdpx", again, "--codes", str(CODES))
    first, second = (Graph(), Graph())
    for folder, graph in ((aqda_study, first), (again, second)):
        out = folder.parent / f"built-{folder.parent.name}"
        code, output = run("build", "--study", str(folder), "--out-dir", str(out))
        assert code == 0, output
        graph.parse(out / "ipskg.nt")
    assert isomorphic(first, second)


def test_privacy_transcripts_names_and_users_stay_out(aqda_study: Path) -> None:
    written = "".join(p.read_text() for p in aqda_study.iterdir())
    assert "Interview 01" not in written and "coder_a" not in written
    quotes = yaml.safe_load((aqda_study / "quotes.yaml").read_text())["quotes"]
    quoted = " ".join(q["text"] for q in quotes)
    for text in texts_by_sha(AQDA).values():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip()
            if len(sentence) > 40 and sentence not in quoted:
                assert sentence not in written, sentence


def test_codes_map_guesses_and_import_refuses_unreviewed(tmp_path: Path) -> None:
    code, output = run("import", "codes-map", str(AQDA), "-o", str(tmp_path / "map.yaml"))
    assert code == 0, output
    text = (tmp_path / "map.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["codes"]["Financing -"] == {"construct": "II.F", "valence": "-", "review": True}
    assert data["codes"]["High-level Leaders: Motivation +"]["role"] == "IV.R.A"
    assert "Inner Setting" not in data["codes"]  # a domain is not rated
    code, output = run(
        "import",
        "qdpx",
        str(AQDA),
        "--codes",
        str(tmp_path / "map.yaml"),
        "-o",
        str(tmp_path / "s"),
    )
    assert code == 2
    assert "still marked review: true" in output and "map.yaml:" in output
    assert not (tmp_path / "s").exists()
    # qc names codes financing_neg, high-level_leaders_motivation_pos
    code, output = run("import", "codes-map", str(FIXTURES / "qc-ips.qdpx"))
    assert code == 0
    qc = yaml.safe_load(output)["codes"]
    assert qc["financing_neg"]["construct"] == "II.F" and qc["financing_neg"]["valence"] == "-"
    assert qc["high-level_leaders_motivation_pos"]["role"] == "IV.R.A"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("Financing -:", "Financing:"), "did you mean 'Financing -'"),
        (
            lambda t: t.replace("construct: III.I", "construct: Mision Alignment"),
            "did you mean III.I",
        ),
        (lambda t: t.replace("Interview 03*", "Interview 09*"), "matches no document"),
    ],
)
def test_code_map_errors_are_located(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "codes.yaml"
    bad.write_text(edit(CODES.read_text()))
    code, output = run("import", "qdpx", str(AQDA), "--codes", str(bad), "-o", str(tmp_path / "s"))
    assert code == 2, output
    assert message in output and re.search(r"codes\.yaml:\d+", output), output
    assert "Traceback" not in output


def test_qc_project_without_cases_or_map(tmp_path: Path) -> None:
    out = tmp_path / "qc-study"
    output = import_(FIXTURES / "qc-ips.qdpx", out)
    assert "14 quotes" in output and "no --codes" in output
    code, output = run("validate", str(out))
    # nothing else is wrong: the study only lacks the publication the team must add
    assert code == 1 and "names no publication" in output and "2 violation(s)" in output
    quotes = yaml.safe_load((out / "quotes.yaml").read_text())["quotes"]
    assert all(q["text"].endswith("\n") for q in quotes)  # qc codes whole lines


def test_existing_folder_is_not_overwritten(aqda_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "synthetic-ips"
    shutil.copytree(aqda_study, out)
    (out / "notes.txt").write_text("mine")
    code, output = run("import", "qdpx", str(AQDA), "-o", str(out))
    assert code == 2 and "--replace" in output
    code, output = run("import", "qdpx", str(AQDA), "-o", str(out), "--replace")
    assert code == 2 and "notes.txt" in output
    (out / "notes.txt").unlink()
    code, output = run("import", "qdpx", str(AQDA), "-o", str(out), "--replace")
    assert code == 0 and not (out / "observations.yaml").exists()


# ------------------------------------------------------------------ exporters' quirks
def _qde(files: dict[str, bytes]) -> str:
    return files["project.qde"].decode("utf-8")


def test_atlas_style_archive_name_folder_and_memo(tmp_path: Path) -> None:
    files = members(AQDA)
    qde = _qde(files)
    # ATLAS.ti: the .qde is named after the project; memos as <Description> on a selection;
    # a zero-length selection; sources/ in lower case
    qde = re.sub(
        r"(<PlainTextSelection [^>]*>)(<Coding )",
        r"\1<Description>Comment written as ATLAS.ti does.</Description>\2",
        qde,
        count=1,
    )
    qde = re.sub(
        r"(<PlainTextSelection [^>]*>)",
        r'<PlainTextSelection guid="00000000-0000-0000-0000-000000000001" '
        r'startPosition="5" endPosition="5"></PlainTextSelection>\1',
        qde,
        count=1,
    )
    renamed = {"Trial.qde": qde.encode()}
    renamed |= {
        n.replace("Sources/", "sources/"): d for n, d in files.items() if n != "project.qde"
    }
    archive = rezip(tmp_path / "Trial.qdpx", renamed)
    out = tmp_path / "atlas"
    output = import_(archive, out, "--codes", str(CODES))
    assert "1 zero-length selection(s)" in output
    memos = yaml.safe_load((out / "coding.yaml").read_text())["memos"]
    assert any(m["text"] == "Comment written as ATLAS.ti does." for m in memos)
    assert run("validate", str(out))[0] == 0


def test_nvivo_counts_utf16_code_units(tmp_path: Path, aqda_study: Path) -> None:
    files = members(AQDA)
    qde = _qde(files)
    texts = {n: d.decode() for n, d in files.items() if n.startswith("Sources/")}
    emoji_doc = next(n for n, t in texts.items() if "\U0001f642" in t)
    guid = emoji_doc.split("/")[1].removesuffix(".txt")
    after = texts[emoji_doc].index("\U0001f642") + 1

    def shift(match: re.Match[str]) -> str:
        block = match.group(0)
        return re.sub(
            r'(startPosition|endPosition)="(\d+)"',
            lambda m: f'{m.group(1)}="{int(m.group(2)) + (int(m.group(2)) >= after)}"',
            block,
        )

    qde = re.sub(rf'<TextSource guid="{guid}".*?</TextSource>', shift, qde, flags=re.S)
    qde = qde.replace('origin="AQDA"', 'origin="NVivo 14"')
    archive = rezip(tmp_path / "nvivo.qdpx", {**files, "project.qde": qde.encode()})
    out = tmp_path / "synthetic-ips"
    import_(archive, out, "--codes", str(CODES))
    assert (out / "quotes.yaml").read_text() == (aqda_study / "quotes.yaml").read_text().replace(
        "aqda-ips.qdpx", "nvivo.qdpx"
    ).replace("written by AQDA", "written by NVivo 14")


def test_selection_outside_its_source_is_a_clear_error(tmp_path: Path) -> None:
    files = members(AQDA)
    qde = re.sub(r'endPosition="\d+"', 'endPosition="99999"', _qde(files), count=1)
    archive = rezip(tmp_path / "bad.qdpx", {**files, "project.qde": qde.encode()})
    code, output = run("import", "qdpx", str(archive), "-o", str(tmp_path / "s"))
    assert code == 2 and "outside the source's" in output and "bad.qdpx" in output


# ------------------------------------------------------------------ hostile archives
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"""
DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/project.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"""


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"project.qde": BOMB}, "DTD, entities or external references"),
        ({"project.qde": XXE}, "DTD, entities or external references"),
        ({"project.qde": DTD}, "DTD, entities or external references"),
        ({"project.qde": b"<Project", "sources/a.txt": b"x"}, "not well-formed"),
        ({"project.qde": b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'}, "not a REFI-QDA"),
        ({"../evil.qde": b"<x/>"}, "path traversal"),
        ({"project.qde": b"<x/>", "sources/../../etc/passwd": b"x"}, "path traversal"),
        ({"/abs.txt": b"x", "project.qde": b"<x/>"}, "path traversal"),
        ({"project.qde": b"<x/>", "sources/big.txt": b"\0" * 5_000_000}, "zip bomb"),
        ({"notes.txt": b"x"}, "no project file"),
        ({"a.qde": b"<x/>", "b.qde": b"<x/>"}, "more than one project file"),
    ],
)
def test_hostile_archives_are_refused(
    tmp_path: Path, files: dict[str, bytes], message: str
) -> None:
    archive = rezip(tmp_path / "hostile.qdpx", files)
    code, output = run("import", "qdpx", str(archive), "-o", str(tmp_path / "s"))
    assert code == 2, output
    assert message in output and "Traceback" not in output
    assert not (tmp_path / "s").exists()


def test_oversized_member_and_non_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import ipskg.io.qdpx as qdpx

    monkeypatch.setattr(qdpx, "MAX_MEMBER_BYTES", 1000)
    archive = rezip(
        tmp_path / "big.qdpx", {"project.qde": b"<x/>", "sources/a.txt": os.urandom(4000)}
    )
    code, output = run("import", "qdpx", str(archive), "-o", str(tmp_path / "s"))
    assert code == 2 and "MB a project file or text source may be" in output, output
    (tmp_path / "plain.qdpx").write_bytes(b"not a zip")
    code, output = run("import", "qdpx", str(tmp_path / "plain.qdpx"), "-o", str(tmp_path / "s"))
    assert code == 2 and "not a ZIP file" in output


def test_memo_literal_kept_in_graph(aqda_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--study", str(aqda_study), "--out-dir", str(out))[0] == 0
    graph = Graph().parse(out / "ipskg.nt")
    assert any(
        isinstance(o, Literal) and "Synthetic memo" in str(o) for o in graph.objects(None, None)
    )
