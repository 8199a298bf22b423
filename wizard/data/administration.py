"""The directory as administrators keep it: finding schools, a school's people, clusters and
their coordinators, requests to join schools without a lead, the directory's history, and the
published list of schools and cluster files applied (all rows or none).

Who may do what is decided by the caller (services.administration, with
services.access.may_administer_authority); every change here records an audit event with the
local authority it concerns, which is what the history page shows."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.orm import selectinload

from wizard.data.accounts import create_password_reset, new_token, token_hash
from wizard.data.audit import AuditAction, record
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    Cluster,
    Invitation,
    JoinRequest,
    LocalAuthority,
    PendingImport,
    Plan,
    PlanAnswer,
    School,
    User,
    coordinator_cluster,
    utcnow,
)
from wizard.data.outbox import stage
from wizard.data.retention import PENDING_UPLOAD_HOURS
from wizard.domain.collation import in_order
from wizard.domain.inputs import normalise_email
from wizard.domain.school_list import Changes, Existing, Listed, SchoolList, medium_of
from wizard.domain.values import PlanStatus

PER_PAGE = 25
# Uploads not applied within this time are forgotten.
PENDING_HOURS = PENDING_UPLOAD_HOURS


class PlanState(enum.StrEnum):
    """This year's plan, as the list of schools filters it."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"


class OpenState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def authorities(locale: str) -> list[LocalAuthority]:
    return in_order(db.session.scalars(select(LocalAuthority)), lambda a: a.name(locale), locale)


def authority(authority_id: int) -> LocalAuthority | None:
    return db.session.get(LocalAuthority, authority_id)


def authority_names() -> dict[str, str]:
    """Every authority's English and Welsh name, lowered, with its code (and its code too)."""
    names: dict[str, str] = {}
    for found in db.session.scalars(select(LocalAuthority)):
        for name in (found.code, found.name_en, found.name_cy):
            names[name.lower()] = found.code
    return names


def authority_ids() -> dict[str, int]:
    return {
        code: id_
        for code, id_ in db.session.execute(select(LocalAuthority.code, LocalAuthority.id))
    }


# --- Schools --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    school: School
    cluster: Cluster | None
    state: PlanState
    lead: str | None


