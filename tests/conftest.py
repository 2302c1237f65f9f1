"""Shared fixtures: the app, a fresh database per test, a client, the cast of people, `login`.

People come from the cast (`cast.supplier`, `cast.colleague`, `cast.other_brand`, ...: see `Cast`);
records from the builders in `tests/factories.py`. A domain's conftest says what the cast's two firms
make (`cast_firms`) rather than building people of its own.
"""

import os
from functools import cached_property

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, literal, make_url, select, text, union_all
from sqlalchemy.engine import Engine

from portal import create_app
from portal.accounts.models import Role, User
from portal.accounts.service import issue_token
from portal.catalogue import compile_if_stale
from portal.extensions import db as _db
from portal.extensions import limiter
from portal.search.engine import forget_store
from portal.suppliers.models import Firm, FirmMember, MemberRole
from portal.taxonomy import sync_taxonomy
from tests.factories import PASSWORD, make_firm, make_user

__all__ = ["PASSWORD", "make_user"]  # imported from here by the browser tests


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


@event.listens_for(Engine, "connect")
def _no_waiting_for_the_disk(dbapi_connection, connection_record):
    """A test's database lives for one test: its commits need not wait for the disk (the portal's
    own settings, extensions._tune_sqlite, keep every commit on disk)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


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
    """Deletes the rows a test left, children first, from the tables that hold any (found in one
    statement: a test fills a handful of some eighty), and on PostgreSQL starts every sequence used
    again at 1, as a fresh database would. TRUNCATE of every table cost PostgreSQL 60 ms a test."""
    tables = list(reversed(_db.metadata.sorted_tables))
    probe = union_all(*(select(literal(number)).where(select(table).exists()) for number, table in enumerate(tables)))
    filled = set(_db.session.scalars(probe))
    for number, table in enumerate(tables):
        if number in filled:
            _db.session.execute(table.delete())
    if _db.engine.dialect.name == "postgresql":
        _db.session.execute(
            text(
                "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                " FROM pg_sequences WHERE last_value IS NOT NULL"
            )
        )
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


# What the supplier's and the other supplier's firms are (keyword arguments of make_firm), unless a
# domain's conftest says otherwise through the `cast_firms` fixture.
LAHORE_BOARDS = {
    "name": "Lahore Boards (Pvt) Ltd",
    "contact_email": "sales@lahoreboards.example.pk",
    "phone": "+92 42 3575 1200",
    "website": "https://lahoreboards.example.pk",
    "address": "Plot 12, Sundar Industrial Estate",
    "capabilities": [{"category": "pcba", "capacity": 20000}],
}
KARACHI_CABLES = {
    "name": "Karachi Cables",
    "city": "Karachi",
    "province": "Sindh",
    "capabilities": [{"category": "cable"}],
}


class Cast:
    """The people tests meet, one of each kind, with fixed names so a test can speak of them.

    The four role people (`supplier`, `brand`, `investor`, `staff`) are there from the start, made in
    that order, because the portal acts on "every staff member" or "each investor". The others, the
    supplier's `firm` and their API tokens join the first time a test names them, so a test pays only
    for the people it meets; name someone before the act that concerns them (a fixture's
    `cast.enter(...)` does it at set-up), or a notice they should not get proves nothing.
    """

    def __init__(self, firms: dict):
        self._firms = firms
        self._tokens: dict[str, str] = {}
        self.enter(*(role.value for role in Role))

    def enter(self, *names: str) -> "Cast":
        """Brings the named people (or firms) on stage now."""
        for name in names:
            getattr(self, name)
        return self

    @cached_property
    def supplier(self) -> User:
        """Owner of `firm`."""
        return make_user(Role.SUPPLIER)

    @cached_property
    def brand(self) -> User:
        return make_user(Role.BRAND)

    @cached_property
    def investor(self) -> User:
        return make_user(Role.INVESTOR)

    @cached_property
    def staff(self) -> User:
        """EDB staff."""
        return make_user(Role.STAFF)

    @cached_property
    def firm(self) -> Firm:
        """The supplier's verified firm."""
        return make_firm(owner=self.supplier, **self._firms["firm"])

    @cached_property
    def colleague(self) -> User:
        """The second person of the supplier's firm, an editor."""
        user = make_user(Role.SUPPLIER, "colleague@example.com", full_name="Sana Iqbal")
        _db.session.add(FirmMember(firm=self.firm, user=user, role=MemberRole.EDITOR))
        _db.session.commit()
        return user

    @cached_property
    def other_firm(self) -> Firm:
        """A verified firm of another line and city, no part of the supplier's."""
        owner = make_user(Role.SUPPLIER, "other-supplier@example.com", full_name="Bilal Ahmed")
        return make_firm(owner=owner, **self._firms["other_firm"])

    @cached_property
    def other_supplier(self) -> User:
        """Owner of `other_firm`: the two come together."""
        return self.other_firm.members[0].user

    @cached_property
    def other_brand(self) -> User:
        """A brand of another organisation, who must not see the brand's needs and introductions."""
        return make_user(Role.BRAND, "other-brand@example.com", full_name="Rival Buyer", organisation="Rival Phones")

    @cached_property
    def other_investor(self) -> User:
        return make_user(
            Role.INVESTOR, "other-investor@example.com", full_name="Zara Hussain", organisation="Rival Fund"
        )

    @cached_property
    def other_staff(self) -> User:
        """A second EDB staff member."""
        return make_user(Role.STAFF, "other-staff@edb.example", full_name="Kamran Ali")

    def token(self, name: str) -> str:
        """The named person's API token (the plain text a caller sends), issued on first use."""
        if name not in self._tokens:
            self._tokens[name] = issue_token(getattr(self, name), "tests")[1]
        return self._tokens[name]

    def by_role(self) -> dict[str, User]:
        return {role.value: getattr(self, role.value) for role in Role}


@pytest.fixture
def cast_firms() -> dict:
    """What the cast's `firm` and `other_firm` make: a domain's conftest overrides this for its own line."""
    return {"firm": LAHORE_BOARDS, "other_firm": KARACHI_CABLES}


@pytest.fixture
def _cast(app, cast_firms) -> Cast:
    return Cast(cast_firms)


@pytest.fixture
def cast(_cast) -> Cast:
    """The people of the test (see `Cast`). A domain's conftest may override it to bring people on stage
    before its tests act; `users` and `login` reach the same cast without doing so."""
    return _cast


@pytest.fixture
def users(_cast) -> dict[str, User]:
    """The cast's four role people keyed by role name, for tests that go through the roles."""
    return _cast.by_role()


@pytest.fixture
def login(client, _cast):
    """`login("brand")` signs the client in as that person of the cast (or as a given User) and returns them."""

    def _login(who: str | User) -> User:
        user = getattr(_cast, who) if isinstance(who, str) else who
        assert isinstance(user, User), f"{who!r} is no person of the cast"
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
def statements(app):
    """The SQL statements the database receives while the test runs, in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(_db.engine, "before_cursor_execute", record)


@pytest.fixture
def mail_on(app, monkeypatch):
    """The portal as if a mail server were set up, though nothing is delivered: mail waits in the outbox."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example")
    monkeypatch.setattr("portal.mail.deliver_due", lambda limit=200: (0, 0))
