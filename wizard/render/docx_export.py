"""The plan summary as a Word file (.docx) that a school can edit and paste from.

It reads the same summary view as the page and the PDF (`summary_context`), in the language
being rendered, and writes it with python-docx so that Word, LibreOffice and screen readers
see the structure: the school's name is Heading 1, each section Heading 2 and each context or
hallmark Heading 3; the language (cy-GB or en-GB) is set on the document, every style and
every run, and text the school wrote in the other language is marked with that language;
tables have header rows that repeat on each page and a title (caption) of their own; the
Diamond 9 is a table of five labelled rows holding 1, 2, 3, 2 and 1 cards, which can be read
and edited; money and dates are written as the page writes them; and the school's own words
are kept exactly as typed (line by line), leaving out only the few control characters that a
Word file cannot hold.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.metadata import version as package_version
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _gettext

from wizard.config import ROOT
from wizard.domain.academic_year import year_label
from wizard.domain.diamond import ROWS
from wizard.domain.journey import CRITERIA_STEP
from wizard.domain.plan_document import PlanDocument
from wizard.domain.summary import SummaryView
from wizard.domain.year_end import CRITERIA_TITLES
from wizard.render.development_plan import LastYearRow, PriorityRow, development_plan
from wizard.render.locale import (
    current_locale,
    format_long_date,
    format_money,
    other_language,
    valid_language,
)

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The language tags Word uses for proofing and that screen readers read a run's language from.
LANGUAGE_TAGS = {"cy": "cy-GB", "en": "en-GB"}

# Characters XML 1.0 cannot hold (a Word file is XML): every control character but tab and the
# line breaks. Nothing a person can see is lost.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _(string: str, **variables: Any) -> str:
    text: str = _gettext(string, **variables)
    return text


@dataclass(frozen=True)
class Labels:
    """The words for stored keys that the web layer keeps (`wizard.web.labels`), passed in so
    that this module stays below the web layer."""

    phases: Mapping[str, object]
    beneficiaries: Mapping[str, object]
    terms: Mapping[str, object]


def _row_name(row: int, row_count: int) -> str:
    """As the page names the Diamond 9's rows (templates/plan/diamond/macros.html)."""
    if row == 1:
        return _("Row 1 (most important)")
    if row == row_count:
        return _("Row %(row)d (least important)", row=row)
    return _("Row %(row)d", row=row)


def render_docx(context: Mapping[str, Any], labels: Labels) -> bytes:
    """The summary (`summary_context`'s context) as the bytes of a .docx file, in the language
    being rendered: the same content always gives the same bytes (so a kept copy of a
    submitted version's file is the file a fresh render would give)."""
    writer = _Writer(context, labels)
    return _same_bytes(writer.write())


