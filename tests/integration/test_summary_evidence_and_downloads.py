"""The plan summary shows all eight "How do you know?" answers (page, PDF, shared and coordinator
views); tables print with their header on each page and whole rows; links from Welsh pages to
pages only in English say so; downloads are named in the page's language; the Diamond 9 image
scales with its container."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.i18n import translate
from tests.plans import evidence_of, write_plan
from wizard.config import ROOT
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.views import documents

YEAR = year_slug(academic_year_of(date.today()))
LANGS = ("en", "cy")
SHARE_LINK = re.compile(r"http://localhost/(?:en|cy)/shared/([A-Za-z0-9_-]+)")


@dataclass
class World:
    cluster_id: int
    school_id: int
    lead_client: FlaskClient
    coordinator_client: FlaskClient

    def coordinator_url(self, lang: str, path: str = "") -> str:
        return f"/{lang}/clusters/{self.cluster_id}/schools/{self.school_id}/{YEAR}{path}"


@pytest.fixture
def world(app: Flask, directory: Directory) -> World:
    """A school in a cluster whose lead has completed and submitted the plan, with a different
    evidence answer for each hallmark."""
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    lead_client, coordinator_client = app.test_client(), app.test_client()
    sign_in(lead_client, lead.email)
    sign_in(coordinator_client, coordinator.email)
    write_plan(lead_client, YEAR, distinct_evidence=True)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    return World(cluster.id, school.id, lead_client, coordinator_client)


@pytest.fixture
def rendered_pdfs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Skip WeasyPrint (seconds a document) where a test needs only the PDF's HTML or headers:
    collect the HTML the PDF would be made from."""
    pages: list[str] = []

    def fake(html: str, *cache_key: object) -> bytes:
        pages.append(html)
        return b"%PDF-1.7 test"

    # Drafts are rendered each time, submitted versions through their cache: here every time.
    monkeypatch.setattr(documents, "bounded_render", fake)
    monkeypatch.setattr(documents, "version_file", lambda *key_and_make: key_and_make[-1]())
    yield pages


def make_share_link(client: FlaskClient) -> str:
    response = client.post(f"/en/plan/{YEAR}/share", data={"shows": "submitted"})
    assert response.status_code == 200
    found = SHARE_LINK.search(soup(response).find(id="new-share-link")["href"])
    assert found is not None
    return found.group(1)


def evidence_answers(page: BeautifulSoup, app: Flask, lang: str) -> dict[int, str]:
    """Each hallmark's "How do you know?" answer as the summary shows it, by hallmark number."""
    term = translate(app, lang, "How do you know?")
    found: dict[int, str] = {}
    for hallmark in framework.HALLMARKS:
        block = page.find(id=f"summary-hallmark-{hallmark.number}")
        assert block is not None, f"hallmark {hallmark.number} has no block in the summary"
        assert (
            text(block.find("h3"))
            == f"{hallmark.number}. {translate(app, lang, str(hallmark.title._args[0]))}"
        )
        rows = {text(row.dt): text(row.dd) for row in block.select(".govuk-summary-list__row")}
        found[hallmark.number] = rows[term]
    return found


EXPECTED = {number: evidence_of(number) for number in range(1, 9)}


# 1. Evidence in every view of the summary -------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_shows_the_evidence_of_all_eight_hallmarks(
    app: Flask, world: World, lang: str
) -> None:
    for path in ("/summary", "/versions/1"):
        page = soup(world.lead_client.get(f"/{lang}/plan/{YEAR}{path}"))
        assert evidence_answers(page, app, lang) == EXPECTED, path
        # The next steps stay beside the evidence.
        block = page.find(id="summary-hallmark-3")
        assert translate(app, lang, "What will you do next?") in text(block)
        assert "Coaching" in text(block)


@pytest.mark.parametrize("lang", LANGS)
def test_the_shared_view_shows_the_evidence(app: Flask, world: World, lang: str) -> None:
    token = make_share_link(world.lead_client)
    page = soup(app.test_client().get(f"/{lang}/shared/{token}"))
    assert evidence_answers(page, app, lang) == EXPECTED


