"""Welsh pages, CSVs and selects list local authorities, clusters and schools in Welsh
alphabetical order (ch after c, dd after d, ff after f, ll after l...); English ones in English
order."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import soup, text
from tests.unit.test_collation import WELSH_AUTHORITIES
from wizard.domain.academic_year import academic_year_of, year_slug

SLUG = year_slug(academic_year_of(date.today()))
# Schools named so that English and Welsh orders differ: "Ysgol Chwilog" comes after every
# "Ysgol C..." in Welsh, "Ysgol Llan..." after "Ysgol Lyn", and "Ban-gor" after "Banc".
SCHOOLS = [
    ("Chwilog School", "Ysgol Chwilog"),
    ("Cwm School", "Ysgol Cwm"),
    ("Llangollen School", "Ysgol Llangollen"),
    ("Lyn School", "Ysgol Lyn"),
    ("Bangor School", "Ysgol Bangor"),
    ("Banc School", "Ysgol Banc"),
    ("Ddol School", "Ysgol Ddôl"),
    ("Dyffryn School", "Ysgol Dyffryn"),
]
WELSH_ORDER = [
    "Ysgol Banc",
    "Ysgol Bangor",
    "Ysgol Cwm",
    "Ysgol Chwilog",
    "Ysgol Dyffryn",
    "Ysgol Ddôl",
    "Ysgol Lyn",
    "Ysgol Llangollen",
]
ENGLISH_ORDER = [
    "Banc School",
    "Bangor School",
    "Chwilog School",
    "Cwm School",
    "Ddol School",
    "Dyffryn School",
    "Llangollen School",
    "Lyn School",
]


def test_the_national_filter_lists_the_authorities_in_the_page_language_order(
    app: Flask, directory: Directory
) -> None:
    directory.user(email="admin@la.example", admin=True)
    client = app.test_client()
    sign_in(client, "admin@la.example")
    welsh = soup(client.get(f"/cy/national?year={SLUG}"))
    options = [text(option) for option in welsh.select("select#authority option")][1:]
    assert options == WELSH_AUTHORITIES
    english = soup(client.get(f"/en/national?year={SLUG}"))
    options = [text(option) for option in english.select("select#authority option")][1:]
    assert options[:4] == ["Blaenau Gwent", "Bridgend", "Caerphilly", "Cardiff"]
    assert options == sorted(options)


def test_the_dashboard_and_its_csv_list_schools_in_welsh_order(
    app: Flask, directory: Directory
) -> None:
    cluster = directory.cluster("Gower")
    for name_en, name_cy in SCHOOLS:
        directory.school(name_en, name_cy, cluster=cluster)
    directory.user(email="coord@la.example", coordinator_of=[cluster])
    client = app.test_client()
    sign_in(client, "coord@la.example", "cy")
    for lang, expected in (("cy", WELSH_ORDER), ("en", ENGLISH_ORDER)):
        page = soup(client.get(f"/{lang}/clusters/{cluster.id}?year={SLUG}"))
        assert [text(th) for th in page.select("tbody th")] == expected
        body = client.get(f"/{lang}/clusters/{cluster.id}/{SLUG}/schools.csv").get_data(
            as_text=True
        )
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert [row[1] for row in rows[1:]] == expected


def test_the_cluster_chooser_lists_clusters_in_welsh_order(
    app: Flask, directory: Directory
) -> None:
    clusters = [directory.cluster(name) for name in ("Chwilog", "Cwm", "Cydweli")]
    directory.user(email="two@la.example", coordinator_of=clusters)
    client = app.test_client()
    sign_in(client, "two@la.example", "cy")
    names = [text(a) for a in soup(client.get("/cy/clusters/")).select("main ul a")]
    assert names == ["Clwstwr Cwm", "Clwstwr Cydweli", "Clwstwr Chwilog"]
    names = [text(a) for a in soup(client.get("/en/clusters/")).select("main ul a")]
    assert names == ["Chwilog", "Cwm", "Cydweli"]


def test_the_schools_own_cards_are_in_welsh_order_in_the_bank(
    lead_client: FlaskClient,
) -> None:
    """The school's own cards in the card bank, in Welsh order: ch after c, ll after l."""
    for title in ("Llythrennedd", "Lobi", "Chwarae", "Cwricwlwm"):
        response = lead_client.post(
            f"/cy/plan/{SLUG}/diamond-9/cards/new", data={"title_cy": title}
        )
        assert response.status_code == 302
    bank = soup(lead_client.get(f"/cy/plan/{SLUG}/diamond-9")).find(id="bank-cards")
    own = [
        card["data-card"]
        for card in bank.select(".app-card")
        if card["data-card"].startswith("own:")
    ]
    titles = {
        card["data-card"]: text(card)
        for card in bank.select(".app-card")
        if card["data-card"].startswith("own:")
    }
    shown = [
        next(t for t in ("Llythrennedd", "Lobi", "Chwarae", "Cwricwlwm") if t in titles[k])
        for k in own
    ]
    assert shown == ["Cwricwlwm", "Chwarae", "Lobi", "Llythrennedd"]


def test_the_account_page_lists_coordinated_clusters_in_welsh_order(
    app: Flask, directory: Directory
) -> None:
    clusters = [directory.cluster(name) for name in ("Chwilog", "Cwm", "Cydweli")]
    directory.user(email="two@la.example", coordinator_of=clusters)
    client = app.test_client()
    sign_in(client, "two@la.example", "cy")
    page = soup(client.get("/cy/account/"))
    listed = [text(li) for li in page.select("main ul.govuk-list li")]
    assert [name for name in listed if name.startswith("Clwstwr")] == [
        "Clwstwr Cwm",
        "Clwstwr Cydweli",
        "Clwstwr Chwilog",
    ]


def test_the_administrators_schools_list_is_in_welsh_order_across_its_pages(
    app: Flask, directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The administration's schools, a page at a time, in the page language's order (it was
    the database's: Ysgol Chwilog before Ysgol Cwm on a Welsh page)."""
    from wizard.data import administration

    for name_en, name_cy in SCHOOLS:
        directory.school(name_en, name_cy)
    directory.user(email="admin@la.example", admin=True)
    # Three to a page: the order holds from one page to the next.
    defaults = administration.search_schools.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "per_page", 3)
    client = app.test_client()
    sign_in(client, "admin@la.example", "cy")
    for lang, expected in (("cy", WELSH_ORDER), ("en", ENGLISH_ORDER)):
        shown = []
        for page in (1, 2, 3):
            found = soup(client.get(f"/{lang}/admin/schools?page={page}"))
            shown += [text(a) for a in found.select("main tbody td:first-child a")]
        assert shown == expected, lang
