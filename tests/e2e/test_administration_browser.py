"""A local authority administrator, in Welsh, in a real browser: imports the published list of
schools (the demo's sample file) with its Welsh names, looks at the preview and applies it, then
hands one school to a member as its lead (with the confirmation step) and invites the lead of
another, imports the authority's clusters and names a coordinator, by keyboard only. axe-core
checks every administration page in Welsh and in English."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.conftest import Directory
from wizard.data.database import db
from wizard.data.models import Invitation, School, User

from .support import AccessibilityAudit, Translator, heading, sign_in, wait_until_ready

DEMO = Path(__file__).resolve().parents[2] / "docs" / "demo"


def press_until_focused(page: Page, locator_name: str, role: str, limit: int = 60) -> None:
    """Tab through the page until the named control has the focus (as a keyboard user would)."""
    target = page.get_by_role(role, name=locator_name, exact=True)  # type: ignore[arg-type]
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{role} {locator_name!r} was never reached by Tab")


def test_an_authority_administrator_imports_the_list_and_hands_schools_to_their_leads(
    directory: Directory, page: Page, cy: Translator, en: Translator
) -> None:
    gwynedd = directory.authority("gwynedd")
    arfon = directory.cluster("Arfon cluster", "gwynedd")
    penrhos = directory.school("Ysgol Gynradd Penrhos", None, cluster=arfon, number="6612904")
    directory.user("admin@gwynedd.example", name="Gareth Hughes", authority_admin=gwynedd)
    directory.user("athro@penrhos.example", name="Dafydd Rowlands", school=penrhos)

    sign_in(page, "admin@gwynedd.example", cy)
    audit = AccessibilityAudit(page, cy)
    page.get_by_role("banner").get_by_role("link", name=cy("Administration")).click()
    wait_until_ready(page)
    audit.audit(cy("Administration"))

    # The import: the published list and the Welsh names, then the preview.
    page.get_by_role("link", name=cy("Import the list of schools")).click()
    wait_until_ready(page)
    audit.audit(cy("Import the list of schools"))
    page.get_by_label(cy("List of schools (XLSX or ODS)")).set_input_files(
        DEMO / "address-list-of-schools-gwynedd.xlsx"
    )
    page.get_by_label(cy("Welsh names of the schools (optional)")).set_input_files(
        DEMO / "welsh-names-gwynedd.csv"
    )
    page.get_by_role("button", name=cy("Upload and see the changes")).focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(cy("Check the changes to the list of schools"))
    wait_until_ready(page)
    audit.audit(cy("Check the changes to the list of schools"))
    expect(page.get_by_text("Ysgol Uwchradd Dyffryn Ogwen")).to_be_visible()
    preview = page.url
    page.get_by_role("button", name=cy("Apply these changes")).focus()
    page.keyboard.press("Enter")
    # The success banner takes focus once GOV.UK Frontend has made it (after htmx settles):
    # wait for that, or a link focused meanwhile loses its focus to the banner.
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text(cy("The list of schools has been applied."))
    expect(banner).to_be_focused()
    audit.audit(cy("Schools"))
    db.session.expire_all()
    new = db.session.scalar(select(School).where(School.school_number == "6614915"))
    assert new is not None and new.name_cy == "Ysgol Uwchradd Dyffryn Ogwen"
    # A school without a Welsh name shows its English one, marked as English.
    english_only = page.get_by_role("link", name="St Seiriol's Church in Wales Primary School")
    expect(english_only.locator("span[lang=en]")).to_have_count(1)

    # Find Penrhos by its number, by keyboard, and make its member the lead (it asks first).
    page.get_by_label(cy("School name or number")).focus()
    page.keyboard.type("6612904")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Ysgol Gynradd Penrhos")).to_be_visible()
    page.get_by_role("link", name="Ysgol Gynradd Penrhos").focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Ysgol Gynradd Penrhos")
    wait_until_ready(page)
    audit.audit("Ysgol Gynradd Penrhos")
    page.get_by_role("link", name=f"{cy('Make lead')} (Dafydd Rowlands)").focus()
    page.keyboard.press("Enter")
    question = cy("Make %(name)s the school’s lead?", name="Dafydd Rowlands")
    expect(heading(page)).to_have_text(question)
    wait_until_ready(page)
    audit.audit(question)
    page.get_by_role(
        "button", name=cy("Yes, make %(name)s the lead", name="Dafydd Rowlands")
    ).focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(
            cy("%(name)s is now the school’s professional learning lead.", name="Dafydd Rowlands")
        )
    ).to_be_visible()
    db.session.expire_all()
    lead = db.session.scalar(select(User).where(User.email == "athro@penrhos.example"))
    assert lead is not None and lead.is_school_lead

    # A new school, with nobody yet: invite its lead by keyboard.
    page.goto("/cy/admin/schools?q=6614915")
    page.get_by_role("link", name="Ysgol Uwchradd Dyffryn Ogwen").focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Ysgol Uwchradd Dyffryn Ogwen")
    page.get_by_label(cy("Full name")).focus()
    page.keyboard.type("Nia Owen")
    page.keyboard.press("Tab")
    page.keyboard.type("nia.owen@ogwen.example")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(
            cy(
                "An invitation to lead the school has been sent to %(email)s.",
                email="nia.owen@ogwen.example",
            )
        )
    ).to_be_visible()
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.email == "nia.owen@ogwen.example")
    )
    assert invitation is not None and invitation.as_lead

    # The clusters from the authority's own file, then a coordinator for one of them.
    page.goto("/cy/admin/clusters/import")
    wait_until_ready(page)
    audit.audit(cy("Import clusters"))
    page.get_by_label(cy("File of clusters (CSV)")).set_input_files(DEMO / "clusters-gwynedd.csv")
    page.get_by_role("button", name=cy("Upload and see the changes")).focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(cy("Check the changes to the clusters"))
    wait_until_ready(page)
    audit.audit(cy("Check the changes to the clusters"))
    page.get_by_role("button", name=cy("Apply these changes")).focus()
    page.keyboard.press("Enter")
    # The success banner takes focus once GOV.UK Frontend has made it (after htmx settles):
    # wait for that, or a link focused meanwhile loses its focus to the banner.
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text(cy("The clusters have been applied."))
    expect(banner).to_be_focused()
    page.get_by_role("link", name="Clwstwr Meirionnydd").focus()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Clwstwr Meirionnydd")
    page.get_by_label(cy("Email address")).focus()
    page.keyboard.type("sian@gwynedd.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Siân Roberts")
    page.keyboard.press("Enter")
    expect(page.get_by_text("sian@gwynedd.example", exact=False).first).to_be_visible()
    coordinator = db.session.scalar(select(User).where(User.email == "sian@gwynedd.example"))
    assert coordinator is not None and [c.name_en for c in coordinator.coordinated_clusters] == [
        "Meirionnydd cluster"
    ]

    # The other pages, in Welsh, then everything again in English.
    for path, title in (
        ("/admin/clusters", "Clusters and coordinators"),
        (f"/admin/clusters/{arfon.id}", None),
        ("/admin/clusters/import", "Import clusters"),
        ("/admin/requests", "Requests to join schools that have no lead"),
        ("/admin/history", "History of changes"),
        ("/national", None),
    ):
        for t in (cy, en):
            response = page.goto(f"/{t.locale}{path}")
            assert response is not None and response.status == 200, path
            wait_until_ready(page)
            english = AccessibilityAudit(page, t)
            text = t(title) if title else heading(page).inner_text()
            english.audit(text)
            audit.findings.extend(english.findings)
    assert page.goto(preview) is not None
    audit.assert_clean()
