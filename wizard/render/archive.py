"""A ZIP of several documents, written as it goes: each file is made only when the one before
has been sent, so the first bytes leave at once and no more than one file is held in memory.

The standard library's zipfile writes to a stream it cannot seek in (each entry's sizes then
follow its data), so nothing but it is needed."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator

# Every entry is dated this: the same documents give the same ZIP.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# What a file name keeps: letters and digits of any script (ŵ, ŷ, â), spaces and a few marks
# every system takes. Anything else (slashes, colons, quotes, control characters, ..) is a "-".
_NOT_KEPT = re.compile(r"[^\w .,()'&+-]|_")
_RUNS = re.compile(r"[\s-]{2,}")
LONGEST_NAME = 80


class _Sink(io.RawIOBase):
    """Collects what zipfile writes until it is taken (zipfile asks `tell`, which a stream it
    cannot seek in does not answer: it then counts the bytes itself)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(entries: Iterable[tuple[str, Callable[[], bytes]]]) -> Iterator[bytes]:
    """The ZIP of `entries` (file name, what makes its bytes), chunk by chunk: one chunk per
    file, then the central directory. Files are stored as they are (PDFs and Word files are
    compressed already)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:
        for name, make in entries:
            content = make()
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
            yield sink.take()
    yield sink.take()


def safe_file_name(name: str, fallback: str) -> str:
    """`name` (a school's name) as part of a file name in a ZIP: the same letters (Welsh ones
    too, kept as UTF-8, which the ZIP marks), with no path, no character a system refuses and
    no leading dot, at most LONGEST_NAME characters; `fallback` when nothing is left."""
    text = unicodedata.normalize("NFC", name)
    text = _NOT_KEPT.sub("-", text)
    text = _RUNS.sub(lambda run: " " if " " in run.group() else "-", text)
    text = text.strip(" .-")[:LONGEST_NAME].rstrip(" .-")
    return text or fallback


def unique_names(names: Iterable[str]) -> list[str]:
    """The names with a number added to any that came before (case aside): "A.pdf",
    "A (2).pdf"."""
    seen: set[str] = set()
    unique = []
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, number = name, 1
        while candidate.casefold() in seen:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique
