"""Bounded work (issue 22, point 5): what one request, one person or one school can make the
service do is bounded, each limit with a clear message in the page's language."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.html import heading, soup
from tests.html import text as text_of
from tests.plans import revision
from wizard.data.database import db
from wizard.data.models import PlanAnswer
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))


# Fields per request ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "said"),
    [
        ("en", "What you sent is too large", "more than 200 fields"),
        ("cy", "Mae'r hyn a anfonwyd gennych yn rhy fawr", "fwy na 200 maes"),
    ],
)
def test_a_form_with_more_fields_than_any_of_ours_is_refused(
    app: Flask, lead_client: FlaskClient, lang: str, title: str, said: str
) -> None:
    url = f"/{lang}/plan/{YEAR}/hallmark-2"
    form = {
        "rating": "developing",
        "evidence": "Learning walks",
        "next_steps": "Coaching",
        "revision": revision(lead_client, url),
    }
    padded = {**form, **{f"x{n}": "" for n in range(app.config["MAX_FORM_PARTS"])}}
    response = lead_client.post(url, data=padded)
    assert response.status_code == 413
    assert soup(response).html["lang"] == lang
    assert heading(response) == title
    assert said in text_of(soup(response).find("main"))
    with app.app_context():
        assert db.session.query(PlanAnswer).filter_by(step="hallmark-2").count() == 0
    # A form of a size ours have is read as usual.
    fewer = {**form, **{f"x{n}": "" for n in range(100)}}
    assert lead_client.post(url, data=fewer).status_code == 302
