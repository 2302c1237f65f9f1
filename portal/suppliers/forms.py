"""Forms for a firm's profile, capabilities, certificates, photos and colleagues."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.suppliers.labs import is_lab_category, is_lab_tested
from portal.suppliers.models import PROFILE_FIELDS, MemberRole
from portal.taxonomy import category_choices, certification_choices, process_choices, province_choices
from portal.taxonomy.units import MAX_BOARD_AREA_MM2, takes_board_area
from portal.timeutil import today
from portal.uploads import DOCUMENT_KINDS, IMAGE_KINDS
from portal.validators import (
    LaterThan,
    NotInFuture,
    UnitOfCategory,
    Upload,
    choices,
    comma_list,
    offer_units,
    strip_filter,
)

# Quantities are 32-bit integers in PostgreSQL; two billion a month is beyond any line.
MAX_QUANTITY = 2_000_000_000
NTN_PATTERN = r"^(\d{7})-?(\d)$"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FirmProfileForm(FlaskForm):
    legal_name = StringField(
        _l("Legal name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the firm's legal name.")), Length(max=200)],
    )
    trade_name = StringField(
        _l("Trade name"),
        filters=[strip_filter],
        validators=[Length(max=200)],
        description=_l("If brands know you by another name."),
    )
    city = StringField(
        _l("City"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the city of the main factory.")), Length(max=80)],
    )
    province = SelectField(
        _l("Province or territory"),
        choices=choices(province_choices(), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the province or territory."))],
    )
    address = TextAreaField(_l("Factory address"), filters=[strip_filter], validators=[Length(max=500)])
    website = URLField(
        _l("Website"),
        filters=[strip_filter],
        validators=[Optional(), URL(message=_l("Enter a full web address, like https://example.pk.")), Length(max=200)],
    )
    contact_email = EmailField(
        _l("Contact e-mail for brands"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter an e-mail address brands can write to.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    phone = StringField(
        _l("Phone"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Regexp(
                r"^\+?[0-9 ()-]{7,20}$",
                message=_l("Enter a phone number of digits, spaces and dashes, like +92 42 1234567."),
            ),
            Length(max=40),
        ],
    )
    year_founded = IntegerField(
        _l("Year founded"),
        validators=[Optional(), NumberRange(min=1900, message=_l("Enter a year from 1900 to this year."))],
    )
    employees = IntegerField(
        _l("Employees"),
        validators=[
            Optional(),
            NumberRange(min=1, max=500000, message=_l("Enter the number of employees (1 or more).")),
        ],
    )
    export_markets = StringField(
        _l("Export markets"),
        filters=[strip_filter],
        validators=[Length(max=500)],
        description=_l("Countries you ship to, separated by commas."),
    )
    description = TextAreaField(
        _l("What the firm makes"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Describe what the firm makes.")),
            Length(min=40, max=5000, message=_l("Write between 40 and 5,000 characters.")),
        ],
        description=_l("Products, processes, materials, equipment and customers, in words brands search for."),
    )
    ntn = StringField(
        _l("NTN (National Tax Number)"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Regexp(NTN_PATTERN, message=_l("An NTN has 7 digits and a check digit, like 1234567-8.")),
        ],
    )
    submit = SubmitField(_l("Save profile"))

    def validate_year_founded(self, field):
        if field.data and field.data > today().year:
            raise ValidationError(_l("The year cannot be in the future."))

    def profile_data(self) -> dict:
        data = {name: self[name].data for name in PROFILE_FIELDS}
        data["export_markets"] = comma_list(self.export_markets.data)
        data["ntn"] = re.sub(NTN_PATTERN, r"\1-\2", self.ntn.data) if self.ntn.data else None
        return data


class CapabilityForm(FlaskForm):
    category = SelectField(_l("Component category"), validators=[DataRequired(_l("Choose the component category."))])
    processes = MultiCheckboxField(_l("Processes"), validate_choice=True)
    tests_for = MultiCheckboxField(
        _l("Certifications the laboratory tests for"),
        validate_choice=True,
        description=_l(
            "Testing laboratories only: firms that lack one of these certificates are pointed to you, nearest first."
        ),
    )
    monthly_capacity = IntegerField(
        _l("Monthly capacity"),
        validators=[
            InputRequired(_l("Enter the monthly capacity.")),
            NumberRange(min=1, max=MAX_QUANTITY, message=_l("Enter a capacity of 1 or more.")),
        ],
    )
    capacity_unit = SelectField(
        _l("Unit"),
        validators=[DataRequired(_l("Choose the unit the capacity is counted in.")), UnitOfCategory()],
        description=_l("Each category lists its own units; capacity is only added to capacity in the same unit."),
    )
    board_area_mm2 = IntegerField(
        _l("Area of one board (mm²)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_BOARD_AREA_MM2, message=_l("Enter an area from 1 to 1,000,000 mm².")),
        ],
        description=_l(
            "Bare and flexible circuits only: with it, your m² of panel also count as boards (and boards as m²)."
        ),
    )
    employees = IntegerField(
        _l("People working on this category"),
        validators=[
            Optional(),
            NumberRange(min=1, max=500000, message=_l("Enter the number of people (1 or more).")),
        ],
        description=_l("Optional. Without it, the firm's whole headcount counts in its main line."),
    )
    min_order_quantity = IntegerField(
        _l("Minimum order quantity"),
        validators=[Optional(), NumberRange(min=1, max=MAX_QUANTITY, message=_l("Enter a quantity of 1 or more."))],
    )
    lead_time_days = IntegerField(
        _l("Lead time (days)"),
        validators=[Optional(), NumberRange(min=1, max=730, message=_l("Enter between 1 and 730 days."))],
    )
    equipment = TextAreaField(_l("Main equipment and lines"), filters=[strip_filter], validators=[Length(max=2000)])
    materials = TextAreaField(_l("Materials"), filters=[strip_filter], validators=[Length(max=2000)])
    notes = TextAreaField(_l("Anything else brands should know"), filters=[strip_filter], validators=[Length(max=2000)])
    is_main_line = BooleanField(_l("This is one of our main product lines"))
    submit = SubmitField(_l("Save capability"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices(category_choices(), blank=_l("Choose…"))
        self.processes.choices = choices(process_choices())
        self.tests_for.choices = choices(
            [(slug, name) for slug, name in certification_choices() if is_lab_tested(slug)]
        )
        offer_units(self.capacity_unit)

    def validate_tests_for(self, field):
        if is_lab_category(self.category.data) and not field.data:
            raise ValidationError(_l("Name at least one certification the laboratory tests for."))
        if field.data and self.category.data and not is_lab_category(self.category.data):
            raise ValidationError(_l("Only a testing laboratory's capability names the certifications it tests for."))

    def validate_board_area_mm2(self, field):
        if field.data is not None and self.category.data and not takes_board_area(self.category.data):
            raise ValidationError(_l("Only categories counted both in boards and in m² of panel take a board area."))

    def capability_data(self) -> dict:
        numbers = ("monthly_capacity", "board_area_mm2", "employees", "min_order_quantity", "lead_time_days")
        texts = ("capacity_unit", "equipment", "materials", "notes")
        return {
            "category_slug": self.category.data,
            "process_slugs": sorted(self.processes.data or []),
            "test_slugs": sorted(self.tests_for.data or []),
            **{name: self[name].data for name in numbers},
            **{name: self[name].data or "" for name in texts},
            "is_main_line": bool(self.is_main_line.data),
        }


class CertificateForm(FlaskForm):
    type = SelectField(_l("Certification"), validators=[DataRequired(_l("Choose the certification."))])
    number = StringField(
        _l("Certificate number"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the certificate number.")), Length(max=80)],
    )
    issuing_body = StringField(
        _l("Issued by"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter who issued the certificate.")), Length(max=160)],
    )
    issue_date = DateField(
        _l("Issue date"),
        validators=[
            InputRequired(_l("Enter the issue date.")),
            NotInFuture(_l("The issue date cannot be in the future.")),
        ],
    )
    expiry_date = DateField(
        _l("Expiry date"),
        validators=[
            InputRequired(_l("Enter the expiry date; brands filter on valid certificates.")),
            LaterThan("issue_date", _l("The expiry date must be after the issue date.")),
        ],
    )
    scope = StringField(
        _l("Scope (site or product category it covers)"), filters=[strip_filter], validators=[Length(max=200)]
    )
    evidence = FileField(
        _l("Evidence (PDF, PNG or JPEG, at most 10 MB)"), validators=[Upload(DOCUMENT_KINDS, max_mb=10)]
    )
    submit = SubmitField(_l("Save certificate"))

    def __init__(self, *args, evidence_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = choices(certification_choices(), blank=_l("Choose…"))
        if evidence_required:
            self.evidence.validators = [Upload(DOCUMENT_KINDS, max_mb=10, required=True)]

    def certificate_data(self) -> dict:
        return {
            "type_slug": self.type.data,
            **{n: self[n].data for n in ("number", "issuing_body", "issue_date", "expiry_date", "scope")},
        }


class PhotoForm(FlaskForm):
    photo = FileField(
        _l("Photo (PNG or JPEG, at most 5 MB)"), validators=[Upload(IMAGE_KINDS, max_mb=5, required=True)]
    )
    caption = StringField(_l("Caption"), filters=[strip_filter], validators=[Length(max=200)])
    submit = SubmitField(_l("Add photo"))


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo (PNG or JPEG, at most 2 MB)"), validators=[Upload(IMAGE_KINDS, max_mb=2, required=True)])
    submit = SubmitField(_l("Upload logo"))


class InviteColleagueForm(FlaskForm):
    email = EmailField(
        _l("Colleague's e-mail"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter your colleague's e-mail address.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=choices(
            [
                (MemberRole.EDITOR.value, _l("Editor: edits the listing")),
                (MemberRole.OWNER.value, _l("Owner: also manages colleagues")),
            ]
        ),
    )
    submit = SubmitField(_l("Send invitation"))
