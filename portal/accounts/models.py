"""People who sign in, their role, and the API tokens they hold."""

import enum
import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, enum_type
from portal.timeutil import utcnow


class Role(enum.StrEnum):
    SUPPLIER = "supplier"
    BRAND = "brand"
    INVESTOR = "investor"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SUPPLIER: _l("Local firm (supplier)"),
    Role.BRAND: _l("Global brand / sourcing manager"),
    Role.INVESTOR: _l("Investor"),
    Role.STAFF: _l("EDB staff"),
}

# Roles a person may choose at sign-up; staff accounts are made by staff or the CLI only.
SELF_SERVICE_ROLES = (Role.SUPPLIER, Role.BRAND, Role.INVESTOR)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The language the person chose ("en", "ur"); pages, e-mails and notices to them use it.
    # None until they choose: pages then follow the browser, messages the portal's default.
    language: Mapped[str | None] = mapped_column(String(10))
    # Part of every session and remember-me cookie; raising it ends them all at once (sign-out,
    # "sign out everywhere", deactivation), whichever copies of the cookies exist.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the person opened the link sent to their address at sign-up; None until then. Accounts
    # made by staff or the CLI, and those from before verification existed, count as verified.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # EDB staff confirmed the address after checking it off-line (the note is in the audit trail):
    # how a person gets in when the portal sends no e-mail, or theirs never arrived.
    email_confirmed_by_staff: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Staff could not confirm the address: when, and the reason the person reads on the portal.
    email_declined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_supplier(self) -> bool:
        """Someone from a local firm: runs listings, claims them and quotes on needs."""
        return self.role == Role.SUPPLIER

    def get_id(self) -> str:
        # The session generation and a piece of the password hash: raising the one or changing the
        # other ends every session and remember-me cookie made before.
        return f"{self.id}.{self.session_generation}.{self.password_hash[-8:]}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this account stops working on its next use."""
        self.session_generation = (self.session_generation or 0) + 1

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {Role(r) for r in roles}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


# Accounts whose address is not confirmed yet: the few the staff's queue looks for among every account.
_UNCONFIRMED = text("email_verified_at IS NULL")
Index("ix_user_account_unconfirmed", User.created_at, sqlite_where=_UNCONFIRMED, postgresql_where=_UNCONFIRMED)
# Those staff confirmed, newest first: how long confirmation usually takes, read on every page an
# unconfirmed person sees.
Index(
    "ix_user_account_confirmed_by_staff",
    User.email_verified_at,
    sqlite_where=text("email_confirmed_by_staff = 1"),
    postgresql_where=text("email_confirmed_by_staff = true"),
)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Make a new token for `user`; returns the row and the plain token to show once."""
        plain = "edb_" + secrets.token_urlsafe(32)
        token = cls(user=user, name=name, token_hash=cls.hash(plain), prefix=plain[:10])
        db.session.add(token)
        return token, plain

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SignInAttempt(db.Model):
    """A failed sign-in, kept briefly so guessing passwords is throttled per account and per address."""

    __tablename__ = "sign_in_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
