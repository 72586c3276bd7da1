"""A page declares the language it is really in, whatever the browser or the cookie asks for."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_only(settings):
    """As when no other catalogue is complete (a deployment may list fewer interface languages)."""
    settings.CONCORD_UI_LANGUAGES = ["en"]


@pytest.mark.parametrize("asked", ["pl", "bg", "de-DE,de;q=0.9", "ro"])
def test_a_language_without_a_complete_catalogue_is_never_declared(client, asked, english_only):
    response = client.get(reverse("account_login"), headers={"accept-language": asked})
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
    assert response["Content-Language"] == "en"


def test_the_language_cookie_does_not_declare_an_incomplete_language_either(client, english_only):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    response = client.get(reverse("account_login"))
    assert b'<html lang="en">' in response.content


def test_a_complete_interface_language_is_declared(client, settings):
    settings.CONCORD_UI_LANGUAGES = ["en", "pl"]
    response = client.get(reverse("account_login"), headers={"accept-language": "pl"})
    assert b'<html lang="pl">' in response.content
    assert response["Content-Language"] == "pl"


@pytest.mark.parametrize("asked", ["pl", "bg", "de-DE,de;q=0.9", "ro"])
def test_by_default_every_language_of_the_platform_is_declared_as_asked(client, asked):
    response = client.get(reverse("account_login"), headers={"accept-language": asked})
    code = asked[:2]
    assert f'<html lang="{code}">'.encode() in response.content
    assert response["Content-Language"] == code
