"""One form per page, with GOV.UK-style labels and messages in both languages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lag 3.3
from wtforms.validators import Email, EqualTo, InputRequired, Length

from .fields import MoneyField, WholeNumberField, stripped
from .money import MoneyError
from .widgets import PasswordInput, RadioInput, TextInput

PHASES = {
    "nursery": _l("Nursery"),
    "primary": _l("Primary"),
    "secondary": _l("Secondary"),
    "all-age": _l("All-age (3 to 16 or 3 to 18)"),
    "special": _l("Special"),
    "pupil-referral-unit": _l("Pupil referral unit"),
}

PASSWORD_MIN = 12
PASSWORD_MAX = 200


class RevisionForm(FlaskForm):
    """A step form: carries the revision of the answers it was based on."""

    revision = HiddenField(default="0")

    def based_on_revision(self) -> int:
        value = (self.revision.data or "0").strip()
        return int(value) if value.isdigit() else -1


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


class SignInForm(FlaskForm):
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


class PasswordResetRequestForm(FlaskForm):
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


class NewPasswordForm(FlaskForm):
    password, confirm = _password_fields()


class InviteColleagueForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter your colleague's full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
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


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[stripped],
        validators=[
            InputRequired(_l("Enter your full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
        ],
        widget=TextInput(),
    )
    password, confirm = _password_fields()


class SignOutForm(FlaskForm):
    """Only a CSRF token: signing out changes state, so it is a POST."""


__all__ = [
    "PHASES",
    "AboutYourSchoolForm",
    "AcceptInvitationForm",
    "InviteColleagueForm",
    "NewPasswordForm",
    "PasswordResetRequestForm",
    "RevisionForm",
    "SignInForm",
    "SignOutForm",
]
