"""Loading and saving a plan's Diamond 9, with the board's version for safe concurrent moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from wizard.data.accounts import name_of
from wizard.data.audit import AuditAction, record
from wizard.data.caps import check_own_cards
from wizard.data.database import db
from wizard.data.models import OwnCard, Plan, PlanAnswer, User, utcnow
from wizard.data.plans import (
    answer_data,
    get_or_create_plan,
    lock_draft,
    plan_answers_and_cards,
    save_step,
)
from wizard.data.revisions import SaveResult, compare_and_set, stale
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import Step
from wizard.domain.journey import BOARD_STEP
from wizard.domain.plan_document import BoardAnswer, PlanDocument


@dataclass(frozen=True)
class BoardState:
    """A board as loaded: a value, never changed in place (services.board makes a new one)."""

    plan: Plan | None
    board: dict[int, str]
    version: int
    catalogue: CardCatalogue
    answers: dict[str, PlanAnswer]
    history: list[Step] = field(default_factory=list)
    """The moves that can be undone, newest last."""


def own_cards(plan: Plan | None) -> list[OwnCard]:
    if plan is None:
        return []
    return list(
        db.session.scalars(select(OwnCard).where(OwnCard.plan_id == plan.id).order_by(OwnCard.id))
    )


def load_board(
    school_id: int, academic_year: int, locale: str, *, neutral: bool = False
) -> BoardState:
    """The school's board and its cards (`neutral`: with no sign of its self-review, see
    CardCatalogue)."""
    plan, answers, cards = plan_answers_and_cards(school_id, academic_year)
    data = answer_data(answers)
    board = PlanDocument.from_answers(data).board
    catalogue = CardCatalogue(data, cards, locale, neutral=neutral)
    row = answers.get(BOARD_STEP)
    return BoardState(
        plan, dict(board.slots), row.revision if row else 0, catalogue, answers, board.history
    )


def save_board(
    state: BoardState,
    school_id: int,
    academic_year: int,
    board: dict[int, str],
    based_on: int,
    user: User,
    *,
    history: list[Step] | None = None,
    commit: bool = True,
) -> SaveResult[PlanAnswer]:
    """Save the board, with its undo history, if nobody has moved a card since `based_on`."""
    plan = state.plan or get_or_create_plan(school_id, academic_year)
    data = BoardAnswer.of(board, history or ()).to_stored()
    saved = state.answers.get(BOARD_STEP)
    before = (saved.data or {}) if saved else {}
    return save_step(plan, BOARD_STEP, data, based_on, user, commit=commit, before=before)


@dataclass(frozen=True)
class BoardChange:
    """The last change to a board: its version, who made it and when, and the last move."""

    version: int
    by: str | None
    at: datetime | None
    last: Step | None


def board_change(state: BoardState) -> BoardChange:
    """Who last changed the board (for a 409 and the change notice), from the loaded state."""
    row = state.answers.get(BOARD_STEP)
    if row is None:
        return BoardChange(0, None, None, None)
    return BoardChange(
        row.revision,
        name_of(row.updated_by_id),
        row.updated_at,
        state.history[-1] if state.history else None,
    )


def board_version(school_id: int, academic_year: int) -> tuple[int, int | None]:
    """The board's version and who saved it, in one small query: for the open board's poll."""
    found = db.session.execute(
        select(PlanAnswer.revision, PlanAnswer.updated_by_id)
        .join(Plan, Plan.id == PlanAnswer.plan_id)
        .where(
            Plan.school_id == school_id,
            Plan.academic_year == academic_year,
            PlanAnswer.step == BOARD_STEP,
        )
    ).first()
    return (found[0], found[1]) if found else (0, None)


def find_own_card(plan: Plan | None, card_id: int) -> OwnCard | None:
    """One of this plan's own cards; another school's card is simply not found."""
    if plan is None:
        return None
    return db.session.scalar(
        select(OwnCard).where(OwnCard.id == card_id, OwnCard.plan_id == plan.id)
    )


class CardChanged(Exception):
    """Someone else changed (or deleted) the own card since the form was opened: nothing saved."""

    def __init__(self, current: OwnCard | None, author: str | None) -> None:
        super().__init__("own card changed since the form was opened")
        self.current = current
        """The card as the other person saved it (None: it has been deleted)."""
        self.author = author
        """Their name, if they are still a user."""


def save_own_card(
    plan: Plan,
    card: OwnCard | None,
    title_en: str | None,
    title_cy: str | None,
    user: User,
    *,
    description_en: str | None = None,
    description_cy: str | None = None,
    based_on_revision: int = 0,
) -> OwnCard:
    """Add one of the school's own cards (card None) or change its titles and descriptions, in
    one transaction that first checks the plan is still a draft (plans.lock_draft).

    A change is a compare-and-set on the card's revision (data.revisions): if someone else
    changed the card since `based_on_revision` (the revision the form was opened on), nothing
    is written and CardChanged says what they saved and who they are."""
    lock_draft(plan)
    at = utcnow()
    values = {
        "title_en": title_en or None,
        "title_cy": title_cy or None,
        "description_en": description_en or None,
        "description_cy": description_cy or None,
    }
    if card is None:
        check_own_cards(plan.id)
        card = OwnCard(plan_id=plan.id, created_by_id=user.id, revision=1, **values)
        db.session.add(card)
        db.session.flush()
        action = AuditAction.CARD_ADDED
    else:
        keys = {"id": card.id, "plan_id": plan.id}
        result = (
            compare_and_set(
                OwnCard,
                keys,
                {**values, "updated_at": at, "updated_by_id": user.id},
                based_on_revision,
            )
            if based_on_revision > 0
            else stale(OwnCard, keys)  # a form without a revision cannot be trusted to be fresh
        )
        if not result.saved:
            current = result.current
            raise CardChanged(current, name_of(current.updated_by_id) if current else None)
        db.session.refresh(card)
        action = AuditAction.CARD_CHANGED
    record(action, user_id=user.id, plan_id=plan.id, card=card.key)
    db.session.commit()
    return card


def _board_revision(plan: Plan) -> int:
    """The board's revision as stored now (0 before its first save)."""
    revision = db.session.scalar(
        select(PlanAnswer.revision).where(
            PlanAnswer.plan_id == plan.id, PlanAnswer.step == BOARD_STEP
        )
    )
    return revision or 0


