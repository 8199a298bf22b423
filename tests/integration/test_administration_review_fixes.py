"""The administration pages, after a review (regression tests): a file of clusters longer than
Wales has schools is refused by name (on PostgreSQL it answered 503 on every preview: one IN
with every number went over the 65,535 parameters a statement takes); an import applied twice
(a second click, or back and Apply again) says so on the page of what it changed, rather than
“page not found”."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Directory, sign_in
from tests.html import error_summary, heading, soup, text, title
from tests.integration.test_administration_import import LIST, school, upload
from tests.integration.test_administration_import import gwynedd as gwynedd  # noqa: F401 (fixture)
from tests.spreadsheets import published, xlsx
from wizard.data import administration
from wizard.data.database import db
from wizard.data.models import Invitation, User
from wizard.domain.school_list import MAX_CLUSTER_ROWS

CLUSTERS_HEADER = "School Number,Cluster Name (English),Cluster Name (Welsh)\n"


def _upload_clusters(client: FlaskClient, body: bytes, lang: str = "en") -> str:
    response = client.post(
        f"/{lang}/admin/clusters/import",
        data={"clusters_file": (io.BytesIO(body), "clusters.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return str(response.headers["Location"])


def test_a_cluster_file_with_more_rows_than_wales_has_schools_is_refused_by_name(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    rows = "".join(f"{6600000 + i},Cluster {i % 50},\n" for i in range(MAX_CLUSTER_ROWS + 1))
    sign_in(client, "admin@gwynedd.example")
    url = _upload_clusters(client, (CLUSTERS_HEADER + rows).encode())
    page = client.get(url)
    assert page.status_code == 200
    assert error_summary(page) == [
        "“clusters.csv”: The file has more than 5,000 rows, more than there are schools in "
        "Wales. Check that it is the file of this local authority’s clusters."
    ]
    welsh = client.get(url.replace("/en/", "/cy/"))
    assert welsh.status_code == 200
    assert "Mae mwy na 5,000 o resi yn y ffeil" in " ".join(error_summary(welsh))
    assert client.post(url).status_code == 400
    assert school("6612001").cluster.name_en == "Arfon"  # type: ignore[union-attr]


def test_a_cluster_file_of_the_limit_is_previewed(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    rows = "6612001,Meirionnydd,Clwstwr Meirionnydd\n" + "".join(
        f"{6690000 + i},Cluster,\n" for i in range(MAX_CLUSTER_ROWS - 1)
    )
    sign_in(client, "admin@gwynedd.example")
    page = client.get(_upload_clusters(client, (CLUSTERS_HEADER + rows).encode()))
    assert page.status_code == 200
    problems = error_summary(page)  # the first hundred are shown
    assert problems and all("is not a school of this local authority" in p for p in problems)
    assert not any("more than 5,000 rows" in p for p in problems)


def test_schools_are_found_by_number_beyond_the_parameters_of_one_statement(
    gwynedd: dict[str, int],
) -> None:
    """70,000 numbers: more than PostgreSQL's 65,535 parameters (run with TEST_DATABASE_URL)."""
    numbers = [f"{6500000 + i}" for i in range(70_000)] + ["6612001", "6622001"]
    found = administration.schools_by_number(numbers)
    assert sorted(found) == ["6612001", "6622001"]
    assert found["6612001"].cluster is not None


def _banner(response: object) -> str:
    return text(soup(response).select_one(".govuk-notification-banner__content"))  # type: ignore[arg-type]


