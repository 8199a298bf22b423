"""Year-end reviews: their sections (saved by compare-and-set on a revision, as a plan's
steps are), submitting one as a frozen version with its reporting facts, and reopening it.
See domain/year_end.py for what a review says."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, case, func, literal, select, update
from sqlalchemy.exc import IntegrityError

from wizard.data.aggregates import Scope
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    FactYearEndFunding,
    FactYearEndImpact,
    Plan,
    PlanStatus,
    PlanVersion,
    School,
    User,
    YearEndAnswer,
    YearEndReview,
    YearEndVersion,
    utcnow,
)
from wizard.data.outbox import Mail, stage
from wizard.data.revisions import SaveResult, answer_values, compare_and_set
from wizard.data.versions import school_details
from wizard.domain.aggregates import OWN_CARDS
from wizard.domain.plan_document import PlanDocument
from wizard.domain.year_end import ReviewedPlan, YearEndDocument


def latest_plan_version(plan: Plan) -> PlanVersion | None:
    """The plan's latest submitted version: the one a year-end review looks back on."""
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def review_of(plan: Plan) -> YearEndReview | None:
    return db.session.scalar(select(YearEndReview).where(YearEndReview.plan_id == plan.id))


def get_or_create_review(plan: Plan) -> YearEndReview:
    """The plan's review, made (as a draft) the first time someone saves a section."""
    found = review_of(plan)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            review = YearEndReview(plan_id=plan.id)
            db.session.add(review)
        return review
    except IntegrityError:
        found = review_of(plan)
        assert found is not None
        return found


def answers_of(review: YearEndReview | None) -> dict[str, YearEndAnswer]:
    if review is None:
        return {}
    return {
        row.section: row
        for row in db.session.scalars(
            select(YearEndAnswer).where(YearEndAnswer.review_id == review.id)
        )
    }


def reviewed_plan(version: PlanVersion) -> ReviewedPlan:
    return ReviewedPlan.of(PlanDocument.from_stored(version.snapshot))


def document_of(version: PlanVersion, answers: Mapping[str, YearEndAnswer]) -> YearEndDocument:
    """The review as it stands, against the plan version it looks back on."""
    document = YearEndDocument.from_sections(
        reviewed_plan(version), {section: row.data for section, row in answers.items()}
    )
    languages = {section: row.lang for section, row in answers.items() if row.lang}
    return replace(document, languages=languages)


class ReviewLocked(Exception):
    """The review is submitted: reopen it to change it."""


