"""core.permissions.object_for and core.views.ObjectPermissionMixin: 404 for what one may not see, 403 for
what one sees but may not do, the page for the rest; core.exceptions.ApplicationError's one shape."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from core.exceptions import ApplicationError
from core.permissions import object_for
from core.views import ObjectPermissionMixin

pytestmark = pytest.mark.django_db


def _user(*, allowed: bool, authenticated: bool = True) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=authenticated, has_perm=lambda perm, obj=None: allowed)


def test_object_for_hides_what_is_not_visible_and_refuses_what_is_not_allowed():
    seen = Group.objects.create(name="seen")
    Group.objects.create(name="hidden")
    visible = Group.objects.filter(name="seen")
    assert object_for(user=_user(allowed=True), queryset=visible, perm="x.view", pk=seen.pk) == seen
    with pytest.raises(Http404):
        object_for(user=_user(allowed=True), queryset=visible, name="hidden")
    with pytest.raises(PermissionDenied):
        object_for(user=_user(allowed=False), queryset=visible, perm="x.change", pk=seen.pk)


class _GroupPage(ObjectPermissionMixin, View):
    permission_required = "auth.change_group"

    def get_permission_queryset(self):  # type: ignore[no-untyped-def]
        return Group.objects.filter(name__startswith="seen")

    def get(self, request, pk):  # type: ignore[no-untyped-def]
        return HttpResponse(self.get_object().name)


def test_the_mixin_answers_login_404_403_or_the_page():
    seen = Group.objects.create(name="seen")
    hidden = Group.objects.create(name="hidden")
    view = _GroupPage.as_view()

    def get(user, pk):  # type: ignore[no-untyped-def]
        request = RequestFactory().get(f"/groups/{pk}/")
        request.user = user
        return view(request, pk=pk)

    assert get(_user(allowed=True, authenticated=False), seen.pk).status_code == 302
    with pytest.raises(Http404):
        get(_user(allowed=True), hidden.pk)
    with pytest.raises(PermissionDenied):
        get(_user(allowed=False), seen.pk)
    assert get(_user(allowed=True), seen.pk).content == b"seen"


def test_an_application_error_is_a_validation_error_with_every_message():
    error = ApplicationError("Nothing was saved.", field_errors={"email": ["Bad address."], "name": []})
    assert isinstance(error, ValidationError)
    assert error.message_dict == {"email": ["Bad address."], NON_FIELD_ERRORS: ["Nothing was saved."]}
    assert error.as_dict() == {"email": ["Bad address."], "non_field_errors": ["Nothing was saved."]}
    assert error.message == "Nothing was saved."


def test_a_validation_error_becomes_an_application_error_with_the_same_messages():
    from_dict = ApplicationError.from_validation_error(ValidationError({"capacity": ["Too small."]}))
    assert from_dict.as_dict() == {"capacity": ["Too small."]}
    from_list = ApplicationError.from_validation_error(ValidationError(["One.", "Two."]))
    assert from_list.as_dict() == {"non_field_errors": ["One.", "Two."]}
