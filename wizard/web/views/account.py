"""The user's account, and invitations of colleagues by the school lead."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from wizard.data.accounts import (
    colleagues_of,
    find_user_by_email,
    invite_colleague,
    normalise_email,
    pending_invitations,
)
from wizard.data.outbox import Mail
from wizard.render.mail import compose, dispatch, link, send_email
from wizard.web.access import Access, allow
from wizard.web.extensions import limiter
from wizard.web.forms import InviteColleagueForm
from wizard.web.i18n import LANG_PREFIX, valid_language

if TYPE_CHECKING:
    from wizard.data.models import Invitation, User

bp = Blueprint("account", __name__, url_prefix=LANG_PREFIX + "/account")


@bp.get("/")
@allow(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """Show who the user is, their school or clusters, and their colleagues."""
    user: User = current_user
    colleagues: list[User] = []
    pending: list[Invitation] = []
    if user.school_id is not None:
        colleagues = colleagues_of(user.school_id)
        pending = pending_invitations(user.school_id)
    return render_template("account/index.html", user=user, colleagues=colleagues, pending=pending)


def _invitations_per_lead() -> str:
    return str(current_app.config["INVITATIONS_PER_LEAD"])


def _lead_key() -> str:
    return f"lead:{getattr(current_user, 'id', None)}"


@bp.route("/invite", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD)
@limiter.limit(
    _invitations_per_lead,
    key_func=_lead_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 302,
)
def invite() -> ResponseReturnValue:
    """Invite a colleague to work on the school's plan.

    Whether the address already has an account somewhere is never said on the page (that
    would tell any lead who has an account): the page says the invitation was sent, and
    the owner of an existing account gets an email saying how to sign in instead.
    """
    user: User = current_user
    form = InviteColleagueForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        existing = find_user_by_email(email)
        locale = form.language.data or "cy"
        if existing is not None and existing.school_id == user.school_id:
            form.email.errors = [_("%(email)s is already a colleague at your school", email=email)]
            return render_template("account/invite.html", form=form)
        if existing is not None:
            their_locale = valid_language(existing.locale) or locale
            send_email(
                email,
                "invitation_existing",
                their_locale,
                # One event per lead, address and minute: a double click sends one email.
                f"invitation-existing:{user.id}:{email}:{datetime.now(UTC):%Y-%m-%dT%H:%M}",
                inviter=user.name,
                school=user.school,
                link=link("auth.sign_in", lang=their_locale),
            )
        else:
            name = form.name.data or ""

            def invitation_mail(token: str) -> list[Mail]:
                return [
                    compose(
                        email,
                        "invitation",
                        locale,
                        name=name,
                        inviter=user.name,
                        school=user.school,
                        link=link("auth.accept_invitation", token=token, lang=locale),
                        days=current_app.config["INVITATION_DAYS"],
                    )
                ]

            invite_colleague(user, email, name, locale, mail=invitation_mail)
            dispatch()
        flash(_("We have sent an invitation to %(email)s.", email=email), "success")
        return redirect(url_for("account.index"))
    return render_template("account/invite.html", form=form)
