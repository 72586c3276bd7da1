from typing import Any

from django.http import HttpRequest

from accounts.models import Role
from accounts.roles import user_roles


def role_flags(request: HttpRequest) -> dict[str, Any]:
    held = user_roles(getattr(request, "user", None))
    return {
        "is_coordinator": Role.COORDINATOR in held,
        "is_facilitator": Role.FACILITATOR in held,
        "is_participant": Role.PARTICIPANT in held,
    }
