"""What the index reads of a firm, loaded as plain rows in four queries per batch.

A full rebuild reads every public firm. As ORM objects (firm, capabilities, categories,
processes, certificates and their types) the loading cost as much as building the documents;
the document needs a few columns of each, so they are read as rows into small records.
"""

from collections import defaultdict
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, select

from portal.extensions import db, read
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus, capability_process
from portal.suppliers.rules import certificate_can_count
from portal.taxonomy.models import ComponentCategory, Process


class IndexedCapability(NamedTuple):
    """A verified capability, as the index reads it."""

    category_slug: str
    category_name: str
    processes: tuple[str, ...]  # process names, in name order
    equipment: str
    materials: str
    notes: str
    monthly_capacity: int


class IndexedFirm(NamedTuple):
    id: int
    trade_name: str
    legal_name: str
    description: str
    city: str
    province: str
    export_markets: list[str]
    verified_at: datetime | None
    is_public: bool
    capabilities: tuple[IndexedCapability, ...]  # verified ones, in the firm's order
    certificates: tuple[tuple[str, date], ...]  # (certification slug, expiry) of those that can count


def firms_statement(*columns):
    """The firms `ids` with `columns` and whether each is public: read as a column, not filtered on
    (given the rule's three conditions, SQLite would scan its index of live firms instead of
    looking up the ids)."""
    ids = bindparam("ids", expanding=True)
    return select(Firm.id, *columns, Firm.is_public.label("public")).where(Firm.id.in_(ids))


def capability_statements(*columns):
    """Verified capabilities of the firms `ids` (id, firm, category name and `columns`, in the firm's
    order), and the process names of the capabilities `ids`, in name order: for the index and cards."""
    ids = bindparam("ids", expanding=True)
    capabilities = (
        select(Capability.id, Capability.firm_id, ComponentCategory.name, *columns)
        .join(ComponentCategory)
        .where(Capability.firm_id.in_(ids), Capability.is_verified)
        .order_by(Capability.id)
    )
    processes = (
        select(capability_process.c.capability_id, Process.name)
        .join(Process)
        .where(capability_process.c.capability_id.in_(ids))
        .order_by(Process.name)
    )
    return capabilities, processes


def processes_of(processes_query, capabilities) -> dict[int, list[str]]:
    """Process names by capability id, for the rows of a capabilities query."""
    found = defaultdict(list)
    if capabilities:
        for capability_id, name in read(processes_query, {"ids": [c.id for c in capabilities]}):
            found[capability_id].append(name)
    return found


@cache
def _statements():
    """The four queries, built once."""
    ids = bindparam("ids", expanding=True)
    firms = firms_statement(
        Firm.trade_name,
        Firm.legal_name,
        Firm.description,
        Firm.city,
        Firm.province,
        Firm.export_markets,
        Firm.verified_at,
    )
    capabilities, processes = capability_statements(
        Capability.category_slug,
        Capability.equipment,
        Capability.materials,
        Capability.notes,
        Capability.monthly_capacity,
    )
    certificates = select(
        Certificate.firm_id, Certificate.type_slug, Certificate.review_status, Certificate.expiry_date
    ).where(Certificate.firm_id.in_(ids))
    return firms, capabilities, processes, certificates


def load_firms(firm_ids) -> dict[int, IndexedFirm]:
    """The firms among `firm_ids` that exist (public or not), by id."""
    firm_ids = list(firm_ids)
    if not firm_ids:
        return {}
    firms_query, capabilities_query, processes_query, certificates_query = _statements()
    execute = db.session.execute
    rows = execute(firms_query, {"ids": firm_ids}).all()
    capabilities = execute(capabilities_query, {"ids": firm_ids}).all()
    processes = processes_of(processes_query, capabilities)
    capabilities_of = defaultdict(list)
    for capability_id, firm_id, name, slug, equipment, materials, notes, capacity in capabilities:
        capabilities_of[firm_id].append(
            IndexedCapability(slug, name, tuple(processes[capability_id]), equipment, materials, notes, capacity)
        )
    certificates_of = defaultdict(list)
    for firm_id, slug, status, expiry in execute(certificates_query, {"ids": firm_ids}):
        if certificate_can_count(status == ReviewStatus.VERIFIED, expiry):
            certificates_of[firm_id].append((slug, expiry))
    return {
        row.id: IndexedFirm(
            row.id,
            row.trade_name,
            row.legal_name,
            row.description,
            row.city,
            row.province,
            row.export_markets,
            row.verified_at,
            bool(row.public),
            tuple(capabilities_of[row.id]),
            tuple(certificates_of[row.id]),
        )
        for row in rows
    }
