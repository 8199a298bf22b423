"""Administration of the directory in the browser, for national administrators (every local
authority) and local authority administrators (their own): schools and their leads, clusters
and their coordinators, requests to join schools without a lead, the history of changes, and
the imports of the published list of schools and of a local authority's clusters (a preview,
then apply). The work and the authority checks are in wizard.services.administration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from wizard.domain.academic_year import academic_year_of
from wizard.domain.inputs import normalise_email, parse_whole_number
from wizard.domain.values import LanguageCategory
from wizard.services import administration as admin
from wizard.web.access import Access, allow
from wizard.web.administration import (
    CATEGORIES,
    OPEN_STATES,
    PLAN_STATE_TAGS,
    PLAN_STATES,
    event_text,
    problem_text,
)
from wizard.web.forms import (
    ClusterNamesForm,
    ConfirmForm,
    CoordinatorForm,
    Form,
    LeadInvitationForm,
)
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.presenters import pagination

bp = Blueprint("admin", __name__, url_prefix=LANG_PREFIX + "/admin")

ADMIN = Access.AUTHORITY_ADMINISTRATOR
EMAIL_LENGTH = 254


def _posted() -> None:
    """A POST with its CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _checked(form: Form) -> tuple[dict[str, str], dict[str, str]]:
    """A posted form's first error for each field, and what was typed (shown again: too long,
    the wrong format, or a character we never store is a message by the field, never a bare
    400 that loses the text)."""
    form.validate()
    fields = [field for field in form if field.name != "csrf_token"]
    errors = {field.name: str(field.errors[0]) for field in fields if field.errors}
    values = {field.name: field.data for field in fields if isinstance(field.data, str)}
    return errors, values


def _checked_email(form: Form) -> tuple[dict[str, str], dict[str, str]]:
    """As _checked, for a form with an email address, which must also fit its column."""
    errors, values = _checked(form)
    if "email" not in errors and len(normalise_email(values.get("email", ""))) > EMAIL_LENGTH:
        errors["email"] = _("Email address must be 254 characters or fewer")
    return errors, values


def _page() -> int:
    return parse_whole_number(request.args.get("page", "1"), 10_000) or 1


@bp.get("")
@allow(ADMIN)
def index() -> ResponseReturnValue:
    """The administrator's pages, and how many requests to join wait for them."""
    return render_template("admin/index.html", home=admin.home(current_user, select_locale()))


# --- Schools ----------------------------------------------------------------------------


def _schools_url(query: dict[str, str], page: int) -> str:
    values: dict[str, Any] = {**query, "page": page}
    return url_for("admin.schools", **values)


@bp.get("/schools")
@allow(ADMIN)
def schools() -> ResponseReturnValue:
    """Schools: search by name or number; filter by authority, cluster, this year's plan and
    whether the school is open or closed; a page at a time."""
    args = request.args
    words = args.get("q", "").strip()[:100]
    state = args.get("plan", "")
    open_state = args.get("open", "open")
    if state and state not in set(admin.PlanState):
        abort(400)
    if open_state not in {*admin.OpenState, "all"}:
        abort(400)
    cluster_id = parse_whole_number(args.get("cluster", "")) if args.get("cluster") else None
    year = academic_year_of(date.today())
    found = admin.schools(
        current_user,
        locale=select_locale(),
        academic_year=year,
        words=words,
        authority_code=args.get("authority", "")[:60],
        cluster_id=cluster_id,
        state=admin.PlanState(state) if state else None,
        open_state=admin.OpenState(open_state) if open_state != "all" else None,
        page=_page(),
    )
    if found is None:
        abort(404)
    query = {k: v for k, v in args.items() if k != "page" and v}
    return render_template(
        "admin/schools.html",
        found=found,
        words=words,
        state=state,
        open_state=open_state,
        cluster_id=cluster_id,
        year=year,
        plan_states=PLAN_STATES,
        plan_state_tags=PLAN_STATE_TAGS,
        open_states=OPEN_STATES,
        pagination=pagination(
            found.search.page,
            found.search.pages,
            lambda n: _schools_url(query, n),
            _("Pages"),
        ),
    )


