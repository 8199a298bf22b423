"""Every page type, in Welsh and in English, through the Nu Html Checker (vnu.jar, from the npm
package vnu-jar; `make vnu` fetches it): the pages are saved as files and checked in one run of
the checker (one Java start), which must report no errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.integration.test_staff_voice import open_round, respond, round_id
from tests.plans import NINE, write_plan
from wizard.config import ROOT
from wizard.domain.academic_year import academic_year_of, year_slug

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THIS = academic_year_of(date.today())
YEAR = year_slug(THIS)
NEXT = year_slug(THIS + 1)
SHARED = re.compile(r"/(?:en|cy)/shared/([A-Za-z0-9_-]+)")


@dataclass
class Pages:
    """Pages saved for the checker: file name -> the address it came from."""

    folder: Path
    saved: dict[str, str] = field(default_factory=dict)

    def save(self, name: str, client: FlaskClient, url: str, status: int = 200) -> str:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        assert response.mimetype == "text/html", url
        html = response.get_data(as_text=True)
        return self.save_html(name, url, html)

    def save_html(self, name: str, url: str, html: str) -> str:
        file_name = f"{len(self.saved):03d}-{name}.html"
        (self.folder / file_name).write_text(html, encoding="utf-8")
        self.saved[file_name] = url
        return html


def first_href(html: str, pattern: str) -> str:
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        if re.search(pattern, str(link["href"])):
            return str(link["href"])
    raise AssertionError(f"no link matching {pattern!r}")


def draft_pages(pages: Pages, lead: FlaskClient, lang: str) -> None:
    base = f"/{lang}/plan/{YEAR}"
    save = pages.save
    save("task-list", lead, f"{base}/")
    save("step-about", lead, f"{base}/about-your-school")
    save("step-about-return", lead, f"{base}/about-your-school?return_to=check")
    save("step-context", lead, f"{base}/context-school")
    save("step-hallmark", lead, f"{base}/hallmark-1")
    save("check-about", lead, f"{base}/about-your-school/check")
    save("check-contexts", lead, f"{base}/contexts/check")
    save("check-hallmarks", lead, f"{base}/hallmarks/check")
    save("check-funding", lead, f"{base}/funding-plan/check")
    board = save("board", lead, f"{base}/diamond-9")
    save("arrange", lead, f"{base}/diamond-9/arrange")
    save("about-the-cards", lead, f"{base}/diamond-9/cards")
    save("card-new", lead, f"{base}/diamond-9/cards/new")
    card = first_href(board, r"/diamond-9/cards/\d+$")
    save("card-edit", lead, card)
    save("card-delete", lead, card + "/delete")
    funding = save("funding", lead, f"{base}/funding-plan")
    save("funding-line-new", lead, f"{base}/funding-plan/lines/new")
    line = first_href(funding, r"/funding-plan/lines/(?!new)[^/]+$")
    save("funding-line-edit", lead, line)
    save("funding-line-remove", lead, line + "/remove")
    save("check-plan", lead, f"{base}/check-your-answers")
    save("submit", lead, f"{base}/submit")
    save("summary-draft", lead, f"{base}/summary")
    save("share", lead, f"{base}/share")
    save("account", lead, f"/{lang}/account/")
    save("invite", lead, f"/{lang}/account/invite")
    # Pages with errors: a step and a funding line sent back with their error summaries.
    error_step = lead.post(f"{base}/context-school", data={"reflection": "", "revision": "x"})
    pages.save_html("step-with-errors", f"{base}/context-school", error_step.get_data(as_text=True))
    error_line = lead.post(f"{base}/funding-plan/lines/new", data={"amount": "lots"})
    for sent_back in (error_step, error_line):
        assert sent_back.status_code == 200
        assert soup(sent_back).select_one(".govuk-error-summary") is not None
    pages.save_html("line-with-errors", "lines/new", error_line.get_data(as_text=True))
    save("not-found", lead, f"/{lang}/plan/{YEAR}/no-such-step", status=404)
    save("forbidden", lead, f"/{lang}/national", status=403)


def staff_voice_pages(
    pages: Pages, lead: FlaskClient, member: FlaskClient, lang: str, token: str, voice: int
) -> None:
    """The lead's staff voice pages, a responder's, the history and the account's forms."""
    base = f"/{lang}/plan/{YEAR}"
    save = pages.save
    save("staff-voice", lead, f"{base}/staff-voice")
    save("staff-voice-results", lead, f"{base}/staff-voice/{voice}/results")
    save("staff-voice-delete", lead, f"{base}/staff-voice/{voice}/delete")
    save("staff-voice-already", member, f"/{lang}/staff-voice/{token}")
    save("staff-voice-respond", member, f"/{lang}/staff-voice/{token}?change=1")
    save("staff-voice-board", member, f"/{lang}/staff-voice/{token}/board")
    save("staff-voice-few-cards", member, f"/{lang}/staff-voice/{token}/done")
    save("staff-voice-done", member, f"/{lang}/staff-voice/{token}/done?anyway=1")
    save("history", lead, f"{base}/history")
    save("account-password", lead, f"/{lang}/account/password")
    save("account-language", lead, f"/{lang}/account/language")


