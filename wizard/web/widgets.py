"""GOV.UK widgets whose built-in English is replaced with the page's language.

govuk-frontend-wtf sets the error message after merging template params, so the visually
hidden "Error:" prefix cannot be translated from a template; these subclasses add it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, ngettext
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
from markupsafe import Markup

from wizard.web.render_cache import cached_per_language, render_widget


class _TranslatedErrors:
    def render(self, params: dict[str, Any]) -> Markup:
        """The widget's template rendered straight from the Jinja environment.

        govuk-frontend-wtf calls Flask's render_template for every field, which runs every
        context processor and the template signals again each time: a hallmark step's fields
        spent more time there than in their own macros. The widget templates only read
        `params` (and the environment's globals), so the request context adds nothing, and
        the same params give the same HTML: it is kept per params (wizard/web/render_cache.py).
        """
        return render_widget(self.template, params)  # type: ignore[attr-defined]

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if params.get("errorMessage"):
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        if params.get("hint") and not params["hint"].get("text"):
            params["hint"] = None
        return params


class TextInput(_TranslatedErrors, GovTextInput):
    pass


class TextArea(_TranslatedErrors, GovTextArea):
    """A textarea (without a character count) whose messages are in the page's language."""


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


# A number for each CLDR plural category, to pick that category's form from the catalogue.
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 7}


def _plural_messages(singular: str, plural: str) -> dict[str, str]:
    """GOV.UK Frontend's JavaScript wants a message per plural category, with %{count}."""
    return {
        category: ngettext(singular, plural, number, count="%{count}")
        for category, number in _PLURAL_SAMPLES.items()
    }


class CharacterCount(_TranslatedErrors, GovCharacterCount):
    """A textarea with a character count whose messages are in the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("maxlength", getattr(field, "max_length", None))
        maxlength = params["maxlength"]
        # Twelve plural forms and a description: worked out once per language and length.
        messages = cached_per_language(
            ("count-messages", maxlength), lambda: _count_messages(maxlength)
        )
        for name, message in messages:
            params.setdefault(name, dict(message) if isinstance(message, dict) else message)
        return params


def _count_messages(maxlength: Any) -> tuple[tuple[str, Any], ...]:
    """A character count's messages in the page's language (GOV.UK Frontend's names)."""
    return (
        (
            "textareaDescriptionText",
            # The number as in the errors ("2,000"), not as GOV.UK Frontend writes it ("2000").
            _(
                "You can enter up to %(count)s characters",
                count=format_decimal(maxlength) if maxlength else "%{count}",
            ),
        ),
        (
            "charactersUnderLimitText",
            _plural_messages(
                "You have %(count)s character remaining", "You have %(count)s characters remaining"
            ),
        ),
        ("charactersAtLimitText", _("You have 0 characters remaining")),
        (
            "charactersOverLimitText",
            _plural_messages(
                "You have %(count)s character too many", "You have %(count)s characters too many"
            ),
        ),
    )
