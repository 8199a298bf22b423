"""The published list of schools and a local authority's clusters, uploaded in the browser (or
given to the command line): the preview, then apply all or nothing. Fixtures are made here in
the published layout, in both formats, with a rename, a closure and a school that moves
authority."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.spreadsheets import ods, published, xlsx
from wizard.data import administration
from wizard.data.audit import AuditAction
from wizard.data.database import db
from wizard.data.models import AuditEvent, Cluster, Plan, School

FORMATS: dict[str, Callable[..., bytes]] = {"xlsx": xlsx, "ods": ods}

# Gwynedd had: 6612001 (kept), 6612002 (renamed), 6612003 (closes: not in the list),
# 6612004 (moves to Conwy). Conwy had 6622001 (untouched by Gwynedd's administrator).
LIST = [
    (6612001, 661, "Gwynedd", "Ysgol Penrhos", "Ffordd", "LL53 7AA", "Primary", "Welsh Medium"),
    (
        6612002,
        661,
        "Gwynedd",
        "Ysgol Gynradd y Gader",
        "Stryd",
        "LL40 1AB",
        "Primary",
        "Welsh Medium",
    ),
    (6612004, 662, "Conwy", "Ysgol Bro Eryri", "Lôn", "LL55 4AC", "Secondary", "Dual Stream"),
    (6612005, 661, "Gwynedd", "Ysgol Newydd", "Heol", "LL46 2AD", "Primary", "English Medium"),
]
WELSH = [("School Number", "Welsh Name"), (6612005, "Ysgol Newydd Sbon")]


@pytest.fixture
def gwynedd(directory: Directory) -> dict[str, int]:
    authority = directory.authority("gwynedd")
    cluster = directory.cluster("Arfon", "gwynedd")
    ids = {}
    for number, name in (
        ("6612001", "Ysgol Penrhos"),
        ("6612002", "Ysgol y Gader"),
        ("6612003", "Ysgol Gau"),
        ("6612004", "Ysgol Bro Eryri"),
    ):
        ids[number] = directory.school(name, None, cluster=cluster, number=number).id
    directory.school("Conwy School", None, number="6622001", code="conwy")
    directory.user("admin@gwynedd.example", authority_admin=authority)
    directory.user("national@gov.example", admin=True)
    # The school that closes has a plan: it is kept.
    db.session.add(Plan(school_id=ids["6612003"], academic_year=2026))
    db.session.commit()
    return ids


def upload(client: FlaskClient, content: bytes, name: str, welsh: bytes | None = None) -> str:
    data = {"schools_file": (io.BytesIO(content), name)}
    if welsh is not None:
        data["welsh_file"] = (io.BytesIO(welsh), "welsh.xlsx")
    response = client.post("/en/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def school(number: str) -> School:
    found = db.session.scalar(select(School).where(School.school_number == number))
    assert found is not None
    db.session.refresh(found)
    return found


@pytest.mark.parametrize("kind", FORMATS)
def test_an_authority_administrator_previews_then_applies_the_published_list(
    client: FlaskClient, gwynedd: dict[str, int], kind: str
) -> None:
    make = FORMATS[kind]
    sign_in(client, "admin@gwynedd.example")
    preview_url = upload(client, make(published(LIST)), f"list.{kind}", make([("Cymraeg", WELSH)]))
    page = client.get(preview_url)
    assert page.status_code == 200
    text = soup(page).get_text(" ", strip=True)
    assert "Ysgol Newydd" in text and "Ysgol Gynradd y Gader" in text and "Ysgol Gau" in text
    # Nothing has changed yet, and the preview survives another request (no JavaScript).
    assert school("6612002").name_en == "Ysgol y Gader"
    assert client.get(preview_url).status_code == 200
    applied = client.post(preview_url)
    assert applied.status_code == 302
    assert school("6612002").name_en == "Ysgol Gynradd y Gader"
    assert school("6612003").closed_on == date.today()
    assert school("6612004").local_authority.code == "conwy"
    new = school("6612005")
    assert (new.name_en, new.name_cy, new.local_authority.code) == (
        "Ysgol Newydd",
        "Ysgol Newydd Sbon",
        "gwynedd",
    )
    assert new.welsh_medium_type == "English Medium" and new.sector == "Primary"
    # Closed, never deleted: its plan is kept. Conwy's own school is not Gwynedd's to close.
    assert db.session.scalar(select(Plan).where(Plan.school_id == gwynedd["6612003"]))
    assert school("6622001").closed_on is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SCHOOLS_IMPORTED.value)
    )
    assert event is not None and event.detail["closed"] == 1 and event.detail["moved"] == 1
    # The upload is used up: its preview says so on the schools page.
    again = client.get(preview_url)
    assert again.status_code == 302 and again.headers["Location"] == "/en/admin/schools"
    history = client.get("/cy/admin/history")
    assert history.status_code == 200


@pytest.mark.parametrize("kind", FORMATS)
def test_a_bad_row_changes_nothing_and_is_named_by_sheet_row_and_column(
    client: FlaskClient, gwynedd: dict[str, int], kind: str
) -> None:
    bad = [*LIST, ("66120", 661, "Gwynedd", "Ysgol Drwg", "", "", "Primary", "")]
    sign_in(client, "national@gov.example")
    preview_url = upload(client, FORMATS[kind](published(bad)), f"bad.{kind}")
    page = client.get(preview_url)
    text = soup(page).get_text(" ", strip=True)
    # The title row, a blank row and the header come first: the fifth data row is row 8.
    assert "Sheet “Maintained”, row 8, column “School Number”" in text
    assert not soup(page).find("button", string=re.compile("Apply"))
    refused = client.post(preview_url)
    assert refused.status_code == 400
    assert school("6612002").name_en == "Ysgol y Gader"
    assert school("6612003").closed_on is None
    assert db.session.scalar(select(School).where(School.school_number == "6612005")) is None


def test_a_failure_while_applying_rolls_everything_back(
    app: Flask, client: FlaskClient, gwynedd: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, "national@gov.example")
    preview_url = upload(client, xlsx(published(LIST)), "list.xlsx")
    real = administration.record

    def failing(action: AuditAction, **kwargs: object) -> None:
        if action is AuditAction.SCHOOLS_IMPORTED:
            raise RuntimeError("the database went away")
        real(action, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(administration, "record", failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.post(preview_url).status_code == 500
    db.session.rollback()
    assert school("6612002").name_en == "Ysgol y Gader"
    assert school("6612003").closed_on is None
    assert db.session.scalar(select(School).where(School.school_number == "6612005")) is None


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly_in_welsh(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example", lang="cy")
    preview_url = upload(client, b"PK\x03\x04not really a zip", "list.xlsx")
    page = client.get(preview_url.replace("/en/", "/cy/"))
    assert page.status_code == 200
    assert soup(page).find(class_="govuk-error-summary")
    missing = client.post("/cy/admin/import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400


def test_an_upload_larger_than_the_limit_is_refused(
    make_app: Callable[..., Flask], gwynedd: dict[str, int]
) -> None:
    small = make_app(IMPORT_MAX_BYTES=1000)
    client = small.test_client()
    sign_in(client, "admin@gwynedd.example")
    response = client.post(
        "/en/admin/import",
        data={"schools_file": (io.BytesIO(b"x" * 5000), "big.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_clusters_from_a_csv_previewed_and_applied_with_each_move_recorded(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example")
    csv = (
        b"School Number,Cluster Name (English),Cluster Name (Welsh)\n"
        b"6612001,Meirionnydd cluster,Clwstwr Meirionnydd\n"
        b"6612002,Arfon,Clwstwr Arfon\n"
    )
    response = client.post(
        "/en/admin/clusters/import",
        data={"clusters_file": (io.BytesIO(csv), "clusters.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    text = soup(client.get(preview_url)).get_text(" ", strip=True)
    assert "Meirionnydd cluster" in text
    assert client.post(preview_url).status_code == 302
    moved = school("6612001")
    assert moved.cluster is not None and moved.cluster.name_cy == "Clwstwr Meirionnydd"
    moves = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SCHOOL_MOVED_CLUSTER.value)
    ).all()
    assert [m.detail["school"] for m in moves] == ["6612001"]
    arfon = db.session.scalar(select(Cluster).where(Cluster.name_en == "Arfon"))
    assert arfon is not None and arfon.name_cy == "Clwstwr Arfon"


def test_a_cluster_file_naming_another_authoritys_school_changes_nothing(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example")
    csv = b"6612001,Meirionnydd cluster,Clwstwr Meirionnydd\n6622001,Arfon,Clwstwr Arfon\n"
    response = client.post(
        "/en/admin/clusters/import",
        data={"clusters_file": (io.BytesIO(csv), "clusters.csv")},
        content_type="multipart/form-data",
    )
    preview_url = response.headers["Location"]
    text = soup(client.get(preview_url)).get_text(" ", strip=True)
    assert "row 2" in text and "6622001" in text
    assert client.post(preview_url).status_code == 400
    assert school("6612001").cluster.name_en == "Arfon"  # type: ignore[union-attr]


def test_the_command_line_previews_and_applies_the_same_list(
    app: Flask, gwynedd: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "list.ods"
    path.write_bytes(ods(published(LIST)))
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["import-school-list", str(path), "--authority", "gwynedd"])
    assert shown.exit_code == 0, shown.output
    assert "1 new, 1 renamed, 1 moved authority, 1 closed" in shown.output
    assert school("6612003").closed_on is None
    applied = runner.invoke(
        args=["import-school-list", str(path), "--authority", "gwynedd", "--apply"]
    )
    assert applied.exit_code == 0, applied.output
    assert school("6612003").closed_on == date.today()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(published([("x", 661, "Gwynedd", "", "", "", "", "")])))
    refused = runner.invoke(args=["import-school-list", str(bad), "--apply"])
    assert refused.exit_code != 0
    assert "sheet 'Maintained', row 4, column 'School Number'" in refused.output


def test_the_demo_sample_files_import_for_gwynedds_administrator(
    client: FlaskClient, directory: Directory
) -> None:
    directory.user("admin@gwynedd.example", authority_admin=directory.authority("gwynedd"))
    sign_in(client, "admin@gwynedd.example")
    root = Path(__file__).resolve().parents[2] / "docs" / "demo"
    preview_url = upload(
        client,
        (root / "address-list-of-schools-gwynedd.xlsx").read_bytes(),
        "address-list-of-schools-gwynedd.xlsx",
    )
    text = soup(client.get(preview_url)).get_text(" ", strip=True)
    assert "Ysgol Uwchradd Dyffryn Ogwen" in text
    assert "Glan Conwy" not in text


def test_the_administration_pages_cost_the_same_queries_for_two_schools_or_twenty(
    client: FlaskClient, directory: Directory, count_queries: Callable[..., Any]
) -> None:
    gwynedd = directory.authority("gwynedd")
    cluster = directory.cluster("Arfon", "gwynedd")
    directory.user("admin@gwynedd.example", authority_admin=gwynedd)
    directory.user("coord@gwynedd.example", coordinator_of=[cluster])
    sign_in(client, "admin@gwynedd.example")
    pages = ("/cy/admin/schools", "/cy/admin/clusters", f"/cy/admin/clusters/{cluster.id}")

    def counts() -> list[int]:
        found = []
        for url in pages:
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            found.append(counted.total)
        return found

    for n in range(2):
        directory.school(f"Ysgol {n}", None, cluster=cluster, number=f"661300{n}")
    few = counts()
    for n in range(2, 20):
        school = directory.school(f"Ysgol {n}", None, cluster=cluster, number=f"66130{n:02d}")
        directory.user(f"lead{n}@gwynedd.example", school=school, lead=True)
    assert counts() == few
