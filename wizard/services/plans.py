"""A school's plan across its life: finding it, starting next year's (empty or from the last
one), its submitted versions and its history of changes. The views call these and never the
data layer; the types they need are named here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from wizard.data import versions
from wizard.data.audit import AuditAction, HistoryEntry, HistoryPage, plan_history
from wizard.data.models import Plan, PlanVersion
from wizard.data.plans import get_plan

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
    "history",
    "plan_of",
    "start",
    "version_of",
    "versions_of",
]


def plan_of(school_id: int, academic_year: int) -> Plan | None:
    """The school's plan for the year (None: not started)."""
    return get_plan(school_id, academic_year)


def version_of(plan: Plan, number: int) -> PlanVersion | None:
    """The plan's submitted version `number` (None: no such version)."""
    return versions.get_version(plan, number)


def versions_of(plan: Plan) -> list[PlanVersion]:
    """Every submitted version of the plan, oldest first."""
    return versions.versions_of(plan)


def history(plan: Plan, page: int, per_page: int) -> HistoryPage:
    """One page of the changes to the plan, the newest first (two queries)."""
    return plan_history(plan.id, page, per_page)


@dataclass(frozen=True)
class Started:
    """The year's plan has been started: from the plan of `copied_from` (an academic year),
    or empty (None)."""

    copied_from: int | None


@dataclass(frozen=True)
class StartRefused:
    """Nothing was started: the plan exists already ("exists"), the request was not confirmed
    ("unconfirmed"), or the way to start it was not one offered ("unchosen": empty, or a copy
    of a plan there is)."""

    reason: Literal["exists", "unconfirmed", "unchosen"]


def start(
    school_id: int, academic_year: int, how: str | None, user: User, *, confirmed: bool
) -> Started | StartRefused:
    """Start the school's plan for the year, empty (`how` "empty") or as a copy of its latest
    plan before that year ("copy")."""
    if get_plan(school_id, academic_year) is not None:
        return StartRefused("exists")
    if not confirmed:
        return StartRefused("unconfirmed")
    previous = versions.latest_plan_before(school_id, academic_year)
    if how not in ("empty", "copy") or (how == "copy" and previous is None):
        return StartRefused("unchosen")
    copy_from = previous if how == "copy" else None
    versions.start_plan(school_id, academic_year, copy_from, user)
    return Started(copy_from.academic_year if copy_from else None)
