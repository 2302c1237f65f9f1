"""What a firm's public profile shows of its capabilities and certificates, read as plain rows.

Profiles are much of what visitors read. Loading these as ORM objects (capabilities with their
category, processes and tests, certificates with their type) took four statements through the
ORM, about half of the page's CPU; the same facts come in three Core statements on the request's
connection (two for a firm without capabilities) at a tenth of that. Only verified lines are read: the public sees nothing else.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, literal, select, union_all

from portal.extensions import read
from portal.search.indexed_firms import capability_statements
from portal.suppliers.models import Capability, Certificate, capability_process, capability_test
from portal.suppliers.rules import days_until
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.names import local_name


@dataclass(frozen=True)
class Named:
    """A category, process or certification as a page names it."""

    slug: str
    name: str
    label: str  # in the reader's language
    hs_code: str | None = None


@dataclass(frozen=True)
class CapabilityLine:
    category_slug: str
    category: Named
    monthly_capacity: int
    capacity_unit: str | None
    min_order_quantity: int | None
    lead_time_days: int | None
    equipment: str
    materials: str
    notes: str
    is_main_line: bool
    processes: tuple[Named, ...]
    tests_for: tuple[Named, ...]


@dataclass(frozen=True)
class CertificateLine:
    type: Named
    expiry_date: date | None

    def days_to_expiry(self, on: date | None = None) -> int | None:
        return days_until(self.expiry_date, on)


def verified_lines(firm_id: int) -> tuple[list[CapabilityLine], list[CertificateLine]]:
    """The firm's verified capabilities (in the order it added them) and certificates."""
    capabilities_query, links_query, certificates_query = _statements()
    capabilities = read(capabilities_query, {"ids": [firm_id]}).all()
    named = defaultdict(list)
    if capabilities:
        for row in read(links_query, {"ids": [row.id for row in capabilities]}):
            named[row.capability_id, row.kind].append(_named(row.kind, row.slug, row.name))
    lines = [
        CapabilityLine(
            category_slug=row.category_slug,
            category=_named("category", row.category_slug, row.name, row.hs_code),
            monthly_capacity=row.monthly_capacity,
            capacity_unit=row.capacity_unit,
            min_order_quantity=row.min_order_quantity,
            lead_time_days=row.lead_time_days,
            equipment=row.equipment,
            materials=row.materials,
            notes=row.notes,
            is_main_line=row.is_main_line,
            processes=tuple(named[row.id, "process"]),
            tests_for=tuple(named[row.id, "certification"]),
        )
        for row in capabilities
    ]
    held = [
        CertificateLine(_named("certification", row.slug, row.name), row.expiry_date)
        for row in read(certificates_query, {"firm_id": firm_id})
    ]
    return lines, held


def _named(kind: str, slug: str, name: str, hs_code: str | None = None) -> Named:
    return Named(slug, name, local_name(kind, slug, name), hs_code)


@cache
def _statements():
    """Built once: the reads are the same on every profile but for the firm. The capabilities are
    the index's and the result cards' statement (`capability_statements`), with the profile's columns."""
    capabilities, _process_names = capability_statements(
        Capability.category_slug,
        ComponentCategory.hs_code,
        Capability.monthly_capacity,
        Capability.capacity_unit,
        Capability.min_order_quantity,
        Capability.lead_time_days,
        Capability.equipment,
        Capability.materials,
        Capability.notes,
        Capability.is_main_line,
    )
    ids = bindparam("ids", expanding=True)  # the capabilities read
    links = union_all(
        select(capability_process.c.capability_id, literal("process").label("kind"), Process.slug, Process.name)
        .join(Process)
        .where(capability_process.c.capability_id.in_(ids)),
        select(
            capability_test.c.capability_id,
            literal("certification").label("kind"),
            CertificationType.slug,
            CertificationType.name,
        )
        .join(CertificationType)
        .where(capability_test.c.capability_id.in_(ids)),
    )
    certificates = (
        select(CertificationType.slug, CertificationType.name, Certificate.expiry_date)
        .join(CertificationType)
        .where(Certificate.firm_id == bindparam("firm_id"), Certificate.is_verified)
        .order_by(Certificate.id)
    )
    return capabilities, select(links.subquery()).order_by("name"), certificates
