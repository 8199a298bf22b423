"""What pages show, built in Python from the data, so that templates only lay it out:

- the task list (hub): each task with its status and link, through `location_url`;
- the Diamond 9 board page and its htmx partial;
- the plan summary (the school's own, a submitted version, and next the coordinator's and
  shared views all use this one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from flask import g, url_for
from markupsafe import Markup

from wizard.domain import framework
from wizard.domain.academic_year import year_label, year_slug
from wizard.domain.cards import CardInfo
from wizard.domain.diamond import CAPACITY, ROW_COUNT, ROW_OF, ROWS, is_complete, ranked
from wizard.domain.journey import (
    BOARD_STEP,
    FUNDING_STEP,
    JOURNEY,
    Answers,
    Location,
    Task,
    TaskStatus,
)
from wizard.domain.plan_document import PlanDocument
from wizard.domain.summary import PlanView, plan_view, view
from wizard.render.locale import in_language
from wizard.render.svg import board_svg
from wizard.services.board import BoardState
from wizard.services.plans import is_draft
from wizard.web.i18n import select_locale
from wizard.web.labels import STATUS_LABELS, TASK_HINTS, TASK_TITLES
from wizard.web.scope import PlanScope
from wizard.web.staff_voice import summary_panel, summary_panel_key
from wizard.web.text import gettext as _

if TYPE_CHECKING:
    from wizard.services.accounts import User
    from wizard.services.plans import Plan


def summary_context(
    snapshot: Mapping[str, Any] | PlanDocument,
    status: str,
    number: int | None,
    *,
    school: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The summary page's (and PDF's) context for a snapshot of a plan (stored, of any schema,
    or read), in the page's language. The staff voice shown is that of the request's plan, or
    of `school` (school id, academic year) for a request about several plans."""
    lang = select_locale()
    document = (
        snapshot if isinstance(snapshot, PlanDocument) else PlanDocument.from_stored(snapshot)
    )
    summary = view(document, lang)
    school_name = in_language(summary.school.name_en, summary.school.name_cy, lang)
    academic_year = document.academic_year or 0
    svg = board_svg(summary.board, summary.cards, school_name, academic_year)
    return {
        "summary": summary,
        "school_name": school_name,
        "academic_year": academic_year,
        "status": status,
        "version_number": number,
        "diamond_svg": svg,
        "staff_voice": _staff_voice(summary.cards, school),
    }


def answers_view(data: Mapping[str, Any], languages: Mapping[str, str] | None = None) -> PlanView:
    """A plan's saved answers (step -> data) as the check-your-answers pages show them, with
    the language each step's answers were written in (where known), to mark them."""
    document = PlanDocument.from_answers(data)
    return plan_view(replace(document, languages=dict(languages or {})))


def _voice_school(school: tuple[int, int] | None) -> tuple[int, int] | None:
    """Whose staff voice a summary shows: `school`, else the request's plan's (None: none)."""
    if school is not None:
        return school
    scope = g.get("plan_scope")
    if not isinstance(scope, PlanScope):
        return None
    return scope.school_id, scope.academic_year


def _staff_voice(cards: Any, school: tuple[int, int] | None) -> dict[str, Any] | None:
    """The plan's latest staff voice round, for the summary (None without one)."""
    found = _voice_school(school)
    return None if found is None else summary_panel(found[0], found[1], cards)


def staff_voice_key(school: tuple[int, int] | None = None) -> Any:
    """What the staff voice part of summary_context(..., school=school) depends on besides the
    plan's cards, the language and the code (web.staff_voice.summary_panel_key): part of a
    submitted version's PDF's cache key, so that a new response or a round closing makes the
    PDF again."""
    found = _voice_school(school)
    return None if found is None else summary_panel_key(found[0], found[1])


def check_section(task: Task, data: Answers, template: str) -> dict[str, Any]:
    """What a check-your-answers page shows of one task: its status, the template of its
    answers, and its first step still to answer (None: all answered)."""
    incomplete = [s for s in task.steps if not s.complete(data.get(s.slug))]
    return {
        "task": task,
        "status": JOURNEY.task_status(task, data),
        "check_template": template,
        "first_incomplete": incomplete[0] if incomplete else None,
    }


def location_url(location: Location, year: int) -> str:
    slug = year_slug(year)
    if location.kind == "step":
        found = JOURNEY.find_step(location.slug)
        endpoint = found[1].endpoint if found else "plan.step"
        if endpoint != "plan.step":
            return url_for(endpoint, year=slug)
        return url_for(endpoint, year=slug, step=location.slug, return_to=location.return_to)
    if location.kind == "check":
        return url_for("plan.check", year=slug, task=location.slug)
    if location.kind == "plan-check":
        return url_for("plan.check_plan", year=slug)
    if location.kind == "submit":
        return url_for("submission.check_and_submit", year=slug)
    return url_for("plan.hub", year=slug)


