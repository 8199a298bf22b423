"""Names shown for the journey's tasks and statuses, in the page's language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from wizard.domain.journey import TaskStatus
from wizard.domain.progress import ProgressStatus

# The phases a school can be, offered on About your school.
PHASES = {
    "nursery": _l("Nursery"),
    "primary": _l("Primary"),
    "secondary": _l("Secondary"),
    "all-age": _l("All-age (3 to 16 or 3 to 18)"),
    "special": _l("Special"),
    "pupil-referral-unit": _l("Pupil referral unit"),
}

TASK_TITLES = {
    "about-your-school": _l("About your school"),
    "contexts": _l("Contexts of the national approach"),
    "hallmarks": _l("Self-review against the eight hallmarks"),
    "diamond-9": _l("Professional learning Diamond 9"),
    "success-criteria": _l("Success criteria"),
    "funding-plan": _l("Funding plan"),
}

TASK_HINTS = {
    "about-your-school": _l("Phase, staff, professional learning lead and funding."),
    "contexts": _l("What the school, regional and national contexts mean for your priorities."),
    "hallmarks": _l("How well your school leads professional learning, and what you will do next."),
    "diamond-9": _l("Choose nine priorities and arrange them in rows of 1, 2, 3, 2 and 1."),
    "success-criteria": _l(
        "Optional: what will be different if each priority goes well, and how you will know."
    ),
    "funding-plan": _l("How you will use your professional learning funding."),
}

BENEFICIARY_LABELS = {
    "teachers": _l("Teachers"),
    "support-staff": _l("Support staff"),
    "leaders": _l("Leaders"),
    "all-staff": _l("All staff"),
}

TERM_LABELS = {
    "autumn": _l("Autumn term"),
    "spring": _l("Spring term"),
    "summer": _l("Summer term"),
    "whole-year": _l("Across the whole year"),
}

STATUS_LABELS = {
    TaskStatus.NOT_STARTED: _l("Not yet started"),
    TaskStatus.IN_PROGRESS: _l("In progress"),
    TaskStatus.COMPLETED: _l("Completed"),
    TaskStatus.CANNOT_START: _l("Cannot start yet"),
}

# How a priority is going, in a progress update (the values are the domain's, stored as text).
PROGRESS_STATUS_LABELS: dict[str, LazyString] = {
    ProgressStatus.ON_TRACK: _l("On track"),
    ProgressStatus.SOME_CONCERNS: _l("Some concerns"),
    ProgressStatus.OFF_TRACK: _l("Off track"),
    ProgressStatus.DONE: _l("Done"),
}

PLAN_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
}

__all__ = [
    "BENEFICIARY_LABELS",
    "TERM_LABELS",
    "PHASES",
    "PLAN_STATUS_LABELS",
    "PROGRESS_STATUS_LABELS",
    "STATUS_LABELS",
    "TASK_HINTS",
    "TASK_TITLES",
]
