"""The language of what people write: an answer, comment or reply keeps the language it was
written in, and is marked with that `lang` where it differs from the page's, so that a screen
reader reads English answers on a Welsh page with English pronunciation (and Welsh ones on an
English page with Welsh)."""

from __future__ import annotations

from markupsafe import Markup

from wizard.render.locale import current_locale, valid_language


def written_in(lang: object) -> Markup:
    """` lang="en"` for an element holding text written in `lang`, when that is not the
    language being rendered; nothing when it is, or is not known."""
    code = valid_language(lang)
    if code is None or code == current_locale():
        return Markup("")
    return Markup(' lang="%s"') % code
