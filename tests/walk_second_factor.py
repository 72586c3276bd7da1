"""Expectations for second factors (allauth.mfa), sessions (allauth.usersessions) and the coordinators'
second-factor pages. Columns: anonymous, participant_other, participant, facilitator_other, facilitator,
coordinator. Changing a factor asks for the password again first (allauth's reauthentication)."""

from typing import Any

LOGIN = "redirect to login"
DASHBOARD = "redirect to dashboard"
REAUTHENTICATE = "redirect to /accounts/reauthenticate/"
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
CHANGE = (LOGIN, *((REAUTHENTICATE,) * 5))
COORDINATORS = (LOGIN, 403, 403, 403, 403, 200)
NONE_YET = (LOGIN, 404, 404, 404, 404, 404)  # nobody in the world has a factor of that kind

EXPECTED: dict[str, tuple[Any, ...]] = {
    "mfa_index": SIGNED_IN,
    "mfa_list_webauthn": SIGNED_IN,
    "usersessions_list": SIGNED_IN,
    "mfa_activate_totp": CHANGE,
    "mfa_add_webauthn": CHANGE,
    "mfa_edit_webauthn": CHANGE,
    "mfa_remove_webauthn": CHANGE,
    "mfa_generate_recovery_codes": CHANGE,
    "mfa_reauthenticate": CHANGE,
    "mfa_reauthenticate_webauthn": CHANGE,
    "mfa_deactivate_totp": NONE_YET,
    "mfa_view_recovery_codes": NONE_YET,
    "mfa_download_recovery_codes": NONE_YET,
    # Only during a sign-in that waits for its second factor; otherwise there is nothing to confirm.
    "mfa_authenticate": (LOGIN, *((DASHBOARD,) * 5)),
    "accounts:second_factor_list": COORDINATORS,
    "accounts:second_factor_reset": COORDINATORS,
    # POST only; anonymous callers are asked to authenticate first.
    "api_second_factor_reset": (401, 405, 405, 405, 405, 405),
}
TARGETS: dict[str, Any] = {
    "accounts:second_factor_reset": lambda w: w.users["facilitator"],
    "api_second_factor_reset": lambda w: w.users["facilitator"],
    "mfa_edit_webauthn": lambda w: w.users["facilitator"],
    "mfa_remove_webauthn": lambda w: w.users["facilitator"],
}
