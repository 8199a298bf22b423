"""Loading and saving plans and their answers, safely when several people edit at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanStatus, User, utcnow
from wizard.domain.plan_document import PlanDocument


class PlanLocked(Exception):
    """The plan has been submitted; its answers can no longer change."""


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    current: PlanAnswer | None
    """On a stale save, the answer as someone else saved it."""


def is_draft(plan: Plan | None) -> bool:
    """Whether the plan's answers may change (a plan not started yet is a draft to be)."""
    return plan is None or plan.status == PlanStatus.DRAFT


def require_draft(plan: Plan | None) -> None:
    """Stop the request if the plan has been submitted: the PlanLocked handler (errors.py) is
    the one place that tells the user and takes them back to the task list."""
    if not is_draft(plan):
        raise PlanLocked()


def lock_draft(plan: Plan, at: datetime | None = None) -> None:
    """Begin a write to the plan: lock its row and check, inside this transaction, that it is
    still a draft, or raise PlanLocked.

    Every write to a plan starts here, so a submission cannot slip in between "is it still a
    draft?" and the write: submitting takes the same lock first (see versions.submit). On
    PostgreSQL the UPDATE holds the row lock until commit; on SQLite it starts the write
    transaction, which SQLite runs one at a time. The same UPDATE records the plan's last
    change (`at`), so no write needs a second one.
    """
    at = at or utcnow()
    changed = db.session.execute(
        update(Plan)
        .where(Plan.id == plan.id, Plan.status == PlanStatus.DRAFT)
        .values(updated_at=at)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise PlanLocked()
    set_committed_value(plan, "updated_at", at)


def get_plan(school_id: int, academic_year: int) -> Plan | None:
    return db.session.scalar(
        select(Plan).where(Plan.school_id == school_id, Plan.academic_year == academic_year)
    )


def plans_of_school(school_id: int) -> list[Plan]:
    """Every plan of the school, any year."""
    return list(db.session.scalars(select(Plan).where(Plan.school_id == school_id)))


def get_or_create_plan(school_id: int, academic_year: int) -> Plan:
    """Return the school's plan for the year, creating it if this is the first answer.

    Two first saves at once both try to insert; the loser's unique-constraint failure is
    rolled back to a savepoint and it reads the winner's row.
    """
    plan = get_plan(school_id, academic_year)
    if plan is not None:
        return plan
    try:
        with db.session.begin_nested():
            plan = Plan(school_id=school_id, academic_year=academic_year)
            db.session.add(plan)
        return plan
    except IntegrityError:
        existing = get_plan(school_id, academic_year)
        assert existing is not None
        return existing


def plan_and_answers(
    school_id: int, academic_year: int
) -> tuple[Plan | None, dict[str, PlanAnswer]]:
    """The school's plan for the year and its answers, in one query."""
    rows = db.session.execute(
        select(Plan, PlanAnswer)
        .outerjoin(PlanAnswer, PlanAnswer.plan_id == Plan.id)
        .where(Plan.school_id == school_id, Plan.academic_year == academic_year)
    ).all()
    if not rows:
        return None, {}
    return rows[0][0], {answer.step: answer for _, answer in rows if answer is not None}


def has_answers(plan: Plan) -> bool:
    """Whether anything has been saved in the plan."""
    return bool(db.session.scalar(select(exists().where(PlanAnswer.plan_id == plan.id))))


def answers_of(plan: Plan | None) -> dict[str, PlanAnswer]:
    if plan is None:
        return {}
    rows = db.session.scalars(select(PlanAnswer).where(PlanAnswer.plan_id == plan.id))
    return {row.step: row for row in rows}


def answer_data(answers: dict[str, PlanAnswer]) -> dict[str, dict[str, Any]]:
    return {step: row.data for step, row in answers.items()}


def answer_languages(answers: dict[str, PlanAnswer]) -> dict[str, str]:
    """The language each step's answers were written in, where it is known."""
    return {step: row.lang for step, row in answers.items() if row.lang}


def document_of(answers: dict[str, PlanAnswer]) -> PlanDocument:
    """A plan's saved answers as its typed document, with the language each was written in."""
    return replace(
        PlanDocument.from_answers(answer_data(answers)), languages=answer_languages(answers)
    )


def save_step(
    plan: Plan,
    step: str,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    *,
    commit: bool = True,
    lang: str | None = None,
    unconfirm: str | None = None,
) -> SaveResult:
    """Save one step's answers if nobody has changed them since `based_on_revision`.

    The update is a compare-and-set on the revision, so it is safe across processes: of two
    saves based on the same revision, exactly one wins and the other is told it is stale.
    Revision 0 means "there was no saved answer when I started". With `commit=False` the save
    stays in the transaction, for a caller that writes more in the same one. `lang` is the
    language the user wrote in (the page's); None (a save that writes no text of the user's,
    like a move on the board) keeps the language the answers had. `unconfirm`: the key of a
    "Have you completed this section?" answer the change withdraws (see
    Journey.confirmation_changed_by), cleared in the same transaction so that the section is
    in progress again until someone confirms it.
    """
    if plan.status != PlanStatus.DRAFT:
        raise PlanLocked()
    now = utcnow()
    lock_draft(plan, now)
    if based_on_revision == 0:
        try:
            with db.session.begin_nested():
                db.session.add(
                    PlanAnswer(
                        plan_id=plan.id,
                        step=step,
                        data=data,
                        lang=lang,
                        revision=1,
                        updated_at=now,
                        updated_by_id=user.id,
                    )
                )
            saved = True
        except IntegrityError:
            saved = False
    else:
        result = db.session.execute(
            update(PlanAnswer)
            .where(
                PlanAnswer.plan_id == plan.id,
                PlanAnswer.step == step,
                PlanAnswer.revision == based_on_revision,
            )
            .values(
                data=data,
                revision=PlanAnswer.revision + 1,
                updated_at=now,
                updated_by_id=user.id,
                **({"lang": lang} if lang else {}),
            )
            .execution_options(synchronize_session=False)
        )
        saved = result.rowcount == 1  # type: ignore[attr-defined]
    if not saved:
        db.session.rollback()
        current = db.session.scalar(
            select(PlanAnswer).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == step)
        )
        return SaveResult(saved=False, current=current)
    record(
        AuditAction.ANSWER_SAVED,
        user_id=user.id,
        plan_id=plan.id,
        at=now,
        step=step,
        revision=based_on_revision + 1,
    )
    if unconfirm is not None:
        # The question is unanswered again (a new revision, so that a confirmation based on
        # the old answers is refused as stale).
        db.session.execute(
            update(PlanAnswer)
            .where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == unconfirm)
            .values(data={}, revision=PlanAnswer.revision + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    if commit:
        db.session.commit()
    return SaveResult(saved=True, current=None)
