"""Complete plans for tests that need one.

`write_plan` writes a complete plan straight to the database through the data layer, in the
shapes the routes store (each step's answers, the board, a funding line, the three "I have
completed this section" answers): a handful of statements where walking the routes takes
about 42 requests. `complete_plan` fills the same plan in through the routes, for the tests
where the journey is the point; tests/integration/test_plan_factory.py checks that the two
store the same answers.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.html import field_value, soup
from wizard.data.accounts import SESSION_TOKEN_KEY, token_hash
from wizard.data.database import db
from wizard.data.models import Plan, User, UserSession
from wizard.data.plans import answers_of, get_or_create_plan, save_step
from wizard.data.versions import confirmed_revisions
from wizard.domain import framework
from wizard.domain.academic_year import parse_year_slug
from wizard.domain.diamond import to_stored
from wizard.domain.funding import new_line_id
from wizard.domain.journey import (
    ABOUT_STEP,
    BOARD_STEP,
    CONTEXTS,
    FUNDING_PLAN,
    FUNDING_STEP,
    HALLMARKS,
)

NINE = [
    "card:pedagogy",
    "card:curriculum-design",
    "card:assessment",
    "card:well-being",
    "card:welsh-language",
    "card:equity",
    "card:coaching-and-mentoring",
    "card:digital-competence",
    "card:early-years",
]
LINE = {
    "purpose": "release-and-cover",
    "priority": "card:pedagogy",
    "beneficiaries": ["teachers", "support-staff"],
    "term": "autumn",
    "description": "Cover so that triads can plan together",
    "amount": "600",
}
ABOUT = {
    "phase": "primary",
    "teaching_staff": "12",
    "support_staff": "8",
    "pl_lead": "Catrin Jones",
    "funding_allocation": "1000",
}


def evidence_of(number: int) -> str:
    """The evidence ("How do you know?") a plan made with `distinct_evidence=True` gives."""
    return f"Lesson visits and pupil voice, hallmark {number}"


def _hallmark(number: int, distinct_evidence: bool) -> dict[str, str]:
    return {
        "rating": "developing",
        "evidence": evidence_of(number) if distinct_evidence else "Lesson visits",
        "next_steps": "Coaching",
    }


def _first_element(context: str) -> str:
    return framework.elements_of(context)[0].key


# The factory.


def plan_answers(
    reflection: str = "Our reflection", distinct_evidence: bool = False, lang: str = "en"
) -> dict[str, dict[str, Any]]:
    """Each step's answers of a complete plan, as the routes store them (money in pence,
    numbers as numbers, the board by slot, a funding line with the language it was written
    in)."""
    answers: dict[str, dict[str, Any]] = {
        ABOUT_STEP: {
            "phase": ABOUT["phase"],
            "teaching_staff": int(ABOUT["teaching_staff"]),
            "support_staff": int(ABOUT["support_staff"]),
            "pl_lead": ABOUT["pl_lead"],
            "funding_allocation_pence": int(ABOUT["funding_allocation"]) * 100,
        }
    }
    for context in framework.CONTEXTS:
        answers[f"context-{context.key}"] = {
            "reflection": reflection,
            "priorities": [_first_element(context.key)],
        }
    for number in range(1, 9):
        answers[f"hallmark-{number}"] = _hallmark(number, distinct_evidence)
    answers[BOARD_STEP] = {"slots": to_stored(dict(enumerate(NINE, start=1)))}
    line = {
        "id": new_line_id(),
        "purpose": LINE["purpose"],
        "purpose_other": "",
        "priority": LINE["priority"],
        "beneficiaries": list(LINE["beneficiaries"]),
        "term": LINE["term"],
        "description": LINE["description"],
        "amount_pence": int(LINE["amount"]) * 100,
        "lang": lang,
    }
    answers[FUNDING_STEP] = {"lines": [line]}
    return answers


def write_plan_for(
    user: User,
    academic_year: int,
    reflection: str = "Our reflection",
    distinct_evidence: bool = False,
    lang: str = "en",
) -> Plan:
    """Write a complete plan of the user's school for the year through the data layer (over
    any answers it has), every task confirmed complete, as `user` would by the routes on pages
    in `lang` (the language each answer's text is kept as written in)."""
    assert user.school_id is not None, "only a school's member fills in its plan"
    plan = get_or_create_plan(user.school_id, academic_year)
    existing = answers_of(plan)
    for step, data in plan_answers(reflection, distinct_evidence, lang).items():
        based_on = existing[step].revision if step in existing else 0
        written_in = None if step == BOARD_STEP else lang  # a move on the board writes no text
        saved = save_step(plan, step, data, based_on, user, commit=False, lang=written_in)
        assert saved.saved, step
    answers = answers_of(plan)
    for task in (CONTEXTS, HALLMARKS, FUNDING_PLAN):
        marked = answers.get(task.completion_key)
        data = {"completed": True, "revisions": confirmed_revisions(task, answers)}
        result = save_step(
            plan, task.completion_key, data, marked.revision if marked else 0, user, commit=False
        )
        assert result.saved, task.key
    db.session.commit()
    return plan


def signed_in_user(client: FlaskClient) -> User:
    """The user the client is signed in as (from its session's token)."""
    with client.session_transaction() as session:
        token = session[SESSION_TOKEN_KEY]
    user = db.session.scalar(
        select(User).join(UserSession).where(UserSession.token_hash == token_hash(token))
    )
    assert user is not None, "the client is not signed in"
    return user


def write_plan(
    client: FlaskClient,
    year: str,
    reflection: str = "Our reflection",
    distinct_evidence: bool = False,
    lang: str = "en",
) -> None:
    """`write_plan_for` the user the client is signed in as, for the year of the slug. It
    writes in an app context (and so a database session) of its own, as a request would: the
    test's own session holds nothing it wrote."""
    academic_year = parse_year_slug(year)
    assert academic_year is not None, year
    with client.application.app_context():
        write_plan_for(signed_in_user(client), academic_year, reflection, distinct_evidence, lang)


# Through the routes.


def revision(client: FlaskClient, url: str) -> str:
    return field_value(client.get(url), "revision") or "0"


def complete_plan(
    client: FlaskClient,
    year: str,
    lang: str = "en",
    reflection: str = "Our reflection",
    distinct_evidence: bool = False,
) -> None:
    """Fill in a whole plan through the routes, as the signed-in user would; every post must
    be saved."""
    base = f"/{lang}/plan/{year}"
    posts: list[tuple[str, dict[str, Any]]] = [("/about-your-school", ABOUT)]
    for context in framework.CONTEXTS:
        first = _first_element(context.key)
        posts.append((f"/context-{context.key}", {"reflection": reflection, "priorities": [first]}))
    for number in range(1, 9):
        posts.append((f"/hallmark-{number}", _hallmark(number, distinct_evidence)))
    for path, data in posts:
        response = client.post(
            base + path, data={**data, "revision": revision(client, base + path)}
        )
        assert response.status_code == 302, (path, response.status_code)
    for task in ("contexts", "hallmarks"):
        completed = client.post(
            f"{base}/{task}/check",
            data={"revision": revision(client, f"{base}/{task}/check"), "completed": "yes"},
        )
        assert completed.status_code == 302, (task, completed.status_code)
    version = int(soup(client.get(f"{base}/diamond-9")).find(id="diamond-board")["data-version"])
    for card in NINE:
        moved = client.post(
            f"{base}/diamond-9/move", data={"version": str(version), "card": card, "to": "next"}
        )
        assert moved.status_code == 302, (card, moved.status_code)
        version += 1
    line = client.post(
        f"{base}/funding-plan/lines/new",
        data={**LINE, "revision": revision(client, f"{base}/funding-plan/lines/new")},
    )
    assert line.status_code == 302, line.status_code
    completed = client.post(
        f"{base}/funding-plan/check",
        data={"revision": revision(client, f"{base}/funding-plan/check"), "completed": "yes"},
    )
    assert completed.status_code == 302, completed.status_code
