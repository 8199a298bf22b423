"""The funding plan, check and submit, frozen versions, the summary and PDF, and next year."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import Directory, sign_in
from tests.html import error_links, error_summary, heading, soup, task_status
from tests.i18n import translate
from tests.plans import LINE, revision, write_plan
from wizard.data.database import db
from wizard.data.models import OwnCard, Plan, PlanAnswer, PlanStatus, PlanVersion, User
from wizard.domain.academic_year import academic_year_of, year_slug

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)
NEXT = year_slug(THIS + 1)


def url(lang: str, path: str, year: str = YEAR) -> str:
    return f"/{lang}/plan/{year}{path}"


def about(client: FlaskClient, allocation: str = "1000") -> None:
    client.post(
        url("en", "/about-your-school"),
        data={
            "revision": revision(client, url("en", "/about-your-school")),
            "phase": "primary",
            "teaching_staff": "3",
            "support_staff": "2",
            "pl_lead": "Catrin",
            "funding_allocation": allocation,
        },
    )


def add_line(client: FlaskClient, lang: str = "en", **changes: Any) -> Any:
    path = url(lang, "/funding-plan/lines/new")
    return client.post(
        path, data={**LINE, "priority": "", **changes, "revision": revision(client, path)}
    )


def test_the_funding_plan_cannot_start_before_the_allocation_is_known(
    app: Flask, lead_client: FlaskClient
) -> None:
    hub = lead_client.get(url("en", "/"))
    assert task_status(hub, "Funding plan") == "Cannot start yet"
    assert lead_client.get(url("en", "/funding-plan")).headers["Location"] == url("en", "/")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_funding_lines_are_validated_in_the_page_language(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    about(lead_client)
    empty = lead_client.post(url(lang, "/funding-plan/lines/new"), data={"revision": "0"})
    expected = [
        "Select what the money is for",
        "Select who benefits",
        "Select when the money will be spent",
        "Enter what you will do",
        "Enter the amount",
    ]
    assert error_summary(empty) == [translate(app, lang, message) for message in expected]
    if lang == "cy":
        assert error_summary(empty)[0] != expected[0]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("lots", "Amount must be an amount of money, like £1,500 or £1,500.50"),
        ("-5", "Amount must be more than £0"),
        ("0", "Amount must be more than £0"),
        ("10.005", "Amount must not include fractions of a penny"),
        ("99999999", "Amount must be £10,000,000 or less"),
        (
            "1000.01",
            "With this amount, your funding plan is £0.01 more than the allocation of £1,000.00. Reduce this amount or another line.",
        ),
    ],
)
def test_bad_amounts_get_clear_messages(
    lead_client: FlaskClient, amount: str, message: str
) -> None:
    about(lead_client)
    response = add_line(lead_client, amount=amount)
    assert error_summary(response) == [message]
    assert soup(response).find("input", attrs={"name": "amount"})["value"] == amount
    assert db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan")) is None


def test_other_needs_a_description_and_planning_past_the_allocation_names_the_difference(
    app: Flask, lead_client: FlaskClient
) -> None:
    about(lead_client)
    assert error_summary(add_line(lead_client, purpose="other")) == [
        "Describe what the money is for"
    ]
    assert add_line(lead_client, amount="600").status_code == 302
    over = add_line(lead_client, "cy", amount="500.50")
    assert error_summary(over) == [
        translate(
            app,
            "cy",
            "With this amount, your funding plan is %(over)s more than the allocation of %(allocation)s. Reduce this amount or another line.",
            over="£100.50",
            allocation="£1,000.00",
        )
    ]


def test_totals_add_up_exactly_in_pence(lead_client: FlaskClient) -> None:
    about(lead_client, allocation="1")
    for amount in ("0.10", "0.20", "0.70"):
        assert add_line(lead_client, amount=amount).status_code == 302
    page = soup(lead_client.get(url("en", "/funding-plan"))).get_text(" ")
    assert "Planned £1.00" in " ".join(page.split())
    db.session.rollback()
    lines = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan")).data[
        "lines"
    ]
    assert [line["amount_pence"] for line in lines] == [10, 20, 70]


def test_the_running_total_updates_live(app: Flask, lead_client: FlaskClient) -> None:
    about(lead_client)
    add_line(lead_client, amount="600")
    within = lead_client.get(
        url("en", "/funding-plan/total?line=&amount=300"), headers={"HX-Request": "true"}
    )
    assert soup(within).find(id="funding-total")["data-hx-swap-oob"] == "innerHTML"
    assert "Left to plan: £100.00 of £1,000.00" in within.get_data(as_text=True)
    over = lead_client.get(
        url("cy", "/funding-plan/total?line=&amount=450.25"), headers={"HX-Request": "true"}
    )
    assert (
        translate(
            app,
            "cy",
            "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
            over="£50.25",
            allocation="£1,000.00",
        )
        in soup(over).get_text()
    )


def test_lines_can_be_changed_and_removed(lead_client: FlaskClient) -> None:
    about(lead_client)
    add_line(lead_client, amount="600")
    db.session.rollback()
    line_id = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan")).data[
        "lines"
    ][0]["id"]
    changed = lead_client.post(
        url("en", f"/funding-plan/lines/{line_id}"),
        data={**LINE, "priority": "", "amount": "1000", "revision": "1"},
    )
    assert changed.status_code == 302
    confirm = lead_client.get(url("en", f"/funding-plan/lines/{line_id}/remove"))
    assert heading(confirm) == "Are you sure you want to remove this line?"
    lead_client.post(url("en", f"/funding-plan/lines/{line_id}/remove"), data={"revision": "2"})
    db.session.rollback()
    assert (
        db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan")).data["lines"]
        == []
    )
    assert lead_client.get(url("en", "/funding-plan/lines/nope")).status_code == 404


def test_submitting_an_incomplete_plan_says_which_tasks_are_missing(
    app: Flask, lead_client: FlaskClient
) -> None:
    about(lead_client)
    response = lead_client.post(url("cy", "/submit"))
    assert response.status_code == 200
    problems = error_summary(response)
    assert len(problems) == 4
    assert (
        translate(
            app,
            "cy",
            "Complete the task: %(task)s",
            task=translate(app, "cy", "Professional learning Diamond 9"),
        )
        in problems
    )
    # Each problem links to where to put it right.
    assert url("cy", "/diamond-9") in error_links(response)
    assert url("cy", "/context-school") in error_links(response)
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)) == 0


def test_only_the_lead_submits(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    assert colleague.post(url("en", "/submit")).status_code == 403
    assert colleague.post(url("en", "/reopen")).status_code == 403


def _everything(plan_id: int) -> Any:
    db.session.rollback()
    answers = {
        a.step: (a.revision, a.data)
        for a in db.session.scalars(select(PlanAnswer).where(PlanAnswer.plan_id == plan_id))
    }
    cards = [
        (c.id, c.title_en, c.title_cy)
        for c in db.session.scalars(select(OwnCard).where(OwnCard.plan_id == plan_id))
    ]
    versions = [
        (v.number, v.snapshot)
        for v in db.session.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan_id))
    ]
    plan = db.session.get(Plan, plan_id)
    return answers, cards, versions, (plan.status, plan.version)


def test_a_submitted_plan_cannot_be_changed_by_any_route(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    lead_client.post(url("en", "/diamond-9/cards/new"), data={"title_en": "Before submitting"})
    card = db.session.scalar(select(OwnCard))
    submitted = lead_client.post(url("en", "/submit"))
    assert submitted.headers["Location"] == url("en", "/versions/1/submitted")
    plan_id = db.session.scalar(select(Plan.id))
    before = _everything(plan_id)
    line_id = before[0]["funding-plan"][1]["lines"][0]["id"]
    attempts = [
        (
            "/about-your-school",
            {
                "revision": "1",
                "phase": "secondary",
                "teaching_staff": "1",
                "support_staff": "1",
                "pl_lead": "X",
                "funding_allocation": "5",
            },
        ),
        ("/context-school", {"revision": "1", "reflection": "Changed"}),
        (
            "/hallmark-1",
            {"revision": "1", "rating": "embedded", "evidence": "x", "next_steps": "y"},
        ),
        ("/contexts/check", {"revision": "1", "completed": "no"}),
        ("/funding-plan/check", {"revision": "1", "completed": "no"}),
        ("/diamond-9/move", {"version": "9", "card": "card:pedagogy", "to": "bank"}),
        ("/diamond-9/move", {"version": "9", "arrangement": "1", "row-card:pedagogy": ""}),
        ("/diamond-9/cards/new", {"title_en": "After submitting"}),
        (f"/diamond-9/cards/{card.id}", {"title_en": "Changed title"}),
        (f"/diamond-9/cards/{card.id}/delete", {"confirm": "yes", "version": "9"}),
        ("/funding-plan/lines/new", {**LINE, "revision": "1"}),
        (f"/funding-plan/lines/{line_id}", {**LINE, "amount": "1", "revision": "1"}),
        (f"/funding-plan/lines/{line_id}/remove", {"revision": "1"}),
        ("/submit", {}),
        ("/start", {"start": "empty"}),
    ]
    for path, data in attempts:
        response = lead_client.post(url("en", path), data=data)
        assert response.status_code in (302, 409), (path, response.status_code)
        assert _everything(plan_id) == before, path
    assert before[3] == (PlanStatus.SUBMITTED, 1)


def test_reopening_starts_a_new_version_and_keeps_the_old_one(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    lead_client.post(url("en", "/submit"))
    db.session.rollback()
    first = db.session.scalar(select(PlanVersion)).snapshot
    assert lead_client.post(url("en", "/reopen")).status_code == 302
    hub = lead_client.get(url("en", "/"))
    assert "Draft" in hub.get_data(as_text=True)
    # Changing the draft does not touch version 1.
    lead_client.post(
        url("en", "/context-school"), data={"revision": "1", "reflection": "A new reflection"}
    )
    # The changed section is asked again; the others stay completed.
    check = url("en", "/contexts/check")
    lead_client.post(check, data={"revision": revision(lead_client, check), "completed": "yes"})
    assert lead_client.post(url("en", "/submit")).headers["Location"] == url(
        "en", "/versions/2/submitted"
    )
    db.session.rollback()
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot == first
    assert versions[0].snapshot["answers"]["context-school"]["reflection"] == "Our reflection"
    assert versions[1].snapshot["answers"]["context-school"]["reflection"] == "A new reflection"
    listing = lead_client.get(url("en", "/versions"))
    assert [
        a.get_text(strip=True)
        for a in soup(listing).select("tbody a[href$='/versions/1'], tbody a[href$='/versions/2']")
    ] == ["Version 1", "Version 2"]
    assert "Our reflection" in lead_client.get(url("en", "/versions/1")).get_data(as_text=True)


def test_the_versions_table_and_the_plan_status_translate_submitted_apart(
    lead_client: FlaskClient,
) -> None:
    """The word "Submitted" heads the versions table (of versions, feminine in Welsh) and is a
    plan status (a plan, masculine): the table's heading has its own msgctxt."""
    write_plan(lead_client, YEAR)
    lead_client.post(url("en", "/submit"))
    listing = soup(lead_client.get(url("cy", "/versions")))
    assert [th.get_text(strip=True) for th in listing.select("thead th")] == [
        "Fersiwn",
        "Cyflwynwyd",
        "Lawrlwytho",
    ]
    assert "Wedi'i gyflwyno" in lead_client.get(url("cy", "/")).get_data(as_text=True)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_is_in_the_page_language_with_welsh_letters(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR, reflection="Dysgu ym mhob ŵyl a phob ŷd")
    lead_client.post(url("en", "/submit"))
    welsh = lead_client.get(url("cy", "/versions/1.pdf"))
    assert welsh.mimetype == "application/pdf"
    text = pdf_text(welsh.get_data())
    assert "Ysgol Gynradd Oakfield" in text
    assert translate(app, "cy", "Professional learning Diamond 9") in text
    assert translate(app, "cy", "Self-review against the eight hallmarks") in text
    assert translate(app, "cy", "Pedagogy and teaching approaches") in text
    assert "ŵyl" in text and "ŷd" in text
    english = pdf_text(lead_client.get(url("en", "/versions/1.pdf")).get_data())
    assert "Oakfield Primary School" in english and "Professional learning Diamond 9" in english
    draft = lead_client.get(url("en", "/summary.pdf"))
    assert draft.mimetype == "application/pdf"


