"""An uploaded spreadsheet cannot take the server down: a file of a few kilobytes that names a
far-away cell (or unpacks to gigabytes) is refused as unreadable, and the process reading it
survives. Found by a review: such a file made the reader abort the whole worker."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.spreadsheets import ods, published, xlsx
from wizard.services.spreadsheets import Unreadable, read_any, read_spreadsheet


def _with_far_cell(content: bytes, cell: str, row: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData>'.encode(),
                )
            book.writestr(info.filename, data)
    return out.getvalue()


def test_a_list_is_read_as_before() -> None:
    rows = [["School Number", "School Name"], [6612001, "Ysgol Un"]]
    for content in (xlsx(published(rows)), ods(published(rows))):
        sheets = read_spreadsheet(content)
        assert sheets[0].rows[-1][:2] == [6612001, "Ysgol Un"]


def test_a_small_file_naming_the_last_cell_of_a_sheet_is_refused_and_the_process_lives() -> None:
    content = _with_far_cell(
        xlsx([("Maintained", [["School Number", "School Name"]])]), "XFD1048576", 1048576
    )
    assert len(content) < 4096
    with pytest.raises(Unreadable, match="too large"):
        read_spreadsheet(content)
    assert read_any(b"School Number\n6612001\n", "list.csv")[0].rows[1] == ["6612001"]


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused_before_reading() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", b" " * (65 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    with pytest.raises(Unreadable, match="too large"):
        read_spreadsheet(out.getvalue())


def test_a_broken_zip_is_unreadable() -> None:
    with pytest.raises(Unreadable):
        read_spreadsheet(b"PK\x03\x04 not really a zip")
