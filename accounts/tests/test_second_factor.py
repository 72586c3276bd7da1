"""Second factors: required for coordinators and facilitators after a grace period, optional for participants;
the API's token sign-in honours them; a coordinator resets a lost one."""

import datetime as dt
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import User
from accounts.second_factor import SESSION_KEY
from accounts.services import api_token_create
from accounts.tests.factories import CoordinatorFactory, FacilitatorFactory, ParticipantUserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "concord-pass-1"


def _overdue(user: User) -> User:
    User.objects.filter(pk=user.pk).update(first_login_at=timezone.now() - dt.timedelta(days=8))
    user.refresh_from_db()
    return user


def _totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret: str, periods_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + periods_ahead))


def _sign_in_with_code(client, user: User, secret: str) -> None:
    """allauth's own sign-in: the password, then the second factor's stage."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def _sign_in(client, user: User) -> None:
    client.force_login(user)  # the sign-in signal records the first sign-in and the second-factor status


@pytest.mark.parametrize("factory", [CoordinatorFactory, FacilitatorFactory])
def test_staff_past_the_grace_period_may_only_set_up_a_second_factor(client, factory):
    user = factory()
    _sign_in(client, _overdue(user))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # 302: allauth asks to reauthenticate
    api = client.get("/api/v1/cohorts/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert client.post(reverse("account_logout")).status_code == 302


def test_staff_within_the_grace_period_are_warned_with_the_date(client, settings):
    settings.CONCORD_MFA_GRACE_DAYS = 7
    coordinator = CoordinatorFactory()
    _sign_in(client, coordinator)
    coordinator.refresh_from_db()
    assert coordinator.first_login_at is not None
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.second_factor.pending
    assert response.wsgi_request.second_factor.due_at == coordinator.first_login_at + dt.timedelta(days=7)
    assert reverse("mfa_index") in response.content.decode()


def test_no_grace_period_enforces_it_at_the_first_sign_in(client, settings):
    settings.CONCORD_MFA_GRACE_DAYS = 0
    _sign_in(client, CoordinatorFactory())
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")


def test_the_first_sign_in_is_kept(client):
    coordinator = _overdue(CoordinatorFactory())
    first = coordinator.first_login_at
    _sign_in(client, coordinator)
    coordinator.refresh_from_db()
    assert coordinator.first_login_at == first


def test_participants_need_none_and_see_no_warning(client, settings):
    settings.CONCORD_MFA_GRACE_DAYS = 0
    participant = ParticipantUserFactory()
    _sign_in(client, participant)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert not response.wsgi_request.second_factor.required
    # ... but may set one up.
    assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_with_a_second_factor_go_on_without_a_query_per_page(client):
    coordinator = _overdue(CoordinatorFactory())
    _totp(coordinator)
    _sign_in(client, coordinator)
    assert client.session[SESSION_KEY] == "ok"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_adding_a_factor_lifts_the_block_in_the_same_session(client):
    from allauth.mfa.signals import authenticator_added

    coordinator = _overdue(CoordinatorFactory())
    _sign_in(client, coordinator)
    assert client.get(reverse("dashboard")).status_code == 302
    authenticator = Authenticator.objects.get(pk=TOTP.activate(coordinator, generate_totp_secret()).instance.pk)
    request = client.get(reverse("mfa_index")).wsgi_request
    # allauth sends this signal from the request that activated the factor.
    session = client.session
    request.session = session
    request.user = coordinator
    authenticator_added.send(sender=Authenticator, request=request, user=coordinator, authenticator=authenticator)
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_totp_secret_is_stored_encrypted():
    coordinator = CoordinatorFactory()
    secret = _totp(coordinator)
    stored = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert TOTP(Authenticator.objects.get(user=coordinator)).validate_code(_code(secret))


# --- the API's token sign-in ------------------------------------------------------------------------


def test_a_password_alone_gets_no_token_for_an_account_with_a_second_factor(api_client):
    coordinator = CoordinatorFactory(email="ada@example.org")
    secret = _totp(coordinator)
    alone = api_client.post(TOKEN_URL, {"email": "ada@example.org", "password": PASSWORD})
    assert alone.status_code == 400
    assert "code" in alone.json()
    wrong = api_client.post(TOKEN_URL, {"email": "ada@example.org", "password": PASSWORD, "code": "000000"})
    assert wrong.status_code == 400
    code = _code(secret)
    right = api_client.post(TOKEN_URL, {"email": "ada@example.org", "password": PASSWORD, "code": code})
    assert right.status_code == 200
    assert right.json()["token"]
    # A code works once.
    again = api_client.post(TOKEN_URL, {"email": "ada@example.org", "password": PASSWORD, "code": code})
    assert again.status_code == 400
    assert AuthToken.objects.filter(user=coordinator).count() == 1


def test_a_recovery_code_gets_a_token_once(api_client):
    participant = ParticipantUserFactory(email="pia@example.org")
    _totp(participant)
    codes = RecoveryCodes.activate(participant).generate_codes()
    body = {"email": "pia@example.org", "password": PASSWORD, "code": codes[0]}
    assert api_client.post(TOKEN_URL, body).status_code == 200
    assert api_client.post(TOKEN_URL, body).status_code == 400


def test_staff_past_the_grace_period_get_no_token_until_they_set_one_up(api_client):
    _overdue(CoordinatorFactory(email="ada@example.org"))
    response = api_client.post(TOKEN_URL, {"email": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "second factor" in str(response.json())


def test_staff_within_the_grace_period_and_participants_get_a_token_with_the_password(api_client):
    CoordinatorFactory(email="ada@example.org")
    ParticipantUserFactory(email="pia@example.org")
    for email in ("ada@example.org", "pia@example.org"):
        assert api_client.post(TOKEN_URL, {"email": email, "password": PASSWORD}).status_code == 200
    assert User.objects.get(email="ada@example.org").first_login_at is not None


def test_a_token_from_the_grace_period_stops_working_when_it_ends(api_client):
    coordinator = CoordinatorFactory()
    _instance, token = api_token_create(user=coordinator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    User.objects.filter(pk=coordinator.pk).update(first_login_at=timezone.now())
    assert api_client.get("/api/v1/cohorts/").status_code == 200
    _overdue(coordinator)
    assert api_client.get("/api/v1/cohorts/").status_code == 401


# --- a coordinator resets a lost factor ---------------------------------------------------------------


def _reset_url(user: User) -> str:
    return reverse("accounts:second_factor_reset", kwargs={"pk": user.pk})


def test_a_coordinator_resets_a_lost_factor_ending_sessions_and_tokens(client, coordinator):
    facilitator = FacilitatorFactory()
    secret = _totp(facilitator)
    api_token_create(user=facilitator)
    other = client.__class__()
    _sign_in_with_code(other, facilitator, secret)
    assert other.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=facilitator).count() == 1
    _sign_in(client, coordinator)
    assert client.get(_reset_url(facilitator)).status_code == 200
    refused = client.post(_reset_url(facilitator), {"reason": "  "})
    assert refused.status_code == 400
    assert Authenticator.objects.filter(user=facilitator).exists()
    response = client.post(_reset_url(facilitator), {"reason": "Lost phone, confirmed by a call back."})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=facilitator).exists()
    assert not AuthToken.objects.filter(user=facilitator).exists()
    assert not UserSession.objects.filter(user=facilitator).exists()
    assert other.get(reverse("dashboard")).status_code == 302  # signed out


@pytest.mark.parametrize("factory", [FacilitatorFactory, ParticipantUserFactory])
def test_only_coordinators_reset_factors_or_see_the_list(client, factory):
    target = FacilitatorFactory()
    _totp(target)
    _sign_in(client, factory())
    assert client.get(reverse("accounts:second_factor_list")).status_code == 403
    assert client.post(_reset_url(target), {"reason": "because"}).status_code == 403
    assert Authenticator.objects.filter(user=target).exists()


def test_nobody_resets_their_own_factor(client, coordinator):
    _totp(coordinator)
    _sign_in(client, coordinator)
    response = client.post(_reset_url(coordinator), {"reason": "mine"})
    assert response.status_code == 400
    assert Authenticator.objects.filter(user=coordinator).exists()


def test_the_reset_api(api_client, coordinator):
    facilitator = FacilitatorFactory()
    _totp(facilitator)
    url = reverse("api_second_factor_reset", kwargs={"pk": facilitator.pk})
    api_client.force_authenticate(FacilitatorFactory())
    assert api_client.post(url, {"reason": "x"}).status_code == 403
    api_client.force_authenticate(coordinator)
    assert api_client.post(url, {}).status_code == 400
    response = api_client.post(url, {"reason": "Lost key."})
    assert response.status_code == 200
    assert response.json() == {"removed": 1}
    missing = reverse("api_second_factor_reset", kwargs={"pk": 999999})
    assert api_client.post(missing, {"reason": "x"}).status_code == 404


def test_the_list_shows_who_has_a_factor_in_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    with_factor, without = FacilitatorFactory(email="with@example.org"), FacilitatorFactory(email="without@example.org")
    _totp(with_factor)
    ParticipantUserFactory(email="pia@example.org")
    _sign_in(client, coordinator)
    _totp(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:second_factor_list"))
    page = response.content.decode()
    assert "with@example.org" in page
    assert "without@example.org" in page
    assert "pia@example.org" not in page
    assert _reset_url(with_factor) in page
    assert _reset_url(without) not in page


def test_an_unverified_address_does_not_stop_anybody_adding_a_factor():
    """Concord has no sign-up (coordinators create accounts), so allauth's squatting guard is off."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.internal.flows.add import validate_can_add_authenticator

    coordinator = CoordinatorFactory()
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=False, primary=True)
    validate_can_add_authenticator(coordinator)  # raises ValidationError when the guard is on
