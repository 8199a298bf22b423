"""Reopening a submitted plan: a confirmation page first (no JavaScript needed), and the
sections whose answers did not change since they were confirmed stay completed."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import heading, soup, task_status, text
from tests.plans import revision, write_plan
from wizard.data.database import db
from wizard.data.models import Plan, PlanStatus, PlanVersion, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


def url(lang: str, path: str) -> str:
    return f"/{lang}/plan/{YEAR}{path}"


def submitted(client: FlaskClient) -> None:
    write_plan(client, YEAR)
    assert client.post(url("en", "/submit")).status_code == 302
    db.session.rollback()


def plan_status() -> tuple[str, int]:
    db.session.rollback()
    plan = db.session.scalar(select(Plan))
    assert plan is not None
    return plan.status, plan.version


def test_the_task_list_links_to_a_confirmation_page_that_changes_nothing(
    lead_client: FlaskClient,
) -> None:
    submitted(lead_client)
    hub = soup(lead_client.get(url("cy", "/")))
    # The task list offers a link (no form that reopens at once).
    assert not hub.select(f"form[action='{url('cy', '/reopen')}']")
    link = hub.select_one(f"a.govuk-button[href='{url('cy', '/reopen')}']")
    assert link is not None
    assert text(link) == "Ailagor y cynllun i wneud newidiadau"

    page = lead_client.get(url("cy", "/reopen"))
    assert page.status_code == 200
    assert heading(page) == "Ydych chi'n siŵr eich bod am ailagor y cynllun?"
    body = text(soup(page).find("main"))
    assert "Bydd y fersiwn a gyflwynwyd, fersiwn 1, yn aros fel y mae." in body
    assert "Bydd yr adrannau nad ydych wedi'u newid ers i chi eu cwblhau yn aros" in body
    assert "Bydd drafft newydd, fersiwn 2, yn dechrau" in body
    form = soup(page).select_one(f"main form[method='post'][action='{url('cy', '/reopen')}']")
    assert form is not None
    assert text(form.find("button")) == "Ie, ailagor y cynllun"
    assert form.find("a", href=url("cy", "/")) is not None
    # Reading the question changes nothing.
    assert plan_status() == (PlanStatus.SUBMITTED, 1)

    assert lead_client.post(url("cy", "/reopen")).headers["Location"] == url("cy", "/")
    assert plan_status() == (PlanStatus.DRAFT, 2)
    # A draft has nothing to reopen: the page goes back to the task list.
    assert lead_client.get(url("en", "/reopen")).headers["Location"] == url("en", "/")


def test_only_the_lead_is_asked(
    app: Flask, lead_client: FlaskClient, directory: Directory, lead: User
) -> None:
    submitted(lead_client)
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    assert colleague.get(url("en", "/reopen")).status_code == 403
    assert url("en", "/reopen") not in colleague.get(url("en", "/")).get_data(as_text=True)


def test_sections_unchanged_since_they_were_confirmed_stay_completed(
    lead_client: FlaskClient,
) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(url("en", "/submit")).status_code == 302
    assert lead_client.post(url("en", "/reopen")).status_code == 302
    # A hallmark changed after reopening (still a complete answer).
    path = url("en", "/hallmark-3")
    lead_client.post(
        path,
        data={
            "revision": revision(lead_client, path),
            "rating": "established",
            "evidence": "Lesson visits and pupil voice",
            "next_steps": "Coaching",
        },
    )

    hub = lead_client.get(url("en", "/"))
    assert task_status(hub, "Contexts of the national approach") == "Completed"
    assert task_status(hub, "Funding plan") == "Completed"
    assert task_status(hub, "Self-review against the eight hallmarks") == "In progress"
    assert task_status(hub, "About your school") == "Completed"
    assert task_status(hub, "Professional learning Diamond 9") == "Completed"
    # Only the changed section is asked again; then the new version can be submitted.
    lead_client.post(
        url("en", "/hallmarks/check"),
        data={"revision": revision(lead_client, url("en", "/hallmarks/check")), "completed": "yes"},
    )
    assert lead_client.post(url("en", "/submit")).headers["Location"] == url(
        "en", "/versions/2/submitted"
    )
    db.session.rollback()
    assert [
        v.number for v in db.session.scalars(select(PlanVersion).order_by(PlanVersion.number))
    ] == [
        1,
        2,
    ]
