"""The year-end review of a submitted plan ("adolygiad diwedd blwyddyn"): what was spent
against what was planned, the impact on each priority, the eight hallmarks rated again, and
what carries into next year. Plain Python: the rules (totals, the difference that needs
explaining, impact levels, what carries over, when it is ready) are unit-tested here.

Not to be confused with a coordinator's review of a plan (domain/review.py, ReviewStatus).

The review is kept as sections, each saved on its own (like a plan's steps):

- "funding": {"actuals": {line id: {"actual_pence": int, "happened": "yes" | "no"}},
  "added": [{id, purpose, priority, description, actual_pence, lang}], "explanation": str}
- "impact:<card key>": {"levels": [level key, ...], "evidence": str,
  "criteria": "met" | "partly" | "not-met"}
- "hallmarks": {"ratings": {"<hallmark id>": rating key}}
- "carry-over": {"carry": [card key, ...], "notes": str}

A submitted review is frozen as a numbered version whose snapshot also keeps the plan it
reviewed (the plan version's number, its funding lines, board, start-of-year ratings and own
cards), so that it reads the same whatever happens to the plan later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from wizard.domain import framework
from wizard.domain.journey import CRITERIA_STEP
from wizard.domain.plan_document import FundingLine, PlanDocument

SCHEMA_VERSION = 1

FUNDING = "funding"
HALLMARKS = "hallmarks"
CARRY_OVER = "carry-over"
IMPACT_PREFIX = "impact:"

# Easter falls between 22 March and 25 April; the summer term is taken to start on 1 April,
# so that the review opens no later than the first day of any school's summer term.
SUMMER_TERM_MONTH_DAY = (4, 1)

LARGE_DIFFERENCE_PERCENT = 10
"""A difference between what was spent and what was planned is large (and must be explained)
when it is more than this share of the planned total, or when anything is spent against
nothing planned, or when more is spent than the allocation."""


@dataclass(frozen=True)
class ImpactLevel:
    """One of Guskey's five levels of evaluating professional learning, named plainly."""

    key: str
    number: int
    title: Any
    hint: Any


IMPACT_LEVELS: tuple[ImpactLevel, ...] = (
    ImpactLevel(
        "reactions",
        1,
        _l("Staff's reactions"),
        _l("Staff found the professional learning worthwhile."),
    ),
    ImpactLevel(
        "learning",
        2,
        _l("Staff's learning"),
        _l("Staff gained new knowledge or skills."),
    ),
    ImpactLevel(
        "organisation",
        3,
        _l("The school's support and change"),
        _l("The school gave time, resources and leadership for what staff learned."),
    ),
    ImpactLevel(
        "practice",
        4,
        _l("Staff's practice"),
        _l("Staff use what they learned in their teaching and work."),
    ),
    ImpactLevel(
        "learners",
        5,
        _l("Learners' outcomes"),
        _l("Learners benefit: their learning, progress or well-being."),
    ),
)
LEVEL_KEYS = tuple(level.key for level in IMPACT_LEVELS)

CRITERIA_MET = "met"
CRITERIA_PARTLY = "partly"
CRITERIA_NOT_MET = "not-met"
CRITERIA = (CRITERIA_MET, CRITERIA_PARTLY, CRITERIA_NOT_MET)
CRITERIA_TITLES = {
    CRITERIA_MET: _l("Met"),
    CRITERIA_PARTLY: _l("Partly met"),
    CRITERIA_NOT_MET: _l("Not met"),
}
HAPPENED = ("yes", "no")
HAPPENED_TITLES = {"yes": _l("Yes, it happened"), "no": _l("No, it did not happen")}

MAX_ADDED_LINES = 30
HALLMARK_IDS = frozenset(h.id for h in framework.HALLMARKS)


def summer_term_starts(academic_year: int) -> date:
    """The day the year-end review of the academic year's plan opens."""
    month, day = SUMMER_TERM_MONTH_DAY
    return date(academic_year + 1, month, day)


def is_open(academic_year: int, today: date) -> bool:
    """Whether the year-end review of the year's plan can be started: from its summer term
    (and in any later year)."""
    return today >= summer_term_starts(academic_year)


