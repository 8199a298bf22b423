"""The plan's history page: each audit record as "which part of the plan" and "what changed",
in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from wizard.domain import framework
from wizard.domain import year_end as year_end_rules
from wizard.domain.academic_year import year_label
from wizard.domain.cards import CardCatalogue
from wizard.domain.field_changes import ADDED, REMOVED
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.plan_document import hallmark_of_step
from wizard.render.locale import format_money
from wizard.services.plans import AuditAction, HistoryEntry
from wizard.web.feedback import ABOUT_FIELD_LABELS, HALLMARK_FIELD_LABELS, LINE_FIELD_LABELS
from wizard.web.i18n import select_locale
from wizard.web.labels import PHASES, PROGRESS_STATUS_LABELS, TASK_TITLES, TERM_LABELS
from wizard.web.reporting import purpose_title
from wizard.web.text import gettext as _
from wizard.web.text import ngettext
from wizard.web.year_end import SECTION_TITLES


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    part: str
    what: str
    board_move: bool = False
    changes: tuple[str, ...] = ()
    """What the save changed, one sentence a card or answer (older records say nothing)."""
    moves: tuple[tuple[datetime, tuple[str, ...]], ...] = ()
    """For a run of Diamond 9 moves shown as one row: when each was made and which cards it
    moved, the latest first."""


def _number(detail: dict[str, Any], key: str) -> int:
    value = detail.get(key)
    return value if isinstance(value, int) else 0


def _task_title(key: object) -> str:
    if isinstance(key, str) and key in TASK_TITLES:
        return str(TASK_TITLES[key])
    return _("The whole plan")


def part_of_plan(step: object) -> str:
    """The name of the part of the plan a saved step is (a task, a context, a hallmark)."""
    if not isinstance(step, str):
        return _("The whole plan")
    for task in JOURNEY.tasks:
        if step == task.completion_key:
            return str(TASK_TITLES[task.key])
    if step.startswith("context-"):
        context = framework.context(step.removeprefix("context-"))
        if context is not None:
            return f"{TASK_TITLES['contexts']}: {context.title}"
    hallmark_id = hallmark_of_step(step)
    hallmark = framework.hallmark(hallmark_id) if hallmark_id is not None else None
    if hallmark is not None:
        count = len(framework.HALLMARKS)
        return _("Hallmark %(number)d of %(count)d", number=hallmark.number, count=count) + (
            f": {hallmark.title}"
        )
    found = JOURNEY.find_step(step)
    return _task_title(found[0].key if found else None)


def _answer_saved(detail: dict[str, Any]) -> str:
    step = detail.get("step")
    if any(step == task.completion_key for task in JOURNEY.tasks):
        return _("Answered “Have you completed this section?”")
    if step == "diamond-9":
        return _("Moved cards on the Diamond 9")
    if step == "funding-plan":
        return _("Changed the lines of spending")
    return _("Saved answers")


# Records that need nothing from their detail: (part of the plan, what changed).
_PLAIN: dict[AuditAction, Callable[[], tuple[str, str]]] = {
    AuditAction.PLAN_REOPENED: lambda: (
        _("The whole plan"),
        _("Reopened the plan to make changes"),
    ),
    AuditAction.SHARE_LINK_CREATED: lambda: (_("The whole plan"), _("Made a share link")),
    AuditAction.SHARE_LINK_REVOKED: lambda: (_("The whole plan"), _("Revoked a share link")),
    AuditAction.STAFF_VOICE_APPLIED: lambda: (
        str(TASK_TITLES["diamond-9"]),
        _("Applied the staff's consensus board from staff voice"),
    ),
    AuditAction.STAFF_VOICE_UNDONE: lambda: (
        str(TASK_TITLES["diamond-9"]),
        _("Undid applying the staff's consensus board"),
    ),
}


# Records of what happened to a numbered version of the plan: what changed, given the number.
_VERSIONED: dict[AuditAction, Callable[[int], str]] = {
    AuditAction.PLAN_SUBMITTED: lambda number: _("Submitted version %(number)d", number=number),
    AuditAction.VERSION_REVIEWED: lambda number: _(
        "Marked version %(number)d as reviewed", number=number
    ),
    AuditAction.CHANGES_REQUESTED: lambda number: _(
        "Asked for changes to version %(number)d", number=number
    ),
}


def _framework_card_title(key: object) -> str | None:
    """The title of a designed card, element or hallmark card, in the page's language (None
    for a school's own card, whose title the record does not keep)."""
    if not isinstance(key, str):
        return None
    card = CardCatalogue({}, (), select_locale()).get(key)
    return str(card.title) if card is not None else None


