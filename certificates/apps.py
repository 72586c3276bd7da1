from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from certificates.job_kinds import register_kinds
        from certificates.privacy_registry import register_personal_data

        register_kinds()
        register_personal_data()
