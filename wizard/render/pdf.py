"""The plan summary as a PDF, rendered by WeasyPrint from the same HTML as the page: tagged
(PDF/UA-1: headings, lists, tables and figures in a structure tree a screen reader navigates),
with the document's language (the page's `lang`) and title (its `<title>`) set.

Rendering is the heaviest work the service does, so it is bounded: a submitted version's PDF
and Word file never change, so each is made once per version, language and content, and kept
as a file (`PDF_CACHE_DIR`, by default in the instance folder); and only a few renders run at
once, in each process (`PDF_RENDERS_PER_PROCESS`) and over every process and machine on one
PostgreSQL database (`PDF_RENDERS_AT_ONCE`). A request that finds no free slot gets
`RenderBusy` at once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path

from flask import current_app

from wizard.config import ROOT
from wizard.data.render_slots import shared_slot

PDF_STYLESHEET = ROOT / "static" / "css" / "pdf.css"


# Tagged PDF for accessibility (ISO 14289-1): WeasyPrint writes the structure tree, /Lang from
# the root element's lang, the title from <title> shown as the window's title, and /MarkInfo.
PDF_VARIANT = "pdf/ua-1"


class RenderBusy(RuntimeError):
    """Every render slot is taken: the request should be tried again in a moment."""


def _write_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint is large and only this route needs it.
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(ROOT / "static"))
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=str(PDF_STYLESHEET))], pdf_variant=PDF_VARIANT
    )
    return pdf


def render_pdf(html: str) -> bytes:
    return _write_pdf(html)


_semaphores: dict[int, threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


def _process_slots(count: int) -> threading.BoundedSemaphore:
    with _semaphores_lock:
        if count not in _semaphores:
            _semaphores[count] = threading.BoundedSemaphore(count)
        return _semaphores[count]


def bounded(work: Callable[[], bytes]) -> bytes:
    """Do a render, holding a slot in this process and one over every process; RenderBusy
    when either has none free."""
    config = current_app.config
    local = _process_slots(int(config["PDF_RENDERS_PER_PROCESS"]))
    if not local.acquire(blocking=False):
        raise RenderBusy
    try:
        with shared_slot(int(config["PDF_RENDERS_AT_ONCE"])) as held:
            if not held:
                raise RenderBusy
            return work()
    finally:
        local.release()


def bounded_render(html: str) -> bytes:
    """The PDF of `html`, rendered in a slot (RenderBusy when none is free)."""
    return bounded(lambda: render_pdf(html))


def _digest(html: str) -> str:
    """What the PDF is made from: the HTML (the version's content in its language, and what
    the templates and translations made of it), the stylesheet and WeasyPrint's version. A
    change to any of them is a new PDF."""
    content = hashlib.sha256()
    content.update(package_version("weasyprint").encode())
    content.update(PDF_STYLESHEET.read_bytes())
    content.update(html.encode())
    return content.hexdigest()[:32]


# What a plan's PDF is made with besides the plan: the code that turns a snapshot into the
# summary's HTML (every layer the summary's context and the staff voice panel pass through),
# the templates, the compiled translations, the stylesheet, WeasyPrint and the template and
# locale packages.
_MADE_WITH_CODE = ("render", "domain", "web", "services", "data")


@cache
def pdf_made_from() -> str:
    """A digest of everything a plan's PDF is made with except the plan (a submitted version's
    cache key adds the version's content, its language and the staff voice it shows): worked
    out once per process, so that a kept PDF is found without rendering its HTML. A deployment
    that changes any of it makes each PDF again when next asked."""
    content = hashlib.sha256()
    for name in ("weasyprint", "govuk-frontend-jinja", "jinja2", "babel", "markupsafe"):
        content.update(f"{name} {package_version(name)}".encode())
    content.update(PDF_STYLESHEET.read_bytes())
    package = ROOT / "wizard"
    files = [
        path for folder in _MADE_WITH_CODE for path in sorted((package / folder).rglob("*.py"))
    ]
    files += sorted(path for path in (ROOT / "templates").rglob("*") if path.is_file())
    files += sorted((ROOT / "translations").rglob("*.mo"))
    for path in files:
        content.update(str(path.relative_to(ROOT)).encode())
        content.update(path.read_bytes())
    return content.hexdigest()[:32]


def cache_dir() -> Path:
    configured = current_app.config.get("PDF_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "pdf-cache"


def version_pdf(html: str, version_id: int, lang: str) -> bytes:
    """A submitted version's PDF: from the cache when it was made from the same content, else
    rendered (bounded) and kept, replacing what was kept for this version and language."""
    return version_file(version_id, lang, _digest(html), "pdf", lambda: bounded_render(html))


def version_file(
    version_id: int, lang: str, digest: str, extension: str, make: Callable[[], bytes]
) -> bytes:
    """A submitted version's file (PDF or Word) in `lang`: the kept copy when one was made from
    the same content (`digest`), else `make()`'s, kept in place of any older copy."""
    directory = cache_dir()
    prefix = f"version-{version_id}-{lang}-"
    path = directory / f"{prefix}{digest}.{extension}"
    try:
        return path.read_bytes()
    except OSError:  # not made yet (or the folder cannot be read): make it
        pass
    made = make()
    if not _keep(made, directory, path):
        # A full or read-only disk costs the cache, never the download.
        current_app.logger.warning("Could not keep the %s of version %d", extension, version_id)
        return made
    for old in directory.glob(f"{prefix}*.{extension}"):
        if old != path:
            old.unlink(missing_ok=True)
    return made


def clear_pdf_cache() -> int:
    """Delete every kept PDF and Word file (after an erasure: a kept copy may name the
    person); each is made again when next asked for. Returns how many were deleted."""
    directory = cache_dir()
    deleted = 0
    for pattern in ("*.pdf", "*.docx"):
        for path in directory.glob(pattern) if directory.is_dir() else ():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _keep(content: bytes, directory: Path, path: Path) -> bool:
    """Write the file whole, then rename it into place: another process never reads half of
    it. False when the disk refused."""
    temporary: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=directory, suffix=".part")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        return False
    return True