def submitted_pages(
    pages: Pages, lead: FlaskClient, anonymous: FlaskClient, lang: str, share_token: str
) -> None:
    base = f"/{lang}/plan/{YEAR}"
    save = pages.save
    save("task-list-submitted", lead, f"{base}/")
    save("reopen", lead, f"{base}/reopen")
    save("summary", lead, f"{base}/summary")
    save("development-plan", lead, f"{base}/summary/development-plan")
    save("confirmation", lead, f"{base}/versions/1/submitted")
    save("versions", lead, f"{base}/versions")
    save("version", lead, f"{base}/versions/1")
    save("next-year-task-list", lead, f"/{lang}/plan/{NEXT}/")
    save("compare", lead, f"/{lang}/plan/{NEXT}/compare?with={YEAR}")
    hub = lead.get(f"{base}/").get_data(as_text=True)
    save("feedback-reply", lead, first_href(hub, r"/feedback/\d+/reply"))
    save("shared", anonymous, f"/{lang}/shared/{share_token}")


@pytest.fixture
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: the HTML checker needs Java 11 or later.", pytrace=False)
    if not VNU_JAR.exists():
        pytest.fail(
            f"{VNU_JAR} is missing: run `make vnu` (npm ci --ignore-scripts).", pytrace=False
        )
    # One short run: the JVM's quick compiler only (its optimising one spent two thirds of the
    # run's CPU compiling code that ran for seconds) and its one-thread collector; the quick
    # compiler's frames are larger, so the checker's schema needs a larger stack than 1 MB.
    # The checker's messages are the same.
    return [
        java,
        "-Xss8m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        str(VNU_JAR),
    ]


