from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from privacy import checks  # noqa: F401  (registers the registry's system check)
        from privacy.export_job import register_export_kind
        from privacy.foundation import register_foundation

        register_foundation()
        register_export_kind()
