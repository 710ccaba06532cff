"""ipskg site: the evidence site built from the bundled data and from a fixture study, its
links, its quote pages and rating matrices, and (in headless Chromium) how the pages render,
the search box, the rating colours and an axe-core accessibility check."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from ipskg.cli import main
from ipskg.model.terms import IPSKG

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_STUDY = Path(__file__).parent / "fixtures" / "cases" / "valid" / "lakeside-site"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

SEED_QUOTE = "https://w3id.org/ipskg/study/harkko-2025/quote/q01"

# one page of every type, with the files written beside it
PAGES = {
    "index": "index.html",
    "model": "model.html",
    "study": "study/harkko-2025.html",
    "case group": "unit/harkko-2025/group-all-cases.html",
    "case": "unit/harkko-2025/case-case-a.html",
    "construct": "construct/PartnershipsConnections.html",
    "quote": "quote/harkko-2025/q01.html",
    "theme": "theme/harkko-2025/recovery-vision.html",
    "question": "question/table-1.html",
    "cross-study matrix": "matrix.html",
    "outcomes": "outcomes.html",
    "ontology": "ontology/index.html",
    "ontology classes": "ontology/classes.html",
    "ontology properties": "ontology/properties.html",
    "concept scheme": "ontology/scheme-ERIC.html",
    "ERIC strategy": "strategy/AuditAndProvideFeedback.html",
    "mapping set": "mappings/cfir2022-cfir2009.html",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of the bundled data, built once for this module through the CLI."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["site", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output
    return out


# -- reading the HTML -------------------------------------------------------------------------


class _Page(HTMLParser):
    """Links, ids and tables (rows of cells: tag, class, text) of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.rows: dict[str, list[tuple[str, str, str]]] = {}
        self.headers: list[list[str]] = []
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._cell_class = ""
        self._in_head = False
        self._head: list[str] = []
        self.lang = ""
        self.headings: list[int] = []
        self.imgs_without_alt = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script") and a.get("src"):
            self.links.append(a["src"])
        if tag == "img" and not a.get("alt"):
            self.imgs_without_alt += 1
        if a.get("id"):
            self.ids.add(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "thead":
            self._in_head = True
            self._head = []
        if tag == "tr" and a.get("id"):
            self._row = a["id"]
            self.rows[self._row] = []
        if tag in ("td", "th"):
            self._cell = []
            self._cell_class = ""
        if tag in ("a", "span") and self._cell is not None and "rating" in (a.get("class") or ""):
            self._cell_class = a.get("class") or ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._in_head:
                self._head.append(text)
            elif self._row is not None:
                self.rows[self._row].append((tag, self._cell_class, text))
            self._cell = None
        if tag == "thead":
            self._in_head = False
            self.headers.append(self._head)
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_page(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def matrix_cell(page: Path, row_id: str, unit: str) -> tuple[str, str]:
    """(CSS class, text) of the matrix cell in the row ``row_id`` and the column ``unit``."""
    parsed = read_page(page)
    header = next(h for h in parsed.headers if h and h[0] == "construct" and unit in h)
    cells = parsed.rows[row_id]
    _, cls, text = cells[header.index(unit)]
    return cls, text


# -- the site -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_type_exists_with_its_data(site, kind):
    page = site / PAGES[kind]
    assert page.is_file(), kind
    parsed = read_page(page)
    assert parsed.lang == "en"
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False))
    assert parsed.imgs_without_alt == 0
    stem = page.with_suffix("")
    if kind == "cross-study matrix":
        return
    if kind == "question":
        assert stem.with_suffix(".rq").read_text().startswith("# title:")
        assert stem.with_suffix(".csv").read_text().startswith("study,approach,sub_theme")
    elif kind != "index":
        turtle = Graph().parse(stem.with_suffix(".ttl"), format="turtle")
        jsonld = Graph().parse(stem.with_suffix(".jsonld"), format="json-ld")
        assert len(turtle) > 0 and len(turtle) == len(jsonld)


def _ontology_files() -> Graph:
    """The ontology as its files say, read here on its own (not through ipskg)."""
    g = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return unescape(html[start : end if end > 0 else len(html)])


