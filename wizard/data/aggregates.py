"""Aggregates over the reporting facts of each school's latest submitted version: GROUP BY
queries, so their number does not grow with the number of schools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, exists, func, literal, select

from wizard.data.database import db
from wizard.data.models import (
    Cluster,
    FactFunding,
    FactPlacement,
    FactRating,
    LocalAuthority,
    Plan,
    PlanAnswer,
    PlanVersion,
    School,
)
from wizard.domain.aggregates import OWN_CARDS
from wizard.domain.collation import in_order
from wizard.domain.review import dashboard_status
from wizard.domain.values import DashboardStatus


@dataclass(frozen=True)
class Scope:
    """Which facts to count: one academic year, and one cluster, one local authority or all
    of Wales."""

    academic_year: int
    cluster_id: int | None = None
    local_authority_id: int | None = None

    def where(self, model: Any) -> list[Any]:
        conditions = [model.academic_year == self.academic_year, model.latest.is_(True)]
        if self.cluster_id is not None:
            conditions.append(model.cluster_id == self.cluster_id)
        if self.local_authority_id is not None:
            conditions.append(model.local_authority_id == self.local_authority_id)
        return conditions


def placement_counts_query(scope: Scope) -> Select[Any]:
    card = case(
        (FactPlacement.card_key.like("own:%"), literal(OWN_CARDS)), else_=FactPlacement.card_key
    ).label("card")
    return (
        select(card, FactPlacement.row, func.count())
        .where(*scope.where(FactPlacement))
        .group_by(card, FactPlacement.row)
    )


def placement_counts(scope: Scope) -> list[tuple[str, int, int]]:
    """(card, row, number of schools) for every card placed; the schools' own cards count
    together as one card, OWN_CARDS."""
    query = placement_counts_query(scope)
    return [(str(key), int(row), int(count)) for key, row, count in db.session.execute(query)]


def rating_counts_query(scope: Scope) -> Select[Any]:
    return (
        select(FactRating.hallmark, FactRating.rating, func.count())
        .where(*scope.where(FactRating))
        .group_by(FactRating.hallmark, FactRating.rating)
    )


def rating_counts(scope: Scope) -> list[tuple[int, str, int]]:
    """(hallmark, rating, number of schools)."""
    query = rating_counts_query(scope)
    return [(int(h), str(r), int(n)) for h, r, n in db.session.execute(query)]


def funding_by_purpose_query(scope: Scope) -> Select[Any]:
    return (
        select(FactFunding.purpose, func.sum(FactFunding.amount_pence))
        .where(*scope.where(FactFunding))
        .group_by(FactFunding.purpose)
    )


def funding_by_purpose(scope: Scope) -> list[tuple[str, int]]:
    """(purpose, pence planned)."""
    query = funding_by_purpose_query(scope)
    return [(str(purpose), int(pence or 0)) for purpose, pence in db.session.execute(query)]


def funding_by_school_query(scope: Scope) -> Select[Any]:
    return (
        select(School.name_en, School.name_cy, func.sum(FactFunding.amount_pence))
        .join(School, School.id == FactFunding.school_id)
        .where(*scope.where(FactFunding))
        .group_by(School.id, School.name_en, School.name_cy)
    )


def funding_by_school(scope: Scope) -> list[tuple[str, str | None, int]]:
    """(school name in English, in Welsh, pence planned), in one query."""
    query = funding_by_school_query(scope)
    return [(str(en), cy, int(pence or 0)) for en, cy, pence in db.session.execute(query)]


def status_counts(academic_year: int, local_authority_id: int | None = None) -> dict[str, int]:
    """The number of schools by dashboard status, in one GROUP BY query over schools, their
    plans for the year and each plan's latest submitted version."""
    return status_counts_by(academic_year, "all", local_authority_id).get(0) or {
        status.value: 0 for status in DashboardStatus
    }


def status_counts_by(
    academic_year: int, by: str, local_authority_id: int | None = None
) -> dict[int, dict[str, int]]:
    """The number of schools by dashboard status for each local authority (`by`
    "authority"), each cluster ("cluster"; schools in none are left out) or all together
    ("all", as 0), in one GROUP BY query."""
    # The review status of each plan's latest submitted version, looked up per plan through the
    # unique (plan_id, number) index. (A join to a grouped subquery of the newest versions was
    # not pushed down by SQLite: every school scanned every version, 600 ms for Wales.)
    latest_review = (
        select(PlanVersion.review_status)
        .where(PlanVersion.plan_id == Plan.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
        .correlate(Plan)
        .scalar_subquery()
    )
    answered = exists().where(PlanAnswer.plan_id == Plan.id)
    group = {
        "authority": School.local_authority_id,
        "cluster": School.cluster_id,
        "all": literal(0),
    }[by]
    per_school = (
        select(
            group.label("group_id"),
            Plan.status.label("status"),
            latest_review.label("review"),
            case((answered, 1), else_=0).label("answered"),
        )
        .select_from(School)
        .outerjoin(Plan, (Plan.school_id == School.id) & (Plan.academic_year == academic_year))
    )
    if local_authority_id is not None:
        per_school = per_school.where(School.local_authority_id == local_authority_id)
    if by == "cluster":
        per_school = per_school.where(School.cluster_id.is_not(None))
    rows = per_school.subquery()
    query = select(
        rows.c.group_id, rows.c.status, rows.c.review, rows.c.answered, func.count()
    ).group_by(rows.c.group_id, rows.c.status, rows.c.review, rows.c.answered)
    found: dict[int, dict[str, int]] = {}
    for group_id, plan_status, review, has_answers, count in db.session.execute(query):
        counts = found.setdefault(int(group_id), {status.value: 0 for status in DashboardStatus})
        status = dashboard_status(plan_status, review, has_answers=bool(has_answers))
        counts[status.value] += int(count)
    return found


def clusters_of_authority(local_authority_id: int, locale: str) -> list[Cluster]:
    """The authority's clusters, in the alphabetical order of their names in `locale`."""
    found = db.session.scalars(
        select(Cluster).where(Cluster.local_authority_id == local_authority_id)
    )
    return in_order(found, lambda cluster: cluster_name(cluster, locale), locale)


def cluster_name(cluster: Cluster, locale: str) -> str:
    return (cluster.name_cy or cluster.name_en) if locale == "cy" else cluster.name_en


def local_authorities(locale: str) -> list[LocalAuthority]:
    """The local authorities of Wales, for the national view's filter, in the alphabetical
    order of their names in `locale` (Welsh order on a Welsh page)."""
    found = db.session.scalars(select(LocalAuthority))
    return in_order(found, lambda authority: authority.name(locale), locale)


def authority_by_code(code: str) -> LocalAuthority | None:
    return db.session.scalar(select(LocalAuthority).where(LocalAuthority.code == code))


def cluster_of_authority(code: str, cluster_id: int) -> Cluster | None:
    """The cluster, if it is one of the authority's (by the authority's code)."""
    return db.session.scalar(
        select(Cluster)
        .join(LocalAuthority, LocalAuthority.id == Cluster.local_authority_id)
        .where(Cluster.id == cluster_id, LocalAuthority.code == code)
    )
