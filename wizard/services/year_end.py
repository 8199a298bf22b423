"""The year-end review of a school's plan ("adolygiad diwedd blwyddyn"): whether it can start
(a submitted plan, from the summer term), its sections, saving one (compare-and-set, as a
plan's steps), submitting it as a frozen version and reopening it. The views call these and
never the data layer; the types they need are named here.

Not a coordinator's review of a plan (services/feedback.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from wizard.data import year_end as store
from wizard.data.accounts import name_of
from wizard.data.clusters import school_name, school_plan_rows
from wizard.data.models import YearEndReview, YearEndVersion
from wizard.data.plans import get_plan
from wizard.domain import year_end as rules
from wizard.domain.plan_document import OwnCardTitles
from wizard.domain.values import PlanStatus
from wizard.domain.year_end import YearEndDocument
from wizard.services import clock, reporting
from wizard.services.notifications import review_submitted_mail
from wizard.services.outbox import dispatch
from wizard.services.reporting import YearEndFigures

if TYPE_CHECKING:
    from wizard.data.models import Plan, User

__all__ = [
    "Conflict",
    "NotSubmitted",
    "Refusal",
    "ReviewState",
    "Saved",
    "Unavailable",
    "YearEndFigures",
    "YearEndReview",
    "YearEndVersion",
    "hub_entry",
    "load",
    "reopen",
    "save",
    "submit",
    "version",
]


@dataclass(frozen=True)
class Unavailable:
    """Why the year-end review cannot be opened: no plan ("no-plan"), the plan never
    submitted ("not-submitted"), or before the summer term ("not-yet")."""

    reason: Literal["no-plan", "not-submitted", "not-yet"]
    opens: Any = None
    """With "not-yet": the date it opens."""


@dataclass
class ReviewState:
    """A plan's year-end review as it stands, against the plan version it looks back on."""

    plan: Plan
    plan_version_number: int
    review: YearEndReview | None
    revisions: dict[str, int]
    document: YearEndDocument
    own_cards: tuple[OwnCardTitles, ...]

    @property
    def editable(self) -> bool:
        return self.review is None or self.review.status == PlanStatus.DRAFT

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.status == PlanStatus.SUBMITTED

    @property
    def version(self) -> int:
        return self.review.version if self.review else 1

    def revision(self, section: str) -> int:
        return self.revisions.get(section, 0)


def load(school_id: int, academic_year: int) -> ReviewState | Unavailable:
    """The year-end review of the school's plan for the year, if it can be opened."""
    plan = get_plan(school_id, academic_year)
    if plan is None:
        return Unavailable("no-plan")
    plan_version = store.latest_plan_version(plan)
    if plan_version is None:
        return Unavailable("not-submitted")
    if not rules.is_open(academic_year, clock.today()):
        return Unavailable("not-yet", rules.summer_term_starts(academic_year))
    review = store.review_of(plan)
    answers = store.answers_of(review)
    document = store.document_of(plan_version, answers)
    return ReviewState(
        plan,
        plan_version.number,
        review,
        {section: row.revision for section, row in answers.items()},
        document,
        tuple(
            OwnCardTitles.from_stored(int(card["id"]), card)
            for card in document.plan.own_cards
            if isinstance(card.get("id"), int)
        ),
    )


