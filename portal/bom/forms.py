"""Forms of the BOM planner: the upload (file or pasted table), a line's category and its edit,
saving a version, drafting needs and inviting suppliers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.bom import reading
from portal.needs.models import CURRENCIES
from portal.suppliers.forms import MultiCheckboxField
from portal.uploads import read_field
from portal.validators import choices, strip_filter

DEVICES = NumberRange(
    min=1, max=reading.MAX_DEVICES_PER_MONTH, message=_l("Enter a whole number from 1 to 10,000,000.")
)


class _TableFields(FlaskForm):
    file = FileField(
        _l("BOM file (CSV or Excel .xlsx, at most 2 MB and 1,000 lines)"),
        description=_l("Macros and formulas are not read: formulas refuse their line."),
    )
    pasted = TextAreaField(
        _l("Or paste the table"),
        filters=[strip_filter],
        validators=[Length(max=reading.MAX_BYTES)],
        description=_l("Copied from a spreadsheet (tab-separated) or comma-separated, header row first."),
    )
    devices_per_month = IntegerField(
        _l("Planned devices per month"),
        validators=[Optional(), DEVICES],
        description=_l("Used for lines whose own column is empty."),
    )

    def table(self) -> tuple[bytes, str] | str | None:
        """The uploaded file's (bytes, name), else the pasted text, else None."""
        storage = self.file.data
        if storage and getattr(storage, "filename", ""):
            return read_field(storage)
        return self.pasted.data or None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.table() is None:
            self.pasted.errors = [_l("Choose a file or paste the table.")]
            return False
        return valid


class UploadForm(_TableFields):
    title = StringField(
        _l("Plan name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Give the plan a name, e.g. the device's model.")), Length(max=200)],
    )
    currency = SelectField(
        _l("Sum the BOM's value in"),
        choices=choices((c, c) for c in CURRENCIES),
        description=_l("Lines in other currencies are converted with the exchange rate of the day."),
    )
    submit = SubmitField(_l("Read the BOM"))


class RevisedFileForm(_TableFields):
    submit = SubmitField(_l("Read the revised BOM"))


class CategoryForm(FlaskForm):
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose a category from the list."))])
    submit = SubmitField(_l("Change"))


class LineForm(FlaskForm):
    description = StringField(
        _l("Part description"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Describe the part.")), Length(max=300)],
    )
    specification = TextAreaField(_l("Specification"), filters=[strip_filter], validators=[Length(max=1000)])
    quantity_per_device = DecimalField(
        _l("Quantity per device"),
        places=None,
        validators=[
            InputRequired(_l("Enter how many a device takes.")),
            NumberRange(
                min=0.0001, max=float(reading.MAX_QUANTITY), message=_l("Enter a number above 0 and at most 100,000.")
            ),
        ],
    )
    unit_cost = DecimalField(
        _l("Unit cost"),
        places=None,
        validators=[
            Optional(),
            NumberRange(min=0, max=float(reading.MAX_UNIT_COST), message=_l("Enter a cost from 0 to 99,999,999.")),
        ],
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    devices_per_month = IntegerField(
        _l("Planned devices per month"), validators=[InputRequired(_l("Enter the devices per month.")), DEVICES]
    )
    submit = SubmitField(_l("Save the line"))

    def line_data(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "description", "specification", "quantity_per_device", "unit_cost", "currency", "devices_per_month"
        )}  # fmt: skip


class SaveVersionForm(FlaskForm):
    note = StringField(_l("What this version is"), filters=[strip_filter], validators=[Length(max=200)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Reload the page and try again."))])
    submit = SubmitField(_l("Save as a version"))


class DraftNeedsForm(FlaskForm):
    lines = MultiCheckboxField(_l("Lines"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Make draft needs of the chosen lines"))


class InviteSuppliersForm(FlaskForm):
    firms = MultiCheckboxField(_l("Suppliers"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Invite the chosen suppliers to this line's need"))
