"""Reading uploaded files: spreadsheets (XLSX or ODS, with python-calamine, see
docs/dependencies.md) and CSV, into plain sheets of cells for the domain's rules."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

from wizard.domain.school_list import Sheet

ZIP_MAGIC = b"PK\x03\x04"

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""A published list of every school in Wales unpacks to a few megabytes."""
MAX_CELLS = 2_000_000
"""Cells across every sheet (the published list has about 1,600 rows of 40 columns)."""
READER_MEMORY_BYTES = 1024 * 1024 * 1024
READER_SECONDS = 30
# The child that reads a workbook (run by its path, so that it imports nothing of the app).
CHILD = Path(__file__).with_name("workbook_child.py")


class Unreadable(Exception):
    """The file is not a spreadsheet (or CSV) we can read."""


TOO_LARGE = "too large: more than 2,000,000 cells or 64 MB unpacked"


def is_spreadsheet(content: bytes) -> bool:
    """XLSX and ODS are both zip files; anything else is read as CSV."""
    return content.startswith(ZIP_MAGIC)


def read_spreadsheet(content: bytes) -> list[Sheet]:
    """Every sheet of an XLSX or ODS file, each as its rows of cells.

    The file is unpacked in a child process with a memory ceiling and a time limit
    (wizard/services/workbook_child.py): a tiny file can claim a sheet of 17 billion cells,
    and the reader's failure to allocate that aborts the process it runs in.
    """
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Unreadable(str(error)[:200]) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(TOO_LARGE)
    try:
        child = subprocess.run(
            [
                sys.executable,
                # By its path, isolated: the child imports python_calamine alone, not the app
                # (which `-m wizard.services.workbook_child` would, about 2 s of CPU each time).
                "-I",
                str(CHILD),
                str(READER_MEMORY_BYTES),
                str(MAX_CELLS),
            ],
            input=content,
            capture_output=True,
            timeout=READER_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise Unreadable(TOO_LARGE) from error
    if child.returncode != 0 or not child.stdout:
        raise Unreadable(TOO_LARGE)
    outcome, sheets = pickle.loads(child.stdout)  # noqa: S301 (our own child's output)
    if outcome == "too-large":
        raise Unreadable(TOO_LARGE)
    if outcome != "ok":
        raise Unreadable(str(sheets))
    return [Sheet(name, rows) for name, rows in sheets]


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
