"""What people write keeps the language it was written in (the page's when it was saved), and
pages mark it with that `lang` where it differs from the page's: a Welsh screen reader reads a
school's English answers, and a coordinator's English comment, with English pronunciation."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Directory, sign_in
from tests.html import soup
from tests.plans import LINE, complete_plan, revision
from wizard.data.database import db
from wizard.data.models import PlanAnswer, PlanComment, PlanVersion
from wizard.domain.academic_year import academic_year_of, year_slug

YEAR = year_slug(academic_year_of(date.today()))
ENGLISH = "We share good practice between classes"
WELSH = "Rydym yn rhannu arfer da rhwng dosbarthiadau"


def lang_of(page: object, text: str) -> str | None:
    """The `lang` of the element that holds `text` (None: it has none, so the page's)."""
    element = soup(page).find(lambda tag: tag.get_text(strip=True) == text)
    assert element is not None, text
    return element.get("lang")


def write_first_context_in_welsh(client: FlaskClient) -> str:
    """Change the school context's answer on the Welsh page; its step key."""
    step = f"/cy/plan/{YEAR}/context-school"
    element = soup(client.get(step)).find("input", attrs={"name": "priorities"})
    data = {"reflection": WELSH, "priorities": [element["value"]]}
    assert client.post(step, data={**data, "revision": revision(client, step)}).status_code == 302
    return "context-school"


def test_answers_keep_their_language_on_the_summary_and_the_submitted_version(
    app: Flask, lead_client: FlaskClient
) -> None:
    complete_plan(lead_client, YEAR, reflection=ENGLISH)  # written on English pages
    step = write_first_context_in_welsh(lead_client)
    languages = {row.step: row.lang for row in db.session.query(PlanAnswer)}
    assert languages[step] == "cy" and languages["hallmark-1"] == "en"
    assert languages["funding-plan"] == "en"

    welsh_summary = lead_client.get(f"/cy/plan/{YEAR}/summary")
    assert lang_of(welsh_summary, ENGLISH) == "en"  # the other contexts, written in English
    assert lang_of(welsh_summary, WELSH) is None  # the page's own language: no mark
    english_summary = lead_client.get(f"/en/plan/{YEAR}/summary")
    assert lang_of(english_summary, WELSH) == "cy"
    assert lang_of(english_summary, ENGLISH) is None

    # The change withdrew "completed" from the contexts: the lead confirms them again.
    check = f"/en/plan/{YEAR}/contexts/check"
    confirmed = lead_client.post(
        check, data={"revision": revision(lead_client, check), "completed": "yes"}
    )
    assert confirmed.status_code == 302
    assert lead_client.post(f"/en/plan/{YEAR}/submit").status_code == 302
    snapshot = db.session.query(PlanVersion).one().snapshot
    assert snapshot["languages"][step] == "cy" and snapshot["languages"]["hallmark-1"] == "en"
    version = lead_client.get(f"/cy/plan/{YEAR}/versions/1")
    assert lang_of(version, ENGLISH) == "en" and lang_of(version, WELSH) is None
    # "Not provided" and the page's own words are never marked.
    assert all(tag.get("lang") in (None, "en", "cy") for tag in soup(version).select(".app-answer"))


def test_a_move_on_the_board_keeps_the_language_of_the_answers(
    lead_client: FlaskClient,
) -> None:
    complete_plan(lead_client, YEAR, lang="cy", reflection=WELSH)
    languages = {row.step: row.lang for row in db.session.query(PlanAnswer)}
    assert languages["context-school"] == "cy" and languages["diamond-9"] is None


def test_comments_and_replies_keep_their_language(app: Flask, directory: Directory) -> None:
    cluster = directory.cluster("West")
    school = directory.school(cluster=cluster)
    directory.user("lead@school.example", school=school, lead=True)
    directory.user("coord@la.example", coordinator_of=[cluster])
    lead, coordinator = app.test_client(), app.test_client()
    sign_in(lead, "lead@school.example")
    sign_in(coordinator, "coord@la.example")
    complete_plan(lead, YEAR)
    assert lead.post(f"/en/plan/{YEAR}/submit").status_code == 302
    base = f"/clusters/{cluster.id}/schools/{school.id}/{YEAR}"
    coordinator.post(
        f"/en{base}/comments",
        data={"version": "1", "task": "whole-plan", "body": "A clear plan overall"},
    )
    comment = db.session.query(PlanComment).one()
    assert comment.lang == "en"
    hub = lead.get(f"/cy/plan/{YEAR}/")
    assert lang_of(hub, "A clear plan overall") == "en"
    reply = lead.post(
        f"/cy/plan/{YEAR}/feedback/{comment.id}/reply", data={"body": "Diolch, byddwn yn gwneud"}
    )
    assert reply.status_code == 302
    page = coordinator.get(f"/en{base}")
    assert lang_of(page, "Diolch, byddwn yn gwneud") == "cy"
    assert lang_of(page, "A clear plan overall") is None


def test_a_person_writing_in_the_other_language_says_so(lead_client: FlaskClient) -> None:
    """On a Welsh page, "Rwy'n ysgrifennu yn Saesneg" keeps English answers as English; the box
    starts ticked when the page's answers were written in the other language."""
    complete_plan(lead_client, YEAR, lang="cy", reflection=WELSH)
    step = f"/cy/plan/{YEAR}/hallmark-1"
    box = soup(lead_client.get(step)).find(id="written-in-other-language")
    assert box is not None and not box.has_attr("checked")
    label = soup(lead_client.get(step)).find("label", attrs={"for": "written-in-other-language"})
    assert label.get_text(strip=True) == "Rwy'n ysgrifennu yn Saesneg"
    data = {
        "rating": "developing",
        "evidence": "Lesson visits",
        "next_steps": "Coaching",
        "written_in_other_language": "yes",
        "revision": revision(lead_client, step),
    }
    assert lead_client.post(step, data=data).status_code == 302
    row = db.session.query(PlanAnswer).filter_by(step="hallmark-1").one()
    db.session.refresh(row)
    assert row.lang == "en"
    assert soup(lead_client.get(step)).find(id="written-in-other-language").has_attr("checked")
    english = soup(lead_client.get(f"/en/plan/{YEAR}/hallmark-1"))
    assert not english.find(id="written-in-other-language").has_attr("checked")
    summary = lead_client.get(f"/cy/plan/{YEAR}/summary")
    assert lang_of(summary, "Lesson visits") == "en"  # hallmark 1 (the first), now English
    new_line = f"/cy/plan/{YEAR}/funding-plan/lines/new"
    line = {**LINE, "amount": "1", "written_in_other_language": "yes"}
    line["revision"] = revision(lead_client, new_line)
    assert lead_client.post(new_line, data=line).status_code == 302
    funding = db.session.query(PlanAnswer).filter_by(step="funding-plan").one()
    db.session.refresh(funding)
    assert funding.lang == "en"
    check = lead_client.get(f"/cy/plan/{YEAR}/hallmarks/check")
    assert lang_of(check, "Lesson visits") == "en"
    contexts = lead_client.get(f"/en/plan/{YEAR}/contexts/check")
    assert lang_of(contexts, WELSH) == "cy"


WELSH_LINE = "Amser i'r triawdau gynllunio gyda'i gilydd"


def _line_ids() -> dict[str, str]:
    """The funding lines' ids by description, and each stored line's language."""
    funding = db.session.query(PlanAnswer).filter_by(step="funding-plan").one()
    db.session.refresh(funding)
    return {line["description"]: line.get("lang") for line in funding.data["lines"]} | {
        f"id:{line['description']}": line["id"] for line in funding.data["lines"]
    }


def test_each_funding_line_keeps_its_own_language(lead_client: FlaskClient) -> None:
    """A line added on a Welsh page does not relabel the lines written on English pages."""
    complete_plan(lead_client, YEAR)  # its line written on English pages
    new_line = f"/cy/plan/{YEAR}/funding-plan/lines/new"
    line = {**LINE, "description": WELSH_LINE, "amount": "1"}
    assert (
        lead_client.post(
            new_line, data={**line, "revision": revision(lead_client, new_line)}
        ).status_code
        == 302
    )
    stored = _line_ids()
    assert stored[LINE["description"]] == "en" and stored[WELSH_LINE] == "cy"

    for page in (f"/en/plan/{YEAR}/summary", f"/en/plan/{YEAR}/funding-plan"):
        english = lead_client.get(page)
        assert lang_of(english, LINE["description"]) is None, page
        assert lang_of(english, WELSH_LINE) == "cy", page
    welsh = lead_client.get(f"/cy/plan/{YEAR}/summary")
    assert lang_of(welsh, LINE["description"]) == "en" and lang_of(welsh, WELSH_LINE) is None

    # The line form's "I am writing in …" box says how the line being changed was written.
    def ticked(description: str) -> bool:
        page = f"/cy/plan/{YEAR}/funding-plan/lines/{stored['id:' + description]}"
        return bool(
            soup(lead_client.get(page)).find(id="written-in-other-language").has_attr("checked")
        )

    assert ticked(LINE["description"]) and not ticked(WELSH_LINE)


def test_a_line_saved_before_lines_kept_their_language_keeps_the_steps(
    lead_client: FlaskClient,
) -> None:
    """An older line (no "lang" of its own) reads as the funding step's language, and keeps it
    when another line is added in the other language."""
    complete_plan(lead_client, YEAR)
    funding = db.session.query(PlanAnswer).filter_by(step="funding-plan").one()
    funding.data = {
        "lines": [{k: v for k, v in line.items() if k != "lang"} for line in funding.data["lines"]]
    }
    db.session.commit()
    assert lang_of(lead_client.get(f"/cy/plan/{YEAR}/summary"), LINE["description"]) == "en"
    new_line = f"/cy/plan/{YEAR}/funding-plan/lines/new"
    line = {**LINE, "description": WELSH_LINE, "amount": "1"}
    assert (
        lead_client.post(
            new_line, data={**line, "revision": revision(lead_client, new_line)}
        ).status_code
        == 302
    )
    stored = _line_ids()
    assert stored[LINE["description"]] == "en" and stored[WELSH_LINE] == "cy"
    english = lead_client.get(f"/en/plan/{YEAR}/summary")
    assert lang_of(english, LINE["description"]) is None and lang_of(english, WELSH_LINE) == "cy"


def test_a_colleagues_answers_in_the_conflict_panel_keep_their_language(
    lead_client: FlaskClient,
) -> None:
    """Someone saved the school context in Welsh after the lead opened it in English: the 409
    shows their answers marked as Welsh, beside the lead's own (still in the form)."""
    complete_plan(lead_client, YEAR, reflection=ENGLISH)
    step = f"/en/plan/{YEAR}/context-school"
    opened = revision(lead_client, step)
    write_first_context_in_welsh(lead_client)
    element = soup(lead_client.get(step)).find("input", attrs={"name": "priorities"})
    stale = lead_client.post(
        step,
        data={
            "reflection": "Mine, in English",
            "priorities": [element["value"]],
            "revision": opened,
        },
    )
    assert stale.status_code == 409
    assert lang_of(stale, WELSH) == "cy"
    assert soup(stale).find("textarea", attrs={"name": "reflection"}).get_text() == (
        "Mine, in English"
    )
