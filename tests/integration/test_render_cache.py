"""Issue 31: GOV.UK components kept per params, and the cheaper `indent` and imports, give the
same bytes as rendering them every time with stock Jinja.

1. Every fixture GOV.UK Frontend ships (node_modules/govuk-frontend, the pinned npm package)
   for each component our pages use, widgets included: through the cache (a miss, then a hit)
   and through our environment, against the plain macro in a stock Jinja environment.
2. Every page type in both languages, error states and a 409 conflict with markup-like text
   included, with the cache on (twice: a miss or a hit, then a hit) and off.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from tests.conftest import Directory, sign_in
from tests.integration.test_html_validity import Pages, every_page_type
from tests.plans import write_plan
from wizard.config import ROOT
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web import render_cache, widgets
from wizard.web.render_cache import COMPONENTS, render_component, render_widget

FRONTEND = ROOT / "node_modules" / "govuk-frontend"
FIXTURES = FRONTEND / "dist" / "govuk" / "components"
YEAR = year_slug(academic_year_of(date.today()))
COMPONENT = re.compile(r"govuk_frontend_jinja/components/([a-z-]+)/macro\.html")
CSRF = re.compile(
    r'(name="csrf_token" (?:type="hidden" )?value="|name="csrf-token" content=")[^"]*"'
)
# The charts number their titles from a counter of the process (wizard/render/charts.py).
CHART_ID = re.compile(r"chart-title-\d+")
MARKUP_LIKE = "<script>alert(1)</script> &amp; \"quoted\" 'single' </textarea>\n  second line"


def stock_environment() -> Environment:
    """The GOV.UK macros as Jinja renders them with nothing of ours (the `before`)."""
    return Environment(
        loader=ChoiceLoader(
            [
                PrefixLoader(
                    {
                        "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                        "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                    }
                )
            ]
        ),
        autoescape=True,
    )


def widget_templates() -> dict[str, str]:
    """GOV.UK component name -> the govuk-frontend-wtf template of each widget of ours."""
    environment = stock_environment()
    used: dict[str, str] = {}
    for widget in vars(widgets).values():
        if isinstance(widget, type) and issubclass(widget, widgets._TranslatedErrors):
            template = getattr(widget, "template", None)
            if template is None:
                continue
            source = environment.loader.get_source(environment, template)[0]  # type: ignore[union-attr]
            found = COMPONENT.search(source)
            assert found is not None, template
            used[found.group(1)] = template
    return used


def components_used() -> set[str]:
    """Every GOV.UK component our templates and widgets render, with those they call."""
    environment = stock_environment()
    sources = [path.read_text() for path in (ROOT / "templates").rglob("*.html")]
    sources += [
        environment.loader.get_source(environment, template)[0]  # type: ignore[union-attr]
        for template in widget_templates().values()
    ]
    used = {name for source in sources for name in COMPONENT.findall(source)}
    used |= set(COMPONENTS)
    pending = list(used)
    while pending:
        name = pending.pop()
        path = f"govuk_frontend_jinja/components/{name}/macro.html"
        source = environment.loader.get_source(environment, path)[0]  # type: ignore[union-attr]
        for called in COMPONENT.findall(source):
            if called not in used:
                used.add(called)
                pending.append(called)
    return used


def fixtures_of(name: str) -> list[dict[str, Any]]:
    path = FIXTURES / name / "fixtures.json"
    fixtures: list[dict[str, Any]] = json.loads(path.read_text())["fixtures"]
    return fixtures


def macro_name(name: str) -> str:
    return "govuk" + "".join(part.capitalize() for part in name.split("-"))


def plain_macro(environment: Environment, name: str, params: Any) -> str:
    source = (
        f'{{% from "govuk_frontend_jinja/components/{name}/macro.html" import '
        f"{macro_name(name)} %}}{{{{ {macro_name(name)}(params) }}}}"
    )
    return environment.from_string(source).render(params=params)


def plain_widget(environment: Environment, template: str, params: Any) -> str:
    return environment.get_template(template).render(params=params)


def outcome(render: Any, *args: Any) -> tuple[str, str]:
    """What rendering gave: the HTML, or the kind of error it raised."""
    try:
        return ("html", str(render(*args)))
    except Exception as error:  # noqa: BLE001 - the same failure both ways is the same outcome
        return ("error", type(error).__name__)


@pytest.fixture(scope="module")
def used() -> set[str]:
    if not (FRONTEND / "package.json").exists():
        pytest.fail(
            f"{FRONTEND} is missing: run `make vnu` (npm ci --ignore-scripts).", pytrace=False
        )
    version = json.loads((FRONTEND / "package.json").read_text())["version"]
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["govuk-frontend"]
    assert version == pinned
    return components_used()


def test_the_components_we_use_include_our_widgets_and_layouts(used: set[str]) -> None:
    assert set(widget_templates()) >= {"radios", "character-count", "textarea", "input"}
    assert used >= {
        "button",
        "error-summary",
        "skip-link",
        "back-link",
        "radios",
        "checkboxes",
        "character-count",
        "textarea",
        "label",
        "hint",
        "fieldset",
        "error-message",
    }
    assert all((FIXTURES / name / "fixtures.json").exists() for name in used)


def test_every_fixture_of_every_component_we_use_renders_the_same_through_our_environment(
    app: Flask, used: set[str]
) -> None:
    """Our environment's `indent` and imports against stock Jinja's, on every fixture."""
    stock = stock_environment()
    compared = 0
    for name in sorted(used):
        for fixture in fixtures_of(name):
            params = fixture["options"]
            expected = outcome(plain_macro, stock, name, params)
            assert expected[0] == "html", (name, fixture["name"], expected)
            assert outcome(plain_macro, app.jinja_env, name, params) == expected, (
                name,
                fixture["name"],
            )
            compared += 1
    assert compared > 300


@pytest.fixture
def request_in(app: Flask) -> Iterator[Any]:
    cache = app.extensions[render_cache.EXTENSION]
    cache.clear()
    with app.test_request_context("/cy/"):
        yield cache
    cache.clear()


def test_every_fixture_of_our_widgets_and_kept_components_is_the_same_from_the_cache(
    app: Flask, used: set[str], request_in: Any
) -> None:
    """A miss and then a hit, against the plain macro (the widgets through their
    govuk-frontend-wtf template, as before)."""
    stock = stock_environment()
    compared = 0
    for name, template in sorted(widget_templates().items()):
        for fixture in fixtures_of(name):
            params = fixture["options"]
            expected = outcome(plain_widget, stock, template, params)
            assert expected[0] == "html", (name, fixture["name"], expected)
            for attempt in ("miss", "hit"):
                got = outcome(render_widget, template, params)
                assert got == expected, (name, fixture["name"], attempt)
                compared += 1
    for name in sorted(COMPONENTS):
        for fixture in fixtures_of(name):
            params = fixture["options"]
            expected = outcome(plain_macro, stock, name, params)
            assert expected[0] == "html", (name, fixture["name"], expected)
            for attempt in ("miss", "hit"):
                got = outcome(render_component, name, params)
                assert got == expected, (name, fixture["name"], attempt)
                compared += 1
    assert compared > 400
    assert request_in.hits > 150


def test_a_textareas_text_goes_in_afterwards_escaped_with_one_entry_for_every_text(
    app: Flask, request_in: Any
) -> None:
    stock = stock_environment()
    template = "govuk_frontend_wtf/charactercount.html"
    for text in ["", "plain", MARKUP_LIKE, "%{count} \x1e {{ value }}"]:
        params = {"id": "evidence", "name": "evidence", "label": {"text": "Evidence"}}
        params |= {"maxlength": 2000, "value": text}
        expected = stock.get_template(template).render(params=params)
        assert render_widget(template, params) == expected
    assert len(request_in) == 1
    assert "&lt;script&gt;" in render_widget(template, {**params, "value": MARKUP_LIKE})


# Every page, both ways -------------------------------------------------------------------------


def same(renders: list[str], what: Any) -> None:
    """All renders the same, or the first lines where they differ."""
    for other in renders[1:]:
        if other != renders[0]:
            diff = difflib.unified_diff(renders[0].splitlines(), other.splitlines(), lineterm="")
            raise AssertionError(f"{what}:\n" + "\n".join(list(diff)[:40]))


def masked(html: str) -> str:
    """The page without its CSRF tokens (signed with the time, so they differ by the second)
    and its charts' numbers (a counter that goes up with every chart drawn)."""
    return CHART_ID.sub("chart-title-(n)", CSRF.sub(r"\1(token)", html))