def test_ontology_page_shows_the_ontology_s_own_header_and_modules(site):
    onto = _ontology_files()
    top = URIRef("https://w3id.org/ipskg/ontology")
    html = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    about = _section(html, "About the ontology")
    title = str(onto.value(top, DCTERMS.title))
    assert f"<h1>{escape(title)}</h1>" in html
    assert str(onto.value(top, OWL.versionIRI)) in about
    assert str(onto.value(top, DCTERMS.description)) in about
    # the ERIC module's header and the scheme's title stay out of the ontology's metadata
    eric = URIRef("https://w3id.org/ipskg/ontology/eric")
    assert str(onto.value(eric, OWL.versionIRI)) not in about
    assert "Expert Recommendations" not in about
    modules = _section(html, "Modules")
    for m in onto.subjects(RDF.type, OWL.Ontology):
        assert f'href="{m}"' in modules, m
    assert modules.count("<tr>") == 1 + len(set(onto.subjects(RDF.type, OWL.Ontology)))


def test_ontology_pages_document_every_class_property_and_individual(site):
    onto = _ontology_files()
    named = lambda cls: {x for x in onto.subjects(RDF.type, cls) if isinstance(x, URIRef)}  # noqa: E731
    classes = (site / "ontology" / "classes.html").read_text(encoding="utf-8")
    # one section per named class (plus the last one, of outside vocabularies' individuals)
    assert classes.count('<section id="') == len(named(OWL.Class)) + 1
    case = _section(classes, "case (ipskg:Case)")
    assert str(onto.value(IPSKG.Case, SKOS.definition)) in case
    assert 'href="#ipskg-CaseGroup"' not in case or "case group" in case
    properties = (site / "ontology" / "properties.html").read_text(encoding="utf-8")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    assert properties.count('<section id="') == len(set().union(*(named(k) for k in kinds)))
    chain = _section(properties, "used strategy (ipskg:usedStrategy)")
    assert "implied by the chain" in chain and "has strategy use" in chain
    # every concept scheme lists exactly its members; every other individual is a value row
    schemes = {o for o in onto.objects(None, SKOS.inScheme)}
    documented: set[str] = set()
    for scheme in schemes:
        name = str(scheme).rstrip("/").rsplit("/", 1)[-1]
        page = read_page(site / "ontology" / f"scheme-{name}.html")
        members = [r for r in page.rows if r.startswith("c-")]
        assert len(members) == len(set(onto.subjects(SKOS.inScheme, scheme))), name
        documented |= set(members)
    for page in ("classes", "properties"):
        documented |= {
            r for r in read_page(site / "ontology" / f"{page}.html").rows if r.startswith("i-")
        }
    individuals = named(OWL.NamedIndividual) - schemes - set(named(SKOS.ConceptScheme))
    assert len(documented) == len(individuals)
    eric = read_page(site / "ontology" / "scheme-ERIC.html")
    assert len([r for r in eric.rows if r.startswith("c-")]) == 73 + 9  # strategies + clusters
    cfir = (site / "ontology" / "scheme-CFIR2022.html").read_text(encoding="utf-8")
    assert 'href="../construct/PartnershipsConnections.html"' in cfir  # its evidence


def test_a_strategy_page_lists_its_uses_across_studies(site, built_graph):
    used = {str(o) for o in built_graph.objects(None, IPSKG.ofStrategy)}
    html = (site / "strategy" / "AuditAndProvideFeedback.html").read_text(encoding="utf-8")
    assert "https://w3id.org/ipskg/eric/AuditAndProvideFeedback" in used
    uses = _section(html, "Reported uses across studies")
    for sid in ("harkko-2025", "noel-2017"):
        assert f'href="../study/{sid}.html"' in uses
    assert "V.H Reflecting & Evaluating" in uses  # the construct the use targeted
    assert "doi:10.1176/appi.ps.201500301" in uses  # each use's source
    strategies = {
        str(s) for s in _ontology_files().subjects(RDF.type, IPSKG.ImplementationStrategy)
    }
    assert len(list((site / "strategy").glob("*.html"))) == len(strategies) == 73
    unused = sorted(strategies - used)[0].rsplit("/", 1)[-1]
    page = (site / "strategy" / f"{unused}.html").read_text(encoding="utf-8")
    assert "0 reported uses in 0 studies" in page and ": none recorded." in page


