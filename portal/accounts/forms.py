"""Sign-up, sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.accounts.models import ROLE_LABELS, SELF_SERVICE_ROLES, Role
from portal.taxonomy import PROVINCES, province_choices
from portal.validators import PlainLocalPart, StrongPassword, choices, strip_filter

EMAIL_RULES = [
    DataRequired(_l("Enter your e-mail address.")),
    Email(_l("Enter a valid e-mail address, like name@example.com.")),
    Length(max=254),
]


class SignUpForm(FlaskForm):
    role = RadioField(
        _l("I am"),
        choices=choices((r.value, ROLE_LABELS[r]) for r in SELF_SERVICE_ROLES),
        validators=[DataRequired(_l("Choose what kind of account you need."))],
    )
    full_name = StringField(
        _l("Your full name"), filters=[strip_filter], validators=[DataRequired(_l("Enter your name.")), Length(max=120)]
    )
    email = EmailField(_l("Work e-mail"), filters=[strip_filter], validators=[*EMAIL_RULES, PlainLocalPart()])
    organisation = StringField(
        _l("Company or fund"),
        filters=[strip_filter],
        validators=[Length(max=160)],
        description=_l("Brands and investors: the organisation you act for."),
    )
    firm_name = StringField(_l("Firm's legal name"), filters=[strip_filter], validators=[Length(max=200)])
    firm_city = StringField(_l("City"), filters=[strip_filter], validators=[Length(max=80)])
    firm_province = SelectField(
        _l("Province or territory"),
        choices=choices(province_choices(), blank=_l("Choose…")),
        validate_choice=False,
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Choose a password.")), StrongPassword()],
        description=_l("At least 12 characters; a short sentence is easy to remember and hard to guess."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
    )
    # Asked only when the firm's name and city match a public listing: claim that one, or a new listing.
    listing = RadioField(_l("Is this your firm?"), validate_choice=False)
    submit = SubmitField(_l("Create account"))
    # The listing the person signs up to claim (set by the page): then no firm details are asked.
    claiming = None

    def _required_for_role(self, field, role: Role, message):
        if self.role.data == role.value and not field.data and self.claiming is None:
            raise ValidationError(message)

    def validate_organisation(self, field):
        if self.role.data in (Role.BRAND.value, Role.INVESTOR.value) and not field.data:
            raise ValidationError(_l("Enter the company or fund you act for."))

    def validate_firm_name(self, field):
        self._required_for_role(field, Role.SUPPLIER, _l("Enter your firm's legal name."))

    def validate_firm_city(self, field):
        self._required_for_role(field, Role.SUPPLIER, _l("Enter the city of your main factory."))

    def validate_firm_province(self, field):
        if field.data and field.data not in PROVINCES and self.claiming is None:
            raise ValidationError(_l("Choose a province or territory from the list."))
        self._required_for_role(field, Role.SUPPLIER, _l("Choose the province or territory."))


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_filter], validators=EMAIL_RULES)
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a new password.")), StrongPassword()]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the new password.")), EqualTo("password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_filter], validators=EMAIL_RULES)
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a new password.")), StrongPassword()]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat the new password.")), EqualTo("password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set new password"))


class StaffInviteForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the colleague's name.")), Length(max=120)],
    )
    email = EmailField(_l("E-mail"), filters=[strip_filter], validators=EMAIL_RULES)
    submit = SubmitField(_l("Add staff member"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Name the token, e.g. the system that will use it.")), Length(max=80)],
        description=_l("For example: ERP purchasing, EDB reporting script."),
    )
    submit = SubmitField(_l("Create token"))
