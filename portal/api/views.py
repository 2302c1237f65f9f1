"""API endpoints; they call the same services as the pages."""

from flask import Blueprint, jsonify
from sqlalchemy import select

from portal.extensions import csrf, db
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
