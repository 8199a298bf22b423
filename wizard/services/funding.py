"""The funding plan's use cases: add, change or remove a line of spending, within the
allocation and the 50-line cap, saved with compare-and-set on the funding answer's revision.

The view reads the request and validates the form; this module decides and saves, and says
what happened as a typed result the view turns into HTTP.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from wizard.data.boards import own_cards
from wizard.data.plans import (
    answer_data,
    answer_data_of_steps,
    answer_languages,
    get_or_create_plan,
    is_draft,
    plan_and_answers,
    plan_answers_and_cards,
    require_draft,
    save_step,
)
from wizard.domain.cards import CardCatalogue
from wizard.domain.funding import (
    MAX_LINES,
    Totals,
    find_line,
    lines_of,
    new_line_id,
    replace_line,
    totals,
    totals_with,
)
from wizard.domain.journey import ABOUT_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.plan_document import PlanDocument
from wizard.services.offered import require_offered

if TYPE_CHECKING:
    from wizard.data.models import OwnCard, Plan, PlanAnswer, User


class FundingState:
    """What every funding page needs: the plan, its lines, the allocation and the priorities."""

    def __init__(
        self,
        school_id: int,
        academic_year: int,
        user: User,
        locale: str,
        *,
        with_cards: bool = False,
    ) -> None:
        self.school_id = school_id
        self.academic_year = academic_year
        self.user = user
        self.locale = locale
        self.plan: Plan | None
        # The pages that edit the plan name its priorities, so they read the school's own cards
        # in the same statement as the plan (the live total reads neither: running_totals).
        self._own_cards: list[OwnCard] | None = None
        if with_cards:
            self.plan, self.answers, self._own_cards = plan_answers_and_cards(
                school_id, academic_year
            )
        else:
            self.plan, self.answers = plan_and_answers(school_id, academic_year)
        self.data = answer_data(self.answers)
        self.languages = answer_languages(self.answers)
        self.row: PlanAnswer | None = self.answers.get(FUNDING_STEP)
        self.lines = lines_of(self.row.data if self.row else None)
        self.revision = self.row.revision if self.row else 0
        document = PlanDocument.from_answers(self.data)
        self.allocation: int | None = document.funding.allocation
        self.priorities = [key for row in document.board.ranked for key in row]

    @cached_property
    def cards(self) -> CardCatalogue:
        """The cards, for the priorities' titles: loaded (with the school's own cards) only by a
        page that names them."""
        cards = self._own_cards if self._own_cards is not None else own_cards(self.plan)
        return CardCatalogue(self.data, cards, self.locale)

    @property
    def editable(self) -> bool:
        return is_draft(self.plan)

    @property
    def totals(self) -> Totals:
        return totals(self.lines, self.allocation)

    @property
    def full(self) -> bool:
        """Whether the plan has as many lines as it may (no more can be added)."""
        return len(self.lines) >= MAX_LINES

    def line(self, line_id: str) -> Mapping[str, Any] | None:
        return find_line(self.lines, line_id)

    def line_language(self, line_id: str | None) -> str | None:
        """The language the line `line_id` was written in: its own, or for a line saved before
        lines kept theirs, the funding step's (None: a new line, or not known)."""
        line = self.line(line_id) if line_id else None
        if line is None:
            return None
        return line.get("lang") or self.languages.get(FUNDING_STEP)

    def lines_with_languages(self) -> list[dict[str, Any]]:
        """The lines, each line saved before lines kept their own language given the funding
        step's, so that saving another line in the other language does not relabel it."""
        step_lang = self.languages.get(FUNDING_STEP)
        return [
            line if line.get("lang") or not step_lang else {**line, "lang": step_lang}
            for line in self.lines
        ]

    def unconfirms(self, data: Mapping[str, Any]) -> str | None:
        """The completion answer that saving `data` as the funding plan withdraws, if any."""
        return JOURNEY.confirmation_changed_by(
            FUNDING_STEP, self.row.data if self.row else None, data, self.data
        )

    def totals_with(self, line_id: str | None, amount: int) -> Totals:
        """The totals if the line `line_id` (None: a new line) had this amount."""
        return totals_with(self.lines, line_id, amount, self.allocation)


def running_totals(school_id: int, academic_year: int, line_id: str | None, amount: int) -> Totals:
    """The totals while an amount is typed, if the line `line_id` (None: a new line) had this
    amount: what FundingState(...).totals_with gives, from the only two answers it reads (the
    funding plan's lines, and About your school's allocation), in one query."""
    data = answer_data_of_steps(school_id, academic_year, (ABOUT_STEP, FUNDING_STEP))
    allocation = PlanDocument.from_answers(data).funding.allocation
    return totals_with(lines_of(data.get(FUNDING_STEP)), line_id, amount, allocation)


