"""The privacy notice and the accessibility statement are true of the running service: the
controller and its contacts come from the configuration (or the page says honestly that they
are not configured), the retention periods are the ones the retention sweep uses, and the
statement says what switching language really does, with a contact and the enforcement body."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from tests.conftest import Directory
from tests.html import soup, summary_rows, text
from wizard.config import load_config
from wizard.data.database import db
from wizard.data.models import SignInAttempt, utcnow

CONTROLLER = {
    "CONTROLLER_NAME": "Cyngor Sir Ddinbych",
    "CONTROLLER_ADDRESS": "County Hall, Wynnstay Road, Ruthin, LL15 1YN",
    "CONTROLLER_EMAIL": "data@denbighshire.example",
    "DPO_EMAIL": "dpo@denbighshire.example",
    "ACCESSIBILITY_EMAIL": "access@denbighshire.example",
    "HOSTING_PROVIDER": "Example Cloud Ltd (London)",
    "MAIL_PROVIDER": "Example Mail Ltd",
    "REQUEST_LOG_RETENTION": "14 days",
}


def _row(page: Any, row_id: str) -> str:
    return text(page.find(id=row_id).find("td"))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_without_configuration_the_notice_says_what_is_not_configured(
    client: Any, lang: str
) -> None:
    response = client.get(f"/{lang}/privacy")
    assert response.status_code == 200
    page = soup(response)
    unset = {node["data-setting"] for node in page.select(".app-not-configured")}
    assert unset == {
        "WIZARD_CONTROLLER_NAME",
        "WIZARD_CONTROLLER_ADDRESS",
        "WIZARD_CONTROLLER_EMAIL",
        "WIZARD_DPO_EMAIL",
        "WIZARD_HOSTING_PROVIDER",
        "WIZARD_MAIL_PROVIDER",
        "WIZARD_REQUEST_LOG_RETENTION",
    }
    words = "Not configured yet" if lang == "en" else "Heb ei osod eto"
    assert words in text(page.find(id="controller-name"))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_notice_names_the_controller_dpo_and_processors_from_the_configuration(
    make_app: Any, lang: str
) -> None:
    response = make_app(**CONTROLLER).test_client().get(f"/{lang}/privacy")
    page = soup(response)
    assert page.select(".app-not-configured") == []
    rows = summary_rows(response)
    controller = "Data controller" if lang == "en" else "Rheolydd data"
    dpo = "Data protection officer" if lang == "en" else "Swyddog diogelu data"
    assert rows[controller] == "Cyngor Sir Ddinbych"
    assert rows[dpo] == "dpo@denbighshire.example"
    assert page.find(id="dpo-email").find("a")["href"] == "mailto:dpo@denbighshire.example"
    assert page.find(id="controller-email").find("a")["href"] == "mailto:data@denbighshire.example"
    assert "Ruthin" in text(page.find(id="controller-address"))
    assert text(page.find(id="hosting-provider")) == "Example Cloud Ltd (London)"
    assert text(page.find(id="mail-provider")) == "Example Mail Ltd"
    assert _row(page, "retention-request-log") == "14 days"


@pytest.mark.parametrize(("lang", "words"), [("en", "internet (IP) address"), ("cy", "(IP)")])
def test_the_notice_says_what_the_request_log_keeps(client: Any, lang: str, words: str) -> None:
    """make serve's gunicorn logs every request with the client's address (but no token, and
    no staff voice responder's address): the notice says so, and how long the log is kept."""
    page = soup(client.get(f"/{lang}/privacy"))
    assert words in text(page.find(id="request-log"))
    kept = page.find(id="retention-request-log").find(class_="app-not-configured")
    assert kept["data-setting"] == "WIZARD_REQUEST_LOG_RETENTION"


def test_the_controller_details_are_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_CONTROLLER_NAME", "Cyngor Gwynedd")
    monkeypatch.setenv("WIZARD_DPO_EMAIL", "dpo@gwynedd.example")
    monkeypatch.setenv("WIZARD_CONTROLLER_EMAIL", "data@gwynedd.example")
    monkeypatch.delenv("WIZARD_ACCESSIBILITY_EMAIL", raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.gwynedd.example")
    monkeypatch.delenv("WIZARD_MAIL_PROVIDER", raising=False)
    config = load_config(tmp_path, {"SECRET_KEY": "x"})
    assert config["CONTROLLER_NAME"] == "Cyngor Gwynedd"
    assert config["DPO_EMAIL"] == "dpo@gwynedd.example"
    # Without their own settings: the controller's email, and the mail server.
    assert config["ACCESSIBILITY_EMAIL"] == "data@gwynedd.example"
    assert config["MAIL_PROVIDER"] == "smtp.gwynedd.example"


@pytest.mark.parametrize(
    ("lang", "eleven", "two"), [("en", "11 days", "2 days"), ("cy", "11 diwrnod", "2 ddiwrnod")]
)
def test_the_retention_periods_shown_are_the_ones_the_sweep_uses(
    app: Flask,
    ctx: None,
    directory: Directory,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    eleven: str,
    two: str,
) -> None:
    monkeypatch.setitem(app.config, "RETENTION_SIGN_IN_ATTEMPTS_DAYS", 11)
    monkeypatch.setitem(app.config, "RETENTION_SENT_EMAIL_DAYS", 2)
    page = soup(app.test_client().get(f"/{lang}/privacy"))
    assert _row(page, "retention-sign-in-attempts") == eleven
    assert _row(page, "retention-sent-emails") == two
    for row_id, key in (
        ("retention-sessions", "RETENTION_SESSION_DAYS"),
        ("retention-account-events", "RETENTION_ACCOUNT_EVENTS_DAYS"),
        ("retention-expired-tokens", "RETENTION_EXPIRED_TOKEN_DAYS"),
    ):
        assert _row(page, row_id).split()[0] == str(app.config[key])

    # The sweep keeps an attempt 10 days old and deletes one 12 days old.
    client = app.test_client()
    for _ in range(2):
        client.post("/en/sign-in", data={"email": "nobody@school.example", "password": "x" * 12})
    first, second = db.session.scalars(select(SignInAttempt.id).order_by(SignInAttempt.id))
    for row, days in ((first, 10), (second, 12)):
        db.session.execute(
            update(SignInAttempt)
            .where(SignInAttempt.id == row)
            .values(created_at=utcnow() - timedelta(days=days))
        )
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["purge-expired"]).exit_code == 0
    assert list(db.session.scalars(select(SignInAttempt.id))) == [first]
    assert db.session.scalar(select(func.count()).select_from(SignInAttempt)) == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_notice_covers_the_icos_checklist(client: Any, lang: str) -> None:
    page = soup(client.get(f"/{lang}/privacy"))
    body = text(page.find("main"))
    ico = page.find(id="ico")
    assert "0303 123 1113" in text(ico)
    assert ico.find("a")["href"].startswith("https://ico.org.uk/")
    if lang == "en":
        needed = [
            "public task",
            "Article 6(1)(e)",
            "Staff voice responses",
            "anonymous",
            "Sign-in attempts",
            "Emails we send you",
            "audit trail",
            "(access)",
            "(rectification)",
            "(erasure)",
            "(restriction)",
            "(objection)",
        ]
    else:
        needed = [
            "tasg gyhoeddus",
            "Erthygl 6(1)(e)",
            "Ymatebion llais staff",
            "ddienw",
            "Ymdrechion i fewngofnodi",
            "E-byst rydym yn eu hanfon atoch",
            "trywydd archwilio",
            "(mynediad)",
            "(cywiro)",
            "(dileu)",
            "(cyfyngu)",
            "(gwrthwynebu)",
        ]
    missing = [phrase for phrase in needed if phrase not in body]
    assert missing == []
    # Every kind of record kept, with how long.
    rows = [row["id"] for row in page.select("#retention tbody tr[id]")]
    assert rows == [
        "retention-sessions",
        "retention-sign-in-attempts",
        "retention-account-events",
        "retention-rate-limits",
        "retention-request-log",
        "retention-sent-emails",
        "retention-expired-tokens",
        "retention-uploads",
    ]
    assert page.find("a", href=f"/{lang}/cookies") is not None


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_accessibility_statement_says_unsaved_input_is_lost_on_switching(
    client: Any, lang: str
) -> None:
    page = soup(client.get(f"/{lang}/accessibility"))
    body = text(page.find("main"))
    assert "without losing your answers" not in body
    assert "heb golli eich atebion" not in body
    switching = text(page.find(id="switching-language"))
    if lang == "en":
        assert "not yet saved is lost" in switching
    else:
        assert "heb ei gadw eto yn cael ei golli" in switching


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_accessibility_statement_has_a_contact_and_the_enforcement_body(
    make_app: Any, client: Any, lang: str
) -> None:
    page = soup(make_app(**CONTROLLER).test_client().get(f"/{lang}/accessibility"))
    assert page.find("a", href="mailto:access@denbighshire.example") is not None
    enforcement = page.find(id="enforcement")
    assert enforcement.find("a")["href"] == "https://www.equalityadvisoryservice.com/"
    assert "EASS" in text(enforcement)
    # Without an email configured, the statement says so and where to go instead.
    unset = soup(client.get(f"/{lang}/accessibility")).select(".app-not-configured")
    assert [node["data-setting"] for node in unset] == ["WIZARD_ACCESSIBILITY_EMAIL"]
