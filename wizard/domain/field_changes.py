"""What changed between two versions of a plan, field by field (plain Python): each changed
answer with its old and new value, grouped by task in task-list order; long answers with the
words that changed marked.

Values are kept as the plan stores them (a rating's key, a card's key, an amount in pence, the
text as written): the pages put them into words in their language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from wizard.domain.changes import _card_moves
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.plan_document import About, FundingLine, PlanDocument, hallmark_step

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# Answers written as prose: shown with the changed words marked.
TEXT_FIELDS = frozenset(
    {"reflection", "evidence", "next_steps", "description", "purpose_other", "pl_lead"}
)

# What a funding line is compared on, in the order shown.
LINE_FIELDS = (
    "description",
    "purpose",
    "purpose_other",
    "priority",
    "beneficiaries",
    "term",
    "amount_pence",
)


@dataclass(frozen=True)
class Piece:
    """A run of a text: kept ("same"), taken out ("del") or put in ("ins")."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One answer that changed.

    `step` is the step it belongs to (to link to); `field` names the answer ("rating",
    "evidence", "priorities", "row", "amount_pence", ...); `subject` says which hallmark,
    context, card or funding line it belongs to, where the step has several; `kind` is
    "changed", or "added"/"removed" for a whole card, line, priority or answer.
    """

    step: str
    field: str
    before: Any
    after: Any
    subject: str | int | None = None
    kind: str = CHANGED
    words: tuple[Piece, ...] = ()
    """For prose: the text with the changed words marked."""


@dataclass(frozen=True)
class TaskChanges:
    task: str
    fields: list[FieldChange] = field(default_factory=list)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_changes(before: str, after: str) -> tuple[Piece, ...]:
    """`after` as a run of pieces against `before`: words kept, taken out and put in (a
    word-level diff; a space alone between two changes goes with them, so that "y clwstwr" to
    "yr ysgol" reads as one change, not two)."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces: list[Piece] = []
    taken: list[str] = []
    put: list[str] = []

    def flush() -> None:
        if taken:
            pieces.append(Piece("del", "".join(taken)))
        if put:
            pieces.append(Piece("ins", "".join(put)))
        taken.clear()
        put.clear()

    opcodes = SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between and all(t.isspace() for t in old[i1:i2])):
            flush()
            pieces.append(Piece("same", "".join(old[i1:i2])))
        else:
            taken.extend(old[i1:i2])
            put.extend(new[j1:j2])
    flush()
    return tuple(pieces)


def _value(before: Any, after: Any, step: str, name: str, subject: Any = None) -> list[FieldChange]:
    if before == after or (not before and not after):
        return []
    kind = ADDED if before in (None, "", ()) else REMOVED if after in (None, "", ()) else CHANGED
    words = (
        word_changes(str(before or ""), str(after or ""))
        if name in TEXT_FIELDS and kind == CHANGED
        else ()
    )
    return [FieldChange(step, name, before, after, subject, kind, words)]


def _about(before: PlanDocument, after: PlanDocument) -> list[FieldChange]:
    return [
        change
        for name in About.FIELDS
        for change in _value(
            getattr(before.about, name), getattr(after.about, name), ABOUT_STEP, name
        )
    ]


def _contexts(before: PlanDocument, after: PlanDocument) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in ("school", "regional", "national"):
        old, new = before.context(key), after.context(key)
        step = f"context-{key}"
        changes += _value(
            old.reflection if old else None,
            new.reflection if new else None,
            step,
            "reflection",
            key,
        )
        old_priorities = old.priorities if old else ()
        new_priorities = new.priorities if new else ()
        changes += [
            FieldChange(step, "priorities", None, element, key, ADDED)
            for element in new_priorities
            if element not in old_priorities
        ]
        changes += [
            FieldChange(step, "priorities", element, None, key, REMOVED)
            for element in old_priorities
            if element not in new_priorities
        ]
    return changes


