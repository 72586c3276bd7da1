from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        # Importing registers trainings' own schedule checks (rooms, links, cohorts, facilitators).
        from trainings import conflicts  # noqa: F401
