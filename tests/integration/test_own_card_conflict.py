"""Review 1 finding 5: two colleagues changing the same own Diamond 9 card. The card carries a
revision; the form sends the one it was opened on; a save based on an older one is refused
with a 409 that shows both versions (theirs, and the user's still in the form) and the two
choices, as the steps do, without JavaScript. Nothing is lost."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.i18n import translate
from wizard.data.audit import AuditAction
from wizard.data.database import db
from wizard.data.models import AuditEvent, OwnCard, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


def card_url(lang: str, path: str) -> str:
    return f"/{lang}/plan/{YEAR}/diamond-9/cards{path}"


def fields(page: object) -> dict[str, str]:
    """What the card form holds: its inputs' values and its textareas' text."""
    form = soup(page).select_one("form#card-form")  # type: ignore[arg-type]
    values = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    values.update({a["name"]: a.get_text() for a in form.select("textarea")})
    return values


def stored(card_id: int) -> OwnCard:
    db.session.rollback()
    card = db.session.get(OwnCard, card_id)
    assert card is not None
    return card


def test_a_stale_card_edit_is_a_409_showing_both_and_saving_mine_over_theirs_works(
    app: Flask, lead: User, lead_client: FlaskClient, directory: Directory
) -> None:
    colleague = directory.user(
        email="colleague@school.example", school=lead.school, name="Cai Colleague"
    )
    colleague_client = app.test_client()
    sign_in(colleague_client, colleague.email)
    colleague_client.post(card_url("en", "/new"), data={"title_en": "Outdoor learning"})
    card = db.session.scalar(select(OwnCard))
    assert card is not None and card.revision == 1

    # Both open the form: each carries revision 1.
    theirs = fields(lead_client.get(card_url("en", f"/{card.id}")))
    mine = fields(colleague_client.get(card_url("en", f"/{card.id}")))
    assert theirs["revision"] == mine["revision"] == "1"

    # The lead saves first.
    lead_wrote = {**theirs, "description_en": "Lessons in the woods every week."}
    assert lead_client.post(card_url("en", f"/{card.id}"), data=lead_wrote).status_code == 302
    assert stored(card.id).revision == 2

    # The colleague's save, based on revision 1, is refused: nothing of the lead's is lost.
    colleague_wrote = {**mine, "title_en": "Learning outside", "description_en": ""}
    for lang in ("en", "cy"):
        response = colleague_client.post(card_url(lang, f"/{card.id}"), data=colleague_wrote)
        assert response.status_code == 409
        page = soup(response)
        summary = text(page.select_one(".govuk-error-summary"))
        assert translate(app, lang, "Someone else has changed this page") in summary
        assert "Cai Colleague" not in summary  # the lead saved, not the colleague
        assert lead.name in summary
        # Theirs, shown above the form.
        saved = text(page.select_one("#saved-card"))
        assert "Lessons in the woods every week." in saved and "Outdoor learning" in saved
        # Mine, still in the form, now based on their revision.
        held = fields(response)
        assert held["title_en"] == "Learning outside" and held["description_en"] == ""
        assert held["revision"] == "2"
        # The two choices, and no plain save button; both work without JavaScript.
        choices = page.select(".app-conflict-choices")
        assert choices
        for group in choices:
            button = group.select_one("button[type=submit]")
            assert button["form"] == "card-form"
            assert text(button) == translate(app, lang, "Save my answers over theirs")
            keep = group.select_one("a")
            assert keep["href"] == f"/{lang}/plan/{YEAR}/diamond-9/cards/{card.id}"
            assert text(keep) == translate(app, lang, "Discard my answers and keep theirs")
    card_now = stored(card.id)
    assert (card_now.title_en, card_now.description_en) == (
        "Outdoor learning",
        "Lessons in the woods every week.",
    )
    assert card_now.updated_by_id == lead.id

    # "Keep theirs": the form opens again with the lead's card.
    kept = fields(colleague_client.get(card_url("en", f"/{card.id}")))
    assert kept["description_en"] == "Lessons in the woods every week."

    # "Save mine over theirs": the form as the 409 left it saves.
    over = {**colleague_wrote, "revision": held["revision"]}
    assert colleague_client.post(card_url("en", f"/{card.id}"), data=over).status_code == 302
    card_now = stored(card.id)
    assert (card_now.title_en, card_now.description_en, card_now.revision) == (
        "Learning outside",
        None,
        3,
    )
    assert card_now.updated_by_id == colleague.id
    changes = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.CARD_CHANGED)
    ).all()
    assert [event.user_id for event in changes] == [lead.id, colleague.id]


def test_an_edit_without_a_revision_is_not_trusted(lead_client: FlaskClient) -> None:
    """A form that sends no revision (or not a number) cannot show it saw the latest card."""
    lead_client.post(card_url("en", "/new"), data={"title_en": "Parents"})
    card = db.session.scalar(select(OwnCard))
    assert card is not None
    for revision in (None, "x", "0"):
        data = {"title_en": "Carers", **({"revision": revision} if revision else {})}
        response = lead_client.post(card_url("en", f"/{card.id}"), data=data)
        assert response.status_code == 409
        assert fields(response)["revision"] == "1"
    assert stored(card.id).title_en == "Parents"


def test_a_card_deleted_meanwhile_is_not_found(lead_client: FlaskClient) -> None:
    lead_client.post(card_url("en", "/new"), data={"title_en": "Parents"})
    card = db.session.scalar(select(OwnCard))
    assert card is not None
    card_id = card.id
    opened = fields(lead_client.get(card_url("en", f"/{card_id}")))
    db.session.delete(card)
    db.session.commit()
    assert lead_client.post(card_url("en", f"/{card_id}"), data=opened).status_code == 404
