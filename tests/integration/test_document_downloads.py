"""Downloads of what never changes, and of a whole cluster (issue 26, points 5 and 6).

A submitted version's Word file, like its PDF, is made once per language and kept: later
downloads (from the summary, the versions, a share link, the coordinator's view, the cluster's
ZIP) are the kept bytes, which are the bytes a fresh render gives. The draft's is made on each
request, in a render slot: with none free, the page says (in its language) to try again.

A cluster's coordinator (and a national administrator) downloads one ZIP of every school's
latest submitted plan, as PDFs or Word files in either language, sent as it is made, each file
named after its school (Welsh letters kept; nothing a file system refuses)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import Directory
from tests.downloads import DOCX, own_cache, readers, schools_and_leads, unzip
from tests.html import heading, soup
from tests.html import text as text_of
from tests.plans import write_plan
from wizard.domain.academic_year import academic_year_of, year_slug
from wizard.render import pdf
from wizard.render.archive import safe_file_name, unique_names
from wizard.web.views import documents

YEAR = year_slug(academic_year_of(date.today()))
BUSY = {
    "en": ("Sorry, the service is busy", "Wait a few seconds"),
    "cy": ("Mae'n ddrwg gennym, mae'r gwasanaeth yn brysur", "Arhoswch ychydig eiliadau"),
}


@pytest.fixture
def cache(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return own_cache(app, tmp_path, monkeypatch)


@pytest.fixture
def word_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Word file written, counted (and written for real)."""
    made: list[str] = []
    real = documents.render_docx

    def counted(context: Any, words: Any) -> bytes:
        made.append(str(context["school_name"]))
        return real(context, words)

    monkeypatch.setattr(documents, "render_docx", counted)
    return made


def submit(client: FlaskClient, lang: str = "en") -> None:
    write_plan(client, YEAR, lang=lang)
    assert client.post(f"/{lang}/plan/{YEAR}/submit").status_code == 302


def test_a_submitted_versions_word_file_is_made_once_per_language_and_kept(
    lead_client: FlaskClient, cache: Path, word_renders: list[str]
) -> None:
    submit(lead_client)
    first = lead_client.get(f"/en/plan/{YEAR}/versions/1.docx")
    assert first.status_code == 200 and first.mimetype == DOCX
    assert lead_client.get(f"/en/plan/{YEAR}/versions/1.docx").get_data() == first.get_data()
    # While submitted, the summary's Word file is that version's, from the same copy.
    assert lead_client.get(f"/en/plan/{YEAR}/summary.docx").get_data() == first.get_data()
    assert len(word_renders) == 1
    welsh = lead_client.get(f"/cy/plan/{YEAR}/versions/1.docx").get_data()
    assert welsh != first.get_data() and len(word_renders) == 2
    assert lead_client.get(f"/cy/plan/{YEAR}/versions/1.docx").get_data() == welsh
    assert len(word_renders) == 2
    kept = sorted(cache.glob("*.docx"))
    assert len(kept) == 2
    # The kept bytes are what a fresh render gives.
    for path in kept:
        path.unlink()
    assert lead_client.get(f"/en/plan/{YEAR}/versions/1.docx").get_data() == first.get_data()
    assert lead_client.get(f"/cy/plan/{YEAR}/versions/1.docx").get_data() == welsh
    assert len(word_renders) == 4
    # Reopened, the draft's Word file is made on each request and never kept.
    assert lead_client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
    lead_client.get(f"/en/plan/{YEAR}/summary.docx")
    lead_client.get(f"/en/plan/{YEAR}/summary.docx")
    assert len(word_renders) == 6
    assert len(list(cache.glob("*.docx"))) == 2


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_with_every_render_slot_taken_the_drafts_word_file_is_a_busy_page(
    app: Flask, lead_client: FlaskClient, word_renders: list[str], lang: str
) -> None:
    write_plan(lead_client, YEAR, lang=lang)
    slots = pdf._process_slots(app.config["PDF_RENDERS_PER_PROCESS"])
    held = 0
    while slots.acquire(blocking=False):
        held += 1
    try:
        response = lead_client.get(f"/{lang}/plan/{YEAR}/summary.docx")
    finally:
        for _ in range(held):
            slots.release()
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert soup(response).html["lang"] == lang
    title, said = BUSY[lang]
    assert heading(response) == title
    assert said in text_of(soup(response).find("main"))
    assert word_renders == []
    assert lead_client.get(f"/{lang}/plan/{YEAR}/summary.docx").status_code == 200


