"""Reporting facts are written at submission, in the submit transaction."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Directory, sign_in
from tests.plans import NINE, revision, write_plan
from wizard.data import versions
from wizard.data.database import db
from wizard.data.models import FactFunding, FactPlacement, FactRating, Plan, PlanVersion, User
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.domain.journey import JOURNEY
from wizard.domain.values import PlanStatus

THIS = academic_year_of(date.today())
SLUG = year_slug(THIS)


def count(model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query) or 0


@pytest.fixture
def lead_in_cluster(app: Flask, directory: Directory, client: FlaskClient) -> User:
    cluster = directory.cluster("Gower")
    school = directory.school(cluster=cluster)
    user = directory.user(email="lead@school.example", school=school, lead=True)
    sign_in(client, user.email)
    write_plan(client, SLUG)
    return user


def test_submitting_writes_one_fact_per_rating_placement_and_funding_line(
    client: FlaskClient, lead_in_cluster: User
) -> None:
    assert count(FactRating) == 0
    assert client.post(f"/en/plan/{SLUG}/submit").status_code == 302
    school = lead_in_cluster.school
    assert school is not None
    ratings = list(db.session.scalars(select(FactRating).order_by(FactRating.hallmark)))
    assert [(f.hallmark, f.rating) for f in ratings] == [(n, "developing") for n in range(1, 9)]
    placements = list(db.session.scalars(select(FactPlacement)))
    assert sorted((f.card_key, f.row) for f in placements) == sorted(
        zip(NINE, [1, 2, 2, 3, 3, 3, 4, 4, 5], strict=True)
    )
    (line,) = db.session.scalars(select(FactFunding))
    assert (line.purpose, line.priority, line.amount_pence) == (
        "release-and-cover",
        "card:pedagogy",
        60000,
    )
    for fact in [*ratings, *placements, line]:
        assert fact.school_id == school.id
        assert fact.cluster_id == school.cluster_id
        assert fact.local_authority_id == school.local_authority_id
        assert (fact.academic_year, fact.version_number, fact.latest) == (THIS, 1, True)


def test_resubmitting_keeps_only_the_latest_version_counted(
    client: FlaskClient, lead_in_cluster: User
) -> None:
    client.post(f"/en/plan/{SLUG}/submit")
    plan = db.session.scalars(select(Plan)).one()
    assert versions.reopen(plan, lead_in_cluster)
    # Reopening removes nothing: the submitted version 1 is still the one counted.
    assert count(FactRating, latest=True, version_number=1) == 8
    # The new version asks again whether each section is complete.
    for task in JOURNEY.tasks:
        if task.confirm_completion:
            url = f"/en/plan/{SLUG}/{task.key}/check"
            client.post(url, data={"revision": revision(client, url), "completed": "yes"})
    assert client.post(f"/en/plan/{SLUG}/submit").status_code == 302
    assert count(FactRating, latest=True) == 8
    assert count(FactRating, latest=True, version_number=2) == 8
    assert count(FactRating, latest=False, version_number=1) == 8
    assert count(FactPlacement, latest=True, version_number=2) == 9
    assert count(FactPlacement, latest=False) == 9
    assert count(FactFunding, latest=False) == 1


def test_facts_roll_back_with_a_failed_submission(
    client: FlaskClient, lead_in_cluster: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = db.session.scalars(select(Plan)).one()
    school = lead_in_cluster.school
    assert school is not None

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is down")

    # The audit record comes after the facts, before the commit.
    monkeypatch.setattr(versions, "record", fail)
    with pytest.raises(RuntimeError):
        versions.submit(plan, school, lead_in_cluster)
    # The facts were written in the submit transaction, and go with it.
    assert sum(isinstance(o, FactRating) for o in db.session.new) == 8
    db.session.rollback()
    assert count(FactRating) == count(FactPlacement) == count(FactFunding) == 0
    assert count(PlanVersion) == 0
    db.session.refresh(plan)
    assert plan.status == PlanStatus.DRAFT
