"""The gate on next year's plan, where a plan is made: a plan for a year not offered yet (next
year's, before this year's is submitted and before the configured day, see domain.next_year) is
never made by a step, the board or the funding plan, only refused (web/errors.py sends the user
to the year's task list, saying why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from wizard.services.plans import next_year_offered

if TYPE_CHECKING:
    from wizard.data.models import Plan


class PlanNotOffered(Exception):
    """Nothing was made: the school's plan for `academic_year` cannot be started yet."""

    def __init__(self, academic_year: int) -> None:
        super().__init__(academic_year)
        self.academic_year = academic_year


def require_offered(school_id: int, academic_year: int, plan: Plan | None) -> None:
    """Raise PlanNotOffered if there is no plan for the year and it may not be started yet
    (no query for this year's or an earlier year's plan)."""
    if plan is None and not next_year_offered(
        school_id, academic_year, current_app.config["NEXT_YEAR_FROM"]
    ):
        raise PlanNotOffered(academic_year)
