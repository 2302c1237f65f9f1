"""API endpoints; they call the same services as the pages.

Every view declares what it takes and answers with `operation(...)`; the OpenAPI document at
/api/v1/openapi.json and the page at /api/v1/docs are written from those declarations.
"""

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal import search
from portal.accounts.models import Role
from portal.api import docs
from portal.api.auth import rate_limit_key
from portal.api.openapi import FormBody, IdConverter, Query, document, operation
from portal.api.schemas import BOOLEAN
from portal.errors import json_error
from portal.extensions import csrf, db, limiter
from portal.i18n import translated
from portal.needs import service as needs
from portal.needs.forms import CURRENCIES, NeedForm
from portal.needs.models import NeedVisibility
from portal.search import SearchParams
from portal.search.service import MAX_PER_PAGE
from portal.suppliers import directory
from portal.suppliers import service as suppliers
from portal.suppliers.forms import MAX_QUANTITY
from portal.suppliers.models import Firm, ReviewStatus
from portal.taxonomy import PROVINCES, category_choices, certification_choices
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import units_of, usual_unit
from portal.timeutil import as_utc, today

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=rate_limit_key)(bp)


@bp.before_request
def limit_body_size():
    request.max_content_length = current_app.config["API_MAX_CONTENT_LENGTH"]


PAGE = Query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1})
PER_PAGE = Query(
    "per_page",
    f"Results per page, 1 to {MAX_PER_PAGE}; more is refused with 422, not cut down.",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": directory.PER_PAGE},
)


def _slugs(choices) -> dict:
    return {"type": "string", "enum": [slug for slug, _name in choices()]}


def paged(items: list, args: dict) -> dict:
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": items[start : start + args["per_page"]],
        "total": len(items),
        "page": args["page"],
        "per_page": args["per_page"],
    }


def _in_words(reasons) -> list[str]:
    """A match's reasons in the caller's language (Accept-Language, else the token owner's)."""
    return [translated(reason) for reason in reasons]


def iso(moment) -> str | None:
    return as_utc(moment).isoformat() if moment else None


# --- the document -----------------------------------------------------------------------------------


def api_document() -> dict:
    info = {
        "title": "EDB Supplier Portal API",
        "version": "1",
        "description": (
            "Suppliers, sourcing needs and their matches, as JSON. Calls that act for an account take its "
            "API token as `Authorization: Bearer TOKEN` (tokens are made on the account's 'API tokens' page); "
            "a signed-in browser session does not count here.\n\n"
            f"Each token may make {current_app.config['API_RATE_LIMIT']} calls (without a token: each address); "
            "over that, 429 with `Retry-After`. Lists take `page` and `per_page` (at most "
            f"{MAX_PER_PAGE}) and say their `total`. Dates are ISO 8601 (`YYYY-MM-DD`, times in UTC). "
            "Errors are `{error: {code, message, fields?}}`."
        ),
    }
    return document(current_app, request.host_url.rstrip("/"), info)


@bp.get("/openapi.json")
@operation("OpenAPIDocument")
def openapi_document():
    """This API's OpenAPI 3.1 document, written from the code that serves it."""
    return jsonify(api_document())


@bp.get("/docs")
@operation(None)
def documentation():
    """The API's documentation for people, drawn from the OpenAPI document."""
    doc = api_document()
    return render_template(
        "api/docs.html", info=doc["info"], operations=docs.operations(doc), schemas=docs.schemas(doc)
    )


# --- taxonomy and suppliers -------------------------------------------------------------------------


@bp.get("/taxonomy")
@operation("Taxonomy")
def taxonomy():
    """Categories (with HS codes and phase), processes and certifications."""
    categories = db.session.scalars(select(ComponentCategory).order_by(ComponentCategory.slug))
    processes = db.session.scalars(select(Process).order_by(Process.slug))
    certifications = db.session.scalars(select(CertificationType).order_by(CertificationType.slug))
    return jsonify(
        categories=[
            {
                "slug": c.slug,
                "name": c.name,
                "group": c.group,
                "hs_code": c.hs_code,
                "phase": c.phase,
                "synonyms": c.synonym_list,
                "units": [{"slug": u.slug, "name": u.name, "symbol": u.symbol} for u in units_of(c.slug)],
            }
            for c in categories
        ],
        processes=[{"slug": p.slug, "name": p.name, "synonyms": p.synonym_list} for p in processes],
        certifications=[{"slug": c.slug, "name": c.name, "kind": c.kind} for c in certifications],
    )


