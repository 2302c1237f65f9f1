"""What a listing still lacks, each with why it matters to the brands searching for it.

Where staff decided about a part, the check says what the decision asks for (never "upload the
certificate" beside a certificate EDB verified, nor silence beside one it rejected)."""

from dataclasses import dataclass

from portal.suppliers.decisions import NEXT_STEPS
from portal.suppliers.models import Capability, Certificate, Firm, ReviewStatus


@dataclass(frozen=True)
class Check:
    done: bool
    label: str
    why: str
    anchor: str  # where on the firm's page to fix it


def completeness(firm: Firm) -> list[Check]:
    checks = [
        Check(
            len(firm.description or "") >= 150,
            "Describe what you make in some detail",
            "Search matches the words in your description; brands skip listings that say little.",
            "profile",
        ),
        Check(
            bool(firm.contact_email and firm.phone),
            "Give a contact e-mail and phone",
            "Brands that shortlist you need a way to reach you.",
            "profile",
        ),
        Check(
            bool(firm.year_founded and firm.employees),
            "Say when the firm was founded and how many people work there",
            "Sourcing managers judge a supplier's size and track record first.",
            "profile",
        ),
        Check(bool(firm.ntn), "Add your NTN", "EDB staff verify firms faster with a tax number.", "profile"),
        Check(
            bool(firm.export_markets),
            "List your export markets",
            "Brands look for suppliers who already ship abroad.",
            "profile",
        ),
        Check(
            bool(firm.capabilities),
            "Add a capability",
            "Without one, the firm appears in no component category and matches no sourcing need.",
            "capabilities",
        ),
    ]
    for capability in firm.capabilities:
        name = capability.category.name
        if capability.review_status == ReviewStatus.REJECTED:
            checks.append(_rejected(capability, f"Correct or remove the capability {name} EDB did not accept"))
        checks.append(
            Check(
                bool(capability.processes),
                f"Name the processes for {name}",
                "Sourcing needs require processes; a capability without them cannot match.",
                "capabilities",
            )
        )
        checks.append(
            Check(
                bool(capability.lead_time_days and capability.min_order_quantity),
                f"Give lead time and minimum order for {name}",
                "Brands compare lead times when ranking suppliers.",
                "capabilities",
            )
        )
    if not firm.certificates:
        checks.append(
            Check(
                False,
                "Add your certifications",
                "Many brands only consider suppliers with a valid ISO 9001 or product approvals.",
                "certificates",
            )
        )
    for certificate in firm.certificates:
        name = certificate.type.name
        checks.append(
            Check(
                certificate.expiry_date is not None,
                f"Add an expiry date to {name}",
                f"Brands that require {name} filter on valid certificates and cannot find you without one.",
                "certificates",
            )
        )
        if certificate.review_status == ReviewStatus.REJECTED:
            checks.append(_rejected(certificate, f"Correct the {name} certificate EDB did not accept"))
        else:
            # A certificate EDB verified (from a document or the issuing body's register) needs no upload.
            checks.append(
                Check(
                    bool(certificate.evidence_path) or certificate.review_status == ReviewStatus.VERIFIED,
                    f"Upload the {name} certificate",
                    f"EDB verifies {name} from the document; until then it does not count.",
                    "certificates",
                )
            )
    checks.append(
        Check(
            bool(firm.logo_path), "Upload your logo", "A logo makes your listing easy to recognise in results.", "media"
        )
    )
    checks.append(
        Check(
            len(firm.photos) >= 2,
            "Show at least two factory photos",
            "Photos of lines and products build a brand's trust before a visit.",
            "media",
        )
    )
    return checks


def _rejected(item: Capability | Certificate, label: str) -> Check:
    """The check for a capability or certificate EDB rejected: its reason and what to do next."""
    kind, anchor = ("capability", "capabilities") if isinstance(item, Capability) else ("certificate", "certificates")
    next_step = NEXT_STEPS[f"{kind}.rejected"]
    return Check(False, label, f"EDB: {item.review_note} {next_step}" if item.review_note else next_step, anchor)


def completeness_score(checks: list[Check]) -> int:
    return round(100 * sum(c.done for c in checks) / len(checks)) if checks else 100
