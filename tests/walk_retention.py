"""The permission walk's expectations for personal-data retention and the privacy notice (#13)."""

from typing import Any

LOGIN = "redirect to login"
PUBLIC = (200, 200, 200, 200, 200, 200)

# Columns: anonymous, participant_other, participant, facilitator_other, facilitator, coordinator
EXPECTED: dict[str, tuple[Any, ...]] = {
    # Public: the privacy notice is for everyone, signed in or not.
    "privacy:notice": PUBLIC,
    # Cohort A's retention: its people and facilitator see the cohort but may not hold its data (403).
    "trainings:cohort_retention": (LOGIN, 404, 403, 404, 403, 200),
}
TARGETS = {"trainings:cohort_retention": lambda w: w.cohort}
SKIPPED = {
    "api:cohort-retention-hold": "write action (POST, DELETE), outside this read-only walk; see trainings' tests",
}