@pytest.mark.parametrize("lang", LANGS)
def test_the_coordinators_view_shows_the_evidence(app: Flask, world: World, lang: str) -> None:
    page = soup(world.coordinator_client.get(world.coordinator_url(lang)))
    assert evidence_answers(page, app, lang) == EXPECTED


def test_the_pdf_contains_the_evidence_of_every_hallmark(app: Flask, world: World) -> None:
    response = world.lead_client.get(f"/cy/plan/{YEAR}/versions/1.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert translate(app, "cy", "How do you know?") in words
    for number in range(1, 9):
        assert evidence_of(number) in words


@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_is_made_from_html_with_the_evidence(
    app: Flask, world: World, rendered_pdfs: list[str], lang: str
) -> None:
    token = make_share_link(world.lead_client)
    world.lead_client.get(f"/{lang}/plan/{YEAR}/summary.pdf")
    world.lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf")
    app.test_client().get(f"/{lang}/shared/{token}.pdf")
    world.coordinator_client.get(world.coordinator_url(lang, "/plan.pdf?version=1"))
    assert len(rendered_pdfs) == 4
    for html in rendered_pdfs:
        assert evidence_answers(BeautifulSoup(html, "html.parser"), app, lang) == EXPECTED


# 7. Print: header rows repeat, rows stay whole -----------------------------------------------


def media_blocks(css: str, query: str) -> list[str]:
    """The bodies of every `@media <query>{...}` block of a (minified or not) stylesheet."""
    blocks: list[str] = []
    for match in re.finditer(r"@media\s+" + re.escape(query) + r"\s*\{", css):
        depth, start = 1, match.end()
        index = start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        blocks.append(css[start : index - 1])
    return blocks


def has_rule(css: str, selector: str, declaration: str) -> bool:
    """Whether a rule whose selector list includes `selector` sets `declaration`."""
    prop, value = (part.strip() for part in declaration.split(":"))
    for selectors, body in re.findall(r"(?:^|(?<=[};]))\s*([^{}@;]+)\{([^{}]*)\}", css):
        names = [name.strip() for name in selectors.split(",")]
        if selector in names and re.search(
            rf"(^|;)\s*{re.escape(prop)}\s*:\s*{re.escape(value)}\s*(;|$)", body.strip()
        ):
            return True
    return False


PRINT_RULES = [
    ("thead", "display: table-header-group"),
    ("tr", "break-inside: avoid"),
    ("td", "break-inside: avoid"),
    ("th", "break-inside: avoid"),
    ("tr", "page-break-inside: avoid"),
]


def test_the_served_print_css_repeats_table_headers_and_keeps_rows_whole(
    lead_client: FlaskClient,
) -> None:
    # The print rules may sit in any sheet the summary links (app.css, and pages.css since the
    # stylesheet was split): read them all, as the browser does.
    page = soup(lead_client.get(f"/en/plan/{YEAR}/summary"))
    stylesheets = page.find_all("link", rel="stylesheet")
    assert stylesheets
    blocks: list[str] = []
    for stylesheet in stylesheets:
        with lead_client.get(stylesheet["href"]) as response:
            assert response.status_code == 200
            blocks += media_blocks(response.get_data(as_text=True), "print")
    prints = " ".join(blocks)
    for selector, declaration in PRINT_RULES:
        assert has_rule(prints, selector, declaration), (selector, declaration)
    assert not has_rule(prints, "thead", "display: none")


def test_the_pdf_stylesheet_repeats_table_headers_and_its_tables_have_them(
    world: World, rendered_pdfs: list[str]
) -> None:
    css = (ROOT / "static" / "css" / "pdf.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for selector, declaration in PRINT_RULES:
        assert has_rule(css, selector, declaration), (selector, declaration)
    world.lead_client.get(f"/en/plan/{YEAR}/versions/1.pdf")
    (html,) = rendered_pdfs
    tables = BeautifulSoup(html, "html.parser").find_all("table")
    assert len(tables) >= 4
    for table in tables:
        header = table.find("thead")
        assert header is not None and header.find("th") is not None, table.caption
        assert table.find("tbody") is not None


# 8. Links to pages only in English -------------------------------------------------------


def source_link(page: BeautifulSoup) -> Any:
    links = page.select('main a[target="_blank"][href^="https://"]')
    assert links, "the page has no link to its source"
    return links


def test_welsh_pages_say_when_a_source_is_only_in_english(
    app: Flask, lead_client: FlaskClient
) -> None:
    saesneg = translate(app, "cy", "(in English)")
    assert saesneg == "(Saesneg)"
    # Hallmark 3's page on the NAEL site has no Welsh version that we know of.
    (link,) = source_link(soup(lead_client.get(f"/cy/plan/{YEAR}/hallmark-3")))
    assert link["hreflang"] == "en"
    assert link["href"] == framework.HALLMARKS[2].link.english
    assert text(link).endswith("(Saesneg)")
    # The same link on the English page is plain.
    (link,) = source_link(soup(lead_client.get(f"/en/plan/{YEAR}/hallmark-3")))
    assert not link.has_attr("hreflang")
    assert "(in English)" not in text(link) and "Saesneg" not in text(link)


def test_welsh_pages_link_to_the_welsh_version_where_there_is_one(
    lead_client: FlaskClient,
) -> None:
    (link,) = source_link(soup(lead_client.get(f"/cy/plan/{YEAR}/hallmark-1")))
    assert (
        link["href"]
        == "https://nael.cymru/cy/rooted-in-professional-enhancement-and-school-improvement"
    )
    assert not link.has_attr("hreflang")
    assert "Saesneg" not in text(link)
    (link,) = source_link(soup(lead_client.get(f"/en/plan/{YEAR}/hallmark-1")))
    assert link["href"].startswith("https://nael.cymru/en/")


@pytest.mark.parametrize("context", [c.key for c in framework.CONTEXTS])
def test_every_element_link_on_a_welsh_context_page_is_marked_with_its_language(
    lead_client: FlaskClient, context: str
) -> None:
    links = source_link(soup(lead_client.get(f"/cy/plan/{YEAR}/context-{context}")))
    elements = framework.elements_of(context)
    assert len(links) == len(elements)
    for link, element in zip(links, elements, strict=True):
        href, href_lang = element.link.for_language("cy")
        assert link["href"] == href
        if href_lang == "en":
            assert link["hreflang"] == "en" and text(link).endswith("(Saesneg)")
        else:
            assert not link.has_attr("hreflang") and "Saesneg" not in text(link)


def test_each_source_link_knows_its_language() -> None:
    linked = [e.link for e in framework.ELEMENTS] + [h.link for h in framework.HALLMARKS]
    for link in linked:
        assert link.english.startswith("https://")
        assert link.for_language("en") == (link.english, "en")
        if link.welsh:
            assert link.welsh.startswith("https://") and link.welsh != link.english
            assert link.for_language("cy") == (link.welsh, "cy")
        else:
            assert link.for_language("cy") == (link.english, "en")
    # Some have a Welsh version and some do not: both cases are real.
    assert any(link.welsh for link in linked) and not all(link.welsh for link in linked)


# 12. Download names in the page's language ---------------------------------------------------


def file_name(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    found = re.fullmatch(r'attachment; filename="([^"]+)"', response.headers["Content-Disposition"])
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "en",
            [
                "professional-learning-plan-{year}-version-1-en.pdf",
                "professional-learning-plan-{year}-version-1-en.pdf",
                "diamond-9-{year}-version-1-en.svg",
                "diamond-9-{year}-en.svg",
                "professional-learning-plan-{year}-shared-en.pdf",
                "diamond-9-{year}-shared-en.svg",
                "professional-learning-plan-{year}-version-1-en.pdf",
                "schools-{cluster}-{year}.csv",
                "funding-{cluster}-{year}.csv",
            ],
        ),
        (
            "cy",
            [
                "cynllun-dysgu-proffesiynol-{year}-fersiwn-1-cy.pdf",
                "cynllun-dysgu-proffesiynol-{year}-fersiwn-1-cy.pdf",
                "diemwnt-9-{year}-fersiwn-1-cy.svg",
                "diemwnt-9-{year}-cy.svg",
                "cynllun-dysgu-proffesiynol-{year}-a-rannwyd-cy.pdf",
                "diemwnt-9-{year}-a-rannwyd-cy.svg",
                "cynllun-dysgu-proffesiynol-{year}-fersiwn-1-cy.pdf",
                "ysgolion-{cluster}-{year}.csv",
                "cyllid-{cluster}-{year}.csv",
            ],
        ),
    ],
)
def test_every_download_is_named_in_the_page_language(
    app: Flask, world: World, rendered_pdfs: list[str], lang: str, names: list[str]
) -> None:
    token = make_share_link(world.lead_client)
    anonymous = app.test_client()
    plan = f"/{lang}/plan/{YEAR}"
    cluster = f"/{lang}/clusters/{world.cluster_id}/{YEAR}"
    downloads: list[Callable[[], Any]] = [
        lambda: world.lead_client.get(f"{plan}/summary.pdf"),
        lambda: world.lead_client.get(f"{plan}/versions/1.pdf"),
        lambda: world.lead_client.get(f"{plan}/versions/1/diamond-9.svg"),
        lambda: world.lead_client.get(f"{plan}/diamond-9/image.svg"),
        lambda: anonymous.get(f"/{lang}/shared/{token}.pdf"),
        lambda: anonymous.get(f"/{lang}/shared/{token}/diamond-9.svg"),
        lambda: world.coordinator_client.get(world.coordinator_url(lang, "/plan.pdf?version=1")),
        lambda: world.coordinator_client.get(f"{cluster}/schools.csv"),
        lambda: world.coordinator_client.get(f"{cluster}/funding.csv"),
    ]
    expected = [name.format(year=YEAR, cluster=world.cluster_id) for name in names]
    assert [file_name(download()) for download in downloads] == expected