def every_page_type(app: Flask, directory: Directory, pages: Pages) -> None:
    """Visit every page type in both languages (a draft, staff voice, a submitted plan, the
    public pages, a coordinator's and an administrator's), saving each in `pages`.

    Also used by tests/integration/test_render_cache.py, which renders each page twice."""
    cluster = directory.cluster("Taff cluster")
    school = directory.school(cluster=cluster)
    directory.user(email="lead@school.example", school=school, lead=True)
    directory.user(
        email="coord@la.example",
        name="Gareth Evans",
        coordinator_of=[cluster, directory.cluster("Ely cluster")],
    )
    directory.user(email="admin@la.example", name="Admin", admin=True)
    lead, coordinator, admin = app.test_client(), app.test_client(), app.test_client()
    sign_in(lead, "lead@school.example")
    sign_in(coordinator, "coord@la.example")
    sign_in(admin, "admin@la.example")

    write_plan(lead, YEAR)
    lead.post(f"/en/plan/{YEAR}/diamond-9/cards/new", data={"title_cy": "Ein cerdyn ni"})
    # A staff voice round with five responses (four with a complete board), and once it has
    # closed its results.
    token = open_round(lead)
    staff = [app.test_client() for _ in range(5)]
    for number, member in enumerate(staff):
        respond(member, token, role="teacher", cards=NINE if number else NINE[:5])
    voice = round_id(app)
    for lang in ("en", "cy"):
        draft_pages(pages, lead, lang)
        staff_voice_pages(pages, lead, staff[0], lang, token, voice)
    last = app.test_client()
    respond(last, token, role="teacher", cards=NINE)
    forgotten = last.post(f"/cy/staff-voice/{token}/forget")
    pages.save_html("staff-voice-forgotten", "forget", forgotten.get_data(as_text=True))
    assert lead.post(f"/en/plan/{YEAR}/staff-voice/{voice}/close").status_code == 302
    for lang in ("en", "cy"):
        pages.save("staff-voice-closed", lead, f"/{lang}/plan/{YEAR}/staff-voice/{voice}/results")
    assert lead.post(f"/en/plan/{YEAR}/submit").status_code == 302
    plan = f"/en/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
    coordinator.post(
        plan + "/comments", data={"version": "1", "task": "hallmarks", "body": "Say more"}
    )
    shared = lead.post(f"/en/plan/{YEAR}/share", data={"shows": "submitted"})
    found = SHARED.search(soup(shared).find(id="new-share-link")["href"])
    assert found is not None
    lead.post(f"/en/plan/{NEXT}/start", data={"start": "copy"})
    # Both of the cluster's deadlines (plans, year-end reviews): the dashboard's two sections
    # and its reminder columns (the plans' is reminded at once, being within seven days).
    first_year = THIS
    for kind, due in (
        ("plan", date.today() + timedelta(days=3)),
        ("year_end", max(date.today(), date(first_year + 1, 6, 30))),
    ):
        set_due = coordinator.post(
            f"/en/clusters/{cluster.id}/deadline?year={YEAR}&kind={kind}",
            data={"due_day": str(due.day), "due_month": str(due.month), "due_year": str(due.year)},
        )
        assert set_due.status_code == 302, set_due.get_data(as_text=True)[:500]

    anonymous = app.test_client()
    for lang in ("en", "cy"):
        for name, url in [
            ("start", f"/{lang}/"),
            ("accessibility", f"/{lang}/accessibility"),
            ("help", f"/{lang}/help"),
            ("privacy", f"/{lang}/privacy"),
            ("cookies", f"/{lang}/cookies"),
            ("sign-in", f"/{lang}/sign-in"),
            ("reset-request", f"/{lang}/reset-password"),
            ("reset-expired", f"/{lang}/reset-password/not-a-token"),
            ("invitation-expired", f"/{lang}/invitation/not-a-token"),
        ]:
            pages.save(name, anonymous, url, status=404 if "not-a-token" in url else 200)
        pages.save("anonymous-not-found", anonymous, f"/{lang}/no-such-page", status=404)
        submitted_pages(pages, lead, anonymous, lang, found.group(1))
        coordinator_plan = f"/{lang}/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
        pages.save("clusters", coordinator, f"/{lang}/clusters/")
        pages.save("cluster-dashboard", coordinator, f"/{lang}/clusters/{cluster.id}")
        pages.save(
            "cluster-deadline-review",
            coordinator,
            f"/{lang}/clusters/{cluster.id}/deadline?kind=year_end",
        )
        pages.save("coordinator-plan", coordinator, coordinator_plan)
        pages.save("coordinator-plan-version", coordinator, coordinator_plan + "?version=1")
        pages.save("coordinator-history", coordinator, coordinator_plan + "/history")
        pages.save("national", admin, f"/{lang}/national")


def test_every_page_type_is_valid_html_in_both_languages(
    app: Flask, directory: Directory, vnu: list[str], tmp_path: Path
) -> None:
    pages = Pages(tmp_path)
    every_page_type(app, directory, pages)
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        "{file} ({url}) line {line}: {message}\n    {extract}".format(
            file=Path(m.get("url", "")).name,
            url=pages.saved.get(Path(m.get("url", "")).name, "?"),
            line=m.get("lastLine", "?"),
            message=m.get("message", ""),
            extract=(m.get("extract") or "").strip(),
        )
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert len(pages.saved) > 110
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)


