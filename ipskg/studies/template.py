"""A new, empty study folder in the researcher format, for ``ipskg new-study``.

Every file of a study folder is written, each with its list keys empty and one commented example
record. The examples refer to each other (a case group, a case, a participant, a theme), so that
uncommenting all of them gives a study that conforms; ``tests/test_new_study.py`` checks that.
Nothing is filled in for the researcher: the publication block is commented out, so ``ipskg
validate`` on the fresh folder says what to add, with its file and line.
"""

from __future__ import annotations

__all__ = ["EXAMPLE_MARK", "study_files"]

EXAMPLE_MARK = '# Example (remove "# " at the start of each line to use it):'

_STUDY = """\
# Study {sid}: the study itself, its publication, setting, cases and people.
# Format: data/README.md, section "study.yaml"; values: docs/data-values.md.
# Conventions: every record has an id (lower case, digits, -); every fact has a source, the
# section path where the publication states it ("Results > Context") or
# {{section: ..., locator: "Table 1"}}; leave out whatever the source does not give.
id: {sid}
label: "{sid}"                        # a short name for tables, e.g. "Author et al. 2026"
source_kind: full-text                # what you read: full-text | abstract | summary | index-entry
                                      # | abstract-or-summary. Change it if you did not read the
                                      # full text: every fact claims the kind of source set here.

{mark}
# publication:
#   doi: 10.1234/example.2026.001
#   title: "The article's title, as printed"
#   authors: ["Surname A", "Surname B"]   # every author, in order; no "et al."
#   journal: "Journal name"
#   year: 2026
#   source: "Front matter"
# data_collection:                    # only when the source states when the data were collected
#   start: 2023-05                    # year, YYYY-MM or YYYY-MM-DD, as precise as the source
#   end: 2023-08
#   quote: "The data were collected from May to August 2023."   # the source's own words
#   source: "Methods > Data collection"
# characteristics:
#   - id: country
#     aspect: country
#     value: "Finland"
#     source: "Methods > Setting"
# case_groups:
#   - id: all-sites
#     label: "all sites"
#     count: 1
#     members: [site-a]
#     source: "Methods > Setting"
# cases:
#   - id: site-a
#     label: "Site A"
#     source: "Methods > Setting"
# participants:
#   - id: p1
#     number: 1
#     source: "Results"
characteristics: []
role_categories: []
role_descriptions: []
case_groups: []
cases: []
participants: []
context_factors: []
strategy_uses: []
secondary_sources: []
related_publications: []
"""

_THEMES = """\
# Themes of study {sid}: the leadership approaches, sub-themes or other themes the study reports.
# Format: data/README.md, section "themes.yaml".
{mark}
# themes:
#   - id: shared-vision
#     kind: theme                     # approach | sub-theme | theme
#     label: "Shared vision"
#     position: 1
#     source: "Results"
themes: []
"""

_QUOTES = """\
# Quotes of study {sid}, verbatim, each with where it is printed and whom the source says it is
# from (leave out what the source does not say). Format: data/README.md, section "quotes.yaml".
{mark}
# quotes:
#   - id: q01
#     text: "The words exactly as printed."
#     participant: p1
#     supports: [shared-vision]
#     form: block                     # block | in-text
#     position: 1
#     source: "Results"
quotes: []
"""

_OBSERVATIONS = """\
# CFIR 2022 determinants of study {sid}, coded by the curators: one rating per construct per unit
# (case or case group) and phase, with a rationale. The Individuals domain is a characteristic
# (IV.C.x) of a role (role: IV.R.x). Format: data/README.md, section "observations.yaml".
{mark}
# observations:
#   - id: o01
#     construct: "III.I"              # Mission Alignment
#     observed_in: all-sites
#     valence: "+"                    # + - 0 X M
#     strength: 1                     # 1 or 2, for + and - only
#     evidence_quotes: [q01]
#     phase: sustainment              # pre-implementation | implementation | sustainment
#     summary: "What was observed, in the curator's words."
#     rationale: "Why this construct, valence and strength."
observations: []
"""

_FINDINGS = """\
# Findings of study {sid}: what the authors conclude, in their words or close to them.
# Format: data/README.md, section "findings.yaml".
{mark}
# findings:
#   - id: f01
#     statement: "A conclusion the source states."
#     groups: [all-sites]
#     source: "Discussion"
findings: []
"""

_FIDELITY = """\
# IPS fidelity reviews of study {sid}, as published: item scores, a total, a band, or any
# combination; nothing the source does not give. Format: data/README.md, section "fidelity.yaml".
{mark}
# fidelity_reviews:
#   - id: site-a-2026
#     case: site-a
#     scale: IPS-25
#     date: 2026
#     total: 100
#     source: "Results"
fidelity_reviews: []
"""

_OUTCOMES = """\
# Outcomes of study {sid} (sustainment, employment, ...) per study, group or case, and effects
# against a comparator. Format: data/README.md, section "outcomes.yaml".
{mark}
# outcomes:
#   - id: sustained
#     outcome: sustainment
#     definition: "the programme still operating at follow-up, in the study's words"
#     measured_in: all-sites          # a case or case group; leave out for the whole study
#     status: sustained               # sustained | restarted | discontinued
#     source: "Results"
outcomes: []
effects: []
"""

_REVISIONS = """\
# Changes to the curated coding of study {sid} (CFIR codes, ratings, groupings), one dated record
# each, so that the graph can answer what changed, when and why. Format: data/README.md, section
# "revisions.yaml". Leave empty until the coding is first revised.
revisions: []
"""

_CODING = """\
# The team's own coded data of study {sid}: coders, transcripts (by checksum; their text stays
# out), the codebook, codings and memos. ipskg import qdpx writes this file from a REFI-QDA
# project (docs/import.md); leave it empty when the study was encoded from a publication.
# Format: data/README.md, section "coding.yaml".
{mark}
# coders:
#   - id: coder-1                     # pseudonymous, never a name
# documents:
#   - id: t-0123456789
#     sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#     characters: 1200
#     case: site-a
# codes:
#   - id: shared-vision-code
#     label: "Shared vision +"
#     construct: "III.I"              # the CFIR 2022 construct the team maps it to
# codings:
#   - id: c-q01
#     code: shared-vision-code
#     quote: q01
#     coder: coder-1
#     date: 2026-01-15
# memos:
#   - id: memo-1
#     text: "Analytic memo text."
#     about: [shared-vision-code]
#     coder: coder-1
coders: []
documents: []
codes: []
codings: []
memos: []
"""

_FILES = {
    "study.yaml": _STUDY,
    "themes.yaml": _THEMES,
    "quotes.yaml": _QUOTES,
    "observations.yaml": _OBSERVATIONS,
    "findings.yaml": _FINDINGS,
    "fidelity.yaml": _FIDELITY,
    "outcomes.yaml": _OUTCOMES,
    "revisions.yaml": _REVISIONS,
    "coding.yaml": _CODING,
}


def study_files(sid: str) -> dict[str, str]:
    """File name -> text of a new study folder for the study id ``sid``."""
    return {name: text.format(sid=sid, mark=EXAMPLE_MARK) for name, text in _FILES.items()}
