"""hutchinson-2018 (Making IPS Work, United Kingdom) against the curators' reference notes.

The notes (shared/reference/other-studies.md §5.4) give two sources for this project: the IJERPH
paper's abstract (Hutchinson, Gilbert, Papworth, Boardman 2018) and the Gilbert & Papworth 2017
evaluation report, known only from summaries (evidence.nhs.uk, vrassociationuk.com). Each fact
must stay on its own source: the paper's figures (6 sites, 18 months, 421 jobs, fidelity checks at
3 of 6) on the abstract, the report's facilitators, challenges and effects only ever via a
secondary source whose summarises_publication is the report (a related publication), never on the
paper. The notes give neither summary's title, page address or access date: the summaries name
their websites only, and the shapes warn about the missing titles.
Assertions that need the notes (or the Harkko et al. 2025 text, for the author initials) are
skipped when those files are absent (a clean clone); the others run on the data alone.
"""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from studycheck import (
    NOTES,
    PAPER_NAME,
    StudyFiles,
    needs_notes,
    repeated_ratings,
    shared_file,
    stands_in,
    stated_numbers,
)

from ipskg.model.namespaces import IPSKG, STUDY
from ipskg.studies.build import build

SID = "hutchinson-2018"
DATA = StudyFiles(SID)
PAPER = shared_file(PAPER_NAME)


def notes_items() -> tuple[str, str]:
    """The notes' two bullets of §5.4: the IJERPH paper, and the Gilbert & Papworth report."""
    assert NOTES is not None
    m = re.search(r"^### 5\.4 .*?(?=^### |\Z)", NOTES, re.M | re.S)
    assert m, "the notes have no section 5.4"
    section = m.group(0)
    paper = re.search(r"^- \*\*Hutchinson.*?(?=^- \*\*|\Z)", section, re.M | re.S)
    report = re.search(r"^- \*\*Gilbert & Papworth 2017.*?(?=^- \*\*|\Z)", section, re.M | re.S)
    assert paper and report, "section 5.4 lacks the paper's or the report's item"
    return paper.group(0), report.group(0)


STUDY_YAML = DATA.load("study.yaml")


# Words that mark a fact of the Gilbert & Papworth report (its facilitators, challenges and other
# effects). A record that says any of them must be read via a secondary source, never on the paper.
REPORT_CUES = (
    "evaluation of implementation",  # the report's own title
    "recovery",
    "pioneer",
    "employment services",
    "change management",
    "cross-sector",
    "role boundar",
    "confidence",
    "morale",
    "jobcentre",
    "voluntary sector",
    "employers",
)
# text fields whose digits are figures of the study (labels, statements, bibliographic numbers)
TEXT_KEYS = (
    "value",
    "statement",
    "label",
    "pages",
    "volume",
    "issue",
    "unit",
    "description",
    "time_point",
    "article_number",
)
RECORD_LISTS = {
    "study.yaml": (
        "characteristics",
        "case_groups",
        "cases",
        "role_categories",
        "secondary_sources",
        "related_publications",
    ),
    "observations.yaml": ("observations",),
    "findings.yaml": ("findings",),
    "outcomes.yaml": ("outcomes", "effects"),
    "fidelity.yaml": ("fidelity_reviews",),
}


def records():
    """(file, record) for every record that states a study fact."""
    for name, keys in RECORD_LISTS.items():
        data = DATA.load(name)
        for key in keys:
            for rec in data.get(key) or []:
                yield name, rec
    if "project" in STUDY_YAML:
        yield "study.yaml", STUDY_YAML["project"]


def record_source(rec: dict):
    src = rec.get("source", rec.get("evidence_source"))
    return src if isinstance(src, dict) else {"section": src}


def is_report_fact(rec: dict) -> bool:
    text = " ".join(
        str(v) for k, v in rec.items() if k in ("summary", "statement", "value", "label", "title")
    ).casefold()
    return any(cue in text for cue in REPORT_CUES)


# ---------------------------------------------------------------- data alone


def test_builds_and_conforms_with_warnings_only_for_the_unknown_summary_titles():
    from ipskg.shacl.validate import validate_paths

    report = validate_paths([DATA.folder])
    assert report.conforms, [r.message for r in report.results]
    assert sorted((r.severity, r.record, r.field) for r in report.results) == [
        ("Warning", "evidence-nhs-summary", "title"),
        ("Warning", "vrassociationuk", "title"),
    ]


