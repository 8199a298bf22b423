"""The Welsh catalogue keeps to its glossary (translations/glossary.toml): one term for each thing,
nouns that mutate after the numbers 1, 2, 3 and 6 as the glossary's rule says, and imperative
page titles."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message

from wizard.config import ROOT
from wizard.web.catalogue import TRANSLATIONS, WELSH_PLURAL_FORMS, WELSH_PO, load

GLOSSARY = TRANSLATIONS / "glossary.toml"
TEMPLATES = ROOT / "templates"
# The number each of the catalogue's six plural forms is for (WELSH_PLURAL_FORMS): 0, 1, 2, 3,
# 6 and any other. Nothing mutates after 0, as after "other".
PLURAL_CATEGORIES = ("other", "one", "two", "three", "six", "other")
NUMERAL_CATEGORIES = ("one", "two", "three", "six", "other")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
_TAG = re.compile(r"<[^>]*>")
_LETTER = r"[^\W\d_]"
# The counted number of a plural entry (%(num)d for ngettext, %(count)s for GOV.UK Frontend's
# character count) and the word after it.
_COUNTED = re.compile(r"%\((num|count)\)[sd] (" + _LETTER + r"+)")

Term = dict[str, Any]


@cache
def glossary() -> dict[str, Any]:
    with GLOSSARY.open("rb") as handle:
        return tomllib.load(handle)


def terms() -> list[Term]:
    found: list[Term] = glossary()["term"]
    return found


@cache
def catalogue() -> Catalog:
    return load(WELSH_PO, locale="cy")


def entries() -> list[Message]:
    return [message for message in catalogue() if message.id]


def english(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def welsh(message: Message) -> tuple[str, ...]:
    raw = message.string
    return tuple(str(s) for s in (raw if isinstance(raw, list | tuple) else (raw,)))


def applies(term: Term, text: str) -> bool:
    """Whether the English text uses the term (placeholders and HTML tags left out)."""
    text = _TAG.sub(" ", _PLACEHOLDER.sub(" ", text))
    for pattern in term.get("not_match", []):
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in term["match"])


def uses(forms: list[str], text: str) -> list[str]:
    """The forms that the Welsh text uses, each as whole words."""
    return [
        form
        for form in forms
        if re.search(rf"(?<!{_LETTER}){re.escape(form)}(?!{_LETTER})", text, re.IGNORECASE)
    ]


def name(term: Term) -> str:
    return str(term["english"])


# The glossary itself -------------------------------------------------------------------------


@pytest.mark.parametrize("term", terms(), ids=name)
def test_each_term_is_complete(term: Term) -> None:
    assert {"english", "match", "welsh", "forms", "source"} <= term.keys()
    assert term["forms"] and term["source"].strip()
    for pattern in term["match"] + term.get("not_match", []):
        re.compile(pattern)
    assert uses(term["forms"], term["welsh"]), "the Welsh term must be one of its own forms"
    assert not uses(term.get("avoid", []), term["welsh"])
    if "numerals" in term:
        assert term.get("gender") in ("m", "f"), "a counted noun needs its gender"
        assert set(term["numerals"]) == set(NUMERAL_CATEGORIES)
        assert set(term["numerals"].values()) <= set(term["forms"])


def test_each_english_term_is_listed_once() -> None:
    names = [name(term) for term in terms()]
    assert len(names) == len(set(names))


_SOFT = {"c": "g", "p": "b", "t": "d", "g": "", "b": "f", "d": "dd", "m": "f"}
_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}
_UNCHANGED = ("ch", "ph", "th")


def soft(word: str) -> str:
    if word.startswith(("ll", "rh")):
        return word[0] + word[2:]
    if word.startswith(_UNCHANGED) or word[0] not in _SOFT:
        return word
    return _SOFT[word[0]] + word[1:]


def aspirate(word: str) -> str:
    if word.startswith(_UNCHANGED) or word[0] not in _ASPIRATE:
        return word
    return _ASPIRATE[word[0]] + word[1:]


def after_numbers(radical: str, gender: str) -> dict[str, str]:
    """The glossary's rule for numerals and mutation, for a noun of the given gender."""
    feminine = gender == "f"
    return {
        "one": radical if not feminine or radical.startswith(("ll", "rh")) else soft(radical),
        "two": soft(radical),
        "three": aspirate(radical) if not feminine else radical,
        "six": aspirate(radical),
        "other": radical,
    }


