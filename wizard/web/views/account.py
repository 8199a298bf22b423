"""The user's account (its password and preferred language), and invitations of colleagues
by the school lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from wizard.domain.inputs import normalise_email
from wizard.render.locale import using_locale, valid_language
from wizard.services import accounts
from wizard.web.access import Access, allow
from wizard.web.devices import trusted_device
from wizard.web.extensions import limiter
from wizard.web.forms import (
    ChangePasswordForm,
    InviteColleagueForm,
    LanguageForm,
    refuse_email_in_password,
)
from wizard.web.i18n import LANG_PREFIX, remember_language, select_locale

if TYPE_CHECKING:
    from wizard.services.accounts import User

bp = Blueprint("account", __name__, url_prefix=LANG_PREFIX + "/account")


@bp.get("/")
@allow(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """Show who the user is, their school or clusters, and their colleagues."""
    user: User = current_user
    colleagues, pending = accounts.colleagues_and_invitations(user.school_id)
    return render_template("account/index.html", user=user, colleagues=colleagues, pending=pending)


def _client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


@bp.route("/password", methods=["GET", "POST"])
@allow(Access.SIGNED_IN)
def password() -> ResponseReturnValue:
    """Change the password: the current one is asked for; the user's other sessions end, and
    this one goes on."""
    if not current_app.config.get("PASSWORD_SIGN_IN", True):
        abort(404)  # WIZARD_PASSWORD_SIGN_IN=off: Hwb only (docs/hwb.md)
    user: User = current_user
    form = ChangePasswordForm()
    if form.validate_on_submit() and not refuse_email_in_password(form, user.email):
        token = session.get(accounts.SESSION_TOKEN_KEY)
        if not isinstance(token, str):
            abort(400)
        # Guesses of the current password count as failed sign-ins (and wait as they do).
        result = accounts.change_password(
            user,
            form.current.data or "",
            form.password.data or "",
            token,
            _client_address(),
            trusted_device(user.email),
        )
        if result.wait:
            g.retry_after = result.wait
            abort(429)
        if result.outcome is accounts.PasswordChange.WRONG_CURRENT:
            form.current.errors = [_("Your current password is not right")]
        else:
            # The cookie now names the new password's session version.
            login_user(user)
            flash(
                _("Your password has been changed. You have been signed out everywhere else."),
                "success",
            )
            return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form)


@bp.route("/language", methods=["GET", "POST"])
@allow(Access.SIGNED_IN)
def language() -> ResponseReturnValue:
    """Choose the language the service is shown in after signing in (and emails are sent in)."""
    user: User = current_user
    form = LanguageForm()
    if request.method == "GET":
        form.language.data = valid_language(user.locale) or select_locale()
    if form.validate_on_submit():
        chosen = valid_language(form.language.data) or select_locale()
        accounts.set_preferred_language(user, chosen)
        remember_language(chosen)
        # The account page in the language chosen, with its confirmation in that language.
        flash(_saved_in(chosen), "success")
        return redirect(url_for("account.index", lang=chosen))
    return render_template("account/language.html", form=form)


def _saved_in(lang: str) -> str:
    """The confirmation in the language just chosen, shown on the page in that language."""
    with using_locale(lang):
        return str(_("Your preferred language has been saved."))


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
    # The email's language starts as the page's (the colleague can be sent the other).
    form = InviteColleagueForm(data={"language": select_locale()})
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        invited = accounts.invite_colleague(
            user, email, form.name.data or "", form.language.data or "cy"
        )
        if invited is accounts.Invited.ALREADY_COLLEAGUE:
            form.email.errors = [_("%(email)s is already a colleague at your school", email=email)]
            return render_template("account/invite.html", form=form)
        if invited is accounts.Invited.ALREADY_INVITED:
            form.email.errors = [
                _(
                    "You have already invited %(email)s. Get a new link from your team page.",
                    email=email,
                )
            ]
            return render_template("account/invite.html", form=form)
        flash(_("We have sent an invitation to %(email)s.", email=email), "success")
        return redirect(url_for("account.index"))
    return render_template("account/invite.html", form=form)
