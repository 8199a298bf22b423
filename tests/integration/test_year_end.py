"""The year-end review through its routes: opening from the summer term for a submitted plan,
each section, the difference that must be explained, submitting an immutable version with its
reporting facts, and reopening."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Directory, sign_in
from tests.html import error_summary, heading, soup, text
from tests.year_end import LAST, LAST_SLUG, fill_review, review_url, submit_review, submitted_plan
from wizard.data.database import db
from wizard.data.models import (
    AuditEvent,
    FactYearEndFunding,
    FactYearEndImpact,
    OutboxMail,
    Plan,
    PlanAnswer,
    User,
    YearEndAnswer,
    YearEndReview,
    YearEndVersion,
)
from wizard.domain.academic_year import year_label, year_slug
from wizard.render import pdf
from wizard.services import clock
from wizard.web.views import year_end as year_end_views


def test_not_before_the_plan_is_submitted(lead_client: FlaskClient) -> None:
    page = lead_client.get(review_url("en"))
    assert page.status_code == 200
    assert "once your plan for the year has been submitted" in text(soup(page).find("main"))
    assert lead_client.get(review_url("en", "/funding")).status_code == 404


def test_opens_from_the_summer_term(
    lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    this_year = year_slug(LAST + 1)
    submitted_plan(lead_client, this_year)
    monkeypatch.setattr(clock, "today", lambda: date(LAST + 2, 3, 31))
    hub = soup(lead_client.get(f"/cy/plan/{this_year}/"))
    task = hub.select_one("#year-end-task")
    assert task is not None and "Methu dechrau eto" in text(task)
    assert lead_client.get(review_url("en", "/funding", this_year)).status_code == 404
    monkeypatch.setattr(clock, "today", lambda: date(LAST + 2, 4, 1))
    hub = soup(lead_client.get(f"/en/plan/{this_year}/"))
    link = hub.select_one("#year-end-task a")
    assert link is not None and link["href"] == review_url("en", "", this_year)
    assert lead_client.get(review_url("en", "/funding", this_year)).status_code == 200


def test_a_large_difference_must_be_explained(lead_client: FlaskClient) -> None:
    submitted_plan(lead_client)
    # Planned £600: a tenth is £60, so £661 spent needs a reason and £660 does not.
    page = lead_client.get(review_url("en", "/funding"))
    data = {"actual_0": "661", "happened_0": "yes", "explanation": "", "revision": "0"}
    refused = lead_client.post(review_url("en", "/funding"), data=data)
    assert refused.status_code == 200
    assert error_summary(refused) == [
        "Explain why what you spent is different from what you planned"
    ]
    assert page.status_code == 200
    data["actual_0"] = "660"
    assert lead_client.post(review_url("en", "/funding"), data=data).status_code == 302


def test_fill_in_submit_and_reopen(lead_client: FlaskClient) -> None:
    submitted_plan(lead_client)
    fill_review(lead_client, "cy")
    check = lead_client.get(review_url("cy", "/check"))
    assert heading(check) == "Gwiriwch eich adolygiad diwedd blwyddyn cyn i chi ei gyflwyno"
    location = submit_review(lead_client, "cy")
    assert location == review_url("cy", "/versions/1")
    summary = lead_client.get(location)
    assert summary.status_code == 200
    body = text(soup(summary).find("main"))
    assert "£640.00" in body and "£600.00" in body
    db.session.rollback()
    version = db.session.scalar(select(YearEndVersion))
    assert version is not None and version.number == 1
    frozen = dict(version.snapshot)
    # Facts: one funding line (planned £600, spent £640), nine priorities.
    funding = db.session.execute(
        select(FactYearEndFunding.planned_pence, FactYearEndFunding.actual_pence)
    ).all()
    assert funding == [(60_000, 64_000)]
    assert db.session.scalar(select(func.count()).select_from(FactYearEndImpact)) == 9
    # A submitted review cannot be changed.
    response = lead_client.post(
        review_url("en", "/funding"),
        data={"actual_0": "1", "happened_0": "no", "revision": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == review_url("en")
    # Reopen: a new draft, version 2; version 1 stays as it was.
    assert lead_client.get(review_url("en", "/reopen")).status_code == 200
    assert lead_client.post(review_url("en", "/reopen")).status_code == 302
    db.session.rollback()
    review = db.session.scalar(select(YearEndReview))
    assert review is not None and (review.status, review.version) == ("draft", 2)
    fill_review(lead_client, "en", spent="600")
    assert submit_review(lead_client) == review_url("en", "/versions/2")
    db.session.rollback()
    first = db.session.scalar(select(YearEndVersion).where(YearEndVersion.number == 1))
    assert first is not None and first.snapshot == frozen
    latest = db.session.execute(
        select(FactYearEndFunding.actual_pence).where(FactYearEndFunding.latest.is_(True))
    ).all()
    assert latest == [(60_000,)]
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("year-end-submitted") == 2
    assert "year-end-reopened" in actions


def test_downloads(lead_client: FlaskClient) -> None:
    submitted_plan(lead_client)
    fill_review(lead_client)
    submit_review(lead_client)
    docx = lead_client.get(review_url("cy", "/versions/1/review.docx"))
    assert docx.status_code == 200
    assert docx.headers["Content-Disposition"].startswith('attachment; filename="adolygiad')
    word = Document(io.BytesIO(docx.get_data()))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [
        f"Adolygiad diwedd blwyddyn o gynllun {year_label(LAST)}",
        "Cyllid: beth a wariwyd",
        "Yr effaith ar bob blaenoriaeth",
    ]
    assert word.core_properties.language == "cy-GB"
    spending = word.tables[0]
    assert [cell.text for cell in spending.rows[1].cells][2:] == ["£600.00", "£640.00"]
    assert lead_client.get(review_url("en", "/versions/9")).status_code == 404


def test_a_colleague_fills_in_but_only_the_lead_submits(
    app: Flask, lead: User, directory: Directory
) -> None:
    colleague = directory.user("colleague@school.example", school=lead.school)
    lead_client = app.test_client()
    sign_in(lead_client, lead.email)
    submitted_plan(lead_client)
    client = app.test_client()
    sign_in(client, colleague.email)
    fill_review(client)
    check = client.get(review_url("en", "/check"))
    assert "Your school lead submits the year-end review." in text(soup(check).find("main"))
    assert client.post(review_url("en", "/check")).status_code == 403
    assert submit_review(lead_client) == review_url("en", "/versions/1")


def test_two_saves_from_the_same_page_keep_the_first(lead_client: FlaskClient) -> None:
    submitted_plan(lead_client)
    data = {"actual_0": "600", "happened_0": "yes", "explanation": "", "revision": "0"}
    assert lead_client.post(review_url("en", "/funding"), data=data).status_code == 302
    stale = lead_client.post(
        review_url("en", "/funding"), data={**data, "actual_0": "10", "explanation": "Cheaper"}
    )
    assert stale.status_code == 200
    assert "saved this section while you were working on it" in text(soup(stale).find("main"))
    db.session.rollback()
    saved = db.session.scalar(select(YearEndAnswer.data))
    assert saved is not None and saved["actuals"]
    assert [a["actual_pence"] for a in saved["actuals"].values()] == [60_000]


def test_next_year_starts_from_the_review(lead_client: FlaskClient) -> None:
    """This year's plan, started from last year's: the hallmarks' ratings are the review's,
    and the priorities not met come first on the board, saying why."""
    submitted_plan(lead_client)
    # Pedagogy met, curriculum design not met, assessment partly met (tests/year_end.py).
    fill_review(lead_client, "cy")
    submit_review(lead_client, "cy")
    this_year = year_slug(LAST + 1)
    started = lead_client.post(f"/cy/plan/{this_year}/start", data={"start": "copy"})
    assert started.status_code == 302
    db.session.rollback()
    plan = db.session.scalar(select(Plan).where(Plan.academic_year == LAST + 1))
    assert plan is not None
    answers = {
        row.step: row.data
        for row in db.session.scalars(select(PlanAnswer).where(PlanAnswer.plan_id == plan.id))
    }
    # Every hallmark was "developing" at the start of last year and "established" at its end.
    assert {answers[f"hallmark-{n}"]["rating"] for n in range(1, 9)} == {"established"}
    assert answers["hallmark-1"]["evidence"] == "Lesson visits"  # kept from last year
    assert answers["carried-over"] == {
        "cards": {"card:curriculum-design": "not-met", "card:assessment": "partly"}
    }
    board = soup(lead_client.get(f"/cy/plan/{this_year}/diamond-9/cards"))
    body = text(board.find("main"))
    assert "Heb ei bodloni yn ôl adolygiad diwedd blwyddyn y llynedd" in body
    assert "Wedi'i bodloni'n rhannol yn ôl adolygiad diwedd blwyddyn y llynedd" in body
    # The two years side by side show last year's planned against actual spending and impact.
    compared = soup(lead_client.get(f"/en/plan/{this_year}/compare"))
    review = compared.find(id="year-end-review")
    assert review is not None
    spending, impact = review.find_all_next("table")[:2]
    assert [text(td) for td in spending.select("tbody td")] == ["£600.00", "£640.00"]
    rows = {
        text(tr.find("th")): [text(td) for td in tr.find_all("td")]
        for tr in impact.select("tbody tr")
    }
    assert rows["Pedagogy and teaching approaches"] == ["Met", "Staff's practice"]
    assert rows["Curriculum design"] == ["Not met", "Staff's reactions"]


def test_an_empty_plan_can_still_start_from_last_year(lead_client: FlaskClient) -> None:
    """A plan made with nothing in it yet (a staff voice round opened first) is offered the
    start from last year's, and takes the review's ratings."""
    submitted_plan(lead_client)
    fill_review(lead_client)
    submit_review(lead_client)
    this_year = year_slug(LAST + 1)
    school_id = db.session.scalar(select(Plan.school_id))
    db.session.add(Plan(school_id=school_id, academic_year=LAST + 1))
    db.session.commit()
    hub = soup(lead_client.get(f"/en/plan/{this_year}/"))
    assert hub.select_one("input#start-copy") is not None
    assert (
        lead_client.post(f"/en/plan/{this_year}/start", data={"start": "empty"}).status_code == 302
    )
    db.session.rollback()
    plan = db.session.scalar(select(Plan).where(Plan.academic_year == LAST + 1))
    assert plan is not None
    ratings = db.session.scalars(select(PlanAnswer.data).where(PlanAnswer.plan_id == plan.id)).all()
    assert len(ratings) == 9  # eight ratings and the priorities carried over
    # Started once: a second start is refused (the plan has answers now).
    hub = soup(lead_client.get(f"/en/plan/{this_year}/"))
    assert hub.select_one("input#start-copy") is None


def test_a_versions_word_file_is_made_once_per_language_in_a_render_slot(
    app: Flask, lead_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review finding 14: it was rendered afresh on every request, outside the render slots
    and the per-user limit, and its bytes differed each time."""
    submitted_plan(lead_client)
    fill_review(lead_client)
    submit_review(lead_client)
    renders: list[str] = []
    real = year_end_views.render_year_end_docx

    def counting(context: dict[str, object]) -> bytes:
        renders.append(str(context["document"].__class__.__name__))
        return real(context)

    monkeypatch.setattr(year_end_views, "render_year_end_docx", counting)
    url = review_url("en", "/versions/1/review.docx")
    first = lead_client.get(url)
    second = lead_client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1
    assert first.get_data() == second.get_data()
    # The kept copy is byte for byte what a fresh render gives.
    with app.app_context():
        assert pdf.clear_pdf_cache() >= 1
    assert lead_client.get(url).get_data() == first.get_data()
    assert len(renders) == 2
    # Welsh is a file of its own; with every render slot taken it is a busy page, not a render.
    slots = pdf._process_slots(app.config["PDF_RENDERS_PER_PROCESS"])
    held = 0
    while slots.acquire(blocking=False):
        held += 1
    try:
        busy = lead_client.get(review_url("cy", "/versions/1/review.docx"))
    finally:
        for _ in range(held):
            slots.release()
    assert busy.status_code == 503
    assert len(renders) == 2
    welsh = lead_client.get(review_url("cy", "/versions/1/review.docx"))
    assert welsh.status_code == 200 and welsh.get_data() != first.get_data()
    assert len(renders) == 3
    # It counts towards the user's limit on files, with the PDFs.
    monkeypatch.setitem(app.config, "PDF_REQUESTS_PER_USER", "2 per minute")
    assert lead_client.get(url).status_code == 200
    assert lead_client.get(review_url("en", "/versions/1/review.pdf")).status_code == 200
    assert lead_client.get(url).status_code == 429


