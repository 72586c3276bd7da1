"""Services raise ``ApplicationError`` only, and views and the API catch it only (core.exceptions)."""

import ast
from pathlib import Path

import pytest

TRAININGS = Path(__file__).resolve().parent.parent
SERVICES = [TRAININGS / "services.py"]
VIEWS = sorted((TRAININGS / "views").glob("*.py")) + sorted((TRAININGS / "api").glob("*.py"))


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(element) for element in node.elts))
    if isinstance(node, ast.Call):
        return _names(node.func)
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_services_raise_only_application_errors(path: Path):
    tree = ast.parse(path.read_text())
    raised = set().union(*(_names(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise)))
    assert "ValidationError" not in raised


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_views_catch_only_application_errors(path: Path):
    tree = ast.parse(path.read_text())
    caught = set().union(*(_names(node.type) for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)))
    assert "ValidationError" not in caught