def impact_section(card: str) -> str:
    return f"{IMPACT_PREFIX}{card}"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _pence(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


@dataclass(frozen=True)
class LineActual:
    """What happened to one planned line: the amount actually spent, and whether it
    happened (None: not answered yet)."""

    line_id: str
    actual_pence: int | None = None
    happened: str | None = None

    def to_stored(self) -> dict[str, Any]:
        return {"actual_pence": self.actual_pence, "happened": self.happened}


@dataclass(frozen=True)
class AddedLine:
    """Spending that was not in the plan."""

    id: str
    purpose: str = ""
    priority: str = ""
    description: str = ""
    actual_pence: int = 0
    lang: str | None = None

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> AddedLine:
        lang = stored.get("lang")
        return cls(
            str(stored.get("id") or ""),
            _text(stored.get("purpose")),
            _text(stored.get("priority")),
            _text(stored.get("description")),
            _pence(stored.get("actual_pence")) or 0,
            lang if lang in ("en", "cy") else None,
        )

    def to_stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "id": self.id,
            "purpose": self.purpose,
            "priority": self.priority,
            "description": self.description,
            "actual_pence": self.actual_pence,
        }
        if self.lang:
            stored["lang"] = self.lang
        return stored


@dataclass(frozen=True)
class SpendTotals:
    """Totals planned against actual against the allocation, in pence."""

    allocation: int | None
    planned: int
    actual: int

    @property
    def difference(self) -> int:
        """Actual minus planned: positive when more was spent than planned."""
        return self.actual - self.planned

    @property
    def unspent(self) -> int | None:
        """What is left of the allocation after what was actually spent (negative: over)."""
        return None if self.allocation is None else self.allocation - self.actual

    @property
    def over_allocation(self) -> bool:
        return self.allocation is not None and self.actual > self.allocation

    @property
    def large(self) -> bool:
        """Whether the difference must be explained (see LARGE_DIFFERENCE_PERCENT)."""
        return is_large_difference(self.planned, self.actual) or self.over_allocation


def is_large_difference(planned: int, actual: int) -> bool:
    """More than LARGE_DIFFERENCE_PERCENT of the planned total either way; with nothing
    planned, any spending."""
    if planned <= 0:
        return actual > 0
    return abs(actual - planned) * 100 > LARGE_DIFFERENCE_PERCENT * planned


