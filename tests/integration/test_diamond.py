"""The Diamond 9 through the Flask client: every way of moving, without and with htmx."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bs4.element import TemplateString
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.conftest import Directory, sign_in
from tests.html import error_summary, heading, soup, task_status
from tests.i18n import translate, translate_plural
from tests.plans import NINE, write_plan
from wizard.data.database import db
from wizard.data.models import OwnCard, PlanAnswer, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
HX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}


def board_url(lang: str = "en", path: str = "") -> str:
    return f"/{lang}/plan/{YEAR}/diamond-9{path}"


def t(app: Flask, lang: str, msgid: str, **variables: Any) -> str:
    """The text a page in `lang` shows for an English message."""
    return translate(app, lang, msgid, **variables)


def version(client: FlaskClient, lang: str = "en") -> str:
    return soup(client.get(board_url(lang))).find(id="diamond-board")["data-version"]


def move(
    client: FlaskClient, card: str, to: str, lang: str = "en", htmx: bool = False, **extra: str
) -> Any:
    data = {"version": version(client, lang), "card": card, "to": to, **extra}
    return client.post(board_url(lang, "/move"), data=data, headers=HX if htmx else {})


def stored_board() -> dict[str, str]:
    db.session.rollback()
    row = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "diamond-9"))
    return row.data["slots"] if row else {}


def test_building_the_whole_board_without_javascript_in_welsh(
    app: Flask, lead_client: FlaskClient
) -> None:
    page = lead_client.get(board_url("cy"))
    assert heading(page) == t(app, "cy", "Professional learning Diamond 9")
    assert len(soup(page).select(".app-diamond__row")) == 5
    for card in NINE:
        response = move(lead_client, card, "next", "cy")
        assert response.status_code == 302
        assert response.headers["Location"].startswith(board_url("cy"))
    assert stored_board() == {str(slot): card for slot, card in enumerate(NINE, start=1)}
    page = lead_client.get(board_url("cy"))
    banner = soup(page).select_one(".govuk-notification-banner__heading").get_text(strip=True)
    assert banner == t(
        app, "cy", "%(card)s placed in row %(row)d", card=t(app, "cy", "Early years"), row=5
    )
    hub = lead_client.get(f"/cy/plan/{YEAR}/")
    assert task_status(hub, t(app, "cy", "Professional learning Diamond 9")) == t(
        app, "cy", "Completed"
    )
    summary = soup(page).select("#board-summary li")
    assert t(app, "cy", "Pedagogy and teaching approaches") in summary[0].get_text()


def test_up_down_swap_and_return_to_the_bank(lead_client: FlaskClient) -> None:
    for card in NINE[:4]:
        move(lead_client, card, "next")
    # slots: 1 pedagogy, 2 curriculum, 3 assessment, 4 well-being
    # Row 2 is full: the person chooses which card to swap with.
    question = move(lead_client, "card:well-being", "up")
    assert question.status_code == 200
    chooser = soup(question).find(id="board-chooser")
    assert [b["value"] for b in chooser.select("button")] == [
        "card:well-being with:card:curriculum-design",
        "card:well-being with:card:assessment",
        "card:well-being cancel",
    ]
    assert chooser.find("h2").get_text(strip=True) == (
        "Row 2 is full. Which card should Well-being swap with?"
    )
    assert stored_board()["4"] == "card:well-being"  # nothing moved yet
    move(lead_client, "card:well-being", "with:card:curriculum-design")
    assert stored_board() == {
        "1": "card:pedagogy",
        "2": "card:well-being",
        "3": "card:assessment",
        "4": "card:curriculum-design",
    }
    move(lead_client, "card:pedagogy", "down")  # into row 2: full, so a choice again
    move(lead_client, "card:pedagogy", "with:card:well-being")
    assert stored_board()["1"] == "card:well-being"
    move(lead_client, "card:equity", "slot", slot="9")
    assert stored_board()["9"] == "card:equity"
    move(lead_client, "card:equity", "bank")
    assert "card:equity" not in stored_board().values()


def test_an_htmx_move_returns_only_what_changed_out_of_band(
    app: Flask, lead_client: FlaskClient
) -> None:
    response = move(lead_client, "card:assessment", "next", "cy", htmx=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Reswap"] == "none"
    parts = soup(response)
    assert parts.find("html") is None  # a partial, not a page
    assert parts.find(id="diamond-board") is None  # only the place that changed
    slot = parts.find(id="slot-1")
    assert slot["data-hx-swap-oob"] == "true"
    assert slot.select_one(".app-card--moved")["data-card"] == "card:assessment"
    assert parts.find(id="board-version")["value"] == "1"
    assert parts.find(id="row-count-1").get_text(strip=True) == t(
        app, "cy", "%(count)d of %(capacity)d", count=1, capacity=1
    )
    assert parts.find(id="board-summary")["data-hx-swap-oob"] == "true"
    announcement = parts.find(id="board-announcement")
    assert announcement["data-hx-swap-oob"] == "innerHTML"
    placed = t(
        app,
        "cy",
        "%(card)s placed in row %(row)d",
        card=t(app, "cy", "Assessment and progression"),
        row=1,
    )
    assert announcement.get_text(strip=True) == placed
    assert parts.find(id="board-undo").find("button").get_text(strip=True) == t(
        app, "cy", "Undo: %(move)s", move=placed
    )
    assert parts.find(id="bank-item-card-assessment")["data-hx-swap-oob"] == "delete"
    assert len(response.get_data()) < 5_000


def test_a_move_within_the_board_leaves_the_bank_alone_and_a_return_inserts_one_card(
    lead_client: FlaskClient,
) -> None:
    move(lead_client, "card:assessment", "next")
    move(lead_client, "card:equity", "next")
    within = soup(move(lead_client, "card:equity", "down", htmx=True))
    assert within.find(id="card-bank") is None
    assert within.find(id="bank-count") is None
    assert {li["id"] for li in within.select("li[data-slot]")} == {"slot-2", "slot-4"}
    back = move(lead_client, "card:equity", "bank", htmx=True)
    parts = soup(back)
    assert parts.find(id="card-bank") is None
    # The card goes back to its place in the bank order, before the next bank card.
    insert = [
        element
        for element in parts.find_all(attrs={"data-hx-swap-oob": True})
        if element["data-hx-swap-oob"].startswith("beforebegin:")
    ]
    assert [element["data-hx-swap-oob"] for element in insert] == [
        "beforebegin:#bank-item-card-support-staff"
    ]
    assert parts.find(id="bank-count")["data-hx-swap-oob"] == "true"


def test_the_full_page_is_served_for_history_and_boosted_requests(lead_client: FlaskClient) -> None:
    for headers in (
        {},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Boosted": "true"},
    ):
        page = lead_client.get(board_url(), headers=headers)
        assert soup(page).find("html") is not None, headers
        assert "HX-Request" in page.headers["Vary"]


def test_suggested_cards_come_first_in_the_bank(app: Flask, lead_client: FlaskClient) -> None:
    lead_client.post(
        f"/en/plan/{YEAR}/context-regional",
        data={"revision": "0", "reflection": "x", "priorities": ["professional-learning-offer"]},
    )
    lead_client.post(
        f"/en/plan/{YEAR}/hallmark-4",
        data={"revision": "0", "rating": "not-sure", "evidence": "a", "next_steps": "b"},
    )
    lead_client.post(
        f"/en/plan/{YEAR}/hallmark-5",
        data={"revision": "0", "rating": "embedded", "evidence": "a", "next_steps": "b"},
    )
    bank = soup(lead_client.get(board_url())).select("#card-bank .app-card")
    assert [c["data-card"] for c in bank[:2]] == [
        "element:professional-learning-offer",
        "hallmark:4",
    ]
    assert "Suggested" in bank[0].get_text()
    assert "hallmark:5" not in [c["data-card"] for c in bank]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_arrangement_form_says_which_rows_are_wrong(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    form = lead_client.get(board_url(lang, "/arrange"))
    selects = soup(form).select("select[name^=row-]")
    assert len(selects) >= 18
    rows = dict(zip(NINE, ["1", "2", "2", "2", "3", "3", "3", "4", "5"], strict=True))
    data = {
        "version": "0",
        "arrangement": "1",
        **{f"row-{card}": row for card, row in rows.items()},
    }
    posted = lead_client.post(board_url(lang, "/move"), data=data)
    # After an error the address bar stays on the arrangement page.
    assert posted.status_code == 303
    assert posted.headers["Location"].endswith(board_url(lang, "/arrange"))
    response = lead_client.get(posted.headers["Location"])
    assert response.status_code == 200
    expected = [
        translate_plural(
            app,
            lang,
            "Row %(row)d has %(num)d card but can only hold %(capacity)d",
            "Row %(row)d has %(num)d cards but can only hold %(capacity)d",
            3,
            row=2,
            capacity=2,
        ),
        translate_plural(
            app,
            lang,
            "Row %(row)d has %(num)d card but needs %(capacity)d",
            "Row %(row)d has %(num)d cards but needs %(capacity)d",
            1,
            row=4,
            capacity=2,
        ),
    ]
    if lang == "en":
        assert expected == ["Row 2 has 3 cards but can only hold 2", "Row 4 has 1 card but needs 2"]
    assert error_summary(response) == expected
    # What the user chose is kept.
    chosen = (
        soup(response)
        .find("select", attrs={"name": "row-card:welsh-language"})
        .find("option", selected=True)
    )
    assert chosen["value"] == "3"
    # Each row says how many cards it holds, and the selects of a wrong row carry its error.
    counts = [li.get_text(" ", strip=True) for li in soup(response).select("#row-counts li")]
    assert t(app, lang, "%(count)d of %(capacity)d", count=3, capacity=2) in counts[1]
    for card in ("card:curriculum-design", "card:assessment", "card:well-being"):
        field = soup(response).find("select", attrs={"name": f"row-{card}"})
        assert "govuk-select--error" in field["class"]
        message = soup(response).find(id=field["aria-describedby"]).get_text(" ", strip=True)
        assert expected[0] in message
    welsh_field = soup(response).find("select", attrs={"name": "row-card:digital-competence"})
    assert "govuk-select--error" in welsh_field["class"]  # row 4 has too few
    pedagogy = soup(response).find("select", attrs={"name": "row-card:pedagogy"})
    assert "govuk-select--error" not in pedagogy["class"]
    assert stored_board() == {}
    # The errors are shown once: a reload shows the board's own rows again.
    assert error_summary(lead_client.get(board_url(lang, "/arrange"))) == []

    rows["card:assessment"] = "4"
    data = {
        "version": "0",
        "arrangement": "1",
        **{f"row-{card}": row for card, row in rows.items()},
    }
    done = lead_client.post(board_url(lang, "/move"), data=data)
    assert done.status_code == 302
    assert sorted(stored_board()) == [str(n) for n in range(1, 10)]


def test_the_arrangement_error_goes_on_the_card_that_was_changed(
    lead_client: FlaskClient,
) -> None:
    """A full board, and one card moved from row 3 to row 2: row 2 has too many cards and row
    3 too few, and both errors are on that card, not on the cards that did not move."""
    write_plan(lead_client, YEAR)
    form = soup(lead_client.get(board_url("en", "/arrange")))
    version = form.find("input", attrs={"name": "version"})["value"]
    rows = dict(zip(NINE, ["1", "2", "2", "3", "3", "3", "4", "4", "5"], strict=True))
    rows["card:equity"] = "2"
    data = {"version": version, "arrangement": "1", **{f"row-{c}": r for c, r in rows.items()}}
    posted = lead_client.post(board_url("en", "/move"), data=data)
    page = soup(lead_client.get(posted.headers["Location"]))
    wrong = [s["name"] for s in page.select("select.govuk-select--error")]
    assert wrong == ["row-card:equity"]
    links = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert links == ["#row-card-equity", "#row-card-equity"]
    message = page.find(id="row-card-equity-error").get_text(" ", strip=True)
    assert "Row 2 has 3 cards" in message and "Row 3 has 2 cards" in message


def test_the_arrangement_form_refuses_tampered_input(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    other_school = directory.school(name_en="Other School", name_cy=None)
    other = directory.user(email="other@school.example", school=other_school)
    other_client = app.test_client()
    sign_in(other_client, other.email)
    other_client.post(board_url("en", "/cards/new"), data={"title_en": "Their secret card"})
    their_card = db.session.scalar(select(OwnCard))
    base = {"version": "0", "arrangement": "1"}

    def post(data: Any) -> Any:
        return lead_client.post(board_url("en", "/move"), data=data, follow_redirects=True)

    foreign = post({**base, f"row-own:{their_card.id}": "1"})
    assert error_summary(foreign) == ["Choose a card from your board or your card bank"]
    unknown_row = post({**base, "row-card:equity": "7"})
    assert error_summary(unknown_row) == ["Choose a row from the list"]
    duplicate = post(
        MultiDict([*base.items(), ("row-card:equity", "1"), ("row-card:equity", "2")]),
    )
    assert error_summary(duplicate) == ["Each card can only be placed once"]
    stale = post({**base, "version": "5", "row-card:equity": "1"})
    assert "Your move has not been made" in error_summary(stale)[0]
    kept = (
        soup(stale).find("select", attrs={"name": "row-card:equity"}).find("option", selected=True)
    )
    assert kept["value"] == "1"  # what the user chose is kept
    assert stored_board() == {}


@pytest.mark.parametrize(
    ("card", "to", "extra", "message"),
    [
        ("card:made-up", "next", {}, "Choose a card from your board or your card bank"),
        ("card:equity", "slot", {"slot": "12"}, "Choose a row or a place on the board"),
        ("card:equity", "sideways", {}, "Choose a row or a place on the board"),
        ("card:equity", "up", {}, "Add the card to the board before moving it up or down"),
    ],
)
def test_impossible_moves_get_a_clear_error_and_change_nothing(
    lead_client: FlaskClient, card: str, to: str, extra: dict[str, str], message: str
) -> None:
    response = move(lead_client, card, to, **extra)
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert stored_board() == {}


@pytest.mark.parametrize("htmx", [False, True])
def test_a_full_board_asks_which_card_a_bank_card_takes_the_place_of(
    lead_client: FlaskClient, htmx: bool
) -> None:
    for card in NINE:
        move(lead_client, card, "next")
    page = soup(lead_client.get(board_url()))
    # The bank's buttons now say "Swap into the board" (the "Add" words are hidden by the state).
    assert "app-bank-state--full" in page.find(id="bank-state")["class"]
    response = move(lead_client, "card:learner-voice", "next", htmx=htmx)
    assert response.status_code == 200
    chooser = soup(response).find(id="board-chooser")
    assert chooser.find("h2").get_text(strip=True) == (
        "The board is full. Which card should Learner voice take the place of? That card goes back to the card bank."
    )
    assert len(chooser.select("button[value*=' with:']")) == 9
    move(lead_client, "card:learner-voice", "with:card:equity", htmx=htmx)
    assert stored_board()["6"] == "card:learner-voice"
    assert "card:equity" not in stored_board().values()


def test_a_stale_move_gets_409_and_the_fresh_board(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    seen = version(lead_client, "cy")
    move(colleague, "card:equity", "next")
    response = lead_client.post(
        board_url("cy", "/move"),
        data={"version": seen, "card": "card:assessment", "to": "next"},
        headers=HX,
    )
    assert response.status_code == 409
    fresh = soup(response).find(id="diamond-board")
    assert fresh["data-version"] == "1"
    assert fresh.select_one('[data-card="card:equity"]') is not None
    said = soup(response).find(id="board-errors").get_text(" ", strip=True)
    # Who moved what, and when, as the step pages say it.
    colleague_name = db.session.scalar(
        select(User.name).where(User.email == "colleague@school.example")
    )
    assert colleague_name in said
    assert (
        t(
            app,
            "cy",
            "%(card)s placed in row %(row)d",
            card=t(app, "cy", "Equity and the impact of poverty"),
            row=1,
        )
        in said
    )
    assert (
        t(
            app,
            "cy",
            "Your move has not been made. This is the board as it is now: check it, then make your change again.",
        )
        in said
    )
    assert stored_board() == {"1": "card:equity"}


def test_own_cards_in_either_language(app: Flask, lead_client: FlaskClient) -> None:
    assert error_summary(lead_client.post(board_url("en", "/cards/new"), data={})) == [
        "Enter a title in English, in Welsh, or both"
    ]
    long = lead_client.post(board_url("cy", "/cards/new"), data={"title_cy": "x" * 121})
    assert error_summary(long) == [t(app, "cy", "The Welsh title must be 120 characters or fewer")]
    lead_client.post(board_url("en", "/cards/new"), data={"title_cy": "Cydweithio gyda rhieni"})
    lead_client.post(
        board_url("en", "/cards/new"),
        data={"title_en": "Outdoor learning", "title_cy": "Dysgu yn yr awyr agored"},
    )
    cards = db.session.scalars(select(OwnCard).order_by(OwnCard.id)).all()
    english = soup(lead_client.get(board_url("en")))
    only_welsh = english.select_one(f"#card-own-{cards[0].id} h3")
    assert only_welsh["lang"] == "cy" and only_welsh.get_text() == "Cydweithio gyda rhieni"
    assert english.select_one(f"#card-own-{cards[1].id} h3").get_text() == "Outdoor learning"
    welsh = soup(lead_client.get(board_url("cy")))
    assert welsh.select_one(f"#card-own-{cards[1].id} h3").get_text() == "Dysgu yn yr awyr agored"
    assert not welsh.select_one(f"#card-own-{cards[0].id} h3").has_attr("lang")

    lead_client.post(
        board_url("en", f"/cards/{cards[1].id}"),
        data={"title_en": "Learning outdoors", "title_cy": "", "revision": "1"},
    )
    db.session.rollback()
    assert db.session.get(OwnCard, cards[1].id).title_cy is None


def test_a_card_on_the_board_is_deleted_only_after_confirmation(lead_client: FlaskClient) -> None:
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Parents"})
    card = db.session.scalar(select(OwnCard))
    move(lead_client, card.key, "next")
    ask = lead_client.post(board_url("en", f"/cards/{card.id}/delete"), data={"version": "1"})
    assert heading(ask) == "Are you sure you want to delete this card?"
    assert "in row 1" in ask.get_data(as_text=True)
    assert stored_board() == {"1": card.key}
    done = lead_client.post(
        board_url("en", f"/cards/{card.id}/delete"), data={"version": "1", "confirm": "yes"}
    )
    assert done.status_code == 302
    assert stored_board() == {}
    db.session.rollback()
    assert db.session.scalar(select(OwnCard)) is None


def test_a_card_in_the_bank_is_not_deleted_from_a_stale_page(lead_client: FlaskClient) -> None:
    """The confirmation page was read before someone else changed the board: deleting from it
    changes nothing, whether the card is on the board or in the bank."""
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Parents"})
    card = db.session.scalar(select(OwnCard))
    card_id, key = card.id, card.key
    move(lead_client, key, "next")  # revision 1: on the board
    move(lead_client, key, "bank")  # revision 2: back in the bank
    stale = lead_client.post(
        board_url("en", f"/cards/{card_id}/delete"), data={"version": "1", "confirm": "yes"}
    )
    assert stale.status_code == 302
    db.session.rollback()
    assert db.session.get(OwnCard, card_id) is not None
    shown = lead_client.get(board_url("en"))
    assert "Someone else changed the board at the same time" in shown.get_data(as_text=True)
    current = lead_client.post(
        board_url("en", f"/cards/{card_id}/delete"), data={"version": "2", "confirm": "yes"}
    )
    assert current.status_code == 302
    db.session.rollback()
    assert db.session.get(OwnCard, card_id) is None


def test_another_schools_cards_cannot_be_seen_or_changed(
    app: Flask, directory: Directory, lead_client: FlaskClient
) -> None:
    other = directory.user(
        email="other@school.example", school=directory.school(name_en="Other", name_cy=None)
    )
    other_client = app.test_client()
    sign_in(other_client, other.email)
    other_client.post(board_url("en", "/cards/new"), data={"title_en": "Theirs"})
    theirs = db.session.scalar(select(OwnCard))
    assert lead_client.get(board_url("en", f"/cards/{theirs.id}")).status_code == 404
    assert (
        lead_client.post(
            board_url("en", f"/cards/{theirs.id}"), data={"title_en": "Mine now"}
        ).status_code
        == 404
    )
    assert (
        lead_client.post(
            board_url("en", f"/cards/{theirs.id}/delete"), data={"confirm": "yes"}
        ).status_code
        == 404
    )
    response = move(lead_client, theirs.key, "next")
    assert error_summary(response) == ["Choose a card from your board or your card bank"]
    db.session.rollback()
    assert db.session.get(OwnCard, theirs.id).title_en == "Theirs"


def test_the_board_downloads_as_an_svg_with_welsh_titles_wrapped(
    app: Flask, lead_client: FlaskClient
) -> None:
    lead_client.post(
        board_url("cy", "/cards/new"),
        data={"title_cy": "Datblygu arweinyddiaeth ddysgu ar draws holl ysgolion y clwstwr"},
    )
    card = db.session.scalar(select(OwnCard))
    move(lead_client, card.key, "next", "cy")
    move(lead_client, "card:welsh-language", "next", "cy")
    response = lead_client.get(board_url("cy", "/image.svg"))
    assert response.mimetype == "image/svg+xml"
    assert 'filename="diemwnt-9-' in response.headers["Content-Disposition"]
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and 'lang="cy"' in svg
    assert t(app, "cy", "The Welsh language") in svg
    long_title = (
        "<text"
        + svg.split("Datblygu")[0].rsplit("<text", 1)[1]
        + svg.split("Datblygu")[1].split("</text>")[0]
    )
    assert long_title.count("<tspan") >= 3  # the long Welsh title wraps onto several lines
    from xml.etree import ElementTree

    ElementTree.fromstring(svg)  # well-formed


def test_the_board_is_on_the_whole_plan_check_page(app: Flask, lead_client: FlaskClient) -> None:
    move(lead_client, "card:equity", "next", "cy")
    page = lead_client.get(f"/cy/plan/{YEAR}/check-your-answers")
    assert t(app, "cy", "Equity and the impact of poverty") in page.get_data(as_text=True)


# Size, undo, the change notice, the chooser, skip links and cards that explain themselves ----


def fill_board(client: FlaskClient) -> None:
    for card in NINE:
        move(client, card, "next")


def test_a_full_board_page_and_its_moves_are_small(lead_client: FlaskClient) -> None:
    fill_board(lead_client)
    page = lead_client.get(board_url("cy"))
    assert len(page.get_data()) < 30_000, len(page.get_data())
    sizes = {}
    for card, to in [
        ("card:early-years", "up"),  # row 4 is full: a swap with a chosen card
        ("card:early-years", "with:card:coaching-and-mentoring"),
        ("card:pedagogy", "down"),
        ("card:pedagogy", "with:card:assessment"),
        ("card:learner-voice", "with:card:welsh-language"),  # from the bank: a swap in
        ("card:equity", "bank"),
        ("card:equity", "9"),
        ("-", "undo"),
    ]:
        response = move(lead_client, card, to, "cy", htmx=True)
        assert response.status_code == 200, (card, to)
        sizes[f"{card} {to}"] = len(response.get_data())
    assert max(sizes.values()) < 5_000, sizes


@pytest.mark.parametrize("htmx", [False, True])
def test_the_last_move_and_the_one_before_can_be_undone(
    app: Flask, lead_client: FlaskClient, htmx: bool
) -> None:
    move(lead_client, "card:pedagogy", "next")
    move(lead_client, "card:equity", "next")
    move(lead_client, "card:equity", "down")
    page = soup(lead_client.get(board_url("cy")))
    undo_button = page.select_one("#board-undo button")
    moved = t(
        app,
        "cy",
        "%(card)s moved to row %(row)d",
        card=t(app, "cy", "Equity and the impact of poverty"),
        row=3,
    )
    assert undo_button.get_text(strip=True) == t(app, "cy", "Undo: %(move)s", move=moved)
    assert undo_button["value"] == "- undo"
    # The undo button is beside the live announcement.
    assert undo_button.find_parent(id="board-live").find(id="board-announcement") is not None

    first = lead_client.post(
        board_url("cy", "/move"),
        data={"version": version(lead_client, "cy"), "m": "- undo"},
        headers=HX if htmx else {},
    )
    assert first.status_code == (200 if htmx else 302)
    assert stored_board() == {"1": "card:pedagogy", "2": "card:equity"}
    if htmx:
        parts = soup(first)
        assert parts.find(id="board-announcement").get_text(strip=True) == t(
            app, "cy", "Undone: %(move)s", move=moved
        )
        assert {li["id"] for li in parts.select("li[data-slot]")} == {"slot-2", "slot-4"}
    else:
        banner = soup(lead_client.get(board_url("cy"))).select_one(
            ".govuk-notification-banner__heading"
        )
        assert banner.get_text(strip=True) == t(app, "cy", "Undone: %(move)s", move=moved)
    # The one before it.
    placed = t(
        app,
        "cy",
        "%(card)s placed in row %(row)d",
        card=t(app, "cy", "Equity and the impact of poverty"),
        row=2,
    )
    again = soup(lead_client.get(board_url("cy"))).select_one("#board-undo button")
    assert again.get_text(strip=True) == t(app, "cy", "Undo: %(move)s", move=placed)
    lead_client.post(
        board_url("cy", "/move"),
        data={"version": version(lead_client, "cy"), "m": "- undo"},
        headers=HX if htmx else {},
    )
    assert stored_board() == {"1": "card:pedagogy"}
    # Only two moves are kept: nothing more to undo.
    assert soup(lead_client.get(board_url("cy"))).select_one("#board-undo button") is None
    nothing = lead_client.post(
        board_url("en", "/move"),
        data={"version": version(lead_client), "m": "- undo"},
        headers=HX if htmx else {},
    )
    assert error_summary(nothing) == ["There is no move to undo"]
    assert stored_board() == {"1": "card:pedagogy"}


def test_an_undo_on_a_stale_board_is_refused_with_who_moved_what(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    move(lead_client, "card:pedagogy", "next")
    seen = version(lead_client)
    move(colleague, "card:equity", "next")
    response = lead_client.post(
        board_url("en", "/move"), data={"version": seen, "m": "- undo"}, headers=HX
    )
    assert response.status_code == 409
    said = soup(response).find(id="board-errors").get_text(" ", strip=True)
    assert "Equity and the impact of poverty placed in row 2" in said
    assert stored_board() == {"1": "card:pedagogy", "2": "card:equity"}


def test_an_open_board_polls_a_tiny_version_endpoint(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    page = soup(lead_client.get(board_url("cy")))
    poll = page.find(id="board-changed")
    assert poll["data-hx-trigger"] == "every 15s"
    assert poll["data-hx-include"] == "#board-version, #board-notified"
    url = poll["data-hx-get"]
    unchanged = lead_client.get(url + "?version=0", headers=HX)
    assert unchanged.status_code == 200 and unchanged.get_data() == b""
    assert unchanged.headers["Cache-Control"] == "no-store"

    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    move(colleague, "card:equity", "next")
    changed = lead_client.get(url + "?version=0", headers=HX)
    notice = soup(changed)
    assert notice.find("h2").get_text(strip=True) == t(app, "cy", "The board has changed")
    name = db.session.scalar(select(User.name).where(User.email == "colleague@school.example"))
    assert name in notice.get_text()
    load = notice.find("button")
    assert load.get_text(strip=True) == t(app, "cy", "Load the new board")
    assert load.find_parent("form")["method"] == "get"
    assert len(changed.get_data()) < 1_500
    # The notice says which version it told of; polled with it, nothing is sent (so nothing
    # is read out again) until the board changes again.
    assert notice.find(id="board-notified")["value"] == "1"
    told = lead_client.get(url + "?version=0&notified=1", headers=HX)
    assert told.status_code == 204 and told.get_data() == b""
    move(colleague, "card:pedagogy", "next")
    again = soup(lead_client.get(url + "?version=0&notified=1", headers=HX))
    assert again.find(id="board-notified")["value"] == "2"
    # Once the page has the new version, the poll is quiet again.
    assert lead_client.get(url + "?version=2", headers=HX).get_data() == b""


@pytest.mark.parametrize("htmx", [False, True])
def test_move_to_row_and_swap_with_ask_first_and_cancel_changes_nothing(
    lead_client: FlaskClient, htmx: bool
) -> None:
    for card in NINE[:4]:
        move(lead_client, card, "next")
    rows = soup(move(lead_client, "card:well-being", "rows", htmx=htmx)).find(id="board-chooser")
    assert rows.find("h2").get_text(strip=True) == "Which row should Well-being move to?"
    assert [b["value"] for b in rows.select("button")] == [
        "card:well-being row-1",
        "card:well-being row-2",
        "card:well-being row-4",
        "card:well-being row-5",
        "card:well-being cancel",
    ]
    assert "Row 2 (2 of 2)" in rows.get_text()
    swap = soup(move(lead_client, "card:well-being", "swap", htmx=htmx)).find(id="board-chooser")
    assert [b["value"] for b in swap.select("button")][:3] == [
        "card:well-being with:card:pedagogy",
        "card:well-being with:card:curriculum-design",
        "card:well-being with:card:assessment",
    ]
    cancel = move(lead_client, "card:well-being", "cancel", htmx=htmx)
    if htmx:
        assert soup(cancel).find(id="board-chooser").get_text(strip=True) == ""
    else:
        assert cancel.status_code == 302
    assert stored_board()["4"] == "card:well-being"
    move(lead_client, "card:well-being", "with:card:pedagogy", htmx=htmx)
    assert stored_board()["1"] == "card:well-being" and stored_board()["4"] == "card:pedagogy"


def test_skip_links_between_the_board_and_the_bank(app: Flask, lead_client: FlaskClient) -> None:
    page = soup(lead_client.get(board_url("cy")))
    links = [a for a in page.select("main a") if a["href"] in ("#card-bank", "#diamond-board")]
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        (t(app, "cy", "Skip to the card bank"), "#card-bank"),
        (t(app, "cy", "Back to the board"), "#diamond-board"),
    ]
    # The skip link comes before every control of the board.
    main = page.find("main")
    first_control = main.find(["button", "summary"])
    assert str(main).index("#card-bank") < str(main).index(str(first_control)[:40])


def test_cards_explain_themselves_and_say_why_they_are_suggested(
    app: Flask, lead_client: FlaskClient
) -> None:
    lead_client.post(
        f"/en/plan/{YEAR}/context-school",
        data={"revision": "0", "reflection": "x", "priorities": ["research-and-enquiry"]},
    )
    lead_client.post(
        f"/en/plan/{YEAR}/hallmark-4",
        data={"revision": "0", "rating": "developing", "evidence": "a", "next_steps": "b"},
    )
    move(lead_client, "card:pedagogy", "next")
    page = soup(lead_client.get(board_url("en")))
    # The bank's cards are marked as having something to say; the text is on "About the
    # cards" (which the board's script reads when a card's "About" is opened).
    bank = page.find(id="card-bank")
    about_url = bank["data-about-url"]
    assert bank.find("a", string="What each card is about")["href"] == about_url
    element = page.find(id="card-element-research-and-enquiry")
    hallmark = page.find(id="card-hallmark-4")
    assert element.has_attr("data-about") and hallmark.has_attr("data-about")
    assert element.find("details") is None
    assert hallmark.find("h3").get_text(strip=True) == "Planned strategically"  # short
    # A card on the board says what it is about in its moves.
    designed = page.find(id="card-card-pedagogy").find("details")
    assert (
        "Developing the teaching approaches that help learners make progress."
        in designed.get_text()
    )
    # The designed card that nearly repeats the suggested element is merged into it.
    assert page.find(id="card-card-research-and-enquiry") is None

    about = soup(lead_client.get(about_url))
    assert about.h1.get_text(strip=True) == "About the cards"
    section = about.find(id="about-element-research-and-enquiry")
    assert "You chose this element in the school context" in section.get_text()
    assert "In the card bank" in section.get_text()
    hallmark_about = about.find(id="about-hallmark-4").get_text(" ", strip=True)
    assert "Planned strategically over short, medium and longer terms" in hallmark_about
    assert "You rated hallmark 4 as Developing" in hallmark_about
    pedagogy = about.find(id="about-card-pedagogy").get_text(" ", strip=True)
    assert "On your board: Row 1 (most important)" in pedagogy
    assert "Developing the teaching approaches that help learners make progress." in pedagogy
    # The cards on the board come first, then the bank's; every card is there once.
    sections = [s["id"] for s in about.select("section.app-about-card")]
    assert sections[0] == "about-card-pedagogy"
    assert len(sections) == len(set(sections)) == 1 + len(bank.select("[data-card]"))
    welsh = soup(lead_client.get(about_url.replace("/en/", "/cy/", 1)))
    assert (
        t(
            app,
            "cy",
            "You rated hallmark %(number)d as %(rating)s",
            number=4,
            rating=t(app, "cy", "Developing"),
        )
        in welsh.get_text()
    )


def test_about_the_cards_names_a_card_the_school_wrote(lead_client: FlaskClient) -> None:
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Outdoor learning"})
    about = soup(lead_client.get(board_url("en", "/cards")))
    own = next(s for s in about.select("section.app-about-card") if "Outdoor learning" in s.h2)
    assert "A card your school wrote." in own.get_text()
    assert "Your card" in own.get_text()


def test_an_own_card_back_in_the_bank_by_htmx_keeps_its_change_and_delete_links(
    lead_client: FlaskClient,
) -> None:
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Outdoor learning"})
    card = db.session.scalars(select(OwnCard)).one()
    move(lead_client, card.key, "next")
    back = soup(move(lead_client, card.key, "bank", htmx=True))
    returned = back.find(id=f"card-own-{card.id}")
    assert returned is not None and returned.find_parent(id="bank-cards") is None  # out of band
    # (Inside the response's <template>: BeautifulSoup reads its text only when asked to.)
    links = [
        (a["href"], a.get_text(" ", strip=True, types=(TemplateString,)))
        for a in returned.find_all("a")
    ]
    assert links == [
        (board_url("en", f"/cards/{card.id}"), "Change : Outdoor learning"),
        (board_url("en", f"/cards/{card.id}/delete"), "Delete : Outdoor learning"),
    ]


def test_a_board_with_a_large_bank_is_under_30_kb(lead_client: FlaskClient) -> None:
    """A whole plan whose self-review suggests many cards (the benchmark's school): nine on
    the board and over twenty in the bank, in both languages."""
    write_plan(lead_client, YEAR)
    for lang in ("en", "cy"):
        page = lead_client.get(board_url(lang))
        assert page.status_code == 200
        bank = soup(page).find(id="bank-cards")
        assert len(bank.select("[data-card]")) >= 20
        assert len(page.get_data()) < 30 * 1024, (lang, len(page.get_data()))


def test_a_card_added_banner_is_a_flash_that_goes_after_the_next_move(
    lead_client: FlaskClient,
) -> None:
    lead_client.post(board_url("en", "/cards/new"), data={"title_en": "Outdoor learning"})
    page = soup(lead_client.get(board_url()))
    assert "Your card has been added to the card bank." in page.get_text()
    move(lead_client, "card:pedagogy", "next")
    after = soup(lead_client.get(board_url())).get_text()
    assert "Your card has been added to the card bank." not in after


def test_returning_a_merged_card_resends_the_bank_whole(lead_client: FlaskClient) -> None:
    # The designed card is on the board (placed before the element was suggested).
    move(lead_client, "card:research-and-enquiry", "next")
    lead_client.post(
        f"/en/plan/{YEAR}/context-school",
        data={"revision": "0", "reflection": "x", "priorities": ["research-and-enquiry"]},
    )
    page = soup(lead_client.get(board_url()))
    assert page.find(id="card-element-research-and-enquiry") is None  # merged into the card
    back = soup(move(lead_client, "card:research-and-enquiry", "bank", htmx=True))
    bank = back.find(id="card-bank")
    assert bank["data-hx-swap-oob"] == "true"
    assert bank.find(id="card-element-research-and-enquiry") is not None
    assert bank.find(id="card-card-research-and-enquiry") is None


def test_a_card_added_from_the_bank_arrives_closed_and_a_moved_card_keeps_its_moves_open(
    lead_client: FlaskClient,
) -> None:
    def posted(m: str) -> Any:
        data = {"version": version(lead_client), "m": m}
        return soup(lead_client.post(board_url(path="/move"), data=data, headers=HX))

    # Added from the bank with its button: the new card's moves are closed, so adding nine
    # cards one after the other leaves a compact board.
    added = posted("card:assessment next")
    card = added.find(id="slot-1").select_one(".app-card")
    assert card["data-card"] == "card:assessment"
    assert card.find("details").get("open") is None
    # Moved from its own disclosure: it stays open where the keyboard user left it.
    posted("card:equity next")
    moved = posted("card:equity up")
    details = moved.select_one('[data-card="card:equity"] details')
    assert details is not None and details.has_attr("open")
