"""One form per page, with GOV.UK-style labels and messages in both languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel import support
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from wizard.domain.framework import FUNDING_PURPOSES, RATINGS
from wizard.domain.inputs import (
    has_unsafe_characters,
    parse_whole_number,
    without_unsafe_characters,
)
from wizard.domain.money import MoneyError
from wizard.domain.names import has_link
from wizard.domain.passwords import contains_email, is_too_common
from wizard.domain.progress import NOTE_MAX, LinkError, LinkProblem, parse_links
from wizard.web.fields import ChoicesField, MoneyField, WholeNumberField, stripped
from wizard.web.labels import PHASES, PROGRESS_STATUS_LABELS
from wizard.web.widgets import (
    CharacterCount,
    CheckboxesInput,
    PasswordInput,
    RadioInput,
    Select,
    TextArea,
    TextInput,
)

PASSWORD_MIN = 12
PASSWORD_MAX = 200

UNSAFE_CHARACTERS = _l(
    "This answer had hidden or control characters, which we have removed: check it, then continue"
)


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' own messages in a language, read from its .mo file once per process."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """Flask-WTF's translations of WTForms' messages (flask_wtf.i18n), the same texts, but
    without reading and parsing WTForms' .mo file again in every request that makes a form
    (a third of making one)."""

    @staticmethod
    def _catalogue() -> support.NullTranslations | None:
        if not request or "babel" not in current_app.extensions:
            return None
        return _wtforms_catalogue(str(get_locale()))

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = _WTFormsTranslations()


class Form(FlaskForm):
    """Every form of ours. Text with characters we never store (control characters, bidi
    overrides, zero-width characters: see inputs.py) is refused with a message in the page's
    language, whatever the field; tab and new lines are fine in long answers."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            config = current_app.config
            if config.get("WTF_I18N_ENABLED", True) and config.get("RENDER_CACHE", True):
                return _WTFORMS_TRANSLATIONS
            # RENDER_CACHE off (tests comparing both ways): Flask-WTF's own, as before.
            return super().get_translations(form)

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            if isinstance(field, PasswordField):
                continue  # never stored or shown; refusing it could lock someone out
            values = field.data if isinstance(field.data, list) else [field.data]
            multi_line = isinstance(field, TextAreaField)
            if any(
                isinstance(value, str) and has_unsafe_characters(value, multi_line=multi_line)
                for value in values
            ):
                field.errors = [UNSAFE_CHARACTERS]
                # Shown back without them (never echoed into the page), the rest kept.
                if isinstance(field.data, str):
                    field.data = without_unsafe_characters(field.data, multi_line=multi_line)
                valid = False
        return valid


def _revision(field: HiddenField) -> int:
    """The revision a form was based on; -1 (never a real one) for anything else."""
    number = parse_whole_number((field.data or "0").strip())
    return -1 if number is None else number


