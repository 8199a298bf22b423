"""The fixed sets of values the service uses: plan statuses and languages."""

from __future__ import annotations

import enum


class Language(enum.StrEnum):
    EN = "en"
    CY = "cy"


class LanguageMedium(enum.StrEnum):
    ENGLISH = "english"
    WELSH = "welsh"
    BILINGUAL = "bilingual"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ReviewStatus(enum.StrEnum):
    """A coordinator's verdict on a submitted version."""

    REVIEWED = "reviewed"
    CHANGES_REQUESTED = "changes-requested"


class DashboardStatus(enum.StrEnum):
    """A school's plan as its cluster's dashboard shows it."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes-requested"
    REVIEWED = "reviewed"


class LanguageCategory(enum.StrEnum):
    """The school language categories of the Welsh Language and Education (Wales) Act 2025,
    section 9(2); held beside the older Welsh medium types of the published list."""

    PRIMARILY_WELSH = "primarily-welsh"
    DUAL_LANGUAGE = "dual-language"
    PRIMARILY_ENGLISH_PARTLY_WELSH = "primarily-english-partly-welsh"
