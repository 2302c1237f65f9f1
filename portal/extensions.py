"""Flask extensions, created here and bound to the app in `create_app`."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Enum, MetaData, String, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def read(statement, params: dict | None = None):
    """Run a Core SELECT on the request's connection, past the ORM's execution path (about 0.14 ms
    a statement here, which the busiest pages paid several times over). Nothing is flushed first:
    for reads of pages and searches, which have nothing pending."""
    return db.session.connection().execute(statement, params or {})


# Limits are declared where they apply (the JSON API); pages are not limited.
limiter = Limiter(key_func=get_remote_address)


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """WAL lets readers work during a write; the busy timeout waits for a lock instead of failing."""
    if _is_sqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # The sqlite3 driver begins a transaction only before the first write, so reads see the
        # latest commit and a read-then-write request never fails on a stale snapshot. The cost:
        # SAVEPOINTs (session.begin_nested) do not nest on SQLite; the portal does not use them.


PLANNER_SAMPLE_ROWS = 1000  # rows ANALYZE reads per index: about 50 ms at 100,000 firms


@event.listens_for(Engine, "first_connect")
def _refresh_sqlite_statistics(dbapi_connection, connection_record):
    """SQLite plans joins blind until ANALYZE has run: at 100,000 firms it then walks every public
    firm to find one category's capabilities (60 ms instead of 5). A bounded ANALYZE at each
    process's first connection keeps the statistics as current as the data; a database that is
    busy or read-only keeps the statistics it has."""
    if _is_sqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA analysis_limit={PLANNER_SAMPLE_ROWS}")
            cursor.execute("ANALYZE")
            dbapi_connection.commit()
        except dbapi_connection.OperationalError:
            dbapi_connection.rollback()
        finally:
            cursor.close()


def enum_type(enum_class) -> Enum:
    """Store a StrEnum as its value in a plain string column (portable, no native ENUM type)."""
    return Enum(enum_class, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class TextTooLong(ValueError):
    """A string longer than its column reached the database: a form or API check, or the code that
    derived it (`portal.text.fit`), is missing. PostgreSQL would refuse it; SQLite is made to as well."""


@event.listens_for(Session, "before_flush")
def _refuse_text_longer_than_its_column(session, _flush_context, _instances) -> None:
    """Every database refuses text longer than its column, SQLite too, so a missing length check
    shows in development and in the SQLite suite, not first on PostgreSQL."""
    for obj in (*session.new, *session.dirty):
        mapper = inspect(obj).mapper
        for attr in mapper.column_attrs:
            column_type = attr.columns[0].type
            length = getattr(column_type, "length", None)
            if not length or not isinstance(column_type, String) or isinstance(column_type, Enum):
                continue
            value = getattr(obj, attr.key, None)
            if isinstance(value, str) and len(value) > length:
                raise TextTooLong(
                    f"{mapper.class_.__name__}.{attr.key} holds {len(value)} characters; its column holds {length}"
                )
