"""accounts.services.user_get_or_create: one spelling per address, no renaming, safe when two requests race."""

import pytest

from accounts.models import User
from accounts.services import user_get_or_create, user_names_update
from accounts.tests.factories import UserFactory
from core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_an_existing_account_is_returned_as_it_is():
    """Issue 7, item 2: finding someone by address never renames them; that is the caller's rule."""
    existing = UserFactory(email="ana@example.org", first_name="Ana", last_name="Pop")
    user, created = user_get_or_create(email=" ANA@example.org ", first_name="Renamed", last_name="X")
    assert (user, created) == (existing, False)
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Ana", "Pop")


def test_a_new_account_has_a_normalised_address_and_names_and_no_password():
    user, created = user_get_or_create(email="Ｎｉｎａ@Example.ORG", first_name="  Nina  ", last_name="Ｎｏｗａｋ")
    assert created
    assert (user.email, user.first_name, user.last_name) == ("nina@example.org", "Nina", "Nowak")
    assert not user.has_usable_password()


def test_refusals_name_their_field_and_save_nothing():
    with pytest.raises(ApplicationError) as excinfo:
        user_get_or_create(email="nina@exam\u200bple.org")
    assert list(excinfo.value.field_errors) == ["email"]
    with pytest.raises(ApplicationError) as excinfo:
        user_get_or_create(email="nina@example.org", first_name="Ni\u00adna", last_name="Ko\u200bs")
    assert set(excinfo.value.field_errors) == {"first_name", "last_name"}
    with pytest.raises(ApplicationError) as excinfo:
        user_get_or_create(email="nina@example.org", last_name="a" * 151)
    assert list(excinfo.value.field_errors) == ["last_name"]
    assert not User.objects.exists()


def test_an_account_created_meanwhile_is_found_instead_of_failing(monkeypatch):
    """Issue 7, item 16: the insert of a second request hit the unique address (a 500); it retries
    inside a savepoint and finds the first request's account."""
    existing = UserFactory(email="ana@example.org", first_name="Ana")
    real_filter = User.objects.filter
    missed: list[bool] = []

    def filter_missing_once(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        if not missed:  # as if the other request had not committed yet when we looked
            missed.append(True)
            return found.none()
        return found

    monkeypatch.setattr(User.objects, "filter", filter_missing_once)
    user, created = user_get_or_create(email="ana@example.org", first_name="Other")
    assert (user, created) == (existing, False)
    assert User.objects.count() == 1
    assert User.objects.get().first_name == "Ana"


def test_names_update_replaces_only_the_names_given():
    user = UserFactory(first_name="Ana", last_name="Pop")
    assert user_names_update(user=user, first_name="", last_name="  Popescu ") == ["last_name"]
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ana", "Popescu")
