"""Cheaper rendering with the same bytes (issue 31): GOV.UK components rendered once per input.

A GOV.UK widget's HTML (govuk-frontend-wtf's templates) and a GOV.UK component called from the
layouts depend on nothing but their params: no request, no user, no globals that change. So
each is rendered once per distinct (template, params, language) and kept in a bounded
per-process LRU (`RenderCache`, one per app). What a key holds:

- the params frozen in order, each value with its type (True, 1 and 1.0 render differently;
  a `str` is escaped where `Markup` is not);
- a Flask-Babel lazy string as what it translates (its gettext function and arguments, the
  language being part of the key), or else as its text; tagged as lazy either way, so it
  shares no entry with a `str` or `Markup` of the same words (Jinja treats the three
  differently: a lazy string is never escaped). On a miss the component is rendered from the
  original params, lazy strings and all, so the cached HTML is exactly what the page had before;
- anything else (an object of unknown kind) makes the call uncacheable: it is rendered as
  before, every time.

A textarea's text is left out of the key: the widget is rendered once with a marker in its
place, and the text, escaped as Jinja escapes it, is put in afterwards.

Nothing that carries the CSRF token or the user goes through here: the widgets and
components render only their params. `RENDER_CACHE = False` (config) switches it all off, so
tests can compare the two paths byte for byte.

Two cheaper equivalents of Jinja's own work are installed for every render (`init_app`):
an `indent` filter that indents Markup as plain text and wraps it once, and a Template class
whose imports inside macro bodies compare global names against a frozenset.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache
from typing import Any

import flask_babel
from flask import Flask, current_app, request
from flask_babel import Domain, get_locale
from flask_babel.speaklater import LazyString
from jinja2 import Environment, Template, nodes, pass_context
from jinja2.ext import Extension
from jinja2.filters import do_indent
from jinja2.parser import Parser
from jinja2.runtime import Context
from markupsafe import Markup, escape

from wizard.render.locale import current_translations

EXTENSION = "render_cache"

# govuk-frontend-wtf's widget templates read nothing but `params`.
WIDGET_PREFIX = "govuk_frontend_wtf/"

# Widgets whose textarea text is put in after rendering (not part of the key).
TEXT_AFTERWARDS = frozenset(
    {"govuk_frontend_wtf/textarea.html", "govuk_frontend_wtf/charactercount.html"}
)

# The GOV.UK components the layouts may keep (`govuk_component(name, params)`): each reads
# nothing but its params.
COMPONENTS = {
    "back-link": "govukBackLink",
    "button": "govukButton",
    "error-summary": "govukErrorSummary",
    "notification-banner": "govukNotificationBanner",
    "panel": "govukPanel",
    "skip-link": "govukSkipLink",
    "task-list": "govukTaskList",
}

# Stands for a textarea's text while the widget is rendered: escaping leaves it as it is, and
# no param of ours contains it.
_MARKER = "\x1ewizard-textarea-text\x1e"

_SCALARS = (str, int, float, bool, type(None))

# A lazy string made by one of these gives, in a given language, a text that depends only on
# its arguments: it is keyed by them, without looking the translation up (flask_babel 4).
_GETTEXTS = frozenset(
    {flask_babel.gettext, flask_babel.ngettext, flask_babel.pgettext, flask_babel.npgettext}
)
_DOMAIN_GETTEXTS = frozenset({Domain.gettext, Domain.ngettext, Domain.pgettext, Domain.npgettext})


class Uncacheable(Exception):
    """A param of a kind the key cannot describe exactly."""


def freeze(value: Any) -> Hashable:
    """A hashable description of a params value that tells apart whatever renders differently.

    Dicts keep their order (attributes render in it); every leaf keeps its type."""
    kind = type(value)
    if kind is dict:
        return (dict, tuple((key, freeze(item)) for key, item in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(freeze(item) for item in value))
    if isinstance(value, LazyString):
        func = getattr(value, "_func", None)
        if func in _GETTEXTS or getattr(func, "__func__", None) in _DOMAIN_GETTEXTS:
            return (LazyString, func, freeze(value._args), freeze(value._kwargs))
        return (LazyString, str(value))
    if kind in _SCALARS or kind is Markup:
        return (kind, value)
    raise Uncacheable(kind.__name__)


class RenderCache:
    """A bounded least-recently-used map, safe to share between a worker's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def current_cache() -> RenderCache | None:
    """This app's cache, or None when RENDER_CACHE is off."""
    if not current_app.config.get("RENDER_CACHE", True):
        return None
    cache: RenderCache | None = current_app.extensions.get(EXTENSION)
    return cache


