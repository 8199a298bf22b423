"""Welsh Government's "Address list of schools", read as it is published (XLSX or ODS, its
sheets and its own column names), and what applying it would change in the directory.

Plain rules over plain values: the spreadsheet's cells come in as lists (services.spreadsheets
reads the file), the directory as it stands comes in as `Existing` records, and out come the
schools of the list, the problems (each naming its sheet, row and column) and the changes.

Numbers that are no longer in the list are closed, never deleted (their plans are kept); a
closed school that comes back is opened again. A local authority administrator's upload
touches only the schools of their authority: those the list places there and those the
directory has there now (one that moves away is shown as moving).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wizard.domain.values import LanguageCategory, LanguageMedium

# The three-digit local authority codes that begin every school number in Wales (the "LA Code"
# column), with our codes for the authorities (data/directory.LOCAL_AUTHORITIES).
LA_CODES: dict[str, str] = {
    "660": "isle-of-anglesey",
    "661": "gwynedd",
    "662": "conwy",
    "663": "denbighshire",
    "664": "flintshire",
    "665": "wrexham",
    "666": "powys",
    "667": "ceredigion",
    "668": "pembrokeshire",
    "669": "carmarthenshire",
    "670": "swansea",
    "671": "neath-port-talbot",
    "672": "bridgend",
    "673": "vale-of-glamorgan",
    "674": "rhondda-cynon-taf",
    "675": "merthyr-tydfil",
    "676": "caerphilly",
    "677": "blaenau-gwent",
    "678": "torfaen",
    "679": "monmouthshire",
    "680": "newport",
    "681": "cardiff",
}

# The published column names (and the few spellings seen over the years), compared without
# case, spaces or punctuation.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("School Number", "School No", "School_Number"),
    "name": ("School Name", "Name"),
    "la_code": ("LA Code", "Local Authority Code", "LA"),
    "authority": ("Local Authority", "Local Authority Name", "LA Name"),
    "sector": ("Sector", "Phase"),
    "medium": ("Welsh Medium Type", "Welsh Medium", "Language Medium", "Medium"),
    "category": ("Language Category", "School Language Category", "Categori Iaith"),
    "welsh_name": ("Welsh Name", "School Name (Welsh)", "Welsh School Name", "Enw Cymraeg"),
}
# Where a column is named in a problem: its published name.
COLUMN_NAMES = {key: names[0] for key, names in COLUMNS.items()}
HEADER_ROWS = 15
MAX_CLUSTER_ROWS = 5_000
"""Rows of a local authority's file of clusters: Wales has about 1,500 schools."""
NAME_LENGTH = 200
NUMBER = re.compile(r"^\d{7}$")


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


_ALIASES = {_key(name): column for column, names in COLUMNS.items() for name in names}

CATEGORY_NAMES: dict[str, LanguageCategory] = {
    _key(name): category
    for category, names in {
        LanguageCategory.PRIMARILY_WELSH: (
            "Primarily Welsh Language",
            "Primarily Welsh",
            "Cymraeg yn bennaf",
            "primarily-welsh",
        ),
        LanguageCategory.DUAL_LANGUAGE: ("Dual Language", "Dwy iaith", "dual-language"),
        LanguageCategory.PRIMARILY_ENGLISH_PARTLY_WELSH: (
            "Primarily English Language, partly Welsh",
            "Primarily English, partly Welsh",
            "Saesneg yn bennaf, rhannol Gymraeg",
            "primarily-english-partly-welsh",
        ),
    }.items()
    for name in names
}


class ProblemKind(enum.StrEnum):
    NO_SCHOOLS_SHEET = "no-schools-sheet"
    NUMBER = "number"
    DUPLICATE = "duplicate"
    NAME_MISSING = "name-missing"
    TOO_LONG = "too-long"
    AUTHORITY = "authority"
    CATEGORY = "category"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    CLUSTER_SCHOOL = "cluster-school"
    CLUSTER_NAME = "cluster-name"
    TOO_MANY_ROWS = "too-many-rows"


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the sheet (or file), the row as the spreadsheet numbers it,
    the column as the file names it, and the value found."""

    kind: ProblemKind
    sheet: str = ""
    row: int = 0
    column: str = ""
    value: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Listed:
    """One school of the published list."""

    number: str
    name_en: str
    authority: str
    """Our code of its local authority."""
    sector: str | None = None
    medium_type: str | None = None
    category: LanguageCategory | None = None


@dataclass
class SchoolList:
    schools: dict[str, Listed] = field(default_factory=dict)
    welsh_names: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    """The sheets that held schools."""


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without their ".0" (spreadsheets store 6612345 as a
    float), everything stripped."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value).strip()


def _header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """The index of the header row among the first rows (published files open with a title)
    and the position of each column we know; None when no row names a school number."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            column = _ALIASES.get(_key(cell))
            if column is not None and column not in found:
                found[column] = position
        if "number" in found and ("name" in found or "welsh_name" in found):
            return index, found
    return None


