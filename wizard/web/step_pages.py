"""How each step of the journey is shown and saved: its form, template and answer mapping.

The journey (wizard/domain/journey.py) says which steps exist and when they are complete; this module
says how a step's page turns saved answers into a form and a valid form into answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from wizard.domain import framework
from wizard.domain.journey import CONTEXT_KEYS, HALLMARK_COUNT
from wizard.domain.plan_document import hallmark_step
from wizard.web.forms import AboutYourSchoolForm, ContextForm, HallmarkForm, RevisionForm


def _no_setup(form: Any) -> None:
    return None


@dataclass(frozen=True)
class StepPage:
    form: type[RevisionForm]
    template: str
    to_form: Callable[[dict[str, Any]], dict[str, Any]]
    from_form: Callable[[Any], dict[str, Any]]
    setup: Callable[[Any], None] = _no_setup
    """Finish a new form: for example, set choices that depend on the step."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """More context for the template (the framework item the step is about)."""


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


def _same_fields(*names: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def to_form(data: dict[str, Any]) -> dict[str, Any]:
        return {name: data.get(name) for name in names}

    return to_form


def _context_from_form(form: ContextForm) -> dict[str, Any]:
    # Keep the elements in the framework's order, whatever order they were sent in.
    chosen = set(form.priorities.data or [])
    order = form.priorities.choice_values()
    return {"reflection": form.reflection.data, "priorities": [k for k in order if k in chosen]}


def _context_setup(context_key: str) -> Callable[[ContextForm], None]:
    def setup(form: ContextForm) -> None:
        form.priorities.choices = [
            SelectChoice(element.key, element.title)
            for element in framework.elements_of(context_key)
        ]

    return setup


def _hallmark_from_form(form: HallmarkForm) -> dict[str, Any]:
    return {
        "rating": form.rating.data,
        "evidence": form.evidence.data,
        "next_steps": form.next_steps.data,
    }


STEP_PAGES: dict[str, StepPage] = {
    "about-your-school": StepPage(
        form=AboutYourSchoolForm,
        template="plan/steps/about_your_school.html",
        to_form=_about_to_form,
        from_form=_about_from_form,
    ),
}

for _number, _key in enumerate(CONTEXT_KEYS, start=1):
    STEP_PAGES[f"context-{_key}"] = StepPage(
        form=ContextForm,
        template="plan/steps/context.html",
        to_form=_same_fields("reflection", "priorities"),
        from_form=_context_from_form,
        setup=_context_setup(_key),
        extra={
            "context": framework.context(_key),
            "elements": framework.elements_of(_key),
            "number": _number,
            "count": len(CONTEXT_KEYS),
        },
    )

for _hallmark in framework.HALLMARKS:
    STEP_PAGES[hallmark_step(_hallmark.id)] = StepPage(
        form=HallmarkForm,
        template="plan/steps/hallmark.html",
        to_form=_same_fields("rating", "evidence", "next_steps"),
        from_form=_hallmark_from_form,
        extra={
            "hallmark": _hallmark,
            "dimension": framework.slo_dimension(_hallmark.slo_dimension),
            "ratings": framework.RATINGS,
            "count": HALLMARK_COUNT,
        },
    )

# Each task's answers as shown on its check-your-answers page and on the plan summary.
CHECK_TEMPLATES: dict[str, str] = {
    "about-your-school": "plan/check/about_your_school.html",
    "contexts": "plan/check/contexts.html",
    "hallmarks": "plan/check/hallmarks.html",
    "diamond-9": "plan/check/diamond.html",
    "funding-plan": "plan/check/funding.html",
}
