"""What a listing still lacks, each with why it matters to the brands searching for it.

Where staff decided about a part, the check says what the decision asks for (never "upload the
certificate" beside a certificate EDB verified, nor silence beside one it rejected)."""

from dataclasses import dataclass

from portal.i18n import Phrase
from portal.suppliers.decisions import NEXT_STEPS
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus
from portal.taxonomy.models import CertificationType


@dataclass(frozen=True)
class Check:
    done: bool
    label: str
    why: str
    anchor: str  # where on the firm's page to fix it
    certification: CertificationType | None = None  # a certificate to get: the panel links its laboratories


def completeness(firm: Firm) -> list[Check]:
    checks = [
        Check(
            len(firm.description or "") >= 150,
            Phrase("Describe what you make in some detail"),
            Phrase("Search matches the words in your description; brands skip listings that say little."),
            "profile",
        ),
        Check(
            bool(firm.contact_email and firm.phone),
            Phrase("Give a contact e-mail and phone"),
            Phrase("Brands that shortlist you need a way to reach you."),
            "profile",
        ),
        Check(
            bool(firm.year_founded and firm.employees),
            Phrase("Say when the firm was founded and how many people work there"),
            Phrase("Sourcing managers judge a supplier's size and track record first."),
            "profile",
        ),
        Check(
            bool(firm.ntn),
            Phrase("Add your NTN"),
            Phrase("EDB staff verify firms faster with a tax number."),
            "profile",
        ),
        Check(
            bool(firm.export_markets),
            Phrase("List your export markets"),
            Phrase("Brands look for suppliers who already ship abroad."),
            "profile",
        ),
        Check(
            bool(firm.capabilities),
            Phrase("Add a capability"),
            Phrase("Without one, the firm appears in no component category and matches no sourcing need."),
            "capabilities",
        ),
    ]
    for capability in firm.capabilities:
        name = capability.category.label
        if capability.is_rejected:
            checks.append(
                _rejected(capability, Phrase("Correct or remove the capability %(name)s EDB did not accept", name=name))
            )
        checks.append(
            Check(
                bool(capability.processes),
                Phrase("Name the processes for %(name)s", name=name),
                Phrase("Sourcing needs require processes; a capability without them cannot match."),
                "capabilities",
            )
        )
        checks.append(
            Check(
                bool(capability.lead_time_days and capability.min_order_quantity),
                Phrase("Give lead time and minimum order for %(name)s", name=name),
                Phrase("Brands compare lead times when ranking suppliers."),
                "capabilities",
            )
        )
    if not firm.certificates:
        checks.append(
            Check(
                False,
                Phrase("Add your certifications"),
                Phrase("Many brands only consider suppliers with a valid ISO 9001 or product approvals."),
                "certificates",
            )
        )
    for certificate in firm.certificates:
        name = certificate.type.label
        checks.append(
            Check(
                certificate.expiry_date is not None,
                Phrase("Add an expiry date to %(name)s", name=name),
                Phrase(
                    "Brands that require %(name)s filter on valid certificates and cannot find you without one.",
                    name=name,
                ),
                "certificates",
            )
        )
        if certificate.is_rejected:
            checks.append(
                _rejected(certificate, Phrase("Correct the %(name)s certificate EDB did not accept", name=name))
            )
            continue
        if certificate.expiry_date is not None and certificate.days_to_expiry() <= 0:
            checks.append(
                Check(
                    False,
                    Phrase("Renew the %(name)s certificate", name=name),
                    Phrase(
                        "It expired on %(date)s: brands that require %(name)s no longer find you.",
                        date=certificate.expiry_date.isoformat(),
                        name=name,
                    ),
                    "certificates",
                    certificate.type,
                )
            )
        else:
            # A certificate EDB verified (from a document or the issuing body's register) needs no upload.
            checks.append(
                Check(
                    bool(certificate.evidence_path) or certificate.review_status == ReviewStatus.VERIFIED,
                    Phrase("Upload the %(name)s certificate", name=name),
                    Phrase("EDB verifies %(name)s from the document; until then it does not count.", name=name),
                    "certificates",
                    certificate.type,
                )
            )
    checks.append(
        Check(
            bool(firm.logo_path),
            Phrase("Upload your logo"),
            Phrase("A logo makes your listing easy to recognise in results."),
            "media",
        )
    )
    checks.append(
        Check(
            len(firm.photos) >= 2,
            Phrase("Show at least two factory photos"),
            Phrase("Photos of lines and products build a brand's trust before a visit."),
            "media",
        )
    )
    return checks


def _rejected(item: Capability | Certificate, label: str) -> Check:
    """The check for a capability or certificate EDB rejected: its reason and what to do next."""
    kind, anchor = ("capability", "capabilities") if isinstance(item, Capability) else ("certificate", "certificates")
    certification = item.type if isinstance(item, Certificate) else None
    next_step = Phrase(NEXT_STEPS[f"{kind}.rejected"])
    if item.review_note:
        why = Phrase("EDB: %(note)s %(next_step)s", note=item.review_note, next_step=next_step)
        return Check(False, label, why, anchor, certification)
    return Check(False, label, next_step, anchor, certification)


def completeness_score(checks: list[Check]) -> int:
    return round(100 * sum(c.done for c in checks) / len(checks)) if checks else 100
