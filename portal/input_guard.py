"""Refuse, before any view runs, input that no database column can hold.

PostgreSQL text cannot contain the NUL character (0x00): a form field, query parameter or JSON
string carrying one would fail the INSERT and answer 500. No person types it, so the request is
refused with 400 in one place instead of in every form. The API refuses it through its own
schema instead, naming the field.
"""

from flask import Flask, abort, request

NUL = "\x00"


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _refuse_nul_characters():
    if request.path.startswith("/api/"):
        return  # the API checks its input against its document, with a message per field (422)
    fields = (*request.args.lists(), *request.form.lists())
    if any(_holds_nul(name) or _holds_nul(values) for name, values in fields) or any(
        _holds_nul(upload.filename or "") for upload in request.files.values()
    ):
        abort(400, description="The request holds a NUL character, which cannot be stored.")
    if request.is_json and _holds_nul(request.get_json(silent=True)):
        abort(400, description="The JSON body holds a NUL character (\\u0000), which cannot be stored.")


def register(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
