"""seed-wales fills a database at the scale of Wales in bulk; seed-demo gives the demo
coordinator a cluster of schools with plans in every state."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from wizard.data.clusters import school_plan_rows
from wizard.data.database import db
from wizard.data.models import (
    Cluster,
    FactFunding,
    FactPlacement,
    FactRating,
    LocalAuthority,
    Plan,
    PlanAnswer,
    PlanComment,
    PlanVersion,
    School,
    StaffVoiceResponse,
    StaffVoiceRound,
    User,
)
from wizard.data.staff_voice import answers_of, is_open
from wizard.domain.academic_year import academic_year_of
from wizard.domain.funding import summarise
from wizard.domain.staff_voice import SCORED, disclose
from wizard.domain.submission import incomplete_tasks
from wizard.domain.values import DashboardStatus, PlanStatus

THIS = academic_year_of(date.today())


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_wales_makes_complete_submitted_plans_with_their_facts(app: Flask, ctx: None) -> None:
    result = app.test_cli_runner().invoke(
        args=["seed-wales", "--schools", "30", "--clusters", "4", "--drafts", "0.3"]
    )
    assert result.exit_code == 0, result.output
    print(result.output)  # the time taken, not asserted
    assert " s." in result.output
    db.session.rollback()
    assert count(LocalAuthority) == 22
    assert count(Cluster) == 4
    assert count(School) == 30
    assert count(Plan) == 30
    numbers = list(db.session.scalars(select(School.school_number)))
    assert len(set(numbers)) == 30 and all(n.isdigit() and len(n) == 7 for n in numbers)
    for cluster in db.session.scalars(select(Cluster)):
        coordinators = db.session.scalars(
            select(User).where(User.coordinated_clusters.contains(cluster))
        ).all()
        assert len(coordinators) == 1
    plans = list(db.session.scalars(select(Plan)))
    drafts = [plan for plan in plans if plan.status == PlanStatus.DRAFT]
    assert drafts and all(plan.version == 2 for plan in drafts)
    versions = list(db.session.scalars(select(PlanVersion)))
    assert {v.plan_id for v in versions} == {plan.id for plan in plans}
    latest = {}
    for version in versions:
        answers = version.snapshot["answers"]
        assert incomplete_tasks(answers) == [], version.plan_id
        assert summarise(answers).totals.over == 0
        assert 2 <= len(answers["funding-plan"]["lines"]) <= 5
        if version.number > latest.get(version.plan_id, (0, None))[0]:
            latest[version.plan_id] = (version.number, version)
    school_of = {plan.id: plan.school_id for plan in plans}
    ratings = Counter(
        (f.school_id, f.version_number, f.latest) for f in db.session.scalars(select(FactRating))
    )
    placements = Counter(
        (f.school_id, f.version_number) for f in db.session.scalars(select(FactPlacement))
    )
    for version in versions:
        school = school_of[version.plan_id]
        is_latest = latest[version.plan_id][1] is version
        assert ratings[(school, version.number, is_latest)] == 8
        assert placements[(school, version.number)] == 9
    assert count(FactFunding) == sum(
        len(v.snapshot["answers"]["funding-plan"]["lines"]) for v in versions
    )
    # The drafts are reopened: their answers wait for "have you completed this section?".
    draft_answers = {
        a.step
        for a in db.session.scalars(select(PlanAnswer).where(PlanAnswer.plan_id == drafts[0].id))
    }
    assert "hallmarks:completed" not in draft_answers and "diamond-9" in draft_answers


def test_seed_wales_refuses_a_database_with_schools_unless_forced(app: Flask, ctx: None) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-wales", "--schools", "5", "--clusters", "2"]).exit_code == 0
    refused = runner.invoke(args=["seed-wales", "--schools", "5", "--clusters", "2"])
    assert refused.exit_code != 0 and "--force" in refused.output
    db.session.rollback()
    assert count(School) == 5
    forced = runner.invoke(args=["seed-wales", "--schools", "5", "--clusters", "2", "--force"])
    assert forced.exit_code == 0, forced.output
    db.session.rollback()
    assert count(School) == 10 and count(Cluster) == 4


def test_seed_demo_gives_the_coordinator_a_living_cluster(
    app: Flask, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_DEMO_PASSWORD", "demo password for tests")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    db.session.rollback()
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@demo.example"))
    cluster = coordinator.coordinated_clusters[0]
    rows = school_plan_rows(cluster.id, THIS, "en")
    statuses = Counter(row.status for row in rows)
    assert statuses[DashboardStatus.REVIEWED] == 1
    # The school asked for changes replied and submitted version 2 (what changed, field by
    # field, and a conversation with a reply, for the demo coordinator).
    assert statuses[DashboardStatus.SUBMITTED] == 3
    resubmitted = [row for row in rows if row.latest_version and row.latest_version.number == 2]
    assert len(resubmitted) == 1
    replies = db.session.scalars(
        select(PlanComment).where(
            PlanComment.plan_id == resubmitted[0].plan.id, PlanComment.reply_to_id.is_not(None)
        )
    ).all()
    assert len(replies) == 1
    assert statuses[DashboardStatus.IN_PROGRESS] == 1
    assert statuses[DashboardStatus.NOT_STARTED] >= 1
    lead_school = db.session.scalar(select(User).where(User.email == "lead@demo.example")).school
    # The lead's own plan has no answers (seed-demo never writes them), but a closed staff
    # voice round with enough complete responses, in every role, to show the results, and an
    # open round whose results wait for it to close.
    lead_plan = db.session.scalar(
        select(Plan).where(Plan.school_id == lead_school.id, Plan.academic_year == THIS)
    )
    assert lead_plan is not None
    assert not db.session.scalars(
        select(PlanAnswer).where(PlanAnswer.plan_id == lead_plan.id)
    ).all()
    rounds = db.session.scalars(
        select(StaffVoiceRound).where(StaffVoiceRound.plan_id == lead_plan.id)
    ).all()
    assert sorted(is_open(r, date.today()) for r in rounds) == [False, True]
    closed = next(r for r in rounds if not is_open(r, date.today()))
    answers = answers_of(closed.id)
    assert len(answers) == 17
    shown = disclose(answers, True, list(range(1, 9)), list(SCORED) + ["not-sure"])
    assert all(number is not None for role, number in shown.roles.items() if role)
    assert shown.complete_boards == 17 and len(shown.consensus) == 9
    assert any(gap.shown and gap.difference for gap in shown.gaps)
    still_open = next(r for r in rounds if is_open(r, date.today()))
    assert len(answers_of(still_open.id)) == 3
    for row in rows:
        if row.latest_version is not None:
            assert incomplete_tasks(row.latest_version.snapshot["answers"]) == []
    comments = list(db.session.scalars(select(PlanComment)))
    assert {c.task_key is None for c in comments} == {True, False}
    assert all(c.author_id == coordinator.id for c in comments if c.reply_to_id is None)
    welsh = next(r for r in rows if r.school.name_en == "Ysgol Gymraeg Bryn Derw")
    reflection = welsh.latest_version.snapshot["answers"]["context-school"]["reflection"]
    assert reflection.startswith("Mae ein hunanwerthuso")

    before = {
        model.__name__: count(model)
        for model in (
            School,
            User,
            Plan,
            PlanAnswer,
            PlanVersion,
            PlanComment,
            StaffVoiceRound,
            StaffVoiceResponse,
        )
    }
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    db.session.rollback()
    after = {
        model.__name__: count(model)
        for model in (
            School,
            User,
            Plan,
            PlanAnswer,
            PlanVersion,
            PlanComment,
            StaffVoiceRound,
            StaffVoiceResponse,
        )
    }
    assert after == before
    assert second.output == first.output


def test_seed_demo_gives_last_year_a_submitted_year_end_review(
    app: Flask, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo lead's school and the cluster's submitting schools have last year's plan,
    submitted, with a submitted year-end review (and its facts); running it again adds none."""
    from wizard.data.models import FactYearEndImpact, YearEndReview, YearEndVersion

    monkeypatch.setenv("WIZARD_DEMO_PASSWORD", "demo password for tests")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.rollback()
    lead_school = db.session.scalar(select(User).where(User.email == "lead@demo.example")).school
    reviews = db.session.execute(
        select(Plan.school_id, YearEndReview.status).join(Plan, Plan.id == YearEndReview.plan_id)
    ).all()
    assert len(reviews) == 5 and all(status == "submitted" for _, status in reviews)
    assert lead_school.id in {school for school, _ in reviews}
    assert count(YearEndVersion) == 5
    assert count(FactYearEndImpact) == 45  # nine priorities each
