"""Links made for others follow the port `make run` serves on when no base URL is configured
(issue 29 point 9): a share link, a staff voice link and the links in emails, which pointed at
port 5000 whatever PORT was. `make run` sets WIZARD_BASE_URL to http://HOST:PORT unless one is
set (tests/unit/test_make_run.py reads the Makefile's line); here that address, through the
configuration, is where every such link goes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import sign_in
from tests.html import soup
from tests.plans import write_plan
from wizard.config import ROOT, load_config
from wizard.data.database import db
from wizard.data.models import OutboxMail, User
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
PORT = "5078"


def make_run_base_url() -> str:
    """The WIZARD_BASE_URL `make run PORT=5078` serves with, when none is set."""
    commands = subprocess.run(
        ["make", "-n", "-s", "run", "HOST=127.0.0.1", f"PORT={PORT}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "WIZARD_BASE_URL"},
    ).stdout.splitlines()
    serve = next(line for line in commands if " run --host " in line)
    assignment = serve.split(" ", 1)[0]
    return subprocess.run(
        ["sh", "-c", f'{assignment}; printf %s "$WIZARD_BASE_URL"'],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
    ).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_links_for_others_go_to_the_port_make_run_serves_on(
    make_app: Any, lead: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIZARD_BASE_URL", make_run_base_url())
    monkeypatch.delenv("WIZARD_ENV", raising=False)
    base = load_config(tmp_path)["BASE_URL"]
    assert base == f"http://127.0.0.1:{PORT}"
    other: Flask = make_app(BASE_URL=base)
    client = other.test_client()
    sign_in(client, lead.email)
    write_plan(client, YEAR)
    linked = re.compile(rf"^http://127\.0\.0\.1:{PORT}/(en|cy)/")

    shared = client.post(f"/en/plan/{YEAR}/share", data={"shows": "draft"})
    assert linked.match(soup(shared).find(id="new-share-link")["href"])

    closes = date.today() + timedelta(days=14)
    voice = client.post(
        f"/cy/plan/{YEAR}/staff-voice",
        data={
            "closes_day": str(closes.day),
            "closes_month": str(closes.month),
            "closes_year": str(closes.year),
        },
        follow_redirects=True,
    )
    links = [a["href"] for a in soup(voice).find_all("a", href=True)]
    assert any(re.match(rf"^http://127\.0\.0\.1:{PORT}/cy/staff-voice/", href) for href in links)

    reset = other.test_client().post("/en/reset-password", data={"email": lead.email})
    assert reset.status_code in (200, 302)
    with other.app_context():
        body = db.session.scalars(
            select(OutboxMail.body).where(OutboxMail.recipient == lead.email)
        ).first()
    assert body is not None
    assert f"http://127.0.0.1:{PORT}/en/" in body and "http://127.0.0.1:5000" not in body
