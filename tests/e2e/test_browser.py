"""Real-browser tests: journeys through the plan in Welsh and in English, with JavaScript (htmx)
and without, the language toggle, keyboard use, and axe-core on every page in both languages.

The browser finds things as people do: by role, label and text, in the page's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.conftest import PASSWORD
from wizard.data.database import db
from wizard.data.models import User
from wizard.domain.academic_year import year_label

from .support import (
    ABOUT_TASK,
    ACADEMIC_YEAR,
    LANGUAGES,
    AccessibilityAudit,
    ContextFactory,
    Translator,
    assert_accessible,
    error_summary,
    expect_errors,
    expect_focus_within,
    expect_html_lang,
    expect_main,
    field,
    heading,
    htmx_requests,
    plan_path,
    save_answer,
    save_button,
    sign_in,
    sign_out,
    task_item,
    task_link,
    wait_until_ready,
    yaml_string,
)

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
STEP = "about-your-school"


@dataclass(frozen=True)
class Answers:
    """What a user types into "About your school" (the phase is the English msgid)."""

    phase: str = "Primary"
    teaching_staff: str = "24"
    support_staff: str = "12"
    pl_lead: str = "Siân Williams"
    funding: str = "12500.50"
    funding_shown: str = "£12,500.50"


ANSWERS = Answers()
EMPTY_FORM_ERRORS = [
    "Select your school's phase",
    "Enter the number of teaching staff",
    "Enter the number of support staff",
    "Enter the name of your professional learning lead",
    "Enter your funding allocation",
]


# Where things are ----------------------------------------------------------------------------


def hub_path(lang: str, year: str) -> str:
    return plan_path(lang, year)


def step_path(lang: str, year: str) -> str:
    return plan_path(lang, year, STEP)


def check_path(lang: str, year: str) -> str:
    return plan_path(lang, year, f"{STEP}/check")


def change_link(page: Page, t: Translator, row: str) -> Locator:
    """A check page's Change link: its hidden text names the row, in lower case."""
    return page.get_by_role("link", name=f"{t('Change')} {t(row).lower()}", exact=True)


def switch_language(page: Page, current: Translator, to: str) -> None:
    """Use the language toggle: it names the current language and links to the other one."""
    toggle = page.get_by_role("navigation", name=current("Language"), exact=True)
    expect(toggle).to_contain_text(LANGUAGE_NAMES[current.locale])
    link = toggle.get_by_role("link")
    expect(link).to_contain_text(LANGUAGE_NAMES[to])
    expect(link).to_have_attribute("lang", to)
    expect(link).to_have_attribute("hreflang", to)
    link.click()
    expect_html_lang(page, to)
    wait_until_ready(page)


# The journey through "About your school" ------------------------------------------------------


def expect_check_answers(page: Page, t: Translator, rows: list[tuple[str, str]]) -> None:
    """The check page lists each question's answer, in order (each term, then its value)."""
    expect_main(
        page,
        [
            f"- term: {yaml_string(t(key))}\n- definition: {yaml_string(value)}"
            for key, value in rows
        ],
    )


def check_rows(t: Translator, answers: Answers) -> list[tuple[str, str]]:
    return [
        ("Phase", t(answers.phase)),
        ("Number of teaching staff", answers.teaching_staff),
        ("Number of support staff", answers.support_staff),
        ("Professional learning lead", answers.pl_lead),
        ("Funding allocation", answers.funding_shown),
    ]


def fill_about_your_school(page: Page, t: Translator, answers: Answers) -> None:
    field(page, t, answers.phase).check()
    field(page, t, "Number of teaching staff").fill(answers.teaching_staff)
    field(page, t, "Number of support staff").fill(answers.support_staff)
    field(page, t, "Professional learning lead").fill(answers.pl_lead)
    field(page, t, "Professional learning funding allocation for the year").fill(answers.funding)


