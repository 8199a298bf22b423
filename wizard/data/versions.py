"""Submitting a plan as a frozen version, reopening it, and starting next year's plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from wizard.data.audit import AuditAction, record
from wizard.data.boards import own_cards
from wizard.data.database import db
from wizard.data.facts import write_facts
from wizard.data.models import (
    OwnCard,
    Plan,
    PlanAnswer,
    PlanStatus,
    PlanVersion,
    School,
    User,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.data.plans import answer_data, answer_languages, answers_of
from wizard.domain.funding import lines_of
from wizard.domain.journey import BOARD_STEP, CRITERIA_STEP, FUNDING_STEP, Task
from wizard.domain.next_year import carried_over
from wizard.domain.plan_document import OwnCardTitles, PlanDocument, SchoolDetails
from wizard.domain.submission import Readiness, readiness
from wizard.domain.summary import build_snapshot
from wizard.domain.year_end import YearEndDocument, next_year_answers


def versions_of(plan: Plan, *, snapshots: bool = True) -> list[PlanVersion]:
    """The plan's versions, oldest first; `snapshots=False`: without their snapshots (the
    largest column), each read from the database only if asked for."""
    query = select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
    if not snapshots:
        query = query.options(defer(PlanVersion.snapshot))
    return list(db.session.scalars(query))


def version_of_school(school_id: int, academic_year: int, number: int | None) -> PlanVersion | None:
    """The school's plan's submitted version `number` for the year (None: the latest), in one
    query; None when there is no such version (or no plan)."""
    query = (
        select(PlanVersion)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.school_id == school_id, Plan.academic_year == academic_year)
    )
    if number is None:
        query = query.order_by(PlanVersion.number.desc()).limit(1)
    else:
        query = query.where(PlanVersion.number == number)
    return db.session.scalar(query)


def get_version(plan: Plan, number: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    )


def school_details(school: School) -> SchoolDetails:
    """The school as a snapshot keeps it."""
    authority = school.local_authority
    return SchoolDetails(
        school.name_en,
        school.name_cy or "",
        school.school_number,
        authority.name_en if authority else "",
        authority.name_cy if authority else "",
    )


def snapshot_from(
    plan: Plan,
    school: School,
    data: Mapping[str, Any],
    submitted_by: User | None = None,
    submitted_at: str | None = None,
    *,
    languages: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A snapshot of the plan with these answers (its saved answers' data, and the language
    each step's was written in), as a version keeps it."""
    return build_snapshot(
        PlanDocument.from_answers(data),
        school=school_details(school),
        academic_year=plan.academic_year,
        version=plan.version,
        own_cards=[
            OwnCardTitles(c.id, c.title_en, c.title_cy, c.description_en, c.description_cy)
            for c in own_cards(plan)
        ],
        submitted_by=submitted_by.name if submitted_by else None,
        submitted_at=submitted_at,
        languages=languages,
    )


def snapshot_of(
    plan: Plan, school: School, submitted_by: User | None = None, submitted_at: str | None = None
) -> dict[str, Any]:
    answers = answers_of(plan)
    return snapshot_from(
        plan,
        school,
        answer_data(answers),
        submitted_by,
        submitted_at,
        languages=answer_languages(answers),
    )


class CannotSubmit(Exception):
    """The plan was not submitted: it is not ready (`readiness` says why), or it was no
    longer the draft it was (someone else submitted or changed it at the same moment: then
    `readiness` is ready)."""

    def __init__(self, readiness: Readiness) -> None:
        super().__init__("plan is not ready to submit")
        self.readiness = readiness


