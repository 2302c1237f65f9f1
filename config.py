"""Settings for the portal: one class per environment, environment variables override.

`PORTAL_ENV` picks the class (development, testing, production); `DATABASE_URL`,
`SECRET_KEY`, `PORTAL_INDEX_DIR`, `UPLOAD_DIR`, `PORTAL_PROXY_HOPS` and the `MAIL_*` variables
override it.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", BASE_DIR / "instance"))

DEV_SECRET_KEY = "development-only-secret-key-change-me"
DEV_AUDIT_KEY = "development-only-audit-key-change-me"


def database_url(default: str) -> str:
    """Return the configured database URL, steering PostgreSQL URLs to psycopg 3."""
    url = os.environ.get("DATABASE_URL") or default
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # Keys the audit trail's chain and checkpoints. Kept outside the database (and apart from
    # SECRET_KEY), so someone who can write to the database cannot recompute the chain.
    AUDIT_KEY = os.environ.get("AUDIT_KEY", DEV_AUDIT_KEY)
    # Signed checkpoints of the trail's head: one file per host here, the log, and an optional
    # sink (https://… receives a JSON POST, syslog://host:514 a UDP syslog line).
    AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(INSTANCE_DIR / "audit-checkpoints"))
    AUDIT_CHECKPOINT_SINK = os.environ.get("AUDIT_CHECKPOINT_SINK", "")
    AUDIT_CHECKPOINT_EVERY = int(os.environ.get("AUDIT_CHECKPOINT_EVERY", "100"))
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE_DIR / 'portal.db'}")
    # Hidden parameters keep password hashes and e-mail addresses out of logged database errors.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    PORTAL_INDEX_DIR = os.environ.get("PORTAL_INDEX_DIR", str(INSTANCE_DIR / "index"))
    # `search-index sync` removes applied index-outbox rows older than this.
    SEARCH_OUTBOX_KEEP_DAYS = 7
    # A search asks the outbox at most this often per process whether firms changed (a question per
    # search was a tenth of a kept answer's time); a kept answer is checked against the database
    # only while the index lags. This host's changes are applied to its index by the request that
    # commits them; other hosts' changes, and a firm hidden while the index was busy, wait this long
    # at most.
    SEARCH_CATCH_UP_SECONDS = float(os.environ.get("SEARCH_CATCH_UP_SECONDS", "0.25"))
    # Answers are kept until the index changes (popular searches repeat); the search benchmarks
    # turn this off to time the engine itself.
    SEARCH_KEEPS_ANSWERS = True
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Where new uploads go: "disk" (UPLOAD_DIR, one machine) or "database" (shared by every host).
    UPLOAD_STORAGE = os.environ.get("UPLOAD_STORAGE", "disk").strip().lower()
    # The largest file the database store takes (uploads themselves are limited to 10 MB or less).
    UPLOAD_DATABASE_MAX_BYTES = int(os.environ.get("UPLOAD_DATABASE_MAX_BYTES", str(50 * 1024 * 1024)))
    # Well above every per-file limit, so an oversized file gets its message next to the field.
    MAX_CONTENT_LENGTH = 50 * 1024 * 1024

    # Reverse proxies in front of the portal (nginx alone: 1) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed. 0 ignores those headers: a client cannot choose its address.
    PROXY_HOPS = int(os.environ.get("PORTAL_PROXY_HOPS", "0"))

    # Links in e-mails sent outside a request (reminders from cron) start with this.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() in ("1", "true", "yes")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "EDB Supplier Portal <no-reply@portal.local>")

    # The JSON API: requests per token (or per address without one), and the largest body it reads.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
    API_MAX_CONTENT_LENGTH = 1024 * 1024
    # memory:// counts per process; several workers share counts through e.g. redis://host:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis down: count in this process's memory meanwhile rather than failing the API's calls.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    # /metrics is closed unless opened to the monitoring hosts' addresses or networks
    # (comma-separated, e.g. "10.0.5.7,10.0.6.0/24") or to a bearer token.
    METRICS_ALLOW = os.environ.get("METRICS_ALLOW", "")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # This host's name among the search index replicas (default: machine name and index directory).
    PORTAL_HOST_NAME = os.environ.get("PORTAL_HOST_NAME", "")

    # The dashboard's and localization page's aggregates are read at most this often per process
    # (the pages say when they were read); 0 reads them for every page.
    DASHBOARD_REFRESH_SECONDS = int(os.environ.get("DASHBOARD_REFRESH_SECONDS", "60"))

    PASSWORD_RESET_MAX_AGE = 60 * 60
    # The link that confirms a new account's address: how long it works, and how many links (or
    # "someone tried to sign up with your address" notes) one account is sent within an hour.
    EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 60 * 60
    EMAIL_VERIFICATION_MAX_PER_HOUR = 3
    EMAIL_VERIFICATION_RATE_LIMIT = os.environ.get("EMAIL_VERIFICATION_RATE_LIMIT", "10/hour")
    # Reset requests: per client address (then 429), and reset e-mails per account within the
    # link's lifetime (more requests are answered the same but send nothing).
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "10/hour")
    PASSWORD_RESET_MAX_PER_ACCOUNT = 3
    # Failed sign-ins allowed per account and per address within the window, then a pause.
    SIGN_IN_WINDOW_MINUTES = 15
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 5
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = 20
    PASSWORD_MIN_LENGTH = 12
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    BABEL_DEFAULT_LOCALE = "en"
    # The languages people can choose, each named in itself (the switch shows these names).
    LANGUAGES = {"en": "English", "ur": "اردو"}
    RTL_LANGUAGES = {"ur", "ar", "fa"}
    # Digits on Urdu pages: "latin" (1,234; EDB's preference for figures) or "urdu" (۱,۲۳۴).
    PORTAL_DIGITS = os.environ.get("PORTAL_DIGITS", "latin")
    WTF_CSRF_TIME_LIMIT = None
    PASSWORD_HASH_METHOD = "scrypt"


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    DASHBOARD_REFRESH_SECONDS = 0  # tests change data and read the figures at once
    SEARCH_CATCH_UP_SECONDS = 0  # tests write outbox rows as another host would and search at once
    SECRET_KEY = "testing-secret-key"
    AUDIT_KEY = "testing-audit-key"
    SQLALCHEMY_DATABASE_URI = database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = ""
    # Low-cost scrypt keeps the suite fast; production keeps Werkzeug's default strength.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    return CONFIGS.get((name or os.environ.get("PORTAL_ENV") or "development").lower(), DevelopmentConfig)
