"""What the index knows about a firm: its words, and the facts that filters and facets read.

Only public firms (verified, not suspended) are indexed, so no query can return a hidden one.
Certificates are stored with their expiry date and judged valid at query time, because a
certificate expires without anything in the database changing.
"""

import hashlib
import json

from whoosh import fields

from portal.search.analysis import industry_analyzer, plain_analyzer
from portal.suppliers.models import Firm, ReviewStatus

# Relevance weights (BM25F): a match in the name or in what the firm makes counts more than one
# in the general description.
FIELD_WEIGHTS = {"name": 3.0, "capabilities": 2.0, "description": 1.0, "city": 1.0}


def build_schema() -> fields.Schema:
    text = industry_analyzer()
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        firm=fields.NUMERIC(sortable=True, bits=64),
        name=fields.TEXT(analyzer=text, stored=True),
        capabilities=fields.TEXT(analyzer=text, stored=True, chars=True),
        description=fields.TEXT(analyzer=text, stored=True, chars=True),
        city=fields.TEXT(analyzer=text),
        spelling=fields.TEXT(analyzer=plain_analyzer(), spelling=True, phrase=False),
        # Columns for filters, facets and sorting, read in bulk per index generation.
        province=fields.ID(sortable=True),
        categories=fields.ID(sortable=True),
        capacities=fields.ID(sortable=True),
        certificates=fields.ID(sortable=True),
        markets=fields.ID(sortable=True),
        sort_name=fields.ID(sortable=True),
        verified=fields.NUMERIC(sortable=True, bits=64),
        digest=fields.ID(stored=True),
    )


def firm_document(firm: Firm) -> dict:
    """The index document of a public firm (callers index only firms with `is_public`)."""
    capabilities = [c for c in firm.capabilities if c.review_status == ReviewStatus.VERIFIED]
    capability_text = "\n".join(
        " ".join(
            part
            for part in (
                c.category.name,
                ", ".join(p.name for p in c.processes),
                c.equipment,
                c.materials,
                c.notes,
            )
            if part
        )
        for c in capabilities
    )
    certificates = sorted(
        f"{c.type_slug}:{c.expiry_date.isoformat()}"
        for c in firm.certificates
        if c.review_status == ReviewStatus.VERIFIED and c.expiry_date is not None
    )
    document = {
        "key": str(firm.id),
        "firm": firm.id,
        "name": " ".join(dict.fromkeys(n for n in (firm.trade_name, firm.legal_name) if n)),
        "capabilities": capability_text,
        "description": firm.description or "",
        "city": firm.city,
        "province": firm.province,
        "categories": " ".join(sorted(c.category_slug for c in capabilities)),
        "capacities": " ".join(sorted(f"{c.category_slug}:{c.monthly_capacity or 0}" for c in capabilities)),
        "certificates": " ".join(certificates),
        "markets": "|".join(sorted(firm.export_markets or [])),
        "sort_name": (firm.trade_name or firm.legal_name).lower(),
        "verified": int(firm.verified_at.timestamp()) if firm.verified_at else 0,
    }
    document["spelling"] = " ".join((document["name"], capability_text, document["description"], firm.city))
    document["digest"] = document_digest(document)
    return document


def document_digest(document: dict) -> str:
    """A fingerprint of everything indexed, so `check` can tell a stale entry from a current one."""
    content = {k: v for k, v in document.items() if k not in ("digest", "spelling")}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
