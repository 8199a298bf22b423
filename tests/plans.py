"""Fill in a whole plan through the Flask client, for tests that need one."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.html import field_value, soup
from wizard.domain import framework

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


def revision(client: FlaskClient, url: str) -> str:
    return field_value(client.get(url), "revision") or "0"


def evidence_of(number: int) -> str:
    """The evidence ("How do you know?") `complete_plan(..., distinct_evidence=True)` gives."""
    return f"Lesson visits and pupil voice, hallmark {number}"


def complete_plan(
    client: FlaskClient,
    year: str,
    lang: str = "en",
    reflection: str = "Our reflection",
    distinct_evidence: bool = False,
) -> None:
    base = f"/{lang}/plan/{year}"
    posts = [
        (
            "/about-your-school",
            {
                "phase": "primary",
                "teaching_staff": "12",
                "support_staff": "8",
                "pl_lead": "Catrin Jones",
                "funding_allocation": "1000",
            },
        )
    ]
    for context in framework.CONTEXTS:
        first = framework.elements_of(context.key)[0].key
        posts.append((f"/context-{context.key}", {"reflection": reflection, "priorities": [first]}))
    for number in range(1, 9):
        posts.append(
            (
                f"/hallmark-{number}",
                {
                    "rating": "developing",
                    "evidence": evidence_of(number) if distinct_evidence else "Lesson visits",
                    "next_steps": "Coaching",
                },
            )
        )
    for path, data in posts:
        response = client.post(
            base + path, data={**data, "revision": revision(client, base + path)}
        )
        assert response.status_code == 302, (path, response.status_code)
    for task in ("contexts", "hallmarks"):
        client.post(
            f"{base}/{task}/check",
            data={"revision": revision(client, f"{base}/{task}/check"), "completed": "yes"},
        )
    version = int(soup(client.get(f"{base}/diamond-9")).find(id="diamond-board")["data-version"])
    for card in NINE:
        client.post(
            f"{base}/diamond-9/move", data={"version": str(version), "card": card, "to": "next"}
        )
        version += 1
    line = client.post(
        f"{base}/funding-plan/lines/new",
        data={**LINE, "revision": revision(client, f"{base}/funding-plan/lines/new")},
    )
    assert line.status_code == 302, line.status_code
    client.post(
        f"{base}/funding-plan/check",
        data={"revision": revision(client, f"{base}/funding-plan/check"), "completed": "yes"},
    )
