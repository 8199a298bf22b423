"""Feedback on a plan, as pages show it: the change list between two versions, the comments of
a version by task, and the forms of comments, replies and verdicts. (The emails that feedback
and submissions send are `wizard.services.notifications`'.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.validators import InputRequired, Length

from wizard.domain import framework
from wizard.domain.cards import CardCatalogue
from wizard.domain.changes import compare
from wizard.domain.field_changes import FieldChange, field_changes
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, JOURNEY
from wizard.domain.plan_document import PlanDocument
from wizard.domain.values import ReviewStatus
from wizard.render.locale import format_money
from wizard.services import feedback as feedback_service
from wizard.services.plans import versions_of
from wizard.web.fields import stripped
from wizard.web.forms import Form
from wizard.web.i18n import select_locale
from wizard.web.labels import BENEFICIARY_LABELS, PHASES, TASK_TITLES, TERM_LABELS
from wizard.web.reporting import purpose_title
from wizard.web.text import gettext as _
from wizard.web.widgets import CharacterCount, RadioInput, Select

if TYPE_CHECKING:
    from wizard.services.plans import Plan, PlanVersion

COMMENT_MAX = 2000
WHOLE_PLAN = "whole-plan"

REVIEW_LABELS = {
    ReviewStatus.REVIEWED.value: _l("Reviewed"),
    ReviewStatus.CHANGES_REQUESTED.value: _l("Changes requested"),
}


class CommentField(TextAreaField):
    widget = CharacterCount()

    def __init__(
        self, label: Any, *, empty: Any = None, too_long: Any = None, **kwargs: Any
    ) -> None:
        """`empty` and `too_long` are the errors, which name what the label asks for (a
        comment unless told)."""
        super().__init__(
            label,
            filters=[stripped],
            validators=[
                InputRequired(empty or _l("Enter your comment")),
                Length(
                    max=COMMENT_MAX,
                    message=too_long or _l("Your comment must be 2,000 characters or fewer"),
                ),
            ],
            **kwargs,
        )
        self.max_length = COMMENT_MAX


class _Chosen(InputRequired):
    """InputRequired without the `required` attribute: the list starts on a real choice (the
    whole plan), and HTML allows `required` on such a select only with an empty first option."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.field_flags: dict[str, bool] = {}


