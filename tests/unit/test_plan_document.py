"""The plan document reads every shape a plan has ever been stored in, writes it back as it was,
and names hallmarks by stable ids, so that the framework can be renumbered without touching a
stored plan."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from wizard.domain import changes, compare, framework
from wizard.domain.cards import CardCatalogue, suggestions
from wizard.domain.funding import summarise
from wizard.domain.journey import JOURNEY, TaskStatus
from wizard.domain.plan_document import (
    SCHEMA_VERSION,
    PlanDocument,
    hallmark_of_step,
    hallmark_step,
)
from wizard.domain.summary import view

SCHOOL = {
    "name_en": "Ysgol Example",
    "name_cy": "Ysgol Enghraifft",
    "number": "6612001",
    "local_authority_en": "Swansea",
    "local_authority_cy": "Abertawe",
}


def answers() -> dict[str, Any]:
    """A complete plan's answers, as the steps save them today."""
    return {
        "about-your-school": {
            "phase": "primary",
            "teaching_staff": 12,
            "support_staff": 8,
            "pl_lead": "Catrin Jones",
            "funding_allocation_pence": 1_000_000,
        },
        **{
            f"context-{key}": {"reflection": f"About {key}", "priorities": []}
            for key in ("school", "regional", "national")
        },
        "context-school": {
            "reflection": "Our SDP",
            "priorities": ["research-and-enquiry", "schools-as-learning-organisations"],
        },
        **{
            f"hallmark-{n}": {"rating": "established", "evidence": f"E{n}", "next_steps": f"N{n}"}
            for n in range(1, 9)
        },
        "hallmark-2": {"rating": "developing", "evidence": "E2", "next_steps": "N2"},
        "diamond-9": {
            "slots": {
                "1": "hallmark:2",
                "2": "element:research-and-enquiry",
                "3": "card:pedagogy",
                "4": "own:7",
                "5": "card:well-being",
                "6": "card:assessment",
                "7": "card:equity",
                "8": "card:early-years",
                "9": "card:inclusion",
            },
            "history": [
                {
                    "before": {"1": "card:pedagogy"},
                    "card": "hallmark:2",
                    "slot": 1,
                    "swapped": None,
                    "by": "Catrin",
                    "at": "2026-11-30T10:00:00",
                }
            ],
        },
        "funding-plan": {
            "lines": [
                {
                    "id": "a1b2c3d4e5f6",
                    "purpose": "release-and-cover",
                    "purpose_other": "",
                    "priority": "hallmark:2",
                    "beneficiaries": ["teachers", "support-staff"],
                    "term": "autumn",
                    "description": "Cover for enquiry",
                    "amount_pence": 400_000,
                },
                {
                    "id": "ffeeddccbbaa",
                    "purpose": "other",
                    "purpose_other": "Reading intervention training",
                    "priority": "",
                    "beneficiaries": ["all-staff"],
                    "term": "whole-year",
                    "description": "Training",
                    "amount_pence": 250_050,
                },
            ]
        },
        "contexts:completed": {"completed": True, "revisions": {"context-school": 2}},
        "hallmarks:completed": {"completed": True},
        "funding-plan:completed": {"completed": False},
    }


def schema_1(**changes: Any) -> dict[str, Any]:
    """A version as build_snapshot froze it before the document (no schema_version)."""
    return {
        "school": dict(SCHOOL),
        "academic_year": 2026,
        "version": 2,
        "answers": answers(),
        "own_cards": [{"id": 7, "title_en": "Parents", "title_cy": None}],
        "submitted_at": "2026-12-01T09:30:00+00:00",
        "submitted_by": "Catrin Jones",
        **changes,
    }


