"""Helpers for the browser tests: text in either language, where things are on a page, what
the pages say, axe-core checks, signing in and out, and answers saved as if a school gave them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import LazyString, force_locale, gettext, ngettext, pgettext
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from tests.conftest import PASSWORD
from wizard.data.database import db
from wizard.data.models import PlanAnswer, User
from wizard.data.plans import get_or_create_plan, save_step
from wizard.domain.academic_year import academic_year_of

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    # Every rule applies, "region" too: the back link, before <main> as GOV.UK places it (so
    # that "Skip to main content" skips it), is inside a navigation landmark of its own.
    "rules": {},
    "resultTypes": ["violations"],
}
TARGETS_SHOWN = 5
# Whether a node of an axe-core violation is one to let pass: (violation, node) -> bool.
AllowedNode = Callable[[dict[str, Any], dict[str, Any]], bool]
# Makes a browser context; keyword arguments go to `Browser.new_context`.
ContextFactory = Callable[..., BrowserContext]
# GOV.UK's own Welsh for common components: the catalogue must use these.
GOVUK_WELSH = {
    "There is a problem": "Mae problem wedi codi",
    "Save and continue": "Cadw a pharhau",
    "Sign in": "Mewngofnodi",
    "Skip to main content": "Neidio i'r prif gynnwys",
    "Error:": "Gwall:",
}
LANGUAGES = ("en", "cy")
ACADEMIC_YEAR = academic_year_of(date.today())
# The tasks' names on the task list (English msgids).
ABOUT_TASK = "About your school"
CONTEXTS_TASK = "Contexts of the national approach"
HALLMARKS_TASK = "Self-review against the eight hallmarks"
DIAMOND_TASK = "Professional learning Diamond 9"
# The `colleague` fixture: a colleague (not a lead) at the school lead's school.
COLLEAGUE = "colleague@school.example"
COLLEAGUE_NAME = "Rhys Evans"


class Translator:
    """Text as the app shows it in one language: `cy("Save and continue")`.

    For Welsh, the text must differ from the English, so that a missing translation fails, and
    GOV.UK's standard Welsh must be used where there is some.
    """

    def __init__(self, app: Flask, locale: str) -> None:
        self.app = app
        self.locale = locale

    def __call__(self, msgid: str, **variables: Any) -> str:
        with self.app.test_request_context(f"/{self.locale}/"):
            with force_locale(self.locale):
                text: str = gettext(msgid, **variables)
            with force_locale("en"):
                english: str = gettext(msgid, **variables)
        if self.locale != "en":
            assert text != english, (
                f"No {self.locale!r} translation of {msgid!r} in the compiled catalogue "
                "(translate it, then run `make compile-messages`)"
            )
        if self.locale == "cy" and msgid in GOVUK_WELSH:
            assert text == GOVUK_WELSH[msgid], f"{msgid!r} is {GOVUK_WELSH[msgid]!r} in Welsh"
        return text

    def page_title(self, msgid: str, **variables: Any) -> str:
        """A page title whose English is also a button's: its msgctxt is "page title" (the
        Welsh of a title is an imperative, of a button a verb-noun)."""
        with self.app.test_request_context(f"/{self.locale}/"):
            with force_locale(self.locale):
                text: str = pgettext("page title", msgid, **variables)
            with force_locale("en"):
                english: str = pgettext("page title", msgid, **variables)
        if self.locale != "en":
            assert text != english, f"No {self.locale!r} translation of the page title {msgid!r}"
        return text


def msgid(text: LazyString) -> str:
    """The English msgid of a framework title (translate it with a Translator)."""
    return str(text._args[0])


def plural(t: Translator, singular: str, plural_: str, num: int, **variables: Any) -> str:
    """ngettext in the translator's language (the Welsh must differ from the English)."""
    with t.app.test_request_context(f"/{t.locale}/"):
        with force_locale(t.locale):
            text: str = ngettext(singular, plural_, num, **variables)
        with force_locale("en"):
            english: str = ngettext(singular, plural_, num, **variables)
    if t.locale != "en":
        assert text != english, f"No {t.locale!r} translation of {plural_!r}"
    return text


def format_violations(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations as a readable list, with a few of the elements of each."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:TARGETS_SHOWN]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    {violation['helpUrl']}\n"
            f"    on: {'; '.join(targets)}" + (f" and {more} more" if more > 0 else "")
        )
    return "\n".join(lines)


