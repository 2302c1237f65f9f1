"""The shapes the API answers with, as JSON Schema: the OpenAPI document publishes them and the
tests hold every response to them."""

from portal.errors import ERROR_CODES
from portal.needs.models import NeedStatus, NeedVisibility
from portal.search.service import MAX_PER_PAGE

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
STRINGS = {"type": "array", "items": STRING}
WORDS = "Why the firm fits, in words, in the caller's language (Accept-Language, else the token owner's)."


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def record(properties: dict, description: str = "", optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all present unless named optional."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    return {**schema, "description": description} if description else schema


def page_of(item: str, description: str) -> dict:
    return record(
        {
            "items": {"type": "array", "items": ref(item)},
            "total": {**INTEGER, "description": "How many there are in all pages together."},
            "page": INTEGER,
            "per_page": {**INTEGER, "maximum": MAX_PER_PAGE},
        },
        description,
    )


SUPPLIER_SUMMARY = {
    "id": INTEGER,
    "name": {**STRING, "description": "The trade name, or the legal name when there is none."},
    "legal_name": STRING,
    "city": STRING,
    "province": STRING,
    "url": {**URL, "description": "The firm's public page on the portal."},
    "categories": {**STRINGS, "description": "Slugs of the component categories EDB verified."},
    "verified_at": nullable(DATE_TIME),
}

NEED = record(
    {
        "id": INTEGER,
        "title": STRING,
        "category": {**STRING, "description": "Component category slug."},
        "description": STRING,
        "quantity_per_month": INTEGER,
        "quantity_unit": {
            **nullable(STRING),
            "description": "One of the category's units; null only if the category no longer lists it.",
        },
        "required_certifications": {**STRINGS, "description": "Certification slugs a supplier must hold, valid."},
        "processes": {**STRINGS, "description": "Process slugs the need asks for."},
        "deadline": {**DATE, "description": "Quotes are due by this day."},
        "province": {**nullable(STRING), "description": "Delivery province; null means anywhere in Pakistan."},
        "status": {**STRING, "enum": [s.value for s in NeedStatus]},
        "visibility": {**STRING, "enum": [v.value for v in NeedVisibility]},
        "organisation": STRING,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
        "url": {**URL, "description": "The need's page on the portal."},
    },
    "A brand's sourcing need.",
)

COMPONENTS = {
    "Error": record(
        {
            "error": record(
                {
                    "code": {**STRING, "enum": sorted(set(ERROR_CODES.values()))},
                    "message": {**STRING, "description": "What went wrong, for people."},
                    "fields": {
                        "type": "object",
                        "additionalProperties": STRING,
                        "description": "For 422: a message per field or query parameter that is not valid.",
                    },
                },
                optional=("fields",),
            )
        },
        "Every error answers with this shape.",
    ),
    "Taxonomy": record(
        {
            "categories": {
                "type": "array",
                "items": record(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "group": STRING,
                        "hs_code": nullable(STRING),
                        "phase": {**INTEGER, "description": "Localization phase of the policy (1 to 3)."},
                        "synonyms": STRINGS,
                        "units": {
                            "type": "array",
                            "items": record({"slug": STRING, "name": STRING, "symbol": STRING}),
                            "description": "What capacity and quantities of the category are counted in; the "
                            "first is the usual one.",
                        },
                    }
                ),
            },
            "processes": {"type": "array", "items": record({"slug": STRING, "name": STRING, "synonyms": STRINGS})},
            "certifications": {"type": "array", "items": record({"slug": STRING, "name": STRING, "kind": STRING})},
        },
        "Component categories, processes and certifications: the slugs other calls take.",
    ),
    "SupplierHit": record(
        {**SUPPLIER_SUMMARY, "score": {**nullable(NUMBER), "description": "Relevance to `q`; null without words."}},
        "A supplier found by a search.",
    ),
    "SupplierList": record(
        {
            **page_of("SupplierHit", "")["properties"],
            "facets": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": INTEGER},
                "description": "For each facet (category, province, certification, ...): firms found per value.",
            },
            "suggestion": {**nullable(STRING), "description": "A spelling to try when nothing was found."},
            "corrected_query": {
                **nullable(STRING),
                "description": "The query as corrected when words no firm wrote were corrected to find these "
                "items; null when the words were searched as typed. Send `as_typed=true` to search them as typed.",
            },
            "dropped_terms": {
                "type": "array",
                "items": STRING,
                "description": "Words of `q` that no firm among the best matches has: no firm has every word, "
                "so firms having most of them come first.",
            },
            "complete": {
                **nullable(INTEGER),
                "description": "How many firms have every part of `q` (words, certificates, places, quantities); "
                "null without `q`. They come first; firms having part of it follow.",
            },
        },
        "One page of verified, unsuspended suppliers, with facet counts.",
    ),
    "Supplier": record(
        {
            **SUPPLIER_SUMMARY,
            "trade_name": STRING,
            "description": STRING,
            "website": STRING,
            "year_founded": nullable(INTEGER),
            "employees": nullable(INTEGER),
            "export_markets": STRINGS,
            "capabilities": {
                "type": "array",
                "items": record(
                    {
                        "category": STRING,
                        "category_name": STRING,
                        "hs_code": nullable(STRING),
                        "monthly_capacity": INTEGER,
                        "capacity_unit": {
                            **nullable(STRING),
                            "description": "One of the category's units; null while the firm has to choose one.",
                        },
                        "board_area_mm2": {
                            **nullable(INTEGER),
                            "description": "Area of one board, given by the firm: m² of panel convert to boards.",
                        },
                        "min_order_quantity": nullable(INTEGER),
                        "lead_time_days": nullable(INTEGER),
                        "processes": STRINGS,
                        "equipment": STRING,
                        "materials": STRING,
                        "main_line": BOOLEAN,
                    }
                ),
                "description": "The capabilities EDB verified.",
            },
            "certifications": {
                "type": "array",
                "items": record(
                    {
                        "type": STRING,
                        "name": STRING,
                        "number": STRING,
                        "issuing_body": STRING,
                        "expires_on": nullable(DATE),
                        "valid": {**BOOLEAN, "description": "Verified and not expired today."},
                    }
                ),
                "description": "The certificates EDB verified, with their expiry.",
            },
        },
        "One verified, unsuspended supplier.",
    ),
    "Need": NEED,
    "Match": record(
        {
            "supplier_id": INTEGER,
            "name": STRING,
            "score": {**NUMBER, "description": "Points out of 100."},
            "reasons": {**STRINGS, "description": WORDS},
        },
        "A supplier that meets every hard rule of the need.",
    ),
    "MatchList": record(
        {
            "items": {"type": "array", "items": ref("Match")},
            "total": {**INTEGER, "description": "How many suppliers match, before `limit`."},
            "limit": INTEGER,
        },
        "Matching suppliers, best first.",
    ),
    "Opportunity": record(
        {
            "need": ref("Need"),
            "score": {**NUMBER, "description": "How well the firm fits, in points out of 100."},
            "reasons": {**STRINGS, "description": WORDS},
        },
        "An open need the firm qualifies for.",
    ),
    "OpportunityList": page_of("Opportunity", "Open needs the firm qualifies for, best match first."),
    "OpenAPIDocument": {
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "description": "This document (OpenAPI 3.1).",
    },
}
