"""The first step, "About your school", from the task list to check-your-answers and back,
in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import (
    checked_radio,
    error_links,
    error_summary,
    field_value,
    heading,
    soup,
    summary_rows,
    task_status,
    title,
)
from wizard.data.database import db
from wizard.data.models import AuditEvent, Plan, PlanAnswer, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
VALID = {
    "revision": "0",
    "phase": "primary",
    "teaching_staff": "24",
    "support_staff": "12",
    "pl_lead": "Catrin Jones",
    "funding_allocation": "£12,500.50",
}

TEXT = {
    "en": {
        "hub": "Your professional learning plan for",
        "task": "About your school",
        "not_started": "Not yet started",
        "completed": "Completed",
        "check": "Check your answers: About your school",
        "phase": "Phase",
        "primary": "Primary",
        "problem": "There is a problem",
        "error": "Error:",
    },
    "cy": {
        "hub": "Eich cynllun dysgu proffesiynol ar gyfer",
        "task": "Am eich ysgol",
        "not_started": "Heb ddechrau eto",
        "completed": "Wedi cwblhau",
        "check": "Gwiriwch eich atebion: Am eich ysgol",
        "phase": "Cyfnod",
        "primary": "Cynradd",
        "problem": "Mae problem wedi codi",
        "error": "Gwall:",
    },
}


def step_url(lang: str, query: str = "") -> str:
    return f"/{lang}/plan/{YEAR}/about-your-school{query}"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_lead_completes_about_your_school_and_sees_it_on_the_task_list(
    lead_client: FlaskClient, lang: str
) -> None:
    words = TEXT[lang]
    hub = lead_client.get(f"/{lang}/plan/", follow_redirects=True)
    assert heading(hub).startswith(words["hub"])
    assert task_status(hub, words["task"]) == words["not_started"]
    link = soup(hub).find("a", string=lambda s: s and words["task"] in s)
    assert link["href"] == step_url(lang)

    page = lead_client.get(link["href"])
    assert page.status_code == 200
    assert field_value(page, "revision") == "0"

    saved = lead_client.post(step_url(lang), data=VALID)
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/{lang}/plan/{YEAR}/about-your-school/check"

    check = lead_client.get(saved.headers["Location"])
    assert heading(check) == words["check"]
    rows = summary_rows(check)
    assert rows[words["phase"]] == words["primary"]
    assert "£12,500.50" in rows.values()
    assert "Catrin Jones" in rows.values()

    hub = lead_client.get(f"/{lang}/plan/{YEAR}/")
    assert task_status(hub, words["task"]) == words["completed"]
    done = soup(hub).find("a", string=lambda s: s and words["task"] in s)
    assert done["href"] == f"/{lang}/plan/{YEAR}/about-your-school/check"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_empty_form_lists_every_problem_in_the_page_language(
    lead_client: FlaskClient, lang: str
) -> None:
    response = lead_client.post(step_url(lang), data={"revision": "0"})
    assert response.status_code == 200
    assert title(response).startswith(TEXT[lang]["error"])
    assert (
        soup(response).select_one(".govuk-error-summary__title").get_text(strip=True)
        == TEXT[lang]["problem"]
    )
    expected = {
        "en": [
            "Select your school's phase",
            "Enter the number of teaching staff",
            "Enter the number of support staff",
            "Enter the name of your professional learning lead",
            "Enter your funding allocation",
        ],
        "cy": [
            "Dewiswch gyfnod eich ysgol",
            "Rhowch nifer y staff addysgu",
            "Rhowch nifer y staff cymorth",
            "Rhowch enw eich arweinydd dysgu proffesiynol",
            "Rhowch eich dyraniad cyllid",
        ],
    }[lang]
    assert error_summary(response) == expected
    assert error_links(response) == [
        "#phase",
        "#teaching_staff",
        "#support_staff",
        "#pl_lead",
        "#funding_allocation",
    ]
    # Each field shows its own message, with the visually hidden prefix in the page language.
    hidden = soup(response).select(".govuk-error-message .govuk-visually-hidden")
    assert {h.get_text(strip=True) for h in hidden} == {"Error:" if lang == "en" else "Gwall:"}


@pytest.mark.parametrize(
    ("field", "typed", "english", "welsh"),
    [
        (
            "teaching_staff",
            "lots",
            "Number of teaching staff must be a whole number, like 24",
            None,
        ),
        ("teaching_staff", "2.5", "Number of teaching staff must be a whole number, like 24", None),
        ("teaching_staff", "1001", "Number of teaching staff must be between 0 and 1,000", None),
        ("support_staff", "-1", "Number of support staff must be between 0 and 2,000", None),
        (
            "funding_allocation",
            "ten pounds",
            "Funding allocation must be an amount of money, like £12,500 or £12,500.50",
            None,
        ),
        ("funding_allocation", "-50", "Funding allocation must be £0 or more", None),
        (
            "funding_allocation",
            "12.345",
            "Funding allocation must not include fractions of a penny",
            None,
        ),
        ("funding_allocation", "20000000", "Funding allocation must be £10,000,000 or less", None),
        (
            "pl_lead",
            "x" * 101,
            "Name of the professional learning lead must be 100 characters or fewer",
            None,
        ),
    ],
)
def test_bad_answers_get_a_specific_message_and_keep_what_was_typed(
    lead_client: FlaskClient, field: str, typed: str, english: str, welsh: str | None
) -> None:
    data = {**VALID, field: typed}
    response = lead_client.post(step_url("en"), data=data)
    assert error_summary(response) == [english]
    assert field_value(response, field) == typed
    # The user's other answers are kept, not lost.
    assert field_value(response, "pl_lead") == (typed if field == "pl_lead" else "Catrin Jones")
    assert checked_radio(response, "phase") == "primary"
    welsh_response = lead_client.post(step_url("cy"), data=data)
    [message] = error_summary(welsh_response)
    assert message != english, "the Welsh page must not show the English message"


def test_nothing_is_saved_when_an_answer_is_wrong(lead_client: FlaskClient, lead: User) -> None:
    lead_client.post(step_url("en"), data={**VALID, "funding_allocation": "lots"})
    assert db.session.scalar(select(PlanAnswer)) is None
    assert db.session.scalar(select(Plan)) is None


def test_change_links_return_to_check_your_answers(lead_client: FlaskClient) -> None:
    lead_client.post(step_url("en"), data=VALID)
    check = lead_client.get(f"/en/plan/{YEAR}/about-your-school/check")
    change = soup(check).select_one("a[href*=teaching_staff]")
    assert change is not None
    assert change.get_text(" ", strip=True) == "Change number of teaching staff"
    assert change["href"] == step_url("en", "?return_to=check#teaching_staff")

    page = lead_client.get(step_url("en", "?return_to=check"))
    assert field_value(page, "teaching_staff") == "24"
    assert field_value(page, "funding_allocation") == "12500.50"
    back = soup(page).select_one(".govuk-back-link")
    assert back["href"] == f"/en/plan/{YEAR}/about-your-school/check"

    saved = lead_client.post(
        step_url("en", "?return_to=check"), data={**VALID, "revision": "1", "teaching_staff": "30"}
    )
    assert saved.headers["Location"] == f"/en/plan/{YEAR}/about-your-school/check"
    assert "30" in summary_rows(lead_client.get(saved.headers["Location"])).values()


def test_each_save_is_recorded_with_who_saved_it(lead_client: FlaskClient, lead: User) -> None:
    lead_client.post(step_url("en"), data=VALID)
    lead_client.post(step_url("en"), data={**VALID, "revision": "1", "support_staff": "3"})
    db.session.rollback()
    answer = db.session.scalar(select(PlanAnswer))
    assert answer.revision == 2
    assert answer.data["support_staff"] == 3
    assert answer.data["funding_allocation_pence"] == 1_250_050
    assert answer.updated_by_id == lead.id
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id.is_not(None)).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.user_id, e.detail["revision"]) for e in events] == [
        ("answer-saved", lead.id, 1),
        ("answer-saved", lead.id, 2),
    ]


def test_a_colleagues_later_save_is_not_overwritten_unknowingly(
    app, directory: Directory, lead: User
) -> None:
    colleague = directory.user(
        email="colleague@school.example", school=lead.school, name="Rhys Evans"
    )
    first, second = app.test_client(), app.test_client()
    sign_in(first, lead.email)
    sign_in(second, colleague.email)
    # Both open the page before anyone has saved.
    assert field_value(first.get(step_url("en")), "revision") == "0"
    assert field_value(second.get(step_url("cy")), "revision") == "0"

    assert second.post(step_url("cy"), data={**VALID, "pl_lead": "Rhys Evans"}).status_code == 302
    stale = first.post(
        step_url("en"), data={**VALID, "pl_lead": "Catrin Jones", "teaching_staff": "99"}
    )

    assert stale.status_code == 409
    assert "Someone else has changed this page" in stale.get_data(as_text=True)
    assert "Rhys Evans saved changes to this page" in stale.get_data(as_text=True)
    # What the user typed is still in the form, now based on the colleague's revision.
    assert field_value(stale, "pl_lead") == "Catrin Jones"
    assert field_value(stale, "teaching_staff") == "99"
    assert field_value(stale, "revision") == "1"
    db.session.rollback()
    assert db.session.scalar(select(PlanAnswer)).data["pl_lead"] == "Rhys Evans"

    # Saving again, knowingly, keeps the user's answers.
    assert (
        first.post(
            step_url("en"), data={**VALID, "revision": "1", "pl_lead": "Catrin Jones"}
        ).status_code
        == 302
    )
    db.session.rollback()
    assert db.session.scalar(select(PlanAnswer)).data["pl_lead"] == "Catrin Jones"


def test_a_tampered_revision_is_treated_as_stale(lead_client: FlaskClient) -> None:
    lead_client.post(step_url("en"), data=VALID)
    for revision in ("7", "-1", "abc", ""):
        response = lead_client.post(
            step_url("en"), data={**VALID, "revision": revision, "pl_lead": "Someone"}
        )
        assert response.status_code == 409, revision
    db.session.rollback()
    assert db.session.scalar(select(PlanAnswer)).data["pl_lead"] == "Catrin Jones"


def test_a_boosted_htmx_save_gets_the_full_next_page(lead_client: FlaskClient) -> None:
    headers = {"HX-Request": "true", "HX-Boosted": "true", "HX-Current-URL": step_url("en")}
    response = lead_client.post(step_url("en"), data=VALID, headers=headers, follow_redirects=True)
    assert response.status_code == 200
    assert heading(response) == TEXT["en"]["check"]
    # data-hx-select picks this container out of the full page, so it must be there.
    assert soup(response).find(id="app-container") is not None
    assert soup(response).find("title") is not None


def test_forms_and_links_are_boosted_but_the_language_toggle_is_not(
    lead_client: FlaskClient,
) -> None:
    page = lead_client.get(step_url("en"))
    form = soup(page).find("form", attrs={"novalidate": True})
    assert form["data-hx-boost"] == "true"
    assert form["data-hx-select"] == "#app-container"
    assert soup(page).select_one(".govuk-back-link")["data-hx-boost"] == "true"
    assert soup(page).select_one("nav.app-language-toggle a")["data-hx-boost"] == "false"


def test_the_school_comes_from_the_directory(lead_client: FlaskClient) -> None:
    page = lead_client.get(step_url("cy"))
    rows = summary_rows(page)
    assert rows["Ysgol"] == "Ysgol Gynradd Oakfield"
    assert rows["Awdurdod lleol"] == "Caerdydd"


def test_years_outside_the_planning_window_do_not_exist(lead_client: FlaskClient) -> None:
    assert lead_client.get("/en/plan/1990-91/").status_code == 404
    assert lead_client.get("/en/plan/2026-28/").status_code == 404
    assert lead_client.get(f"/en/plan/{YEAR}/no-such-step").status_code == 404
    assert lead_client.get(f"/en/plan/{YEAR}/no-such-task/check").status_code == 404


def test_schools_never_see_each_others_answers(app, directory: Directory, lead: User) -> None:
    other_school = directory.school(name_en="Riverside High School", name_cy=None)
    other = directory.user(email="other@school.example", school=other_school, lead=True)
    mine = app.test_client()
    sign_in(mine, lead.email)
    mine.post(step_url("en"), data={**VALID, "pl_lead": "Secret Name"})
    theirs = app.test_client()
    sign_in(theirs, other.email)
    page = theirs.get(step_url("en"))
    assert "Secret Name" not in page.get_data(as_text=True)
    assert field_value(page, "revision") == "0"
    assert task_status(theirs.get(f"/en/plan/{YEAR}/"), "About your school") == "Not yet started"
    assert other.id != lead.id
