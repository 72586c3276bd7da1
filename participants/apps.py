from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Importing registers the check for people in two places, and the receiver that tells a
        # cancelled session's people.
        from participants import conflicts, scheduling  # noqa: F401
