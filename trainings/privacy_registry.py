"""What trainings holds about people: cohort staff and cohort members (privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, not_personal, register, register_retention


def register_personal_data() -> None:
    from trainings.selectors import retention_candidates

    # The people of cohorts long over are anonymised by privacy's retention sweep, unless a cohort is held.
    register_retention(retention_candidates)
    register(
        Holding(
            model="trainings.Cohort",
            person="coordinators",
            title=_("Cohorts you coordinate"),
            fields=("name", "start_date", "end_date"),
            actors=("retention_held_by",),
            purpose=_("To show who runs a cohort and who may change it."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The cohort stays, with the anonymous label among its coordinators."),
        ),
        Holding(
            model="trainings.Cohort",
            person="facilitators",
            title=_("Cohorts you facilitate"),
            fields=("name", "start_date", "end_date"),
            purpose=_("To show who facilitates a cohort's sessions and exercises."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The cohort stays, with the anonymous label among its facilitators."),
        ),
        Holding(
            model="trainings.CohortMember",
            person="user",
            title=_("Cohorts you belong to"),
            fields=("cohort__name", "cohort__start_date", "cohort__end_date", "holds_place"),
            purpose=_("To give you access to your cohorts and to count their places."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label, so that places and counts stay right."),
        ),
    )
    not_personal(
        "trainings.Cohort",
        ("name", "venue", "retention_hold"),
        _("The cohort's own name and venue, and a coordinator's reason to keep its data."),
    )
    not_personal("trainings.Agency", ("name", "description"), _("An organisation, not a person."))
    not_personal("trainings.LearningObjective", ("description",), _("Course content."))
    not_personal("trainings.Course", ("summary",), _("Course content."))
    not_personal("trainings.Session", ("description",), _("Course content."))
