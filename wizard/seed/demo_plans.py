"""The demo cluster's other schools and their plans for the current academic year, so that the
demo coordinator sees a living dashboard: plans submitted (one reviewed, one with changes
requested, one with feedback), one in progress and one not started. All fictional.

Plans are written once: a school that already has a plan for the year is left as it is, so
running seed-demo again changes nothing and never touches anyone's saved answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from wizard.data.database import db
from wizard.data.models import (
    Cluster,
    LanguageMedium,
    OwnCard,
    Plan,
    PlanAnswer,
    PlanComment,
    School,
    User,
    utcnow,
)
from wizard.data.plans import get_plan
from wizard.data.versions import submit
from wizard.domain.diamond import SLOTS
from wizard.domain.journey import ABOUT_STEP, BOARD_STEP, CRITERIA_STEP, FUNDING_STEP, JOURNEY
from wizard.domain.values import PlanStatus, ReviewStatus
from wizard.seed.demo_progress import demo_success_criteria

OWN_CARD = "own-card"
"""Stands for the school's own card on a board, replaced by its key once the card is saved."""


@dataclass(frozen=True)
class DemoPlan:
    number: str
    name_en: str
    name_cy: str
    medium: str
    lead: tuple[str, str]  # (name, email) of the school's lead, who submits (no password)
    state: str  # "submitted", "in-progress" or "not-started"
    phase: str = "primary"
    staff: tuple[int, int] = (12, 8)
    allocation: int = 0  # pence
    ratings: tuple[str, ...] = ()
    board: tuple[str, ...] = ()
    lines: tuple[tuple[str, str, str, str, int], ...] = ()
    """(purpose, priority card, term, description, pence)"""
    own_card: tuple[str | None, str | None] | None = None
    review: str | None = None
    comments: tuple[tuple[str | None, str], ...] = ()
    """(task key or None for the whole plan, body) by the demo coordinator."""
    priorities: dict[str, list[str]] = field(default_factory=dict)
    purpose_other: str = ""
    """What the money is for, on an "other" funding line."""


TEXT: dict[str, dict[str, Any]] = {
    "cy": {
        "reflection": {
            "school": "Mae ein hunanwerthuso yn dangos bod angen i ni rannu arfer da rhwng dosbarthiadau yn fwy cyson. Byddwn yn defnyddio triawdau dysgu a theithiau dysgu i wneud hynny.",
            "regional": "Mae cynnig dysgu proffesiynol y consortiwm yn cyd-fynd â'n blaenoriaethau ar asesu ac ar y Gymraeg; byddwn yn anfon dau aelod o staff i'r rhwydwaith asesu.",
            "national": "Byddwn yn defnyddio'r hawl genedlaethol i ddysgu proffesiynol a'r safonau proffesiynol wrth gynllunio datblygiad pob aelod o staff.",
        },
        "evidence": (
            "Teithiau dysgu'r tymor diwethaf a sylwadau'r corff llywodraethu.",
            "Arolwg staff mis Medi: mae 70% yn teimlo'n hyderus i arwain eu dysgu eu hunain.",
            "Llais y dysgwr: cyngor yr ysgol a holiadur y dysgwyr.",
            "Cofnodion cyfarfodydd y clwstwr a'r cynllun datblygu ysgol.",
        ),
        "next_steps": (
            "Sefydlu triawdau hyfforddi ar gyfer pob athro erbyn hanner tymor.",
            "Neilltuo amser staff bob pythefnos i ymholiad proffesiynol.",
            "Rhannu'r hyn a ddysgwn gyda'r clwstwr yn nhymor yr haf.",
        ),
    },
    "en": {
        "reflection": {
            "school": "Our self-evaluation shows that good practice is not yet shared consistently between classes. We will use learning triads and learning walks to change that.",
            "regional": "The regional professional learning offer fits our priorities on assessment and well-being; two colleagues will join the assessment network.",
            "national": "We will use the national professional learning entitlement and the professional standards when planning each colleague's development.",
        },
        "evidence": (
            "Last term's learning walks and the governing body's monitoring visit.",
            "September staff survey: 70% feel confident leading their own learning.",
            "Learner voice: the school council and the learner questionnaire.",
            "Cluster meeting notes and the school development plan.",
        ),
        "next_steps": (
            "Set up coaching triads for every teacher by half term.",
            "Protect fortnightly time for professional enquiry.",
            "Share what we learn with the cluster in the summer term.",
        ),
    },
}

