"""Health of the services the platform needs, for /healthz and operators.

Each check answers within about a second. The details (database vendor, broker mode, the error's
class) are for staff only; ``public`` strips them.
"""

from typing import Any

from django.db import connection

PING_TIMEOUT_SECONDS = 1.0


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the reason is reported to staff
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status(*, timeout: float = PING_TIMEOUT_SECONDS) -> dict[str, Any]:
    """PING the broker of the Celery app itself: a broken publish is not needed to notice it is down."""
    from celery import current_app as app

    url = app.conf.broker_url or "memory://"
    if url.startswith("memory://"):
        return {"ok": True, "mode": "in-process"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return _redis_ping(url, timeout=timeout)
    conn = app.connection_for_write(connect_timeout=timeout)
    try:
        conn.ensure_connection(max_retries=1, timeout=max(1, round(timeout)))
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "mode": str(conn.transport_cls), "error": exc.__class__.__name__}
    finally:
        conn.release()
    return {"ok": True, "mode": str(conn.transport_cls)}


def _redis_ping(url: str, *, timeout: float) -> dict[str, Any]:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - refused, timed out, wrong password, not Redis: all "down"
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"ok": True, "mode": "redis"}


def public(status: dict[str, Any]) -> dict[str, Any]:
    """What anyone may see of a status: whether it is ok, nothing about the software behind it."""
    return {"ok": bool(status["ok"])}
