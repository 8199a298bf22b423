"""Reading uploaded files: spreadsheets (XLSX or ODS, with python-calamine, see
docs/dependencies.md) and CSV, into plain sheets of cells for the domain's rules."""

from __future__ import annotations

import csv
import io

from python_calamine import CalamineWorkbook

from wizard.domain.school_list import Sheet

ZIP_MAGIC = b"PK\x03\x04"


class Unreadable(Exception):
    """The file is not a spreadsheet (or CSV) we can read."""


def is_spreadsheet(content: bytes) -> bool:
    """XLSX and ODS are both zip files; anything else is read as CSV."""
    return content.startswith(ZIP_MAGIC)


def read_spreadsheet(content: bytes) -> list[Sheet]:
    """Every sheet of an XLSX or ODS file, each as its rows of cells."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return [
            Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in book.sheet_names
        ]
    except Exception as error:  # calamine raises several kinds for a broken file
        raise Unreadable(str(error)[:200]) from error


def read_csv(content: bytes, name: str) -> Sheet:
    """A CSV file (UTF-8, with or without the BOM Excel writes) as one sheet named `name`."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable("not UTF-8") from error
    try:
        sample = text[:4096]
        dialect: type[csv.Dialect] | csv.Dialect = (
            csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
        )
    except csv.Error:
        dialect = csv.excel
    try:
        return Sheet(name, [list(row) for row in csv.reader(io.StringIO(text), dialect)])
    except csv.Error as error:
        raise Unreadable(str(error)[:200]) from error


def read_any(content: bytes, name: str) -> list[Sheet]:
    """A spreadsheet's sheets, or a CSV file as one sheet."""
    if is_spreadsheet(content):
        return read_spreadsheet(content)
    return [read_csv(content, name)]
