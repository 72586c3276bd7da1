import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def test_a_token_is_given_for_a_right_email_and_password(api_client):
    CoordinatorFactory(email="ada@example.org")
    response = api_client.post(URL, {"email": "ada@example.org", "password": "concord-pass-1"})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/cohorts/").status_code == 200


def test_wrong_passwords_are_refused_and_then_slowed_down(api_client, settings):
    CoordinatorFactory(email="ada@example.org")
    answers = [
        api_client.post(URL, {"email": "ada@example.org", "password": f"guess-{n}"}).status_code for n in range(6)
    ]
    assert answers[:5] == [400] * 5
    assert answers[5] == 429
    # Even the right password waits until the window has passed.
    assert api_client.post(URL, {"email": "ada@example.org", "password": "concord-pass-1"}).status_code == 429


def test_bad_input_names_the_fields(api_client):
    response = api_client.post(URL, {"email": "not-an-email"})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def _sign_in(api_client, email: str, password: str, **extra: str) -> int:
    return api_client.post(URL, {"email": email, "password": password}, **extra).status_code


def test_rotating_x_forwarded_for_does_not_escape_the_address_limit(api_client, settings):
    """With no trusted proxy the header is the client's own: it never names the client."""
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    answers = [
        _sign_in(api_client, f"nobody{n}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(6)
    ]
    assert answers == [400] * 5 + [429]


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    answers = [
        _sign_in(api_client, f"nobody{n}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7")
        for n in range(6)
    ]
    assert answers == [400] * 5 + [429]
    # Another client behind the same proxy has an allowance of its own.
    assert _sign_in(api_client, "nobody@example.org", "guess", HTTP_X_FORWARDED_FOR="203.0.113.8") == 400


def test_one_setting_sets_both_trusted_proxy_counts():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['NUM_PROXIES'], s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "CONCORD_TRUSTED_PROXY_COUNT": "2"}
    result = subprocess.run(  # noqa: S603 - this interpreter and a literal snippet
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["2", "2"]


def test_one_account_is_limited_from_any_address(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "token_login_account": "3/hour",
        },
    }
    CoordinatorFactory(email="ada@example.org")
    # Even right passwords count; the email is compared as accounts store it (trimmed, lower case).
    spellings = ["ada@example.org", " Ada@Example.org", "ADA@EXAMPLE.ORG ", "ada@example.org"]
    answers = [
        _sign_in(api_client, email, "concord-pass-1", REMOTE_ADDR=f"203.0.113.{n}") for n, email in enumerate(spellings)
    ]
    assert answers == [200, 200, 200, 429]
    CoordinatorFactory(email="grace@example.org")
    assert _sign_in(api_client, "grace@example.org", "concord-pass-1", REMOTE_ADDR="203.0.113.9") == 200


def test_an_account_locked_out_of_the_sign_in_page_is_locked_out_of_the_api(client, api_client):
    CoordinatorFactory(email="ada@example.org")
    for n in range(5):
        response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": f"guess-{n}"})
        assert response.status_code == 200
    # From another address, with the right password.
    response = api_client.post(
        URL, {"email": "ada@example.org", "password": "concord-pass-1"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "token" not in response.json()


def test_failed_api_sign_ins_lock_the_sign_in_page_too(client, api_client):
    CoordinatorFactory(email="ada@example.org")
    for n in range(5):
        assert _sign_in(api_client, "ada@example.org", f"guess-{n}", REMOTE_ADDR=f"203.0.113.{n}") == 400
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": "concord-pass-1"})
    assert response.status_code == 200, "the form again, not a redirect into the site"
    assert "Too many failed login attempts" in response.content.decode()


def test_a_right_password_does_not_use_up_the_failed_sign_in_allowance(api_client):
    CoordinatorFactory(email="ada@example.org")
    for n in range(4):
        assert _sign_in(api_client, "ada@example.org", f"guess-{n}", REMOTE_ADDR=f"203.0.113.{n}") == 400
    assert _sign_in(api_client, "ada@example.org", "concord-pass-1", REMOTE_ADDR="203.0.113.10") == 200
    assert _sign_in(api_client, "ada@example.org", "guess-5", REMOTE_ADDR="203.0.113.11") == 400
