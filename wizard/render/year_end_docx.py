"""A submitted year-end review as a Word file (.docx), written as the plan's is
(render/docx_export.py): the document's language set on every style and run, text the school
wrote in the other language marked with it, headings for structure and tables with repeating
header rows and titles."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument

from wizard.domain import framework
from wizard.domain.academic_year import year_label
from wizard.domain.cards import CardCatalogue
from wizard.domain.year_end import (
    CRITERIA_TITLES,
    HAPPENED_TITLES,
    IMPACT_LEVELS,
    YearEndDocument,
)
from wizard.render.docx_export import Labels, _, _same_bytes, _stored_time, _Writer
from wizard.render.locale import current_locale, format_long_date, format_money


class _YearEndWriter(_Writer):
    def __init__(self, context: Mapping[str, Any]) -> None:  # noqa: D107
        self.context = context
        self.labels = Labels({}, {}, {})
        self.lang = current_locale()
        self.document: DocxDocument = Document()
        self.review: YearEndDocument = context["document"]
        self.cards: CardCatalogue = context["cards"]

    def _title(self) -> str:
        year = year_label(self.context["academic_year"])
        return (
            f"{_('Year-end review of the %(year)s plan', year=year)}: {self.context['school_name']}"
        )

    def _properties(self) -> None:
        properties = self.document.core_properties
        properties.title = self._title()
        properties.language = "cy-GB" if self.lang == "cy" else "en-GB"
        properties.author = self.context["school_name"]
        properties.last_modified_by = ""
        properties.comments = ""
        properties.subject = _("Year-end review")
        submitted = _stored_time(self.review.submitted_at)
        if submitted is not None:
            properties.created = submitted
            properties.modified = submitted

    def text(self, text: str | None, lang: str | None) -> None:
        if not text:
            self.para(_("Not provided"))
            return
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            self.para(line, lang)

    def card(self, key: str) -> tuple[str, str | None]:
        info = self.cards[key]
        return info.title, info.lang

    def write(self) -> bytes:
        self._set_language()
        self._properties()
        review = self.review
        year = year_label(self.context["academic_year"])
        heading = self.document.add_heading(level=1)
        self.run(heading, _("Year-end review of the %(year)s plan", year=year))
        self.para(self.context["school_name"])
        submitted = _stored_time(review.submitted_at)
        parts = [_("Version %(number)d", number=self.context["version"].number)]
        if submitted is not None:
            on = format_long_date(submitted)
            parts.append(
                _("Submitted on %(date)s by %(name)s", date=on, name=review.submitted_by)
                if review.submitted_by
                else _("Submitted on %(date)s", date=on)
            )
        self.para(" · ".join(parts))
        self._funding()
        self._impact()
        self._hallmarks()
        self._carry()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def _funding(self) -> None:
        review = self.review
        purposes = {p.key: str(p.title) for p in framework.FUNDING_PURPOSES}
        self.heading(_("Funding: what you spent"), 2)
        rows: list[Any] = []
        for line in review.plan.lines:
            actual = review.actual(line.id)
            rows.append(
                [
                    [(line.description, line.lang), purposes.get(line.purpose, line.purpose)],
                    str(HAPPENED_TITLES.get(actual.happened or "", _("Not provided"))),
                    format_money(line.amount_pence),
                    format_money(actual.actual_pence)
                    if actual.actual_pence is not None
                    else _("Not provided"),
                ]
            )
        for added in review.funding.added:
            rows.append(
                [
                    [(added.description, added.lang), _("Not in the plan")],
                    str(HAPPENED_TITLES["yes"]),
                    format_money(0),
                    format_money(added.actual_pence),
                ]
            )
        self.table(
            _("Planned against actual spending"),
            [_("Line of spending"), _("Did it happen?"), _("Planned"), _("Spent")],
            rows,
        )
        totals = review.totals
        self.para(
            f"{_('Allocation')}: "
            + (
                format_money(totals.allocation)
                if totals.allocation is not None
                else _("Not provided")
            )
        )
        self.para(f"{_('Planned')}: {format_money(totals.planned)}")
        self.para(f"{_('Spent')}: {format_money(totals.actual)}")
        paragraph = self.document.add_paragraph()
        self.run(paragraph, _("Why the spending was different"), bold=True)
        self.text(review.funding.explanation, review.languages.get("funding"))

    def _impact(self) -> None:
        review = self.review
        self.heading(_("Impact on each priority"), 2)
        for number, key in enumerate(review.plan.priorities, start=1):
            impact = review.impact(key)
            title, lang = self.card(key)
            heading = self.document.add_heading(level=3)
            self.run(heading, f"{number}. ")
            self.run(heading, title, lang)
            criteria = CRITERIA_TITLES.get(impact.criteria or "")
            self.para(f"{_('Success criteria')}: {criteria if criteria else _('Not provided')}")
            levels = [str(level.title) for level in IMPACT_LEVELS if level.key in impact.levels]
            self.para(
                f"{_('Levels of impact with evidence')}: "
                + ("; ".join(levels) if levels else _("None"))
            )
            paragraph = self.document.add_paragraph()
            self.run(paragraph, _("Evidence"), bold=True)
            self.text(impact.evidence, review.languages.get(f"impact:{key}"))

    def _hallmarks(self) -> None:
        review = self.review
        self.heading(_("The eight hallmarks: where are we now?"), 2)
        titles = framework.RATING_TITLES
        self.table(
            _("Hallmark ratings at the start and end of the year"),
            [_("Hallmark"), _("Start of the year"), _("Now")],
            [
                [
                    f"{h.number}. {h.title}",
                    str(titles.get(review.plan.ratings.get(h.id) or "", _("Not rated"))),
                    str(titles.get(review.ratings.get(h.id) or "", _("Not rated"))),
                ]
                for h in framework.HALLMARKS
            ],
            shown=False,
        )

    def _carry(self) -> None:
        review = self.review
        self.heading(_("What carries into next year"), 2)
        paragraph = self.document.add_paragraph()
        self.run(paragraph, _("Priorities carried into next year"), bold=True)
        if not review.carried:
            self.para(_("None"))
        for key in review.carried:
            title, lang = self.card(key)
            self.para(title, lang)
        paragraph = self.document.add_paragraph()
        self.run(paragraph, _("What else carries into next year"), bold=True)
        self.text(review.notes, review.languages.get("carry-over"))


def render_year_end_docx(context: Mapping[str, Any]) -> bytes:
    """A year-end review version's summary context as the bytes of a .docx file: the same
    content always gives the same bytes (a kept copy is the file a fresh render would give)."""
    return _same_bytes(_YearEndWriter(context).write())
