"""Helpers for the tests of downloads kept once made (plans' and year-end reviews' files) and of
a cluster's ZIPs: a cache folder of the test's own, a cluster of three schools with their leads
and the people who read it, and a ZIP opened and checked."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from wizard.data.models import Cluster, School

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The cluster's schools: a name with a slash, a colon, quotes and a circumflex, to be made safe
# as a file name; one without a Welsh name.
SCHOOLS = [
    ("Oakfield Primary School", "Ysgol Gynradd Oakfield"),
    ('Gower / Gŵyr: "Bay" School', "Ysgol Bae Gŵyr / Gower"),
    ("Llanfair Secondary", None),
]


def own_cache(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (the app's own is put back afterwards)."""
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def schools_and_leads(
    app: Flask, directory: Directory, cluster: Cluster
) -> list[tuple[School, FlaskClient]]:
    """The SCHOOLS in the cluster, each with its lead (lead0@, lead1@, ...) signed in."""
    found = []
    for index, (name_en, name_cy) in enumerate(SCHOOLS):
        school = directory.school(name_en, name_cy, cluster=cluster)
        lead = directory.user(f"lead{index}@school.example", school=school, lead=True)
        client = app.test_client()
        sign_in(client, lead.email)
        found.append((school, client))
    return found


def readers(
    app: Flask, directory: Directory, cluster: Cluster
) -> tuple[FlaskClient, FlaskClient, FlaskClient]:
    """Signed in: the cluster's coordinator, a national administrator, and another cluster's
    coordinator."""
    directory.user("coord@la.example", coordinator_of=[cluster])
    directory.user("other@la.example", coordinator_of=[directory.cluster("East")])
    directory.user("admin@gov.example", admin=True)
    clients = []
    for email in ("coord@la.example", "admin@gov.example", "other@la.example"):
        client = app.test_client()
        sign_in(client, email)
        clients.append(client)
    coordinator, admin, other = clients
    return coordinator, admin, other


def unzip(response: Any) -> dict[str, bytes]:
    """A cluster's ZIP, sent as it is made (no length known beforehand), named plainly, each
    file whole: file name -> bytes, in the ZIP's order."""
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "Content-Length" not in response.headers
    assert re.fullmatch(
        r'attachment; filename="[a-z0-9.-]+\.zip"', response.headers["Content-Disposition"]
    )
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}
