"""Forms every domain uses."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from portal import input_guard


class ConfirmForm(FlaskForm):
    """An empty form for POST buttons (submit, delete, revoke), so each carries a CSRF token."""

    submit = SubmitField(_l("Confirm"))


class RowIdField(IntegerField):
    """A hidden field naming a row (a firm to invite, to open a case against). A value no id column
    can hold (past 32 bits, zero, negative, not a number) is read as absent and refused with
    `message`, so a view that reads `.data` before validating never sends it to the database."""

    widget = HiddenInput()

    def __init__(self, message, **kwargs):
        super().__init__(validators=[InputRequired(message)], **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = input_guard.row_id(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)
