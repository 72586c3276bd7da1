"""Who may do what with certificates; ``certificates.querysets`` says the same for lists.

- Coordinators (the role, superusers included) and a cohort's named coordinators manage its
  certificates: policy, overrides, issuing, ZIPs, revoking, reissuing, downloading.
- The cohort's facilitators see its certificate page read-only (who is eligible and why not, statuses):
  they follow their trainees, but neither decide nor download other people's PDFs.
- A holder sees their certificates and downloads one that is not revoked.
- Verification is public (no rule): the verify page and its API.
"""

from typing import Any

import rules

from accounts.rules import is_coordinator
from trainings.models import Cohort
from trainings.rules import facilitates_cohort

_COORDINATED_ATTR = "_concord_coordinated_cohorts"


def _cohort_id(obj: Any) -> int | None:
    if obj is None:
        return None
    return obj.cohort_id if hasattr(obj, "cohort_id") else obj.pk


def coordinated_cohort_ids(user: Any) -> frozenset[int]:
    """Cohorts that name the user as a coordinator (cached on the user for one request)."""
    cached = getattr(user, _COORDINATED_ATTR, None)
    if cached is None:
        if user is None or not user.is_authenticated or not user.is_active:
            return frozenset()
        cached = frozenset(
            Cohort.coordinators.through.objects.filter(user_id=user.pk).values_list("cohort_id", flat=True)
        )
        setattr(user, _COORDINATED_ATTR, cached)
    return cached


@rules.predicate
def coordinates_cohort(user: Any, obj: Any) -> bool:
    cohort_id = _cohort_id(obj)
    return cohort_id is not None and cohort_id in coordinated_cohort_ids(user)


@rules.predicate
def holds_certificate(user: Any, certificate: Any) -> bool:
    return (
        certificate is not None
        and user.is_authenticated
        and getattr(certificate, "participant", None) is not None
        and certificate.participant.user_id == user.pk
    )


@rules.predicate
def is_revoked(user: Any, certificate: Any) -> bool:
    return certificate is not None and certificate.status == "revoked"


manages = is_coordinator | coordinates_cohort

# The object is a cohort (or anything with a cohort_id: a certificate, a policy, an override, a job's cohort).
rules.add_perm("certificates.manage_certificates", manages)
rules.add_perm("certificates.view_cohort_certificates", manages | facilitates_cohort)

rules.add_perm("certificates.view_certificate", is_coordinator | facilitates_cohort | holds_certificate)
rules.add_perm("certificates.download_certificate", manages | (holds_certificate & ~is_revoked))
rules.add_perm("certificates.change_certificate", manages)  # revoke, reissue, render again
rules.add_perm("certificates.add_certificate", is_coordinator)

rules.add_perm("certificates.view_certificatepolicy", manages | facilitates_cohort)
rules.add_perm("certificates.change_certificatepolicy", manages)

rules.add_perm("certificates.view_eligibilityoverride", is_coordinator | facilitates_cohort)
rules.add_perm("certificates.add_eligibilityoverride", rules.is_authenticated)  # the cohort is checked by the API
rules.add_perm("certificates.delete_eligibilityoverride", manages)
