"""A cluster's plans as CSV files for spreadsheets: one row per school, or per funding line.

The files are UTF-8 with a byte-order mark, so that Excel reads the Welsh letters (ŵ, ŷ);
headers and labels are in the page's language; money is a plain number of pounds with two
decimals; dates are ISO 8601 (2026-10-01), which every spreadsheet sorts and reads. A cell that
begins with a character a spreadsheet would take as the start of a formula is escaped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _gettext

from wizard.domain import framework
from wizard.domain.cards import CardCatalogue
from wizard.domain.collation import sort_key
from wizard.domain.diamond import ROW_OF, SLOTS
from wizard.domain.plan_document import FundingLine, PlanDocument
from wizard.domain.values import DashboardStatus

if TYPE_CHECKING:
    from wizard.data.clusters import SchoolPlanRow

# What a spreadsheet may read as the start of a formula (OWASP's list), with the full-width
# forms some spreadsheets also accept (＝ ＋ － ＠).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"
# What may come before a formula's first character and be skipped or unseen: any space, line or
# page break (ordinary, no-break, ideographic, em...), and the invisible zero-width characters.
_LEADING = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]*")


def _(string: str, **variables: Any) -> str:
    return str(_gettext(string, **variables))


def safe_cell(value: object) -> str:
    """The cell as text, with a ' in front if a spreadsheet would run it as a formula: when
    it starts with a formula character, also after any leading spaces, breaks or invisible
    characters (which a spreadsheet may skip, and a reader does not see)."""
    text = "" if value is None else str(value)
    starts = text.startswith(FORMULA_STARTS) or _LEADING.sub("", text).startswith(FORMULA_STARTS)
    return "'" + text if starts else text


def pounds(pence: int | None) -> str:
    """Pence as pounds with two decimals and no symbol or separators: 1234.50."""
    if pence is None:
        return ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The CSV file: a byte-order mark, the header, then the rows, every cell made safe and
    quoted (so no spreadsheet splits or reinterprets one)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _status_label(status: DashboardStatus) -> str:
    labels = {
        DashboardStatus.NOT_STARTED: _("Not started"),
        DashboardStatus.IN_PROGRESS: _("In progress"),
        DashboardStatus.SUBMITTED: _("Submitted"),
        DashboardStatus.CHANGES_REQUESTED: _("Changes requested"),
        DashboardStatus.REVIEWED: _("Reviewed"),
    }
    return labels[status]


def _school_name(row: SchoolPlanRow, locale: str) -> str:
    school = row.school
    return (school.name_cy or school.name_en) if locale == "cy" else school.name_en


def _by_name(rows: Iterable[SchoolPlanRow], locale: str) -> list[SchoolPlanRow]:
    """The schools in the order of their names in the page's language."""
    return sorted(
        rows, key=lambda row: (sort_key(_school_name(row, locale), locale), row.school.id)
    )


def _catalogue(document: PlanDocument, locale: str) -> CardCatalogue:
    return CardCatalogue(document, document.own_cards, locale)


def schools_header() -> list[str]:
    return [
        _("School number"),
        _("School"),
        _("Status"),
        _("Version"),
        _("Date submitted"),
        _("Allocation (£)"),
        _("Planned total (£)"),
        *(
            _("Priority %(number)s (row %(row)s)", number=index, row=ROW_OF[slot])
            for index, slot in enumerate(SLOTS, start=1)
        ),
    ]


def schools_csv(rows: Iterable[SchoolPlanRow], locale: str) -> bytes:
    """One row per school: its status and, from its latest submitted version, the version's
    number and date, the allocation, the total planned and the nine priorities, top first."""
    lines: list[list[object]] = []
    for row in _by_name(rows, locale):
        cells: list[object] = [row.school.school_number, _school_name(row, locale)]
        cells.append(_status_label(row.status))
        version = row.latest_version
        if version is None:
            lines.append(cells + [""] * (len(SLOTS) + 4))
            continue
        document = PlanDocument.from_stored(version.snapshot)
        catalogue = _catalogue(document, locale)
        board = document.board.slots
        funding = document.funding
        cells += [
            version.number,
            version.submitted_at.date().isoformat() if version.submitted_at else "",
            pounds(funding.allocation),
            pounds(funding.totals.planned),
            *(catalogue[board[slot]].title if slot in board else "" for slot in SLOTS),
        ]
        lines.append(cells)
    return to_csv(schools_header(), lines)


def funding_header() -> list[str]:
    return [
        _("School number"),
        _("School"),
        _("Version"),
        _("What the money is for"),
        _("Diamond 9 priority"),
        _("Who benefits"),
        _("When"),
        _("What you will do"),
        _("Amount (£)"),
    ]


def _purpose(line: FundingLine) -> str:
    found = next((p for p in framework.FUNDING_PURPOSES if p.key == line.purpose), None)
    title = str(found.title) if found else line.purpose
    other = line.purpose_other
    return f"{title}: {other}" if other else title


def _beneficiaries(line: FundingLine) -> str:
    labels = {
        "teachers": _("Teachers"),
        "support-staff": _("Support staff"),
        "leaders": _("Leaders"),
        "all-staff": _("All staff"),
    }
    return "; ".join(labels.get(key, key) for key in line.beneficiaries)


def _term(line: FundingLine) -> str:
    labels = {
        "autumn": _("Autumn term"),
        "spring": _("Spring term"),
        "summer": _("Summer term"),
        "whole-year": _("Across the whole year"),
    }
    term = line.term or ""
    return labels.get(term, term)


def funding_csv(rows: Iterable[SchoolPlanRow], locale: str) -> bytes:
    """One row per line of each school's latest submitted funding plan."""
    lines: list[list[object]] = []
    for row in _by_name(rows, locale):
        version = row.latest_version
        if version is None:
            continue
        document = PlanDocument.from_stored(version.snapshot)
        catalogue = _catalogue(document, locale)
        for line in document.lines:
            priority = line.priority
            lines.append(
                [
                    row.school.school_number,
                    _school_name(row, locale),
                    version.number,
                    _purpose(line),
                    catalogue[priority].title if priority else "",
                    _beneficiaries(line),
                    _term(line),
                    line.description,
                    pounds(line.amount_pence),
                ]
            )
    return to_csv(funding_header(), lines)


def _status_headers() -> list[str]:
    return [_status_label(status) for status in DashboardStatus]


def authorities_csv(rows: Iterable[Any], locale: str) -> bytes:
    """One row per local authority (`services.reporting.AuthoritySummary`): its schools by
    plan status and in all."""
    return to_csv(
        [_("Local authority"), *_status_headers(), _("Schools")],
        (
            [
                row.authority.name(locale),
                *(row.counts.get(status.value, 0) for status in DashboardStatus),
                sum(row.counts.values()),
            ]
            for row in rows
        ),
    )


def clusters_csv(rows: Iterable[Any], locale: str) -> bytes:
    """One row per cluster (`services.reporting.ClusterSummary`): its schools by plan status
    and in all, and its deadline for the plans."""
    return to_csv(
        [_("Cluster"), *_status_headers(), _("Schools"), _("Deadline")],
        (
            [
                (row.cluster.name_cy or row.cluster.name_en)
                if locale == "cy"
                else row.cluster.name_en,
                *(row.counts.get(status.value, 0) for status in DashboardStatus),
                row.schools,
                row.deadline.due_on.isoformat() if row.deadline else "",
            ]
            for row in rows
        ),
    )
