"""The export's builder (privacy.export) on its own: section names, stable order while streaming, cells."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from audit.services import audit_record
from privacy import export
from privacy.export import cell, export_sections, export_write, holding_rows
from privacy.registry import holdings

pytestmark = pytest.mark.django_db


def test_every_section_has_its_own_file_name():
    sections = export_sections()
    names = [section.name for section in sections]
    assert len(names) == len(set(names)) == len(holdings())
    # A model held through two lookups is told apart by the lookup; a single one keeps the model's label.
    assert {"conduct_observation_team", "conduct_observation_author"} <= set(names)
    assert "accounts_user" in names
    assert "conduct_observation" not in names


def _audit_holding():
    return next(h for h in holdings() if h.model == "audit.AuditEntry")


def test_rows_stream_in_a_stable_order_across_chunks(monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    person, other = UserFactory(), UserFactory()
    at = timezone.now()
    for number in range(5):
        # The same time for all (written as new rows: PostgreSQL refuses updates of audit entries).
        AuditEntry.objects.create(at=at, action=f"test.step{number}", subject_id=person.pk)
    audit_record(action="test.other", subject_id=other.pk)
    rows = holding_rows(_audit_holding(), person)
    assert not isinstance(rows, list)  # an iterator, not the rows in memory
    assert [row["action"] for row in rows] == [f"test.step{n}" for n in range(5)]


def test_export_write_counts_rows_and_writes_json_and_csv_alike():
    person = UserFactory(first_name="Ana", last_name="=SUM(A1)")
    out = io.BytesIO()
    seen = []
    counts = export_write(
        person=person,
        out=out,
        generated_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        delimiter=";",
        keep_hours=72,
        on_section=lambda section, count: seen.append((section.name, count)),
    )
    assert [name for name, _count in seen] == [section.name for section in export_sections()]
    assert counts["accounts_user"] == 1
    archive = zipfile.ZipFile(out)
    [account] = json.loads(archive.read("accounts_user.json"))
    assert account["last_name"] == "=SUM(A1)"
    text = archive.read("accounts_user.csv").decode("utf-8-sig")
    header, row = text.splitlines()
    assert header.split(";")[:3] == ["first_name", "last_name", "email"]
    assert row.split(";")[:2] == ["Ana", "'=SUM(A1)"]
    index = json.loads(archive.read("index.json"))
    assert index["generated_at"] == "2026-12-01T09:30:00Z"
    readme = archive.read("README.txt").decode()
    assert "72 hours" in readme
    assert "semicolons" in readme


def test_cells_are_written_like_their_json_values():
    when = dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC)
    assert cell(when) == "2026-05-04T03:02:01Z"
    assert cell(dt.date(2026, 5, 4)) == "2026-05-04"
    assert cell(True) == "true"
    assert cell({"a": [1, "ł"]}) == '{"a": [1, "ł"]}'
    assert cell(Decimal("1.50")) == Decimal("1.50")
    assert cell(None) is None
