"""Staff voice rounds and responses: the lead opens, closes, re-links and deletes a round; a
member of staff, without an account, saves a response; the results read every response of a
round. The board parts (moving a responder's card, applying the consensus) are services/board.py.

The views call these and never the data layer; the types they need (a round, a response, the
plan) are named here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from wizard.data import staff_voice as data
from wizard.data.models import Plan, StaffVoiceResponse, StaffVoiceRound
from wizard.data.plans import get_plan, is_draft
from wizard.data.staff_voice import (
    AppliedChange,
    RoundClosed,
    RoundFull,
    RoundRow,
    find_response,
    find_round,
    is_open,
    latest_closed_round,
    latest_round,
    save_response,
)
from wizard.domain import framework
from wizard.domain.cards import CardCatalogue
from wizard.domain.plan_document import hallmark_step
from wizard.domain.staff_voice import Disclosure, StaffAnswer, disclose, enough
from wizard.render.staff_voice import Results, build_results

if TYPE_CHECKING:
    from wizard.data.models import User
    from wizard.services.board import BoardState

__all__ = [
    "AppliedChange",
    "Lead",
    "Plan",
    "Results",
    "RoundClosed",
    "RoundFull",
    "RoundRow",
    "Rounds",
    "StaffAnswer",
    "SummaryRound",
    "StaffVoiceResponse",
    "StaffVoiceRound",
    "answers_of",
    "close_round",
    "delete_round",
    "expected_staff_of",
    "find_response",
    "find_round",
    "is_draft",
    "is_open",
    "last_applied",
    "lead_choices",
    "open_round",
    "plan_of",
    "reissue_link",
    "results",
    "round_of",
    "rounds",
    "save_response",
    "school_ratings",
    "summary",
]


def plan_of(school_id: int, academic_year: int) -> Plan | None:
    """The school's plan for the year (None: not started)."""
    return get_plan(school_id, academic_year)


@dataclass(frozen=True)
class Rounds:
    """A plan's rounds, newest first, and whether one of them is open today."""

    rows: list[RoundRow]
    has_open: bool


def rounds(plan: Plan | None, today: date) -> Rounds:
    """The plan's rounds (none before the plan exists) and whether one is open."""
    rows = data.rounds_of(plan) if plan else []
    return Rounds(rows, any(is_open(row.round, today) for row in rows))


def open_round(plan: Plan, user: User, closes_on: date) -> str:
    """Open a round and return its link's token (the only time it is known)."""
    return data.open_round(plan, user, closes_on)


def round_of(plan: Plan, round_id: int) -> StaffVoiceRound | None:
    """The plan's round `round_id` (None: not this plan's)."""
    return data.round_of(plan, round_id)


def close_round(plan: Plan, round_: StaffVoiceRound, user: User) -> None:
    """Stop the round taking responses; its results stay."""
    data.close_round(plan, round_, user)


def reissue_link(plan: Plan, round_: StaffVoiceRound, user: User) -> str:
    """A new link for the round (its token); the old one stops working."""
    return data.reissue_link(plan, round_, user)


def delete_round(plan: Plan, round_: StaffVoiceRound, user: User) -> None:
    """Delete the round and every response to it."""
    data.delete_round(plan, round_, user)


def answers_of(round_: StaffVoiceRound) -> list[StaffAnswer]:
    """Every response to the round (one query)."""
    return data.answers_of(round_.id)


def results(
    round_: StaffVoiceRound, catalogue: CardCatalogue, ratings: dict[int, str], today: date
) -> Results:
    """What the round's results page shows (only the count while the round is open or fewer
    than five responded), beside the school's own `ratings` of the hallmarks; its consensus
    board is the one applying it puts on the school's board."""
    return build_results(answers_of(round_), not is_open(round_, today), catalogue, ratings)


@dataclass(frozen=True)
class SummaryRound:
    """What the plan's summary shows of staff voice: the latest round, and the results of the
    latest round that has closed (that one, or an earlier one while it is open)."""

    round: StaffVoiceRound
    responses: int
    closed: bool
    results_round: StaffVoiceRound | None
    """The round whose results are shown (None: no round has closed)."""
    results_responses: int
    results_closed_on: date | None
    """When the lead closed it, else its closing date."""
    report: Disclosure | None
    """What its responses may show (None: fewer than five responded)."""


def summary(
    school_id: int, academic_year: int, catalogue: CardCatalogue, today: date
) -> SummaryRound | None:
    """The staff voice of the school's plan for the summary, the PDF, the shared and the
    coordinator's views (None without a round): two queries, three with results to show."""
    found = latest_round(school_id, academic_year)
    if found is None:
        return None
    round_, count = found
    closed = not is_open(round_, today)
    source = found if closed else latest_closed_round(school_id, academic_year, today)
    if source is None:
        return SummaryRound(round_, count, closed, None, 0, None, None)
    shown, shown_count = source
    report = disclose(answers_of(shown), True, [], [], catalogue) if enough(shown_count) else None
    closed_on = shown.closed_at.date() if shown.closed_at else shown.closes_on
    return SummaryRound(round_, count, closed, shown, shown_count, closed_on, report)


def summary_key(school_id: int, academic_year: int, today: date) -> tuple[Any, ...] | None:
    """What summary() gives depends on, besides the catalogue, from its first queries (one, two
    while a round is open), without reading any answer: the latest round (its id, closing date,
    when it was closed, its number of responses), whether it has closed, and the round whose
    results are shown, likewise. A closed round takes no more responses, so its answers are
    fixed while its count is. None without a round. (A submitted version's PDF's cache key.)"""
    found = latest_round(school_id, academic_year)
    if found is None:
        return None
    closed = not is_open(found[0], today)
    source = found if closed else latest_closed_round(school_id, academic_year, today)

    def described(pair: tuple[StaffVoiceRound, int] | None) -> tuple[Any, ...] | None:
        if pair is None:
            return None
        round_, count = pair
        return (round_.id, round_.closes_on, round_.closed_at, count)

    return (described(found), closed, described(source))


def expected_staff_of(plan: Plan | None) -> int | None:
    """The number of staff the school gave in "About your school" (None: not given)."""
    return data.expected_staff_of(plan) if plan else None


def last_applied(plan: Plan | None) -> AppliedChange | None:
    """The latest consensus board applied to the plan, if not undone."""
    return data.last_applied(plan)


def school_ratings(state: BoardState) -> dict[int, str]:
    """The school's own rating of each hallmark (by its stable id), to set beside the staff's."""
    ratings = {}
    for hallmark in framework.HALLMARKS:
        row = state.answers.get(hallmark_step(hallmark.id))
        rating = (row.data or {}).get("rating") if row else None
        if isinstance(rating, str):
            ratings[hallmark.id] = rating
    return ratings


@dataclass(frozen=True)
class Lead:
    """What the lead may do with the consensus board on the results page."""

    can_apply: bool
    can_undo: bool
    submitted: bool = False
    """The lead would apply it, but the plan is submitted: reopening comes first."""


def lead_choices(
    is_lead: bool, state: BoardState, consensus: dict[int, str] | None, plan: Plan
) -> Lead:
    """A lead of a draft plan may apply a consensus board there is, and undo the last one
    applied while nobody has moved a card since."""
    draft = is_lead and is_draft(state.plan)
    applied = last_applied(plan)
    return Lead(
        can_apply=draft and bool(consensus),
        can_undo=bool(draft and applied and applied.revision == state.version),
        submitted=is_lead and bool(consensus) and not is_draft(state.plan),
    )
