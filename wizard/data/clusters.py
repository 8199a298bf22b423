"""Clusters and their schools' plans, for coordinators: a constant number of queries however
many schools a cluster has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import defer, joinedload

from wizard.data.database import db
from wizard.data.models import Cluster, Plan, PlanAnswer, PlanVersion, School, coordinator_cluster
from wizard.domain.collation import in_order
from wizard.domain.review import dashboard_status
from wizard.domain.values import DashboardStatus


@dataclass(frozen=True)
class SchoolPlanRow:
    """One school on a cluster's dashboard."""

    school: School
    plan: Plan | None
    latest_version: PlanVersion | None
    status: DashboardStatus


def cluster_of_coordinator(
    user_id: int, cluster_id: int, *, with_authority: bool = False
) -> Cluster | None:
    """The cluster, if the user coordinates it (`with_authority`: with its local authority,
    in the same statement)."""
    query = (
        select(Cluster)
        .join(coordinator_cluster, coordinator_cluster.c.cluster_id == Cluster.id)
        .where(Cluster.id == cluster_id, coordinator_cluster.c.user_id == user_id)
    )
    if with_authority:
        query = query.options(joinedload(Cluster.local_authority))
    return db.session.scalar(query)


def cluster_by_id(cluster_id: int) -> Cluster | None:
    """Any cluster (for national administrators, who may see every one)."""
    return db.session.get(Cluster, cluster_id)


def school_name(school: School, locale: str) -> str:
    """The school's name in `locale` (its English name where it has no Welsh one)."""
    return (school.name_cy or school.name_en) if locale == "cy" else school.name_en


def school_plan_rows(
    cluster_id: int, academic_year: int, locale: str, *, snapshots: bool = True
) -> list[SchoolPlanRow]:
    """Every school of the cluster with its plan for the year, the plan's latest submitted
    version and its dashboard status, in two queries; in the alphabetical order of the
    schools' names in `locale`. `snapshots=False`: the versions without their snapshots (the
    largest column, which the dashboard never reads; reading one then raises)."""
    schools = in_order(
        db.session.scalars(select(School).where(School.cluster_id == cluster_id)),
        lambda school: school_name(school, locale),
        locale,
    )
    ids = [school.id for school in schools]
    if not ids:
        return []
    has_answers = exists().where(PlanAnswer.plan_id == Plan.id)
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.school_id.in_(ids), Plan.academic_year == academic_year)
        .group_by(PlanVersion.plan_id)
        .subquery()
    )
    # Each plan with whether it has answers and its latest submitted version (if any), in one
    # statement.
    query = (
        select(Plan, has_answers, PlanVersion)
        .outerjoin(newest, newest.c.plan_id == Plan.id)
        .outerjoin(
            PlanVersion,
            (PlanVersion.plan_id == newest.c.plan_id) & (PlanVersion.number == newest.c.number),
        )
        .where(Plan.school_id.in_(ids), Plan.academic_year == academic_year)
    )
    if not snapshots:
        query = query.options(defer(PlanVersion.snapshot, raiseload=True))
    plans = {
        plan.school_id: (plan, bool(answered), version)
        for plan, answered, version in db.session.execute(query)
    }
    rows = []
    for school in schools:
        plan, answered, version = plans.get(school.id, (None, False, None))
        status = dashboard_status(
            plan.status if plan else None,
            version.review_status if version else None,
            has_answers=answered,
        )
        rows.append(SchoolPlanRow(school, plan, version, status))
    return rows
