"""Shared fixtures: the app, a fresh database per test, a client, one user per role, `login`."""

import os

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from portal import create_app
from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.catalogue import compile_if_stale
from portal.extensions import db as _db
from portal.extensions import limiter
from portal.search.engine import forget_store
from portal.taxonomy import sync_taxonomy
from portal.timeutil import utcnow

PASSWORD = "correct horse battery staple"


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh `g` and database session), as in production; the
    answer is read in full and closed, as a server closes it, so a file it sent is not left open."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _worker_database(url: str) -> str:
    """With several pytest-xdist workers on PostgreSQL, each gets its own database beside the named one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    compile_if_stale()  # pages and e-mails in Urdu need the compiled catalogue
    base = tmp_path_factory.mktemp("portal")
    config = {
        "UPLOAD_DIR": str(base / "uploads"),
        "PORTAL_INDEX_DIR": str(base / "index"),
    }
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = _worker_database(os.environ["DATABASE_URL"])
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{base / 'test.db'}"
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


def _empty_all_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def app(_app, tmp_path):
    """The app inside an app context, with an empty database holding only the taxonomy, an
    empty search index and audit checkpoint folder of its own and no API calls counted against
    the rate limit."""
    _app.config["PORTAL_INDEX_DIR"] = str(tmp_path / "index")
    _app.config["AUDIT_CHECKPOINT_DIR"] = str(tmp_path / "audit-checkpoints")
    limiter.reset()
    with _app.app_context():
        sync_taxonomy()
        _db.session.commit()
        yield _app
        _db.session.rollback()
        _empty_all_tables()
    forget_store(str(tmp_path / "index"))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


def make_user(role: Role | str = Role.SUPPLIER, email: str | None = None, password: str = PASSWORD, **fields) -> User:
    role = Role(role)
    user = User(
        email=email or f"{role.value}@example.com",
        password_hash=hash_password(password),
        full_name=fields.pop("full_name", f"Test {role.value.title()}"),
        organisation=fields.pop("organisation", f"{role.value.title()} Org"),
        role=role,
        # Verified unless the test asks for a newly signed-up account (`email_verified_at=None`).
        email_verified_at=fields.pop("email_verified_at", utcnow()),
        **fields,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


@pytest.fixture
def users(app) -> dict[str, User]:
    """One user per role, keyed by role name."""
    return {role.value: make_user(role) for role in Role}


@pytest.fixture
def login(client, users):
    """`login("brand")` signs the client in as that role's user (or as a given User) and returns it."""

    def _login(who: str | User) -> User:
        user = users[who] if isinstance(who, str) else who
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def outbox(app):
    """The e-mails the portal queued, newest last."""
    from portal.mail import OutgoingEmail

    def _outbox(kind: str | None = None):
        query = _db.select(OutgoingEmail).order_by(OutgoingEmail.id)
        if kind:
            query = query.where(OutgoingEmail.kind == kind)
        return list(_db.session.scalars(query))

    return _outbox


@pytest.fixture
def mail_on(app, monkeypatch):
    """The portal as if a mail server were set up, though nothing is delivered: mail waits in the outbox."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example")
    monkeypatch.setattr("portal.mail.deliver_due", lambda limit=200: (0, 0))