@dataclass
class RenderedBothWays(Pages):
    """Each page fetched with the cache off, on, and on again: byte for byte the same.

    After a first fetch, whose flashed messages (shown once) the others would not have."""

    app: Flask = field(default_factory=lambda: Flask(__name__))
    compared: int = 0

    def save(self, name: str, client: FlaskClient, url: str, status: int = 200) -> str:
        self.fetch(client, url, status, True)
        renders = [self.fetch(client, url, status, cached) for cached in (False, True, True)]
        same(renders, (name, url))
        self.compared += 1
        return self.save_html(name, url, renders[0])

    def fetch(self, client: FlaskClient, url: str, status: int, cached: bool) -> str:
        self.app.config["RENDER_CACHE"] = cached
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return masked(response.get_data(as_text=True))

    def post(self, client: FlaskClient, url: str, data: dict[str, str], status: int) -> str:
        renders = []
        for cached in (False, True, True):
            self.app.config["RENDER_CACHE"] = cached
            response = client.post(url, data=data)
            assert response.status_code == status, (url, response.status_code)
            renders.append(masked(response.get_data(as_text=True)))
        same(renders, url)
        self.compared += 1
        return renders[0]


@pytest.fixture
def both_ways(app: Flask, tmp_path: Path) -> Iterator[RenderedBothWays]:
    pages = RenderedBothWays(tmp_path, app=app)
    try:
        yield pages
    finally:
        app.config["RENDER_CACHE"] = True


