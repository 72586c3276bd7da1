"""Reads of certificates: a cohort's eligibility (a fixed number of queries for the whole cohort),
certificate lists for pages and the API, and the public verification lookup."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificatePolicy, EligibilityOverride
from jobs.models import Job
from participants.models import Attendance, Enrolment, Participant
from reflections.models import Completion
from trainings.models import Cohort, Session

# People a certificate can be issued to: in the cohort to the end.
ELIGIBLE_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
JOB_KINDS = ("certificates.issue", "certificates.zip")


@dataclass
class EligibilityRow:
    """One person of a cohort against its certificate policy."""

    participant: Participant
    enrolment_status: str
    attended: int
    held: int
    attendance_met: bool
    reflection_required: bool
    reflection_done: bool
    overrides: dict[str, EligibilityOverride] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)  # why not, translated
    certificate: Certificate | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def percent(self) -> int:
        return self.attended * 100 // self.held if self.held else 0


def certificate_policy_for(*, cohort: Cohort) -> CertificatePolicy:
    """The cohort's policy, or the defaults (unsaved) when it has none."""
    policy = CertificatePolicy.objects.filter(cohort=cohort).select_related("reflection").first()
    return policy or CertificatePolicy(cohort=cohort)


def held_sessions(*, cohort: Cohort) -> QuerySet[Session]:
    """The sessions that count: not cancelled and already over."""
    return Session.objects.filter(cohort=cohort, status=Session.Status.SCHEDULED, ends_at__lte=timezone.now())


def cohort_eligibility(
    *, cohort: Cohort, policy: CertificatePolicy | None = None, participant_ids: list[int] | None = None
) -> list[EligibilityRow]:
    """Every enrolled or completed person of the cohort with what they did and why they are not eligible.

    Seven queries whatever the cohort's size (asserted in the tests).
    """
    policy = policy or certificate_policy_for(cohort=cohort)
    enrolments = (
        Enrolment.objects.filter(cohort=cohort, status__in=ELIGIBLE_STATUSES)
        .select_related("participant__user")
        .order_by("participant__user__last_name", "participant__user__first_name", "pk")
    )
    if participant_ids is not None:
        enrolments = enrolments.filter(participant_id__in=participant_ids)
    enrolments_list = list(enrolments)
    held_ids = list(held_sessions(cohort=cohort).values_list("pk", flat=True))
    attended = dict(
        Attendance.objects.filter(session_id__in=held_ids, enrolment__cohort=cohort, status__in=ATTENDED)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    done: set[int] = set()
    if policy.reflection_id:
        done = set(
            Completion.objects.filter(administration_id=policy.reflection_id).values_list("participant_id", flat=True)
        )
    overrides: dict[int, dict[str, EligibilityOverride]] = {}
    for override in EligibilityOverride.objects.filter(cohort=cohort).select_related("granted_by"):
        overrides.setdefault(override.participant_id, {})[override.rule] = override
    certificates = {c.participant_id: c for c in Certificate.objects.filter(cohort=cohort)}

    held = len(held_ids)
    rows = []
    for enrolment in enrolments_list:
        count = attended.get(enrolment.pk, 0)
        mine = overrides.get(enrolment.participant_id, {})
        row = EligibilityRow(
            participant=enrolment.participant,
            enrolment_status=enrolment.status,
            attended=count,
            held=held,
            attendance_met=_attendance_met(policy, count, held),
            reflection_required=bool(policy.reflection_id),
            reflection_done=enrolment.participant_id in done,
            overrides=mine,
            certificate=certificates.get(enrolment.participant_id),
        )
        row.reasons = _reasons(policy, row)
        rows.append(row)
    return rows


def _attendance_met(policy: CertificatePolicy, attended: int, held: int) -> bool:
    if policy.attendance == CertificatePolicy.Attendance.NONE:
        return True
    if held == 0:
        return False
    if policy.attendance == CertificatePolicy.Attendance.ALL:
        return attended >= held
    return attended * 100 >= policy.min_attendance_percent * held


def _reasons(policy: CertificatePolicy, row: EligibilityRow) -> list[str]:
    reasons = []
    if not row.attendance_met and EligibilityOverride.Rule.ATTENDANCE not in row.overrides:
        if row.held == 0:
            reasons.append(_("No session of the cohort has been held yet."))
        elif policy.attendance == CertificatePolicy.Attendance.ALL:
            reasons.append(
                _("Attended %(attended)s of %(held)s sessions; every session is required.")
                % {"attended": row.attended, "held": row.held}
            )
        else:
            reasons.append(
                _("Attended %(attended)s of %(held)s sessions (%(percent)s%%); %(minimum)s%% is required.")
                % {
                    "attended": row.attended,
                    "held": row.held,
                    "percent": row.percent,
                    "minimum": policy.min_attendance_percent,
                }
            )
    if row.reflection_required and not row.reflection_done and EligibilityOverride.Rule.REFLECTION not in row.overrides:
        reasons.append(_("Has not submitted the reflection questionnaire."))
    return reasons


def cohort_hours(*, cohort: Cohort, policy: CertificatePolicy) -> Decimal:
    """The hours printed: the policy's, or the length of the cohort's held sessions."""
    if policy.hours is not None:
        return policy.hours
    minutes = sum(s.duration_minutes for s in held_sessions(cohort=cohort).only("starts_at", "ends_at"))
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def certificate_queryset(*, user: Any) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(user).select_related("cohort__course", "participant__user")


def certificate_list_for_holder(*, user: Any) -> list[Certificate]:
    """The person's own certificates that are ready or revoked, for their dashboard."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Certificate.objects.filter(participant__user_id=user.pk, status__in=["ready", "revoked"])
        .select_related("cohort__course")
        .order_by("-cohort__start_date")
    )


def cohort_certificate_jobs(*, cohort: Cohort, limit: int = 10) -> list[Job]:
    return list(Job.objects.filter(kind__in=JOB_KINDS, scope=f"cohort:{cohort.pk}").order_by("-requested_at")[:limit])


def certificate_for_verification(*, code: str | None) -> Certificate | None:
    """The certificate with this code that a third party may see (ready or revoked), or None.

    One query either way, so that an unknown code answers in the same time as a known one.
    """
    found = (
        Certificate.objects.filter(code=code or "", status__in=["ready", "revoked"])
        .select_related("cohort__course")
        .only(
            "code",
            "status",
            "holder_name",
            "revocation_kind",
            "cohort__start_date",
            "cohort__end_date",
            "cohort__course__title",
        )
        .first()
    )
    return found
