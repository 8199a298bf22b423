"""Sign in with Hwb (OpenID Connect), asking to join a school, linking Hwb to an account, and
the lead's team page. The work is in wizard.services.identity."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
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

from wizard.domain.inputs import parse_whole_number, safe_next_path
from wizard.render.locale import valid_language
from wizard.services import identity
from wizard.services.accounts import SESSION_SEEN_KEY, SESSION_TOKEN_KEY, AccountExists
from wizard.web.access import Access, allow
from wizard.web.extensions import limiter
from wizard.web.forms import ConfirmForm
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.security import CONTENT_SECURITY_POLICY
from wizard.web.views import home_url

if TYPE_CHECKING:
    from wizard.services.accounts import User

bp = Blueprint("hwb", __name__, url_prefix=LANG_PREFIX)
# The one address the provider sends people back to (registered with it: docs/hwb.md).
callback_bp = Blueprint("hwb_callback", __name__)

# The cookie session's keys: the request under way, the identity of someone the service does not
# know (for asking to join, for IDENTITY_SECONDS), and whether this sign-in was with Hwb.
PENDING_KEY = "hwb_pending"
IDENTITY_KEY = "hwb_identity"
SIGNED_IN_WITH_HWB = "hwb"
IDENTITY_SECONDS = 30 * 60


@bp.app_context_processor
def hwb_globals() -> dict[str, Any]:
    config = current_app.config
    return {
        "hwb_enabled": bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID")),
        "hwb_dev_provider": bool(config.get("OIDC_DEV_PROVIDER")),
        "password_sign_in": bool(config.get("PASSWORD_SIGN_IN", True)),
    }


# The pages with a Hwb button (templates/auth/hwb_button.html): sign-in, accepting an
# invitation, and the account page (linking Hwb).
HWB_FORM_PAGES = frozenset({"auth.sign_in", "auth.accept_invitation", "account.index"})


@bp.after_app_request
def allow_forms_to_reach_hwb(response: Response) -> Response:
    """ "Sign in with Hwb" is a form whose answer redirects to the provider: on the pages with
    such a form, the Content-Security-Policy's form-action (which browsers apply to a form's
    redirects too) names the provider's origin beside our own, when Hwb is configured. Every
    other page keeps form-action 'self'."""
    issuer = current_app.config.get("OIDC_ISSUER") or ""
    if (
        issuer
        and request.endpoint in HWB_FORM_PAGES
        and "Content-Security-Policy" not in response.headers
    ):
        parts = urlsplit(issuer)
        origin = f"{parts.scheme}://{parts.netloc}"
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {origin}"
        )
    return response


def _address() -> str:
    return (request.remote_addr or "unknown")[:64]


def _redirect_uri() -> str:
    return f"{current_app.config['BASE_URL']}{url_for('hwb_callback.callback')}"


def _begin(purpose: str, **extra: str) -> ResponseReturnValue:
    """Send the browser to the provider, keeping state, nonce and the PKCE verifier."""
    if not identity.enabled():
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        url, pending = identity.authorization_url(_redirect_uri(), select_locale())
    except Exception:  # noqa: BLE001 - the provider cannot be reached: say so, never a 500
        current_app.logger.warning("Hwb discovery failed", exc_info=True)
        return render_template("auth/hwb_refused.html", reason="provider"), 503
    session[PENDING_KEY] = {
        **pending.to_session(),
        "purpose": purpose,
        "lang": select_locale(),
        **extra,
    }
    return redirect(url)


@bp.post("/sign-in/hwb")
@allow(Access.PUBLIC)
def start() -> ResponseReturnValue:
    """ "Sign in with Hwb": to the provider's sign-in page."""
    return _begin("sign-in", next=safe_next_path(request.args.get("next")) or "")


@bp.post("/invitation/<token>/hwb")
@allow(Access.PUBLIC)
def start_invitation(token: str) -> ResponseReturnValue:
    """Accept an invitation with Hwb: to the provider, then back to make the account."""
    return _begin("invitation", token=token[:100])


@bp.post("/account/hwb")
@allow(Access.SIGNED_IN)
def start_link() -> ResponseReturnValue:
    """Link Hwb to this account: to the provider, then back to the account page."""
    return _begin("link")


def _start_session(user: User, token: str) -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_TOKEN_KEY] = token
    session[SESSION_SEEN_KEY] = int(time.time())
    session[SIGNED_IN_WITH_HWB] = True
    login_user(user)


def _refused(reason: str, status: int = 400) -> ResponseReturnValue:
    return render_template("auth/hwb_refused.html", reason=reason), status


def _refused_callback_limit() -> str:
    return str(current_app.config["HWB_REFUSED_CALLBACKS_PER_ADDRESS"])


