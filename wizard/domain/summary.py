"""The plan summary: a complete snapshot of a plan, and what a summary page shows from it.

A submitted version stores the snapshot itself, so it can be shown, printed and downloaded in
either language for ever, whatever happens to the plan afterwards. The draft summary is built
from the same kind of snapshot, made on the spot. Both are read as a `PlanDocument`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import LazyString

from wizard.domain import framework
from wizard.domain.cards import CardCatalogue
from wizard.domain.plan_document import (
    CONTEXT_PREFIX,
    About,
    ContextAnswer,
    Funding,
    HallmarkAnswer,
    PlanDocument,
    SchoolDetails,
    hallmark_step,
)
from wizard.domain.plan_document import OwnCardTitles as OwnCardTitles


def build_snapshot(
    document: PlanDocument,
    *,
    school: SchoolDetails,
    academic_year: int,
    version: int,
    own_cards: Sequence[OwnCardTitles],
    submitted_by: str | None = None,
    submitted_at: str | None = None,
    languages: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """Everything the summary shows, as plain JSON: nothing in it points back into the database.
    `languages` is the language each step's answers were written in, where it is known."""
    return replace(
        document,
        languages=dict(languages or {}),
        school=school,
        academic_year=academic_year,
        version=version,
        own_cards=tuple(own_cards),
        submitted_by=submitted_by,
        submitted_at=submitted_at,
        submitted_by_removed=False,
    ).to_stored()


@dataclass(frozen=True)
class HallmarkRow:
    """A hallmark of the framework, in the order shown, with the plan's answer (if any)."""

    hallmark: framework.Hallmark
    answer: HallmarkAnswer | None

    @property
    def rating(self) -> str | None:
        return self.answer.rating if self.answer else None

    @property
    def step(self) -> str:
        return hallmark_step(self.hallmark.id)

    @property
    def rating_title(self) -> LazyString | None:
        """The rating in words (None: not rated)."""
        return framework.RATING_TITLES.get(self.rating or "")


@dataclass(frozen=True)
class ContextRow:
    """A context of the framework with the plan's answer (if any)."""

    context: framework.Context
    answer: ContextAnswer | None

    @property
    def step(self) -> str:
        return f"{CONTEXT_PREFIX}{self.context.key}"

    @property
    def priority_titles(self) -> list[LazyString | str]:
        """The elements chosen, by title (a key the framework no longer has, as it is)."""
        priorities = self.answer.priorities if self.answer else ()
        return [framework.ELEMENT_TITLES.get(key, key) for key in priorities]


@dataclass(frozen=True)
class PlanView:
    """A plan's answers as the check-your-answers pages and the summary show them: every
    context and hallmark of the framework in the order shown, each with the plan's answer (if
    any), the funding plan, and the titles of what the answers name."""

    document: PlanDocument
    contexts: list[ContextRow]
    hallmarks: list[HallmarkRow]

    @property
    def about(self) -> About:
        return self.document.about

    @property
    def funding(self) -> Funding:
        return self.document.funding

    def purpose(self, key: str) -> framework.FundingPurpose | None:
        return _PURPOSES.get(key)

    @property
    def purpose_totals(self) -> list[tuple[framework.FundingPurpose, int]]:
        """Pence per purpose, in the framework's order, leaving out purposes with none."""
        by_purpose = self.funding.by_purpose
        return [(p, by_purpose[p.key]) for p in framework.FUNDING_PURPOSES if by_purpose.get(p.key)]


_PURPOSES = {purpose.key: purpose for purpose in framework.FUNDING_PURPOSES}


def plan_view(document: PlanDocument) -> PlanView:
    return PlanView(
        document,
        [ContextRow(c, document.context(c.key)) for c in framework.CONTEXTS],
        [HallmarkRow(h, document.hallmark(h.id)) for h in framework.HALLMARKS],
    )


@dataclass(frozen=True)
class SummaryView(PlanView):
    """What a summary page needs, in the page's language: the plan's view, its cards titled,
    and its Diamond 9."""

    cards: CardCatalogue
    board: dict[int, str]
    ranked: list[list[str]]

    @property
    def school(self) -> SchoolDetails:
        return self.document.school


def view(document: PlanDocument, locale: str) -> SummaryView:
    plain = plan_view(document)
    cards = CardCatalogue(document, document.own_cards, locale)
    return SummaryView(
        document,
        plain.contexts,
        plain.hallmarks,
        cards,
        dict(document.board.slots),
        document.board.ranked,
    )
