"""The Diamond 9 board's service (wizard/services/board.py), called with plain values: one move
protocol over two stores, the school's board and a staff voice responder's."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.plans import NINE
from wizard.data import staff_voice
from wizard.data.database import db
from wizard.data.models import OwnCard, PlanAnswer, StaffVoiceResponse, User
from wizard.data.plans import get_or_create_plan
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.services import board as boards
from wizard.services.board import ArrangeError, Deletion, MoveError, Outcome

YEAR = academic_year_of(date.today())
PEDAGOGY, CURRICULUM, ASSESSMENT = NINE[0], NINE[1], NINE[2]


@pytest.fixture
def en(app: Flask) -> Iterator[None]:
    """Card titles are words in a language: an English request's."""
    with app.test_request_context("/en/"):
        yield


def school_board(user: User) -> boards.SchoolBoard:
    assert user.school_id is not None
    return boards.SchoolBoard(user.school_id, YEAR, "en", user)


def stored_slots() -> dict[str, str]:
    db.session.expire_all()
    row = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "diamond-9"))
    return dict(row.data["slots"]) if row else {}


def test_a_move_returns_a_new_board_and_leaves_the_one_it_was_given(lead: User, en: None) -> None:
    store = school_board(lead)
    before = store.read()
    result = boards.move(store, PEDAGOGY, "next", based_on=0)
    assert result.outcome == Outcome.MOVED
    assert result.state.board == {1: PEDAGOGY}
    assert result.state.version == 1
    assert result.done is not None and result.done.slot == 1
    assert result.changes is not None and result.changes.slots == [1]
    assert result.changes.left_bank == [PEDAGOGY]
    assert len(result.state.history) == 1
    assert before.board == {} and before.version == 0  # the value it was given is unchanged
    assert stored_slots() == {"1": PEDAGOGY}
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.state.version = 5  # type: ignore[misc]


def test_a_stale_or_missing_version_changes_nothing_and_says_who_changed_the_board(
    lead: User, en: None
) -> None:
    store = school_board(lead)
    boards.move(store, PEDAGOGY, "next", based_on=0)
    for based_on in (0, None, 7):
        result = boards.move(store, CURRICULUM, "next", based_on=based_on)
        assert result.outcome == Outcome.STALE
        assert result.state.board == {1: PEDAGOGY}
        assert result.change is not None and result.change.version == 1
        assert result.change.by  # the lead's name
    assert stored_slots() == {"1": PEDAGOGY}


def test_undo_puts_back_the_board_before_the_last_move(lead: User, en: None) -> None:
    store = school_board(lead)
    boards.move(store, PEDAGOGY, "next", based_on=0)
    boards.move(store, CURRICULUM, "1", based_on=1)  # swaps into slot 1
    undone = boards.move(store, "", "undo", based_on=2)
    assert undone.outcome == Outcome.UNDONE
    assert undone.state.board == {1: PEDAGOGY}
    assert undone.undone is not None and undone.undone.card == CURRICULUM
    assert undone.card == CURRICULUM
    assert stored_slots() == {"1": PEDAGOGY}
    again = boards.move(store, "", "undo", based_on=3)
    assert again.outcome == Outcome.UNDONE and again.state.board == {}
    assert stored_slots() == {}  # (each request has its session: nothing cached from before)
    nothing = boards.move(store, "", "undo", based_on=4)
    assert nothing.outcome == Outcome.REFUSED and nothing.error == MoveError.NOTHING_TO_UNDO


def test_questions_and_refusals_move_nothing(lead: User, en: None) -> None:
    store = school_board(lead)
    asked = boards.move(store, PEDAGOGY, "rows", based_on=0)
    assert asked.outcome == Outcome.ASKED
    assert asked.question is not None and asked.question.pick_row
    assert asked.changes == boards.NOTHING
    refused = boards.move(store, PEDAGOGY, "up", based_on=0)
    assert refused.outcome == Outcome.REFUSED and refused.error == MoveError.NOT_ON_BOARD
    unknown = boards.move(store, "card:nonsense", "next", based_on=0)
    assert unknown.error == MoveError.UNKNOWN_CARD
    cancelled = boards.move(store, "card:nonsense", "cancel", based_on=0)
    assert cancelled.outcome == Outcome.CANCELLED and cancelled.card is None
    assert stored_slots() == {}