def check_with_vnu(vnu: list[str], pages: Pages, folder: Path) -> list[str]:
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        "{file} ({url}) line {line}: {message}\n    {extract}".format(
            file=Path(m.get("url", "")).name,
            url=pages.saved.get(Path(m.get("url", "")).name, "?"),
            line=m.get("lastLine", "?"),
            message=m.get("message", ""),
            extract=(m.get("extract") or "").strip(),
        )
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_hwb_and_team_pages_are_valid_html_in_both_languages(
    make_app: Any, directory: Directory, vnu: list[str], tmp_path: Path
) -> None:
    """Sign in with Hwb (against the real provider process: tests/hwb_provider.py), asking to
    join, the refusal and signed-out pages, and the lead's team pages."""
    from tests.hwb_provider import (
        CLIENT_ID,
        CLIENT_SECRET,
        authorize,
        local_path,
        provider_process,
        register,
    )
    from wizard.data.accounts import invite_colleague
    from wizard.data.database import db
    from wizard.data.models import Plan
    from wizard.data.sharing import create_share_link
    from wizard.services import identity

    identity.forget_cache()
    school = directory.school(name_en="Penrhos Primary", name_cy="Ysgol Gynradd Penrhos")
    lead_user = directory.user(email="lead@school.example", school=school, lead=True)
    colleague = directory.user(email="c@school.example", name="Rhys Evans", school=school)
    invite_colleague(lead_user, "new@school.example", "Dafydd Lewis", "cy")
    plan = Plan(school_id=school.id, academic_year=THIS)
    db.session.add(plan)
    db.session.commit()
    create_share_link(plan, lead_user, False, None)
    db.session.commit()
    with provider_process() as issuer:
        app = make_app(
            OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET
        )
        register(issuer, "newcomer", name="Elin Davies", email="elin@hwbcymru.net")
        pages = Pages(tmp_path)
        newcomer = app.test_client()
        back = authorize(newcomer.post("/en/sign-in/hwb").headers["Location"], "newcomer")
        assert newcomer.get(local_path(back)).headers["Location"] == "/en/join"
        lead = app.test_client()
        sign_in(lead, "lead@school.example")
        for lang in ("en", "cy"):
            pages.save("hwb-sign-in", app.test_client(), f"/{lang}/sign-in")
            pages.save("hwb-join", newcomer, f"/{lang}/join")
            pages.save("hwb-join-search", newcomer, f"/{lang}/join?q=Penrhos")
            pages.save("hwb-join-none", newcomer, f"/{lang}/join?q=Nowhere")
            refused = newcomer.post(f"/{lang}/join?q=Penrhos", data={"school": "x"})
            assert refused.status_code == 400
            pages.save_html("hwb-join-error", "join error", refused.get_data(as_text=True))
            pages.save("hwb-refused", app.test_client(), "/hwb/callback?state=x&code=y", 400)
            pages.save("hwb-signed-out", app.test_client(), f"/{lang}/signed-out")
            pages.save("account-hwb", lead, f"/{lang}/account/")
        assert newcomer.post("/en/join", data={"school": str(school.id)}).status_code == 302
        for lang in ("en", "cy"):
            pages.save("hwb-join-pending", newcomer, f"/{lang}/join")
            pages.save("hub-requests", lead, f"/{lang}/plan/{YEAR}/")
            pages.save("team", lead, f"/{lang}/account/team")
            pages.save("team-remove", lead, f"/{lang}/account/team/members/{colleague.id}/remove")
            pages.save("team-lead", lead, f"/{lang}/account/team/members/{colleague.id}/lead")
        invitation = lead.get("/en/account/team").soup.find(  # type: ignore[attr-defined]
            "form", action=re.compile(r"/resend$")
        )["action"]
        for lang in ("en", "cy"):
            link = lead.post(invitation.replace("/en/", f"/{lang}/"))
            pages.save_html("team-link", "resend", link.get_data(as_text=True))
            token = re.search(r"/invitation/([A-Za-z0-9_-]+)", link.get_data(as_text=True))
            assert token is not None
            pages.save("invitation-hwb", app.test_client(), f"/{lang}/invitation/{token.group(1)}")
    problems = check_with_vnu(vnu, pages, tmp_path)
    assert len(pages.saved) >= 30
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)