@pytest.mark.parametrize("term", [t for t in terms() if "numerals" in t], ids=name)
def test_each_counted_noun_follows_the_rule_for_numerals(term: Term) -> None:
    numerals = term["numerals"]
    assert numerals == after_numbers(numerals["other"], term["gender"])


@pytest.mark.parametrize(
    ("radical", "gender", "expected"),
    [
        ("cerdyn", "m", ["cerdyn", "gerdyn", "cherdyn", "cherdyn", "cerdyn"]),
        ("rhes", "f", ["rhes", "res", "rhes", "rhes", "rhes"]),
        ("tasg", "f", ["dasg", "dasg", "tasg", "thasg", "tasg"]),
        ("diwrnod", "m", ["diwrnod", "ddiwrnod", "diwrnod", "diwrnod", "diwrnod"]),
        ("gwers", "f", ["wers", "wers", "gwers", "gwers", "gwers"]),
        ("llinell", "f", ["llinell", "linell", "llinell", "llinell", "llinell"]),
        ("person", "m", ["person", "berson", "pherson", "pherson", "person"]),
    ],
)
def test_the_rule_for_numerals(radical: str, gender: str, expected: list[str]) -> None:
    """The rule as the glossary's header states it, with the fluent review's examples."""
    assert list(after_numbers(radical, gender).values()) == expected


# The catalogue -------------------------------------------------------------------------------


@pytest.mark.parametrize("term", terms(), ids=name)
def test_entries_use_the_glossary_term(term: Term) -> None:
    """Where the English uses a term, every Welsh form uses one of its accepted forms, and none
    of the forms to avoid."""
    problems = []
    for message in entries():
        if not any(applies(term, text) for text in english(message)):
            continue
        for text in welsh(message):
            if not uses(term["forms"], text):
                problems.append(f"{message.id!r}: {text!r} uses none of {term['forms']}")
            avoided = uses(term.get("avoid", []), text)
            if avoided:
                problems.append(f"{message.id!r}: {text!r} uses {avoided}, not {term['welsh']!r}")
    assert not problems, "\n".join(problems)


def test_five_before_a_noun_is_pum() -> None:
    """Five is "pump" on its own or before "o" (pump o bobl) and "pum" before a noun (pum
    ymateb, llai na phum sgôr), in each of its mutations: no glossary noun follows "pump"."""
    nouns = sorted({form for term in terms() for form in term["forms"]}, key=len, reverse=True)
    before_noun = re.compile(
        r"(?<!" + _LETTER + r")(?:p|b|ph|m)ump (?:" + "|".join(map(re.escape, nouns)) + r")"
        r"(?!" + _LETTER + r")",
        re.IGNORECASE,
    )
    problems = [
        f"{message.id!r}: {text!r}"
        for message in entries()
        for text in welsh(message)
        if before_noun.search(text)
    ]
    assert not problems, "\n".join(problems)


def test_the_plural_forms_are_in_the_order_the_rule_assumes() -> None:
    assert catalogue().plural_forms == WELSH_PLURAL_FORMS


def counted_noun(message: Message) -> tuple[str, Term | None]:
    """The number's placeholder in a plural entry, and the glossary term of the noun it counts."""
    found = _COUNTED.search(english(message)[0])
    assert found, f"{message.id!r}: write the number directly before the noun it counts"
    number, noun = found.groups()
    counted = [t for t in terms() if "numerals" in t and applies(t, noun)]
    return number, counted[0] if len(counted) == 1 else None


def test_plural_entries_mutate_the_counted_noun_after_one_two_three_and_six() -> None:
    problems = []
    for message in entries():
        if not message.pluralizable:
            continue
        number, term = counted_noun(message)
        if term is None:
            problems.append(
                f"{message.id!r}: the noun it counts needs one glossary term with a gender "
                "and numerals"
            )
            continue
        for category, text in zip(PLURAL_CATEGORIES, welsh(message), strict=True):
            after = re.search(rf"%\({number}\)[sd] ({_LETTER}+)", text)
            if after is None:
                continue  # this form leaves out the number (e.g. "dim tasgau")
            wanted = term["numerals"][category]
            if after.group(1).lower() != wanted.lower():
                problems.append(
                    f"{message.id[0]!r} ({category}): {text!r} has {after.group(1)!r}, "
                    f"not {wanted!r}"
                )
    assert not problems, "\n".join(problems)