@callback_bp.get("/hwb/callback")
@allow(Access.PUBLIC)
@limiter.limit(_refused_callback_limit, deduct_when=lambda response: response.status_code >= 400)
def callback() -> ResponseReturnValue:
    """The provider's answer: checked, then what the request was for."""
    if not identity.enabled():
        abort(404)
    stored = session.pop(PENDING_KEY, None)
    pending = identity.Pending.from_session(stored)
    lang = (valid_language(stored.get("lang")) if isinstance(stored, dict) else None) or "en"
    # This address has no language in it: the answer, refusals too, is in the language the
    # sign-in started in.
    g.lang = lang
    try:
        found = identity.identity_of_answer(
            pending, request.args.to_dict(), _redirect_uri(), _address()
        )
    except identity.IdentityRefused as refused:
        return _refused(refused.refusal.value)
    assert isinstance(stored, dict)
    purpose = stored.get("purpose")
    if purpose == "link":
        return _link(found, lang)
    if purpose == "invitation":
        return _accept_invitation(str(stored.get("token", "")), found, lang)
    return _sign_in(found, lang, str(stored.get("next", "")))


def _sign_in(found: identity.Identity, lang: str, next_path: str) -> ResponseReturnValue:
    result = identity.sign_in(found, _address())
    decision = result.decision
    if result.user is None:
        session[IDENTITY_KEY] = {
            "issuer": found.issuer,
            "subject": found.subject,
            "name": found.name,
            "email": found.email,
            "at": int(time.time()),
        }
        if decision is not None and decision.outcome == "declined":
            flash(_("Your request to join %(school)s was declined.", school=_school(decision)))
        return redirect(url_for("hwb.join", lang=lang))
    _start_session(result.user, result.token)
    if decision is not None and decision.outcome == "approved":
        flash(
            _("Your request to join %(school)s was approved.", school=_school(decision)),
            "success",
        )
    if identity.may_ask_to_join(result.user):
        # Removed from their school: they may ask to join one again.
        return redirect(url_for("hwb.join", lang=lang))
    return redirect(safe_next_path(next_path) or home_url(result.user, lang))


def _school(decision: Any) -> str:
    school = decision.school
    return str(school.name_cy if select_locale() == "cy" and school.name_cy else school.name_en)


def _link(found: identity.Identity, lang: str) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return _refused("state")
    try:
        identity.link(current_user, found, _address())
    except identity.IdentityTaken:
        return _refused("taken", 409)
    flash(_("Your account is now linked to Hwb. You can sign in with Hwb."), "success")
    return redirect(url_for("account.index", lang=lang))


def _accept_invitation(token: str, found: identity.Identity, lang: str) -> ResponseReturnValue:
    try:
        made = identity.accept_invitation(token, found, lang, _address())
    except identity.IdentityTaken:
        return _refused("taken", 409)
    except AccountExists:
        return render_template("auth/link_expired.html", kind="existing-account"), 409
    if made is None:
        return render_template("auth/link_expired.html", kind="invitation"), 404
    user, session_token = made
    _start_session(user, session_token)
    flash(_("Your account has been created."), "success")
    return redirect(home_url(user, lang))


def _identity_in_session() -> identity.Identity | None:
    value = session.get(IDENTITY_KEY)
    if not isinstance(value, dict):
        return None
    at = value.get("at")
    if not isinstance(at, int) or time.time() - at > IDENTITY_SECONDS:
        return None
    issuer, subject = value.get("issuer"), value.get("subject")
    if not isinstance(issuer, str) or not isinstance(subject, str):
        return None
    return identity.Identity(
        issuer=issuer,
        subject=subject,
        name=str(value.get("name") or ""),
        email=str(value.get("email") or ""),
    )


def _join_limit() -> str:
    return str(current_app.config["JOIN_REQUESTS_PER_ADDRESS"])


@bp.route("/join", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(_join_limit, methods=["POST"])
def join() -> ResponseReturnValue:
    """Someone signed in with Hwb whom the service does not know: find the school and ask to
    join it. Nothing is made until its lead approves."""
    found = _identity_in_session()
    if found is None and current_user.is_authenticated and identity.may_ask_to_join(current_user):
        # Removed from their school: their account asks, with its Hwb identity.
        found = identity.identity_of_account(current_user)
    if found is None:
        return redirect(url_for("auth.sign_in"))
    query = (request.args.get("q") or "").strip()[:100]
    error = ""
    if request.method == "POST":
        form = ConfirmForm()
        if not form.validate_on_submit():
            abort(400)
        school_id = parse_whole_number(request.form.get("school", ""))
        made = identity.ask_to_join(found, school_id, _address()) if school_id else None
        if made is not None:
            flash(_("You have asked to join %(school)s.", school=_school(made)), "success")
            return redirect(url_for("hwb.join"))
        error = _("Select your school")
    schools = identity.find_schools(query) if query else []
    return render_template(
        "auth/join.html",
        found=found,
        known=current_user.is_authenticated,
        query=query,
        schools=schools,
        pending=identity.pending_request(found),
        error=error,
    ), (400 if error else 200)


@bp.get("/signed-out")
@allow(Access.PUBLIC)
def signed_out() -> ResponseReturnValue:
    """After signing out of the planner: offer to sign out of Hwb too, where it can."""
    url = None
    if identity.enabled():
        url = identity.logout_url(f"{current_app.config['BASE_URL']}{url_for('public.start')}")
    return render_template("auth/signed_out.html", logout_url=url)
