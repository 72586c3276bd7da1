from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from participants.privacy_registry import register_personal_data
        from participants.roster_job import register_roster_commit

        register_roster_commit()
        register_personal_data()