def open_for_editing(
    school_id: int, academic_year: int, user: User, locale: str
) -> FundingState | None:
    """The funding plan, if its task can start (None: it cannot yet, go to the task list).

    Raises PlanLocked if the plan has been submitted.
    """
    state = FundingState(school_id, academic_year, user, locale, with_cards=True)
    require_offered(school_id, academic_year, state.plan)
    if not JOURNEY.can_access(FUNDING_STEP, state.data):
        return None
    require_draft(state.plan)
    return state


class LineRefused(enum.Enum):
    NOT_FOUND = "not-found"
    """There is no line with that id."""
    FULL = "full"
    """A new line was asked for, but the plan already has MAX_LINES."""


@dataclass(frozen=True)
class Editing:
    """A line opened to change (`existing` None: a new line)."""

    line_id: str | None
    existing: Mapping[str, Any] | None


def edit_line(state: FundingState, line_id: str | None) -> Editing | LineRefused:
    """Open a line to change, or a new one: unless there is no such line, or no room."""
    if line_id is not None:
        existing = state.line(line_id)
        return LineRefused.NOT_FOUND if existing is None else Editing(line_id, existing)
    if state.full:
        return LineRefused.FULL
    return Editing(None, None)


@dataclass(frozen=True)
class LineInput:
    """A line of spending as the (validated) form gave it."""

    purpose: str
    purpose_other: str
    priority: str
    beneficiaries: list[str]
    term: str
    description: str
    amount_pence: int

    def stored(self, line_id: str, lang: str) -> dict[str, Any]:
        """The line as kept in the funding answer: a description of "other" only with it, and
        the language it was written in."""
        return {
            "id": line_id,
            "purpose": self.purpose,
            "purpose_other": self.purpose_other if self.purpose == "other" else "",
            "priority": self.priority,
            "beneficiaries": list(self.beneficiaries),
            "term": self.term,
            "description": self.description,
            "amount_pence": self.amount_pence,
            "lang": lang,
        }


class LineOutcome(enum.Enum):
    SAVED = "saved"
    OVER_ALLOCATION = "over-allocation"
    """Refused: the lines would add up to more than the allocation."""
    CONFLICT = "conflict"
    """Refused: someone else saved the funding plan since the form was opened."""


@dataclass(frozen=True)
class LineResult:
    outcome: LineOutcome
    totals: Totals
    """The totals with the line's amount (what the refusal is about)."""
    revision: int
    """The funding answer's revision now (the next save's base after a conflict)."""


def save_line(
    state: FundingState,
    line_id: str | None,
    line: LineInput,
    based_on_revision: int,
    lang: str | None = None,
) -> LineResult:
    """Add the line (`line_id` None) or change it, unless it would take the plan over its
    allocation or someone else saved the funding plan meanwhile. `lang`: the language the
    line was written in (the page's unless told)."""
    check = state.totals_with(line_id, line.amount_pence)
    if state.allocation is not None and check.over:
        return LineResult(LineOutcome.OVER_ALLOCATION, check, state.revision)
    lines = replace_line(
        state.lines_with_languages(), line.stored(line_id or new_line_id(), lang or state.locale)
    )
    require_offered(state.school_id, state.academic_year, state.plan)
    plan = state.plan or get_or_create_plan(state.school_id, state.academic_year)
    data = {"lines": lines}
    result = save_step(
        plan,
        FUNDING_STEP,
        data,
        based_on_revision,
        state.user,
        lang=lang or state.locale,
        unconfirm=state.unconfirms(data),
        before=state.data.get(FUNDING_STEP) or {},
    )
    if result.saved:
        return LineResult(LineOutcome.SAVED, check, based_on_revision + 1)
    current = result.current.revision if result.current else 0
    return LineResult(LineOutcome.CONFLICT, check, current)


class RemoveOutcome(enum.Enum):
    REMOVED = "removed"
    CONFLICT = "conflict"
    """Someone else saved the funding plan since the line was shown: nothing removed."""


def remove_line(state: FundingState, line_id: str, based_on_revision: int) -> RemoveOutcome:
    """Remove a line (which the caller found in `state`) if the plan is as the user saw it."""
    assert state.plan is not None
    data = {"lines": [line for line in state.lines_with_languages() if line["id"] != line_id]}
    result = save_step(
        state.plan,
        FUNDING_STEP,
        data,
        based_on_revision,
        state.user,
        unconfirm=state.unconfirms(data),
        before=state.data.get(FUNDING_STEP) or {},
    )
    return RemoveOutcome.REMOVED if result.saved else RemoveOutcome.CONFLICT
