"""Two years of a school's plan side by side: Diamond 9 moves, ratings and funding."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import parse_year_slug
from wizard.services import plans
from wizard.web.access import Access, allow
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.scope import plan_scope
from wizard.web.views import signed_in_user
from wizard.web.year_end import words

bp = Blueprint("compare", __name__, url_prefix=LANG_PREFIX + "/plan/<year>")


@bp.get("/compare")
@allow(Access.SCHOOL_MEMBER, plan=True)
def years(year: str) -> ResponseReturnValue:
    """This year's plan beside another year's: Diamond 9 moves, ratings and funding."""
    academic_year = plan_scope().academic_year
    user = signed_in_user()
    other_year = parse_year_slug(request.args.get("with", "")) or academic_year - 1
    compared = plans.compare_years(
        plan_scope().school_id, academic_year, other_year, select_locale()
    )
    if compared is None:
        abort(404)
    return render_template(
        "plan/compare.html",
        year_slug=year,
        academic_year=academic_year,
        other_year=other_year,
        moves=compared.moves,
        ratings=compared.ratings,
        funding=compared.funding,
        cards_before=compared.cards_before,
        cards_after=compared.cards_after,
        school=user.school,
        review=compared.review,
        review_year=compared.review_year,
        review_cards=compared.cards_before
        if compared.review_year == other_year
        else compared.cards_after,
        purposes=words()["purposes"],
        levels=words()["levels"],
        criteria_titles=words()["criteria_titles"],
    )
