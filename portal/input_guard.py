r"""Refuse, or read as absent, input that no database column can hold, before any view sees it.

PostgreSQL text cannot contain the NUL character (0x00): a form field, query parameter or JSON
string carrying one would fail the INSERT and answer 500. No person types it, so the request is
refused with 400 in one place instead of in every form. The API refuses it through its own
schema instead, naming the field.

Every request is a `PortalRequest`, so what any view reads is already bounded:
- `request.args.get(name, type=int)` (and `type=date.fromisoformat`) gives the default for a
  number beyond the row-id range or a date without a day on either side of it, as it does for
  text that is no number, so no query can overflow an integer column, an OFFSET or a date sum;
- a JSON body holding a lone surrogate (`"\ud800"`, half of a character no encoder can write)
  is refused with 400 wherever it is read, the API included.
"""

import re
from datetime import date, datetime

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest

NUL = "\x00"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# A row id (and a page number) is a signed 32-bit integer, as the id columns are.
MAX_ROW_ID = 2**31 - 1
# A day on each side, so a filter may add or take one without leaving the calendar.
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)
_ABSENT = object()


def row_id(text: str | None) -> int | None:
    """The row id a text names (digits, 1 to MAX_ROW_ID), or None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ROW_ID else None


def storable(value) -> bool:
    """Whether a value parsed from a query string can go into a query as it is."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_ROW_ID - 1 <= value <= MAX_ROW_ID
    if isinstance(value, datetime):
        return FIRST_DAY <= value.date() <= LAST_DAY
    if isinstance(value, date):
        return FIRST_DAY <= value <= LAST_DAY
    return True


class BoundedArgs(ImmutableMultiDict):
    """Query and form arguments whose typed reads give the default for a value out of range."""

    def get(self, key, default=None, type=None):
        value = super().get(key, _ABSENT, type)
        if value is _ABSENT or (type is not None and not storable(value)):
            return default
        return value


def _holds(value, found) -> bool:
    if isinstance(value, str):
        return found(value)
    if isinstance(value, dict):
        return any(_holds(k, found) or _holds(v, found) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds(v, found) for v in value)
    return False


def _has_nul(text: str) -> bool:
    return NUL in text


def _has_lone_surrogate(text: str) -> bool:
    return LONE_SURROGATE.search(text) is not None


class PortalRequest(Request):
    parameter_storage_class = BoundedArgs

    def get_json(self, force=False, silent=False, cache=True):
        """The parsed body; a string with a lone surrogate is refused like malformed JSON."""
        value = super().get_json(force=force, silent=silent, cache=cache)
        if _holds(value, _has_lone_surrogate):
            if silent:
                return None
            raise BadRequest(
                "The JSON body holds a lone surrogate (such as \\ud800), half of a character that cannot be stored."
            )
        return value


def _refuse_nul_characters():
    if request.path.startswith("/api/"):
        return  # the API checks its input against its document, with a message per field (422)
    fields = (*request.args.lists(), *request.form.lists())
    if any(_holds(name, _has_nul) or _holds(values, _has_nul) for name, values in fields) or any(
        _has_nul(upload.filename or "") for upload in request.files.values()
    ):
        abort(400, description="The request holds a NUL character, which cannot be stored.")
    if request.is_json and _holds(request.get_json(silent=True), _has_nul):
        abort(400, description="The JSON body holds a NUL character (\\u0000), which cannot be stored.")


def register(app: Flask) -> None:
    app.request_class = PortalRequest
    app.before_request(_refuse_nul_characters)
