"""Staff voice in the web layer: the lead's and the responder's forms, and what the results,
the summary, the PDF, the shared view and the coordinator's view show of a round."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.validators import InputRequired

from wizard.domain import framework
from wizard.domain.aggregates import HeatRow, heat_max
from wizard.domain.cards import CardCatalogue
from wizard.domain.staff_voice import (
    LEADER,
    NO_ROLE,
    SUPPORT,
    TEACHER,
    Gap,
)
from wizard.render.charts import heat_map_parts
from wizard.render.staff_voice import ROLE_LABELS, heat_table
from wizard.services import staff_voice as voice
from wizard.web.forms import DateProblem, Form, check_date, date_boxes, date_problem, today
from wizard.web.text import gettext as _
from wizard.web.widgets import RadioInput

# The choice for a responder who would rather not give a role (stored as NO_ROLE).
RATHER_NOT_SAY = "none"
# The longest a round may stay open.
LONGEST_ROUND_DAYS = 366


class OpenRoundForm(Form):
    """The closing date of a new round (GOV.UK's date input: three boxes checked together)."""

    closes_day, closes_month, closes_year = date_boxes()

    closes_on: date | None = None
    closes_error: str | None = None
    closes_error_parts: tuple[str, ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        return check_date(self, "closes", closing_date_problem) and valid


def closing_date_problem(parts: dict[str, str], now: date) -> DateProblem:
    """The closing date, or (message, the boxes that are wrong)."""
    problem = date_problem(
        parts,
        now,
        {
            "day": _l("The closing date must include a day"),
            "month": _l("The closing date must include a month"),
            "year": _l("The closing date must include a year"),
            "all": _l("The closing date must include a day, a month and a year"),
            "real": _l("The closing date must be a real date"),
            "past": _l("The closing date must be today or in the future"),
        },
    )
    if problem is None:
        return _l("Enter the date the round closes"), ("day", "month", "year")
    if isinstance(problem, date) and problem > now + timedelta(days=LONGEST_ROUND_DAYS):
        return _l("The closing date must be within a year from today"), ("day", "month", "year")
    return problem


def _hallmark_field(hallmark: framework.Hallmark) -> RadioField:
    return RadioField(
        str(hallmark.title),
        choices=[SelectChoice(rating.key, rating.title) for rating in framework.RATINGS],
        validators=[
            InputRequired(
                _l("Select how well the school does on “%(hallmark)s”", hallmark=hallmark.title)
            )
        ],
        widget=RadioInput(),
    )


class ResponseForm(Form):
    """A responder's role (optional) and a rating for each of the eight hallmarks."""

    role = RadioField(
        _l("What is your role? (optional)"),
        choices=[
            *(SelectChoice(key, ROLE_LABELS[key]) for key in (TEACHER, SUPPORT, LEADER)),
            SelectChoice("none", _l("I would rather not say")),
        ],
        validate_choice=False,
        widget=RadioInput(),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.role.data not in (None, "", TEACHER, SUPPORT, LEADER, RATHER_NOT_SAY):
            self.role.errors = [_("Select a role from the list, or none")]
            valid = False
        return valid

    def chosen_role(self) -> str:
        """The role as stored: NO_ROLE when none was given or the responder would rather not."""
        role = self.role.data or ""
        return role if role in (TEACHER, SUPPORT, LEADER) else NO_ROLE

    def ratings(self) -> dict[int, str]:
        # By the hallmark's stable id, as the fields are named.
        return {h.id: str(self[f"hallmark_{h.id}"].data) for h in framework.HALLMARKS}

    @classmethod
    def build(cls, **kwargs: Any) -> ResponseForm:
        """The form with one rating field per hallmark (made at request time, so that each
        field's label is in the page's language)."""

        class Filled(cls):  # type: ignore[valid-type,misc]
            pass

        for hallmark in framework.HALLMARKS:
            setattr(Filled, f"hallmark_{hallmark.id}", _hallmark_field(hallmark))
        form: ResponseForm = Filled(**kwargs)
        return form


def gap_text(gap: Gap) -> str:
    """The leaders-against-others gap in words, to one decimal place."""
    difference = gap.difference
    if difference is None:
        return _("Not shown: fewer than five in a group")
    tenths = round(abs(difference) * 10)
    number = f"{tenths // 10}.{tenths % 10}"
    if tenths == 0:
        return _("No gap: leaders and other staff agree")
    if difference > 0:
        return _("Leaders rate it %(number)s points higher", number=number)
    return _("Leaders rate it %(number)s points lower", number=number)


def mean_text(value: Any) -> str:
    if value is None:
        return "–"
    tenths = round(value * 10)
    return f"{tenths // 10}.{tenths % 10}"


def summary_panel_key(school_id: int, academic_year: int) -> tuple[Any, ...] | None:
    """What summary_panel's output depends on besides the catalogue, the language and the code
    (services.staff_voice.summary_key), without working it out."""
    return voice.summary_key(school_id, academic_year, today())


def summary_panel(
    school_id: int, academic_year: int, catalogue: CardCatalogue
) -> dict[str, Any] | None:
    """What the summary, PDF, shared and coordinator's views show of the plan's staff voice: how
    many staff responded to the latest round and the staff heat map of the latest round that
    has closed (that one, or an earlier one while it is open), from five complete boards or
    more. None without a round."""
    found = voice.summary(school_id, academic_year, catalogue, today())
    if found is None:
        return None
    report = found.report
    panel: dict[str, Any] = {
        "responses": found.responses,
        "round": found.round,
        "closed": found.closed,
        "results_round": found.results_round,
        "results_responses": found.results_responses,
    }
    if found.results_round is not None:
        panel["results_closed_on"] = found.results_closed_on
    panel["shown"] = bool(report and report.shown)
    panel["boards_shown"] = bool(report and report.heat_rows is not None)
    if report is not None and report.heat_rows is not None:
        panel.update(_heat_map(report.heat_rows, catalogue))
    return panel


def _heat_map(heat: list[HeatRow], catalogue: CardCatalogue) -> dict[str, Any]:
    """The staff heat map as the summary's table and chart, and the chart in parts for the PDF."""
    heat_rows, heat_svg, row_labels = heat_table(heat, catalogue)
    return {
        "heat_rows": heat_rows,
        "heat_svg": heat_svg,
        "row_labels": row_labels,
        "heat_svg_parts": heat_map_parts(
            _("Staff heat map: the number of staff who put each card in each row"),
            row_labels,
            [(title, row.counts) for title, row in heat_rows],
            heat_max(heat),
            PDF_HEAT_PART_HEIGHT,
            _heat_part_title,
        ),
    }


# The tallest part of the staff heat map in the PDF, in the chart's units (640 across the
# page's 180 mm, so about 100 mm): a page holds two or more, and the first fits below the
# section's heading more often than a whole map would (no near-empty page before it).
PDF_HEAT_PART_HEIGHT = 360


def _heat_part_title(number: int, count: int) -> str:
    return _(
        "Staff heat map, part %(number)d of %(count)d: the number of staff who put each card "
        "in each row (the table after the chart has the same numbers)",
        number=number,
        count=count,
    )
