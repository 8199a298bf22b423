"""Welsh and English: mirrored URLs, the toggle, <html lang>, and the remembered choice."""

from __future__ import annotations

import contextvars
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, toggle_link
from wizard.data.database import db
from wizard.data.models import User
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.labels import STATUS_LABELS
from wizard.web.year_end import STATUS_LABELS as YEAR_END_STATUSES
from wizard.web.year_end import YEAR_END_STATUS_LABELS

YEAR = year_slug(academic_year_of(date.today()))
PUBLIC_PAGES = [
    "/{}/",
    "/{}/sign-in",
    "/{}/reset-password",
    "/{}/accessibility",
    "/{}/privacy",
    "/{}/cookies",
]
SIGNED_IN_PAGES = [
    "/{}/plan/" + YEAR + "/",
    "/{}/plan/" + YEAR + "/about-your-school",
    "/{}/plan/" + YEAR + "/about-your-school?return_to=check",
    "/{}/plan/" + YEAR + "/about-your-school/check",
    "/{}/account/",
    "/{}/account/invite",
]
# English interface text that must never appear on a Welsh page.
ENGLISH_UI = [
    "Sign in",
    "Sign out",
    "Skip to main content",
    "Your account",
    "Accessibility statement",
    "Save and continue",
    "Back",
    "There is a problem",
    "Not yet started",
]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_ratings_use_other_words_than_task_statuses(app: Flask, lang: str) -> None:
    """A hallmark rated "not yet started" must not read like a task not yet started."""

    def words() -> tuple[set[str], set[str]]:
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            ratings = {str(rating.title) for rating in framework.RATINGS}
            statuses = {
                str(label)
                for labels in (STATUS_LABELS, YEAR_END_STATUSES, YEAR_END_STATUS_LABELS)
                for label in labels.values()
            }
            return ratings, statuses

    ratings, statuses = contextvars.Context().run(words)
    assert not ratings & statuses, ratings & statuses


def test_the_root_redirects_to_english_by_default(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/"
    assert "Accept-Language" in response.headers["Vary"]


def test_the_root_follows_accept_language(client: FlaskClient) -> None:
    assert (
        client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).headers["Location"]
        == "/cy/"
    )
    assert client.get("/", headers={"Accept-Language": "fr, de"}).headers["Location"] == "/en/"


def test_the_last_language_used_wins_over_accept_language(client: FlaskClient) -> None:
    client.get("/cy/")
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/cy/"


def test_a_signed_in_users_stored_preference_wins(
    app: Flask, directory: Directory, lead: User
) -> None:
    client = app.test_client()
    sign_in(client, lead.email)
    assert client.post("/cy/account/language", data={"language": "cy"}).status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(User.locale).where(User.id == lead.id)) == "cy"
    # A new browser, asking for English, still gets Welsh once signed in.
    fresh = app.test_client()
    sign_in(fresh, lead.email)
    assert fresh.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/cy/"


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_exist_in_both_languages_with_a_toggle_to_the_same_page(
    client: FlaskClient, page: str, lang: str
) -> None:
    other = "cy" if lang == "en" else "en"
    response = client.get(page.format(lang))
    assert response.status_code == 200
    html = soup(response).find("html")
    assert html["lang"] == lang
    link = toggle_link(response)
    assert link["href"] == page.format(other)
    assert link["lang"] == other
    assert link["hreflang"] == other
    assert link.get_text(" ", strip=True).startswith("Cymraeg" if other == "cy" else "English")
    current = soup(response).select_one("nav.app-language-toggle [aria-current]")
    assert current.get_text(strip=True) == ("Cymraeg" if lang == "cy" else "English")


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_pages_mirror_each_other_and_keep_the_query(
    lead_client: FlaskClient, page: str
) -> None:
    english = lead_client.get(page.format("en"))
    welsh = lead_client.get(page.format("cy"))
    assert english.status_code == welsh.status_code == 200
    assert toggle_link(english)["href"] == page.format("cy").split("#")[0]
    assert toggle_link(welsh)["href"] == page.format("en").split("#")[0]
    assert heading(english) != heading(welsh)


