"""An email's text: rendered in the recipient's language from `templates/emails/`, its first
line the subject, and its links made from the configured address (WIZARD_BASE_URL).

Who gets which email is decided in `wizard.services.notifications`; keeping, queueing and
sending them in `wizard.services.outbox`."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, url_for

from wizard.data.outbox import Mail
from wizard.render.locale import using_locale


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email: the configured BASE_URL (WIZARD_BASE_URL) and the path,
    never the host or scheme a request claims (that would let anyone send our users a real
    reset link to their own site)."""
    base: str = current_app.config["BASE_URL"]
    return base.rstrip("/") + url_for(endpoint, **values)


def compose(to: str, template: str, locale: str, **context: Any) -> Mail:
    """Render `templates/emails/<template>.txt` in the recipient's language.

    The template's first line is the subject.
    """
    with using_locale(locale):
        rendered = render_template(f"emails/{template}.txt", lang=locale, **context)
    subject, _, body = rendered.strip().partition("\n")
    return Mail(to=to, subject=subject.strip(), body=body.strip() + "\n", locale=locale)
