"""Each API operation declares once what it takes and answers; the same declarations check every
request and write the OpenAPI document, so the document cannot drift away from the code.

A view is wrapped by `operation(...)`: it names the success schema (from `schemas.COMPONENTS`),
the roles whose tokens may call it, its query parameters and its JSON body. A body is read through
the page's own WTForms form (`FormBody`), and its JSON Schema is derived from that form's fields
and validators, so a rule such as "at most 200 characters" lives in the form alone.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnprocessableEntity, UnsupportedMediaType
from werkzeug.routing import IntegerConverter
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.accounts.models import Role
from portal.api.auth import require_token
from portal.api.schemas import COMPONENTS
from portal.formatting import format_number

Schema = dict[str, Any]

PREFIX = "/api/"
MAX_ID = 2**31 - 1
NO_NUL = "^[^\\u0000]*$"  # PostgreSQL cannot store the NUL character in text


class IdConverter(IntegerConverter):
    """A database id in a URL (`<id:need_id>`): 1 to 2**31 - 1; anything else is no match, so a 404."""

    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


class Invalid(UnprocessableEntity):
    """422 with a message per field (or query parameter) that is not valid."""

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or _("Some fields are not valid; see error.fields."))
        self.fields = fields


# --- checking values against the part of JSON Schema the API uses ---------------------------------


def _is_whole(value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def type_problem(schema: Schema, value) -> str | None:
    """How `value` is not even of the schema's kind (text, whole number, date, list); None if it is."""
    kind = schema.get("type")
    if kind == "integer" and not _is_whole(value):
        return _("Give a whole number.")
    if kind == "string" and not isinstance(value, str):
        return _("Give text.")
    if kind == "string" and schema.get("format") == "date" and not _is_date(value):
        return _("Give a date as YYYY-MM-DD.")
    if kind == "array":
        if not isinstance(value, list):
            return _("Give a list.")
        for number, item in enumerate(value, 1):
            if found := type_problem(schema["items"], item):
                return _("Item %(number)s: %(problem)s", number=number, problem=found)
    return None


