"""The Redis server the tests that need one use: TEST_REDIS_URL, else database 15 on
this machine. With CI set, a missing server fails the test instead of skipping it."""

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"needs Redis at {REDIS_URL} ({error})")