@dataclass(frozen=True)
class SchoolSearch:
    rows: list[SchoolRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _plan_state(academic_year: int) -> Any:
    """A CASE over the school's plan for the year: not started, in progress or submitted."""
    from sqlalchemy import case

    plan = select(Plan.id).where(Plan.school_id == School.id, Plan.academic_year == academic_year)
    submitted = plan.where(Plan.status == PlanStatus.SUBMITTED.value)
    answered = (
        select(Plan.id)
        .join(PlanAnswer, PlanAnswer.plan_id == Plan.id)
        .where(Plan.school_id == School.id, Plan.academic_year == academic_year)
    )
    return case(
        (exists(submitted.correlate(School)), PlanState.SUBMITTED.value),
        (exists(answered.correlate(School)), PlanState.IN_PROGRESS.value),
        else_=PlanState.NOT_STARTED.value,
    )


def search_schools(
    *,
    academic_year: int,
    authority_id: int | None,
    words: str = "",
    cluster_id: int | None = None,
    state: PlanState | None = None,
    open_state: OpenState | None = OpenState.OPEN,
    page: int = 1,
    per_page: int = PER_PAGE,
    locale: str = "en",
) -> SchoolSearch:
    """One page of the schools that match, in the alphabetical order of their names in
    `locale` (ICU's: Welsh order on a Welsh page, wizard/domain/collation.py), with their
    cluster, this year's plan's state and their lead (two queries: every match's id and names,
    put in order here, then the page's rows)."""
    plan_state = _plan_state(academic_year).label("state")
    lead = (
        select(User.name)
        .where(User.school_id == School.id, User.is_school_lead.is_(True))
        .correlate(School)
        .limit(1)
        .scalar_subquery()
        .label("lead")
    )
    where: list[Any] = []
    if authority_id is not None:
        where.append(School.local_authority_id == authority_id)
    if words:
        pattern = f"%{words.lower()}%"
        where.append(
            or_(
                func.lower(School.name_en).like(pattern),
                func.lower(func.coalesce(School.name_cy, "")).like(pattern),
                School.school_number.like(f"{words}%"),
            )
        )
    if cluster_id is not None:
        where.append(School.cluster_id == cluster_id)
    if open_state is OpenState.OPEN:
        where.append(School.closed_on.is_(None))
    elif open_state is OpenState.CLOSED:
        where.append(School.closed_on.is_not(None))
    if state is not None:
        where.append(_plan_state(academic_year) == state.value)
    names = in_order(
        db.session.execute(
            select(School.id, School.name_en, School.name_cy).where(*where).order_by(School.id)
        ).all(),
        lambda row: (row.name_cy or row.name_en) if locale == "cy" else row.name_en,
        locale,
    )
    total = len(names)
    page = max(1, min(page, max(1, -(-total // per_page))))
    ids = [row.id for row in names[(page - 1) * per_page : page * per_page]]
    place = {school_id: index for index, school_id in enumerate(ids)}
    found = sorted(
        db.session.execute(
            select(School, Cluster, plan_state, lead)
            .outerjoin(Cluster, Cluster.id == School.cluster_id)
            .where(School.id.in_(ids))
        ).all(),
        key=lambda row: place[row[0].id],
    )
    rows = [SchoolRow(school, cluster, PlanState(st), name) for school, cluster, st, name in found]
    return SchoolSearch(rows, total, page, per_page)


def school(school_id: int) -> School | None:
    return db.session.scalar(
        select(School)
        .where(School.id == school_id)
        .options(selectinload(School.cluster), selectinload(School.local_authority))
    )


@dataclass(frozen=True)
class SchoolPeople:
    members: list[User]
    invitations: list[Invitation]
    requests: list[JoinRequest]

    @property
    def lead(self) -> User | None:
        return next((user for user in self.members if user.is_school_lead), None)


def people_of(school_id: int) -> SchoolPeople:
    members = list(
        db.session.scalars(select(User).where(User.school_id == school_id).order_by(User.name))
    )
    invitations = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.school_id == school_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at >= utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )
    requests = list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.school_id == school_id, JoinRequest.outcome.is_(None))
            .order_by(JoinRequest.created_at)
        )
    )
    return SchoolPeople(members, invitations, requests)


def member(school_id: int, user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.school_id == school_id else None


def make_lead(admin: User, found: School, user: User) -> None:
    """The member becomes the school's lead; whoever led it before becomes a member."""
    before = [
        other
        for other in db.session.scalars(
            select(User).where(User.school_id == found.id, User.is_school_lead.is_(True))
        )
        if other.id != user.id
    ]
    for other in before:
        other.is_school_lead = False
    user.is_school_lead = True
    record(
        AuditAction.LEAD_ASSIGNED,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        school=found.school_number,
        account=user.id,
        name=user.name,
        before=[other.name for other in before],
    )
    db.session.commit()


def open_invitation_to(school_id: int, email: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(
            Invitation.school_id == school_id,
            Invitation.email == normalise_email(email),
            Invitation.accepted_at.is_(None),
            Invitation.expires_at >= utcnow(),
        )
    )


def invite_lead(
    admin: User,
    found: School,
    email: str,
    name: str,
    locale: str,
    days: int,
    mail: Any,
) -> str:
    """An invitation whose account becomes the school's lead; the email in the same
    transaction. Returns the token of its link."""
    token, digest = new_token()
    db.session.add(
        Invitation(
            email=normalise_email(email),
            name=name,
            school_id=found.id,
            invited_by_id=admin.id,
            token_hash=digest,
            locale=locale,
            expires_at=utcnow() + timedelta(days=days),
            as_lead=True,
        )
    )
    record(
        AuditAction.LEAD_INVITED,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        school=found.school_number,
        email=normalise_email(email),
        name=name,
    )
    stage(f"invitation:{digest}", mail(token))
    db.session.commit()
    return token


def lead_by_existing_account(admin: User, found: School, user: User) -> None:
    """An account at no school (or at this one) joins the school as its lead."""
    user.school_id = found.id
    db.session.flush()
    make_lead(admin, found, user)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def move_school(admin: User, found: School, cluster: Cluster | None) -> None:
    before = found.cluster
    found.cluster_id = cluster.id if cluster else None
    record(
        AuditAction.SCHOOL_MOVED_CLUSTER,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        school=found.school_number,
        name=found.name_en,
        before=before.name_en if before else None,
        before_cy=before.name_cy if before else None,
        after=cluster.name_en if cluster else None,
        after_cy=cluster.name_cy if cluster else None,
    )
    db.session.commit()


def _leave_cluster_on_moving(found: School, user_id: int | None) -> None:
    if found.cluster_id is None:
        return
    with db.session.no_autoflush:  # new schools of the same list are not complete yet
        before = db.session.get(Cluster, found.cluster_id)
    if before is None:
        return
    record(
        AuditAction.SCHOOL_MOVED_CLUSTER,
        user_id=user_id,
        local_authority_id=found.local_authority_id,
        school=found.school_number,
        name=found.name_en,
        before=before.name_en,
        before_cy=before.name_cy,
        after=None,
        after_cy=None,
    )
    found.cluster_id = None


def set_language_category(admin: User, found: School, category: str | None) -> None:
    before = found.language_category
    found.language_category = category
    record(
        AuditAction.SCHOOL_CATEGORY_SET,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        school=found.school_number,
        name=found.name_en,
        before=before,
        after=category,
    )
    db.session.commit()


# --- Clusters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterRow:
    cluster: Cluster
    schools: int
    coordinators: list[User]


def clusters_in(authority_id: int | None, locale: str) -> list[ClusterRow]:
    """The clusters (of one authority, or all), with their number of open schools and their
    coordinators (three queries)."""
    query = select(Cluster).options(selectinload(Cluster.local_authority))
    if authority_id is not None:
        query = query.where(Cluster.local_authority_id == authority_id)
    found = in_order(
        db.session.scalars(query),
        lambda c: (c.name_cy or c.name_en) if locale == "cy" else c.name_en,
        locale,
    )
    ids = [c.id for c in found]
    counts: dict[int, int] = {
        cluster_id: count
        for cluster_id, count in db.session.execute(
            select(School.cluster_id, func.count(School.id))
            .where(School.cluster_id.in_(ids), School.closed_on.is_(None))
            .group_by(School.cluster_id)
        )
        if cluster_id is not None
    }
    coordinators: dict[int, list[User]] = {}
    for user, cluster_id in db.session.execute(
        select(User, coordinator_cluster.c.cluster_id)
        .join(coordinator_cluster, coordinator_cluster.c.user_id == User.id)
        .where(coordinator_cluster.c.cluster_id.in_(ids))
        .order_by(User.name)
    ):
        coordinators.setdefault(cluster_id, []).append(user)
    return [ClusterRow(c, counts.get(c.id, 0), coordinators.get(c.id, [])) for c in found]


def cluster(cluster_id: int) -> Cluster | None:
    return db.session.scalar(
        select(Cluster)
        .where(Cluster.id == cluster_id)
        .options(selectinload(Cluster.local_authority), selectinload(Cluster.schools))
    )


def cluster_named(authority_id: int, name_en: str) -> Cluster | None:
    return db.session.scalar(
        select(Cluster).where(
            Cluster.local_authority_id == authority_id,
            func.lower(Cluster.name_en) == name_en.strip().lower(),
        )
    )


def coordinators_of(cluster_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(coordinator_cluster, coordinator_cluster.c.user_id == User.id)
            .where(coordinator_cluster.c.cluster_id == cluster_id)
            .order_by(User.name)
        )
    )


def create_cluster(admin: User, authority_id: int, name_en: str, name_cy: str | None) -> Cluster:
    made = Cluster(name_en=name_en, name_cy=name_cy, local_authority_id=authority_id)
    db.session.add(made)
    db.session.flush()
    record(
        AuditAction.CLUSTER_CREATED,
        user_id=admin.id,
        local_authority_id=authority_id,
        cluster=made.id,
        name_en=name_en,
        name_cy=name_cy,
    )
    db.session.commit()
    return made


def rename_cluster(admin: User, found: Cluster, name_en: str, name_cy: str | None) -> None:
    before = (found.name_en, found.name_cy)
    found.name_en, found.name_cy = name_en, name_cy
    record(
        AuditAction.CLUSTER_RENAMED,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        cluster=found.id,
        before_en=before[0],
        before_cy=before[1],
        name_en=name_en,
        name_cy=name_cy,
    )
    db.session.commit()


def add_coordinator(admin: User, found: Cluster, user: User) -> None:
    db.session.execute(coordinator_cluster.insert().values(user_id=user.id, cluster_id=found.id))
    _record_coordinator(AuditAction.COORDINATOR_ADDED, admin, found, user)
    db.session.commit()


def _record_coordinator(action: AuditAction, admin: User, found: Cluster, user: User) -> None:
    record(
        action,
        user_id=admin.id,
        local_authority_id=found.local_authority_id,
        cluster=found.name_en,
        account=user.id,
        name=user.name,
    )


def add_new_coordinator(
    admin: User, found: Cluster, email: str, name: str, locale: str, mail: Any
) -> User:
    """An account with no password and no school for a new coordinator of the cluster, and the
    email with a one-time link to choose a password (`mail(user)(token)`), in one
    transaction."""
    user = User(email=normalise_email(email), name=name, locale=locale)
    db.session.add(user)
    db.session.flush()
    token = create_password_reset(user)
    stage(f"coordinator-account:{token_hash(token)}", mail(user)(token))
    add_coordinator(admin, found, user)
    return user


def remove_coordinator(admin: User, found: Cluster, user: User) -> bool:
    done = db.session.execute(
        delete(coordinator_cluster).where(
            coordinator_cluster.c.user_id == user.id,
            coordinator_cluster.c.cluster_id == found.id,
        )
    )
    if not getattr(done, "rowcount", 0):
        db.session.rollback()
        return False
    _record_coordinator(AuditAction.COORDINATOR_REMOVED, admin, found, user)
    db.session.commit()
    return True


def user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


# --- Requests to join schools that have no lead ---------------------------------------------


def requests_without_lead(authority_id: int | None) -> list[JoinRequest]:
    """Open requests to join schools (of one authority, or any) that have no lead to decide."""
    has_lead = exists().where(
        and_(User.school_id == JoinRequest.school_id, User.is_school_lead.is_(True))
    )
    query = (
        select(JoinRequest)
        .join(School, School.id == JoinRequest.school_id)
        .where(JoinRequest.outcome.is_(None), ~has_lead)
        .options(selectinload(JoinRequest.school))
        .order_by(JoinRequest.created_at)
    )
    if authority_id is not None:
        query = query.where(School.local_authority_id == authority_id)
    return list(db.session.scalars(query))


def decline_request(admin: User, join: JoinRequest, authority_id: int) -> None:
    join.outcome, join.decided_at, join.decided_by_id = "declined", utcnow(), admin.id
    record(
        AuditAction.JOIN_DECLINED_BY_ADMIN,
        user_id=admin.id,
        local_authority_id=authority_id,
        request=join.id,
        name=join.name,
    )
    db.session.commit()


def join_request(request_id: int) -> JoinRequest | None:
    found = db.session.get(JoinRequest, request_id)
    return found if found is not None and found.outcome is None else None


# --- History --------------------------------------------------------------------------------

DIRECTORY_ACTIONS = (
    AuditAction.LEAD_ASSIGNED,
    AuditAction.LEAD_INVITED,
    AuditAction.SCHOOL_MOVED_CLUSTER,
    AuditAction.SCHOOL_CATEGORY_SET,
    AuditAction.CLUSTER_CREATED,
    AuditAction.CLUSTER_RENAMED,
    AuditAction.COORDINATOR_ADDED,
    AuditAction.COORDINATOR_REMOVED,
    AuditAction.SCHOOLS_IMPORTED,
    AuditAction.CLUSTERS_IMPORTED,
    AuditAction.JOIN_DECLINED_BY_ADMIN,
)


@dataclass(frozen=True)
class DirectoryEvent:
    action: AuditAction
    at: datetime
    user_name: str | None
    authority_id: int | None
    detail: dict[str, Any]


def history(
    authority_id: int | None, page: int, per_page: int = PER_PAGE
) -> tuple[list[DirectoryEvent], int]:
    """The directory's changes (of one authority, or all), newest first: one page, and how
    many there are (two queries)."""
    where: list[Any] = [AuditEvent.action.in_([a.value for a in DIRECTORY_ACTIONS])]
    if authority_id is not None:
        where.append(AuditEvent.local_authority_id == authority_id)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(*where)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    events = [
        DirectoryEvent(
            AuditAction(event.action),
            event.created_at,
            name,
            event.local_authority_id,
            dict(event.detail or {}),
        )
        for event, name in rows
    ]
    return events, total


# --- Uploads waiting for their preview to be applied ----------------------------------------


def keep_upload(
    user_id: int,
    kind: str,
    authority_id: int | None,
    filename: str,
    content: bytes,
    welsh_names: bytes | None,
) -> str:
    """Keep an upload for its preview; return the token for its URL. Older uploads go."""
    db.session.execute(
        delete(PendingImport).where(
            PendingImport.created_at < utcnow() - timedelta(hours=PENDING_HOURS)
        )
    )
    token, digest = new_token()
    db.session.add(
        PendingImport(
            token_hash=digest,
            user_id=user_id,
            kind=kind,
            local_authority_id=authority_id,
            filename=filename[:200],
            content=content,
            welsh_names=welsh_names,
        )
    )
    db.session.commit()
    return token


def upload(token: str, user_id: int, kind: str) -> PendingImport | None:
    if not token or len(token) > 100:
        return None
    found = db.session.scalar(
        select(PendingImport).where(PendingImport.token_hash == token_hash(token))
    )
    if (
        found is None
        or found.user_id != user_id
        or found.kind != kind
        or found.created_at < utcnow() - timedelta(hours=PENDING_HOURS)
    ):
        return None
    return found


IMPORTED = {"schools": AuditAction.SCHOOLS_IMPORTED, "clusters": AuditAction.CLUSTERS_IMPORTED}


def upload_applied(token: str, user_id: int, kind: str) -> bool:
    """Whether the administrator has applied this upload already (its pending row is then
    gone; the import's audit event keeps the hash of its token). A few rows: their imports."""
    if not token or len(token) > 100 or kind not in IMPORTED:
        return False
    digest = token_hash(token)
    return any(
        (detail or {}).get("upload") == digest
        for detail in db.session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.user_id == user_id, AuditEvent.action == IMPORTED[kind].value)
            .order_by(AuditEvent.id.desc())
            .limit(200)
        )
    )


