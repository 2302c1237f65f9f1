"""WTForms validators shared by every domain's forms."""

from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from portal.accounts.passwords import password_problem
from portal.timeutil import today
from portal.uploads import MB, UploadRejected, check_upload, describe_kinds, read_field


class StrongPassword:
    """Applies the portal's password rule; reads e-mail and name fields of the same form if present."""

    def __call__(self, form, field):
        email = getattr(form, "email", None)
        name = getattr(form, "full_name", None)
        problem = password_problem(
            field.data or "", email=email.data or "" if email else "", name=name.data or "" if name else ""
        )
        if problem:
            raise ValidationError(problem)


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices, with an optional empty first choice."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in pairs]


class Upload:
    """Checks an uploaded file by its content; the accepted bytes are kept on `field.upload`."""

    def __init__(self, kinds, max_mb: int = 10, required: bool = False):
        self.kinds, self.max_bytes, self.required = kinds, max_mb * MB, required

    def __call__(self, form, field):
        field.upload = None
        storage = field.data
        if not storage or not getattr(storage, "filename", ""):
            if self.required:
                raise StopValidation(f"Choose a {describe_kinds(self.kinds)} file to upload.")
            return
        data, filename = read_field(storage)
        try:
            check_upload(data, self.kinds, self.max_bytes)
        except UploadRejected as error:
            raise StopValidation(str(error)) from error
        field.upload = (data, filename)


class NotInFuture:
    def __init__(self, message: str = "This date cannot be in the future."):
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data > today():
            raise ValidationError(self.message)


class LaterThan:
    """This date field must be after another date field of the same form."""

    def __init__(self, other: str, message: str):
        self.other, self.message = other, message

    def __call__(self, form, field):
        other = form[self.other].data
        if field.data and other and field.data <= other:
            raise ValidationError(self.message)


def comma_list(value) -> list[str]:
    """'China, UAE ; Germany' → ['China', 'UAE', 'Germany'] (order kept, duplicates dropped)."""
    if isinstance(value, list):
        return value
    items = [part.strip() for part in (value or "").replace(";", ",").split(",")]
    return list(dict.fromkeys(item for item in items if item))
