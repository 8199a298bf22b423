"""Read one XLSX or ODS file in a child process with a memory ceiling (see spreadsheets.py).

A few kilobytes of XLSX can name a cell at XFD1048576; the reader then asks for hundreds of
gigabytes and the process aborts, which no `except` can catch. Here that abort ends only this
child. Input: the file's bytes on stdin. Output: the sheets, pickled, on stdout.
"""

from __future__ import annotations

import io
import pickle
import resource
import sys


def main() -> int:
    memory = int(sys.argv[1])
    max_cells = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from python_calamine import CalamineWorkbook

    content = sys.stdin.buffer.read()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets: list[tuple[str, object]] = []
        cells = 0
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            cells += sheet.total_height * sheet.total_width
            if cells > max_cells:
                sys.stdout.buffer.write(pickle.dumps(("too-large", None)))
                return 0
            sheets.append((name, sheet.to_python(skip_empty_area=False)))
    except MemoryError:
        sys.stdout.buffer.write(pickle.dumps(("too-large", None)))
        return 0
    except Exception as error:  # calamine raises several kinds for a broken file
        sys.stdout.buffer.write(pickle.dumps(("broken", str(error)[:200])))
        return 0
    sys.stdout.buffer.write(pickle.dumps(("ok", sheets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
