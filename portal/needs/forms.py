"""The sourcing need form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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

from portal.needs.models import NeedVisibility
from portal.suppliers.forms import MAX_QUANTITY, MultiCheckboxField
from portal.taxonomy import PROVINCES, category_choices, certification_choices, process_choices
from portal.timeutil import today
from portal.validators import choices, strip_filter

CURRENCIES = ("USD", "PKR", "EUR", "CNY")


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
        validators=[Optional(), NumberRange(min=0, message=_l("Enter a price of 0 or more."))],
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    delivery_province = SelectField(
        _l("Delivery province"), choices=choices(((p, p) for p in PROVINCES), blank=_l("Anywhere in Pakistan"))
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
    submit = SubmitField(_l("Save need"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = choices(category_choices(), blank=_l("Choose…"))
        self.certifications.choices = choices(certification_choices())
        self.processes.choices = choices(process_choices())

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
            "target_unit_price": self.target_unit_price.data,
            "currency": self.currency.data,
            "delivery_province": self.delivery_province.data or None,
            "start_date": self.start_date.data,
            "deadline": self.deadline.data,
            "visibility": NeedVisibility(self.visibility.data),
            "certification_slugs": self.certifications.data or [],
            "process_slugs": self.processes.data or [],
        }