def medium_of(medium_type: str | None) -> LanguageMedium:
    """The older three-way medium of a published Welsh medium type ("Welsh Medium", "English
    Medium", "Dual Stream", "Transitional", "English with significant Welsh"...)."""
    text = (medium_type or "").lower()
    if not text or text.startswith("english"):
        return LanguageMedium.ENGLISH
    if text.startswith("welsh"):
        return LanguageMedium.WELSH
    return LanguageMedium.BILINGUAL


def authority_of(la_code: str, authority: str, names: Mapping[str, str]) -> str | None:
    """Our code of the authority a row names by its LA Code, else by its name (English or
    Welsh, any case; `names` maps each lowered name to our code)."""
    if la_code in LA_CODES:
        return LA_CODES[la_code]
    return names.get(authority.strip().lower()) if authority else None


def read_school_list(
    sheets: Iterable[Sheet], authority_names: Mapping[str, str], welsh_rows: Iterable[Sheet] = ()
) -> SchoolList:
    """Every school of every sheet that has a School Number and School Name header; Welsh
    names from any sheet (of the list, or of the second file) with School Number and Welsh
    Name. Every problem is collected (nothing is applied while there is one)."""
    result = SchoolList()
    for sheet in [*sheets, *welsh_rows]:
        found = _header(sheet.rows)
        if found is None:
            continue
        start, columns = found
        if "name" in columns:
            result.sheets.append(sheet.name)
            for offset, row in enumerate(sheet.rows[start + 1 :], start=start + 2):
                _read_school(sheet.name, offset, row, columns, authority_names, result)
        elif "welsh_name" in columns:
            for offset, row in enumerate(sheet.rows[start + 1 :], start=start + 2):
                _read_welsh_name(sheet.name, offset, row, columns, result)
    if not result.sheets:
        result.problems.append(Problem(ProblemKind.NO_SCHOOLS_SHEET, column=COLUMN_NAMES["number"]))
    elif not result.schools and not result.problems:
        result.problems.append(Problem(ProblemKind.EMPTY, sheet=result.sheets[0]))
    return result


def _cell(row: Sequence[object], columns: Mapping[str, int], column: str) -> str:
    position = columns.get(column)
    if position is None or position >= len(row):
        return ""
    return cell_text(row[position])


def _read_school(
    sheet: str,
    line: int,
    row: Sequence[object],
    columns: Mapping[str, int],
    authority_names: Mapping[str, str],
    result: SchoolList,
) -> None:
    """One row of a sheet of schools: the school, or every problem with the row (a row with no
    text at all is passed over)."""
    if not any(cell_text(cell) for cell in row):
        return
    values = {column: _cell(row, columns, column) for column in columns}
    number = values.get("number", "")
    la_code = values.get("la_code", "") or (number[:3] if NUMBER.match(number) else "")
    authority = authority_of(la_code, values.get("authority", ""), authority_names)
    category_text = values.get("category", "")
    category = CATEGORY_NAMES.get(_key(category_text)) if category_text else None
    problems = [
        *_number_and_name_problems(values, result.schools),
        *_authority_problems(authority, la_code, values, columns),
        *_category_problems(category_text, category),
        *_length_problems(values),
    ]
    result.problems.extend(
        Problem(kind, sheet, line, column, value) for kind, column, value in problems
    )
    if problems or authority is None:
        return
    result.schools[number] = Listed(
        number=number,
        name_en=values.get("name", ""),
        authority=authority,
        sector=values.get("sector") or None,
        medium_type=values.get("medium") or None,
        category=category,
    )


# A problem of one row, before its sheet and line are known: (kind, column, value found).
_RowProblem = tuple[ProblemKind, str, str]