@pytest.mark.parametrize(
    ("lang", "draft_name", "version_name"),
    [
        (
            "en",
            "professional-learning-plan-{year}-draft-en.pdf",
            "professional-learning-plan-{year}-version-1-en.pdf",
        ),
        (
            "cy",
            "cynllun-dysgu-proffesiynol-{year}-drafft-cy.pdf",
            "cynllun-dysgu-proffesiynol-{year}-fersiwn-1-cy.pdf",
        ),
    ],
)
def test_the_summary_pdf_of_a_submitted_plan_is_its_version_not_a_draft(
    app: Flask, lead_client: FlaskClient, lang: str, draft_name: str, version_name: str
) -> None:
    """The plan as it stands is a draft until it is submitted; then its PDF is named and titled
    as the version submitted (it said "Draft: not yet submitted", in a ...-draft-... file)."""
    write_plan(lead_client, YEAR)
    draft_title = translate(app, lang, "Draft: not yet submitted")
    draft = lead_client.get(url(lang, "/summary.pdf"))
    assert draft_name.format(year=YEAR) in draft.headers["Content-Disposition"]
    assert draft_title in pdf_text(draft.get_data())
    lead_client.post(url("en", "/submit"))
    submitted = lead_client.get(url(lang, "/summary.pdf"))
    assert version_name.format(year=YEAR) in submitted.headers["Content-Disposition"]
    text = pdf_text(submitted.get_data())
    assert draft_title not in text
    assert translate(app, lang, "Version %(number)d", number=1) in text
    assert translate(app, lang, "Submitted on %(date)s", date="").strip() in text


