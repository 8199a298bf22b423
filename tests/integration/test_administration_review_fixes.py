"""The administration pages, after a review (regression tests): a file of clusters longer than
Wales has schools is refused by name (on PostgreSQL it answered 503 on every preview: one IN
with every number went over the 65,535 parameters a statement takes); an import applied twice
(a second click, or back and Apply again) says so on the page of what it changed, rather than
“page not found”."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.html import error_summary, heading, soup, text
from tests.integration.test_administration_import import LIST, school, upload
from tests.integration.test_administration_import import gwynedd as gwynedd  # noqa: F401 (fixture)
from tests.spreadsheets import published, xlsx
from wizard.data import administration
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