def delete_own_card(
    state: BoardState, card: OwnCard, user: User, board_version: int | None = None
) -> bool:
    """Delete one of the school's own cards, taking it off the board first when it is there,
    in one transaction. False (nothing changed) when the board changed since `board_version`,
    wherever the card is: a wrong, stale or missing version changes nothing."""
    plan = state.plan
    assert plan is not None  # the card belongs to it
    lock_draft(plan)
    key = card.key
    if board_version is None:
        db.session.rollback()
        return False
    if key in state.board.values():
        board = {slot: other for slot, other in state.board.items() if other != key}
        result = save_step(
            plan,
            BOARD_STEP,
            BoardAnswer.of(board).to_stored(),
            board_version,
            user,
            commit=False,
            before=BoardAnswer.of(state.board).to_stored(),
        )
        if not result.saved:
            return False
    elif board_version != _board_revision(plan):
        # A card in the bank: the board is not saved, but a stale page is still refused (the
        # card may have been placed since), as for a card on the board.
        db.session.rollback()
        return False
    db.session.delete(card)
    record(AuditAction.CARD_DELETED, user_id=user.id, plan_id=plan.id, card=key)
    db.session.commit()
    return True


@dataclass
class DiamondSummary:
    ranked: list[list[str]]
    cards: CardCatalogue


def summarise(plan: Plan | None, answers: dict[str, dict[str, Any]], locale: str) -> DiamondSummary:
    """The board row by row, with the cards to title it, for check-your-answers pages."""
    document = PlanDocument.from_answers(answers)
    return DiamondSummary(document.board.ranked, CardCatalogue(document, own_cards(plan), locale))
