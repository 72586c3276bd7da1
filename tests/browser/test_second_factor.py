"""A coordinator sets up a second factor at their first sign-in, then signs in with it."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from accounts.tests.factories import CoordinatorFactory
from tests.browser.helpers import open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def _code(secret: str, periods_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + periods_ahead))


def test_a_coordinator_enrols_a_second_factor_at_first_sign_in_and_then_signs_in_with_it(
    page, live_server, login, settings
):
    settings.CONCORD_MFA_GRACE_DAYS = 0  # enforced from the first sign-in
    settings.MFA_TOTP_TOLERANCE = 1  # the second sign-in may come within the same 30 s: use the next code
    CoordinatorFactory(email="coord@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("coord@example.org")
    page.get_by_label("Password").fill("concord-pass-1")
    page.get_by_role("button", name="Sign In").click()
    # Every page sends them to the second-factor page until they set one up.
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    expect(page.get_by_text("Your role requires a second factor")).to_be_visible()
    page.goto(f"{live_server.url}/cohorts/")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    page.get_by_role("link", name="Activate").first.click()
    # Adding a factor asks for the password again (allauth's reauthentication), then goes on.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill("concord-pass-1")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(page.get_by_role("img")).to_be_visible()  # the QR code (a data: URI the CSP allows)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/**")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url == f"{live_server.url}/"
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("coord@example.org")
    page.get_by_label("Password").fill("concord-pass-1")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(_code(secret, periods_ahead=1))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    open_menu(page)
    expect(page.get_by_role("link", name="Cohorts").first).to_be_visible()
