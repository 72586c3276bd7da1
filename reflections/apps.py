from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = _("Reflections")

    def ready(self) -> None:
        from reflections.privacy_registry import register_personal_data

        register_personal_data()
