"""Last year's plans with their year-end reviews, for the demo: the demo lead's own school and
the demo cluster's schools that submit get last year's plan, submitted, and a submitted
year-end review of it (what was spent, the impact on each priority, the hallmarks rated again,
what carries over), with progress updates through its three terms, so that the lead can start this year's plan from the review and the
coordinator sees the cluster's planned against actual spending and impact. All fictional.

Written once: a school that already has a plan for last year is left as it is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from wizard.data import year_end as store
from wizard.data.database import db
from wizard.data.models import Cluster, LanguageMedium, Plan, School, User, YearEndAnswer
from wizard.data.plans import get_plan
from wizard.domain import framework
from wizard.domain import year_end as rules
from wizard.domain.plan_document import PlanDocument
from wizard.seed.demo_plans import DEMO_PLANS, DemoPlan, _lead, _write_plan
from wizard.seed.demo_progress import seed_demo_progress

# How far each priority's success criteria were met, top of the board first, and how many of
# Guskey's five levels there is evidence for.
CRITERIA = ("met", "partly", "not-met", "met", "met", "partly", "met", "not-met", "met")
LEVELS = (4, 3, 1, 5, 2, 3, 4, 1, 2)
# What was spent on each planned line, as a share of what was planned (0: it did not happen).
SPENT = (1.0, 0.85, 1.25, 0.0, 1.0, 0.9)
NEXT_RATING = {
    "not-yet-started": "developing",
    "developing": "established",
    "established": "embedded",
    "embedded": "embedded",
    "not-sure": "developing",
}

WORDS: dict[str, dict[str, Any]] = {
    "cy": {
        "evidence": (
            "Teithiau dysgu ym mis Mai: roedd y dull yn amlwg mewn wyth o bob deg gwers.",
            "Holiadur staff ar ddiwedd y tymor a nodiadau'r triawdau hyfforddi.",
            "Gwaith y dysgwyr mewn llyfrau a data asesu'r tymor.",
            "Llais y dysgwr: cyngor yr ysgol a grwpiau ffocws.",
        ),
        "explanation": "Gadawodd ein hyfforddwr dysgu ym mis Chwefror, felly ni wariwyd yr arian hwnnw; gwariwyd mwy ar gyflenwi er mwyn i'r triawdau barhau.",
        "added": "Llyfrau ar gyfer y llyfrgell broffesiynol",
        "notes": "Parhau â'r triawdau hyfforddi, a rhannu'r hyn a ddysgwyd am asesu gyda'r clwstwr yn nhymor yr hydref.",
    },
    "en": {
        "evidence": (
            "Learning walks in May: the approach was seen in eight lessons out of ten.",
            "The end-of-term staff questionnaire and the coaching triads' notes.",
            "Learners' work in books and the term's assessment data.",
            "Learner voice: the school council and focus groups.",
        ),
        "explanation": "Our learning coach left in February, so that money was not spent; more went on cover so that the triads could carry on.",
        "added": "Books for the professional library",
        "notes": "Keep the coaching triads going, and share what we learned about assessment with the cluster in the autumn term.",
    },
}


def seed_demo_year_end(
    lead_school: School, lead: User, cluster: Cluster, coordinator: User, academic_year: int
) -> int:
    """Write last year's plans (submitted) and their submitted year-end reviews, once; return
    how many were written this time. `academic_year` is this year."""
    last = academic_year - 1
    lead_demo = replace(
        DEMO_PLANS[0],
        number=lead_school.school_number,
        name_en=lead_school.name_en,
        name_cy=lead_school.name_cy or lead_school.name_en,
        medium=lead_school.language_medium,
        lead=(lead.name, lead.email),
        comments=(),
    )
    targets: list[tuple[DemoPlan, School, User]] = [(lead_demo, lead_school, lead)]
    for demo in DEMO_PLANS:
        if demo.state != "submitted":
            continue
        school = db.session.scalar(select(School).where(School.school_number == demo.number))
        if school is not None:
            targets.append((demo, school, _lead(demo, school)))
    written = 0
    for demo, school, user in targets:
        if get_plan(school.id, last) is not None:
            continue
        _write_plan(demo, school, user, coordinator, last)
        plan = get_plan(school.id, last)
        assert plan is not None
        lang = "cy" if school.language_medium == LanguageMedium.WELSH else "en"
        write_demo_review(plan, school, user, lang)
        written += 1
    # Last year's progress through its three terms (seed_demo_progress skips plans that have
    # updates already): the lead's school is in the cluster.
    seed_demo_progress(cluster, last, date(last + 1, 7, 20))
    return written


def demo_sections(document: PlanDocument, lang: str) -> dict[str, dict[str, Any]]:
    """A year-end review of the plan, as its sections are saved."""
    words = WORDS[lang]
    reviewed = rules.ReviewedPlan.of(document)
    actuals = {
        line.id: {
            "actual_pence": round(line.amount_pence * SPENT[index % len(SPENT)]),
            "happened": "yes" if SPENT[index % len(SPENT)] else "no",
        }
        for index, line in enumerate(reviewed.lines)
    }
    added = rules.AddedLine("demo-added", "other", "", words["added"], 35_000, lang).to_stored()
    funding = {"actuals": actuals, "added": [added], "explanation": ""}
    probe = rules.YearEndDocument.from_sections(reviewed, {rules.FUNDING: funding})
    if probe.totals.large:
        funding["explanation"] = words["explanation"]
    sections: dict[str, dict[str, Any]] = {rules.FUNDING: funding}
    for index, card in enumerate(reviewed.priorities):
        sections[rules.impact_section(card)] = rules.Impact(
            card,
            rules.LEVEL_KEYS[: LEVELS[index % len(LEVELS)]],
            words["evidence"][index % len(words["evidence"])],
            CRITERIA[index % len(CRITERIA)],
        ).to_stored()
    sections[rules.HALLMARKS] = {
        "ratings": {
            str(h.id): NEXT_RATING.get(reviewed.ratings.get(h.id) or "", "developing")
            for h in framework.HALLMARKS
        }
    }
    impacts = [
        rules.Impact.from_stored(card, sections[rules.impact_section(card)])
        for card in reviewed.priorities
    ]
    sections[rules.CARRY_OVER] = {
        "carry": list(rules.proposed_carry(impacts)),
        "notes": words["notes"],
    }
    return sections


def write_demo_review(plan: Plan, school: School, user: User, lang: str) -> None:
    """The plan's year-end review, written whole and submitted (as its lead)."""
    version = store.latest_plan_version(plan)
    assert version is not None
    review = store.get_or_create_review(plan)
    db.session.flush()
    for section, data in demo_sections(PlanDocument.from_stored(version.snapshot), lang).items():
        db.session.add(
            YearEndAnswer(
                review_id=review.id, section=section, data=data, lang=lang, updated_by_id=user.id
            )
        )
    db.session.commit()
    store.submit(review, plan, school, user)
