"""The form staff use to move a component category to another localization phase."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.taxonomy import PHASES
from portal.validators import LaterThan, choices


class PhaseForm(FlaskForm):
    """One per category on the page; its prefix (the category slug) keeps the fields apart."""

    phase = SelectField(
        _l("Localization phase"),
        choices=choices(PHASES.items()),
        coerce=int,
        validators=[InputRequired(_l("Choose a phase."))],
    )
    submit = SubmitField(_l("Save"))


class PhaseTargetForm(FlaskForm):
    """A phase's schedule and targets; every category of the phase is measured against them."""

    starts_on = DateField(_l("Phase starts"), validators=[InputRequired(_l("Enter the day the phase starts."))])
    due_on = DateField(
        _l("Targets due"),
        validators=[
            InputRequired(_l("Enter the day the targets are due.")),
            LaterThan("starts_on", _l("The targets must be due after the phase starts.")),
        ],
    )
    local_share = IntegerField(
        _l("Local share of brands' demand (%)"),
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("Enter a share from 1 to 100 per cent."))],
        description=_l("Open needs of each category a qualified local supplier can serve."),
    )
    verified_suppliers = IntegerField(
        _l("Verified suppliers per category"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_l("Enter 1 to 100,000 suppliers."))],
    )
    certified_suppliers = IntegerField(
        _l("Suppliers holding what brands ask for, per category"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_l("Enter 1 to 100,000 suppliers."))],
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Save targets"))

    def target_data(self) -> dict:
        return {name: self[name].data for name in ("starts_on", "due_on", "local_share", "verified_suppliers",
                                                   "certified_suppliers")}  # fmt: skip
