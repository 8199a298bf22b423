"""The plan summary as a Word file (issue 26): a draft and every submitted version, in either
language, from the summary, the versions, the confirmation, a share link and the coordinator's
view. Each file is opened with python-docx and read as Word and a screen reader would: its
headings' styles and order, its language, its tables' repeating header rows, the Diamond 9 as a
table of 1, 2, 3, 2 and 1 cards, money and dates as the page writes them, and the school's words
exactly as typed."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.i18n import translate
from tests.plans import write_plan
from tests.year_end import fill_review, submit_review, submitted_plan
from wizard.data.database import db
from wizard.data.models import ShareLink
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.render.locale import format_long_date, format_money, using_locale
from wizard.web.views import documents

YEAR = year_slug(academic_year_of(date.today()))
LANGS = ("en", "cy")
TAGS = {"en": "en-GB", "cy": "cy-GB"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHARE_LINK = re.compile(r"http://localhost/(?:en|cy)/shared/([A-Za-z0-9_-]+)")
# What a school might type: markup-like text, quotes, ampersands and Welsh letters, two lines.
TYPED = 'Ein <b>gwaith</b> & "sgiliau" {{ x }} <script>ŵ ŷ</script>\nAil linell: Ŵ Ŷ â ï'


@dataclass
class World:
    cluster_id: int
    school_id: int
    lead: FlaskClient
    coordinator: FlaskClient

    def coordinator_url(self, lang: str, path: str = "") -> str:
        return f"/{lang}/clusters/{self.cluster_id}/schools/{self.school_id}/{YEAR}{path}"


@pytest.fixture
def world(app: Flask, directory: Directory) -> World:
    """A school in a cluster whose lead has completed (with TYPED as every reflection) and
    submitted the plan."""
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    lead_client, coordinator_client = app.test_client(), app.test_client()
    sign_in(lead_client, lead.email)
    sign_in(coordinator_client, coordinator.email)
    write_plan(lead_client, YEAR, reflection=TYPED)
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    return World(cluster.id, school.id, lead_client, coordinator_client)


def download(client: FlaskClient, url: str) -> DocxDocument:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return Document(io.BytesIO(response.get_data()))


def filename(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])
    assert found
    return found.group(1)


def headings(document: DocxDocument) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]


def caption(table: Table) -> str | None:
    found = table._tbl.tblPr.find(qn("w:tblCaption"))
    return None if found is None else found.get(qn("w:val"))


def table_called(document: DocxDocument, title: str) -> Table:
    found = [table for table in document.tables if caption(table) == title]
    assert len(found) == 1, [caption(t) for t in document.tables]
    return found[0]


def row_texts(table: Table) -> list[list[str]]:
    """Each row's cells as Word has them (a merged cell once)."""
    return [
        ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row._tr.tc_lst]
        for row in table.rows
    ]


def lang_of_run(run: object) -> str | None:
    r_pr = run._r.rPr  # type: ignore[attr-defined]
    found = None if r_pr is None else r_pr.find(qn("w:lang"))
    return None if found is None else found.get(qn("w:val"))