_YEAR_END = (
    AuditAction.YEAR_END_SAVED,
    AuditAction.YEAR_END_SUBMITTED,
    AuditAction.YEAR_END_REOPENED,
)


def _year_end(action: AuditAction, detail: dict[str, Any], version: int) -> tuple[str, str]:
    """(part, what) of a change to the plan's year-end review."""
    review = _("Year-end review")
    if action is AuditAction.YEAR_END_SUBMITTED:
        return review, _("Submitted version %(number)d of the year-end review", number=version)
    if action is AuditAction.YEAR_END_REOPENED:
        return review, _("Reopened the year-end review to make changes")
    section = str(detail.get("section") or "")
    if section.startswith(year_end_rules.IMPACT_PREFIX):
        title = _framework_card_title(section.removeprefix(year_end_rules.IMPACT_PREFIX))
        part = f"{review}: {SECTION_TITLES['impact']}"
        if title:
            return part, _("Saved the impact on “%(priority)s”", priority=title)
        return part, _("Saved answers")
    if section in SECTION_TITLES:
        return f"{review}: {SECTION_TITLES[section]}", _("Saved answers")
    return review, _("Saved answers")


class _ChangeWords:
    """Puts an audit record's changes (domain.field_changes.saved_changes) into sentences in
    the page's language: cards by their titles (the school's own cards as they are now)."""

    def __init__(self, cards: CardCatalogue) -> None:
        self.cards = cards

    def card(self, key: object) -> str:
        card = self.cards.get(str(key)) if key else None
        return card.title if card is not None else _("one of the school’s own cards")

    def value(self, name: str, value: Any) -> str:
        if name in ("funding_allocation_pence", "amount_pence") and isinstance(value, int):
            return format_money(value)
        labels: dict[str, Callable[[Any], str]] = {
            "phase": lambda v: str(PHASES.get(v, v)),
            "rating": lambda v: str(framework.RATING_TITLES.get(v, v)),
            "purpose": lambda v: purpose_title(str(v)),
            "priority": self.card,
            "term": lambda v: str(TERM_LABELS.get(v, v)),
            "priorities": lambda v: str(framework.ELEMENT_TITLES.get(v, v)),
        }
        return labels[name](value) if name in labels else str(value)

    def label(self, step: str, change: dict[str, Any]) -> str:
        name = str(change.get("field"))
        if step == ABOUT_STEP:
            return str(ABOUT_FIELD_LABELS.get(name, name))
        if step.startswith("context-"):
            return _("Elements to prioritise") if name == "priorities" else _("Reflection")
        if step == FUNDING_STEP:
            line = str(change.get("name") or "") or _("A line of spending")
            if name == "line":
                return _("Line of spending “%(name)s”", name=line)
            return f"“{line}”: {LINE_FIELD_LABELS.get(name, name)}"
        return str(HALLMARK_FIELD_LABELS.get(name, name))

    def sentence(self, step: str, change: dict[str, Any]) -> str:
        """One change as a sentence: a card's move, or an answer added, changed or removed."""
        kind, name = change.get("kind"), str(change.get("field"))
        before, after = change.get("before"), change.get("after")
        if step == BOARD_STEP:
            card = self.card(change.get("subject"))
            if kind == ADDED and isinstance(after, int):
                return _("Placed “%(card)s” in row %(row)d", card=card, row=after)
            if kind == REMOVED:
                return _("Took “%(card)s” off the board", card=card)
            if isinstance(before, int) and isinstance(after, int):
                return _(
                    "Moved “%(card)s” from row %(before)d to row %(after)d",
                    card=card,
                    before=before,
                    after=after,
                )
        what = self.label(step, change)
        listed = name == "priorities"  # an element added to, or taken from, a list
        if kind == ADDED:
            if after is None or name == "line":
                return (
                    _("%(what)s: added", what=what)
                    if name == "line"
                    else _("%(what)s: written", what=what)
                )
            value = self.value(name, after)
            return (
                _("%(what)s: added %(value)s", what=what, value=value)
                if listed
                else _("%(what)s: set to %(value)s", what=what, value=value)
            )
        if kind == REMOVED:
            return (
                _("%(what)s: removed %(value)s", what=what, value=self.value(name, before))
                if before is not None and name != "line"
                else _("%(what)s: removed", what=what)
            )
        if before is not None and after is not None:
            return _(
                "%(what)s: %(before)s to %(after)s",
                what=what,
                before=self.value(name, before),
                after=self.value(name, after),
            )
        return _("%(what)s: changed", what=what)


