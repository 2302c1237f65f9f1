"""Forms every domain uses."""

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """An empty form for POST buttons (submit, delete, revoke), so each carries a CSRF token."""

    submit = SubmitField(_l("Confirm"))


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