def complete_about_your_school(page: Page, t: Translator, year: str, *, javascript: bool) -> None:
    """From the hub: fail validation twice, save, change an answer from the check page, and go
    back to the hub, where the task is complete. With JavaScript, every step is an htmx boost
    and keyboard focus moves to the new page's heading."""
    lang = t.locale

    # The hub: the task has not been started.
    expect(page).to_have_url(hub_path(lang, year))
    expect(task_item(page, t, ABOUT_TASK)).to_contain_text(t("Not yet started"))
    task_link(page, t, ABOUT_TASK).click()

    expect(page).to_have_url(step_path(lang, year))
    expect(heading(page)).to_have_text(t("About your school"))
    if javascript:
        expect(heading(page)).to_be_focused()

    # Nothing filled in: one message for each question.
    save_button(page, t).click()
    expect_errors(page, t, EMPTY_FORM_ERRORS)
    teaching_staff = field(page, t, "Number of teaching staff")
    expect(teaching_staff).to_have_accessible_description(
        re.compile(re.escape(t("Enter the number of teaching staff")))
    )

    # Answers that are not valid: the messages say what is wrong; the answers are kept.
    fill_about_your_school(page, t, Answers(teaching_staff="24.5", funding="12500.505"))
    save_button(page, t).click()
    expect_errors(
        page,
        t,
        [
            "Number of teaching staff must be a whole number, like 24",
            "Funding allocation must not include fractions of a penny",
        ],
    )
    expect(teaching_staff).to_have_value("24.5")
    expect(field(page, t, ANSWERS.phase)).to_be_checked()
    if javascript:
        # The summary has focus; its links move focus to the question (GOV.UK Frontend).
        expect_focus_within(error_summary(page))
        error_summary(page).get_by_role("link").first.click()
        expect(teaching_staff).to_be_focused()

    fill_about_your_school(page, t, ANSWERS)
    save_button(page, t).click()

    # Check your answers. (With JavaScript, focus should now be on the <h1>, but is not: see
    # test_boosted_save_after_errors_focuses_the_next_heading.)
    expect(page).to_have_url(check_path(lang, year))
    task = t("About your school")
    expect(heading(page)).to_have_text(t("Check your answers: %(task)s", task=task))
    expect(page).to_have_title(
        re.compile("^" + re.escape(t("Check your answers: %(task)s", task=task)))
    )
    expect_check_answers(page, t, check_rows(t, ANSWERS))
    expect(page.get_by_text(t("You have completed this task."))).to_be_visible()

    # Change one answer: back to the question, then straight back to the check page.
    change_link(page, t, "Number of teaching staff").click()
    expect(page).to_have_url(f"{step_path(lang, year)}?return_to=check#teaching_staff")
    expect(teaching_staff).to_have_value(ANSWERS.teaching_staff)
    if javascript:
        expect(heading(page)).to_be_focused()
    teaching_staff.fill("30")
    save_button(page, t).click()

    expect(page).to_have_url(check_path(lang, year))
    if javascript:
        expect(heading(page)).to_be_focused()
    expect_check_answers(page, t, check_rows(t, Answers(teaching_staff="30")))

    # Back to the plan: the task is complete.
    page.get_by_role("button", name=t("Return to your plan"), exact=True).click()
    expect(page).to_have_url(hub_path(lang, year))
    if javascript:
        expect(heading(page)).to_be_focused()
    expect(task_item(page, t, ABOUT_TASK)).to_contain_text(t("Completed"))


# 1-3. Journeys ----------------------------------------------------------------------------------


