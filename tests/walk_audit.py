"""Expectations for the audit trail's pages and API: coordinators only; everybody else 403 (pages) or
403 (API, once signed in). Columns: anonymous, participant_other, participant, facilitator_other,
facilitator, coordinator."""

from typing import Any

LOGIN = "redirect to login"
COORDINATORS = (LOGIN, 403, 403, 403, 403, 200)
API_COORDINATORS = (401, 403, 403, 403, 403, 200)

EXPECTED: dict[str, tuple[Any, ...]] = {
    "accounts:audit_list": COORDINATORS,
    "accounts:audit_export": COORDINATORS,
    "accounts:audit_verify": COORDINATORS,
    "api_audit": API_COORDINATORS,
    "api_audit_verify": API_COORDINATORS,
}
TARGETS: dict[str, Any] = {}