def test_mapping_set_pages_keep_each_mapping_s_metadata(site):
    for tsv in sorted((ROOT / "ontology" / "mappings").glob("*.sssom.tsv")):
        stem = tsv.name.removesuffix(".sssom.tsv")
        page = site / "mappings" / f"{stem}.html"
        data_rows = [line for line in tsv.read_text().splitlines() if line and line[0] != "#"]
        html = page.read_text(encoding="utf-8")
        assert html.count("<tr>") == len(data_rows)  # the header row + one per mapping
        assert (site / "mappings" / tsv.name).read_bytes() == tsv.read_bytes()
    html = (site / "mappings" / "cfir2022-cfir2009.html").read_text(encoding="utf-8")
    row = next(r for r in html.split("<tr>") if ">Innovation Cost<" in r)
    assert "skos:closeMatch" in row and "semapv:ManualMappingCuration" in row
    assert "<td>0.7</td>" in row and "Cost also covers costs of implementing" in row


def test_outcomes_beside_fidelity_pairs_unit_and_year(site):
    html = (site / "outcomes.html").read_text(encoding="utf-8")
    rows = [r.split("</tr>")[0] for r in html.split("<tr>") if "noel-2017" in r]
    assert any("2012" in r and "103.8" in r and "41%" in r for r in rows)
    assert any("2014" in r and "108.4" in r and "43%" in r for r in rows)
    assert not any("2012" in r and "43%" in r for r in rows)  # never across years
    svg = (site / "img" / "outcomes-fidelity-1.svg").read_text(encoding="utf-8")
    assert "competitive employment rate (%)" in svg and ">2012</text>" in svg
    assert "fidelity 103.8, 41 %." in html  # the figure's alt text names every mark


def test_a_changed_outcome_moves_its_mark(tmp_path, runner):
    from ipskg.studies.build import build

    g = build().graph
    noel = "https://w3id.org/ipskg/study/noel-2017/"
    outcome = next(
        o
        for o in g.subjects(IPSKG.timePoint, Literal("2012"))
        if str(o).startswith(noel) and (o, IPSKG.numericValue, None) in g
    )
    g.set((outcome, IPSKG.numericValue, Literal(Decimal("12"))))
    path = tmp_path / "graph.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", "-o", str(out), "--graph", str(path)])
    assert result.exit_code == 0, result.output
    html = (out / "outcomes.html").read_text(encoding="utf-8")
    assert "fidelity 103.8, 12 %." in html and "fidelity 103.8, 41 %." not in html


def test_a_unit_profile_and_the_cross_study_picture(site, built_graph):
    table = read_page(site / "unit" / "harkko-2025" / "group-all-cases.html")
    ratings = [r for r in table.rows if r.startswith("obs-")]
    svg = (site / "img" / "profile-harkko-2025-all-cases.svg").read_text(encoding="utf-8")
    assert svg.count('font-weight="bold">') == len(ratings) > 0  # one box per rating
    assert ">-2</text>" in svg and "II.D Partnerships &amp; Connections" in svg
    html = (site / "unit" / "harkko-2025" / "group-all-cases.html").read_text(encoding="utf-8")
    assert 'src="../../img/profile-harkko-2025-all-cases.svg"' in html
    cross = (site / "img" / "matrix-all-studies.svg").read_text(encoding="utf-8")
    boxes = re.findall(r'font-weight="bold">([^<]+)</text>', cross)
    rated = [b for b in boxes if b != "–"]
    assert len(rated) == len(set(built_graph.subjects(RDF.type, IPSKG.DeterminantObservation)))
    for sid in ("harkko-2025", "noel-2017", "bond-2014"):
        assert f">{sid}</text>" in cross


def test_every_svg_picture_has_its_png_copy(site):
    from ipskg.export.site.diagrams import svg_png

    if svg_png(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>') is None:
        pytest.skip("PNG copies need cairosvg and the cairo library (Debian libcairo2)")
    svgs = sorted((site / "img").glob("*.svg"))
    assert len(svgs) > 20
    for svg in svgs:
        assert svg.with_suffix(".png").read_bytes()[:4] == b"\x89PNG", svg.name


def test_without_cairosvg_the_site_says_it_left_out_the_pngs(tmp_path, runner, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "cairosvg.surface", None)  # import fails as if absent
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", "-o", str(out), "--data", str(_fixture_data(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "note: left out PNG copies of the matrices and plots" in result.output
    assert (out / "img" / "matrix-lakeside-site.svg").is_file()
    assert not list((out / "img").glob("matrix-*.png"))


def _fixture_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_STUDY, data / "studies" / "lakeside-site")
    return data


