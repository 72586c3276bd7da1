"""The one-way rule, true at run time: no app reaches a higher app's models.

import-linter (pyproject.toml) sees imports only. These tests see what it cannot: a lower app using a
higher app's reverse relation by name (``cohort.enrolments``, ``Count("exercise_runs")``,
``session__exercise_run__…``) or fishing its model out of ``_meta``.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
# Bottom first; the same order as the import-linter contract in pyproject.toml.
# A bare name in quotes is a relation only when the ORM is given it (a choice value "participant" is not).
ORM_CALL = re.compile(
    r"\b(select_related|prefetch_related|Prefetch|Count|Sum|Avg|Max|Min|Exists|OuterRef|F|values|values_list"
    r"|order_by|only|defer|annotate|aggregate|filter|exclude|get|getattr)\("
)
LAYERS = [
    "core",
    "audit",
    "accounts",
    "jobs",
    "privacy",
    "trainings",
    "participants",
    "exercises",
    "conduct",
    "reflections",
    "certificates",
    "reports",
    "portal",
    "demo",
]


def _sources(app: str) -> list[Path]:
    """The app's own code: tests and migrations are left out (tests may build any data they need)."""
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts and "tests" not in path.parts]


def _reverse_names(lower: str) -> dict[str, str]:
    """Names by which a model of ``lower`` reaches models of higher apps: accessor and query names."""
    higher = set(LAYERS[LAYERS.index(lower) + 1 :])
    names: dict[str, str] = {}
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in higher:
            continue
        for field in model._meta.get_fields(include_hidden=False):
            if not getattr(field, "is_relation", False) or field.auto_created or field.related_model is None:
                continue
            if field.related_model._meta.app_label != lower:
                continue
            if field.remote_field.related_name and field.remote_field.related_name.endswith("+"):
                continue
            owner = f"{app}.{model.__name__}.{field.name}"
            names[field.remote_field.get_accessor_name()] = owner
            names[field.related_query_name()] = owner
    return names


@pytest.mark.parametrize("lower", LAYERS[:-1])
def test_no_app_reaches_a_higher_apps_models_by_a_reverse_relation(lower: str):
    names = _reverse_names(lower)
    if not names:
        return
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    # obj.enrolments; enrolments__status=...; "enrolments__status"; "enrolments" given to the ORM.
    attribute = re.compile(rf"\.({alternatives})\b(?!\s*import)|\b({alternatives})__\w|[\"']({alternatives})__\w")
    literal = re.compile(rf"[\"']({alternatives})[\"']")
    found = []
    for path in _sources(lower):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("#", "from ", "import ")):
                continue
            hits = [next(g for g in m.groups() if g) for m in attribute.finditer(line)]
            if ORM_CALL.search(line):
                hits += [m.group(1) for m in literal.finditer(line)]
            found += [
                f"{path.relative_to(ROOT)}:{number}: {name} (reverse of {names[name]}): {stripped}" for name in hits
            ]
    assert not found, "a lower app reaches a higher app's models:\n" + "\n".join(found)


# Erasure and the privacy notice read the fields of the model a holding names (to empty a text, JSON or
# binary field the way it needs; to name a field): never a related model.
META_READERS = {"privacy/notice_selectors.py", "privacy/services.py"}


def test_no_model_is_fished_out_of_meta_outside_models_and_migrations():
    pattern = re.compile(r"related_model|_meta\.get_field\(")
    own_fields_only = re.compile(r"related_model")
    found = []
    for app in LAYERS:
        for path in _sources(app):
            if path.name == "models.py":
                continue
            check = own_fields_only if str(path.relative_to(ROOT)) in META_READERS else pattern
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if check.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_layers_here_are_the_layers_import_linter_checks():
    config = (ROOT / "pyproject.toml").read_text()
    contract = re.search(r"layers = \[([^\]]*)\]", config)
    assert contract is not None
    assert [name.strip().strip('"') for name in contract.group(1).split(",")] == list(reversed(LAYERS))


def test_the_checks_would_see_a_reach():
    """Guard against a vacuous pass: the reverse names of trainings' models include those of higher apps."""
    names = _reverse_names("trainings")
    assert {"enrolments", "exercise_runs", "exercise_run"} <= set(names)