def problem(schema: Schema, value) -> str | None:
    """The first way `value` breaks `schema`, in words; None when it fits."""
    if found := type_problem(schema, value):
        return found
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        return _("Give a whole number from %(low)s to %(high)s.", low=_bound(low), high=_bound(high))
    if "enum" in schema and value not in schema["enum"]:
        return _("Choose one of: %(values)s.", values=", ".join(schema["enum"]))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return _("This field is required.")
        if len(value) > schema.get("maxLength", len(value)):
            return _("At most %(count)s characters.", count=format_number(schema["maxLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):  # NO_NUL, the only pattern used
            return _("Text may not contain the NUL character.")
    if schema.get("type") == "array":
        for number, item in enumerate(value, 1):
            if found := problem(schema["items"], item):
                return _("Item %(number)s: %(problem)s", number=number, problem=found)
    return None


def _bound(number: int | None) -> str:
    return "…" if number is None else f"{number:,}"


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def object_problems(schema: Schema, payload) -> dict[str, str]:
    """A message per property of `payload` that breaks the object `schema` (unknown ones included)."""
    if not isinstance(payload, dict):
        raise Invalid({}, _("Send a JSON object."))
    properties = schema["properties"]
    found = {name: _("Unknown field.") for name in payload if name not in properties}
    found |= {name: _("This field is required.") for name in schema["required"] if name not in payload}
    for name, value in payload.items():
        if name in properties and (message := problem(properties[name], value)):
            found[name] = message
    return found


# --- what an operation takes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A query parameter; `schema` may be a function when its values come from the database."""

    name: str
    description: str
    schema: Schema | Callable[[], Schema]

    def resolved(self) -> Schema:
        return self.schema() if callable(self.schema) else self.schema

    def read(self, raw: str | None):
        """(value, problem) for the raw query-string value; the default when it is absent."""
        schema = self.resolved()
        if raw is None:
            return schema.get("default"), None
        value = raw
        if schema["type"] == "boolean":
            if raw.lower() not in BOOLEAN_WORDS:
                return None, _("Give true or false.")
            return BOOLEAN_WORDS[raw.lower()], None
        if schema["type"] == "integer":
            if not re.fullmatch(r"-?[0-9]{1,19}", raw):
                return None, _("Give a whole number.")
            value = int(raw)
        return value, problem(schema, value)


BOOLEAN_WORDS = {"true": True, "1": True, "false": False, "0": False}


def read_query(params: tuple[Query, ...], args) -> dict:
    values, problems = {}, {}
    for param in params:
        values[param.name], message = param.read(args.get(param.name))
        if message:
            problems[param.name] = message
    if problems:
        raise Invalid(problems, _("Some query parameters are not valid; see error.fields."))
    return values


def field_schema(field) -> tuple[Schema, bool]:
    """(JSON Schema, required) for a WTForms field, read from its type, choices and validators."""
    required = any(isinstance(v, DataRequired | InputRequired) for v in field.validators)
    if isinstance(field, SelectMultipleField):
        schema = {"type": "array", "items": {"type": "string", "enum": _choices(field)}}
    elif isinstance(field, SelectField):
        schema = {"type": "string", "enum": _choices(field)}
    elif isinstance(field, IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, StringField):
        schema = {"type": "string", "minLength": 1 if required else 0, "pattern": NO_NUL}
    else:
        raise TypeError(f"no JSON form for {type(field).__name__} {field.name}")
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max >= 0:
            schema["maxLength"] = validator.max
        elif isinstance(validator, NumberRange):
            bounds = {"minimum": validator.min, "maximum": validator.max}
            schema |= {key: value for key, value in bounds.items() if value is not None}
    description = str(field.label.text) + (f". {field.description}" if field.description else ".")
    return {**schema, "description": description}, required


def _choices(field) -> list[str]:
    return [choice.value for choice in field.iter_choices() if choice.value != ""]


@dataclass(frozen=True)
class FormBody:
    """A JSON body read through a page's WTForms form, so the API keeps every rule the page has."""

    name: str  # of its schema in the document
    form_class: type
    fields: dict[str, str]  # JSON property: form field
    fixed: dict[str, str] = field(default_factory=dict)  # form fields the API does not take, and their value
    notes: dict[str, str] = field(default_factory=dict)  # rules JSON Schema cannot state, in words
    # properties that may be left out, and what the form gets instead (read from the whole body)
    defaults: dict[str, Callable[[dict], str]] = field(default_factory=dict)
    example: Callable[[], dict] | None = None

    def form(self, formdata=None):
        return self.form_class(formdata=formdata, meta={"csrf": False})

    def schema(self) -> Schema:
        form, properties, required = self.form(), {}, []
        for prop, name in self.fields.items():
            schema, needed = field_schema(form[name])
            if prop in self.notes:
                schema["description"] += " " + self.notes[prop]
            properties[prop] = schema
            if needed and prop not in self.defaults:
                required.append(prop)
        return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}

    def read(self, payload):
        """The validated form; 422 naming each property the schema or the form refuses.

        The form's messages win where both speak (they are written for people); the schema's
        stand where the form has no rule, or where a value is not even of the right kind."""
        schema = self.schema()
        problems = object_problems(schema, payload)
        properties = schema["properties"]
        usable = {
            prop: value
            for prop, value in payload.items()
            if prop in properties and not type_problem(properties[prop], value)
        }
        formdata = MultiDict(self.fixed)
        # A default that cannot be worked out (from a refused category, say) raises no problem of its own.
        unstated = {prop for prop, default in self.defaults.items() if prop not in payload and not default(payload)}
        for prop, name in self.fields.items():
            if prop in usable:
                value = usable[prop]
                for item in value if isinstance(value, list) else [value]:
                    formdata.add(name, str(int(item)) if isinstance(item, float) else str(item))
            elif prop in self.defaults and prop not in payload:
                formdata.add(name, self.defaults[prop](payload) or "")
            elif properties[prop]["type"] != "array":
                formdata.add(name, "")  # what a browser sends for a field left empty
        form = self.form(formdata)
        form.validate()
        props = {name: prop for prop, name in self.fields.items()}
        for name, errors in form.errors.items():
            prop = props.get(name, name)
            if (prop in usable or prop not in payload) and prop not in unstated:
                problems[prop] = str(errors[0])
        if problems:
            raise Invalid(problems)
        return form


def read_json():
    """The request's JSON body: 415 when it is not JSON, 400 when it does not parse, 413 when too big."""
    if not request.is_json:
        raise UnsupportedMediaType(_("Send the body as JSON, with 'Content-Type: application/json'."))
    try:
        return request.get_json()
    except RecursionError as error:
        raise BadRequest(_("The JSON body is nested too deeply.")) from error


# --- operations -------------------------------------------------------------------------------------

ERROR_RESPONSES = {
    400: ("BadRequest", "The body is not well-formed JSON, or its text holds a lone surrogate such as `\\ud800`."),
    401: ("Unauthorized", "No API token, or one that is unknown or revoked."),
    403: ("Forbidden", "The token's account has a role that may not use this operation."),
    404: ("NotFound", "No such thing, or not one this account may see (the two are not told apart)."),
    409: ("Conflict", "Another change got there first; read again and retry."),
    413: ("PayloadTooLarge", "The body is larger than the API accepts."),
    415: ("UnsupportedMediaType", "The body is not sent as application/json."),
    422: ("Invalid", "Some fields or query parameters are not valid; `error.fields` says which and why."),
    429: ("TooManyRequests", "Over the rate limit; `Retry-After` says in how many seconds to try again."),
}
ERROR_HEADERS = {
    401: {"WWW-Authenticate": "`Bearer`, or `Bearer error=invalid_token` when a token was sent."},
    429: {"Retry-After": "Seconds until the limit lets calls through again."},
}


@dataclass(frozen=True)
class Operation:
    """What one view takes and answers; `describe` writes it as an OpenAPI operation."""

    response: str | None  # schema of the success body; None for a page (text/html)
    status: int = 200
    roles: tuple[Role, ...] | None = None  # None: anyone, with or without a token
    query: tuple[Query, ...] = ()
    body: FormBody | None = None
    headers: dict[str, str] = field(default_factory=dict)  # success headers: name, meaning
    verified_email: bool = False  # an act towards other people: the account's address must be confirmed

    def errors(self, rule) -> list[int]:
        found = {429}
        if self.roles is not None:
            found.add(401)
            if set(self.roles) != set(Role) or self.verified_email:
                found.add(403)
        if rule.arguments:
            found.add(404)
        if self.query or self.body:
            found.add(422)
        if self.body:
            found |= {400, 409, 413, 415}
        return sorted(found)

    def describe(self, rule, view, converters) -> Schema:
        summary, _sep, details = (inspect.getdoc(view) or "").partition("\n")
        paragraphs = [" ".join(p.split()) for p in details.split("\n\n") if p.strip()]
        if self.roles is not None:
            confirmed = " whose e-mail address is confirmed" if self.verified_email else ""
            paragraphs.append(
                f"Call with an API token of a {' or '.join(r.value for r in self.roles)} account{confirmed}."
            )
        success = {"description": summary}
        if self.response is None:
            success["content"] = {"text/html": {"schema": {"type": "string"}}}
        else:
            success["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{self.response}"}}}
        if self.headers:
            success["headers"] = {name: _header(text) for name, text in self.headers.items()}
        described = {
            "operationId": rule.endpoint.rpartition(".")[2],
            "summary": summary,
            "description": "\n\n".join(paragraphs),
            "parameters": _path_parameters(rule, converters) + [_query_parameter(p) for p in self.query],
            "responses": {
                str(self.status): success,
                **{
                    str(code): {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
                    for code in self.errors(rule)
                },
            },
            "security": [{"bearerAuth": []}] if self.roles is not None else [],
        }
        if self.body is not None:
            media = {"schema": {"$ref": f"#/components/schemas/{self.body.name}"}}
            if self.body.example:
                media["example"] = self.body.example()
            described["requestBody"] = {"required": True, "content": {"application/json": media}}
        return described


def operation(response: str | None, **declared):
    """Declare what the view takes and answers; calls it with `user`, `args` and `form` as declared."""
    spec = Operation(response, **declared)

    def decorator(view):
        @wraps(view)
        def checked(**path):
            given = {}
            if spec.roles is not None:
                given["user"] = require_token(spec.roles, verified_email=spec.verified_email)
            if spec.query:
                given["args"] = read_query(spec.query, request.args)
            if spec.body is not None:
                given["form"] = spec.body.read(read_json())
            return view(**path, **given)

        checked.operation = spec
        return checked

    return decorator


def _header(description: str) -> Schema:
    return {"description": description, "required": True, "schema": {"type": "string"}}


def _query_parameter(param: Query) -> Schema:
    return {
        "name": param.name,
        "in": "query",
        "required": False,
        "description": param.description,
        "schema": param.resolved(),
    }


_PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def openapi_path(rule) -> str:
    """'/api/v1/needs/<id:need_id>' as the document writes it: '/api/v1/needs/{need_id}'."""
    return _PLACEHOLDER.sub(r"{\g<name>}", rule.rule)


def _path_parameters(rule, converters) -> list[Schema]:
    return [
        {
            "name": match["name"],
            "in": "path",
            "required": True,
            "description": f"The {match['name'].removesuffix('_id')}'s id.",
            "schema": getattr(converters[match["converter"] or "default"], "schema", {"type": "string"}),
        }
        for match in _PLACEHOLDER.finditer(rule.rule)
    ]


def _operation_of(app, rule) -> Operation | None:
    return getattr(app.view_functions.get(rule.endpoint), "operation", None)


def undocumented_routes(app) -> list[str]:
    """API routes no operation declares: the document would leave them out."""
    return sorted(r.rule for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX) and not _operation_of(app, r))


def document(app, server: str, info: Schema) -> Schema:
    """The OpenAPI 3.1 document of every declared operation under /api/."""
    paths, bodies = {}, {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = _operation_of(app, rule) if rule.rule.startswith(PREFIX) else None
        if spec is None:
            continue
        if spec.body is not None:
            bodies[spec.body.name] = spec.body.schema()
        item = paths.setdefault(openapi_path(rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            item[method.lower()] = spec.describe(rule, app.view_functions[rule.endpoint], app.url_map.converters)
    responses = {}
    for code, (name, description) in ERROR_RESPONSES.items():
        responses[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if code in ERROR_HEADERS:
            responses[name]["headers"] = {header: _header(text) for header, text in ERROR_HEADERS[code].items()}
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {**COMPONENTS, **bodies},
            "responses": responses,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from the account's 'API tokens' page (or `flask create-token`).",
                }
            },
        },
    }
