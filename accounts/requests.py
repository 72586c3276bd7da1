from django.http import HttpRequest

from accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person behind a request, for views that let only signed-in people through."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("acting_user() needs a signed-in user; guard the view with LoginRequiredMixin.")
    return user
