from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from accounts.second_factor import FACTOR_TYPES, STAFF_ROLES


def api_token_list(*, user: User) -> QuerySet[AuthToken]:
    """``user``'s API tokens that still work, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(live, user=user).order_by("-created", "-digest")


def staff_second_factor_list() -> QuerySet[User]:
    """Active coordinators and facilitators with ``has_second_factor``, by e-mail: one query."""
    factors = Authenticator.objects.filter(user=OuterRef("pk"), type__in=FACTOR_TYPES)
    staff = Q(groups__name__in=STAFF_ROLES) | Q(is_superuser=True)
    return (
        User.objects.filter(staff, is_active=True)
        .distinct()
        .annotate(has_second_factor=Exists(factors))
        .order_by("email")
    )
