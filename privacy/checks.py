"""Finds what holds personal data but is declared nowhere in the registry.

A reference to a person (the user or a participant profile) and a field that looks personal (a name,
an e-mail, a phone number, an address, free text or a stored blob) must each be covered by a
``Holding`` of that model or declared ``NotPersonal`` with a reason. ``manage.py check`` reports what
is missing (``privacy.E001``), and ``tests/test_privacy_registry.py`` fails on it.
"""

import re
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

from privacy import registry

PERSON_MODELS = (settings.AUTH_USER_MODEL, "participants.Participant")

# Text kept as a blob or in free form may be about anyone.
FREE_FORM = (models.TextField, models.JSONField, models.BinaryField, models.FileField, models.EmailField)
PERSONAL_NAME = re.compile(
    r"(^|_)(name|first_name|last_name|email|e_mail|phone|mobile|address|note|reason|comment|position|ip|"
    r"user_agent|session_data|object_repr)($|_)"
)


def _points_to_a_person(field: models.Field) -> bool:
    """Whether a relation is declared to the user or a participant profile: read from the field's own
    declaration (its ``to`` label), so the check never fetches another app's model."""
    target = field.deconstruct()[3].get("to")
    return isinstance(target, str) and target.lower() in {label.lower() for label in PERSON_MODELS}


def looks_personal(field: models.Field) -> bool:
    if field.is_relation:
        return _points_to_a_person(field)
    if isinstance(field, (*FREE_FORM, models.GenericIPAddressField)):
        return True
    return isinstance(field, models.CharField) and bool(PERSONAL_NAME.search(field.name))


def undeclared(model_classes: Iterable[type[models.Model]] | None = None) -> list[str]:
    """``"app.Model.field"`` for each personal-looking field no declaration covers."""
    missing = []
    for model in model_classes if model_classes is not None else apps.get_models():
        covered = registry.declared(model._meta.label)
        for field in model._meta.get_fields():
            if not field.concrete:
                continue
            if field.name in covered:
                continue
            if looks_personal(field):  # type: ignore[arg-type]
                missing.append(f"{model._meta.label}.{field.name}")
    return missing


def unknown_fields() -> list[str]:
    """Declarations that name a model or a field that does not exist (a typo hides nothing)."""
    problems = []
    for holding in registry.holdings():
        try:
            model = holding.model_class
        except LookupError:
            problems.append(f"{holding.model}: no such model")
            continue
        names = {f.name for f in model._meta.get_fields()} | {"pk"}
        for path in (holding.person, *holding.fields, *holding.text, *holding.actors, *holding.blank):
            if path.split("__")[0] not in names:
                problems.append(f"{holding.model}.{path}: no such field")
        for path in holding.labels:
            if path not in holding.fields:
                problems.append(f"{holding.model}.{path}: labelled but not exported")
    return problems


@checks.register("privacy")
def registry_complete(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{name} looks like personal data and is not in the personal-data registry.",
            hint="Declare it in its app's privacy_registry.py: a Holding, or not_personal() with the reason.",
            id="privacy.E001",
        )
        for name in undeclared()
    ]
    errors += [checks.Error(problem, id="privacy.E002") for problem in unknown_fields()]
    return errors
