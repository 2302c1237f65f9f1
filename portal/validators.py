"""WTForms validators shared by every domain's forms."""

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.accounts.passwords import password_problem


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