SUBMITTED_RATINGS = (
    ("developing", "established", "developing", "not-yet-started", "established",
     "developing", "embedded", "developing"),
    ("established", "embedded", "established", "developing", "developing",
     "established", "established", "not-sure"),
    ("not-yet-started", "developing", "developing", "developing", "established",
     "not-sure", "developing", "established"),
    ("embedded", "established", "established", "established", "developing",
     "embedded", "established", "developing"),
)  # fmt: skip

DEMO_PLANS = (
    DemoPlan(
        "6802907",
        "Ysgol Gymraeg Glan Ffrwd",
        "Ysgol Gymraeg Glan Ffrwd",
        LanguageMedium.WELSH,
        ("Elin Pritchard", "pennaeth.glanffrwd@demo.example"),
        "submitted",
        staff=(14, 9),
        allocation=1_250_000,
        ratings=SUBMITTED_RATINGS[0],
        board=(
            "card:welsh-language",
            "card:pedagogy",
            "card:assessment",
            "card:well-being",
            OWN_CARD,
            "card:coaching-and-mentoring",
            "card:digital-competence",
            "card:cluster-collaboration",
            "card:early-years",
        ),  # fmt: skip
        lines=(
            (
                "release-and-cover",
                "card:welsh-language",
                "autumn",
                "Cyflenwi er mwyn i athrawon gynllunio gwersi llafaredd gyda'i gilydd",
                450_000,
            ),
            (
                "learning-coach",
                "card:pedagogy",
                "whole-year",
                "Hyfforddwr dysgu proffesiynol am ddiwrnod yr wythnos",
                600_000,
            ),
            (
                "critical-enquiry",
                "card:assessment",
                "spring",
                "Ymholiad ar asesu ar gyfer dysgu ym Mlwyddyn 2",
                150_000,
            ),
        ),  # fmt: skip
        own_card=("Outdoor learning in Welsh", "Dysgu awyr agored drwy'r Gymraeg"),
        review=ReviewStatus.REVIEWED,
        priorities={"school": ["schools-as-learning-organisations"]},
    ),
    DemoPlan(
        "6802908",
        "Maes yr Afon Primary School",
        "Ysgol Gynradd Maes yr Afon",
        LanguageMedium.ENGLISH,
        ("Gareth Lewis", "head.maesyrafon@demo.example"),
        "submitted",
        staff=(18, 14),
        allocation=1_640_000,
        ratings=SUBMITTED_RATINGS[1],
        board=(
            "card:equity",
            "card:literacy-and-numeracy",
            "card:well-being",
            "card:additional-learning-needs",
            "card:support-staff",
            "card:curriculum-design",
            "card:learner-voice",
            "card:research-and-enquiry",
            "card:inclusion",
        ),  # fmt: skip
        lines=(
            (
                "release-and-cover",
                "card:equity",
                "autumn",
                "Release for staff to visit a cluster school with strong family engagement",
                380_000,
            ),
            (
                "roles-and-posts",
                "card:literacy-and-numeracy",
                "whole-year",
                "A literacy lead for two afternoons a week",
                900_000,
            ),
            (
                "other",
                "card:support-staff",
                "spring",
                "Training for teaching assistants on reading interventions",
                250_000,
            ),
        ),  # fmt: skip
        purpose_other="Training from a reading intervention provider",
        review=ReviewStatus.CHANGES_REQUESTED,
        comments=(
            (
                None,
                "Thank you for a clear plan. Please say how the literacy lead's time will be "
                "evaluated before you resubmit, and check the spring line's description.",
            ),
            (
                "funding-plan",
                "The 'Other' line needs a short description of the training provider.",
            ),
        ),  # fmt: skip
        priorities={"regional": ["professional-learning-offer"]},
    ),
    DemoPlan(
        "6802909",
        "Ysgol Gymraeg Bryn Derw",
        "Ysgol Gymraeg Bryn Derw",
        LanguageMedium.WELSH,
        ("Rhian Morgan", "pennaeth.brynderw@demo.example"),
        "submitted",
        staff=(9, 6),
        allocation=840_000,
        ratings=SUBMITTED_RATINGS[2],
        board=(
            "card:curriculum-design",
            "card:welsh-language",
            "card:leading-teams",
            "card:subject-knowledge",
            "card:assessment",
            "card:early-career",
            "card:well-being",
            "card:learning-organisation",
            "card:learner-voice",
        ),  # fmt: skip
        lines=(
            (
                "release-and-cover",
                "card:curriculum-design",
                "autumn",
                "Dau ddiwrnod o gyflenwi i gynllunio'r cwricwlwm gydag Ysgol Gymraeg Glan Ffrwd",
                320_000,
            ),
            (
                "critical-enquiry",
                "card:leading-teams",
                "summer",
                "Ymholiad gan arweinwyr canol ar arwain timau",
                280_000,
            ),
        ),  # fmt: skip
        comments=(
            (
                None,
                "Cynllun cryf: mae'r cysylltiad rhwng eich hunanadolygiad a'ch Diemwnt 9 "
                "yn glir iawn.",
            ),
            (
                "hallmarks",
                "Ar y dilysnod cyntaf, a allech chi ychwanegu tystiolaeth o'r teithiau dysgu?",
            ),
        ),  # fmt: skip
        priorities={"national": ["professional-standards"]},
    ),
    DemoPlan(
        "6802910",
        "Ely Bridge Primary School",
        "Ysgol Gynradd Pont Trelái",
        LanguageMedium.ENGLISH,
        ("Sophie Bennett", "head.elybridge@demo.example"),
        "submitted",
        staff=(22, 17),
        allocation=2_100_000,
        ratings=SUBMITTED_RATINGS[3],
        board=(
            "card:well-being",
            "card:equity",
            "card:pedagogy",
            "card:inclusion",
            "card:additional-learning-needs",
            "card:digital-competence",
            "card:coaching-and-mentoring",
            "card:support-staff",
            "card:early-career",
        ),  # fmt: skip
        lines=(
            (
                "learning-coach",
                "card:well-being",
                "whole-year",
                "A cluster well-being coach shared with two schools",
                800_000,
            ),
            (
                "release-and-cover",
                "card:pedagogy",
                "spring",
                "Cover for lesson study in Years 3 and 4",
                520_000,
            ),
            ("roles-and-posts", "card:equity", "whole-year", "A family engagement lead", 600_000),
            (
                "critical-enquiry",
                "card:inclusion",
                "summer",
                "An enquiry into anti-racist practice in the classroom",
                150_000,
            ),
        ),  # fmt: skip
    ),
    DemoPlan(
        "6802911",
        "Heol y Felin Primary School",
        "Ysgol Gynradd Heol y Felin",
        LanguageMedium.ENGLISH,
        ("Tom Richards", "head.heolyfelin@demo.example"),
        "in-progress",
        staff=(11, 7),
        allocation=960_000,
        ratings=("developing", "developing", "established"),
    ),
    DemoPlan(
        "6804912",
        "Westgate High School",
        "Ysgol Uwchradd Porth y Gorllewin",
        LanguageMedium.BILINGUAL,
        ("Huw Davies", "head.westgate@demo.example"),
        "not-started",
        phase="secondary",
    ),
)


