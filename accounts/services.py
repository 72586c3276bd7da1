from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role, User
from accounts.roles import forget_roles


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> User:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    forget_roles(user)
    return user


@transaction.atomic
def user_get_or_create(*, email: str, first_name: str = "", last_name: str = "") -> tuple[User, bool]:
    """Find a person by email (case-insensitive) or create them without a usable password."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        changed = []
        for field, value in (("first_name", first_name), ("last_name", last_name)):
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        return user, False
    user = User(email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user``: the stored row (a digest only) and the token, shown once.

    Expired tokens of the account are dropped, and the oldest live ones beyond
    ``CONCORD_API_TOKENS_PER_USER`` make room for the new one.
    """
    # Two sign-ins at once must not both keep the oldest token: they queue on the account's row.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lte=timezone.now()).delete()
    keep = max(settings.CONCORD_API_TOKENS_PER_USER - 1, 0)
    surplus = list(tokens.order_by("-created", "-digest").values_list("digest", flat=True)[keep:])
    if surplus:
        AuthToken.objects.filter(digest__in=surplus).delete()
    return AuthToken.objects.create(user=user)


def api_tokens_revoke(*, user: User, token_key: str | None = None) -> int:
    """Revoke one of ``user``'s API tokens (by its public ``token_key``) or, without a key, all of them."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    deleted, _ = tokens.delete()
    return deleted
