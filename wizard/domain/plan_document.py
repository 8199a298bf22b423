"""The plan as a typed, versioned document: what a school's plan says, read from its saved
answers or from a snapshot frozen at any time, and written back as plain JSON.

Readers (the summary, the change list, the comparison of two years, the funding totals, the
reporting facts, the CSV exports) take a `PlanDocument`, not dictionaries: the stored shape is
known here and nowhere else.

Identities. A hallmark is keyed by its stable id (`framework.Hallmark.id`), never by its place
or its display number; a step by its slug; a card by its key. Today's stored keys *are* the
stable ids ("hallmark-3", "hallmark:3", `fact_rating.hallmark = 3`): framework.py explains why
they were kept rather than migrated.

The shapes ever stored in `plan_version.snapshot` (every one is read by `from_stored`):

- schema 1, from the first frozen versions (November 2026) until schema 2, with no
  "schema_version" key: {"school": {name_en, name_cy, number, local_authority_en,
  local_authority_cy}, "academic_year", "version", "answers": {step slug: data},
  "own_cards": [{id, title_en, title_cy}], "submitted_at", "submitted_by"}; a version whose
  submitter's account was deleted also has "submitted_by_removed": true, and its
  "submitted_by" is null. Seeded versions (seed-wales) have no own cards and no submitter.
  From December 2026 a snapshot also has "languages": {step slug: "en" | "cy"}, the language
  each step's answers were written in, where it is known (migration 0011).
- schema 2: the same, with "schema_version": 2 and always "languages" (empty where unknown).
- schema 3 (December 2026): the same; its answers may also hold "success-criteria" (below).
  Schemas 1 and 2 never have it, and are read as plans without success criteria.

Answers are a mapping of step slug to that step's data, as the steps save them:
"about-your-school" {phase, teaching_staff, support_staff, pl_lead, funding_allocation_pence};
"context-<key>" {reflection, priorities}; "hallmark-<id>" {rating, evidence, next_steps};
"diamond-9" {slots: {"1".."9": card key}, history: [...]}; "funding-plan" {lines: [{id,
purpose, purpose_other, priority, beneficiaries, term, description, amount_pence, lang}]} (a
line's "lang", "en" or "cy", the language it was written in, from December 2026; older lines
have none and take the step's language);
"success-criteria" {cards: {card key: {difference, evidence}}} (for each Diamond 9
priority, what will be different if it goes well and how the school will know; optional);
and "<task>:completed" {completed}. Keys a step saves that this module does not know (the board's
undo history, anything a later issue adds) are kept as they are and written back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from wizard.domain.diamond import ROW_OF, Step, normalise, ranked, read_history, to_stored
from wizard.domain.journey import (
    ABOUT_STEP,
    BOARD_STEP,
    CONTEXT_KEYS,
    CRITERIA_STEP,
    FUNDING_STEP,
)

SCHEMA_VERSION = 3
"""1: the unversioned snapshots frozen before the plan document (some with "languages");
2: the same with its version, and "languages" always; 3: the same, whose answers may hold
success criteria."""

CONTEXT_PREFIX = "context-"
HALLMARK_PREFIX = "hallmark-"
COMPLETED_SUFFIX = ":completed"


def hallmark_step(hallmark_id: int) -> str:
    """The step slug (and answers key) of a hallmark, from its stable id."""
    return f"{HALLMARK_PREFIX}{hallmark_id}"


def hallmark_of_step(slug: str) -> int | None:
    """The stable hallmark id a step slug names, or None."""
    rest = slug.removeprefix(HALLMARK_PREFIX)
    if rest == slug or not rest.isdigit() or not rest.isascii():
        return None
    return int(rest)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _extra(data: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in known}


@dataclass(frozen=True)
class SchoolDetails:
    """The school as a frozen version names it (empty for a draft's own answers)."""

    name_en: str = ""
    name_cy: str = ""
    number: str = ""
    local_authority_en: str = ""
    local_authority_cy: str = ""

    @classmethod
    def from_stored(cls, stored: Any) -> SchoolDetails:
        data = _mapping(stored)
        return cls(
            **{name: str(data.get(name) or "") for name in cls.__dataclass_fields__},
        )

    def to_stored(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def name(self, locale: str) -> str:
        preferred, other = (
            (self.name_cy, self.name_en) if locale == "cy" else (self.name_en, self.name_cy)
        )
        return preferred or other

    def local_authority(self, locale: str) -> str:
        return self.local_authority_cy if locale == "cy" else self.local_authority_en


@dataclass(frozen=True)
class About:
    """About your school."""

    FIELDS = ("phase", "teaching_staff", "support_staff", "pl_lead", "funding_allocation_pence")

    phase: str | None = None
    teaching_staff: int | None = None
    support_staff: int | None = None
    pl_lead: str | None = None
    funding_allocation_pence: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_stored(cls, stored: Any) -> About:
        data = _mapping(stored)
        return cls(
            _text(data.get("phase")),
            _int(data.get("teaching_staff")),
            _int(data.get("support_staff")),
            _text(data.get("pl_lead")),
            _int(data.get("funding_allocation_pence")),
            _extra(data, cls.FIELDS),
        )

    def to_stored(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in self.FIELDS}, **self.extra}


@dataclass(frozen=True)
class ContextAnswer:
    """One of the three contexts: the school's reflection and the elements it prioritised."""

    FIELDS = ("reflection", "priorities")

    key: str
    reflection: str | None = None
    priorities: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def step(self) -> str:
        return f"{CONTEXT_PREFIX}{self.key}"

    @classmethod
    def from_stored(cls, key: str, stored: Any) -> ContextAnswer:
        data = _mapping(stored)
        raw = data.get("priorities")
        priorities = tuple(p for p in raw if isinstance(p, str)) if isinstance(raw, list) else ()
        return cls(key, _text(data.get("reflection")), priorities, _extra(data, cls.FIELDS))

    def to_stored(self) -> dict[str, Any]:
        return {"reflection": self.reflection, "priorities": list(self.priorities), **self.extra}


@dataclass(frozen=True)
class HallmarkAnswer:
    """The self-review of one hallmark, keyed by the hallmark's stable id."""

    FIELDS = ("rating", "evidence", "next_steps")

    id: int
    rating: str | None = None
    evidence: str | None = None
    next_steps: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def step(self) -> str:
        return hallmark_step(self.id)

    @classmethod
    def from_stored(cls, hallmark_id: int, stored: Any) -> HallmarkAnswer:
        data = _mapping(stored)
        return cls(
            hallmark_id,
            _text(data.get("rating")),
            _text(data.get("evidence")),
            _text(data.get("next_steps")),
            _extra(data, cls.FIELDS),
        )

    def to_stored(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in self.FIELDS}, **self.extra}


