"""Each page links the stylesheets that style it: every class a page uses that one of the built
stylesheets (app.css, pages.css, board.css) defines is defined in a sheet the page links. A step
links app.css alone (layouts/step.html), so a GOV.UK component a step can show must be in
app.css, not only in pages.css. Checked on every page type, and on the steps' states that
every_page_type does not reach: the over-allocation warning, the conflict page (409) and a step
sent back with errors."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.integration.test_html_validity import Pages, every_page_type
from tests.plans import ABOUT, revision, write_plan
from wizard.config import ROOT
from wizard.data.models import User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
# The stylesheets pages link (pdf.css is the PDF documents', which no page links).
SHEETS = ("app", "pages", "board")
# A linked sheet, by its plain name (css/app.css?v=...) or its fingerprinted one (css/app.<hash>.css).
LINKED = re.compile(r"/css/([a-z]+)(?:\.[0-9a-f]+)?\.css(?:\?|$)")
# What a rule or at-rule starts with: the text before each "{" (declarations never hold one).
PRELUDE = re.compile(r"[^{}]+(?=\{)")
QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
CLASS = re.compile(r"\.((?:[A-Za-z_-]|\\.)(?:[\w-]|\\.)*)")


def selector_classes(css: str) -> set[str]:
    """The class names the selectors of a stylesheet name (unescaped: `govuk-!-margin-0`)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: set[str] = set()
    for prelude in PRELUDE.findall(css):
        prelude = prelude.strip()
        if prelude.startswith("@"):  # @media, @supports...: their rules are preludes of their own
            continue
        for name in CLASS.findall(QUOTED.sub("", prelude)):
            found.add(re.sub(r"\\(.)", r"\1", name))
    return found


@cache
def defined() -> dict[str, frozenset[str]]:
    return {
        name: frozenset(selector_classes((ROOT / "static" / "css" / f"{name}.css").read_text()))
        for name in SHEETS
    }


def unlinked_classes(html: str) -> dict[str, list[str]]:
    """Classes the page uses that only sheets it does not link define -> those sheets."""
    page = BeautifulSoup(html, "html.parser")
    linked = set()
    for link in page.find_all("link", rel="stylesheet"):
        found = LINKED.search(str(link["href"]))
        if found is not None and found.group(1) in SHEETS:
            linked.add(found.group(1))
    assert "app" in linked, "every page links app.css"
    used = {name for tag in page.find_all(class_=True) for name in tag["class"]}
    sheets = defined()
    styled = set().union(*(sheets[name] for name in linked))
    return {
        name: [sheet for sheet in SHEETS if name in sheets[sheet]]
        for name in sorted(used - styled)
        if any(name in sheets[sheet] for sheet in SHEETS)
    }


def test_the_selectors_are_read_from_the_built_css() -> None:
    css = (
        "@media (min-width:40.0625em){.a-b,.c__d>.e--f:not(.g){margin:0}}.govuk-\\!-margin-0{x:1}"
        '/* .comment */a[href$=".pdf"]::after{content:".not-a-class"}@keyframes k{50.5%{top:0}}'
    )
    assert selector_classes(css) == {"a-b", "c__d", "e--f", "g", "govuk-!-margin-0"}
    sheets = defined()
    assert "govuk-!-margin-bottom-0" in sheets["app"]
    assert "govuk-table" in sheets["pages"] and "govuk-table" not in sheets["app"]
    page = (
        '<link rel="stylesheet" href="/static/css/app.0123abcd.css">'
        '<p class="govuk-body govuk-table app-unknown">x</p>'
    )
    assert unlinked_classes(page) == {"govuk-table": ["pages"]}


class Checked(Pages):
    """Every page type, each full page checked as it is saved."""

    problems: dict[str, dict[str, list[str]]]

    def save_html(self, name: str, url: str, html: str) -> str:
        if html.lstrip()[:9].lower() == "<!doctype":
            found = unlinked_classes(html)
            if found:
                self.problems[f"{name} {url}"] = found
        return super().save_html(name, url, html)


def test_every_page_type_links_the_stylesheets_of_the_classes_it_uses(
    app: Flask, directory: Directory, tmp_path: Path
) -> None:
    pages = Checked(tmp_path)
    pages.problems = {}
    every_page_type(app, directory, pages)
    assert len(pages.saved) > 110
    assert pages.problems == {}


def about(lang: str) -> str:
    return f"/{lang}/plan/{YEAR}/about-your-school"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_steps_warning_conflict_and_error_states_link_what_styles_them(
    app: Flask, directory: Directory, lead: User, lead_client: FlaskClient, lang: str
) -> None:
    write_plan(lead_client, YEAR)
    # An allocation below the planned funding: the step warns (plan/funding/over.html).
    over = {**ABOUT, "funding_allocation": "100"}
    saved = lead_client.post(
        about(lang), data={**over, "revision": revision(lead_client, about(lang))}
    )
    assert saved.status_code == 302
    warning = lead_client.get(about(lang))
    states = {"over-allocation warning": warning}
    # Sent back with errors, still over the allocation.
    states["errors"] = lead_client.post(
        about(lang),
        data={**over, "teaching_staff": "lots", "revision": revision(lead_client, about(lang))},
    )
    assert states["errors"].status_code == 200
    # A colleague saved the step and a hallmark after the lead opened them: the conflict pages.
    directory.user(email="colleague@school.example", school=lead.school, name="Rhys Evans")
    colleague = app.test_client()
    sign_in(colleague, "colleague@school.example")
    hallmark = f"/{lang}/plan/{YEAR}/hallmark-2"
    for name, url, data in (
        ("about conflict", about(lang), {**over, "teaching_staff": "31"}),
        (
            "hallmark conflict",
            hallmark,
            {"rating": "developing", "evidence": "E", "next_steps": "N"},
        ),
    ):
        stale = revision(lead_client, url)
        assert colleague.post(url, data={**data, "revision": stale}).status_code == 302
        states[name] = lead_client.post(url, data={**data, "evidence": "Mine", "revision": stale})
        assert states[name].status_code == 409, name
    problems = {}
    for name, response in states.items():
        html = response.get_data(as_text=True)
        assert "govuk-warning-text" in html or "conflict" in name, name
        found = unlinked_classes(html)
        if found:
            problems[name] = found
    assert problems == {}