def _hallmarks(before: PlanDocument, after: PlanDocument) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for hallmark_id in sorted(set(before.hallmarks) | set(after.hallmarks)):
        old, new = before.hallmark(hallmark_id), after.hallmark(hallmark_id)
        step = hallmark_step(hallmark_id)
        for name in ("rating", "evidence", "next_steps"):
            changes += _value(
                getattr(old, name) if old else None,
                getattr(new, name) if new else None,
                step,
                name,
                hallmark_id,
            )
    return changes


def _board(before: PlanDocument, after: PlanDocument) -> list[FieldChange]:
    return [
        FieldChange(
            BOARD_STEP,
            "row",
            move.before,
            move.after,
            move.card,
            {"added": ADDED, "removed": REMOVED}.get(move.kind, CHANGED),
        )
        for move in _card_moves(before, after)
    ]


def _line(line: FundingLine, name: str) -> Any:
    value = getattr(line, name)
    return tuple(value) if isinstance(value, tuple) else value


def _funding(before: PlanDocument, after: PlanDocument) -> list[FieldChange]:
    lines_before = {line.id: line for line in before.lines}
    lines_after = {line.id: line for line in after.lines}
    changes: list[FieldChange] = []
    for line_id, line in lines_after.items():
        previous = lines_before.get(line_id)
        if previous is None:
            changes.append(FieldChange(FUNDING_STEP, "line", None, line, line_id, ADDED))
            continue
        for name in LINE_FIELDS:
            changes += _value(_line(previous, name), _line(line, name), FUNDING_STEP, name, line_id)
    changes += [
        FieldChange(FUNDING_STEP, "line", line, None, line_id, REMOVED)
        for line_id, line in lines_before.items()
        if line_id not in lines_after
    ]
    return changes


def field_changes(before: PlanDocument, after: PlanDocument) -> list[TaskChanges]:
    """Every answer that changed from `before` to `after`, grouped by task in task-list order
    (tasks with no change left out)."""
    found = {
        ABOUT_STEP: _about(before, after),
        "contexts": _contexts(before, after),
        "hallmarks": _hallmarks(before, after),
        BOARD_STEP: _board(before, after),
        FUNDING_STEP: _funding(before, after),
    }
    return [TaskChanges(task.key, found[task.key]) for task in JOURNEY.tasks if found.get(task.key)]


# Answers whose values are short keys or numbers: an audit record keeps them, to say what a save
# changed them from and to (prose is named, never copied).
_KEPT_VALUES = frozenset(
    {
        "row",
        "rating",
        "priorities",
        "priority",
        "term",
        "purpose",
        "amount_pence",
        "phase",
        "teaching_staff",
        "support_staff",
        "funding_allocation_pence",
    }
)
SAVED_CHANGES_KEPT = 30
"""At most this many changes are kept for one save (a whole board arranged at once is 9)."""
_LINE_NAME = 80
"""A funding line is named in the record by the start of its description."""


def _line_name(line: FundingLine | None) -> str:
    return (line.description or line.purpose_other or "")[:_LINE_NAME] if line else ""


def saved_changes(
    step: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> list[dict[str, Any]]:
    """What one save of a step changed, for its audit record (the plan's history puts it into
    words): each changed answer's field, what it belongs to (a card, a hallmark, a context, a
    line), whether it was added, changed or removed, and for short values what it was and
    became. A funding line is named by the start of its description; prose is not copied."""
    old = PlanDocument.from_answers({step: before} if before else {})
    new = PlanDocument.from_answers({step: after})
    lines = {line.id: line for line in (*old.lines, *new.lines)}
    kept: list[dict[str, Any]] = []
    for task in field_changes(old, new):
        for change in task.fields:
            entry: dict[str, Any] = {"field": change.field, "kind": change.kind}
            if change.subject is not None:
                entry["subject"] = change.subject
            if change.field in _KEPT_VALUES:
                entry["before"], entry["after"] = change.before, change.after
            if step == FUNDING_STEP:
                entry["name"] = _line_name(lines.get(str(change.subject)))
            kept.append(entry)
    return kept[:SAVED_CHANGES_KEPT]
