"""Success criteria (issue 25, point 1): an optional step after the Diamond 9 where each of the
nine priorities can say what will be different if it goes well and how the school will know;
shown on check answers, the summary, the PDF and Word files, the shared and coordinator pages,
and frozen with the version. Criteria follow their card, not its place."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import error_summary, soup, text
from tests.plans import NINE, write_plan
from wizard.data.database import db
from wizard.data.models import Plan, PlanAnswer, PlanVersion, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
STEP = f"/en/plan/{YEAR}/success-criteria"


def criteria_form(client: FlaskClient, lang: str = "en", **answers: str) -> dict[str, str]:
    """The step's form as the page shows it, with `difference_<place>` etc. changed."""
    page = soup(client.get(f"/{lang}/plan/{YEAR}/success-criteria"))
    data = {
        field["name"]: field.get("value") or field.get_text() or ""
        for field in page.select("#step-form input[type=hidden], #step-form textarea")
    }
    return {**data, **answers}


def place_of(client: FlaskClient, card: str) -> str:
    page = soup(client.get(STEP))
    field = page.find("input", attrs={"value": card})
    assert field is not None, card
    return str(field["name"]).removeprefix("card_")


def board(app: Flask, school_id: int) -> PlanAnswer:
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.school_id == school_id))
        assert plan is not None
        answer = db.session.scalar(
            select(PlanAnswer).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == "diamond-9")
        )
        assert answer is not None
        db.session.expunge(answer)
        return answer


def set_board(app: Flask, school_id: int, slots: dict[str, str]) -> None:
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.school_id == school_id))
        assert plan is not None
        answer = db.session.scalar(
            select(PlanAnswer).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == "diamond-9")
        )
        assert answer is not None
        answer.data = {"slots": slots}
        answer.revision += 1
        db.session.commit()


def test_the_step_follows_the_board_and_is_optional(lead_client: FlaskClient) -> None:
    hub = lead_client.get(f"/en/plan/{YEAR}/")
    assert "Success criteria" in text(soup(hub).select_one(".govuk-task-list"))
    # Before the board is complete the step cannot start.
    assert lead_client.get(STEP).status_code == 302
    write_plan(lead_client, YEAR)
    page = lead_client.get(STEP)
    assert page.status_code == 200
    legends = [text(legend) for legend in soup(page).select("legend")]
    assert len(legends) == 9 and legends[0] == "Pedagogy and teaching approaches"
    # Optional: the plan can be submitted without it, and the task list counts five tasks.
    hub = lead_client.get(f"/en/plan/{YEAR}/")
    assert "You have completed 5 of 5 tasks." in text(soup(hub))
    assert lead_client.get(f"/en/plan/{YEAR}/submit").status_code == 200


