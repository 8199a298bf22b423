"""How each step of the journey is shown and saved: its form, template and answer mapping.

The journey (wizard/domain/journey.py) says which steps exist and when they are complete; this module
says how a step's page turns saved answers into a form and a valid form into answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from wizard.domain import framework, guidance
from wizard.domain.diamond import ROW_OF
from wizard.domain.journey import BOARD_STEP, CONTEXT_KEYS, CRITERIA_STEP, HALLMARK_COUNT
from wizard.domain.plan_document import PlanDocument, hallmark_step
from wizard.services.steps import PlanAnswers
from wizard.web.forms import (
    CRITERIA_PLACES,
    AboutYourSchoolForm,
    ContextForm,
    HallmarkForm,
    RevisionForm,
    SuccessCriteriaForm,
)
from wizard.web.i18n import select_locale


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
    from_plan: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    """For a step whose form depends on other answers (the success criteria, on the board):
    the form's data from all the plan's answers, instead of `to_form` of the step's own."""
    prepare: Callable[[Any, PlanAnswers], dict[str, Any]] | None = None
    """Finish the form with the plan's answers, and return more context for the template."""
    merge: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]] | None = None
    """The answers to save from the form's (`from_form`) and all the plan's answers."""
    shows_school: bool = False
    """Whether the page shows the school (its name and local authority): only then is the
    School loaded for it (one query)."""

    def initial(self, step: str, answers: Mapping[str, Any]) -> dict[str, Any]:
        if self.from_plan is not None:
            return self.from_plan(answers)
        saved = answers.get(step)
        return self.to_form(saved) if saved else {}

    def answers(self, form: Any, answers: Mapping[str, Any]) -> dict[str, Any]:
        data = self.from_form(form)
        return self.merge(data, answers) if self.merge is not None else data


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
        shows_school=True,
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
            "guidance": guidance.ELEMENTS,
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
            "guidance": guidance.HALLMARKS[_hallmark.key],
            "ratings": framework.RATINGS,
            "count": HALLMARK_COUNT,
        },
    )


def _criteria_from_plan(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Each place of the board: its card, and that card's success criteria as saved."""
    document = PlanDocument.from_answers(answers)
    data: dict[str, Any] = {}
    for place, card in document.board.slots.items():
        criteria = document.criteria.get(card)
        data[f"card_{place}"] = card
        data[f"difference_{place}"] = criteria.difference if criteria else None
        data[f"evidence_{place}"] = criteria.evidence if criteria else None
    return data


def _criteria_from_form(form: SuccessCriteriaForm) -> dict[str, Any]:
    """Card key -> its criteria, for the cards the page showed."""
    cards: dict[str, Any] = {}
    for place in range(1, CRITERIA_PLACES + 1):
        card = form[f"card_{place}"].data
        if card:
            cards[card] = {
                "difference": form[f"difference_{place}"].data or None,
                "evidence": form[f"evidence_{place}"].data or None,
            }
    return {"cards": cards}


def _criteria_merge(data: dict[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The criteria of the cards on the board now, from the form; those of cards taken off the
    board kept as they were (hidden, back if the card is put back). Nothing typed is lost: what
    the form sent for a card taken off the board meanwhile is kept the same way, under its card
    (a blank sent for it leaves what was saved)."""
    document = PlanDocument.from_answers(answers)
    placed = document.board.placed
    kept = {
        card: criteria.to_stored()
        for card, criteria in document.criteria.items()
        if card not in placed
    }
    sent = {
        card: value
        for card, value in data["cards"].items()
        if card in placed or any(value.values())
    }
    return {"cards": {**kept, **sent}}


def _criteria_prepare(form: SuccessCriteriaForm, state: PlanAnswers) -> dict[str, Any]:
    """The board's cards, in rank order with their places, for the page; their titles on the
    form, for its errors."""
    diamond = state.diamond(select_locale())
    slots = PlanDocument.from_answers(state.data).board.slots
    place_of = {card: place for place, card in slots.items()}
    priorities = [
        {"place": place_of[key], "card": diamond.cards[key], "row": ROW_OF[place_of[key]]}
        for keys in diamond.ranked
        for key in keys
    ]
    form.card_titles = {
        str(place_of[key]): str(diamond.cards[key].title) for keys in diamond.ranked for key in keys
    }
    return {"priorities": priorities, "board_url_step": BOARD_STEP}


STEP_PAGES[CRITERIA_STEP] = StepPage(
    form=SuccessCriteriaForm,
    template="plan/steps/success_criteria.html",
    to_form=_same_fields(),
    from_form=_criteria_from_form,
    from_plan=_criteria_from_plan,
    prepare=_criteria_prepare,
    merge=_criteria_merge,
)

# Each task's answers as shown on its check-your-answers page and on the plan summary.
CHECK_TEMPLATES: dict[str, str] = {
    "about-your-school": "plan/check/about_your_school.html",
    "contexts": "plan/check/contexts.html",
    "hallmarks": "plan/check/hallmarks.html",
    "diamond-9": "plan/check/diamond.html",
    "funding-plan": "plan/check/funding.html",
    CRITERIA_STEP: "plan/check/success_criteria.html",
}