def test_applying_the_list_twice_says_it_has_been_applied_in_both_languages(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example")
    url = upload(client, xlsx(published(LIST)), "list.xlsx")
    assert client.post(url).status_code == 302
    client.get("/en/admin/schools")  # the first apply's message
    again = client.post(url)
    assert again.status_code == 302 and again.headers["Location"] == "/en/admin/schools"
    assert _banner(client.get("/en/admin/schools")) == "This list has already been applied."
    back = client.get(url.replace("/en/", "/cy/"))
    assert back.status_code == 302 and back.headers["Location"] == "/cy/admin/schools"
    assert (
        _banner(client.get("/cy/admin/schools"))
        == "Mae'r newidiadau o'r rhestr hon wedi'u gwneud yn barod."
    )
    assert school("6612002").name_en == "Ysgol Gynradd y Gader"
    # Someone else's token, or one never issued, is still not found.
    assert client.post(url[:-4] + "abcd").status_code == 404
    client.post("/en/sign-out")
    sign_in(client, "national@gov.example")
    assert client.post(url).status_code == 404


def test_applying_the_clusters_twice_says_they_have_been_applied(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sign_in(client, "admin@gwynedd.example", lang="cy")
    url = _upload_clusters(client, (CLUSTERS_HEADER + "6612001,Meirionnydd,\n").encode(), "cy")
    assert client.post(url).status_code == 302
    client.get("/cy/admin/clusters")
    again = client.post(url)
    assert again.status_code == 302 and again.headers["Location"] == "/cy/admin/clusters"
    assert _banner(client.get("/cy/admin/clusters")) == (
        "Mae'r newidiadau o'r ffeil clystyrau hon wedi'u gwneud yn barod."
    )
    assert client.get(url.replace("/cy/", "/en/")).status_code == 302
    assert _banner(client.get("/en/admin/clusters")) == (
        "This file of clusters has already been applied."
    )


def test_a_local_authority_administrators_national_view_is_named_for_their_authority(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    for lang, place in (("en", "Gwynedd"), ("cy", "Gwynedd")):
        sign_in(client, "admin@gwynedd.example", lang=lang)
        page = client.get(f"/{lang}/national")
        assert page.status_code == 200
        assert place in heading(page) and "Wales" not in heading(page)
        assert "Cymru" not in heading(page)
        client.post(f"/{lang}/sign-out")


def test_too_long_names_and_bad_emails_are_field_errors_keeping_what_was_typed(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sid = gwynedd["6612001"]
    arfon = school("6612001").cluster
    assert arfon is not None
    welsh_before = arfon.name_cy
    long_name = "Catrin " + "a" * 293
    cases = [
        (f"/admin/schools/{sid}/invite-lead", {"name": long_name, "email": "c@ysgol.example"}),
        ("/admin/clusters", {"name_en": long_name, "name_cy": ""}),
        (f"/admin/clusters/{arfon.id}", {"name_en": "Arfon", "name_cy": long_name}),
        (
            f"/admin/clusters/{arfon.id}/coordinators",
            {"email": "c@ysgol.example", "name": long_name},
        ),
    ]
    expected = {
        "en": {
            "name": "Full name must be 200 characters or fewer",
            "name_en": "The name in English must be 200 characters or fewer",
            "name_cy": "The name in Welsh must be 200 characters or fewer",
        },
        "cy": {
            "name": "Rhaid i'r enw llawn fod yn 200 nod neu lai",
            "name_en": "Rhaid i'r enw yn Saesneg fod yn 200 nod neu lai",
            "name_cy": "Rhaid i'r enw yn Gymraeg fod yn 200 nod neu lai",
        },
    }
    for lang in ("en", "cy"):
        sign_in(client, "admin@gwynedd.example", lang=lang)
        for path, data in cases:
            page = client.post(f"/{lang}{path}", data=data)
            assert page.status_code == 400, (lang, path)
            field = next(name for name, value in data.items() if value == long_name)
            assert error_summary(page) == [expected[lang][field]], (lang, path)
            assert soup(page).find("input", attrs={"name": field})["value"] == long_name
            assert title(page).startswith("Gwall:" if lang == "cy" else "Error:")
        client.post(f"/{lang}/sign-out")
    assert school("6612001").cluster.name_cy == welsh_before  # type: ignore[union-attr]
    assert db.session.scalar(select(User).where(User.email == "c@ysgol.example")) is None


def test_an_at_sign_alone_is_not_an_email_address(
    client: FlaskClient, gwynedd: dict[str, int]
) -> None:
    sid = gwynedd["6612001"]
    arfon = school("6612001").cluster
    assert arfon is not None
    sign_in(client, "admin@gwynedd.example")
    for path in (
        f"/en/admin/clusters/{arfon.id}/coordinators",
        f"/en/admin/schools/{sid}/invite-lead",
    ):
        page = client.post(path, data={"email": "@", "name": "Nia Hughes"})
        assert page.status_code == 400, path
        assert error_summary(page) == [
            "Enter an email address in the correct format, like name@example.com"
        ]
        assert soup(page).find("input", attrs={"name": "name"})["value"] == "Nia Hughes"
    assert db.session.scalar(select(User).where(User.email == "@")) is None
    assert db.session.scalar(select(Invitation).where(Invitation.email == "@")) is None
    # A coordinator with no account yet and no name: the message is by the name, the email kept.
    page = client.post(
        f"/en/admin/clusters/{arfon.id}/coordinators", data={"email": "newcoord@la.example"}
    )
    assert page.status_code == 400
    assert error_summary(page) == [
        "newcoord@la.example has no account yet: enter their name too, and one will be made."
    ]
    assert soup(page).find("input", attrs={"name": "email"})["value"] == "newcoord@la.example"


def test_an_account_at_no_school_becomes_the_lead_after_the_administrator_says_yes(
    client: FlaskClient, gwynedd: dict[str, int], directory: Directory
) -> None:
    arfon = school("6612001").cluster
    assert arfon is not None
    coordinator = directory.user("nosch@la.example", name="Nia Hughes", coordinator_of=[arfon])
    directory.user("elsewhere@ysgol.example", school=school("6622001"))
    sid = gwynedd["6612001"]
    sign_in(client, "admin@gwynedd.example", lang="cy")
    sent = {"email": "NoSch@la.example", "name": "Nia", "language": "cy"}
    asked = client.post(f"/cy/admin/schools/{sid}/invite-lead", data=sent)
    assert asked.status_code == 200
    assert heading(asked) == "Gwneud Nia Hughes yn arweinydd yr ysgol?"
    assert "nid yw'n aelod o unrhyw ysgol" in text(soup(asked).find("main"))
    db.session.refresh(coordinator)
    assert coordinator.school_id is None
    form = soup(asked).find("form", attrs={"action": f"/cy/admin/schools/{sid}/invite-lead"})
    data = {i["name"]: i["value"] for i in form.find_all("input") if i["name"] != "csrf_token"}
    assert data == {**sent, "confirm": "yes"}
    made = client.post(f"/cy/admin/schools/{sid}/invite-lead", data=data)
    assert made.status_code == 302
    db.session.refresh(coordinator)
    assert coordinator.school_id == sid and coordinator.is_school_lead
    assert _banner(client.get(made.headers["Location"])) == (
        "Nia Hughes yw arweinydd dysgu proffesiynol yr ysgol bellach."
    )
    assert (
        db.session.scalar(select(Invitation).where(Invitation.email == "nosch@la.example")) is None
    )
    # An account at another school is still asked to leave it first, in English too.
    client.post("/cy/sign-out")
    sign_in(client, "admin@gwynedd.example")
    other = {"email": "elsewhere@ysgol.example", "name": "Rhys", "language": "en"}
    for confirm in ("", "yes"):
        elsewhere = client.post(
            f"/en/admin/schools/{sid}/invite-lead", data={**other, "confirm": confirm}
        )
        assert elsewhere.status_code == 302
        assert _banner(client.get(elsewhere.headers["Location"])) == (
            "elsewhere@ysgol.example has an account at another school. "
            "Ask them to leave that school first."
        )
    assert school("6622001").id != sid