def _add_line(client: FlaskClient, description: str, lang: str = "en") -> Any:
    page = client.get(review_url(lang, "/funding/add"))
    revision = page.soup.select_one("input[name=revision]")["value"]  # type: ignore[attr-defined]
    return client.post(
        review_url(lang, "/funding/add"),
        data={
            "revision": revision,
            "purpose": "release-and-cover",
            "priority": "",
            "description": description,
            "amount": "10",
        },
    )


def _added() -> list[str]:
    db.session.rollback()
    saved = db.session.scalar(select(YearEndAnswer.data).where(YearEndAnswer.section == "funding"))
    return [line["description"] for line in (saved or {}).get("added", [])]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "You can add up to 30 lines of spending that was not in your plan."),
        ("cy", "Gallwch ychwanegu hyd at 30 o linellau gwariant nad oedd yn eich cynllun."),
    ],
)
def test_at_the_most_added_lines_the_link_goes_and_the_next_line_is_kept_with_an_error(
    lead_client: FlaskClient, lang: str, said: str
) -> None:
    """Review finding 11: the 31st line was a bare 400 that lost what was typed, and the
    funding page kept offering to add one."""
    submitted_plan(lead_client)
    for number in range(30):
        assert _add_line(lead_client, f"Line {number}", lang).status_code == 302
    funding = soup(lead_client.get(review_url(lang, "/funding")))
    assert not funding.select(f"a[href='{review_url(lang, '/funding/add')}']")
    assert said in text(funding.find("main"))
    response = _add_line(lead_client, "Supply cover for the triads", lang)
    assert response.status_code == 200
    assert any(said in item for item in error_summary(response))
    typed = soup(response).select_one("input[name=description]")
    assert typed is not None and typed["value"] == "Supply cover for the triads"
    assert len(_added()) == 30


