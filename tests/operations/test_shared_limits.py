"""Rate limits hold across hosts: counted in Redis, a client gains nothing by alternating hosts."""

from tests.operations.hosts import hosts

LIMIT = "4/hour"


def statuses_alternating(pair, calls: int) -> list[int]:
    return [pair[number % 2].get("/api/v1/taxonomy").status for number in range(calls)]


def test_a_client_cannot_double_its_allowance_by_alternating_hosts(app, redis_url, tmp_path):
    with hosts(app, tmp_path, RATELIMIT_STORAGE_URI=redis_url, API_RATE_LIMIT=LIMIT) as pair:
        assert statuses_alternating(pair, 8) == [200] * 4 + [429] * 4
        assert pair[0].get("/api/v1/taxonomy").headers["Retry-After"].isdigit()


def test_counted_in_each_host_alone_the_same_client_would_get_twice_the_limit(app, tmp_path):
    """Why the limit needs shared storage: with memory:// each host counts only its own calls."""
    with hosts(app, tmp_path, RATELIMIT_STORAGE_URI="memory://", API_RATE_LIMIT=LIMIT) as pair:
        assert statuses_alternating(pair, 10) == [200] * 8 + [429] * 2


def test_with_redis_gone_the_api_keeps_answering_and_counting_in_memory(app, tmp_path):
    gone = f"redis+unix://{tmp_path / 'no-redis.sock'}"
    with hosts(app, tmp_path, count=1, RATELIMIT_STORAGE_URI=gone, API_RATE_LIMIT=LIMIT) as (host,):
        assert [host.get("/api/v1/taxonomy").status for _ in range(5)] == [200] * 4 + [429]