@dataclass(frozen=True)
class Saved:
    pass


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the section since the page was opened: their answer and name."""

    current: dict[str, Any]
    revision: int
    author: str | None


class Locked(Exception):
    """The review is submitted: reopen it to change it."""


def save(
    state: ReviewState,
    section: str,
    data: dict[str, Any],
    based_on_revision: int,
    user: User,
    lang: str | None = None,
) -> Saved | Conflict:
    """Save one section of the review (the review is made on the first save)."""
    if not state.editable:
        raise Locked()
    review = state.review or store.get_or_create_review(state.plan)
    try:
        result = store.save_section(review, section, data, based_on_revision, user, lang)
    except store.ReviewLocked as locked:
        raise Locked() from locked
    if result.saved:
        return Saved()
    current = result.current
    return Conflict(
        dict(current.data) if current else {},
        current.revision if current else 0,
        name_of(current.updated_by_id) if current else None,
    )


class Refusal(enum.Enum):
    NOT_LEAD = "not-lead"
    NOT_READY = "not-ready"
    CHANGED = "changed"


@dataclass(frozen=True)
class NotSubmitted:
    refusal: Refusal
    incomplete: tuple[str, ...] = ()


def submit(state: ReviewState, user: User) -> YearEndVersion | NotSubmitted:
    """Freeze the review as a numbered version, with its reporting facts (a school lead)."""
    if not user.is_school_lead:
        return NotSubmitted(Refusal.NOT_LEAD)
    if state.review is None or not state.document.ready:
        return NotSubmitted(Refusal.NOT_READY, state.document.incomplete())
    school = state.plan.school
    try:
        version = store.submit(
            state.review, state.plan, school, user, mail=review_submitted_mail(state.plan, school)
        )
    except store.CannotSubmit as refused:
        if refused.incomplete:
            return NotSubmitted(Refusal.NOT_READY, refused.incomplete)
        return NotSubmitted(Refusal.CHANGED)
    dispatch()
    return version


def reopen(state: ReviewState, user: User) -> bool:
    """Start a new draft version of a submitted review (the version stays as it is)."""
    return state.review is not None and store.reopen(state.review, user)


@dataclass(frozen=True)
class ReviewVersion:
    """A submitted version of a review, as plain values (a cluster's ZIP reads them after the
    request's database session has ended)."""

    id: int
    number: int
    submitted_at: datetime

    @classmethod
    def of(cls, version: YearEndVersion) -> ReviewVersion:
        return cls(version.id, version.number, version.submitted_at)


@dataclass(frozen=True)
class FrozenReview:
    academic_year: int
    """The year of the plan reviewed."""
    version: ReviewVersion
    document: YearEndDocument
    versions: list[int]
    """The numbers of the review's submitted versions (in a cluster's ZIP: the latest only)."""


def version(school_id: int, academic_year: int, number: int) -> FrozenReview | None:
    """A submitted version of the school's year-end review for the year (None: none)."""
    plan = get_plan(school_id, academic_year)
    review = store.review_of(plan) if plan else None
    if plan is None or review is None:
        return None
    found = store.get_version(review, number)
    if found is None:
        return None
    return FrozenReview(
        plan.academic_year,
        ReviewVersion.of(found),
        YearEndDocument.from_stored(found.snapshot),
        [v.number for v in store.versions_of(review)],
    )


def latest_version_id(school_id: int, academic_year: int) -> int | None:
    """The id of what latest_version gives (None: none), in one query: a frozen version never
    changes, so this stands for its content (a Word file's cache key)."""
    return store.latest_version_id(school_id, academic_year)


def latest_version(school_id: int, academic_year: int) -> FrozenReview | None:
    """The latest submitted version of the school's year-end review (None: none)."""
    plan = get_plan(school_id, academic_year)
    review = store.review_of(plan) if plan else None
    latest = store.latest_version(review)
    if plan is None or review is None or latest is None:
        return None
    return version(school_id, academic_year, latest.number)


@dataclass(frozen=True)
class SchoolReview:
    """A school's latest submitted year-end review, for the cluster's ZIP of reviews."""

    school_id: int
    school_name: str
    """In the language asked for (its English name where it has no Welsh one)."""
    review: FrozenReview


def cluster_reviews(
    user_id: int, is_admin: bool, cluster_id: int, academic_year: int, locale: str
) -> list[SchoolReview] | None:
    """Each school of the cluster with a submitted year-end review of its plan for the year,
    with the review's latest submitted version, in the alphabetical order of the names in
    `locale` (a constant number of queries). For the cluster's coordinators and national
    administrators; None for anyone else (or no such cluster)."""
    cluster = reporting.cluster_for_documents(user_id, is_admin, cluster_id)
    if cluster is None:
        return None
    rows = [row for row in school_plan_rows(cluster.id, academic_year, locale) if row.plan]
    latest = store.latest_versions_of([row.plan.id for row in rows if row.plan])
    found = []
    for row in rows:
        version = latest.get(row.plan.id) if row.plan else None
        if row.plan is None or version is None:
            continue
        frozen = FrozenReview(
            academic_year,
            ReviewVersion.of(version),
            YearEndDocument.from_stored(version.snapshot),
            [version.number],
        )
        found.append(SchoolReview(row.school.id, school_name(row.school, locale), frozen))
    return found


@dataclass(frozen=True)
class HubEntry:
    """The year-end review's line on the plan's task list."""

    status: Literal["cannot-start", "not-started", "in-progress", "submitted"]
    opens: Any = None
    version: int | None = None
    """With "submitted": the submitted version's number."""


def hub_entry(plan: Plan | None) -> HubEntry | None:
    """The year-end review's task for a plan's task list (None: no submitted plan yet)."""
    if plan is None:
        return None
    if plan.status != PlanStatus.SUBMITTED and plan.version == 1:
        return None
    if not rules.is_open(plan.academic_year, clock.today()):
        return HubEntry("cannot-start", rules.summer_term_starts(plan.academic_year))
    review = store.review_of(plan)
    if review is None:
        return HubEntry("not-started")
    if review.status == PlanStatus.SUBMITTED:
        return HubEntry("submitted", version=review.version)
    return HubEntry("in-progress")
