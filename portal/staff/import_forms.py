"""The staff form for uploading a supplier CSV."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SubmitField
from wtforms.validators import StopValidation

from portal.staff.imports import FileRefused, decode
from portal.uploads import MB, read_field

MAX_MB = 10


class CsvUpload:
    """A required CSV file, checked by content (UTF-8 text, not binary); the text is kept on `field.text`."""

    def __init__(self, max_mb: int = MAX_MB):
        self.max_bytes = max_mb * MB

    def __call__(self, form, field):
        field.text = None
        storage = field.data
        if not storage or not getattr(storage, "filename", ""):
            raise StopValidation(_l("Choose a CSV file to upload."))
        data, _filename = read_field(storage)
        if len(data) > self.max_bytes:
            raise StopValidation(_l("The file is larger than %(mb)d MB; split it into smaller files.", mb=MAX_MB))
        try:
            field.text = decode(data)
        except FileRefused as error:
            raise StopValidation(str(error)) from error


class SupplierImportForm(FlaskForm):
    csv_file = FileField(
        _l("Supplier CSV file"),
        validators=[CsvUpload()],
        render_kw={"accept": ".csv,text/csv"},
        description=_l("UTF-8 CSV with a header row, at most 10 MB: the same columns as the export."),
    )
    dry_run = BooleanField(_l("Dry run: check the file and show what would change, without saving"), default=True)
    submit = SubmitField(_l("Upload and import"))
