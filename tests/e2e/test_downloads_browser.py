"""Downloads that take a moment (static/src/downloads.mjs) in a real browser: a link to a Word
file says, in the page's language, that the download is being prepared while the file is made,
then the file arrives under the server's name and the words go; a page that is not a file (the
"busy, try again" page) is shown as if there were no script.

The server's answer is held back by the test (Playwright's request routing) until the words
have been seen, and then let through: nothing here depends on how long anything takes."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from flask import Flask
from playwright.sync_api import Page, Route, expect

from tests.conftest import Directory
from tests.conftest import sign_in as sign_in_client
from tests.plans import write_plan

from .support import Translator, heading, sign_in, wait_until_ready

LEAD = "lead@school.example"
WORD_FILE = re.compile(r".*/summary\.docx$")


def a_draft_plan(app: Flask, directory: Directory, plan_year: str) -> None:
    school = directory.school()
    directory.user(email=LEAD, school=school, lead=True)
    client = app.test_client()
    sign_in_client(client, LEAD)
    write_plan(client, plan_year, lang="cy")


def test_a_slow_download_says_it_is_being_prepared_and_the_file_arrives(
    app: Flask, directory: Directory, page: Page, cy: Translator, plan_year: str
) -> None:
    a_draft_plan(app, directory, plan_year)
    sign_in(page, LEAD, cy)
    page.goto(f"/cy/plan/{plan_year}/summary")
    wait_until_ready(page)
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route(WORD_FILE, hold)
    link = page.get_by_role(
        "link", name=cy("Download the plan as a Word document (.docx)"), exact=True
    )
    link.click()
    # The file is being made (the test holds the server's answer back): after a moment the
    # link says so, in a status region that a screen reader announces.
    preparing = page.get_by_role("status").filter(has_text=cy("Preparing your download…"))
    expect(preparing).to_be_visible()
    expect(link).to_have_attribute("aria-busy", "true")
    # The page stayed where it was.
    expect(heading(page)).to_be_visible()
    assert page.url.endswith(f"/cy/plan/{plan_year}/summary")
    assert len(held) == 1
    with page.expect_download() as arrived:
        held[0].continue_()
    download = arrived.value
    # Saved under the server's name, and it is the plan's Word file in Welsh.
    assert download.suggested_filename == (f"cynllun-dysgu-proffesiynol-{plan_year}-drafft-cy.docx")
    saved = download.path()
    assert saved is not None
    document = Document(str(Path(saved)))
    assert document.core_properties.language == "cy-GB"
    # The words go and the link can be used again.
    expect(
        page.get_by_role("status").filter(has_text=cy("Preparing your download…"))
    ).to_have_count(0)
    expect(link).not_to_have_attribute("aria-busy", "true")
    page.unroute(WORD_FILE)
    with page.expect_download() as again:
        link.click()
    assert again.value.suggested_filename == download.suggested_filename


def test_a_page_that_is_not_a_file_is_shown_as_without_javascript(
    app: Flask, directory: Directory, page: Page, en: Translator, plan_year: str
) -> None:
    a_draft_plan(app, directory, plan_year)
    sign_in(page, LEAD, en)
    page.goto(f"/en/plan/{plan_year}/summary")
    wait_until_ready(page)
    busy = "<!doctype html><html lang=en><title>Busy</title><h1>Sorry, the service is busy</h1>"

    def refuse(route: Route) -> None:
        route.fulfill(status=503, content_type="text/html; charset=utf-8", body=busy)

    page.route(WORD_FILE, refuse)
    page.get_by_role(
        "link", name=en("Download the plan as a Word document (.docx)"), exact=True
    ).click()
    # The script follows the link itself: the browser shows the page the server sent.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is busy")
    assert page.url.endswith(f"/en/plan/{plan_year}/summary.docx")
