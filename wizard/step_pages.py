"""How each step of the journey is shown and saved: its form, template and answer mapping.

The journey (wizard/journey.py) says which steps exist and when they are complete; this module
says how a step's page turns saved answers into a form and a valid form into answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .forms import AboutYourSchoolForm, RevisionForm


@dataclass(frozen=True)
class StepPage:
    form: type[RevisionForm]
    template: str
    to_form: Callable[[dict[str, Any]], dict[str, Any]]
    from_form: Callable[[Any], dict[str, Any]]


def _about_to_form(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "phase": data.get("phase"),
        "teaching_staff": data.get("teaching_staff"),
        "support_staff": data.get("support_staff"),
        "pl_lead": data.get("pl_lead"),
        "funding_allocation": data.get("funding_allocation_pence"),
    }


def _about_from_form(form: AboutYourSchoolForm) -> dict[str, Any]:
    return {
        "phase": form.phase.data,
        "teaching_staff": form.teaching_staff.number,
        "support_staff": form.support_staff.number,
        "pl_lead": form.pl_lead.data,
        "funding_allocation_pence": form.funding_allocation.pence,
    }


STEP_PAGES: dict[str, StepPage] = {
    "about-your-school": StepPage(
        form=AboutYourSchoolForm,
        template="plan/steps/about_your_school.html",
        to_form=_about_to_form,
        from_form=_about_from_form,
    ),
}

# Each task's answers as shown on its check-your-answers page and on the plan summary.
CHECK_TEMPLATES: dict[str, str] = {
    "about-your-school": "plan/check/about_your_school.html",
}
