"""The year-end review's forms and the words its pages show ("adolygiad diwedd blwyddyn").

Some forms depend on the plan reviewed (one amount per planned line, one rating per
hallmark, the nine priorities), so they are made per page from its reviewed plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.validators import InputRequired, Length

from wizard.domain import framework
from wizard.domain import year_end as rules
from wizard.domain.cards import CardCatalogue, OwnCardText
from wizard.domain.money import MoneyError
from wizard.domain.plan_document import FundingLine
from wizard.domain.year_end import YearEndDocument
from wizard.render.locale import format_money
from wizard.services.reporting import YearEndFigures
from wizard.web.fields import ChoicesField, MoneyField, stripped
from wizard.web.forms import LONG_ANSWER, RevisionForm
from wizard.web.reporting import card_title, purpose_title
from wizard.web.text import gettext as _
from wizard.web.widgets import CharacterCount, CheckboxesInput, RadioInput, Select, TextInput

SECTION_TITLES = {
    rules.FUNDING: _l("Funding: what you spent"),
    "impact": _l("Impact on each priority"),
    rules.HALLMARKS: _l("The eight hallmarks: where are we now?"),
    rules.CARRY_OVER: _l("What carries into next year"),
}

STATUS_LABELS = {
    "completed": _l("Completed"),
    "in-progress": _l("In progress"),
    "not-started": _l("Not yet started"),
}

YEAR_END_STATUS_LABELS = {
    "none": _l("Not started"),
    "draft": _l("In progress"),
    "submitted": _l("Submitted"),
}

HAPPENED_LABELS = rules.HAPPENED_TITLES


def _money_messages(what: Any) -> dict[MoneyError, Any]:
    return {
        MoneyError.EMPTY: _l("Enter the amount spent on %(what)s", what=what),
        MoneyError.NOT_A_NUMBER: _l(
            "The amount spent on %(what)s must be an amount of money, like £1,500 or £1,500.50",
            what=what,
        ),
        MoneyError.NEGATIVE: _l("The amount spent on %(what)s must be £0 or more", what=what),
        MoneyError.TOO_PRECISE: _l(
            "The amount spent on %(what)s must not include fractions of a penny", what=what
        ),
        MoneyError.TOO_LARGE: _l(
            "The amount spent on %(what)s must be £10,000,000 or less", what=what
        ),
    }


def _long(
    label: Any, too_long: Any, required: Any = None, description: Any = None
) -> TextAreaField:
    validators: list[Any] = [Length(max=LONG_ANSWER, message=too_long)]
    if required is not None:
        validators.insert(0, InputRequired(required))
    field = TextAreaField(
        label,
        description=description,
        filters=[stripped],
        validators=validators,
        widget=CharacterCount(),
    )
    return field


class FundingForm(RevisionForm):
    """One amount and "did it happen?" per planned line (added per page), and why the
    difference is large."""

    explanation = _long(
        _l("Why is what you spent different from what you planned?"),
        _l("Why the spending was different must be 2,000 characters or fewer"),
        description=_l(
            "Needed when what you spent differs from your plan by more than a tenth, or is more than your allocation."
        ),
    )

    lines: Sequence[FundingLine] = ()

    def line_fields(self) -> list[tuple[FundingLine, MoneyField, RadioField]]:
        return [
            (line, getattr(self, f"actual_{n}"), getattr(self, f"happened_{n}"))
            for n, line in enumerate(self.lines)
        ]


def line_name(line: FundingLine, number: int) -> str:
    """How a planned line is named in a message: its description's start, or its number."""
    text = " ".join(line.description.split())
    return text if 0 < len(text) <= 60 else _("line %(number)d", number=number)


def funding_form(lines: Sequence[FundingLine], **kwargs: Any) -> FundingForm:
    """The funding form for these planned lines."""
    fields: dict[str, Any] = {"lines": tuple(lines)}
    for n, line in enumerate(lines):
        what = line_name(line, n + 1)
        fields[f"actual_{n}"] = MoneyField(
            _l("Amount spent"),
            description=_l("Planned: %(amount)s", amount=format_money(line.amount_pence)),
            messages=_money_messages(what),
        )
        fields[f"happened_{n}"] = RadioField(
            _l("Did it happen?"),
            choices=[SelectChoice(key, label) for key, label in HAPPENED_LABELS.items()],
            validators=[InputRequired(_l("Select whether %(what)s happened", what=what))],
            widget=RadioInput(),
        )
    form_class = type("PlanFundingForm", (FundingForm,), fields)
    form: FundingForm = form_class(**kwargs)
    return form


def funding_initial(document: YearEndDocument) -> dict[str, Any]:
    initial: dict[str, Any] = {"explanation": document.funding.explanation}
    for n, line in enumerate(document.plan.lines):
        actual = document.actual(line.id)
        if actual.actual_pence is not None:
            initial[f"actual_{n}"] = actual.actual_pence
        if actual.happened:
            initial[f"happened_{n}"] = actual.happened
    return initial


def funding_from_form(form: FundingForm, document: YearEndDocument) -> dict[str, Any]:
    actuals = {}
    for line, amount, happened in form.line_fields():
        actuals[line.id] = {"actual_pence": amount.pence, "happened": happened.data}
    return {
        "actuals": actuals,
        "added": [line.to_stored() for line in document.funding.added],
        "explanation": form.explanation.data or "",
    }


