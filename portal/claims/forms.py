"""The claim form: who the claimant is at the firm and which evidence they give."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, StopValidation

from portal.claims.models import ClaimMethod
from portal.uploads import DOCUMENT_KINDS
from portal.validators import Upload, choices, strip_filter


class RequiredFor:
    """The field is needed only when the chosen evidence method is `method`."""

    def __init__(self, method: ClaimMethod, message: str):
        self.method, self.message = method, message

    def __call__(self, form, field):
        if form.method.data != self.method:
            field.errors[:] = []
            raise StopValidation()
        if not field.data or (hasattr(field.data, "filename") and not field.data.filename):
            raise StopValidation(self.message)


class ClaimForm(FlaskForm):
    position = StringField(
        _l("Your position at the firm"),
        filters=[strip_filter],
        validators=[InputRequired(_l("Say what you do at the firm, e.g. Managing director.")), Length(max=120)],
    )
    method = RadioField(
        _l("Evidence"),
        choices=choices(
            [
                (ClaimMethod.EMAIL.value, _l("An e-mail address on the firm's website domain (we send a link to it)")),
                (ClaimMethod.DOCUMENT.value, _l("A document naming you at the firm (PDF, PNG or JPEG)")),
            ]
        ),
        default=ClaimMethod.EMAIL.value,
        validators=[InputRequired(_l("Choose how you prove you run the firm."))],
    )
    email = EmailField(
        _l("Company e-mail address"),
        filters=[strip_filter],
        validators=[
            RequiredFor(ClaimMethod.EMAIL, _l("Enter your address on the firm's domain.")),
            Email(_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    document = FileField(
        _l("Document (PDF, PNG or JPEG, at most 10 MB)"),
        validators=[
            RequiredFor(ClaimMethod.DOCUMENT, _l("Choose the document to upload.")),
            Upload(DOCUMENT_KINDS, max_mb=10, required=True),
        ],
    )
    note = TextAreaField(
        _l("Anything staff should know (optional)"), filters=[strip_filter], validators=[Length(max=2000)]
    )
    submit = SubmitField(_l("Send the claim"))


STATUS_LABELS = {
    "awaiting_email": _l("Waiting for e-mail confirmation"),
    "pending": _l("With EDB staff"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "withdrawn": _l("Withdrawn"),
}
