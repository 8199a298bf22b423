"""An authority administrator's import stays inside their authority, and a school that moves
authority leaves its old cluster. Both found by a review of the import (regression tests)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.integration.test_administration_import import LIST, school, upload
from tests.integration.test_administration_import import gwynedd as gwynedd  # noqa: F401 (fixture)
from tests.spreadsheets import published, xlsx
from wizard.data.database import db
from wizard.data.models import Cluster

CONWY_SCHOOL_CLAIMED_BY_GWYNEDD = (
    6622001,
    661,
    "Gwynedd",
    "Conwy School renamed",
    "Stryd",
    "LL1 1AA",
    "Primary",
    "Welsh Medium",
)


def test_an_authority_administrator_cannot_pull_another_authoritys_school_in_by_import(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example")
    conwy = school("6622001")
    assert client.get(f"/en/admin/schools/{conwy.id}").status_code == 404
    url = upload(client, xlsx(published([*LIST, CONWY_SCHOOL_CLAIMED_BY_GWYNEDD])), "list.xlsx")
    preview = soup(client.get(url)).get_text(" ", strip=True)
    assert "Conwy School renamed" not in preview
    assert client.post(url).status_code == 302
    after = school("6622001")
    assert (after.local_authority.code, after.name_en) == ("conwy", "Conwy School")
    assert client.get(f"/en/admin/schools/{conwy.id}").status_code == 404
    # The rest of Gwynedd's list was applied.
    assert school("6612002").name_en == "Ysgol Gynradd y Gader"


def test_a_school_that_moves_authority_leaves_its_old_authoritys_cluster(
    client: FlaskClient, gwynedd: dict[str, int], directory: Directory
) -> None:
    arfon = db.session.scalar(select(Cluster).where(Cluster.name_en == "Arfon"))
    assert arfon is not None
    directory.user("coord@gwynedd.example", coordinator_of=[arfon])
    sign_in(client, "national@gov.example")
    url = upload(client, xlsx(published(LIST)), "list.xlsx")
    assert client.post(url).status_code == 302
    moved = school("6612004")
    assert moved.local_authority.code == "conwy" and moved.cluster is None
    assert school("6612001").cluster is not None  # staying in Gwynedd keeps the cluster
    history = soup(client.get("/en/admin/history")).get_text(" ", strip=True)
    assert "6612004" in history and "Arfon" in history
    client.post("/en/sign-out")
    sign_in(client, "coord@gwynedd.example")
    dashboard = client.get(f"/en/clusters/{arfon.id}")
    assert dashboard.status_code == 200
    assert "Ysgol Bro Eryri" not in dashboard.get_data(as_text=True)