def _changes(detail: dict[str, Any], words: _ChangeWords) -> tuple[str, ...]:
    step, changed = detail.get("step"), detail.get("changed")
    if not isinstance(step, str) or not isinstance(changed, list):
        return ()
    return tuple(words.sentence(step, c) for c in changed if isinstance(c, dict))


def _own_card_change(
    action: AuditAction, detail: dict[str, Any], cards: CardCatalogue | None
) -> str:
    """An own card added, changed or deleted: named by its title while the card is there."""
    own = cards.get(str(detail.get("card"))) if cards is not None else None
    if own is not None and action is AuditAction.CARD_ADDED:
        return _("Added the school’s own card “%(card)s”", card=own.title)
    if own is not None and action is AuditAction.CARD_CHANGED:
        return _("Changed the school’s own card “%(card)s”", card=own.title)
    return {
        AuditAction.CARD_ADDED: _("Added one of the school’s own cards"),
        AuditAction.CARD_CHANGED: _("Changed one of the school’s own cards"),
        AuditAction.CARD_DELETED: _("Deleted one of the school’s own cards"),
    }[action]


def describe(entry: HistoryEntry, cards: CardCatalogue | None = None) -> HistoryRow:
    """One audit record as a row of the history table (`cards`: the plan's, to name the cards
    a save moved; the framework's alone when not given)."""
    detail = entry.detail
    action = entry.action
    version = _number(detail, "version")
    part = _("The whole plan")
    if action is AuditAction.ANSWER_SAVED:
        part, what = part_of_plan(detail.get("step")), _answer_saved(detail)
    elif action in (AuditAction.CARD_ADDED, AuditAction.CARD_CHANGED, AuditAction.CARD_DELETED):
        part, what = str(TASK_TITLES["diamond-9"]), _own_card_change(action, detail, cards)
    elif action in _VERSIONED:
        what = _VERSIONED[action](version)
    elif action is AuditAction.PLAN_STARTED:
        from_year = detail.get("from_year")
        what = (
            _("Started the plan from the %(year)s plan", year=year_label(from_year))
            if isinstance(from_year, int)
            else _("Started an empty plan")
        )
    elif action is AuditAction.PROGRESS_SAVED:
        term = TERM_LABELS.get(str(detail.get("term")), "")
        status = PROGRESS_STATUS_LABELS.get(str(detail.get("status")), "")
        part = f"{_('Progress through the year')}: {term}"
        title = _framework_card_title(detail.get("card"))
        what = (
            _(
                "Recorded how “%(priority)s” is going: %(status)s",
                priority=title,
                status=str(status),
            )
            if title
            else _("Recorded how a priority is going: %(status)s", status=str(status))
        )
    elif action in _YEAR_END:
        part, what = _year_end(action, detail, version)
    elif action is AuditAction.COMMENT_ADDED:
        part = _task_title(detail.get("task"))
        what = _("Commented on version %(number)d", number=version)
    elif action is AuditAction.COMMENT_REPLIED:
        part = _task_title(detail.get("task"))
        what = _("Replied to feedback on version %(number)d", number=version)
    elif action in _PLAIN:
        part, what = _PLAIN[action]()
    else:
        what = _("Changed the plan")
    who = entry.user_name or _("A person whose account has been removed")
    board_move = action is AuditAction.ANSWER_SAVED and detail.get("step") == "diamond-9"
    changes = (
        _changes(detail, _ChangeWords(cards or CardCatalogue({}, (), select_locale())))
        if action is AuditAction.ANSWER_SAVED
        else ()
    )
    return HistoryRow(
        at=entry.at, who=who, part=part, what=what, board_move=board_move, changes=changes
    )


def grouped(rows: list[HistoryRow]) -> list[HistoryRow]:
    """A run of Diamond 9 moves by one person, with nothing else between, as one row ("5 moves
    on the Diamond 9") that lists when each was made and which cards it moved."""
    result: list[HistoryRow] = []
    run: list[HistoryRow] = []

    def close_run() -> None:
        if len(run) == 1:
            result.append(run[0])
        elif run:
            what = ngettext(
                "%(num)d move on the Diamond 9", "%(num)d moves on the Diamond 9", len(run)
            )
            moves = tuple((row.at, row.changes) for row in run)
            result.append(replace(run[0], what=what, changes=(), moves=moves))
        run.clear()

    for row in rows:
        if not (row.board_move and run and run[0].who == row.who):
            close_run()
        if row.board_move:
            run.append(row)
        else:
            result.append(row)
    close_run()
    return result
