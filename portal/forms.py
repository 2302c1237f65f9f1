"""Forms every domain uses."""

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from portal import input_guard
from portal.threads import MESSAGE_MAX
from portal.validators import strip_filter


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


def written_text(label, limit: int, missing=None, **kwargs) -> TextAreaField:
    """A text area read without its outer spaces and refused past `limit` characters (the service's
    own limit), and when empty if `missing` says what to write; the problem shows next to the field."""
    required = [DataRequired(missing)] if missing else []
    too_long = Length(max=limit, message=_l("Keep it to %(max)d characters."))
    return TextAreaField(label, filters=[strip_filter], validators=[*required, too_long], **kwargs)


class ThreadMessageForm(FlaskForm):
    """A message in a deal's private thread (an introduction's, an investment interest's), held to
    the same rules the service applies (`portal.threads`)."""

    form_name = "message"
    text = written_text(_l("Your message"), MESSAGE_MAX, _l("Write your message first."))
    submit = SubmitField(_l("Send message"))


# The box beside an irreversible act that names what it will do. The server checks it, so the
# confirmation holds without JavaScript; `templates/macros/confirm.html` draws it.
UNDERSTOOD = "understood"
NOT_CONFIRMED = _l("Nothing was done: tick the box that says what will happen, then try again.")


def confirmed() -> bool:
    """Whether the person ticked "I understand" for the act they posted; if not, they are told so."""
    if request.form.get(UNDERSTOOD) == "yes":
        return True
    flash(str(NOT_CONFIRMED), "warning")
    return False
