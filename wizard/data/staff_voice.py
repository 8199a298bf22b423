"""Staff voice rounds and their anonymous responses, and applying the staff's consensus board to
the plan.

A round's link follows the share-link rules (accounts.new_token: 256 bits; only its hash is
stored; deleting the round revokes it). A response is found again only by the hash of the random
token in the responder's cookie: nothing else about the responder is stored.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select

from wizard.data.accounts import new_token, token_hash
from wizard.data.audit import AuditAction, record
from wizard.data.boards import BoardState, save_board
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Plan,
    PlanAnswer,
    StaffVoiceResponse,
    StaffVoiceRound,
    User,
    utcnow,
)
from wizard.data.sharing import TOKEN_MAX_LENGTH
from wizard.domain.diamond import normalise, to_stored
from wizard.domain.journey import ABOUT_STEP
from wizard.domain.staff_voice import ROLES, StaffAnswer, expected_staff

_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _well_formed(token: str | None) -> bool:
    return (
        bool(token)
        and len(token or "") <= TOKEN_MAX_LENGTH
        and set(token or "") <= _TOKEN_CHARACTERS
    )


def is_open(round_: StaffVoiceRound, today: date) -> bool:
    """Not closed by the lead, and not past its closing date (open through that day)."""
    return round_.closed_at is None and round_.closes_on >= today


def open_round(plan: Plan, user: User, closes_on: date) -> str:
    """Open a round and return its link's token (the only time it is known)."""
    token, digest = new_token()
    round_ = StaffVoiceRound(
        plan_id=plan.id,
        token_hash=digest,
        closes_on=closes_on,
        created_at=utcnow(),
        created_by_id=user.id,
    )
    db.session.add(round_)
    db.session.flush()
    record(
        AuditAction.STAFF_VOICE_OPENED,
        user_id=user.id,
        plan_id=plan.id,
        round_id=round_.id,
        closes_on=closes_on.isoformat(),
    )
    db.session.commit()
    return token


@dataclass(frozen=True)
class RoundRow:
    round: StaffVoiceRound
    responses: int


def rounds_of(plan: Plan) -> list[RoundRow]:
    """Every round of the plan with its number of responses, the newest first (one query)."""
    rows = db.session.execute(
        select(StaffVoiceRound, func.count(StaffVoiceResponse.id))
        .outerjoin(StaffVoiceResponse, StaffVoiceResponse.round_id == StaffVoiceRound.id)
        .where(StaffVoiceRound.plan_id == plan.id)
        .group_by(StaffVoiceRound.id)
        .order_by(StaffVoiceRound.created_at.desc(), StaffVoiceRound.id.desc())
    ).all()
    return [RoundRow(round_, count) for round_, count in rows]


def round_of(plan: Plan, round_id: int) -> StaffVoiceRound | None:
    """One of this plan's rounds; another plan's is simply not found."""
    return db.session.scalar(
        select(StaffVoiceRound).where(
            StaffVoiceRound.id == round_id, StaffVoiceRound.plan_id == plan.id
        )
    )


