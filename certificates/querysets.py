"""Composable filters of certificates: who may see which (the list side of ``certificates.rules``)."""

from typing import Any

from django.db import models
from django.db.models import Q

from trainings import access


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "CertificateQuerySet":
        """Coordinators: all; the cohort's staff: their cohorts'; a holder: their own (revoked ones too)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self.all()
        return self.filter(Q(cohort_id__in=access.facilitated_cohort_ids(user)) | Q(participant__user_id=user.pk))

    def ready(self) -> "CertificateQuerySet":
        return self.filter(status="ready")


class EligibilityOverrideQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "EligibilityOverrideQuerySet":
        """Overrides are staff records: coordinators, and the cohort's staff."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if access.sees_everything(user):
            return self.all()
        return self.filter(cohort_id__in=access.facilitated_cohort_ids(user))
