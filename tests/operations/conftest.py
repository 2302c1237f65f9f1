import shutil

import pytest
import redis

from tests.operations.hosts import redis_server


@pytest.fixture(scope="session")
def _redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
    with redis_server() as url:
        yield url


@pytest.fixture
def redis_url(_redis_url):
    """An empty Redis every host of the test shares; tests that need one are skipped without redis-server."""
    redis.Redis(unix_socket_path=_redis_url.removeprefix("redis+unix://")).flushall()
    return _redis_url