def test_saving_without_javascript_and_showing_on_check_and_summary(
    lead_client: FlaskClient,
) -> None:
    write_plan(lead_client, YEAR)
    place = place_of(lead_client, "card:assessment")
    saved = lead_client.post(
        STEP,
        data=criteria_form(
            lead_client,
            **{
                f"difference_{place}": "Every class uses feedback that moves learning on",
                f"evidence_{place}": "Book looks each half term",
            },
        ),
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/en/plan/{YEAR}/success-criteria/check")
    check = text(soup(lead_client.get(f"/en/plan/{YEAR}/success-criteria/check")))
    assert "Every class uses feedback that moves learning on" in check
    assert "Book looks each half term" in check
    whole = text(soup(lead_client.get(f"/en/plan/{YEAR}/check-your-answers")))
    assert "Every class uses feedback that moves learning on" in whole
    summary = soup(lead_client.get(f"/en/plan/{YEAR}/summary"))
    section = summary.select(".app-summary__criteria")
    assert [text(s.select_one("h3")) for s in section] == ["Assessment and progression"]
    assert "Book looks each half term" in text(section[0])
    # Reopening the step shows what was saved.
    again = soup(lead_client.get(STEP))
    assert (
        text(again.find("textarea", attrs={"name": f"difference_{place}"}))
        == "Every class uses feedback that moves learning on"
    )


def test_too_long_answers_are_refused_with_the_priority_named_in_both_languages(
    lead_client: FlaskClient,
) -> None:
    write_plan(lead_client, YEAR)
    place = place_of(lead_client, "card:pedagogy")
    for lang, expected in (
        (
            "en",
            "What will be different for “Pedagogy and teaching approaches” must be 1,000 characters or fewer",
        ),
        (
            "cy",
            "Rhaid i'r hyn fydd yn wahanol ar gyfer “Addysgeg a dulliau addysgu” fod yn 1,000 nod neu lai",
        ),
    ):
        response = lead_client.post(
            f"/{lang}/plan/{YEAR}/success-criteria",
            data=criteria_form(lead_client, lang, **{f"difference_{place}": "x" * 1001}),
        )
        assert response.status_code == 200
        assert error_summary(response) == [expected]
    # Nothing was saved.
    assert "x" * 1001 not in lead_client.get(f"/en/plan/{YEAR}/summary").get_data(as_text=True)


def test_criteria_follow_their_card_and_a_card_taken_off_shows_none(
    app: Flask, lead_client: FlaskClient, lead: User
) -> None:
    write_plan(lead_client, YEAR)
    place = place_of(lead_client, "card:pedagogy")
    assert place == "1"
    lead_client.post(
        STEP, data=criteria_form(lead_client, **{"difference_1": "Questioning that deepens"})
    )
    slots = dict(board(app, lead.school_id or 0).data["slots"])
    # Swap the top card with the bottom one: the criteria move with the card.
    slots["1"], slots["9"] = slots["9"], slots["1"]
    set_board(app, lead.school_id or 0, slots)
    assert place_of(lead_client, "card:pedagogy") == "9"
    page = soup(lead_client.get(STEP))
    assert text(page.find("textarea", attrs={"name": "difference_9"})) == "Questioning that deepens"
    assert text(page.find("textarea", attrs={"name": "difference_1"})) == ""
    # Taken off the board (a card from the bank in its place): nothing shows anywhere.
    slots["9"] = "card:inclusion"
    set_board(app, lead.school_id or 0, slots)
    for url in (STEP, f"/en/plan/{YEAR}/summary", f"/en/plan/{YEAR}/check-your-answers"):
        assert "Questioning that deepens" not in lead_client.get(url).get_data(as_text=True)
    # Saving the step meanwhile keeps it (hidden); put back, the card finds its criteria.
    lead_client.post(STEP, data=criteria_form(lead_client))
    slots["9"] = "card:pedagogy"
    set_board(app, lead.school_id or 0, slots)
    assert "Questioning that deepens" in text(soup(lead_client.get(f"/en/plan/{YEAR}/summary")))


def test_frozen_with_the_version_and_shown_in_every_reading(
    app: Flask, directory: Directory, client: FlaskClient
) -> None:
    cluster = directory.cluster()
    school = directory.school(cluster=cluster)
    lead = directory.user("lead@school.example", school=school, lead=True)
    coordinator = directory.user("coord@la.example", coordinator_of=[cluster])
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    place = place_of(client, NINE[2])
    # Written on a Welsh page: marked as Welsh on an English one.
    client.post(
        f"/cy/plan/{YEAR}/success-criteria",
        data=criteria_form(client, "cy", **{f"difference_{place}": "Adborth sy'n symud ymlaen"}),
    )
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    with app.app_context():
        version = db.session.scalar(select(PlanVersion))
        assert version is not None
        stored = version.snapshot
    assert stored["schema_version"] == 3
    cards = stored["answers"]["success-criteria"]["cards"]
    assert cards[NINE[2]]["difference"] == "Adborth sy'n symud ymlaen"
    summary = soup(client.get(f"/en/plan/{YEAR}/versions/1"))
    answer = summary.select_one(".app-summary__criteria .app-answer")
    assert text(answer) == "Adborth sy'n symud ymlaen" and answer["lang"] == "cy"
    word = client.get(f"/en/plan/{YEAR}/versions/1.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.data)).paragraphs]
    assert "Success criteria" in paragraphs
    assert "Adborth sy'n symud ymlaen" in paragraphs
    pdf = client.get(f"/cy/plan/{YEAR}/versions/1.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # The coordinator reads it on the plan's page.
    client.post("/en/sign-out")
    sign_in(client, coordinator.email)
    cluster_page = client.get(f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}")
    assert "Adborth sy'n symud ymlaen" in text(soup(cluster_page))


def test_criteria_typed_for_a_card_taken_off_meanwhile_are_kept_under_their_card(
    app: Flask, lead_client: FlaskClient, lead: User
) -> None:
    """Review finding 5: nothing typed is lost. The page was opened with pedagogy at place 1; a
    colleague takes it off the board before the save: what was typed for it is kept (hidden,
    as criteria of a card taken off are) and shows again when the card is put back."""
    write_plan(lead_client, YEAR)
    form = criteria_form(lead_client, **{"difference_1": "Typed while the board changed"})
    assert form["card_1"] == "card:pedagogy"
    slots = dict(board(app, lead.school_id or 0).data["slots"])
    slots["1"] = "card:inclusion"
    set_board(app, lead.school_id or 0, slots)
    assert lead_client.post(STEP, data=form).status_code == 302
    # Saving again from a fresh page (pedagogy not on it) keeps it still.
    assert lead_client.post(STEP, data=criteria_form(lead_client)).status_code == 302
    assert "Typed while the board changed" not in lead_client.get(STEP).get_data(as_text=True)
    slots["1"] = "card:pedagogy"
    set_board(app, lead.school_id or 0, slots)
    page = soup(lead_client.get(STEP))
    assert text(page.find("textarea", attrs={"name": "difference_1"})) == (
        "Typed while the board changed"
    )
