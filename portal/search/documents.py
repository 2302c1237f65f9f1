"""What the index knows about a firm: its words, and the facts that filters and facets read.

Only public firms (verified, not suspended) are indexed, so no query can return a hidden one.
Certificates are stored with their expiry date and judged valid at query time, because a
certificate expires without anything in the database changing.
"""

import hashlib
import json
import re

from whoosh import columns, fields

from portal.search.analysis import MAX_REMEMBERED_STEMS, SPELLING, industry_analyzer, section
from portal.search.indexed_firms import IndexedFirm
from portal.search.quantities import stated_quantities

SPELLING_WORD = re.compile(r"[^\W\d_]{4,}")

# Relevance weights (BM25F): a match in the name or in what the firm makes counts more than one
# in the general description. BM25F adds each field's term frequency times its weight before
# saturating. The text is indexed once, in one field, each part opened by a section mark that
# tells the analyzer its weight; a term's stored frequency is the sum of those weights. One leaf
# per query term instead of one per field keeps phrase and thesaurus queries fast, and nothing is
# indexed twice.
FIELD_WEIGHTS = {"name": 3, "capabilities": 2, "description": 1, "city": 1}


def firm_texts(firm: IndexedFirm) -> dict[str, str]:
    """The searchable parts of a firm, in the words the firm wrote (also used for snippets)."""
    capabilities = [(c.category_name, c.processes, c.equipment, c.materials, c.notes) for c in firm.capabilities]
    return searchable_texts(firm.trade_name, firm.legal_name, firm.description, firm.city, capabilities)


def searchable_texts(trade_name, legal_name, description, city, capabilities) -> dict[str, str]:
    """The texts of `firm_texts` from plain values, for callers that read rows rather than objects.

    `capabilities` are (category name, process names, equipment, materials, notes) of the verified
    capabilities, in their order on the firm.
    """
    capability_text = "\n".join(
        # One readable line per capability ("Chargers: SMT, testing; 3 lines; ABS"), so a snippet
        # quotes a line rather than gluing the parts together.
        ": ".join(
            filter(None, (category, "; ".join(p for p in (", ".join(processes), equipment, materials, notes) if p)))
        )
        for category, processes, equipment, materials, notes in capabilities
    )
    return {
        "name": " ".join(dict.fromkeys(n for n in (trade_name, legal_name) if n)),
        "capabilities": capability_text,
        "description": description or "",
        "city": city,
    }


class IndustryText(fields.TEXT):
    """The searched text: stored with positions (for quoted phrases) as `fields.TEXT` stores it, its
    postings gathered by the analyzer in one pass instead of a Token per word through Whoosh's format.

    A rebuild holds every posting in memory until its segment is written: postings of one term share
    its bytes, and those at one position (most of them) share their encoded value.
    """

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str) or not hasattr(self.analyzer, "postings"):
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        return [
            (
                _shared(_TERMS, term, str.encode),
                len(positions),
                weight * boost,
                self._encoded(positions),
            )
            for term, (positions, weight) in self.analyzer.postings(value).items()
        ]

    def _encoded(self, positions: list[int]) -> bytes:
        if len(positions) > 1:
            return self.format.encode(positions)
        return _shared(_ONE_POSITION, positions[0], lambda position: self.format.encode([position]))


_TERMS: dict[str, bytes] = {}
_ONE_POSITION: dict[int, bytes] = {}


def _shared(kept: dict, key, make):
    """One object per key, so the postings a rebuild holds share it (at most MAX_REMEMBERED_STEMS kept)."""
    found = kept.get(key)
    if found is None:
        if len(kept) >= MAX_REMEMBERED_STEMS:
            kept.clear()
        found = kept[key] = make(key)
    return found


class TextColumn(fields.COLUMN):
    """A per-document text value read in bulk, never searched: no postings to write or merge."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")


class NumberColumn(fields.COLUMN):
    """A per-document 64-bit number read in bulk, never searched (a NUMERIC field would index it
    as sixteen prefix terms, a third of a firm's postings, for range queries nothing asks)."""

    def __init__(self):
        super().__init__(columns.NumericColumn("q"))


def build_schema(phrases: frozenset = frozenset()) -> fields.Schema:
    """The index layout; `phrases` are the thesaurus phrases indexed as single terms.

    Only `text` is searched and `key` looked up; the rest are columns that filters, facets and
    sorting read in bulk per index generation (`facts.py`), so they are not indexed.
    """
    text = industry_analyzer(phrases)
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        firm=NumberColumn(),
        text=IndustryText(analyzer=text),
        province=TextColumn(),
        categories=TextColumn(),
        capacities=TextColumn(),
        certificates=TextColumn(),
        markets=TextColumn(),
        sort_name=TextColumn(),
        specs=TextColumn(),
        verified=NumberColumn(),
        digest=fields.STORED(),
    )


def firm_document(firm: IndexedFirm, texts: dict[str, str] | None = None) -> dict:
    """The index document of a public firm (callers index only firms with `is_public`);
    `texts` are its `firm_texts`, when the caller has them already."""
    capabilities = firm.capabilities
    certificates = sorted(f"{slug}:{expiry.isoformat()}" for slug, expiry in firm.certificates)
    texts = texts or firm_texts(firm)
    markets = sorted(firm.export_markets or [])
    document = {
        "key": str(firm.id),
        "firm": firm.id,
        "text": "".join(section(FIELD_WEIGHTS[part]) + value for part, value in texts.items()),
        "province": firm.province,
        "categories": " ".join(sorted(c.category_slug for c in capabilities)),
        "capacities": " ".join(sorted(f"{c.category_slug}:{c.monthly_capacity or 0}" for c in capabilities)),
        "certificates": " ".join(certificates),
        "markets": "|".join(markets),
        "sort_name": (firm.trade_name or firm.legal_name).lower(),
        "specs": stated_specs(texts),
        "verified": int(firm.verified_at.timestamp()) if firm.verified_at else 0,
    }
    document["digest"] = document_digest(document)
    return document


def stated_specs(texts: dict[str, str]) -> str:
    """The values and ranges the firm states ("5W–65W", "4000 mAh"), as `unit:low:high` items."""
    found = stated_quantities("\n".join((texts["capabilities"], texts["description"])))
    return " ".join(dict.fromkeys(q.text for q in found))


def spelling_words(texts: dict[str, str]) -> set[str]:
    """The words "did you mean" may suggest, from a firm's `firm_texts`: as the firm wrote them
    (not stemmed), folded to one spelling."""
    written = set(SPELLING_WORD.findall(" ".join(texts.values()).lower()))
    return {SPELLING.get(w, w) for w in written}


def document_digest(document: dict) -> str:
    """A fingerprint of everything indexed, so `check` can tell a stale entry from a current one."""
    content = {k: v for k, v in document.items() if k != "digest"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
