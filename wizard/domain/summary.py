"""The plan summary: a complete snapshot of a plan, and what a summary page shows from it.

A submitted version stores the snapshot itself, so it can be shown, printed and downloaded in
either language for ever, whatever happens to the plan afterwards. The draft summary is built
from the same kind of snapshot, made on the spot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.domain import framework
from wizard.domain.cards import CardCatalogue
from wizard.domain.diamond import normalise, ranked
from wizard.domain.funding import FundingSummary
from wizard.domain.funding import summarise as summarise_funding
from wizard.domain.journey import BOARD_STEP

if TYPE_CHECKING:
    from wizard.data.models import OwnCard, Plan, School, User


@dataclass(frozen=True)
class OwnCardTitles:
    """An own card as a snapshot keeps it."""

    id: int
    title_en: str | None
    title_cy: str | None

    @property
    def key(self) -> str:
        return f"own:{self.id}"


def build_snapshot(
    plan: Plan,
    answers: dict[str, dict[str, Any]],
    own_cards: list[OwnCard],
    school: School,
    submitted_by: User | None = None,
    submitted_at: str | None = None,
    *,
    languages: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the summary shows, as plain JSON: nothing in it points back into the database.
    `languages` is the language each step's answers were written in, where it is known."""
    authority = school.local_authority
    return {
        "school": {
            "name_en": school.name_en,
            "name_cy": school.name_cy,
            "number": school.school_number,
            "local_authority_en": authority.name_en if authority else "",
            "local_authority_cy": authority.name_cy if authority else "",
        },
        "academic_year": plan.academic_year,
        "version": plan.version,
        "answers": answers,
        "languages": dict(languages or {}),
        "own_cards": [
            {"id": c.id, "title_en": c.title_en, "title_cy": c.title_cy} for c in own_cards
        ],
        "submitted_at": submitted_at,
        "submitted_by": submitted_by.name if submitted_by else None,
    }


@dataclass
class SummaryView:
    """What a summary page needs, in the page's language."""

    snapshot: dict[str, Any]
    answers: dict[str, dict[str, Any]]
    cards: CardCatalogue
    board: dict[int, str]
    ranked: list[list[str]]
    funding: FundingSummary
    hallmark_ratings: list[tuple[Any, str | None]]

    @property
    def school(self) -> dict[str, Any]:
        school: dict[str, Any] = self.snapshot["school"]
        return school


def view(snapshot: dict[str, Any], locale: str) -> SummaryView:
    answers: dict[str, dict[str, Any]] = snapshot.get("answers") or {}
    own = [
        OwnCardTitles(c["id"], c.get("title_en"), c.get("title_cy"))
        for c in snapshot.get("own_cards") or []
    ]
    cards = CardCatalogue(answers, own, locale)  # type: ignore[arg-type]
    board = normalise((answers.get(BOARD_STEP) or {}).get("slots"))
    ratings = [
        (hallmark, (answers.get(f"hallmark-{hallmark.number}") or {}).get("rating"))
        for hallmark in framework.HALLMARKS
    ]
    return SummaryView(
        snapshot, answers, cards, board, ranked(board), summarise_funding(answers), ratings
    )