# Page titles ---------------------------------------------------------------------------------

_TITLE_BLOCK = re.compile(r"{% block title %}(.*?){% endblock %}", re.DOTALL)
_STRING = r'"((?:[^"\\]|\\.)*)"'
_TITLE_CALL = re.compile(rf"\b(?:_|gettext)\(\s*{_STRING}|\bpgettext\(\s*{_STRING}\s*,\s*{_STRING}")


def page_titles() -> list[tuple[str, str | None, str]]:
    """Every literal page title in the templates: (template, msgctxt, msgid)."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for block in _TITLE_BLOCK.findall(path.read_text(encoding="utf-8")):
            for plain, context, contextual in _TITLE_CALL.findall(block):
                msgid = (plain or contextual).replace('\\"', '"')
                if msgid != "Error:":
                    found.append((str(path.relative_to(TEMPLATES)), context or None, msgid))
    return found


def test_page_titles_are_found() -> None:
    assert ("auth/reset_request.html", None, "Reset your password") in page_titles()


def test_page_titles_that_ask_for_an_action_are_imperatives() -> None:
    """As in GOV.UK's "Gwiriwch eich atebion" (not "Gwirio"): the chi imperative ends in -wch."""
    rules = glossary()["page_titles"]
    problems = []
    for template, context, msgid in page_titles():
        if msgid.split()[0] not in rules["verbs"] or msgid in rules["exceptions"]:
            continue
        message = catalogue().get(msgid, context=context)
        text = str(message.string) if message else ""
        words = text.split()
        if not words or not words[0].endswith("wch"):
            problems.append(f"{template}: {msgid!r} (msgctxt {context!r}) is {text!r}")
    assert not problems, "\n".join(problems)


# The English side of a term ------------------------------------------------------------------


@pytest.mark.parametrize("term", [t for t in terms() if "english_avoid" in t], ids=name)
def test_entries_use_one_english_term(term: Term) -> None:
    """One term for each thing in English too: "line of spending", never "funding line"."""
    problems = [
        f"{message.id!r} uses {pattern!r}"
        for message in entries()
        for text in english(message)
        for pattern in term["english_avoid"]
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert not problems, "\n".join(problems)


# Register and mutation -------------------------------------------------------------------------


def test_negatives_keep_one_register() -> None:
    """ "Nid oes sylwadau...", never the spoken "Does dim sylwadau..."."""
    avoid = glossary()["register"]["avoid"]
    problems = [
        f"{message.id!r}: {text!r} uses {used}"
        for message in entries()
        for text in welsh(message)
        if (used := uses(avoid, text))
    ]
    assert not problems, "\n".join(problems)


# c, p, t, ll, rh and m always change after the soft mutation; g, b and d may be a mutated c, p
# or t, so a word starting with them is flagged only where it is a known radical (a glossary
# term's Welsh, or one of [mutation] radicals).
_ALWAYS_MUTATES = re.compile(r"^(?:ll|rh|[cptm](?!h))", re.IGNORECASE)


def known_radicals() -> set[str]:
    radicals = {term["welsh"].split()[0].lower() for term in terms()}
    return radicals | {word.lower() for word in glossary()["mutation"]["radicals"]}


def unmutated_after(trigger: str, text: str) -> list[str]:
    """Words after `trigger` ("neu", "o leiaf") that should have taken the soft mutation, leaving
    out quoted labels and the exceptions (prepositions and conjunctions)."""
    exceptions = {word.lower() for word in glossary()["mutation"]["exceptions"]}
    radicals = known_radicals()
    found = []
    pattern = rf"(?<!{_LETTER}){trigger} ({_LETTER}+)"
    for word in re.findall(pattern, _PLACEHOLDER.sub("0", text), re.IGNORECASE):
        lower = word.lower()
        if lower in exceptions or lower.startswith(("dd", "ngh", "nh", "mh")):
            continue
        if _ALWAYS_MUTATES.match(word) or (lower[0] in "gbd" and lower in radicals):
            found.append(f"{trigger} {word}")
    return found


@pytest.mark.parametrize("trigger", ["neu", "o leiaf"])
def test_soft_mutation_after_neu_and_o_leiaf(trigger: str) -> None:
    problems = [
        f"{message.id!r}: {text!r} has {found}"
        for message in entries()
        for text in welsh(message)
        if (found := unmutated_after(trigger, text))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Agorwch symudiadau cerdyn, neu llusgwch y cardiau", ["neu llusgwch"]),
        ("Agorwch symudiadau cerdyn, neu lusgwch y cardiau", []),
        ("darllenwch ei ganlyniadau, neu dilëwch y cylch", ["neu dilëwch"]),
        ("o leiaf dau dymor neu flwyddyn", ["o leiaf dau"]),
        ("lle mae gan y ddau grŵp o leiaf bum sgôr", []),
        ("Dewiswch “Adolygwyd” neu “Gofynnwyd am newidiadau”", []),
        ("neu gan weinyddwr", []),
        ("fersiwn %(number)d neu ddim", []),
    ],
)
def test_the_rule_for_neu_and_o_leiaf(text: str, found: list[str]) -> None:
    assert [*unmutated_after("neu", text), *unmutated_after("o leiaf", text)] == found


