"""Staff forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput


class ReviewDecisionForm(FlaskForm):
    """A decision on a listing or item; `version` is the listing version the reviewer saw."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    decision = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
