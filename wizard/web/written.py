"""Which language a person wrote in: the page's, unless they ticked "I am writing in English"
(on a Welsh page) or "I am writing in Welsh" (on an English page), the checkbox that
templates/macros/written.html shows under the fields they write in."""

from __future__ import annotations

from flask import request

from wizard.render.locale import other_language
from wizard.web.i18n import select_locale

FIELD = "written_in_other_language"


def written_language() -> str:
    """The language of the text just sent: "cy" or "en"."""
    page = select_locale()
    return other_language(page) if request.form.get(FIELD) == "yes" else page


def in_other_language(saved: str | None) -> bool:
    """Whether the checkbox starts ticked: as sent, or else as the text was saved."""
    if request.method == "POST":
        return request.form.get(FIELD) == "yes"
    return saved is not None and saved != select_locale()
