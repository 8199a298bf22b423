"""GOV.UK widgets whose built-in English is replaced with the page's language.

govuk-frontend-wtf sets the error message after merging template params, so the visually
hidden "Error:" prefix cannot be translated from a template; these subclasses add it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)


class _TranslatedErrors:
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if params.get("errorMessage"):
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        if params.get("hint") and not params["hint"].get("text"):
            params["hint"] = None
        return params


class TextInput(_TranslatedErrors, GovTextInput):
    pass


class PasswordInput(_TranslatedErrors, GovPasswordInput):
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _("Show"))
        params.setdefault("hidePasswordText", _("Hide"))
        params.setdefault("showPasswordAriaLabelText", _("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _("Your password is hidden"))
        return params


class RadioInput(_TranslatedErrors, GovRadioInput):
    pass


class CheckboxesInput(_TranslatedErrors, GovCheckboxesInput):
    pass


class Select(_TranslatedErrors, GovSelect):
    pass


class TextArea(_TranslatedErrors, GovTextArea):
    pass


class CharacterCount(_TranslatedErrors, GovCharacterCount):
    pass
