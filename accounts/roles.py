"""Which roles a user holds. Answers are cached on the user object for one request."""

from typing import Any

from accounts.models import Role

_CACHE_ATTR = "_concord_roles"


def user_roles(user: Any) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.COORDINATOR.value)
        cached = frozenset(names & set(Role.values))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user: Any, role: Role) -> bool:
    return role.value in user_roles(user)


def is_coordinator(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_facilitator(user: Any) -> bool:
    return has_role(user, Role.FACILITATOR)


def is_participant(user: Any) -> bool:
    return has_role(user, Role.PARTICIPANT)


def forget_roles(user: Any) -> None:
    """Drop the cached roles after the user's groups changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
