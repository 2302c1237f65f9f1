"""E-mail a firm's people 30 and 7 days before a certificate expires, once per threshold."""

from datetime import timedelta

from flask_babel import gettext, ngettext
from sqlalchemy import select

from portal.extensions import db
from portal.formatting import format_date
from portal.i18n import speaking_to
from portal.mail import external_url, send_mail
from portal.suppliers import labs
from portal.suppliers.models import Certificate, CertificateReminder, ReviewStatus
from portal.timeutil import today
from portal.transactions import one_act

THRESHOLDS = (30, 7)


def due_reminders(on=None) -> list[tuple[Certificate, int]]:
    """(certificate, threshold) pairs not yet sent; a late run sends only the nearest threshold."""
    on = on or today()
    horizon = on + timedelta(days=max(THRESHOLDS))
    candidates = db.session.scalars(
        select(Certificate).where(
            Certificate.review_status != ReviewStatus.REJECTED,
            Certificate.expiry_date > on,
            Certificate.expiry_date <= horizon,
        )
    )
    due = []
    for certificate in candidates:
        days_left = (certificate.expiry_date - on).days
        reached = [t for t in THRESHOLDS if days_left <= t]
        sent = set(
            db.session.scalars(
                select(CertificateReminder.days_before).where(
                    CertificateReminder.certificate_id == certificate.id,
                    CertificateReminder.expiry_date == certificate.expiry_date,
                )
            )
        )
        nearest = min(reached)
        if nearest not in sent:
            due.append((certificate, nearest))
    return due


def _reminder(certificate: Certificate, days_left: int, link: str, labs_link: str | None) -> tuple[str, str]:
    """The reminder's subject and body, in the language in force; `labs_link` leads to the
    laboratories that test for the certification (None when none is listed)."""
    firm = certificate.firm.display_name
    subject = ngettext(
        "%(type)s for %(firm)s expires in %(num)d day",
        "%(type)s for %(firm)s expires in %(num)d days",
        days_left,
        type=certificate.type.name,
        firm=firm,
    )
    body = gettext(
        "The %(type)s certificate %(number)s of %(firm)s expires on %(date)s. After that date brands "
        "that require it no longer find the firm for needs asking for it.\n\n"
        "Upload the renewed certificate here:\n\n%(link)s\n",
        type=certificate.type.name,
        number=certificate.number,
        firm=firm,
        date=format_date(certificate.expiry_date),
        link=link,
    )
    if labs_link:
        body += "\n" + gettext(
            "Laboratories listed in the portal that test for %(type)s, nearest first:\n\n%(link)s\n",
            type=certificate.type.name,
            link=labs_link,
        )
    return subject, body


def send_reminders(on=None) -> int:
    """Send what is due and record it (thresholds passed over are marked too); returns the count."""
    on = on or today()
    sent = 0
    with one_act():
        for certificate, threshold in due_reminders(on):
            days_left = (certificate.expiry_date - on).days
            firm = certificate.firm
            link = external_url("suppliers.manage", firm_id=firm.id, _anchor="certificates")
            tested = labs.lab_counts([certificate.type_slug]).get(certificate.type_slug)
            labs_link = external_url("suppliers.labs", slug=certificate.type_slug, near=firm.id) if tested else None
            for member in firm.members:
                with speaking_to(member.user):
                    subject, body = _reminder(certificate, days_left, link, labs_link)
                    send_mail(member.user.email, subject, body, kind="certificate_expiry")
            for passed in (t for t in THRESHOLDS if t >= threshold):
                exists = db.session.scalar(
                    select(CertificateReminder.id).where(
                        CertificateReminder.certificate_id == certificate.id,
                        CertificateReminder.expiry_date == certificate.expiry_date,
                        CertificateReminder.days_before == passed,
                    )
                )
                if exists is None:
                    db.session.add(
                        CertificateReminder(
                            certificate_id=certificate.id, expiry_date=certificate.expiry_date, days_before=passed
                        )
                    )
            sent += 1
    return sent
