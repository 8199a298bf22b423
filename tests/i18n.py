"""What a page in a given language says for an English message, read from the catalogue."""

from __future__ import annotations

import contextvars
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext, ngettext


def translate(app: Flask, lang: str, msgid: str, **variables: Any) -> str:
    def run() -> str:
        # An empty context: never share `g` (and Flask-Babel's cache) with the test's own.
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return str(gettext(msgid, **variables))

    return contextvars.Context().run(run)


def translate_plural(
    app: Flask, lang: str, singular: str, plural: str, num: int, **variables: Any
) -> str:
    def run() -> str:
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return str(ngettext(singular, plural, num, **variables))

    return contextvars.Context().run(run)