def feminine_nouns() -> list[str]:
    """The singular forms of the glossary's feminine nouns (fersiwn, dolen, ddolen, rhes...)."""
    nouns = set()
    for term in terms():
        if term.get("gender") != "f":
            continue
        radical = term["welsh"].split()[0]
        nouns |= {radical, soft(radical.lower()), *term.get("numerals", {}).values()}
    return sorted(nouns, key=len, reverse=True)


_VOWEL = "aeiouwyâêîôûŵŷ"


def wedi_i_errors(text: str) -> list[str]:
    """ "wedi'i" straight after a feminine noun (a number or placeholder may stand between)
    followed by a vowel without h, and "wedi'i" before an unmutated c, p or t anywhere."""
    text = _PLACEHOLDER.sub("0", text)
    nouns = "|".join(map(re.escape, feminine_nouns()))
    after_feminine = re.compile(
        rf"(?<!{_LETTER})(?:{nouns})(?: \d+)? wedi['’]i ([{_VOWEL}]{_LETTER}*)", re.IGNORECASE
    )
    found = [f"wedi'i {word}" for word in after_feminine.findall(text)]
    found += [f"wedi'i {word}" for word in re.findall(rf"wedi['’]i ([cpt](?!h){_LETTER}*)", text)]
    return found


def test_wedi_i_after_a_feminine_noun_takes_h() -> None:
    problems = [
        f"{message.id!r}: {text!r} has {found}"
        for message in entries()
        for text in welsh(message)
        if (found := wedi_i_errors(text))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Wedi nodi bod fersiwn %(number)d wedi'i adolygu", ["wedi'i adolygu"]),
        ("Wedi nodi bod fersiwn %(number)d wedi'i hadolygu", []),
        ("Mae'r cynllun wedi'i adolygu", []),
        ("y ddolen wedi'i creu", ["wedi'i creu"]),
        ("y ddolen wedi'i chreu", []),
    ],
)
def test_the_rule_for_wedi_i(text: str, found: list[str]) -> None:
    assert wedi_i_errors(text) == found


# Links ---------------------------------------------------------------------------------------

_LINK = re.compile(r"<a\b[^>]*>\s*{{\s*_\(\s*" + _STRING + r"\s*\)\s*}}\s*</a>")


def test_links_take_the_verb_noun() -> None:
    """A link whose English starts with one of the title verbs ("Write your own card") reads
    as a verb-noun in Welsh ("Ysgrifennu..."); where the same English is a page title, the
    title has msgctxt "page title" and the imperative."""
    verbs = glossary()["page_titles"]["verbs"]
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for msgid in _LINK.findall(path.read_text(encoding="utf-8")):
            msgid = msgid.replace('\\"', '"')
            if msgid.split()[0] not in verbs:
                continue
            message = catalogue().get(msgid)
            text = str(message.string) if message else ""
            if text.split() and text.split()[0].endswith("wch"):
                problems.append(f"{path.relative_to(TEMPLATES)}: {msgid!r} is {text!r}")
    assert not problems, "\n".join(problems)


