"""Languages: which one a page or a message uses, and translation markers for services.

Services also run outside requests (commands, cron), where no locale is chosen, so they keep the
English message and the page, or the error's `__str__`, translates it when it is shown. What is
sent to a person (e-mails, notices) is written in that person's language, whoever sends it.
"""

from contextlib import contextmanager
from functools import wraps

import click
from flask import current_app, has_request_context, request, session
from flask_babel import force_locale
from flask_login import current_user

SESSION_KEY = "language"


def N_(message: str) -> str:
    """Mark a message for extraction (`pybabel extract -k N_`) and return it untranslated."""
    return message


class Phrase(str):
    """A message with its values, made where no language is chosen (pure functions such as
    matching): it compares and reads as its English text, and pages show it translated
    (`translated()`, or `{{ phrase }}` in a template). Extracted with `-k Phrase`."""

    def __new__(cls, message: str, **params):
        phrase = super().__new__(cls, message % params if params else message)
        phrase.message, phrase.params = message, params
        return phrase

    def translated(self) -> str:
        from flask import has_app_context
        from flask_babel import gettext

        if not has_app_context():
            return str(self)
        return gettext(self.message, **{key: translated(value) for key, value in self.params.items()})

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.translated()))


class Name(str):
    """A name the taxonomy also keeps in Urdu (a category, a province…), made where no language is
    chosen: it reads as its English and is shown in the reader's language, as a Phrase is."""

    def __new__(cls, english: str, kind: str, key):
        name = super().__new__(cls, english)
        name.kind, name.key = kind, key
        return name

    def restyled(self, english: str) -> "Name":
        """The same name written otherwise in English ("display modules" inside a sentence)."""
        return Name(english, self.kind, self.key)

    def translated(self) -> str:
        from portal.taxonomy.names import local_name

        return local_name(self.kind, self.key, str(self))


class Joined(str):
    """Phrases read one after another (a list of problems), each in the reader's language."""

    def __new__(cls, parts, separator: str = " "):
        parts = [part if isinstance(part, Phrase | Name | Joined) else Phrase(part) for part in parts]
        joined = super().__new__(cls, separator.join(parts))
        joined.parts, joined.separator = parts, separator
        return joined

    def translated(self) -> str:
        return self.separator.join(part.translated() for part in self.parts)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.translated()))


def translated(text) -> str:
    """A Phrase, Name or Joined in the reader's language; anything else as it is."""
    return text.translated() if isinstance(text, Phrase | Name | Joined) else text


class Refusal(ValueError):
    """A rule said no. Raised with its message marked `N_(...)` and the message's values; read
    (`str(error)`) in the language of whoever reads it, so services never need the reader's locale.
    Every domain's refusal derives from it."""

    def __init__(self, message: str, **values):
        super().__init__(message)
        self.message, self.values = message, values

    @classmethod
    def of_all(cls, problems) -> "Refusal":
        """One refusal naming several problems (each an `N_` message or a Phrase), read one after
        another in the reader's language."""
        return cls(Joined(problems))

    def __str__(self) -> str:
        if isinstance(self.message, Joined):
            return self.message.translated()
        return Phrase(self.message, **self.values).translated()


def is_language(code) -> bool:
    return isinstance(code, str) and code in current_app.config["LANGUAGES"]


def page_language() -> str:
    """The language of the page being served: the account's choice, else the one chosen in this
    browser session, else the best of the browser's Accept-Language, else the default. An API call
    names its language per call: its Accept-Language first, then the token owner's choice."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    from portal.errors import wants_json

    asked = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    if asked and wants_json():
        return asked
    user = current_user._get_current_object() if current_user else None
    if user is not None and user.is_authenticated and is_language(getattr(user, "language", None)):
        return user.language
    if is_language(session.get(SESSION_KEY)):
        return session[SESSION_KEY]
    return asked or default


def language_of(person) -> str:
    """The language to write to `person` in: their choice, else the portal's default."""
    code = getattr(person, "language", None)
    return code if is_language(code) else current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def speaking_to(person):
    """Translate what the block writes into `person`'s language (an e-mail, a notice)."""
    with force_locale(language_of(person)):
        yield


def in_language_of(person, text) -> str:
    """`text` for `person`: a callable is called, a lazy string rendered, in their language."""
    with speaking_to(person):
        return str(text() if callable(text) else text)


def language_option(command):
    """`--language ur` (or `PORTAL_LANGUAGE=ur`) on a command: it writes what people read (reports,
    summaries) in that language; commands otherwise speak the portal's default."""

    @click.option(
        "--language",
        envvar="PORTAL_LANGUAGE",
        metavar="CODE",
        help="Language of the report: en or ur (default: the portal's; PORTAL_LANGUAGE sets it too).",
    )
    @wraps(command)
    def speaking(*args, language: str | None, **kwargs):
        if language and not is_language(language):
            choices = ", ".join(current_app.config["LANGUAGES"])
            raise click.BadParameter(f"'{language}' is not one of the portal's languages ({choices})")
        with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
            return command(*args, **kwargs)

    return speaking