class AddedLineForm(RevisionForm):
    """Spending that was not in the plan."""

    purpose = RadioField(
        _l("What was the money for?"),
        choices=[SelectChoice(p.key, p.title) for p in framework.FUNDING_PURPOSES],
        validators=[InputRequired(_l("Select what the money was for"))],
        widget=RadioInput(),
    )
    priority = SelectField(
        _l("Which Diamond 9 priority did it serve?"),
        choices=[],
        validate_choice=False,
        widget=Select(),
    )
    description = StringField(
        _l("What did you spend it on?"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter what you spent it on")),
            Length(max=200, message=_l("What you spent it on must be 200 characters or fewer")),
        ],
        widget=TextInput(),
    )
    amount = MoneyField(
        _l("Amount spent"),
        description=_l("In pounds and pence, for example 1500 or 1500.50."),
        messages={
            MoneyError.EMPTY: _l("Enter the amount"),
            MoneyError.NOT_A_NUMBER: _l(
                "Amount must be an amount of money, like £1,500 or £1,500.50"
            ),
            MoneyError.NEGATIVE: _l("Amount must be more than £0"),
            MoneyError.TOO_PRECISE: _l("Amount must not include fractions of a penny"),
            MoneyError.TOO_LARGE: _l("Amount must be £10,000,000 or less"),
        },
    )


class ImpactForm(RevisionForm):
    levels = ChoicesField(
        _l("Which levels of impact do you have evidence for?"),
        description=_l("Select all that apply."),
        choices=[SelectChoice(level.key, level.title) for level in rules.IMPACT_LEVELS],
        invalid=_l("Select levels of impact from the list"),
        widget=CheckboxesInput(),
    )
    evidence = _long(
        _l("What is the evidence?"),
        _l("The evidence must be 2,000 characters or fewer"),
        description=_l(
            "For example, lesson visits, learners' work, staff and learner voice, data."
        ),
    )
    criteria = RadioField(
        _l("How far were the success criteria met?"),
        choices=[SelectChoice(key, rules.CRITERIA_TITLES[key]) for key in rules.CRITERIA],
        validators=[InputRequired(_l("Select how far the success criteria were met"))],
        widget=RadioInput(),
    )


class HallmarksForm(RevisionForm):
    """One rating per hallmark (added when the form is made)."""

    def hallmark_fields(self) -> list[tuple[framework.Hallmark, Field]]:
        return [(h, getattr(self, f"rating_{h.id}")) for h in framework.HALLMARKS]


def hallmarks_form(**kwargs: Any) -> HallmarksForm:
    fields: dict[str, Any] = {}
    for hallmark in framework.HALLMARKS:
        fields[f"rating_{hallmark.id}"] = RadioField(
            hallmark.title,
            choices=[SelectChoice(r.key, r.title) for r in framework.RATINGS],
            validators=[
                InputRequired(
                    _l("Select where you are now for hallmark %(number)d", number=hallmark.number)
                )
            ],
            widget=RadioInput(),
        )
    form_class = type("EightHallmarksForm", (HallmarksForm,), fields)
    form: HallmarksForm = form_class(**kwargs)
    return form


class CarryOverForm(RevisionForm):
    carry = ChoicesField(
        _l("Which priorities will you carry into next year?"),
        description=_l(
            "They will be offered as cards on next year's Diamond 9. Select all that apply."
        ),
        choices=[],
        invalid=_l("Select priorities from the list"),
        widget=CheckboxesInput(),
    )
    notes = _long(
        _l("What else carries into next year?"),
        _l("What carries into next year must be 2,000 characters or fewer"),
        description=_l("For example, work to finish, people to involve, money committed."),
    )


def catalogue(own: Sequence[OwnCardText], locale: str) -> CardCatalogue:
    """The cards of the reviewed plan, to name its priorities."""
    return CardCatalogue({}, own, locale)


def words() -> dict[str, Any]:
    """What the year-end review's pages name stored keys with."""
    return {
        "purposes": {p.key: p.title for p in framework.FUNDING_PURPOSES},
        "levels": rules.IMPACT_LEVELS,
        "criteria_titles": rules.CRITERIA_TITLES,
        "hallmarks": framework.HALLMARKS,
        "ratings": framework.RATING_TITLES,
    }


__all__ = [
    "AddedLineForm",
    "CarryOverForm",
    "FundingForm",
    "HallmarksForm",
    "ImpactForm",
    "SECTION_TITLES",
    "funding_form",
    "hallmarks_form",
]


@dataclass(frozen=True)
class YearEndReport:
    """The year-end figures of a cluster, a local authority or Wales, named for the page."""

    schools: int
    planned: int
    actual: int
    purposes: list[tuple[str, int, int]]
    """(purpose's title, pence planned, pence spent), the largest planned first"""
    impact: list[tuple[str, Any]]
    """(card's title, ImpactCount), the most reviewed first"""

    @property
    def difference(self) -> int:
        return self.actual - self.planned


def year_end_report(figures: YearEndFigures | None) -> YearEndReport | None:
    if figures is None:
        return None
    cards = CardCatalogue({}, [], str(get_locale() or "en"))
    purposes = sorted(
        ((purpose_title(key), planned, actual) for key, planned, actual in figures.by_purpose),
        key=lambda row: (-row[1], -row[2], row[0]),
    )
    impact = sorted(
        ((card_title(row.card, cards), row) for row in figures.impact),
        key=lambda pair: (-pair[1].schools, pair[0]),
    )
    return YearEndReport(figures.schools, figures.planned, figures.actual, purposes, impact)


IMPACT_LEVELS = rules.IMPACT_LEVELS


def year_end_csv_labels() -> list[tuple[str, str]]:
    """The year-end figures' CSV files: (kind, link text)."""
    return [
        ("spending", _("Download planned against actual spending by purpose (CSV)")),
        ("impact", _("Download the impact on each priority (CSV)")),
    ]
