import pytest

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