@contextmanager
def _applying(pending: PendingImport | None) -> Iterator[None]:
    """An import's apply: one transaction (any failure: nothing is kept), which then forgets
    the upload behind its preview (its audit event keeps the token's hash, see
    upload_applied)."""
    try:
        yield
        if pending is not None:
            db.session.delete(pending)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def existing_schools() -> list[Existing]:
    codes = {id_: code for code, id_ in authority_ids().items()}
    return [
        Existing(number, name_en, name_cy, codes[authority_id], closed is not None)
        for number, name_en, name_cy, authority_id, closed in db.session.execute(
            select(
                School.school_number,
                School.name_en,
                School.name_cy,
                School.local_authority_id,
                School.closed_on,
            )
        )
    ]


def apply_school_list(
    user_id: int | None,
    filename: str,
    listed: SchoolList,
    changes: Changes,
    authority_code: str | None,
    today: date,
    pending: PendingImport | None = None,
) -> None:
    """Apply the list's changes in one transaction (any failure: nothing is kept); the upload
    is then forgotten. A local authority administrator's apply touches only the schools that
    `changes` (computed for their authority) names, and the details of the schools listed in
    their authority."""
    ids = authority_ids()
    schools = {s.school_number: s for s in db.session.scalars(select(School))}
    added = {new.number for new in changes.new}
    with _applying(pending):
        for new in changes.new:
            school = School(school_number=new.number, name_en=new.name_en)
            db.session.add(school)
            schools[new.number] = school
        for number, found in schools.items():
            item = listed.schools.get(number)
            in_scope = (
                authority_code is None
                or number in added
                or found.local_authority_id == ids.get(authority_code)
            )
            if item is not None and in_scope:
                _update_listed(
                    found, item, ids[item.authority], listed.welsh_names.get(number), user_id
                )
        for gone in changes.closed:
            schools[gone.number].closed_on = today
        _record_school_list(user_id, filename, changes, ids.get(authority_code or ""), pending)


