"""One wording, in both languages, for a funding plan that is more than the allocation:
"£1,500.50 more than the allocation of £10,000.00". Every page that says so uses these."""

from __future__ import annotations

from wizard.domain.funding import Totals
from wizard.render.locale import format_money
from wizard.web.text import gettext as _


def over_phrase(totals: Totals) -> str:
    """The phrase itself, for a table cell: "£1,500.50 more than the allocation of £10,000.00"."""
    return _(
        "%(over)s more than the allocation of %(allocation)s",
        over=format_money(totals.over),
        allocation=format_money(totals.allocation),
    )


def over_warning(totals: Totals) -> str:
    """The sentence for a warning or an error summary."""
    return _(
        "Your funding plan is %(over)s more than the allocation of %(allocation)s.",
        over=format_money(totals.over),
        allocation=format_money(totals.allocation),
    )


def over_field_error(totals: Totals) -> str:
    """The error on a line's amount when saving it would plan more than the allocation."""
    return _(
        "With this amount, your funding plan is %(over)s more than the allocation of %(allocation)s. Reduce this amount or another line.",
        over=format_money(totals.over),
        allocation=format_money(totals.allocation),
    )