class NotCommon:
    """Refuses passwords that attackers try first (passwords.py)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and is_too_common(field.data):
            raise ValidationError(
                str(
                    _l(
                        "Choose a password that is harder to guess: this one is too common or follows a simple pattern"
                    )
                )
            )


class RevisionForm(Form):
    """A step form: carries the revision of the answers it was based on."""

    revision = HiddenField(default="0")

    def based_on_revision(self) -> int:
        return _revision(self.revision)


class AboutYourSchoolForm(RevisionForm):
    phase = RadioField(
        _l("What phase is your school?"),
        choices=[SelectChoice(value, label) for value, label in PHASES.items()],
        validators=[InputRequired(_l("Select your school's phase"))],
        widget=RadioInput(),
    )
    teaching_staff = WholeNumberField(
        _l("Number of teaching staff"),
        description=_l("Count each person once, including part-time staff."),
        minimum=0,
        maximum=1000,
        messages={
            "required": _l("Enter the number of teaching staff"),
            "whole": _l("Number of teaching staff must be a whole number, like 24"),
            "range": _l("Number of teaching staff must be between 0 and 1,000"),
        },
    )
    support_staff = WholeNumberField(
        _l("Number of support staff"),
        description=_l("Include teaching assistants and learning support staff."),
        minimum=0,
        maximum=2000,
        messages={
            "required": _l("Enter the number of support staff"),
            "whole": _l("Number of support staff must be a whole number, like 12"),
            "range": _l("Number of support staff must be between 0 and 2,000"),
        },
    )
    pl_lead = StringField(
        _l("Professional learning lead"),
        description=_l("The person who leads professional learning in your school."),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter the name of your professional learning lead")),
            Length(
                max=100,
                message=_l(
                    "Name of the professional learning lead must be 100 characters or fewer"
                ),
            ),
        ],
        widget=TextInput(),
    )
    funding_allocation = MoneyField(
        _l("Professional learning funding allocation for the year"),
        description=_l("In pounds, for example 12500 or 12500.50."),
        messages={
            MoneyError.EMPTY: _l("Enter your funding allocation"),
            MoneyError.NOT_A_NUMBER: _l(
                "Funding allocation must be an amount of money, like £12,500 or £12,500.50"
            ),
            MoneyError.NEGATIVE: _l("Funding allocation must be £0 or more"),
            MoneyError.TOO_PRECISE: _l("Funding allocation must not include fractions of a penny"),
            MoneyError.TOO_LARGE: _l("Funding allocation must be £10,000,000 or less"),
        },
    )


LONG_ANSWER = 2000
"""The longest free-text answer, in characters: about a page of writing."""


class LongAnswerField(TextAreaField):
    """A long answer with a character count, trimmed of surrounding space."""

    widget = CharacterCount()

    def __init__(self, label: Any, *, required: Any, too_long: Any, **kwargs: Any) -> None:
        super().__init__(
            label,
            filters=[stripped],
            validators=[
                InputRequired(required),
                Length(max=LONG_ANSWER, message=too_long),
            ],
            **kwargs,
        )
        self.max_length = LONG_ANSWER


class ContextForm(RevisionForm):
    """One context of the national approach: a reflection, and elements to prioritise.

    The element choices depend on the context, so the view sets them (see step_pages.py).
    """

    reflection = LongAnswerField(
        _l("What does this context mean for your professional learning priorities?"),
        required=_l("Enter what this context means for your professional learning priorities"),
        too_long=_l("Your answer must be 2,000 characters or fewer"),
    )
    priorities = ChoicesField(
        _l("Which of these elements do you want to prioritise?"),
        description=_l(
            "Select all that apply. They will be suggested as priorities for your Diamond 9."
        ),
        choices=[],
        invalid=_l("Select elements from the list"),
        widget=CheckboxesInput(),
    )


class HallmarkForm(RevisionForm):
    rating = RadioField(
        _l("How well does your school do this?"),
        choices=[SelectChoice(rating.key, rating.title) for rating in RATINGS],
        validators=[InputRequired(_l("Select how well your school does this"))],
        widget=RadioInput(),
    )
    evidence = LongAnswerField(
        _l("How do you know?"),
        description=_l("For example, what staff, learners or your self-evaluation tell you."),
        required=_l("Enter how you know"),
        too_long=_l("How you know must be 2,000 characters or fewer"),
    )
    next_steps = LongAnswerField(
        _l("What will you do next?"),
        required=_l("Enter what you will do next"),
        too_long=_l("What you will do next must be 2,000 characters or fewer"),
    )


CRITERIA_ANSWER = 1000
"""The longest answer about a priority's success criteria, in characters."""

CRITERIA_PLACES = 9
"""One place on the success criteria page per place on the Diamond 9."""