# How the GOV.UK task list shows each status (its `status` parameter, without the words).
_STATUS_PARAMS: dict[TaskStatus, dict[str, Any]] = {
    TaskStatus.COMPLETED: {},
    TaskStatus.CANNOT_START: {"classes": "govuk-task-list__status--cannot-start-yet"},
    TaskStatus.IN_PROGRESS: {"tag": {"classes": "govuk-tag--light-blue"}},
    TaskStatus.NOT_STARTED: {"tag": {"classes": "govuk-tag--blue"}},
}


def _task_item(
    task: Task, status: TaskStatus, href: str | None, waits: str | None
) -> dict[str, Any]:
    """A task as the GOV.UK task list component takes it: title, hint, status and link."""
    words = STATUS_LABELS[status]
    shown = _STATUS_PARAMS[status]
    if "tag" in shown:
        status_param: dict[str, Any] = {"tag": {**shown["tag"], "text": words}}
    else:
        status_param = {"text": words, **shown}
    hint: dict[str, Any] = {"text": TASK_HINTS[task.key]}
    if waits:
        # What must be done before this task can start.
        hint = {
            "html": Markup('{} <span class="app-task-list__waits">{}</span>').format(
                TASK_HINTS[task.key], waits
            )
        }
    item: dict[str, Any] = {
        "title": {"text": TASK_TITLES[task.key]},
        "hint": hint,
        "status": status_param,
    }
    if href:
        item["href"] = href
    return item


def hub_tasks(data: Answers, academic_year: int) -> list[dict[str, Any]]:
    """The task list: each task, its status, where its link goes (None: cannot start), for a
    task that cannot start yet what must be done first, and the whole as the GOV.UK task list
    component's item (`item`)."""
    tasks = []
    for task in JOURNEY.tasks:
        status = JOURNEY.task_status(task, data)
        entry = JOURNEY.task_entry(task, data)
        href = location_url(entry, academic_year) if entry else None
        waits = waits_for(task, data) if status == TaskStatus.CANNOT_START else None
        tasks.append(
            {
                "task": task,
                "status": status,
                "href": href,
                "waits_for": waits,
                "item": _task_item(task, status, href, waits),
            }
        )
    return tasks


def hub_links(
    academic_year: int,
    plan: Plan | None,
    user: User,
    school_id: int,
    *,
    previous: Plan | None,
    has_versions: bool,
    next_year: int | None,
) -> list[tuple[str, str]]:
    """ "More about this plan": (address, words) for each page about the plan the user may open."""
    year = year_slug(academic_year)
    own = user.school_id == school_id
    links = []
    if plan is not None:
        links += [
            (
                url_for("plan.check_plan", year=year),
                _("Check your answers for the whole plan so far"),
            ),
            (url_for("summary.page", year=year), _("Plan summary: read, print or download")),
            (url_for("history.plan", year=year), _("History: who changed what, and when")),
        ]
    if has_versions:
        links.append((url_for("versions.index", year=year), _("Submitted versions")))
    if plan is not None and user.is_school_lead and own:
        links.append((url_for("sharing.index", year=year), _("Share this plan")))
    if plan is not None and own:
        links.append(
            (url_for("staff_voice.index", year=year), _("Staff voice: ask every member of staff"))
        )
    if plan is not None and previous is not None:
        other: dict[str, Any] = {"with": year_slug(previous.academic_year)}
        compare = url_for("compare.years", year=year, **other)
        links.append((compare, _("Compare with %(year)s", year=year_label(previous.academic_year))))
    if next_year:
        links.append((url_for("plan.hub", year=year_slug(next_year)), _next_year(next_year)))
    return links


def _next_year(year: int) -> str:
    return _("Your plan for %(year)s", year=year_label(year))


def waits_for(task: Task, data: Answers) -> str:
    """What must be done before the task can start ("Complete “About your school” first.")."""
    missing = [
        str(TASK_TITLES[key])
        for key in task.depends_on
        if (required := JOURNEY.task(key)) is None
        or JOURNEY.task_status(required, data) != TaskStatus.COMPLETED
    ]
    if task.key == FUNDING_STEP:
        return _(
            "Complete “%(task)s” first: the funding plan needs your funding allocation.",
            task=missing[0] if missing else "",
        )
    return _("Complete “%(tasks)s” first.", tasks="”, “".join(missing))


