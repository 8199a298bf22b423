"""The render-side equivalents of issue 31 give Jinja's own output: the `indent` filter, the
cheaper imports inside macro bodies, the keys of the component cache and its bound."""

from __future__ import annotations

import itertools
from typing import Any

import flask_babel
import jinja2
import pytest
from flask import Flask, render_template
from flask_babel import lazy_gettext, lazy_ngettext
from flask_babel.speaklater import LazyString
from jinja2 import DictLoader, Environment
from jinja2.filters import do_indent
from markupsafe import Markup

from wizard.web.render_cache import (
    EXTENSION,
    ImportTemplate,
    RenderCache,
    Uncacheable,
    freeze,
    indent,
    init_app,
    install,
)

TEXTS = [
    "",
    "one line",
    "two\nlines",
    "trailing newline\n",
    "\n\nleading blank lines",
    "blank\n\nin the middle\n",
    "windows\r\nline ends\r\n",
    "other\u2028separators\x0bhere\x1cand\x85there",
    '<b class="x">Tom & "Jerry"</b>\n  <i>it\'s</i>\n',
    "  indented\n    deeper\n\tTab\n",
]


def test_indent_gives_jinjas_output_for_markup_and_text() -> None:
    widths: list[Any] = [0, 2, 4, "  ", "<>&", Markup("<!-- -->")]
    for text, width, first, blank, kind in itertools.product(
        TEXTS, widths, [False, True], [False, True], [str, Markup]
    ):
        value = kind(text)
        expected = do_indent(value, width, first, blank)
        got = indent(value, width, first, blank)
        assert got == expected, (text, width, first, blank, kind)
        assert type(got) is type(expected)


def test_indent_in_a_template_escapes_exactly_as_before() -> None:
    source = "{{ value | indent(2) }}|{{ value | trim | indent(4, true, true) }}"
    for value in [Markup("<p>\n<b>x</b>\n\n</p>\n"), "<p>\n&\n</p>", LazyString(lambda: "<a>\nb")]:
        stock = Environment(autoescape=True).from_string(source).render(value=value)
        ours_env = Environment(autoescape=True)
        install(ours_env)
        assert ours_env.from_string(source).render(value=value) == stock


MACROS = {
    "lib.html": "{% macro shout(x) %}<b>{{ x | upper }}</b>{% endmacro %}{{ extra is defined }}",
    "user.html": (
        "{% macro call(x) %}{% from 'lib.html' import shout %}"
        "{{ shout(x) }}{{ extra | default('-') }}{% endmacro %}"
    ),
    "page.html": "{% from 'user.html' import call %}{{ call(value) }}{{ call('two') }}",
    "page_with_context.html": (
        "{% from 'user.html' import call with context %}{{ call(value) }}"
        "{% import 'lib.html' as lib %}{{ lib }}"
    ),
}


def environments() -> tuple[Environment, Environment]:
    stock = Environment(loader=DictLoader(MACROS), autoescape=True)
    ours = Environment(loader=DictLoader(MACROS), autoescape=True)
    install(ours)
    return stock, ours


def test_imports_inside_macros_give_the_same_output_and_module() -> None:
    stock, ours = environments()
    assert ours.template_class is ImportTemplate
    for name in ["page.html", "page_with_context.html"]:
        for value in ["<one>", Markup("<one>")]:
            assert ours.get_template(name).render(value=value) == stock.get_template(name).render(
                value=value
            )
    # The imported module is made once and reused, as Jinja does.
    lib = ours.get_template("lib.html")
    ours.get_template("page.html").render(value="x")
    module = lib._module
    assert module is not None
    ours.get_template("page.html").render(value="y")
    assert lib._module is module


def test_a_template_with_globals_of_its_own_gets_a_module_with_them_as_in_jinja() -> None:
    stock, ours = environments()
    seen = []
    for environment in (stock, ours):
        page = environment.get_template("page.html", globals={"extra": "EXTRA"})
        first = page.render(value="x")
        # A global added to the environment afterwards is seen as Jinja sees it.
        environment.globals["extra"] = "LATE"
        again = environment.from_string(
            "{% from 'user.html' import call %}{{ call('y') }}"
        ).render()
        seen.append((first, again))
    assert seen[0] == seen[1]
    assert seen[1][0] == "<b>X</b>EXTRA<b>TWO</b>EXTRA"


def test_the_template_class_overrides_a_method_jinja_still_has() -> None:
    """ImportTemplate replaces Template._get_default_module: pinned to Jinja 3.1."""
    assert jinja2.__version__.startswith("3.1.")
    assert callable(jinja2.Template._get_default_module)


def test_keys_tell_apart_what_renders_differently() -> None:
    different = [
        True,
        1,
        1.0,
        "1",
        Markup("1"),
        LazyString(lambda: "1"),
        None,
        "True",
        [1],
        (1,),
        {"a": 1},
    ]
    keys = [freeze(value) for value in different]
    assert len(set(keys)) == len(different)
    # Attributes render in the order given.
    assert freeze({"a": 1, "b": 2}) != freeze({"b": 2, "a": 1})
    assert freeze({"a": [{"b": "x"}]}) == freeze({"a": [{"b": "x"}]})
    # A lazy string is keyed by its text now (in the page's language), not by its object.
    assert freeze(LazyString(lambda: "Yes")) == freeze(LazyString(str, "Yes"))


