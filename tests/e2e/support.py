"""Helpers for the browser tests: text in either language, axe-core checks, signing in and out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import PASSWORD

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {
        # A best practice, not a WCAG rule, and the one place we follow GOV.UK instead: its
        # Design System puts the back link before <main>, outside any landmark, so that "Skip
        # to main content" skips it too. Every other best-practice rule applies.
        "region": {"enabled": False},
    },
    "resultTypes": ["violations"],
}
TARGETS_SHOWN = 5
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


def format_violations(violations: list[dict[str, Any]]) -> str:
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


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now and fail with a readable list of violations.

    axe is injected by evaluation (which the page's Content-Security-Policy does not govern),
    so the page needs JavaScript on.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    violations: list[dict[str, Any]] = results["violations"]
    if violations:
        raise AssertionError(
            f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )


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
    # Hidden ones count: on a narrow screen the header menu starts collapsed.
    sign_out_button = page.get_by_role(
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
