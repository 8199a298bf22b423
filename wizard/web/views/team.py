"""The lead's team: members, open invitations and requests to join; removing a colleague,
handing the lead role over, cancelling or resending an invitation. And, for anyone signed in,
linking Hwb to their account and then removing its password. The work is in
wizard.services.identity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from wizard.domain.inputs import parse_whole_number
from wizard.services import identity
from wizard.services.accounts import SESSION_TOKEN_KEY
from wizard.web.access import Access, allow
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX

if TYPE_CHECKING:
    from wizard.services.accounts import User

bp = Blueprint("team", __name__, url_prefix=LANG_PREFIX + "/account")


def _confirmed(asked: bool = False) -> None:
    """A POST with its CSRF token; `asked`: from the page that asked first (confirm=yes)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if asked and request.form.get("confirm") != "yes":
        abort(400)


@bp.get("/team")
@allow(Access.SCHOOL_LEAD)
def index() -> ResponseReturnValue:
    """The school's members, open invitations and requests to join."""
    return render_template("account/team.html", team=identity.team_of(current_user))


@bp.post("/team/requests/<int:request_id>")
@allow(Access.SCHOOL_LEAD)
def decide(request_id: int) -> ResponseReturnValue:
    """Approve (an account is made, linked to their Hwb identity) or decline a request."""
    _confirmed()
    lead: User = current_user
    join = identity.open_request(lead, request_id)
    if join is None:
        abort(404)
    decision = request.form.get("decision")
    if decision == "approve":
        try:
            identity.approve(lead, join)
        except identity.NoEmail:
            flash(
                _(
                    "Hwb did not give an email address for %(name)s, so their account cannot be "
                    "made yet. Ask them to sign in with Hwb again once their Hwb account has one.",
                    name=join.name,
                )
            )
            return redirect(url_for("team.index"))
        except (identity.IdentityTaken, identity.EmailTaken):
            flash(
                _(
                    "%(name)s already has an account. Ask them to sign in with it and link Hwb "
                    "from their account page.",
                    name=join.name,
                )
            )
            return redirect(url_for("team.index"))
        flash(_("%(name)s can now sign in with Hwb.", name=join.name), "success")
    elif decision == "decline":
        identity.decline(lead, join)
        flash(_("You have declined the request from %(name)s.", name=join.name), "success")
    else:
        abort(400)
    return redirect(url_for("team.index"))


@bp.route("/team/members/<int:user_id>/remove", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD)
def remove(user_id: int) -> ResponseReturnValue:
    """Remove a colleague from the school (asks first): their sessions end at once."""
    colleague = identity.colleague(current_user, user_id)
    if colleague is None:
        abort(404)
    if request.method == "POST":
        _confirmed(asked=True)
        identity.remove_colleague(current_user, colleague)
        flash(_("%(name)s has been removed from your school.", name=colleague.name), "success")
        return redirect(url_for("team.index"))
    return render_template("account/team_remove.html", colleague=colleague)


@bp.route("/team/members/<int:user_id>/lead", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD)
def hand_over(user_id: int) -> ResponseReturnValue:
    """Hand the lead role to a colleague (asks first, and which share links to keep)."""
    colleague = identity.colleague(current_user, user_id)
    if colleague is None:
        abort(404)
    links = identity.share_links_made_by(current_user)
    if request.method == "POST":
        _confirmed(asked=True)
        keep = [
            number
            for number in (parse_whole_number(v) for v in request.form.getlist("keep"))
            if number is not None
        ]
        identity.hand_over_lead(current_user, colleague, keep)
        flash(
            _("%(name)s is now your school's professional learning lead.", name=colleague.name),
            "success",
        )
        return redirect(url_for("account.index"))
    return render_template("account/team_lead.html", colleague=colleague, links=links)


@bp.post("/team/invitations/<int:invitation_id>/cancel")
@allow(Access.SCHOOL_LEAD)
def cancel(invitation_id: int) -> ResponseReturnValue:
    _confirmed()
    invitation = identity.open_invitation(current_user, invitation_id)
    if invitation is None:
        abort(404)
    identity.cancel_invitation(current_user, invitation)
    flash(_("The invitation to %(email)s has been cancelled.", email=invitation.email), "success")
    return redirect(url_for("team.index"))


@bp.post("/team/invitations/<int:invitation_id>/resend")
@allow(Access.SCHOOL_LEAD)
def resend(invitation_id: int) -> ResponseReturnValue:
    """A new link, sent again by email and shown here to copy (for Teams, or on paper)."""
    _confirmed()
    invitation = identity.open_invitation(current_user, invitation_id)
    if invitation is None:
        abort(404)
    token = identity.resend_invitation(current_user, invitation)
    link = f"{current_app.config['BASE_URL']}{url_for('auth.accept_invitation', token=token)}"
    return render_template("account/team_link.html", invitation=invitation, link=link)


@bp.post("/password/remove")
@allow(Access.SIGNED_IN)
def remove_password() -> ResponseReturnValue:
    """An account linked to Hwb signs in with Hwb only: its password goes."""
    _confirmed()
    user: User = current_user
    token = session.get(SESSION_TOKEN_KEY)
    if not isinstance(token, str) or not identity.remove_password(user, token):
        abort(404)
    login_user(user)
    flash(_("Your password has been removed. Sign in with Hwb from now on."), "success")
    return redirect(url_for("account.index"))