def _language() -> str:
    return str(get_locale())


def render_widget(template_name: str, params: dict[str, Any]) -> Markup:
    """A govuk-frontend-wtf widget's HTML, from the cache when the same params came before."""
    environment = current_app.jinja_env

    def plain(given: dict[str, Any]) -> Markup:
        return Markup(environment.get_template(template_name).render(params=given))

    cache = current_cache()
    if cache is None or not template_name.startswith(WIDGET_PREFIX):
        return plain(params)
    text = params.get("value")
    afterwards = template_name in TEXT_AFTERWARDS and isinstance(text, str)
    keyed = {**params, "value": _MARKER} if afterwards else params
    try:
        key = ("widget", template_name, _language(), freeze(keyed))
    except Uncacheable:
        return plain(params)
    found = cache.get(key)
    if found is None:
        if not afterwards:
            found = plain(params)
        else:
            before, marker, after = str(plain(keyed)).partition(_MARKER)
            if not marker or _MARKER in after:
                # The text shows somewhere other than once in the textarea: never kept.
                return plain(params)
            found = (before, after)
        cache.put(key, found)
    if afterwards:
        before, after = found
        return Markup(before + str(escape(text)) + after)
    return Markup(found)


def render_component(name: str, params: Mapping[str, Any]) -> Markup:
    """A GOV.UK component's macro called with params (`{{ govuk_component("button", {...}) }}`
    in a template gives what `{{ govukButton({...}) }}` gives), kept per params."""
    macro_name = COMPONENTS[name]
    environment = current_app.jinja_env

    def plain() -> Markup:
        template = environment.get_template(f"govuk_frontend_jinja/components/{name}/macro.html")
        macro: Callable[[Mapping[str, Any]], Markup] = getattr(template.module, macro_name)
        return macro(params)

    cache = current_cache()
    if cache is None:
        return plain()
    try:
        key = ("component", name, _language(), freeze(params))
    except Uncacheable:
        return plain()
    found = cache.get(key)
    if found is None:
        found = plain()
        cache.put(key, found)
    return Markup(found)


def cached_per_language(key: Hashable, make: Callable[[], Any]) -> Any:
    """A value worked out once per (key, language), such as a character count's messages; made
    afresh each time when the cache is off."""
    cache = current_cache()
    if cache is None:
        return make()
    full_key = ("value", key, _language())
    found = cache.get(full_key)
    if found is None:
        found = make()
        cache.put(full_key, found)
    return found


