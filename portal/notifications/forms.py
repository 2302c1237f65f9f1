"""The e-mail settings form: one checkbox per notification kind, built from the kinds list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from portal.notifications.service import KINDS


def email_settings_form(off: set[str]) -> FlaskForm:
    """A form whose boxes start ticked for every kind not in `off`."""

    class EmailSettingsForm(FlaskForm):
        submit = SubmitField(_l("Save"))

    for kind, label in KINDS.items():
        setattr(EmailSettingsForm, kind, BooleanField(label, default=kind not in off))
    return EmailSettingsForm()


def chosen_kinds(form) -> set[str]:
    return {kind for kind in KINDS if form[kind].data}
