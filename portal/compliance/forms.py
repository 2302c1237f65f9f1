"""Forms for compliance cases. Each form on the case page carries the case version the reviewer saw."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.compliance.models import CaseKind, CaseOutcome, IncentiveStatus, LicenceStatus
from portal.forms import RowIdField
from portal.timeutil import today
from portal.uploads import DOCUMENT_KINDS
from portal.validators import LaterThan, Upload, choices, strip_filter

KIND_LABELS = {
    CaseKind.FALSE_CERTIFICATE: _l("False or expired certificate used"),
    CaseKind.MISREPORTED_CAPACITY: _l("Misreported capacity"),
    CaseKind.INCENTIVE_BREACH: _l("Incentive condition breached"),
    CaseKind.LICENCE_BREACH: _l("Licence breach"),
}
OUTCOME_LABELS = {
    CaseOutcome.NO_VIOLATION: _l("No violation"),
    CaseOutcome.WARNING_ISSUED: _l("Warning issued"),
    CaseOutcome.INCENTIVE_WITHDRAWN: _l("Incentive withdrawn"),
    CaseOutcome.LICENCE_SUSPENDED: _l("Licence suspended"),
    CaseOutcome.LISTING_SUSPENDED: _l("Listing suspended"),
    CaseOutcome.OTHER: _l("Other"),
}
STATUS_LABELS = {
    "incentive": {
        IncentiveStatus.ACTIVE: _l("Active"),
        IncentiveStatus.UNDER_REVIEW: _l("Under review"),
        IncentiveStatus.WITHDRAWN: _l("Withdrawn"),
    },
    "licence": {
        LicenceStatus.ACTIVE: _l("Active"),
        LicenceStatus.UNDER_REVIEW: _l("Under review"),
        LicenceStatus.SUSPENDED: _l("Suspended"),
    },
}
MEASURE_LABELS = {"incentive": _l("Incentives"), "licence": _l("Import licence")}


def _pairs(labels: dict) -> list[tuple[str, str]]:
    return [(member.value, label) for member, label in labels.items()]


def _version_field():
    return IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Reload the page and try again."))])


class OpenCaseForm(FlaskForm):
    firm_id = RowIdField(_l("Choose the firm first."))
    kind = SelectField(
        _l("Kind of violation"),
        choices=choices(_pairs(KIND_LABELS), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the kind of violation."))],
    )
    summary = TextAreaField(
        _l("What is the firm suspected of?"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Say what the firm is suspected of.")), Length(max=5000)],
        description=_l("Facts and sources; the firm does not see this."),
    )
    submit = SubmitField(_l("Open case"))


class NoteForm(FlaskForm):
    version = _version_field()
    text = TextAreaField(
        _l("Note"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Write the note first.")), Length(max=5000)],
    )
    submit = SubmitField(_l("Add note"))


class DocumentForm(FlaskForm):
    version = _version_field()
    document = FileField(
        _l("Document (PDF, PNG or JPEG, at most 10 MB)"),
        validators=[Upload(DOCUMENT_KINDS, max_mb=10, required=True)],
    )
    description = StringField(_l("What it is"), filters=[strip_filter], validators=[Length(max=200)])
    submit = SubmitField(_l("Attach document"))


class StandingForm(FlaskForm):
    """One measure (incentives or the import licence): its status and the dates it applies."""

    version = _version_field()
    status = SelectField(_l("Status"), validators=[DataRequired(_l("Choose the status."))])
    since = DateField(
        _l("From"), default=today, validators=[InputRequired(_l("Give the date the status applies from."))]
    )
    until = DateField(
        _l("Until"),
        validators=[Optional(), LaterThan("since", _l("The end date must be after the start date."))],
        description=_l("The day it ends; leave blank while it lasts until changed."),
    )
    note = TextAreaField(
        _l("Reason"),
        filters=[strip_filter],
        validators=[Length(max=2000)],
        description=_l("The firm reads it in its notice, with the effect and how to respond."),
    )
    submit = SubmitField(_l("Set status"))

    def __init__(self, measure: str, *args, **kwargs):
        super().__init__(*args, prefix=measure, **kwargs)
        self.measure = measure
        self.status.choices = choices(_pairs(STATUS_LABELS[measure]), blank=_l("Choose…"))

    def validate_note(self, field):
        if self.status.data in (IncentiveStatus.WITHDRAWN.value, LicenceStatus.SUSPENDED.value) and not field.data:
            raise ValidationError(_l("Give the reason for this status; the firm reads it in its notice."))


class CloseCaseForm(FlaskForm):
    version = _version_field()
    outcome = SelectField(
        _l("Outcome"),
        choices=choices(_pairs(OUTCOME_LABELS), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the outcome of the case."))],
    )
    note = TextAreaField(
        _l("Outcome note"),
        filters=[strip_filter],
        validators=[Length(max=5000)],
        description=_l("Needed when the outcome is “other”."),
    )
    submit = SubmitField(_l("Close case"))

    def validate_note(self, field):
        if self.outcome.data == CaseOutcome.OTHER.value and not field.data:
            raise ValidationError(_l("Say what was decided when the outcome is “other”."))


class ResponseForm(FlaskForm):
    """The firm's answer to the case behind a withdrawn incentive or suspended licence."""

    text = TextAreaField(
        _l("Your response"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Write your response first.")), Length(max=5000)],
        description=_l("Your explanation and the facts that support it. EDB staff read it in the case."),
    )
    submit = SubmitField(_l("Send response to EDB"))