def assert_accessible(
    page: Page, known: Collection[str] = (), allowed: AllowedNode | None = None
) -> None:
    """Run axe-core on the page as it is now and fail with a readable list of violations.

    The `known` rules (ones the page is known to break, each shown by an xfail test) are left
    out, and so are the nodes `allowed` lets pass. axe is injected by evaluation (which the
    page's Content-Security-Policy does not govern), so the page needs JavaScript on.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    options = AXE_OPTIONS
    if known:
        rules = {**AXE_OPTIONS["rules"], **{rule: {"enabled": False} for rule in known}}
        options = {**AXE_OPTIONS, "rules": rules}
    results = page.evaluate("options => window.axe.run(document, options)", options)
    violations: list[dict[str, Any]] = results["violations"]
    if allowed is not None:
        violations = [
            {**violation, "nodes": nodes}
            for violation in violations
            if (nodes := [node for node in violation["nodes"] if not allowed(violation, node)])
        ]
    if violations:
        besides = f" (besides the known {sorted(known)})" if known else ""
        raise AssertionError(
            f"axe-core found {len(violations)} accessibility violation(s) on {page.url}"
            f"{besides}:\n" + format_violations(violations)
        )


class AccessibilityAudit:
    """Visits pages, checks each is the page meant, and collects axe-core's findings for the end.

    Paths are visited below `base`; `known` maps a path to the axe-core rules its page is known
    to break, and `allowed` lets some violations' nodes pass (see `assert_accessible`).
    """

    def __init__(
        self,
        page: Page,
        t: Translator,
        base: str = "",
        *,
        known: Mapping[str, Collection[str]] | None = None,
        allowed: AllowedNode | None = None,
    ) -> None:
        self.page = page
        self.t = t
        self.base = base
        self.known = known or {}
        self.allowed = allowed
        self.findings: list[str] = []

    def visit(self, path: str, heading_text: str, status: int = 200) -> None:
        """Load the page at `base` + `path` (answered with `status`), and audit it."""
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.status == status, f"{path}: {response.status}"
        wait_until_ready(self.page)
        self.audit(heading_text, self.known.get(path, ()))

    def audit(self, heading_text: str, known: Collection[str] = ()) -> None:
        """Check the page as it is now has this <h1> and language, and run axe-core on it."""
        expect(heading(self.page)).to_have_text(heading_text)
        expect_html_lang(self.page, self.t.locale)
        try:
            assert_accessible(self.page, known, self.allowed)
        except AssertionError as error:
            self.findings.append(str(error))

    def assert_clean(self) -> None:
        """Fail with every page's findings, if there were any."""
        if self.findings:
            raise AssertionError("\n\n".join(self.findings))


def wait_until_ready(page: Page) -> None:
    """Wait for the page's scripts after a full page load (a click does not wait for them).

    Until then htmx has not boosted the links and forms: a click would load a whole page, which
    works, but is not what a test of the boosted journey means to check.
    """
    page.wait_for_load_state("load")