@dataclass(frozen=True)
class FundingReview:
    actuals: Mapping[str, LineActual] = field(default_factory=dict)
    added: tuple[AddedLine, ...] = ()
    explanation: str = ""

    @classmethod
    def from_stored(cls, stored: Any) -> FundingReview:
        data = _mapping(stored)
        actuals = {}
        for line_id, raw in _mapping(data.get("actuals")).items():
            answer = _mapping(raw)
            happened = answer.get("happened")
            actuals[str(line_id)] = LineActual(
                str(line_id),
                _pence(answer.get("actual_pence")),
                happened if happened in HAPPENED else None,
            )
        added_raw = data.get("added")
        added = tuple(
            AddedLine.from_stored(line)
            for line in (added_raw if isinstance(added_raw, list) else [])
            if isinstance(line, Mapping) and line.get("id")
        )
        return cls(actuals, added, _text(data.get("explanation")))

    def to_stored(self) -> dict[str, Any]:
        return {
            "actuals": {key: actual.to_stored() for key, actual in self.actuals.items()},
            "added": [line.to_stored() for line in self.added],
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Impact:
    """The impact on one priority."""

    card: str
    levels: tuple[str, ...] = ()
    evidence: str = ""
    criteria: str | None = None

    @classmethod
    def from_stored(cls, card: str, stored: Any) -> Impact:
        data = _mapping(stored)
        raw = data.get("levels")
        chosen = set(raw) if isinstance(raw, list) else set()
        criteria = data.get("criteria")
        return cls(
            card,
            tuple(key for key in LEVEL_KEYS if key in chosen),
            _text(data.get("evidence")),
            criteria if criteria in CRITERIA else None,
        )

    def to_stored(self) -> dict[str, Any]:
        return {"levels": list(self.levels), "evidence": self.evidence, "criteria": self.criteria}

    @property
    def highest_level(self) -> int:
        """The number of the highest level with evidence (0: none)."""
        numbers = [level.number for level in IMPACT_LEVELS if level.key in self.levels]
        return max(numbers, default=0)

    @property
    def answered(self) -> bool:
        return self.criteria is not None


@dataclass(frozen=True)
class ReviewedPlan:
    """The plan a year-end review looks back on, as its submitted version said."""

    version: int | None = None
    allocation: int | None = None
    lines: tuple[FundingLine, ...] = ()
    priorities: tuple[str, ...] = ()
    """The board's cards, top row first (slot order)."""
    ratings: Mapping[int, str] = field(default_factory=dict)
    """The start-of-year hallmark ratings, by hallmark id."""
    own_cards: tuple[dict[str, Any], ...] = ()
    criteria: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """The success criteria the plan set for its priorities, where it wrote any: card key ->
    {"difference", "evidence", "lang" (the language they were written in, if known)}."""

    @classmethod
    def of(cls, document: PlanDocument) -> ReviewedPlan:
        slots = document.board.slots
        priorities = tuple(slots[slot] for slot in sorted(slots))
        ratings = {
            hallmark: answer.rating
            for hallmark, answer in document.hallmarks.items()
            if answer.rating
        }
        criteria: dict[str, dict[str, Any]] = {}
        for card in priorities:
            found = document.success_criteria(card)
            if found is not None and found.written:
                criteria[card] = {
                    "difference": found.difference,
                    "evidence": found.evidence,
                    "lang": document.language(CRITERIA_STEP),
                }
        return cls(
            document.version,
            document.about.funding_allocation_pence,
            document.lines,
            priorities,
            ratings,
            tuple(card.to_stored() for card in document.own_cards),
            criteria,
        )

    @classmethod
    def from_stored(cls, stored: Any) -> ReviewedPlan:
        data = _mapping(stored)
        raw_lines = data.get("lines")
        raw_priorities = data.get("priorities")
        raw_own = data.get("own_cards")
        return cls(
            data.get("version") if isinstance(data.get("version"), int) else None,
            _pence(data.get("allocation")),
            tuple(
                FundingLine.from_stored(line)
                for line in (raw_lines if isinstance(raw_lines, list) else [])
                if isinstance(line, Mapping) and line.get("id")
            ),
            tuple(p for p in (raw_priorities if isinstance(raw_priorities, list) else []) if p),
            {
                int(k): v
                for k, v in _mapping(data.get("ratings")).items()
                if str(k).isdigit() and isinstance(v, str)
            },
            tuple(c for c in (raw_own if isinstance(raw_own, list) else []) if isinstance(c, dict)),
            {str(k): _mapping(v) for k, v in _mapping(data.get("criteria")).items()},
        )

    def to_stored(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "allocation": self.allocation,
            "lines": [line.to_stored() for line in self.lines],
            "priorities": list(self.priorities),
            "ratings": {str(k): v for k, v in self.ratings.items()},
            "own_cards": list(self.own_cards),
            "criteria": {k: dict(v) for k, v in self.criteria.items()},
        }

    @property
    def planned(self) -> int:
        return sum(line.amount_pence for line in self.lines)


@dataclass(frozen=True)
class YearEndDocument:
    """A year-end review: its sections, typed, and (for a frozen version) what it was frozen as."""

    plan: ReviewedPlan = field(default_factory=ReviewedPlan)
    funding: FundingReview = field(default_factory=FundingReview)
    impacts: Mapping[str, Impact] = field(default_factory=dict)
    ratings: Mapping[int, str] = field(default_factory=dict)
    """The hallmarks rated again at the end of the year, by hallmark id."""
    carry: tuple[str, ...] | None = None
    """The priorities carried into next year (None: not answered: `carried` proposes)."""
    notes: str = ""
    saved: frozenset[str] = frozenset()
    languages: Mapping[str, str] = field(default_factory=dict)
    academic_year: int | None = None
    version: int | None = None
    school: Mapping[str, str] = field(default_factory=dict)
    submitted_at: str | None = None
    submitted_by: str | None = None

    @classmethod
    def from_sections(cls, plan: ReviewedPlan, sections: Mapping[str, Any]) -> YearEndDocument:
        impacts = {}
        for section, data in sections.items():
            if section.startswith(IMPACT_PREFIX):
                card = section.removeprefix(IMPACT_PREFIX)
                impacts[card] = Impact.from_stored(card, data)
        hallmarks = _mapping(_mapping(sections.get(HALLMARKS)).get("ratings"))
        known = {rating.key for rating in framework.RATINGS}
        carry_data = sections.get(CARRY_OVER)
        carry_raw = _mapping(carry_data).get("carry")
        return cls(
            plan=plan,
            funding=FundingReview.from_stored(sections.get(FUNDING)),
            impacts=impacts,
            ratings={
                int(k): v
                for k, v in hallmarks.items()
                if str(k).isdigit() and int(k) in HALLMARK_IDS and v in known
            },
            carry=(
                tuple(c for c in carry_raw if isinstance(c, str))
                if carry_data is not None and isinstance(carry_raw, list)
                else None
            ),
            notes=_text(_mapping(carry_data).get("notes")),
            saved=frozenset(sections),
        )

    def sections(self) -> dict[str, dict[str, Any]]:
        """The sections as they are saved."""
        found: dict[str, dict[str, Any]] = {}
        if FUNDING in self.saved:
            found[FUNDING] = self.funding.to_stored()
        for card, impact in self.impacts.items():
            found[impact_section(card)] = impact.to_stored()
        if HALLMARKS in self.saved:
            found[HALLMARKS] = {"ratings": {str(k): v for k, v in self.ratings.items()}}
        if CARRY_OVER in self.saved:
            found[CARRY_OVER] = {"carry": list(self.carry or ()), "notes": self.notes}
        return found

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> YearEndDocument:
        document = cls.from_sections(
            ReviewedPlan.from_stored(stored.get("plan")), _mapping(stored.get("sections"))
        )
        year = stored.get("academic_year")
        number = stored.get("version")
        languages = _mapping(stored.get("languages"))
        return replace(
            document,
            languages={k: v for k, v in languages.items() if isinstance(v, str)},
            academic_year=year if isinstance(year, int) else None,
            version=number if isinstance(number, int) else None,
            school={k: str(v) for k, v in _mapping(stored.get("school")).items()},
            submitted_at=stored.get("submitted_at")
            if isinstance(stored.get("submitted_at"), str)
            else None,
            submitted_by=stored.get("submitted_by")
            if isinstance(stored.get("submitted_by"), str)
            else None,
        )

    def to_stored(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "school": dict(self.school),
            "academic_year": self.academic_year,
            "version": self.version,
            "plan": self.plan.to_stored(),
            "sections": self.sections(),
            "languages": dict(self.languages),
            "submitted_at": self.submitted_at,
            "submitted_by": self.submitted_by,
        }

    # The rules
    def actual(self, line_id: str) -> LineActual:
        return self.funding.actuals.get(line_id) or LineActual(line_id)

    @property
    def totals(self) -> SpendTotals:
        """Planned (the plan's lines) against actual (what was spent on them, and on the lines
        added) against the allocation."""
        spent = sum(self.actual(line.id).actual_pence or 0 for line in self.plan.lines)
        added = sum(line.actual_pence for line in self.funding.added)
        return SpendTotals(self.plan.allocation, self.plan.planned, spent + added)

    def spend_by_purpose(self) -> dict[str, tuple[int, int]]:
        """purpose -> (planned, actual) pence, in the order first seen."""
        result: dict[str, tuple[int, int]] = {}
        for line in self.plan.lines:
            planned, actual = result.get(line.purpose, (0, 0))
            spent = self.actual(line.id).actual_pence or 0
            result[line.purpose] = (planned + line.amount_pence, actual + spent)
        for added in self.funding.added:
            planned, actual = result.get(added.purpose, (0, 0))
            result[added.purpose] = (planned, actual + added.actual_pence)
        return result

    def impact(self, card: str) -> Impact:
        return self.impacts.get(card) or Impact(card)

    @property
    def carried(self) -> tuple[str, ...]:
        """The priorities carried into next year: as the school chose, or (not chosen yet)
        those whose success criteria were not met or partly met."""
        if self.carry is not None:
            return tuple(card for card in self.plan.priorities if card in self.carry)
        return proposed_carry(self.impact(card) for card in self.plan.priorities)

    # Completion
    @property
    def funding_complete(self) -> bool:
        answered = all(
            self.actual(line.id).actual_pence is not None and self.actual(line.id).happened
            for line in self.plan.lines
        )
        explained = not self.totals.large or bool(self.funding.explanation.strip())
        return FUNDING in self.saved and answered and explained

    @property
    def impact_complete(self) -> bool:
        return all(self.impact(card).answered for card in self.plan.priorities)

    @property
    def hallmarks_complete(self) -> bool:
        return all(h.id in self.ratings for h in framework.HALLMARKS)

    @property
    def carry_complete(self) -> bool:
        return CARRY_OVER in self.saved

    def incomplete(self) -> tuple[str, ...]:
        """The sections still to complete, in order ("impact" for all the priorities)."""
        checks = (
            (FUNDING, self.funding_complete),
            ("impact", self.impact_complete),
            (HALLMARKS, self.hallmarks_complete),
            (CARRY_OVER, self.carry_complete),
        )
        return tuple(name for name, done in checks if not done)

    @property
    def ready(self) -> bool:
        return not self.incomplete()


def proposed_carry(impacts: Iterable[Impact]) -> tuple[str, ...]:
    """The priorities whose success criteria were not met or only partly met."""
    return tuple(
        impact.card for impact in impacts if impact.criteria in (CRITERIA_NOT_MET, CRITERIA_PARTLY)
    )


def section_status(document: YearEndDocument, name: str) -> str:
    """ "completed", "in-progress" or "not-started" for a section ("impact" for all)."""
    done = name not in document.incomplete()
    if done:
        return "completed"
    if name == "impact":
        started = any(card in document.impacts for card in document.plan.priorities)
    else:
        started = name in document.saved
    return "in-progress" if started else "not-started"


# Into next year's plan -----------------------------------------------------------------------

CARRIED_STEP = "carried-over"
"""The answers key, in a plan started after a year-end review, of the priorities the review
carried over: {"cards": {card key: how far its success criteria were met ("" if not said)}}.
The Diamond 9 offers them as suggested cards (cards.suggestions)."""


def next_year_answers(
    review: YearEndDocument,
    answers: Mapping[str, Mapping[str, Any]],
    renamed: Mapping[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """What a plan started after this review takes from it, over `answers` (the answers it
    starts with: last year's as carried over, or none): each hallmark's start-of-year rating is
    the review's "where are we now?" (evidence and next steps, if any, kept), and the priorities
    carried over are offered as cards. `renamed`: an own card's key in the new plan, by its key
    in the old (own cards not copied are not offered)."""
    found: dict[str, dict[str, Any]] = {}
    for hallmark_id, rating in review.ratings.items():
        step = f"hallmark-{hallmark_id}"
        found[step] = {**dict(answers.get(step) or {}), "rating": rating}
    cards: dict[str, str] = {}
    for card in review.carried:
        key = card
        if card.startswith("own:"):  # offered only if the new plan has the card too
            if renamed is None or card not in renamed:
                continue
            key = renamed[card]
        cards[key] = review.impact(card).criteria or ""
    if cards:
        found[CARRIED_STEP] = {"cards": cards}
    return found


def carried_cards(answers: Mapping[str, Any]) -> dict[str, str]:
    """The cards a plan's answers say were carried over from last year's review."""
    raw = _mapping(_mapping(answers.get(CARRIED_STEP)).get("cards"))
    return {str(card): str(how or "") for card, how in raw.items()}
