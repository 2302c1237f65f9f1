"""Forms of sourcing needs: the need, its attachments and invitations, quotes and the award."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.forms import RowIdField
from portal.needs.models import CURRENCIES, NeedVisibility
from portal.needs.quotes import MAX_UNIT_PRICE, quote_problems
from portal.suppliers.forms import MAX_QUANTITY, MultiCheckboxField
from portal.taxonomy import category_choices, certification_choices, process_choices, province_choices
from portal.timeutil import today
from portal.uploads import DOCUMENT_KINDS
from portal.validators import UnitOfCategory, Upload, choices, offer_units, strip_filter

ATTACHMENT_LABEL = _l("File (PDF, PNG or JPEG, at most 10 MB)")


def _version_field(required: bool = True):
    """The version of the need or quote the person saw, so a change made meanwhile is not overwritten."""
    validators = [InputRequired(_l("Reload the page and try again."))] if required else [Optional()]
    return IntegerField(widget=HiddenInput(), validators=validators)


class NeedForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(_l("Give the need a title.")), Length(max=200)]
    )
    category = SelectField(_l("Component category"), validators=[DataRequired(_l("Choose the component category."))])
    quantity_per_month = IntegerField(
        _l("Quantity per month"),
        validators=[
            InputRequired(_l("Enter the monthly quantity.")),
            NumberRange(min=1, max=MAX_QUANTITY, message=_l("Enter a quantity of 1 or more.")),
        ],
    )
    quantity_unit = SelectField(
        _l("Counted in"),
        validators=[DataRequired(_l("Choose the unit the quantity is counted in.")), UnitOfCategory()],
        description=_l("One of the category's units; suppliers' capacity is compared in the same unit."),
    )
    description = TextAreaField(
        _l("Description and specification"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Describe what you need.")), Length(max=10000)],
    )
    features = TextAreaField(
        _l("Specification features, one per line"),
        filters=[strip_filter],
        validators=[Length(max=2000)],
        description=_l("For example: anti-fingerprint coating, 2.5D edges. Firms that offer them rank higher."),
    )
    certifications = MultiCheckboxField(_l("Required certifications"))
    processes = MultiCheckboxField(_l("Required processes"))
    target_unit_price = DecimalField(
        _l("Target unit price"),
        places=4,
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_UNIT_PRICE, message=_l("Enter a price of 0 or more, below 100,000,000.")),
        ],
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    delivery_province = SelectField(
        _l("Delivery province"), choices=choices(province_choices(), blank=_l("Anywhere in Pakistan"))
    )
    start_date = DateField(_l("Supply starts"), validators=[Optional()])
    deadline = DateField(_l("Deadline for quotes"), validators=[InputRequired(_l("Enter the deadline for quotes."))])
    visibility = RadioField(
        _l("Who may see and quote"),
        choices=choices(
            [
                (NeedVisibility.OPEN.value, _l("Every verified firm in the category")),
                (NeedVisibility.INVITED.value, _l("Invited firms only")),
            ]
        ),
        default=NeedVisibility.OPEN.value,
    )
    version = _version_field(required=False)
    submit = SubmitField(_l("Save need"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices(category_choices(), blank=_l("Choose…"))
        self.certifications.choices = choices(certification_choices())
        self.processes.choices = choices(process_choices())
        offer_units(self.quantity_unit)

    def validate_deadline(self, field):
        if field.data and field.data <= today():
            raise ValidationError(_l("The deadline must be after today."))

    def need_data(self) -> dict:
        return {
            "title": self.title.data,
            "category_slug": self.category.data,
            "description": self.description.data,
            "features": self.features.data or "",
            "quantity_per_month": self.quantity_per_month.data,
            "quantity_unit": self.quantity_unit.data,
            "target_unit_price": self.target_unit_price.data,
            "currency": self.currency.data,
            "delivery_province": self.delivery_province.data or None,
            "start_date": self.start_date.data,
            "deadline": self.deadline.data,
            "visibility": NeedVisibility(self.visibility.data),
            "certification_slugs": self.certifications.data or [],
            "process_slugs": self.processes.data or [],
        }


class NeedActionForm(FlaskForm):
    """A button that acts on the need (publish, close, cancel), carrying the version shown."""

    version = _version_field()
    submit = SubmitField(_l("Confirm"))


class AttachmentForm(FlaskForm):
    file = FileField(ATTACHMENT_LABEL, validators=[Upload(DOCUMENT_KINDS, max_mb=10, required=True)])
    submit = SubmitField(_l("Attach"))


class InviteForm(FlaskForm):
    firm_id = RowIdField(_l("Choose a firm to invite."))
    submit = SubmitField(_l("Invite"))


class QuoteForm(FlaskForm):
    """A firm's quote; the rules (price above 0, validity through the deadline...) are
    `quotes.quote_problems`, shown here next to each field."""

    unit_price = DecimalField(_l("Unit price"), places=4, validators=[InputRequired(_l("Enter a unit price above 0."))])
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    min_order_quantity = IntegerField(
        _l("Minimum order quantity"), validators=[InputRequired(_l("Enter a minimum order quantity of 1 or more."))]
    )
    lead_time_days = IntegerField(
        _l("Lead time (days)"), validators=[InputRequired(_l("Enter a lead time of 1 day or more."))]
    )
    valid_until = DateField(
        _l("Valid until"), validators=[InputRequired(_l("Enter the date the quote is valid until."))]
    )
    notes = TextAreaField(_l("Notes"), filters=[strip_filter], validators=[Length(max=5000)])
    attachment = FileField(ATTACHMENT_LABEL, validators=[Upload(DOCUMENT_KINDS, max_mb=10)])
    version = _version_field(required=False)
    submit = SubmitField(_l("Send quote"))

    def __init__(self, need, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need

    def quote_data(self) -> dict:
        return {
            name: self[name].data
            for name in ("unit_price", "currency", "min_order_quantity", "lead_time_days", "valid_until", "notes")
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in quote_problems(self.quote_data(), self.need, today()).items():
            if not self[name].errors:
                self[name].errors = [*self[name].errors, gettext(message, date=self.need.deadline.isoformat())]
                valid = False
        return valid


class AwardForm(FlaskForm):
    version = _version_field()
    quotes = MultiCheckboxField(_l("Quotes to award"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Award the chosen quotes"))
