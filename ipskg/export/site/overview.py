"""The site's overview pages: the index, a page per study (with its rating matrix), the
conceptual model, and a page per competency question with its answer on this graph."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ipskg.model.errors import InputError
from ipskg.model.terms import IPSKG
from ipskg.sparql.catalogue import CompetencyQuery, answer
from ipskg.sparql.results import compact, render
from ipskg.sparql.store import SelectResult, Store

from .collect import (
    construct_path,
    constructs_with_evidence,
    evidence_parts,
    label,
    observations,
    of_type,
    record_path,
    study_id,
    study_path,
    subgraph,
    web_link,
)
from .grid import StudyMatrix, cross_study_table, matrix_table
from .pages import Figure, Page, Part, Row, Section, Table
from .records import finding_table, outcome_table, quote_table, units

__all__ = ["cross_matrix_page", "index_page", "model_page", "question_page", "study_page"]

MAX_ANSWER_ROWS = 500


def study_page(g: Graph, study: URIRef, m: StudyMatrix, figure: Figure | None) -> Page:
    sid = study_id(g, study)
    facts: list[tuple[str, list[Part]]] = [("title", [Part(label(g, study))]), ("id", [Part(sid)])]
    for pub in sorted(str(o) for o in g.objects(study, IPSKG.reportedIn)):
        facts.append(("publication", [web_link(pub)]))
    facts.append(("source", evidence_parts(g, study)))
    obs = observations(g, study)
    unit_rows: list[Row] = []
    for unit in units(g, study):
        n = sum(1 for o in obs if (o, IPSKG.observedIn, unit) in g)
        kind = "case" if (unit, IPSKG.inStudy, study) in g and "/case/" in str(unit) else "group"
        unit_rows.append([[Part(label(g, unit), record_path(unit))], [Part(kind)], [Part(str(n))]])
    sections = [
        Section("About", facts=facts),
        Section(
            "Cases and case groups",
            table=Table("Units of analysis", ["unit", "kind", "ratings"], unit_rows),
        ),
    ]
    if m.rows:
        sections.append(
            Section(
                "CFIR rating matrix",
                table=matrix_table(m),
                figure=figure,
                legend=True,
                anchor="matrix",
            )
        )
    findings = of_type(g, IPSKG.Finding, study)
    if findings:
        sections.append(Section("Findings", table=finding_table(g, findings)))
    outcomes = of_type(g, IPSKG.OutcomeMeasurement, study)
    if outcomes:
        sections.append(Section("Outcomes", table=outcome_table(g, outcomes)))
    quotes = of_type(g, IPSKG.Quote, study)
    if quotes:
        sections.append(Section("Quotes", table=quote_table(g, quotes)))
    themes = of_type(g, IPSKG.LeadershipApproach, study) + of_type(g, IPSKG.SubTheme, study)
    if themes:
        rows: list[Row] = []
        for t in themes:
            pw = g.value(t, IPSKG.correspondsToPathway)
            broader = g.value(t, SKOS.broader)
            rows.append(
                [
                    [Part(label(g, t), record_path(t))],
                    [Part(label(g, broader), record_path(broader))]
                    if isinstance(broader, URIRef)
                    else [],
                    [Part(label(g, pw), "model.html")] if isinstance(pw, URIRef) else [],
                ]
            )
        sections.append(
            Section("Themes", table=Table("Themes", ["theme", "approach", "pathway"], rows))
        )
    return Page(
        study_path(sid),
        f"{sid}: {label(g, study)}",
        "study",
        sections,
        graph=subgraph(g, study),
        search_label=f"{sid} — {label(g, study)}",
    )


def model_page(g: Graph, study: URIRef, figure: Figure | None, note: str) -> Page:
    sid = study_id(g, study)
    pathways = sorted(
        {
            pw
            for t in of_type(g, IPSKG.SubTheme, study)
            for pw in g.objects(t, IPSKG.correspondsToPathway)
            if isinstance(pw, URIRef)
        }
    )
    rows: list[Row] = []
    for pw in pathways:
        subs = [
            t for t in of_type(g, IPSKG.SubTheme, study) if (t, IPSKG.correspondsToPathway, pw) in g
        ]
        practices: list[Part] = []
        for s in subs:
            if practices:
                practices.append(Part(", "))
            practices.append(Part(label(g, s), record_path(s)))
        ends = [g.value(pw, p) for p in (IPSKG.pathwayFrom, IPSKG.connectsContext, IPSKG.pathwayTo)]
        rows.append(
            [
                [Part(label(g, pw))],
                [Part(str(g.value(pw, IPSKG.leadershipRoleInPathway) or ""))],
                *([Part(label(g, e))] if isinstance(e, URIRef) else [] for e in ends),
                practices,
            ]
        )
    sections = [
        Section(
            "Pathways and their practices",
            figure=figure,
            text=[[Part(note)]] if note else [],
            table=Table(
                f"Pathways of the conceptual model with the sub-themes of {sid}",
                ["pathway", "leadership role", "from", "context", "to", "practices (sub-themes)"],
                rows,
            ),
        )
    ]
    return Page(
        "model.html",
        "Conceptual model: leadership pathways to IPS sustainment",
        "model",
        sections,
        intro=[Part("From the study "), Part(sid, study_path(sid)), Part(".")],
        graph=subgraph(g, *pathways),
        search_label="conceptual model, pathways",
    )


def question_page(q: CompetencyQuery, store: Store, g: Graph) -> tuple[Page, dict[str, bytes]]:
    """A question's page with its SPARQL and its answer (default parameters only), and the
    files beside it: the .rq text and, for a SELECT answer, a CSV of the whole answer."""
    base = f"question/{q.name}"
    files = {f"{base}.rq": q.text.encode("utf-8")}
    facts: list[tuple[str, list[Part]]] = [("question", [Part(q.question)])]
    for p in q.parameters:
        default = (
            f"default {p.default}"
            if p.default is not None
            else "optional"
            if p.optional
            else "required"
        )
        facts.append((f"parameter {p.name}", [Part(f"{p.type}, {default}. {p.description}")]))
    sections = [Section("About", facts=facts)]
    needs = [p.name for p in q.parameters if p.default is None and not p.optional]
    if needs:
        sections.append(
            Section(
                "Answer",
                text=[
                    [
                        Part(
                            f"This question needs {', '.join(needs)}: run "
                            f"ipskg query {q.name} -p {needs[0]}=…"
                        )
                    ]
                ],
            )
        )
    else:
        try:
            result = answer(q, {}, store)
        except InputError as exc:  # a default value this graph does not have
            result = None
            sections.append(
                Section("Answer", text=[[Part(f"No answer with the default parameters: {exc}")]])
            )
        if result is None:
            pass
        elif isinstance(result, SelectResult):
            files[f"{base}.csv"] = render(result, "csv").encode("utf-8")
            rows: list[Row] = []
            for row in result.rows[:MAX_ANSWER_ROWS]:
                cells: Row = []
                for t in row:
                    href = (
                        record_path(URIRef(t.value)) if t is not None and t.kind == "uri" else None
                    )
                    cells.append([Part(compact(t), href)])
                rows.append(cells)
            more = len(result) - len(rows)
            text = [
                [
                    Part(
                        f"{len(result)} rows with the default parameters"
                        + (f"; the first {len(rows)} shown, all in the CSV file." if more else ".")
                    )
                ]
            ]
            sections.append(
                Section("Answer", text=text, table=Table(q.title, list(result.columns), rows))
            )
        elif isinstance(result, bool):
            sections.append(Section("Answer", text=[[Part("yes" if result else "no")]]))
        else:
            sections.append(Section("Answer", text=[[Part(f"a graph of {len(result)} triples")]]))
    sections.append(Section("SPARQL", code=q.text))
    downloads = [Part("SPARQL (.rq)", f"{base}.rq")]
    if f"{base}.csv" in files:
        downloads.append(Part("answer (CSV)", f"{base}.csv"))
    page = Page(
        f"{base}.html",
        q.title,
        "question",
        sections,
        downloads=downloads,
        search_label=f"{q.title} (question {q.name})",
    )
    return page, files


def cross_matrix_page(g: Graph, study_list: list[URIRef], figure: Figure | None = None) -> Page:
    return Page(
        "matrix.html",
        "CFIR ratings across studies",
        "matrix",
        [
            Section(
                "Constructs × studies",
                text=[
                    [
                        Part(
                            "Each cell lists the study's ratings of the construct one by one: "
                            "hover or follow a rating for its unit, phase, source and quotes. "
                            "Ratings are never added up or averaged across units or studies."
                        )
                    ]
                ],
                table=cross_study_table(g, study_list),
                legend=True,
                figure=figure,
            )
        ],
        search_label="CFIR ratings across studies (matrix)",
    )


def index_page(g: Graph, questions: list[CompetencyQuery]) -> Page:
    study_rows: list[Row] = []
    for s in _studies(g):
        sid = study_id(g, s)
        study_rows.append(
            [
                [Part(sid, study_path(sid))],
                [Part(label(g, s))],
                [Part(str(len(units(g, s))))],
                [Part(str(len(observations(g, s))))],
                [Part(str(len(of_type(g, IPSKG.Quote, s))))],
            ]
        )
    construct_rows: list[Row] = []
    for c in constructs_with_evidence(g):
        obs = [o for o in observations(g) if (o, IPSKG.construct, c) in g]
        n_studies = len({g.value(o, IPSKG.inStudy) for o in obs})
        notation = str(g.value(c, SKOS.notation) or "")
        construct_rows.append(
            [
                [Part(f"{notation} {label(g, c)}", construct_path(c))],
                [Part(str(len(obs)))],
                [Part(str(n_studies))],
            ]
        )
    question_rows: list[Row] = [
        [[Part(q.name, f"question/{q.name}.html")], [Part(q.title)]] for q in questions
    ]
    return Page(
        "index.html",
        "IPS leadership and CFIR evidence",
        "index",
        [
            Section(
                "The conceptual model",
                text=[
                    [
                        Part("The three leadership pathways and the practices on each: "),
                        Part("conceptual model", "model.html"),
                        Part("."),
                    ]
                ],
            ),
            Section(
                "Studies",
                table=Table(
                    "Studies", ["study", "title", "units", "ratings", "quotes"], study_rows
                ),
            ),
            Section(
                "CFIR constructs with evidence",
                text=[
                    [
                        Part("All ratings side by side: "),
                        Part("constructs × studies", "matrix.html"),
                        Part("."),
                    ],
                    [
                        Part(
                            "How many ratings each construct has, and in how many studies (a "
                            "count of ratings, never a sum of them)."
                        )
                    ],
                ],
                table=Table("Constructs", ["construct", "ratings", "studies"], construct_rows),
            ),
            Section(
                "Questions",
                table=Table("Competency questions", ["question", "title"], question_rows),
            ),
        ],
        intro=[
            Part(
                "A static evidence site written by ipskg from the validated knowledge graph: "
                "every fact links to its source location and its quotes."
            )
        ],
        search_label="home",
    )


def _studies(g: Graph) -> list[URIRef]:
    from .collect import studies

    return studies(g)
