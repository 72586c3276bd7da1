"""A Redis cache that answers like an empty cache while Redis is unreachable.

The cache shares its Redis with the Celery broker: an outage must not turn every cached page, the
API's throttles and allauth's rate limits into 500s. Connection errors and timeouts become misses
(and, for writes, no-ops), as Django's DummyCache would answer; after one, Redis is left alone for
``RETRY_AFTER`` seconds so that a half-open connection costs one socket timeout, not one per call.
"""

import logging
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# Redis's own default waits 5 s for a dead server; a page would wait that long for each fragment.
DEFAULT_SOCKET_TIMEOUT = 0.5
DEFAULT_RETRY_AFTER = 5.0

T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls degrade to a miss when Redis is down.

    ``OPTIONS`` may set ``RETRY_AFTER`` (seconds); the other options go to redis-py, with short
    ``socket_connect_timeout`` and ``socket_timeout`` unless given.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0

    def _attempt(self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except UNAVAILABLE as exc:
            self._down_until = time.monotonic() + self.retry_after
            logger.warning("Cache unavailable, answering misses for %ss: %s", self.retry_after, exc)
            return fallback

    # Answers as DummyCache does: add() says "added" (allauth's lock would wait a second on False).
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._attempt(partial(super().add, key, value, timeout, version), True)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._attempt(partial(super().get, key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._attempt(partial(super().set, key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._attempt(partial(super().touch, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._attempt(partial(super().delete, key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._attempt(partial(super().get_many, list(keys), version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._attempt(partial(super().has_key, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        value = self._attempt(partial(super().incr, key, delta, version), None)
        if value is None:
            raise ValueError(f"Key '{key}' not found")  # what incr says of a key the cache does not hold
        return value

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._attempt(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._attempt(partial(super().delete_many, list(keys), version), None)

    def clear(self) -> None:
        self._attempt(super().clear, None)