@bp.get("/schools/<int:school_id>")
@allow(ADMIN)
def school(school_id: int) -> ResponseReturnValue:
    """A school: its names, language, cluster, members and lead."""
    return _school_page(school_id)


def _school_page(
    school_id: int, errors: dict[str, str] | None = None, values: dict[str, str] | None = None
) -> ResponseReturnValue:
    """The school's page; with `errors`, again after a form on it was refused (a 400)."""
    found = admin.school_page(current_user, school_id, select_locale())
    if found is None:
        abort(404)
    return render_template(
        "admin/school.html",
        page=found,
        categories=CATEGORIES,
        category_values=list(LanguageCategory),
        errors=errors or {},
        values=values or {},
    ), (400 if errors else 200)


@bp.route("/schools/<int:school_id>/lead/<int:user_id>", methods=["GET", "POST"])
@allow(ADMIN)
def make_lead(school_id: int, user_id: int) -> ResponseReturnValue:
    """Make a member the school's lead, after asking."""
    chosen = admin.lead_choice(current_user, school_id, user_id)
    if chosen is None:
        abort(404)
    found, member = chosen
    if request.method == "POST":
        _posted()
        if request.form.get("confirm") != "yes":
            abort(400)
        admin.make_lead(current_user, school_id, user_id)
        flash(
            _("%(name)s is now the school’s professional learning lead.", name=member.name),
            "success",
        )
        return redirect(url_for("admin.school", school_id=school_id))
    return render_template("admin/make_lead.html", school=found, member=member)


@bp.post("/schools/<int:school_id>/invite-lead")
@allow(ADMIN)
def invite_lead(school_id: int) -> ResponseReturnValue:
    """Invite someone without an account to be the school's lead; an account at no school
    (a coordinator, say) is asked about first, then becomes the lead."""
    _posted()
    language = request.form.get("language", select_locale())
    if language not in ("en", "cy"):
        abort(400)
    errors, values = _checked_email(LeadInvitationForm())
    email, name = values.get("email", ""), values.get("name", "")
    if errors:
        return _school_page(school_id, errors, {**values, "language": language})
    invited = admin.invite_lead(
        current_user, school_id, email, name, language, request.form.get("confirm") == "yes"
    )
    if invited is None:
        abort(404)
    if invited.outcome is admin.LeadInvited.CONFIRM:
        return render_template(
            "admin/lead_account.html",
            school=invited.school,
            account=invited.account,
            values={**values, "language": language},
        )
    if invited.outcome is admin.LeadInvited.MADE_LEAD and invited.account is not None:
        flash(
            _(
                "%(name)s is now the school’s professional learning lead.",
                name=invited.account.name,
            ),
            "success",
        )
        return redirect(url_for("admin.school", school_id=school_id))
    messages = {
        admin.LeadInvited.SENT: (
            _("An invitation to lead the school has been sent to %(email)s.", email=email),
            "success",
        ),
        admin.LeadInvited.MEMBER: (
            _(
                "%(email)s is already a member of this school: choose “Make lead” beside their name.",
                email=email,
            ),
            "info",
        ),
        admin.LeadInvited.ELSEWHERE: (
            _(
                "%(email)s has an account at another school. Ask them to leave that school first.",
                email=email,
            ),
            "info",
        ),
        admin.LeadInvited.ALREADY_INVITED: (
            _("%(email)s has already been invited to this school.", email=email),
            "info",
        ),
    }
    text, category = messages[invited.outcome]
    flash(text, category)
    return redirect(url_for("admin.school", school_id=school_id))