def _update_listed(
    found: School, item: Listed, authority_id: int, welsh_name: str | None, user_id: int | None
) -> None:
    """A school as the published list gives it (open again if it was closed)."""
    found.name_en = item.name_en
    if found.local_authority_id not in (None, authority_id):
        # A school that moves authority leaves its old authority's cluster, so that that
        # cluster's coordinators stop reading its plans.
        _leave_cluster_on_moving(found, user_id)
    found.local_authority_id = authority_id
    found.sector = item.sector
    found.welsh_medium_type = item.medium_type
    found.language_medium = medium_of(item.medium_type)
    if item.category is not None:
        found.language_category = item.category
    found.closed_on = None
    if welsh_name:
        found.name_cy = welsh_name


def _record_school_list(
    user_id: int | None,
    filename: str,
    changes: Changes,
    authority_id: int | None,
    pending: PendingImport | None,
) -> None:
    record(
        AuditAction.SCHOOLS_IMPORTED,
        user_id=user_id,
        local_authority_id=authority_id,
        file=filename,
        new=len(changes.new),
        renamed=len(changes.renamed),
        moved=len(changes.moved),
        closed=len(changes.closed),
        reopened=len(changes.reopened),
        welsh_named=len(changes.welsh_named),
        moved_numbers=[m.number for m in changes.moved][:500],
        closed_numbers=[c.number for c in changes.closed][:500],
        upload=pending.token_hash if pending is not None else None,
    )


