"""Firms as a list of results shows them: a card each, read as rows in four small queries.

A results page shows 20 firms. Building ORM objects for them, their capabilities, processes and
certificates cost a third of the page; the card needs a few columns of each, and the snippet the
same texts the index was built from (`searchable_texts`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, select

from portal.extensions import read
from portal.search.documents import searchable_texts
from portal.search.indexed_firms import capability_statements, firms_statement, processes_of
from portal.suppliers.models import Capability, Certificate, Firm
from portal.taxonomy.models import CertificationType
from portal.timeutil import today


@dataclass(frozen=True)
class CapabilityLine:
    category: str  # the category's name
    monthly_capacity: int
    capacity_unit: str


@dataclass(frozen=True)
class FirmCard:
    id: int
    slug: str
    legal_name: str
    trade_name: str | None
    city: str
    province: str
    description: str
    capabilities: tuple[CapabilityLine, ...]  # verified ones, in the firm's order
    certificates: tuple[str, ...]  # names of the certificates valid on the day the card was read
    texts: dict[str, str]  # what the index holds of the firm, for snippets

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name


@cache
def _statements():
    """The four queries, built once: a page then pays only for running them."""
    ids, day = bindparam("ids", expanding=True), bindparam("day")
    # Whether a firm is public is read as a column (tens of milliseconds saved at 100,000 firms).
    firms = firms_statement(Firm.slug, Firm.legal_name, Firm.trade_name, Firm.city, Firm.province, Firm.description)
    capabilities, processes = capability_statements(
        Capability.monthly_capacity,
        Capability.capacity_unit,
        Capability.equipment,
        Capability.materials,
        Capability.notes,
    )
    certificates = (
        select(Certificate.firm_id, CertificationType.name)
        .join(CertificationType)
        .where(Certificate.firm_id.in_(ids), Certificate.is_valid_on(day))
        .order_by(Certificate.id)
    )
    return firms, capabilities, processes, certificates


def public_cards(firm_ids: list[int], day: date | None = None) -> dict[int, FirmCard]:
    """Cards of the firms among `firm_ids` that are public now (the index may lag a suspension)."""
    if not firm_ids:
        return {}
    firms_query, capabilities_query, processes_query, certificates_query = _statements()
    firms = [firm for firm in read(firms_query, {"ids": list(firm_ids)}) if firm.public]
    ids = [firm.id for firm in firms]
    if not ids:
        return {}
    capabilities = read(capabilities_query, {"ids": ids}).all()
    processes = processes_of(processes_query, capabilities)
    certificates = read(certificates_query, {"ids": ids, "day": day or today()}).all()
    capabilities_of, certificates_of = defaultdict(list), defaultdict(list)
    for capability in capabilities:
        capabilities_of[capability.firm_id].append(capability)
    for firm_id, name in certificates:
        certificates_of[firm_id].append(name)
    return {firm.id: _card(firm, capabilities_of[firm.id], processes, certificates_of[firm.id]) for firm in firms}


def _card(firm, capabilities, processes, certificates) -> FirmCard:
    texts = searchable_texts(
        firm.trade_name,
        firm.legal_name,
        firm.description,
        firm.city,
        [(c.name, processes[c.id], c.equipment, c.materials, c.notes) for c in capabilities],
    )
    return FirmCard(
        id=firm.id,
        slug=firm.slug,
        legal_name=firm.legal_name,
        trade_name=firm.trade_name,
        city=firm.city,
        province=firm.province,
        description=firm.description or "",
        capabilities=tuple(CapabilityLine(c.name, c.monthly_capacity, c.capacity_unit) for c in capabilities),
        certificates=tuple(certificates),
        texts=texts,
    )


def cards_in_order(firm_ids: list[int], loaded: dict[int, FirmCard] | None = None) -> list[FirmCard]:
    """Cards of the public firms among `firm_ids`, in that order; `loaded` are cards this request
    already read (search reads them for its snippets)."""
    if loaded is None:
        loaded = public_cards(firm_ids)
    return [loaded[i] for i in firm_ids if i in loaded]