def test_a_translated_lazy_string_is_keyed_by_what_it_translates_without_translating() -> None:
    """Outside any request (no translations to look in): freezing does not evaluate it."""
    assert freeze(lazy_gettext("Yes")) == freeze(lazy_gettext("Yes"))
    assert freeze(lazy_gettext("Yes")) != freeze(lazy_gettext("No"))
    assert freeze(lazy_gettext("%(n)s", n=1)) != freeze(lazy_gettext("%(n)s", n=True))
    assert freeze(lazy_ngettext("a", "b", 1)) != freeze(lazy_ngettext("a", "b", 2))
    assert freeze(lazy_gettext("Yes")) != freeze("Yes")
    assert freeze(lazy_gettext("Yes")) != freeze(Markup("Yes"))
    # flask_babel's LazyString keeps its function and arguments where the key reads them.
    lazy = lazy_gettext("Yes", n=1)
    assert (lazy._func, lazy._args, lazy._kwargs) == (flask_babel.gettext, ("Yes",), {"n": 1})


def test_values_of_other_kinds_are_not_cached() -> None:
    for value in [object(), {"a": {1, 2}}, [b"bytes"], {"a": [object()]}]:
        with pytest.raises(Uncacheable):
            freeze(value)


def test_the_cache_keeps_at_most_its_size_and_drops_the_least_recently_used() -> None:
    cache = RenderCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("d", "D")
    assert len(cache) == 3
    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == ["A", "C", "D"]
    assert (cache.hits, cache.misses) == (4, 1)
    cache.clear()
    assert len(cache) == 0


def test_templates_gettext_gives_jinjas_newstyle_output() -> None:
    from flask import Flask

    from wizard.web import render_cache as cache_module

    app = Flask(__name__)
    app.extensions[cache_module.EXTENSION] = RenderCache(16)
    app.config["RENDER_CACHE"] = True
    stock = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    ours = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    catalogue = {
        "50% off": "hanner pris 50%%",
        "<b>%(name)s</b> & co": "<i>%(name)s</i> a'i ffrindiau",
    }

    class Catalogue:
        def ugettext(self, string: str) -> str:
            return catalogue.get(string, string)

    translations = Catalogue()
    for environment in (stock, ours):
        environment.install_gettext_callables(  # type: ignore[attr-defined]
            translations.ugettext, lambda s, p, n: s if n == 1 else p, newstyle=True
        )
    cache_module.install_gettext(ours)
    source = (
        "{{ _('Plain') }}|{{ gettext('50% off') }}|{{ _('<b>%(name)s</b> & co', name='<Tom>') }}"
        "|{{ _('%(n)d items', n=3) }}|{% trans %}Block{% endtrans %}"
    )
    with app.test_request_context("/"):
        original = cache_module.current_translations
        cache_module.current_translations = lambda: translations  # type: ignore[assignment]
        try:
            for _ in range(2):  # a miss, then from the cache
                assert ours.from_string(source).render() == stock.from_string(source).render()
            app.config["RENDER_CACHE"] = False
            assert ours.from_string(source).render() == stock.from_string(source).render()
        finally:
            cache_module.current_translations = original  # type: ignore[assignment]


def test_compact_html_in_one_pass_gives_what_the_two_passes_gave() -> None:
    import random
    import re

    from wizard.web.views import compact_html

    indentation, blank_lines = re.compile(r"\n[ \t]+"), re.compile(r"\n{2,}")
    pieces = ["\n", " ", "\t", "\r", "<p>", "x", "\n  ", "\n\n", " \n", "\f", "\xa0", "\u2028"]
    generator = random.Random(31)
    for _ in range(5000):
        html = "".join(generator.choice(pieces) for _ in range(generator.randrange(0, 24)))
        assert compact_html(html) == blank_lines.sub("\n", indentation.sub("\n", html)), repr(html)


def test_two_templates_using_one_kept_name_each_keep_their_own_html() -> None:
    """The `{% kept %}` key holds the template's name: the same name and values in two templates
    are two entries, not one template's HTML on the other's page."""
    app = Flask(__name__)
    app.config.update(RENDER_CACHE=True, RENDER_CACHE_SIZE=16, RENDER_CACHE_FRAGMENTS=4)
    flask_babel.Babel(app)
    init_app(app)
    app.jinja_env.loader = DictLoader(
        {
            "one.html": '{% kept "nav", 1 %}<p>one</p>{% endkept %}',
            "two.html": '{% kept "nav", 1 %}<p>two</p>{% endkept %}',
        }
    )
    with app.test_request_context("/"):
        pages = [render_template(name) for name in ("one.html", "two.html", "one.html")]
    assert pages == ["<p>one</p>", "<p>two</p>", "<p>one</p>"]
    cache = app.extensions[EXTENSION]
    assert (cache.hits, cache.misses) == (1, 2)