@pytest.mark.parametrize("page", PUBLIC_PAGES + SIGNED_IN_PAGES)
def test_welsh_pages_have_no_english_interface_text(lead_client: FlaskClient, page: str) -> None:
    response = lead_client.get(page.format("cy"))
    body = soup(response)
    for node in body.select("[lang=en]"):
        node.decompose()
    text = " ".join(body.get_text(" ").split())
    for english in ENGLISH_UI:
        assert f" {english} " not in f" {text} ", f"{english!r} on {page.format('cy')}"


def test_welsh_error_page_and_language_of_unknown_urls(client: FlaskClient) -> None:
    response = client.get("/cy/dim-yma")
    assert response.status_code == 404
    assert soup(response).find("html")["lang"] == "cy"
    assert heading(response) == "Heb ddod o hyd i'r dudalen"
    assert client.get("/xx/").status_code == 404


def test_text_in_the_other_language_is_marked_with_its_own_lang(
    lead_client: FlaskClient, directory: Directory
) -> None:
    school = directory.school(name_en="Riverside High School", name_cy=None)
    other = directory.user(email="riverside@school.example", school=school)
    lead_client.post("/cy/sign-out")
    sign_in(lead_client, other.email, lang="cy")
    response = lead_client.get(f"/cy/plan/{YEAR}/")
    caption = soup(response).select_one(".govuk-caption-l span[lang=en]")
    assert caption is not None and caption.get_text() == "Riverside High School"


def test_dates_and_money_are_formatted_for_the_locale(lead_client: FlaskClient) -> None:
    lead_client.post(
        f"/cy/plan/{YEAR}/about-your-school",
        data={
            "revision": "0",
            "phase": "primary",
            "teaching_staff": "3",
            "support_staff": "6",
            "pl_lead": "Catrin",
            "funding_allocation": "1250",
        },
    )
    response = lead_client.get(f"/cy/plan/{YEAR}/about-your-school/check")
    assert "£1,250.00" in response.get_data(as_text=True)
    hub = lead_client.get(f"/cy/plan/{YEAR}/")
    months = [
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
    ]
    assert any(month in hub.get_data(as_text=True) for month in months)


def test_welsh_page_titles_are_imperatives_and_buttons_verb_nouns(
    lead_client: FlaskClient,
) -> None:
    """One English string is both a page title and a button: the title has the msgctxt "page
    title", so that it can take the imperative like "Gwiriwch eich atebion"."""
    account = soup(lead_client.get("/cy/account/"))
    assert [a.get_text(strip=True) for a in account.select("a.govuk-button")] == [
        "Gwahodd cydweithiwr"
    ]
    invite = lead_client.get("/cy/account/invite")
    assert heading(invite) == "Gwahoddwch gydweithiwr"
    assert soup(invite).title is not None
    assert soup(invite).title.get_text().startswith("Gwahoddwch gydweithiwr – ")


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("page", PUBLIC_PAGES + ["/{}/plan/" + YEAR + "/about-your-school"])
def test_hreflang_alternates_are_absolute_from_the_base_url(
    make_app: object, directory: Directory, lead: User, page: str, lang: str
) -> None:
    # The test client's requests are for http://localhost: the alternates come from BASE_URL
    # (as the links in emails do), never from the host a request names.
    other_app = make_app(BASE_URL="https://planner.example.wales")  # type: ignore[operator]
    client = other_app.test_client()
    if "/plan/" in page:
        sign_in(client, lead.email)
    response = client.get(page.format(lang))
    assert response.status_code == 200
    alternates = {
        link["hreflang"]: link["href"]
        for link in soup(response).select('head link[rel="alternate"][hreflang]')
    }
    assert alternates == {
        "en": "https://planner.example.wales" + page.format("en"),
        "cy": "https://planner.example.wales" + page.format("cy"),
    }


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_have_a_meta_description_in_the_page_language(
    client: FlaskClient, page: str
) -> None:
    descriptions = {}
    for lang in ("en", "cy"):
        metas = soup(client.get(page.format(lang))).select('head meta[name="description"]')
        assert len(metas) == 1
        descriptions[lang] = metas[0]["content"].strip()
        assert len(descriptions[lang]) > 30
    assert descriptions["en"] != descriptions["cy"]
    assert "Professional learning planner" not in descriptions["cy"]


def test_signed_in_pages_have_no_meta_description(lead_client: FlaskClient) -> None:
    page = lead_client.get(f"/en/plan/{YEAR}/")
    assert soup(page).select('head meta[name="description"]') == []
