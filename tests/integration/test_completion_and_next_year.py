"""A section's completion follows its answers (not the reopening of the plan), and next
year's plan: offered once this year's is submitted (or from the configured day), started from
last year's without its allocation, and the school's plans listed by year."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.html import heading, soup, task_status, text
from tests.plans import LINE, revision, write_plan
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanVersion
from wizard.domain.academic_year import academic_year_of, year_label, year_slug
from wizard.domain.next_year import offered, opens_on, parse_opens

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)
NEXT = year_slug(THIS + 1)
HALLMARKS = "Self-review against the eight hallmarks"
CONTEXTS = "Contexts of the national approach"
FUNDING = "Funding plan"


def url(lang: str, path: str, year: str = YEAR) -> str:
    return f"/{lang}/plan/{year}{path}"


def change_hallmark(client: FlaskClient, evidence: str = "Lesson visits and pupil voice") -> None:
    path = url("en", "/hallmark-3")
    response = client.post(
        path,
        data={
            "revision": revision(client, path),
            "rating": "established",
            "evidence": evidence,
            "next_steps": "Coaching",
        },
    )
    assert response.status_code == 302


def confirm(client: FlaskClient, task: str) -> None:
    check = url("en", f"/{task}/check")
    response = client.post(check, data={"revision": revision(client, check), "completed": "yes"})
    assert response.status_code == 302


def submit(client: FlaskClient) -> str:
    return str(client.post(url("en", "/submit")).headers.get("Location", ""))


def test_a_change_to_a_completed_section_asks_again_at_once(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    assert task_status(lead_client.get(url("en", "/")), HALLMARKS) == "Completed"
    change_hallmark(lead_client)
    hub = lead_client.get(url("en", "/"))
    assert task_status(hub, HALLMARKS) == "In progress"
    assert task_status(hub, CONTEXTS) == "Completed"
    # The question is unanswered again (not "No"), and the plan cannot be submitted.
    check = soup(lead_client.get(url("en", "/hallmarks/check")))
    assert not check.select("input[name='completed'][checked]")
    assert submit(lead_client) != url("en", "/versions/1/submitted")
    confirm(lead_client, "hallmarks")
    assert submit(lead_client) == url("en", "/versions/1/submitted")


def test_saving_a_section_unchanged_keeps_it_completed(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    path = url("en", "/context-school")
    page = soup(lead_client.get(path))
    reflection = text(page.select_one("textarea[name='reflection']"))
    priorities = [i["value"] for i in page.select("input[name='priorities'][checked]")]
    response = lead_client.post(
        path,
        data={
            "revision": revision(lead_client, path),
            "reflection": reflection,
            "priorities": priorities,
        },
    )
    assert response.status_code == 302
    assert task_status(lead_client.get(url("en", "/")), CONTEXTS) == "Completed"


def test_a_funding_line_changed_asks_again(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    new = url("en", "/funding-plan/lines/new")
    added = lead_client.post(
        new, data={**LINE, "amount": "10", "priority": "", "revision": revision(lead_client, new)}
    )
    assert added.status_code == 302
    assert task_status(lead_client.get(url("en", "/")), FUNDING) == "In progress"


def test_completion_across_reopening(lead_client: FlaskClient) -> None:
    """Reopening changes no section's status; a section changed after reopening is in
    progress until confirmed again, and at the next reopening an unchanged one stays."""
    write_plan(lead_client, YEAR)
    assert submit(lead_client) == url("en", "/versions/1/submitted")
    assert lead_client.post(url("en", "/reopen")).status_code == 302
    hub = lead_client.get(url("en", "/"))
    assert [task_status(hub, t) for t in (CONTEXTS, HALLMARKS, FUNDING)] == ["Completed"] * 3

    change_hallmark(lead_client, "Changed after reopening")
    assert task_status(lead_client.get(url("en", "/")), HALLMARKS) == "In progress"
    # Not submitted without the lead confirming the changed section again.
    assert submit(lead_client) != url("en", "/versions/2/submitted")
    confirm(lead_client, "hallmarks")
    assert submit(lead_client) == url("en", "/versions/2/submitted")

    assert lead_client.post(url("en", "/reopen")).status_code == 302
    hub = lead_client.get(url("en", "/"))
    assert [task_status(hub, t) for t in (CONTEXTS, HALLMARKS, FUNDING)] == ["Completed"] * 3
    assert submit(lead_client) == url("en", "/versions/3/submitted")
    db.session.rollback()
    assert [
        v.number for v in db.session.scalars(select(PlanVersion).order_by(PlanVersion.number))
    ] == [1, 2, 3]


def test_next_year_is_offered_once_this_year_is_submitted(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    hub = lead_client.get(url("en", "/"))
    assert url("en", "/", NEXT) not in hub.get_data(as_text=True)
    # Next year's task list says when it can start, and starting is refused.
    page = lead_client.get(url("en", "/", NEXT))
    assert "once your plan for" in text(soup(page).find("main"))
    assert not soup(page).select("form[action$='/start']")
    lead_client.post(url("en", "/start", NEXT), data={"start": "copy"})
    db.session.rollback()
    assert db.session.scalar(select(Plan).where(Plan.academic_year == THIS + 1)) is None

    submit(lead_client)
    hub = lead_client.get(url("en", "/"))
    assert url("en", "/", NEXT) in hub.get_data(as_text=True)
    assert soup(lead_client.get(url("en", "/", NEXT))).select("form[action$='/start']")


def test_next_year_is_offered_from_the_configured_day(app: Flask, lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    app.config["NEXT_YEAR_FROM"] = (date.today().month, date.today().day)
    try:
        # Any day this academic year is on or after the configured day when it is today
        # (unless today is before August and the day is after it: not the case for today).
        if date.today() >= opens_on(THIS + 1, app.config["NEXT_YEAR_FROM"]):
            assert url("en", "/", NEXT) in lead_client.get(url("en", "/")).get_data(as_text=True)
    finally:
        app.config["NEXT_YEAR_FROM"] = (6, 1)


def test_starting_from_last_year_asks_for_the_new_allocation(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    submit(lead_client)
    started = lead_client.post(url("en", "/start", NEXT), data={"start": "copy"})
    assert started.headers["Location"] == url("en", "/about-your-school", NEXT)
    page = lead_client.get(started.headers["Location"])
    assert "Enter this year's funding allocation" in text(soup(page))
    assert soup(page).select_one("input[name='funding_allocation']").get("value") in (None, "")
    hub = lead_client.get(url("en", "/", NEXT))
    assert task_status(hub, "About your school") == "In progress"
    assert task_status(hub, FUNDING) == "Cannot start yet"
    db.session.rollback()
    plan = db.session.scalar(select(Plan).where(Plan.academic_year == THIS + 1))
    about = db.session.scalar(
        select(PlanAnswer).where(
            PlanAnswer.plan_id == plan.id, PlanAnswer.step == "about-your-school"
        )
    )
    assert about.data["pl_lead"] == "Catrin Jones"
    assert "funding_allocation_pence" not in about.data


def test_the_task_list_links_to_the_plans_by_year(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    hub = soup(lead_client.get(url("cy", "/")))
    link = hub.select_one("main a[href='/cy/plan/years']")
    assert link is not None
    page = lead_client.get("/cy/plan/years")
    assert page.status_code == 200
    rows = [text(row) for row in soup(page).select(".govuk-summary-list__row")]
    assert len(rows) == 1 and rows[0].startswith(year_label(THIS))
    submit(lead_client)
    page = lead_client.get("/en/plan/years")
    assert heading(page) == "Your school's plans by year"
    rows = [text(row) for row in soup(page).select(".govuk-summary-list__row")]
    assert rows[0] == f"{year_label(THIS + 1)} Not started"
    assert rows[1] == f"{year_label(THIS)} Submitted, version 1"


@pytest.mark.parametrize(
    ("raw", "expected"), [("06-01", (6, 1)), ("02-29", (2, 29)), ("13-01", None), ("june", None)]
)
def test_the_configured_day(raw: str, expected: tuple[int, int] | None) -> None:
    assert parse_opens(raw) == expected


def test_when_next_year_is_offered() -> None:
    june = (6, 1)
    assert opens_on(2027, june) == date(2027, 6, 1)
    assert opens_on(2027, (9, 1)) == date(2026, 9, 1)
    assert not offered(2027, date(2027, 5, 31), False, june)
    assert offered(2027, date(2027, 6, 1), False, june)
    assert offered(2027, date(2026, 12, 7), True, june)
    assert not offered(2028, date(2026, 12, 7), True, june)
    assert offered(2026, date(2026, 12, 7), False, june)


def test_next_years_plan_is_made_by_no_step_board_or_funding_before_it_is_offered(
    app: Flask, lead_client: FlaskClient
) -> None:
    """Review finding 6: the gate was only on the Start button; a step, the board or the
    funding plan of next year made next year's plan (skipping "start from last year's")."""
    # Offered from the last day of this academic year: not yet (this year's is not submitted).
    app.config["NEXT_YEAR_FROM"] = (7, 31)
    try:
        hub = url("en", "/", NEXT)
        for path in ("/about-your-school", "/funding-plan/lines/new"):
            assert lead_client.get(url("en", path, NEXT)).headers.get("Location") == hub
        refused = lead_client.post(
            url("en", "/about-your-school", NEXT),
            data={"phase": "primary", "teaching_staff": "12", "support_staff": "8"},
        )
        assert refused.headers["Location"] == hub
        page = text(soup(lead_client.get(hub)))
        assert f"Your plan for {year_label(THIS + 1)} cannot be started yet" in page
        moved = lead_client.post(
            url("en", "/diamond-9/move", NEXT), data={"card": "card:pedagogy", "to": "1"}
        )
        assert moved.headers["Location"] == hub
        added = lead_client.post(url("en", "/funding-plan/lines/new", NEXT), data=LINE)
        assert added.headers["Location"] == hub
        welsh = lead_client.get(url("cy", "/about-your-school", NEXT))
        assert welsh.headers["Location"] == url("cy", "/", NEXT)
        assert "Ni ellir dechrau eich cynllun ar gyfer" in text(
            soup(lead_client.get(url("cy", "/", NEXT)))
        )
        db.session.rollback()
        assert db.session.scalar(select(Plan).where(Plan.academic_year == THIS + 1)) is None
    finally:
        app.config["NEXT_YEAR_FROM"] = (6, 1)