class _CriteriaLength:
    """At most CRITERIA_ANSWER characters, with an error that names the priority."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and len(field.data) > CRITERIA_ANSWER:
            card = getattr(form, "card_titles", {}).get(field.name.rsplit("_", 1)[-1], "")
            if self.kind == "difference":
                message = _l(
                    "What will be different for “%(card)s” must be 1,000 characters or fewer",
                    card=card,
                )
            else:
                message = _l(
                    "How you will know for “%(card)s” must be 1,000 characters or fewer",
                    card=card,
                )
            raise ValidationError(str(message))


class CriteriaAnswerField(TextAreaField):
    """An optional answer about a priority's success criteria, with a character count."""

    widget = CharacterCount()

    def __init__(self, label: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(label, filters=[stripped], validators=[_CriteriaLength(kind)], **kwargs)
        self.max_length = CRITERIA_ANSWER


class SuccessCriteriaForm(RevisionForm):
    """Success criteria for each priority on the Diamond 9, in places 1 to 9: the card's key
    (hidden, as shown when the page was opened), what will be different if it goes well, and
    how the school will know. Every answer is optional. The view sets `card_titles` (place ->
    the card's title) so that an error names the priority."""

    card_titles: dict[str, str]


for _place in range(1, CRITERIA_PLACES + 1):
    setattr(SuccessCriteriaForm, f"card_{_place}", HiddenField())
    setattr(
        SuccessCriteriaForm,
        f"difference_{_place}",
        CriteriaAnswerField(_l("What will be different if this goes well?"), "difference"),
    )
    setattr(
        SuccessCriteriaForm,
        f"evidence_{_place}",
        CriteriaAnswerField(
            _l("How will you know?"),
            "evidence",
            description=_l(
                "The evidence you will look at, for example lesson visits or learners’ work."
            ),
        ),
    )


class _EvidenceLinks:
    """Links to evidence, one a line: http and https only (a javascript: or data: link would
    run or show something else when followed), at most LINKS_MAX."""

    def __call__(self, form: Any, field: Any) -> None:
        found = parse_links(field.data)
        if not isinstance(found, LinkError):
            field.links = found
            return
        number = found.line
        messages = {
            LinkProblem.SCHEME: _l(
                "Link %(number)d must start with http:// or https://", number=number
            ),
            LinkProblem.HOST: _l(
                "Link %(number)d must be a full web address, like https://example.org/evidence",
                number=number,
            ),
            LinkProblem.SPACES: _l("Link %(number)d must not contain spaces", number=number),
            LinkProblem.TOO_LONG: _l(
                "Link %(number)d must be 500 characters or fewer", number=number
            ),
            LinkProblem.TOO_MANY: _l("Enter 5 links or fewer"),
        }
        raise ValidationError(str(messages[found.problem]))


class EvidenceLinksField(TextAreaField):
    """Links to evidence, one a line; `links` holds them once valid."""

    widget = TextArea()

    links: tuple[str, ...] = ()


class ProgressUpdateForm(RevisionForm):
    """This term's update on a priority: how it is going, a short note, links to evidence."""

    status = RadioField(
        _l("How is this priority going?"),
        choices=[SelectChoice(value, label) for value, label in PROGRESS_STATUS_LABELS.items()],
        validators=[InputRequired(_l("Select how this priority is going"))],
        widget=RadioInput(),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("What has happened this term, and what comes next."),
        filters=[stripped],
        validators=[
            Length(max=NOTE_MAX, message=_l("The note must be 1,000 characters or fewer")),
        ],
        widget=CharacterCount(),
    )
    links = EvidenceLinksField(
        _l("Links to evidence (optional)"),
        description=_l(
            "One link a line, starting with https://, for example to a shared folder or a "
            "report. Up to 5."
        ),
        validators=[_EvidenceLinks()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note.max_length = NOTE_MAX  # type: ignore[attr-defined]


class CompletionForm(Form):
    """ "Have you completed this section?" on a task's check-your-answers page."""

    revision = HiddenField(default="0")
    completed = RadioField(
        _l("Have you completed this section?"),
        choices=[
            SelectChoice("yes", _l("Yes, I've completed this section")),
            SelectChoice("no", _l("No, I'll come back to it later")),
        ],
        validators=[InputRequired(_l("Select whether you have completed this section"))],
        widget=RadioInput(),
    )

    def based_on_revision(self) -> int:
        return _revision(self.revision)


class FundingLineForm(RevisionForm):
    """One line of the funding plan. The priority choices come from the school's Diamond 9."""

    purpose = RadioField(
        _l("What is the money for?"),
        choices=[SelectChoice(p.key, p.title) for p in FUNDING_PURPOSES],
        validators=[InputRequired(_l("Select what the money is for"))],
        widget=RadioInput(),
    )
    purpose_other = StringField(
        _l("Describe what the money is for"),
        filters=[stripped],
        validators=[
            Length(max=200, message=_l("What the money is for must be 200 characters or fewer"))
        ],
        widget=TextInput(),
    )
    priority = SelectField(
        _l("Which Diamond 9 priority does it serve?"),
        choices=[],
        validate_choice=False,
        widget=Select(),
    )
    beneficiaries = ChoicesField(
        _l("Who benefits?"),
        description=_l("Select all that apply."),
        choices=[
            SelectChoice("teachers", _l("Teachers")),
            SelectChoice("support-staff", _l("Support staff")),
            SelectChoice("leaders", _l("Leaders")),
            SelectChoice("all-staff", _l("All staff")),
        ],
        invalid=_l("Select who benefits from the list"),
        widget=CheckboxesInput(),
    )
    term = RadioField(
        _l("When will the money be spent?"),
        choices=[
            SelectChoice("autumn", _l("Autumn term")),
            SelectChoice("spring", _l("Spring term")),
            SelectChoice("summer", _l("Summer term")),
            SelectChoice("whole-year", _l("Across the whole year")),
        ],
        validators=[InputRequired(_l("Select when the money will be spent"))],
        widget=RadioInput(),
    )
    description = LongAnswerField(
        _l("What will you do?"),
        required=_l("Enter what you will do"),
        too_long=_l("What you will do must be 2,000 characters or fewer"),
    )
    amount = MoneyField(
        _l("Amount"),
        description=_l("In pounds and pence, for example 1500 or 1500.50."),
        messages={
            MoneyError.EMPTY: _l("Enter the amount"),
            MoneyError.NOT_A_NUMBER: _l(
                "Amount must be an amount of money, like £1,500 or £1,500.50"
            ),
            MoneyError.NEGATIVE: _l("Amount must be more than £0"),
            MoneyError.TOO_PRECISE: _l("Amount must not include fractions of a penny"),
            MoneyError.TOO_LARGE: _l("Amount must be £10,000,000 or less"),
        },
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.purpose.data == "other" and not self.purpose_other.data:
            self.purpose_other.errors = [
                *self.purpose_other.errors,
                _l("Describe what the money is for"),
            ]
            valid = False
        if not self.beneficiaries.data and not self.beneficiaries.errors:
            self.beneficiaries.errors = [_l("Select who benefits")]
            valid = False
        if self.amount.pence == 0:
            self.amount.errors = [_l("Amount must be more than £0")]
            valid = False
        choices: Any = self.priority.choices or []
        allowed = {c[0] if isinstance(c, tuple) else c.value for c in choices}
        if (self.priority.data or "") not in allowed:
            self.priority.errors = [_l("Select a priority from the list")]
            valid = False
        return valid


CARD_TITLE_MAX = 120
CARD_DESCRIPTION_MAX = 500


class CardDescriptionField(TextAreaField):
    """An own card's optional description, with a character count, trimmed of space."""

    widget = CharacterCount()

    def __init__(self, label: Any, *, too_long: Any, **kwargs: Any) -> None:
        super().__init__(
            label,
            filters=[stripped],
            validators=[Length(max=CARD_DESCRIPTION_MAX, message=too_long)],
            **kwargs,
        )
        self.max_length = CARD_DESCRIPTION_MAX


class OwnCardForm(RevisionForm):
    """One of the school's own Diamond 9 cards: a title in English, Welsh or both, and an
    optional description in either or both; a change carries the card's revision it was
    opened on."""

    title_en = StringField(
        _l("Title in English"),
        filters=[stripped],
        validators=[
            Length(
                max=CARD_TITLE_MAX, message=_l("The English title must be 120 characters or fewer")
            )
        ],
        widget=TextInput(),
    )
    title_cy = StringField(
        _l("Title in Welsh"),
        filters=[stripped],
        validators=[
            Length(
                max=CARD_TITLE_MAX, message=_l("The Welsh title must be 120 characters or fewer")
            )
        ],
        widget=TextInput(),
    )
    description_en = CardDescriptionField(
        _l("Description in English (optional)"),
        too_long=_l("The English description must be 500 characters or fewer"),
    )
    description_cy = CardDescriptionField(
        _l("Description in Welsh (optional)"),
        too_long=_l("The Welsh description must be 500 characters or fewer"),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if not (self.title_en.data or self.title_cy.data):
            self.title_en.errors = [
                *self.title_en.errors,
                _l("Enter a title in English, in Welsh, or both"),
            ]
            return False
        return valid


class SignInForm(Form):
    email = EmailField(
        _l("Email address"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
        widget=TextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Enter your password")),
            Length(max=PASSWORD_MAX, message=_l("Password must be 200 characters or fewer")),
        ],
        widget=PasswordInput(),
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter an email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
        widget=TextInput(),
    )


class PasswordResetRequestForm(Form):
    email = _email_field()


def _password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        description=_l("Use at least 12 characters. A few unrelated words work well."),
        validators=[
            InputRequired(_l("Enter a new password")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("Password must be between 12 and 200 characters"),
            ),
            NotCommon(),
        ],
        widget=PasswordInput(),
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[
            InputRequired(_l("Confirm your new password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
        widget=PasswordInput(),
    )
    return password, confirm


def refuse_email_in_password(form: Form, email: str | None) -> bool:
    """After the form's own checks: give its new password an error, and return True, when it
    holds the account's email address or the part before the @ (the form does not know whose
    account it is)."""
    password = getattr(form, "password", None)
    if password is None or not email or not contains_email(password.data or "", email):
        return False
    password.errors = [
        *password.errors,
        _l("Choose a password that does not contain your email address or the part before the @"),
    ]
    return True


class NewPasswordForm(Form):
    password, confirm = _password_fields()


class ChangePasswordForm(Form):
    """Change the password from the account page: the current one first."""

    current = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(_l("Enter your current password")),
            Length(max=PASSWORD_MAX, message=_l("Password must be 200 characters or fewer")),
        ],
        widget=PasswordInput(),
    )
    password, confirm = _password_fields()


class LanguageForm(Form):
    language = RadioField(
        _l("Which language do you want to use the service in?"),
        description=_l(
            "We show the service in this language when you sign in, and send your emails in it."
        ),
        choices=[SelectChoice("cy", "Cymraeg"), SelectChoice("en", "English")],
        validators=[InputRequired(_l("Select the language you want to use"))],
        widget=RadioInput(),
    )


class NoLink:
    """A person's name, which emails repeat to others: never a web or email address."""

    def __call__(self, form: Form, field: StringField) -> None:
        if has_link(field.data or ""):
            raise ValidationError(_l("Enter a name without a web address or email address"))


class InviteColleagueForm(Form):
    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter your colleague's full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
            NoLink(),
        ],
        widget=TextInput(),
    )
    email = _email_field()
    language = RadioField(
        _l("Which language should the invitation email be in?"),
        choices=[SelectChoice("cy", "Cymraeg"), SelectChoice("en", "English")],
        validators=[InputRequired(_l("Select the language of the invitation email"))],
        widget=RadioInput(),
    )


class LeadInvitationForm(Form):
    """An administrator invites a school's lead (the language of the email is the view's)."""

    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the lead’s name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
            NoLink(),
        ],
        widget=TextInput(),
    )
    email = _email_field()


class CoordinatorForm(Form):
    """An administrator adds a cluster's coordinator: an account by its email, or a new one
    (then the name is needed; the service says so)."""

    email = _email_field()
    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
            NoLink(),
        ],
        widget=TextInput(),
    )