# Every entry of the file is dated this (the ZIP format's earliest date) rather than when it was
# written: the document's own dates are in its properties.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _same_bytes(written: bytes) -> bytes:
    """The .docx (a ZIP) written again with fixed entry dates, in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(written)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry))
    return out.getvalue()


_PACKAGE = ROOT / "wizard"
_MADE_FROM = ("render", "domain", "web")


@cache
def docx_digest() -> str:
    """What a version's Word file is made from besides the version itself (stored, never
    changed): this code (the render, domain and web layers: the writer, the summary view, the
    labels and framework content), the compiled translations, python-docx's and lxml's
    versions. A deployment that changes any of them makes each file again when next asked."""
    content = hashlib.sha256()
    for name in ("python-docx", "lxml"):
        content.update(package_version(name).encode())
    files = [path for folder in _MADE_FROM for path in sorted((_PACKAGE / folder).rglob("*.py"))]
    files += sorted((ROOT / "translations").rglob("*.mo"))
    for path in files:
        content.update(path.name.encode())
        content.update(path.read_bytes())
    return content.hexdigest()[:32]


class _Writer:
    def __init__(self, context: Mapping[str, Any], labels: Labels) -> None:
        self.summary: SummaryView = context["summary"]
        self.plan: PlanDocument = self.summary.document
        self.context = context
        self.labels = labels
        self.lang = current_locale()
        self.document: DocxDocument = Document()

    # --- The file ------------------------------------------------------------------------

    def write(self) -> bytes:
        self._set_language()
        self._properties()
        self._header()
        self._about()
        self._contexts()
        self._hallmarks()
        self._diamond()
        self._success_criteria()
        self._funding()
        self._development_plan()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    def _set_language(self) -> None:
        """The document's language on the defaults, every style and the theme's fonts, so that
        Word proofs it and a screen reader reads it in that language."""
        tag = LANGUAGE_TAGS[self.lang]
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            r_pr_default = defaults.find(qn("w:rPrDefault"))
            if r_pr_default is not None:
                _mark(_r_pr_of(r_pr_default), tag)
        for style in self.document.styles:
            element = style.element
            if element.get(qn("w:type")) in ("paragraph", "character", "table"):
                _mark(element.get_or_add_rPr(), tag)
        settings = self.document.settings.element
        theme = settings.find(qn("w:themeFontLang"))
        if theme is None:
            theme = OxmlElement("w:themeFontLang")
            settings.append(theme)
        theme.set(qn("w:val"), tag)
        normal = self.document.styles["Normal"].font
        normal.name = "Arial"
        normal.size = Pt(11)

    def _properties(self) -> None:
        properties = self.document.core_properties
        properties.title = self._title()
        properties.language = LANGUAGE_TAGS[self.lang]
        properties.author = self.context["school_name"]
        properties.last_modified_by = ""
        properties.comments = ""
        properties.subject = _("Professional learning plan")
        submitted = _stored_time(self.plan.submitted_at)
        if submitted is not None:
            properties.created = submitted
            properties.modified = submitted

    def _title(self) -> str:
        year = year_label(self.context["academic_year"])
        return f"{_('Professional learning plan')} {year}: {self.context['school_name']}"

    # --- Pieces --------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.document.add_heading(level=level)
        self.run(paragraph, text)
        return paragraph

    def run(
        self, paragraph: Paragraph, text: str, lang: str | None = None, bold: bool = False
    ) -> None:
        """Text in a run of its own, marked with its language (the document's unless given)."""
        run = paragraph.add_run(_plain(text))
        run.bold = bold or None
        _mark(run._r.get_or_add_rPr(), LANGUAGE_TAGS[valid_language(lang) or self.lang])

    def para(self, text: str, lang: str | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph()
        self.run(paragraph, text, lang)
        return paragraph

    def written_text(self, text: str | None, step: str) -> None:
        """What the school wrote for a step: a paragraph per line, exactly as typed, in the
        language it was written in where that is known; "Not provided" when there is none."""
        if not text:
            self.para(_("Not provided"))
            return
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            self.para(line, self.plan.language(step))

    def labelled(self, label: str, text: str | None, step: str) -> None:
        paragraph = self.document.add_paragraph()
        self.run(paragraph, label, bold=True)
        self.written_text(text, step)

    def table(
        self,
        caption: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Cell]],
        *,
        shown: bool = True,
    ) -> Table:
        """A table with a header row that repeats on every page it runs on, and its caption
        as the table's title (what screen readers announce) and, `shown`, as a line above it
        (not where the heading just above says the same)."""
        if shown:
            self.para(caption).runs[0].bold = True
        body = list(rows)
        table: Table = self.document.add_table(rows=1 + len(body), cols=len(headers))
        table.style = "Table Grid"
        _caption(table, caption)
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, headers, strict=True):
            paragraph = cell.paragraphs[0]
            self.run(paragraph, text, bold=True)
        for row, values in zip(table.rows[1:], body, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                self.cell(cell.paragraphs[0], value)
        return table

    def cell(self, paragraph: Paragraph, value: Cell) -> None:
        """A cell's parts in runs of their own, joined by "; " (a `Lines` cell: one a line)."""
        parts = value if isinstance(value, list) else [value]
        for index, part in enumerate(parts):
            text, lang = part if isinstance(part, tuple) else (part, None)
            if index and isinstance(value, Lines):
                paragraph.add_run().add_break()
            elif index:
                self.run(paragraph, "; ")
            self.run(paragraph, text, lang)

    # --- Sections ------------------------------------------------------------------------

    def _header(self) -> None:
        school = self.summary.school
        name = school.name_cy if self.lang == "cy" else school.name_en
        other = school.name_en if self.lang == "cy" else school.name_cy
        year = year_label(self.context["academic_year"])
        self.para(f"{_('Professional learning plan')} · {year}")
        heading = self.document.add_heading(level=1)
        if name:
            self.run(heading, name)
        else:  # named only in the other language: marked as such
            self.run(heading, other or self.context["school_name"], other_language(self.lang))
        authority = school.local_authority(self.lang)
        parts = [authority] if authority else []
        number = self.context.get("version_number")
        if number:
            parts.append(_("Version %(number)d", number=number))
        parts.append(self._status())
        self.para(" · ".join(parts))

    def _status(self) -> str:
        submitted = _stored_time(self.plan.submitted_at)
        if self.context.get("status") != "submitted" or submitted is None:
            return _("Draft: not yet submitted")
        on = format_long_date(submitted)
        if self.plan.submitted_by:
            return _("Submitted on %(date)s by %(name)s", date=on, name=self.plan.submitted_by)
        if self.plan.submitted_by_removed:
            return _(
                "Submitted on %(date)s by %(name)s",
                date=on,
                name=_("a person whose account has been removed"),
            )
        return _("Submitted on %(date)s", date=on)

    def _about(self) -> None:
        about = self.summary.about
        missing = _("Not provided")
        allocation = about.funding_allocation_pence
        rows: list[Sequence[Cell]] = [
            (_("Phase"), str(self.labels.phases.get(about.phase or "", missing))),
            (_("Teaching staff"), _count(about.teaching_staff, missing)),
            (_("Support staff"), _count(about.support_staff, missing)),
            (_("Professional learning lead"), about.pl_lead or missing),
            (
                _("Funding allocation"),
                format_money(allocation) if allocation is not None else missing,
            ),
        ]
        self.heading(_("About the school"), 2)
        self.table(_("About the school"), (_("Question"), _("Answer")), rows, shown=False)

    def _contexts(self) -> None:
        self.heading(_("Contexts of the national approach"), 2)
        for row in self.summary.contexts:
            self.heading(str(row.context.title), 3)
            self.written_text(row.answer.reflection if row.answer else None, row.step)
            titles = [str(title) for title in row.priority_titles]
            if titles:
                self.para(f"{_('Elements to prioritise:')} {'; '.join(titles)}")

    def _hallmarks(self) -> None:
        missing = _("Not provided")
        rows = self.summary.hallmarks
        self.heading(_("Self-review against the eight hallmarks"), 2)
        self.table(
            _("Hallmark ratings"),
            (_("Hallmark"), _("Rating")),
            [
                (f"{row.hallmark.number}. {row.hallmark.title}", str(row.rating_title or missing))
                for row in rows
            ],
        )
        for row in rows:
            self.heading(f"{row.hallmark.number}. {row.hallmark.title}", 3)
            paragraph = self.document.add_paragraph()
            self.run(paragraph, f"{_('Rating')}: ", bold=True)
            self.run(paragraph, str(row.rating_title or missing))
            answer = row.answer
            self.labelled(_("How do you know?"), answer.evidence if answer else None, row.step)
            self.labelled(
                _("What will you do next?"), answer.next_steps if answer else None, row.step
            )

    def _diamond(self) -> None:
        """Five rows of 1, 2, 3, 2 and 1 places, each row labelled; the places of a row share
        its width (six grid columns: one place spans six, two span three, three span two)."""
        self.heading(_("Professional learning Diamond 9"), 2)
        caption = _("Professional learning Diamond 9")
        table = self.document.add_table(rows=1 + len(ROWS), cols=7)
        table.style = "Table Grid"
        _caption(table, caption)
        header = table.rows[0]
        _repeat_header(header)
        self.run(header.cells[0].paragraphs[0], _("Row"), bold=True)
        priorities = header.cells[1].merge(header.cells[6])
        self.run(priorities.paragraphs[0], _("Priorities"), bold=True)
        cards = self.summary.cards
        for index, (slots, keys) in enumerate(zip(ROWS, self.summary.ranked, strict=True)):
            row = table.rows[index + 1]
            self.run(row.cells[0].paragraphs[0], _row_name(index + 1, len(ROWS)), bold=True)
            width = 6 // len(slots)
            places = [
                row.cells[1 + place * width].merge(row.cells[place * width + width])
                if width > 1
                else row.cells[1 + place]
                for place in range(len(slots))
            ]
            for place, key in zip(places, keys, strict=False):
                card = cards[key]
                self.run(place.paragraphs[0], card.title, card.lang)

    def _success_criteria(self) -> None:
        """For each priority with success criteria, in rank order: what will be different,
        and how the school will know (nothing when no priority has any)."""
        if not self.plan.has_success_criteria:
            return
        self.heading(_("Success criteria"), 2)
        cards = self.summary.cards
        for keys in self.summary.ranked:
            for key in keys:
                criteria = self.plan.success_criteria(key)
                if criteria is None:
                    continue
                card = cards[key]
                heading = self.document.add_heading(level=3)
                self.run(heading, card.title, card.lang)
                self.labelled(
                    _("What will be different if this goes well?"),
                    criteria.difference,
                    CRITERIA_STEP,
                )
                self.labelled(_("How will you know?"), criteria.evidence, CRITERIA_STEP)

    def _funding(self) -> None:
        funding = self.summary.funding
        cards = self.summary.cards
        self.heading(_("Funding plan"), 2)
        self.para(
            _(
                "Planned %(planned)s of an allocation of %(allocation)s.",
                planned=format_money(funding.totals.planned),
                allocation=format_money(funding.totals.allocation or 0),
            )
        )
        rows: list[Sequence[Cell]] = []
        for line in funding.lines:
            written = self.plan.line_language(line)
            purpose = self.summary.purpose(line.purpose)
            what = Lines([str(purpose.title) if purpose else line.purpose])
            if line.purpose == "other" and line.purpose_other:
                what.append((line.purpose_other, written))
            if line.description:
                what.append((line.description, written))
            card = cards[line.priority] if line.priority else None
            rows.append(
                (
                    what,
                    (card.title, card.lang) if card else "–",
                    ", ".join(
                        str(self.labels.beneficiaries.get(who, who)) for who in line.beneficiaries
                    ),
                    str(self.labels.terms.get(line.term or "", line.term or "")),
                    format_money(line.amount_pence),
                )
            )
        headers = (
            _("What the money is for"),
            _("Diamond 9 priority"),
            _("Who benefits"),
            _("When"),
            _("Amount"),
        )
        if not rows:
            self.para(_("No lines of spending yet."))
        else:
            self.table(_("Lines of spending"), headers, rows)
        by_purpose: list[Sequence[Cell]] = [
            (str(purpose.title), format_money(pence))
            for purpose, pence in self.summary.purpose_totals
        ]
        if by_purpose:
            self.table(_("Totals by purpose"), (_("Purpose"), _("Amount")), by_purpose)
        by_priority: list[Sequence[Cell]] = []
        for key, pence in funding.by_priority.items():
            if key:
                card = cards[key]
                by_priority.append(((card.title, card.lang), format_money(pence)))
            else:
                by_priority.append((_("Not linked to a Diamond 9 priority"), format_money(pence)))
        if by_priority:
            self.table(
                _("Totals by Diamond 9 priority"),
                (_("Diamond 9 priority"), _("Amount")),
                by_priority,
            )

    def _development_plan(self) -> None:
        """A short section to paste into the School Development Plan: the priorities of the
        Diamond 9's top three rows, in order, each with the actions (lines of spending linked
        to it: what, when) and what they cost."""
        self.heading(_("For your School Development Plan"), 2)
        self.para(
            _(
                "Your priorities from the top three rows of your Diamond 9, with their success "
                "criteria and the actions and costs from your funding plan. Copy this table "
                "into your School Development Plan."
            )
        )
        rows: list[Sequence[Cell]] = [
            (
                (row.card.title, row.card.lang),
                _criteria_cell(row),
                Lines(row.actions) if row.actions else _("No spending planned yet"),
                ", ".join(row.terms) or "–",
                format_money(row.cost_pence),
            )
            for row in development_plan(self.summary, self.labels.terms)
        ]
        if rows:
            self.table(
                _("Priorities, actions and costs"),
                (_("Priority"), _("Success criteria"), _("Actions"), _("When"), _("Cost")),
                rows,
            )
        else:
            self.para(_("No cards yet"))
        # Last year's results matter most before this year's board has a card (as on the page).
        self._last_year()

    def _last_year(self) -> None:
        """From last year's year-end review: how far each priority met its success criteria,
        with the evidence (nothing without a submitted review)."""
        found: list[LastYearRow] = list(self.context.get("last_year") or [])
        if not found:
            return
        title = _("How far last year's priorities were met")
        self.heading(title, 3)
        self.table(
            title,
            (_("Last year's priority"), _("Success criteria"), _("Evidence")),
            [
                (
                    (row.card.title, row.card.lang),
                    str(CRITERIA_TITLES[row.met]) if row.met in CRITERIA_TITLES else "–",
                    (row.evidence, row.evidence_lang) if row.evidence else "–",
                )
                for row in found
            ],
        )


# A table cell: text, text in a known language, or several of those joined by "; ".
Part = str | tuple[str, str | None]
Cell = Part | list[Part]


class Lines(list[Part]):
    """A cell whose parts are each on a line of their own."""


def _criteria_cell(row: PriorityRow) -> Cell:
    """What will be different, then "How will you know?" and the answer, each on a line of its
    own, as the school wrote them; "–" when neither was written."""
    parts: list[Part] = []
    if row.difference:
        parts.append((row.difference, row.criteria_lang))
    if row.evidence:
        parts += [_("How will you know?"), (row.evidence, row.criteria_lang)]
    return Lines(parts) if parts else "–"


def _count(value: object, missing: str) -> str:
    return missing if value is None else str(value)


def _plain(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stored_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _r_pr_of(parent: Any) -> Any:
    r_pr = parent.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        parent.append(r_pr)
    return r_pr


def _mark(r_pr: Any, tag: str) -> None:
    """Set a run's (or style's) language: w:lang with the same tag for Latin, East Asian and
    complex scripts."""
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        # In the schema's order: only these may come after w:lang.
        later = [r_pr.find(qn(f"w:{name}")) for name in ("eastAsianLayout", "specVanish", "oMath")]
        following = next((element for element in later if element is not None), None)
        if following is None:
            r_pr.append(lang)
        else:
            following.addprevious(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as its header: Word repeats it at the top of each page the
    table runs on, and screen readers read it as the columns' headers."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _caption(table: Table, text: str) -> None:
    """The table's title (w:tblCaption), which Word shows as its alt text title."""
    tbl_pr = table._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), _plain(text))
    tbl_pr.append(caption)
