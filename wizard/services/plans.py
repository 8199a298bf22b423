"""A school's plan across its life: finding it, starting next year's (empty or from the last
one), its submitted versions and its history of changes. The views call these and never the
data layer; the types they need are named here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from wizard.data import versions
from wizard.data import year_end as year_end_store
from wizard.data.audit import AuditAction, HistoryEntry, HistoryPage, plan_history
from wizard.data.boards import own_cards
from wizard.data.models import Plan, PlanVersion
from wizard.data.plans import (
    answer_data,
    answer_languages,
    document_of,
    get_plan,
    has_answers,
    is_draft,
    plan_and_answers,
    plans_of_school,
)
from wizard.domain import compare as comparison
from wizard.domain import framework
from wizard.domain import next_year as next_years
from wizard.domain.academic_year import academic_year_of
from wizard.domain.cards import CardCatalogue, OwnCardText
from wizard.domain.values import PlanStatus
from wizard.domain.year_end import YearEndDocument

if TYPE_CHECKING:
    from wizard.data.models import User

__all__ = [
    "AuditAction",
    "HistoryEntry",
    "HistoryPage",
    "Plan",
    "PlanVersion",
    "Started",
    "StartRefused",
    "YearsCompared",
    "SchoolYear",
    "next_year_offered",
    "school_years",
    "compare_years",
    "draft",
    "history",
    "is_draft",
    "plan_of",
    "start",
    "submitted_version",
    "version_of",
    "versions_of",
]


def plan_of(school_id: int, academic_year: int) -> Plan | None:
    """The school's plan for the year (None: not started)."""
    return get_plan(school_id, academic_year)


def version_of(plan: Plan, number: int) -> PlanVersion | None:
    """The plan's submitted version `number` (None: no such version)."""
    return versions.get_version(plan, number)


def version_of_school(school_id: int, academic_year: int, number: int | None) -> PlanVersion | None:
    """The school's plan's submitted version `number` for the year (None: the latest): what a
    download of a version needs, without the plan (one query). None: no such version."""
    return versions.version_of_school(school_id, academic_year, number)


def submitted_version(plan: Plan) -> PlanVersion | None:
    """The version a submitted plan stands as (None while it is a draft)."""
    if plan.status == PlanStatus.DRAFT:
        return None
    return versions.get_version(plan, plan.version)


def draft(school_id: int, academic_year: int) -> tuple[Plan, dict[str, Any]] | None:
    """The plan and a snapshot of it as it stands, from one load of the plan and its answers
    (None: not started)."""
    plan, answers = plan_and_answers(school_id, academic_year)
    if plan is None:
        return None
    snapshot = versions.snapshot_from(
        plan, plan.school, answer_data(answers), languages=answer_languages(answers)
    )
    return plan, snapshot


def versions_of(plan: Plan, *, snapshots: bool = True) -> list[PlanVersion]:
    """Every submitted version of the plan, oldest first (`snapshots=False`: without their
    snapshots, each read only if asked for)."""
    return versions.versions_of(plan, snapshots=snapshots)


@dataclass(frozen=True)
class PlanHistory:
    """One page of a plan's history, and the plan's cards to name what its saves moved."""

    page: HistoryPage
    cards: CardCatalogue


def history(plan: Plan, page: int, per_page: int, locale: str) -> PlanHistory:
    """One page of the changes to the plan, the newest first, with the plan's cards (three
    queries)."""
    return PlanHistory(
        plan_history(plan.id, page, per_page), CardCatalogue({}, own_cards(plan), locale)
    )


@dataclass(frozen=True)
class Started:
    """The year's plan has been started: from the plan of `copied_from` (an academic year),
    or empty (None)."""

    copied_from: int | None


@dataclass(frozen=True)
class StartRefused:
    """Nothing was started: the plan exists already ("exists"), the request was not confirmed
    ("unconfirmed"), the way to start it was not one offered ("unchosen": empty, or a copy
    of a plan there is), or the year's plan is not offered yet ("not-yet": next year's, before
    this year's is submitted and before the configured day)."""

    reason: Literal["exists", "unconfirmed", "unchosen", "not-yet"]


def _submitted_once(plan: Plan | None) -> bool:
    """Whether the plan has been submitted (a reopened plan has: its version 1 was)."""
    return plan is not None and (plan.status != PlanStatus.DRAFT or plan.version > 1)


