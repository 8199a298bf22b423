"""Languages, locale selection and the mirrored /en/ and /cy/ URLs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_babel import force_locale, get_translations
from flask_login import current_user

LANGUAGES: dict[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
# The URL prefix that every localised blueprint uses.
LANG_PREFIX = "/<any(en,cy):lang>"


def in_language(english: str | None, welsh: str | None, lang: str) -> str:
    """A name in the given language where there is one, else in the other (plain text)."""
    preferred, fallback = (welsh, english) if lang == "cy" else (english, welsh)
    return preferred or fallback or ""


def other_language(lang: str) -> str:
    return "cy" if lang == "en" else "en"


def valid_language(value: object) -> str | None:
    """Return the language code if it is one of ours, else None (never trust a stored value)."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def preferred_language() -> str:
    """Choose a language for a page without a language in its URL.

    Precedence: the language last read in this browser (the session), the signed-in user's
    stored preference (a new browser), Accept-Language, English. (Reading a page changes only
    the session: the stored preference changes by the account page's form.)
    """
    from_session = valid_language(session.get("lang"))
    if from_session:
        return from_session
    if current_user.is_authenticated:
        stored = valid_language(current_user.locale)
        if stored:
            return stored
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def select_locale() -> str:
    """Return the locale for Flask-Babel: the URL's language when there is one.

    Unknown URLs such as /cy/dim-yma match no route, so the path is read directly: their 404
    page must still be in Welsh.
    """
    from_url = valid_language(getattr(g, "lang", None))
    if from_url is None and has_request_context():
        from_url = valid_language(request.path.lstrip("/").split("/", 1)[0])
    return from_url or preferred_language()


def remember_language(lang: str) -> None:
    """Keep the language of the page the user is on in their session (this browser's cookie).

    Never on their account: reading a page (a GET, which a link or a prefetch can make) does
    not change what is stored. Their preference, which emails follow, changes only by the
    account page's language form (a POST)."""
    if session.get("lang") != lang:
        session["lang"] = lang


def switch_language_url(lang: str) -> str:
    """Return the URL of the current page in another language (a GET of the same page)."""
    endpoint = request.endpoint
    view_args: dict[str, Any] = dict(request.view_args or {})
    if endpoint and request.url_rule and "lang" in request.url_rule.arguments:
        # url_for reads arguments that begin with "_" (_external, _scheme, _method, _anchor)
        # as instructions: never take those from the query string.
        query = {key: value for key, value in request.args.items() if not key.startswith("_")}
        args = {**query, **view_args, "lang": lang}
        return url_for(endpoint, **args)
    return url_for("public.start", lang=lang)


def alternate_url(lang: str) -> str:
    """The absolute address of the current page in a language, for `<link rel="alternate"
    hreflang>`: the configured BASE_URL (as in emails), never the host a request claims."""
    base: str = current_app.config["BASE_URL"]
    return base.rstrip("/") + switch_language_url(lang)


_CACHE = "_wizard_translations"


def _translations() -> Any:
    """This request's translations, looked up once: Flask-Babel's own lookup goes through
    several context proxies on every call, which adds up on pages with many strings."""
    cached = g.get(_CACHE)
    if cached is None:
        cached = get_translations()
        setattr(g, _CACHE, cached)
    return cached


def _template_gettext(string: str) -> str:
    text: str = _translations().ugettext(string)
    return text


def _template_ngettext(singular: str, plural: str, num: int) -> str:
    text: str = _translations().ungettext(singular, plural, num)
    return text


def _template_pgettext(context: str, string: str) -> str:
    """A string with a msgctxt, for an English word that needs two Welsh translations."""
    text: str = _translations().upgettext(context, string)
    return text


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Render in another language for a moment (an email in the recipient's language)."""
    g.pop(_CACHE, None)
    try:
        with force_locale(locale):
            yield
    finally:
        g.pop(_CACHE, None)


def init_app(app: Flask) -> None:
    # Templates translate through the per-request cache above. Newstyle, as Flask-Babel installs
    # it: Jinja itself escapes and fills the named placeholders.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _template_gettext, _template_ngettext, newstyle=True, pgettext=_template_pgettext
    )

    """Pop the language out of every URL into `g.lang` and put it back when building URLs."""

    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = getattr(g, "lang", None) or select_locale()

    @app.before_request
    def keep_language() -> None:
        lang = valid_language(getattr(g, "lang", None))
        if lang and request.method == "GET":
            remember_language(lang)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        lang = select_locale()
        other = other_language(lang)
        return {
            "lang": lang,
            "other_lang": other,
            "other_lang_name": LANGUAGES[other],
            "switch_language_url": switch_language_url,
            "alternate_url": alternate_url,
        }