@bp.post("/schools/<int:school_id>/cluster")
@allow(ADMIN)
def move_school(school_id: int) -> ResponseReturnValue:
    """Move the school to another of its authority's clusters (recorded in the history)."""
    _posted()
    value = request.form.get("cluster", "")
    cluster_id = parse_whole_number(value) if value else None
    if value and cluster_id is None:
        abort(400)
    found = admin.move_school(current_user, school_id, cluster_id)
    if found is None:
        abort(404)
    flash(_("The school’s cluster has been changed."), "success")
    back = parse_whole_number(request.form.get("back_cluster", ""))
    if back is not None:
        return redirect(url_for("admin.cluster", cluster_id=back))
    return redirect(url_for("admin.school", school_id=school_id))


@bp.post("/schools/<int:school_id>/category")
@allow(ADMIN)
def school_category(school_id: int) -> ResponseReturnValue:
    _posted()
    value = request.form.get("category", "")
    if value and value not in set(LanguageCategory):
        abort(400)
    if admin.set_language_category(current_user, school_id, value) is None:
        abort(404)
    flash(_("The school’s language category has been saved."), "success")
    return redirect(url_for("admin.school", school_id=school_id))


# --- Clusters ---------------------------------------------------------------------------


@bp.route("/clusters", methods=["GET", "POST"])
@allow(ADMIN)
def clusters() -> ResponseReturnValue:
    """The clusters, with their schools and coordinators; a new cluster."""
    code = (request.values.get("authority") or "")[:60]
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        errors, values = _cluster_names(
            lambda name_en, name_cy: admin.create_cluster(
                current_user, code, name_en, name_cy, select_locale()
            )
        )
        if not errors:
            flash(_("The cluster %(name)s has been created.", name=values["name_en"]), "success")
            return redirect(url_for("admin.clusters", authority=code or None))
    found = admin.clusters(current_user, select_locale(), code)
    if found is None:
        abort(404)
    return render_template("admin/clusters.html", found=found, errors=errors, values=values), (
        400 if errors else 200
    )


@bp.route("/clusters/<int:cluster_id>", methods=["GET", "POST"])
@allow(ADMIN)
def cluster(cluster_id: int) -> ResponseReturnValue:
    """A cluster: rename it in both languages, its schools (to move) and its coordinators."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        errors, values = _cluster_names(
            lambda name_en, name_cy: admin.rename_cluster(
                current_user, cluster_id, name_en, name_cy
            )
        )
        if not errors:
            flash(_("The cluster’s name has been saved."), "success")
            return redirect(url_for("admin.cluster", cluster_id=cluster_id))
    return _cluster_page(cluster_id, errors, values)


def _cluster_names(
    save: Callable[[str, str], admin.ClusterMade | None],
) -> tuple[dict[str, str], dict[str, str]]:
    """The posted names of a cluster, saved by `save` if they are good: the errors (none: it
    was saved) and what was typed."""
    _posted()
    errors, values = _checked(ClusterNamesForm())
    if not errors:
        outcome = save(values.get("name_en", ""), values.get("name_cy", ""))
        if outcome is None:
            abort(404)
        if outcome is admin.ClusterMade.EXISTS:
            errors["name_en"] = _("This local authority already has a cluster with that name")
    return errors, values


def _cluster_page(
    cluster_id: int, errors: dict[str, str], values: dict[str, str]
) -> ResponseReturnValue:
    """The cluster's page; with `errors`, again after a form on it was refused (a 400)."""
    found = admin.cluster_page(current_user, cluster_id, select_locale())
    if found is None:
        abort(404)
    return render_template("admin/cluster.html", page=found, errors=errors, values=values), (
        400 if errors else 200
    )


