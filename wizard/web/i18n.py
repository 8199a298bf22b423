"""The language of a request: locale selection, the mirrored /en/ and /cy/ URLs and the
language switch. (The languages themselves, translations and formatting are
`wizard.render.locale`'s.)"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_login import current_user

from wizard.render.locale import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    other_language,
    translate,
    translate_in_context,
    translate_plural,
    valid_language,
)
from wizard.web import render_cache

# The URL prefix that every localised blueprint uses.
LANG_PREFIX = "/<any(en,cy):lang>"


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
    account page's language form (a POST). One of the GETs' writes listed in
    wizard/web/gets.py."""
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


def init_app(app: Flask) -> None:
    # Templates translate through the per-request cache above. Newstyle, as Flask-Babel installs
    # it: Jinja itself escapes and fills the named placeholders.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        translate, translate_plural, newstyle=True, pgettext=translate_in_context
    )
    render_cache.install_gettext(app.jinja_env)

    # Pop the language out of every URL into `g.lang` and put it back when building URLs.
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
