"""A submitted year-end review's files for everyone who reads it (issue 26): its PDF and Word
file in either language from the school's version page and the coordinator's view, made once
per version and language and kept (a kept copy is a fresh render's bytes), and a cluster's ZIP
of every school's latest submitted review."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import Directory
from tests.downloads import DOCX, own_cache, readers, schools_and_leads, unzip
from tests.html import soup
from tests.html import text as text_of
from tests.year_end import LAST, LAST_SLUG, fill_review, review_url, submit_review, submitted_plan
from wizard.domain.academic_year import year_slug
from wizard.render import pdf
from wizard.web.views import year_end as year_end_views


@dataclass
class Cluster:
    id: int
    leads: list[FlaskClient]
    school_ids: list[int]
    coordinator: FlaskClient
    admin: FlaskClient
    other: FlaskClient


@pytest.fixture
def cache(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return own_cache(app, tmp_path, monkeypatch)


@pytest.fixture
def cluster(app: Flask, directory: Directory, cache: Path) -> Cluster:
    """The three schools of tests.downloads.SCHOOLS with last year's plan submitted: the first two have submitted its
    year-end review (the second twice: reopened, submitted again, then reopened as a draft),
    the third has not."""
    west = directory.cluster("West")
    leads, ids = [], []
    for index, (school, client) in enumerate(schools_and_leads(app, directory, west)):
        submitted_plan(client)
        if index < 2:
            fill_review(client, spent="640" if index == 0 else "650")
            submit_review(client)
        if index == 1:
            assert client.post(review_url("en", "/reopen")).status_code == 302
            submit_review(client)
            assert client.post(review_url("en", "/reopen")).status_code == 302
        leads.append(client)
        ids.append(school.id)
    return Cluster(west.id, leads, ids, *readers(app, directory, west))


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every PDF and Word file of a review rendered, counted (and rendered for real)."""
    made: list[str] = []
    real_docx, real_pdf = year_end_views.render_year_end_docx, pdf.render_pdf

    def docx(context: Any) -> bytes:
        made.append("docx")
        return real_docx(context)

    def pdf_of(html: str) -> bytes:
        made.append("pdf")
        return real_pdf(html)

    monkeypatch.setattr(year_end_views, "render_year_end_docx", docx)
    monkeypatch.setattr(pdf, "render_pdf", pdf_of)
    return made


def coordinator_url(cluster: Cluster, lang: str, path: str = "", school: int = 0) -> str:
    school_id = cluster.school_ids[school]
    return f"/{lang}/clusters/{cluster.id}/schools/{school_id}/{LAST_SLUG}/year-end{path}"


def downloads(page: Any) -> dict[tuple[str, str], str]:
    """The page's links to the review's files: (kind, language) -> href."""
    found = {}
    for link in page.select("main a[data-download]"):
        kind = "docx" if link["href"].endswith(".docx") else "pdf"
        assert link["data-download-preparing"], link
        found[kind, link["hreflang"]] = link["href"]
    return found


def test_the_review_is_downloaded_in_either_language_wherever_it_is_shown(
    cluster: Cluster,
) -> None:
    lead = cluster.leads[0]
    page = soup(lead.get(review_url("cy", "/versions/1")))
    assert downloads(page) == {
        ("pdf", "en"): review_url("en", "/versions/1/review.pdf"),
        ("pdf", "cy"): review_url("cy", "/versions/1/review.pdf"),
        ("docx", "en"): review_url("en", "/versions/1/review.docx"),
        ("docx", "cy"): review_url("cy", "/versions/1/review.docx"),
    }
    words = [text_of(link) for link in page.select("main a[data-download]")]
    assert "Lawrlwytho'r adolygiad diwedd blwyddyn fel PDF yn Gymraeg" in words
    page = soup(cluster.coordinator.get(coordinator_url(cluster, "en")))
    assert downloads(page) == {
        (kind, lang): coordinator_url(cluster, lang, f"/review.{kind}")
        for kind in ("pdf", "docx")
        for lang in ("en", "cy")
    }
    # The Word file in Welsh, for the coordinator.
    response = cluster.coordinator.get(coordinator_url(cluster, "cy", "/review.docx"))
    assert response.status_code == 200 and response.mimetype == DOCX
    assert re.fullmatch(
        rf'attachment; filename="adolygiad-diwedd-blwyddyn-{LAST_SLUG}-1-cy.docx"',
        response.headers["Content-Disposition"],
    )
    document = Document(io.BytesIO(response.get_data()))
    assert document.core_properties.language == "cy-GB"
    assert document.paragraphs[0].style.name.startswith(("Title", "Heading"))
    # Another cluster's coordinator finds nothing.
    assert cluster.other.get(coordinator_url(cluster, "cy", "/review.docx")).status_code == 404


