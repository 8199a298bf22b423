"""Check and submit shows every answer on the page that submits (the GOV.UK pattern), with
Change links that come back to it; the conflict page offers only its two choices; "You
submitted" is said only to the person who did."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.plans import write_plan
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


def url(lang: str, path: str) -> str:
    return f"/{lang}/plan/{YEAR}{path}"


def test_the_submit_page_shows_every_answer_with_change_links_back(
    lead_client: FlaskClient,
) -> None:
    write_plan(lead_client, YEAR, reflection="Our school's own reflection")
    page = soup(lead_client.get(url("cy", "/submit")))
    main = page.find("main")
    body = text(main)
    assert "Our school's own reflection" in body
    assert "Catrin Jones" in body
    assert "£600.00" in body
    assert "Cover so that triads can plan together" in body
    # A Change link returns to this page after the change.
    change = main.select_one(f"a[href^='{url('cy', '/context-school')}']")
    assert change is not None and "return_to=submit" in change["href"]
    form = main.select_one(f"form[action='{url('cy', '/submit')}']")
    assert form is not None
    response = lead_client.post(
        change["href"], data={"revision": "1", "reflection": "Changed", "priorities": []}
    )
    assert response.headers["Location"] == url("cy", "/submit")
    # Its back link returns here too.
    step = soup(lead_client.get(change["href"]))
    assert step.select_one(".govuk-back-link")["href"] == url("cy", "/submit")


def test_you_submitted_only_to_the_person_who_did(
    app: Flask, lead_client: FlaskClient, directory: Directory, lead: User
) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(url("en", "/submit")).status_code == 302
    mine = text(soup(lead_client.get(url("en", "/"))).find("main"))
    assert "You submitted version 1 of this plan." in mine
    directory.user(email="colleague@school.example", school=lead.school, name="Rhys Evans")
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    theirs = text(soup(colleague.get(url("en", "/"))).find("main"))
    assert "You submitted" not in theirs
    assert f"{lead.name} submitted version 1 of this plan." in theirs
    receipt = text(soup(colleague.get(url("en", "/versions/1/submitted"))).find("main"))
    assert f"Submitted by {lead.name} on" in receipt
    assert "Submitted on" in text(soup(lead_client.get(url("en", "/versions/1/submitted"))))


def test_the_conflict_page_offers_only_its_two_choices(
    app: Flask, lead_client: FlaskClient, directory: Directory, lead: User
) -> None:
    directory.user(email="colleague@school.example", school=lead.school, name="Rhys Evans")
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    data = {"revision": "0", "rating": "developing", "evidence": "x", "next_steps": "y"}
    path = url("en", "/hallmark-2")
    assert colleague.post(path, data=data).status_code == 302
    stale = lead_client.post(path, data={**data, "evidence": "mine"})
    assert stale.status_code == 409
    main = soup(stale).find("main")
    buttons = {text(b) for b in main.select("button, a.govuk-button")}
    assert buttons == {"Save my answers over theirs", "Discard my answers and keep theirs"}
    assert "Save and continue" not in text(main)
