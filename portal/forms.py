"""Forms every domain uses."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """An empty form for POST buttons (submit, delete, revoke), so each carries a CSRF token."""

    submit = SubmitField(_l("Confirm"))
