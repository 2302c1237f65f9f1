"""Load benchmark: the portal under gunicorn (2 workers, as the README serves it) answering a mix of
directory searches and firm profiles from several clients at once, for a minute.

The figures are what a visitor feels while many others use the portal: requests per second held
over the whole run, the 95th percentile of response time (queueing for a worker included) and
the number of failed requests. `BENCH_LOAD_SECONDS` shortens the run (e.g. 10 for a quick look),
`BENCH_LOAD_CLIENTS` sets how many clients send requests back to back (default 4).

The client is plain Python (http.client, one process per client, keeping the connection open
where the server allows it), so the benchmark needs nothing beyond the project's packages. Client
and server share the machine: on a 2-core machine the clients take some of the CPU the workers
would otherwise have, so the figures are a floor for a server with its own cores.
"""

import http.client
import multiprocessing
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import select

from tests.bench.registry import Figure, Run, benchmark
from tests.bench.search import QUERIES
from tests.bench.timing import percentile

SEARCH_SHARE = 0.6  # the rest are firm profiles
WINDOW = 10  # seconds per line of progress
SAMPLE_FIRMS = 2_000
STOP_WORDS = {"and", "the", "for", "with", "from", "our", "are", "per", "any", "all", "pvt", "ltd", "since", "in"}


def _seconds() -> float:
    return float(os.environ.get("BENCH_LOAD_SECONDS", "60"))


