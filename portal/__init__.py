"""The EDB Supplier Portal: Flask application factory."""

import importlib
import os
from pathlib import Path

from flask import Flask
from flask_babel import gettext
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import config as portal_config
from portal import input_guard, storage
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
from portal.i18n import N_
from portal.keys import HOW_TO_MAKE_ONE, weak_key_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class InsecureConfiguration(RuntimeError):
    pass


# The domains' modules offering items to the staff review queue: a new kind of item is one more here.
REVIEW_QUEUE_OFFERS = ("portal.suppliers.review_queue", "portal.claims.review_queue", "portal.investment.review_queue")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(portal_config.INSTANCE_DIR),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings = portal_config.config_for("testing" if test_config is not None else None)
    app.config.from_object(settings)
    app.config["PORTAL_ENV"] = {v: k for k, v in portal_config.CONFIGS.items()}.get(settings, "development")
    if test_config:
        app.config.update(test_config)
    _refuse_insecure_production(app)
    storage.check_configuration(app)
    _trust_proxies(app)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = N_("Please sign in to see that page.")
    login_manager.localize_callback = gettext  # flashed in the reader's language
    login_manager.login_message_category = "info"
    limiter.init_app(app)

    from portal import models  # noqa: F401  (every table known to Alembic and the app)
    from portal.accounts.loaders import register_loaders

    register_loaders(login_manager)
    app.url_map.converters["int"] = RowIdConverter
    _register_blueprints(app)

    from portal import errors, headers, logs, mail, templating
    from portal.cli import register_cli
    from portal.operations import metrics
    from portal.search import indexing as search_indexing

    logs.configure(app)
    metrics.register(app)
    input_guard.register(app)
    search_indexing.init_app(app)
    errors.register(app)
    headers.register(app)
    templating.register(app)
    register_cli(app)
    mail.init_app(app)
    return app


class RowIdConverter(IntegerConverter):
    """`<int:…>` in a page's address is a row id: past what the database can hold it is no match
    (404), not a query PostgreSQL refuses with an error."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, **{"max": input_guard.MAX_ROW_ID, **kwargs})


def _refuse_insecure_production(app: Flask) -> None:
    """Production refuses a missing, default or guessable SECRET_KEY or AUDIT_KEY (under 32 random
    bytes), and an AUDIT_KEY equal to SECRET_KEY (one leaked key must not unlock both)."""
    if app.config["PORTAL_ENV"] != "production":
        return
    defaults = {"SECRET_KEY": portal_config.DEV_SECRET_KEY, "AUDIT_KEY": portal_config.DEV_AUDIT_KEY}
    for name, default in defaults.items():
        key = os.environ.get(name) and app.config[name]
        problem = weak_key_problem(name, None if key == default else key)
        if problem:
            raise InsecureConfiguration(problem)
    if app.config["AUDIT_KEY"] == app.config["SECRET_KEY"]:
        raise InsecureConfiguration(f"AUDIT_KEY must differ from SECRET_KEY: make a second key with {HOW_TO_MAKE_ONE}")


def _trust_proxies(app: Flask) -> None:
    """Behind `PROXY_HOPS` proxies, take the client's address and scheme from what they forwarded,
    so throttles, rate limits and logs see the client rather than the proxy. Host is not taken
    from X-Forwarded-Host: a proxy that does not set it would let a client choose the host of
    reset links; the proxy passes Host on instead (nginx: `proxy_set_header Host $host`)."""
    hops = app.config["PROXY_HOPS"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _select_locale():
    """The reader's language when serving a request; the default for commands and jobs."""
    from portal.i18n import page_language

    return page_language()


def _register_blueprints(app: Flask) -> None:
    from portal.accounts.views import bp as accounts_bp
    from portal.api.views import bp as api_bp
    from portal.bom.views import bp as bom_bp
    from portal.claims.views import bp as claims_bp
    from portal.compliance.firm_views import bp as standing_bp
    from portal.compliance.views import bp as compliance_bp
    from portal.dashboard.views import bp as dashboard_bp
    from portal.introductions.views import bp as introductions_bp
    from portal.investment.views import bp as investment_bp
    from portal.main.views import bp as main_bp
    from portal.money.views import bp as money_bp
    from portal.needs.views import bp as needs_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.operations.views import bp as operations_bp
    from portal.shortlists.views import bp as shortlists_bp
    from portal.staff.views import bp as staff_bp
    from portal.suppliers.views import bp as suppliers_bp

    for blueprint in (
        main_bp,
        accounts_bp,
        suppliers_bp,
        needs_bp,
        staff_bp,
        compliance_bp,
        standing_bp,
        claims_bp,
        notifications_bp,
        shortlists_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(introductions_bp)
    app.register_blueprint(investment_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(operations_bp)
    app.register_blueprint(bom_bp)
    app.register_blueprint(money_bp)
    _offer_review_queue_items()


def _offer_review_queue_items() -> None:
    """Each domain offers its kinds of item to the staff review queue (`staff.queue.offers`) when its
    module is imported, in the order the queue's kind filter lists them."""
    for module in REVIEW_QUEUE_OFFERS:
        importlib.import_module(module)
