from django.contrib.auth.models import Group
from django.db import transaction

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
