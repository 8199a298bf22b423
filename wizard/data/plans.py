"""Loading and saving plans and their answers, safely when several people edit at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import AuditEvent, OwnCard, Plan, PlanAnswer, PlanStatus, User, utcnow
from wizard.data.revisions import SaveResult, answer_values, compare_and_set, stale
from wizard.domain.field_changes import saved_changes
from wizard.domain.plan_document import PlanDocument


class PlanLocked(Exception):
    """The plan has been submitted; its answers can no longer change."""


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


_OF_SCHOOL_YEAR = and_(
    Plan.school_id == bindparam("school_id", type_=Integer),
    Plan.academic_year == bindparam("academic_year", type_=Integer),
)
# Built once: SQLAlchemy then neither builds the statement nor works out its cache key again on
# every request (every page of a plan runs one of these).
_PLAN_AND_ANSWERS = (
    select(Plan, PlanAnswer)
    .outerjoin(PlanAnswer, PlanAnswer.plan_id == Plan.id)
    .where(_OF_SCHOOL_YEAR)
)
# The plan, its answers and its own cards in one statement: the plan's row is joined to two
# branches, the first with each answer and the second with each own card, so that the rows are
# as many as the answers and the cards (not their product).
_BRANCH = union_all(select(literal(1).label("part")), select(literal(2).label("part"))).subquery()
_PLAN_ANSWERS_AND_CARDS = (
    select(Plan, PlanAnswer, OwnCard)
    .select_from(Plan)
    .join(_BRANCH, true())
    .outerjoin(PlanAnswer, and_(_BRANCH.c.part == 1, PlanAnswer.plan_id == Plan.id))
    .outerjoin(OwnCard, and_(_BRANCH.c.part == 2, OwnCard.plan_id == Plan.id))
    .where(_OF_SCHOOL_YEAR)
    .order_by(_BRANCH.c.part, OwnCard.id)
)


_ANSWERS_OF_STEPS = (
    select(PlanAnswer.step, PlanAnswer.data)
    .join(Plan, Plan.id == PlanAnswer.plan_id)
    .where(_OF_SCHOOL_YEAR, PlanAnswer.step.in_(bindparam("steps", expanding=True)))
)


def answer_data_of_steps(
    school_id: int, academic_year: int, steps: tuple[str, ...]
) -> dict[str, Any]:
    """The saved data (step -> data) of these steps of the school's plan for the year, and of
    no other, in one query that reads two columns: for what needs only a few answers."""
    rows = db.session.execute(
        _ANSWERS_OF_STEPS,
        {"school_id": school_id, "academic_year": academic_year, "steps": list(steps)},
    )
    return {str(step): data for step, data in rows}


def plan_and_answers(
    school_id: int, academic_year: int
) -> tuple[Plan | None, dict[str, PlanAnswer]]:
    """The school's plan for the year and its answers, in one query."""
    rows = db.session.execute(
        _PLAN_AND_ANSWERS, {"school_id": school_id, "academic_year": academic_year}
    ).all()
    if not rows:
        return None, {}
    return rows[0][0], {answer.step: answer for _, answer in rows if answer is not None}


def plan_answers_and_cards(
    school_id: int, academic_year: int
) -> tuple[Plan | None, dict[str, PlanAnswer], list[OwnCard]]:
    """The school's plan for the year, its answers and its own cards (oldest first), in one
    query: for the Diamond 9, which needs all three."""
    rows = db.session.execute(
        _PLAN_ANSWERS_AND_CARDS, {"school_id": school_id, "academic_year": academic_year}
    ).all()
    if not rows:
        return None, {}, []
    answers = {answer.step: answer for _, answer, _ in rows if answer is not None}
    return rows[0][0], answers, [card for _, _, card in rows if card is not None]


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
    before: dict[str, Any] | None = None,
) -> SaveResult[PlanAnswer]:
    """Save one step's answers if nobody has changed them since `based_on_revision`.

    The update is a compare-and-set on the revision, so it is safe across processes: of two
    saves based on the same revision, exactly one wins and the other is told it is stale.
    Revision 0 means "there was no saved answer when I started". With `commit=False` the save
    stays in the transaction, for a caller that writes more in the same one. `lang` is the
    language the user wrote in (the page's); None (a save that writes no text of the user's,
    like a move on the board) keeps the language the answers had. `unconfirm`: the key of a
    "Have you completed this section?" answer the change withdraws (see
    Journey.confirmation_changed_by), cleared in the same transaction so that the section is
    in progress again until someone confirms it. `before`: the step's answers the save
    replaces, as the caller read them (None: not known), so that the audit record says what
    the save changed (domain.field_changes.saved_changes).
    """
    if plan.status != PlanStatus.DRAFT:
        raise PlanLocked()
    now = utcnow()
    detail: dict[str, Any] = {"step": step, "revision": based_on_revision + 1}
    changed = saved_changes(step, before, data) if before is not None else []
    if changed:
        detail["changed"] = changed
    if based_on_revision > 0 and db.session.get_bind().dialect.name == "postgresql":
        # The draft lock, the compare-and-set and the audit event in one statement.
        saved = _lock_save_and_audit(plan, data, based_on_revision, user, now, lang, detail)
        return _saved(plan, step, saved, now, commit=commit, unconfirm=unconfirm)
    lock_draft(plan, now)
    result = compare_and_set(
        PlanAnswer,
        {"plan_id": plan.id, "step": step},
        answer_values(data, user.id, now, lang),
        based_on_revision,
    )
    if not result.saved:
        return result
    record(AuditAction.ANSWER_SAVED, user_id=user.id, plan_id=plan.id, at=now, **detail)
    return _saved(plan, step, True, now, commit=commit, unconfirm=unconfirm)