def test_two_added_lines_removed_one_after_the_other_from_the_same_page(
    lead_client: FlaskClient,
) -> None:
    """Review finding 12: the second removal said the user themself had saved the section
    meanwhile, and removed nothing."""
    submitted_plan(lead_client)
    for description in ("First", "Second", "Third"):
        assert _add_line(lead_client, description).status_code == 302
    page = soup(lead_client.get(review_url("en", "/funding")))
    forms = page.select("form[action*='/remove']")
    sent = [
        (form["action"], {i["name"]: i.get("value", "") for i in form.select("input")})
        for form in forms[:2]
    ]
    for action, data in sent:
        response = lead_client.post(str(action), data=data, follow_redirects=True)
        main = text(soup(response).find("main"))
        assert "The line has been removed." in main
        assert "saved this section while you were working on it" not in main
    assert _added() == ["Third"]
    # The same button again (a second click): already done, nothing else changes.
    again = lead_client.post(str(sent[0][0]), data=sent[0][1], follow_redirects=True)
    assert "That line had already been removed." in text(soup(again).find("main"))
    assert _added() == ["Third"]


def test_the_clusters_coordinators_are_emailed_when_a_review_is_submitted(
    app: Flask, client: FlaskClient, directory: Directory
) -> None:
    cluster = directory.cluster()
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@cluster.example", school=school, lead=True)
    directory.user("cydlynydd@cluster.example", coordinator_of=[cluster], locale="cy")
    directory.user("coordinator@cluster.example", coordinator_of=[cluster], locale="en")
    sign_in(client, lead.email)
    submitted_plan(client)
    fill_review(client)
    submit_review(client)
    db.session.rollback()
    mails = {
        mail.recipient: mail
        for mail in db.session.scalars(
            select(OutboxMail).where(OutboxMail.event.like("review-submitted:%"))
        )
    }
    assert sorted(mails) == ["coordinator@cluster.example", "cydlynydd@cluster.example"]
    english, welsh = mails["coordinator@cluster.example"], mails["cydlynydd@cluster.example"]
    assert english.subject == "Oakfield Primary School has submitted its year-end review"
    assert welsh.locale == "cy" and "Ysgol Gynradd Oakfield" in welsh.subject
    link = f"/clusters/{cluster.id}/schools/{school.id}/{LAST_SLUG}/year-end"
    assert f"/en{link}" in english.body and f"/cy{link}" in welsh.body
    # The link works for the coordinator, in their language.
    coordinator = app.test_client()
    sign_in(coordinator, "cydlynydd@cluster.example")
    assert coordinator.get(f"/cy{link}").status_code == 200


