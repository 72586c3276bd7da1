"""core.middleware: the request size limit refuses big bodies before anything reads them."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model

from core.middleware import LAST_SEEN

MB = 1024 * 1024


class UnreadableBody:
    """A wsgi.input that fails the test if anything reads it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args: object) -> bytes:
        self.reads += 1
        raise AssertionError("the request body was read")

    readline = read


def _post_unread(client, path: str, length: int | str):
    body = UnreadableBody()
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=concord",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": body},
    )
    return response, body


def test_the_request_limit_is_above_the_upload_limit():
    assert settings.CONCORD_MAX_REQUEST_BYTES == 10 * MB
    assert settings.CONCORD_MAX_REQUEST_BYTES > settings.CONCORD_MAX_UPLOAD_BYTES


def test_an_anonymous_100_mb_post_to_the_login_page_is_refused_unread(client):
    response, body = _post_unread(client, "/accounts/login/", 100 * MB)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "The request is too large."
    assert body.reads == 0


def test_an_api_post_over_the_limit_gets_a_json_answer(client):
    response, body = _post_unread(client, "/api/v1/roster-imports/", settings.CONCORD_MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}
    assert body.reads == 0


def test_the_limit_is_configurable(client, settings):
    settings.CONCORD_MAX_REQUEST_BYTES = 1000
    response, body = _post_unread(client, "/accounts/login/", 1001)
    assert response.status_code == 413
    assert body.reads == 0


def test_a_chunked_body_without_content_length_is_refused_unread(client):
    body = UnreadableBody()
    response = client.generic(
        "POST",
        "/accounts/login/",
        CONTENT_TYPE="multipart/form-data; boundary=concord",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body},
    )
    assert response.status_code == 411
    assert body.reads == 0


def test_a_content_length_that_is_not_a_number_is_refused(client):
    response, body = _post_unread(client, "/accounts/login/", "-5")
    assert response.status_code == 400
    response, body = _post_unread(client, "/accounts/login/", "lots")
    assert response.status_code == 400
    assert body.reads == 0


@pytest.mark.django_db
def test_a_normal_sign_in_still_works(client):
    get_user_model().objects.create_user("ada@example.org", "concord-pass-1")
    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": "concord-pass-1"})
    assert response.status_code == 302


def test_the_size_limit_comes_before_anything_that_reads_the_body():
    middleware = settings.MIDDLEWARE
    limit = middleware.index("core.middleware.RequestSizeLimitMiddleware")
    assert limit < middleware.index("django.middleware.csrf.CsrfViewMiddleware")
    assert limit < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")


# Session idle timeout.
@pytest.fixture
def signed_in(client, django_user_model):  # type: ignore[no-untyped-def]
    client.force_login(django_user_model.objects.create_user("ada@example.org", "concord-pass-1"))
    return client


def _last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds_ago
    session.save()


def test_sessions_idle_for_eight_hours_by_default():
    assert settings.CONCORD_SESSION_IDLE_SECONDS == 8 * 60 * 60
    assert settings.SESSION_COOKIE_AGE == settings.CONCORD_SESSION_IDLE_SECONDS
    middleware = settings.MIDDLEWARE
    idle = middleware.index("core.middleware.SessionIdleTimeoutMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < idle
    assert idle < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


@pytest.mark.django_db
def test_an_idle_session_is_signed_out(signed_in):
    _last_seen(signed_in, settings.CONCORD_SESSION_IDLE_SECONDS + 1)
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in signed_in.session
    # Signed out for good: the next request is anonymous too.
    assert signed_in.get("/").status_code == 302


@pytest.mark.django_db
def test_activity_keeps_the_session_and_restarts_the_clock(signed_in):
    _last_seen(signed_in, settings.CONCORD_SESSION_IDLE_SECONDS - 5)
    assert signed_in.get("/").status_code == 200
    assert int(time.time()) - signed_in.session[LAST_SEEN] <= 1
    assert signed_in.get("/").status_code == 200


@pytest.mark.django_db
def test_the_idle_period_is_a_setting(signed_in, settings):
    settings.CONCORD_SESSION_IDLE_SECONDS = 120
    _last_seen(signed_in, 121)
    assert signed_in.get("/").status_code == 302


@pytest.mark.django_db
def test_signing_in_starts_the_clock_so_the_next_pages_write_no_session(signed_in):
    assert int(time.time()) - signed_in.session[LAST_SEEN] <= 1
    response = signed_in.get("/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies, "the session was saved again"


@pytest.mark.django_db
def test_a_session_from_before_the_clock_gets_one(signed_in):
    session = signed_in.session
    del session[LAST_SEEN]
    session.save()
    assert signed_in.get("/").status_code == 200
    assert LAST_SEEN in signed_in.session