class ClusterNamesForm(Form):
    """A cluster's names: in English (needed) and in Welsh."""

    name_en = StringField(
        _l("Name in English"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the cluster’s name in English")),
            Length(max=200, message=_l("The name in English must be 200 characters or fewer")),
        ],
        widget=TextInput(),
    )
    name_cy = StringField(
        _l("Name in Welsh (optional)"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=200, message=_l("The name in Welsh must be 200 characters or fewer")),
        ],
        widget=TextInput(),
    )


class AcceptInvitationForm(Form):
    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter your full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
            NoLink(),
        ],
        widget=TextInput(),
    )
    password, confirm = _password_fields()


def date_boxes() -> tuple[StringField, StringField, StringField]:
    """The three boxes of a GOV.UK date input (a form names them PREFIX_day, _month, _year)."""
    return (
        StringField(_l("Day"), filters=[stripped]),
        StringField(_l("Month"), filters=[stripped]),
        StringField(_l("Year"), filters=[stripped]),
    )


DateProblem = date | None | tuple[Any, tuple[str, ...]]
"""A date of three boxes as read: the date, None when none was given, or (message, the boxes
that are wrong)."""


def check_date(
    form: Form, prefix: str, problem_of: Callable[[dict[str, str], date], DateProblem]
) -> bool:
    """Read a form's date of three boxes (`prefix`_day, _month, _year), checked together:
    set `prefix`_on to the date (None: none given), or `prefix`_error to the one message for
    the date and `prefix`_error_parts to the boxes that are wrong. Whether it is good."""
    boxes = {part: form[f"{prefix}_{part}"] for part in ("day", "month", "year")}
    if any(box.errors for box in boxes.values()):  # hidden characters (see Form)
        for box in boxes.values():
            box.errors = []
        setattr(form, f"{prefix}_error", str(UNSAFE_CHARACTERS))
        setattr(form, f"{prefix}_error_parts", ("day", "month", "year"))
        return False
    problem = problem_of({part: box.data or "" for part, box in boxes.items()}, today())
    if isinstance(problem, tuple):
        setattr(form, f"{prefix}_error", str(problem[0]))
        setattr(form, f"{prefix}_error_parts", problem[1])
        return False
    setattr(form, f"{prefix}_on", problem)
    return True


