from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_status, database_status, public


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise; details for staff only."""
    database = database_status()
    broker = broker_status()
    ok = database["ok"] and broker["ok"]
    user = getattr(request, "user", None)
    if not (user is not None and user.is_staff):
        database, broker = public(database), public(broker)
    return JsonResponse(
        {"status": "ok" if ok else "degraded", "database": database, "broker": broker}, status=200 if ok else 503
    )
