"""What reports holds about people: improvement actions and their contacts (privacy.registry)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from privacy.erasers import job_results_erase
from privacy.registry import Erasure, Holding, register

NOTE = _("Kept under the anonymous label, with your name and e-mail address taken out.")


def _reports_naming(user: Any) -> QuerySet[Any]:
    """The report jobs of the runs the person played or led and of the cohorts they took part in or staffed:
    their files may name them."""
    from exercises.models import ExerciseRun, TeamMembership
    from jobs.models import Job
    from reports.services import COHORT_KIND, RUN_KIND
    from trainings.models import Cohort, CohortMember

    runs = set(TeamMembership.objects.filter(enrolment__participant__user=user).values_list("run_id", flat=True))
    runs |= set(ExerciseRun.objects.filter(lead_facilitator=user).values_list("pk", flat=True))
    cohorts = set(CohortMember.objects.filter(user=user).values_list("cohort_id", flat=True))
    cohorts |= set(Cohort.objects.filter(Q(coordinators=user) | Q(facilitators=user)).values_list("pk", flat=True))
    scopes = [f"run:{pk}" for pk in sorted(runs)] + [f"cohort:{pk}" for pk in sorted(cohorts)]
    return Job.objects.filter(kind__in=(RUN_KIND, COHORT_KIND), scope__in=scopes)


def register_personal_data() -> None:
    register(
        Holding(
            model="jobs.Job",
            person="scope",
            name="reports_job",
            title=_("Reports that may name you"),
            fields=("kind", "requested_at", "result_name", "expires_at"),
            rows=_reports_naming,
            erase=job_results_erase,
            purpose=_("Debrief and cohort reports for the staff, made from a run's or a cohort's records."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Their files are deleted; a report made again names you only by the anonymous label."),
            retention_setting="CONCORD_JOB_RESULT_DAYS",
        ),
        Holding(
            model="reports.ImprovementAction",
            person="contact",
            title=_("Improvement actions you are the contact for"),
            fields=(
                "cohort__name",
                "area",
                "action",
                "agency__name",
                "contact_name",
                "contact_email",
                "due_date",
                "status",
                "status_note",
            ),
            actors=("created_by",),
            blank=("contact_name", "contact_email"),
            text=("area", "action", "status_note", "contact_name", "contact_email"),
            purpose=_("To follow up what an agency does after a course, and whom to ask."),
            erasure=Erasure.ANONYMISE,
            erasure_note=NOTE,
        ),
        Holding(
            model="reports.ImprovementActionEvent",
            person="by",
            title=_("Changes you made to improvement actions"),
            fields=("action__area", "at", "from_status", "to_status", "note"),
            text=("note",),
            purpose=_("To show how an improvement action moved, when and by whom."),
            erasure=Erasure.ANONYMISE,
            erasure_note=NOTE,
        ),
    )
