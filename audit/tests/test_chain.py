"""The audit chain: entries sealed in order, an edited or deleted entry found, PostgreSQL refusing both."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.context import acting, minimise_ip, minimise_user_agent
from audit.models import AuditEntry
from audit.selectors import audit_verify
from audit.services import audit_read, audit_record, audit_seal

pytestmark = pytest.mark.django_db


def _entries(n: int = 5) -> list[AuditEntry]:
    with acting(actor_id=7, ip="203.0.113.9", user_agent="Mozilla/5.0 (X11) Gecko/20100101 Firefox/128.0"):
        return [
            audit_record(action="cohort.update", target=("trainings.cohort", i), detail={"fields": ["name"]})
            for i in range(n)
        ]


def _tamper(sql: str, params: list) -> None:
    """What someone with the table owner's rights could do: the trigger off, a change, the trigger on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def test_entries_are_sealed_in_order_into_an_intact_chain():
    entries = _entries()
    assert audit_verify().unsealed == 5
    assert audit_seal() == 5
    assert audit_seal() == 0
    sealed = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in sealed] == [1, 2, 3, 4, 5]
    assert [e.pk for e in sealed] == [e.pk for e in entries]
    assert sealed[1].prev_hash == sealed[0].hash
    report = audit_verify()
    assert report.ok
    assert report.checked == 5
    assert sealed[0].actor_id == 7
    assert sealed[0].ip == "203.0.113.0/24"
    assert sealed[0].user_agent == "Firefox 128"


def test_an_edited_entry_breaks_the_chain():
    _entries()
    audit_seal()
    target = AuditEntry.objects.get(seq=3)
    _tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["cohort.view", target.pk])
    report = audit_verify()
    assert not report.ok
    assert report.problems == ["entry 3 was changed after it was written"]


def test_a_deleted_entry_breaks_the_chain():
    _entries()
    audit_seal()
    target = AuditEntry.objects.get(seq=2)
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    report = audit_verify()
    assert not report.ok
    assert "entries 2 to 2 are missing" in report.problems


def test_a_read_is_recorded_only_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_read(action="profile.view", target=("participants.participant", 3), subject_id=12)
        assert not AuditEntry.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject_id) == ("profile.view", 12)


def test_a_read_is_the_row_the_orm_would_write_and_seals_like_one(django_capture_on_commit_callbacks):
    """``audit_read`` writes its row with one prepared INSERT: the same row as ``audit_record``'s save."""
    agent = "Mozilla/5.0 (X11) Gecko/20100101 Firefox/128.0"
    detail = {"count": 3, "filters": {"run": 9}}
    with acting(actor_id=7, ip="203.0.113.9", user_agent=agent):
        with django_capture_on_commit_callbacks(execute=True):
            audit_read(action="roster.view", target=("trainings.cohort", 4), detail=detail)
        audit_record(action="roster.view", target=("trainings.cohort", 4), detail=detail)
    read, recorded = AuditEntry.objects.order_by("id")
    columns = ("actor_id", "action", "target_type", "target_id", "subject_id", "ip", "user_agent", "detail")
    assert [getattr(read, name) for name in columns] == [getattr(recorded, name) for name in columns]
    assert (read.ip, read.user_agent, read.detail) == (
        "203.0.113.0/24",
        "Firefox 128",
        {"count": 3, "filters": {"run": 9}},
    )
    assert (read.seq, read.prev_hash, read.hash) == (None, "", "")
    assert read.at.tzinfo is not None
    assert abs(recorded.at - read.at).total_seconds() < 5
    assert audit_seal() == 2
    assert audit_verify().ok


def _write_then_fail() -> None:
    with transaction.atomic():
        audit_record(action="cohort.update", target=("trainings.cohort", 1))
        raise RuntimeError


def test_a_write_rolled_back_leaves_no_entry():
    with pytest.raises(RuntimeError):
        _write_then_fail()
    assert not AuditEntry.objects.exists()


def test_addresses_and_clients_are_minimised():
    assert minimise_ip("198.51.100.77") == "198.51.100.0/24"
    assert minimise_ip("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert minimise_ip("not an address") == ""
    # IPv4's quick path accepts exactly what ipaddress does.
    assert minimise_ip(" 10.1.2.3\n") == "10.1.2.0/24"
    assert minimise_ip("192.0.2.255") == "192.0.2.0/24"
    assert [minimise_ip(odd) for odd in ("01.2.3.4", "256.1.1.1", "1.2.3", "\u0661.2.3.4", "1.2.3.4.5")] == [""] * 5
    chrome = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    assert minimise_user_agent(chrome) == "Chrome 131"
    assert minimise_user_agent("curl/8.5.0") == "curl 8"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_entry():
    _entries(1)
    audit_seal()
    entry = AuditEntry.objects.get()
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(seq=99)  # sealed once, never again
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert audit_verify().ok