def _saved(
    plan: Plan, step: str, saved: bool, now: datetime, *, commit: bool, unconfirm: str | None
) -> SaveResult[PlanAnswer]:
    """After the compare-and-set: a stale save rolled back (with the answer as it is now), or
    the section's confirmation withdrawn if the change asks it, and the commit."""
    if not saved:
        return stale(PlanAnswer, {"plan_id": plan.id, "step": step})
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


def _merged_save(with_lang: bool) -> Any:
    """On PostgreSQL, one statement of three: lock the plan's row if it is still a draft (and
    record its last change), update the answer if its revision is still the one the save was
    based on, and insert the audit event if it was. Each part reads the rows the one before
    returned, so the answer is only touched on a draft and the audit only written for a save;
    an UPDATE that waited for the plan's row lock (a submission, another save) checks its WHERE
    again against the row as committed, so a stale revision updates nothing, as with separate
    statements. It returns how many plans were locked (0: not a draft) and answers saved.

    Its parameters' names are none of a column's: an UPDATE given a parameter named like one
    of its table's columns would also SET that column."""
    now = bindparam("s_now", type_=DateTime)
    locked = (
        update(Plan)
        .where(Plan.id == bindparam("s_plan_id"), Plan.status == PlanStatus.DRAFT)
        .values(updated_at=now)
        .returning(Plan.id)
        .cte("locked")
    )
    values: dict[str, Any] = {
        "data": bindparam("s_data", type_=PlanAnswer.data.type),
        "revision": PlanAnswer.revision + 1,
        "updated_at": now,
        "updated_by_id": bindparam("s_user_id"),
    }
    if with_lang:
        values["lang"] = bindparam("s_lang", type_=String)
    saved = (
        update(PlanAnswer)
        .where(
            PlanAnswer.plan_id.in_(select(locked.c.id)),
            PlanAnswer.step == bindparam("s_step"),
            PlanAnswer.revision == bindparam("s_based_on"),
        )
        .values(values)
        .returning(PlanAnswer.plan_id)
        .cte("saved")
    )
    audited = (
        insert(AuditEvent)
        .from_select(
            ["created_at", "user_id", "plan_id", "action", "detail"],
            select(
                now,
                bindparam("s_user_id"),
                saved.c.plan_id,
                literal(AuditAction.ANSWER_SAVED.value, String),
                bindparam("s_detail", type_=AuditEvent.detail.type),
            ),
        )
        .cte("audited")
    )
    return select(
        select(func.count()).select_from(locked).scalar_subquery(),
        select(func.count()).select_from(saved).scalar_subquery(),
    ).add_cte(audited)


_MERGED_SAVES = {with_lang: _merged_save(with_lang) for with_lang in (False, True)}


def _lock_save_and_audit(
    plan: Plan,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    now: datetime,
    lang: str | None,
    detail: dict[str, Any],
) -> bool:
    """The draft lock, the compare-and-set update and the audit event of a save, in one round
    trip (PostgreSQL): whether the answer was saved. Raises PlanLocked if the plan is no longer
    a draft."""
    params: dict[str, Any] = {
        "s_now": now,
        "s_plan_id": plan.id,
        "s_data": data,
        "s_user_id": user.id,
        "s_step": detail["step"],
        "s_based_on": based_on_revision,
        "s_detail": detail,
    }
    if lang:
        params["s_lang"] = lang
    locked, saved = db.session.execute(_MERGED_SAVES[bool(lang)], params).one()
    if locked != 1:
        db.session.rollback()
        raise PlanLocked()
    set_committed_value(plan, "updated_at", now)
    return bool(saved == 1)