@bp.post("/clusters/<int:cluster_id>/coordinators")
@allow(ADMIN)
def add_coordinator(cluster_id: int) -> ResponseReturnValue:
    """A coordinator for the cluster: an account by its email, or a new one."""
    _posted()
    errors, values = _checked_email(CoordinatorForm())
    email, name = values.get("email", ""), values.get("name", "")
    outcome = (
        None
        if errors
        else admin.add_coordinator(current_user, cluster_id, email, name, select_locale())
    )
    if outcome is admin.CoordinatorAdded.NEEDS_NAME:
        errors["name"] = _(
            "%(email)s has no account yet: enter their name too, and one will be made.",
            email=email,
        )
    if errors:
        return _cluster_page(cluster_id, errors, values)
    if outcome is None:
        abort(404)
    messages = {
        admin.CoordinatorAdded.ADDED: (
            _("%(email)s now coordinates this cluster.", email=email),
            "success",
        ),
        admin.CoordinatorAdded.CREATED: (
            _(
                "An account has been made for %(email)s, who now coordinates this cluster. They have been emailed a link to choose a password.",
                email=email,
            ),
            "success",
        ),
        admin.CoordinatorAdded.ALREADY: (
            _("%(email)s already coordinates this cluster.", email=email),
            "info",
        ),
    }
    text, category = messages[outcome]
    flash(text, category)
    return redirect(url_for("admin.cluster", cluster_id=cluster_id))


@bp.route("/clusters/<int:cluster_id>/coordinators/<int:user_id>/remove", methods=["GET", "POST"])
@allow(ADMIN)
def remove_coordinator(cluster_id: int, user_id: int) -> ResponseReturnValue:
    chosen = admin.coordinator_choice(current_user, cluster_id, user_id)
    if chosen is None:
        abort(404)
    found, coordinator = chosen
    if request.method == "POST":
        _posted()
        if request.form.get("confirm") != "yes":
            abort(400)
        admin.remove_coordinator(current_user, cluster_id, user_id)
        flash(_("%(name)s no longer coordinates this cluster.", name=coordinator.name), "success")
        return redirect(url_for("admin.cluster", cluster_id=cluster_id))
    return render_template("admin/remove_coordinator.html", cluster=found, coordinator=coordinator)


# --- Requests to join schools without a lead ----------------------------------------------


@bp.get("/requests")
@allow(ADMIN)
def requests() -> ResponseReturnValue:
    return render_template("admin/requests.html", requests=admin.requests(current_user))


@bp.post("/requests/<int:request_id>")
@allow(ADMIN)
def decide(request_id: int) -> ResponseReturnValue:
    _posted()
    decision = request.form.get("decision")
    if decision not in ("approve", "decline"):
        abort(400)
    outcome = admin.decide_request(current_user, request_id, decision == "approve")
    if outcome is None:
        abort(404)
    join, decided = outcome
    messages = {
        admin.Decided.APPROVED: (
            _("%(name)s can now sign in with Hwb, as the school’s lead.", name=join.name),
            "success",
        ),
        admin.Decided.DECLINED: (
            _("You have declined the request from %(name)s.", name=join.name),
            "success",
        ),
        admin.Decided.NO_EMAIL: (
            _(
                "Hwb did not give an email address for %(name)s, so their account cannot be made yet. Ask them to sign in with Hwb again once their Hwb account has one.",
                name=join.name,
            ),
            "info",
        ),
        admin.Decided.HAS_ACCOUNT: (
            _(
                "%(name)s already has an account. Ask them to sign in with it and link Hwb from their account page.",
                name=join.name,
            ),
            "info",
        ),
    }
    text, category = messages[decided]
    flash(text, category)
    return redirect(url_for("admin.requests"))


# --- History ----------------------------------------------------------------------------


@bp.get("/history")
@allow(ADMIN)
def history() -> ResponseReturnValue:
    found = admin.history(current_user, _page(), select_locale())
    return render_template(
        "admin/history.html",
        found=found,
        rows=[(event, event_text(event)) for event in found.events],
        pagination=pagination(
            found.page, found.pages, lambda n: url_for("admin.history", page=n), _("Pages")
        ),
    )


# --- Imports ----------------------------------------------------------------------------


def _upload(field: str, required: bool) -> tuple[str, bytes] | None:
    file = request.files.get(field)
    if file is None or not file.filename:
        return None
    content = file.read()
    return (file.filename[-200:], content) if content or not required else None


def _applied_already(token: str, kind: str, page: str) -> ResponseReturnValue:
    """A preview that is gone: if it was applied (a second click, or back and Apply again),
    to the page of what it changed, saying so; otherwise not found."""
    if not admin.applied_already(current_user, token, kind):
        abort(404)
    if kind == admin.SCHOOLS:
        flash(_("This list has already been applied."), "info")
    else:
        flash(_("This file of clusters has already been applied."), "info")
    return redirect(url_for(page))


