"""Help: every page links to it in both languages; each hallmark and element has guidance and
an example answer; the header names the national view for administrators; the 403 page's advice
fits the person reading it."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, text
from tests.plans import write_plan
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_page_links_to_help(app: Flask, lead_client: FlaskClient, lang: str) -> None:
    client = app.test_client()
    for response in (
        client.get(f"/{lang}/sign-in"),
        client.get(f"/{lang}/shared/nonsense"),
        lead_client.get(f"/{lang}/plan/{YEAR}/"),
    ):
        footer = soup(response).find("footer")
        assert footer.find("a", href=f"/{lang}/help") is not None
    page = client.get(f"/{lang}/help")
    assert page.status_code == 200
    assert heading(page) == "Help"
    body = text(soup(page).find("main"))
    example = "An example answer" if lang == "en" else "Ateb enghreifftiol"
    assert body.count(example) == 16


def test_the_hallmark_and_context_pages_give_help_in_welsh(lead_client: FlaskClient) -> None:
    hallmark = soup(lead_client.get(f"/cy/plan/{YEAR}/hallmark-7"))
    details = hallmark.select_one("details.app-guidance")
    assert text(details.find("summary")) == "Help gyda'r dilysnod hwn"
    assert "Ateb enghreifftiol" in text(details)
    assert "Mae athrawon yn cynllunio mewn triawdau" in text(details)
    context = soup(lead_client.get(f"/cy/plan/{YEAR}/context-national"))
    assert len(context.select("details.app-guidance")) == 3


def test_the_403_advice_fits_the_reader(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    refused = colleague.get(f"/en/plan/{YEAR}/share")
    assert refused.status_code == 403
    assert "ask your lead" in text(soup(refused).find("main"))


def test_administrators_see_the_national_view_in_the_header(
    app: Flask, directory: Directory
) -> None:
    directory.user(email="admin@gov.example", admin=True)
    admin = app.test_client()
    sign_in(admin, "admin@gov.example")
    header = soup(admin.get("/en/account/")).find("header")
    assert header.find("a", href="/en/national") is not None


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_invitations_email_language_starts_as_the_pages(
    lead_client: FlaskClient, lang: str
) -> None:
    page = soup(lead_client.get(f"/{lang}/account/invite"))
    checked = page.select_one("input[name='language'][checked]")
    assert checked is not None and checked["value"] == lang
