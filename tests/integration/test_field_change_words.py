"""What changed, field by field, as a coordinator's page puts it in each language: a rating,
a card's row, a funding line's amount, and prose with its changed words marked (<del>, <ins>,
with words for screen readers)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from wizard.domain.diamond import SLOTS
from wizard.web.feedback import field_change_groups

CARDS = [f"card:{n}" for n in ("pedagogy", "well-being", "assessment")]


def snapshot(answers: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "schema_version": 2,
        "school": {},
        "answers": answers,
        "languages": {step: lang for step in answers},
    }


def board(*cards: str) -> dict[str, Any]:
    return {"slots": {str(slot): card for slot, card in zip(SLOTS, cards, strict=False)}}


BEFORE = {
    "hallmark-3": {"rating": "developing", "evidence": "Byddwn yn datblygu addysgeg"},
    "diamond-9": board("", "", "", CARDS[0]),
    "funding-plan": {
        "lines": [
            {
                "id": "a",
                "purpose": "release-and-cover",
                "description": "Cover",
                "amount_pence": 120000,
            }
        ]
    },
}
AFTER = {
    "hallmark-3": {"rating": "established", "evidence": "Byddwn yn cryfhau addysgeg"},
    "diamond-9": board(CARDS[0]),
    "funding-plan": {
        "lines": [
            {
                "id": "a",
                "purpose": "release-and-cover",
                "description": "Cover",
                "amount_pence": 90000,
            }
        ]
    },
}


def rendered(app: Flask, lang: str) -> BeautifulSoup:
    with app.test_request_context(f"/{lang}/"):
        groups = field_change_groups(snapshot(BEFORE, lang), snapshot(AFTER, lang))
        html = render_template_string(
            '{% from "feedback/macros.html" import field_changes %}{{ field_changes(groups) }}',
            groups=groups,
        )
    return BeautifulSoup(html, "html.parser")


def values(page: BeautifulSoup) -> list[str]:
    return [" ".join(dd.get_text(" ", strip=True).split()) for dd in page.find_all("dd")]


@pytest.mark.parametrize(
    ("lang", "rating", "row", "money", "headings"),
    [
        (
            "en",
            "Developing → changed to Established",
            "Row 3 → changed to Row 1",
            "£1,200.00 → changed to £900.00",
            [
                "Self-review against the eight hallmarks",
                "Professional learning Diamond 9",
                "Funding plan",
            ],
        ),
        (
            "cy",
            "Yn datblygu → wedi newid i Sefydledig",
            "Rhes 3 → wedi newid i Rhes 1",
            "£1,200.00 → wedi newid i £900.00",
            None,
        ),
    ],
)
def test_old_and_new_values_in_each_language(
    app: Flask, lang: str, rating: str, row: str, money: str, headings: list[str] | None
) -> None:
    page = rendered(app, lang)
    shown = values(page)
    assert rating in shown and row in shown and money in shown
    if headings:
        assert [h.get_text(strip=True) for h in page.find_all("h3")] == headings
    links = [a["href"] for a in page.find_all("a")]
    assert "#summary-hallmark-3" in links and "#summary-diamond-9" in links


def test_changed_words_are_marked_for_eyes_and_screen_readers(app: Flask) -> None:
    page = rendered(app, "cy")
    answer = page.find("p", class_="app-answer")
    assert answer is not None
    assert answer.find("del").get_text() == "[wedi'i dynnu: datblygu]"
    assert answer.find("ins").get_text() == "[wedi'i ychwanegu: cryfhau]"
    hidden = [span.get_text() for span in answer.select(".govuk-visually-hidden")]
    assert hidden[0] == "[wedi'i dynnu: "