def firm_summary(firm) -> dict:
    return {
        "id": firm.id,
        "name": firm.display_name,
        "legal_name": firm.legal_name,
        "city": firm.city,
        "province": firm.province,
        "url": url_for("suppliers.profile", firm_id=firm.id, slug=firm.slug, _external=True),
        "categories": [c.category_slug for c in directory.public_capabilities(firm)],
        "verified_at": iso(firm.verified_at),
    }


SUPPLIER_QUERY = (
    Query(
        "q",
        "Words to look for in names, descriptions and capabilities (the technical thesaurus widens them).",
        {"type": "string", "maxLength": directory.MAX_QUERY_LENGTH},
    ),
    Query(
        "category",
        "Only firms making this component category (a slug from /taxonomy).",
        lambda: _slugs(category_choices),
    ),
    Query("province", "Only firms in this province or territory.", {"type": "string", "enum": list(PROVINCES)}),
    Query(
        "certification",
        "Only firms holding this certification, verified and valid today (a slug from /taxonomy).",
        lambda: _slugs(certification_choices),
    ),
    Query(
        "min_capacity",
        "Only firms making at least this many units a month (in `category`, when given).",
        {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY},
    ),
    Query(
        "as_typed",
        "Search the words exactly as typed, without correcting their spelling.",
        {**BOOLEAN, "default": False},
    ),
    PAGE,
    PER_PAGE,
)


@bp.get("/suppliers")
@operation("SupplierList", query=SUPPLIER_QUERY)
def supplier_list(args):
    """Verified, unsuspended firms matching the words and filters, with facet counts.

    Best match first when `q` is given, otherwise by name."""
    params = SearchParams(**{name: value for name, value in args.items() if value is not None}, snippets=False)
    result = search.search(params)
    firms = {f.id: f for f in directory.public_firms([hit.firm_id for hit in result.hits])}
    items = [{**firm_summary(firms[hit.firm_id]), "score": hit.score} for hit in result.hits if hit.firm_id in firms]
    return jsonify(
        items=items,
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        facets=result.facets,
        suggestion=result.suggestion,
        corrected_query=result.corrected_query,
        dropped_terms=result.dropped_terms,
        complete=result.complete,
    )


@bp.get("/suppliers/<id:firm_id>")
@operation("Supplier")
def supplier(firm_id):
    """One public firm with its verified capabilities and certificates (with expiry and validity)."""
    firm = db.session.get(Firm, firm_id)
    if firm is None or not firm.is_public:
        return json_error(404, _("No public supplier has this id."))
    return jsonify(
        {
            **firm_summary(firm),
            "trade_name": firm.trade_name,
            "description": firm.description,
            "website": firm.website,
            "year_founded": firm.year_founded,
            "employees": firm.employees,
            "export_markets": firm.export_markets,
            "capabilities": [
                {
                    "category": c.category_slug,
                    "category_name": c.category.name,
                    "hs_code": c.category.hs_code,
                    "monthly_capacity": c.monthly_capacity,
                    "capacity_unit": c.capacity_unit,
                    "board_area_mm2": c.board_area_mm2,
                    "min_order_quantity": c.min_order_quantity,
                    "lead_time_days": c.lead_time_days,
                    "processes": [p.slug for p in c.processes],
                    "equipment": c.equipment,
                    "materials": c.materials,
                    "main_line": c.is_main_line,
                }
                for c in directory.public_capabilities(firm)
            ],
            "certifications": [
                {
                    "type": c.type_slug,
                    "name": c.type.name,
                    "number": c.number,
                    "issuing_body": c.issuing_body,
                    "expires_on": c.expiry_date.isoformat() if c.expiry_date else None,
                    "valid": c.is_valid_on(),
                }
                for c in firm.certificates
                if c.review_status == ReviewStatus.VERIFIED
            ],
        }
    )


@bp.get("/suppliers/<id:firm_id>/opportunities")
@operation("OpportunityList", roles=(Role.SUPPLIER, Role.STAFF), query=(PAGE, PER_PAGE))
def supplier_opportunities(firm_id, user, args):
    """Open sourcing needs the firm qualifies for, best match first.

    For the firm's own people and for staff; to anyone else the firm answers 404. Only a verified,
    unsuspended listing qualifies, with the capabilities and certificates EDB verified."""
    firm = suppliers.firm_for_member(firm_id, user, staff_too=True)
    found = [
        {"need": need_json(need), "score": match.score, "reasons": _in_words(match.reasons)}
        for need, match in needs.opportunities_for(firm)
    ]
    return jsonify(paged(found, args))


