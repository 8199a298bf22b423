"""Cluster coordinators: the chooser of their clusters, and each cluster's dashboard of its
schools' plans with the aggregates of their latest submitted versions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from wizard.domain.academic_year import academic_year_of, parse_year_slug, year_slug
from wizard.domain.inputs import parse_whole_number
from wizard.domain.values import DashboardStatus
from wizard.render.locale import format_long_date
from wizard.services import deadlines, feedback, reporting
from wizard.web.access import Access, allow
from wizard.web.figures import figures_html
from wizard.web.forms import ConfirmForm, DeadlineForm, date_errors
from wizard.web.i18n import LANG_PREFIX, select_locale
from wizard.web.reporting import STATUS_LABELS, STATUS_TAGS
from wizard.web.text import gettext as _
from wizard.web.text import ngettext
from wizard.web.views import signed_in_user
from wizard.web.year_end import year_end_csv_labels

bp = Blueprint("clusters", __name__, url_prefix=LANG_PREFIX + "/clusters")

YEARS_BEFORE = 3
YEARS_AFTER = 1


def year_choices(today: date | None = None) -> list[int]:
    """This academic year, the three before it and the next, newest first."""
    this = academic_year_of(today or date.today())
    return list(range(this + YEARS_AFTER, this - YEARS_BEFORE - 1, -1))


def chosen_year() -> int:
    """The ?year= of the request (this academic year if none); 400 if it is not one offered."""
    slug = request.args.get("year", "")
    if not slug:
        return academic_year_of(date.today())
    year = parse_year_slug(slug)
    if year is None or year not in year_choices():
        abort(400)
    return year


@bp.get("/")
@allow(Access.COORDINATOR)
def index() -> ResponseReturnValue:
    """Choose one of the coordinator's clusters; with only one, go straight to its dashboard."""
    clusters = reporting.clusters_of(current_user.id, select_locale())
    if len(clusters) == 1:
        return redirect(url_for(".dashboard", cluster_id=clusters[0].id))
    return render_template("clusters/index.html", clusters=clusters)


@bp.get("/<int:cluster_id>")
@allow(Access.COORDINATOR)
def dashboard(cluster_id: int) -> ResponseReturnValue:
    """Every school of the cluster with its plan's status for the year, filtered by status,
    and the aggregates of the schools' latest submitted versions."""
    year = chosen_year()
    status = request.args.get("status", "")
    if status and status not in set(DashboardStatus):
        abort(400)
    found = reporting.cluster_dashboard(current_user.id, cluster_id, year, status, select_locale())
    if found is None:
        abort(404)
    return render_template(
        "clusters/dashboard.html",
        cluster=found.cluster,
        rows=found.rows,
        all_count=found.all_count,
        status=status,
        year=year,
        slug=year_slug(year),
        years=year_choices(),
        statuses=list(DashboardStatus),
        status_labels=STATUS_LABELS,
        status_tags=STATUS_TAGS,
        year_end=found.year_end,
        year_end_status=found.year_end_status or {},
        figures=figures_html(
            found.facts,
            found.year_end,
            [
                (
                    url_for(
                        "year_end_reports.cluster_csv",
                        cluster_id=cluster_id,
                        year=year_slug(year),
                        kind=kind,
                    ),
                    label,
                )
                for kind, label in year_end_csv_labels()
            ],
            status,
        ),
        deadline=found.deadline,
        overdue=found.overdue,
        reminders=found.reminders,
        review_deadline=found.review_deadline,
        overdue_reviews=found.overdue_reviews,
        review_reminders=found.review_reminders,
        unread=found.unread,
        days_before=current_app.config["REMINDER_DAYS_BEFORE"],
    )


@bp.get("/<int:cluster_id>/conversations")
@allow(Access.COORDINATOR)
def conversations(cluster_id: int) -> ResponseReturnValue:
    """Every comment and reply on the cluster's plans for the year, newest first, with what
    this coordinator has not read marked."""
    year = chosen_year()
    found = feedback.cluster_conversations(current_user.id, cluster_id, year)
    if found is None:
        abort(404)
    return render_template(
        "clusters/conversations.html",
        cluster=found.cluster,
        items=found.items,
        unread=found.unread,
        newest=found.newest,
        year=year,
        slug=year_slug(year),
        form=ConfirmForm(),
    )


@bp.post("/<int:cluster_id>/conversations/read")
@allow(Access.COORDINATOR)
def conversations_read(cluster_id: int) -> ResponseReturnValue:
    """Mark the cluster's conversations read, up to the newest comment the page listed (one
    that came after it stays unread)."""
    year = chosen_year()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    # Without a number it marks nothing read (and still says whether the cluster is theirs).
    up_to = parse_whole_number(request.form.get("up_to", "")) or 0
    if not feedback.mark_conversations_read(current_user.id, cluster_id, year, up_to):
        abort(404)
    flash(_("You have marked the conversations as read."), "success")
    return redirect(url_for(".conversations", cluster_id=cluster_id, year=year_slug(year)))


def _kind() -> deadlines.DeadlineKind:
    raw = request.args.get("kind", deadlines.DeadlineKind.PLAN.value)
    if raw not in set(deadlines.DeadlineKind):
        abort(400)
    return deadlines.DeadlineKind(raw)


@bp.route("/<int:cluster_id>/deadline", methods=["GET", "POST"])
@allow(Access.COORDINATOR)
def deadline(cluster_id: int) -> ResponseReturnValue:
    """Set or move the date by which the cluster's schools submit (?kind=plan, the default, or
    year_end) for the year (?year=)."""
    year, kind = chosen_year(), _kind()
    cluster, current = deadlines.deadline_for_cluster(current_user.id, cluster_id, year, kind)
    if cluster is None:
        abort(404)
    form = DeadlineForm()
    valid = form.validate_on_submit()
    done = (
        deadlines.set_deadline(signed_in_user(), cluster_id, year, kind, form.due_on)
        if valid and form.due_on is not None
        else None
    )
    if isinstance(done, deadlines.DeadlineRefused):
        form.refuse(
            _(
                "The deadline for year-end reviews must be on or after %(date)s, when they open",
                date=format_long_date(done.earliest),
            )
        )
    elif valid and form.due_on is not None:
        due = format_long_date(form.due_on)
        message = (
            _("The deadline for year-end reviews is now %(date)s.", date=due)
            if kind is deadlines.DeadlineKind.YEAR_END
            else _("The deadline for plans is now %(date)s.", date=due)
        )
        if done and done.reminded:
            message += " " + ngettext(
                "%(num)d school that has not submitted was emailed a reminder.",
                "%(num)d schools that have not submitted were emailed a reminder.",
                done.reminded,
            )
        flash(message, "success")
        return redirect(url_for(".dashboard", cluster_id=cluster_id, year=year_slug(year)))
    if request.method == "GET" and current is not None:
        form.due_day.data = str(current.due_on.day)
        form.due_month.data = str(current.due_on.month)
        form.due_year.data = str(current.due_on.year)
    errors = date_errors(form, "due")
    if "csrf_token" in form.errors:
        abort(400)
    return render_template(
        "clusters/deadline.html",
        form=form,
        errors=errors,
        cluster=cluster,
        current=current,
        kind=kind,
        year=year,
        slug=year_slug(year),
        days_before=current_app.config["REMINDER_DAYS_BEFORE"],
        reviews_open=deadlines.reviews_open(year),
    )
