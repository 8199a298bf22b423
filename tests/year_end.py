"""Helpers for the year-end review's tests: a submitted plan for last year, and a review
filled in and submitted through the routes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient

from tests.plans import write_plan
from wizard.domain import framework
from wizard.domain.academic_year import academic_year_of, year_slug

LAST = academic_year_of(date.today()) - 1
LAST_SLUG = year_slug(LAST)


def review_url(lang: str, path: str = "", year: str = LAST_SLUG) -> str:
    return f"/{lang}/plan/{year}/year-end{path}"


def submitted_plan(client: FlaskClient, year: str = LAST_SLUG, lang: str = "en") -> None:
    """Last year's plan, complete and submitted (the plan factory's: one line of £600 for
    card:pedagogy, of a £1,000 allocation; every hallmark "developing")."""
    write_plan(client, year, lang=lang)
    response = client.post(f"/{lang}/plan/{year}/submit")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def fill_review(
    client: FlaskClient,
    lang: str = "en",
    spent: str = "640",
    criteria: list[str] | None = None,
    year: str = LAST_SLUG,
) -> None:
    """Every section of the review through the routes (each post must be saved)."""
    verdicts = criteria or ["met", "not-met", "partly"] + ["met"] * 6
    posts: list[tuple[str, dict[str, Any]]] = [
        ("/funding", {"actual_0": spent, "happened_0": "yes", "explanation": ""}),
    ]
    for number, verdict in enumerate(verdicts, start=1):
        posts.append(
            (
                f"/impact/{number}",
                {
                    "levels": ["reactions", "learning", "practice"]
                    if number == 1
                    else ["reactions"],
                    "evidence": f"Evidence {number}",
                    "criteria": verdict,
                },
            )
        )
    posts.append(("/hallmarks", {f"rating_{h.id}": "established" for h in framework.HALLMARKS}))
    for path, data in posts:
        page = client.get(review_url(lang, path, year))
        assert page.status_code == 200, path
        revision = page.soup.select_one("input[name=revision]")["value"]  # type: ignore[attr-defined]
        response = client.post(review_url(lang, path, year), data={**data, "revision": revision})
        assert response.status_code == 302, (path, response.get_data(as_text=True)[:2000])
    # Carry-over: as proposed (the priorities not met or partly met).
    page = client.get(review_url(lang, "/carry-over", year))
    carry = [box["value"] for box in page.soup.select("input[name=carry][checked]")]  # type: ignore[attr-defined]
    revision = page.soup.select_one("input[name=revision]")["value"]  # type: ignore[attr-defined]
    response = client.post(
        review_url(lang, "/carry-over", year),
        data={"carry": carry, "notes": "Keep the triads going", "revision": revision},
    )
    assert response.status_code == 302


def submit_review(client: FlaskClient, lang: str = "en", year: str = LAST_SLUG) -> str:
    response = client.post(review_url(lang, "/check", year))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return str(response.headers["Location"])