@dataclass(frozen=True)
class ClusterAssignment:
    school: School
    before: Cluster | None
    name_en: str
    name_cy: str | None


NUMBERS_PER_QUERY = 1_000
"""PostgreSQL takes at most 65,535 parameters in a statement: numbers are asked in batches."""


def schools_by_number(numbers: Sequence[str]) -> dict[str, School]:
    wanted = sorted(set(numbers))
    found: dict[str, School] = {}
    for start in range(0, len(wanted), NUMBERS_PER_QUERY):
        batch = wanted[start : start + NUMBERS_PER_QUERY]
        found.update(
            (s.school_number, s)
            for s in db.session.scalars(
                select(School)
                .where(School.school_number.in_(batch))
                .options(selectinload(School.cluster))
            )
        )
    return found


def clusters_by_name(authority_id: int) -> dict[str, Cluster]:
    return {
        c.name_en.lower(): c
        for c in db.session.scalars(
            select(Cluster).where(Cluster.local_authority_id == authority_id)
        )
    }


def apply_clusters(
    user_id: int | None,
    filename: str,
    authority_id: int,
    assignments: Sequence[ClusterAssignment],
    pending: PendingImport | None = None,
) -> None:
    """Make the clusters named that do not exist yet, give them their Welsh names, and move
    each school into its cluster: one transaction, then the upload is forgotten."""
    made = clusters_by_name(authority_id)
    created = moved = 0
    with _applying(pending):
        for item in assignments:
            key = item.name_en.lower()
            target = made.get(key)
            if target is None:
                target = made[key] = Cluster(
                    name_en=item.name_en, name_cy=item.name_cy, local_authority_id=authority_id
                )
                db.session.add(target)
                db.session.flush()
                created += 1
            elif item.name_cy and target.name_cy != item.name_cy:
                target.name_cy = item.name_cy
            if item.school.cluster_id != target.id:
                record(
                    AuditAction.SCHOOL_MOVED_CLUSTER,
                    user_id=user_id,
                    local_authority_id=authority_id,
                    school=item.school.school_number,
                    name=item.school.name_en,
                    before=item.before.name_en if item.before else None,
                    before_cy=item.before.name_cy if item.before else None,
                    after=target.name_en,
                    after_cy=target.name_cy,
                )
                item.school.cluster_id = target.id
                moved += 1
        record(
            AuditAction.CLUSTERS_IMPORTED,
            user_id=user_id,
            local_authority_id=authority_id,
            file=filename,
            created=created,
            moved=moved,
            upload=pending.token_hash if pending is not None else None,
        )
