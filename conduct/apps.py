from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = _("Live conduct")

    def ready(self) -> None:
        from conduct.privacy_registry import register_personal_data

        register_personal_data()
