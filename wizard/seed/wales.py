"""The scale of Wales, for the benchmark and for trying the national view: the 22 local
authorities, a few hundred clusters and schools by the thousand, each with a complete submitted
plan (some reopened as a draft, some submitted twice), a coordinator per cluster, and the
reporting facts of every submitted version. Written in bulk, in one transaction.

Everything is made up, from a seeded random generator, so two runs with the same seed make the
same plans.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from wizard.data.database import db
from wizard.data.directory import load_local_authorities
from wizard.data.models import (
    Cluster,
    FactFunding,
    FactPlacement,
    FactRating,
    LocalAuthority,
    Plan,
    PlanAnswer,
    PlanVersion,
    School,
    User,
    coordinator_cluster,
    utcnow,
)
from wizard.domain import framework
from wizard.domain.diamond import ROW_OF, SLOTS
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, CONTEXT_KEYS, FUNDING_STEP, JOURNEY
from wizard.domain.values import LanguageMedium, PlanStatus
from wizard.seed.wales_year_end import seed_wales_year_end

# Written with bulk INSERTs straight into the models' tables, a batch at a time: a database at
# the scale of Wales is hundreds of thousands of rows, which the data layer's one-plan-at-a-time
# functions (each with its audit record and commit) would take many minutes to write.
BATCH = 1000

PLACES = (
    "Aberdâr", "Abergele", "Afon Lwyd", "Bryn Celyn", "Brynmawr", "Bro Dinefwr", "Cae Glas",
    "Castell", "Cefn Coed", "Coed Duon", "Cwm Rhymni", "Dyffryn", "Glan Ŵy", "Glyn Ebwy",
    "Gwaun Cae Gurwen", "Heol Fawr", "Llanfair", "Llwyn Onn", "Maes Glas", "Min y Môr",
    "Nant Ffrwd", "Pant y Dŵr", "Parc Ŷd", "Pen y Bryn", "Pont Sarn", "Rhos Helyg", "Tŷ Gwyn",
    "Tal y Bont", "Tre Ioan", "Y Waun",
)  # fmt: skip

REFLECTIONS = {
    "en": (
        "We looked at our staff survey and our learners' progress and agreed where to focus.",
        "Our cluster's shared priorities shape this year's professional learning.",
        "The national approach helps us to plan learning that every member of staff can use.",
    ),
    "cy": (
        "Rydym wedi edrych ar arolwg y staff a chynnydd ein dysgwyr a chytuno ar ein ffocws.",
        "Mae blaenoriaethau ein clwstwr yn llywio'r dysgu proffesiynol eleni.",
        "Mae'r dull cenedlaethol yn ein helpu i gynllunio dysgu i bob aelod o staff.",
    ),
}
EVIDENCE = {
    "en": ("Lesson visits and learning walks", "Staff survey, autumn term", "Learner voice"),
    "cy": ("Ymweliadau â gwersi a theithiau dysgu", "Arolwg staff, tymor yr hydref", "Llais y dysgwr"),
}  # fmt: skip
NEXT_STEPS = {
    "en": ("Coaching triads for every teacher", "Share practice across the cluster"),
    "cy": ("Triawdau hyfforddi i bob athro", "Rhannu arfer da ar draws y clwstwr"),
}
LINE_TEXT = {
    "en": ("Cover so that triads can plan together", "Release for an enquiry project"),
    "cy": ("Cyflenwi er mwyn i driawdau gynllunio gyda'i gilydd", "Rhyddhau ar gyfer ymholiad"),
}


@dataclass(frozen=True)
class WalesReport:
    authorities: int
    clusters: int
    schools: int
    versions: int
    drafts: int
    facts: int
    seconds: float
    year_end_reviews: int = 0


def has_schools() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(School)))


def _insert_returning_ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids.extend(db.session.scalars(statement, chunk))
    return ids


def _insert(table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), list(rows[start : start + BATCH]))


def random_answers(rng: random.Random, lang: str) -> dict[str, dict[str, Any]]:
    """A complete plan's answers: every task done, nine designed cards on the board and two to
    five funding lines within the allocation."""
    allocation = rng.randrange(400, 2500) * 1000  # £4,000 to £25,000, in whole £10s
    answers: dict[str, dict[str, Any]] = {
        ABOUT_STEP: {
            "phase": rng.choice(("primary", "primary", "primary", "secondary", "all-age")),
            "teaching_staff": rng.randrange(6, 70),
            "support_staff": rng.randrange(3, 40),
            "pl_lead": rng.choice(("Catrin Jones", "Dafydd Owen", "Sarah Hughes", "Aled Price")),
            "funding_allocation_pence": allocation,
        }
    }
    answers |= _random_contexts(rng, lang)
    answers |= _random_hallmarks(rng, lang)
    cards = rng.sample([f"card:{c.key}" for c in framework.CARDS], len(SLOTS))
    answers[BOARD_STEP] = {
        "slots": {str(slot): card for slot, card in zip(SLOTS, cards, strict=True)}
    }
    answers[FUNDING_STEP] = {"lines": _random_lines(rng, lang, allocation, cards)}
    for task in JOURNEY.tasks:
        if task.confirm_completion:
            answers[task.completion_key] = {"completed": True}
    return answers


def _random_contexts(rng: random.Random, lang: str) -> dict[str, dict[str, Any]]:
    """A reflection on each context, and some of its elements chosen, in framework order."""
    answers: dict[str, dict[str, Any]] = {}
    for key in CONTEXT_KEYS:
        elements = [e.key for e in framework.elements_of(key)]
        answers[f"context-{key}"] = {
            "reflection": rng.choice(REFLECTIONS[lang]),
            "priorities": sorted(
                rng.sample(elements, rng.randint(0, len(elements))), key=elements.index
            ),
        }
    return answers


def _random_hallmarks(rng: random.Random, lang: str) -> dict[str, dict[str, Any]]:
    """Every hallmark rated (mostly developing or established), with evidence and next steps."""
    ratings = [r.key for r in framework.RATINGS]
    return {
        f"hallmark-{hallmark.id}": {
            "rating": rng.choices(ratings, weights=(1, 4, 4, 2, 1))[0],
            "evidence": rng.choice(EVIDENCE[lang]),
            "next_steps": rng.choice(NEXT_STEPS[lang]),
        }
        for hallmark in framework.HALLMARKS
    }


def _random_lines(
    rng: random.Random, lang: str, allocation: int, cards: Sequence[str]
) -> list[dict[str, Any]]:
    """Two to five funding lines, each at most an equal share of the allocation, for the
    board's top priorities in turn."""
    count = rng.randint(2, 5)
    share = allocation // count
    lines = []
    for number in range(count):
        amount = rng.randrange(share // 2, share + 1) // 100 * 100 or 100
        lines.append(
            {
                "id": f"{rng.getrandbits(48):012x}",
                "purpose": rng.choice([p.key for p in framework.FUNDING_PURPOSES[:4]]),
                "purpose_other": "",
                "priority": cards[min(number, len(cards) - 1)],
                "beneficiaries": rng.sample(["teachers", "support-staff", "leaders"], 1),
                "term": rng.choice(("autumn", "spring", "summer", "whole-year")),
                "description": rng.choice(LINE_TEXT[lang]),
                "amount_pence": amount,
            }
        )
    return lines


def _snapshot(
    school: dict[str, Any],
    authority: LocalAuthority,
    year: int,
    number: int,
    answers: dict[str, Any],
    submitted_at: str,
) -> dict[str, Any]:
    """What wizard.domain.summary.build_snapshot makes, from plain values."""
    return {
        "school": {
            "name_en": school["name_en"],
            "name_cy": school["name_cy"],
            "number": school["school_number"],
            "local_authority_en": authority.name_en,
            "local_authority_cy": authority.name_cy,
        },
        "academic_year": year,
        "version": number,
        "answers": answers,
        "own_cards": [],
        "submitted_at": submitted_at,
        "submitted_by": None,
    }


def fact_rows(
    keys: dict[str, Any], answers: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The facts of one submitted version: one per hallmark rating, placed card and funding
    line, each with the version's keys (school, cluster, authority, year, version, latest)."""
    ratings = [
        {**keys, "hallmark": h.id, "rating": answers[f"hallmark-{h.id}"]["rating"]}
        for h in framework.HALLMARKS
        if (answers.get(f"hallmark-{h.id}") or {}).get("rating")
    ]
    slots = (answers.get(BOARD_STEP) or {}).get("slots") or {}
    placements = [
        {**keys, "card_key": card, "title_en": None, "title_cy": None, "row": ROW_OF[int(slot)]}
        for slot, card in slots.items()
    ]
    funding = [
        {
            **keys,
            "purpose": line["purpose"],
            "priority": line.get("priority") or "",
            "amount_pence": line["amount_pence"],
        }
        for line in (answers.get(FUNDING_STEP) or {}).get("lines") or []
    ]
    return ratings, placements, funding


def _free_numbers(prefix: int, taken: set[str]) -> Iterable[str]:
    for serial in range(2000, 10000):
        number = f"{prefix}{serial:04d}"
        if number not in taken:
            yield number


def _cluster_rows(authorities: Sequence[LocalAuthority], count: int) -> list[dict[str, Any]]:
    """`count` clusters, dealt round the authorities, each named after its authority and a
    serial number no cluster of that authority has yet."""
    taken = set(db.session.execute(select(Cluster.local_authority_id, Cluster.name_en)))
    rows: list[dict[str, Any]] = []
    for index in range(count):
        authority = authorities[index % len(authorities)]
        serial = index // len(authorities) + 1
        while (authority.id, f"{authority.name_en} cluster {serial}") in taken:
            serial += 1000
        rows.append(
            {
                "name_en": f"{authority.name_en} cluster {serial}",
                "name_cy": f"Clwstwr {serial} {authority.name_cy}",
                "local_authority_id": authority.id,
            }
        )
    return rows


def _school_rows(
    rng: random.Random,
    authorities: Sequence[LocalAuthority],
    cluster_ids: Sequence[int],
    cluster_rows: Sequence[dict[str, Any]],
    count: int,
) -> list[dict[str, Any]]:
    """`count` schools, dealt round the clusters, a quarter of them Welsh-medium, each with a
    school number free in its authority's range."""
    taken = set(db.session.scalars(select(School.school_number)))
    numbers = {
        a.id: iter(_free_numbers(660 + position, taken)) for position, a in enumerate(authorities)
    }
    rows: list[dict[str, Any]] = []
    for index in range(count):
        cluster_id = cluster_ids[index % len(cluster_ids)]
        authority_id = cluster_rows[index % len(cluster_ids)]["local_authority_id"]
        place = rng.choice(PLACES)
        welsh = rng.random() < 0.25
        medium = LanguageMedium.WELSH if welsh else LanguageMedium.ENGLISH
        rows.append(
            {
                "school_number": next(numbers[authority_id]),
                "name_en": f"Ysgol Gymraeg {place}" if welsh else f"{place} Primary School",
                "name_cy": f"Ysgol Gymraeg {place}" if welsh else f"Ysgol Gynradd {place}",
                "language_medium": medium.value,
                "local_authority_id": authority_id,
                "cluster_id": cluster_id,
            }
        )
    return rows


def _insert_coordinators(
    cluster_ids: Sequence[int], cluster_rows: Sequence[dict[str, Any]], now: datetime
) -> None:
    """One coordinator (with no password) for each cluster."""
    user_ids = _insert_returning_ids(
        User,
        [
            {
                "email": f"coordinator-{cluster_id}@clusters.example",
                "name": f"Coordinator of {row['name_en']}",
                "password_hash": None,
                "is_admin": False,
                "is_school_lead": False,
                "session_version": 1,
                "created_at": now,
            }
            for cluster_id, row in zip(cluster_ids, cluster_rows, strict=True)
        ],
    )
    _insert(
        coordinator_cluster,
        [
            {"user_id": user_id, "cluster_id": cluster_id}
            for user_id, cluster_id in zip(user_ids, cluster_ids, strict=True)
        ],
    )


def _plan_kinds(rng: random.Random, count: int, drafts: float) -> list[str]:
    """Each school's plan: "submitted" (v1), "draft" (v1 submitted, reopened as v2) or "twice"
    (v1 and v2 submitted: the facts of v1 are no longer the latest)."""
    return [
        "draft" if rng.random() < drafts else ("twice" if rng.random() < 0.05 else "submitted")
        for _ in range(count)
    ]


def _insert_plans(
    school_ids: Sequence[int], kinds: Sequence[str], academic_year: int, now: datetime
) -> list[int]:
    return _insert_returning_ids(
        Plan,
        [
            {
                "school_id": school_id,
                "academic_year": academic_year,
                "status": PlanStatus.DRAFT if kind == "draft" else PlanStatus.SUBMITTED,
                "version": 1 if kind == "submitted" else 2,
                "created_at": now,
                "updated_at": now,
            }
            for school_id, kind in zip(school_ids, kinds, strict=True)
        ],
    )


@dataclass
class _PlanRows:
    """The rows of every plan's versions, current answers and facts, gathered to be inserted
    together."""

    academic_year: int
    versions: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    funding: list[dict[str, Any]] = field(default_factory=list)
    drafts: int = 0

    def add_plan(
        self,
        rng: random.Random,
        plan_id: int,
        kind: str,
        school_id: int,
        school: dict[str, Any],
        authority: LocalAuthority,
        now: datetime,
    ) -> None:
        """One school's plan: its submitted versions with their facts, and its answers now."""
        lang = "cy" if school["language_medium"] == LanguageMedium.WELSH else "en"
        submitted = now - timedelta(days=rng.randrange(20, 90), minutes=rng.randrange(600))
        versions = [random_answers(rng, lang)]
        if kind == "twice":
            versions.append(random_answers(rng, lang))
        for number, answers in enumerate(versions, start=1):
            at = submitted + timedelta(days=7 * (number - 1))
            snapshot = _snapshot(
                school, authority, self.academic_year, number, answers, at.isoformat()
            )
            self.versions.append(
                {"plan_id": plan_id, "number": number, "snapshot": snapshot, "submitted_at": at}
            )
            keys = {
                "school_id": school_id,
                "cluster_id": school["cluster_id"],
                "local_authority_id": school["local_authority_id"],
                "academic_year": self.academic_year,
                "version_number": number,
                "latest": number == len(versions),
            }
            ratings, placements, funding = fact_rows(keys, answers)
            self.ratings += ratings
            self.placements += placements
            self.funding += funding
        current = versions[-1]
        if kind == "draft":
            self.drafts += 1
            # Reopened: the "have you completed this section?" answers are asked again.
            completion = {task.completion_key for task in JOURNEY.tasks}
            current = {step: data for step, data in current.items() if step not in completion}
        self.answers += [
            {"plan_id": plan_id, "step": step, "data": data, "revision": 1, "updated_at": submitted}
            for step, data in current.items()
        ]

    def insert(self) -> None:
        _insert(PlanVersion, self.versions)
        _insert(PlanAnswer, self.answers)
        _insert(FactRating, self.ratings)
        _insert(FactPlacement, self.placements)
        _insert(FactFunding, self.funding)

    @property
    def facts(self) -> int:
        return len(self.ratings) + len(self.placements) + len(self.funding)


def seed_wales(
    schools: int, clusters: int, drafts: float, academic_year: int, seed: int = 2026
) -> WalesReport:
    """Fill the database with clusters, schools, plans, versions and facts, in bulk."""
    started = time.perf_counter()
    rng = random.Random(seed)
    load_local_authorities()
    authorities = list(db.session.scalars(select(LocalAuthority).order_by(LocalAuthority.code)))
    now = utcnow()

    cluster_rows = _cluster_rows(authorities, max(1, clusters))
    cluster_ids = _insert_returning_ids(Cluster, cluster_rows)
    school_rows = _school_rows(rng, authorities, cluster_ids, cluster_rows, schools)
    school_ids = _insert_returning_ids(School, school_rows)
    _insert_coordinators(cluster_ids, cluster_rows, now)
    kinds = _plan_kinds(rng, len(school_ids), drafts)
    plan_ids = _insert_plans(school_ids, kinds, academic_year, now)

    by_id = {a.id: a for a in authorities}
    plans = _PlanRows(academic_year)
    for school_id, plan_id, kind, school in zip(
        school_ids, plan_ids, kinds, school_rows, strict=True
    ):
        authority = by_id[school["local_authority_id"]]
        plans.add_plan(rng, plan_id, kind, school_id, school, authority, now)
    plans.insert()
    reviews = seed_wales_year_end(
        random.Random(seed + 1),
        plans.versions,
        {
            plan_id: {
                "school_id": school_id,
                "cluster_id": school["cluster_id"],
                "local_authority_id": school["local_authority_id"],
                "academic_year": academic_year,
            }
            for school_id, plan_id, school in zip(school_ids, plan_ids, school_rows, strict=True)
        },
        now,
    )
    db.session.commit()
    return WalesReport(
        authorities=len(authorities),
        clusters=len(cluster_ids),
        schools=len(school_ids),
        versions=len(plans.versions),
        drafts=plans.drafts,
        facts=plans.facts,
        seconds=time.perf_counter() - started,
        year_end_reviews=reviews,
    )