@pytest.fixture
def no_pdf_render(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PDFs' names are compared, not their content: skip WeasyPrint."""
    monkeypatch.setattr(documents, "bounded_render", lambda html: b"%PDF-1.7 test")
    monkeypatch.setattr(documents, "version_file", lambda *key_and_make: key_and_make[-1]())
    yield


@pytest.mark.parametrize("lang", LANGS)
def test_the_word_file_has_real_headings_in_order_and_its_language_set(
    app: Flask, world: World, lang: str
) -> None:
    document = download(world.lead, f"/{lang}/plan/{YEAR}/versions/1.docx")
    found = headings(document)
    levels = [style for style, _ in found]
    assert levels[0] == "Heading 1"
    sections = [text for style, text in found if style == "Heading 2"]
    assert sections == [
        translate(app, lang, "About the school"),
        translate(app, lang, "Contexts of the national approach"),
        translate(app, lang, "Self-review against the eight hallmarks"),
        translate(app, lang, "Professional learning Diamond 9"),
        translate(app, lang, "Funding plan"),
        translate(app, lang, "For your School Development Plan"),
    ]
    # Each context and hallmark is a Heading 3 under its section, in the framework's order.
    with_locale = [text for style, text in found if style == "Heading 3"]
    assert len(with_locale) == len(framework.CONTEXTS) + len(framework.HALLMARKS)
    assert with_locale[len(framework.CONTEXTS)].startswith("1. ")
    assert with_locale[-1].startswith("8. ")
    # The language: on the document's properties, its defaults, every style and every run.
    tag = TAGS[lang]
    assert document.core_properties.language == tag
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == tag
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        style_lang = document.styles[name].element.rPr.find(qn("w:lang"))
        assert style_lang.get(qn("w:val")) == tag, name
    theme = document.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:val")) == tag
    runs = [run for p in document.paragraphs for run in p.runs]
    assert runs and all(lang_of_run(run) in TAGS.values() for run in runs)
    assert translate(app, lang, "Professional learning plan") in document.core_properties.title


@pytest.mark.parametrize("lang", LANGS)
def test_the_diamond_9_is_a_labelled_table_of_1_2_3_2_1_cards_as_the_page_ranks_them(
    app: Flask, world: World, lang: str
) -> None:
    document = download(world.lead, f"/{lang}/plan/{YEAR}/versions/1.docx")
    table = table_called(document, translate(app, lang, "Professional learning Diamond 9"))
    header, *rows = row_texts(table)
    assert header == [translate(app, lang, "Row"), translate(app, lang, "Priorities")]
    assert [len(row) - 1 for row in rows] == [1, 2, 3, 2, 1]
    assert rows[0][0] == translate(app, lang, "Row 1 (most important)")
    assert rows[1][0] == translate(app, lang, "Row %(row)d", row=2)
    assert rows[4][0] == translate(app, lang, "Row %(row)d (least important)", row=5)
    # The same cards, in the same places, as the summary page in that language.
    page = soup(world.lead.get(f"/{lang}/plan/{YEAR}/versions/1"))
    ranked = page.select(".app-summary__ranked li")
    expected = [[span.get_text() for span in li.select("span")] for li in ranked]
    assert [row[1:] for row in rows] == expected
    assert all(card for row in rows for card in row[1:])


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_has_a_header_row_that_repeats_and_a_title(
    app: Flask, world: World, lang: str
) -> None:
    document = download(world.lead, f"/{lang}/plan/{YEAR}/summary.docx")
    titles = [caption(table) for table in document.tables]
    assert titles == [
        translate(app, lang, "About the school"),
        translate(app, lang, "Hallmark ratings"),
        translate(app, lang, "Professional learning Diamond 9"),
        translate(app, lang, "Lines of spending"),
        translate(app, lang, "Totals by purpose"),
        translate(app, lang, "Totals by Diamond 9 priority"),
        translate(app, lang, "Priorities, actions and costs"),
    ]
    for table in document.tables:
        first, *others = table.rows
        marked = first._tr.trPr.find(qn("w:tblHeader"))
        assert marked is not None and marked.get(qn("w:val")) == "true"
        assert all(
            row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in others
        )


@pytest.mark.parametrize("lang", LANGS)
def test_money_and_dates_are_written_as_the_page_writes_them(
    app: Flask, world: World, lang: str
) -> None:
    document = download(world.lead, f"/{lang}/plan/{YEAR}/versions/1.docx")
    with app.test_request_context(f"/{lang}/"), using_locale(lang):
        allocation, line, today = (
            format_money(100000),
            format_money(60000),
            format_long_date(date.today()),
        )
    text = "\n".join(p.text for p in document.paragraphs)
    about = dict(row_texts(table_called(document, translate(app, lang, "About the school")))[1:])  # type: ignore[arg-type]
    assert about[translate(app, lang, "Funding allocation")] == allocation
    lines = row_texts(table_called(document, translate(app, lang, "Lines of spending")))
    assert lines[1][-1] == line
    assert today in text
    submitted = translate(app, lang, "Submitted on %(date)s by %(name)s", date=today, name="@")
    assert submitted.split("@")[0] in text
    if lang == "cy":
        assert any(
            month in today
            for month in (
                "Ionawr",
                "Chwefror",
                "Mawrth",
                "Ebrill",
                "Mai",
                "Mehefin",
                "Gorffennaf",
                "Awst",
                "Medi",
                "Hydref",
                "Tachwedd",
                "Rhagfyr",
            )
        )


@pytest.mark.parametrize("lang", LANGS)
def test_the_schools_words_are_kept_exactly_and_marked_with_their_language(
    app: Flask, directory: Directory, lang: str
) -> None:
    """Markup-like text, quotes, ampersands, ŵ and ŷ are kept as typed, line by line; an
    answer written on a Welsh page is marked Welsh in the English file, and the other way."""
    school = directory.school()
    lead = directory.user("lead@words.example", school=school, lead=True)
    client = app.test_client()
    sign_in(client, lead.email)
    write_plan(client, YEAR, reflection="Placeholder", lang=lang)
    other = "cy" if lang == "en" else "en"
    context = framework.CONTEXTS[0].key
    url = f"/{other}/plan/{YEAR}/context-{context}"
    page = soup(client.get(url))
    revision = page.find("input", {"name": "revision"})["value"]  # type: ignore[index]
    saved = client.post(url, data={"reflection": TYPED, "revision": revision})
    assert saved.status_code == 302
    document = download(client, f"/{lang}/plan/{YEAR}/summary.docx")
    texts = [p.text for p in document.paragraphs]
    first, second = TYPED.split("\n")
    at = texts.index(first)
    assert texts[at + 1] == second
    runs = document.paragraphs[at].runs + document.paragraphs[at + 1].runs
    assert {lang_of_run(run) for run in runs} == {TAGS[other]}
    # Words written in the page's language carry the document's language.
    placeholder = next(p for p in document.paragraphs if p.text == "Placeholder")
    assert {lang_of_run(run) for run in placeholder.runs} == {TAGS[lang]}


@pytest.mark.parametrize("lang", LANGS)
def test_word_files_are_named_as_the_pdfs_are(world: World, lang: str, no_pdf_render: None) -> None:
    client = world.lead
    for base in (
        f"/{lang}/plan/{YEAR}/summary",
        f"/{lang}/plan/{YEAR}/versions/1",
        world.coordinator_url(lang, "/plan"),
    ):
        who = world.coordinator if "clusters" in base else client
        pdf = filename(who, base + ".pdf")
        assert filename(who, base + ".docx") == pdf.removesuffix(".pdf") + ".docx"
    version = filename(client, f"/{lang}/plan/{YEAR}/versions/1.docx")
    assert version.endswith(f"-1-{lang}.docx") and YEAR in version
    assert client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    draft = filename(client, f"/{lang}/plan/{YEAR}/summary.docx")
    assert draft.endswith(f"-{lang}.docx") and draft != version
    assert ("-draft-" if lang == "en" else "-drafft-") in draft


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_with_a_pdf_link_has_a_word_link_beside_it(
    app: Flask, world: World, lang: str
) -> None:
    pages = {
        f"/{lang}/plan/{YEAR}/summary": f"/{lang}/plan/{YEAR}/summary.docx",
        f"/{lang}/plan/{YEAR}/versions/1": f"/{lang}/plan/{YEAR}/versions/1.docx",
        f"/{lang}/plan/{YEAR}/versions": f"/{lang}/plan/{YEAR}/versions/1.docx",
        f"/{lang}/plan/{YEAR}/versions/1/submitted": f"/{lang}/plan/{YEAR}/versions/1.docx",
    }
    for page, href in pages.items():
        response = world.lead.get(page)
        assert response.status_code == 200, page
        links = [a["href"] for a in soup(response).select("a[href]")]
        assert href in links, page
    summary = soup(world.lead.get(f"/{lang}/plan/{YEAR}/summary"))
    word_link = summary.select_one(f"a[href='/{lang}/plan/{YEAR}/summary.docx']")
    assert word_link is not None
    assert (
        word_link.get_text()
        == {
            "en": "Download the plan as a Word document (.docx)",
            "cy": "Lawrlwytho'r cynllun fel dogfen Word (.docx)",
        }[lang]
    )
    coordinator = soup(world.coordinator.get(world.coordinator_url(lang)))
    hrefs = [a["href"] for a in coordinator.select("a[href]")]
    assert any("/plan.docx" in h and h.startswith("/en/") for h in hrefs)
    assert any("/plan.docx" in h and h.startswith("/cy/") for h in hrefs)
    labels = [a.get_text() for a in coordinator.select("a[href*='plan.docx']")]
    assert (
        translate(app, lang, "Download this version as a Word document (.docx) in Welsh") in labels
    )


def make_share_link(client: FlaskClient, shows: str = "submitted") -> str:
    response = client.post(f"/en/plan/{YEAR}/share", data={"shows": shows})
    assert response.status_code == 200
    found = SHARE_LINK.search(response.get_data(as_text=True))
    assert found
    return found.group(1)


def test_a_share_link_downloads_the_word_file_until_it_is_revoked_or_expires(
    app: Flask, world: World
) -> None:
    anonymous = app.test_client()
    token = make_share_link(world.lead)
    page = soup(anonymous.get(f"/cy/shared/{token}"))
    assert f"/cy/shared/{token}.docx" in [a["href"] for a in page.select("a[href]")]
    document = download(anonymous, f"/cy/shared/{token}.docx")
    assert document.core_properties.language == "cy-GB"
    expired = make_share_link(world.lead)
    with app.app_context():
        links = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
        links[1].expires_on = date.today() - timedelta(days=1)
        db.session.commit()
        revoked_id = links[0].id
    assert world.lead.post(f"/en/plan/{YEAR}/share/{revoked_id}/revoke").status_code == 302
    for gone in (token, expired):
        assert anonymous.get(f"/en/shared/{gone}.docx").status_code == 404


def test_only_the_school_and_its_coordinators_download_the_word_file(
    app: Flask, world: World, directory: Directory
) -> None:
    other_school = directory.school(cluster=directory.cluster("East"))
    colleague = directory.user("other@school.example", school=other_school, lead=True)
    other_coordinator = directory.user("coord@east.example", coordinator_of=[other_school.cluster])
    stranger = app.test_client()
    colleague_client, other_coordinator_client = app.test_client(), app.test_client()
    sign_in(colleague_client, colleague.email)
    sign_in(other_coordinator_client, other_coordinator.email)
    coordinator_docx = world.coordinator_url("en", "/plan.docx")
    assert world.coordinator.get(coordinator_docx).status_code == 200
    assert other_coordinator_client.get(coordinator_docx).status_code in (403, 404)
    assert colleague_client.get(coordinator_docx).status_code in (403, 404)
    # A member of another school downloads its own plan (none here), never this one.
    assert stranger.get(coordinator_docx).status_code == 302
    for url in (f"/en/plan/{YEAR}/summary.docx", f"/en/plan/{YEAR}/versions/1.docx"):
        assert stranger.get(url).status_code == 302
        assert colleague_client.get(url).status_code == 404
        assert other_coordinator_client.get(url).status_code in (403, 404)


def test_a_submitted_versions_word_file_does_not_change_when_the_plan_is_reopened_and_edited(
    world: World,
) -> None:
    url = f"/en/plan/{YEAR}/versions/1.docx"
    before = download(world.lead, url)
    assert world.lead.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    write_plan(world.lead, YEAR, reflection="Something new entirely")
    after = download(world.lead, url)
    assert before.element.xml == after.element.xml
    assert "Something new entirely" not in [p.text for p in after.paragraphs]
    draft = download(world.lead, f"/en/plan/{YEAR}/summary.docx")
    assert "Something new entirely" in [p.text for p in draft.paragraphs]


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_for_the_school_development_plan_lists_the_top_priorities_with_actions_and_costs(
    app: Flask, world: World, lang: str
) -> None:
    """The six cards of the Diamond 9's top three rows, in order; the one the funding line is
    linked to has its action, term and cost, the others no spending yet."""
    document = download(world.lead, f"/{lang}/plan/{YEAR}/versions/1.docx")
    table = table_called(document, translate(app, lang, "Priorities, actions and costs"))
    header, *rows = row_texts(table)
    assert header == [
        translate(app, lang, "Priority"),
        translate(app, lang, "Success criteria"),
        translate(app, lang, "Actions"),
        translate(app, lang, "When"),
        translate(app, lang, "Cost"),
    ]
    diamond = row_texts(
        table_called(document, translate(app, lang, "Professional learning Diamond 9"))
    )
    top = [card for row in diamond[1:4] for card in row[1:]]
    assert [row[0] for row in rows] == top and len(top) == 6
    with app.test_request_context(f"/{lang}/"), using_locale(lang):
        cost, nothing = format_money(60000), format_money(0)
    first, *others = rows
    # No success criteria were written: a dash.
    assert first[1:] == [
        "–",
        "Cover so that triads can plan together",
        translate(app, lang, "Autumn term"),
        cost,
    ]
    assert all(
        row[1:] == ["–", translate(app, lang, "No spending planned yet"), "–", nothing]
        for row in others
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_for_the_school_development_plan_is_also_a_page(
    app: Flask, world: World, lang: str
) -> None:
    summary = soup(world.lead.get(f"/{lang}/plan/{YEAR}/summary"))
    page_url = f"/{lang}/plan/{YEAR}/summary/development-plan"
    assert page_url in [a["href"] for a in summary.select("a[href]")]
    page = soup(world.lead.get(page_url))
    assert page.h1.get_text() == translate(app, lang, "For your School Development Plan")
    cells = [
        [cell.get_text() for cell in row.select("th, td")] for row in page.select("table tbody tr")
    ]
    document = download(world.lead, f"/{lang}/plan/{YEAR}/summary.docx")
    word = row_texts(table_called(document, translate(app, lang, "Priorities, actions and costs")))
    assert cells == word[1:]


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_for_the_school_development_plan_carries_each_prioritys_success_criteria(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    """What will be different and how the school will know, as typed (Welsh letters and two
    lines kept), beside the priority they belong to, in the Word file and on the page alike."""
    write_plan(lead_client, YEAR, lang=lang)
    step = f"/{lang}/plan/{YEAR}/success-criteria"
    page = soup(lead_client.get(step))
    fields = {
        field["name"]: field.get("value") or field.get_text() or ""
        for field in page.select("#step-form input[type=hidden], #step-form textarea")
    }
    top = page.find("input", attrs={"name": "card_1"})
    assert top is not None
    difference, evidence = "Mae pob dosbarth yn defnyddio adborth ŵ ŷ", "Book looks\nEach term"
    fields.update({"difference_1": difference, "evidence_1": evidence})
    assert lead_client.post(step, data=fields).status_code == 302
    document = download(lead_client, f"/{lang}/plan/{YEAR}/summary.docx")
    table = table_called(document, translate(app, lang, "Priorities, actions and costs"))
    header, first, *others = row_texts(table)
    assert header[1] == translate(app, lang, "Success criteria")
    assert (
        first[1] == difference + translate(app, lang, "How will you know?") + "Book looksEach term"
    )
    assert all(row[1] == "–" for row in others)
    # The page's table says the same.
    html = soup(lead_client.get(f"/{lang}/plan/{YEAR}/summary/development-plan"))
    cells = [
        [cell.get_text() for cell in row.select("th, td")] for row in html.select("table tbody tr")
    ]
    assert cells[0][1] == difference + translate(app, lang, "How will you know?") + evidence


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_for_the_school_development_plan_says_how_far_last_years_priorities_were_met(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    """From last year's submitted year-end review: each of last year's priorities, top row
    first, with how far its success criteria were met and the evidence, in the Word file and
    on the page alike; a plan whose school has no such review has no such table."""
    write_plan(lead_client, YEAR, lang=lang)
    title = translate(app, lang, "How far last year's priorities were met")
    document = download(lead_client, f"/{lang}/plan/{YEAR}/summary.docx")
    assert title not in [caption(table) for table in document.tables]
    submitted_plan(lead_client, lang=lang)
    fill_review(lead_client, lang=lang)
    submit_review(lead_client, lang=lang)
    document = download(lead_client, f"/{lang}/plan/{YEAR}/summary.docx")
    header, *rows = row_texts(table_called(document, title))
    assert header == [
        translate(app, lang, "Last year's priority"),
        translate(app, lang, "Success criteria"),
        translate(app, lang, "Evidence"),
    ]
    assert len(rows) == 9
    verdicts = [translate(app, lang, "Met"), translate(app, lang, "Not met")]
    verdicts += [translate(app, lang, "Partly met")] + [translate(app, lang, "Met")] * 6
    assert [row[1] for row in rows] == verdicts
    assert [row[2] for row in rows] == [f"Evidence {number}" for number in range(1, 10)]
    assert (title, "Heading 3") in [(text, style) for style, text in headings(document)]
    page = soup(lead_client.get(f"/{lang}/plan/{YEAR}/summary/development-plan"))
    tables = page.select("table")
    assert len(tables) == 2
    cells = [
        [cell.get_text() for cell in row.select("th, td")] for row in tables[1].select("tbody tr")
    ]
    assert cells == rows


def test_last_years_results_are_in_the_word_file_before_this_years_board_has_a_card(
    app: Flask, lead_client: FlaskClient
) -> None:
    """Found using the demo: at the start of a year (no cards on this year's board yet) the
    page for the School Development Plan showed how far last year's priorities were met, but
    the Word file stopped at 'No cards yet'."""
    submitted_plan(lead_client, lang="cy")
    fill_review(lead_client, lang="cy")
    submit_review(lead_client, lang="cy")
    started = lead_client.post(f"/cy/plan/{YEAR}/start", data={"start": "empty"})
    assert started.status_code == 302
    document = download(lead_client, f"/cy/plan/{YEAR}/summary.docx")
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert translate(app, "cy", "No cards yet") in texts
    title = translate(app, "cy", "How far last year's priorities were met")
    _, *rows = row_texts(table_called(document, title))
    assert len(rows) == 9
