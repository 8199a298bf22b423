"""The checks the test client makes on every HTML page (tests/conftest.py), and a visit to the
pages that no other test opens, so that every page gets them."""

from __future__ import annotations

from datetime import date
from typing import Any

import html5lib
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm as Form
from sqlalchemy import select

from tests.conftest import page_problems, tree_problems
from tests.plans import complete_plan
from wizard.data.database import db
from wizard.data.models import OwnCard
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


def page(body: str, title: str = "Your plan – Service") -> BeautifulSoup:
    html = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return BeautifulSoup(html, "html.parser")


def test_a_good_page_passes() -> None:
    good = page('<h1>Your  plan</h1><form method="post" action="/x"></form><p id="a"></p>')
    assert page_problems(good, full_page=True) == []
    assert page_problems(page("<h1>Your plan</h1>", "Error: Your plan – Service"), True) == []


PROBLEMS = [
    ("<p>No heading</p>", "Your plan", "0 <h1> elements, not exactly one"),
    ("<h1>Your plan</h1><h1>Again</h1>", "Your plan", "2 <h1> elements, not exactly one"),
    ("<h1>Your plan</h1>", "Plan: Your plan", "title 'Plan: Your plan' does not begin"),
    ("<h1>Your plan</h1>", "Error: Error: Your plan", "title 'Error: Your plan' does not"),
    ('<h1>Your plan</h1><p id="a"></p><p id="a"></p>', "Your plan", "id='a'"),
    ('<h1>Your plan</h1><form method="POST"></form>', "Your plan", "a POST form has no"),
    ('<h1>Your plan</h1><form method="post" action=" ">', "Your plan", "a POST form has no"),
]


@pytest.mark.parametrize(("body", "title", "problem"), PROBLEMS)
def test_each_problem_is_found(body: str, title: str, problem: str) -> None:
    problems = page_problems(page(body, title), full_page=True)
    assert len(problems) == 1 and problem in problems[0], problems


def test_a_partial_needs_no_heading_but_unique_ids_and_form_actions() -> None:
    assert page_problems(BeautifulSoup('<div id="board"></div>', "html.parser"), False) == []
    partial = BeautifulSoup('<p id="b"></p><p id="b"></p><form method="post">', "html.parser")
    assert len(page_problems(partial, full_page=False)) == 2


def tree_of(html: str, full_page: bool) -> Any:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    return parser.parse(html) if full_page else parser.parseFragment(html)


@pytest.mark.parametrize(
    ("html", "full_page"),
    [
        (str(page('<h1>Your  plan</h1><form method="post" action="/x"></form>')), True),
        (str(page("<h1>Your plan</h1>", "Error: Your plan – Service")), True),
        (str(page("<h1>Your <b>plan</b><!-- a note --></h1>", "Your plan – Service")), True),
        (str(page("<h1>Your plan<!-- a note --></h1>", "Your plan a note")), True),
        (str(page('<svg id="s"><title>Chart</title></svg><h1>Your plan</h1>')), True),
        (str(page("<h1>Your plan</h1><template><h1>Again</h1></template>")), True),
        (str(page('<h1>Your plan</h1><form method="POST" action="">')), True),
        (str(page('<h1>Your plan</h1><p id="a"></p><p id="a"></p><p id=""></p>')), True),
        (str(page('<h1>Your plan</h1><svg><path id="a"/></svg><p id="a"></p>')), True),
        ('<div id="board"></div>', False),
        ('<p id="b"></p><p id="b"></p><form method="post"></form>', False),
        ('<form method="get"></form><form></form><h1>A</h1><h1>B</h1>', False),
    ]
    + [(str(page(body, title)), True) for body, title, _ in PROBLEMS],
)
def test_the_checks_on_html5libs_tree_find_what_the_soups_find(html: str, full_page: bool) -> None:
    """The client checks a page on the tree html5lib builds while parsing it (a soup is made
    only for a page a test reads): the same problems, whichever tree."""
    on_soup = page_problems(BeautifulSoup(html, "html.parser"), full_page)
    on_tree = tree_problems(tree_of(html, full_page), full_page)
    assert [problem[:25] for problem in on_tree] == [problem[:25] for problem in on_soup]


class _Form(Form):
    pass


def test_a_pages_one_form_is_passed_to_its_template_as_form(app: Flask) -> None:
    good = page("<h1>Your plan</h1>")
    with app.test_request_context():
        form = _Form()
        assert page_problems(good, True, [{"form": form, "title": "x"}]) == []
        # Several forms on one page are each named for what they do.
        assert page_problems(good, True, [{"comment_form": form, "review_form": _Form()}]) == []
        problems = page_problems(good, True, [{"start_form": form}])
    assert problems == ["the page's form is passed to its template as 'start_form', not `form`"]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_pages_no_other_test_opens(lead_client: FlaskClient, lang: str) -> None:
    """The client checks each page as it arrives; here we only make sure they are opened."""
    base = f"/{lang}/plan/{YEAR}"
    complete_plan(lead_client, YEAR, lang)
    lead_client.post(f"{base}/diamond-9/cards/new", data={"title_en": "Parents"})
    card = db.session.scalars(select(OwnCard)).one()
    for url in [
        f"{base}/diamond-9/cards/new",
        f"{base}/diamond-9/cards/{card.id}/delete",
        f"{base}/submit",
    ]:
        assert lead_client.get(url).status_code == 200, url
    submitted = lead_client.post(f"{base}/submit", follow_redirects=True)
    assert submitted.request.path == f"{base}/versions/1/submitted"
    assert submitted.status_code == 200
