"""The facts matching works on, gathered by the caller from the database and the search index."""

from dataclasses import dataclass, field
from datetime import date

from portal.suppliers.rules import certificate_counts


@dataclass(frozen=True)
class CertificateFact:
    slug: str
    name: str
    expires_on: date | None
    verified: bool

    def valid_on(self, day: date) -> bool:
        return certificate_counts(self.verified, self.expires_on, day)


@dataclass(frozen=True)
class CapabilityFact:
    category: str
    monthly_capacity: int
    unit: str | None = "pieces"  # None while the firm has not chosen one of the category's units
    processes: frozenset[str] = frozenset()
    lead_time_days: int | None = None
    main_line: bool = False
    board_area_mm2: int | None = None  # given by the firm: its m² of panel then count as boards


@dataclass(frozen=True)
class FirmFacts:
    firm_id: int
    name: str
    public: bool  # verified and not suspended
    province: str
    capabilities: tuple[CapabilityFact, ...] = ()
    certificates: tuple[CertificateFact, ...] = ()
    excluded: str | None = None  # e.g. incentives withdrawn: a compliance decision, in words
    features_offered: tuple[str, ...] = ()  # the need's features found in the firm's own text
    median_response_days: float | None = None

    def capability(self, category: str) -> CapabilityFact | None:
        return next((c for c in self.capabilities if c.category == category), None)


@dataclass(frozen=True)
class NeedFacts:
    category: str
    quantity_per_month: int
    deadline: date
    quantity_unit: str | None = "pieces"
    required_certifications: tuple[tuple[str, str], ...] = ()  # (slug, name)
    processes: tuple[tuple[str, str], ...] = ()  # (slug, name)
    features: tuple[str, ...] = ()  # specification features, as the brand wrote them
    province: str | None = None


@dataclass(frozen=True)
class Match:
    firm_id: int
    name: str
    score: float
    reasons: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NearMiss:
    firm_id: int
    name: str
    missing: tuple[str, ...]
    reasons: tuple[str, ...] = field(default=())
    certifications: tuple[str, ...] = ()  # the slugs of the certificates it lacks (laboratories test for them)
