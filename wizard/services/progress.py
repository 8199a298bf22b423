"""Progress through the year: for each priority of a school's latest submitted plan, an update
per term (a status, a short note, links to evidence), written by the school's members and read
by its cluster's coordinators. Updates are records of their own: writing one never reopens the
plan or changes a submitted version.

The priorities are the nine cards on the board of the latest submitted version (a plan reopened
for changes keeps its progress against what it last submitted)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from wizard.data import progress as records
from wizard.data.plans import get_plan
from wizard.data.progress import UpdateRow
from wizard.domain.academic_year import TERMS, current_term
from wizard.domain.cards import CardCatalogue, CardInfo
from wizard.domain.diamond import ROW_OF
from wizard.domain.plan_document import PlanDocument, SuccessCriteria
from wizard.domain.progress import safe_links

if TYPE_CHECKING:
    from wizard.data.models import Plan, User

__all__ = ["Priority", "Progress", "UpdateRow", "progress_of", "save_update"]


@dataclass(frozen=True)
class Priority:
    """A priority of the submitted plan, with its success criteria and its updates by term."""

    key: str
    card: CardInfo
    row: int
    criteria: SuccessCriteria | None
    updates: dict[str, UpdateRow] = field(default_factory=dict)
    """Term -> its update, for the terms that have one."""

    def update(self, term: str | None) -> UpdateRow | None:
        return self.updates.get(term) if term else None


@dataclass
class Progress:
    plan: Plan
    version: int
    """The number of the submitted version whose priorities these are."""
    submitted_at: datetime
    document: PlanDocument
    priorities: list[Priority]
    term: str | None
    """This term, while the plan's academic year runs (None before it starts or once over)."""

    @property
    def terms(self) -> tuple[str, ...]:
        return TERMS

    @property
    def missing(self) -> list[Priority]:
        """The priorities with no update this term (none when there is no term to write)."""
        if self.term is None:
            return []
        return [p for p in self.priorities if self.term not in p.updates]

    @property
    def update_count(self) -> int:
        return sum(len(p.updates) for p in self.priorities)

    def priority(self, key: str) -> Priority | None:
        return next((p for p in self.priorities if p.key == key), None)


def progress_of(school_id: int, academic_year: int, locale: str, today: date) -> Progress | None:
    """The school's progress for the year (None: no plan submitted yet). Three queries, however
    many updates there are."""
    plan = get_plan(school_id, academic_year)
    if plan is None:
        return None
    version = records.latest_version(plan)
    if version is None:
        return None
    document = PlanDocument.from_stored(version.snapshot)
    cards = CardCatalogue(document, document.own_cards, locale)
    by_card: dict[str, dict[str, UpdateRow]] = {}
    for row in records.updates_of(plan.id):
        shown = replace(row, links=safe_links(list(row.links)))
        by_card.setdefault(row.card, {})[row.term] = shown
    slots = document.board.slots
    place = {card: slot for slot, card in slots.items()}
    priorities = [
        Priority(
            key,
            cards[key],
            ROW_OF[place[key]],
            document.success_criteria(key),
            by_card.get(key, {}),
        )
        for keys in document.board.ranked
        for key in keys
    ]
    return Progress(
        plan=plan,
        version=version.number,
        submitted_at=version.submitted_at,
        document=document,
        priorities=priorities,
        term=current_term(academic_year, today),
    )


def save_update(
    progress: Progress,
    key: str,
    *,
    status: str,
    note: str,
    links: tuple[str, ...],
    lang: str | None,
    based_on_revision: int,
    user: User,
) -> bool:
    """Save this term's update of a priority (the caller has checked there is a term and the
    priority is on the board); False if someone else saved it since `based_on_revision`."""
    assert progress.term is not None
    return records.save_update(
        progress.plan,
        key,
        progress.term,
        version=progress.version,
        status=status,
        note=note,
        links=list(links),
        lang=lang,
        based_on_revision=based_on_revision,
        user=user,
    )
