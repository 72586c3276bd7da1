"""What reports holds about people: improvement actions and their contacts (privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Erasure, Holding, register

NOTE = _("Kept under the anonymous label, with your name and e-mail address taken out.")


def register_personal_data() -> None:
    register(
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