def test_arranging_reports_each_problem_and_saves_nothing_until_it_is_right(
    lead: User, en: None
) -> None:
    store = school_board(lead)
    wrong = boards.arrange_board(
        store,
        {PEDAGOGY: ["1", "2"], CURRICULUM: ["9"], "card:nonsense": ["1"]},
        based_on=0,
    )
    assert wrong.outcome == Outcome.REFUSED
    assert [(p.error, p.card) for p in wrong.problems] == [
        (ArrangeError.TWICE, PEDAGOGY),
        (ArrangeError.NOT_A_ROW, CURRICULUM),
        (ArrangeError.UNKNOWN_CARD, "card:nonsense"),
    ]
    crowded = boards.arrange_board(store, {PEDAGOGY: ["1"], CURRICULUM: ["1"]}, based_on=0)
    assert [p.error for p in crowded.problems] == [ArrangeError.ROW]
    assert crowded.problems[0].row is not None and crowded.problems[0].row.count == 2
    assert stored_slots() == {}
    stale = boards.arrange_board(store, {PEDAGOGY: ["1"]}, based_on=3)
    assert stale.outcome == Outcome.STALE and stale.chosen == {PEDAGOGY: 1}
    done = boards.arrange_board(store, {PEDAGOGY: ["1"], CURRICULUM: [""]}, based_on=0)
    assert done.outcome == Outcome.MOVED and done.state.board == {1: PEDAGOGY}
    assert done.state.history[-1].card is None  # "the board was arranged by row"
    assert stored_slots() == {"1": PEDAGOGY}


def test_a_responders_board_moves_by_the_same_rules_without_undo(lead: User, en: None) -> None:
    plan = get_or_create_plan(lead.school_id or 0, YEAR)
    token = staff_voice.open_round(plan, lead, date.today() + timedelta(days=7))
    found = staff_voice.find_round(token)
    assert found is not None
    round_, _plan = found
    staff_voice.save_response(round_, None, date.today(), role="teacher", ratings={})
    mine = db.session.scalar(select(StaffVoiceResponse))
    store = boards.ResponderBoard(plan, round_, mine, date.today(), "en")
    placed = boards.move(store, PEDAGOGY, "next")
    assert placed.outcome == Outcome.MOVED and placed.state.board == {1: PEDAGOGY}
    db.session.expire_all()
    assert mine is not None and mine.board == {"1": PEDAGOGY}
    no_undo = boards.move(store, PEDAGOGY, "undo")
    assert no_undo.outcome == Outcome.REFUSED and no_undo.error == MoveError.UNKNOWN_TARGET
    assert stored_slots() == {}  # the school's board is untouched
    closed = boards.ResponderBoard(plan, round_, mine, date.today() + timedelta(days=30), "en")
    assert boards.move(closed, CURRICULUM, "next").outcome == Outcome.CLOSED


def test_deleting_a_card_in_the_bank_needs_the_boards_version(lead: User, en: None) -> None:
    """A wrong, stale or missing version changes nothing, wherever the card is."""
    store = school_board(lead)
    state = store.load()
    saved = boards.save_card(store, state, None, "Ours", None)
    assert saved.card is not None
    card_id = saved.card.id
    for based_on in (None, -1, 3):
        state, card = boards.own_card(store, card_id)
        assert card is not None
        result = boards.delete_card(store, state, card, based_on=based_on, confirmed=True)
        assert result.outcome == Deletion.STALE
        db.session.expire_all()
        assert db.session.get(OwnCard, card_id) is not None
    state, card = boards.own_card(store, card_id)
    assert card is not None
    deleted = boards.delete_card(store, state, card, based_on=0, confirmed=False)
    assert deleted.outcome == Deletion.DELETED
    assert db.session.get(OwnCard, card_id) is None


def test_a_bank_card_posted_with_a_version_that_is_not_a_number_is_kept(
    lead_client: FlaskClient,
) -> None:
    """The review's reproduction: a new card in the bank, then a delete whose hidden version is
    not a number. Nothing is deleted; the board says someone changed it."""
    base = f"/en/plan/{year_slug(YEAR)}/diamond-9"
    lead_client.post(f"{base}/cards/new", data={"title_en": "Ours"})
    card = db.session.scalar(select(OwnCard))
    assert card is not None
    card_id = card.id
    response = lead_client.post(
        f"{base}/cards/{card_id}/delete", data={"version": "not-a-number", "confirm": "yes"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OwnCard, card_id) is not None
    board = lead_client.get(base).get_data(as_text=True)
    assert "Someone else changed the board at the same time" in board
