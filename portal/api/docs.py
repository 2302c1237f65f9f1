"""The OpenAPI document put into words and tables for the docs page (no JavaScript needed)."""

import json
import re
from dataclasses import dataclass

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
MAX_LISTED = 12  # longer lists of allowed values are left to /taxonomy


@dataclass(frozen=True)
class Row:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    schema: str | None


@dataclass(frozen=True)
class OperationDoc:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    token_required: bool
    parameters: list[Row]
    body: list[Row]
    body_schema: str | None
    responses: list[Response]
    curl: str


def _ref_name(schema: dict) -> str | None:
    return schema["$ref"].rpartition("/")[2] if "$ref" in schema else None


def _number(value) -> str:
    return "…" if value is None else f"{value:,}"


def type_text(schema: dict) -> str:
    """A schema in a few words: 'integer, 1 to 100, default 20'."""
    if name := _ref_name(schema):
        return name
    kinds = schema.get("type", "object")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    words = [" or ".join(kinds)]
    if "array" in kinds:
        words = [f"array of {type_text(schema.get('items', {}))}"]
    if "properties" in schema:
        words.append("with " + ", ".join(schema["properties"]))
    if "enum" in schema:
        values = schema["enum"]
        shown = ", ".join(values[:MAX_LISTED]) + (f" … ({len(values)} in all)" if len(values) > MAX_LISTED else "")
        words.append(f"one of: {shown}")
    if "format" in schema:
        words.append(schema["format"])
    if "minimum" in schema or "maximum" in schema:
        words.append(f"{_number(schema.get('minimum'))} to {_number(schema.get('maximum'))}")
    if "maxLength" in schema:
        words.append(f"at most {schema['maxLength']:,} characters")
    if "default" in schema:
        words.append(f"default {schema['default']}")
    return ", ".join(words)


def rows(schema: dict) -> list[Row]:
    required = set(schema.get("required", ()))
    return [
        Row(name, type_text(prop), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _curl(server: str, method: str, path: str, operation: dict) -> str:
    url = server + re.sub(r"\{\w+\}", "1", path)
    parts = ["curl"] + ([f"-X {method.upper()}"] if method != "get" else [])
    if operation.get("security"):
        parts.append('-H "Authorization: Bearer $TOKEN"')
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if media and "example" in media:
        body = json.dumps(media["example"], ensure_ascii=False).replace("'", "'\\''")
        parts += ['-H "Content-Type: application/json"', f"-d '{body}'"]
    return " ".join(parts + [f"'{url}'"])


def operations(doc: dict) -> list[OperationDoc]:
    server = doc["servers"][0]["url"]
    found = []
    for path, item in doc["paths"].items():
        for method in sorted(item, key=METHOD_ORDER.index):
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for status, response in operation["responses"].items():
                if name := _ref_name(response):
                    response = doc["components"]["responses"][name]
                content = response.get("content", {})
                schema = next(iter(content.values()), {}).get("schema", {})
                responses.append(Response(status, response["description"], _ref_name(schema)))
            found.append(
                OperationDoc(
                    method=method.upper(),
                    path=path,
                    anchor=operation["operationId"],
                    summary=operation["summary"],
                    description=operation["description"],
                    token_required=bool(operation["security"]),
                    parameters=[
                        Row(p["name"], type_text(p["schema"]), p["required"], p.get("description", ""))
                        for p in operation["parameters"]
                    ],
                    body=rows(doc["components"]["schemas"][_ref_name(body)]) if body else [],
                    body_schema=_ref_name(body) if body else None,
                    responses=responses,
                    curl=_curl(server, method, path, operation),
                )
            )
    return found


def schemas(doc: dict) -> list[tuple[str, str, list[Row]]]:
    """(name, description, rows) for every schema the operations answer with or take."""
    return [(name, s.get("description", ""), rows(s)) for name, s in doc["components"]["schemas"].items()]
