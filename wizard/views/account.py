"""The user's account, and invitations of colleagues by the school lead."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import Access, allow
from ..accounts import find_user_by_email, new_token, normalise_email
from ..extensions import db
from ..forms import InviteColleagueForm
from ..i18n import LANG_PREFIX
from ..mail import send_email
from ..models import AuditEvent, Invitation, User, utcnow

bp = Blueprint("account", __name__, url_prefix=LANG_PREFIX + "/account")


@bp.get("/")
@allow(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """Show who the user is, their school or clusters, and their colleagues."""
    user: User = current_user
    colleagues: list[User] = []
    pending: list[Invitation] = []
    if user.school_id is not None:
        colleagues = list(
            db.session.scalars(
                select(User).where(User.school_id == user.school_id).order_by(User.name)
            )
        )
        pending = list(
            db.session.scalars(
                select(Invitation)
                .where(
                    Invitation.school_id == user.school_id,
                    Invitation.accepted_at.is_(None),
                    Invitation.expires_at >= utcnow(),
                )
                .order_by(Invitation.created_at)
            )
        )
    return render_template("account/index.html", user=user, colleagues=colleagues, pending=pending)


@bp.route("/invite", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD)
def invite() -> ResponseReturnValue:
    """Invite a colleague to work on the school's plan."""
    user: User = current_user
    form = InviteColleagueForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        if find_user_by_email(email) is not None:
            form.email.errors = [_("There is already an account with this email address")]
        else:
            token, digest = new_token()
            locale = form.language.data or "cy"
            invitation = Invitation(
                email=email,
                name=form.name.data or "",
                school_id=user.school_id,
                invited_by_id=user.id,
                token_hash=digest,
                locale=locale,
                expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
            )
            db.session.add(invitation)
            db.session.add(
                AuditEvent(user_id=user.id, action="colleague-invited", detail={"email": email})
            )
            db.session.commit()
            send_email(
                email,
                "invitation",
                locale,
                name=invitation.name,
                inviter=user.name,
                school=user.school,
                link=url_for("auth.accept_invitation", token=token, lang=locale, _external=True),
                days=current_app.config["INVITATION_DAYS"],
            )
            flash(_("We have sent an invitation to %(email)s.", email=email), "success")
            return redirect(url_for("account.index"))
    return render_template("account/invite.html", form=form)
