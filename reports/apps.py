from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from jobs.registry import register
        from reports.jobs import KINDS
        from reports.privacy_registry import register_personal_data

        for kind in KINDS:
            register(kind)
        register_personal_data()
