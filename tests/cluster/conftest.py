"""Two gunicorn hosts on one PostgreSQL and one Redis, as `.ci/run` sets them up.

The hosts run the development settings over plain HTTP (production cookies are Secure and
would not come back over it), each with its own instance directory and so its own search index;
uploads go to the database store, rate limits to Redis, exactly as several production hosts.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cluster.web import Web

DATABASE_URL = os.environ.get("PORTAL_CLUSTER_DATABASE_URL", "")
REDIS_URL = os.environ.get("PORTAL_CLUSTER_REDIS_URL", "")
API_LIMIT = 20  # an hour: a count that cannot reset mid-test
PASSWORD = "cluster-test-password-2026"
STARTUP_SECONDS = 90
SECRET_KEY = "cluster-test-secret-key-shared-by-every-host"
AUDIT_KEY = "cluster-test-audit-key-shared-by-every-host"


def cluster_app(**settings):
    """An app in this process on the cluster's database, with the keys the hosts use."""
    from portal import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
            "SECRET_KEY": SECRET_KEY,
            "AUDIT_KEY": AUDIT_KEY,
            **settings,
        }
    )


@dataclass
class Host:
    name: str
    url: str
    process: subprocess.Popen
    log: Path
    instance: Path

    def kill(self) -> None:
        """SIGKILL to gunicorn and its workers at once: the machine lost its power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    a: Host
    b: Host
    tokens: dict
    emails: dict


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare_database() -> tuple[dict, dict]:
    """An empty schema at the newest migration, and the people the tests act as."""
    from flask_migrate import upgrade

    from portal.accounts import service as accounts
    from portal.accounts.models import ApiToken
    from portal.extensions import db

    app = cluster_app()
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=app.extensions["migrate"].directory)
        emails, tokens = {}, {}
        for role in ("staff", "brand", "investor"):
            emails[role] = f"{role}@cluster.example.pk"
            user = accounts.create_user(
                email=emails[role], password=PASSWORD, full_name=f"Cluster {role}", role=role, organisation="Cluster"
            )
            db.session.commit()
            tokens[role] = ApiToken.issue(user, "cluster")[1]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails, tokens


def _start(name: str, folder: Path) -> Host:
    instance = folder / name
    (instance / "metrics").mkdir(parents=True)
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "SECRET_KEY": SECRET_KEY,
        "AUDIT_KEY": AUDIT_KEY,
        "DATABASE_URL": DATABASE_URL,
        "PORTAL_INSTANCE_DIR": str(instance),
        "PORTAL_INDEX_DIR": str(instance / "index"),
        "UPLOAD_DIR": str(instance / "uploads"),
        "UPLOAD_STORAGE": "database",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "API_RATE_LIMIT": f"{API_LIMIT}/hour",
        "PORTAL_HOST_NAME": name,
        "PROMETHEUS_MULTIPROC_DIR": str(instance / "metrics"),
        "METRICS_ALLOW": "127.0.0.1",
    }
    log = folder / f"{name}.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "60", "portal.wsgi:app"]
    with log.open("wb") as output:  # the host keeps its own copy of the file
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    return Host(name, f"http://127.0.0.1:{port}", process, log, instance)


def _wait_ready(hosts: list[Host]) -> None:
    web, deadline = Web(timeout=5), time.monotonic() + STARTUP_SECONDS
    waiting = list(hosts)
    while waiting and time.monotonic() < deadline:
        for host in list(waiting):
            if host.process.poll() is not None:
                pytest.fail(f"host {host.name} exited: {host.log.read_text()[-3000:]}")
            try:
                if web.get(f"{host.url}/readyz").status == 200:
                    waiting.remove(host)
            except OSError:
                pass
        time.sleep(0.1)
    if waiting:
        pytest.fail(f"hosts not ready after {STARTUP_SECONDS}s: {[h.name for h in waiting]}")


def _warm_up(hosts: list[Host]) -> None:
    """Hosts that have served a while: each worker has met the pages once (templates, searcher)."""
    web = Web()
    for host in hosts:
        for _ in range(6):
            web.get(f"{host.url}/suppliers/?q=battery")


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if not (DATABASE_URL and REDIS_URL):
        pytest.skip(
            "the two-host test needs PORTAL_CLUSTER_DATABASE_URL (an empty PostgreSQL database) and "
            "PORTAL_CLUSTER_REDIS_URL; .ci/run sets both after the PostgreSQL suite"
        )
    emails, tokens = _prepare_database()
    folder = tmp_path_factory.mktemp("cluster")
    hosts = [_start("host-a", folder), _start("host-b", folder)]
    try:
        _wait_ready(hosts)
        _warm_up(hosts)
        yield Cluster(a=hosts[0], b=hosts[1], tokens=tokens, emails=emails)
    finally:
        for host in hosts:
            if host.process.poll() is None:
                os.killpg(host.process.pid, signal.SIGTERM)
                host.process.wait(timeout=20)


@pytest.fixture(scope="session")
def staff(cluster) -> Web:
    web = Web()
    web.sign_in(cluster.a.url, cluster.emails["staff"], PASSWORD)
    return web


@pytest.fixture(scope="session")
def brand(cluster) -> Web:
    web = Web()
    web.sign_in(cluster.b.url, cluster.emails["brand"], PASSWORD)
    return web
