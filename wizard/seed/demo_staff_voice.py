"""Two staff voice rounds for the demo lead's school, all fictional: a closed round with enough
anonymous responses (five or more in every role, each with a complete board) to show the
results: where staff agree and disagree, the staff heat map and a consensus board the demo lead
can apply; and a newer round still open, with a few responses, whose results wait for it to
close (only its count shows).

Written once: a plan that already has a round is left as it is, and the plan's saved answers
are never touched (a plan with no answers is made when the school has none yet).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from wizard.data.accounts import new_token
from wizard.data.database import db
from wizard.data.models import School, StaffVoiceResponse, StaffVoiceRound, User, utcnow
from wizard.data.plans import get_or_create_plan
from wizard.domain.diamond import SLOTS, to_stored
from wizard.domain.staff_voice import LEADER, SUPPORT, TEACHER

# Boards staff tend to build, in slot order (row 1 first); each response takes one and the
# variations below, so that the heat map shows agreement at the top and spread further down.
_BOARDS: tuple[tuple[str, ...], ...] = (
    (
        "card:pedagogy",
        "card:well-being",
        "card:assessment",
        "card:curriculum-design",
        "card:welsh-language",
        "card:additional-learning-needs",
        "card:coaching-and-mentoring",
        "card:digital-competence",
        "card:literacy-and-numeracy",
    ),
    (
        "card:well-being",
        "card:pedagogy",
        "card:additional-learning-needs",
        "card:assessment",
        "card:support-staff",
        "card:inclusion",
        "card:welsh-language",
        "card:early-career",
        "card:learner-voice",
    ),
    (
        "card:pedagogy",
        "card:curriculum-design",
        "card:leading-teams",
        "card:assessment",
        "card:research-and-enquiry",
        "card:well-being",
        "card:cluster-collaboration",
        "card:coaching-and-mentoring",
        "card:welsh-language",
    ),
)
_RATINGS = ("not-yet-started", "developing", "established", "embedded", "not-sure")
# The closed round's 17 responses: every role has five or more, and so has the rest, so that
# every role's count is shown (a response without a role would be hidden, and with it, so that
# it cannot be found by subtraction, the smallest role).
_ROLES = [TEACHER] * 7 + [SUPPORT] * 5 + [LEADER] * 5
# The open round's responses so far.
_OPEN_ROLES = [TEACHER, TEACHER, SUPPORT]


def _response(index: int, role: str) -> tuple[dict[str, str], dict[str, str]]:
    """Ratings and a board for the index-th demo response, in a fixed, varied pattern."""
    board = list(_BOARDS[1 if role == SUPPORT else 2 if role == LEADER else index % 2])
    if index % 3 == 0:  # some swap their second and third rows' first cards
        board[1], board[3] = board[3], board[1]
    ratings: dict[str, str] = {}
    for hallmark in range(1, 9):
        # Leaders rate the school higher than other staff, most of all on hallmark 8.
        base = 2 if role == LEADER else 1
        if hallmark == 8:
            base = 3 if role == LEADER else 0
        step = (index + hallmark) % 3 - 1  # -1, 0 or 1
        position = min(max(base + step, 0), 3)
        key = "not-sure" if (index * hallmark) % 11 == 0 else _RATINGS[position]
        ratings[str(hallmark)] = key
    return ratings, to_stored(dict(zip(SLOTS, board, strict=True)))


def _round(plan_id: int, lead: User, roles: list[str], *, days_ago: int, closed: bool) -> None:
    # Built from the models: open_round records the lead's action in the audit trail and dates
    # the round today, and save_response takes one responder's form; the demo's rounds are
    # back-dated, and their responses are made up.
    # The links are never shown (only their hashes are kept): the lead makes a new link for
    # the open round to pass it on.
    _token, digest = new_token()
    now = utcnow()
    round_ = StaffVoiceRound(
        plan_id=plan_id,
        token_hash=digest,
        closes_on=date.today() + timedelta(days=-3 if closed else 14),
        created_at=now - timedelta(days=days_ago),
        created_by_id=lead.id,
        closed_at=now - timedelta(days=3) if closed else None,
    )
    db.session.add(round_)
    db.session.flush()
    for index, role in enumerate(roles):
        ratings, board = _response(index, role)
        _cookie, cookie_hash = new_token()
        db.session.add(
            StaffVoiceResponse(
                round_id=round_.id, cookie_hash=cookie_hash, role=role, ratings=ratings, board=board
            )
        )


def seed_demo_staff_voice(school: School, lead: User, academic_year: int) -> bool:
    """Give the school's plan for the year a closed round with 17 responses and an open one
    with 3, unless it has a round already. True when they were made."""
    plan = get_or_create_plan(school.id, academic_year)
    db.session.flush()
    if db.session.scalar(select(StaffVoiceRound.id).where(StaffVoiceRound.plan_id == plan.id)):
        return False
    _round(plan.id, lead, _ROLES, days_ago=17, closed=True)
    _round(plan.id, lead, _OPEN_ROLES, days_ago=1, closed=False)
    db.session.commit()
    return True
