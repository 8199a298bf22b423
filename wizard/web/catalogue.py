"""Checks of the translation catalogues, used by `make check-messages` and by the tests.

The Welsh catalogue must hold every string the code and templates use, each translated (not
empty, not fuzzy), with the same placeholders and all six Welsh plural forms.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from wizard.config import ROOT

TRANSLATIONS = ROOT / "translations"
WELSH_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
TEMPLATE_POT = TRANSLATIONS / "messages.pot"
WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
)
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def extract(destination: Path) -> Catalog:
    """Extract every translatable string of the code and templates into a fresh template."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "_plural_messages:1,2",
            "--no-wrap",
            "-o",
            str(destination),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with destination.open("rb") as handle:
        return read_po(handle)


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


MessageId = str | tuple[str, ...]


def _key(msgid: object) -> MessageId:
    return tuple(msgid) if isinstance(msgid, list | tuple) else str(msgid)


# A message is its msgctxt (None for most) and its id: "Submitted" with and without a context
# are two entries, each with its own Welsh.
MessageKey = tuple[str | None, MessageId]


def _ids(catalog: Catalog) -> set[MessageKey]:
    return {(message.context, _key(message.id)) for message in catalog if message.id}


def _name(key: MessageKey) -> str:
    context, msgid = key
    return f"{msgid} (msgctxt {context!r})" if context else str(msgid)


def problems() -> list[str]:
    """Return every problem with the catalogues, or an empty list."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _ids(extract(Path(tmp) / "messages.pot"))
    found = template_problems(fresh, _ids(load(TEMPLATE_POT)))
    welsh = load(WELSH_PO, locale="cy")
    found.extend(plural_forms_problems(welsh.plural_forms))
    translated = {(message.context, _key(message.id)): message for message in welsh if message.id}
    for key in sorted(fresh, key=_name):
        found.extend(entry_problems(key, translated.get(key)))
    return found


def template_problems(fresh: set[MessageKey], committed: set[MessageKey]) -> list[str]:
    """The strings the code uses that messages.pot lacks, then those it keeps but nothing uses."""
    return [
        *(
            f"not in messages.pot (run `make messages`): {new}"
            for new in sorted(map(_name, fresh - committed))
        ),
        *(
            f"in messages.pot but no longer used (run `make messages`): {old}"
            for old in sorted(map(_name, committed - fresh))
        ),
    ]


def plural_forms_problems(plural_forms: str) -> list[str]:
    """The Welsh catalogue's Plural-Forms header must be the six forms (spaces aside)."""
    if plural_forms.replace(" ", "") == WELSH_PLURAL_FORMS.replace(" ", ""):
        return []
    return [f"Welsh Plural-Forms must be {WELSH_PLURAL_FORMS!r}, not {plural_forms!r}"]


def entry_problems(key: MessageKey, message: Message | None) -> list[str]:
    """What is wrong with the Welsh entry of one string the code uses: missing, fuzzy, empty,
    without its six plural forms, or with other placeholders than the English."""
    msgid = _name(key)
    if message is None:
        return [f"missing from the Welsh catalogue: {msgid}"]
    plural = isinstance(key[1], tuple)
    source = key[1][-1] if isinstance(key[1], tuple) else key[1]
    raw = message.string
    strings = tuple(str(s or "") for s in (raw if isinstance(raw, list | tuple) else (raw,)))
    found: list[str] = []
    if message.fuzzy:
        found.append(f"fuzzy Welsh entry: {msgid}")
    if any(not s for s in strings):
        found.append(f"empty Welsh entry: {msgid}")
    if plural and len(strings) != 6:
        found.append(f"Welsh plural entry needs 6 forms, has {len(strings)}: {msgid}")
    wanted = set(_PLACEHOLDER.findall(source))
    found.extend(
        f"placeholders differ in Welsh entry: {msgid} -> {text}"
        for text in strings
        if not _placeholders_fit(set(_PLACEHOLDER.findall(text)), wanted, plural)
    )
    return found


def _placeholders_fit(got: set[str], wanted: set[str], plural: bool) -> bool:
    """A translation's placeholders are the English ones; plural forms may leave out the
    number (e.g. "dim tasgau"); nothing may be added."""
    return got <= wanted and (plural or got == wanted)


def main() -> int:
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} problem(s) with the translation catalogues.", file=sys.stderr)
        return 1
    print("Translation catalogues are complete.")
    return 0
