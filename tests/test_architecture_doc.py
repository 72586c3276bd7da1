"""docs/architecture.md stays true: every app it describes exists, and it describes every app."""

import re
from pathlib import Path

from django.conf import settings

from tests.test_layers import LAYERS

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def _section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_every_app_the_document_describes_exists_and_every_app_is_described():
    described = re.findall(r"^### (\w+)$", _section("Apps"), flags=re.MULTILINE)
    assert described, "the Apps section names no app"
    root = DOC.parent.parent
    for app in described:
        assert (root / app / "apps.py").exists(), f"{app} is described but does not exist"
        assert app in settings.INSTALLED_APPS, f"{app} is described but not installed"
    assert set(described) == set(LAYERS), "every app of the layers is described, and no other"


def test_the_picture_shows_the_layers_in_order():
    picture = DOC.read_text().split("```")[1]
    names = [line.split()[0] for line in picture.splitlines() if line.strip() and line.strip()[0].isalpha()]
    assert names == list(reversed(LAYERS))


def test_coming_homes_name_their_issue():
    rows = [line for line in _section("Coming homes").splitlines() if line.startswith("| ") and "#" in line]
    assert len(rows) >= 5
    assert all(re.search(r"#\d+", row) for row in rows)