def test_build_has_the_study_with_abstract_or_summary_sources_only():
    kinds = DATA.source_kinds(build(study_dirs=[DATA.folder]).graph)
    assert IPSKG.AbstractSource in kinds
    assert kinds <= {IPSKG.AbstractSource, IPSKG.SecondarySummarySource}
    assert IPSKG.SecondarySummarySource in kinds  # the report's facts


def test_no_source_claims_full_text():
    assert STUDY_YAML["source_kind"] == "abstract"
    assert not DATA.full_text_claims()


def test_report_facts_never_on_the_paper():
    """A fact of the evaluation report is read via a secondary source; the paper's are not."""
    for name, rec in records():
        src = record_source(rec)
        if is_report_fact(rec):
            assert src.get("via"), (name, rec.get("id"), "a report fact put on the paper")
        else:
            assert not src.get("via"), (name, rec.get("id"), "a paper fact put on a summary")
    # the report is not this study's publication: its title is not the study's
    assert "evaluation of implementation" not in STUDY_YAML["publication"]["title"].casefold()


def test_summaries_name_only_their_websites_and_summarise_the_report():
    # the notes give the websites, not the pages, titles or access dates: none is invented
    sites = {"evidence-nhs-summary": "evidence.nhs.uk", "vrassociationuk": "vrassociationuk.com"}
    for sec in STUDY_YAML["secondary_sources"]:
        assert sec["kind"] == "summary" and sec["site"] == sites[sec["id"]]
        assert not {"url", "doi", "title", "accessed"} & set(sec), sec["id"]
        assert sec["summarises_publication"] == "gilbert-papworth-2017"
    (report,) = STUDY_YAML["related_publications"]
    assert report["type"] == "report" and report["year"] == 2017
    assert report["authors"] == ["Gilbert", "Papworth"] and "doi" not in report


def test_the_graph_links_the_summaries_to_the_report_not_the_paper():
    graph = build(study_dirs=[DATA.folder]).graph
    paper = URIRef("https://doi.org/" + STUDY_YAML["publication"]["doi"])
    report = STUDY[SID + "/related-publication/gilbert-papworth-2017"]
    for sec in ("evidence-nhs-summary", "vrassociationuk"):
        assert set(graph.objects(STUDY[f"{SID}/secondary-source/{sec}"], IPSKG.summarises)) == {
            report
        }
    assert (report, None, None) in graph and paper != report


def test_unknowns_stay_unknown():
    assert "cases" not in STUDY_YAML  # per-site figures were not retrievable
    for group in STUDY_YAML["case_groups"]:
        assert "members" not in group
    assert not (DATA.folder / "fidelity.yaml").exists()  # fidelity checks, but no scores
    for out in DATA.load("outcomes.yaml")["outcomes"]:
        assert out.get("measured_in") in (None, "all-sites"), out["id"]  # no per-site count


def test_country_sites_and_integration_aim():
    chars = {c["id"]: c for c in STUDY_YAML["characteristics"]}
    assert chars["country"]["value"] == "United Kingdom"
    assert chars["number-of-cases"]["value"] == 6
    assert chars["setting"]["qualifier"] == "within-mental-health-team"
    assert "aimed" in chars["setting"]["value"]  # an aim, not a per-site fact
    groups = {g["id"]: g["count"] for g in STUDY_YAML["case_groups"]}
    assert groups == {"all-sites": 6, "fidelity-checked-sites": 3}


def test_jobs_gained_as_printed():
    (jobs,) = DATA.load("outcomes.yaml")["outcomes"]
    assert jobs["outcome"] == "job-start"
    assert (jobs["value"], jobs["unit"], jobs["time_point"]) == (421, "count", "over 18 months")
    assert "numerator" not in jobs and "denominator" not in jobs


def test_determinants_only_from_the_report():
    # the abstract names no determinant: every observation is a report fact read via a summary
    for obs in DATA.load("observations.yaml").get("observations") or []:
        assert record_source(obs).get("via"), obs["id"]
        assert obs["rationale"].strip() and obs.get("phase")


# ---------------------------------------------------------------- against the notes