@pytest.mark.parametrize(
    ("lang", "review", "submitted", "reopened", "impact"),
    [
        (
            "en",
            "Year-end review",
            "Submitted version 1 of the year-end review",
            "Reopened the year-end review to make changes",
            "Saved the impact on “",
        ),
        (
            "cy",
            "Adolygiad diwedd blwyddyn",
            "Wedi cyflwyno fersiwn 1 o'r adolygiad diwedd blwyddyn",
            "Wedi ailagor yr adolygiad diwedd blwyddyn i wneud newidiadau",
            "Wedi cadw'r effaith ar “",
        ),
    ],
)
def test_the_reviews_changes_are_in_the_plans_history(
    lead_client: FlaskClient, lang: str, review: str, submitted: str, reopened: str, impact: str
) -> None:
    submitted_plan(lead_client)
    fill_review(lead_client)
    submit_review(lead_client)
    assert lead_client.post(review_url("en", "/reopen")).status_code == 302
    page = soup(lead_client.get(f"/{lang}/plan/{LAST_SLUG}/history"))
    found = [[text(cell) for cell in row.find_all("td")] for row in page.select("tbody tr")]
    assert found[0][2:] == [review, reopened]
    assert found[1][2:] == [review, submitted]
    parts = [row[2] for row in found]
    whats = [row[3] for row in found]
    # Each saved section, named: nine priorities' impact, the funding, hallmarks, carry-over.
    assert sum(what.startswith(impact) for what in whats) == 9
    assert sum(part.startswith(f"{review}: ") for part in parts) == 12
