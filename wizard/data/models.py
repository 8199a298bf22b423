"""The data model: the directory of Wales, accounts, plans and their answers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from wizard.data.database import db
from wizard.domain.values import Language, LanguageMedium, PlanStatus, ReviewStatus


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (stored the same way on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)


class PlanStatusType(TypeDecorator[PlanStatus]):
    """A plan's status, stored as its plain string (the column stays VARCHAR(20))."""

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else PlanStatus(value).value

    def process_result_value(self, value: Any, dialect: Any) -> PlanStatus | None:
        return None if value is None else PlanStatus(value)


class RegionalPartnership(db.Model):  # type: ignore[name-defined]
    """An optional regional partnership or consortium; arrangements change, so it is data."""

    __tablename__ = "regional_partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_cy: Mapped[str] = mapped_column(String(200))


class LocalAuthority(db.Model):  # type: ignore[name-defined]
    __tablename__ = "local_authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(200), unique=True)
    name_cy: Mapped[str] = mapped_column(String(200))
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("regional_partnership.id", ondelete="SET NULL")
    )

    partnership: Mapped[RegionalPartnership | None] = relationship()

    def name(self, locale: str) -> str:
        return self.name_cy if locale == Language.CY else self.name_en


class Cluster(db.Model):  # type: ignore[name-defined]
    __tablename__ = "cluster"
    __table_args__ = (UniqueConstraint("local_authority_id", "name_en"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str | None] = mapped_column(String(200))
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)

    local_authority: Mapped[LocalAuthority] = relationship()
    schools: Mapped[list[School]] = relationship(
        back_populates="cluster", order_by="School.name_en"
    )


class School(db.Model):  # type: ignore[name-defined]
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The seven-digit local authority and establishment number used across Wales.
    school_number: Mapped[str] = mapped_column(String(12), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str | None] = mapped_column(String(200))
    language_medium: Mapped[str] = mapped_column(String(20), default=LanguageMedium.ENGLISH)
    local_authority_id: Mapped[int] = mapped_column(ForeignKey("local_authority.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="SET NULL"), index=True
    )
    # As Welsh Government's list of schools gives them: the sector and the (older) Welsh medium
    # type, kept as published.
    sector: Mapped[str | None] = mapped_column(String(60))
    welsh_medium_type: Mapped[str | None] = mapped_column(String(120))
    # The language category of the Welsh Language and Education (Wales) Act 2025, section 9
    # (domain.values.LanguageCategory), once designated; None until then.
    language_category: Mapped[str | None] = mapped_column(String(40))
    # The day the school left the published list: closed schools are kept, with their plans.
    closed_on: Mapped[date | None] = mapped_column(Date)

    local_authority: Mapped[LocalAuthority] = relationship()
    cluster: Mapped[Cluster | None] = relationship(back_populates="schools")


coordinator_cluster = Table(
    "coordinator_cluster",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True),
)


