"""What exercises holds about people: runs they lead, their teams, their places in the cell (privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, not_personal, register

CONTENT = _("Exercise content: a fictional scenario and its material, written by the exercise's authors.")


def register_personal_data() -> None:
    register(
        Holding(
            model="exercises.ExerciseRun",
            person="lead_facilitator",
            title=_("Exercise runs you lead"),
            fields=("exercise__name", "session__title", "session__starts_at", "status"),
            actors=("teams_confirmed_by",),
            purpose=_("To show who leads a run."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("The run stays, led by the anonymous label."),
        ),
        Holding(
            model="exercises.TeamMembership",
            person="enrolment__participant__user",
            title=_("Your teams in exercises"),
            fields=("run__exercise__name", "run__session__starts_at", "team__name", "position__name"),
            purpose=_("To place you in an agency team for an exercise."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_(
                "Kept under the anonymous label, so that team sizes and who informed whom keep their numbers."
            ),
            retention_setting="CONCORD_RETENTION_COHORT_DAYS",
        ),
        Holding(
            model="exercises.RunCellMember",
            person="user",
            title=_("Your places in simulation cells"),
            fields=("run__exercise__name", "kind", "guest", "created_at"),
            actors=("invited_by",),
            purpose=_("To let controllers, role-players and evaluators play their part in a run."),
            erasure=Erasure.ANONYMISE,
            erasure_note=_("Kept under the anonymous label."),
        ),
    )
    not_personal(
        "exercises.Exercise",
        (
            "name",
            "aim",
            "scenario",
            "materials",
            "facilitator_guidelines",
            "tips",
            "online_variation",
            "debriefing_guidance",
        ),
        CONTENT,
    )
    not_personal("exercises.Handout", ("description", "file"), CONTENT)
    not_personal("exercises.Phase", ("name", "instructions"), CONTENT)
    not_personal("exercises.TeamRole", ("name", "briefing", "tasks"), CONTENT)
    not_personal("exercises.TeamPosition", ("name",), CONTENT)
    not_personal("exercises.CellRole", ("name", "description"), CONTENT)
    not_personal("exercises.Inject", ("body", "expected_actions"), CONTENT)
    not_personal("exercises.InjectAttachment", ("file",), CONTENT)
    not_personal("exercises.RunTeam", ("name",), _('A team\'s name in a run, such as "Police 1".'))