def row_labels() -> dict[int, str]:
    """The "Move to" choices, worked out once per page rather than once per card."""
    labels = {row: _("Row %(row)d", row=row) for row in range(1, ROW_COUNT + 1)}
    labels[1] = _("Row 1 (most important)")
    labels[ROW_COUNT] = _("Row %(row)d (least important)", row=ROW_COUNT)
    return labels


def card_reason(card: CardInfo) -> str:
    """Why a card is suggested, in the page's language."""
    reason = card.reason
    if reason is None:
        return ""
    if reason.review is not None:
        return {
            "not-met": _("Not met in last year's year-end review"),
            "partly": _("Partly met in last year's year-end review"),
        }.get(reason.review, _("Carried over from last year's year-end review"))
    hallmark = framework.hallmark(reason.hallmark) if reason.hallmark is not None else None
    if hallmark is not None:
        rating = framework.RATING_TITLES.get(reason.rating or "")
        return _(
            "You rated hallmark %(number)d as %(rating)s",
            number=hallmark.number,
            rating=str(rating or reason.rating),
        )
    return {
        "school": _("You chose this element in the school context"),
        "regional": _("You chose this element in the regional context"),
        "national": _("You chose this element in the national context"),
    }.get(reason.context or "", "")


class Reasons:
    """Why each suggested card is suggested, worked out only for the cards a page shows (a
    move's response shows two or three of them)."""

    def __init__(self, state: BoardState) -> None:
        self._catalogue = state.catalogue
        self._suggested = set(state.catalogue.suggested)
        self._said: dict[str, str] = {}

    def get(self, key: str, default: str = "") -> str:
        if key not in self._suggested:
            return default
        if key not in self._said:
            self._said[key] = card_reason(self._catalogue[key])
        return self._said[key]


def about_cards(state: BoardState) -> list[dict[str, Any]]:
    """Every card the school can choose, for "About the cards": the nine on the board in rank
    order, then the bank's, each with where it is and why it is suggested."""
    placed = set(state.board.values())
    where = {card: ROW_OF[slot] for slot, card in state.board.items()}
    cards = [state.catalogue[key] for row in ranked(state.board) for key in row]
    cards += state.catalogue.bank(placed)
    return [
        {
            "card": card,
            "reason": card_reason(card),
            "row": where.get(card.key),
        }
        for card in cards
    ]


def board_context(year: str, academic_year: int, state: BoardState, **extra: Any) -> dict[str, Any]:
    """What the Diamond 9 page and its htmx partial show: the board, the bank, the rows and the
    words of every control, worked out once per page."""
    placed = set(state.board.values())
    data = {step: row.data for step, row in state.answers.items()}
    if state.board:
        data[BOARD_STEP] = {"slots": {str(k): v for k, v in state.board.items()}}
    task = JOURNEY.task(BOARD_STEP)
    assert task is not None
    return {
        "year_slug": year,
        "academic_year": academic_year,
        "board": state.board,
        "version": state.version,
        "cards": state.catalogue,
        "bank": state.catalogue.bank(placed),
        "rows": ROWS,
        "row_of": ROW_OF,
        "slot_by_card": {card: slot for slot, card in state.board.items()},
        "capacity": CAPACITY,
        "row_count": ROW_COUNT,
        "ranked": ranked(state.board),
        "row_labels": row_labels(),
        "texts": {
            "up": _("Move up a row"),
            "down": _("Move down a row"),
            "bank": _("Return to the bank"),
            "add": _("Add to the board"),
            "swap_in": _("Swap into the board"),
            "move_to": _("Move to row"),
            "swap": _("Swap with…"),
            "moves": _("Moves"),
            "about": _("About"),
            "suggested": _("Suggested"),
            "own": _("Your card"),
            "empty": _("Empty place"),
        },
        "reasons": Reasons(state),
        "complete": is_complete(state.board),
        "status": JOURNEY.task_status(task, data),
        "editable": is_draft(state.plan),
        **extra,
    }


def pagination(
    current: int, pages: int, page_url: Callable[[int], str], label: str
) -> dict[str, Any] | None:
    """govukPagination's parameters: the first, last and nearby pages, in the page's language,
    `label` naming the pages for a screen reader (None: one page, no pagination)."""
    if pages <= 1:
        return None
    shown = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    items: list[dict[str, Any]] = []
    for index, number in enumerate(shown):
        if index and number - shown[index - 1] > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": page_url(number),
                "current": number == current,
                "visuallyHiddenText": _("Page %(number)d", number=number),
            }
        )
    params: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if current > 1:
        params["previous"] = {"href": page_url(current - 1), "text": _("Previous")}
    if current < pages:
        params["next"] = {"href": page_url(current + 1), "text": _("Next")}
    return params