def _answers(demo: DemoPlan, own_key: str | None, complete: bool) -> dict[str, dict[str, Any]]:
    text_lang = "cy" if demo.medium == LanguageMedium.WELSH else "en"
    text = TEXT[text_lang]
    answers: dict[str, dict[str, Any]] = {
        ABOUT_STEP: {
            "phase": demo.phase,
            "teaching_staff": demo.staff[0],
            "support_staff": demo.staff[1],
            "pl_lead": demo.lead[0],
            "funding_allocation_pence": demo.allocation,
        }
    }
    for key, reflection in text["reflection"].items():
        if not complete and key != "school":
            continue
        answers[f"context-{key}"] = {
            "reflection": reflection,
            "priorities": demo.priorities.get(key, []),
        }
    for number, rating in enumerate(demo.ratings, start=1):
        answers[f"hallmark-{number}"] = {
            "rating": rating,
            "evidence": text["evidence"][number % len(text["evidence"])],
            "next_steps": text["next_steps"][number % len(text["next_steps"])],
        }
    if not complete:
        return answers
    board = [own_key if card == OWN_CARD else card for card in demo.board]
    answers[BOARD_STEP] = {
        "slots": {str(slot): card for slot, card in zip(SLOTS, board, strict=True)}
    }
    # Success criteria on the top priorities (issue 25: wizard/seed/demo_progress.py).
    answers[CRITERIA_STEP] = demo_success_criteria(answers[BOARD_STEP]["slots"], text_lang)
    answers[FUNDING_STEP] = {
        "lines": [
            {
                "id": f"demo{demo.number}{index}",
                "purpose": purpose,
                "purpose_other": demo.purpose_other if purpose == "other" else "",
                "priority": priority,
                "beneficiaries": ["teachers", "support-staff"] if index % 2 else ["all-staff"],
                "term": term,
                "description": description,
                "amount_pence": pence,
            }
            for index, (purpose, priority, term, description, pence) in enumerate(demo.lines)
        ]
    }
    for task in JOURNEY.tasks:
        if task.confirm_completion:
            answers[task.completion_key] = {"completed": True}
    return answers


