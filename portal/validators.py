"""WTForms validators shared by every domain's forms."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from portal.accounts.passwords import password_problem
from portal.lookalikes import looks_latin
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
            raise ValidationError(problem.translated())


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


def _script(char: str) -> str | None:
    """The script of a letter (LATIN, CYRILLIC, ARABIC, …); None for digits and punctuation."""
    if not char.isalpha():
        return None
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def local_part_problem(address: str) -> str | None:
    """Why the part before @ could pass for another address: characters that change under
    compatibility normalisation (fullwidth, ligatures), invisible ones, letters of two scripts,
    or only letters drawn like Latin ones. None when it is plain."""
    local = (address or "").rpartition("@")[0]
    if local.isascii():
        return None
    if unicodedata.normalize("NFKC", local) != local or any(unicodedata.category(c) == "Cf" for c in local):
        return "look-alike"
    scripts = {script for script in map(_script, local) if script}
    letters = [c for c in local if c.isalpha()]
    if len(scripts) > 1 or (letters and all(looks_latin(c) for c in letters)):
        return "mixed scripts"
    return None


class PlainLocalPart:
    """Refuse an address whose name part mixes scripts or uses look-alike characters."""

    def __call__(self, form, field):
        if local_part_problem(field.data or ""):
            raise ValidationError(
                _l(
                    "The part before @ mixes alphabets or uses characters that look like others "
                    "(for example a Cyrillic а for a Latin a). Type the address in one alphabet."
                )
            )


class UnitOfCategory:
    """The unit chosen must be one of the units of the category chosen in `category_field`."""

    def __init__(self, category_field: str = "category"):
        self.category_field = category_field

    def __call__(self, form, field):
        from flask_babel import gettext

        from portal.taxonomy.units import is_unit_of, units_of

        category = form[self.category_field].data
        if not category or is_unit_of(category, field.data):
            return
        names = [u.name for u in units_of(category)]
        raise StopValidation(
            gettext("This category is counted in %(units)s; choose one of them.", units=gettext(" or ").join(names))
            if names
            else gettext("This category has no unit to count it in.")
        )


def offer_units(field) -> None:
    """A unit select offers every unit (the check keeps the category's own); the page's script
    narrows the list to the chosen category's units from `data-units-by-category`."""
    import json

    from portal.taxonomy import category_rows
    from portal.taxonomy.names import local_name
    from portal.taxonomy.units import units, units_of

    field.choices = choices(
        ((u.slug, local_name("unit", u.slug, u.name)) for u in units().values()), blank=_l("Choose…")
    )
    by_category = {row["slug"]: [u.slug for u in units_of(row["slug"])] for row in category_rows()}
    field.render_kw = {"data-units-by-category": json.dumps(by_category, separators=(",", ":"))}
