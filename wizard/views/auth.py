"""Signing in and out, resetting a password, and accepting an invitation."""

from __future__ import annotations

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
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..access import Access, allow
from ..accounts import (
    SESSION_TOKEN_KEY,
    check_password,
    create_password_reset,
    end_session,
    find_password_reset,
    find_user_by_email,
    may_send_reset,
    normalise_email,
    record_sign_in,
    set_password,
    sign_in_wait_seconds,
    start_session,
    token_hash,
    use_password_reset,
)
from ..audit import AuditAction, record
from ..extensions import db, limiter
from ..forms import (
    AcceptInvitationForm,
    ConfirmForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from ..i18n import LANG_PREFIX, select_locale, valid_language
from ..inputs import safe_next_path
from ..mail import link, send_email
from ..models import Invitation, User, utcnow
from . import home_url

bp = Blueprint("auth", __name__, url_prefix=LANG_PREFIX)


def _client_address() -> str:
    """The client's address (the real one behind configured proxies: see security.py)."""
    return (request.remote_addr or "unknown")[:64]


def _start_session(user: User) -> None:
    """Sign the user in with a fresh session (keeping only the language), recorded on the
    server so that signing out ends it everywhere the cookie may have been copied."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_TOKEN_KEY] = start_session(user)
    login_user(user)
    user.last_signed_in_at = utcnow()


def _end_session() -> None:
    token = session.get(SESSION_TOKEN_KEY)
    if isinstance(token, str):
        end_session(token)
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
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        address = _client_address()
        if sign_in_wait_seconds(email, address):
            record(AuditAction.SIGN_IN_THROTTLED, email=email, address=address)
            db.session.commit()
            abort(429)
        user = find_user_by_email(email)
        if check_password(user, form.password.data or "") and user is not None:
            record_sign_in(email, address, succeeded=True)
            record(AuditAction.SIGNED_IN, user_id=user.id, address=address)
            _start_session(user)
            db.session.commit()
            return redirect(safe_next_path(request.args.get("next")) or home_url(user))
        record_sign_in(email, address, succeeded=False)
        record(
            AuditAction.SIGN_IN_FAILED,
            user_id=user.id if user else None,
            email=email,
            address=address,
        )
        db.session.commit()
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
    record(AuditAction.SIGNED_OUT, user_id=current_user.id)
    _end_session()
    db.session.commit()
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.start"))


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
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data or "")
        if user is not None and may_send_reset(user):
            token = create_password_reset(user)
            record(AuditAction.PASSWORD_RESET_REQUESTED, user_id=user.id, address=_client_address())
            db.session.commit()
            locale = valid_language(user.locale) or select_locale()
            send_email(
                user.email,
                "password_reset",
                locale,
                name=user.name,
                link=link("auth.reset_password", token=token, lang=locale),
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            )
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password from a one-time link."""
    reset = find_password_reset(token)
    if reset is None:
        return render_template("auth/link_expired.html", kind="reset"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = db.session.get(User, reset.user_id)
        if user is None:
            abort(404)
        use_password_reset(reset, user, form.password.data or "")
        record(AuditAction.PASSWORD_RESET_USED, user_id=user.id, address=_client_address())
        if current_user.is_authenticated:
            _end_session()
        db.session.commit()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, token=token)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def accept_invitation(token: str) -> ResponseReturnValue:
    """Create an account from a colleague's invitation."""
    invitation = None
    if token and len(token) <= 100:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash(token))
        )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        return render_template("auth/link_expired.html", kind="invitation"), 404
    if find_user_by_email(invitation.email) is not None:
        return render_template("auth/link_expired.html", kind="existing-account"), 409
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit():
        user = User(
            email=normalise_email(invitation.email),
            name=form.name.data or invitation.name,
            school_id=invitation.school_id,
            locale=select_locale(),
        )
        set_password(user, form.password.data or "")
        db.session.add(user)
        invitation.accepted_at = utcnow()
        db.session.flush()
        record(AuditAction.INVITATION_ACCEPTED, user_id=user.id, invitation=invitation.id)
        _start_session(user)
        db.session.commit()
        flash(_("Your account has been created."), "success")
        return redirect(home_url(user))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)