class KeptExtension(Extension):
    """`{% kept "name", a, b %}...{% endkept %}`: a part of a layout rendered once per
    (template, name, a, b, language, script root) and kept; afterwards its HTML, the same bytes.

    For the parts that read nothing but what the key names: the language's strings, URLs of
    fixed pages (`url_for` with no argument from the request), and the key's own values. Never
    around a CSRF token, the request's path, or anything of the user the key leaves out. With
    RENDER_CACHE off the body is rendered every time."""

    tags = {"kept"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        # The template's name comes first: two templates using one name keep their own HTML.
        key: list[nodes.Expr] = [nodes.Const(parser.name), parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        call = self.call_method("_kept", [nodes.List(key)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    @staticmethod
    def _kept(key: list[Any], caller: Callable[[], str]) -> str:
        cache = current_cache()
        if cache is None:
            return caller()
        try:
            full_key = ("kept", _language(), request.script_root, freeze(tuple(key)))
        except Uncacheable:
            return caller()
        found: str | None = cache.get(full_key)
        if found is None:
            found = caller()
            cache.put(full_key, found)
        return found


@lru_cache(maxsize=8192)
def _translated_markup(translations: Any, string: str) -> Markup:
    return Markup(translations.ugettext(string))


@lru_cache(maxsize=8192)
def _translated_alone(translations: Any, string: str) -> Markup:
    result: Markup = _translated_markup(translations, string) % {}
    return result


def install_gettext(environment: Environment) -> None:
    """Templates' `gettext` and `_` as Jinja's newstyle ones give them (after
    `install_gettext_callables`), with each translation made Markup once per (catalogue,
    string) and a text without placeholders formatted once: the same value. Where autoescape
    is off or RENDER_CACHE is off, Jinja's own."""
    stock_gettext: Callable[..., Any] = environment.globals["gettext"]  # type: ignore[assignment]
    stock_alias: Callable[..., Any] = environment.globals["_"]  # type: ignore[assignment]

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> Any:
        if not __context.eval_ctx.autoescape or current_cache() is None:
            return stock_gettext(__context, __string, **variables)
        if not variables:
            return _translated_alone(current_translations(), __string)
        return _translated_markup(current_translations(), __string) % variables

    @pass_context
    def alias(__context: Context, *args: Any, **kwargs: Any) -> Any:
        if __context.resolve("gettext") is gettext:
            return gettext(__context, *args, **kwargs)
        return stock_alias(__context, *args, **kwargs)

    environment.globals.update(gettext=gettext, _=alias)


FRAGMENTS = "render_cache_fragments"


def cached_fragment(key: Hashable, make: Callable[[], str]) -> Markup:
    """A part of a page worked out once per (key, language) and kept in a small LRU of its own
    (a fragment is large: tens of kilobytes, where a widget is hundreds of bytes); made afresh
    each time when the cache is off. `key` must hold everything the part depends on."""
    if not current_app.config.get("RENDER_CACHE", True):
        return Markup(make())
    cache: RenderCache = current_app.extensions[FRAGMENTS]
    full_key = ("fragment", key, _language())
    found = cache.get(full_key)
    if found is None:
        found = Markup(make())
        cache.put(full_key, found)
    return Markup(found)


def indent(value: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's `indent`, with the same output: Markup is indented as plain text and wrapped once
    (spaces and newlines need no escaping), instead of one Markup object per line."""
    if isinstance(value, Markup):
        plain_width = str(width) if isinstance(width, str) else width
        return Markup(do_indent(str(value), plain_width, first, blank))
    return do_indent(value, width, first, blank)


class ImportTemplate(Template):
    """A template whose `{% from ... import %}` inside a macro body is cheap.

    Jinja checks, at every such import, whether the importing context has global names the
    imported template lacks (`ctx.globals_keys - self.globals.keys()`): a Python-level walk of
    a ChainMap. Here the imported template's names are a frozenset, worked out again only when
    one of its global maps changes size (globals are only ever added). Same result, same module.
    Pinned to Jinja 3.1 (tests/unit/test_render_cache.py checks the behaviour)."""

    _global_names: frozenset[str] = frozenset()
    _global_sizes: tuple[int, ...] = ()

    def _get_default_module(self, ctx: Context | None = None) -> Any:
        if ctx is not None:
            maps = getattr(self.globals, "maps", (self.globals,))
            sizes = tuple(len(names) for names in maps)
            if sizes != self._global_sizes:
                self._global_names = frozenset(self.globals)
                self._global_sizes = sizes
            keys = ctx.globals_keys - self._global_names
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module


def install(environment: Environment) -> None:
    """The cheaper equivalents, before any template is loaded."""
    environment.template_class = ImportTemplate
    environment.filters["indent"] = indent
    environment.add_extension(KeptExtension)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = RenderCache(int(app.config["RENDER_CACHE_SIZE"]))
    app.extensions[FRAGMENTS] = RenderCache(int(app.config["RENDER_CACHE_FRAGMENTS"]))
    install(app.jinja_env)
    app.add_template_global(render_component, "govuk_component")