def test_every_page_type_is_the_same_with_the_cache_on_and_off(
    app: Flask, directory: Directory, both_ways: RenderedBothWays
) -> None:
    every_page_type(app, directory, both_ways)
    assert both_ways.compared > 110


def test_error_states_and_a_conflict_with_markup_like_text_are_the_same_both_ways(
    app: Flask, directory: Directory, both_ways: RenderedBothWays
) -> None:
    school = directory.school()
    directory.user(email="lead@school.example", school=school, lead=True)
    directory.user(email="colleague@school.example", school=school, name="Rhys Evans")
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, "lead@school.example")
    sign_in(theirs, "colleague@school.example")
    write_plan(theirs, YEAR)
    long_text = "x" * 2001
    for lang in ("en", "cy"):
        base = f"/{lang}/plan/{YEAR}"
        # Field errors, a text over the limit, and markup-like text sent back in the fields.
        both_ways.post(
            mine,
            f"{base}/hallmark-3",
            {"revision": "x", "evidence": long_text, "next_steps": MARKUP_LIKE},
            200,
        )
        both_ways.post(
            mine, f"{base}/about-your-school", {"pl_lead": MARKUP_LIKE, "revision": "x"}, 200
        )
        both_ways.post(mine, f"{base}/context-school", {"reflection": "", "revision": "x"}, 200)
        both_ways.post(mine, f"{base}/funding-plan/lines/new", {"amount": MARKUP_LIKE}, 200)
        both_ways.post(
            app.test_client(), f"/{lang}/sign-in", {"email": MARKUP_LIKE, "password": ""}, 200
        )
        # A 409: their save came first; mine, with markup-like text, is shown back to me.
        stale = {
            "revision": "0",
            "rating": "developing",
            "evidence": MARKUP_LIKE,
            "next_steps": f"{MARKUP_LIKE}\n\n  indented\n",
        }
        conflict = both_ways.post(mine, f"{base}/hallmark-2?return_to=check", stale, 409)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;" in conflict
        assert "<script>alert(1)" not in conflict


def test_wtforms_messages_are_flask_wtfs_from_a_catalogue_read_once(app: Flask) -> None:
    from flask_wtf.i18n import translations as flask_wtfs

    from wizard.web.forms import _WTFORMS_TRANSLATIONS, _wtforms_catalogue

    messages = ["Not a valid choice.", "This field is required.", "Invalid email address."]
    for lang in ("en", "cy"):
        with app.test_request_context(f"/{lang}/"):
            app.preprocess_request()
            for message in messages:
                assert _WTFORMS_TRANSLATIONS.gettext(message) == flask_wtfs.gettext(message)
            for n in (0, 1, 2, 3, 6, 11):
                args = ("Field must be at least %(min)d character long.",) * 2
                plural = "Field must be at least %(min)d characters long."
                assert _WTFORMS_TRANSLATIONS.ngettext(args[0], plural, n) == flask_wtfs.ngettext(
                    args[0], plural, n
                )
    with app.test_request_context("/cy/"):
        app.preprocess_request()
        assert _WTFORMS_TRANSLATIONS.gettext("Not a valid choice.") != "Not a valid choice."
    assert _wtforms_catalogue.cache_info().currsize >= 2
