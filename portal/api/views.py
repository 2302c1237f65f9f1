"""API endpoints; they call the same services as the pages."""

from dataclasses import replace

from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import select

from portal import search
from portal.errors import json_error
from portal.extensions import csrf, db
from portal.suppliers import directory
from portal.suppliers.models import Firm, ReviewStatus
from portal.taxonomy.models import CertificationType, ComponentCategory, Process

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/taxonomy")
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
        "verified_at": firm.verified_at.isoformat() if firm.verified_at else None,
    }


@bp.get("/suppliers")
def suppliers():
    """Verified, unsuspended firms matching the words and filters, with facet counts."""
    params, problems = directory.search_params(request.args)
    if problems:
        return json_error(422, "Some query parameters are not valid.", fields=problems)
    result = search.search(replace(params, snippets=False))
    firms = {f.id: f for f in directory.public_firms([hit.firm_id for hit in result.hits])}
    items = [{**firm_summary(firms[hit.firm_id]), "score": hit.score} for hit in result.hits if hit.firm_id in firms]
    return jsonify(
        items=items,
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        facets=result.facets,
        suggestion=result.suggestion,
    )


@bp.get("/suppliers/<int:firm_id>")
def supplier(firm_id):
    """One public firm with its verified capabilities and certificates (with expiry and validity)."""
    firm = db.session.get(Firm, firm_id)
    if firm is None or not firm.is_public:
        return json_error(404, "No public supplier has this id.")
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
