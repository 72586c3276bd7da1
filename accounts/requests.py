from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


def acting_user(request: HttpRequest | Request) -> User:
    """The signed-in person behind a page's or an API request, for views that let only signed-in people in."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("acting_user() needs a signed-in user; guard the view with LoginRequiredMixin.")
    return user