# Every shape a version has been stored in, as the code that stored it made it.
STORED_SHAPES: dict[str, dict[str, Any]] = {
    "schema 1, submitted (versions.submit)": schema_1(),
    "schema 1, a draft's summary (no submitter, no date)": schema_1(
        submitted_at=None, submitted_by=None
    ),
    "schema 1, submitter's account removed (privacy.forget)": schema_1(
        submitted_by=None, submitted_by_removed=True
    ),
    "schema 1, seed-wales (no own cards, no submitter)": schema_1(own_cards=[], submitted_by=None),
    "schema 1, a school with no local authority": schema_1(
        school={**SCHOOL, "local_authority_en": "", "local_authority_cy": ""}
    ),
    "schema 1, a plan with no answers yet": schema_1(answers={}, own_cards=[]),
    "schema 1, with the language of each step's answers (migration 0011)": schema_1(
        languages={"context-school": "cy", "hallmark-2": "en"}
    ),
    "schema 2": {**schema_1(), "schema_version": 2, "languages": {"hallmark-1": "cy"}},
    "schema 3, with success criteria": {
        **schema_1(),
        "schema_version": 3,
        "languages": {"success-criteria": "cy"},
        "answers": {
            **answers(),
            "success-criteria": {
                "cards": {
                    "hallmark:2": {"difference": "Pob athro", "evidence": "Arsylwadau"},
                    "card:pedagogy": {"difference": "Better questioning", "evidence": None},
                    "card:gone": {"difference": "Taken off the board", "evidence": None},
                }
            },
        },
    },
}