def _number_and_name_problems(
    values: Mapping[str, str], schools: Mapping[str, Listed]
) -> list[_RowProblem]:
    """A School Number of seven digits not listed before; a School Name, not too long."""
    number, name = values.get("number", ""), values.get("name", "")
    problems: list[_RowProblem] = []
    if not NUMBER.match(number):
        problems.append((ProblemKind.NUMBER, COLUMN_NAMES["number"], number))
    elif number in schools:
        problems.append((ProblemKind.DUPLICATE, COLUMN_NAMES["number"], number))
    if not name:
        problems.append((ProblemKind.NAME_MISSING, COLUMN_NAMES["name"], ""))
    elif len(name) > NAME_LENGTH:
        problems.append((ProblemKind.TOO_LONG, COLUMN_NAMES["name"], name[:40]))
    return problems


def _authority_problems(
    authority: str | None, la_code: str, values: Mapping[str, str], columns: Mapping[str, int]
) -> list[_RowProblem]:
    """No authority found: named on the LA Code column where the sheet has one."""
    if authority is not None:
        return []
    column = "la_code" if "la_code" in columns else "authority"
    shown = values.get(column, "") or la_code
    return [(ProblemKind.AUTHORITY, COLUMN_NAMES[column], shown)]


def _category_problems(text: str, category: LanguageCategory | None) -> list[_RowProblem]:
    """A language category given but not one we know."""
    if text and category is None:
        return [(ProblemKind.CATEGORY, COLUMN_NAMES["category"], text)]
    return []


def _length_problems(values: Mapping[str, str]) -> list[_RowProblem]:
    """A sector or medium type over 120 characters."""
    return [
        (ProblemKind.TOO_LONG, COLUMN_NAMES[column], values[column][:40])
        for column in ("sector", "medium")
        if len(values.get(column, "")) > 120
    ]


def _read_welsh_name(
    sheet: str, line: int, row: Sequence[object], columns: Mapping[str, int], result: SchoolList
) -> None:
    number, name = _cell(row, columns, "number"), _cell(row, columns, "welsh_name")
    if not number and not name:
        return
    if not NUMBER.match(number):
        result.problems.append(
            Problem(ProblemKind.NUMBER, sheet, line, COLUMN_NAMES["number"], number)
        )
    elif len(name) > NAME_LENGTH:
        result.problems.append(
            Problem(ProblemKind.TOO_LONG, sheet, line, COLUMN_NAMES["welsh_name"], name[:40])
        )
    elif name:
        result.welsh_names[number] = name


@dataclass(frozen=True)
class Existing:
    """A school of the directory as it stands."""

    number: str
    name_en: str
    name_cy: str | None
    authority: str
    closed: bool


@dataclass(frozen=True)
class Renamed:
    number: str
    before: str
    after: str


@dataclass(frozen=True)
class Moved:
    number: str
    name: str
    before: str
    after: str
    """Our codes of the authorities."""


@dataclass
class Changes:
    new: list[Listed] = field(default_factory=list)
    renamed: list[Renamed] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    closed: list[Existing] = field(default_factory=list)
    reopened: list[Listed] = field(default_factory=list)
    welsh_named: list[Renamed] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.new
            or self.renamed
            or self.moved
            or self.closed
            or self.reopened
            or self.welsh_named
        )


def _compare(before: Existing, school: Listed, welsh: str | None, changes: Changes) -> bool:
    """Add what changes for a school the directory has; whether anything does."""
    touched = False
    if before.closed:
        changes.reopened.append(school)
        touched = True
    if before.name_en != school.name_en:
        changes.renamed.append(Renamed(school.number, before.name_en, school.name_en))
        touched = True
    if before.authority != school.authority:
        changes.moved.append(
            Moved(school.number, school.name_en, before.authority, school.authority)
        )
        touched = True
    if welsh and welsh != before.name_cy:
        changes.welsh_named.append(Renamed(school.number, before.name_cy or "", welsh))
        touched = True
    return touched


