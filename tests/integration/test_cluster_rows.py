"""The schools of a cluster with their plans' dashboard status, in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from tests.conftest import Directory
from wizard.data.clusters import school_plan_rows
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanVersion
from wizard.domain.academic_year import academic_year_of
from wizard.domain.review import dashboard_status
from wizard.domain.values import DashboardStatus, PlanStatus, ReviewStatus

THIS = academic_year_of(date.today())


@pytest.mark.parametrize(
    ("plan_status", "review", "answered", "expected"),
    [
        (None, None, False, DashboardStatus.NOT_STARTED),
        (PlanStatus.DRAFT, None, False, DashboardStatus.NOT_STARTED),
        (PlanStatus.DRAFT, None, True, DashboardStatus.IN_PROGRESS),
        (PlanStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED, True, DashboardStatus.IN_PROGRESS),
        (PlanStatus.SUBMITTED, None, True, DashboardStatus.SUBMITTED),
        (PlanStatus.SUBMITTED, ReviewStatus.REVIEWED, True, DashboardStatus.REVIEWED),
        (
            PlanStatus.SUBMITTED,
            ReviewStatus.CHANGES_REQUESTED,
            True,
            DashboardStatus.CHANGES_REQUESTED,
        ),
    ],
)
def test_dashboard_status(
    plan_status: str | None, review: str | None, answered: bool, expected: DashboardStatus
) -> None:
    assert dashboard_status(plan_status, review, has_answers=answered) == expected


def fill(directory: Directory, cluster_name: str, count: int) -> int:
    cluster = directory.cluster(cluster_name)
    for number in range(count):
        school = directory.school(name_en=f"School {number:03d}", cluster=cluster)
        if number % 3 == 0:
            continue
        plan = Plan(school_id=school.id, academic_year=THIS, status=PlanStatus.DRAFT)
        db.session.add(plan)
        db.session.flush()
        db.session.add(PlanAnswer(plan_id=plan.id, step="about-your-school", data={}))
        if number % 3 == 2:
            plan.status = PlanStatus.SUBMITTED
            db.session.add(PlanVersion(plan_id=plan.id, number=1, snapshot={}))
    db.session.commit()
    return cluster.id


def test_rows_cost_the_same_queries_for_5_and_50_schools(
    app: Flask, directory: Directory, count_queries: object
) -> None:
    small, large = fill(directory, "Small", 5), fill(directory, "Large", 50)
    counts = []
    for cluster_id, size in ((small, 5), (large, 50)):
        db.session.expunge_all()
        with count_queries() as counted:  # type: ignore[operator]
            rows = school_plan_rows(cluster_id, THIS, "en")
        assert len(rows) == size
        counts.append(counted.total)
    assert counts[0] == counts[1] == 2  # the schools; their plans with their latest versions
    statuses = [row.status for row in school_plan_rows(small, THIS, "en")]
    assert statuses == [
        DashboardStatus.NOT_STARTED,
        DashboardStatus.IN_PROGRESS,
        DashboardStatus.SUBMITTED,
        DashboardStatus.NOT_STARTED,
        DashboardStatus.IN_PROGRESS,
    ]