def test_the_summary_page_shows_the_whole_plan(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    page = lead_client.get(url("en", "/summary"))
    body = soup(page)
    assert heading(page) == "Oakfield Primary School"
    assert body.select_one(".app-summary__diamond svg") is not None
    assert len(body.select(".app-summary__hallmarks tbody tr")) == 8
    assert "Totals by purpose" in body.get_text()
    assert "£600.00" in body.get_text()


def test_next_years_plan_starts_from_last_years_and_the_years_compare(
    lead_client: FlaskClient,
) -> None:
    write_plan(lead_client, YEAR)
    lead_client.post(url("en", "/diamond-9/cards/new"), data={"title_cy": "Ein cerdyn ni"})
    card = db.session.scalar(select(OwnCard))
    version = soup(lead_client.get(url("en", "/diamond-9"))).find(id="diamond-board")[
        "data-version"
    ]
    # The school's own card takes the bottom place; early years goes back to the bank.
    lead_client.post(
        url("en", "/diamond-9/move"), data={"version": version, "card": card.key, "to": "9"}
    )
    # Next year's plan is offered once this year's is submitted.
    assert lead_client.post(url("en", "/submit")).status_code == 302
    hub = lead_client.get(url("en", "/", NEXT))
    assert "Start from your" in hub.get_data(as_text=True)
    lead_client.post(url("en", "/start", NEXT), data={"start": "copy"})
    db.session.rollback()
    new_plan = db.session.scalar(select(Plan).where(Plan.academic_year == THIS + 1))
    copied = {
        a.step: a.data
        for a in db.session.scalars(select(PlanAnswer).where(PlanAnswer.plan_id == new_plan.id))
    }
    assert "contexts:completed" not in copied and "context-school" in copied
    new_card = db.session.scalar(select(OwnCard).where(OwnCard.plan_id == new_plan.id))
    assert new_card.title_cy == "Ein cerdyn ni" and new_card.id != card.id
    assert copied["diamond-9"]["slots"]["9"] == new_card.key
    # Next year, pedagogy goes from the top row to row 3, swapping with well-being.
    board = soup(lead_client.get(url("en", "/diamond-9", NEXT))).find(id="diamond-board")
    lead_client.post(
        url("en", "/diamond-9/move", NEXT),
        data={"version": board["data-version"], "card": "card:pedagogy", "to": "4"},
    )
    compare = lead_client.get(url("en", f"/compare?with={YEAR}", NEXT))
    assert compare.status_code == 200
    rows = {
        r.select_one("th").get_text(strip=True): r.select("td")[-1].get_text(strip=True)
        for r in soup(compare).select("table")[0].select("tbody tr")
    }
    assert rows["Pedagogy and teaching approaches"] == "Down 2 rows"
    assert rows["Well-being"] == "Up 2 rows"
    assert rows["Ein cerdyn ni"] == "Same row"
    assert "Early years" not in rows


def test_an_empty_start_and_the_years_on_offer(lead_client: FlaskClient) -> None:
    write_plan(lead_client, YEAR)
    assert lead_client.post(url("en", "/submit")).status_code == 302
    assert lead_client.post(url("en", "/start", NEXT), data={"start": "empty"}).status_code == 302
    db.session.rollback()
    new_plan = db.session.scalar(select(Plan).where(Plan.academic_year == THIS + 1))
    assert (
        db.session.scalar(
            select(func.count()).select_from(PlanAnswer).where(PlanAnswer.plan_id == new_plan.id)
        )
        == 0
    )
    assert lead_client.get(url("en", "/", year_slug(THIS + 2))).status_code == 404


def test_a_stale_funding_save_keeps_the_typed_line(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient
) -> None:
    about(lead_client)
    directory.user(email="colleague@school.example", school=lead.school)
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    opened = revision(lead_client, url("en", "/funding-plan/lines/new"))
    add_line(colleague, amount="100", description="Their line")
    stale = lead_client.post(
        url("cy", "/funding-plan/lines/new"),
        data={
            **LINE,
            "priority": "",
            "description": "My line",
            "amount": "200",
            "revision": opened,
        },
    )
    assert stale.status_code == 409
    assert soup(stale).find("textarea", attrs={"name": "description"}).get_text() == "My line"
    assert soup(stale).find("html")["lang"] == "cy"
    again = lead_client.post(
        url("cy", "/funding-plan/lines/new"),
        data={
            **LINE,
            "priority": "",
            "description": "My line",
            "amount": "200",
            "revision": soup(stale).find("input", attrs={"name": "revision"})["value"],
        },
    )
    assert again.status_code == 302
    db.session.rollback()
    lines = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "funding-plan")).data[
        "lines"
    ]
    assert [line["description"] for line in lines] == ["Their line", "My line"]
