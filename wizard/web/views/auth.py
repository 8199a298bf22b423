"""Signing in and out, resetting a password, and accepting an invitation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    copy_current_request_context,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from wizard.domain.inputs import normalise_email, safe_next_path
from wizard.services import accounts
from wizard.web.access import Access, allow
from wizard.web.devices import remember_device, trusted_device
from wizard.web.extensions import limiter
from wizard.web.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
    refuse_email_in_password,
)
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.views import home_url

if TYPE_CHECKING:
    from wizard.services.accounts import User

bp = Blueprint("auth", __name__, url_prefix=LANG_PREFIX)


def _client_address() -> str:
    """The client's address (the real one behind configured proxies: see security.py)."""
    return (request.remote_addr or "unknown")[:64]


def _start_session(user: User, token: str) -> None:
    """Sign the user in with a fresh cookie session (keeping only the language) that carries
    the token of the server-side session (accounts.start_session)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[accounts.SESSION_TOKEN_KEY] = token
    session[accounts.SESSION_SEEN_KEY] = int(time.time())
    login_user(user)


def _session_token() -> str | None:
    token = session.get(accounts.SESSION_TOKEN_KEY)
    return token if isinstance(token, str) else None


def _end_session() -> None:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/sign-in", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def sign_in() -> ResponseReturnValue:
    """Sign in with an email address and password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if request.method == "POST" and not _passwords():
        abort(404)
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        # Recorded first, then counted: a burst of attempts gets no more tries than a sequence.
        result = accounts.sign_in(
            email, form.password.data or "", _client_address(), trusted_device(email)
        )
        if result.wait:
            g.retry_after = result.wait
            abort(429)
        if result.user is not None:
            user = result.user
            _start_session(user, result.token)
            remember_device(user.email)
            # Without a page to go back to: the service in the language chosen on the account
            # page, if one was chosen, else in the sign-in page's.
            return redirect(
                safe_next_path(request.args.get("next"))
                or home_url(user, accounts.chosen_language(user.id))
            )
        failed = True
        # The same message whether the email is unknown or the password wrong.
        form.email.errors = [_("Enter a correct email address and password")]
    return render_template("auth/sign_in.html", form=form, failed=failed)


@bp.post("/sign-out")
@allow(Access.SIGNED_IN)
def sign_out() -> ResponseReturnValue:
    """Sign out: the session ends on the server, so a copy of the cookie no longer works."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with_hwb = bool(session.get("hwb"))
    accounts.sign_out(current_user.id, _session_token())
    _end_session()
    if with_hwb:
        # Signed in with Hwb: the next page offers to sign out of Hwb too (views/hwb.py).
        return redirect(url_for("hwb.signed_out"))
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.start"))


@bp.post("/stay-signed-in")
@allow(Access.SIGNED_IN)
def stay_signed_in() -> ResponseReturnValue:
    """ "Stay signed in" in the timeout warning: the request itself restarts the idle timeout
    (see load_user). From the page's script (fetch), 204; from the form without it, back to
    the page it was on."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204
    return redirect(safe_next_path(request.form.get("next")) or home_url(current_user))


def _passwords() -> bool:
    """WIZARD_PASSWORD_SIGN_IN=off: no password sign-in, resets or password invitations."""
    return bool(current_app.config.get("PASSWORD_SIGN_IN", True))


def _reset_request_limit() -> str:
    return str(current_app.config["RESET_REQUESTS_PER_ADDRESS"])


@bp.route("/reset-password", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(_reset_request_limit, methods=["POST"])
def reset_password_request() -> ResponseReturnValue:
    """Ask for a password reset link by email.

    The page says the same thing every time, whether or not there is an account and however
    often it is asked: emails beyond a few an hour for one account are dropped silently.
    """
    if not _passwords():
        abort(404)
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        address = _client_address()
        page_locale = select_locale()
        # Whether there is an account is looked up, and its email written and sent, only once
        # the page has gone: the response takes the same path, and so the same time, whether
        # or not the address has an account.
        response = make_response(render_template("auth/reset_sent.html", email=form.email.data))
        response.call_on_close(
            copy_current_request_context(
                lambda: accounts.send_reset_link(email, address, page_locale)
            )
        )
        return response
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password from a one-time link."""
    if not _passwords():
        abort(404)
    reset = accounts.find_password_reset(token)
    if reset is None:
        return render_template("auth/link_expired.html", kind="reset"), 404
    form = NewPasswordForm()
    if form.validate_on_submit() and not refuse_email_in_password(
        form, accounts.email_of(reset.user_id)
    ):
        if accounts.reset_password(reset, form.password.data or "", _client_address()) is None:
            abort(404)
        if current_user.is_authenticated:
            _end_session()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, token=token)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def accept_invitation(token: str) -> ResponseReturnValue:
    """Create an account from a colleague's invitation."""
    invitation, has_account = accounts.open_invitation(token)
    if invitation is None:
        return render_template("auth/link_expired.html", kind="invitation"), 404
    if has_account:
        return render_template("auth/link_expired.html", kind="existing-account"), 409
    if request.method == "POST" and not _passwords():
        abort(404)
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit() and not refuse_email_in_password(form, invitation.email):
        try:
            user, session_token = accounts.accept_invitation(
                invitation, form.name.data or "", form.password.data or "", select_locale()
            )
        except accounts.AccountExists:
            # Accepted at the same moment in another tab or by a double submission: the
            # account is there (the database keeps one per address), so say so.
            return render_template("auth/link_expired.html", kind="existing-account"), 409
        _start_session(user, session_token)
        remember_device(user.email)
        flash(_("Your account has been created."), "success")
        return redirect(home_url(user))
    return render_template(
        "auth/accept_invitation.html", form=form, invitation=invitation, token=token
    )