def date_errors(form: Form, prefix: str) -> list[dict[str, str]]:
    """The error summary's item for a form's date of three boxes: its message, linked to its
    first wrong box (none when the date is good)."""
    error: str | None = getattr(form, f"{prefix}_error")
    if not error:
        return []
    parts: tuple[str, ...] = getattr(form, f"{prefix}_error_parts")
    return [{"text": error, "href": f"#{prefix}-{parts[0] if parts else 'day'}"}]


class ShareLinkForm(Form):
    """A share link: what it shows, and an optional expiry date (GOV.UK's date input: three
    boxes, checked together, with one message for the date)."""

    shows = RadioField(
        _l("What should the link show?"),
        choices=[
            SelectChoice("submitted", _l("The latest submitted version")),
            SelectChoice(
                "draft", _l("The plan as it stands now, including changes not yet submitted")
            ),
        ],
        validators=[InputRequired(_l("Select what the link should show"))],
        widget=RadioInput(),
    )
    expires_day, expires_month, expires_year = date_boxes()

    expires_on: date | None = None
    # The message for the date, and which of its boxes are wrong ("day", "month", "year").
    expires_error: str | None = None
    expires_error_parts: tuple[str, ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        return check_date(self, "expires", _expiry_problem) and valid


def today() -> date:
    return datetime.now(UTC).date()


def _expiry_problem(parts: dict[str, str], now: date) -> DateProblem:
    """The expiry date, None when none was given, or (message, the boxes that are wrong)."""
    return date_problem(
        parts,
        now,
        {
            "day": _l("The expiry date must include a day"),
            "month": _l("The expiry date must include a month"),
            "year": _l("The expiry date must include a year"),
            "all": _l("The expiry date must include a day, a month and a year"),
            "real": _l("The expiry date must be a real date"),
            "past": _l("The expiry date must be today or in the future"),
        },
    )


def date_problem(parts: dict[str, str], now: date, messages: dict[str, Any]) -> DateProblem:
    """A date of three boxes, None when none was given, or (message, the boxes that are
    wrong), with the messages given for: a missing "day", "month" or "year", "all" of two
    missing, not a "real" date, and a date in the "past"."""
    missing = tuple(name for name, value in parts.items() if not value)
    if len(missing) == 3:
        return None
    if missing:
        if len(missing) == 1:
            return messages[missing[0]], missing
        return messages["all"], missing
    numbers = {name: parse_whole_number(value) for name, value in parts.items()}
    if any(number is None for number in numbers.values()) or len(parts["year"]) != 4:
        return messages["real"], ("day", "month", "year")
    try:
        chosen = date(numbers["year"] or 0, numbers["month"] or 0, numbers["day"] or 0)
    except ValueError:
        return messages["real"], ("day", "month", "year")
    if chosen < now:
        return messages["past"], ("day", "month", "year")
    return chosen


class DeadlineForm(Form):
    """A cluster's deadline (GOV.UK's date input: three boxes, checked together)."""

    due_day, due_month, due_year = date_boxes()

    due_on: date | None = None
    due_error: str | None = None
    due_error_parts: tuple[str, ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        return check_date(self, "due", _deadline_problem) and valid

    def refuse(self, message: str) -> None:
        """A date that is real but not one the deadline may have (the whole date is wrong)."""
        self.due_on = None
        self.due_error = message
        self.due_error_parts = ("day", "month", "year")


def _deadline_problem(parts: dict[str, str], now: date) -> DateProblem:
    problem = date_problem(
        parts,
        now,
        {
            "day": _l("The deadline must include a day"),
            "month": _l("The deadline must include a month"),
            "year": _l("The deadline must include a year"),
            "all": _l("The deadline must include a day, a month and a year"),
            "real": _l("The deadline must be a real date"),
            "past": _l("The deadline must be today or in the future"),
        },
    )
    if problem is None:
        return _l("Enter the deadline"), ("day", "month", "year")
    return problem


class ConfirmForm(Form):
    """Only a CSRF token: for buttons that change state (sign out, submit, reopen)."""


__all__ = [
    "AboutYourSchoolForm",
    "ShareLinkForm",
    "CompletionForm",
    "FundingLineForm",
    "ContextForm",
    "HallmarkForm",
    "ProgressUpdateForm",
    "AcceptInvitationForm",
    "InviteColleagueForm",
    "NewPasswordForm",
    "refuse_email_in_password",
    "ChangePasswordForm",
    "LanguageForm",
    "OwnCardForm",
    "PasswordResetRequestForm",
    "RevisionForm",
    "SignInForm",
    "SuccessCriteriaForm",
    "ConfirmForm",
]


def _password_field_names() -> frozenset[str]:
    """The names of every password field of our forms (for pages that must never show one)."""
    names: set[str] = set()
    pending: list[type[Form]] = [Form]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for name in dir(form):
            field = getattr(form, name, None)
            if isinstance(field, UnboundField) and issubclass(field.field_class, PasswordField):
                names.add(name)
    return frozenset(names)


PASSWORD_FIELD_NAMES = _password_field_names()
