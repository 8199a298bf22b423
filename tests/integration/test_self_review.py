"""The self-review: the three contexts and the eight hallmarks, in Welsh and in English."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import error_summary, field_value, heading, soup, task_status, title
from tests.i18n import translate
from wizard.data.database import db
from wizard.data.models import PlanAnswer, User
from wizard.data.plans import get_or_create_plan, save_step
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
PLAN = f"/{{lang}}/plan/{YEAR}"


def url(lang: str, path: str) -> str:
    return PLAN.format(lang=lang) + path


def t(app: Flask, lang: str, msgid: str, **variables: Any) -> str:
    """The text a page in `lang` shows for an English message."""
    return translate(app, lang, msgid, **variables)


def hallmark_answer(number: int) -> dict[str, str]:
    return {
        "revision": "0",
        "rating": ["not-yet-started", "developing", "established", "embedded", "not-sure"][
            number % 5
        ],
        "evidence": f"Evidence for hallmark {number}:\nlesson visits and staff survey",
        "next_steps": f"Next steps for hallmark {number}",
    }


def complete_contexts(client: FlaskClient, lang: str) -> None:
    for key in ("school", "regional", "national"):
        elements = [e.key for e in framework.elements_of(key)]
        revision = field_value(client.get(url(lang, f"/context-{key}")), "revision")
        response = client.post(
            url(lang, f"/context-{key}"),
            data={
                "revision": revision,
                "reflection": f"Our {key} reflection",
                "priorities": elements[:1],
            },
        )
        assert response.status_code == 302, error_summary(response)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_school_reviews_every_context_and_hallmark(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    hub = lead_client.get(url(lang, "/"))
    contexts_title = t(app, lang, "Contexts of the national approach")
    hallmarks_title = t(app, lang, "Self-review against the eight hallmarks")
    assert task_status(hub, contexts_title) == t(app, lang, "Not yet started")

    # The contexts, one page each, in order, each showing its elements.
    page = lead_client.get(url(lang, "/context-school"))
    assert heading(page) == t(app, lang, "School context")
    shown = [h.get_text(strip=True) for h in soup(page).select(".app-element h2")]
    assert shown == [t(app, lang, str(e.title._args[0])) for e in framework.elements_of("school")]  # type: ignore[attr-defined]
    locations = []
    for key in ("school", "regional", "national"):
        elements = [e.key for e in framework.elements_of(key)]
        response = lead_client.post(
            url(lang, f"/context-{key}"),
            data={
                "revision": "0",
                "reflection": f"Our {key} reflection",
                "priorities": elements[-1:],
            },
        )
        locations.append(response.headers["Location"])
    assert locations == [
        url(lang, "/context-regional"),
        url(lang, "/context-national"),
        url(lang, "/contexts/check"),
    ]
    assert task_status(lead_client.get(url(lang, "/")), contexts_title) == t(
        app, lang, "In progress"
    )

    check = lead_client.get(url(lang, "/contexts/check"))
    assert "Our regional reflection" in check.get_data(as_text=True)
    assert t(app, lang, "Have you completed this section?") in check.get_data(as_text=True)
    done = lead_client.post(
        url(lang, "/contexts/check"), data={"revision": "0", "completed": "yes"}
    )
    assert done.headers["Location"] == url(lang, "/")
    assert task_status(lead_client.get(url(lang, "/")), contexts_title) == t(app, lang, "Completed")

    # The hallmarks: "Hallmark 3 of 8", then the next, then the check page.
    page = lead_client.get(url(lang, "/hallmark-3"))
    caption = soup(page).select_one(".govuk-caption-l").get_text(strip=True)
    assert caption == t(app, lang, "Hallmark %(number)d of %(count)d", number=3, count=8)
    for number in range(1, 9):
        response = lead_client.post(url(lang, f"/hallmark-{number}"), data=hallmark_answer(number))
        expected = (
            url(lang, f"/hallmark-{number + 1}") if number < 8 else url(lang, "/hallmarks/check")
        )
        assert response.headers["Location"] == expected
    check = lead_client.get(url(lang, "/hallmarks/check"))
    cards = soup(check).select(".govuk-summary-card")
    assert len(cards) == 8
    assert "Next steps for hallmark 8" in cards[7].get_text()
    lead_client.post(url(lang, "/hallmarks/check"), data={"revision": "0", "completed": "yes"})
    hub = lead_client.get(url(lang, "/"))
    assert task_status(hub, hallmarks_title) == t(app, lang, "Completed")

    # Everything so far on one page.
    whole = lead_client.get(url(lang, "/check-your-answers"))
    assert heading(whole) == t(app, lang, "Check your answers: your plan so far")
    # The contexts, the hallmarks, the Diamond 9 and the success criteria of its priorities.
    assert len(soup(whole).select(".govuk-summary-card")) == 3 + 8 + 1 + 1


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_context_and_hallmark_pages_explain_what_is_missing_in_the_page_language(
    app: Flask, lead_client: FlaskClient, lang: str
) -> None:
    empty = lead_client.post(url(lang, "/context-school"), data={"revision": "0"})
    assert title(empty).startswith(t(app, lang, "Error:"))
    assert error_summary(empty) == [
        t(app, lang, "Enter what this context means for your professional learning priorities")
    ]

    too_long = lead_client.post(
        url(lang, "/context-school"), data={"revision": "0", "reflection": "x" * 2001}
    )
    assert error_summary(too_long) == [
        t(app, lang, "Your answer must be 2,000 characters or fewer")
    ]
    assert soup(too_long).find("textarea", attrs={"name": "reflection"}).get_text() == "x" * 2001

    tampered = lead_client.post(
        url(lang, "/context-school"),
        data={"revision": "0", "reflection": "Fine", "priorities": ["professional-standards"]},
    )
    assert error_summary(tampered) == [t(app, lang, "Select elements from the list")]

    hallmark = lead_client.post(
        url(lang, "/hallmark-1"), data={"revision": "0", "rating": "brilliant"}
    )
    messages = error_summary(hallmark)
    assert messages[1:] == [
        t(app, lang, "Enter how you know"),
        t(app, lang, "Enter what you will do next"),
    ]
    assert len(messages) == 3
    missing = lead_client.post(
        url(lang, "/hallmark-1"), data={"revision": "0", "evidence": "a", "next_steps": "b"}
    )
    assert error_summary(missing) == [t(app, lang, "Select how well your school does this")]
    assert db.session.scalar(select(PlanAnswer)) is None


def test_the_character_count_speaks_welsh_with_every_plural_form(lead_client: FlaskClient) -> None:
    page = lead_client.get(url("cy", "/context-school"))
    counter = soup(page).find(attrs={"data-module": "govuk-character-count"})
    assert counter["data-maxlength"] == "2000"
    keys = {k for k in counter.attrs if k.startswith("data-i18n.characters-under-limit.")}
    assert keys == {
        f"data-i18n.characters-under-limit.{c}"
        for c in ("zero", "one", "two", "few", "many", "other")
    }
    assert "%{count}" in counter["data-i18n.characters-under-limit.other"]
    hint = soup(page).find(id="reflection-info").get_text(strip=True)
    # The number written as the errors write it ("2,000 nod").
    assert hint == "Gallwch ddefnyddio hyd at 2,000 nod"


def test_change_a_hallmark_from_check_your_answers_and_come_back(lead_client: FlaskClient) -> None:
    for number in range(1, 9):
        lead_client.post(url("cy", f"/hallmark-{number}"), data=hallmark_answer(number))
    check = lead_client.get(url("cy", "/hallmarks/check"))
    change = soup(check).select_one(f'a[href="{url("cy", "/hallmark-3")}?return_to=check"]')
    assert change is not None
    page = lead_client.get(change["href"])
    assert soup(page).select_one(".govuk-back-link")["href"] == url("cy", "/hallmarks/check")
    assert field_value(page, "revision") == "1"
    saved = lead_client.post(
        change["href"], data={**hallmark_answer(3), "revision": "1", "rating": "embedded"}
    )
    assert saved.headers["Location"] == url("cy", "/hallmarks/check")


def test_change_from_the_whole_plan_returns_to_the_whole_plan(lead_client: FlaskClient) -> None:
    complete_contexts(lead_client, "en")
    whole = lead_client.get(url("en", "/check-your-answers"))
    change = soup(whole).select_one(f'a[href="{url("en", "/context-regional")}?return_to=plan"]')
    assert change is not None
    saved = lead_client.post(change["href"], data={"revision": "1", "reflection": "Changed"})
    assert saved.headers["Location"] == url("en", "/check-your-answers")
    assert "Changed" in lead_client.get(saved.headers["Location"]).get_data(as_text=True)


def test_the_completion_question_needs_an_answer_and_appears_only_when_all_is_answered(
    app: Flask, lead_client: FlaskClient
) -> None:
    lead_client.post(url("cy", "/context-school"), data={"revision": "0", "reflection": "Ours"})
    partial = lead_client.get(url("cy", "/contexts/check"))
    assert soup(partial).find("input", attrs={"name": "completed"}) is None
    assert t(app, "cy", "Some answers are still needed to complete this task.") in partial.get_data(
        as_text=True
    )
    complete_contexts(lead_client, "cy")
    no_answer = lead_client.post(url("cy", "/contexts/check"), data={"revision": "0"})
    assert error_summary(no_answer) == [
        t(app, "cy", "Select whether you have completed this section")
    ]
    later = lead_client.post(
        url("cy", "/contexts/check"), data={"revision": "0", "completed": "no"}
    )
    assert later.status_code == 302
    hub = lead_client.get(url("cy", "/"))
    assert task_status(hub, t(app, "cy", "Contexts of the national approach")) == t(
        app, "cy", "In progress"
    )


def test_a_stale_hallmark_save_keeps_the_typed_answer(
    app: Flask, directory: Directory, lead: User
) -> None:
    directory.user(email="colleague@school.example", school=lead.school, name="Rhys Evans")
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, lead.email, lang="cy")
    sign_in(theirs, "colleague@school.example")
    theirs.post(url("en", "/hallmark-2"), data={**hallmark_answer(2), "evidence": "Their evidence"})
    stale = mine.post(
        url("cy", "/hallmark-2"), data={**hallmark_answer(2), "evidence": "My evidence"}
    )
    assert stale.status_code == 409
    assert soup(stale).find("textarea", attrs={"name": "evidence"}).get_text() == "My evidence"
    assert "Their evidence" in stale.get_data(as_text=True)
    assert "Rhys Evans" in stale.get_data(as_text=True)
    assert soup(stale).find("html")["lang"] == "cy"


def test_two_saves_based_on_the_same_revision_race_and_exactly_one_wins(
    app: Flask, directory: Directory, lead: User
) -> None:
    """Two workers saving at the same moment: the compare-and-set lets exactly one through."""
    other = directory.user(email="colleague@school.example", school=lead.school)
    with app.app_context():
        plan = get_or_create_plan(lead.school_id, academic_year_of(date.today()))
        user = db.session.get(User, lead.id)
        assert user is not None
        assert save_step(plan, "hallmark-1", {"rating": "developing"}, 0, user).saved
        plan_id = plan.id
    barrier = threading.Barrier(2)
    results: dict[str, bool] = {}

    def save(who: int, text: str) -> None:
        with app.app_context():
            from wizard.data.models import Plan

            plan = db.session.get(Plan, plan_id)
            user = db.session.get(User, who)
            assert plan is not None and user is not None
            barrier.wait()
            results[text] = save_step(
                plan, "hallmark-1", {"rating": "embedded", "evidence": text}, 1, user
            ).saved
            db.session.remove()

    threads = [
        threading.Thread(target=save, args=(lead.id, "first")),
        threading.Thread(target=save, args=(other.id, "second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False, True]
    winner = next(text for text, saved in results.items() if saved)
    db.session.rollback()
    row = db.session.scalar(select(PlanAnswer).where(PlanAnswer.step == "hallmark-1"))
    assert row.revision == 2
    assert row.data["evidence"] == winner