def _lock_draft(review: YearEndReview) -> None:
    """Lock the review's row and check it is still a draft (as plans.lock_draft does)."""
    changed = db.session.execute(
        update(YearEndReview)
        .where(YearEndReview.id == review.id, YearEndReview.status == PlanStatus.DRAFT)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise ReviewLocked()


def save_section(
    review: YearEndReview,
    section: str,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    lang: str | None = None,
) -> SaveResult[YearEndAnswer]:
    """Save one section if nobody has changed it since `based_on_revision` (0: there was
    none); a compare-and-set on the revision, so of two saves exactly one wins."""
    now = utcnow()
    _lock_draft(review)
    result = compare_and_set(
        YearEndAnswer,
        {"review_id": review.id, "section": section},
        answer_values(data, user.id, now, lang),
        based_on_revision,
    )
    if not result.saved:
        return result
    record(
        AuditAction.YEAR_END_SAVED,
        user_id=user.id,
        plan_id=review.plan_id,
        at=now,
        section=section,
        revision=based_on_revision + 1,
    )
    db.session.commit()
    return result


class CannotSubmit(Exception):
    """Not submitted: not ready (`incomplete` says what), or no longer the draft it was."""

    def __init__(self, incomplete: tuple[str, ...] = ()) -> None:
        super().__init__("year-end review not submitted")
        self.incomplete = incomplete


def submit(
    review: YearEndReview,
    plan: Plan,
    school: School,
    user: User,
    mail: Callable[[YearEndVersion], Iterable[Mail]] | None = None,
) -> YearEndVersion:
    """Freeze the review as its current version number, with its reporting facts, in one
    transaction. The status change is a compare-and-set on the draft and its version number,
    so two people submitting at once make exactly one version. `mail` composes the emails that
    tell of it, written to the outbox in the same transaction (sent after the commit)."""
    now = utcnow()
    changed = db.session.execute(
        update(YearEndReview)
        .where(
            YearEndReview.id == review.id,
            YearEndReview.status == PlanStatus.DRAFT,
            YearEndReview.version == review.version,
        )
        .values(status=PlanStatus.SUBMITTED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise CannotSubmit()
    plan_version = latest_plan_version(plan)
    if plan_version is None:
        db.session.rollback()
        raise CannotSubmit()
    document = document_of(plan_version, answers_of(review))
    if not document.ready:
        db.session.rollback()
        raise CannotSubmit(document.incomplete())
    frozen = replace(
        document,
        academic_year=plan.academic_year,
        version=review.version,
        school=school_details(school).to_stored(),
        submitted_at=now.isoformat(),
        submitted_by=user.name,
    )
    version = YearEndVersion(
        review_id=review.id,
        number=review.version,
        snapshot=frozen.to_stored(),
        submitted_at=now,
        submitted_by_id=user.id,
    )
    db.session.add(version)
    write_year_end_facts(plan, school, frozen, review.version)
    record(AuditAction.YEAR_END_SUBMITTED, user_id=user.id, plan_id=plan.id, version=review.version)
    if mail is not None:
        stage(f"review-submitted:{review.id}:{review.version}", mail(version))
    db.session.commit()
    db.session.refresh(review)
    return version


def reopen(review: YearEndReview, user: User) -> bool:
    """Start a new draft version from the submitted one (which stays as it is)."""
    changed = db.session.execute(
        update(YearEndReview)
        .where(YearEndReview.id == review.id, YearEndReview.status == PlanStatus.SUBMITTED)
        .values(status=PlanStatus.DRAFT, version=YearEndReview.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    record(AuditAction.YEAR_END_REOPENED, user_id=user.id, plan_id=review.plan_id)
    db.session.commit()
    db.session.refresh(review)
    return True


def versions_of(review: YearEndReview | None) -> list[YearEndVersion]:
    if review is None:
        return []
    return list(
        db.session.scalars(
            select(YearEndVersion)
            .where(YearEndVersion.review_id == review.id)
            .order_by(YearEndVersion.number)
        )
    )


def get_version(review: YearEndReview, number: int) -> YearEndVersion | None:
    return db.session.scalar(
        select(YearEndVersion).where(
            YearEndVersion.review_id == review.id, YearEndVersion.number == number
        )
    )


def latest_version(review: YearEndReview | None) -> YearEndVersion | None:
    if review is None:
        return None
    return db.session.scalar(
        select(YearEndVersion)
        .where(YearEndVersion.review_id == review.id)
        .order_by(YearEndVersion.number.desc())
        .limit(1)
    )


def latest_version_id(school_id: int, academic_year: int) -> int | None:
    """The id of the latest submitted version of the school's year-end review for the year
    (None: none), in one query."""
    found: int | None = db.session.scalar(
        select(YearEndVersion.id)
        .join(YearEndReview, YearEndReview.id == YearEndVersion.review_id)
        .join(Plan, Plan.id == YearEndReview.plan_id)
        .where(Plan.school_id == school_id, Plan.academic_year == academic_year)
        .order_by(YearEndVersion.number.desc())
        .limit(1)
    )
    return found


def latest_versions_of(plan_ids: list[int]) -> dict[int, YearEndVersion]:
    """plan id -> the latest submitted version of its year-end review (plans without one are
    left out), in one query."""
    if not plan_ids:
        return {}
    newest = (
        select(YearEndVersion.review_id, func.max(YearEndVersion.number).label("number"))
        .join(YearEndReview, YearEndReview.id == YearEndVersion.review_id)
        .where(YearEndReview.plan_id.in_(plan_ids))
        .group_by(YearEndVersion.review_id)
        .subquery()
    )
    rows = db.session.execute(
        select(YearEndReview.plan_id, YearEndVersion)
        .join(YearEndVersion, YearEndVersion.review_id == YearEndReview.id)
        .join(
            newest,
            (newest.c.review_id == YearEndVersion.review_id)
            & (newest.c.number == YearEndVersion.number),
        )
        .where(YearEndReview.plan_id.in_(plan_ids))
    )
    return {plan_id: version for plan_id, version in rows}


def latest_review_document(plan: Plan) -> YearEndDocument | None:
    """The plan's latest submitted year-end review (None: none submitted)."""
    version = latest_version(review_of(plan))
    return YearEndDocument.from_stored(version.snapshot) if version else None


_FACTS = (FactYearEndFunding, FactYearEndImpact)


def fact_rows(
    document: YearEndDocument, keys: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The facts of a submitted review, as rows (funding, impact)."""
    funding = [
        {
            **keys,
            "purpose": line.purpose,
            "priority": line.priority,
            "planned_pence": line.amount_pence,
            "actual_pence": document.actual(line.id).actual_pence or 0,
            "added": False,
        }
        for line in document.plan.lines
    ]
    funding += [
        {
            **keys,
            "purpose": line.purpose,
            "priority": line.priority,
            "planned_pence": 0,
            "actual_pence": line.actual_pence,
            "added": True,
        }
        for line in document.funding.added
    ]
    own = {f"own:{card.get('id')}": card for card in document.plan.own_cards}
    impact = []
    for card in document.plan.priorities:
        answer = document.impact(card)
        titles = own.get(card) or {}
        impact.append(
            {
                **keys,
                "card_key": card,
                "title_en": titles.get("title_en"),
                "title_cy": titles.get("title_cy"),
                **{level: level in answer.levels for level in _LEVELS},
                "criteria": answer.criteria or "",
            }
        )
    return funding, impact


_LEVELS = ("reactions", "learning", "organisation", "practice", "learners")


def write_year_end_facts(
    plan: Plan, school: School, document: YearEndDocument, version_number: int
) -> None:
    """Add the facts of a submitted review and mark the school's earlier ones for the year
    as no longer the latest. Does not commit: the submitting transaction does."""
    for model in _FACTS:
        db.session.execute(
            update(model)
            .where(
                model.school_id == school.id,
                model.academic_year == plan.academic_year,
                model.latest.is_(True),
            )
            .values(latest=False)
        )
    keys = {
        "school_id": school.id,
        "cluster_id": school.cluster_id,
        "local_authority_id": school.local_authority_id,
        "academic_year": plan.academic_year,
        "version_number": version_number,
        "latest": True,
    }
    funding, impact = fact_rows(document, keys)
    db.session.add_all(
        [
            *(FactYearEndFunding(**row) for row in funding),
            *(FactYearEndImpact(**row) for row in impact),
        ]
    )


# Reporting: GROUP BY queries over the facts of each school's latest submitted review, so that
# their number does not grow with the number of schools.


@dataclass(frozen=True)
class ImpactCount:
    """One priority card across the scope's latest reviews: how many schools reviewed it,
    how many found evidence at each level, and how far its success criteria were met."""

    card: str
    schools: int
    levels: dict[str, int]
    met: int
    partly: int
    not_met: int


def impact_levels() -> tuple[str, ...]:
    """The levels of impact, in the order year_end_impact_query counts them."""
    return _LEVELS


def year_end_spend_query(scope: Scope) -> Select[Any]:
    model = FactYearEndFunding
    return (
        select(model.purpose, func.sum(model.planned_pence), func.sum(model.actual_pence))
        .where(*scope.where(model))
        .group_by(model.purpose)
    )


def year_end_spend_by_purpose(scope: Scope) -> list[tuple[str, int, int]]:
    """(purpose, pence planned, pence spent)."""
    query = year_end_spend_query(scope)
    return [(str(p), int(a or 0), int(b or 0)) for p, a, b in db.session.execute(query)]


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def year_end_impact_query(scope: Scope) -> Select[Any]:
    model = FactYearEndImpact
    card = case((model.card_key.like("own:%"), literal(OWN_CARDS)), else_=model.card_key).label(
        "card"
    )
    return (
        select(
            card,
            func.count(),
            *(_count_if(getattr(model, level).is_(True)) for level in _LEVELS),
            _count_if(model.criteria == "met"),
            _count_if(model.criteria == "partly"),
            _count_if(model.criteria == "not-met"),
        )
        .where(*scope.where(model))
        .group_by(card)
    )


def year_end_impact(scope: Scope) -> list[ImpactCount]:
    """Each priority card's impact across the scope (own cards counted together)."""
    query = year_end_impact_query(scope)
    found = []
    for row in db.session.execute(query):
        key, schools, *counts = row
        levels = dict(zip(_LEVELS, (int(n or 0) for n in counts[:5]), strict=True))
        met, partly, not_met = (int(n or 0) for n in counts[5:])
        found.append(ImpactCount(str(key), int(schools), levels, met, partly, not_met))
    return found


def year_end_totals_query(scope: Scope) -> Select[Any]:
    impact = (
        select(func.count(func.distinct(FactYearEndImpact.school_id)))
        .where(*scope.where(FactYearEndImpact))
        .scalar_subquery()
    )
    return select(
        impact,
        func.sum(FactYearEndFunding.planned_pence),
        func.sum(FactYearEndFunding.actual_pence),
    ).where(*scope.where(FactYearEndFunding))


def year_end_totals(scope: Scope) -> tuple[int, int, int]:
    """(schools with a submitted review, pence planned, pence spent), in one query."""
    query = year_end_totals_query(scope)
    schools, planned, actual = db.session.execute(query).one()
    return int(schools or 0), int(planned or 0), int(actual or 0)


def statuses_of(plan_ids: list[int]) -> dict[int, tuple[PlanStatus, int]]:
    """plan id -> (its year-end review's status, version), in one query."""
    rows = db.session.execute(
        select(YearEndReview.plan_id, YearEndReview.status, YearEndReview.version).where(
            YearEndReview.plan_id.in_(plan_ids)
        )
    )
    return {plan_id: (status, version) for plan_id, status, version in rows}