# The demo data's Welsh -----------------------------------------------------------------------

SEED = ROOT / "wizard" / "seed"
_GYDA_VOWEL = re.compile(r"(?<![^\W\d_])gyda [aeiouwyâêîôûŵŷ]", re.IGNORECASE)


def test_gyda_before_a_vowel_is_gydag() -> None:
    """ "gydag Ysgol Gymraeg Glan Ffrwd", in the catalogue and the demo data."""
    problems = [
        f"{message.id!r}: {text!r}"
        for message in entries()
        for text in welsh(message)
        if _GYDA_VOWEL.search(text)
    ]
    for path in sorted(SEED.glob("*.py")):
        problems += [f"{path.name}: {m.group(0)!r}" for m in _GYDA_VOWEL.finditer(path.read_text())]
    assert not problems, "\n".join(problems)


def test_the_demo_data_uses_the_glossary_for_self_evaluation() -> None:
    """The demo school's Welsh says "hunanwerthuso" (Hwb's term) for its self-evaluation."""
    term = next(t for t in terms() if t["english"].startswith("self-evaluation"))
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEED.glob("*.py")))
    assert uses(term["forms"], text)
    assert not re.search(r"hunanarfarn|hunanasesiad|hunan-asesu", text, re.IGNORECASE)


_TWO_NUMBERS = re.compile(r"(?:\d|%\([a-z_]+\)[sd]) %\((?:num|number|count)\)[sd]")


def test_two_numbers_never_stand_side_by_side() -> None:
    """ "Mae 3 cherdyn ar eich Diemwnt 9", not "Mae gan eich Diemwnt 9 3 cherdyn"; "Mae 7 ymateb
    i'r cylch sy'n cau ar...", not "...sy'n cau ar 31 Mawrth 2027 7 ymateb"."""
    problems = [
        f"{message.id!r}: {text!r}"
        for message in entries()
        for text in welsh(message)
        if _TWO_NUMBERS.search(text)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "context", "corrected"),
    [
        (
            "Open a card's moves, or drag the cards into place: drop a card on another card to swap them.",
            None,
            "neu lusgwch",
        ),
        ("Marked version %(number)d as reviewed", None, "wedi'i hadolygu"),
        ("Reviewed", None, "Adolygwyd"),
        ("Select reviewed or changes requested", None, "“Adolygwyd” neu “Gofynnwyd am newidiadau”"),
        (
            "Your answers are kept on this page. When the service is back, select “Try again” to save them.",
            None,
            "yn dal ar y dudalen hon",
        ),
        (
            "The board is full. Which card should %(card)s take the place of? That card goes back to the card bank.",
            None,
            "Pa gerdyn y dylai %(card)s gymryd ei le?",
        ),
        ("the link made %(date)s", None, "a grëwyd ar %(date)s"),
        (
            "%(num)d member of staff responded to the staff voice round (closing %(date)s).",
            None,
            "(dyddiad cau: %(date)s)",
        ),
        (
            "You have marked version %(number)d as: %(status)s",
            None,
            "Rydych wedi nodi fersiwn %(number)d fel: “%(status)s”",
        ),
        ("What each card is about", None, "Disgrifiad o bob cerdyn"),
        ("What is your comment about?", None, "Beth yw pwnc eich sylw?"),
        ("Enter your reply", None, "Rhowch eich ymateb"),
        ("Write your own card", None, "Ysgrifennu eich cerdyn eich hun"),
        ("Write your own card", "page title", "Ysgrifennwch eich cerdyn eich hun"),
    ],
)
def test_the_second_fluent_reviews_corrections_hold(
    msgid: str, context: str | None, corrected: str
) -> None:
    """The corrections of the second fluent review (issue #30), each in its entry."""
    message = catalogue().get(msgid, context=context)
    assert message is not None, msgid
    assert all(corrected in text for text in welsh(message)), welsh(message)
