"""The Django admin signs people in through allauth, so allauth's rate limits cover it."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "concord-pass-1"


@pytest.fixture
def staff() -> User:
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def test_the_admin_login_page_sends_anonymous_visitors_to_allauths_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/accounts/user/"]


def test_posting_passwords_to_the_admin_form_signs_nobody_in(client, staff):
    for password in ("guess-1", PASSWORD):
        response = client.post("/admin/login/", {"username": staff.email, "password": password})
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_failed_admin_sign_ins_meet_allauths_limit(client, staff):
    login = client.get("/admin/login/", follow=True).redirect_chain[-1][0]
    for n in range(5):
        response = client.post(login, {"login": staff.email, "password": f"guess-{n}"})
        assert response.status_code == 200
    response = client.post(login, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_signing_in_through_allauth_land_in_the_admin(client, staff):
    login = client.get("/admin/login/?next=/admin/", follow=True).redirect_chain[-1][0]
    response = client.post(login, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in already: the admin's login page passes staff on to the admin.
    assert client.get("/admin/login/").status_code == 302


def test_signed_in_people_who_are_not_staff_are_refused(client):
    client.force_login(CoordinatorFactory())
    assert client.get("/admin/login/").status_code == 403