def latest_round(school_id: int, academic_year: int) -> tuple[StaffVoiceRound, int] | None:
    """The plan's newest round and its number of responses, for the summary (one query)."""
    row = db.session.execute(
        select(StaffVoiceRound, func.count(StaffVoiceResponse.id))
        .join(Plan, Plan.id == StaffVoiceRound.plan_id)
        .outerjoin(StaffVoiceResponse, StaffVoiceResponse.round_id == StaffVoiceRound.id)
        .where(Plan.school_id == school_id, Plan.academic_year == academic_year)
        .group_by(StaffVoiceRound.id)
        .order_by(StaffVoiceRound.created_at.desc(), StaffVoiceRound.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def latest_closed_round(
    school_id: int, academic_year: int, today: date
) -> tuple[StaffVoiceRound, int] | None:
    """The plan's newest round that has closed (by the lead or its date) and its number of
    responses: the summary's results while a newer round is still open (one query)."""
    row = db.session.execute(
        select(StaffVoiceRound, func.count(StaffVoiceResponse.id))
        .join(Plan, Plan.id == StaffVoiceRound.plan_id)
        .outerjoin(StaffVoiceResponse, StaffVoiceResponse.round_id == StaffVoiceRound.id)
        .where(
            Plan.school_id == school_id,
            Plan.academic_year == academic_year,
            (StaffVoiceRound.closed_at.is_not(None)) | (StaffVoiceRound.closes_on < today),
        )
        .group_by(StaffVoiceRound.id)
        .order_by(StaffVoiceRound.created_at.desc(), StaffVoiceRound.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def close_round(plan: Plan, round_: StaffVoiceRound, user: User) -> None:
    if round_.closed_at is None:
        round_.closed_at = utcnow()
        record(AuditAction.STAFF_VOICE_CLOSED, user_id=user.id, plan_id=plan.id, round_id=round_.id)
        db.session.commit()


def reissue_link(plan: Plan, round_: StaffVoiceRound, user: User) -> str:
    """Give the round a new link and return its token (the only time it is known): the old link
    stops working; the responses stay (a responder's browser still finds its own, by its
    cookie, through the new link)."""
    token, digest = new_token()
    round_.token_hash = digest
    record(
        AuditAction.STAFF_VOICE_LINK_REISSUED,
        user_id=user.id,
        plan_id=plan.id,
        round_id=round_.id,
    )
    db.session.commit()
    return token


def delete_round(plan: Plan, round_: StaffVoiceRound, user: User) -> None:
    """Delete the round and every response to it; its link stops working."""
    round_id = round_.id
    db.session.execute(delete(StaffVoiceResponse).where(StaffVoiceResponse.round_id == round_id))
    db.session.delete(round_)
    record(AuditAction.STAFF_VOICE_DELETED, user_id=user.id, plan_id=plan.id, round_id=round_id)
    db.session.commit()


def find_round(token: str) -> tuple[StaffVoiceRound, Plan] | None:
    """The round a link opens and its plan, or None for an unknown or deleted round (alike)."""
    if not _well_formed(token):
        return None
    digest = token_hash(token)
    row = db.session.execute(
        select(StaffVoiceRound, Plan)
        .join(Plan, Plan.id == StaffVoiceRound.plan_id)
        .where(StaffVoiceRound.token_hash == digest)
    ).first()
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    return row[0], row[1]


def find_response(round_: StaffVoiceRound, cookie: str | None) -> StaffVoiceResponse | None:
    """The response this browser made to the round, from its cookie's token."""
    if not cookie or not _well_formed(cookie):
        return None
    return db.session.scalar(
        select(StaffVoiceResponse).where(
            StaffVoiceResponse.round_id == round_.id,
            StaffVoiceResponse.cookie_hash == token_hash(cookie),
        )
    )


class RoundClosed(Exception):
    """The round no longer takes responses or changes to them."""


class RoundFull(Exception):
    """The round has as many responses as it may take (STAFF_VOICE_RESPONSES_PER_ROUND)."""


def response_count(round_: StaffVoiceRound) -> int:
    return (
        db.session.scalar(
            select(func.count(StaffVoiceResponse.id)).where(
                StaffVoiceResponse.round_id == round_.id
            )
        )
        or 0
    )


def expected_staff_of(plan: Plan) -> int | None:
    """The number of staff the school gave in "About your school" (one query)."""
    about = db.session.scalar(
        select(PlanAnswer.data).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == ABOUT_STEP)
    )
    return expected_staff(about if isinstance(about, dict) else None)


def save_response(
    round_: StaffVoiceRound,
    response: StaffVoiceResponse | None,
    today: date,
    *,
    role: str | None = None,
    ratings: dict[int, str] | None = None,
    board: dict[int, str] | None = None,
    most: int | None = None,
) -> str | None:
    """Save a response's role and ratings, or its board. A new response returns the token for
    the responder's cookie (only its hash is stored); a change returns None. Raises RoundClosed,
    or RoundFull when a new response would make more than `most`."""
    if not is_open(round_, today):
        raise RoundClosed()
    token = None
    if response is None and most is not None:
        # New responses to one round wait for each other here (on PostgreSQL), so that two at
        # once cannot both take the last place.
        db.session.execute(
            select(StaffVoiceRound.id).where(StaffVoiceRound.id == round_.id).with_for_update()
        )
        if response_count(round_) >= most:
            db.session.rollback()
            raise RoundFull()
    if response is None:
        token, digest = new_token()
        response = StaffVoiceResponse(round_id=round_.id, cookie_hash=digest, ratings={}, board={})
        db.session.add(response)
    if role is not None:
        response.role = role if role in ROLES else ""
    if ratings is not None:
        response.ratings = {str(number): key for number, key in sorted(ratings.items())}
    if board is not None:
        response.board = to_stored(board)
    db.session.commit()
    return token


def answer_of(response: StaffVoiceResponse) -> StaffAnswer:
    ratings: dict[int, str] = {}
    for key, value in (response.ratings or {}).items():
        if str(key).isdigit() and isinstance(value, str):
            ratings[int(key)] = value
    return StaffAnswer(response.role or "", ratings, normalise(response.board))


def answers_of(round_id: int) -> list[StaffAnswer]:
    """Every response to the round, for the results (one query), in the order of their random
    keys: nothing here follows the order they came in."""
    rows = db.session.scalars(
        select(StaffVoiceResponse)
        .where(StaffVoiceResponse.round_id == round_id)
        .order_by(StaffVoiceResponse.id)
    )
    return [answer_of(row) for row in rows]


# Applying the consensus board, as one recorded change ------------------------------------------


def apply_board(
    state: BoardState,
    school_id: int,
    academic_year: int,
    board: dict[int, str],
    based_on: int,
    user: User,
    round_id: int,
) -> bool:
    """Replace the school's board with `board` in one step. The audit event
    STAFF_VOICE_APPLIED keeps the board before (`before`), the board after (`after`) and the
    board's revision after the change (`revision`), so that the change can be undone as long as
    nobody has moved a card since. False when the board changed since `based_on`."""
    before = to_stored(state.board)
    result = save_board(state, school_id, academic_year, board, based_on, user, commit=False)
    if not result.saved:
        return False
    plan_id = state.plan.id if state.plan else None
    if plan_id is None:
        found = db.session.scalar(
            select(Plan.id).where(Plan.school_id == school_id, Plan.academic_year == academic_year)
        )
        plan_id = found
    record(
        AuditAction.STAFF_VOICE_APPLIED,
        user_id=user.id,
        plan_id=plan_id,
        round_id=round_id,
        before=before,
        after=to_stored(board),
        revision=based_on + 1,
    )
    db.session.commit()
    return True


@dataclass(frozen=True)
class AppliedChange:
    event_id: int
    before: dict[int, str]
    revision: int


def last_applied(plan: Plan | None) -> AppliedChange | None:
    """The latest application of a consensus board to the plan, if it has not been undone."""
    if plan is None:
        return None
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.plan_id == plan.id,
            AuditEvent.action.in_(
                (AuditAction.STAFF_VOICE_APPLIED.value, AuditAction.STAFF_VOICE_UNDONE.value)
            ),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).all()
    if not events or events[0].action != AuditAction.STAFF_VOICE_APPLIED.value:
        return None
    detail: dict[str, Any] = events[0].detail or {}
    revision = detail.get("revision")
    if not isinstance(revision, int):
        return None
    return AppliedChange(events[0].id, normalise(detail.get("before")), revision)


def undo_applied(
    state: BoardState, school_id: int, academic_year: int, change: AppliedChange, user: User
) -> bool:
    """Put back the board from before the consensus was applied, if no card has moved since
    (the board's revision is still the one the change made). False otherwise."""
    if state.version != change.revision:
        return False
    result = save_board(
        state, school_id, academic_year, change.before, change.revision, user, commit=False
    )
    if not result.saved:
        return False
    record(
        AuditAction.STAFF_VOICE_UNDONE,
        user_id=user.id,
        plan_id=state.plan.id if state.plan else None,
        applied_event=change.event_id,
    )
    db.session.commit()
    return True
