"""Sending email: through SMTP when MAIL_SERVER is set, otherwise written to the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template, url_for

from wizard.web.i18n import using_locale


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email: the configured BASE_URL (WIZARD_BASE_URL) and the path,
    never the host or scheme a request claims (that would let anyone send our users a real
    reset link to their own site)."""
    base: str = current_app.config["BASE_URL"]
    return base.rstrip("/") + url_for(endpoint, **values)


def send_email(to: str, template: str, locale: str, **context: Any) -> None:
    """Render `templates/emails/<template>.txt` in the recipient's language and send it.

    The template's first line is the subject.
    """
    with using_locale(locale):
        rendered = render_template(f"emails/{template}.txt", lang=locale, **context)
    subject, _, body = rendered.strip().partition("\n")
    message = EmailMessage()
    message["Subject"] = subject.strip()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Content-Language"] = locale
    message.set_content(body.strip() + "\n")
    server = current_app.config["MAIL_SERVER"]
    if not server:
        current_app.logger.warning(
            "No MAIL_SERVER is set, so this email was not sent:\nTo: %s\nSubject: %s\n\n%s",
            to,
            message["Subject"],
            body.strip(),
        )
        return
    with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=10) as smtp:
        smtp.send_message(message)