class CommentForm(Form):
    """A coordinator's comment on a version: on the whole plan or on one task."""

    version = HiddenField()
    task = SelectField(
        _l("What is your comment about?"),
        choices=[],
        validators=[_Chosen(_l("Select what your comment is about"))],
        widget=Select(),
    )
    body = CommentField(_l("Comment"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task.choices = [SelectChoice(WHOLE_PLAN, _("The whole plan"))] + [
            SelectChoice(task.key, str(TASK_TITLES[task.key])) for task in JOURNEY.tasks
        ]

    def task_key(self) -> str | None:
        return None if self.task.data == WHOLE_PLAN else self.task.data


class ReviewForm(Form):
    """A coordinator's verdict on a version."""

    version = HiddenField()
    status = RadioField(
        _l("What is your verdict on this version?"),
        choices=[SelectChoice(value, label) for value, label in REVIEW_LABELS.items()],
        validators=[InputRequired(_l("Select reviewed or changes requested"))],
        widget=RadioInput(),
    )


class ReplyForm(Form):
    """A school lead's reply to a comment."""

    body = CommentField(
        _l("Your reply"),
        empty=_l("Enter your reply"),
        too_long=_l("Your reply must be 2,000 characters or fewer"),
    )


def version_number_of(form: FlaskForm) -> int | None:
    raw = str(form.version.data or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else None


def change_list(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[str]] | None:
    """What changed from one version to the next (their snapshots), as sentences in the page's
    language."""
    old, new = PlanDocument.from_stored(before), PlanDocument.from_stored(after)
    changes = compare(old, new)
    if not changes:
        return None
    lang = select_locale()
    old_cards = CardCatalogue(old, old.own_cards, lang)
    new_cards = CardCatalogue(new, new.own_cards, lang)

    def title(key: str) -> str:
        card = new_cards.get(key) or old_cards.get(key)
        return card.title if card else key

    cards = []
    for move in changes.cards:
        if move.kind == "added":
            cards.append(_("%(card)s added in row %(row)d", card=title(move.card), row=move.after))
        elif move.kind == "removed":
            cards.append(
                _("%(card)s removed from row %(row)d", card=title(move.card), row=move.before)
            )
        else:
            cards.append(
                _(
                    "%(card)s moved from row %(before)d to row %(after)d",
                    card=title(move.card),
                    before=move.before,
                    after=move.after,
                )
            )
    lines = []
    for line in changes.lines:
        if line.kind == "added":
            lines.append(
                _(
                    "Added: %(line)s, %(amount)s",
                    line=line.description,
                    amount=format_money(line.amount_after or 0),
                )
            )
        elif line.kind == "removed":
            lines.append(
                _(
                    "Removed: %(line)s, %(amount)s",
                    line=line.description,
                    amount=format_money(line.amount_before or 0),
                )
            )
        else:
            lines.append(
                _(
                    "Changed: %(line)s, %(before)s to %(after)s",
                    line=line.description,
                    before=format_money(line.amount_before or 0),
                    after=format_money(line.amount_after or 0),
                )
            )
    return {
        "tasks": [str(TASK_TITLES[key]) for key in changes.tasks],
        "cards": cards,
        "lines": lines,
    }


def version_changes(versions: list[PlanVersion]) -> dict[int, list[dict[str, Any]]]:
    """For each version after the first, what changed since the version before, answer by
    answer."""
    return {
        later.number: field_change_groups(earlier.snapshot, later.snapshot)
        for earlier, later in zip(versions, versions[1:], strict=False)
    }


def school_feedback(plan: Plan | None, number: int | None = None) -> dict[str, Any] | None:
    """The feedback the school sees: its latest submitted version's (or version `number`'s)
    verdict and comments by task (None: the whole plan). None if there is no such version."""
    if plan is None:
        return None
    versions = versions_of(plan, snapshots=False)  # their numbers and verdicts only
    latest = next((v for v in versions if v.number == number), None) if number else None
    latest = latest or (versions[-1] if versions else None)
    if latest is None:
        return None
    return {
        "version": latest,
        "review": REVIEW_LABELS.get(latest.review_status or ""),
        "review_status": latest.review_status,
        "comments": feedback_service.comments_on(plan, latest.number),
    }


def comments_cap_message(cap: int) -> str:
    """What a coordinator or lead is told when a version has as many comments as it may."""
    return _(
        "This version of the plan already has %(count)s comments and replies, the most one version can have.",
        count=cap,
    )


# What changed, field by field ----------------------------------------------------------------

ABOUT_FIELD_LABELS = {
    "phase": _l("Phase"),
    "teaching_staff": _l("Teaching staff"),
    "support_staff": _l("Support staff"),
    "pl_lead": _l("Professional learning lead"),
    "funding_allocation_pence": _l("Funding allocation"),
}

HALLMARK_FIELD_LABELS = {
    "rating": _l("Rating"),
    "evidence": _l("How do you know?"),
    "next_steps": _l("What will you do next?"),
}

LINE_FIELD_LABELS = {
    "description": _l("What the money is for"),
    "purpose": _l("Purpose"),
    "purpose_other": _l("Other purpose"),
    "priority": _l("Diamond 9 priority"),
    "beneficiaries": _l("Who benefits"),
    "term": _l("When"),
    "amount_pence": _l("Amount"),
}


def _anchor(change: FieldChange) -> str:
    if change.step.startswith("hallmark-"):
        return f"summary-hallmark-{change.subject}"
    if change.step.startswith("context-"):
        return f"summary-{change.step}"
    return f"summary-{change.step}"


class _Words:
    """Puts a changed answer's values into words in the page's language."""

    def __init__(self, old: PlanDocument, new: PlanDocument, lang: str) -> None:
        self.old, self.new = old, new
        self.old_cards = CardCatalogue(old, old.own_cards, lang)
        self.new_cards = CardCatalogue(new, new.own_cards, lang)

    def card(self, key: str) -> str:
        if not key:
            return _("None")
        card = self.new_cards.get(key) or self.old_cards.get(key)
        return card.title if card else key

    def value(self, name: str, value: Any) -> str | None:
        if value is None or value == "" or value == ():
            return None
        if name == "phase":
            return str(PHASES.get(value, value))
        if name in ("funding_allocation_pence", "amount_pence"):
            return format_money(int(value))
        if name == "rating":
            return str(framework.RATING_TITLES.get(value, value))
        if name == "purpose":
            return purpose_title(str(value))
        if name == "priority":
            return self.card(str(value))
        if name == "beneficiaries":
            return ", ".join(str(BENEFICIARY_LABELS.get(b, b)) for b in value)
        if name == "term":
            return str(TERM_LABELS.get(value, value))
        if name == "row":
            return _("Row %(number)d", number=int(value))
        if name == "priorities":
            return str(framework.ELEMENT_TITLES.get(value, value))
        return str(value)

    def label(self, change: FieldChange) -> str:
        if change.step == ABOUT_STEP:
            return str(ABOUT_FIELD_LABELS.get(change.field, change.field))
        if change.step.startswith("context-"):
            found = framework.context(str(change.subject))
            title = str(found.title) if found else str(change.subject)
            what = _("Elements to prioritise") if change.field == "priorities" else _("Reflection")
            return f"{title}: {what}"
        if change.step.startswith("hallmark-"):
            hallmark = framework.hallmark(int(change.subject or 0))
            name = f"{hallmark.number}. {hallmark.title}" if hallmark else str(change.subject)
            return f"{name}: {HALLMARK_FIELD_LABELS.get(change.field, change.field)}"
        if change.step == BOARD_STEP:
            return self.card(str(change.subject))
        # The line as it was (its old description names it), else as it is (a new line).
        line = next((x for x in (*self.old.lines, *self.new.lines) if x.id == change.subject), None)
        described = line.description if line and line.description else _("A line of spending")
        if change.field == "line":
            return described
        return f"{described}: {LINE_FIELD_LABELS.get(change.field, change.field)}"

    def line(self, line: Any) -> str | None:
        if line is None:
            return None
        return f"{self.value('purpose', line.purpose)}, {format_money(line.amount_pence)}"


def field_change_groups(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """What changed from one version to the next (their snapshots), answer by answer, grouped
    by task: each answer's name, old and new value in the page's language (prose with its
    changed words marked), and the anchor of its place on the version's page."""
    old, new = PlanDocument.from_stored(before), PlanDocument.from_stored(after)
    words = _Words(old, new, select_locale())
    groups = []
    for task in field_changes(old, new):
        rows = []
        for change in task.fields:
            if change.field == "line":
                shown_before, shown_after = words.line(change.before), words.line(change.after)
            else:
                shown_before = words.value(change.field, change.before)
                shown_after = words.value(change.field, change.after)
            rows.append(
                {
                    "label": words.label(change),
                    "kind": change.kind,
                    "before": shown_before,
                    "after": shown_after,
                    "words": change.words,
                    "lang": new.language(change.step) or old.language(change.step),
                    "anchor": _anchor(change),
                }
            )
        groups.append(
            {
                "task": task.task,
                "title": str(TASK_TITLES[task.task]),
                "anchor": f"summary-{task.task}",
                "rows": rows,
            }
        )
    return groups
