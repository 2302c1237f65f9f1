"""Page benchmarks: server time of public pages through the test client (no network, no HTTP server)."""

from tests.bench.registry import Figure, Run, benchmark
from tests.bench.timing import measure, percentile

REQUESTS = 200
WARMUP = 10


@benchmark("home")
def home(run: Run) -> list[Figure]:
    """GET / : counts verified firms per category with one SQL aggregation over the whole corpus."""
    client = run.app.test_client()

    def get():
        response = client.get("/")
        if response.status_code != 200:
            raise RuntimeError(f"GET / answered {response.status_code}")
        return response

    # A page that does not show the corpus would be timed for nothing.
    if f"{run.public_firms:,}" not in get().get_data(as_text=True):
        raise RuntimeError(f"GET / does not show the {run.public_firms:,} public firms of the corpus")
    samples = measure(get, REQUESTS, WARMUP)
    return [
        Figure("home_p50_ms", percentile(samples, 50), "ms"),
        Figure("home_p95_ms", percentile(samples, 95), "ms"),
    ]