def sign_in(page: Page, email: str, t: Translator, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page in the translator's language."""
    page.goto(f"/{t.locale}/sign-in")
    page.get_by_label(t("Email address"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    # Hidden ones count: on a narrow screen the header menu starts collapsed. (The header's:
    # the closed timeout warning has a hidden "Sign out" button too.)
    sign_out_button = page.get_by_role("banner").get_by_role(
        "button", name=t("Sign out"), exact=True, include_hidden=True
    )
    expect(sign_out_button).to_be_attached()
    wait_until_ready(page)


def sign_out(page: Page, t: Translator) -> None:
    """Sign out with the header's button and check the service says so."""
    page.get_by_role("button", name=t("Sign out"), exact=True).click()
    expect(page.get_by_text(t("You have signed out."))).to_be_visible()
    expect(page.get_by_role("button", name=t("Sign out"), exact=True)).to_have_count(0)
    assert page.url.endswith(f"/{t.locale}/")


def is_console_error(message: ConsoleMessage) -> bool:
    """Whether a console message is an error, other than a page's own failed status (4xx)."""
    # A page answered with 404 or 400 logs "Failed to load resource"; a missing static file is
    # caught from its response instead.
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def htmx_requests(page: Page) -> list[Request]:
    """Record the requests htmx makes from now on (they carry HX-Request)."""
    requests: list[Request] = []

    def record(request: Request) -> None:
        if request.headers.get("hx-request") == "true":
            requests.append(request)

    page.on("request", record)
    return requests


def navigation_statuses(page: Page) -> list[int]:
    """Record the HTTP status of each page the browser loads from now on."""
    statuses: list[int] = []

    def record(response: Response) -> None:
        if response.request.is_navigation_request() and response.request.frame == page.main_frame:
            statuses.append(response.status)

    page.on("response", record)
    return statuses


# Where things are ----------------------------------------------------------------------------


def plan_path(lang: str, year: str, path: str = "") -> str:
    """A page of the plan for the year (its slug, "2026-27"): the task list without a path."""
    return f"/{lang}/plan/{year}/{path}"


def heading(page: Page) -> Locator:
    """The page's <h1>."""
    return page.get_by_role("heading", level=1)


def error_summary(page: Page) -> Locator:
    """The error summary's alert (GOV.UK keeps role="alert" on a child of the focused box)."""
    return page.get_by_role("alert")


def field(page: Page, t: Translator, label: str) -> Locator:
    """A form field by its label (an English msgid)."""
    return page.get_by_label(t(label), exact=True)


def save_button(page: Page, t: Translator) -> Locator:
    """A question page's "Save and continue" button."""
    return page.get_by_role("button", name=t("Save and continue"), exact=True)


def task_link(page: Page, t: Translator, task: str) -> Locator:
    """A task's link on the task list."""
    return page.get_by_role("link", name=t(task), exact=True)


def task_item(page: Page, t: Translator, task: str) -> Locator:
    """A task's entry on the task list."""
    return page.get_by_role("listitem").filter(has=task_link(page, t, task))


# What pages say ------------------------------------------------------------------------------


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for an ARIA snapshot template ("24" stays text)."""
    return json.dumps(text, ensure_ascii=False)


def expect_main(page: Page, rows: list[str]) -> None:
    """The main content matches the lines of an ARIA snapshot template (other content may come
    between)."""
    expect(page.get_by_role("main")).to_match_aria_snapshot("\n".join(rows))


def expect_html_lang(page: Page, lang: str) -> None:
    """The page is in the language: <html lang>."""
    expect(page.locator("html")).to_have_attribute("lang", lang)


def expect_errors(page: Page, t: Translator, messages: list[str], translate: bool = True) -> None:
    """The error summary lists the messages (as links to the fields), the title says "Error:".

    The messages are English msgids, or with `translate=False` the text as the page shows it.
    """
    summary = error_summary(page)
    expect(summary.get_by_role("heading", level=2)).to_have_text(t("There is a problem"))
    shown = [t(message) for message in messages] if translate else messages
    expect(summary.get_by_role("link")).to_have_text(shown)
    expect(page).to_have_title(re.compile("^" + re.escape(t("Error:")) + " "))


def expect_focus_within(
    locator: Locator, timeout: float | None = None, *, same: str | None = None
) -> None:
    """Wait until keyboard focus is on the element or on one of its ancestors (not <body>).

    With `same` (a CSS type, such as "li"), the focused element must also be in the same one of
    those as the element. (GOV.UK's error summary takes focus on its outer box, around its
    role="alert" child.)
    """
    page = locator.page
    handle = locator.element_handle()
    try:
        page.wait_for_function(
            """([el, same]) => {
                const active = document.activeElement
                return active !== document.body && active.contains(el)
                    && (!same || active.closest(same) === el.closest(same))
            }""",
            arg=[handle, same],
            timeout=timeout,
        )
    except PlaywrightTimeoutError as error:
        active = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
        raise AssertionError(f"Focus is not on the expected element; it is on: {active}") from error


def answer_completed(page: Page, t: Translator, year: str, task: str) -> None:
    """Answer "Have you completed this section?" with yes: back on the task list, it is done."""
    question = page.get_by_role("group", name=t("Have you completed this section?"))
    question.get_by_role("radio", name=t("Yes, I've completed this section"), exact=True).check()
    page.get_by_role("button", name=t("Continue"), exact=True).click()
    expect(page).to_have_url(plan_path(t.locale, year))
    expect(task_item(page, t, task)).to_contain_text(t("Completed"))


# Saving answers as if the school had given them -----------------------------------------------


def save_answer(
    user: User,
    step: str,
    data: dict[str, Any],
    year: int = ACADEMIC_YEAR,
    revision: int | None = None,
) -> None:
    """Save one step's answers for the user's school, based on `revision` (by default, on
    whatever is saved already)."""
    assert user.school_id is not None
    db.session.rollback()
    db.session.expire_all()
    plan = get_or_create_plan(user.school_id, year)
    if revision is None:
        saved = db.session.scalar(
            select(PlanAnswer).where(PlanAnswer.plan_id == plan.id, PlanAnswer.step == step)
        )
        revision = saved.revision if saved else 0
    assert save_step(plan, step, data, revision, user).saved
    db.session.commit()
