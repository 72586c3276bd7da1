"""Views every app shares: the object-permission mixin for pages about one object, and /healthz."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_status, database_status, public
from core.permissions import object_for


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


class ObjectPermissionMixin(LoginRequiredMixin):
    """A page about one object: signed-in people only; the object is found among what the user may see
    (``get_permission_queryset``: a ``visible_to(user)`` queryset, 404 otherwise), then
    ``permission_required`` is asked about it (403). The object is ``self.object`` from then on.
    """

    permission_required = ""
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_permission_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = object_for(
            user=request.user,
            queryset=self.get_permission_queryset(),
            perm=self.permission_required,
            **{self.lookup_field: kwargs[self.lookup_url_kwarg]},
        )
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset: Any = None) -> Any:
        return self.object
