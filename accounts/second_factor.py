"""Who must have a second factor, and since when: the rules behind the middleware, the API and the banner.

Coordinators and facilitators must (``second_factor_required``); participants may. A required person
gets ``CONCORD_MFA_GRACE_DAYS`` from their first sign-in before it is enforced. The factors themselves
are allauth.mfa's (TOTP with recovery codes, WebAuthn security keys).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from accounts.roles import user_roles

STAFF_ROLES = frozenset({Role.COORDINATOR.value, Role.FACILITATOR.value})
# Factors that stand on their own; recovery codes only back them up.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class SecondFactorStatus:
    required: bool
    active: bool
    due_at: dt.datetime | None  # when enforcement starts for a required person without one

    @property
    def enforced(self) -> bool:
        """Required, missing, and the grace period is over: only setting one up is allowed."""
        return self.required and not self.active and self.due_at is not None and self.due_at <= timezone.now()

    @property
    def pending(self) -> bool:
        """Required and missing, still within the grace period."""
        return self.required and not self.active and not self.enforced


def second_factor_required(user: Any) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def second_factor_active(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()


def second_factor_due_at(user: Any) -> dt.datetime:
    """When a required person's grace period ends. Never signed in yet (an API client's first token, a
    test): it starts now."""
    started = user.first_login_at or timezone.now()
    return started + dt.timedelta(days=settings.CONCORD_MFA_GRACE_DAYS)


def second_factor_enforced(user: Any) -> bool:
    """``second_factor_status(user).enforced``, without a query while the grace period runs (API requests)."""
    if second_factor_due_at(user) > timezone.now():
        return False
    return second_factor_required(user) and not second_factor_active(user)


def second_factor_status(user: Any) -> SecondFactorStatus:
    """One query for a required person (their factors), none for anybody else."""
    if not getattr(user, "is_authenticated", False) or not second_factor_required(user):
        return SecondFactorStatus(required=False, active=False, due_at=None)
    active = second_factor_active(user)
    return SecondFactorStatus(required=True, active=active, due_at=second_factor_due_at(user))


# The session remembers the answer, so that pages cost no query: it is worked out at sign-in (or on the
# first request of an older session), set to "ok" when the person adds a factor, and dropped when they
# remove one. A coordinator's reset ends the person's sessions.
SESSION_KEY = "concord.second_factor"


def second_factor_remember(session: Any, status: SecondFactorStatus) -> None:
    if not status.required:
        session[SESSION_KEY] = "no"
    elif status.active:
        session[SESSION_KEY] = "ok"
    else:
        session[SESSION_KEY] = status.due_at.isoformat() if status.due_at else ""


def second_factor_recall(session: Any) -> SecondFactorStatus | None:
    value = session.get(SESSION_KEY)
    if value is None:
        return None
    if value == "no":
        return SecondFactorStatus(required=False, active=False, due_at=None)
    if value == "ok":
        return SecondFactorStatus(required=True, active=True, due_at=None)
    try:
        due_at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return SecondFactorStatus(required=True, active=False, due_at=due_at)
