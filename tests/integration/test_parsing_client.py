"""The test client's checks (tests/conftest.py ParsingClient) are made once per markup: a page
read again, with only its CSRF token changed, is not parsed again, and a page that differs in
anything else is; a page with problems is never taken as checked."""

from __future__ import annotations

from typing import Any

import html5lib
import pytest
from flask import Flask, render_template_string

from tests import conftest
from tests.conftest import CSRF_TOKEN, HtmlParseError, PageCheckError, markup_digest

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>{title} – Service</title>"
    "<meta name='csrf-token' content='{{{{ csrf_token() }}}}'></head>"
    "<body><h1>{title}</h1>{body}</body></html>"
)


@pytest.fixture
def pages(make_app: Any) -> Flask:
    """An app with pages made to order: /page/<name> serves PAGES[name]."""
    app: Flask = make_app()
    made = {
        "good": PAGE.format(title="Good", body="<p id='a'>Fine</p>"),
        "other": PAGE.format(title="Good", body="<p id='a'>Other words</p>"),
        "duplicate-ids": PAGE.format(title="Good", body="<p id='a'></p><p id='a'></p>"),
        "unclosed": PAGE.format(title="Good", body="<p id='a'>Fine</div>"),
    }
    app.add_url_rule(
        "/page/<name>", "page", lambda name: render_template_string(made[name]), methods=["GET"]
    )
    return app


def test_a_csrf_token_is_all_that_is_left_out_of_the_digest() -> None:
    token = "ImFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZCI.Z1RxAA.abcdefghijklmnopqrstuvwxyz0"
    other = "ImZmZmZmZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZCI.Z1RxBB.ABCDEFGHIJKLMNOPQRSTUVWXYZ1"
    assert CSRF_TOKEN.fullmatch(token.encode()) and CSRF_TOKEN.fullmatch(other.encode())
    page = "<p data-token='{}'>Words</p>"
    assert markup_digest(page.format(token).encode(), True) == markup_digest(
        page.format(other).encode(), True
    )
    assert markup_digest(b"<p>Words</p>", True) != markup_digest(b"<p>Word</p>", True)
    assert markup_digest(b"<p>Words</p>", True) != markup_digest(b"<p>Words</p>", False)


def test_a_page_read_again_is_checked_once_and_still_has_its_soup(
    pages: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []
    real = html5lib.HTMLParser

    def counted(*args: Any, **kwargs: Any) -> Any:
        parsed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(html5lib, "HTMLParser", counted)
    monkeypatch.setattr(conftest, "CLEAN_MARKUP", set())  # whatever this worker read before
    first, second = pages.test_client(), pages.test_client()
    one = first.get("/page/good")
    two = second.get("/page/good")  # another session: another CSRF token
    assert one.get_data() != two.get_data()
    assert len(parsed) == 1
    assert two.soup.find(id="a").get_text() == "Fine"  # type: ignore[attr-defined]
    first.get("/page/other")
    assert len(parsed) == 2


def test_a_page_with_problems_fails_however_often_a_clean_one_was_read(pages: Flask) -> None:
    client = pages.test_client()
    for _ in range(2):
        client.get("/page/good")
        with pytest.raises(PageCheckError, match="id='a'"):
            client.get("/page/duplicate-ids")
        with pytest.raises(HtmlParseError):
            client.get("/page/unclosed")


def test_a_response_that_is_not_html_has_no_soup(pages: Flask) -> None:
    response = pages.test_client().get("/static/css/pdf.css")
    assert response.mimetype == "text/css"
    assert not hasattr(response, "soup")
