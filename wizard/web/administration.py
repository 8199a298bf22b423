"""Words for the administration pages: plan states, language categories, problems found in
an uploaded file (each naming its sheet, row and column), and the directory's history."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from wizard.domain.school_list import Problem, ProblemKind
from wizard.domain.values import LanguageCategory
from wizard.services.administration import DirectoryEvent, OpenState, PlanState
from wizard.web.text import gettext as _

PLAN_STATES = {
    PlanState.NOT_STARTED: _l("Not started"),
    PlanState.IN_PROGRESS: _l("In progress"),
    PlanState.SUBMITTED: _l("Submitted"),
}
PLAN_STATE_TAGS = {
    PlanState.NOT_STARTED: "govuk-tag--grey",
    PlanState.IN_PROGRESS: "govuk-tag--light-blue",
    PlanState.SUBMITTED: "govuk-tag--green",
}
OPEN_STATES = {OpenState.OPEN: _l("Open"), OpenState.CLOSED: _l("Closed")}
# The Welsh Language and Education (Wales) Act 2025, section 9(2).
CATEGORIES = {
    LanguageCategory.PRIMARILY_WELSH: _l("Primarily Welsh Language"),
    LanguageCategory.DUAL_LANGUAGE: _l("Dual Language"),
    LanguageCategory.PRIMARILY_ENGLISH_PARTLY_WELSH: _l("Primarily English Language, partly Welsh"),
}


def problem_text(problem: Problem) -> str:
    """One problem, in the page's language, saying where it is."""
    what = {
        ProblemKind.NO_SCHOOLS_SHEET: _(
            "No sheet of the file has a header row with the columns School Number and School Name."
        ),
        ProblemKind.NUMBER: _(
            "“%(value)s” is not a school number (7 digits).", value=problem.value
        ),
        ProblemKind.DUPLICATE: _(
            "School number %(value)s appears more than once.", value=problem.value
        ),
        ProblemKind.NAME_MISSING: _("The school has no name."),
        ProblemKind.TOO_LONG: _("“%(value)s…” is too long.", value=problem.value),
        ProblemKind.AUTHORITY: _(
            "“%(value)s” is not one of the 22 local authorities of Wales.", value=problem.value
        ),
        ProblemKind.CATEGORY: _(
            "“%(value)s” is not a language category of the 2025 Act.", value=problem.value
        ),
        ProblemKind.UNREADABLE: _(
            "The file could not be read as a spreadsheet (XLSX or ODS) or as CSV text in UTF-8."
        ),
        ProblemKind.EMPTY: _("The file has no schools in it."),
        ProblemKind.CLUSTER_SCHOOL: _(
            "School number %(value)s is not a school of this local authority.", value=problem.value
        ),
        ProblemKind.CLUSTER_NAME: _("The school has no cluster name."),
        ProblemKind.TOO_MANY_ROWS: _(
            "The file has more than %(limit)s rows, more than there are schools in Wales. Check that it is the file of this local authority’s clusters.",
            limit=problem.value,
        ),
    }[problem.kind]
    if problem.row and problem.column:
        return _(
            "Sheet “%(sheet)s”, row %(row)d, column “%(column)s”: %(problem)s",
            sheet=problem.sheet,
            row=problem.row,
            column=problem.column,
            problem=what,
        )
    if problem.sheet:
        return _("“%(sheet)s”: %(problem)s", sheet=problem.sheet, problem=what)
    return what


def _name(value: Any) -> str:
    return str(value) if value else _("(none)")


def _moved_text(d: dict[str, Any]) -> str:
    """A school's move between clusters, with the clusters' names in the page's language."""
    welsh = str(get_locale()) == "cy"
    before = (d.get("before_cy") if welsh else None) or d.get("before")
    after = (d.get("after_cy") if welsh else None) or d.get("after")
    if not before:
        return _("School %(school)s put in cluster %(after)s", school=d.get("school"), after=after)
    if not after:
        return _(
            "School %(school)s taken out of cluster %(before)s",
            school=d.get("school"),
            before=before,
        )
    return _(
        "School %(school)s moved from cluster %(before)s to %(after)s",
        school=d.get("school"),
        before=before,
        after=after,
    )


def event_text(event: DirectoryEvent) -> str:
    """What a directory change did, in the page's language."""
    d = event.detail
    action = event.action.value
    if action == "lead-assigned":
        return _(
            "%(name)s made the lead of school %(school)s",
            name=d.get("name"),
            school=d.get("school"),
        )
    if action == "lead-invited":
        return _(
            "%(name)s (%(email)s) invited to lead school %(school)s",
            name=d.get("name"),
            email=d.get("email"),
            school=d.get("school"),
        )
    if action == "school-moved-cluster":
        return _moved_text(d)
    if action == "school-category-set":
        return _("Language category of school %(school)s changed", school=d.get("school"))
    if action == "cluster-created":
        return _("Cluster %(name)s created", name=d.get("name_en"))
    if action == "cluster-renamed":
        return _(
            "Cluster %(before)s renamed %(name_en)s (%(name_cy)s)",
            before=d.get("before_en"),
            name_en=d.get("name_en"),
            name_cy=_name(d.get("name_cy")),
        )
    if action == "coordinator-added":
        return _(
            "%(name)s made a coordinator of %(cluster)s",
            name=d.get("name"),
            cluster=d.get("cluster"),
        )
    if action == "coordinator-removed":
        return _(
            "%(name)s no longer a coordinator of %(cluster)s",
            name=d.get("name"),
            cluster=d.get("cluster"),
        )
    if action == "schools-imported":
        return _(
            "List of schools %(file)s applied: %(new)d new, %(renamed)d renamed, %(moved)d moved "
            "authority, %(closed)d closed, %(reopened)d reopened",
            file=d.get("file"),
            new=d.get("new", 0),
            renamed=d.get("renamed", 0),
            moved=d.get("moved", 0),
            closed=d.get("closed", 0),
            reopened=d.get("reopened", 0),
        )
    if action == "clusters-imported":
        return _(
            "Clusters file %(file)s applied: %(created)d clusters created, %(moved)d schools moved",
            file=d.get("file"),
            created=d.get("created", 0),
            moved=d.get("moved", 0),
        )
    return _("Request to join from %(name)s declined", name=d.get("name"))