@bp.route("/import", methods=["GET", "POST"])
@allow(ADMIN)
def import_schools() -> ResponseReturnValue:
    """Upload the published list of schools (and, if wanted, a file of Welsh names)."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        _posted()
        listed = _upload("schools_file", required=True)
        welsh = _upload("welsh_file", required=False)
        if listed is None:
            errors["schools_file"] = _("Choose the list of schools (an XLSX or ODS file)")
        else:
            token = admin.upload(
                current_user, admin.SCHOOLS, listed[0], listed[1], welsh[1] if welsh else None
            )
            if token is None:
                abort(404)
            return redirect(url_for("admin.import_preview", token=token))
    return render_template("admin/import.html", errors=errors), (400 if errors else 200)


def _preview_page(
    token: str,
    kind: str,
    read: Callable[[], admin.SchoolListPreview | admin.ClusterPreview | None],
    apply: Callable[[], admin.SchoolListPreview | admin.ClusterPreview | None],
    applied: str,
    done: str,
) -> ResponseReturnValue:
    """An import's preview (`read`), and applying it (`apply`: all or nothing, recomputed
    against the directory as it is now); once applied, to the page `done` saying `applied`.
    A preview with problems applies nothing: the page again, a 400."""
    preview = apply() if request.method == "POST" else read()
    if preview is None:
        return _applied_already(token, kind, done)
    if request.method == "POST" and not preview.problems:
        flash(applied, "success")
        return redirect(url_for(done))
    return render_template(
        f"admin/{'import' if kind == admin.SCHOOLS else 'clusters'}_preview.html",
        preview=preview,
        token=token,
        problems=[problem_text(p) for p in preview.problems],
    ), (400 if preview.problems and request.method == "POST" else 200)


@bp.route("/import/<token>", methods=["GET", "POST"])
@allow(ADMIN)
def import_preview(token: str) -> ResponseReturnValue:
    """What the list would change; applying it (all or nothing)."""
    if request.method == "POST":
        _posted()
    return _preview_page(
        token,
        admin.SCHOOLS,
        lambda: admin.school_list_preview(current_user, token, select_locale()),
        lambda: admin.apply_school_list(current_user, token, select_locale(), date.today()),
        _("The list of schools has been applied."),
        "admin.schools",
    )


@bp.route("/clusters/import", methods=["GET", "POST"])
@allow(ADMIN)
def import_clusters() -> ResponseReturnValue:
    """Upload a local authority's clusters (CSV: school number, English and Welsh names)."""
    errors: dict[str, str] = {}
    code = (request.values.get("authority") or "")[:60]
    if request.method == "POST":
        _posted()
        uploaded = _upload("clusters_file", required=True)
        if uploaded is None:
            errors["clusters_file"] = _("Choose the file of clusters (CSV)")
        else:
            token = admin.upload(
                current_user,
                admin.CLUSTERS,
                uploaded[0],
                uploaded[1],
                authority_code=code,
                locale=select_locale(),
            )
            if token is None:
                errors["authority"] = _("Choose the local authority of these clusters")
            else:
                return redirect(url_for("admin.clusters_preview", token=token))
    return render_template(
        "admin/import_clusters.html",
        errors=errors,
        authorities=admin.authorities_of(current_user, select_locale()),
        code=code,
    ), (400 if errors else 200)


@bp.route("/clusters/import/<token>", methods=["GET", "POST"])
@allow(ADMIN)
def clusters_preview(token: str) -> ResponseReturnValue:
    """What the file of clusters would change; applying it (all or nothing)."""
    if request.method == "POST":
        _posted()
    return _preview_page(
        token,
        admin.CLUSTERS,
        lambda: admin.cluster_preview(current_user, token),
        lambda: admin.apply_clusters(current_user, token),
        _("The clusters have been applied."),
        "admin.clusters",
    )
