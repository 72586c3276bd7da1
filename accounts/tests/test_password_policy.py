"""Passwords: at least 12 characters, not on Django's list of common (breached) passwords."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _problems(password: str, user: object = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_the_validators_are_djangos_four_with_twelve_characters_at_least():
    names = [validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert _problems("harbour-li1") == ["password_too_short"]
    assert _problems("harbour-lig1") == []


def test_common_passwords_are_refused_even_when_long():
    assert "password_too_common" in _problems("qwerty123456")
    assert "password_too_common" in _problems("Q1W2E3R4T5Y6")  # the list is compared case-insensitively


def test_the_others_still_apply():
    assert "password_entirely_numeric" in _problems("5829301746352")
    user = UserFactory(email="margarethamilton@example.org", first_name="Margaret")
    assert "password_too_similar" in _problems("margarethamilton", user)


def test_the_change_password_page_refuses_a_short_password(client):
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "concord-pass-1", "password1": "harbour-li1", "password2": "harbour-li1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("concord-pass-1")
