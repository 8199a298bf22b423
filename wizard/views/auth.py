"""Signing in and out, resetting a password, and accepting an invitation."""

from __future__ import annotations

from datetime import timedelta

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
from sqlalchemy import func, select, update

from ..access import Access, allow
from ..accounts import (
    check_password,
    clear_failed_sign_ins,
    create_password_reset,
    find_password_reset,
    find_user_by_email,
    normalise_email,
    record_failed_sign_in,
    set_password,
    sign_in_blocked,
    token_hash,
)
from ..extensions import db
from ..forms import (
    AcceptInvitationForm,
    ConfirmForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from ..i18n import LANG_PREFIX, select_locale, valid_language
from ..mail import send_email
from ..models import Invitation, PasswordResetToken, User, utcnow
from . import home_url

bp = Blueprint("auth", __name__, url_prefix=LANG_PREFIX)

RESETS_PER_HOUR = 3


def _safe_next(target: str | None) -> str | None:
    """Only follow `next` to a path on this site (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _start_session(user: User) -> None:
    """Sign the user in with a fresh session (keeping only the language)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    user.last_signed_in_at = utcnow()


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
        address = request.remote_addr or "unknown"
        if sign_in_blocked(email, address):
            abort(429)
        user = find_user_by_email(email)
        if check_password(user, form.password.data or "") and user is not None:
            clear_failed_sign_ins(email)
            _start_session(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_url(user))
        record_failed_sign_in(email, address)
        failed = True
        # The same message whether the email is unknown or the password wrong.
        form.email.errors = [_("Enter a correct email address and password")]
    return render_template("auth/sign_in.html", form=form, failed=failed)


@bp.post("/sign-out")
@allow(Access.SIGNED_IN)
def sign_out() -> ResponseReturnValue:
    """Sign out and forget the session."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.start"))


@bp.route("/reset-password", methods=["GET", "POST"])
@allow(Access.PUBLIC)
def reset_password_request() -> ResponseReturnValue:
    """Ask for a password reset link by email."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data or "")
        if user is not None:
            recent = db.session.scalar(
                select(func.count())
                .select_from(PasswordResetToken)
                .where(
                    PasswordResetToken.user_id == user.id,
                    PasswordResetToken.created_at >= utcnow() - timedelta(hours=1),
                )
            )
            if (recent or 0) >= RESETS_PER_HOUR:
                abort(429)
            token = create_password_reset(user)
            locale = valid_language(user.locale) or select_locale()
            send_email(
                user.email,
                "password_reset",
                locale,
                name=user.name,
                link=url_for("auth.reset_password", token=token, lang=locale, _external=True),
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            )
        # Say the same thing whether or not there is an account, so that nobody can use this
        # page to find out who has one.
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
        # Use up this link and any other outstanding ones.
        db.session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
            .values(used_at=utcnow())
        )
        set_password(user, form.password.data or "")
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
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
        _start_session(user)
        db.session.commit()
        flash(_("Your account has been created."), "success")
        return redirect(home_url(user))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)
