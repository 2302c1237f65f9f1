"""Forms for opportunities, their data room, investors' profiles, interests and threads."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from portal.forms import written_text
from portal.investment.models import MAX_AMOUNT, DealStage, Instrument, Purpose, Stage
from portal.needs.forms import CURRENCIES
from portal.suppliers.forms import MultiCheckboxField
from portal.taxonomy import PROVINCES, category_choices, province_choices
from portal.threads import MESSAGE_MAX
from portal.uploads import DOCUMENT_KINDS
from portal.validators import Upload, choices, strip_filter

PURPOSE_LABELS = {
    Purpose.CAPACITY_EXPANSION: _l("Capacity expansion"),
    Purpose.NEW_COMPONENT_LINE: _l("New component line"),
    Purpose.JOINT_VENTURE: _l("Joint venture"),
    Purpose.TECHNOLOGY_LICENCE: _l("Technology licence"),
    Purpose.EQUIPMENT_FINANCE: _l("Equipment finance"),
}
INSTRUMENT_LABELS = {
    Instrument.EQUITY: _l("Equity"),
    Instrument.DEBT: _l("Debt"),
    Instrument.JOINT_VENTURE: _l("Joint venture"),
    Instrument.LICENCE: _l("Licence"),
}
STAGE_LABELS = {
    Stage.IDEA: _l("Idea"),
    Stage.PILOT: _l("Pilot"),
    Stage.OPERATING: _l("Operating"),
    Stage.SCALING: _l("Scaling"),
}


SMALLEST_AMOUNT = Decimal("0.01")  # amounts are kept to two places; less would be stored as 0


class Amount:
    """A positive, finite amount that fits the database (a decimal field also parses "NaN")."""

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if not value.is_finite() or value < SMALLEST_AMOUNT:
            raise StopValidation(_l("Enter an amount greater than 0."))
        if value > MAX_AMOUNT:
            raise StopValidation(_l("Enter an amount below 10,000,000,000,000."))


class AtLeastOne:
    """A group of checkboxes with at least one ticked."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


CATEGORIES_REQUIRED = AtLeastOne(_l("Choose at least one component category."))
INSTRUMENTS_REQUIRED = AtLeastOne(_l("Choose at least one instrument."))


def _instruments_field(label):
    return MultiCheckboxField(
        label,
        choices=choices((i.value, name) for i, name in INSTRUMENT_LABELS.items()),
        validators=[INSTRUMENTS_REQUIRED],
    )


def _amount_field(label, missing):
    return DecimalField(label, places=2, validators=[InputRequired(missing), Amount()])


def _range_check(form, low_name: str, high_name: str) -> None:
    """The upper end of a range may not be below the lower end; the message sits on the upper field."""
    low, high = form[low_name], form[high_name]
    if low.data is not None and high.data is not None and not low.errors and not high.errors and low.data > high.data:
        raise ValidationError(_l("The maximum must be at least the minimum."))


class OpportunityForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Give the opportunity a title.")), Length(max=200)],
    )
    purpose = SelectField(
        _l("Purpose"),
        choices=choices(((p.value, label) for p, label in PURPOSE_LABELS.items()), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the purpose."))],
    )
    categories = MultiCheckboxField(_l("Component categories involved"), validators=[CATEGORIES_REQUIRED])
    amount_min = _amount_field(_l("Amount sought, from"), _l("Enter the smallest amount you would take."))
    amount_max = _amount_field(_l("Amount sought, up to"), _l("Enter the largest amount you seek."))
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    instruments = _instruments_field(_l("Instruments accepted"))
    stage = SelectField(
        _l("Stage"),
        choices=choices(((s.value, label) for s, label in STAGE_LABELS.items()), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the stage."))],
    )
    use_of_funds = TextAreaField(
        _l("Use of funds"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Say what the money would pay for.")), Length(max=5000)],
        description=_l("Lines, equipment, the component made, the capacity it adds: words investors search for."),
    )
    show_amount = BooleanField(_l("Show the amount in the public summary"))
    submit = SubmitField(_l("Save opportunity"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = choices(category_choices())

    def validate_amount_max(self, field):
        _range_check(self, "amount_min", "amount_max")

    def opportunity_data(self) -> dict:
        return {
            "title": self.title.data,
            "purpose": Purpose(self.purpose.data),
            "category_slugs": sorted(self.categories.data or []),
            "amount_min": self.amount_min.data,
            "amount_max": self.amount_max.data,
            "currency": self.currency.data,
            "instruments": [i.value for i in Instrument if i.value in (self.instruments.data or [])],
            "stage": Stage(self.stage.data),
            "use_of_funds": self.use_of_funds.data,
            "show_amount": bool(self.show_amount.data),
        }


class DocumentForm(FlaskForm):
    document = FileField(
        _l("Document (PDF, PNG or JPEG, at most 10 MB)"), validators=[Upload(DOCUMENT_KINDS, max_mb=10, required=True)]
    )
    description = StringField(_l("What it is"), filters=[strip_filter], validators=[Length(max=200)])
    submit = SubmitField(_l("Add to data room"))


class InvestorProfileForm(FlaskForm):
    organisation = StringField(
        _l("Organisation"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter the organisation you invest for.")), Length(max=160)],
    )
    categories = MultiCheckboxField(_l("Component categories of interest"), validators=[CATEGORIES_REQUIRED])
    ticket_min = _amount_field(_l("Ticket size, from"), _l("Enter the smallest ticket you invest."))
    ticket_max = _amount_field(_l("Ticket size, up to"), _l("Enter the largest ticket you invest."))
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    instruments = _instruments_field(_l("Instruments"))
    provinces = MultiCheckboxField(
        _l("Provinces of interest"),
        choices=choices(province_choices()),
        description=_l("None ticked: anywhere in Pakistan."),
    )
    stages = MultiCheckboxField(
        _l("Stages of interest"),
        choices=choices((s.value, label) for s, label in STAGE_LABELS.items()),
        description=_l("None ticked: any stage."),
    )
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = choices(category_choices())

    def validate_ticket_max(self, field):
        _range_check(self, "ticket_min", "ticket_max")

    def profile_data(self) -> dict:
        return {
            "organisation": self.organisation.data,
            "categories": sorted(self.categories.data or []),
            "ticket_min": self.ticket_min.data,
            "ticket_max": self.ticket_max.data,
            "currency": self.currency.data,
            "instruments": [i.value for i in Instrument if i.value in (self.instruments.data or [])],
            "provinces": [p for p in PROVINCES if p in (self.provinces.data or [])],
            "stages": [s.value for s in Stage if s.value in (self.stages.data or [])],
        }


class InterestForm(FlaskForm):
    message = written_text(
        _l("Message to the firm"),
        MESSAGE_MAX,
        _l("Introduce yourself and say what interests you in the opportunity."),
    )
    submit = SubmitField(_l("Express interest"))


# Each move named as what the person does, not where the deal lands; ending it differs by side.
MOVE_VERBS = {
    DealStage.NDA: _l("Move on to the NDA"),
    DealStage.DUE_DILIGENCE: _l("Start due diligence"),
    DealStage.TERM_SHEET: _l("Move on to the term sheet"),
    DealStage.CLOSED: _l("Close the deal as agreed"),
}
END_VERBS = {"investor": _l("Withdraw my interest"), "firm": _l("End the talks")}
# Moves that cannot be undone ask first, saying what happens.
CONSEQUENCES = {
    DealStage.CLOSED: _l("the deal is recorded as closed for good; only the amount committed can still be added."),
    DealStage.DECLINED: _l("the talks end for good: the deal cannot move again and the thread closes."),
}


class StageForm(FlaskForm):
    stage = SelectField(_l("Move the deal to"), validators=[DataRequired(_l("Choose the stage."))])
    submit = SubmitField(_l("Move"))

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = choices((s.value, label) for s, label in stages)


class CommitmentForm(FlaskForm):
    amount = _amount_field(_l("Amount committed"), _l("Enter the amount committed."))
    submit = SubmitField(_l("Record amount"))