def changes_of(
    listed: SchoolList, existing: Iterable[Existing], authority: str | None = None
) -> Changes:
    """What applying the list would change, for all of Wales (`authority` None) or for one
    authority's administrator (our code of the authority)."""
    have = {school.number: school for school in existing}
    changes = Changes()
    for number, school in sorted(listed.schools.items()):
        before = have.get(number)
        if authority is not None:
            # An authority's administrator changes only its own schools and adds new ones in
            # it: a school of another authority is never pulled in (only a national
            # administrator applies a move into an authority).
            if before is not None and before.authority != authority:
                continue
            if before is None and school.authority != authority:
                continue
        welsh = listed.welsh_names.get(number)
        if before is None:
            changes.new.append(school)
            continue
        if not _compare(before, school, welsh, changes):
            changes.unchanged += 1
    for number, before in sorted(have.items()):
        if number in listed.schools or before.closed:
            continue
        if authority is None or before.authority == authority:
            changes.closed.append(before)
    return changes


# --- A local authority's clusters, from its own CSV file -------------------------------------

CLUSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": COLUMNS["number"],
    "name_en": ("Cluster", "Cluster Name", "Cluster Name English", "Cluster Name (English)"),
    "name_cy": (
        "Cluster Name Welsh",
        "Cluster Name (Welsh)",
        "Welsh Cluster Name",
        "Enw'r Clwstwr",
        "Enw Clwstwr",
    ),
}
CLUSTER_COLUMN_NAMES = {
    "number": "School Number",
    "name_en": "Cluster Name (English)",
    "name_cy": "Cluster Name (Welsh)",
}
_CLUSTER_ALIASES = {_key(n): column for column, names in CLUSTER_COLUMNS.items() for n in names}


@dataclass(frozen=True)
class ClusterLine:
    number: str
    name_en: str
    name_cy: str | None
    row: int


def _cluster_columns(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]]:
    """The first data row and each column's position: from a header row naming them, or (no
    header: the first cell is a school number) in the order number, English, Welsh."""
    columns = {"number": 0, "name_en": 1, "name_cy": 2}
    if not rows or NUMBER.match(cell_text(rows[0][0] if rows[0] else "")):
        return 0, columns
    named: dict[str, int] = {}
    for position, cell in enumerate(rows[0]):
        column = _CLUSTER_ALIASES.get(_key(cell))
        if column is not None and column not in named:
            named[column] = position
    return 1, (named if "number" in named and "name_en" in named else columns)


def _cluster_problems(
    sheet: str, line: int, values: Mapping[str, str], seen: set[str]
) -> list[Problem]:
    number, name_en = values["number"], values["name_en"]
    found = []
    if not NUMBER.match(number):
        found.append(
            Problem(ProblemKind.NUMBER, sheet, line, CLUSTER_COLUMN_NAMES["number"], number)
        )
    elif number in seen:
        found.append(
            Problem(ProblemKind.DUPLICATE, sheet, line, CLUSTER_COLUMN_NAMES["number"], number)
        )
    if not name_en:
        found.append(
            Problem(ProblemKind.CLUSTER_NAME, sheet, line, CLUSTER_COLUMN_NAMES["name_en"])
        )
    for column in ("name_en", "name_cy"):
        if len(values.get(column, "")) > NAME_LENGTH:
            found.append(
                Problem(
                    ProblemKind.TOO_LONG,
                    sheet,
                    line,
                    CLUSTER_COLUMN_NAMES[column],
                    values[column][:40],
                )
            )
    return found


def read_cluster_file(sheet: Sheet) -> tuple[list[ClusterLine], list[Problem]]:
    """Each school's cluster: with a header row naming the columns, or without one (the
    columns then in the order school number, English name, Welsh name)."""
    rows = list(sheet.rows)
    start, columns = _cluster_columns(rows)
    filled = sum(1 for row in rows[start:] if any(cell_text(cell) for cell in row))
    if filled > MAX_CLUSTER_ROWS:
        return [], [
            Problem(ProblemKind.TOO_MANY_ROWS, sheet=sheet.name, value=f"{MAX_CLUSTER_ROWS:,}")
        ]
    lines: list[ClusterLine] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[start:], start=start + 1):
        values = {c: _cell(row, columns, c) for c in columns}
        if not any(values.values()):
            continue
        found = _cluster_problems(sheet.name, line, values, seen)
        seen.add(values["number"])
        problems.extend(found)
        if not found:
            lines.append(
                ClusterLine(
                    values["number"], values["name_en"], values.get("name_cy") or None, line
                )
            )
    if not lines and not problems:
        problems.append(Problem(ProblemKind.EMPTY, sheet=sheet.name))
    return lines, problems
