"""Share links: the lead makes, lists and revokes read-only links to the plan, and anyone with
a live link reads the plan (its page, PDF and Diamond 9 image) without signing in.

The shared pages are reached through the plan scope (scope.resolve_shared_scope), read-only;
every response under /shared/ (the 404 for a bad token and the 429 too) says no-referrer and
noindex, and they are rate limited per address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from wizard.domain.academic_year import year_slug
from wizard.domain.values import PlanStatus
from wizard.render.mail import link
from wizard.services import sharing
from wizard.web.access import Access, allow
from wizard.web.extensions import limiter
from wizard.web.forms import ConfirmForm, ShareLinkForm, date_errors, today
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import summary_context
from wizard.web.scope import SharedScope, resolve_shared_scope
from wizard.web.text import gettext as _
from wizard.web.views import attachment, file_word, signed_in_user
from wizard.web.views.documents import (
    docx_response,
    draft_snapshot,
    pdf_limit_per_link,
    pdf_response,
    plan_or_404,
    share_link_key,
    version_docx_response,
    version_pdf_response,
)

bp = Blueprint("sharing", __name__, url_prefix=LANG_PREFIX + "/plan/<year>/share")
shared = Blueprint("shared", __name__, url_prefix=LANG_PREFIX + "/shared")


# The lead's page ------------------------------------------------------------------------------


@bp.route("", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD, plan=True)
def index(year: str) -> ResponseReturnValue:
    """Make a share link (shown once, in full), and see and revoke every link so far."""
    plan = plan_or_404()
    form = ShareLinkForm()
    new_link = None
    errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        made = sharing.create(plan, signed_in_user(), form.shows.data == "draft", form.expires_on)
        if isinstance(made, sharing.Refused):
            message = _(
                "You can have up to %(count)s share links at once. Revoke one you no longer need to make another.",
                count=made.cap,
            )
            form.shows.errors = [message]
        else:
            # Only its hash is kept: this is the one time the link can be shown.
            new_link = link("shared.page", token=made.token)
            form = ShareLinkForm(formdata=None)
    errors = _errors(form)
    return render_template(
        "plan/share.html",
        form=form,
        errors=errors,
        new_link=new_link,
        links=sharing.links(plan, today()),
        plan=plan,
        year_slug=year,
        academic_year=plan.academic_year,
    )


@bp.route("/<int:link_id>/revoke", methods=["GET", "POST"])
@allow(Access.SCHOOL_LEAD, plan=True)
def revoke_link(year: str, link_id: int) -> ResponseReturnValue:
    """Ask first (GET), then stop a link working, at once and for good (POST)."""
    plan = plan_or_404()
    if request.method == "GET":
        row = sharing.link_row(plan, link_id, today())
        if row is None:
            abort(404)
        if row.state == "revoked":
            return redirect(url_for("sharing.index", year=year))
        return render_template(
            "plan/share_revoke.html", row=row, year_slug=year, academic_year=plan.academic_year
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not sharing.revoke(plan, link_id, signed_in_user()):
        abort(404)
    flash(_("You have revoked the link. It no longer opens the plan."), "success")
    return redirect(url_for("sharing.index", year=year))


def _errors(form: ShareLinkForm) -> list[dict[str, str]]:
    """The error summary: each message linked to its field (the date to its first wrong box)."""
    errors = [{"text": str(message), "href": "#shows"} for message in form.shows.errors]
    return errors + date_errors(form, "expires")


# The shared plan ------------------------------------------------------------------------------


def _shared_limit() -> str:
    return str(current_app.config["SHARED_PLAN_REQUESTS_PER_ADDRESS"])


limiter.limit(_shared_limit)(shared)


@shared.after_request
def _private(response: Response) -> Response:
    """No address of a shared page leaves it, and no search engine keeps one."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


def _shared_summary(
    token: str, scope: SharedScope | None = None
) -> tuple[SharedScope, dict[str, Any] | None]:
    """The plan a link opens (`scope`, once resolved), as the summary's context; None when the
    link shows the latest submitted version and there is none yet."""
    scope = scope or resolve_shared_scope(token)
    if scope.shows_draft:
        plan, snapshot = draft_snapshot()
        number = None if plan.status == PlanStatus.DRAFT else plan.version
        return scope, summary_context(snapshot, plan.status, number)
    version = sharing.latest_version(plan_or_404())
    if version is None:
        return scope, None
    return scope, summary_context(version.snapshot, PlanStatus.SUBMITTED, version.number)


@shared.get("/<token>")
@allow(Access.PUBLIC)
def page(token: str) -> ResponseReturnValue:
    """The shared plan, read-only, with its PDF and Diamond 9 image."""
    scope, context = _shared_summary(token)
    if context is None:
        return render_template(
            "shared/not_yet.html", academic_year=scope.plan.academic_year, token=token
        )
    return render_template("shared/plan.html", token=token, **context)


def _shared_document(
    token: str,
    of_version: Callable[..., Response],
    of_draft: Callable[..., Response],
) -> Response:
    """What the link shows as a file (PDF or Word) in the page's language: the latest submitted
    version's kept file, or, for a link that shows the draft, the draft's."""
    scope = resolve_shared_scope(token)
    name = (file_word("plan"), year_slug(scope.plan.academic_year), file_word("shared"))
    if not scope.shows_draft:
        version = sharing.latest_version(plan_or_404())
        if version is None:
            abort(404)
        return of_version(version, *name, select_locale())
    _, context = _shared_summary(token, scope)
    assert context is not None  # a link that shows the draft always has one
    return of_draft(context, *name, select_locale())


@shared.get("/<token>.pdf")
@allow(Access.PUBLIC)
# Per link, whoever asks; the blueprint's limit per address still holds.
@limiter.limit(pdf_limit_per_link, key_func=share_link_key, override_defaults=False)
def pdf(token: str) -> ResponseReturnValue:
    return _shared_document(token, version_pdf_response, pdf_response)


@shared.get("/<token>.docx")
@allow(Access.PUBLIC)
@limiter.limit(pdf_limit_per_link, key_func=share_link_key, override_defaults=False)
def docx(token: str) -> ResponseReturnValue:
    """What the link shows, as a Word file in the page's language."""
    return _shared_document(token, version_docx_response, docx_response)


@shared.get("/<token>/diamond-9.svg")
@allow(Access.PUBLIC)
def svg(token: str) -> ResponseReturnValue:
    scope, context = _shared_summary(token)
    if context is None:
        abort(404)
    name = (
        file_word("diamond-9"),
        year_slug(scope.plan.academic_year),
        file_word("shared"),
        select_locale(),
        "svg",
    )
    return Response(context["diamond_svg"], mimetype="image/svg+xml", headers=attachment(*name))