# --- sourcing needs ---------------------------------------------------------------------------------


def need_json(need) -> dict:
    return {
        "id": need.id,
        "title": need.title,
        "category": need.category_slug,
        "description": need.description,
        "quantity_per_month": need.quantity_per_month,
        "quantity_unit": need.quantity_unit,
        "required_certifications": [c.slug for c in need.required_certifications],
        "processes": [p.slug for p in need.processes],
        "deadline": need.deadline.isoformat(),
        "province": need.delivery_province,
        "status": need.status.value,
        "visibility": need.visibility.value,
        "organisation": need.organisation,
        "created_at": iso(need.created_at),
        "updated_at": iso(need.updated_at),
        "url": url_for("needs.show", need_id=need.id, _external=True),
    }


def _need_example() -> dict:
    return {
        "title": "20 W USB-C chargers for a feature phone",
        "category": "charger",
        "description": "PD 3.0 wall chargers, 100-240 V, EU and UK plugs; 12-month warranty.",
        "quantity_per_month": 50000,
        "quantity_unit": "pieces",
        "required_certifications": ["iso-9001"],
        "processes": [],
        "deadline": (today() + timedelta(days=30)).isoformat(),
        "province": "Punjab",
    }


NEED_BODY = FormBody(
    "NewNeed",
    NeedForm,
    fields={
        "title": "title",
        "category": "category",
        "description": "description",
        "quantity_per_month": "quantity_per_month",
        "quantity_unit": "quantity_unit",
        "required_certifications": "certifications",
        "processes": "processes",
        "deadline": "deadline",
        "province": "delivery_province",
    },
    fixed={"currency": CURRENCIES[0], "visibility": NeedVisibility.OPEN.value},
    notes={
        "deadline": "It must be after today.",
        "province": "Leave it out for anywhere in Pakistan.",
        "title": "Not only spaces.",
        "description": "Not only spaces.",
        "quantity_unit": "One of the category's units (`units` in /api/v1/taxonomy); left out, the category's usual "
        "unit, its first.",
    },
    defaults={"quantity_unit": lambda body: usual_unit(str(body.get("category") or ""))},
    example=_need_example,
)


@bp.post("/needs")
@operation(
    "Need",
    status=201,
    roles=(Role.BRAND,),
    verified_email=True,
    body=NEED_BODY,
    headers={"Location": "The new need's address in this API."},
)
def create_need(user, form):
    """Create a sourcing need, as a draft.

    The same rules apply as on the portal's form. The need is saved as a draft: its owner can read it
    and its matches at once, and publishes it on its page on the portal (`url`) for suppliers to see."""
    need = needs.create_need(user, form.need_data())
    response = jsonify(need_json(need))
    response.headers["Location"] = url_for("api.need", need_id=need.id, _external=True)
    return response, 201


@bp.get("/needs/<id:need_id>")
@operation("Need", roles=(Role.BRAND, Role.SUPPLIER, Role.STAFF))
def need(need_id, user):
    """One sourcing need.

    Its owner and staff see it always; once it is published, suppliers whose firm it invited or
    that quoted on it, and, while an open-to-all need takes quotes, those whose verified firm makes
    its category. To anyone else it answers 404, as for a need that does not exist."""
    return jsonify(need_json(needs.need_for(need_id, user)))


LIMIT = Query(
    "limit",
    f"How many matches to return, 1 to {MAX_PER_PAGE}.",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": directory.PER_PAGE},
)


@bp.get("/needs/<id:need_id>/matches")
@operation("MatchList", roles=(Role.BRAND, Role.STAFF), query=(LIMIT,))
def need_matches(need_id, user, args):
    """The suppliers that meet every hard rule of the need, best first, with the reasons in words.

    For the need's owner and staff, drafts included; to anyone else the need answers 404."""
    matches, _near_misses = needs.matches_for(needs.need_for(need_id, user))
    return jsonify(
        items=[
            {"supplier_id": m.firm_id, "name": m.name, "score": m.score, "reasons": _in_words(m.reasons)}
            for m in matches[: args["limit"]]
        ],
        total=len(matches),
        limit=args["limit"],
    )
