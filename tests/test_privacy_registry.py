"""The personal-data registry is complete: every reference to a person and every field that looks
personal is declared, with how it is exported and erased (Moodle's privacy provider test is the model)."""

import pytest
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from accounts.tests.factories import UserFactory
from privacy import checks, registry
from privacy.registry import Erasure


def test_every_personal_looking_field_of_every_model_is_declared() -> None:
    assert checks.undeclared() == []


def test_every_declaration_names_real_models_and_fields() -> None:
    assert checks.unknown_fields() == []


def test_the_system_check_reports_nothing_missing() -> None:
    assert checks.registry_complete() == []


@isolate_apps("privacy")
def test_a_new_model_with_a_person_or_a_personal_field_fails_until_it_is_declared(monkeypatch) -> None:
    class Visit(models.Model):
        visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        phone_number = models.CharField(max_length=20)
        remarks = models.TextField()
        room = models.CharField(max_length=20)  # not personal-looking
        count = models.IntegerField()

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.room

    assert checks.undeclared([Visit]) == [
        "privacy.Visit.visitor",
        "privacy.Visit.phone_number",
        "privacy.Visit.remarks",
    ]

    monkeypatch.setattr(registry, "_HOLDINGS", dict(registry._HOLDINGS))
    monkeypatch.setattr(registry, "_NOT_PERSONAL", dict(registry._NOT_PERSONAL))
    registry.register(
        registry.Holding(
            model="privacy.Visit",
            person="visitor",
            title="Visits",
            fields=("phone_number",),
            purpose="To know who came.",
            erasure=Erasure.DELETE,
            erasure_note="Deleted.",
        )
    )
    assert checks.undeclared([Visit]) == ["privacy.Visit.remarks"]
    registry.not_personal("privacy.Visit", ("remarks",), "The room's remarks.")
    assert checks.undeclared([Visit]) == []


def test_a_kept_holding_must_give_its_reason(monkeypatch) -> None:
    monkeypatch.setattr(registry, "_HOLDINGS", dict(registry._HOLDINGS))
    with pytest.raises(ValueError, match="reason"):
        registry.register(
            registry.Holding(
                model="accounts.User",
                person="groups",
                title="Roles",
                fields=("name",),
                purpose="x",
                erasure=Erasure.KEEP,
                erasure_note="",
            )
        )


@pytest.mark.django_db
def test_every_holding_reads_its_rows_and_export_fields_for_a_person() -> None:
    user = UserFactory()
    for holding in registry.holdings():
        assert str(holding.title), holding.model
        assert str(holding.purpose), holding.model
        assert str(holding.erasure_note), holding.model
        # Each lookup in ``fields`` is valid all the way down: a wrong one raises FieldError here.
        list(holding.queryset(user).values(*holding.fields))


def test_the_user_and_every_domain_declare_what_they_hold() -> None:
    models_held = {holding.model for holding in registry.holdings()}
    for label in (
        "accounts.User",
        "participants.Participant",
        "participants.Enrolment",
        "participants.Attendance",
        "exercises.TeamMembership",
        "conduct.Message",
        "conduct.Observation",
        "reflections.Answer",
        "certificates.Certificate",
        "audit.AuditEntry",
    ):
        assert label in models_held
