"""A submitted version's PDF and Word file are looked up in the cache before anything is
rendered (issue 31): the key is the version's content, its number, what the file shows besides
it (the plan's staff voice for the PDF, last year's latest year-end review for the Word file),
the language and the code, so a kept file costs no summary, no HTML and no digest of it; and
anything the file shows that changes makes it again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.html import soup
from tests.plans import write_plan
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.web.views import documents

YEAR = year_slug(academic_year_of(date.today()))


@pytest.fixture
def renders(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each summary worked out for a PDF or a Word file, by language (WeasyPrint and the Word
    writer skipped: the bytes say which language and which render they came from)."""
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "cache"))
    made: list[str] = []
    real = documents.summary_context

    def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made.append("summary")
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "summary_context", counted)
    monkeypatch.setattr(
        documents, "bounded_render", lambda html: f"%PDF {len(made)} {html[:60]}".encode()
    )
    monkeypatch.setattr(
        documents, "render_docx", lambda context, words: f"DOCX {len(made)}".encode()
    )
    yield made


def submit(client: FlaskClient) -> None:
    write_plan(client, YEAR)
    assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_kept_file_is_sent_without_working_out_the_summary(
    lead_client: FlaskClient, renders: list[str], count_queries: Any, kind: str
) -> None:
    submit(lead_client)
    first = lead_client.get(f"/en/plan/{YEAR}/versions/1.{kind}")
    assert first.status_code == 200 and renders == ["summary"]
    with count_queries() as counted:
        again = lead_client.get(f"/en/plan/{YEAR}/versions/1.{kind}")
    assert again.get_data() == first.get_data() and renders == ["summary"]
    # The user, the version, and what the file shows besides the version: the staff voice's
    # latest round (PDF) or last year's latest year-end review (Word).
    assert counted.total == 3, counted
    welsh = lead_client.get(f"/cy/plan/{YEAR}/versions/1.{kind}")
    assert welsh.get_data() != first.get_data() and len(renders) == 2
    # The summary's download of the submitted plan is the same kept file.
    assert lead_client.get(f"/en/plan/{YEAR}/summary.{kind}").get_data() == first.get_data()
    assert len(renders) == 2


def test_a_new_staff_voice_round_and_its_responses_make_the_pdf_again(
    app: Flask, lead_client: FlaskClient, renders: list[str]
) -> None:
    submit(lead_client)
    url = f"/en/plan/{YEAR}/versions/1.pdf"
    lead_client.get(url)
    lead_client.get(url)
    assert len(renders) == 1
    closes = date.today() + timedelta(days=14)
    opened = lead_client.post(
        f"/en/plan/{YEAR}/staff-voice",
        data={
            "closes_day": str(closes.day),
            "closes_month": str(closes.month),
            "closes_year": str(closes.year),
        },
    )
    assert opened.status_code == 200
    link = soup(opened).find(id="new-staff-voice-link")["href"]
    lead_client.get(url)
    assert len(renders) == 2  # the summary says a round is open
    token = link.rsplit("/", 1)[-1]
    responder = app.test_client()
    saved = responder.post(
        f"/en/staff-voice/{token}",
        data={f"hallmark_{n}": "established" for n in range(1, 9)},
    )
    assert saved.status_code == 302
    lead_client.get(url)
    assert len(renders) == 3  # and how many have responded
    lead_client.get(url)
    assert len(renders) == 3


def test_last_years_year_end_review_is_part_of_the_word_files_key(
    lead_client: FlaskClient, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(lead_client)
    url = f"/en/plan/{YEAR}/versions/1.docx"
    lead_client.get(url)
    lead_client.get(url)
    assert len(renders) == 1
    monkeypatch.setattr(documents.year_end_service, "latest_version_id", lambda *school: 7)
    lead_client.get(url)
    lead_client.get(url)
    assert len(renders) == 2