@dataclass(frozen=True)
class BoardAnswer:
    """The Diamond 9: slot (1-9) -> card key. Cards are keyed by their stable keys
    ("hallmark:<id>", "element:<key>", "card:<key>", "own:<id>")."""

    slots: Mapping[int, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    """What the board step keeps beside its slots (the undo history)."""

    @classmethod
    def from_stored(cls, stored: Any) -> BoardAnswer:
        data = _mapping(stored)
        slots = data.get("slots")
        return cls(
            normalise(slots if isinstance(slots, Mapping) else None), _extra(data, ("slots",))
        )

    @classmethod
    def of(cls, board: Mapping[int, str], history: Sequence[Step] = ()) -> BoardAnswer:
        """A board to save, with the moves that can be undone (newest last), if any."""
        return cls(
            dict(board), {"history": [step.to_stored() for step in history]} if history else {}
        )

    def to_stored(self) -> dict[str, Any]:
        return {"slots": to_stored(dict(self.slots)), **self.extra}

    @property
    def history(self) -> list[Step]:
        """The moves that can be undone, newest last (anything malformed is dropped)."""
        return read_history(self.extra.get("history"))

    @property
    def rows(self) -> dict[str, int]:
        """Card key -> its row (1 at the top)."""
        return {card: ROW_OF[slot] for slot, card in self.slots.items()}

    @property
    def ranked(self) -> list[list[str]]:
        """The cards row by row, top row first."""
        return ranked(dict(self.slots))

    @property
    def placed(self) -> set[str]:
        return set(self.slots.values())


@dataclass(frozen=True)
class SuccessCriteria:
    """What will be different if a Diamond 9 priority goes well, and how the school will know:
    keyed by the card's stable key, so that moving the card keeps them."""

    FIELDS = ("difference", "evidence")

    card: str
    difference: str | None = None
    """ "What will be different if this goes well?" """
    evidence: str | None = None
    """ "How will you know?": the evidence the school will look at."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_stored(cls, card: str, stored: Any) -> SuccessCriteria:
        data = _mapping(stored)
        return cls(
            card,
            _text(data.get("difference")) or None,
            _text(data.get("evidence")) or None,
            _extra(data, cls.FIELDS),
        )

    def to_stored(self) -> dict[str, Any]:
        return {"difference": self.difference, "evidence": self.evidence, **self.extra}

    @property
    def written(self) -> bool:
        """Whether either answer has been written."""
        return bool(self.difference or self.evidence)


@dataclass(frozen=True)
class FundingLine:
    """A line of the funding plan; amounts in integer pence."""

    FIELDS = (
        "id",
        "purpose",
        "purpose_other",
        "priority",
        "beneficiaries",
        "term",
        "description",
        "amount_pence",
    )

    id: str
    purpose: str = ""
    purpose_other: str | None = None
    priority: str = ""
    """The card on the board this line serves (a card key), or ""."""
    beneficiaries: tuple[str, ...] = ()
    term: str | None = None
    description: str = ""
    amount_pence: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)
    lang: str | None = None
    """The language the line was written in ("en" or "cy"); None for a line saved before
    lines kept their own (the funding step's language holds for it: `PlanDocument.line_language`)."""

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> FundingLine:
        raw = stored.get("beneficiaries")
        return cls(
            str(stored.get("id")),
            str(stored.get("purpose") or ""),
            _text(stored.get("purpose_other")),
            str(stored.get("priority") or ""),
            tuple(b for b in raw if isinstance(b, str)) if isinstance(raw, list) else (),
            _text(stored.get("term")),
            str(stored.get("description") or ""),
            _int(stored.get("amount_pence")) or 0,
            _extra(stored, (*cls.FIELDS, "lang")),
            lang if (lang := stored.get("lang")) in ("en", "cy") else None,
        )

    def to_stored(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.FIELDS}
        written = {"lang": self.lang} if self.lang else {}
        return {**data, "beneficiaries": list(self.beneficiaries), **written, **self.extra}


@dataclass(frozen=True)
class Totals:
    allocation: int | None
    planned: int

    @property
    def remaining(self) -> int | None:
        return None if self.allocation is None else self.allocation - self.planned

    @property
    def over(self) -> int:
        """How much more than the allocation is planned (0 if within it)."""
        remaining = self.remaining
        return -remaining if remaining is not None and remaining < 0 else 0


def _by(lines: tuple[FundingLine, ...], name: str) -> dict[str, int]:
    result: dict[str, int] = defaultdict(int)
    for line in lines:
        result[str(getattr(line, name) or "")] += line.amount_pence
    return dict(result)


@dataclass(frozen=True)
class Funding:
    """The funding plan: the year's allocation (from About your school) and the lines."""

    allocation: int | None
    lines: tuple[FundingLine, ...]

    @property
    def totals(self) -> Totals:
        return Totals(self.allocation, sum(line.amount_pence for line in self.lines))

    @property
    def by_purpose(self) -> dict[str, int]:
        """Pence per purpose, in the order first seen."""
        return _by(self.lines, "purpose")

    @property
    def by_priority(self) -> dict[str, int]:
        """Pence per board card (its key; "" for none), in the order first seen."""
        return _by(self.lines, "priority")


@dataclass(frozen=True)
class OwnCardTitles:
    """An own card as a snapshot keeps it: its titles, and its descriptions when it has any."""

    id: int
    title_en: str | None
    title_cy: str | None
    description_en: str | None = None
    description_cy: str | None = None

    @property
    def key(self) -> str:
        return f"own:{self.id}"

    def to_stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "id": self.id,
            "title_en": self.title_en,
            "title_cy": self.title_cy,
        }
        # Only when written, so that a card without one is stored as before.
        if self.description_en:
            stored["description_en"] = self.description_en
        if self.description_cy:
            stored["description_cy"] = self.description_cy
        return stored

    @classmethod
    def from_stored(cls, card_id: int, card: Mapping[str, Any]) -> OwnCardTitles:
        return cls(
            card_id,
            _text(card.get("title_en")),
            _text(card.get("title_cy")),
            _text(card.get("description_en")),
            _text(card.get("description_cy")),
        )


@dataclass(frozen=True)
class PlanDocument:
    """A plan: its answers, typed, and (for a frozen version) who and what it was frozen as.

    A step's answer is present only if the step was saved (`saved` holds the slugs), so that a
    plan's answers are written back exactly as they were read.
    """

    about: About = field(default_factory=About)
    contexts: Mapping[str, ContextAnswer] = field(default_factory=dict)
    """By context key, for the contexts answered."""
    hallmarks: Mapping[int, HallmarkAnswer] = field(default_factory=dict)
    """By the hallmark's stable id, for the hallmarks answered."""
    board: BoardAnswer = field(default_factory=BoardAnswer)
    lines: tuple[FundingLine, ...] = ()
    funding_extra: Mapping[str, Any] = field(default_factory=dict)
    criteria: Mapping[str, SuccessCriteria] = field(default_factory=dict)
    """Card key -> its success criteria, as saved: also for a card since taken off the board
    (kept, never shown: `success_criteria` gives only the board's cards', so a card put back
    finds its criteria again)."""
    criteria_extra: Mapping[str, Any] = field(default_factory=dict)
    completed: Mapping[str, Any] = field(default_factory=dict)
    """Task key -> the "Have you completed this section?" answer, as saved."""
    saved: frozenset[str] = frozenset()
    """The slugs of the steps with a saved answer (about, board and funding are typed as empty
    when not saved)."""
    other_answers: Mapping[str, Any] = field(default_factory=dict)
    """Answers of steps this version does not know, kept as they are."""
    # What a frozen version adds (a draft's document has its defaults).
    school: SchoolDetails = field(default_factory=SchoolDetails)
    academic_year: int | None = None
    version: int | None = None
    own_cards: tuple[OwnCardTitles, ...] = ()
    languages: Mapping[str, str] = field(default_factory=dict)
    """Step slug -> the language its answers were written in ("en" or "cy"), where known."""
    submitted_at: str | None = None
    submitted_by: str | None = None
    submitted_by_removed: bool = False
    schema_version: int = SCHEMA_VERSION
    """The schema of the stored shape it was read from (1 for unversioned snapshots)."""

    # Reading
    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> PlanDocument:
        """A plan's document from its saved answers (step slug -> data)."""
        contexts: dict[str, ContextAnswer] = {}
        hallmarks: dict[int, HallmarkAnswer] = {}
        completed: dict[str, Any] = {}
        other: dict[str, Any] = {}
        saved: set[str] = set()
        for slug, data in answers.items():
            if not isinstance(slug, str):
                continue
            hallmark_id = hallmark_of_step(slug)
            context_key = slug.removeprefix(CONTEXT_PREFIX)
            if slug in (ABOUT_STEP, BOARD_STEP, FUNDING_STEP, CRITERIA_STEP):
                saved.add(slug)
            elif hallmark_id is not None:
                hallmarks[hallmark_id] = HallmarkAnswer.from_stored(hallmark_id, data)
            elif slug.startswith(CONTEXT_PREFIX) and context_key in CONTEXT_KEYS:
                contexts[context_key] = ContextAnswer.from_stored(context_key, data)
            elif slug.endswith(COMPLETED_SUFFIX):
                completed[slug.removesuffix(COMPLETED_SUFFIX)] = data
            else:
                other[slug] = data
        funding = _mapping(answers.get(FUNDING_STEP))
        raw_lines = funding.get("lines")
        lines = tuple(
            FundingLine.from_stored(line)
            for line in (raw_lines if isinstance(raw_lines, list) else [])
            if isinstance(line, Mapping) and line.get("id")
        )
        stored_criteria = _mapping(answers.get(CRITERIA_STEP))
        criteria = {
            card: SuccessCriteria.from_stored(card, data)
            for card, data in _mapping(stored_criteria.get("cards")).items()
            if isinstance(card, str)
        }
        return cls(
            about=About.from_stored(answers.get(ABOUT_STEP)),
            contexts=contexts,
            hallmarks=dict(sorted(hallmarks.items())),
            board=BoardAnswer.from_stored(answers.get(BOARD_STEP)),
            lines=lines,
            funding_extra=_extra(funding, ("lines",)),
            criteria=criteria,
            criteria_extra=_extra(stored_criteria, ("cards",)),
            completed=completed,
            saved=frozenset(saved),
            other_answers=other,
        )

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> PlanDocument:
        """A document from any shape ever stored: a frozen snapshot of any schema (see the
        module's docstring), or a plan's saved answers."""
        stored = stored or {}
        if "answers" not in stored and "school" not in stored:
            return cls.from_answers(stored)
        answers = _mapping(stored.get("answers"))
        own = stored.get("own_cards")
        schema = _int(stored.get("schema_version")) or 1
        languages = _mapping(stored.get("languages"))
        return replace(
            cls.from_answers(answers),
            school=SchoolDetails.from_stored(stored.get("school")),
            academic_year=_int(stored.get("academic_year")),
            version=_int(stored.get("version")),
            own_cards=tuple(
                OwnCardTitles.from_stored(card_id, card)
                for card in (own if isinstance(own, list) else [])
                if isinstance(card, Mapping) and (card_id := _int(card.get("id"))) is not None
            ),
            languages={step: lang for step, lang in languages.items() if isinstance(lang, str)},
            submitted_at=_text(stored.get("submitted_at")),
            submitted_by=_text(stored.get("submitted_by")),
            submitted_by_removed=stored.get("submitted_by_removed") is True,
            schema_version=schema,
        )

    # Writing
    def answers(self) -> dict[str, dict[str, Any]]:
        """The plan's answers as the steps save them (step slug -> data)."""
        answers: dict[str, Any] = {}
        if ABOUT_STEP in self.saved:
            answers[ABOUT_STEP] = self.about.to_stored()
        for context in self.contexts.values():
            answers[context.step] = context.to_stored()
        for hallmark in self.hallmarks.values():
            answers[hallmark.step] = hallmark.to_stored()
        if BOARD_STEP in self.saved:
            answers[BOARD_STEP] = self.board.to_stored()
        if FUNDING_STEP in self.saved:
            lines = [line.to_stored() for line in self.lines]
            answers[FUNDING_STEP] = {"lines": lines, **self.funding_extra}
        if CRITERIA_STEP in self.saved:
            cards = {card: criteria.to_stored() for card, criteria in self.criteria.items()}
            answers[CRITERIA_STEP] = {"cards": cards, **self.criteria_extra}
        for task, data in self.completed.items():
            answers[f"{task}{COMPLETED_SUFFIX}"] = data
        answers.update(self.other_answers)
        return answers

    def to_stored(self) -> dict[str, Any]:
        """The document as a frozen version stores it, in the current schema."""
        stored: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "school": self.school.to_stored(),
            "academic_year": self.academic_year,
            "version": self.version,
            "answers": self.answers(),
            "languages": dict(self.languages),
            "own_cards": [card.to_stored() for card in self.own_cards],
            "submitted_at": self.submitted_at,
            "submitted_by": self.submitted_by,
        }
        if self.submitted_by_removed:
            stored["submitted_by_removed"] = True
        return stored

    # Reading it
    def hallmark(self, hallmark_id: int) -> HallmarkAnswer | None:
        return self.hallmarks.get(hallmark_id)

    def rating(self, hallmark_id: int) -> str | None:
        answer = self.hallmarks.get(hallmark_id)
        return answer.rating if answer else None

    def context(self, key: str) -> ContextAnswer | None:
        return self.contexts.get(key)

    @property
    def funding(self) -> Funding:
        return Funding(self.about.funding_allocation_pence, self.lines)

    def language(self, step: str) -> str | None:
        """The language a step's answers were written in, if known."""
        return self.languages.get(step)

    def line_language(self, line: FundingLine) -> str | None:
        """The language a funding line was written in: its own, or for a line saved before
        lines kept theirs, the funding step's (if known)."""
        return line.lang or self.language(FUNDING_STEP)

    def success_criteria(self, card: str) -> SuccessCriteria | None:
        """A priority's success criteria, if written and the card is on the board (a card
        taken off the board shows none)."""
        found = self.criteria.get(card)
        if found is None or not found.written or card not in self.board.placed:
            return None
        return found

    @property
    def has_success_criteria(self) -> bool:
        """Whether any priority on the board has success criteria."""
        return any(self.success_criteria(card) for card in self.board.placed)

    def own_card(self, key: str) -> OwnCardTitles | None:
        return next((card for card in self.own_cards if card.key == key), None)

    def priorities(self) -> Iterator[tuple[str, str]]:
        """(element key, context key) for every element chosen in a context."""
        for context in self.contexts.values():
            for key in context.priorities:
                yield key, context.key