def _clients() -> int:
    return int(os.environ.get("BENCH_LOAD_CLIENTS", "4"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _paths(run: Run, rng: random.Random) -> tuple[list[str], list[str]]:
    """Search paths with queries made of the corpus's own words, and profile paths of public firms."""
    from portal.extensions import db
    from portal.suppliers.models import Firm

    with run.app.app_context():
        firms = db.session.execute(select(Firm.id, Firm.slug).where(Firm.is_public).order_by(Firm.id)).all()
        sample = rng.sample(firms, min(SAMPLE_FIRMS, len(firms)))
        texts = db.session.scalars(select(Firm.description).where(Firm.id.in_([f.id for f in sample[:300]])))
        words = sorted(
            {
                word.lower()
                for text in texts
                for word in re.findall(r"[A-Za-z][A-Za-z-]{2,}", text)
                if word.lower() not in STOP_WORDS
            }
        )
        db.session.remove()
    queries = [q for q, _ in QUERIES] + [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(300)]
    searches = []
    for query in queries:
        params = {"q": query}
        if rng.random() < 0.3:
            params["category"] = rng.choice(QUERIES)[1]
        if rng.random() < 0.1:
            params["page"] = 2
        searches.append("/suppliers/?" + urlencode(params))
    profiles = [f"/suppliers/{firm.id}-{firm.slug}" for firm in sample]
    return searches, profiles


def _client(port: int, searches, profiles, seed: int, until: float, results) -> None:
    """Send requests back to back until `until`; report (finish time, ms, ok) per request."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    while (now := time.monotonic()) < until:
        path = rng.choice(searches) if rng.random() < SEARCH_SHARE else rng.choice(profiles)
        ok = False
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = time.monotonic()
        samples.append((done, (done - now) * 1000, ok))
    connection.close()
    results.put(samples)


def _start_server(port: int, log_path: Path, **settings: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        AUDIT_KEY=secrets.token_hex(32),
        **settings,
    )
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "portal.wsgi:app",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_until_serving(port: int, server: subprocess.Popen, log_path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: {log_path.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/suppliers/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _drive(ports: int | list[int], searches, profiles, seconds: float, clients: int) -> list[tuple[float, float, bool]]:
    """Clients send requests back to back; with several ports (hosts) client n uses host n mod count."""
    ports = [ports] if isinstance(ports, int) else ports
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    until = time.monotonic() + seconds
    workers = [
        context.Process(target=_client, args=(ports[n % len(ports)], searches, profiles, 1000 + n, until, results))
        for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    samples = []
    for _ in workers:
        samples += results.get(timeout=seconds + 120)
    for worker in workers:
        worker.join()
    return samples


def _workers_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker after the run (its caches full), from /proc."""
    sizes = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sizes


def _say(message: str) -> None:
    print(f"load: {message}", file=sys.stderr, flush=True)


@benchmark("load")
def load(run: Run) -> list[Figure]:
    """gunicorn with 2 workers, several clients: searches and firm profiles for 60 s (BENCH_LOAD_SECONDS)."""
    rng = random.Random(2026)
    searches, profiles = _paths(run, rng)
    seconds, clients = _seconds(), _clients()
    port = _free_port()
    log_path = Path(os.environ.get("PORTAL_INSTANCE_DIR", ".")) / "gunicorn.log"
    load_before = os.getloadavg()
    _say(f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    server = _start_server(port, log_path)
    try:
        _wait_until_serving(port, server, log_path)
        _drive(port, searches, profiles, min(5.0, seconds), clients)  # warm-up: both workers, caches, templates
        _say(f"{clients} clients for {seconds:.0f} s against 127.0.0.1:{port}")
        started = time.monotonic()
        samples = _drive(port, searches, profiles, seconds, clients)
        worker_rss = _workers_rss_mb(server.pid)
    finally:
        _stop(server)
    load_after = os.getloadavg()
    _say(f"load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if not samples:
        raise RuntimeError("the load run sent no request")
    windows: dict[int, int] = {}
    for done, _ms, _ok in samples:
        windows[int((done - started) // WINDOW)] = windows.get(int((done - started) // WINDOW), 0) + 1
    full = [count / WINDOW for window, count in sorted(windows.items()) if (window + 1) * WINDOW <= seconds]
    for number, rps in enumerate(full):
        _say(f"{number * WINDOW:>3}-{(number + 1) * WINDOW} s: {rps:.0f} req/s")
    errors = sum(1 for _done, _ms, ok in samples if not ok)
    elapsed = max(done for done, _ms, _ok in samples) - started
    latencies = [ms for _done, ms, _ok in samples]
    figures = [
        Figure("load_rps", len(samples) / elapsed, "req/s"),
        Figure("load_p50_ms", percentile(latencies, 50), "ms"),
        Figure("load_p95_ms", percentile(latencies, 95), "ms"),
        Figure("load_errors", errors, "requests"),
    ]
    if full:
        figures.insert(1, Figure("load_min_window_rps", min(full), "req/s"))
    if worker_rss:
        figures.append(Figure("load_worker_rss_mb", max(worker_rss), "MB"))
    lowest = f"; lowest {WINDOW} s window {min(full):.0f} req/s" if full else ""
    _say(f"{len(samples):,} requests, {errors} errors{lowest}")
    return figures


# --- two hosts ------------------------------------------------------------------------------------

LAG_PROBE_EVERY = 0.5  # seconds between changes whose arrival on the other host is timed


def _lag_probe(run: Run, firm_id: int, port: int, until: float, results) -> None:
    """Change a public firm (as host A would: a commit and its outbox row), then time how long
    until host B's directory finds it: commit to searchable on the other host."""
    from portal.extensions import db
    from portal.suppliers.models import Firm

    samples, number = [], 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    with run.app.app_context():
        db.engine.dispose(close=False)  # forked: the parent's connections stay the parent's
        original = db.session.get(Firm, firm_id).description
        while time.monotonic() < until:
            number += 1
            word = "lagprobe" + "".join(chr(ord("a") + int(d)) for d in str(number))
            firm = db.session.get(Firm, firm_id)
            firm.description = f"{original} {word}"
            db.session.commit()
            committed = time.monotonic()
            while time.monotonic() - committed < 30:
                connection.request("GET", f"/suppliers/?q={word}", headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                if f"/suppliers/{firm_id}-" in response.read().decode("utf-8", "replace"):
                    samples.append((time.monotonic() - committed) * 1000)
                    break
            time.sleep(max(0.0, LAG_PROBE_EVERY - (time.monotonic() - committed)))
        db.session.get(Firm, firm_id).description = original
        db.session.commit()
        db.session.remove()
    connection.close()
    results.put(samples)


@benchmark("load_2hosts")
def load_two_hosts(run: Run) -> list[Figure]:
    """Two hosts of 2 gunicorn workers each on one database, clients spread over both; outbox lag."""
    rng = random.Random(2027)
    searches, profiles = _paths(run, rng)
    seconds, clients = _seconds(), _clients()
    cores = os.cpu_count() or 1
    _say(f"machine: {cores} CPUs shared by both hosts, the database and the clients")
    instance = Path(os.environ.get("PORTAL_INSTANCE_DIR", "."))
    database = run.app.config["SQLALCHEMY_DATABASE_URI"]
    ports, servers = [_free_port(), _free_port()], []
    try:
        for name, port in zip(("a", "b"), ports, strict=True):
            # Host a serves the index the runner built; host b starts empty and builds its own.
            folder = instance if name == "a" else instance / "host-b"
            folder.mkdir(exist_ok=True)
            log_path = folder / f"gunicorn-{name}.log"
            settings = {
                "DATABASE_URL": database,
                "PORTAL_INSTANCE_DIR": str(folder),
                "PORTAL_HOST_NAME": f"host-{name}",
            }
            servers.append((_start_server(port, log_path, **settings), log_path))
        for port, (server, log_path) in zip(ports, servers, strict=True):
            _wait_until_serving(port, server, log_path, timeout=600)
        _drive(ports, searches, profiles, min(5.0, seconds), clients)  # warm-up, as for one host
        public = [int(path.split("/")[2].split("-")[0]) for path in profiles]
        context = multiprocessing.get_context("fork")
        lags = context.Queue()
        probe = context.Process(target=_lag_probe, args=(run, public[0], ports[1], time.monotonic() + seconds, lags))
        _say(f"{clients} clients over 2 hosts for {seconds:.0f} s; changes timed from commit to found on host b")
        probe.start()
        started = time.monotonic()
        samples = _drive(ports, searches, profiles, seconds, clients)
        lag_ms = lags.get(timeout=120)
        probe.join()
    finally:
        for server, _log in servers:
            _stop(server)
    if not samples:
        raise RuntimeError("the load run sent no request")
    errors = sum(1 for _done, _ms, ok in samples if not ok)
    elapsed = max(done for done, _ms, _ok in samples) - started
    latencies = [ms for _done, ms, _ok in samples]
    _say(f"{len(samples):,} requests, {errors} errors; {len(lag_ms)} changes timed to host b")
    figures = [
        Figure("machine_cores", cores, "cores"),
        Figure("load_rps_2hosts", len(samples) / elapsed, "req/s"),
        Figure("load_p95_ms_2hosts", percentile(latencies, 95), "ms"),
        Figure("load_errors_2hosts", errors, "requests"),
    ]
    if lag_ms:
        figures.append(Figure("outbox_lag_p95_ms_2hosts", percentile(lag_ms, 95), "ms"))
    return figures
