"""Small readers of parsed pages, so tests say what they check."""

from __future__ import annotations

from typing import Any

from werkzeug.test import TestResponse


def soup(response: TestResponse) -> Any:
    return response.soup  # type: ignore[attr-defined]


def text(node: Any) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def heading(response: TestResponse) -> str:
    return text(soup(response).find("h1"))


def title(response: TestResponse) -> str:
    return text(soup(response).find("title"))


def error_summary(response: TestResponse) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary__list")
    return [text(item) for item in summary.find_all("li")] if summary else []


def error_links(response: TestResponse) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary__list")
    return [a["href"] for a in summary.find_all("a")] if summary else []


def summary_rows(response: TestResponse) -> dict[str, str]:
    rows = {}
    for row in soup(response).select(".govuk-summary-list__row"):
        key = row.select_one(".govuk-summary-list__key")
        value = row.select_one(".govuk-summary-list__value")
        rows[text(key)] = text(value)
    return rows


def field_value(response: TestResponse, name: str) -> str | None:
    field = soup(response).find("input", attrs={"name": name})
    return field.get("value") if field is not None else None


def checked_radio(response: TestResponse, name: str) -> str | None:
    field = soup(response).find("input", attrs={"name": name, "checked": True})
    return field.get("value") if field is not None else None


def toggle_link(response: TestResponse) -> Any:
    return soup(response).select_one("nav.app-language-toggle a[hreflang]")


def task_status(response: TestResponse, title_text: str) -> str:
    for item in soup(response).select(".govuk-task-list__item"):
        if title_text in text(item.select_one(".govuk-task-list__name-and-hint")):
            return text(item.select_one(".govuk-task-list__status"))
    raise AssertionError(f"no task called {title_text!r}")
