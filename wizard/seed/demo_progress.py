"""Success criteria and progress through the year for the demo cluster's submitted plans
(issue 25, points 1 and 2), so that the success criteria step, the summary, the progress page
and the coordinator's plan page have something to show. All fictional.

Success criteria are part of a plan's answers (`demo_success_criteria`, written with the plan
and frozen with its version); progress updates are records beside the plan, written once per
plan (`seed_demo_progress`): a plan that has any is left as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from wizard.data.database import db
from wizard.data.models import Cluster, Plan, PlanVersion, ProgressUpdate, School, User, utcnow
from wizard.domain.academic_year import TERMS, current_term
from wizard.domain.plan_document import PlanDocument

# (what will be different, how you will know), in English and in Welsh, for the board's top
# three priorities; the others are left without, as a real plan often is.
_CRITERIA = {
    "en": (
        (
            "Every class uses the new approach weekly, and learners can say how it helps them.",
            "Lesson visits each half term; learner voice in the spring term.",
        ),
        (
            "Staff plan together in triads, and share what works at each staff meeting.",
            "Triad notes and the staff meeting minutes.",
        ),
        (
            "Assessment for learning is used consistently across the school.",
            "Book looks and a staff survey in the summer term.",
        ),
    ),
    "cy": (
        (
            "Mae pob dosbarth yn defnyddio'r dull newydd bob wythnos, a gall dysgwyr ddweud sut mae'n eu helpu.",
            "Ymweliadau â gwersi bob hanner tymor; llais y dysgwr yn nhymor y gwanwyn.",
        ),
        (
            "Mae staff yn cynllunio gyda'i gilydd mewn triawdau, ac yn rhannu beth sy'n gweithio ym mhob cyfarfod staff.",
            "Nodiadau'r triawdau a chofnodion y cyfarfodydd staff.",
        ),
        (
            "Defnyddir asesu ar gyfer dysgu yn gyson ar draws yr ysgol.",
            "Edrych ar lyfrau ac arolwg staff yn nhymor yr haf.",
        ),
    ),
}

# (status, note) by language, for the priorities in rank order (one left without an update,
# so that the task list has a priority to name).
_UPDATES = {
    "en": (
        ("on-track", "Two training sessions held; every class has tried the approach."),
        ("some-concerns", "Cover was hard to find in November: one triad has not met yet."),
        ("on-track", "Book looks show feedback is used more often."),
        ("done", "The new policy is agreed and shared with governors."),
        ("off-track", "The course we booked was cancelled; looking for another provider."),
    ),
    "cy": (
        (
            "on-track",
            "Cynhaliwyd dwy sesiwn hyfforddi; mae pob dosbarth wedi rhoi cynnig ar y dull.",
        ),
        (
            "some-concerns",
            "Roedd yn anodd cael cyflenwi ym mis Tachwedd: nid yw un triawd wedi cyfarfod eto.",
        ),
        ("on-track", "Mae edrych ar lyfrau yn dangos bod adborth yn cael ei ddefnyddio'n amlach."),
        ("done", "Mae'r polisi newydd wedi'i gytuno a'i rannu â'r llywodraethwyr."),
        ("off-track", "Cafodd y cwrs a drefnwyd ei ganslo; rydym yn chwilio am ddarparwr arall."),
    ),
}

EVIDENCE_LINK = "https://hwb.gov.wales/"


def demo_success_criteria(slots: dict[str, str], lang: str) -> dict[str, Any]:
    """The success criteria step's answers for a board (slot -> card key): criteria for the
    cards in slots 1 to 3."""
    cards = {}
    for slot, (difference, evidence) in zip(("1", "2", "3"), _CRITERIA[lang], strict=True):
        if slot in slots:
            cards[slots[slot]] = {"difference": difference, "evidence": evidence}
    return {"cards": cards}


def seed_demo_progress(cluster: Cluster, academic_year: int, today: date) -> int:
    """Progress updates for the cluster's submitted plans of the year, for every term up to
    today's, on all but the last of the first six priorities; return how many plans got
    them this time."""
    term = current_term(academic_year, today)
    terms = TERMS[: TERMS.index(term) + 1] if term else TERMS
    written = 0
    plans = db.session.execute(
        select(Plan, School)
        .join(School, School.id == Plan.school_id)
        .where(School.cluster_id == cluster.id, Plan.academic_year == academic_year)
        .order_by(School.school_number)
    ).all()
    for plan, school in plans:
        version = db.session.scalar(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.number.desc())
            .limit(1)
        )
        has_updates = db.session.scalar(
            select(func.count(ProgressUpdate.id)).where(ProgressUpdate.plan_id == plan.id)
        )
        if version is None or has_updates:
            continue
        lead = db.session.scalar(
            select(User).where(User.school_id == school.id, User.is_school_lead.is_(True))
        )
        lang = "cy" if str(school.language_medium) == "welsh" else "en"
        ranked = [
            key for row in PlanDocument.from_stored(version.snapshot).board.ranked for key in row
        ]
        now = utcnow()
        for term_index, each_term in enumerate(terms):
            for index, card in enumerate(ranked[:5]):
                if each_term == terms[-1] and index == 4:
                    continue  # one priority still to update this term
                status, note = _UPDATES[lang][(index + term_index) % len(_UPDATES[lang])]
                db.session.add(
                    ProgressUpdate(
                        plan_id=plan.id,
                        card=card,
                        term=each_term,
                        status=status,
                        note=note,
                        links=[EVIDENCE_LINK] if index == 0 else [],
                        lang=lang,
                        version=version.number,
                        revision=1,
                        created_at=now,
                        updated_at=now,
                        updated_by_id=lead.id if lead else None,
                    )
                )
        written += 1
    db.session.commit()
    return written