def next_year_offered(
    school_id: int,
    academic_year: int,
    opens: tuple[int, int],
    today: date | None = None,
    *,
    year_before: Plan | None | Literal["unread"] = "unread",
) -> bool:
    """Whether the school may start its plan for `academic_year` (see domain.next_year).
    `year_before`: the school's plan for the year before, where the caller has it already
    (None: not started)."""
    today = today or date.today()
    if academic_year <= academic_year_of(today):
        return True
    before = get_plan(school_id, academic_year - 1) if year_before == "unread" else year_before
    return next_years.offered(academic_year, today, _submitted_once(before), opens)


def start(
    school_id: int,
    academic_year: int,
    how: str | None,
    user: User,
    *,
    confirmed: bool,
    opens: tuple[int, int] = next_years.DEFAULT_OPENS,
) -> Started | StartRefused:
    """Start the school's plan for the year, empty (`how` "empty") or as a copy of its latest
    plan before that year ("copy": its answers as domain.next_year.carried_over takes them)."""
    existing = get_plan(school_id, academic_year)
    if existing is not None and not is_empty(existing):
        return StartRefused("exists")
    if not confirmed:
        return StartRefused("unconfirmed")
    if not next_year_offered(school_id, academic_year, opens):
        return StartRefused("not-yet")
    previous = versions.latest_plan_before(school_id, academic_year)
    if how not in ("empty", "copy") or (how == "copy" and previous is None):
        return StartRefused("unchosen")
    copy_from = previous if how == "copy" else None
    # Last year's year-end review, if it was submitted: its ratings and unmet priorities.
    review = year_end_store.latest_review_document(previous) if previous else None
    versions.start_plan(school_id, academic_year, copy_from, user, review=review, existing=existing)
    return Started(copy_from.academic_year if copy_from else None)


def is_empty(plan: Plan) -> bool:
    """A plan made with nothing in it yet (a staff voice round was opened before any answer):
    it may still be started from last year's."""
    return plan.status == PlanStatus.DRAFT and plan.version == 1 and not has_answers(plan)


@dataclass(frozen=True)
class SchoolYear:
    """One academic year on the school's list of plans: its plan (None: not started)."""

    academic_year: int
    plan: Plan | None


def school_years(
    school_id: int, opens: tuple[int, int], today: date | None = None
) -> list[SchoolYear]:
    """The school's plans by year, the newest first: every year it has a plan, this year's
    (started or not), and next year's once it is offered (one query)."""
    today = today or date.today()
    current = academic_year_of(today)
    plans = {plan.academic_year: plan for plan in plans_of_school(school_id)}
    years = set(plans) | {current}
    if next_years.offered(current + 1, today, _submitted_once(plans.get(current)), opens):
        years.add(current + 1)
    return [SchoolYear(year, plans.get(year)) for year in sorted(years, reverse=True)]


@dataclass(frozen=True)
class YearsCompared:
    """One year's plan beside another's: the Diamond 9's moves, the ratings' changes, funding
    by purpose (before, after), and each year's cards to name them by."""

    moves: list[comparison.CardMove]
    ratings: list[comparison.RatingChange]
    funding: list[tuple[framework.FundingPurpose, int, int]]
    cards_before: CardCatalogue
    cards_after: CardCatalogue
    review: YearEndDocument | None = None
    """The earlier year's year-end review, if one was submitted: planned against actual
    spending and the impact on each priority."""
    review_year: int | None = None


def _own_card_identity(cards: Sequence[OwnCardText]) -> Callable[[str], str]:
    """Own cards are matched across years by their titles; other cards by their keys."""
    titles = {card.key: f"own|{card.title_en or ''}|{card.title_cy or ''}" for card in cards}
    return lambda key: titles.get(key, key)


def compare_years(
    school_id: int, academic_year: int, other_year: int, locale: str
) -> YearsCompared | None:
    """The school's plan for `academic_year` beside its plan for `other_year` (None: either
    not started)."""
    this_plan, this_answers = plan_and_answers(school_id, academic_year)
    that_plan, that_answers = plan_and_answers(school_id, other_year)
    if this_plan is None or that_plan is None:
        return None
    before, after = document_of(that_answers), document_of(this_answers)
    earlier = that_plan if other_year < academic_year else this_plan
    that_cards, this_cards = own_cards(that_plan), own_cards(this_plan)
    return YearsCompared(
        moves=comparison.board_moves(
            before, after, _own_card_identity(that_cards), _own_card_identity(this_cards)
        ),
        ratings=comparison.rating_changes(before, after),
        funding=comparison.funding_by_purpose(before, after),
        cards_before=CardCatalogue(before, that_cards, locale),
        cards_after=CardCatalogue(after, this_cards, locale),
        review=year_end_store.latest_review_document(earlier),
        review_year=earlier.academic_year,
    )