def test_administration_pages_are_valid_html_in_both_languages(
    app: Flask, directory: Directory, vnu: list[str], tmp_path: Path
) -> None:
    """Every administration page, with a preview of an upload (and one with problems), in
    both languages."""
    import io

    from tests.spreadsheets import published, xlsx
    from wizard.data.database import db
    from wizard.data.models import JoinRequest

    gwynedd = directory.authority("gwynedd")
    cluster = directory.cluster("Arfon", "gwynedd")
    school = directory.school("Ysgol Penrhos", None, cluster=cluster, number="6612001")
    without_lead = directory.school("Ysgol y Gader", None, cluster=cluster, number="6612002")
    directory.user("lead@gwynedd.example", school=school, lead=True)
    member = directory.user("member@gwynedd.example", school=school, name="Rhys Evans")
    coordinator = directory.user("coord@gwynedd.example", coordinator_of=[cluster])
    directory.user("admin@gwynedd.example", authority_admin=gwynedd)
    db.session.add(
        JoinRequest(
            school_id=without_lead.id, issuer="https://hwb.example", subject="s", name="Elin"
        )
    )
    db.session.commit()
    admin = app.test_client()
    sign_in(admin, "admin@gwynedd.example")
    rows = [(6612001, 661, "Gwynedd", "Ysgol Penrhos", "", "", "Primary", "Welsh Medium")]
    bad = [*rows, ("x", 661, "Gwynedd", "", "", "", "", "")]
    previews = []
    for content in (xlsx(published(rows)), xlsx(published(bad))):
        uploaded = admin.post(
            "/en/admin/import",
            data={"schools_file": (io.BytesIO(content), "list.xlsx")},
            content_type="multipart/form-data",
        )
        previews.append(uploaded.headers["Location"])
    clusters = admin.post(
        "/en/admin/clusters/import",
        data={"clusters_file": (io.BytesIO(b"6612002,Meirionnydd,Meirionnydd\n"), "c.csv")},
        content_type="multipart/form-data",
    ).headers["Location"]
    admin.post(f"/en/admin/schools/{school.id}/cluster", data={"cluster": ""})
    pages = Pages(tmp_path)
    for lang in ("en", "cy"):
        base = f"/{lang}/admin"
        pages.save("admin", admin, base)
        pages.save("admin-schools", admin, f"{base}/schools?q=Ysgol")
        pages.save("admin-school", admin, f"{base}/schools/{school.id}")
        pages.save("admin-make-lead", admin, f"{base}/schools/{school.id}/lead/{member.id}")
        pages.save("admin-clusters", admin, f"{base}/clusters")
        pages.save("admin-cluster", admin, f"{base}/clusters/{cluster.id}")
        pages.save(
            "admin-remove-coordinator",
            admin,
            f"{base}/clusters/{cluster.id}/coordinators/{coordinator.id}/remove",
        )
        pages.save("admin-requests", admin, f"{base}/requests")
        pages.save("admin-history", admin, f"{base}/history")
        pages.save("admin-import", admin, f"{base}/import")
        pages.save("admin-preview", admin, previews[0].replace("/en/", f"/{lang}/"))
        pages.save("admin-preview-problems", admin, previews[1].replace("/en/", f"/{lang}/"))
        pages.save("admin-import-clusters", admin, f"{base}/clusters/import")
        pages.save("admin-clusters-preview", admin, clusters.replace("/en/", f"/{lang}/"))
        pages.save("admin-national", admin, f"/{lang}/national")
        refused = admin.post(f"{base}/schools/{school.id}/invite-lead", data={"name": ""})
        assert refused.status_code == 400
        pages.save_html("admin-invite-error", "invite error", refused.get_data(as_text=True))
    problems = check_with_vnu(vnu, pages, tmp_path)
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