def test_each_file_is_made_once_per_version_and_language_for_school_and_coordinator(
    app: Flask, cluster: Cluster, renders: list[str]
) -> None:
    lead = cluster.leads[0]
    school_docx = lead.get(review_url("cy", "/versions/1/review.docx"))
    assert school_docx.status_code == 200 and renders == ["docx"]
    # The coordinator's copy of the latest version is the school's kept file.
    coordinator_docx = cluster.coordinator.get(coordinator_url(cluster, "cy", "/review.docx"))
    assert coordinator_docx.get_data() == school_docx.get_data()
    assert renders == ["docx"]
    first_pdf = cluster.coordinator.get(coordinator_url(cluster, "en", "/review.pdf"))
    assert first_pdf.status_code == 200 and renders == ["docx", "pdf"]
    assert PdfReader(io.BytesIO(first_pdf.get_data())).trailer["/Root"]["/Lang"] == "en"
    assert lead.get(review_url("en", "/versions/1/review.pdf")).get_data() == first_pdf.get_data()
    assert cluster.coordinator.get(coordinator_url(cluster, "en", "/review.pdf")).get_data() == (
        first_pdf.get_data()
    )
    assert renders == ["docx", "pdf"]
    # Welsh is a file of its own.
    welsh = cluster.coordinator.get(coordinator_url(cluster, "cy", "/review.pdf"))
    assert PdfReader(io.BytesIO(welsh.get_data())).trailer["/Root"]["/Lang"] == "cy"
    assert renders == ["docx", "pdf", "pdf"]
    # A kept Word file is byte for byte what a fresh render gives.
    with app.app_context():
        assert pdf.clear_pdf_cache() == 3
    fresh = cluster.coordinator.get(coordinator_url(cluster, "cy", "/review.docx"))
    assert fresh.get_data() == school_docx.get_data()
    assert renders == ["docx", "pdf", "pdf", "docx"]


def test_a_cluster_zip_of_every_schools_latest_submitted_review(
    cluster: Cluster, cache: Path, renders: list[str]
) -> None:
    # The dashboard links to both ZIPs.
    dashboard = soup(cluster.coordinator.get(f"/en/clusters/{cluster.id}?year={LAST_SLUG}"))
    hrefs = {link["href"] for link in dashboard.select("main a[data-download]")}
    base = f"/en/clusters/{cluster.id}/{LAST_SLUG}/reviews.zip"
    assert {base, base + "?format=docx"} <= hrefs
    files = unzip(cluster.coordinator.get(base))
    # The schools with a submitted review, in the order of their names; the second school's
    # is its version 2 (version 3 is a draft); the third school has none.
    assert list(files) == [
        f"Gower Gŵyr Bay School year-end-review-{LAST_SLUG}-version-2-en.pdf",
        f"Oakfield Primary School year-end-review-{LAST_SLUG}-version-1-en.pdf",
    ]
    for name, content in files.items():
        reader = PdfReader(io.BytesIO(content))
        assert reader.trailer["/Root"]["/Lang"] == "en", name
    assert "£650.00" in "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(files[f"Gower Gŵyr Bay School year-end-review-{LAST_SLUG}-version-2-en.pdf"])
        ).pages
    )
    assert renders == ["pdf", "pdf"]
    # Each is the school's own kept file: the second ZIP renders nothing.
    assert unzip(cluster.coordinator.get(base)) == files
    assert (
        cluster.leads[0].get(review_url("en", "/versions/1/review.pdf")).get_data()
        == (files[f"Oakfield Primary School year-end-review-{LAST_SLUG}-version-1-en.pdf"])
    )
    assert renders == ["pdf", "pdf"]


def test_the_review_zip_as_word_files_in_welsh_for_coordinators_and_administrators(
    cluster: Cluster,
) -> None:
    url = f"/cy/clusters/{cluster.id}/{LAST_SLUG}/reviews.zip?format=docx"
    files = unzip(cluster.coordinator.get(url))
    assert list(files) == [
        f"Ysgol Bae Gŵyr Gower adolygiad-diwedd-blwyddyn-{LAST_SLUG}-fersiwn-2-cy.docx",
        f"Ysgol Gynradd Oakfield adolygiad-diwedd-blwyddyn-{LAST_SLUG}-fersiwn-1-cy.docx",
    ]
    for content in files.values():
        assert Document(io.BytesIO(content)).core_properties.language == "cy-GB"
    assert unzip(cluster.admin.get(url)) == files
    assert cluster.other.get(url).status_code == 404
    assert cluster.coordinator.get(url.replace("docx", "odt")).status_code == 404
    # A year without reviews is an empty ZIP, not an error.
    empty = unzip(cluster.coordinator.get(url.replace(LAST_SLUG, year_slug(LAST + 1))))
    assert empty == {}
