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
