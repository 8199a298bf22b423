"""Progress updates: their own records beside a submitted plan, each save audited. Nothing
here touches the plan's answers or its frozen versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import Plan, PlanVersion, ProgressUpdate, User, utcnow
from wizard.data.revisions import compare_and_set


@dataclass(frozen=True)
class UpdateRow:
    """A progress update as pages show it, with the name of who last saved it."""

    card: str
    term: str
    status: str
    note: str
    links: tuple[str, ...]
    lang: str | None
    version: int
    revision: int
    updated_at: datetime
    updated_by: str | None


def latest_version(plan: Plan) -> PlanVersion | None:
    """The plan's latest submitted version (one query)."""
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def updates_of(plan_id: int) -> list[UpdateRow]:
    """Every progress update of a plan, with who last saved it (one query, however many)."""
    rows = db.session.execute(
        select(ProgressUpdate, User.name)
        .outerjoin(User, User.id == ProgressUpdate.updated_by_id)
        .where(ProgressUpdate.plan_id == plan_id)
        .order_by(ProgressUpdate.id)
    )
    return [
        UpdateRow(
            card=row.card,
            term=row.term,
            status=row.status,
            note=row.note or "",
            links=tuple(link for link in (row.links or []) if isinstance(link, str)),
            lang=row.lang,
            version=row.version,
            revision=row.revision,
            updated_at=row.updated_at,
            updated_by=name,
        )
        for row, name in rows
    ]


def save_update(
    plan: Plan,
    card: str,
    term: str,
    *,
    version: int,
    status: str,
    note: str,
    links: list[str],
    lang: str | None,
    based_on_revision: int,
    user: User,
) -> bool:
    """Save a priority's update for a term, if nobody has saved it since `based_on_revision`
    (0: there was none). A compare-and-set, as for the plan's answers; False when stale."""
    now = utcnow()
    values = {
        "status": status,
        "note": note,
        "links": links,
        "lang": lang,
        "version": version,
        "updated_at": now,
        "updated_by_id": user.id,
    }
    result = compare_and_set(
        ProgressUpdate,
        {"plan_id": plan.id, "card": card, "term": term},
        values,
        based_on_revision,
        on_insert={"created_at": now},
        read_back=False,
    )
    if not result.saved:
        return False
    record(
        AuditAction.PROGRESS_SAVED,
        user_id=user.id,
        plan_id=plan.id,
        at=now,
        card=card,
        term=term,
        status=status,
        revision=based_on_revision + 1,
    )
    db.session.commit()
    return True