def test_the_download_links_say_a_file_is_being_prepared(
    app: Flask, lead_client: FlaskClient
) -> None:
    write_plan(lead_client, YEAR)
    page = soup(lead_client.get(f"/cy/plan/{YEAR}/summary"))
    links = page.select("a[data-download]")
    hrefs = {link["href"] for link in links}
    assert f"/cy/plan/{YEAR}/summary.pdf" in hrefs and f"/cy/plan/{YEAR}/summary.docx" in hrefs
    for link in links:
        # A plain link (it works without JavaScript), with what to say while it waits.
        assert link.name == "a" and link["data-download-preparing"]
        assert "Yn paratoi" in link["data-download-preparing"]


# A cluster's ZIP -------------------------------------------------------------------------------


@dataclass
class Cluster:
    id: int
    coordinator: FlaskClient
    admin: FlaskClient
    other: FlaskClient


@pytest.fixture
def cluster(app: Flask, directory: Directory) -> Cluster:
    """The three schools of tests.downloads.SCHOOLS in a cluster: the first two have submitted their plans (the second twice),
    the third has only a draft."""
    west = directory.cluster("West")
    for index, (_, client) in enumerate(schools_and_leads(app, directory, west)):
        write_plan(client, YEAR)
        if index < 2:
            assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302
        if index == 1:
            assert client.post(f"/en/plan/{YEAR}/reopen").status_code == 302
            assert client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    return Cluster(west.id, *readers(app, directory, west))


def test_a_coordinator_downloads_every_schools_latest_submitted_plan_as_one_zip(
    cluster: Cluster, cache: Path
) -> None:
    url = f"/en/clusters/{cluster.id}/{YEAR}/plans.zip"
    response = cluster.coordinator.get(url)
    # Sent as it is made: no length is known beforehand.
    assert "Content-Length" not in response.headers
    files = unzip(response)
    # The schools that have submitted, in the order of their names; the draft is not there.
    assert list(files) == [
        f"Gower Gŵyr Bay School professional-learning-plan-{YEAR}-version-2-en.pdf",
        f"Oakfield Primary School professional-learning-plan-{YEAR}-version-1-en.pdf",
    ]
    for name, content in files.items():
        reader = PdfReader(io.BytesIO(content))
        assert reader.trailer["/Root"]["/Lang"] == "en", name
    # Each is the same file the coordinator's own download of that plan gives (from the cache).
    assert len(list(cache.glob("*.pdf"))) == 2
    again = unzip(cluster.coordinator.get(url))
    assert again == files


def test_the_zip_comes_as_word_files_in_welsh_for_coordinators_and_administrators(
    cluster: Cluster, cache: Path
) -> None:
    url = f"/cy/clusters/{cluster.id}/{YEAR}/plans.zip?format=docx"
    files = unzip(cluster.coordinator.get(url))
    assert list(files) == [
        f"Ysgol Bae Gŵyr Gower cynllun-dysgu-proffesiynol-{YEAR}-fersiwn-2-cy.docx",
        f"Ysgol Gynradd Oakfield cynllun-dysgu-proffesiynol-{YEAR}-fersiwn-1-cy.docx",
    ]
    for content in files.values():
        document = Document(io.BytesIO(content))
        assert document.core_properties.language == "cy-GB"
    assert unzip(cluster.admin.get(url)) == files
    assert cluster.other.get(url).status_code == 404
    assert cluster.coordinator.get(url.replace("docx", "odt")).status_code == 404


def test_school_names_are_made_safe_as_file_names() -> None:
    assert safe_file_name('Gower / Gŵyr: "Bay" School', "x") == "Gower Gŵyr Bay School"
    made = safe_file_name('../Gŵyr\\ / "Bay": <School>\x00', "school-1")
    assert made == "Gŵyr Bay School"
    assert safe_file_name("...", "school-7") == "school-7"
    assert len(safe_file_name("A" * 300, "x")) == 80
    assert unique_names(["A.pdf", "a.pdf", "A.pdf"]) == ["A.pdf", "a (2).pdf", "A (3).pdf"]
