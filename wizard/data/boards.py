"""Loading and saving a plan's Diamond 9, with the board's version for safe concurrent moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import OwnCard, Plan, PlanAnswer, User
from wizard.data.plans import (
    SaveResult,
    answer_data,
    get_or_create_plan,
    lock_draft,
    plan_and_answers,
    save_step,
)
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import normalise, ranked, to_stored
from wizard.domain.journey import BOARD_STEP


@dataclass
class BoardState:
    plan: Plan | None
    board: dict[int, str]
    version: int
    catalogue: CardCatalogue
    answers: dict[str, PlanAnswer]


def own_cards(plan: Plan | None) -> list[OwnCard]:
    if plan is None:
        return []
    return list(
        db.session.scalars(select(OwnCard).where(OwnCard.plan_id == plan.id).order_by(OwnCard.id))
    )


def load_board(school_id: int, academic_year: int, locale: str) -> BoardState:
    plan, answers = plan_and_answers(school_id, academic_year)
    row = answers.get(BOARD_STEP)
    board = normalise((row.data or {}).get("slots") if row else None)
    catalogue = CardCatalogue(answer_data(answers), own_cards(plan), locale)
    return BoardState(plan, board, row.revision if row else 0, catalogue, answers)


def save_board(
    state: BoardState,
    school_id: int,
    academic_year: int,
    board: dict[int, str],
    based_on: int,
    user: User,
    *,
    commit: bool = True,
) -> SaveResult:
    plan = state.plan or get_or_create_plan(school_id, academic_year)
    return save_step(plan, BOARD_STEP, {"slots": to_stored(board)}, based_on, user, commit=commit)


def find_own_card(plan: Plan | None, card_id: int) -> OwnCard | None:
    """One of this plan's own cards; another school's card is simply not found."""
    if plan is None:
        return None
    return db.session.scalar(
        select(OwnCard).where(OwnCard.id == card_id, OwnCard.plan_id == plan.id)
    )


def save_own_card(
    plan: Plan, card: OwnCard | None, title_en: str | None, title_cy: str | None, user: User
) -> OwnCard:
    """Add one of the school's own cards (card None) or change its titles, in one
    transaction that first checks the plan is still a draft (plans.lock_draft)."""
    lock_draft(plan)
    added = card is None
    if card is None:
        card = OwnCard(plan_id=plan.id, created_by_id=user.id)
        db.session.add(card)
    card.title_en = title_en or None
    card.title_cy = title_cy or None
    db.session.flush()
    record(
        AuditAction.CARD_ADDED if added else AuditAction.CARD_CHANGED,
        user_id=user.id,
        plan_id=plan.id,
        card=card.key,
    )
    db.session.commit()
    return card


def delete_own_card(
    state: BoardState, card: OwnCard, user: User, board_version: int | None = None
) -> bool:
    """Delete one of the school's own cards, taking it off the board first when it is there,
    in one transaction. False (nothing changed) when the board changed since `board_version`."""
    plan = state.plan
    assert plan is not None  # the card belongs to it
    lock_draft(plan)
    key = card.key
    if key in state.board.values():
        board = {slot: other for slot, other in state.board.items() if other != key}
        based_on = -1 if board_version is None else board_version
        result = save_step(
            plan, BOARD_STEP, {"slots": to_stored(board)}, based_on, user, commit=False
        )
        if not result.saved:
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
    board = normalise((answers.get(BOARD_STEP) or {}).get("slots"))
    return DiamondSummary(ranked(board), CardCatalogue(answers, own_cards(plan), locale))
