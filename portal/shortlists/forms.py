"""Shortlist forms: add a firm, name a list, keep a note, invite the list to a need."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.input_guard import MAX_ROW_ID as MAX_ID
from portal.shortlists.service import NAME_MAX, NOTE_MAX
from portal.validators import strip_filter


class AddFirmForm(FlaskForm):
    """From search results, a profile or a need's matches: the firm, and which list (or a new one)."""

    firm_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(1, MAX_ID)])
    shortlist_id = SelectField(
        _l("Shortlist"), coerce=int, validate_choice=False, validators=[Optional(), NumberRange(1, MAX_ID)]
    )
    new_name = StringField(_l("or a new shortlist named"), filters=[strip_filter], validators=[Length(max=NAME_MAX)])
    submit = SubmitField(_l("Shortlist"))


class NameForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Give the shortlist a name.")), Length(max=NAME_MAX)],
        description=_l("For example: Battery packs, second source."),
    )
    submit = SubmitField(_l("Save the name"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), filters=[strip_filter], validators=[Length(max=NOTE_MAX)])
    submit = SubmitField(_l("Save the note"))


class InviteAllForm(FlaskForm):
    need_id = SelectField(
        _l("Need"),
        coerce=int,
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose one of your needs.")),
            NumberRange(1, MAX_ID, _l("Choose one of your needs.")),
        ],
    )
    submit = SubmitField(_l("Invite every firm on this list"))
