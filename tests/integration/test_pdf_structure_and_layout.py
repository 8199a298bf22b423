"""The plan's PDF as a screen reader and a printer meet it (issue 26, points 3 and 4).

Tagged: the file is read back with pypdf: its structure tree (PDF/UA-1, as WeasyPrint writes
it) has the headings, tables and figures of the page, each chart a figure with a text
alternative; the document's language is the page's and its title is shown as the window's.

Nothing clipped or stranded, on the demo data in both languages: each page is drawn to an
image (pypdfium2) and read for its text: nothing is drawn in the bottom margin but the page
number (the staff heat map ran off its page, its last rows cut and the page number over a
cell); no page but the last is left less than half full (a near-empty page came before the
staff voice section); no heading is the last text on its page; and every card of the heat map
is in the PDF's text, in its chart and in its table.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pypdfium2 as pdfium
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tests.i18n import translate
from tests.plans import write_plan
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.render import pdf

YEAR = year_slug(academic_year_of(date.today()))
LANGS = ("en", "cy")
DEMO_PASSWORD = "demo-password-for-the-pdf-tests"
# A4 in points, and the stylesheet's bottom margin (20 mm) with the page number in it.
PAGE_HEIGHT = 841.89
MM = 72 / 25.4
BOTTOM_MARGIN = 20 * MM
SIDE_MARGIN = 15 * MM
# The page number ("12 / 12") sits at the right of the bottom margin: the rest of it is blank.
PAGE_NUMBER_WIDTH = 30 * MM
SCALE = 1.5  # pixels per point for the images


def structure(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every element of the structure tree, depth first."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, DictionaryObject):
            continue
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in reversed(kids if isinstance(kids, list) else [kids]):
            stack.append(kid.get_object() if hasattr(kid, "get_object") else kid)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_tagged_with_its_language_title_headings_tables_and_figures(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR, lang=lang)
    response = lead_client.get(f"/{lang}/plan/{YEAR}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == lang
    title = translate(app, lang, "Professional learning plan")
    assert reader.metadata is not None and reader.metadata.title is not None
    assert reader.metadata.title.startswith(title)
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    elements = list(structure(reader))
    kinds = [str(element["/S"]) for element in elements]
    assert kinds.count("/H1") == 1
    for kind in ("/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI"):
        assert kind in kinds, kind
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert figures, "the Diamond 9 is a figure"
    diamond = translate(app, lang, "Professional learning Diamond 9")
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)
    assert any(str(figure["/Alt"]).startswith(diamond) for figure in figures)


# The demo, drawn page by page ----------------------------------------------------------------


@pytest.fixture
def demo(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """The demo's lead (whose school has the demo's staff voice rounds), signed in."""
    monkeypatch.setenv("WIZARD_DEMO_PASSWORD", DEMO_PASSWORD)
    from wizard.seed.demo import seed_demo

    with app.app_context():
        seed_demo()
    client = app.test_client()
    response = client.post(
        "/en/sign-in", data={"email": "lead@demo.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return client


def pdf_and_html(
    client: FlaskClient, url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[bytes, str]:
    """The PDF of `url` and the HTML it was made from."""
    seen: list[str] = []
    real = pdf.render_pdf

    def kept(html: str) -> bytes:
        seen.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "render_pdf", kept)
    response = client.get(url)
    assert response.status_code == 200, url
    assert len(seen) == 1
    return response.get_data(), seen[0]


def chars(page: Any) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each character of the page with its box (left, bottom, right, top; points from the
    bottom left)."""
    text = page.get_textpage()
    return [
        (text.get_text_range(index, 1), text.get_charbox(index))
        for index in range(text.count_chars())
    ]


def lowest_ink(image: Any) -> int:
    """The lowest row of the image (in pixels from the top) with anything drawn, 0 if none."""
    grey = image.convert("L").point(lambda value: 255 if value < 250 else 0)
    box = grey.getbbox()
    return box[3] if box else 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_demo_pdf_has_nothing_clipped_or_stranded(
    demo: FlaskClient, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    content, html = pdf_and_html(demo, f"/{lang}/plan/{YEAR}/summary.pdf", monkeypatch)
    page_html = BeautifulSoup(html, "html.parser")
    headings = [
        " ".join(heading.get_text().split()) for heading in page_html.select("main h2, main h3")
    ]
    heat_table = page_html.select_one("#summary-staff-heat-table")
    assert heat_table is not None, "the demo's plan shows a staff heat map"
    cards = [" ".join(th.get_text().split()) for th in heat_table.select("tbody th")]
    assert len(cards) >= 10
    assert len(page_html.select(".app-chart-block--part svg")) >= 2, "the map is in parts"

    document = pdfium.PdfDocument(content)
    pages = len(document)
    problems: list[str] = []
    text = ""
    for number in range(pages):
        page = document[number]
        image = page.render(scale=SCALE).to_pil()
        width, height = image.size
        # Nothing drawn in the bottom margin left of the page number.
        margin = image.crop(
            (
                0,
                int((PAGE_HEIGHT - BOTTOM_MARGIN + 2) * SCALE),
                int(width - (SIDE_MARGIN + PAGE_NUMBER_WIDTH) * SCALE),
                height,
            )
        )
        if lowest_ink(margin):
            problems.append(f"page {number + 1}: something is drawn in the bottom margin")
        # Every page but the last at least half full.
        body = image.crop((0, 0, width, int((PAGE_HEIGHT - BOTTOM_MARGIN) * SCALE)))
        if number < pages - 1 and lowest_ink(body) < body.size[1] * 0.5:
            problems.append(f"page {number + 1}: less than half full")
        # No heading is the last text on its page.
        boxes = [
            (char, box) for char, box in chars(page) if box[1] > BOTTOM_MARGIN and char.strip()
        ]
        page_text = page.get_textpage().get_text_range()
        text += page_text
        if number < pages - 1 and boxes:
            last_line = min(box[1] for _, box in boxes)
            bottom = "".join(char for char, box in boxes if abs(box[1] - last_line) < 3)
            squashed = [heading.replace(" ", "") for heading in headings]
            if bottom.replace(" ", "") in squashed:
                problems.append(f"page {number + 1} ends with the heading {bottom!r}")
    assert not problems, problems
    flat = " ".join(text.split())
    for card in cards:
        # Once in its chart (a title wrapped over lines reads as one), once in the table.
        assert flat.count(card) >= 2, card


@pytest.mark.parametrize("lang", LANGS)
def test_a_cached_pdf_is_the_pdf_a_fresh_render_gives(
    app: Flask,
    lead_client: FlaskClient,
    lang: str,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "cache"))
    write_plan(lead_client, YEAR, lang=lang)
    assert lead_client.post(f"/{lang}/plan/{YEAR}/submit").status_code == 302
    first = lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf").get_data()
    kept = list((tmp_path / "cache").glob("*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    kept[0].unlink()
    fresh = lead_client.get(f"/{lang}/plan/{YEAR}/versions/1.pdf").get_data()
    assert fresh == first
