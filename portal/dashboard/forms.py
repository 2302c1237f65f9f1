"""The form staff use to move a component category to another localization phase."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.taxonomy import PHASES
from portal.validators import choices


class PhaseForm(FlaskForm):
    """One per category on the page; its prefix (the category slug) keeps the fields apart."""

    phase = SelectField(
        _l("Localization phase"),
        choices=choices(PHASES.items()),
        coerce=int,
        validators=[InputRequired(_l("Choose a phase."))],
    )
    submit = SubmitField(_l("Save"))
