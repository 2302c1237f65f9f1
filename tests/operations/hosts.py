"""Several portal hosts inside one test: each a process of its own, serving its own app.

Hosts are forked from the test process (the portal is already imported, so one starts in a
fraction of a second) and create their own app: their own limiter, index and memory. They share
only what real hosts share: the database and, when configured, Redis.
"""

import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from portal.extensions import db

STARTUP_SECONDS = 20


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict


@dataclass
class Host:
    url: str
    process: multiprocessing.Process

    def get(self, path: str, headers: dict | None = None) -> Response:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return Response(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read(), dict(error.headers))


def _serve(parent_app, config: dict, ports) -> None:
    from werkzeug.serving import make_server

    from portal import create_app

    with parent_app.app_context():
        db.engine.dispose(close=False)  # the parent's connections stay the parent's
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    ports.put(server.server_port)
    try:
        server.serve_forever()
    finally:
        os._exit(0)


@contextmanager
def hosts(parent_app, folder: Path, count: int = 2, **settings):
    """`count` hosts on the test's database, each with its own index and upload folders."""
    context = multiprocessing.get_context("fork")
    started = []
    try:
        for number in range(count):
            config = {
                "SQLALCHEMY_DATABASE_URI": parent_app.config["SQLALCHEMY_DATABASE_URI"],
                "PORTAL_INDEX_DIR": str(folder / f"host-{number}" / "index"),
                "UPLOAD_DIR": str(folder / f"host-{number}" / "uploads"),
                **settings,
            }
            ports = context.Queue()
            process = context.Process(target=_serve, args=(parent_app, config, ports), daemon=True)
            process.start()
            started.append(Host(f"http://127.0.0.1:{ports.get(timeout=STARTUP_SECONDS)}", process))
        yield started
    finally:
        for host in started:
            host.process.terminate()
            host.process.join(timeout=10)


@contextmanager
def redis_server():
    """A throw-away redis-server on a Unix socket; yields its URL for RATELIMIT_STORAGE_URI."""
    folder = Path(tempfile.mkdtemp(prefix="portal-redis-"))
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_redis(socket, process)
        yield f"redis+unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for_redis(socket: Path, process: subprocess.Popen) -> None:
    import redis

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {process.returncode}")
        if socket.exists():
            try:
                if redis.Redis(unix_socket_path=str(socket)).ping():
                    return
            except redis.ConnectionError:
                pass
        time.sleep(0.02)
    raise RuntimeError("redis-server did not start")
