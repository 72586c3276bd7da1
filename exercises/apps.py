from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        # Importing registers the schedule checks about runs with trainings.conflicts.
        from exercises import conflicts  # noqa: F401
