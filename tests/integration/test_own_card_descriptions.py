"""A school's own Diamond 9 cards carry an optional description (issue 29 point 4), in English,
Welsh or both like the title: written where the card is added or changed, with the fields in
the page's language first, a bilingual limit that keeps what was typed, and shown wherever the
framework's cards show theirs (a placed card's disclosure, the "About the cards" page), kept by
a submitted version and carried to next year's plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.html import error_summary, soup, text
from tests.i18n import translate
from wizard.data.database import db
from wizard.data.models import OwnCard, Plan, School
from wizard.data.versions import snapshot_of
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.plan_document import PlanDocument

YEAR = year_slug(academic_year_of(date.today()))
DESCRIPTION_EN = "Lessons in the woods behind the school, every week, for every class."
DESCRIPTION_CY = "Gwersi yn y coed y tu ôl i'r ysgol, bob wythnos, i bob dosbarth."


def board_url(lang: str = "en", path: str = "") -> str:
    return f"/{lang}/plan/{YEAR}/diamond-9{path}"


def t(app: Flask, lang: str, msgid: str, **variables: Any) -> str:
    return translate(app, lang, msgid, **variables)


def labels(response: Any) -> list[str]:
    form = soup(response).select_one("main form")
    return [text(label) for label in form.select("label")]


def test_the_fields_in_the_pages_language_come_first(app: Flask, lead_client: FlaskClient) -> None:
    english = labels(lead_client.get(board_url("en", "/cards/new")))
    assert english == [
        "Title in English",
        "Title in Welsh",
        "Description in English (optional)",
        "Description in Welsh (optional)",
    ]
    welsh = labels(lead_client.get(board_url("cy", "/cards/new")))
    assert welsh == [
        t(app, "cy", "Title in Welsh"),
        t(app, "cy", "Title in English"),
        t(app, "cy", "Description in Welsh (optional)"),
        t(app, "cy", "Description in English (optional)"),
    ]
    page = soup(lead_client.get(board_url("cy", "/cards/new")))
    assert page.find("textarea", attrs={"name": "description_cy"})["lang"] == "cy"
    assert page.find("textarea", attrs={"name": "description_en"})["lang"] == "en"


def test_a_description_over_the_limit_is_an_error_in_both_languages_that_keeps_what_was_typed(
    app: Flask, lead_client: FlaskClient
) -> None:
    long = "y" * 501
    for lang in ("en", "cy"):
        response = lead_client.post(
            board_url(lang, "/cards/new"),
            data={"title_cy": "Dysgu awyr agored", "description_cy": long, "description_en": "Ok"},
        )
        assert response.status_code == 200
        assert error_summary(response) == [
            t(app, lang, "The Welsh description must be 500 characters or fewer")
        ]
        page = soup(response)
        assert page.find("input", attrs={"name": "title_cy"})["value"] == "Dysgu awyr agored"
        assert page.find("textarea", attrs={"name": "description_cy"}).get_text() == long
        assert page.find("textarea", attrs={"name": "description_en"}).get_text() == "Ok"
    response = lead_client.post(
        board_url("en", "/cards/new"), data={"title_en": "Outdoors", "description_en": long}
    )
    assert error_summary(response) == ["The English description must be 500 characters or fewer"]
    assert db.session.scalars(select(OwnCard)).all() == []


def test_a_description_is_shown_where_the_cards_descriptions_are(
    app: Flask, lead_client: FlaskClient
) -> None:
    lead_client.post(
        board_url("en", "/cards/new"),
        data={
            "title_en": "Outdoor learning",
            "title_cy": "Dysgu yn yr awyr agored",
            "description_en": DESCRIPTION_EN,
            "description_cy": DESCRIPTION_CY,
        },
    )
    lead_client.post(
        board_url("en", "/cards/new"),
        data={"title_en": "Parents", "description_en": "Parents in class once a term."},
    )
    outdoor, parents = db.session.scalars(select(OwnCard).order_by(OwnCard.id)).all()
    about = soup(lead_client.get(board_url("en", "/cards")))
    section = about.find(id=f"about-own-{outdoor.id}")
    assert DESCRIPTION_EN in text(section) and DESCRIPTION_CY not in text(section)
    assert "A card your school wrote." not in text(section)
    # The bank's card points at that text (read on demand by the board's script).
    board = soup(lead_client.get(board_url("en")))
    assert board.find(id=f"card-own-{outdoor.id}").has_attr("data-about")

    welsh = soup(lead_client.get(board_url("cy", "/cards")))
    assert DESCRIPTION_CY in text(welsh.find(id=f"about-own-{outdoor.id}"))
    # Written only in English: shown on a Welsh page, marked as English.
    only_english = welsh.find(id=f"about-own-{parents.id}").find(
        "p", string="Parents in class once a term."
    )
    assert only_english["lang"] == "en"

    # On the board, the card's own disclosure says it too.
    version = board.find(id="diamond-board")["data-version"]
    lead_client.post(
        board_url("cy", "/move"), data={"version": version, "card": outdoor.key, "to": "next"}
    )
    placed = soup(lead_client.get(board_url("cy"))).find(id=f"card-own-{outdoor.id}")
    assert placed.find_parent(class_="app-diamond") is not None
    assert DESCRIPTION_CY in text(placed.select_one(".app-card__menu"))


def test_changing_a_card_shows_its_description_and_can_clear_it(
    lead_client: FlaskClient,
) -> None:
    lead_client.post(
        board_url("en", "/cards/new"),
        data={"title_en": "Outdoor learning", "description_en": DESCRIPTION_EN},
    )
    card = db.session.scalar(select(OwnCard))
    assert card.description_en == DESCRIPTION_EN and card.description_cy is None
    form = soup(lead_client.get(board_url("en", f"/cards/{card.id}")))
    assert form.find("textarea", attrs={"name": "description_en"}).get_text() == DESCRIPTION_EN
    lead_client.post(
        board_url("en", f"/cards/{card.id}"),
        data={
            "title_en": "Outdoor learning",
            "description_en": "",
            "description_cy": "Coed",
            "revision": "1",
        },
    )
    db.session.rollback()
    card = db.session.get(OwnCard, card.id)
    assert (card.description_en, card.description_cy) == (None, "Coed")


def test_a_version_keeps_the_descriptions_and_reads_them_back(lead_client: FlaskClient) -> None:
    lead_client.post(
        board_url("en", "/cards/new"),
        data={"title_en": "Outdoor learning", "description_cy": DESCRIPTION_CY},
    )
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Parents"})
    plan = db.session.scalar(select(Plan))
    school = db.session.get(School, plan.school_id)
    stored = snapshot_of(plan, school)
    outdoor, parents = stored["own_cards"]
    assert outdoor["description_cy"] == DESCRIPTION_CY and "description_en" not in outdoor
    # A card without a description is stored as before descriptions were.
    assert set(parents) == {"id", "title_en", "title_cy"}
    document = PlanDocument.from_stored(stored)
    assert document.own_cards[0].description_cy == DESCRIPTION_CY