def test_accents_are_dropped_from_download_names(app: Flask) -> None:
    from wizard.web.views import attachment

    with app.test_request_context("/cy/"):
        header = attachment("ŵyl-Ŷd", 2026, "cy", "pdf")["Content-Disposition"]
    assert header == 'attachment; filename="wyl-yd-2026-cy.pdf"'


# 2. The Diamond 9 image scales with its container; own English text is marked ----------------


def test_the_diamond_9_image_has_no_fixed_size(world: World) -> None:
    for path in ("/summary", "/diamond-9/image.svg"):
        response = world.lead_client.get(f"/en/plan/{YEAR}{path}")
        svg = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("svg")
        assert svg is not None, path
        assert svg["width"] == "100%"
        assert not svg.has_attr("height")
        assert re.fullmatch(
            r"0 0 \d+ \d+", svg["viewbox"] if svg.has_attr("viewbox") else svg["viewBox"]
        )


@pytest.mark.parametrize(("path", "count"), [("/summary", 2), ("/versions", 1), ("/share", 1)])
def test_wide_tables_scroll_in_their_own_labelled_region(
    world: World, path: str, count: int
) -> None:
    make_share_link(world.lead_client)
    page = soup(world.lead_client.get(f"/cy/plan/{YEAR}{path}"))
    regions = page.select('.app-scroll[role="region"]')
    assert len(regions) >= count
    for region in regions:
        assert region["tabindex"] == "0" and region["aria-label"]
        assert region.find("table") is not None
    assert page.select_one("main table").find_parent(class_="app-scroll") is not None


def test_a_school_name_only_in_english_is_marked_english_on_welsh_pages(
    app: Flask, directory: Directory
) -> None:
    school = directory.school("St Mary's Church in Wales Primary", name_cy=None)
    lead = directory.user("lead@stmarys.example", school=school, lead=True)
    client = app.test_client()
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    welsh = soup(client.get(f"/cy/plan/{YEAR}/summary"))
    marked = welsh.select_one("h1 [lang]")
    assert marked is not None and marked["lang"] == "en"
    assert text(marked) == "St Mary's Church in Wales Primary"
    english = soup(client.get(f"/en/plan/{YEAR}/summary"))
    assert english.select_one("h1 [lang]") is None
