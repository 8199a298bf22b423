"""The Welsh catalogue is complete, and Welsh plural forms are chosen deliberately."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Message
from flask import Flask
from flask_babel import force_locale, ngettext

from wizard.web.catalogue import (
    WELSH_PLURAL_FORMS,
    WELSH_PO,
    entry_problems,
    load,
    plural_forms_problems,
    problems,
    template_problems,
)


def test_every_string_has_a_welsh_translation_that_is_not_fuzzy_or_empty() -> None:
    assert problems() == []


def test_the_checks_name_strings_missing_from_or_left_in_the_template() -> None:
    assert template_problems({(None, "New"), (None, "Kept")}, {(None, "Kept"), ("ctx", "Old")}) == [
        "not in messages.pot (run `make messages`): New",
        "in messages.pot but no longer used (run `make messages`): Old (msgctxt 'ctx')",
    ]


def test_the_checks_refuse_other_plural_forms() -> None:
    assert plural_forms_problems(WELSH_PLURAL_FORMS.replace("; ", ";")) == []
    assert plural_forms_problems("nplurals=2; plural=(n != 1);") == [
        f"Welsh Plural-Forms must be {WELSH_PLURAL_FORMS!r}, not 'nplurals=2; plural=(n != 1);'"
    ]


@pytest.mark.parametrize(
    ("key", "message", "expected"),
    [
        ((None, "Save"), Message("Save", "Cadw"), []),
        ((None, "Save"), None, ["missing from the Welsh catalogue: Save"]),
        ((None, "Save"), Message("Save", "Cadw", flags={"fuzzy"}), ["fuzzy Welsh entry: Save"]),
        ((None, "Save"), Message("Save", ""), ["empty Welsh entry: Save"]),
        (
            (None, "Hello %(name)s"),
            Message("Hello %(name)s", "Helo"),
            ["placeholders differ in Welsh entry: Hello %(name)s -> Helo"],
        ),
        (
            (None, ("one %(num)d", "many %(num)d")),
            Message(("one %(num)d", "many %(num)d"), ("dim", "un %(num)d")),
            [
                "Welsh plural entry needs 6 forms, has 2: ('one %(num)d', 'many %(num)d')",
            ],
        ),
        (
            (None, ("one %(num)d", "many %(num)d")),
            Message(("one %(num)d", "many %(num)d"), ("dim",) * 5 + ("%(num)d %(extra)s",)),
            [
                "placeholders differ in Welsh entry: ('one %(num)d', 'many %(num)d')"
                " -> %(num)d %(extra)s"
            ],
        ),
    ],
    ids=["good", "missing", "fuzzy", "empty", "placeholder", "two forms", "added placeholder"],
)
def test_each_welsh_entry_is_checked(
    key: tuple[str | None, str | tuple[str, ...]], message: Message | None, expected: list[str]
) -> None:
    """A plural form may leave out the number ("dim"); no entry may add a placeholder."""
    assert entry_problems(key, message) == expected


def test_the_welsh_catalogue_declares_six_plural_forms() -> None:
    assert load(WELSH_PO, locale="cy").plural_forms == WELSH_PLURAL_FORMS


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Rydych wedi cwblhau 0 o 0 tasg."),
        (1, "Rydych wedi cwblhau 0 o 1 dasg."),
        (2, "Rydych wedi cwblhau 0 o 2 dasg."),
        (3, "Rydych wedi cwblhau 0 o 3 tasg."),
        (6, "Rydych wedi cwblhau 0 o 6 thasg."),
        (7, "Rydych wedi cwblhau 0 o 7 tasg."),
    ],
)
def test_welsh_plural_forms_follow_the_number(app: Flask, n: int, expected: str) -> None:
    with app.test_request_context("/cy/"), force_locale("cy"):
        text = ngettext(
            "You have completed %(done)d of %(num)d task.",
            "You have completed %(done)d of %(num)d tasks.",
            n,
            done=0,
        )
    assert text == expected


@pytest.mark.parametrize(
    ("n", "word"), [(1, "diwrnod"), (2, "ddiwrnod"), (3, "diwrnod"), (14, "diwrnod")]
)
def test_welsh_days_mutate_after_two(app: Flask, n: int, word: str) -> None:
    with app.test_request_context("/cy/"), force_locale("cy"):
        text = ngettext(
            "The invitation expires after %(num)d day.",
            "The invitation expires after %(num)d days.",
            n,
        )
    assert f"{n} {word}" in text


def test_english_has_two_plural_forms(app: Flask) -> None:
    with app.test_request_context("/en/"), force_locale("en"):
        one = ngettext(
            "The invitation expires after %(num)d day.",
            "The invitation expires after %(num)d days.",
            1,
        )
        many = ngettext(
            "The invitation expires after %(num)d day.",
            "The invitation expires after %(num)d days.",
            0,
        )
    assert one == "The invitation expires after 1 day."
    assert many == "The invitation expires after 0 days."


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1 cerdyn"), (2, "2 gerdyn"), (3, "3 cherdyn"), (6, "6 cherdyn"), (7, "7 cerdyn")],
)
def test_welsh_cards_mutate_after_two_three_and_six(app: Flask, n: int, words: str) -> None:
    """Masculine "cerdyn": soft after dau, aspirate after tri and chwe."""
    with app.test_request_context("/cy/"), force_locale("cy"):
        text = ngettext(
            "Row %(row)d has %(num)d card but needs %(capacity)d",
            "Row %(row)d has %(num)d cards but needs %(capacity)d",
            n,
            row=3,
            capacity=3,
        )
    assert text.startswith(f"Mae {words} yn rhes 3")


@pytest.mark.parametrize(
    ("n", "words"), [(1, "1 rhes"), (2, "2 res"), (3, "3 rhes"), (6, "6 rhes")]
)
def test_welsh_rows_mutate_after_two_only(app: Flask, n: int, words: str) -> None:
    """Feminine "rhes": soft after dwy; "rh" keeps its form after un, and tair and chwe do not
    aspirate it."""
    with app.test_request_context("/cy/"), force_locale("cy"):
        text = ngettext("Up %(num)d row", "Up %(num)d rows", n)
    assert text == f"{words} i fyny"


@pytest.mark.parametrize(
    ("context", "msgid", "expected"),
    [
        (
            None,
            "The Equality and Human Rights Commission is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).",
            "Rheoliadau Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau a Chymwysiadau Symudol) (Rhif 2) 2018",
        ),
        (None, "Move up a row", "Symud un rhes i fyny"),
        (None, "Move down a row", "Symud un rhes i lawr"),
        (None, "Developing", "Yn datblygu"),
        (None, "Completed", "Wedi cwblhau"),
        ("versions table", "Submitted", "Cyflwynwyd"),
        (None, "Submitted", "Wedi'i gyflwyno"),
        (
            None,
            "Funded release for critical enquiry",
            "Rhyddhau staff wedi'i ariannu ar gyfer ymholi beirniadol",
        ),
    ],
)
def test_the_fluent_reviews_corrections_stay(
    context: str | None, msgid: str, expected: str
) -> None:
    """The definite errors of the December 2026 review (issue #12), corrected."""
    message = load(WELSH_PO, locale="cy").get(msgid, context=context)
    assert message is not None
    assert expected in str(message.string)
