"""What participants holds about people: profiles, enrolments, attendance, roster files (privacy.registry)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, register


def _rosters_listing(user: Any) -> QuerySet[Any]:
    from participants.models import RosterImport
    from trainings.models import CohortMember

    return RosterImport.objects.filter(
        cohort__in=CohortMember.objects.filter(user=user).values("cohort"), purged_at__isnull=True
    )


def register_personal_data() -> None:
    register(
        Holding(
            model="participants.Participant",
            person="user",
            title=_("Your participant profile"),
            fields=("agency__name", "agency__kind", "position", "country"),
            blank=("position",),
            purpose=_("To form agency teams and to say which organisation you train for."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_(
                "Your position is deleted; your agency and country stay under the anonymous label, so that "
                "figures by agency stay right."
            ),
        ),
        Holding(
            model="participants.Enrolment",
            person="participant__user",
            title=_("Enrolments"),
            fields=("cohort__name", "status", "created_at", "status_changed_at", "waitlisted_at"),
            actors=("status_changed_by",),
            purpose=_("To give you a place in a cohort and keep its waiting list."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, so that places and counts stay right."),
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="participants.EnrolmentStatusChange",
            person="enrolment__participant__user",
            title=_("Changes to your enrolments"),
            fields=("enrolment__cohort__name", "from_status", "to_status", "changed_at", "note"),
            actors=("changed_by",),
            text=("note",),
            purpose=_("To show how an enrolment changed, when and by whom."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, with your name taken out of the notes."),
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="participants.Attendance",
            person="enrolment__participant__user",
            title=_("Attendance"),
            fields=("session__title", "session__starts_at", "status", "recorded_at"),
            actors=("recorded_by",),
            purpose=_("To record who attended each session, for certificates and reports."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, so that attendance figures stay right."),
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="participants.RosterImport",
            person="uploaded_by",
            title=_("Rosters you imported"),
            fields=("cohort__name", "filename", "created_at", "status", "committed_at"),
            text=("filename",),
            purpose=_("To enrol a cohort's people from a spreadsheet."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The import stays under the anonymous label."),
            retention_setting="CONCORD_ROSTER_FILE_DAYS",
        ),
        Holding(
            model="participants.RosterImport",
            person="cohort",
            title=_("Roster files that list you"),
            fields=("cohort__name", "filename", "created_at"),
            blank=("content", "parsed", "summary"),
            rows=_rosters_listing,
            purpose=_("To enrol a cohort's people from a spreadsheet; the file is deleted after a set time."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The files of your cohorts' roster imports are deleted."),
            retention_setting="CONCORD_ROSTER_FILE_DAYS",
        ),
    )
