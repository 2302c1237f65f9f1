"""Forms for introductions. Answers and stage moves carry the version the user saw; each form on the
introduction page has a `form_name`, also its field prefix, so several forms share the page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.forms import written_text
from portal.introductions.brokering import NOTE_MAX as BROKER_NOTE_MAX
from portal.introductions.models import ACTIVE_STAGES, BROKER_OUTCOME_LABELS, OUTCOME_LABELS, Outcome, Stage
from portal.introductions.service import REASON_MAX, REQUEST_MAX
from portal.validators import choices, strip_filter

# Valid answers of the stage form; a backward one is refused by the service, with its reason.
MOVABLE_STAGES = (*ACTIVE_STAGES, Stage.CLOSED)


def _version_field():
    return IntegerField(widget=HiddenInput(), validators=[InputRequired(_l("Reload the page and try again."))])


def _reason_field(description):
    """An optional reason the other side reads, as long as the service allows."""
    return written_text(_l("Reason (optional)"), REASON_MAX, description=description)


class AskForm(FlaskForm):
    message = written_text(
        _l("Message to the firm"),
        REQUEST_MAX,
        _l("Write a short message to the firm."),
        description=_l(
            "Who you are and what you are looking for, in at most 1,000 characters. "
            "The firm sees your organisation and this message."
        ),
    )
    submit = SubmitField(_l("Ask for an introduction"))


class AcceptForm(FlaskForm):
    form_name = "accept"
    version = _version_field()
    submit = SubmitField(_l("Accept and share contacts"))


class DeclineForm(FlaskForm):
    form_name = "decline"
    version = _version_field()
    reason = _reason_field(_l("The brand sees this reason."))
    submit = SubmitField(_l("Decline"))


class WithdrawForm(FlaskForm):
    form_name = "withdraw"
    version = _version_field()
    reason = _reason_field(_l("The firm sees this reason."))
    submit = SubmitField(_l("Withdraw request"))


# Each move named as what the person does; closing names how it ended, and asks first.
MOVE_VERBS = {
    Stage.IN_TALKS: _l("Mark as in talks"),
    Stage.SAMPLES: _l("Move on to samples"),
    Stage.ORDER_PLACED: _l("Record that an order is placed"),
}
CLOSE_VERBS = {Outcome.ORDER_WON: _l("Close: order won"), Outcome.NO_DEAL: _l("Close: no deal")}
CLOSING = _l("the introduction ends for good; its thread is kept as it is.")


class StageForm(FlaskForm):
    """Move the introduction on; the list offers the later stages, the service judges the move."""

    form_name = "stage"
    version = _version_field()
    stage = SelectField(
        _l("New stage"),
        choices=choices(((s.value, s.label) for s in MOVABLE_STAGES), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose the new stage."))],
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=choices(((o.value, label) for o, label in OUTCOME_LABELS.items()), blank=_l("Only when closing…")),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Move stage"))

    def offer(self, stages: list[Stage]) -> None:
        """Show only these stages in the list (the later ones)."""
        self.stage.choices = choices(((s.value, s.label) for s in stages), blank=_l("Choose…"))


class BrokerForm(FlaskForm):
    """Staff record what came of a request they brokered to a firm nobody runs on the portal."""

    form_name = "broker"
    version = _version_field()
    outcome = RadioField(
        _l("What came of it"),
        choices=choices((o.value, label) for o, label in BROKER_OUTCOME_LABELS.items()),
        validators=[InputRequired(_l("Choose what came of it."))],
    )
    note = written_text(
        _l("Note for the brand"),
        BROKER_NOTE_MAX,
        _l("Write a note of what the firm said: the brand reads it."),
        description=_l("Who you spoke to and what they said; the brand reads this."),
    )
    submit = SubmitField(_l("Record the outcome"))


class ClaimInviteForm(FlaskForm):
    """Staff send the firm a link to claim its listing and answer on the portal."""

    form_name = "claim_invite"
    email = EmailField(
        _l("The firm's e-mail address"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter the address to send the invitation to.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Invite the firm to claim its listing"))