class JoinRequest(db.Model):  # type: ignore[name-defined]
    """Someone signed in with Hwb whom the service does not know asks to join a school; its
    lead approves (an account is made, linked to the identity) or declines. The person is told
    the outcome the next time they sign in (`told_at`)."""

    __tablename__ = "join_request"
    __table_args__ = (Index("ix_join_request_identity", "issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    # As the provider gave them, for the lead to recognise the person: never used to match.
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # "approved" or "declined", once the lead has decided.
    outcome: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    told_at: Mapped[datetime | None] = mapped_column(DateTime)

    school: Mapped[School] = relationship()


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("external_issuer", "external_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A local authority administrator: its schools, clusters, coordinators and leads.
    admin_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authority.id", ondelete="SET NULL"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    is_school_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when the password changes, so that older sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Ready for single sign-on (Hwb / Microsoft Entra via OIDC): the issuer and subject claim.
    external_issuer: Mapped[str | None] = mapped_column(String(255))
    external_subject: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Whether the user coordinates a cluster: an EXISTS loaded in the same statement as the
    # user, so that the account navigation of every page (and the access checks) cost no
    # query of their own.
    is_coordinator: Mapped[bool] = column_property(
        exists().where(coordinator_cluster.c.user_id == id).correlate_except(coordinator_cluster)
    )

    # For a lead: the requests to join their school waiting for a decision (shown above the task
    # list), loaded in the same statement as the user.
    join_requests_waiting: Mapped[int] = column_property(
        select(func.count())
        .where(JoinRequest.school_id == school_id, JoinRequest.outcome.is_(None))
        .correlate_except(JoinRequest)
        .scalar_subquery()
    )

    school: Mapped[School | None] = relationship()
    coordinated_clusters: Mapped[list[Cluster]] = relationship(
        secondary=coordinator_cluster, order_by="Cluster.name_en"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Plan(db.Model):  # type: ignore[name-defined]
    """One school's professional learning plan for one academic year."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("school_id", "academic_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    # The calendar year in which the academic year starts: 2026 means 2026/27.
    academic_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = mapped_column(PlanStatusType(), default=PlanStatus.DRAFT)
    # The plan's version number: 1 for the first draft; reopening a submitted plan adds one.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School] = relationship()
    answers: Mapped[list[PlanAnswer]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlanVersion(db.Model):  # type: ignore[name-defined]
    """A submitted version of a plan: a complete, frozen snapshot that no route changes."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The cluster coordinator's verdict (ReviewStatus), if any.
    review_status: Mapped[str | None] = mapped_column(String(30))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class ShareLink(db.Model):  # type: ignore[name-defined]
    """A read-only link to a plan, made by the school lead: only the token's hash is kept."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # False: the latest submitted version; True: the plan as it stands (the draft).
    shows_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    plan: Mapped[Plan] = relationship()


class PlanComment(db.Model):  # type: ignore[name-defined]
    """Feedback on one submitted version of a plan, on the whole plan (task_key None) or on one
    task, by a coordinator, or a lead's reply to it. It stays with the version it was made on."""

    __tablename__ = "plan_comment"
    __table_args__ = (Index("ix_plan_comment_plan_version", "plan_id", "version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    version_number: Mapped[int] = mapped_column(Integer)
    task_key: Mapped[str | None] = mapped_column(String(60))
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_comment.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(2))
    """The language the body was written in ("cy" or "en"; None: saved before we kept it)."""
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class CommentRead(db.Model):  # type: ignore[name-defined]
    """How far a coordinator has read the conversation about a plan: every comment and reply
    with an id up to `read_up_to` (ids only grow), so that the cluster's conversations page
    marks what is new to them."""

    __tablename__ = "comment_read"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True
    )
    read_up_to: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ClusterDeadline(db.Model):  # type: ignore[name-defined]
    """The date by which a cluster's schools are asked to submit, for one academic year and one
    kind (`wizard.domain.deadlines.DeadlineKind`: the year's plans, or the year-end reviews),
    set by a coordinator of the cluster."""

    __tablename__ = "cluster_deadline"
    __table_args__ = (UniqueConstraint("cluster_id", "academic_year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"))
    academic_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date)
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    cluster: Mapped[Cluster] = relationship()


class DeadlineReminder(db.Model):  # type: ignore[name-defined]
    """A reminder emailed to a school's leads before a deadline or on its day: written in the
    same transaction as its emails, and unique per deadline, date, school and kind of reminder,
    so that of two senders at once only one sends it (the other's transaction fails)."""

    __tablename__ = "deadline_reminder"
    __table_args__ = (UniqueConstraint("deadline_id", "due_on", "school_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("cluster_deadline.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    # The deadline's date when the reminder was sent (a deadline moved later is reminded again).
    due_on: Mapped[date] = mapped_column(Date)
    # `wizard.domain.deadlines.ReminderKind`: before the deadline, or on the day.
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # How many of the school's leads it was emailed to (0: the school has no lead yet).
    recipients: Mapped[int] = mapped_column(Integer, default=0)


class _FactKeys:
    """The keys every reporting fact carries: aggregates are GROUP BY queries over them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer)
    local_authority_id: Mapped[int] = mapped_column(Integer)
    academic_year: Mapped[int] = mapped_column(Integer)
    version_number: Mapped[int] = mapped_column(Integer)
    # True for the facts of the school's latest submitted version of the year.
    latest: Mapped[bool] = mapped_column(Boolean, default=True)


class FactRating(_FactKeys, db.Model):  # type: ignore[name-defined]
    """One hallmark rating of a submitted version."""

    __tablename__ = "fact_rating"
    __table_args__ = (
        Index("ix_fact_rating_year_cluster", "academic_year", "latest", "cluster_id"),
        Index("ix_fact_rating_year_authority", "academic_year", "latest", "local_authority_id"),
    )

    hallmark: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(30))


class FactPlacement(_FactKeys, db.Model):  # type: ignore[name-defined]
    """One card placed on a submitted version's Diamond 9 (row 1 is the most important)."""

    __tablename__ = "fact_placement"
    __table_args__ = (
        Index("ix_fact_placement_year_cluster", "academic_year", "latest", "cluster_id"),
        Index("ix_fact_placement_year_authority", "academic_year", "latest", "local_authority_id"),
    )

    card_key: Mapped[str] = mapped_column(String(60))
    # Own cards: their titles as submitted (designed cards are named by the framework).
    title_en: Mapped[str | None] = mapped_column(String(120))
    title_cy: Mapped[str | None] = mapped_column(String(120))
    row: Mapped[int] = mapped_column(Integer)


class FactFunding(_FactKeys, db.Model):  # type: ignore[name-defined]
    """One line of a submitted version's funding plan."""

    __tablename__ = "fact_funding"
    __table_args__ = (
        Index("ix_fact_funding_year_cluster", "academic_year", "latest", "cluster_id"),
        Index("ix_fact_funding_year_authority", "academic_year", "latest", "local_authority_id"),
    )

    purpose: Mapped[str] = mapped_column(String(60))
    priority: Mapped[str] = mapped_column(String(60), default="")
    amount_pence: Mapped[int] = mapped_column(Integer)


class YearEndReview(db.Model):  # type: ignore[name-defined]
    """A plan's year-end review ("adolygiad diwedd blwyddyn"; not a coordinator's review of
    a plan, which is PlanVersion.review_status): what was spent, the impact on each priority,
    the hallmarks rated again and what carries into next year. Its answers are kept by
    section (YearEndAnswer); submitting freezes them as a YearEndVersion, and reopening starts
    the next version number, as with the plan."""

    __tablename__ = "year_end_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), unique=True)
    status: Mapped[PlanStatus] = mapped_column(PlanStatusType(), default=PlanStatus.DRAFT)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    plan: Mapped[Plan] = relationship()


class YearEndAnswer(db.Model):  # type: ignore[name-defined]
    """One section of a year-end review, with a revision for safe concurrent editing."""

    __tablename__ = "year_end_answer"
    __table_args__ = (UniqueConstraint("review_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("year_end_review.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    lang: Mapped[str | None] = mapped_column(String(2))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class YearEndVersion(db.Model):  # type: ignore[name-defined]
    """A submitted year-end review: a frozen snapshot that no route changes."""

    __tablename__ = "year_end_version"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("year_end_review.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class FactYearEndFunding(_FactKeys, db.Model):  # type: ignore[name-defined]
    """One line of a submitted year-end review: planned and actually spent (a line added at
    the end of the year has nothing planned). `version_number` is the review's version."""

    __tablename__ = "fact_year_end_funding"
    __table_args__ = (
        Index("ix_fact_year_end_funding_year_cluster", "academic_year", "latest", "cluster_id"),
        Index(
            "ix_fact_year_end_funding_year_authority",
            "academic_year",
            "latest",
            "local_authority_id",
        ),
    )

    purpose: Mapped[str] = mapped_column(String(60))
    priority: Mapped[str] = mapped_column(String(60), default="")
    planned_pence: Mapped[int] = mapped_column(Integer, default=0)
    actual_pence: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[bool] = mapped_column(Boolean, default=False)


class FactYearEndImpact(_FactKeys, db.Model):  # type: ignore[name-defined]
    """The impact on one priority of a submitted year-end review: the levels with evidence
    (Guskey's five) and how far the success criteria were met."""

    __tablename__ = "fact_year_end_impact"
    __table_args__ = (
        Index("ix_fact_year_end_impact_year_cluster", "academic_year", "latest", "cluster_id"),
        Index(
            "ix_fact_year_end_impact_year_authority",
            "academic_year",
            "latest",
            "local_authority_id",
        ),
    )

    card_key: Mapped[str] = mapped_column(String(60))
    title_en: Mapped[str | None] = mapped_column(String(120))
    title_cy: Mapped[str | None] = mapped_column(String(120))
    reactions: Mapped[bool] = mapped_column(Boolean, default=False)
    learning: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    learners: Mapped[bool] = mapped_column(Boolean, default=False)
    criteria: Mapped[str] = mapped_column(String(20), default="")


class PlanAnswer(db.Model):  # type: ignore[name-defined]
    """The saved answers of one step of a plan, with a revision for safe concurrent editing."""

    __tablename__ = "plan_answer"
    __table_args__ = (UniqueConstraint("plan_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    lang: Mapped[str | None] = mapped_column(String(2))
    """The language the answers were written in ("cy" or "en"; None: saved before we kept it)."""
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    plan: Mapped[Plan] = relationship(back_populates="answers")


class ProgressUpdate(db.Model):  # type: ignore[name-defined]
    """How a priority of a submitted plan is going in one term: a status, a note and links to
    evidence. Its own record, beside the plan: writing one never changes a submitted version.
    One per priority (card key) and term, edited in its term; every save is audited."""

    __tablename__ = "progress_update"
    __table_args__ = (UniqueConstraint("plan_id", "card", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    card: Mapped[str] = mapped_column(String(100))
    """The priority's card key, as on the submitted version's board."""
    term: Mapped[str] = mapped_column(String(10))
    """ "autumn", "spring" or "summer" of the plan's academic year."""
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    lang: Mapped[str | None] = mapped_column(String(2))
    """The language the note was written in."""
    version: Mapped[int] = mapped_column(Integer)
    """The number of the submitted version the update was written against."""
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class OwnCard(db.Model):  # type: ignore[name-defined]
    """A Diamond 9 card the school wrote itself, with a title in English, Welsh or both, and
    (optionally) a description in either or both."""

    __tablename__ = "own_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title_en: Mapped[str | None] = mapped_column(String(120))
    title_cy: Mapped[str | None] = mapped_column(String(120))
    description_en: Mapped[str | None] = mapped_column(String(500))
    description_cy: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """One more at each change of its titles or descriptions (compare-and-set, as the steps)."""
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    """When its titles or descriptions were last changed (None: never since it was written)."""
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    @property
    def key(self) -> str:
        return f"own:{self.id}"


class AuditEvent(db.Model):  # type: ignore[name-defined]
    """Who changed what, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Changes to the directory: the local authority they concern (its administrators' history).
    local_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authority.id", ondelete="SET NULL"), index=True
    )


class PasswordResetToken(db.Model):  # type: ignore[name-defined]
    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class Invitation(db.Model):  # type: ignore[name-defined]
    """An invitation for a colleague to join a school's plan."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default=Language.EN)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Sent by an administrator: the account made from it becomes the school's lead.
    as_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    school: Mapped[School] = relationship()


class UserSession(db.Model):  # type: ignore[name-defined]
    """One sign-in: the cookie carries a random token whose hash is stored here, checked on
    every request. Signing out, resetting or changing the password ends it; so does age."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInAttempt(db.Model):  # type: ignore[name-defined]
    """Sign-ins, failed and successful: kept in the database so that every worker sees the same
    counts for throttling. What was typed as the email is never kept, only `account`, an HMAC
    of it under SECRET_KEY (someone who mistypes their password into the email field leaves
    no readable trace); `device` is the SHA-256 of a trusted device's cookie (a browser that
    has signed in to this account before), NULL for any other browser."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_account_created", "account", "created_at"),
        Index("ix_sign_in_attempt_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StaffVoiceRound(db.Model):  # type: ignore[name-defined]
    """A staff voice round on a plan: one link for every member of staff (only its token's
    hash is kept, as for share links), open until its closing date or until the lead closes it.
    Deleting the round deletes its responses, and its link stops working."""

    __tablename__ = "staff_voice_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Responses are taken through the day it closes.
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    plan: Mapped[Plan] = relationship()


class StaffVoiceResponse(db.Model):  # type: ignore[name-defined]
    """One anonymous response: a role (optional), ratings and a board, and the hash of the
    random token in the responder's cookie, so that the same browser can change its answers
    until the round closes. No name, email, address, user agent or time is kept, and the key is
    random (uuid4), so that no order of arrival is kept either (on SQLite the table has no rowid,
    which would count up)."""

    __tablename__ = "staff_voice_response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("staff_voice_round.id", ondelete="CASCADE"), index=True
    )
    cookie_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="")
    # {"1": "established", ...}: hallmark number to rating key.
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {"1": "card:pedagogy", ...}: slot to card key, as a plan's board is stored.
    board: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


__all__ = [
    "FactYearEndFunding",
    "FactYearEndImpact",
    "YearEndAnswer",
    "YearEndReview",
    "YearEndVersion",
    "FactFunding",
    "FactPlacement",
    "FactRating",
    "PlanComment",
    "ReviewStatus",
    "ShareLink",
    "AuditEvent",
    "Cluster",
    "ClusterDeadline",
    "CommentRead",
    "DeadlineReminder",
    "Invitation",
    "Language",
    "LanguageMedium",
    "LocalAuthority",
    "OwnCard",
    "PasswordResetToken",
    "Plan",
    "PlanAnswer",
    "PlanVersion",
    "PlanStatus",
    "RegionalPartnership",
    "School",
    "SignInAttempt",
    "StaffVoiceResponse",
    "StaffVoiceRound",
    "User",
    "UserSession",
    "coordinator_cluster",
    "utcnow",
]


class OutboxMail(db.Model):  # type: ignore[name-defined]
    """An email waiting to be sent, written in the same transaction as the event it tells of
    (a submission, feedback, an invitation, a reset), so that it is never lost; `key` is unique
    per event and recipient, so it is never written, and so never sent, twice."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    event: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A sender claims a row until this time (so two senders never send it at once).
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)


class PendingImport(db.Model):  # type: ignore[name-defined]
    """An uploaded file waiting for its administrator to look at the preview and apply it: kept
    in the database (any web process may serve the next request), found by the hash of the
    random token in the preview's URL, for the administrator who uploaded it only."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # "schools" (the published list) or "clusters" (a CSV for one authority).
    kind: Mapped[str] = mapped_column(String(20))
    # The authority it is for: a cluster file's, or a local authority administrator's own.
    local_authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_authority.id", ondelete="CASCADE")
    )
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The second file of Welsh names (number, Welsh name), if one was given.
    welsh_names: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
