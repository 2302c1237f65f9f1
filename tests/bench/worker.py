"""A stand-in web worker: open the app, answer every benchmark query once, print peak RSS in MB.

Run by the search benchmark in a fresh process, so the figure is what one worker holds (the
index's caches and bit sets included), not what building the corpus or the index cost.
"""

import resource
import sys

from portal import create_app, search
from portal.search import SearchParams
from tests.bench.search import PROVINCES, QUERIES


def main() -> None:
    app = create_app()
    client = app.test_client()
    for q, category in QUERIES:
        with app.app_context():
            search.search(SearchParams(q=q, category=category))
        client.get("/suppliers/", query_string={"q": q, "category": category})
    for province in PROVINCES:
        with app.app_context():
            search.search(SearchParams(province=province, sort="name"))
    client.get("/")
    print(_peak_mb())


def _peak_mb() -> float:
    """This process's peak resident memory. On Linux ru_maxrss survives exec, so it would report
    the parent's peak; VmHWM belongs to this process's own address space."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


if __name__ == "__main__":
    main()