def _lead(demo: DemoPlan, school: School) -> User:
    name, email = demo.lead
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        # No password: the demo signs in as the four accounts seed-demo prints. A Welsh-medium
        # school's lead reads Welsh: their emails (a reminder of the deadline) are in Welsh.
        user = User(
            email=email,
            name=name,
            school=school,
            is_school_lead=True,
            locale="cy" if demo.medium == LanguageMedium.WELSH else None,
        )
        db.session.add(user)
    return user


def seed_demo_plans(cluster: Cluster, coordinator: User, academic_year: int) -> int:
    """Add the demo schools to the cluster and write each one's plan once; return how many
    plans were written this time."""
    written = 0
    for demo in DEMO_PLANS:
        school = db.session.scalar(select(School).where(School.school_number == demo.number))
        if school is None:
            school = School(
                school_number=demo.number,
                name_en=demo.name_en,
                name_cy=demo.name_cy,
                language_medium=demo.medium,
                local_authority=cluster.local_authority,
                cluster=cluster,
            )
            db.session.add(school)
        lead = _lead(demo, school)
        db.session.flush()
        if demo.state == "not-started" or get_plan(school.id, academic_year) is not None:
            continue
        written += 1
        _write_plan(demo, school, lead, coordinator, academic_year)
    db.session.commit()
    return written


