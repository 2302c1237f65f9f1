"""Every model, imported in one place so Alembic and the app see the whole schema."""

from portal.accounts.models import ApiToken, Role, User  # noqa: F401
from portal.mail import OutgoingEmail  # noqa: F401
from portal.suppliers.models import Capability, Certificate, Firm, FirmMember  # noqa: F401
from portal.taxonomy.models import CertificationType, ComponentCategory, Process  # noqa: F401