def submit(
    plan: Plan,
    school: School,
    user: User,
    mail: Callable[[PlanVersion], Sequence[Mail]] | None = None,
) -> PlanVersion:
    """Freeze the plan as its current version number. Refuses an incomplete plan.

    The status change is a compare-and-set on the draft status, so two people submitting at
    once make exactly one version.
    """
    now = utcnow()
    # First the lock (see plans.lock_draft): no write to the plan can come between reading
    # the answers below and freezing them.
    changed = db.session.execute(
        Plan.__table__.update()
        .where(Plan.id == plan.id, Plan.status == PlanStatus.DRAFT, Plan.version == plan.version)
        .values(status=PlanStatus.SUBMITTED, updated_at=now)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise CannotSubmit(Readiness())
    ready = readiness(answer_data(answers_of(plan)))
    if not ready.ready:
        db.session.rollback()
        raise CannotSubmit(ready)
    version = PlanVersion(
        plan_id=plan.id,
        number=plan.version,
        snapshot=snapshot_of(plan, school, user, now.isoformat()),
        submitted_at=now,
        submitted_by_id=user.id,
    )
    db.session.add(version)
    write_facts(plan, school, version.snapshot, plan.version)
    record(AuditAction.PLAN_SUBMITTED, user_id=user.id, plan_id=plan.id, version=plan.version)
    if mail is not None:
        # The coordinators' emails, in the same transaction as the version they tell of.
        stage(f"plan-submitted:{plan.id}:{version.number}", mail(version))
    db.session.commit()
    db.session.refresh(plan)
    return version


def reopen(plan: Plan, user: User) -> bool:
    """Start a new draft version from the submitted one (which stays as it is)."""
    changed = db.session.execute(
        Plan.__table__.update()
        .where(Plan.id == plan.id, Plan.status == PlanStatus.SUBMITTED)
        .values(status=PlanStatus.DRAFT, version=Plan.version + 1, updated_at=utcnow())
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    # Completion is not looked at here: a section's completion follows its answers when they
    # change (plans.save_step), so the sections stay as they were submitted.
    record(AuditAction.PLAN_REOPENED, user_id=user.id, plan_id=plan.id)
    db.session.commit()
    db.session.refresh(plan)
    return True


def confirmed_revisions(task: Task, answers: dict[str, PlanAnswer]) -> dict[str, int]:
    """The revision of each of the task's answers, kept with "Yes, I have completed this
    section" so that reopening the plan can tell whether they changed since."""
    return {step.slug: answers[step.slug].revision for step in task.steps if step.slug in answers}


def start_plan(
    school_id: int,
    academic_year: int,
    copy_from: Plan | None,
    user: User,
    *,
    review: YearEndDocument | None = None,
    existing: Plan | None = None,
) -> Plan:
    """Create next year's plan, empty or with last year's answers, cards and funding lines as
    domain.next_year.carried_over takes them (not the allocation, nor any completion); with
    last year's year-end `review`, its ratings and the priorities it carried over too
    (domain.year_end.next_year_answers). `existing`: the year's plan, made with nothing in it
    yet (a staff voice round opened first), to start instead of a new one."""
    plan = existing or Plan(school_id=school_id, academic_year=academic_year)
    db.session.add(plan)
    db.session.flush()
    made: dict[str, PlanAnswer] = {}
    renamed: dict[str, str] = {}
    if copy_from is not None:
        for card in own_cards(copy_from):
            copy = OwnCard(
                plan_id=plan.id,
                title_en=card.title_en,
                title_cy=card.title_cy,
                description_en=card.description_en,
                description_cy=card.description_cy,
                created_by_id=user.id,
            )
            db.session.add(copy)
            db.session.flush()
            renamed[card.key] = copy.key
        for step, row in answers_of(copy_from).items():
            carried = carried_over(step, row.data or {})
            if carried is None:
                continue
            made[step] = PlanAnswer(
                plan_id=plan.id,
                step=step,
                data=_renamed(step, carried, renamed),
                lang=row.lang,
                revision=1,
                updated_by_id=user.id,
            )
            db.session.add(made[step])
    if review is not None:
        current = {step: answer.data for step, answer in made.items()}
        for step, data in next_year_answers(review, current, renamed).items():
            if step in made:
                made[step].data = data
            else:
                db.session.add(
                    PlanAnswer(
                        plan_id=plan.id, step=step, data=data, revision=1, updated_by_id=user.id
                    )
                )
    record(
        AuditAction.PLAN_STARTED,
        user_id=user.id,
        plan_id=plan.id,
        from_year=copy_from.academic_year if copy_from else None,
    )
    db.session.commit()
    return plan


def _renamed(step: str, data: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """Point the copied board, success criteria and funding lines at the copied own cards."""
    if step == BOARD_STEP:
        slots = {slot: renamed.get(card, card) for slot, card in (data.get("slots") or {}).items()}
        return {**data, "slots": slots}
    if step == FUNDING_STEP:
        lines = [
            {
                **line,
                "priority": renamed.get(line.get("priority") or "", line.get("priority") or ""),
            }
            for line in lines_of(data)
        ]
        return {**data, "lines": lines}
    if step == CRITERIA_STEP and isinstance(cards := data.get("cards"), Mapping):
        return {**data, "cards": {renamed.get(card, card): v for card, v in cards.items()}}
    return data


def latest_plan_before(school_id: int, academic_year: int) -> Plan | None:
    return db.session.scalar(
        select(Plan)
        .where(Plan.school_id == school_id, Plan.academic_year < academic_year)
        .order_by(Plan.academic_year.desc())
        .limit(1)
    )