def _write_plan(
    demo: DemoPlan, school: School, lead: User, coordinator: User, academic_year: int
) -> None:
    # The plan, its answers, its own card, the coordinator's comments and the review are built
    # from the models, written whole: save_step takes one step at a time with its revision and
    # commit, and save_own_card, add_comment and set_review each record a person's action in the
    # audit trail, which a made-up plan should not have. Submitting goes through submit().
    plan = Plan(school_id=school.id, academic_year=academic_year)
    db.session.add(plan)
    db.session.flush()
    own_key = None
    if demo.own_card:
        card = OwnCard(
            plan_id=plan.id,
            title_en=demo.own_card[0],
            title_cy=demo.own_card[1],
            created_by_id=lead.id,
        )
        db.session.add(card)
        db.session.flush()
        own_key = card.key
    complete = demo.state == "submitted"
    for step, data in _answers(demo, own_key, complete).items():
        db.session.add(PlanAnswer(plan_id=plan.id, step=step, data=data, updated_by_id=lead.id))
    db.session.commit()
    if not complete:
        return
    version = submit(plan, school, lead)
    now = utcnow()
    for task_key, body in demo.comments:
        db.session.add(
            PlanComment(
                plan_id=plan.id,
                version_number=version.number,
                task_key=task_key,
                author_id=coordinator.id,
                body=body,
                created_at=now,
            )
        )
    if demo.review:
        version.review_status = str(demo.review)
        version.reviewed_at = now + timedelta(minutes=5)
        version.reviewed_by_id = coordinator.id
    db.session.commit()
    if demo.review == ReviewStatus.CHANGES_REQUESTED:
        _second_version(demo, plan, school, lead, now)


# What the school asked for changes does before it submits again: so that the demo coordinator
# sees a reply in the conversation and exactly what changed, field by field, in version 2.
REPLY = {
    "cy": "Diolch. Rydym wedi ychwanegu sut y byddwn yn gwerthuso amser yr arweinydd llythrennedd.",
    "en": "Thank you. We have added how we will evaluate the literacy lead's time.",
}
EVALUATION = {
    "cy": " Byddwn yn gwerthuso'r gwaith bob tymor gyda'r llywodraethwyr.",
    "en": " We will evaluate this each term with the governors.",
}


def _second_version(
    demo: DemoPlan, plan: Plan, school: School, lead: User, since: datetime
) -> None:
    """The lead replies to the coordinator's first comment, changes a rating, a card's row, a
    line's amount and description and a reflection, and submits version 2."""
    lang = "cy" if demo.medium == LanguageMedium.WELSH else "en"
    first = db.session.scalar(
        select(PlanComment)
        .where(PlanComment.plan_id == plan.id, PlanComment.reply_to_id.is_(None))
        .order_by(PlanComment.id)
    )
    if first is not None:
        db.session.add(
            PlanComment(
                plan_id=plan.id,
                version_number=first.version_number,
                task_key=first.task_key,
                reply_to_id=first.id,
                author_id=lead.id,
                body=REPLY[lang],
                lang=lang,
                created_at=since + timedelta(minutes=6),
            )
        )
    answers = {answer.step: answer for answer in plan.answers}
    for step, answer in answers.items():
        data = dict(answer.data)
        if step.startswith("hallmark-") and data.get("rating") == "developing":
            data["rating"] = "established"
            data["next_steps"] = str(data.get("next_steps") or "") + EVALUATION[lang]
            answer.data = data
            break
    board = answers.get(BOARD_STEP)
    if board is not None:
        slots = dict(board.data.get("slots") or {})
        slots["1"], slots["4"] = slots.get("4"), slots.get("1")
        board.data = {**board.data, "slots": slots}
    funding = answers.get(FUNDING_STEP)
    if funding is not None:
        lines = [dict(line) for line in funding.data.get("lines") or []]
        if lines:
            lines[0]["amount_pence"] = lines[0]["amount_pence"] * 3 // 4 // 100 * 100
        for line in lines:
            if line.get("purpose") == "other":
                line["description"] = str(line.get("description") or "") + EVALUATION[lang]
        funding.data = {**funding.data, "lines": lines}
    reflection = answers.get("context-school")
    if reflection is not None:
        text = str(reflection.data.get("reflection") or "")
        reflection.data = {**reflection.data, "reflection": text + EVALUATION[lang]}
    plan.status = PlanStatus.DRAFT
    plan.version = plan.version + 1
    db.session.commit()
    submit(plan, school, lead)