def test_page_counts(site):
    counts = {d: len(list((site / d).rglob("*.html"))) for d in ("study", "quote", "question")}
    assert counts["study"] == len(list((ROOT / "data" / "studies").iterdir()))
    assert counts["quote"] >= 25  # the seed study's quotes
    assert counts["question"] == len(list((ROOT / "queries" / "cq").glob("*.rq")))
    assert (site / "img" / "matrix-harkko-2025.svg").is_file()


def broken_links(site: Path) -> list[str]:
    """Every href and src of every page of ``site`` that does not resolve to a file of the
    site (and, with a fragment, to an id in it)."""
    pages = sorted(site.rglob("*.html"))
    ids = {p: read_page(p).ids for p in pages}
    broken = []
    for page in pages:
        for href in read_page(page).links:
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            if not path.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and fragment not in ids.get(path, set()):
                broken.append(f"{page.relative_to(site)}: {href} (no id {fragment})")
    return broken


def test_no_broken_internal_links(site):
    links = sum(len(read_page(p).links) for p in site.rglob("*.html"))
    assert links > 1000
    assert broken_links(site) == []


def test_quote_pages_show_their_source_location(site, built_graph):
    g = built_graph
    quotes = [q for q in g.subjects(IPSKG.text, None) if isinstance(q, URIRef)]
    assert quotes
    for q in quotes:
        sid, _, rid = str(q).split("/study/")[1].split("/")
        html = (site / "quote" / sid / f"{rid}.html").read_text(encoding="utf-8")
        assert 'id="source"' in html
        assert escape(str(g.value(q, IPSKG.text)), quote=False) in html
        locations = list(g.objects(q, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
        assert locations, q
        for loc in locations:
            section = g.value(loc, IPSKG.section)
            if section is not None:
                assert escape(str(section), quote=False) in html, (q, section)
            pub = g.value(loc, URIRef("http://www.w3.org/ns/oa#hasSource"))
            assert f'href="{pub}"' in html


def test_matrix_cell_of_a_known_rating(site):
    # data/studies/harkko-2025/observations.yaml: II.D Partnerships & Connections, observed in
    # all-cases, valence "-", strength 2, sustainment (checked by hand: the second observation)
    cls, text = matrix_cell(
        site / "study" / "harkko-2025.html", "row-II.D", "all five cases (implementing units)"
    )
    assert text == "-2"
    assert cls == "rating r-m2"
    css = (site / "site.css").read_text()
    assert re.search(r"\.r-m2 \{ background: #8a3b00; color: #ffffff; \}", css)
    # two phases in one cell: both ratings, each with its phase, never a sum
    _, both = matrix_cell(
        site / "study" / "harkko-2025.html", "row-II.E", "all five cases (implementing units)"
    )
    assert both == "0 (implementation)-2 (sustainment)"
    # not rated is marked
    cls, text = matrix_cell(
        site / "study" / "harkko-2025.html",
        "row-II.E",
        "cases with more robust sustainment strategies",
    )
    assert (cls, text) == ("rating r-none", "–")


def test_cross_study_matrix_lists_every_rating(site):
    # harkko-2025 rates II.D twice (all-cases -2, pes-unit-less-robust -2): both are listed
    cls, text = matrix_cell(site / "matrix.html", "row-II.D", "harkko-2025")
    assert text == "-2 -2"
    assert cls == "rating r-m2"
    html = (site / "matrix.html").read_text(encoding="utf-8")
    assert 'href="unit/harkko-2025/group-all-cases.html#obs-o' in html


def test_search_index_holds_the_labels(site):
    index = (site / "search-index.js").read_text()
    assert index.startswith("window.IPSKG_SEARCH = [")
    assert "Partnerships & Connections" in index
    # every class, property and concept of the ontology, pointing at its entry
    assert '"ontology/scheme-ERIC.html#c-eric-AuditAndProvideFeedback"' in index
    assert '"ontology/classes.html#ipskg-Case"' in index
    assert "</" not in index


def _build(runner, data: Path, out: Path) -> None:
    result = runner.invoke(main, ["site", "-o", str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_a_changed_rating_changes_the_matrix(tmp_path, runner):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_STUDY, data / "studies" / "lakeside-site")
    out = tmp_path / "site"
    _build(runner, data, out)
    page = out / "study" / "lakeside-site.html"
    cmhc = "Lakeside community mental health centre"  # the case lakeside-cmhc in study.yaml
    assert matrix_cell(page, "row-III.I", cmhc) == ("rating r-p2", "+2")
    assert broken_links(out) == []  # without the seed study too
    obs = data / "studies" / "lakeside-site" / "observations.yaml"
    text = obs.read_text()
    changed = text.replace(
        'construct: "III.I"\n    observed_in: lakeside-cmhc\n    valence: "+"\n    strength: 2',
        'construct: "III.I"\n    observed_in: lakeside-cmhc\n    valence: "-"\n    strength: 1',
        1,
    )
    assert changed != text
    obs.write_text(changed)
    _build(runner, data, out)
    assert matrix_cell(page, "row-III.I", cmhc) == ("rating r-m1", "-1")
    svg = (out / "img" / "matrix-lakeside-site.svg").read_text()
    assert ">-1</text>" in svg


def test_without_graphviz_the_site_says_what_it_left_out(site, tmp_path, runner, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "site"
    result = runner.invoke(
        main, ["site", "-o", str(out), "--graph", str(_graph_file(site, tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert "note: left out img/model.svg" in result.output
    assert not (out / "img" / "model.svg").exists()
    assert "Graphviz dot is not installed" in (out / "model.html").read_text()


def _graph_file(site: Path, tmp_path: Path) -> Path:
    from ipskg.studies.build import build

    path = tmp_path / "graph.nt"
    build().graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_graph_and_data_together_are_refused(runner, tmp_path):
    (tmp_path / "g.nt").write_text("")
    result = runner.invoke(
        main,
        [
            "site",
            "-o",
            str(tmp_path / "s"),
            "--graph",
            str(tmp_path / "g.nt"),
            "--data",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "give one" in result.output


def test_model_diagram_is_drawn_from_the_graph(site):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed (Debian graphviz)")
    svg = (site / "img" / "model.svg").read_text()
    for text in (
        "Recovery Vision",
        "Goal Alignment",
        "Facilitator for Organizational Change",
    ):
        assert text in svg
    assert (site / "img" / "model.png").read_bytes().startswith(b"\x89PNG")
    html = (site / "model.html").read_text()
    assert re.search(
        r'<img src="img/model.svg" alt="Conceptual model of harkko-2025: 3 pathways', html
    )


# -- in a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Debian's chromedriver (selenium); skipped when either
    is missing, which fails under IPSKG_REQUIRE_ALL=1 (CI installs them)."""
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("headless Chromium needs Debian chromium and chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(arg)
    options.set_capability("goog:loggingOptions", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def _open(browser, path: Path) -> None:
    browser.get(path.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def _serious_violations(browser) -> list[tuple[str, str, list[object]]]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    browser.get_log("browser")  # axe's own fetches of the style sheets fail from file://: not ours
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_type_renders_accessibly(site, browser, kind):
    _open(browser, site / PAGES[kind])
    assert browser.find_element("css selector", "h1").text
    assert _serious_violations(browser) == []


@pytest.mark.slow
def test_every_page_renders_accessibly_in_a_narrow_window(site, browser):
    """All pages at phone width, where wide tables scroll: no console error, no serious or
    critical axe violation."""
    browser.set_window_size(400, 900)
    try:
        found = {}
        for page in sorted(site.rglob("*.html")):
            _open(browser, page)
            serious = _serious_violations(browser)
            if serious:
                found[str(page.relative_to(site))] = serious
        assert found == {}
    finally:
        browser.set_window_size(1280, 1400)


def test_search_box_finds_a_construct(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site / "quote" / "harkko-2025" / "q01.html")
    browser.find_element("id", "search-box").send_keys("partnerships conn")
    WebDriverWait(browser, 5).until(lambda d: d.find_elements("css selector", "#search-results a"))
    link = browser.find_element("css selector", "#search-results a")
    assert "Partnerships & Connections" in link.text
    link.click()
    assert browser.current_url.endswith("/construct/PartnershipsConnections.html")
    assert "Partnerships & Connections" in browser.find_element("css selector", "h1").text


def test_matrix_colour_in_the_browser_and_screenshots(site, browser, tmp_path):
    _open(browser, site / "study" / "harkko-2025.html")
    cell = browser.find_element("css selector", "#row-II\\.D td a.rating")
    assert cell.text == "-2"
    assert cell.value_of_css_property("background-color") in (
        "rgba(138, 59, 0, 1)",
        "rgb(138, 59, 0)",
    )
    assert cell.value_of_css_property("color") in ("rgba(255, 255, 255, 1)", "rgb(255, 255, 255)")
    shots = {
        "site-matrix.png": ("study/harkko-2025.html", "#matrix .table-wrap"),
        "site-model.png": ("model.html", "figure"),
        "site-quote.png": ("quote/harkko-2025/q01.html", "main"),
    }
    browser.set_window_size(1280, 3000)  # each element whole
    for name, (page, selector) in shots.items():
        _open(browser, site / page)
        element = browser.find_element("css selector", selector)
        browser.execute_script("arguments[0].scrollIntoView()", element)
        png = element.screenshot_as_png
        assert png.startswith(b"\x89PNG")
        (tmp_path / name).write_bytes(png)
        if os.environ.get("IPSKG_REGEN") == "1":  # deliberately refresh the docs' screenshots
            (ROOT / "docs" / "img" / name).write_bytes(png)


HOSTILE = """\
@prefix ipskg: <https://w3id.org/ipskg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ipskg/study/evil> a ipskg:Study ;
    dcterms:identifier "../../outside" ;
    dcterms:title "<script>alert(1)</script>" ;
    ipskg:reportedIn <javascript:alert(1)> .
<https://w3id.org/ipskg/study/evil/quote/..> a ipskg:Quote ;
    ipskg:inStudy <https://w3id.org/ipskg/study/evil> ;
    ipskg:text "</script><img src=x onerror=alert(1)>" .
"""


def test_values_in_a_hostile_graph_stay_inside_the_site_and_are_escaped(tmp_path, runner):
    graph = tmp_path / "hostile.ttl"
    graph.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "deep" / "site"
    result = runner.invoke(main, ["site", "-o", str(out), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - {graph}
    assert all(out in p.parents for p in written), sorted(written)
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "<script>alert" not in pages and "<img src=x" not in pages
    assert 'href="javascript:' not in pages
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "</" not in index  # nothing in the script can end a script element
    assert broken_links(out) == []


NON_FINITE = """\
@prefix ipskg: <https://w3id.org/ipskg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ipskg/study/odd> a ipskg:Study ; dcterms:identifier "odd" .
<https://w3id.org/ipskg/study/odd/group/all> a ipskg:CaseGroup ;
    ipskg:inStudy <https://w3id.org/ipskg/study/odd> .
<https://w3id.org/ipskg/study/odd/review/r1> a ipskg:FidelityReview ;
    ipskg:inStudy <https://w3id.org/ipskg/study/odd> ;
    ipskg:reviewOf <https://w3id.org/ipskg/study/odd/group/all> ;
    ipskg:reviewDate "2012" ; ipskg:totalScore "INF"^^xsd:double .
<https://w3id.org/ipskg/study/odd/outcome/o1> a ipskg:OutcomeMeasurement ;
    ipskg:inStudy <https://w3id.org/ipskg/study/odd> ;
    ipskg:measuredIn <https://w3id.org/ipskg/study/odd/group/all> ;
    ipskg:timePoint "2012" ; ipskg:numericValue "NaN"^^xsd:double ;
    ipskg:measurementUnit ipskg:Percent .
"""


def test_non_finite_numbers_in_a_graph_are_not_plotted(tmp_path, runner):
    graph = tmp_path / "odd.ttl"
    graph.write_text(NON_FINITE, encoding="utf-8")
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", "-o", str(out), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    html = (out / "outcomes.html").read_text(encoding="utf-8")
    assert "0 fidelity reviews with a total score" in html
    assert not list((out / "img").glob("outcomes-fidelity-*.svg"))
