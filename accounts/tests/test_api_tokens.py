"""API tokens: stored as digests, expiring, revoked by a new password, listed and revoked by their owner."""

import hashlib
import importlib
from datetime import timedelta

import pytest
from allauth.account.signals import password_reset
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.tests.factories import CoordinatorFactory, ParticipantUserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
PASSWORD = "concord-pass-1"


def _token(api_client, email: str = "ada@example.org") -> str:
    response = api_client.post(SIGN_IN, {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = client.get(TOKENS).status_code
    assert status in (200, 401)
    return status == 200


@pytest.fixture
def ada():  # type: ignore[no-untyped-def]
    return CoordinatorFactory(email="ada@example.org")


def test_a_token_is_stored_only_as_a_digest(api_client, ada):
    token = _token(api_client)
    [row] = AuthToken.objects.filter(user=ada)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    stored = [str(value) for value in AuthToken.objects.filter(user=ada).values_list().get()]
    assert token not in stored
    assert _works(token)


def test_signing_in_gives_the_token_and_its_expiry(api_client, ada):
    before = timezone.now()
    response = api_client.post(SIGN_IN, {"email": "ada@example.org", "password": PASSWORD})
    assert set(response.json()) == {"token", "expiry"}
    expiry = parse_datetime(response.json()["expiry"])
    assert before + timedelta(hours=10) <= expiry <= timezone.now() + timedelta(hours=10)


def test_the_lifetime_is_a_setting(api_client, ada, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(minutes=5)}
    expiry = parse_datetime(
        api_client.post(SIGN_IN, {"email": "ada@example.org", "password": PASSWORD}).json()["expiry"]
    )
    assert expiry <= timezone.now() + timedelta(minutes=5)


def test_an_expired_token_is_refused(api_client, ada):
    token = _token(api_client)
    AuthToken.objects.filter(user=ada).update(expiry=timezone.now() - timedelta(seconds=1))
    assert not _works(token)


def test_changing_the_password_on_the_site_revokes_every_token(api_client, client, ada):
    tokens = [_token(api_client), _token(api_client)]
    client.force_login(ada)
    new = "Harbour-lights-2026-x"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert not any(_works(token) for token in tokens)
    assert not AuthToken.objects.filter(user=ada).exists()


def test_set_password_anywhere_revokes_every_token(api_client, ada):
    """The admin's password form and `manage.py changepassword` call set_password() and save()."""
    token = _token(api_client)
    ada.set_password("Harbour-lights-2026-x")
    ada.save()
    assert not _works(token)


def test_saving_without_a_new_password_keeps_the_tokens(api_client, ada):
    token = _token(api_client)
    ada.first_name = "Ada"
    ada.save()
    assert _works(token)


def test_allauths_password_signals_revoke_every_token(api_client, ada):
    token = _token(api_client)
    password_reset.send(sender=type(ada), request=None, user=ada)
    assert not _works(token)


def test_people_list_their_own_live_tokens_and_no_secret(api_client, ada, django_assert_num_queries):
    first, current = _token(api_client), _token(api_client)
    AuthToken.objects.create(user=ParticipantUserFactory())
    AuthToken.objects.create(user=ada, expiry=timedelta(seconds=-1))  # expired
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {current}")
    # Authentication (the token with its user, the user's other tokens, knox deleting the expired
    # one it finds there), the count and the page.
    with django_assert_num_queries(5):
        response = api_client.get(TOKENS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["token_key"] for row in rows] == [current[:15], first[:15]]
    assert [row["current"] for row in rows] == [True, False]
    assert set(rows[0]) == {"token_key", "created", "expiry", "current"}
    assert first not in response.content.decode()
    assert current not in response.content.decode()


def test_people_revoke_one_of_their_tokens(api_client, ada):
    keep, drop = _token(api_client), _token(api_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {keep}")
    assert api_client.get(f"{TOKENS}{drop[:15]}/").status_code == 200
    assert api_client.delete(f"{TOKENS}{drop[:15]}/").status_code == 204
    assert not _works(drop)
    assert _works(keep)
    assert api_client.delete(f"{TOKENS}{drop[:15]}/").status_code == 404


def test_nobody_sees_or_revokes_another_persons_token(api_client, ada):
    CoordinatorFactory(email="grace@example.org")
    theirs = _token(api_client, "grace@example.org")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {_token(api_client)}")
    assert api_client.get(f"{TOKENS}{theirs[:15]}/").status_code == 404
    assert api_client.delete(f"{TOKENS}{theirs[:15]}/").status_code == 404
    assert [row["token_key"] for row in api_client.get(TOKENS).json()["results"]] != [theirs[:15]]
    assert _works(theirs)


def test_people_revoke_all_their_tokens_at_once(api_client, ada):
    tokens = [_token(api_client) for _ in range(3)]
    CoordinatorFactory(email="grace@example.org")
    theirs = _token(api_client, "grace@example.org")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert api_client.delete(TOKENS).status_code == 204
    assert not any(_works(token) for token in tokens)
    assert _works(theirs)


def test_signed_in_sessions_manage_tokens_too_and_strangers_are_refused(api_client, client, ada):
    token = _token(api_client)
    assert api_client.get(TOKENS).status_code == 401
    assert api_client.delete(TOKENS).status_code == 401
    client.force_login(ada)
    assert [row["token_key"] for row in client.get(TOKENS).json()["results"]] == [token[:15]]


def test_a_new_sign_in_past_the_limit_drops_the_oldest_token(api_client, ada, settings):
    settings.CONCORD_API_TOKENS_PER_USER = 2
    oldest, middle, newest = _token(api_client), _token(api_client), _token(api_client)
    assert not _works(oldest)
    assert _works(middle)
    assert _works(newest)


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_plain_text_token_table():
    migration = importlib.import_module("accounts.migrations.0003_drop_plaintext_api_tokens")
    recorder = MigrationRecorder(connection)
    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
    recorder.record_applied("authtoken", "0001_initial")
    with connection.schema_editor() as editor:
        migration.drop_plaintext_tokens(None, editor)
        migration.drop_plaintext_tokens(None, editor)  # and again, where the table never was
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not recorder.migration_qs.filter(app="authtoken").exists()
