"""Staff forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.validators import choices


class ReviewDecisionForm(FlaskForm):
    """A decision on a listing or item; `version` is the listing version the reviewer saw."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    decision = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class AddressReviewForm(FlaskForm):
    """Staff confirm an account's address after checking it off-line, or decline it; either way a note."""

    decision = RadioField(
        _l("Decision"),
        choices=choices([("confirm", _l("Confirm the address")), ("decline", _l("Decline it"))]),
        validators=[InputRequired(_l("Choose whether you confirm the address or decline it."))],
    )
    note = TextAreaField(
        _l("How you checked it, or why you decline it"),
        description=_l('E.g. "phoned the firm on its listed number"; recorded in the audit trail.'),
        validators=[
            InputRequired(_l("Write how you checked the address, or why you decline it.")),
            Length(max=2000),
        ],
    )
    submit = SubmitField(_l("Record the decision"))