@pytest.mark.e2e
def test_welsh_journey_after_switching_language(
    page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    expect(page).to_have_url(hub_path("en", plan_year))
    boosted = htmx_requests(page)

    switch_language(page, en, "cy")

    expect(page).to_have_url(hub_path("cy", plan_year))
    expect(heading(page)).to_have_text(
        cy("Your professional learning plan for %(year)s", year=year_label(ACADEMIC_YEAR))
    )
    expect(page.get_by_role("navigation", name=cy("Language"), exact=True)).to_contain_text(
        "Cymraeg"
    )
    expect(page.get_by_role("button", name=cy("Sign out"), exact=True)).to_be_visible()
    assert not boosted, "The language toggle must load a whole page, not an htmx swap"

    complete_about_your_school(page, cy, plan_year, javascript=True)

    assert boosted, "With JavaScript, the step pages should be boosted by htmx"
    sign_out(page, cy)
    expect(page.get_by_role("button", name="Mewngofnodi")).to_be_visible()  # the start button


@pytest.mark.e2e
def test_english_journey_with_javascript(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    boosted = htmx_requests(page)

    complete_about_your_school(page, en, plan_year, javascript=True)

    # Every page after the hub came from htmx: the task link, the Change link and "Return to
    # your plan"; two failed saves, the save and the save from the Change link. Each save sent
    # the CSRF token from <meta name="csrf-token"> in a header as well as in the form.
    gets = [request.url for request in boosted if request.method == "GET"]
    posts = [request for request in boosted if request.method == "POST"]
    assert len(gets) >= 3, gets
    assert len(posts) == 4, [request.url for request in posts]
    for request in posts:
        assert request.headers.get("x-csrftoken"), request.headers
        assert "csrf_token=" in (request.post_data or ""), request.post_data
    sign_out(page, en)


@pytest.mark.e2e
def test_form_with_an_expired_csrf_token_is_refused(
    context: BrowserContext, page: Page, school_lead: User, cy: Translator
) -> None:
    page.goto("/cy/sign-in")
    context.clear_cookies()  # the session, and the CSRF token it signs, are gone
    field(page, cy, "Email address").fill(school_lead.email)
    field(page, cy, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()

    expect(heading(page)).to_have_text(cy("Sorry, there is a problem with your request"))
    expect(
        page.get_by_text(
            cy(
                "The form you sent had expired or was not sent from this service. "
                "Nothing was saved."
            )
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name=cy("Sign out"), include_hidden=True)).to_have_count(0)


@pytest.mark.e2e
def test_welsh_journey_without_javascript(
    new_context: ContextFactory, school_lead: User, cy: Translator, plan_year: str
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    boosted = htmx_requests(page)

    page.goto("/cy/sign-in")
    expect(heading(page)).to_have_text("Mewngofnodi")
    sign_in(page, school_lead.email, cy)
    expect_html_lang(page, "cy")

    complete_about_your_school(page, cy, plan_year, javascript=False)

    assert not boosted, f"Without JavaScript nothing can use htmx: {boosted}"
    sign_out(page, cy)


# 4. The language toggle -------------------------------------------------------------------------


@pytest.mark.e2e
def test_language_switch_keeps_the_page_and_is_remembered(
    page: Page,
    school_lead: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    stored = school_lead.locale
    sign_in(page, school_lead.email, en)
    page.goto(f"{step_path('en', plan_year)}?return_to=check")

    switch_language(page, en, "cy")
    expect(page).to_have_url(f"{step_path('cy', plan_year)}?return_to=check")
    expect(heading(page)).to_have_text(cy("About your school"))
    expect(save_button(page, cy)).to_have_text("Cadw a pharhau")

    # The switch (a GET) is kept in this browser's session, not on the account (whose
    # preference changes by the account page's form only), and `/` follows it.
    db.session.expire_all()
    user = db.session.get(User, school_lead.id)
    assert user is not None and user.locale == stored != "cy"
    page.goto("/")
    expect(page).to_have_url(hub_path("cy", plan_year))

    switch_language(page, cy, "en")
    expect(page).to_have_url(hub_path("en", plan_year))
    page.goto("/")
    expect(page).to_have_url(hub_path("en", plan_year))


@pytest.mark.e2e
def test_language_switch_is_remembered_without_an_account(page: Page, en: Translator) -> None:
    page.goto("/")
    expect(page).to_have_url("/en/")
    page.goto("/en/cookies")
    switch_language(page, en, "cy")
    expect(page).to_have_url("/cy/cookies")
    page.goto("/")
    expect(page).to_have_url("/cy/")


# 5. axe-core on every page, in both languages ---------------------------------------------------
#
# One test per language and kind of user, visiting its pages in one browser context (much
# quicker than a context and a sign-in per page), and listing every page's violations at the end.


@dataclass(frozen=True)
class Heading:
    """The msgid of a page's <h1>, with its variables (msgids themselves where translated)."""

    msgid: str
    variables: tuple[tuple[str, str], ...] = ()
    translated_variables: tuple[str, ...] = ()

    def text(self, t: Translator) -> str:
        return t(
            self.msgid,
            **{
                name: t(value) if name in self.translated_variables else value
                for name, value in self.variables
            },
        )


HUB_HEADING = Heading(
    "Your professional learning plan for %(year)s", (("year", year_label(ACADEMIC_YEAR)),)
)
STEP_HEADING = Heading("About your school")
CHECK_HEADING = Heading("Check your answers: %(task)s", (("task", "About your school"),), ("task",))


def save_answers(user: User) -> None:
    """Save "About your school" for the user's school, as if they had filled it in."""
    data = {
        "phase": "primary",
        "teaching_staff": 24,
        "support_staff": 12,
        "pl_lead": ANSWERS.pl_lead,
        "funding_allocation_pence": 1_250_050,
    }
    save_answer(user, STEP, data, revision=0)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_are_accessible(lang: str, page: Page, en: Translator, cy: Translator) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t, f"/{lang}/")
    audit.visit("", t("Plan your school's professional learning"))
    audit.visit("sign-in", t("Sign in"))
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(error_summary(page)).to_be_visible()
    audit.audit(t("Sign in"))
    audit.visit("reset-password", t("Reset your password"))
    audit.visit("accessibility", t("Accessibility statement"))
    audit.visit("privacy", t("Privacy notice"))
    audit.visit("cookies", t("Cookies"))
    audit.visit("dim-yma", t("Page not found"), status=404)
    audit.assert_clean()


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_school_lead_pages_are_accessible(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t, f"/{lang}/")
    sign_in(page, school_lead.email, t)
    audit.visit(f"plan/{plan_year}/", HUB_HEADING.text(t))
    audit.visit(f"plan/{plan_year}/{STEP}", STEP_HEADING.text(t))
    save_button(page, t).click()  # boosted by htmx
    expect(error_summary(page)).to_be_visible()
    audit.audit(STEP_HEADING.text(t))

    save_answers(school_lead)
    audit.visit(f"plan/{plan_year}/{STEP}/check", CHECK_HEADING.text(t))
    audit.visit(f"plan/{plan_year}/", HUB_HEADING.text(t))  # now with a completed task
    audit.visit("account/", t("Your account"))
    audit.visit("account/invite", t.page_title("Invite a colleague"))
    audit.assert_clean()


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_coordinator_pages_are_accessible(
    lang: str, page: Page, coordinator: User, en: Translator, cy: Translator
) -> None:
    t = cy if lang == "cy" else en
    audit = AccessibilityAudit(page, t, f"/{lang}/")
    sign_in(page, coordinator.email, t)
    # One cluster: the chooser goes straight to its dashboard.
    cluster = coordinator.coordinated_clusters[0]
    name = cluster.name_cy if lang == "cy" else cluster.name_en
    year = year_label(ACADEMIC_YEAR)
    audit.visit("clusters/", t("%(cluster)s: plans for %(year)s", cluster=name, year=year))
    audit.visit("account/", t("Your account"))
    audit.assert_clean()


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_step_page_reflows_at_320_css_pixels(
    lang: str,
    new_context: ContextFactory,
    school_lead: User,
    en: Translator,
    cy: Translator,
    plan_year: str,
) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide, nothing needs scrolling sideways."""
    t = cy if lang == "cy" else en
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, school_lead.email, t)
    page.goto(step_path(lang, plan_year))
    save_button(page, t).click()
    expect(error_summary(page)).to_be_visible()

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"The page is {width}px wide at a 320px viewport"
    assert_accessible(page)


# 6. Keyboard ------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_only_from_skip_link_to_signed_in(
    lang: str, page: Page, school_lead: User, en: Translator, cy: Translator, plan_year: str
) -> None:
    t = cy if lang == "cy" else en
    page.goto(f"/{lang}/sign-in")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=t("Skip to main content"), exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # hidden until focused
    if lang == "cy":
        expect(skip_link).to_have_text("Neidio i'r prif gynnwys")

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    expect(page).to_have_url(f"/{lang}/sign-in#main-content")

    # From the main content, Tab reaches the form in order.
    page.keyboard.press("Tab")
    expect(field(page, t, "Email address")).to_be_focused()
    page.keyboard.type(school_lead.email)
    page.keyboard.press("Tab")
    expect(field(page, t, "Password")).to_be_focused()
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")

    # The error summary takes focus; its link leads to the question.
    expect_errors(page, t, ["Enter a correct email address and password"])
    expect_focus_within(error_summary(page))
    page.keyboard.press("Tab")
    expect(error_summary(page).get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(field(page, t, "Email address")).to_be_focused()
    expect(field(page, t, "Email address")).to_have_value(school_lead.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(hub_path(lang, plan_year))
    expect(page.get_by_role("button", name=t("Sign out"), exact=True)).to_be_visible()


# Known app bugs -------------------------------------------------------------------------------

QUICK = 1_000  # milliseconds: enough for a focus move, and quick to fail while the bug is there


@pytest.mark.e2e
def test_boosted_save_with_errors_leaves_focus_on_the_error_summary(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    page.goto(step_path("en", plan_year))
    boosted = htmx_requests(page)
    save_button(page, en).click()
    expect_errors(page, en, EMPTY_FORM_ERRORS)
    assert boosted
    expect_focus_within(error_summary(page), timeout=QUICK)


@pytest.mark.e2e
def test_boosted_save_after_errors_focuses_the_next_heading(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    sign_in(page, school_lead.email, en)
    page.goto(step_path("en", plan_year))
    save_button(page, en).click()
    expect(error_summary(page)).to_be_visible()
    fill_about_your_school(page, en, ANSWERS)
    save_button(page, en).click()
    expect(page).to_have_url(check_path("en", plan_year))
    expect(heading(page)).to_be_focused(timeout=QUICK)


@pytest.mark.e2e
def test_language_toggle_name_contains_its_visible_text(page: Page, en: Translator) -> None:
    page.goto("/en/")
    toggle = page.get_by_role("navigation", name=en("Language"), exact=True)
    expect(toggle.get_by_role("link", name="Cymraeg")).to_be_visible(timeout=QUICK)


@pytest.mark.e2e
def test_a_boosted_back_link_from_a_step_brings_the_task_lists_stylesheet(
    page: Page, school_lead: User, en: Translator, plan_year: str
) -> None:
    """A step links app.css only. The task list's tags are styled by pages.css, which a page
    links inside #app-container: a boosted navigation swaps that container, not the <head>."""
    sign_in(page, school_lead.email, en)
    page.goto(step_path("en", plan_year))
    expect(page.locator('link[rel="stylesheet"][href*="pages"]')).to_have_count(0)
    page.evaluate("window.appNotReloaded = true")
    page.get_by_role("link", name=en("Back"), exact=True).click()
    tag = page.locator(".govuk-task-list .govuk-tag").first
    expect(tag).to_be_visible()
    assert page.evaluate("window.appNotReloaded === true"), "the back link was not boosted"
    expect(tag).to_have_css("display", "inline-block")  # unstyled, a <strong> is inline
