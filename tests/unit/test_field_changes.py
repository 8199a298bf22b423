"""What changed between two versions, field by field, on hand-made plan documents (in English
and in Welsh): old and new values, grouped by task, prose with its changed words marked."""

from __future__ import annotations

from typing import Any

from wizard.domain.diamond import SLOTS
from wizard.domain.field_changes import (
    FieldChange,
    Piece,
    TaskChanges,
    field_changes,
    word_changes,
)
from wizard.domain.plan_document import PlanDocument

CARDS = [f"card:{n}" for n in "abcdefghi"]


def document(answers: dict[str, Any], languages: dict[str, str] | None = None) -> PlanDocument:
    return PlanDocument.from_stored(
        {"schema_version": 2, "answers": answers, "languages": languages or {}, "school": {}}
    )


def board(*cards: str) -> dict[str, Any]:
    return {"slots": {str(slot): card for slot, card in zip(SLOTS, cards, strict=False)}}


def line(line_id: str, pence: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": line_id,
        "purpose": "release-and-cover",
        "description": "Cover",
        "amount_pence": pence,
        **extra,
    }


def only(changes: list[TaskChanges], task: str) -> list[FieldChange]:
    return next(group.fields for group in changes if group.task == task)


def test_nothing_changed_is_no_group() -> None:
    same = document({"about-your-school": {"phase": "primary"}, "diamond-9": board(*CARDS)})
    assert field_changes(same, same) == []


def test_a_rating_from_developing_to_established() -> None:
    before = document({"hallmark-3": {"rating": "developing"}})
    after = document({"hallmark-3": {"rating": "established"}})
    (group,) = field_changes(before, after)
    assert group.task == "hallmarks"
    (change,) = group.fields
    assert (change.step, change.field, change.subject) == ("hallmark-3", "rating", 3)
    assert (change.before, change.after, change.kind) == ("developing", "established", "changed")


def test_a_card_from_row_3_to_row_1() -> None:
    before = document({"diamond-9": board(*CARDS)})
    moved = [CARDS[3], *CARDS[1:3], CARDS[0], *CARDS[4:]]  # slot 4 (row 3) <-> slot 1 (row 1)
    after = document({"diamond-9": board(*moved)})
    changes = only(field_changes(before, after), "diamond-9")
    assert [(c.subject, c.before, c.after) for c in changes] == [
        (CARDS[3], 3, 1),
        (CARDS[0], 1, 3),
    ]


def test_a_funding_lines_amount_from_1200_to_900_pounds() -> None:
    before = document({"funding-plan": {"lines": [line("a", 120000)]}})
    after = document({"funding-plan": {"lines": [line("a", 90000)]}})
    (change,) = only(field_changes(before, after), "funding-plan")
    assert (change.field, change.subject, change.before, change.after) == (
        "amount_pence",
        "a",
        120000,
        90000,
    )


def test_lines_added_and_removed_whole() -> None:
    before = document({"funding-plan": {"lines": [line("a", 100)]}})
    after = document({"funding-plan": {"lines": [line("b", 200)]}})
    changes = only(field_changes(before, after), "funding-plan")
    assert [(c.field, c.subject, c.kind) for c in changes] == [
        ("line", "b", "added"),
        ("line", "a", "removed"),
    ]


def test_grouped_by_task_in_task_list_order() -> None:
    before = document(
        {
            "funding-plan": {"lines": [line("a", 100)]},
            "about-your-school": {"phase": "primary", "teaching_staff": 10},
            "context-regional": {"reflection": "Old", "priorities": ["pedagogy"]},
        }
    )
    after = document(
        {
            "funding-plan": {"lines": [line("a", 200)]},
            "about-your-school": {"phase": "secondary", "teaching_staff": 12},
            "context-regional": {"reflection": "Old", "priorities": ["pl-offer"]},
        }
    )
    changes = field_changes(before, after)
    assert [group.task for group in changes] == ["about-your-school", "contexts", "funding-plan"]
    assert [c.field for c in only(changes, "about-your-school")] == ["phase", "teaching_staff"]
    assert [(c.before, c.after, c.kind) for c in only(changes, "contexts")] == [
        (None, "pl-offer", "added"),
        ("pedagogy", None, "removed"),
    ]


def test_english_prose_has_its_changed_words_marked() -> None:
    before = document({"hallmark-1": {"evidence": "We observed lessons each term."}})
    after = document({"hallmark-1": {"evidence": "We observed lessons and coached each term."}})
    (change,) = only(field_changes(before, after), "hallmarks")
    assert change.words == (
        Piece("same", "We observed lessons "),
        Piece("ins", "and coached "),
        Piece("same", "each term."),
    )


def test_welsh_prose_has_its_changed_words_marked() -> None:
    before = document(
        {"context-school": {"reflection": "Byddwn yn datblygu addysgeg ar draws y clwstwr."}},
        {"context-school": "cy"},
    )
    after = document(
        {"context-school": {"reflection": "Byddwn yn cryfhau addysgeg ar draws yr ysgol."}},
        {"context-school": "cy"},
    )
    (change,) = only(field_changes(before, after), "contexts")
    assert change.field == "reflection" and change.subject == "school"
    assert change.words == (
        Piece("same", "Byddwn yn "),
        Piece("del", "datblygu"),
        Piece("ins", "cryfhau"),
        Piece("same", " addysgeg ar draws "),
        Piece("del", "y clwstwr."),
        Piece("ins", "yr ysgol."),
    )


def test_a_new_answer_is_added_not_diffed() -> None:
    before = document({})
    after = document({"hallmark-2": {"rating": "embedded", "evidence": "Llais y staff"}})
    changes = only(field_changes(before, after), "hallmarks")
    assert [(c.field, c.kind, c.words) for c in changes] == [
        ("rating", "added", ()),
        ("evidence", "added", ()),
    ]


def test_word_changes_keeps_every_character() -> None:
    before, after = "Un dau  tri\npedwar", "Un tri\npump pedwar"
    pieces = word_changes(before, after)
    assert "".join(p.text for p in pieces if p.op != "del") == after
    assert "".join(p.text for p in pieces if p.op != "ins") == before
