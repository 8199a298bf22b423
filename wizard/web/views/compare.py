"""Two years of a school's plan side by side: Diamond 9 moves, ratings and funding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from wizard.data.boards import own_cards
from wizard.data.plans import document_of, plan_and_answers
from wizard.domain import compare as comparison
from wizard.domain.academic_year import parse_year_slug
from wizard.domain.cards import CardCatalogue
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.scope import plan_scope
from wizard.web.views import signed_in_user

if TYPE_CHECKING:
    from wizard.data.models import OwnCard

bp = Blueprint("compare", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


def _own_card_identity(cards: list[OwnCard]) -> Any:
    """Own cards are matched across years by their titles; other cards by their keys."""
    titles = {card.key: f"own|{card.title_en or ''}|{card.title_cy or ''}" for card in cards}
    return lambda key: titles.get(key, key)


@bp.get("/compare")
@allow(Access.SCHOOL_MEMBER, plan=True)
def years(year: str) -> ResponseReturnValue:
    """This year's plan beside another year's: Diamond 9 moves, ratings and funding."""
    academic_year = plan_scope().academic_year
    user = signed_in_user()
    other_year = parse_year_slug(request.args.get("with", "")) or academic_year - 1
    this_plan, this_answers = plan_and_answers(plan_scope().school_id, academic_year)
    that_plan, that_answers = plan_and_answers(plan_scope().school_id, other_year)
    if this_plan is None or that_plan is None:
        abort(404)
    before, after = document_of(that_answers), document_of(this_answers)
    that_cards, this_cards = own_cards(that_plan), own_cards(this_plan)
    locale = select_locale()
    return render_template(
        "plan/compare.html",
        year_slug=year,
        academic_year=academic_year,
        other_year=other_year,
        moves=comparison.board_moves(
            before, after, _own_card_identity(that_cards), _own_card_identity(this_cards)
        ),
        ratings=comparison.rating_changes(before, after),
        funding=comparison.funding_by_purpose(before, after),
        cards_before=CardCatalogue(before, that_cards, locale),
        cards_after=CardCatalogue(after, this_cards, locale),
        school=user.school,
    )
