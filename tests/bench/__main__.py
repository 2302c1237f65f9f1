"""`python -m tests.bench [--size N] [--only NAME[,NAME]]`: build a corpus, run the benchmarks, print BENCH lines.

Every run gets a throw-away instance directory (SQLite file, search index, uploads), so it never
touches instance/ or a developer's data. DATABASE_URL is honoured (e.g. PostgreSQL); that database
must hold no firms yet: the corpus is added to it, never wiped, and leftovers would skew figures.
Human-readable lines go to stderr, BENCH lines to stdout, so `make bench | grep ^BENCH` stays clean.
"""

import argparse
import importlib
import os
import resource
import sys
import tempfile
import time

# Each module registers its benchmarks with @benchmark; later issues add theirs here.
MODULES = (
    "tests.bench.pages",
    "tests.bench.imports",
    "tests.bench.search",
    "tests.bench.matching",
    "tests.bench.dashboard",
    "tests.bench.load",
    "tests.bench.relevance",
    "tests.bench.bom",
)
DEFAULT_SIZE = 100_000
SEED = 2026


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _summary(fn) -> str:
    return (fn.__doc__ or "").strip().split("\n")[0]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=_positive, default=DEFAULT_SIZE, help="firms in the corpus (default 100000)")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="run only these benchmarks (comma-separated)")
    args = parser.parse_args(argv)
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as instance_dir:
        # config.py reads the environment once, when first imported: set it before importing the portal.
        if "config" in sys.modules:
            raise RuntimeError("config was imported before the benchmark could set PORTAL_INSTANCE_DIR")
        os.environ["PORTAL_INSTANCE_DIR"] = instance_dir
        os.environ["PORTAL_ENV"] = "development"
        for name in ("PORTAL_INDEX_DIR", "UPLOAD_DIR"):
            os.environ.pop(name, None)  # keep the index and uploads inside the throw-away directory

        import flask_migrate
        from sqlalchemy import func, select

        from portal import create_app
        from portal.extensions import db
        from portal.suppliers.models import Firm
        from tests.bench.corpus import generate_corpus
        from tests.bench.registry import BENCHMARKS, Figure, Run, bench_line

        for module in MODULES:
            importlib.import_module(module)
        only = set(args.only.split(",")) if args.only else set()
        if only - set(BENCHMARKS):
            unknown = ", ".join(sorted(only - set(BENCHMARKS)))
            parser.error(f"no benchmark {unknown}; choose from {', '.join(sorted(BENCHMARKS))}")

        app = create_app()
        with app.app_context():
            shown = db.engine.url.render_as_string(hide_password=True)
            _say(f"database: {shown}" + (" (DATABASE_URL)" if os.environ.get("DATABASE_URL") else " (temporary)"))
            flask_migrate.upgrade()
            existing = db.session.scalar(select(func.count()).select_from(Firm))
            db.session.remove()
            if existing:
                _say(f"{shown} already holds {existing:,} firms; benchmarks need an empty database.")
                return 2
            _say(f"corpus: generating {args.size:,} firms (seed {SEED})")
            stats = generate_corpus(args.size, seed=SEED)
        _say(
            f"corpus: {stats.firms:,} firms ({stats.public_firms:,} public), {stats.capabilities:,} capabilities, "
            f"{stats.capability_processes:,} capability processes, {stats.certificates:,} certificates "
            f"in {stats.seconds:.1f} s"
        )
        print(bench_line(Figure("corpus_build_firms_per_s", stats.firms_per_s, "firms/s"), args.size), flush=True)

        # Every page reads the search index, so build it first, as `make run` does.
        from portal import search

        with app.app_context():
            started = time.perf_counter()
            indexed = search.rebuild()
            seconds = time.perf_counter() - started
        _say(f"index: {indexed:,} public firms in {seconds:.1f} s")
        print(bench_line(Figure("index_rebuild_firms_per_s", indexed / seconds, "firms/s"), args.size), flush=True)

        # Benchmarks run outside any app context: each request pushes its own, as under a real server.
        run = Run(app=app, size=args.size, public_firms=stats.public_firms)
        for name, bench in BENCHMARKS.items():
            if only and name not in only:
                continue
            _say(f"{name}: {_summary(bench)}")
            started = time.perf_counter()
            for figure in bench(run):
                print(bench_line(figure, args.size), flush=True)
            _say(f"{name}: done in {time.perf_counter() - started:.1f} s")

        # The benchmark process itself (corpus, rebuild, imports); one worker's figure comes from the search benchmark.
        print(bench_line(Figure("bench_process_rss_mb", _peak_rss_mb(), "MB"), args.size), flush=True)
        with app.app_context():
            db.engine.dispose()  # close SQLite files before their directory goes
    _say(f"total: {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
