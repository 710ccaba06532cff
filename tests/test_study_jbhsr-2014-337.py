"""jbhsr-2014-337 (the "8-year analysis", J Behav Health Serv Res 2014;41(3):337-46): every
encoded fact checked against the reference notes it was read from.

The notes (shared/reference/other-studies.md, §5.2, the "Related" entry under Bond et al. 2014)
are read by the test itself when they exist; in a clean clone without them those assertions
are skipped, and the checks that need only the data still run.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import RDF
from studycheck import DOI_RE, NUMBER_RE, StudyFiles, notes_text, source_dicts

from ipskg.model.namespaces import IPSKG, OA
from ipskg.shacl.validate import validate_build
from ipskg.studies.build import build

STUDY = "jbhsr-2014-337"
DOI = "10.1007/s11414-013-9347-x"
PMID = "23709327"
DATA = StudyFiles(STUDY)

# figures that only Bond et al. 2014 (47/16/37 %, 49 sites, 6 years) or Jones et al. 2014
# (13 state leaders, 71 %) report
OTHER_PAPERS_ONLY_FIGURES = {"47", "16", "37", "49", "6", "13", "71"}


# ------------------------------------------------------------------ helpers
def notes_section() -> str:
    """The notes' entry for the 8-year analysis (one line under "Related"), with the heading
    of §5.2 (which gives the country)."""
    text = notes_text()
    heading = next(line for line in text.splitlines() if line.startswith("### 5.2"))
    line = next((ln for ln in text.splitlines() if "8-year analysis" in ln), None)
    assert line is not None, "the notes' entry for the 8-year analysis is missing"
    return heading + "\n" + line


# ------------------------------------------------------------------ data only
def test_the_study_builds_and_conforms() -> None:
    report = validate_build(build(study_dirs=[DATA.folder]))
    assert report.conforms, report.summary()
    # the only warnings: no title and no authors, which the notes do not give
    warnings = sorted(r.field for r in report.results if r.severity != "Violation")
    assert warnings == ["authors", "title"], warnings


def test_nothing_is_attributed_to_a_fuller_source_than_the_notes() -> None:
    study = DATA.load("study.yaml")
    assert study.get("source_kind") == "abstract-or-summary"  # the notes: "abstracts or summaries"
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert src.get("kind") != "full-text", (file, rec.get("id"))
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    kinds = set(graph.objects(None, IPSKG.sourceKind))
    assert kinds and IPSKG.FullTextSource not in kinds, kinds


def test_no_title_or_author_is_filled_in() -> None:
    study = DATA.load("study.yaml")
    pub = study["publication"]
    assert "title" not in study and "title" not in pub and "authors" not in pub
    assert study["label"].startswith("8-year analysis")
    assert pub["identifiers"] == {"pmid": PMID}


def test_figures_stay_on_this_papers_own_source() -> None:
    for file, rec in DATA.entries():
        for src in source_dicts(rec):
            assert "document" not in src, (file, rec.get("id"))
    dois = {d for _, rec in DATA.entries() for v in rec.values() for d in DOI_RE.findall(str(v))}
    assert dois == {DOI}, dois
    for where, nums in DATA.fact_numbers().items():
        assert not nums & OTHER_PAPERS_ONLY_FIGURES, (where, nums & OTHER_PAPERS_ONLY_FIGURES)
    graph = build(study_dirs=[DATA.folder], with_ontology=False).graph
    found = {
        o
        for loc in graph.subjects(RDF.type, IPSKG.SourceLocation)
        for o in graph.objects(loc, OA.hasSource)
    }
    assert found == {URIRef(f"https://doi.org/{DOI}")}, found


def test_no_count_of_programs_and_no_outcome_figures_are_invented() -> None:
    study = DATA.load("study.yaml")
    (group,) = study["case_groups"]
    assert "count" not in group and "members" not in group
    assert not [c for c in study["characteristics"] if c["aspect"] == "number-of-cases"]
    assert not (DATA.folder / "outcomes.yaml").exists()  # the notes give no figure


def test_only_the_predictor_with_a_stated_direction_is_rated() -> None:
    """Supervisor turnover 'predicted survival' without a direction, and fidelity at
    implementation is not a CFIR determinant: both stay findings; QI activities 'had little
    effect': rated 0, without strength."""
    (o,) = DATA.load("observations.yaml")["observations"]
    assert (o["id"], o["construct"], o["valence"]) == ("qi-activities", "V.H", "0")
    assert "strength" not in o and o.get("rationale")
    assert "QI activities" in o["summary"] and "little effect" in o["summary"]
    statements = [f["statement"] for f in DATA.load("findings.yaml")["findings"]]
    assert any("Supervisor turnover" in s for s in statements)
    assert any("Fidelity at implementation" in s for s in statements)


# ------------------------------------------------------------------ against the notes
def test_every_number_and_identifier_is_in_the_notes_entry() -> None:
    section = notes_section()
    section_numbers = set(NUMBER_RE.findall(section))
    for where, nums in DATA.fact_numbers().items():
        assert nums <= section_numbers, (where, nums - section_numbers)
    pub = DATA.load("study.yaml")["publication"]
    assert f"doi:{DOI}" in section and f"PMID {PMID}" in section
    cite = f"{pub['year']};{pub['volume']}({pub['issue']}):{pub['pages'].replace('-', '–')}"
    assert f"{pub['journal']} {cite}" in section
    assert DATA.load("study.yaml")["label"].removeprefix("8-year analysis, ") in section


def test_the_findings_are_the_notes_words() -> None:
    section = notes_section().lower()
    for f in DATA.load("findings.yaml")["findings"]:
        assert f["statement"].rstrip(".").lower() in section, f["id"]
    # the notes name the turnover's effect without a direction: nothing to rate it by
    assert not re.search(r"lower|higher|reduc|increas|worse|better", section)
