"""The Redis cache answers like an empty cache while Redis is down, and does not wait long for it."""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache as cache_module
from core.cache import ResilientRedisCache

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A Redis URL whose server accepts connections and never answers (a half-open connection)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_dead_redis_answers_like_an_empty_cache(caplog):
    # A Celery test worker started earlier in this process may have configured logging and
    # disabled the loggers that existed then; this test reads core.cache's warnings.
    logging.getLogger("core.cache").disabled = False
    caplog.set_level(logging.WARNING, logger="core.cache")
    cache = ResilientRedisCache(CLOSED_PORT, {"OPTIONS": {"RETRY_AFTER": 0}})
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is True  # allauth's rate-limit lock would otherwise wait a second
    assert cache.get_or_set("k", 5) == 5
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("k") is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is None
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    assert "Cache unavailable" in caplog.text


def test_after_a_failure_redis_is_left_alone_for_a_while(monkeypatch):
    cache = ResilientRedisCache(CLOSED_PORT, {"OPTIONS": {"RETRY_AFTER": 5}})
    attempts: list[str] = []

    def down(key: str, default: object) -> object:
        attempts.append(key)
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache._cache, "get", down)
    now = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    assert cache.get("a") is None
    assert cache.get("b") is None  # not tried: answered as a miss at once
    assert len(attempts) == 1
    now[0] += 5.1
    assert cache.get("c") is None
    assert len(attempts) == 2


def test_a_redis_that_never_answers_costs_one_short_timeout(silent_server):
    cache = ResilientRedisCache(silent_server, {"OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2}})
    started = time.monotonic()
    for n in range(20):
        assert cache.get(f"fragment-{n}") is None
    assert time.monotonic() - started < 2  # one timeout, not twenty (Redis's own default is 5 s each)


def test_short_socket_timeouts_are_the_default():
    cache = ResilientRedisCache(CLOSED_PORT, {})
    assert cache._options["socket_timeout"] <= 1
    assert cache._options["socket_connect_timeout"] <= 1
    assert "RETRY_AFTER" not in cache._options  # ours, not redis-py's


@pytest.mark.services
def test_a_live_redis_is_used_as_a_cache():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    cache = ResilientRedisCache(url, {"KEY_PREFIX": f"concord-test-{uuid.uuid4().hex}"})
    try:
        assert cache.add("k", 1) is True
        assert cache.add("k", 2) is False
        assert cache.get("k") == 1
        assert cache.incr("k") == 2
        cache.set_many({"a": "x", "b": "y"})
        assert cache.get_many(["a", "b", "c"]) == {"a": "x", "b": "y"}
    finally:
        cache.delete_many(["k", "a", "b"])
        cache.close()
