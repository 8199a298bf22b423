"""A short section for a school's School Development Plan: the priorities of the Diamond 9's
top three rows, in order, each with its success criteria (what will be different, how the
school will know), its actions (the lines of spending linked to it), when they happen and what
they cost; and, where last year's plan had a year-end review, how far each of last year's
priorities met its success criteria. The Word file and its page both show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wizard.domain.cards import CardCatalogue, CardInfo
from wizard.domain.journey import CRITERIA_STEP
from wizard.domain.summary import SummaryView
from wizard.domain.year_end import YearEndDocument, impact_section

# The rows of the Diamond 9 whose cards are the plan's priorities: 1, 2 and 3 (six cards).
TOP_ROWS = 3


@dataclass(frozen=True)
class PriorityRow:
    card: CardInfo
    actions: list[tuple[str, str | None]]
    """What each line of spending linked to the card is for, with the language it was written
    in (if known)."""
    terms: list[str]
    cost_pence: int
    difference: str | None = None
    """Its success criteria: what will be different if it goes well (None if not written)."""
    evidence: str | None = None
    """And how the school will know."""
    criteria_lang: str | None = None
    """The language the success criteria were written in (if known)."""


def development_plan(summary: SummaryView, terms: Mapping[str, object]) -> list[PriorityRow]:
    """The priorities in the Diamond 9's order; `terms` names the terms (web labels)."""
    rows = []
    document = summary.document
    for keys in summary.ranked[:TOP_ROWS]:
        for key in keys:
            lines = [line for line in summary.funding.lines if line.priority == key]
            criteria = document.success_criteria(key)
            rows.append(
                PriorityRow(
                    summary.cards[key],
                    [
                        (
                            line.description or line.purpose_other or "",
                            document.line_language(line),
                        )
                        for line in lines
                        if line.description or line.purpose_other
                    ],
                    list(
                        dict.fromkeys(
                            str(terms.get(line.term, line.term)) for line in lines if line.term
                        )
                    ),
                    sum(line.amount_pence for line in lines),
                    criteria.difference if criteria else None,
                    criteria.evidence if criteria else None,
                    document.language(CRITERIA_STEP),
                )
            )
    return rows


@dataclass(frozen=True)
class LastYearRow:
    """One of last year's priorities, as its year-end review judged it."""

    card: CardInfo
    met: str | None
    """How far its success criteria were met: "met", "partly" or "not-met" (None: not said)."""
    evidence: str
    evidence_lang: str | None


def last_year(review: YearEndDocument, cards: CardCatalogue) -> list[LastYearRow]:
    """Last year's priorities, top row first, each with the review's verdict and evidence;
    `cards` names them (last year's own cards included)."""
    return [
        LastYearRow(
            cards[card],
            review.impact(card).criteria,
            review.impact(card).evidence,
            review.languages.get(impact_section(card)),
        )
        for card in review.plan.priorities
    ]