def current(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored snapshot as the current schema writes it: the same, with its schema version
    and (empty where it had none) the languages of its answers."""
    return {**stored, "schema_version": SCHEMA_VERSION, "languages": stored.get("languages", {})}


@pytest.mark.parametrize("name", STORED_SHAPES)
def test_every_stored_shape_is_read_and_written_back_as_it_was(name: str) -> None:
    stored = STORED_SHAPES[name]
    document = PlanDocument.from_stored(copy.deepcopy(stored))
    assert document.to_stored() == current(stored)
    assert PlanDocument.from_stored(document.to_stored()) == replace(
        document, schema_version=SCHEMA_VERSION
    )


def test_the_schema_version_read_is_kept_and_the_current_one_written() -> None:
    assert PlanDocument.from_stored(schema_1()).schema_version == 1
    assert PlanDocument.from_stored({**schema_1(), "schema_version": 2}).schema_version == 2
    assert PlanDocument.from_stored(schema_1()).to_stored()["schema_version"] == SCHEMA_VERSION
    written = PlanDocument.from_stored(schema_1(languages={"context-school": "cy", "x": 5}))
    assert written.language("context-school") == "cy" and written.language("hallmark-1") is None
    assert written.languages == {"context-school": "cy"}


def test_a_funding_line_keeps_its_own_language_and_older_lines_take_the_steps() -> None:
    older = PlanDocument.from_stored(schema_1(languages={"funding-plan": "cy"}))
    assert [line.lang for line in older.lines] == [None, None]
    assert [older.line_language(line) for line in older.lines] == ["cy", "cy"]
    assert all("lang" not in line for line in older.answers()["funding-plan"]["lines"])
    assert PlanDocument.from_stored(schema_1()).line_language(older.lines[0]) is None

    saved = answers()
    saved["funding-plan"]["lines"][1]["lang"] = "en"
    document = replace(PlanDocument.from_stored(saved), languages={"funding-plan": "cy"})
    assert [document.line_language(line) for line in document.lines] == ["cy", "en"]
    assert document.answers() == saved
    odd = answers()
    odd["funding-plan"]["lines"][0]["lang"] = "fr"
    assert PlanDocument.from_stored(odd).lines[0].lang is None


def test_todays_answers_are_read_and_written_back_as_they_were() -> None:
    saved = answers()
    document = PlanDocument.from_stored(saved)
    assert document.answers() == saved
    assert PlanDocument.from_answers(saved) == document
    assert PlanDocument.from_answers({}).answers() == {}


def test_the_document_is_typed() -> None:
    document = PlanDocument.from_stored(schema_1())
    assert document.about.teaching_staff == 12
    assert document.about.funding_allocation_pence == 1_000_000
    assert document.context("school") is not None
    assert document.contexts["school"].priorities == (
        "research-and-enquiry",
        "schools-as-learning-organisations",
    )
    assert document.hallmarks[2].rating == "developing"
    assert document.rating(2) == "developing" and document.rating(99) is None
    assert document.board.slots[1] == "hallmark:2"
    assert document.board.rows["own:7"] == 3
    assert document.board.ranked[0] == ["hallmark:2"]
    assert document.lines[1].beneficiaries == ("all-staff",)
    assert document.funding.totals.planned == 650_050
    assert document.funding.totals.remaining == 349_950
    assert document.funding.by_priority == {"hallmark:2": 400_000, "": 250_050}
    assert document.completed["contexts"]["completed"] is True
    assert document.own_card("own:7") is not None
    assert document.school.name("cy") == "Ysgol Enghraifft"
    assert document.submitted_by == "Catrin Jones"
    assert dict(document.priorities()) == {
        "research-and-enquiry": "school",
        "schools-as-learning-organisations": "school",
    }


# Older or odder shapes: hand-written, as a snapshot frozen by an earlier build, a test, or a
# hand-edited database might hold them. Each is read without error, into the same document
# after one write.
ODD_SHAPES: dict[str, dict[str, Any]] = {
    "no own_cards key, no submitter keys": {
        "school": {"name_en": "Old school", "number": "6612002"},
        "academic_year": 2025,
        "version": 1,
        "answers": {"hallmark-3": {"rating": "embedded"}},
    },
    "answers null": {"school": None, "answers": None, "own_cards": None},
    "nothing": {},
    "invalid board and lines": {
        "answers": {
            "diamond-9": {"slots": {"0": "card:a", "10": "card:b", "x": "card:c", "2": 5}},
            "funding-plan": {
                "lines": [{"amount_pence": 5}, "junk", {"id": "z", "amount_pence": "7"}]
            },
        },
        "own_cards": [{"title_en": "no id"}, "junk", {"id": 3}],
    },
    "unknown steps and fields (a later schema's, kept)": {
        "answers": {
            "a-later-step": {"criteria": ["Better reading"]},
            "about-your-school": {"phase": "secondary", "governor": "Dr Evans"},
        },
        "schema_version": 3,
    },
}


@pytest.mark.parametrize("name", ODD_SHAPES)
def test_older_and_odder_shapes_are_read_and_settle_after_one_write(name: str) -> None:
    document = PlanDocument.from_stored(ODD_SHAPES[name])
    again = PlanDocument.from_stored(document.to_stored())
    assert again.to_stored() == document.to_stored()


def test_what_odd_shapes_read_as() -> None:
    old = PlanDocument.from_stored(ODD_SHAPES["no own_cards key, no submitter keys"])
    assert old.rating(3) == "embedded" and old.hallmarks[3].evidence is None
    assert old.school.local_authority("en") == "" and old.own_cards == ()
    assert old.schema_version == 1
    invalid = PlanDocument.from_stored(ODD_SHAPES["invalid board and lines"])
    assert invalid.board.slots == {}
    assert [(line.id, line.amount_pence) for line in invalid.lines] == [("z", 7)]
    assert [card.key for card in invalid.own_cards] == ["own:3"]
    later = PlanDocument.from_stored(
        ODD_SHAPES["unknown steps and fields (a later schema's, kept)"]
    )
    assert later.answers()["a-later-step"] == {"criteria": ["Better reading"]}
    assert later.about.extra == {"governor": "Dr Evans"}


def test_hallmark_steps_are_named_by_stable_id() -> None:
    assert hallmark_step(3) == "hallmark-3"
    assert hallmark_of_step("hallmark-3") == 3
    assert hallmark_of_step("hallmark-x") is None
    assert hallmark_of_step("hallmark-³") is None
    assert hallmark_of_step("context-school") is None
    ids = [h.id for h in framework.HALLMARKS]
    assert len(set(ids)) == len(ids)
    slugs = {step.slug for step in JOURNEY.task("hallmarks").steps}  # type: ignore[union-attr]
    assert slugs == {hallmark_step(hallmark_id) for hallmark_id in ids}
    assert set(framework.HALLMARK_SHORT_TITLES) == set(ids)


# Renumbering ----------------------------------------------------------------------------------


@pytest.fixture
def renumbered(monkeypatch: pytest.MonkeyPatch) -> dict[str, framework.Hallmark]:
    """The framework as it would be if NAEL numbered "centred on all learners" (id 2) fifth and
    "focussed on application" (id 5) second: only display numbers and the order shown change."""
    swap = {2: 5, 5: 2}
    hallmarks = sorted(
        (replace(h, number=swap.get(h.number, h.number)) for h in framework.HALLMARKS),
        key=lambda h: h.number,
    )
    monkeypatch.setattr(framework, "HALLMARKS", tuple(hallmarks))
    return {h.key: h for h in hallmarks}


def test_renumbering_the_framework_leaves_stored_plans_on_the_same_hallmarks(
    renumbered: dict[str, framework.Hallmark],
) -> None:
    stored = schema_1()
    before = copy.deepcopy(stored)
    document = PlanDocument.from_stored(stored)
    learners = renumbered["centred-on-all-learners"]
    assert (learners.id, learners.number) == (2, 5)

    # The self-review: the summary shows the rating saved for the hallmark, under its new number.
    summary = view(document, "en")
    shown = {row.hallmark.key: (row.hallmark.number, row.rating) for row in summary.hallmarks}
    assert shown["centred-on-all-learners"] == (5, "developing")
    assert shown["focussed-on-application"] == (2, "established")
    assert [row.hallmark.number for row in summary.hallmarks] == list(range(1, 9))
    assert {c.hallmark.key: c.before for c in compare.rating_changes(document, document)}[
        "centred-on-all-learners"
    ] == "developing"

    # The board card and the funding line's priority still name the same hallmark.
    cards = CardCatalogue(document, document.own_cards, "en")
    card = cards["hallmark:2"]
    assert card.full_title == str(learners.title)
    assert card.number == 5
    assert document.board.slots[1] == "hallmark:2"
    assert summarise(document).by_priority["hallmark:2"] == 400_000
    assert str(cards[document.lines[0].priority].full_title) == str(learners.title)

    # Suggestions point at the hallmark by id (the page says its number).
    reason = suggestions(document)["hallmark:2"]
    assert reason.hallmark == learners.id
    assert framework.hallmark(reason.hallmark) == learners

    # Nothing stored changed, and nothing needs to: the document writes the same keys back.
    assert stored == before
    assert document.to_stored() == current(before)
    assert not changes.compare(document, PlanDocument.from_stored(before))
    statuses = JOURNEY.statuses(document.answers())
    assert statuses["hallmarks"] == TaskStatus.COMPLETED


def test_success_criteria_are_read_typed_and_older_schemas_have_none() -> None:
    stored = STORED_SHAPES["schema 3, with success criteria"]
    document = PlanDocument.from_stored(copy.deepcopy(stored))
    assert document.schema_version == 3
    top = document.success_criteria("hallmark:2")
    assert top is not None and top.difference == "Pob athro" and top.evidence == "Arsylwadau"
    assert document.language("success-criteria") == "cy"
    assert document.has_success_criteria
    # A card without criteria, and one taken off the board (its criteria kept, never shown).
    assert document.success_criteria("card:equity") is None
    assert document.success_criteria("card:gone") is None
    assert "card:gone" in document.criteria
    for older in ("schema 1, submitted (versions.submit)", "schema 2"):
        plain = PlanDocument.from_stored(copy.deepcopy(STORED_SHAPES[older]))
        assert plain.criteria == {} and not plain.has_success_criteria
        assert "success-criteria" not in plain.to_stored()["answers"]


def test_success_criteria_follow_their_card_on_the_board() -> None:
    stored = copy.deepcopy(STORED_SHAPES["schema 3, with success criteria"])
    slots = stored["answers"]["diamond-9"]["slots"]
    # Swap row 1 and the bottom row: the criteria go with the card, not the place.
    slots["1"], slots["9"] = slots["9"], slots["1"]
    moved = PlanDocument.from_stored(stored)
    assert moved.board.rows["hallmark:2"] == 5
    found = moved.success_criteria("hallmark:2")
    assert found is not None and found.difference == "Pob athro"
    # Taken off the board: nothing shows; put back: the same criteria again.
    del slots["9"]
    assert PlanDocument.from_stored(stored).success_criteria("hallmark:2") is None
    slots["9"] = "hallmark:2"
    back = PlanDocument.from_stored(stored).success_criteria("hallmark:2")
    assert back is not None and back.evidence == "Arsylwadau"


def test_empty_success_criteria_are_not_shown() -> None:
    data = answers()
    data["success-criteria"] = {"cards": {"card:pedagogy": {"difference": "", "evidence": None}}}
    document = PlanDocument.from_answers(data)
    assert document.success_criteria("card:pedagogy") is None
    assert not document.has_success_criteria
    assert "success-criteria" in document.saved
