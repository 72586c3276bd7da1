"""The exercises' pure modules stay pure: no model, queryset or transaction in reach.

Their own tests run without the database (pytest-django refuses a query there); this test keeps a
model or a query from creeping in through a module that no test happens to exercise that way.
"""

import ast
import importlib
import inspect

import pytest
from django.db.models import Manager, Model, QuerySet

PURE = (
    "exercises.assistant",
    "exercises.choices",
    "exercises.mel.format",
    "exercises.mel.parse",
    "exercises.plans",
    "exercises.timeline",
)
FORBIDDEN_CALLS = {"objects", "select_for_update", "atomic", "cursor", "raw"}


@pytest.mark.parametrize("name", PURE)
def test_a_pure_module_holds_no_model_queryset_or_manager(name):
    module = importlib.import_module(name)
    for attribute, value in vars(module).items():
        assert not (inspect.isclass(value) and issubclass(value, Model | QuerySet | Manager)), (name, attribute)
        assert not isinstance(value, QuerySet | Manager), (name, attribute)


@pytest.mark.parametrize("name", PURE)
def test_a_pure_module_imports_nothing_that_queries(name):
    tree = ast.parse(inspect.getsource(importlib.import_module(name)))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.module not in ("django.db", "django.db.transaction", "django.db.connection"), name
            if node.module == "django.db.models":
                assert {alias.name for alias in node.names} <= {"TextChoices", "IntegerChoices"}, name
        elif isinstance(node, ast.Attribute):
            assert node.attr not in FORBIDDEN_CALLS, (name, node.attr, node.lineno)
