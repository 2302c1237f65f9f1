"""Every model, imported in one place so Alembic and the app see the whole schema."""

from portal.accounts.models import ApiToken, Role, SignInAttempt, User  # noqa: F401
from portal.audit.models import AuditEntry, AuditHead  # noqa: F401
from portal.bom.models import BomLine, BomMapping, BomPlan, BomVersion  # noqa: F401
from portal.claims.models import FirmClaim  # noqa: F401
from portal.compliance.models import CaseDocument, CaseNote, ComplianceCase, FirmStanding  # noqa: F401
from portal.dashboard.models import MetricSnapshot  # noqa: F401
from portal.introductions.models import Introduction, IntroductionMessage, StageChange  # noqa: F401
from portal.investment.models import (  # noqa: F401
    Interest,
    InterestMessage,
    InterestStageChange,
    InvestorProfile,
    Opportunity,
    OpportunityDocument,
)
from portal.mail import OutgoingEmail  # noqa: F401
from portal.money.models import ExchangeRate  # noqa: F401
from portal.needs.models import NeedAttachment, NeedInvitation, Quote, SourcingNeed  # noqa: F401
from portal.notifications.models import EmailOptOut, Notification  # noqa: F401
from portal.search.outbox import SearchOutbox  # noqa: F401
from portal.search.replicas import SearchReplica  # noqa: F401
from portal.shortlists.models import Shortlist, ShortlistEntry  # noqa: F401
from portal.storage import StoredBlob, StoredBlobChunk, StoredFile  # noqa: F401
from portal.suppliers.models import (  # noqa: F401
    Capability,
    Certificate,
    CertificateReminder,
    Firm,
    FirmInvitation,
    FirmMember,
    FirmMerge,
    FirmPhoto,
    FirmResponsiveness,
)
from portal.taxonomy.models import CertificationType, ComponentCategory, Process  # noqa: F401