@needs_notes
def test_bibliography_in_the_notes():
    paper, _ = notes_items()
    first = paper.splitlines()[0]
    pub = STUDY_YAML["publication"]
    for author in pub["authors"]:
        assert author.split()[0] in first, author
    assert pub["title"] in first
    assert f"{pub['year']};{pub['volume']}({pub['issue']}):{pub['article_number']}" in first
    assert f"doi:{pub['doi']}" in first


@pytest.mark.skipif(PAPER is None, reason="shared/paper/harkko-2025-… (reference 10) not available")
def test_author_initials_as_in_harkko_reference_10():
    text = PAPER.read_text(encoding="utf-8")
    ref = next(line for line in text.splitlines() if line.startswith("- 10."))
    assert ref.startswith("- 10." + ", ".join(STUDY_YAML["publication"]["authors"]) + ". ")
    assert "et al" not in ref  # the list is complete
    assert STUDY_YAML["publication"].get("authors_complete", True) is True


@needs_notes
def test_cues_belong_to_the_report_not_the_paper():
    paper, report = notes_items()
    for cue in ("recovery", "pioneer", "change management", "role boundar", "morale"):
        assert cue in report.casefold() and cue not in paper.casefold(), cue


@needs_notes
def test_every_number_is_in_its_own_source():
    paper, report = notes_items()
    for name, rec in records():
        own = report if record_source(rec).get("via") else paper
        for n in stated_numbers(rec, TEXT_KEYS):
            assert stands_in(n, own), (name, rec.get("id"), n)
    pub = STUDY_YAML["publication"]
    for n in stated_numbers(pub, TEXT_KEYS):
        assert stands_in(n, paper.splitlines()[0]), n


@needs_notes
def test_paper_facts_in_the_notes():
    paper, _ = notes_items()
    assert "6 NHS mental health trust sites over an 18-month implementation" in paper
    assert "establish IPS within clinical teams, reach high fidelity, leave a sustainable" in paper
    assert "**421 jobs** gained over 18 months" in paper
    assert "Independent fidelity checks at **3 of the 6 sites**" in paper
    assert "Stakeholders interviewed throughout" in paper
    assert "Per-site job counts and fidelity scores were not retrievable" in paper


# ---------------------------------------------------------------- the report's records


# The report's determinants as the notes list them: facilitators +, challenges -; the two
# statements about relationships across sectors share one construct and unit, so they are one X.
REPORT_DETERMINANTS = {
    "o-recovery-culture": ("Facilitators", "recovery-focused culture", "+"),
    "o-internal-pioneers": ("Facilitators", 'internal "pioneers" who had already used IPS', "+"),
    "o-employment-service-relationships": (
        "Facilitators|Challenges",
        "good relationships with other employment services|need for strong cross-sector "
        "relationships",
        "X",
    ),
    "o-change-management": ("Challenges", "significant change management", "-"),
    "o-role-boundaries": ("Challenges", "unclear role boundaries", "-"),
}


def test_report_records_are_coded_and_kept_off_the_paper():
    observations = DATA.load("observations.yaml")["observations"]
    assert {o["id"] for o in observations} == set(REPORT_DETERMINANTS)
    for obs in observations:
        assert obs["evidence_source"] == {"section": "unknown", "via": "evidence-nhs-summary"}
        assert obs["valence"] == REPORT_DETERMINANTS[obs["id"]][2], obs["id"]
        assert obs.get("strength") == (1 if obs["valence"] in "+-" else None), obs["id"]
        assert obs["observed_in"] == "all-sites" and obs["rationale"].strip()
        assert is_report_fact(obs), obs["id"]
    assert repeated_ratings(observations) == []  # one rating per construct, unit, phase and role
    findings = [f for f in DATA.load("findings.yaml")["findings"] if f["id"].startswith("f-report")]
    assert {f["id"] for f in findings} == {"f-report-benefits", "f-report-close-working"}
    for finding in findings:
        assert finding["source"]["via"] and is_report_fact(finding), finding["id"]


@needs_notes
def test_report_determinants_are_in_the_report_item():
    _, report = notes_items()
    for oid, (lists, words, _) in REPORT_DETERMINANTS.items():
        for listed, phrase in zip(lists.split("|"), words.split("|"), strict=True):
            line = re.search(rf"^\s*- {listed}:(.*)$", report, re.M)
            assert line and phrase.casefold() in line.group(1).casefold(), (oid, phrase)
