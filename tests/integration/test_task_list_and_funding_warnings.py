"""The task list says what must be done before a task can start and has no empty headings;
planning more than the allocation is a warning worded one way everywhere, in both languages,
including after the allocation is lowered on "About your school"."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.html import error_summary, soup, text
from tests.i18n import translate
from tests.plans import LINE, revision
from wizard.domain.academic_year import academic_year_of, year_slug

THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)


def url(lang: str, path: str, year: str = YEAR) -> str:
    return f"/{lang}/plan/{year}{path}"


def about(client: FlaskClient, allocation: str = "1000", lang: str = "en") -> str:
    response = client.post(
        url(lang, "/about-your-school"),
        data={
            "revision": revision(client, url("en", "/about-your-school")),
            "phase": "primary",
            "teaching_staff": "3",
            "support_staff": "2",
            "pl_lead": "Catrin",
            "funding_allocation": allocation,
        },
    )
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def add_line(client: FlaskClient, amount: str) -> None:
    path = url("en", "/funding-plan/lines/new")
    response = client.post(
        path, data={**LINE, "priority": "", "amount": amount, "revision": revision(client, path)}
    )
    assert response.status_code == 302, response.status_code


def task_item(page: object, title: str) -> object:
    for item in soup(page).select(".govuk-task-list__item"):  # type: ignore[arg-type]
        if title in text(item.select_one(".govuk-task-list__name-and-hint")):
            return item
    raise AssertionError(title)


def warnings(response: object) -> list[str]:
    return [text(w) for w in soup(response).select(".govuk-warning-text")]  # type: ignore[arg-type]


# Point 5: the task list ------------------------------------------------------------------------


def test_cannot_start_yet_says_what_to_do_first_in_welsh(lead_client: FlaskClient) -> None:
    hub = lead_client.get(url("cy", "/"))
    item = task_item(hub, "Cynllun cyllido")
    assert text(item.select_one(".govuk-task-list__status")) == "Methu dechrau eto"  # type: ignore[attr-defined]
    assert item.select_one("a") is None  # type: ignore[attr-defined]
    hint = text(item.select_one(".govuk-task-list__hint"))  # type: ignore[attr-defined]
    assert hint.endswith(
        "Cwblhewch “Am eich ysgol” yn gyntaf: mae ar y cynllun cyllido angen eich dyraniad cyllid."
    ), hint
    english = task_item(lead_client.get(url("en", "/")), "Funding plan")
    assert (
        "Complete “About your school” first: the funding plan needs your funding allocation."
        in text(english.select_one(".govuk-task-list__hint"))  # type: ignore[attr-defined]
    )
    # Once it can start, the reason goes.
    about(lead_client)
    started = task_item(lead_client.get(url("en", "/")), "Funding plan")
    assert "first" not in text(started.select_one(".govuk-task-list__hint"))  # type: ignore[attr-defined]
    assert started.select_one("a") is not None  # type: ignore[attr-defined]


def test_the_task_list_uses_the_govuk_task_list_layout(lead_client: FlaskClient) -> None:
    about(lead_client)
    page = soup(lead_client.get(url("cy", "/")))
    items = page.select("ul.govuk-task-list > li.govuk-task-list__item")
    # Five tasks, and the optional success criteria (after the Diamond 9).
    assert len(items) == 6
    for item in items:
        # Name and hint, then the status, as GOV.UK's component lays them out.
        cells = [c for c in item.find_all(recursive=False) if c.name == "div"]
        assert [c["class"][0] for c in cells] == [
            "govuk-task-list__name-and-hint",
            "govuk-task-list__status",
        ]
    statuses = {text(i.select_one(".govuk-task-list__status")) for i in items}
    assert statuses == {"Wedi cwblhau", "Heb ddechrau eto", "Methu dechrau eto"}


def test_a_new_years_task_list_has_no_empty_more_about_heading(
    lead_client: FlaskClient,
) -> None:
    # Next year's task list before anything is saved: no plan, no versions, nothing after it.
    page = soup(lead_client.get(url("cy", "/", year_slug(THIS + 1))))
    headings = [text(h) for h in page.select("h2")]
    assert "Rhagor am y cynllun hwn" not in headings
    # Both link to the school's plans by year (next year's is offered there once this year's
    # is submitted).
    this_year = soup(lead_client.get(url("cy", "/")))
    for page in (this_year, soup(lead_client.get(url("cy", "/", year_slug(THIS + 1))))):
        links = [text(a) for a in page.select("main a")]
        assert "Cynlluniau eich ysgol fesul blwyddyn" in links


# Point 6: more than the allocation -----------------------------------------------------------


def test_over_the_allocation_is_one_warning_worded_one_way(
    app: Flask, lead_client: FlaskClient
) -> None:
    about(lead_client, "1000")
    add_line(lead_client, "900")
    # Lowered below what is planned: accepted, and said at once.
    next_page = about(lead_client, "500.50")
    flashed = lead_client.get(next_page)
    expected = {
        "en": "Your funding plan is £399.50 more than the allocation of £500.50.",
        "cy": "Mae eich cynllun cyllido £399.50 yn fwy na'r dyraniad o £500.50.",
    }
    assert expected["en"] in text(soup(flashed).select_one(".govuk-notification-banner"))
    for lang, sentence in expected.items():
        assert sentence == translate(
            app,
            lang,
            "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
            over="£399.50",
            allocation="£500.50",
        )
        warning = "Rhybudd" if lang == "cy" else "Warning"
        # On "About your school" itself, on the task list, on the funding plan and its check
        # page, on the live total and on the plan summary: the same warning.
        for path in (
            "/about-your-school",
            "/",
            "/funding-plan",
            "/funding-plan/check",
            "/funding-plan/total?line=&amount=0",
            "/summary",
        ):
            found = warnings(lead_client.get(url(lang, path)))
            assert found == [f"! {warning} {sentence}"] or (
                len(found) == 1 and found[0].startswith(f"! {warning} {sentence}")
            ), (path, found)
        # The "Left to plan" row says the same thing, as a phrase.
        rows = soup(lead_client.get(url(lang, "/funding-plan/check"))).select(
            ".app-funding-totals .govuk-summary-list__value"
        )
        phrase = {
            "en": "£399.50 more than the allocation of £500.50",
            "cy": "£399.50 yn fwy na'r dyraniad o £500.50",
        }[lang]
        assert text(rows[-1]) == phrase
        assert "-£" not in soup(lead_client.get(url(lang, "/funding-plan"))).get_text()
    # Submitting is refused with the same sentence.
    refused = lead_client.post(url("cy", "/submit"))
    assert expected["cy"] in error_summary(refused)


def test_the_warnings_link_to_the_funding_plan_and_go_when_within(
    lead_client: FlaskClient,
) -> None:
    about(lead_client, "1000")
    add_line(lead_client, "900")
    assert warnings(lead_client.get(url("en", "/"))) == []
    about(lead_client, "800")
    hub = soup(lead_client.get(url("en", "/")))
    link = hub.select_one(".govuk-warning-text a")
    assert link["href"] == url("en", "/funding-plan")
    assert text(link) == "Change the funding plan"
    about(lead_client, "900")
    assert warnings(lead_client.get(url("en", "/"))) == []
    assert warnings(lead_client.get(url("en", "/about-your-school"))) == []


def test_the_field_error_uses_the_same_wording(app: Flask, lead_client: FlaskClient) -> None:
    about(lead_client, "10000")
    add_line(lead_client, "9000")
    path = url("cy", "/funding-plan/lines/new")
    refused = lead_client.post(
        path,
        data={**LINE, "priority": "", "amount": "2500.50", "revision": revision(lead_client, path)},
    )
    assert error_summary(refused) == [
        "Gyda'r swm hwn, mae eich cynllun cyllido £1,500.50 yn fwy na'r dyraniad o £10,000.00. "
        "Gostyngwch y swm hwn neu swm llinell arall."
    ]
    # The live total beside it warns in the same words (not "Left to plan: -£1,500.50").
    assert warnings(refused) == [
        "! Rhybudd Mae eich cynllun cyllido £1,500.50 yn fwy na'r dyraniad o £10,000.00."
    ]
    assert "-£" not in soup(refused).get_text()
    # The error summary tells the script what the title's "Error:" prefix is, so that it can
    # take it away with the error once the live total has changed.
    assert soup(refused).select_one(".govuk-error-summary")["data-title-prefix"] == "Gwall:"
    amount = soup(refused).find("input", attrs={"name": "amount"})
    assert amount["data-hx-get"].startswith(url("cy", "/funding-plan/total"))
