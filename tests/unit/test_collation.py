"""Alphabetical order in Welsh and English (wizard.domain.collation)."""

from __future__ import annotations

import random

import pytest

from wizard.domain.collation import in_order, sort_key, welsh_letters

# The 22 principal areas of Wales, in Welsh alphabetical order: c < ch, d < dd, f < ff,
# g < ng, l < ll, p < ph, r < rh, t < th (the list, issue #30).
WELSH_AUTHORITIES = [
    "Abertawe",
    "Blaenau Gwent",
    "Bro Morgannwg",
    "Caerdydd",
    "Caerffili",
    "Casnewydd",
    "Castell-nedd Port Talbot",
    "Ceredigion",
    "Conwy",
    "Gwynedd",
    "Merthyr Tudful",
    "Pen-y-bont ar Ogwr",
    "Powys",
    "Rhondda Cynon Taf",
    "Sir Benfro",
    "Sir Ddinbych",
    "Sir Fynwy",
    "Sir Gaerfyrddin",
    "Sir y Fflint",
    "Torfaen",
    "Wrecsam",
    "Ynys Môn",
]


def welsh_sorted(words: list[str]) -> list[str]:
    shuffled = words[:]
    random.Random(30).shuffle(shuffled)
    return in_order(shuffled, str, "cy")


def test_the_local_authorities_of_wales_in_welsh_order() -> None:
    assert welsh_sorted(WELSH_AUTHORITIES) == WELSH_AUTHORITIES


@pytest.mark.parametrize(
    "ordered",
    [
        ["Cwm", "Chwilog"],  # ch after c, whatever follows
        ["Dyffryn", "Ddôl"],  # dd after d
        ["Fron", "Ffos"],  # ff after f
        ["Gwynedd", "Ngwynedd"],  # ng after g
        ["Lyn", "Llanelli"],  # ll after l
        ["Pwllheli", "Phwllheli"],  # ph after p
        ["Ruthin", "Rhyl"],  # rh after r
        ["Tywyn", "Thomas"],  # th after t
        ["Sir Benfro", "Sir Ddinbych", "Sir Fynwy", "Sir Gaerfyrddin", "Sir y Fflint"],
        ["Ysgol Gymraeg Glan Ffrwd", "Ysgol Gynradd Llan", "ysgol y Castell"],  # case ignored
    ],
)
def test_welsh_digraphs_sort_after_their_first_letter(ordered: list[str]) -> None:
    assert welsh_sorted(ordered) == ordered


def test_ng_is_two_letters_in_bangor_and_llangollen() -> None:
    """Ban-gor has n then g (after Banc, c < g); "angor" has the letter ng (after "ag")."""
    assert welsh_sorted(["Bangor", "Banc", "Bant"]) == ["Banc", "Bangor", "Bant"]
    assert welsh_sorted(["Llangollen", "Llanelli", "Llanrwst"]) == [
        "Llanelli",
        "Llangollen",
        "Llanrwst",
    ]
    assert welsh_sorted(["angor", "agor", "anadl"]) == ["agor", "angor", "anadl"]
    assert welsh_letters("Bangor") != "Bangor" and welsh_letters("angor") == "angor"


def test_english_order_ignores_welsh_digraphs_and_accents() -> None:
    words = ["Llanelli", "Lyn", "Éire", "Eglwys", "Chwilog", "Cwm", "cardiff"]
    assert in_order(words, str, "en") == [
        "cardiff",
        "Chwilog",
        "Cwm",
        "Eglwys",
        "Éire",
        "Llanelli",
        "Lyn",
    ]


def test_the_key_is_the_same_for_the_same_text() -> None:
    assert sort_key("Caerdydd", "cy") == sort_key("Caerdydd", "cy")
    assert sort_key("Caerdydd", "cy") < sort_key("Caerffili", "cy")
